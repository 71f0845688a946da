//! What is drawn above the notes: handles, guides, the marquee, the link being drawn, and the
//! in-place text box of a note.

use crate::ui::watch::watch_with;
use crate::{
    editor::{
        hit::{connect_handle, handle_reach},
        Axis, Editor, Hit, Selection, ToolState,
    },
    model::{NoteId, NoteKind, Rect},
    ui::{
        dom::{escape_html, event_closest, key_modifiers, set_html, Written},
        state::Ctx,
    },
};
use leptos::{ev, html, prelude::*};
use std::fmt::Write;
use wasm_bindgen::JsCast;

/// The overlay: the arrowhead of the link being drawn (drawn links carry theirs in their path),
/// and the group its shapes are written into.
const OVERLAY_HTML: &str = "<svg class=\"overlay\"><defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">\
<path d=\"M 0 0 L 10 5 L 0 10 z\" class=\"arrowhead\"/></marker></defs><g></g></svg>";

/// Things drawn above the notes: handles, guides, the marquee, the link being drawn (written as
/// one piece of SVG when they change), and the text box.
#[component]
pub fn Overlays(
    selection: Memo<Selection>,
    hover: Memo<Hit>,
    state: Memo<ToolState>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let editor = ctx.editor;
    let zoom = Memo::new(move |_| ctx.view().0.zoom);
    let overlay = NodeRef::<html::Div>::new();
    watch_with(move |last: Option<Written>| {
        let zoom = zoom.get();
        let idle = state.with(|s| matches!(s, ToolState::Idle));
        let hovered = hover.with(|h| match h {
            Hit::Note(id) | Hit::ConnectHandle(id) | Hit::NoteResize(id) => Some(id.clone()),
            _ => None,
        });
        let html = selection.with(|sel| editor.with(|e| shapes_html(e, sel, hovered, idle, zoom)));
        let group = overlay
            .get()
            .and_then(|o| o.query_selector("g").ok().flatten());
        set_html(group, html, last.flatten())
    });
    let editing = Memo::new(move |_| match state.get() {
        ToolState::EditingText { id, .. } => {
            editor.with(|e| e.board().note(&id).map(|n| (id.clone(), n.rect(), n.kind)))
        }
        _ => None,
    });
    // The in-place text box of the note being edited, written when editing starts (focused, the
    // caret after its text); the tense hint under it follows the text typed.
    let slot = NodeRef::<html::Div>::new();
    watch_with(move |last: Option<Option<Edited>>| {
        let now = (editing.get(), editor.with(Editor::hint));
        let el = slot.get()?;
        let was = last.flatten();
        if was.as_ref().map(|w| &w.0) != Some(&now.0) {
            el.set_inner_html(&editor.with_untracked(|e| text_box_html(e, now.0.as_ref())));
            let field = el
                .query_selector("textarea")
                .ok()
                .flatten()
                .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
            if let Some(field) = field {
                let _ = field.focus();
                // The caret after the text, to type on.
                let end = field.value().encode_utf16().count() as u32;
                let _ = field.set_selection_range(end, end);
            }
        } else if was.as_ref().map(|w| &w.1) == Some(&now.1) {
            return Some(now);
        }
        if let Some(hint) = el.query_selector("[data-hint]").ok().flatten() {
            hint.remove();
        }
        if let (Some(h), Some(text_box)) = (&now.1, el.first_element_child()) {
            let mut html = String::from("<p class=\"tense-hint\" data-hint>");
            escape_html(&mut html, h);
            html.push_str("</p>");
            let _ = text_box.insert_adjacent_html("beforeend", &html);
        }
        Some(now)
    });
    // Enter commits, Shift+Enter is a new line, Escape cancels, leaving the box commits.
    let on_input = move |ev: ev::Event| {
        let v = event_target_value(&ev);
        editor.update(|e| e.set_draft(&v));
    };
    let on_key = move |ev: ev::KeyboardEvent| {
        let key = ev.key();
        let plain_enter = key == "Enter" && !ev.shift_key();
        if plain_enter || key == "Escape" {
            ev.prevent_default();
            let mods = key_modifiers(&ev);
            ctx.run(|e| e.key_down(&key, mods));
        }
        ev.stop_propagation();
    };
    let on_blur = move |ev: ev::FocusEvent| {
        let Some(field) = event_closest(&ev, "[data-editing]") else {
            return;
        };
        let id = field.get_attribute("data-editing").unwrap_or_default();
        let still_editing = editor.with_untracked(
            |e| matches!(e.state(), ToolState::EditingText { id: current, .. } if current.0 == id),
        );
        if still_editing {
            ctx.run(|e| e.commit_text());
        }
    };
    view! {
        <div node_ref=overlay inner_html=OVERLAY_HTML />
        <div data-text-box node_ref=slot on:input:capture=on_input on:keydown=on_key on:focusout=on_blur />
    }
}

/// What the text box was written for: the note edited (its id, place and kind) and the hint.
type Edited = (Option<(NoteId, Rect, NoteKind)>, Option<String>);

/// The text box of the note edited, if any, as HTML: over the note, in its colour, holding the
/// text being typed.
fn text_box_html(e: &Editor, edited: Option<&(NoteId, Rect, NoteKind)>) -> String {
    let Some((id, rect, kind)) = edited else {
        return String::new();
    };
    let mut out = format!(
        "<div class=\"text-editor\" style=\"left:{}px;top:{}px;width:{}px;min-height:{}px;background:{}\">\
         <textarea data-field=\"note-text\" aria-label=\"Text of the {}\" data-editing=\"",
        rect.x,
        rect.y,
        rect.w,
        rect.h,
        kind.colour(),
        kind.label().to_ascii_lowercase()
    );
    escape_html(&mut out, id.as_str());
    out.push_str("\">");
    if let ToolState::EditingText { draft, .. } = e.state() {
        escape_html(&mut out, draft);
    }
    out.push_str("</textarea></div>");
    out
}

/// The overlay's shapes as SVG: the selection's resize handles, the connect handle of the note
/// hovered (`hovered`, when `idle`), the snapping guides, the marquee and the link being drawn,
/// their lines as thick on screen whatever the `zoom`.
fn shapes_html(
    e: &Editor,
    selection: &Selection,
    hovered: Option<NoteId>,
    idle: bool,
    zoom: f64,
) -> String {
    let board = e.board();
    let px = |n: f64| n / zoom;
    let mut out = String::new();
    let rects = selection
        .notes()
        .filter_map(|id| board.note(id).map(|n| n.rect()))
        .chain(
            selection
                .frames()
                .filter_map(|id| board.frame(id).map(|f| f.rect())),
        );
    for r in rects {
        let s = 2.0 * handle_reach(r, 5.0, zoom);
        let _ = write!(
            out,
            "<rect class=\"resize-handle\" x=\"{}\" y=\"{}\" width=\"{s}\" height=\"{s}\"/>",
            r.right() - s / 2.0,
            r.bottom() - s / 2.0
        );
    }
    let connect = hovered
        .filter(|_| idle)
        .and_then(|id| board.note(&id).map(|n| n.rect()));
    if let Some(r) = connect {
        let c = connect_handle(r);
        let _ = write!(
            out,
            "<circle class=\"connect-handle\" data-connect-handle cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
            c.x,
            c.y,
            handle_reach(r, 7.0, zoom)
        );
    }
    for g in e.guides() {
        let (x1, y1, x2, y2) = match g.axis {
            Axis::Vertical => (g.pos, g.from, g.pos, g.to),
            Axis::Horizontal => (g.from, g.pos, g.to, g.pos),
        };
        let _ = write!(
            out,
            "<line class=\"guide\" x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke-width=\"{}\"/>",
            px(1.0)
        );
    }
    if let Some(r) = e.marquee_rect() {
        let _ = write!(
            out,
            "<rect class=\"marquee\" data-marquee x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" stroke-width=\"{}\"/>",
            r.x,
            r.y,
            r.w,
            r.h,
            px(1.0)
        );
    }
    if let Some((a, b, valid)) = e.connecting_line() {
        let _ = write!(
            out,
            "<line class=\"connecting{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke-width=\"{}\" marker-end=\"url(#arrow)\"/>",
            if valid { "" } else { " invalid" },
            a.x,
            a.y,
            b.x,
            b.y,
            px(2.0)
        );
    }
    out
}
