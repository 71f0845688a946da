//! Interaction logic of the board canvas, without the DOM: the camera, hit testing, selection,
//! snapping, and the tool state machine the UI forwards pointer and key events to.
//!
//! Every change goes through [`Document`]: a gesture previews without history while it runs and
//! records one undo step when it ends; Escape restores the board as it was.

pub mod camera;
pub mod clipboard;
pub mod hit;
pub mod minimap;
pub mod selection;
pub mod snap;
pub mod text;
pub mod tidy;

pub use camera::{Camera, Viewport, MAX_ZOOM, MIN_ZOOM};
pub use clipboard::PasteError;
pub use hit::{Hit, FRAME_TITLE_H};
pub use minimap::{minimap, MinimapView};
pub use selection::{marquee_items, Item, Selection};
pub use snap::{snap, Axis, Guide, GRID};
pub use text::event_tense_hint;
pub use tidy::tidy;

use crate::model::{
    format::save_compact, link_meaning, link_refusal, load, Board, Document, Edit, EditError,
    Frame, FrameId, FrameKind, Link, LinkId, Note, NoteId, NoteKind, Point, Rect,
};
use camera::finite;
use std::collections::HashSet;

/// How far (screen pixels) the pointer must move before a press becomes a drag or a marquee.
pub const DRAG_THRESHOLD_PX: f64 = 4.0;
/// Smallest note size (width, height), board units.
pub const MIN_NOTE_SIZE: (f64, f64) = (40.0, 30.0);
/// Smallest frame size (width, height), board units.
pub const MIN_FRAME_SIZE: (f64, f64) = (120.0, 80.0);
/// The zoom step of the +/- keys.
pub const ZOOM_STEP: f64 = 1.25;
/// How strongly ctrl+wheel (or a pinch) zooms per pixel of wheel delta.
pub const WHEEL_ZOOM_SPEED: f64 = 0.002;
/// Margin around the board when fitting it to the view, screen pixels.
pub const FIT_MARGIN: f64 = 40.0;

/// A mouse button, as the DOM numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Button {
    /// The main button (0).
    Left,
    /// The wheel button (1): pans.
    Middle,
    /// The secondary button (2): ignored (context menu).
    Right,
}

impl Button {
    /// The button for a DOM `MouseEvent.button` number (others count as right).
    pub fn from_dom(n: i16) -> Button {
        match n {
            0 => Button::Left,
            1 => Button::Middle,
            _ => Button::Right,
        }
    }
}

/// Modifier keys held during an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Modifiers {
    /// Shift.
    pub shift: bool,
    /// Control.
    pub ctrl: bool,
    /// Alt / Option: disables snapping while dragging.
    pub alt: bool,
    /// Meta / Command.
    pub meta: bool,
}

impl Modifiers {
    /// No modifier.
    pub const NONE: Modifiers = Modifiers {
        shift: false,
        ctrl: false,
        alt: false,
        meta: false,
    };
    /// Shift only.
    pub const SHIFT: Modifiers = Modifiers {
        shift: true,
        ctrl: false,
        alt: false,
        meta: false,
    };
    /// Control only.
    pub const CTRL: Modifiers = Modifiers {
        shift: false,
        ctrl: true,
        alt: false,
        meta: false,
    };
    /// Control and shift.
    pub const CTRL_SHIFT: Modifiers = Modifiers {
        shift: true,
        ctrl: true,
        alt: false,
        meta: false,
    };
    /// Alt only.
    pub const ALT: Modifiers = Modifiers {
        shift: false,
        ctrl: false,
        alt: true,
        meta: false,
    };

    /// True if the platform's command key is held (ctrl, or meta on a Mac).
    pub fn command(&self) -> bool {
        self.ctrl || self.meta
    }
}

/// What a resize gesture resizes.
#[derive(Clone, Debug, PartialEq)]
pub enum ResizeTarget {
    /// A note.
    Note(NoteId),
    /// A frame.
    Frame(FrameId),
}

/// What a move (drag or arrow key) moves: original positions, and which notes may change frame.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MovePlan {
    /// Notes moved, with their top-left corners before the move.
    pub notes: Vec<(NoteId, Point)>,
    /// Frames moved, with their top-left corners before the move.
    pub frames: Vec<(FrameId, Point)>,
    /// Moved notes not carried by a moved frame: after the move they join the frame holding their centre.
    pub adopt: Vec<NoteId>,
    /// The union of the moved rectangles before the move.
    pub bounds: Rect,
}

impl MovePlan {
    /// True if nothing would move.
    pub fn is_empty(&self) -> bool {
        self.notes.is_empty() && self.frames.is_empty()
    }

    /// The edit moving everything by (`dx`, `dy`) from the original positions.
    pub fn edit(&self, board: &Board, dx: f64, dy: f64) -> Edit {
        let notes = self.notes.iter().map(|(id, p)| Edit::MoveNote {
            id: id.clone(),
            x: p.x + dx,
            y: p.y + dy,
        });
        let frames = self.frames.iter().filter_map(|(id, p)| {
            let f = board.frame(id)?;
            Some(Edit::SetFrameRect {
                id: id.clone(),
                x: p.x + dx,
                y: p.y + dy,
                w: f.w,
                h: f.h,
            })
        });
        Edit::Batch(frames.chain(notes).collect())
    }
}

/// The tool state machine's states.
#[derive(Clone, Debug, PartialEq)]
pub enum ToolState {
    /// Nothing in progress.
    Idle,
    /// The pointer is down on `hit` but has not moved past [`DRAG_THRESHOLD_PX`] yet.
    Pointing {
        /// What was under the pointer.
        hit: Hit,
        /// Where it went down, screen pixels.
        origin: Point,
        /// Shift was held (toggle / add to the selection).
        shift: bool,
        /// The item was already selected before this press.
        was_selected: bool,
    },
    /// Moving the selection (notes, and frames with their notes); previewed, not yet in history.
    Dragging {
        /// Where the drag started, board units.
        origin: Point,
        /// What moves.
        plan: MovePlan,
        /// The current offset, board units (after snapping).
        delta: Point,
        /// The edit undoing the current preview.
        preview: Option<Edit>,
    },
    /// Selecting with a rectangle.
    Marquee {
        /// Where it started, board units.
        origin: Point,
        /// The opposite corner, board units.
        current: Point,
        /// The selection before the marquee (restored by Escape).
        base: Selection,
        /// Shift was held: the marquee adds to `base` instead of replacing it.
        additive: bool,
    },
    /// Drawing a link from a note's connection handle.
    Connecting {
        /// The source note.
        from: NoteId,
        /// The pointer, board units.
        to: Point,
        /// The note under the pointer, if any (not the source).
        over: Option<NoteId>,
        /// True if linking to `over` is allowed by the link table.
        valid: bool,
    },
    /// Resizing a note or frame by its bottom-right handle.
    Resizing {
        /// What is resized.
        target: ResizeTarget,
        /// Where the drag started, board units.
        origin: Point,
        /// The rectangle before resizing.
        original: Rect,
        /// The edit undoing the current preview.
        preview: Option<Edit>,
    },
    /// Moving the camera (space+drag or the middle button).
    Panning {
        /// The last pointer position, screen pixels.
        last: Point,
    },
    /// Editing a note's text; the board changes only on commit.
    EditingText {
        /// The note.
        id: NoteId,
        /// The text being typed.
        draft: String,
    },
    /// Renaming a frame; the board changes only on commit.
    RenamingFrame {
        /// The frame.
        id: FrameId,
        /// The name being typed.
        draft: String,
    },
    /// The kind chooser opened by a double-click on the empty board.
    Choosing {
        /// Where the note will go, board units.
        at: Point,
    },
}

/// What an input did, for the UI. `None` from an input means "not handled": let the browser act.
#[derive(Clone, Debug, PartialEq)]
pub enum EditorEvent {
    /// The board changed (one undo step recorded, or one undone/redone).
    Changed,
    /// Handled without changing the board (selection, camera, tool state): redraw, prevent default.
    Handled,
    /// Refused; the message is also in [`Editor::message`].
    Refused(String),
    /// Put this text on the system clipboard (copy, cut).
    Copy(String),
    /// Read the system clipboard and call [`Editor::paste`] with it.
    PasteRequested,
}

/// The board editor: the document, the camera, the selection and the tool state.
#[derive(Clone, Debug)]
pub struct Editor {
    /// The board and its history; every change goes through it.
    pub doc: Document,
    /// Pan and zoom.
    pub camera: Camera,
    /// The canvas size, screen pixels.
    pub viewport: Viewport,
    /// The selected items.
    pub selection: Selection,
    /// The tool state.
    pub state: ToolState,
    /// Alignment guides to draw while dragging, board units.
    pub guides: Vec<Guide>,
    /// Snap moves and sizes to the [`GRID`] (toggle with G).
    pub grid_snap: bool,
    /// What the pointer hovers over while idle (to show handles and the cursor).
    pub hover: Hit,
    message: Option<String>,
    space_held: bool,
    pointer: Option<Point>,
}

impl Default for Editor {
    fn default() -> Self {
        Editor::new(Board::default())
    }
}

impl Editor {
    /// An editor on `board` with a fresh history, camera at 100%, nothing selected.
    pub fn new(board: Board) -> Editor {
        Editor {
            doc: Document::new(board),
            camera: Camera::default(),
            viewport: Viewport::default(),
            selection: Selection::new(),
            state: ToolState::Idle,
            guides: Vec::new(),
            grid_snap: true,
            hover: Hit::Empty,
            message: None,
            space_held: false,
            pointer: None,
        }
    }

    /// The board being edited.
    pub fn board(&self) -> &Board {
        &self.doc.board
    }

    /// The last refusal or error to show the user, if any (cleared by the next press or key).
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Hides the message.
    pub fn dismiss_message(&mut self) {
        self.message = None;
    }

    fn refuse(&mut self, why: String) -> Option<EditorEvent> {
        self.message = Some(why.clone());
        Some(EditorEvent::Refused(why))
    }

    /// Sets the canvas size in screen pixels (call on mount and resize).
    pub fn set_viewport(&mut self, w: f64, h: f64) {
        self.viewport = Viewport::new(w, h);
    }

    /// Replaces the board (open a file, the sample, a new board) as one undo step and fits it.
    pub fn open(&mut self, board: Board) {
        self.cancel();
        self.doc.replace(board);
        self.selection.clear();
        self.fit_board();
    }

    /// Zooms and pans so the whole board is visible (100% on an empty board).
    pub fn fit_board(&mut self) {
        match self.doc.board.bounds() {
            Some(b) => self
                .camera
                .fit(b, self.viewport.w, self.viewport.h, FIT_MARGIN),
            None => self.camera = Camera::default(),
        }
    }

    fn board_point(&self, screen: Point) -> Point {
        self.camera.to_board(screen)
    }

    fn hit_at(&self, screen: Point) -> Hit {
        hit::hit(
            &self.doc.board,
            &self.selection,
            self.board_point(screen),
            self.camera.zoom,
        )
    }

    fn grid(&self) -> Option<f64> {
        self.grid_snap.then_some(GRID)
    }

    // ----- pointer -----

    /// A button went down at `screen` (pixels, relative to the canvas).
    pub fn pointer_down(
        &mut self,
        screen: Point,
        button: Button,
        mods: Modifiers,
    ) -> Option<EditorEvent> {
        if !finite(screen) {
            return None;
        }
        self.message = None;
        // A press ends text editing (committing it) and closes the chooser, like Miro.
        let changed = match self.state {
            ToolState::EditingText { .. } | ToolState::RenamingFrame { .. } => {
                self.commit_text() == Some(EditorEvent::Changed)
            }
            ToolState::Choosing { .. } => {
                self.state = ToolState::Idle;
                false
            }
            // A press while a gesture runs means its release was lost: finish it first.
            ToolState::Idle => false,
            _ => {
                self.pointer_up(self.pointer.unwrap_or(screen), mods) == Some(EditorEvent::Changed)
            }
        };
        self.pointer = Some(screen);
        if button == Button::Middle || (button == Button::Left && self.space_held) {
            self.state = ToolState::Panning { last: screen };
            return Some(EditorEvent::Handled);
        }
        if button != Button::Left {
            return changed.then_some(EditorEvent::Changed);
        }
        let hit = self.hit_at(screen);
        let board_p = self.board_point(screen);
        match &hit {
            Hit::ConnectHandle(from) => {
                self.state = ToolState::Connecting {
                    from: from.clone(),
                    to: board_p,
                    over: None,
                    valid: false,
                };
            }
            Hit::NoteResize(id) => {
                if let Some(n) = self.doc.board.note(id) {
                    let original = n.rect();
                    let target = ResizeTarget::Note(id.clone());
                    self.state = ToolState::Resizing {
                        target,
                        origin: board_p,
                        original,
                        preview: None,
                    };
                }
            }
            Hit::FrameResize(id) => {
                if let Some(f) = self.doc.board.frame(id) {
                    let original = f.rect();
                    let target = ResizeTarget::Frame(id.clone());
                    self.state = ToolState::Resizing {
                        target,
                        origin: board_p,
                        original,
                        preview: None,
                    };
                }
            }
            _ => {
                let item = item_of(&hit);
                let was_selected = item.as_ref().is_some_and(|i| self.selection.contains(i));
                if let Some(item) = item {
                    if !was_selected {
                        if mods.shift {
                            self.selection.add(item);
                        } else {
                            self.selection.select_only(item);
                        }
                    }
                }
                self.state = ToolState::Pointing {
                    hit,
                    origin: screen,
                    shift: mods.shift,
                    was_selected,
                };
            }
        }
        Some(if changed {
            EditorEvent::Changed
        } else {
            EditorEvent::Handled
        })
    }

    /// The pointer moved to `screen` (with or without a button down).
    pub fn pointer_move(&mut self, screen: Point, mods: Modifiers) -> Option<EditorEvent> {
        if !finite(screen) {
            return None;
        }
        self.pointer = Some(screen);
        let board_p = self.board_point(screen);
        match &mut self.state {
            ToolState::Idle => {
                let hover = self.hit_at(screen);
                if hover == self.hover {
                    return None;
                }
                self.hover = hover;
                Some(EditorEvent::Handled)
            }
            ToolState::Pointing {
                hit, origin, shift, ..
            } => {
                let (dx, dy) = (screen.x - origin.x, screen.y - origin.y);
                if (dx * dx + dy * dy).sqrt() < DRAG_THRESHOLD_PX {
                    return None;
                }
                let start = self.camera.to_board(*origin);
                match hit {
                    Hit::Note(_) | Hit::FrameTitle(_) | Hit::FrameEdge(_) => {
                        let plan = self.move_plan();
                        if plan.is_empty() {
                            return None;
                        }
                        self.state = ToolState::Dragging {
                            origin: start,
                            plan,
                            delta: Point::default(),
                            preview: None,
                        };
                        self.drag_to(board_p, mods);
                    }
                    Hit::Empty | Hit::FrameInterior(_) => {
                        let additive = *shift;
                        let base = self.selection.clone();
                        self.state = ToolState::Marquee {
                            origin: start,
                            current: board_p,
                            base,
                            additive,
                        };
                        self.update_marquee();
                    }
                    // Links follow their notes; handles start their own gestures on press.
                    _ => return None,
                }
                Some(EditorEvent::Handled)
            }
            ToolState::Dragging { .. } => {
                self.drag_to(board_p, mods);
                Some(EditorEvent::Handled)
            }
            ToolState::Marquee { current, .. } => {
                *current = board_p;
                self.update_marquee();
                Some(EditorEvent::Handled)
            }
            ToolState::Connecting {
                from,
                to,
                over,
                valid,
            } => {
                *to = board_p;
                let board = &self.doc.board;
                let source = board.note(from).map(|n| n.kind);
                let target = board
                    .notes
                    .iter()
                    .rev()
                    .find(|n| &n.id != from && n.rect().contains(board_p));
                *over = target.map(|n| n.id.clone());
                *valid = match (source, target) {
                    (Some(a), Some(b)) => link_meaning(a, b.kind).is_some(),
                    _ => false,
                };
                Some(EditorEvent::Handled)
            }
            ToolState::Resizing { .. } => {
                self.resize_to(board_p);
                Some(EditorEvent::Handled)
            }
            ToolState::Panning { last } => {
                let (dx, dy) = (screen.x - last.x, screen.y - last.y);
                *last = screen;
                self.camera.pan_by(dx, dy);
                Some(EditorEvent::Handled)
            }
            ToolState::EditingText { .. }
            | ToolState::RenamingFrame { .. }
            | ToolState::Choosing { .. } => None,
        }
    }

    /// The button was released at `screen`.
    pub fn pointer_up(&mut self, screen: Point, _mods: Modifiers) -> Option<EditorEvent> {
        let screen = if finite(screen) {
            screen
        } else {
            self.pointer.unwrap_or_default()
        };
        self.pointer = Some(screen);
        self.guides.clear();
        match std::mem::replace(&mut self.state, ToolState::Idle) {
            ToolState::Pointing {
                hit,
                shift,
                was_selected,
                ..
            } => {
                match item_of(&hit) {
                    Some(item) if shift && was_selected => self.selection.remove(&item),
                    Some(_) if shift => {}
                    Some(item) => self.selection.select_only(item),
                    None if !shift => self.selection.clear(),
                    None => {}
                }
                Some(EditorEvent::Handled)
            }
            ToolState::Dragging {
                plan,
                delta,
                preview,
                ..
            } => match preview {
                Some(inverse) if delta != Point::default() => {
                    self.commit_move(&plan, inverse);
                    Some(EditorEvent::Changed)
                }
                Some(inverse) => {
                    revert(&mut self.doc, inverse);
                    Some(EditorEvent::Handled)
                }
                None => Some(EditorEvent::Handled),
            },
            ToolState::Marquee { .. } | ToolState::Panning { .. } => Some(EditorEvent::Handled),
            ToolState::Connecting { from, over, .. } => {
                let Some(to) = over else {
                    return Some(EditorEvent::Handled);
                };
                self.connect(&from, &to)
            }
            ToolState::Resizing {
                target,
                original,
                preview,
                ..
            } => {
                let Some(inverse) = preview else {
                    return Some(EditorEvent::Handled);
                };
                let now = match &target {
                    ResizeTarget::Note(id) => self.doc.board.note(id).map(|n| n.rect()),
                    ResizeTarget::Frame(id) => self.doc.board.frame(id).map(|f| f.rect()),
                };
                if now == Some(original) {
                    revert(&mut self.doc, inverse);
                    return Some(EditorEvent::Handled);
                }
                self.doc.record(inverse);
                Some(EditorEvent::Changed)
            }
            other => {
                // Text editing and the chooser outlive the release of the double-click.
                self.state = other;
                None
            }
        }
    }

    /// A double-click at `screen`: edits a note's text or a frame's name; on the empty board
    /// (or inside a frame) opens the kind chooser.
    pub fn double_click(&mut self, screen: Point, _mods: Modifiers) -> Option<EditorEvent> {
        if !finite(screen) {
            return None;
        }
        if !matches!(self.state, ToolState::Idle) {
            self.pointer_down(screen, Button::Left, Modifiers::NONE);
            self.pointer_up(screen, Modifiers::NONE);
        }
        self.pointer = Some(screen);
        match self.hit_at(screen) {
            Hit::Note(id) | Hit::ConnectHandle(id) | Hit::NoteResize(id) => self.edit_text(&id),
            Hit::FrameTitle(id) => self.rename(&id),
            Hit::Link(_) => None,
            Hit::Empty | Hit::FrameInterior(_) | Hit::FrameEdge(_) | Hit::FrameResize(_) => {
                self.state = ToolState::Choosing {
                    at: self.board_point(screen),
                };
                Some(EditorEvent::Handled)
            }
        }
    }

    /// The wheel turned: with ctrl (or a pinch) zooms under the pointer, otherwise pans.
    pub fn wheel(&mut self, screen: Point, dx: f64, dy: f64, ctrl: bool) -> Option<EditorEvent> {
        if !finite(screen) || !dx.is_finite() || !dy.is_finite() {
            return None;
        }
        if ctrl {
            self.camera.zoom_at(screen, (-dy * WHEEL_ZOOM_SPEED).exp());
        } else {
            self.camera.pan_by(-dx, -dy);
        }
        Some(EditorEvent::Handled)
    }

    fn update_marquee(&mut self) {
        if let ToolState::Marquee {
            origin,
            current,
            base,
            additive,
        } = &self.state
        {
            let mut selection = if *additive {
                base.clone()
            } else {
                Selection::new()
            };
            for item in marquee_items(&self.doc.board, Rect::from_corners(*origin, *current)) {
                selection.add(item);
            }
            self.selection = selection;
        }
    }

    /// What moving the selection moves: selected notes, selected frames and their notes.
    pub fn move_plan(&self) -> MovePlan {
        let board = &self.doc.board;
        let mut plan = MovePlan::default();
        let mut bounds: Option<Rect> = None;
        for f in board
            .frames
            .iter()
            .filter(|f| self.selection.has_frame(&f.id))
        {
            plan.frames.push((f.id.clone(), Point::new(f.x, f.y)));
            bounds = Some(bounds.map_or(f.rect(), |b| b.union(&f.rect())));
        }
        for n in &board.notes {
            let carried = n
                .frame
                .as_ref()
                .is_some_and(|f| self.selection.has_frame(f));
            if carried || self.selection.has_note(&n.id) {
                plan.notes.push((n.id.clone(), Point::new(n.x, n.y)));
                bounds = Some(bounds.map_or(n.rect(), |b| b.union(&n.rect())));
                if !carried {
                    plan.adopt.push(n.id.clone());
                }
            }
        }
        plan.bounds = bounds.unwrap_or_default();
        plan
    }

    fn drag_to(&mut self, board_p: Point, mods: Modifiers) {
        let ToolState::Dragging { origin, plan, .. } = &self.state else {
            return;
        };
        let raw = Point::new(board_p.x - origin.x, board_p.y - origin.y);
        let moved = Rect::new(
            plan.bounds.x + raw.x,
            plan.bounds.y + raw.y,
            plan.bounds.w,
            plan.bounds.h,
        );
        let (target, guides) = if mods.alt {
            (Point::new(moved.x, moved.y), Vec::new())
        } else {
            let others = self.static_rects(plan);
            snap(
                moved,
                &others,
                self.grid(),
                snap::GUIDE_PX / self.camera.zoom,
            )
        };
        let delta = Point::new(target.x - plan.bounds.x, target.y - plan.bounds.y);
        let edit = plan.edit(&self.doc.board, delta.x, delta.y);
        self.guides = guides;
        let ToolState::Dragging {
            delta: d, preview, ..
        } = &mut self.state
        else {
            return;
        };
        if let Some(inverse) = preview.take() {
            revert(&mut self.doc, inverse);
        }
        *preview = self.doc.preview(edit).ok();
        *d = if preview.is_some() {
            delta
        } else {
            Point::default()
        };
    }

    /// The rectangles of notes and frames that do not move with `plan` (snapping targets).
    fn static_rects(&self, plan: &MovePlan) -> Vec<Rect> {
        let board = &self.doc.board;
        let visible = self.camera.visible_rect(self.viewport);
        let near = |r: &Rect| self.viewport.w == 0.0 || r.intersects(&visible);
        let moving_notes: HashSet<&NoteId> = plan.notes.iter().map(|(id, _)| id).collect();
        let moving_frames: HashSet<&FrameId> = plan.frames.iter().map(|(id, _)| id).collect();
        board
            .notes
            .iter()
            .filter(|n| !moving_notes.contains(&n.id))
            .map(Note::rect)
            .chain(
                board
                    .frames
                    .iter()
                    .filter(|f| !moving_frames.contains(&f.id))
                    .map(Frame::rect),
            )
            .filter(near)
            .collect()
    }

    /// Records a move already previewed on the board (undone by `inverse`) as one step, putting
    /// each adoptable note in the frame that now holds its centre, in the same step.
    fn commit_move(&mut self, plan: &MovePlan, inverse: Edit) {
        let board = &self.doc.board;
        let reframe: Vec<Edit> = plan
            .adopt
            .iter()
            .filter_map(|id| {
                let n = board.note(id)?;
                let frame = hit::frame_containing(board, n.rect().center()).map(|f| f.id.clone());
                (frame != n.frame).then(|| Edit::SetFrame {
                    id: id.clone(),
                    frame,
                })
            })
            .collect();
        let step = if reframe.is_empty() {
            inverse
        } else {
            match self.doc.preview(Edit::Batch(reframe)) {
                Ok(undo_frames) => Edit::Batch(vec![undo_frames, inverse]),
                Err(_) => inverse,
            }
        };
        self.doc.record(step);
    }

    /// Moves the selection by (`dx`, `dy`) board units as one undo step.
    pub fn move_selection(&mut self, dx: f64, dy: f64) -> Option<EditorEvent> {
        self.settle();
        let plan = self.move_plan();
        if plan.is_empty() || !dx.is_finite() || !dy.is_finite() || (dx == 0.0 && dy == 0.0) {
            return None;
        }
        match self.doc.preview(plan.edit(&self.doc.board, dx, dy)) {
            Ok(inverse) => {
                self.commit_move(&plan, inverse);
                Some(EditorEvent::Changed)
            }
            Err(e) => self.refuse(e.to_string()),
        }
    }

    fn resize_to(&mut self, board_p: Point) {
        let grid = self.grid();
        let ToolState::Resizing {
            target,
            origin,
            original,
            preview,
        } = &mut self.state
        else {
            return;
        };
        let (min_w, min_h) = match target {
            ResizeTarget::Note(_) => MIN_NOTE_SIZE,
            ResizeTarget::Frame(_) => MIN_FRAME_SIZE,
        };
        let round = |v: f64| grid.map_or(v, |g| (v / g).round() * g);
        let w = round(original.w + board_p.x - origin.x).max(min_w);
        let h = round(original.h + board_p.y - origin.y).max(min_h);
        let edit = match target {
            ResizeTarget::Note(id) => Edit::ResizeNote {
                id: id.clone(),
                w: Some(w),
                h: Some(h),
            },
            ResizeTarget::Frame(id) => Edit::SetFrameRect {
                id: id.clone(),
                x: original.x,
                y: original.y,
                w: Some(w),
                h: Some(h),
            },
        };
        if let Some(inverse) = preview.take() {
            revert(&mut self.doc, inverse);
        }
        *preview = self.doc.preview(edit).ok();
    }

    /// Links `from` → `to` as one undo step, or refuses (with a message) a pair the link table forbids.
    pub fn connect(&mut self, from: &NoteId, to: &NoteId) -> Option<EditorEvent> {
        let board = &self.doc.board;
        let (Some(a), Some(b)) = (board.note(from), board.note(to)) else {
            return None;
        };
        if from == to {
            return None;
        }
        if link_meaning(a.kind, b.kind).is_none() {
            return self.refuse(link_refusal(a.kind, b.kind));
        }
        let link = Link {
            id: LinkId(board.fresh_id("l")),
            from: from.clone(),
            to: to.clone(),
        };
        match self.doc.apply(Edit::AddLink { link, index: None }) {
            Ok(()) => Some(EditorEvent::Changed),
            Err(e) => self.refuse(e.to_string()),
        }
    }

    // ----- text -----

    /// Starts editing a note's text.
    pub fn edit_text(&mut self, id: &NoteId) -> Option<EditorEvent> {
        let note = self.doc.board.note(id)?;
        self.state = ToolState::EditingText {
            id: id.clone(),
            draft: note.text.clone(),
        };
        self.selection.select_only(Item::Note(id.clone()));
        Some(EditorEvent::Handled)
    }

    /// Starts renaming a frame.
    pub fn rename(&mut self, id: &FrameId) -> Option<EditorEvent> {
        let frame = self.doc.board.frame(id)?;
        self.state = ToolState::RenamingFrame {
            id: id.clone(),
            draft: frame.name.clone(),
        };
        self.selection.select_only(Item::Frame(id.clone()));
        Some(EditorEvent::Handled)
    }

    /// Replaces the draft being typed (the UI calls this on each input event of its text box).
    pub fn set_draft(&mut self, text: &str) {
        if let ToolState::EditingText { draft, .. } | ToolState::RenamingFrame { draft, .. } =
            &mut self.state
        {
            *draft = text.to_string();
        }
    }

    /// Ends text editing, writing the draft as one undo step if it changed anything.
    pub fn commit_text(&mut self) -> Option<EditorEvent> {
        let edit = match std::mem::replace(&mut self.state, ToolState::Idle) {
            ToolState::EditingText { id, draft } => {
                let note = self.doc.board.note(&id)?;
                (note.text != draft).then_some(Edit::SetText { id, text: draft })
            }
            ToolState::RenamingFrame { id, draft } => {
                let frame = self.doc.board.frame(&id)?;
                (frame.name != draft).then_some(Edit::RenameFrame { id, name: draft })
            }
            other => {
                self.state = other;
                return None;
            }
        };
        match edit {
            Some(edit) => match self.doc.apply(edit) {
                Ok(()) => Some(EditorEvent::Changed),
                Err(e) => self.refuse(e.to_string()),
            },
            None => Some(EditorEvent::Handled),
        }
    }

    /// The past-tense hint for the event being edited, if its draft does not read as past.
    pub fn hint(&self) -> Option<String> {
        let ToolState::EditingText { id, draft } = &self.state else {
            return None;
        };
        let note = self.doc.board.note(id)?;
        (note.kind == NoteKind::Event)
            .then(|| event_tense_hint(draft))
            .flatten()
    }

    // ----- creating -----

    /// Creates a note of `kind` centred on `at` (board units) as one undo step, selects it and
    /// starts editing its text. Inside a frame, the note belongs to the frame.
    pub fn create_note(&mut self, kind: NoteKind, at: Point) -> Result<NoteId, EditError> {
        self.settle();
        let board = &self.doc.board;
        let (w, h) = kind.default_size();
        let (x, y) = self.place(at, w, h);
        let id = board.fresh_id(&format!("{}-", kind.as_str().replace('_', "-")));
        let mut note = Note::new(id.clone(), kind, "", x, y);
        note.frame = hit::frame_containing(board, note.rect().center()).map(|f| f.id.clone());
        self.doc.apply(Edit::AddNote { note, index: None })?;
        let id = NoteId(id);
        self.selection.select_only(Item::Note(id.clone()));
        self.state = ToolState::EditingText {
            id: id.clone(),
            draft: String::new(),
        };
        Ok(id)
    }

    /// Creates a frame centred on `at` as one undo step (notes outside frames whose centre it
    /// covers join it), selects it and starts renaming it.
    pub fn create_frame(&mut self, at: Point) -> Result<FrameId, EditError> {
        self.settle();
        let board = &self.doc.board;
        let (w, h) = Frame::DEFAULT_SIZE;
        let (x, y) = self.place(at, w, h);
        let id = FrameId(board.fresh_id("context-"));
        let name = "Context".to_string();
        let frame = Frame {
            id: id.clone(),
            kind: FrameKind::Context,
            name: name.clone(),
            x,
            y,
            w: None,
            h: None,
        };
        let area = frame.rect();
        let adopt = board
            .notes
            .iter()
            .filter(|n| n.frame.is_none() && area.contains(n.rect().center()))
            .map(|n| Edit::SetFrame {
                id: n.id.clone(),
                frame: Some(id.clone()),
            });
        let edit = Edit::Batch(
            std::iter::once(Edit::AddFrame { frame, index: None })
                .chain(adopt)
                .collect(),
        );
        self.doc.apply(edit)?;
        self.selection.select_only(Item::Frame(id.clone()));
        self.state = ToolState::RenamingFrame {
            id: id.clone(),
            draft: name,
        };
        Ok(id)
    }

    /// The top-left corner of a `w` × `h` rectangle centred on `at`, on the grid if snapping.
    fn place(&self, at: Point, w: f64, h: f64) -> (f64, f64) {
        let at = if finite(at) {
            at
        } else {
            self.camera.visible_rect(self.viewport).center()
        };
        let round = |v: f64| self.grid().map_or(v, |g| (v / g).round() * g);
        (round(at.x - w / 2.0), round(at.y - h / 2.0))
    }

    /// In the kind chooser, creates a note of `kind` where the double-click was.
    pub fn choose(&mut self, kind: NoteKind) -> Option<EditorEvent> {
        let ToolState::Choosing { at } = self.state else {
            return None;
        };
        self.state = ToolState::Idle;
        match self.create_note(kind, at) {
            Ok(_) => Some(EditorEvent::Changed),
            Err(e) => self.refuse(e.to_string()),
        }
    }

    /// Where a shortcut creates things: under the pointer, or the middle of the view.
    fn pointer_board(&self) -> Point {
        match self.pointer {
            Some(p) => self.board_point(p),
            None => self.board_point(self.viewport.center()),
        }
    }

    // ----- whole-selection commands -----

    /// Deletes the selected links, notes (with their links) and frames (their notes stay) as one step.
    pub fn delete_selection(&mut self) -> Option<EditorEvent> {
        self.settle();
        self.selection.retain_existing(&self.doc.board);
        if self.selection.is_empty() {
            return None;
        }
        let s = &self.selection;
        let edits: Vec<Edit> = s
            .links()
            .map(|id| Edit::RemoveLink { id: id.clone() })
            .chain(s.notes().map(|id| Edit::RemoveNote { id: id.clone() }))
            .chain(s.frames().map(|id| Edit::RemoveFrame { id: id.clone() }))
            .collect();
        match self.doc.apply(Edit::Batch(edits)) {
            Ok(()) => {
                self.selection.clear();
                Some(EditorEvent::Changed)
            }
            Err(e) => self.refuse(e.to_string()),
        }
    }

    /// The selection as a board file (compact JSON): selected frames with their notes, selected
    /// notes, and the links between them. An empty selection gives an empty board file.
    pub fn copy(&self) -> String {
        save_compact(&clipboard::extract(&self.doc.board, &self.selection))
    }

    /// Copies the selection and deletes it; the text is for the clipboard.
    pub fn cut(&mut self) -> Option<String> {
        let text = self.copy();
        self.delete_selection()?;
        Some(text)
    }

    /// Pastes a board file: everything gets fresh ids, lands offset from where it was copied
    /// (or in the middle of the view if that is off screen), is selected, as one undo step.
    /// A text that is not a board is refused and changes nothing.
    pub fn paste(&mut self, text: &str) -> Result<(), PasteError> {
        let result = self.paste_inner(text);
        if let Err(e) = &result {
            self.message = Some(e.to_string());
        }
        result
    }

    fn paste_inner(&mut self, text: &str) -> Result<(), PasteError> {
        let clip = load(text).map_err(PasteError::NotABoard)?;
        let Some(bounds) = clip.bounds() else {
            return Err(PasteError::Empty);
        };
        self.settle();
        let visible = self.camera.visible_rect(self.viewport);
        let base = if self.viewport.w == 0.0 || bounds.intersects(&visible) {
            Point::new(2.0 * GRID, 2.0 * GRID)
        } else {
            let c = visible.center();
            let round = |v: f64| (v / GRID).round() * GRID;
            Point::new(
                round(c.x - bounds.w / 2.0 - bounds.x),
                round(c.y - bounds.h / 2.0 - bounds.y),
            )
        };
        self.insert(&clip, base).map_err(PasteError::Refused)
    }

    /// Duplicates the selection (frames with their notes, links between duplicated notes) with
    /// fresh ids, offset by two grid steps, and selects the copies; one undo step.
    pub fn duplicate(&mut self) -> Option<EditorEvent> {
        self.settle();
        let clip = clipboard::extract(&self.doc.board, &self.selection);
        if clip.notes.is_empty() && clip.frames.is_empty() {
            return None;
        }
        match self.insert(&clip, Point::new(2.0 * GRID, 2.0 * GRID)) {
            Ok(()) => Some(EditorEvent::Changed),
            Err(e) => self.refuse(e.to_string()),
        }
    }

    fn insert(&mut self, clip: &Board, base: Point) -> Result<(), EditError> {
        let offset = clipboard::free_offset(&self.doc.board, clip, base, 2.0 * GRID);
        let (edit, items) = clipboard::insert(&self.doc.board, clip, offset);
        self.doc.apply(edit)?;
        self.selection.clear();
        for item in items {
            self.selection.add(item);
        }
        Ok(())
    }

    /// Lays the board out in causal order ([`tidy()`]) as one undo step.
    pub fn tidy(&mut self) -> Option<EditorEvent> {
        self.settle();
        match tidy(&self.doc.board) {
            Edit::Batch(edits) if edits.is_empty() => None,
            edit => match self.doc.apply(edit) {
                Ok(()) => Some(EditorEvent::Changed),
                Err(e) => self.refuse(e.to_string()),
            },
        }
    }

    /// Undoes the last step (ending any gesture first).
    pub fn undo(&mut self) -> Option<EditorEvent> {
        self.cancel();
        let done = self.doc.undo();
        self.selection.retain_existing(&self.doc.board);
        done.then_some(EditorEvent::Changed)
    }

    /// Redoes the last undone step.
    pub fn redo(&mut self) -> Option<EditorEvent> {
        self.cancel();
        let done = self.doc.redo();
        self.selection.retain_existing(&self.doc.board);
        done.then_some(EditorEvent::Changed)
    }

    /// True while a pointer gesture (press, drag, marquee, link, resize, pan) is in progress.
    pub fn in_gesture(&self) -> bool {
        !matches!(
            self.state,
            ToolState::Idle
                | ToolState::EditingText { .. }
                | ToolState::RenamingFrame { .. }
                | ToolState::Choosing { .. }
        )
    }

    /// Gets ready for a command: commits text being edited, cancels a gesture or the chooser.
    fn settle(&mut self) {
        if self.commit_text().is_none() {
            self.cancel();
        }
    }

    /// Abandons whatever is in progress: previews are undone, drafts dropped, the marquee
    /// restores the selection it started from. Returns true if there was something to cancel.
    pub fn cancel(&mut self) -> bool {
        self.guides.clear();
        match std::mem::replace(&mut self.state, ToolState::Idle) {
            ToolState::Idle => false,
            ToolState::Dragging { preview, .. } | ToolState::Resizing { preview, .. } => {
                if let Some(inverse) = preview {
                    revert(&mut self.doc, inverse);
                }
                true
            }
            ToolState::Marquee { base, .. } => {
                self.selection = base;
                true
            }
            _ => true,
        }
    }

    // ----- keyboard -----

    /// A key went down. `key` is the DOM `KeyboardEvent.key` ("e", "Enter", "ArrowLeft", " ", …).
    ///
    /// While editing text only Enter (commit; shift+Enter is a newline left to the text box) and
    /// Escape (cancel) are handled.
    pub fn key_down(&mut self, key: &str, mods: Modifiers) -> Option<EditorEvent> {
        if matches!(
            self.state,
            ToolState::EditingText { .. } | ToolState::RenamingFrame { .. }
        ) {
            return match key {
                "Enter" if !mods.shift || mods.command() => self.commit_text(),
                "Escape" => {
                    self.state = ToolState::Idle;
                    Some(EditorEvent::Handled)
                }
                _ => None,
            };
        }
        self.message = None;
        // While a button is down only Escape (cancel) and space act: anything else would edit
        // the board under a preview.
        if self.in_gesture() && key != "Escape" && key != " " {
            return None;
        }
        if let ToolState::Choosing { .. } = self.state {
            if key == "Escape" {
                self.state = ToolState::Idle;
                return Some(EditorEvent::Handled);
            }
            let kind = single_char(key)
                .and_then(|c| NoteKind::ALL.into_iter().find(|k| k.shortcut() == c));
            return kind.and_then(|k| self.choose(k));
        }
        let lower = key.to_lowercase();
        if mods.command() {
            return match lower.as_str() {
                "z" if mods.shift => self.redo(),
                "z" => self.undo(),
                "y" => self.redo(),
                "a" => {
                    self.cancel();
                    self.selection.select_all(&self.doc.board);
                    Some(EditorEvent::Handled)
                }
                "d" => self.duplicate(),
                "c" if !self.selection.is_empty() => Some(EditorEvent::Copy(self.copy())),
                "x" => self.cut().map(EditorEvent::Copy),
                "v" => Some(EditorEvent::PasteRequested),
                _ => None,
            };
        }
        let center = self.viewport.center();
        match key {
            " " => {
                self.space_held = true;
                return Some(EditorEvent::Handled);
            }
            "Escape" => {
                if !self.cancel() {
                    self.selection.clear();
                }
                return Some(EditorEvent::Handled);
            }
            "Delete" | "Backspace" => return self.delete_selection(),
            "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown"
                if matches!(self.state, ToolState::Idle) =>
            {
                let step = if mods.shift { 10.0 * GRID } else { GRID };
                let (dx, dy) = match key {
                    "ArrowLeft" => (-step, 0.0),
                    "ArrowRight" => (step, 0.0),
                    "ArrowUp" => (0.0, -step),
                    _ => (0.0, step),
                };
                return self.move_selection(dx, dy);
            }
            "Enter" | "F2" => {
                let id = self.selection.notes().next().cloned();
                return match (self.selection.len(), id) {
                    (1, Some(id)) => self.edit_text(&id),
                    _ => None,
                };
            }
            "+" | "=" => self.camera.zoom_at(center, ZOOM_STEP),
            "-" | "_" => self.camera.zoom_at(center, 1.0 / ZOOM_STEP),
            "0" => self.camera.set_zoom_at(center, 1.0),
            "!" => self.fit_board(),
            "1" if mods.shift => self.fit_board(),
            _ => {
                if !matches!(self.state, ToolState::Idle) || mods.alt {
                    return None;
                }
                let at = self.pointer_board();
                match lower.as_str() {
                    "f" => {
                        return match self.create_frame(at) {
                            Ok(_) => Some(EditorEvent::Changed),
                            Err(e) => self.refuse(e.to_string()),
                        }
                    }
                    "g" => self.grid_snap = !self.grid_snap,
                    _ => {
                        let kind = single_char(key)
                            .and_then(|c| NoteKind::ALL.into_iter().find(|k| k.shortcut() == c))?;
                        return match self.create_note(kind, at) {
                            Ok(_) => Some(EditorEvent::Changed),
                            Err(e) => self.refuse(e.to_string()),
                        };
                    }
                }
            }
        }
        Some(EditorEvent::Handled)
    }

    /// A key was released (only the space bar matters: it ends space-panning).
    pub fn key_up(&mut self, key: &str, _mods: Modifiers) -> Option<EditorEvent> {
        (key == " ").then(|| {
            self.space_held = false;
            EditorEvent::Handled
        })
    }

    // ----- what to render -----

    /// The marquee rectangle to draw, board units.
    pub fn marquee_rect(&self) -> Option<Rect> {
        match &self.state {
            ToolState::Marquee {
                origin, current, ..
            } => Some(Rect::from_corners(*origin, *current)),
            _ => None,
        }
    }

    /// The link being drawn: from the source's handle to the pointer (or the target's border),
    /// board units, and whether releasing here would create it.
    pub fn connecting_line(&self) -> Option<(Point, Point, bool)> {
        let ToolState::Connecting {
            from,
            to,
            over,
            valid,
        } = &self.state
        else {
            return None;
        };
        let board = &self.doc.board;
        let start = hit::connect_handle(board.note(from)?.rect());
        let end = over
            .as_ref()
            .and_then(|id| board.note(id))
            .map_or(*to, |n| n.rect().border_toward(start));
        Some((start, end, *valid))
    }

    /// The notes that intersect the view (draw only these on big boards).
    pub fn visible_notes(&self) -> impl Iterator<Item = &Note> {
        let visible = self.camera.visible_rect(self.viewport);
        self.doc
            .board
            .notes
            .iter()
            .filter(move |n| n.rect().intersects(&visible))
    }

    /// The CSS cursor for the canvas.
    pub fn cursor(&self) -> &'static str {
        match &self.state {
            ToolState::Panning { .. } => "grabbing",
            ToolState::Dragging { .. } => "move",
            ToolState::Resizing { .. } => "nwse-resize",
            ToolState::Connecting {
                valid: false,
                over: Some(_),
                ..
            } => "not-allowed",
            ToolState::Connecting { .. } => "crosshair",
            ToolState::EditingText { .. } | ToolState::RenamingFrame { .. } => "text",
            _ if self.space_held => "grab",
            _ => match self.hover {
                Hit::ConnectHandle(_) => "crosshair",
                Hit::NoteResize(_) | Hit::FrameResize(_) => "nwse-resize",
                Hit::Note(_) | Hit::FrameTitle(_) | Hit::FrameEdge(_) => "move",
                Hit::Link(_) => "pointer",
                Hit::Empty | Hit::FrameInterior(_) => "default",
            },
        }
    }

    /// The minimap of `size` pixels for the current board and view.
    pub fn minimap(&self, size: Viewport) -> MinimapView {
        minimap(&self.doc.board, &self.camera, self.viewport, size)
    }

    /// A click at `point` on a minimap of `size` pixels: centres the view there (zoom unchanged).
    pub fn minimap_click(&mut self, point: Point, size: Viewport) -> Option<EditorEvent> {
        if !finite(point) {
            return None;
        }
        self.camera = self.minimap(size).click(point, self.camera, self.viewport);
        Some(EditorEvent::Handled)
    }
}

/// Undoes a preview outside history. The inverse of an edit that applied always applies, so
/// there is no error to handle.
fn revert(doc: &mut Document, inverse: Edit) {
    let _ = doc.preview(inverse);
}

/// The selectable item a hit designates, if any.
fn item_of(hit: &Hit) -> Option<Item> {
    match hit {
        Hit::Note(id) => Some(Item::Note(id.clone())),
        Hit::Link(id) => Some(Item::Link(id.clone())),
        Hit::FrameTitle(id) | Hit::FrameEdge(id) => Some(Item::Frame(id.clone())),
        _ => None,
    }
}

/// The upper-case letter of a one-character key.
fn single_char(key: &str) -> Option<char> {
    let mut chars = key.chars();
    let c = chars.next()?;
    chars.next().is_none().then(|| c.to_ascii_uppercase())
}
