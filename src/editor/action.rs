//! Named commands: a toolbar button and its keyboard shortcut perform the same [`Action`].

use super::{Editor, EditorEvent, ToolState, GRID, ZOOM_STEP};
use crate::model::NoteKind;

/// How many grid steps a far nudge (shift+arrow) moves.
pub const FAR_NUDGE_STEPS: f64 = 10.0;

/// A direction of the arrow keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Towards smaller x.
    Left,
    /// Towards larger x.
    Right,
    /// Towards smaller y.
    Up,
    /// Towards larger y.
    Down,
}

impl Direction {
    /// The unit step (dx, dy) of this direction.
    fn unit(self) -> (f64, f64) {
        match self {
            Direction::Left => (-1.0, 0.0),
            Direction::Right => (1.0, 0.0),
            Direction::Up => (0.0, -1.0),
            Direction::Down => (0.0, 1.0),
        }
    }
}

/// A command the keymap and the toolbar share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Zoom in one step around the middle of the view (+).
    ZoomIn,
    /// Zoom out one step around the middle of the view (−).
    ZoomOut,
    /// Back to 100% around the middle of the view (0).
    ZoomReset,
    /// Show the whole board (shift+1).
    FitBoard,
    /// Undo the last step (command+Z).
    Undo,
    /// Redo the last undone step (command+shift+Z, command+Y).
    Redo,
    /// Delete the selection (Delete, Backspace).
    Delete,
    /// Duplicate the selection (command+D).
    Duplicate,
    /// Lay the board out in causal order.
    Tidy,
    /// Turn snapping to the grid on or off (G).
    ToggleGrid,
    /// Select everything (command+A).
    SelectAll,
    /// Cancel the gesture in progress, or else deselect (Escape).
    Cancel,
    /// Edit the text of the one selected note (Enter, F2).
    EditSelected,
    /// Select the next note in board order and bring it into view (Tab).
    SelectNextNote,
    /// Select the previous note in board order and bring it into view (shift+Tab).
    SelectPreviousNote,
    /// Move the selection one grid step (an arrow key).
    Nudge(Direction),
    /// Move the selection [`FAR_NUDGE_STEPS`] grid steps (shift+arrow).
    NudgeFar(Direction),
    /// Add a note of this kind under the pointer (or in the middle of the view) (its letter).
    AddNote(NoteKind),
    /// Add a bounded context under the pointer (or in the middle of the view) (F).
    AddFrame,
}

impl Editor {
    /// Performs a named command. `None` means it did not apply (nothing to undo, nothing
    /// selected, a gesture in progress for a move).
    pub fn perform(&mut self, action: Action) -> Option<EditorEvent> {
        self.message = None;
        let centre = self.viewport.center();
        match action {
            Action::ZoomIn => self.camera.zoom_at(centre, ZOOM_STEP),
            Action::ZoomOut => self.camera.zoom_at(centre, 1.0 / ZOOM_STEP),
            Action::ZoomReset => self.camera.set_zoom_at(centre, 1.0),
            Action::FitBoard => self.fit_board(),
            Action::Undo => return self.undo(),
            Action::Redo => return self.redo(),
            Action::Delete => return self.delete_selection(),
            Action::Duplicate => return self.duplicate(),
            Action::Tidy => return self.tidy(),
            Action::ToggleGrid => self.grid_snap = !self.grid_snap,
            Action::SelectAll => {
                self.cancel();
                self.selection.select_all(self.doc.board());
            }
            Action::Cancel => {
                if !self.cancel() {
                    self.selection.clear();
                }
            }
            Action::EditSelected => {
                let id = self.selection.notes().next().cloned();
                return match (self.selection.len(), id) {
                    (1, Some(id)) => self.edit_text(&id),
                    _ => None,
                };
            }
            Action::SelectNextNote => return self.select_next_note(false),
            Action::SelectPreviousNote => return self.select_next_note(true),
            Action::Nudge(d) | Action::NudgeFar(d) => {
                if !matches!(self.state, ToolState::Idle) {
                    return None;
                }
                let steps = if matches!(action, Action::NudgeFar(_)) {
                    FAR_NUDGE_STEPS
                } else {
                    1.0
                };
                let (dx, dy) = d.unit();
                return self.move_selection(dx * steps * GRID, dy * steps * GRID);
            }
            Action::AddNote(kind) => {
                let at = self.pointer_board();
                return match self.create_note(kind, at) {
                    Ok(_) => Some(EditorEvent::Changed),
                    Err(e) => self.refuse(e.to_string()),
                };
            }
            Action::AddFrame => {
                let at = self.pointer_board();
                return match self.create_frame(at) {
                    Ok(_) => Some(EditorEvent::Changed),
                    Err(e) => self.refuse(e.to_string()),
                };
            }
        }
        Some(EditorEvent::Handled)
    }
}
