//! The counters' level of detail at low zoom: a coloured bar along the bottom edge of each busy
//! note in view (see [`crate::editor::counter_layout`]), drawn on a canvas of its own so that
//! thousands of notes cost no element, and redrawn only when the numbers people read change
//! or the view moves, not every frame.

use super::RunCtl;
use crate::collections::HashMap;
use crate::{
    editor::{
        counter_layout::{counter_bar, counters_readable},
        Camera,
    },
    exec::Run,
    model::{NoteId, NoteKind, Point, Rect},
    ui::state::Ctx,
};
use leptos::prelude::*;
use web_sys::CanvasRenderingContext2d as Canvas2d;

/// Colours of the low-zoom counter bars: failures, lag, all well.
const BAR_COLOURS: (&str, &str, &str) = ("#d73a49", "#d98a00", "#2e9d52");

/// The counters' bars at low zoom: one along the bottom edge of each busy note in view,
/// coloured by how it fares (failures, lag, all well), filled one colour at a time.
fn draw_bars(
    g: &Canvas2d,
    run: &Run,
    geometry: &HashMap<NoteId, (Rect, NoteKind)>,
    camera: &Camera,
    view: Rect,
) {
    let mut bars: [Vec<Rect>; 3] = Default::default();
    for (id, c) in run.each_counter() {
        if c.handled == 0 && c.failed == 0 && c.lag.is_none() {
            continue;
        }
        let Some((r, _)) = geometry.get(id) else {
            continue;
        };
        if !r.intersects(&view) {
            continue;
        }
        let shade = if c.failed > 0 {
            0
        } else if c.lag.unwrap_or(0) > 0 {
            1
        } else {
            2
        };
        bars[shade].push(counter_bar(*r, camera.zoom));
    }
    let (failed, lagging, fine) = BAR_COLOURS;
    for (colour, rects) in [failed, lagging, fine].into_iter().zip(&bars) {
        g.set_fill_style_str(colour);
        for bar in rects {
            let p = camera.to_screen(Point::new(bar.x, bar.y));
            g.fill_rect(p.x, p.y, bar.w * camera.zoom, bar.h * camera.zoom);
        }
    }
}

/// The canvas of the counters' bars, under the tokens; blank while counters are readable.
#[component]
pub fn CounterBars() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ctl = expect_context::<RunCtl>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let geometry = ctl.geometry;
    // Returns whether the canvas has bars on it: a blank canvas is left alone (clearing it on
    // every pan would cost the page a paint every frame).
    Effect::new(move |drew: Option<bool>| {
        let active = ctl.active.get();
        let (camera, viewport) = ctx.view();
        let Some(el) = canvas.get() else {
            return false;
        };
        let bars = active && !counters_readable(camera.zoom);
        if !bars && drew == Some(false) {
            return false;
        }
        let Some(g) = crate::ui::dom::prepare_canvas(&el, viewport) else {
            return false;
        };
        if bars {
            let view = camera.visible_rect(viewport);
            geometry.with(|geo| ctl.with_readable(|run| draw_bars(&g, run, geo, &camera, view)));
        }
        bars
    });
    view! { <canvas class="counter-bars" node_ref=canvas aria-hidden="true"></canvas> }
}
