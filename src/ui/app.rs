//! The app shell: shared state, toolbar, palette, keyboard, clipboard and autosave.

use super::{
    board_view::BoardView,
    hazards::HazardsPanel,
    inspector::Inspector,
    panels::{Legend, ProblemsPanel},
    storage,
};
use crate::{
    editor::{Editor, EditorEvent, Modifiers, ToolState},
    model::{
        format::{save, save_compact},
        generate::generate,
        load,
        sample::sample,
        Board, Edit, NoteKind,
    },
};
use leptos::{ev, prelude::*};
use wasm_bindgen::JsCast;

/// The problems of a file that could not be opened.
#[derive(Clone, Debug, PartialEq)]
pub struct ProblemReport {
    /// What was being opened.
    pub source: String,
    /// Each problem as (JSON path, reason).
    pub problems: Vec<(String, String)>,
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
}

impl Ctx {
    /// Reads the board, re-running the caller when the board changes (not when the camera does).
    pub fn board<T>(&self, f: impl FnOnce(&Board) -> T) -> T {
        self.rev.track();
        self.editor.with_untracked(|e| f(&e.doc.board))
    }

    /// Runs an editor action and reports what it did in the status bar.
    pub fn run(&self, f: impl FnOnce(&mut Editor) -> Option<EditorEvent>) -> Option<EditorEvent> {
        let mut out = None;
        self.editor.update(|e| out = f(e));
        if let Some(EditorEvent::Refused(why)) = &out {
            self.status.set(why.clone());
        }
        out
    }

    /// Applies an edit as one undoable step (inspector, hazards); a refusal goes to the status bar.
    pub fn apply(&self, edit: Edit) -> bool {
        let mut result = Ok(());
        self.editor.update(|e| {
            result = e.doc.apply(edit);
            e.selection.retain_existing(&e.doc.board);
        });
        match result {
            Ok(()) => true,
            Err(e) => {
                self.status.set(e.to_string());
                false
            }
        }
    }

    /// Replaces the board (open, new, sample) as one undoable step and shows all of it.
    pub fn open_board(&self, board: Board, message: String) {
        self.sync_viewport();
        self.editor.update(|e| e.open(board));
        self.problems.set(None);
        self.status.set(message);
    }

    /// Tells the editor the canvas size (it changes with the window).
    pub fn sync_viewport(&self) {
        let (w, h) = viewport_size();
        let same = self.editor.with_untracked(|e| e.viewport.w == w && e.viewport.h == h);
        if !same {
            self.editor.update(|e| e.set_viewport(w, h));
        }
    }

    /// Adds a note of `kind` in the middle of the view and starts editing its text.
    pub fn add_note_at_centre(&self, kind: NoteKind) {
        self.sync_viewport();
        let mut result = Ok(());
        self.editor.update(|e| {
            let centre = e.camera.to_board(e.viewport.center());
            let (w, h) = kind.default_size();
            let at = crate::model::Point::new(centre.x - w / 2.0, centre.y - h / 2.0);
            result = e.create_note(kind, at).map(|_| ());
        });
        match result {
            Ok(()) => self.status.set(format!("Added a {}: type its text", kind.label().to_lowercase())),
            Err(e) => self.status.set(e.to_string()),
        }
    }
}

/// The size of the board canvas in pixels.
pub fn viewport_size() -> (f64, f64) {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[data-board-viewport]").ok().flatten())
        .map(|e| (e.client_width().max(1) as f64, e.client_height().max(1) as f64))
        .unwrap_or((800.0, 600.0))
}

/// Modifier keys of a keyboard or pointer event.
pub fn modifiers(shift: bool, ctrl: bool, alt: bool, meta: bool) -> Modifiers {
    Modifiers { shift, ctrl, alt, meta }
}

/// The board to start with: `?generate=N` (benchmarks), the autosave, or the sample.
/// An unreadable autosave is kept aside and reported, never overwritten.
fn initial_board() -> (Board, Option<ProblemReport>) {
    let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&query).ok();
    if let Some(n) = params.as_ref().and_then(|p| p.get("generate")).and_then(|n| n.parse::<usize>().ok()) {
        let mut board = generate(n.min(50_000));
        // `&rate=R`: every actor issues R commands a second (load for the animation benchmark).
        if let Some(rate) = params.as_ref().and_then(|p| p.get("rate")).and_then(|r| r.parse::<f64>().ok()) {
            for note in board.notes.iter_mut().filter(|n| n.kind == NoteKind::Actor) {
                note.props.insert("rate".into(), serde_json::json!(rate.clamp(0.0, 10_000.0)));
            }
        }
        return (board, None);
    }
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

/// The clipboard data of a copy, cut or paste event.
fn clipboard_data(ev: &web_sys::Event) -> Option<web_sys::DataTransfer> {
    js_sys::Reflect::get(ev, &wasm_bindgen::JsValue::from_str("clipboardData")).ok()?.dyn_into().ok()
}

fn in_text_field(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || e.has_attribute("contenteditable"))
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let (board, problems) = initial_board();
    let dark = storage::read(storage::THEME_KEY).as_deref() == Some("dark");
    let editor = RwSignal::new(Editor::new(board));
    let ctx = Ctx {
        editor,
        problems: RwSignal::new(problems),
        status: RwSignal::new(String::from("Ready")),
        dark: RwSignal::new(dark),
        tab: RwSignal::new(Tab::Inspector),
        rev: Memo::new(move |_| editor.with(|e| e.doc.revision())),
        previewing: Memo::new(move |_| editor.with(|e| matches!(e.state, ToolState::Dragging { .. } | ToolState::Resizing { .. }))),
    };
    provide_context(ctx);
    let run = super::run::RunCtl::new(ctx);
    provide_context(run);
    provide_context(super::compare::CompareOpen(RwSignal::new(false)));
    provide_context(super::hazards::Hazards::new(ctx, run));

    // A run is compiled from the board: when the board changes, the run starts again.
    Effect::new(move |prev: Option<u64>| {
        let rev = ctx.rev.get();
        if prev.is_some_and(|p| p != rev) && run.active.get_untracked() {
            run.reset();
            ctx.status.set("The board changed: the run starts again from the beginning".into());
        }
        rev
    });

    // Autosave every change of the board, but not the previews of a drag in progress.
    Effect::new(move |_| {
        if ctx.previewing.get() {
            return;
        }
        let text = ctx.board(save_compact);
        if !storage::write(storage::AUTOSAVE_KEY, &text) {
            ctx.status.set("The browser refused to autosave: save the board to a file".into());
        }
    });
    Effect::new(move |_| {
        let dark = ctx.dark.get();
        storage::write(storage::THEME_KEY, if dark { "dark" } else { "light" });
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
        }
    });

    // Show the whole board once the canvas has its size, then note when it was first painted
    // (`window.flowstormFirstPaint`, ms since the page was opened; read by the benchmarks).
    request_animation_frame(move || {
        ctx.sync_viewport();
        ctx.editor.update(|e| e.fit_board());
        request_animation_frame(move || {
            let now = web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0);
            if let Some(w) = web_sys::window() {
                let _ = js_sys::Reflect::set(&w, &"flowstormFirstPaint".into(), &now.into());
            }
        });
    });
    let resize = window_event_listener(ev::resize, move |_| ctx.sync_viewport());

    let keys = window_event_listener(ev::keydown, move |ev| {
        if in_text_field(ev.target()) {
            return;
        }
        let mods = modifiers(ev.shift_key(), ev.ctrl_key(), ev.alt_key(), ev.meta_key());
        let key = ev.key();
        // Copy, cut and paste go through the browser's clipboard events below.
        if mods.command() && matches!(key.to_lowercase().as_str(), "c" | "x" | "v") {
            return;
        }
        if mods.command() && key.to_lowercase() == "s" {
            ev.prevent_default();
            save_file(ctx);
            return;
        }
        ctx.sync_viewport();
        if key == "Tab" && !mods.command() {
            // Tab walks the notes in board order (Shift+Tab backwards), showing each one.
            ev.prevent_default();
            select_next_note(ctx, !mods.shift);
            return;
        }
        if ctx.run(|e| e.key_down(&key, mods)).is_some() {
            ev.prevent_default();
        }
    });
    let keys_up = window_event_listener(ev::keyup, move |ev| {
        let mods = modifiers(ev.shift_key(), ev.ctrl_key(), ev.alt_key(), ev.meta_key());
        ctx.run(|e| e.key_up(&ev.key(), mods));
    });
    let copy = window_event_listener(ev::copy, move |ev| {
        if in_text_field(ev.target()) || ctx.editor.with_untracked(|e| e.selection.is_empty()) {
            return;
        }
        let text = ctx.editor.with_untracked(|e| e.copy());
        if let Some(data) = clipboard_data(&ev) {
            let _ = data.set_data("text/plain", &text);
            ev.prevent_default();
            ctx.status.set("Copied".into());
        }
    });
    let cut = window_event_listener(ev::cut, move |ev| {
        if in_text_field(ev.target()) || ctx.editor.with_untracked(|e| e.selection.is_empty()) {
            return;
        }
        let mut text = None;
        ctx.editor.update(|e| text = e.cut());
        if let (Some(text), Some(data)) = (text, clipboard_data(&ev)) {
            let _ = data.set_data("text/plain", &text);
            ev.prevent_default();
            ctx.status.set("Cut".into());
        }
    });
    let paste = window_event_listener(ev::paste, move |ev| {
        if in_text_field(ev.target()) {
            return;
        }
        let Some(text) = clipboard_data(&ev).and_then(|d| d.get_data("text/plain").ok()) else { return };
        ev.prevent_default();
        let mut result = Ok(());
        ctx.editor.update(|e| result = e.paste(&text));
        match result {
            Ok(()) => ctx.status.set("Pasted".into()),
            Err(e) => ctx.status.set(e.to_string()),
        }
    });
    on_cleanup(move || {
        resize.remove();
        keys.remove();
        keys_up.remove();
        copy.remove();
        cut.remove();
        paste.remove();
    });

    view! {
        <div class="app">
            <Toolbar />
            <div class="workspace">
                <Palette />
                <BoardView />
                <aside class="side" aria-label="Details">
                    <div class="tabs" role="tablist">
                        <button role="tab" data-action="tab-inspector" class:active=move || ctx.tab.get() == Tab::Inspector
                            on:click=move |_| ctx.tab.set(Tab::Inspector)>"Inspector"</button>
                        <button role="tab" data-action="tab-hazards" class:active=move || ctx.tab.get() == Tab::Hazards
                            on:click=move |_| ctx.tab.set(Tab::Hazards)>
                            "Hazards " <HazardCount />
                        </button>
                        <button role="tab" data-action="tab-run" class:active=move || ctx.tab.get() == Tab::Run
                            on:click=move |_| ctx.tab.set(Tab::Run)>"Run"</button>
                    </div>
                    {move || match ctx.tab.get() {
                        Tab::Inspector => view! { <Inspector /> }.into_any(),
                        Tab::Hazards => view! { <HazardsPanel /> }.into_any(),
                        Tab::Run => view! { <super::run::RunPanel /> }.into_any(),
                    }}
                </aside>
            </div>
            <footer class="statusbar" role="status" data-status>{move || ctx.status.get()}</footer>
            <Legend />
            <ProblemsPanel />
            <super::compare::CompareView />
        </div>
    }
}

/// The number of warnings and errors, on the hazards tab.
#[component]
fn HazardCount() -> impl IntoView {
    let findings = super::hazards::use_findings();
    move || {
        let n = findings.with(|f| f.iter().filter(|f| f.severity.fails_check()).count());
        (n > 0).then(|| view! { <span class="count" data-hazard-count>{n}</span> })
    }
}

/// Selects the note after (or before) the selected one, and brings it into view.
fn select_next_note(ctx: Ctx, forward: bool) {
    ctx.editor.update(|e| {
        let notes = &e.doc.board.notes;
        if notes.is_empty() {
            return;
        }
        let current = e.selection.notes().next().and_then(|id| notes.iter().position(|n| &n.id == id));
        let n = notes.len();
        let next = match (current, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        let (id, rect, label) = (notes[next].id.clone(), notes[next].rect(), format!("{}: {}", notes[next].kind.label(), notes[next].text));
        e.selection.select_only(crate::editor::Item::Note(id));
        if !e.camera.visible_rect(e.viewport).contains_rect(&rect) {
            let viewport = e.viewport;
            e.camera.center_on(rect.center(), viewport);
        }
        ctx.status.set(label);
    });
}

fn save_file(ctx: Ctx) {
    let (name, text) = ctx.editor.with_untracked(|e| (storage::file_name(e.doc.board.name.as_deref()), save(&e.doc.board)));
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
                ctx.open_board(board, format!("Opened {name}: {n} notes"));
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
    let can_undo = move || ctx.editor.with(|e| e.doc.history.can_undo());
    let can_redo = move || ctx.editor.with(|e| e.doc.history.can_redo());
    let title = move || ctx.board(|b| b.name.clone().unwrap_or_else(|| "Untitled board".into()));
    let zoom = Memo::new(move |_| ctx.editor.with(|e| e.camera.percent()));
    let compare_open = expect_context::<super::compare::CompareOpen>().0;
    view! {
        <header class="toolbar" role="toolbar" aria-label="Board">
            <span class="brand">"Flowstorm"</span>
            <span class="board-title" data-board-title>{title}</span>
            <div class="group">
                <button data-action="new" title="New empty board"
                    on:click=move |_| ctx.open_board(Board { name: Some("Untitled board".into()), ..Board::default() }, "New board".into())>
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
                    on:click=move |_| ctx.open_board(sample(), "Opened the sample board".into())>
                    "Sample"
                </button>
            </div>
            <div class="group">
                <button data-action="undo" title="Undo (Ctrl+Z)" prop:disabled=move || !can_undo() on:click=move |_| { ctx.run(|e| e.undo()); }>"Undo"</button>
                <button data-action="redo" title="Redo (Ctrl+Shift+Z)" prop:disabled=move || !can_redo() on:click=move |_| { ctx.run(|e| e.redo()); }>"Redo"</button>
                <button data-action="tidy" title="Lay the board out left to right in causal order" on:click=move |_| { ctx.run(|e| e.tidy()); }>"Tidy"</button>
            </div>
            <div class="group">
                <button data-action="zoom-out" title="Zoom out (−)" aria-label="Zoom out"
                    on:click=move |_| { ctx.sync_viewport(); ctx.run(|e| e.key_down("-", Modifiers::NONE)); }>"−"</button>
                <span class="zoom" data-zoom>{move || format!("{}%", zoom.get())}</span>
                <button data-action="zoom-in" title="Zoom in (+)" aria-label="Zoom in"
                    on:click=move |_| { ctx.sync_viewport(); ctx.run(|e| e.key_down("+", Modifiers::NONE)); }>"+"</button>
                <button data-action="zoom-fit" title="Show the whole board (Shift+1)"
                    on:click=move |_| { ctx.sync_viewport(); ctx.editor.update(|e| e.fit_board()); }>"Fit"</button>
            </div>
            <div class="group">
                <button data-action="compare" title="The same domain as a request chain and as events, under the same fault"
                    on:click=move |_| compare_open.set(true)>"Compare"</button>
            </div>
            <div class="group end">
                <button data-action="theme" title="Switch between light and dark" aria-pressed=move || ctx.dark.get().to_string()
                    on:click=move |_| ctx.dark.update(|d| *d = !*d)>
                    {move || if ctx.dark.get() { "Light" } else { "Dark" }}
                </button>
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
                            title=format!("Add a {} ({}); or drag it onto the board", kind.label().to_lowercase(), kind.shortcut())
                            draggable="true"
                            on:dragstart=move |ev: ev::DragEvent| {
                                if let Some(data) = ev.data_transfer() { let _ = data.set_data("application/x-flowstorm-kind", kind.as_str()); }
                            }
                            on:click=move |_| ctx.add_note_at_centre(kind)>
                            <span class="chip" style=format!("background:{}", kind.colour())></span>
                            <span>{kind.label()}</span>
                            <kbd>{kind.shortcut().to_string()}</kbd>
                        </button>
                    }
                })
                .collect_view()}
            <button class="swatch" data-action="add-frame" title="Add a bounded context (F)"
                on:click=move |_| {
                    ctx.sync_viewport();
                    let mut result = Ok(());
                    ctx.editor.update(|e| {
                        let centre = e.camera.to_board(e.viewport.center());
                        result = e.create_frame(crate::model::Point::new(centre.x - 320.0, centre.y - 200.0)).map(|_| ());
                    });
                    if let Err(e) = result { ctx.status.set(e.to_string()); }
                }>
                <span class="chip frame-chip"></span>
                <span>"Context"</span>
                <kbd>"F"</kbd>
            </button>
        </nav>
    }
}
