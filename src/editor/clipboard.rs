//! Copy, paste and duplicate: the selection as a board file, and a board inserted with fresh ids.

use super::{
    hit::frame_containing,
    selection::{Item, Selection},
};
use crate::collections::{HashMap, HashSet};
use crate::model::{
    Board, Edit, EditError, Frame, FrameId, Link, LinkId, LoadError, Note, NoteId, Point, Rect,
};
use std::fmt;

/// Why a paste was refused; the board is unchanged.
#[derive(Clone, Debug, PartialEq)]
pub enum PasteError {
    /// The text is not a board file (every problem is listed).
    NotABoard(LoadError),
    /// The board file holds no notes or frames.
    Empty,
    /// The board refused the pasted items (e.g. a position out of range).
    Refused(EditError),
}

impl fmt::Display for PasteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasteError::NotABoard(e) => {
                write!(f, "cannot paste: the clipboard does not hold a board ({e})")
            }
            PasteError::Empty => {
                f.write_str("cannot paste: the clipboard board has no notes or frames")
            }
            PasteError::Refused(e) => write!(f, "cannot paste: {e}"),
        }
    }
}

impl std::error::Error for PasteError {}

/// The selected part of `board` as a board of its own: selected frames with their notes,
/// selected notes, and every link whose two ends are included. Notes keep their frame only
/// if that frame is included.
pub fn extract(board: &Board, selection: &Selection) -> Board {
    let frames: Vec<Frame> = board
        .frames
        .iter()
        .filter(|f| selection.has_frame(&f.id))
        .cloned()
        .collect();
    let in_frames: HashSet<&FrameId> = frames.iter().map(|f| &f.id).collect();
    let notes: Vec<Note> = board
        .notes
        .iter()
        .filter(|n| {
            selection.has_note(&n.id) || n.frame.as_ref().is_some_and(|f| in_frames.contains(f))
        })
        .map(|n| {
            let mut n = n.clone();
            n.frame = n.frame.filter(|f| in_frames.contains(f));
            n
        })
        .collect();
    let note_ids: HashSet<&NoteId> = notes.iter().map(|n| &n.id).collect();
    let links = board
        .links
        .iter()
        .filter(|l| note_ids.contains(&l.from) && note_ids.contains(&l.to))
        .cloned()
        .collect();
    Board {
        frames,
        notes,
        links,
        ..Board::default()
    }
}

/// Hands out ids unused on a board and not handed out before.
struct Ids<'a> {
    board: &'a Board,
    taken: HashSet<String>,
}

impl Ids<'_> {
    /// A fresh id looking like `old` ("order" → "order-1", "order-1" → "order-2").
    fn fresh(&mut self, old: &str) -> String {
        let base = match old.rsplit_once('-') {
            Some((head, tail))
                if !head.is_empty()
                    && !tail.is_empty()
                    && tail.bytes().all(|b| b.is_ascii_digit()) =>
            {
                head
            }
            _ => old,
        };
        let base = if base.is_empty() { "item" } else { base };
        let id = (1u64..)
            .map(|n| format!("{base}-{n}"))
            .find(|c| !self.board.id_in_use(c) && !self.taken.contains(c))
            .unwrap_or_default();
        self.taken.insert(id.clone());
        id
    }
}

/// The edit inserting `clip` into `board` moved by `offset`, with fresh ids, and the inserted
/// notes and frames (to select). Pasted notes outside any pasted frame join the frame of `board`
/// that holds their centre.
pub fn insert(board: &Board, clip: &Board, offset: Point) -> (Edit, Vec<Item>) {
    let mut ids = Ids {
        board,
        taken: HashSet::default(),
    };
    let mut edits = Vec::new();
    let mut items = Vec::new();
    let mut frame_ids: HashMap<&FrameId, FrameId> = HashMap::default();
    for f in &clip.frames {
        let id = FrameId(ids.fresh(f.id.as_str()));
        frame_ids.insert(&f.id, id.clone());
        items.push(Item::Frame(id.clone()));
        let frame = Frame {
            id,
            x: f.x + offset.x,
            y: f.y + offset.y,
            ..f.clone()
        };
        edits.push(Edit::AddFrame { frame, index: None });
    }
    let mut note_ids: HashMap<&NoteId, NoteId> = HashMap::default();
    for n in &clip.notes {
        let id = NoteId(ids.fresh(n.id.as_str()));
        note_ids.insert(&n.id, id.clone());
        items.push(Item::Note(id.clone()));
        let mut note = Note {
            id,
            x: n.x + offset.x,
            y: n.y + offset.y,
            ..n.clone()
        };
        note.frame = match n.frame.as_ref().and_then(|f| frame_ids.get(f)) {
            Some(f) => Some(f.clone()),
            None => frame_containing(board, note.rect().center()).map(|f| f.id.clone()),
        };
        edits.push(Edit::AddNote { note, index: None });
    }
    for l in &clip.links {
        if let (Some(from), Some(to)) = (note_ids.get(&l.from), note_ids.get(&l.to)) {
            let link = Link {
                id: LinkId(ids.fresh(l.id.as_str())),
                from: from.clone(),
                to: to.clone(),
            };
            edits.push(Edit::AddLink { link, index: None });
        }
    }
    (Edit::Batch(edits), items)
}

/// An offset of `step` × k (k = 1, 2, …) that does not land the clip's first note or frame exactly
/// on an existing one, so repeated pastes and duplicates fan out instead of stacking.
pub fn free_offset(board: &Board, clip: &Board, base: Point, step: f64) -> Point {
    let anchor: Option<Rect> = clip
        .notes
        .first()
        .map(Note::rect)
        .or_else(|| clip.frames.first().map(Frame::rect));
    let Some(a) = anchor else { return base };
    let taken = |dx: f64, dy: f64| {
        board
            .notes
            .iter()
            .map(Note::rect)
            .chain(board.frames.iter().map(Frame::rect))
            .any(|r| (r.x - (a.x + dx)).abs() < 0.5 && (r.y - (a.y + dy)).abs() < 0.5)
    };
    (0..100)
        .map(|k| Point::new(base.x + step * k as f64, base.y + step * k as f64))
        .find(|p| !taken(p.x, p.y))
        .unwrap_or(base)
}
