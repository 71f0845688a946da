//! What is selected: notes, links and frames, in the order they were selected.

use crate::model::{Board, FrameId, LinkId, NoteId, Rect};

/// One selectable thing on the board.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Item {
    /// A sticky note.
    Note(NoteId),
    /// A link between notes.
    Link(LinkId),
    /// A frame (bounded context).
    Frame(FrameId),
}

/// A set of items kept in insertion order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Selection {
    items: Vec<Item>,
}

impl Selection {
    /// An empty selection.
    pub fn new() -> Selection {
        Selection::default()
    }

    /// The selected items, in the order they were selected.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// True if nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many items are selected.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True if `item` is selected.
    pub fn contains(&self, item: &Item) -> bool {
        self.items.contains(item)
    }

    /// True if the note is selected.
    pub fn has_note(&self, id: &NoteId) -> bool {
        self.items
            .iter()
            .any(|i| matches!(i, Item::Note(n) if n == id))
    }

    /// True if the link is selected.
    pub fn has_link(&self, id: &LinkId) -> bool {
        self.items
            .iter()
            .any(|i| matches!(i, Item::Link(l) if l == id))
    }

    /// True if the frame is selected.
    pub fn has_frame(&self, id: &FrameId) -> bool {
        self.items
            .iter()
            .any(|i| matches!(i, Item::Frame(f) if f == id))
    }

    /// Adds `item` at the end unless it is already selected.
    pub fn add(&mut self, item: Item) {
        if !self.contains(&item) {
            self.items.push(item);
        }
    }

    /// Removes `item` if selected.
    pub fn remove(&mut self, item: &Item) {
        self.items.retain(|i| i != item);
    }

    /// Selects `item` if it was not selected, deselects it otherwise (shift-click).
    pub fn toggle(&mut self, item: Item) {
        if self.contains(&item) {
            self.remove(&item);
        } else {
            self.items.push(item);
        }
    }

    /// Selects only `item` (click).
    pub fn select_only(&mut self, item: Item) {
        self.items.clear();
        self.items.push(item);
    }

    /// Deselects everything.
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// Selects every note, frame and link of the board, in board order (frames, notes, links).
    pub fn select_all(&mut self, board: &Board) {
        self.items = board
            .frames
            .iter()
            .map(|f| Item::Frame(f.id.clone()))
            .chain(board.notes.iter().map(|n| Item::Note(n.id.clone())))
            .chain(board.links.iter().map(|l| Item::Link(l.id.clone())))
            .collect();
    }

    /// The selected notes, in selection order.
    pub fn notes(&self) -> impl Iterator<Item = &NoteId> {
        self.items
            .iter()
            .filter_map(|i| if let Item::Note(n) = i { Some(n) } else { None })
    }

    /// The selected links, in selection order.
    pub fn links(&self) -> impl Iterator<Item = &LinkId> {
        self.items
            .iter()
            .filter_map(|i| if let Item::Link(l) = i { Some(l) } else { None })
    }

    /// The selected frames, in selection order.
    pub fn frames(&self) -> impl Iterator<Item = &FrameId> {
        self.items.iter().filter_map(|i| {
            if let Item::Frame(f) = i {
                Some(f)
            } else {
                None
            }
        })
    }

    /// Drops items that are no longer on the board (after undo, delete, replace).
    pub fn retain_existing(&mut self, board: &Board) {
        self.items.retain(|i| match i {
            Item::Note(id) => board.note(id).is_some(),
            Item::Link(id) => board.link(id).is_some(),
            Item::Frame(id) => board.frame(id).is_some(),
        });
    }

    /// The board bounds of the selected notes and frames, if any.
    pub fn bounds(&self, board: &Board) -> Option<Rect> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Item::Note(id) => board.note(id).map(|n| n.rect()),
                Item::Frame(id) => board.frame(id).map(|f| f.rect()),
                Item::Link(_) => None,
            })
            .reduce(|a, b| a.union(&b))
    }
}

/// The notes and frames a marquee over `area` selects, in board order (frames first).
///
/// Convention (Excalidraw's and Miro's default): an item is selected only when it lies
/// wholly inside the marquee; touching it is not enough. Links are not marquee-selected.
pub fn marquee_items(board: &Board, area: Rect) -> Vec<Item> {
    board
        .frames
        .iter()
        .filter(|f| area.contains_rect(&f.rect()))
        .map(|f| Item::Frame(f.id.clone()))
        .chain(
            board
                .notes
                .iter()
                .filter(|n| area.contains_rect(&n.rect()))
                .map(|n| Item::Note(n.id.clone())),
        )
        .collect()
}
