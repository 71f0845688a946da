//! Commands on the board and the selection: the one write path for edits from outside the
//! editor, delete, clipboard, duplicate, tidy, undo and redo.

use super::{
    clear_area::clear_area, clipboard, tidy, Camera, Editor, EditorEvent, Item, PasteError,
    FIT_MARGIN, GRID, MAX_ZOOM,
};
use crate::model::{format::save_compact, load, Board, Edit, EditError, NoteId, Point, Rect};

/// Margin around the notes a finding names when zooming to them, screen pixels.
pub const FOCUS_MARGIN: f64 = 120.0;
/// The closest zoom when zooming to a finding's notes (a single note does not fill the view).
pub const FOCUS_MAX_ZOOM: f64 = 1.5;

impl Editor {
    /// Replaces the board (open a file, the sample, a new board) as one undo step and fits it.
    pub fn open(&mut self, board: Board) {
        self.cancel();
        self.doc.replace(board);
        self.selection.clear();
        self.fit_board();
    }

    /// Shows another board of the library: it has a history of its own (nothing to undo yet), and
    /// all of it is in view.
    pub fn switch_board(&mut self, board: Board) {
        self.cancel();
        self.doc.switch(board);
        self.selection.clear();
        self.fit_board();
    }

    /// Zooms and pans so the whole board is visible (100% on an empty board).
    pub fn fit_board(&mut self) {
        match self.doc.board().bounds() {
            Some(b) => self.show_part(b, FIT_MARGIN, MAX_ZOOM),
            None => self.camera = Camera::default(),
        }
    }

    /// Zooms (at most `max_zoom`) and pans so `part` (board units) is in view with `margin`
    /// pixels around it, clear of what covers the canvas (see [`clear_area`]).
    pub fn show_part(&mut self, part: Rect, margin: f64, max_zoom: f64) {
        let (area, zoom) = clear_area(part, self.viewport, &self.covers, margin);
        self.camera.zoom = zoom.min(max_zoom);
        let c = part.center();
        self.camera.x = area.x + area.w / 2.0 - c.x * self.camera.zoom;
        self.camera.y = area.y + area.h / 2.0 - c.y * self.camera.zoom;
    }

    /// Applies an edit made outside the canvas (inspector, hazard fixes) as one undo step, and
    /// drops from the selection what the edit removed.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        let result = self.doc.apply(edit);
        self.selection.retain_existing(self.doc.board());
        result
    }

    /// Selects the notes `ids` that exist and zooms to them (at most [`FOCUS_MAX_ZOOM`]), e.g.
    /// to show a finding. Returns `None` if none of them exists (the selection is then empty).
    pub fn focus_notes(&mut self, ids: &[NoteId]) -> Option<EditorEvent> {
        self.selection.clear();
        let mut bounds: Option<Rect> = None;
        for id in ids {
            if let Some(n) = self.doc.board().note(id) {
                let r = n.rect();
                self.selection.add(Item::Note(id.clone()));
                bounds = Some(bounds.map_or(r, |b| b.union(&r)));
            }
        }
        self.show_part(bounds?, FOCUS_MARGIN, FOCUS_MAX_ZOOM);
        Some(EditorEvent::Handled)
    }

    /// Selects the note after the selected one in board order (before it if `backwards`; the
    /// first or last if no note is selected), wrapping around, and pans to it if it is not
    /// wholly in view. Handled even on a board without notes (Tab stays on the board).
    pub fn select_next_note(&mut self, backwards: bool) -> Option<EditorEvent> {
        let notes = &self.doc.board().notes;
        if notes.is_empty() {
            return Some(EditorEvent::Handled);
        }
        let current = self
            .selection
            .notes()
            .next()
            .and_then(|id| notes.iter().position(|n| &n.id == id));
        let n = notes.len();
        let next = match (current, backwards) {
            (None, false) => 0,
            (None, true) => n - 1,
            (Some(i), false) => (i + 1) % n,
            (Some(i), true) => (i + n - 1) % n,
        };
        let (id, rect) = (notes[next].id.clone(), notes[next].rect());
        self.selection.select_only(Item::Note(id));
        if !self.camera.visible_rect(self.viewport).contains_rect(&rect) {
            self.camera.center_on(rect.center(), self.viewport);
        }
        Some(EditorEvent::Handled)
    }

    /// Deletes the selected links, notes (with their links) and frames (their notes stay) as one step.
    pub fn delete_selection(&mut self) -> Option<EditorEvent> {
        self.settle();
        self.selection.retain_existing(self.doc.board());
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
        save_compact(&clipboard::extract(self.doc.board(), &self.selection))
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
        let clip = clipboard::extract(self.doc.board(), &self.selection);
        if clip.notes.is_empty() && clip.frames.is_empty() {
            return None;
        }
        match self.insert(&clip, Point::new(2.0 * GRID, 2.0 * GRID)) {
            Ok(()) => Some(EditorEvent::Changed),
            Err(e) => self.refuse(e.to_string()),
        }
    }

    /// Inserts `clip` with fresh ids near `base` and selects what was inserted, as one step.
    fn insert(&mut self, clip: &Board, base: Point) -> Result<(), EditError> {
        let offset = clipboard::free_offset(self.doc.board(), clip, base, 2.0 * GRID);
        let (edit, items) = clipboard::insert(self.doc.board(), clip, offset);
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
        match tidy(self.doc.board()) {
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
        self.selection.retain_existing(self.doc.board());
        done.then_some(EditorEvent::Changed)
    }

    /// Redoes the last undone step.
    pub fn redo(&mut self) -> Option<EditorEvent> {
        self.cancel();
        let done = self.doc.redo();
        self.selection.retain_existing(self.doc.board());
        done.then_some(EditorEvent::Changed)
    }
}
