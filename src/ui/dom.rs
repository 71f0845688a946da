//! Small helpers over the DOM shared by the components: the canvas size, modifier keys, text
//! fields, clipboard data and HTML written in one piece.

use crate::{editor::Modifiers, model::Rect};
use wasm_bindgen::JsCast;

/// The drag-and-drop type that carries a note kind from the palette to the board.
pub const KIND_DRAG_TYPE: &str = "application/x-flowstorm-kind";

/// The canvas size used before the page is laid out, pixels.
const FALLBACK_VIEWPORT: (f64, f64) = (800.0, 600.0);

/// The size of the board canvas in pixels.
pub fn viewport_size() -> (f64, f64) {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[data-board-viewport]").ok().flatten())
        .map(|e| {
            (
                e.client_width().max(1) as f64,
                e.client_height().max(1) as f64,
            )
        })
        .unwrap_or(FALLBACK_VIEWPORT)
}

/// What covers parts of the board's canvas (legend, minimap, run bar, a presentation's
/// caption): each one's rectangle in pixels within the canvas; hidden ones are left out.
pub fn board_covers() -> Vec<Rect> {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return Vec::new();
    };
    let Some(canvas) = doc.query_selector("[data-board-viewport]").ok().flatten() else {
        return Vec::new();
    };
    let origin = canvas.get_bounding_client_rect();
    let Ok(found) = doc.query_selector_all(BOARD_COVERS) else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|i| found.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .map(|e| e.get_bounding_client_rect())
        .filter(|r| r.width() > 0.0 && r.height() > 0.0)
        .map(|r| {
            Rect::new(
                r.left() - origin.left(),
                r.top() - origin.top(),
                r.width(),
                r.height(),
            )
        })
        .collect()
}

/// The element matching `css` that an event came from (its target or the nearest ancestor):
/// how a panel written as HTML finds which of its controls was used.
pub fn event_closest(ev: &web_sys::Event, css: &str) -> Option<web_sys::Element> {
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    target.closest(css).ok()?
}

/// The `data-action` of the control an event came from (its target or the nearest ancestor
/// that has one).
pub fn event_action(ev: &web_sys::Event) -> Option<String> {
    event_closest(ev, "[data-action]")?.get_attribute("data-action")
}

/// The element within `root` matching `css`.
pub fn find(root: &web_sys::Element, css: &str) -> Option<web_sys::Element> {
    root.query_selector(css).ok().flatten()
}

/// Sets the text of the element within `root` matching `css`.
pub fn set_text(root: &web_sys::Element, css: &str, text: &str) {
    if let Some(el) = find(root, css) {
        el.set_text_content(Some(text));
    }
}

/// Sets the `value` of a field (an input, a select or a text area).
pub fn set_value(el: Option<web_sys::Element>, value: &str) {
    if let Some(el) = el {
        // The setter is looked up by name on the element, whatever its kind of field.
        el.unchecked_ref::<web_sys::HtmlInputElement>()
            .set_value(value);
    }
}

/// What an element was last given by [`set_html`]: the element and its HTML.
pub type Written = Option<(web_sys::Element, String)>;

/// Gives `el` the HTML `html`, unless it gave the same element exactly that last time (`last`):
/// a list written from what it shows is then not parsed and laid out again for nothing, say on
/// each step of a drag. Returns what to pass as `last` next time.
pub fn set_html(el: Option<web_sys::Element>, html: String, last: Written) -> Written {
    let el = el?;
    if last.as_ref().is_some_and(|(e, h)| *e == el && *h == html) {
        return last;
    }
    el.set_inner_html(&html);
    Some((el, html))
}

/// The overlays over the board's canvas that fitting keeps clear of.
const BOARD_COVERS: &str = "[data-legend],[data-minimap],[data-runbar],[data-story-caption]";

/// A number a person typed (surrounding spaces allowed), as the browser reads it; `None` when
/// the text is empty or not a finite number. The browser's parser is exact, and using it keeps
/// the standard library's float parser and its tables out of the download.
pub fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let n = wasm_bindgen::JsValue::from_str(text).unchecked_into_f64();
    n.is_finite().then_some(n)
}

/// Modifier keys of a keyboard or pointer event.
pub fn modifiers(shift: bool, ctrl: bool, alt: bool, meta: bool) -> Modifiers {
    Modifiers {
        shift,
        ctrl,
        alt,
        meta,
    }
}

/// Modifier keys of a keyboard event.
pub fn key_modifiers(ev: &web_sys::KeyboardEvent) -> Modifiers {
    modifiers(ev.shift_key(), ev.ctrl_key(), ev.alt_key(), ev.meta_key())
}

/// Modifier keys of a mouse or pointer event.
pub fn mouse_modifiers(ev: &web_sys::MouseEvent) -> Modifiers {
    modifiers(ev.shift_key(), ev.ctrl_key(), ev.alt_key(), ev.meta_key())
}

/// True if `target` is a field that takes typing (its keys and clipboard are its own).
pub fn in_text_field(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| {
            matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || e.has_attribute("contenteditable")
        })
}

/// True if `target` is a control inside the canvas (the text box, a button) that handles its own
/// pointer events.
pub fn on_control(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "TEXTAREA" | "INPUT" | "BUTTON"))
}

/// The clipboard data of a copy, cut or paste event.
pub fn clipboard_data(ev: &web_sys::Event) -> Option<web_sys::DataTransfer> {
    js_sys::Reflect::get(ev, &wasm_bindgen::JsValue::from_str("clipboardData"))
        .ok()?
        .dyn_into()
        .ok()
}

/// Sizes a canvas to the viewport at the screen's pixel ratio and clears it; its 2D context,
/// drawing in CSS pixels.
pub fn prepare_canvas(
    el: &web_sys::HtmlCanvasElement,
    viewport: crate::editor::Viewport,
) -> Option<web_sys::CanvasRenderingContext2d> {
    prepare_canvas_at(el, viewport, 1.0)
}

/// [`prepare_canvas`] with `scale` bitmap pixels to a screen pixel (below 1: coarser, and
/// cheaper for the compositor to take every frame).
pub fn prepare_canvas_at(
    el: &web_sys::HtmlCanvasElement,
    viewport: crate::editor::Viewport,
    scale: f64,
) -> Option<web_sys::CanvasRenderingContext2d> {
    let ratio = scale * web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let (w, h) = (
        (viewport.w * ratio).round() as u32,
        (viewport.h * ratio).round() as u32,
    );
    if el.width() != w || el.height() != h {
        el.set_width(w);
        el.set_height(h);
    }
    let g = el
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())?;
    g.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0).ok();
    g.clear_rect(0.0, 0.0, viewport.w, viewport.h);
    Some(g)
}

/// The page's clock: ms since it was opened (frame and work budgets, the first paint).
pub fn performance_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Writes `text` escaped for HTML text and quoted attribute values.
pub fn escape_html(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&quot;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}
