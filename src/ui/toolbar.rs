//! The toolbar (files, history, zoom, compare, theme) and the palette of notes to add.
//! Buttons run the same named [`Action`]s as their shortcuts.

use super::{
    compare::CompareOpen,
    dom::KIND_DRAG_TYPE,
    files::{open_file, open_sample, save_file},
    library::{open_new, BoardsDialog},
    run::RunCtl,
    stage::Stage,
    state::Ctx,
};
use crate::{
    editor::Action,
    model::{
        sample::sample,
        samples::{sample_by_id, SAMPLES},
        Board, NoteKind,
    },
};
use leptos::{ev, prelude::*};

/// The bar over the board.
#[component]
pub fn Toolbar() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let can_undo = move || ctx.editor.with(|e| e.doc().history().can_undo());
    let can_redo = move || ctx.editor.with(|e| e.doc().history().can_redo());
    let title = move || ctx.board(|b| b.name.clone().unwrap_or_else(|| "Untitled board".into()));
    let zoom = Memo::new(move |_| ctx.view().0.percent());
    let compare_open = expect_context::<CompareOpen>().0;
    let boards_open = RwSignal::new(false);
    let stage = expect_context::<Stage>();
    let run = expect_context::<RunCtl>();
    let perform = move |action: Action| {
        move |_| {
            ctx.perform(action);
        }
    };
    view! {
        <header class="toolbar" role="toolbar" aria-label="Board">
            <span class="brand">"Flowstorm"</span>
            <span class="board-title" data-board-title>{title}</span>
            <div class="group">
                <button data-action="boards" title="The boards kept in this browser" aria-haspopup="dialog"
                    on:click=move |_| boards_open.update(|o| *o = !*o)>"Boards"</button>
                <button data-action="new" title="New empty board (the board open stays in Boards)"
                    on:click=move |_| open_new(ctx, Board::default(), "New board".into())>
                    "New"
                </button>
                <button data-action="open" title="Open a board file (.json)"
                    on:click=move |_| { if let Some(input) = file_input.get() { input.click(); } }>
                    "Open…"
                </button>
                <input type="file" accept=".json,application/json" class="hidden" data-action="open-file" node_ref=file_input
                    on:change=move |_| { if let Some(input) = file_input.get() { open_file(ctx, input); } } />
                <button data-action="save" title="Save the board as a file (Ctrl+S)" on:click=move |_| save_file(ctx)>"Save"</button>
                <select data-action="samples" title="Open a copy of a sample board" aria-label="Samples"
                    on:change=move |ev| {
                        let picked = event_target_value(&ev);
                        if picked == "sample" {
                            open_new(ctx, sample(), "Opened the sample board".into());
                        } else if let Some(s) = sample_by_id(&picked) {
                            open_sample(ctx, *s);
                        }
                        // Back to the menu's title, ready for the next pick.
                        if let Some(select) = ev.target() {
                            wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlInputElement>(select).set_value("");
                        }
                    }>
                    <option value="" selected>"Samples…"</option>
                    <option value="sample">"Point of sale (the first board)"</option>
                    {SAMPLES.iter().map(|s| view! { <option value=s.id>{s.title}</option> }).collect_view()}
                </select>
            </div>
            <div class="group">
                <button data-action="undo" title="Undo (Ctrl+Z)" prop:disabled=move || !can_undo() on:click=perform(Action::Undo)>"Undo"</button>
                <button data-action="redo" title="Redo (Ctrl+Shift+Z)" prop:disabled=move || !can_redo() on:click=perform(Action::Redo)>"Redo"</button>
                <button data-action="tidy" title="Lay the board out left to right in causal order" on:click=perform(Action::Tidy)>"Tidy"</button>
            </div>
            <div class="group">
                <button data-action="zoom-out" title="Zoom out (−)" aria-label="Zoom out" on:click=perform(Action::ZoomOut)>"−"</button>
                <span class="zoom" data-zoom>{move || format!("{}%", zoom.get())}</span>
                <button data-action="zoom-in" title="Zoom in (+)" aria-label="Zoom in" on:click=perform(Action::ZoomIn)>"+"</button>
                <button data-action="zoom-fit" title="Show the whole board (Shift+1)" on:click=perform(Action::FitBoard)>"Fit"</button>
            </div>
            <div class="group">
                <button data-action="present" title="Present: full screen, the storyline step by step (F5; Esc leaves)"
                    on:click=move |_| stage.enter(ctx, run)>"Present"</button>
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
        {move || boards_open.get().then(|| view! { <BoardsDialog open=boards_open /> })}
    }
}

/// The kinds of note (and the bounded context) to click or drag onto the board.
#[component]
pub fn Palette() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <nav class="palette" aria-label="Add a note">
            {NoteKind::ALL
                .into_iter()
                .map(|kind| {
                    view! {
                        <button class=format!("swatch kind-{}", kind.as_str()) data-action=format!("add-{}", kind.as_str())
                            title=format!("Add a {} ({}); or drag it onto the board", kind.label().to_ascii_lowercase(), kind.shortcut())
                            draggable="true"
                            on:dragstart=move |ev: ev::DragEvent| {
                                if let Some(data) = ev.data_transfer() { let _ = data.set_data(KIND_DRAG_TYPE, kind.as_str()); }
                            }
                            on:click=move |_| ctx.add_note_in_view(kind)>
                            <span class="chip" style=format!("background:{}", kind.colour())></span>
                            <span>{kind.label()}</span>
                            <kbd>{kind.shortcut().to_string()}</kbd>
                        </button>
                    }
                })
                .collect_view()}
            <button class="swatch" data-action="add-frame" title="Add a bounded context (F)" on:click=move |_| ctx.add_frame_in_view()>
                <span class="chip frame-chip"></span>
                <span>"Context"</span>
                <kbd>"F"</kbd>
            </button>
        </nav>
    }
}
