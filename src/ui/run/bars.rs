//! The counters' level of detail at low zoom: a coloured bar along the bottom edge of each busy
//! note in view (see [`crate::editor::counter_layout`]), drawn on the tokens' canvas so that
//! thousands of notes cost no element, and placed again only when the numbers people read
//! change or the view moves, not every frame.

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

/// The counters' bars at low zoom, on screen: one along the bottom edge of each busy note in
/// view, by how it fares (failures, lag, all well).
pub type Bars = [Vec<Rect>; 3];

/// Places the bars of the busy notes of `view` on screen.
fn place_bars(
    run: &Run,
    geometry: &HashMap<NoteId, (Rect, NoteKind)>,
    camera: &Camera,
    view: Rect,
) -> Bars {
    let mut bars: Bars = Default::default();
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
        let bar = counter_bar(*r, camera.zoom);
        let p = camera.to_screen(Point::new(bar.x, bar.y));
        bars[shade].push(Rect::new(
            p.x,
            p.y,
            bar.w * camera.zoom,
            bar.h * camera.zoom,
        ));
    }
    bars
}

/// Fills the bars, one colour at a time.
pub fn draw_bars(g: &Canvas2d, bars: &Bars) {
    let (failed, lagging, fine) = BAR_COLOURS;
    for (colour, rects) in [failed, lagging, fine].into_iter().zip(bars) {
        g.set_fill_style_str(colour);
        for r in rects {
            g.fill_rect(r.x, r.y, r.w, r.h);
        }
    }
}

/// The counters' bars, placed again when the numbers people read change or the view moves,
/// not every frame; none while counters are readable. They are drawn on the tokens' canvas,
/// under the tokens: a canvas of their own over the whole board cost the compositor a layer
/// to blend on every frame of a run.
pub fn counter_bars() -> Memo<Bars> {
    let ctx = expect_context::<Ctx>();
    let ctl = expect_context::<RunCtl>();
    let geometry = ctl.geometry;
    Memo::new(move |_| {
        let (camera, viewport) = ctx.view();
        if !ctl.active.get() || counters_readable(camera.zoom) {
            return Bars::default();
        }
        let view = camera.visible_rect(viewport);
        geometry
            .with(|geo| ctl.with_readable(|run| place_bars(run, geo, &camera, view)))
            .unwrap_or_default()
    })
}
