//! Edit commands: the one write path to a board. Applying an edit returns its inverse.

use super::{
    board::{Board, Frame, FrameId, Link, LinkId, Note, NoteId, Scenario, Topic},
    format::MAX_COORD,
    kind::{link_meaning, link_refusal},
    limits::{OverLimit, MAX_PARTITIONS, MAX_SCHEDULED_FAULTS, MAX_STEPS},
    props::spec_of,
    story::{Camera, Step, StepAction},
};
use serde_json::Value;
use std::fmt;

/// One change to a board.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Insert a note at `index` (or at the end).
    AddNote {
        /// The note.
        note: Note,
        /// Where in the note list.
        index: Option<usize>,
    },
    /// Remove a note and every link touching it.
    RemoveNote {
        /// The note's id.
        id: NoteId,
    },
    /// Move a note's top-left corner to (`x`, `y`).
    MoveNote {
        /// The note's id.
        id: NoteId,
        /// New left edge.
        x: f64,
        /// New top edge.
        y: f64,
    },
    /// Set a note's size (`None` = the kind's default).
    ResizeNote {
        /// The note's id.
        id: NoteId,
        /// New width.
        w: Option<f64>,
        /// New height.
        h: Option<f64>,
    },
    /// Replace a note's text.
    SetText {
        /// The note's id.
        id: NoteId,
        /// New text.
        text: String,
    },
    /// Set (or, with `None`, remove) a prop.
    SetProp {
        /// The note's id.
        id: NoteId,
        /// Prop name.
        name: String,
        /// New value.
        value: Option<Value>,
        /// Where a prop that is not there yet goes among the others (default: last).
        index: Option<usize>,
    },
    /// Put a note in a frame, or take it out with `None`.
    SetFrame {
        /// The note's id.
        id: NoteId,
        /// The frame.
        frame: Option<FrameId>,
    },
    /// Insert a link at `index` (or at the end).
    AddLink {
        /// The link.
        link: Link,
        /// Where in the link list.
        index: Option<usize>,
    },
    /// Remove a link.
    RemoveLink {
        /// The link's id.
        id: LinkId,
    },
    /// Insert a frame at `index` (or at the end).
    AddFrame {
        /// The frame.
        frame: Frame,
        /// Where in the frame list.
        index: Option<usize>,
    },
    /// Remove a frame; its notes stay on the board, outside any frame.
    RemoveFrame {
        /// The frame's id.
        id: FrameId,
    },
    /// Move and resize a frame (its notes are moved by separate edits).
    SetFrameRect {
        /// The frame's id.
        id: FrameId,
        /// New left edge.
        x: f64,
        /// New top edge.
        y: f64,
        /// New width.
        w: Option<f64>,
        /// New height.
        h: Option<f64>,
    },
    /// Rename a frame.
    RenameFrame {
        /// The frame's id.
        id: FrameId,
        /// New name.
        name: String,
    },
    /// Declare, replace (`topic` given) or remove (`None`) the topic called `name`.
    SetTopic {
        /// Topic name.
        name: String,
        /// New declaration.
        topic: Option<Topic>,
        /// Where a topic that is not declared yet goes in the list (default: last).
        index: Option<usize>,
    },
    /// Rename the board.
    SetName {
        /// New name.
        name: Option<String>,
    },
    /// Set (or, with `None`, remove) the run set-up: seed, duration, scheduled faults.
    SetScenario {
        /// The new set-up.
        scenario: Option<Scenario>,
    },
    /// Replace the storyline (add, remove, reorder or reword steps).
    SetStoryline {
        /// The new steps, in order.
        steps: Vec<Step>,
    },
    /// Replace the whole board (open a file, start anew).
    Replace(Box<Board>),
    /// Several edits as one step; all apply or none do.
    Batch(Vec<Edit>),
}

/// Why an edit was refused; the board is unchanged.
#[derive(Clone, Debug, PartialEq)]
pub enum EditError {
    /// No note has this id.
    NoSuchNote(NoteId),
    /// No link has this id.
    NoSuchLink(LinkId),
    /// No frame has this id.
    NoSuchFrame(FrameId),
    /// The id is already used by a note, link or frame.
    IdInUse(String),
    /// The two kinds cannot be linked; the text says why.
    ForbiddenLink(String),
    /// The same link already exists.
    DuplicateLink,
    /// A known prop got a value of the wrong type or range.
    BadProp {
        /// Prop name.
        name: String,
        /// What was expected.
        reason: String,
    },
    /// A coordinate or size is not a finite number in range.
    BadGeometry,
    /// A topic declaration is invalid.
    BadTopic(String),
    /// The edit is a no-op that would only clutter history.
    Nothing,
    /// A list would grow past its limit (what the list is of).
    TooMany(&'static str),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NoSuchNote(id) => write!(f, "no note \"{id}\" on the board"),
            EditError::NoSuchLink(id) => write!(f, "no link \"{id}\" on the board"),
            EditError::NoSuchFrame(id) => write!(f, "no frame \"{id}\" on the board"),
            EditError::IdInUse(id) => write!(f, "id \"{id}\" is already in use"),
            EditError::ForbiddenLink(why) => f.write_str(why),
            EditError::DuplicateLink => f.write_str("these two notes are already linked"),
            EditError::BadProp { name, reason } => write!(f, "prop \"{name}\": {reason}"),
            EditError::BadGeometry => f.write_str("position or size out of range"),
            EditError::BadTopic(why) => f.write_str(why),
            EditError::Nothing => f.write_str("nothing to change"),
            EditError::TooMany(what) => write!(f, "too many {what}"),
        }
    }
}

impl std::error::Error for EditError {}

/// Ok when the board has the note.
fn known_note(board: &Board, id: &NoteId) -> Result<(), EditError> {
    match board.note(id) {
        Some(_) => Ok(()),
        None => Err(EditError::NoSuchNote(id.clone())),
    }
}

/// Ok when every note and frame the step names is on the board.
fn step_refs_ok(board: &Board, step: &Step) -> Result<(), EditError> {
    match &step.camera {
        Camera::Frame(f) if board.frame(f).is_none() => {
            return Err(EditError::NoSuchFrame(f.clone()))
        }
        Camera::Notes(ids) => ids.iter().try_for_each(|id| known_note(board, id))?,
        Camera::Area(r)
            if !(coord_ok(r.x) && coord_ok(r.y) && size_ok(Some(r.w)) && size_ok(Some(r.h))) =>
        {
            return Err(EditError::BadGeometry)
        }
        _ => {}
    }
    step.actions.iter().try_for_each(|a| match a {
        StepAction::Fault(f) => f.note().map_or(Ok(()), |n| known_note(board, n)),
        _ => Ok(()),
    })
}

fn coord_ok(v: f64) -> bool {
    v.is_finite() && v.abs() <= MAX_COORD
}

fn size_ok(v: Option<f64>) -> bool {
    v.is_none_or(|v| v.is_finite() && v > 0.0 && v <= MAX_COORD)
}

fn insert_at<T>(list: &mut Vec<T>, index: Option<usize>, item: T) {
    let i = index.unwrap_or(list.len()).min(list.len());
    list.insert(i, item);
}

impl Edit {
    /// Applies the edit and returns its inverse; on error the board is unchanged.
    pub fn apply(self, board: &mut Board) -> Result<Edit, EditError> {
        match self {
            Edit::AddNote { note, index } => {
                if board.id_in_use(note.id.as_str()) {
                    return Err(EditError::IdInUse(note.id.0));
                }
                if !coord_ok(note.x) || !coord_ok(note.y) || !size_ok(note.w) || !size_ok(note.h) {
                    return Err(EditError::BadGeometry);
                }
                if let Some(frame) = &note.frame {
                    if board.frame(frame).is_none() {
                        return Err(EditError::NoSuchFrame(frame.clone()));
                    }
                }
                for (name, value) in &note.props {
                    check_prop(note.kind, name, value)?;
                }
                let id = note.id.clone();
                insert_at(&mut board.notes, index, note);
                Ok(Edit::RemoveNote { id })
            }
            Edit::RemoveNote { id } => {
                let index = board
                    .note_index(&id)
                    .ok_or_else(|| EditError::NoSuchNote(id.clone()))?;
                let touching: Vec<LinkId> = board.links_of(&id).map(|l| l.id.clone()).collect();
                let mut undo = Vec::with_capacity(touching.len() + 3);
                for link in touching {
                    undo.push(Edit::RemoveLink { id: link }.apply(board)?);
                }
                // Steps and scheduled faults that name the note let go of it first.
                if board.storyline.iter().any(|s| s.mentions_note(&id)) {
                    let steps = board
                        .storyline
                        .iter()
                        .map(|s| s.without_note(&id))
                        .collect();
                    undo.push(Edit::SetStoryline { steps }.apply(board)?);
                }
                if let Some(scenario) = board.scenario.as_ref() {
                    if scenario.faults.iter().any(|f| f.fault.note() == Some(&id)) {
                        let mut scenario = scenario.clone();
                        scenario.faults.retain(|f| f.fault.note() != Some(&id));
                        let scenario = Some(scenario);
                        undo.push(Edit::SetScenario { scenario }.apply(board)?);
                    }
                }
                let note = board.notes.remove(index);
                undo.push(Edit::AddNote {
                    note,
                    index: Some(index),
                });
                undo.reverse();
                Ok(if undo.len() == 1 {
                    undo.remove(0)
                } else {
                    Edit::Batch(undo)
                })
            }
            Edit::MoveNote { id, x, y } => {
                if !coord_ok(x) || !coord_ok(y) {
                    return Err(EditError::BadGeometry);
                }
                let note = board
                    .note_mut(&id)
                    .ok_or_else(|| EditError::NoSuchNote(id.clone()))?;
                let (old_x, old_y) = (note.x, note.y);
                note.x = x;
                note.y = y;
                Ok(Edit::MoveNote {
                    id,
                    x: old_x,
                    y: old_y,
                })
            }
            Edit::ResizeNote { id, w, h } => {
                if !size_ok(w) || !size_ok(h) {
                    return Err(EditError::BadGeometry);
                }
                let note = board
                    .note_mut(&id)
                    .ok_or_else(|| EditError::NoSuchNote(id.clone()))?;
                let old = (note.w, note.h);
                note.w = w;
                note.h = h;
                Ok(Edit::ResizeNote {
                    id,
                    w: old.0,
                    h: old.1,
                })
            }
            Edit::SetText { id, text } => {
                let note = board
                    .note_mut(&id)
                    .ok_or_else(|| EditError::NoSuchNote(id.clone()))?;
                let old = std::mem::replace(&mut note.text, text);
                Ok(Edit::SetText { id, text: old })
            }
            Edit::SetProp {
                id,
                name,
                value,
                index,
            } => {
                let note = board
                    .note_mut(&id)
                    .ok_or_else(|| EditError::NoSuchNote(id.clone()))?;
                if let Some(value) = &value {
                    check_prop(note.kind, &name, value)?;
                }
                let was_at = note.props.keys().position(|k| *k == name);
                let old = match (value, was_at) {
                    (Some(value), Some(_)) => note.props.insert(name.clone(), value),
                    (Some(value), None) => {
                        let at = index.unwrap_or(note.props.len()).min(note.props.len());
                        note.props.shift_insert(at, name.clone(), value)
                    }
                    (None, _) => note.props.shift_remove(&name),
                };
                Ok(Edit::SetProp {
                    id,
                    name,
                    value: old,
                    index: was_at,
                })
            }
            Edit::SetFrame { id, frame } => {
                if let Some(frame) = &frame {
                    if board.frame(frame).is_none() {
                        return Err(EditError::NoSuchFrame(frame.clone()));
                    }
                }
                let note = board
                    .note_mut(&id)
                    .ok_or_else(|| EditError::NoSuchNote(id.clone()))?;
                let old = std::mem::replace(&mut note.frame, frame);
                Ok(Edit::SetFrame { id, frame: old })
            }
            Edit::AddLink { link, index } => {
                if board.id_in_use(link.id.as_str()) {
                    return Err(EditError::IdInUse(link.id.0));
                }
                let from = board
                    .note(&link.from)
                    .ok_or_else(|| EditError::NoSuchNote(link.from.clone()))?
                    .kind;
                let to = board
                    .note(&link.to)
                    .ok_or_else(|| EditError::NoSuchNote(link.to.clone()))?
                    .kind;
                if link_meaning(from, to).is_none() {
                    return Err(EditError::ForbiddenLink(link_refusal(from, to)));
                }
                if board
                    .links
                    .iter()
                    .any(|l| l.from == link.from && l.to == link.to)
                {
                    return Err(EditError::DuplicateLink);
                }
                let id = link.id.clone();
                insert_at(&mut board.links, index, link);
                Ok(Edit::RemoveLink { id })
            }
            Edit::RemoveLink { id } => {
                let index = board
                    .links
                    .iter()
                    .position(|l| l.id == id)
                    .ok_or(EditError::NoSuchLink(id))?;
                let link = board.links.remove(index);
                Ok(Edit::AddLink {
                    link,
                    index: Some(index),
                })
            }
            Edit::AddFrame { frame, index } => {
                if board.id_in_use(frame.id.as_str()) {
                    return Err(EditError::IdInUse(frame.id.0));
                }
                if !coord_ok(frame.x)
                    || !coord_ok(frame.y)
                    || !size_ok(frame.w)
                    || !size_ok(frame.h)
                {
                    return Err(EditError::BadGeometry);
                }
                let id = frame.id.clone();
                insert_at(&mut board.frames, index, frame);
                Ok(Edit::RemoveFrame { id })
            }
            Edit::RemoveFrame { id } => {
                let index = board
                    .frames
                    .iter()
                    .position(|f| f.id == id)
                    .ok_or_else(|| EditError::NoSuchFrame(id.clone()))?;
                let members: Vec<NoteId> = board
                    .notes
                    .iter()
                    .filter(|n| n.frame.as_ref() == Some(&id))
                    .map(|n| n.id.clone())
                    .collect();
                let mut undo = Vec::with_capacity(members.len() + 2);
                if board
                    .storyline
                    .iter()
                    .any(|s| s.camera == Camera::Frame(id.clone()))
                {
                    let steps = board
                        .storyline
                        .iter()
                        .map(|s| s.without_frame(&id))
                        .collect();
                    undo.push(Edit::SetStoryline { steps }.apply(board)?);
                }
                for note in members {
                    undo.push(
                        Edit::SetFrame {
                            id: note,
                            frame: None,
                        }
                        .apply(board)?,
                    );
                }
                let frame = board.frames.remove(index);
                undo.push(Edit::AddFrame {
                    frame,
                    index: Some(index),
                });
                undo.reverse();
                Ok(if undo.len() == 1 {
                    undo.remove(0)
                } else {
                    Edit::Batch(undo)
                })
            }
            Edit::SetFrameRect { id, x, y, w, h } => {
                if !coord_ok(x) || !coord_ok(y) || !size_ok(w) || !size_ok(h) {
                    return Err(EditError::BadGeometry);
                }
                let frame = board
                    .frame_mut(&id)
                    .ok_or_else(|| EditError::NoSuchFrame(id.clone()))?;
                let old = Edit::SetFrameRect {
                    id: id.clone(),
                    x: frame.x,
                    y: frame.y,
                    w: frame.w,
                    h: frame.h,
                };
                (frame.x, frame.y, frame.w, frame.h) = (x, y, w, h);
                Ok(old)
            }
            Edit::RenameFrame { id, name } => {
                let frame = board
                    .frame_mut(&id)
                    .ok_or_else(|| EditError::NoSuchFrame(id.clone()))?;
                let old = std::mem::replace(&mut frame.name, name);
                Ok(Edit::RenameFrame { id, name: old })
            }
            Edit::SetTopic {
                name,
                topic,
                index: insert_at_index,
            } => {
                if let Some(t) = &topic {
                    if t.name != name || name.is_empty() {
                        return Err(EditError::BadTopic(
                            "a topic needs a name, and keeps it".into(),
                        ));
                    }
                    if t.partitions < 1 {
                        return Err(EditError::BadTopic(format!(
                            "partitions must be from 1 to {MAX_PARTITIONS}"
                        )));
                    }
                    if t.partitions > MAX_PARTITIONS {
                        let over = OverLimit {
                            name: "partitions",
                            found: t.partitions.to_string(),
                            max: MAX_PARTITIONS.into(),
                            unit: "partitions",
                        };
                        return Err(EditError::BadTopic(over.to_string()));
                    }
                }
                let index = board.topics.iter().position(|t| t.name == name);
                let old = match (index, topic) {
                    (Some(i), Some(t)) => Some(std::mem::replace(&mut board.topics[i], t)),
                    (Some(i), None) => Some(board.topics.remove(i)),
                    (None, Some(t)) => {
                        insert_at(&mut board.topics, insert_at_index, t);
                        None
                    }
                    (None, None) => return Err(EditError::Nothing),
                };
                Ok(Edit::SetTopic {
                    name,
                    topic: old,
                    index,
                })
            }
            Edit::SetName { name } => {
                let old = std::mem::replace(&mut board.name, name);
                Ok(Edit::SetName { name: old })
            }
            Edit::SetScenario { scenario } => {
                if let Some(s) = &scenario {
                    if s.faults.len() > MAX_SCHEDULED_FAULTS {
                        return Err(EditError::TooMany("scheduled faults"));
                    }
                    for f in &s.faults {
                        if let Some(note) = f.fault.note() {
                            known_note(board, note)?;
                        }
                    }
                }
                if board.scenario == scenario {
                    return Err(EditError::Nothing);
                }
                let old = std::mem::replace(&mut board.scenario, scenario);
                Ok(Edit::SetScenario { scenario: old })
            }
            Edit::SetStoryline { steps } => {
                if steps.len() > MAX_STEPS {
                    return Err(EditError::TooMany("storyline steps"));
                }
                for step in &steps {
                    step_refs_ok(board, step)?;
                }
                if board.storyline == steps {
                    return Err(EditError::Nothing);
                }
                let old = std::mem::replace(&mut board.storyline, steps);
                Ok(Edit::SetStoryline { steps: old })
            }
            Edit::Replace(new) => {
                let old = std::mem::replace(board, *new);
                Ok(Edit::Replace(Box::new(old)))
            }
            Edit::Batch(edits) => {
                let mut undo = Vec::with_capacity(edits.len());
                for edit in edits {
                    match edit.apply(board) {
                        Ok(inverse) => undo.push(inverse),
                        Err(e) => {
                            // Roll back what was applied so the board is unchanged.
                            for inverse in undo.into_iter().rev() {
                                let _ = inverse.apply(board);
                            }
                            return Err(e);
                        }
                    }
                }
                undo.reverse();
                Ok(Edit::Batch(undo))
            }
        }
    }
}

fn check_prop(kind: super::kind::NoteKind, name: &str, value: &Value) -> Result<(), EditError> {
    match spec_of(kind, name) {
        Some(spec) => spec.check(value).map_err(|e| EditError::BadProp {
            name: name.to_string(),
            reason: e.to_string(),
        }),
        None => Ok(()),
    }
}

/// Undo and redo stacks of inverses.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Edit>,
    redo: Vec<Edit>,
}

/// How many steps the history keeps.
pub const HISTORY_LIMIT: usize = 500;

impl History {
    /// True if there is a step to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// True if there is a step to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

/// A board with its history: every change goes through [`Document::apply`] (or a preview,
/// undo, redo or replace), and each one moves [`Document::revision`] on.
#[derive(Clone, Debug, Default)]
pub struct Document {
    board: Board,
    history: History,
    revision: u64,
}

impl Document {
    /// A document for `board` with an empty history.
    pub fn new(board: Board) -> Document {
        Document {
            board,
            history: History::default(),
            revision: 0,
        }
    }

    /// The board as it is now (change it only through the methods below).
    pub fn board(&self) -> &Board {
        &self.board
    }

    /// The undo and redo steps.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// A number that changes whenever the board may have changed: a cheap test for views.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Applies an edit as one undoable step.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        let inverse = edit.apply(&mut self.board)?;
        self.revision += 1;
        self.record(inverse);
        Ok(())
    }

    /// Applies an edit outside history (a preview, e.g. while dragging); returns the inverse.
    pub fn preview(&mut self, edit: Edit) -> Result<Edit, EditError> {
        let inverse = edit.apply(&mut self.board)?;
        self.revision += 1;
        Ok(inverse)
    }

    /// Records a step whose effect is already on the board, given the edit that undoes it.
    pub fn record(&mut self, inverse: Edit) {
        self.history.undo.push(inverse);
        if self.history.undo.len() > HISTORY_LIMIT {
            self.history.undo.remove(0);
        }
        self.history.redo.clear();
    }

    /// Undoes the last step; false if there was none.
    pub fn undo(&mut self) -> bool {
        let Some(inverse) = self.history.undo.pop() else {
            return false;
        };
        self.revision += 1;
        match inverse.apply(&mut self.board) {
            Ok(redo) => {
                self.history.redo.push(redo);
                true
            }
            Err(_) => false,
        }
    }

    /// Redoes the last undone step; false if there was none.
    pub fn redo(&mut self) -> bool {
        let Some(edit) = self.history.redo.pop() else {
            return false;
        };
        self.revision += 1;
        match edit.apply(&mut self.board) {
            Ok(undo) => {
                self.history.undo.push(undo);
                true
            }
            Err(_) => false,
        }
    }

    /// Shows another board in its place, with a history of its own: nothing to undo, and a
    /// revision after this one's (views that follow the revision see the change).
    pub fn switch(&mut self, board: Board) {
        let revision = self.revision + 1;
        *self = Document::new(board);
        self.revision = revision;
    }

    /// Replaces the whole board (open, new, sample) as one undoable step.
    pub fn replace(&mut self, board: Board) {
        let old = std::mem::replace(&mut self.board, board);
        self.revision += 1;
        self.record(Edit::Replace(Box::new(old)));
    }
}
