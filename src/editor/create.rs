//! Creating notes and frames: from a shortcut, the palette, a drop, or the kind chooser.

use super::{camera::finite, hit, Editor, EditorEvent, Item, ToolState};
use crate::model::{Edit, EditError, Frame, FrameId, FrameKind, Note, NoteId, NoteKind, Point};

impl Editor {
    /// Creates a note of `kind` centred in the view (a click on the palette); see [`Editor::create_note`].
    pub fn add_note_in_view(&mut self, kind: NoteKind) -> Result<NoteId, EditError> {
        let centre = self.board_point(self.viewport.center());
        self.create_note(kind, centre)
    }

    /// Creates a frame centred in the view (a click on the palette); see [`Editor::create_frame`].
    pub fn add_frame_in_view(&mut self) -> Result<FrameId, EditError> {
        let centre = self.board_point(self.viewport.center());
        self.create_frame(centre)
    }

    /// Creates a note of `kind` centred under `screen` (pixels, relative to the canvas): a
    /// palette swatch dropped on the board.
    pub fn drop_note(&mut self, kind: NoteKind, screen: Point) -> Result<NoteId, EditError> {
        let at = self.board_point(screen);
        self.create_note(kind, at)
    }

    /// Creates a note of `kind` centred on `at` (board units) as one undo step, selects it and
    /// starts editing its text. Inside a frame, the note belongs to the frame.
    pub fn create_note(&mut self, kind: NoteKind, at: Point) -> Result<NoteId, EditError> {
        self.settle();
        let board = self.doc.board();
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
        let board = self.doc.board();
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
    pub(super) fn place(&self, at: Point, w: f64, h: f64) -> (f64, f64) {
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
    pub(super) fn pointer_board(&self) -> Point {
        match self.pointer {
            Some(p) => self.board_point(p),
            None => self.board_point(self.viewport.center()),
        }
    }
}
