//! The keymap: keys to [`Action`]s, and the keys that are not commands (space, text editing,
//! the kind chooser).

use super::{single_char, Action, Direction, Editor, EditorEvent, Modifiers, ToolState};
use crate::model::NoteKind;

/// The action a key performs on an idle board, if any. Copy, cut and paste (command+C/X/V)
/// are left to the browser, whose clipboard events the UI turns into [`Editor::copy`],
/// [`Editor::cut`] and [`Editor::paste`].
pub fn action_for(key: &str, mods: Modifiers) -> Option<Action> {
    let lower = key.to_ascii_lowercase();
    if mods.command() {
        return match lower.as_str() {
            "z" if mods.shift => Some(Action::Redo),
            "z" => Some(Action::Undo),
            "y" => Some(Action::Redo),
            "a" => Some(Action::SelectAll),
            "d" => Some(Action::Duplicate),
            _ => None,
        };
    }
    let nudge = |d: Direction| {
        Some(if mods.shift {
            Action::NudgeFar(d)
        } else {
            Action::Nudge(d)
        })
    };
    match key {
        "Escape" => Some(Action::Cancel),
        "Delete" | "Backspace" => Some(Action::Delete),
        "ArrowLeft" => nudge(Direction::Left),
        "ArrowRight" => nudge(Direction::Right),
        "ArrowUp" => nudge(Direction::Up),
        "ArrowDown" => nudge(Direction::Down),
        "Enter" | "F2" => Some(Action::EditSelected),
        "Tab" if mods.shift => Some(Action::SelectPreviousNote),
        "Tab" => Some(Action::SelectNextNote),
        "+" | "=" => Some(Action::ZoomIn),
        "-" | "_" => Some(Action::ZoomOut),
        "0" => Some(Action::ZoomReset),
        "!" => Some(Action::FitBoard),
        "1" if mods.shift => Some(Action::FitBoard),
        _ if mods.alt => None,
        _ => match lower.as_str() {
            "f" => Some(Action::AddFrame),
            "g" => Some(Action::ToggleGrid),
            _ => kind_for(key).map(Action::AddNote),
        },
    }
}

/// The kind whose shortcut is `key`, if any.
fn kind_for(key: &str) -> Option<NoteKind> {
    single_char(key).and_then(|c| NoteKind::ALL.into_iter().find(|k| k.shortcut() == c))
}

impl Editor {
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
            return kind_for(key).and_then(|k| self.choose(k));
        }
        if key == " " && !mods.command() {
            self.space_held = true;
            return Some(EditorEvent::Handled);
        }
        self.perform(action_for(key, mods)?)
    }

    /// A key was released (only the space bar matters: it ends space-panning).
    pub fn key_up(&mut self, key: &str, _mods: Modifiers) -> Option<EditorEvent> {
        (key == " ").then(|| {
            self.space_held = false;
            EditorEvent::Handled
        })
    }
}
