//! The toolbar (files and exports, history, zoom, compare, theme) and the palette of notes to add.
//! Buttons run the same named [`Action`]s as their shortcuts.
//!
//! Both are written once as HTML and answered by one listener per kind of event, by their
//! controls' `data-action`; what the toolbar shows that changes (the board's name, undo and
//! redo, the zoom, the theme) is set on its elements when it changes.

use super::{
    dom::{escape_html, event_action, find, set_text, KIND_DRAG_TYPE},
    export::{export, is_export},
    files::{open_file, open_sample, save_file},
    library::{open_new, BoardsDialog},
    run::RunCtl,
    share::share,
    stage::Stage,
    state::Ctx,
};
use crate::ui::watch::watch_with;
use crate::{
    editor::Action,
    model::{
        kind::indefinite_article,
        sample::sample,
        samples::{sample_by_id, SAMPLES},
        Board, NoteKind,
    },
};
use leptos::{ev, prelude::*};
use std::fmt::Write;
use wasm_bindgen::JsCast;

/// The toolbar's controls; the board's name and the zoom are filled in by [`Toolbar`].
const TOOLBAR_HTML: &str = "<span class=\"brand\">Flowstorm</span><span class=\"board-title\" data-board-title></span>\
<div class=\"group\">\
<button data-action=\"boards\" title=\"The boards kept in this browser\" aria-haspopup=\"dialog\">Boards</button>\
<button data-action=\"new\" title=\"New empty board (the board open stays in Boards)\">New</button>\
<button data-action=\"open\" title=\"Open a board file (.json)\">Open…</button>\
<input type=\"file\" accept=\".json,application/json\" class=\"hidden\" data-action=\"open-file\">\
<button data-action=\"save\" title=\"Save the board as a file (Ctrl+S)\">Save</button>\
<button data-action=\"share\" title=\"Copy a link that opens a copy of this board in anyone's browser\">Share</button>\
<button data-action=\"export\" popovertarget=\"export-menu\" title=\"Download the board as a picture, a diagram, an AsyncAPI document…\">Export</button>\
<div id=\"export-menu\" class=\"menu\" popover>\
<label class=\"menu-option\">Picture of <select data-export-scope><option value=\"board\">the whole board</option><option value=\"selection\">the selection</option></select></label>\
<div class=\"menu-option\"><label>at <select data-export-scale><option value=\"1\">1×</option><option value=\"2\" selected>2×</option><option value=\"4\">4×</option></select></label>\
<label>hazard badges <input type=\"checkbox\" data-export-badges></label></div>\
<button data-action=\"export-svg\">Picture (SVG)</button>\
<button data-action=\"export-png\">Picture (PNG)</button>\
<button data-action=\"export-mermaid\">Mermaid diagram</button>\
<button data-action=\"copy-mermaid\">Copy Mermaid</button>\
<button data-action=\"export-asyncapi-json\">AsyncAPI (JSON)</button>\
<button data-action=\"export-markdown\">Hazard report (Markdown)</button>\
<button data-action=\"export-html\">Hazard report (HTML)</button>\
<button data-action=\"export-kafka-sh\">Topic plan (kafka-topics.sh)</button>\
<button data-action=\"export-strimzi\">Topic plan (Strimzi)</button></div>\
<select data-action=\"samples\" title=\"Open a copy of a sample board\" aria-label=\"Samples\">\
<option value=\"\" selected>Samples…</option><option value=\"sample\">Point of sale (the first board)</option>\
<!--gallery--></select></div>\
<div class=\"group\">\
<button data-action=\"undo\" title=\"Undo (Ctrl+Z)\" disabled>Undo</button>\
<button data-action=\"redo\" title=\"Redo (Ctrl+Shift+Z)\" disabled>Redo</button>\
<button data-action=\"tidy\" title=\"Lay the board out left to right in causal order\">Tidy</button></div>\
<div class=\"group\">\
<button data-action=\"zoom-out\" title=\"Zoom out (−)\" aria-label=\"Zoom out\">−</button>\
<span class=\"zoom\" data-zoom></span>\
<button data-action=\"zoom-in\" title=\"Zoom in (+)\" aria-label=\"Zoom in\">+</button>\
<button data-action=\"zoom-fit\" title=\"Show the whole board (Shift+1)\">Fit</button></div>\
<div class=\"group\">\
<button data-action=\"present\" title=\"Present: full screen, the storyline step by step (F5; Esc leaves)\">Present</button>\
<button data-action=\"compare\" title=\"The same domain as a request chain and as events, under the same fault\">Compare</button></div>\
<div class=\"group end\">\
<button data-action=\"theme\" title=\"Switch between light and dark\" aria-pressed=\"false\">Dark</button></div>";

/// The toolbar's controls with the gallery in the Samples menu.
fn toolbar_html() -> String {
    let mut gallery = String::new();
    for s in SAMPLES {
        let _ = write!(gallery, "<option value=\"{}\">", s.id);
        escape_html(&mut gallery, s.title);
        gallery.push_str("</option>");
    }
    TOOLBAR_HTML.replace("<!--gallery-->", &gallery)
}

/// What the toolbar shows that changes: the board's name, whether there is something to undo
/// and to redo, the zoom (%) and whether the theme is dark.
type Shown = (String, bool, bool, u32, bool);

/// The bar over the board.
#[component]
pub fn Toolbar(
    /// Whether the comparison is open.
    compare_open: RwSignal<bool>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let boards_open = RwSignal::new(false);
    let stage = expect_context::<Stage>();
    let run = expect_context::<RunCtl>();
    let bar = NodeRef::<leptos::html::Header>::new();
    // Only what changed is set: a drag changes the editor on every step, the zoom on a wheel.
    watch_with(move |last: Option<Option<Shown>>| {
        let now: Shown = (
            ctx.board(|b| b.name.clone().unwrap_or_else(|| "Untitled board".into())),
            ctx.editor.with(|e| e.doc().history().can_undo()),
            ctx.editor.with(|e| e.doc().history().can_redo()),
            ctx.view.with(|(camera, _)| camera.percent()),
            ctx.dark.get(),
        );
        let el = bar.get()?;
        let was = last.flatten();
        let was = was.as_ref();
        if was.map(|w| &w.0) != Some(&now.0) {
            set_text(&el, "[data-board-title]", &now.0);
        }
        for (action, can, before) in [
            ("undo", now.1, was.map(|w| w.1)),
            ("redo", now.2, was.map(|w| w.2)),
        ] {
            if before != Some(can) {
                if let Some(button) = find(&el, &format!("[data-action='{action}']")) {
                    let _ = button.toggle_attribute_with_force("disabled", !can);
                }
            }
        }
        if was.map(|w| w.3) != Some(now.3) {
            set_text(&el, "[data-zoom]", &format!("{}%", now.3));
        }
        if was.map(|w| w.4) != Some(now.4) {
            if let Some(theme) = find(&el, "[data-action='theme']") {
                theme.set_text_content(Some(if now.4 { "Light" } else { "Dark" }));
                let _ = theme.set_attribute("aria-pressed", if now.4 { "true" } else { "false" });
            }
        }
        Some(now)
    });
    let on_click = move |ev: ev::MouseEvent| {
        let action = match event_action(&ev).as_deref() {
            Some("boards") => return boards_open.update(|o| *o = !*o),
            Some("new") => return open_new(ctx, Board::default(), "New board".into()),
            Some("open") => {
                let input = bar
                    .get_untracked()
                    .and_then(|b| find(&b, "[data-action='open-file']"))
                    .and_then(|i| i.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(input) = input {
                    input.click();
                }
                return;
            }
            Some("save") => return save_file(ctx),
            Some(a) if is_export(a) => return export(ctx, &ev),
            Some("share") => {
                if let Some(button) = bar
                    .get_untracked()
                    .and_then(|b| find(&b, "[data-action='share']"))
                {
                    share(ctx, button);
                }
                return;
            }
            Some("present") => return stage.enter(ctx, run),
            Some("compare") => return compare_open.set(true),
            Some("theme") => return ctx.dark.update(|d| *d = !*d),
            Some("undo") => Action::Undo,
            Some("redo") => Action::Redo,
            Some("tidy") => Action::Tidy,
            Some("zoom-out") => Action::ZoomOut,
            Some("zoom-in") => Action::ZoomIn,
            Some("zoom-fit") => Action::FitBoard,
            _ => return,
        };
        ctx.perform(action);
    };
    // The fields: the hidden file input of Open… and the Samples menu.
    let on_change = move |ev: ev::Event| {
        let Some(input) = ev
            .target()
            .map(|t| t.unchecked_into::<web_sys::HtmlInputElement>())
        else {
            return;
        };
        match event_action(&ev).as_deref() {
            Some("open-file") => return open_file(ctx, input),
            Some("samples") => {}
            // The Export menu's options are read when an export is asked for.
            _ => return,
        }
        let picked = input.value();
        // Back to the menu's title, ready for the next pick.
        input.set_value("");
        if picked == "sample" {
            open_new(ctx, sample(), "Opened the sample board".into());
        } else if let Some(s) = sample_by_id(&picked) {
            open_sample(ctx, *s);
        }
    };
    view! {
        <header class="toolbar" role="toolbar" aria-label="Board" node_ref=bar inner_html=toolbar_html()
            on:click=on_click on:change:capture=on_change />
        {move || boards_open.get().then(|| view! { <BoardsDialog open=boards_open /> })}
    }
}

/// The kind a palette control adds, from its `data-action` (`add-event`…; not the frame's).
fn palette_kind(ev: &ev::Event) -> Option<NoteKind> {
    NoteKind::parse(event_action(ev)?.strip_prefix("add-")?)
}

/// The kinds of note (and the bounded context) to click or drag onto the board.
#[component]
pub fn Palette() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let mut html = String::new();
    for kind in NoteKind::ALL {
        let _ = write!(
            html,
            "<button class=\"swatch kind-{k}\" data-action=\"add-{k}\" title=\"Add {} {} ({s}); or drag it onto the board\" draggable=\"true\">\
             <span class=\"chip\" style=\"background:{}\"></span><span>{}</span><kbd>{s}</kbd></button>",
            indefinite_article(kind.label()),
            kind.label().to_ascii_lowercase(),
            kind.colour(),
            kind.label(),
            k = kind.as_str(),
            s = kind.shortcut(),
        );
    }
    html.push_str(
        "<button class=\"swatch\" data-action=\"add-frame\" title=\"Add a bounded context (F)\">\
         <span class=\"chip frame-chip\"></span><span>Context</span><kbd>F</kbd></button>",
    );
    let on_click = move |ev: ev::MouseEvent| {
        if let Some(kind) = palette_kind(&ev) {
            ctx.add_note_in_view(kind);
        } else if event_action(&ev).as_deref() == Some("add-frame") {
            ctx.add_frame_in_view();
        }
    };
    let on_drag = move |ev: ev::DragEvent| {
        if let (Some(kind), Some(data)) = (palette_kind(&ev), ev.data_transfer()) {
            let _ = data.set_data(KIND_DRAG_TYPE, kind.as_str());
        }
    };
    view! {
        <nav class="palette" aria-label="Add a note" inner_html=html on:click=on_click on:dragstart=on_drag />
    }
}
