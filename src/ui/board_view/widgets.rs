//! Widgets over the canvas: the kind chooser of a double-click and the minimap.

use crate::ui::watch::{watch, watch_with};
use crate::{
    editor::{Camera, ToolState, Viewport},
    model::{FrameId, NoteId, NoteKind, Point, Rect},
    ui::{
        dom::{event_action, prepare_canvas, set_html, Written},
        state::Ctx,
    },
};
use leptos::{ev, prelude::*};
use std::fmt::Write;
use wasm_bindgen::JsCast;

/// The minimap's size, pixels.
const MINIMAP: Viewport = Viewport { w: 200.0, h: 130.0 };
/// The frames' colour when the stylesheet's is not known.
/// The frames' colour in the minimap: the stylesheet's `--muted` of the light theme…
const MUTED_LIGHT: &str = "#6a717b";
/// …and of the dark one (named here: reading the page's style would have it work out the style
/// of every note it just added).
const MUTED_DARK: &str = "#9aa3ad";

/// The kind chooser a double-click on empty board opens: its buttons written as HTML, answered
/// by one listener (`data-action` `choose-…`).
#[component]
pub fn Chooser(state: Memo<ToolState>, camera: Memo<Camera>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let mut html = String::new();
    for kind in NoteKind::ALL {
        let _ = write!(
            html,
            "<button role=\"menuitem\" data-action=\"choose-{}\"><span class=\"chip\" style=\"background:{}\"></span>{}</button>",
            kind.as_str(),
            kind.colour(),
            kind.label()
        );
    }
    let on_click = move |ev: ev::MouseEvent| {
        let kind = event_action(&ev).and_then(|a| NoteKind::parse(a.strip_prefix("choose-")?));
        if let Some(kind) = kind {
            ctx.run(|e| e.choose(kind));
        }
    };
    let slot = NodeRef::<leptos::html::Div>::new();
    watch_with(move |last: Option<Written>| {
        let chooser = match state.get() {
            ToolState::Choosing { at } => {
                let p = camera.get().to_screen(at);
                format!(
                    "<div class=\"chooser\" role=\"menu\" aria-label=\"Add a note here\" data-chooser style=\"left:{}px;top:{}px\">{html}</div>",
                    p.x, p.y
                )
            }
            _ => String::new(),
        };
        set_html(slot.get().map(Into::into), chooser, last.flatten())
    });
    view! {
        <div data-chooser-slot node_ref=slot on:click=on_click
            on:pointerdown=|ev: ev::PointerEvent| ev.stop_propagation() />
    }
}

/// An overview of the whole board with the visible part outlined; click to go there.
#[component]
pub fn Minimap() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let editor = ctx.editor;
    // Every pan moves the viewport frame; the notes are placed again only when the minimap's
    // area changes (it snaps to a coarse grid) or the board does.
    let frame = Memo::new(move |_| {
        ctx.view.track();
        ctx.board(|_| ());
        editor.with_untracked(|e| e.minimap_frame(MINIMAP))
    });
    let placing = Memo::new(move |_| frame.with(|m| (m.scale, m.world, m.offset)));
    // While a drag previews, the minimap keeps its shapes and catches up on the drop:
    // placing 2,000 rectangles again on every step of a drag would cost more than the drag.
    let shapes = Memo::new_owning(move |before: Option<(Vec<_>, Vec<_>)>| {
        // Read, not only tracked: a memo never read is never computed, and never changes.
        let _placing = placing.get();
        ctx.board(|board| match before {
            Some(before) if ctx.previewing.get() => (before, false),
            before => {
                let m = frame.get_untracked().with_shapes(board);
                let now = (m.frames, m.notes);
                let changed = before.as_ref() != Some(&now);
                (now, changed)
            }
        })
    });
    let seen = Memo::new(move |_| frame.with(|m| m.viewport));
    // The shapes are drawn on a canvas: thousands of rectangles as elements cost the page a
    // tenth of a second to build and lay out when a big board opens.
    let mini = NodeRef::<leptos::html::Div>::new();
    watch(move || {
        let muted = if ctx.dark.get() {
            MUTED_DARK
        } else {
            MUTED_LIGHT
        };
        let canvas = mini
            .get()
            .and_then(|m| m.first_element_child())
            .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok());
        if let Some(el) = canvas {
            shapes.with(|(frames, notes)| draw_shapes(&el, muted, frames, notes));
        }
    });
    // The viewport frame is moved by a transform alone, so that a pan repaints nothing; its size
    // is set only when it changes.
    watch_with(move |last: Option<Option<(web_sys::HtmlElement, Rect)>>| {
        let v = seen.get();
        let view = mini.get().and_then(|m| m.last_element_child());
        let view = view.and_then(|v| v.dyn_into::<web_sys::HtmlElement>().ok())?;
        let last = last.flatten().filter(|(el, _)| *el == view).map(|(_, r)| r);
        let style = view.style();
        if last.is_none_or(|l| (l.w, l.h) != (v.w, v.h)) {
            let _ = style.set_property("width", &format!("{}px", v.w));
            let _ = style.set_property("height", &format!("{}px", v.h));
        }
        if last.is_none_or(|l| (l.x, l.y) != (v.x, v.y)) {
            let _ = style.set_property("transform", &format!("translate({}px,{}px)", v.x, v.y));
        }
        Some((view, v))
    });
    let big_enough = Memo::new(move |_| ctx.board(|b| b.notes.len() >= 2));
    let on_click = move |ev: ev::PointerEvent| {
        ev.stop_propagation();
        // Relative to the minimap's inside, whichever of its layers was hit.
        let Some(el) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let r = el.get_bounding_client_rect();
        let p = Point::new(
            ev.client_x() as f64 - r.left() - el.client_left() as f64,
            ev.client_y() as f64 - r.top() - el.client_top() as f64,
        );
        ctx.run(|e| e.minimap_click(p, MINIMAP));
    };
    // Two layers: the shapes, redrawn only when they move in the minimap, and the viewport
    // frame over them, which every pan moves (in one SVG, moving the frame would repaint every
    // note of the board with it).
    let size = format!("width:{}px;height:{}px", MINIMAP.w, MINIMAP.h);
    let html = format!(
        "<canvas class=\"mini-shapes\" style=\"{size}\"></canvas><div class=\"mini-view\"></div>"
    );
    move || {
        big_enough.get().then(|| {
            view! {
                <div class="minimap" data-minimap aria-label="Minimap" node_ref=mini style=size.clone()
                    inner_html=html.clone() on:pointerdown=on_click />
            }
        })
    }
}

/// Draws the minimap's frames (dashed, in the theme's `muted` colour) and notes (in their kinds'
/// colours, at least a pixel) on its canvas.
fn draw_shapes(
    el: &web_sys::HtmlCanvasElement,
    muted: &str,
    frames: &[(FrameId, Rect)],
    notes: &[(NoteId, NoteKind, Rect)],
) {
    let Some(g) = prepare_canvas(el, MINIMAP) else {
        return;
    };
    g.set_stroke_style_str(muted);
    g.set_line_width(1.0);
    let dash = js_sys::Array::of2(&3.0.into(), &2.0.into());
    let _ = g.set_line_dash(&dash);
    for (_, r) in frames {
        g.stroke_rect(r.x, r.y, r.w, r.h);
    }
    let mut colour = "";
    for (_, kind, r) in notes {
        if kind.colour() != colour {
            colour = kind.colour();
            g.set_fill_style_str(colour);
        }
        g.fill_rect(r.x, r.y, r.w.max(1.0), r.h.max(1.0));
    }
}
