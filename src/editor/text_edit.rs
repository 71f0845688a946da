//! Editing a note's text and a frame's name in place: the board changes only on commit.

use super::{event_tense_hint, Editor, EditorEvent, Item, ToolState};
use crate::model::{Edit, FrameId, NoteId, NoteKind};

impl Editor {
    /// Starts editing a note's text.
    pub fn edit_text(&mut self, id: &NoteId) -> Option<EditorEvent> {
        let note = self.doc.board().note(id)?;
        self.state = ToolState::EditingText {
            id: id.clone(),
            draft: note.text.clone(),
        };
        self.selection.select_only(Item::Note(id.clone()));
        Some(EditorEvent::Handled)
    }

    /// Starts renaming a frame.
    pub fn rename(&mut self, id: &FrameId) -> Option<EditorEvent> {
        let frame = self.doc.board().frame(id)?;
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
                let note = self.doc.board().note(&id)?;
                (note.text != draft).then_some(Edit::SetText { id, text: draft })
            }
            ToolState::RenamingFrame { id, draft } => {
                let frame = self.doc.board().frame(&id)?;
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
        let note = self.doc.board().note(id)?;
        (note.kind == NoteKind::Event)
            .then(|| event_tense_hint(draft))
            .flatten()
    }
}
