//! State shared by every component: the editor in a signal, the status bar, the theme and the
//! right-hand tab. Components change the board only through the editor's methods.

use super::dom::{board_covers, viewport_size};
use crate::{
    editor::{Action, Camera, Editor, EditorEvent, Viewport},
    library::Library,
    model::{Board, Edit, LoadError, NoteKind},
};
use leptos::prelude::*;

/// The problems of a file that could not be opened.
#[derive(Clone, Debug, PartialEq)]
pub struct ProblemReport {
    /// What was being opened.
    pub source: String,
    /// Each problem as (JSON path, reason).
    pub problems: Vec<(String, String)>,
}

impl ProblemReport {
    /// The problems `error` found in what was being opened, `source`.
    pub fn of(source: String, error: &LoadError) -> ProblemReport {
        ProblemReport {
            source,
            problems: error
                .problems
                .iter()
                .map(|p| (p.path.clone(), p.kind.to_string()))
                .collect(),
        }
    }
}

/// Which tab the right-hand panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// The selected element's text and props.
    Inspector,
    /// The hazards found on the board.
    Hazards,
    /// The run: faults, broker, lag, event log.
    Run,
    /// What the run's records carry and build: partition logs, rows, entities.
    Data,
    /// The storyline: the steps of the board's presentation.
    Story,
}

/// State shared by every component.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The editor: document (board + history), camera, selection and tool state.
    pub editor: RwSignal<Editor>,
    /// Problems of the last file that failed to open.
    pub problems: RwSignal<Option<ProblemReport>>,
    /// A short message for the status bar.
    pub status: RwSignal<String>,
    /// Dark theme on.
    pub dark: RwSignal<bool>,
    /// The right-hand panel's tab.
    pub tab: RwSignal<Tab>,
    /// The document's revision: board-derived views track this instead of every editor change
    /// (a pan changes the editor, not the board).
    pub rev: Memo<u64>,
    /// True while a drag or resize previews changes that are not committed yet.
    pub previewing: Memo<bool>,
    /// The camera and the canvas size. Views that follow the camera track this, not the
    /// editor: a pan changes only this, so it re-runs only what depends on where the board is
    /// seen from (a signal per editor change would walk every note's reactive graph each frame).
    pub view: RwSignal<(Camera, Viewport)>,
    /// True once the board has been painted for the first time: work that can wait a frame
    /// (checking the board, the first autosave) waits for it, and a big board shows sooner.
    pub painted: RwSignal<bool>,
    /// The boards kept in the browser, and which one is open.
    pub library: RwSignal<Library>,
}

impl Ctx {
    /// The camera and canvas size (tracked).
    pub fn view(&self) -> (Camera, Viewport) {
        self.view.get()
    }

    /// Copies the editor's camera and canvas size into [`Ctx::view`] when they changed.
    pub fn sync_view(&self) {
        let now = self.editor.with_untracked(|e| (e.camera(), e.viewport()));
        if self.view.get_untracked() != now {
            self.view.set(now);
        }
    }

    /// Runs an editor action that only moves the camera (wheel, pan gesture): the editor's
    /// other views are not told, only those following [`Ctx::view`].
    pub fn move_camera(&self, f: impl FnOnce(&mut Editor) -> Option<EditorEvent>) {
        self.editor.update_untracked(|e| {
            f(e);
        });
        self.sync_view();
    }

    /// Reads the board, re-running the caller when the board changes (not when the camera does).
    pub fn board<T>(&self, f: impl FnOnce(&Board) -> T) -> T {
        self.rev.track();
        self.editor.with_untracked(|e| f(e.board()))
    }

    /// Runs an editor action and reports what it did in the status bar.
    pub fn run(&self, f: impl FnOnce(&mut Editor) -> Option<EditorEvent>) -> Option<EditorEvent> {
        let mut out = None;
        self.editor.update(|e| out = f(e));
        self.sync_view();
        if let Some(EditorEvent::Refused(why)) = &out {
            self.status.set(why.clone());
        }
        out
    }

    /// Performs a named command (a toolbar button), with the canvas size up to date.
    pub fn perform(&self, action: Action) -> Option<EditorEvent> {
        self.sync_viewport();
        self.run(|e| e.perform(action))
    }

    /// Applies an edit as one undoable step (inspector, hazards); a refusal goes to the status bar.
    pub fn apply(&self, edit: Edit) -> bool {
        let mut result = Ok(());
        self.editor.update(|e| result = e.apply(edit));
        match result {
            Ok(()) => true,
            Err(e) => {
                self.status.set(e.to_string());
                false
            }
        }
    }

    /// Shows another board of the library, with a history of its own, all of it in view.
    pub fn switch_board(&self, board: Board, message: String) {
        self.sync_viewport();
        self.editor.update(|e| e.switch_board(board));
        self.sync_view();
        self.problems.set(None);
        self.status.set(message);
    }

    /// Tells the editor the canvas size (it changes with the window).
    pub fn sync_viewport(&self) {
        let (w, h) = viewport_size();
        let covers = board_covers();
        let same = self.editor.with_untracked(|e| {
            e.viewport().w == w && e.viewport().h == h && e.covers() == covers.as_slice()
        });
        if !same {
            self.editor.update(|e| {
                e.set_viewport(w, h);
                e.set_covers(covers);
            });
            self.sync_view();
        }
    }

    /// Adds a note of `kind` in the middle of the view and starts editing its text.
    pub fn add_note_in_view(&self, kind: NoteKind) {
        self.sync_viewport();
        let mut result = Ok(());
        self.editor
            .update(|e| result = e.add_note_in_view(kind).map(|_| ()));
        match result {
            Ok(()) => self.status.set(format!(
                "Added a {}: type its text",
                kind.label().to_ascii_lowercase()
            )),
            Err(e) => self.status.set(e.to_string()),
        }
    }

    /// Adds a bounded context in the middle of the view and starts renaming it.
    pub fn add_frame_in_view(&self) {
        self.sync_viewport();
        let mut result = Ok(());
        self.editor
            .update(|e| result = e.add_frame_in_view().map(|_| ()));
        if let Err(e) = result {
            self.status.set(e.to_string());
        }
    }

    /// Shows "kind: text" of the one selected note in the status bar (after Tab).
    pub fn announce_selected_note(&self) {
        let label = self.editor.with_untracked(|e| {
            let id = e.selection().notes().next()?;
            let note = e.board().note(id)?;
            Some(format!("{}: {}", note.kind.label(), note.text))
        });
        if let Some(label) = label {
            self.status.set(label);
        }
    }
}
