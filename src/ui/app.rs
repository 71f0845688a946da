//! The app shell: shared state, toolbar, palette, keyboard shortcuts and autosave.

use super::{
    board_view::BoardView,
    inspector::Inspector,
    panels::{Legend, ProblemsPanel},
    storage,
};
use crate::model::{
    format::{save, save_compact},
    load,
    sample::sample,
    Board, Document, Edit, FrameId, LinkId, Note, NoteId, NoteKind, Point,
};
use leptos::{ev, prelude::*};
use wasm_bindgen::JsCast;

/// What is selected on the board.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Selection {
    /// Nothing.
    #[default]
    None,
    /// One note.
    Note(NoteId),
    /// One link.
    Link(LinkId),
    /// One frame.
    Frame(FrameId),
}

/// The view's pan and zoom: screen = board × zoom + (x, y).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    /// Horizontal offset in screen pixels.
    pub x: f64,
    /// Vertical offset in screen pixels.
    pub y: f64,
    /// Scale factor.
    pub zoom: f64,
}

impl View {
    /// The board point under a screen point.
    pub fn to_board(&self, sx: f64, sy: f64) -> Point {
        Point::new((sx - self.x) / self.zoom, (sy - self.y) / self.zoom)
    }

    /// A view showing the whole board in a viewport of `w` × `h` pixels.
    pub fn fit(board: &Board, w: f64, h: f64) -> View {
        let Some(b) = board.bounds() else { return View { x: 40.0, y: 40.0, zoom: 1.0 } };
        let margin = 40.0;
        let zoom = ((w - 2.0 * margin) / b.w).min((h - 2.0 * margin) / b.h).clamp(0.1, 1.0);
        View { x: (w - b.w * zoom) / 2.0 - b.x * zoom, y: (h - b.h * zoom) / 2.0 - b.y * zoom, zoom }
    }
}

/// The problems of a file that could not be opened.
#[derive(Clone, Debug, PartialEq)]
pub struct ProblemReport {
    /// What was being opened.
    pub source: String,
    /// Each problem as (JSON path, reason).
    pub problems: Vec<(String, String)>,
}

/// State shared by every component.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The board and its history: changed only through `Document` edits.
    pub doc: RwSignal<Document>,
    /// The selection.
    pub selection: RwSignal<Selection>,
    /// Pan and zoom.
    pub view: RwSignal<View>,
    /// Problems of the last file that failed to open.
    pub problems: RwSignal<Option<ProblemReport>>,
    /// A short message for the status bar.
    pub status: RwSignal<String>,
}

impl Ctx {
    /// Applies an edit as one undoable step, reporting a refusal in the status bar.
    pub fn apply(&self, edit: Edit) -> bool {
        let mut result = Ok(());
        self.doc.update(|d| result = d.apply(edit));
        match result {
            Ok(()) => true,
            Err(e) => {
                self.status.set(e.to_string());
                false
            }
        }
    }

    /// Drops a selection that no longer exists on the board (after undo, delete, open).
    pub fn prune_selection(&self) {
        let keep = self.doc.with_untracked(|d| match self.selection.get_untracked() {
            Selection::None => true,
            Selection::Note(id) => d.board.note(&id).is_some(),
            Selection::Link(id) => d.board.link(&id).is_some(),
            Selection::Frame(id) => d.board.frame(&id).is_some(),
        });
        if !keep {
            self.selection.set(Selection::None);
        }
    }

    fn undo(&self) {
        let mut done = false;
        self.doc.update(|d| done = d.undo());
        self.status.set(if done { "Undone".into() } else { "Nothing to undo".into() });
        self.prune_selection();
    }

    fn redo(&self) {
        let mut done = false;
        self.doc.update(|d| done = d.redo());
        self.status.set(if done { "Redone".into() } else { "Nothing to redo".into() });
        self.prune_selection();
    }

    /// Replaces the board (open, new, sample) as one undoable step and shows all of it.
    pub fn replace_board(&self, board: Board, message: String) {
        let (w, h) = viewport_size();
        self.view.set(View::fit(&board, w, h));
        self.doc.update(|d| d.replace(board));
        self.selection.set(Selection::None);
        self.problems.set(None);
        self.status.set(message);
    }

    /// Adds a note of `kind` at the centre of the view, selected.
    pub fn add_note(&self, kind: NoteKind) {
        let (w, h) = viewport_size();
        let view = self.view.get_untracked();
        let centre = view.to_board(w / 2.0, h / 2.0);
        let (nw, nh) = kind.default_size();
        let id = self.doc.with_untracked(|d| d.board.fresh_id("n"));
        let mut note = Note::new(id.clone(), kind, "", (centre.x - nw / 2.0).round(), (centre.y - nh / 2.0).round());
        note.frame = self.doc.with_untracked(|d| {
            d.board.frames.iter().rev().find(|f| f.rect().contains(note.rect().center())).map(|f| f.id.clone())
        });
        if self.apply(Edit::AddNote { note, index: None }) {
            self.selection.set(Selection::Note(NoteId(id)));
            self.status.set(format!("Added a {}", kind.label().to_lowercase()));
        }
    }
}

/// The size of the board viewport in pixels.
pub fn viewport_size() -> (f64, f64) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[data-board-viewport]").ok().flatten());
    match element {
        Some(e) => (e.client_width().max(1) as f64, e.client_height().max(1) as f64),
        None => {
            let w = web_sys::window();
            let dim = |v: Option<wasm_bindgen::JsValue>| v.and_then(|v| v.as_f64()).unwrap_or(800.0);
            (
                dim(w.as_ref().and_then(|w| w.inner_width().ok())) - 600.0,
                dim(w.as_ref().and_then(|w| w.inner_height().ok())) - 60.0,
            )
        }
    }
}

/// Restores the autosaved board, or the sample; an unreadable autosave is kept aside and reported.
fn initial_board() -> (Board, Option<ProblemReport>) {
    match storage::read(storage::AUTOSAVE_KEY) {
        None => (sample(), None),
        Some(text) => match load(&text) {
            Ok(board) => (board, None),
            Err(e) => {
                storage::write(storage::BROKEN_KEY, &text);
                let report = ProblemReport {
                    source: format!(
                        "the autosaved board (kept in localStorage as \"{}\"); the sample board is shown instead",
                        storage::BROKEN_KEY
                    ),
                    problems: e.problems.iter().map(|p| (p.path.clone(), p.kind.to_string())).collect(),
                };
                (sample(), Some(report))
            }
        },
    }
}

fn in_text_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || e.has_attribute("contenteditable"))
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let (board, problems) = initial_board();
    let ctx = Ctx {
        doc: RwSignal::new(Document::new(board)),
        selection: RwSignal::new(Selection::None),
        view: RwSignal::new(View { x: 40.0, y: 40.0, zoom: 1.0 }),
        problems: RwSignal::new(problems),
        status: RwSignal::new(String::from("Ready")),
    };
    provide_context(ctx);

    // Autosave: every change of the board is written to the browser's storage.
    Effect::new(move |_| {
        let text = ctx.doc.with(|d| save_compact(&d.board));
        if !storage::write(storage::AUTOSAVE_KEY, &text) {
            ctx.status.set("The browser refused to autosave: save the board to a file".into());
        }
    });

    // Show the whole board once the viewport has its size.
    request_animation_frame(move || {
        let (w, h) = viewport_size();
        ctx.view.set(ctx.doc.with_untracked(|d| View::fit(&d.board, w, h)));
    });

    let keys = window_event_listener(ev::keydown, move |ev| {
        if in_text_field(&ev) {
            return;
        }
        let command = ev.ctrl_key() || ev.meta_key();
        let key = ev.key().to_lowercase();
        match (command, key.as_str()) {
            (true, "z") if ev.shift_key() => ctx.redo(),
            (true, "z") => ctx.undo(),
            (true, "y") => ctx.redo(),
            (true, "s") => save_file(ctx),
            (false, "delete" | "backspace") => delete_selection(ctx),
            (false, "escape") => ctx.selection.set(Selection::None),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || keys.remove());

    view! {
        <div class="app">
            <Toolbar />
            <div class="workspace">
                <Palette />
                <BoardView />
                <Inspector />
            </div>
            <footer class="statusbar" role="status" data-status>{move || ctx.status.get()}</footer>
            <Legend />
            <ProblemsPanel />
        </div>
    }
}

/// Deletes what is selected, as one undoable step.
pub fn delete_selection(ctx: Ctx) {
    let edit = match ctx.selection.get_untracked() {
        Selection::None => return,
        Selection::Note(id) => Edit::RemoveNote { id },
        Selection::Link(id) => Edit::RemoveLink { id },
        Selection::Frame(id) => Edit::RemoveFrame { id },
    };
    if ctx.apply(edit) {
        ctx.selection.set(Selection::None);
        ctx.status.set("Deleted".into());
    }
}

fn save_file(ctx: Ctx) {
    let (name, text) = ctx.doc.with_untracked(|d| (storage::file_name(d.board.name.as_deref()), save(&d.board)));
    match storage::download(&name, &text) {
        Ok(()) => ctx.status.set(format!("Saved {name}")),
        Err(e) => ctx.status.set(e),
    }
}

/// Reads the chosen file and opens it; a file that fails to load leaves the board as it was.
fn open_file(ctx: Ctx, input: web_sys::HtmlInputElement) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
    input.set_value("");
    let name = file.name();
    leptos::task::spawn_local(async move {
        let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
            Ok(value) => value.as_string().unwrap_or_default(),
            Err(_) => {
                ctx.status.set(format!("Could not read {name}"));
                return;
            }
        };
        match load(&text) {
            Ok(board) => {
                let n = board.notes.len();
                ctx.replace_board(board, format!("Opened {name}: {n} notes"));
            }
            Err(e) => {
                ctx.status.set(format!("{name} was not opened: {} problems", e.problems.len()));
                ctx.problems.set(Some(ProblemReport {
                    source: name,
                    problems: e.problems.iter().map(|p| (p.path.clone(), p.kind.to_string())).collect(),
                }));
            }
        }
    });
}

#[component]
fn Toolbar() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let can_undo = move || ctx.doc.with(|d| d.history.can_undo());
    let can_redo = move || ctx.doc.with(|d| d.history.can_redo());
    let title = move || ctx.doc.with(|d| d.board.name.clone().unwrap_or_else(|| "Untitled board".into()));
    view! {
        <header class="toolbar" role="toolbar" aria-label="Board">
            <span class="brand">"Flowstorm"</span>
            <span class="board-title" data-board-title>{title}</span>
            <div class="group">
                <button data-action="new" title="New empty board"
                    on:click=move |_| ctx.replace_board(Board { name: Some("Untitled board".into()), ..Board::default() }, "New board".into())>
                    "New"
                </button>
                <button data-action="open" title="Open a board file (.json)"
                    on:click=move |_| { if let Some(input) = file_input.get() { input.click(); } }>
                    "Open…"
                </button>
                <input type="file" accept=".json,application/json" class="hidden" data-action="open-file" node_ref=file_input
                    on:change=move |_| { if let Some(input) = file_input.get() { open_file(ctx, input); } } />
                <button data-action="save" title="Save the board as a file (Ctrl+S)" on:click=move |_| save_file(ctx)>"Save"</button>
                <button data-action="sample" title="Open the point-of-sale sample"
                    on:click=move |_| ctx.replace_board(sample(), "Opened the sample board".into())>
                    "Sample"
                </button>
            </div>
            <div class="group">
                <button data-action="undo" title="Undo (Ctrl+Z)" prop:disabled=move || !can_undo() on:click=move |_| ctx.undo()>"Undo"</button>
                <button data-action="redo" title="Redo (Ctrl+Shift+Z)" prop:disabled=move || !can_redo() on:click=move |_| ctx.redo()>"Redo"</button>
            </div>
            <div class="group">
                <button data-action="zoom-fit" title="Show the whole board"
                    on:click=move |_| { let (w, h) = viewport_size(); ctx.view.set(ctx.doc.with_untracked(|d| View::fit(&d.board, w, h))); }>
                    "Fit"
                </button>
                <span class="zoom" data-zoom>{move || format!("{:.0}%", ctx.view.get().zoom * 100.0)}</span>
            </div>
        </header>
    }
}

#[component]
fn Palette() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <nav class="palette" aria-label="Add a note">
            {NoteKind::ALL
                .into_iter()
                .map(|kind| {
                    view! {
                        <button class=format!("swatch kind-{}", kind.as_str()) data-action=format!("add-{}", kind.as_str())
                            title=format!("Add a {} ({})", kind.label().to_lowercase(), kind.shortcut())
                            on:click=move |_| ctx.add_note(kind)>
                            <span class="chip" style=format!("background:{}", kind.colour())></span>
                            <span>{kind.label()}</span>
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}
