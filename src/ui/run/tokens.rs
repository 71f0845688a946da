//! The tokens of a run, drawn on one canvas over the board: each travels along its link's
//! drawn path with a short trail, coloured by what it carries (commands blue, each event its
//! own hue); many on one link become one larger token with their count. At low zoom the same
//! canvas draws the counters' bars (see [`crate::editor::counter_layout`]).

use super::RunCtl;
use crate::{
    editor::{
        counter_layout::{counter_bar, counters_readable},
        Camera, LinkPath, Viewport,
    },
    exec::{aggregate, MessageKind, Pacing, Run, Token},
    model::{NoteId, NoteKind, Point, Rect},
    ui::state::Ctx,
};
use leptos::prelude::*;
use std::collections::HashMap;
use web_sys::CanvasRenderingContext2d as Canvas2d;

/// Tokens on one link beyond this many are drawn as one token with their count.
const AGGREGATE_OVER: usize = 3;
/// Radius of a token on screen at zoom 1 (px); it scales with the board within the bounds.
const TOKEN_R: f64 = 8.0;
/// Smallest and largest radius of a token on screen (px).
const TOKEN_R_RANGE: (f64, f64) = (5.0, 16.0);
/// Radius of an aggregated token, as a multiple of a single token's.
const AGGREGATE_SCALE: f64 = 1.7;
/// How far back along the link the trail reaches (fraction of the link).
const TRAIL: f64 = 0.14;
/// Points the trail is drawn through.
const TRAIL_STEPS: usize = 6;
/// Colour of commands.
const COMMAND_COLOUR: &str = "#1f6feb";
/// Saturation and lightness of event hues: dark enough for white digits, bright enough to
/// stand out on every note colour, with a white and a dark ring around.
const EVENT_SL: &str = "78%, 40%";
/// Colours of the low-zoom counter bars: failures, lag, all well.
const BAR_COLOURS: (&str, &str, &str) = ("#d73a49", "#d98a00", "#2e9d52");

/// The hue (degrees) of an event: from its note id, away from the commands' blue.
fn event_hue(note: &NoteId) -> u32 {
    let h = note.0.bytes().fold(2_166_136_261u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    });
    // 0..260 mapped to 0..200 and 250..310: never the 200..250 band of blues.
    let x = h % 260;
    if x < 200 {
        x
    } else {
        x + 50
    }
}

fn colour(token: &Token<'_>) -> String {
    match token.kind {
        MessageKind::Command => COMMAND_COLOUR.to_string(),
        MessageKind::Event => format!("hsl({}, {EVENT_SL})", event_hue(token.note)),
    }
}

/// A token ready to draw, in screen pixels.
struct Drawn {
    at: Point,
    trail: Vec<Point>,
    colour: String,
    count: usize,
}

/// The tokens at `t` that are in view, in screen pixels.
fn layout(
    run: &Run,
    t: u64,
    pacing: Pacing,
    geometry: &HashMap<NoteId, (Rect, NoteKind)>,
    camera: &Camera,
    viewport: Viewport,
    margin: f64,
) -> (usize, Vec<Drawn>) {
    let tokens = aggregate(run.paced_tokens(t, pacing), AGGREGATE_OVER);
    let total = tokens.iter().map(|k| k.count).sum();
    let drawn = tokens
        .iter()
        .filter_map(|k| {
            let (a, ka) = geometry.get(&k.hop.from)?;
            let (b, kb) = geometry.get(&k.hop.to)?;
            let path = LinkPath::for_link(*a, *ka, *b, *kb);
            let at = camera.to_screen(path.point_at(k.fraction));
            let out = at.x < -margin
                || at.y < -margin
                || at.x > viewport.w + margin
                || at.y > viewport.h + margin;
            if out {
                return None;
            }
            let trail = (0..=TRAIL_STEPS)
                .map(|i| {
                    let f = k.fraction - TRAIL * (i as f64 / TRAIL_STEPS as f64);
                    camera.to_screen(path.point_at(f))
                })
                .collect();
            Some(Drawn {
                at,
                trail,
                colour: colour(k),
                count: k.count,
            })
        })
        .collect();
    (total, drawn)
}

fn draw_token(g: &Canvas2d, d: &Drawn, r: f64) {
    let r = if d.count > 1 { r * AGGREGATE_SCALE } else { r };
    // The trail: the same colour, fading out behind the token.
    g.set_global_alpha(0.45);
    g.set_stroke_style_str(&d.colour);
    g.set_line_width(r * 0.9);
    g.set_line_cap("round");
    g.begin_path();
    for (i, p) in d.trail.iter().enumerate() {
        if i == 0 {
            g.move_to(p.x, p.y);
        } else {
            g.line_to(p.x, p.y);
        }
    }
    g.stroke();
    g.set_global_alpha(1.0);
    // The token: a dark ring, a white ring, the colour.
    g.begin_path();
    let _ = g.arc(d.at.x, d.at.y, r + 1.5, 0.0, std::f64::consts::TAU);
    g.set_fill_style_str("rgba(15, 18, 24, 0.85)");
    g.fill();
    g.begin_path();
    let _ = g.arc(d.at.x, d.at.y, r, 0.0, std::f64::consts::TAU);
    g.set_fill_style_str("#ffffff");
    g.fill();
    g.begin_path();
    let _ = g.arc(d.at.x, d.at.y, r - 2.0, 0.0, std::f64::consts::TAU);
    g.set_fill_style_str(&d.colour);
    g.fill();
    if d.count > 1 {
        g.set_fill_style_str("#ffffff");
        g.set_font(&format!("bold {:.0}px system-ui, sans-serif", r * 0.95));
        g.set_text_align("center");
        g.set_text_baseline("middle");
        let _ = g.fill_text(&d.count.to_string(), d.at.x, d.at.y + 0.5);
    }
}

/// The counters' bars at low zoom: one along the bottom edge of each busy note in view.
fn draw_bars(
    g: &Canvas2d,
    run: &Run,
    geometry: &HashMap<NoteId, (Rect, NoteKind)>,
    camera: &Camera,
    view: Rect,
) {
    let (failed, lagging, fine) = BAR_COLOURS;
    for (id, c) in run.all_counters() {
        if c.handled == 0 && c.failed == 0 && c.lag.is_none() {
            continue;
        }
        let Some((r, _)) = geometry.get(&id) else {
            continue;
        };
        if !r.intersects(&view) {
            continue;
        }
        let bar = counter_bar(*r, camera.zoom);
        let p = camera.to_screen(Point::new(bar.x, bar.y));
        g.set_fill_style_str(if c.failed > 0 {
            failed
        } else if c.lag.unwrap_or(0) > 0 {
            lagging
        } else {
            fine
        });
        g.fill_rect(p.x, p.y, bar.w * camera.zoom, bar.h * camera.zoom);
    }
}

/// The tokens moving along links, drawn on a canvas over the board: hundreds of them cost one
/// bitmap a frame, not hundreds of elements. `data-tokens` says how many are in flight and
/// `data-first-token` where the first one drawn is on screen ("x,y" in px).
#[component]
pub fn TokenCanvas() -> impl IntoView {
    use wasm_bindgen::JsCast;
    let ctx = expect_context::<Ctx>();
    let ctl = expect_context::<RunCtl>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let geometry = ctl.geometry;
    // Returns whether the canvas has something on it: with no run, a pan leaves a clear canvas
    // alone (repainting it would cost the whole page a paint every frame).
    Effect::new(move |drew: Option<bool>| {
        let t = ctl.now.get();
        let active = ctl.active.get();
        let pacing = Pacing::for_speed(ctl.speed.get());
        let (camera, viewport) = ctx.view();
        let Some(el) = canvas.get() else {
            return false;
        };
        if !active && drew == Some(false) {
            return false;
        }
        let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        let (w, h) = (
            (viewport.w * ratio).round() as u32,
            (viewport.h * ratio).round() as u32,
        );
        if el.width() != w || el.height() != h {
            el.set_width(w);
            el.set_height(h);
        }
        let Some(g) = el
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<Canvas2d>().ok())
        else {
            return false;
        };
        g.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0).ok();
        g.clear_rect(0.0, 0.0, viewport.w, viewport.h);
        let r = (TOKEN_R * camera.zoom).clamp(TOKEN_R_RANGE.0, TOKEN_R_RANGE.1);
        let (total, drawn) = if active {
            geometry
                .with(|geo| {
                    ctl.with_untracked(|run| {
                        if !counters_readable(camera.zoom) {
                            draw_bars(&g, run, geo, &camera, camera.visible_rect(viewport));
                        }
                        layout(run, t, pacing, geo, &camera, viewport, r * 3.0)
                    })
                })
                .unwrap_or_default()
        } else {
            (0, Vec::new())
        };
        let _ = el.set_attribute("data-tokens", &total.to_string());
        let first = drawn
            .first()
            .map_or(String::new(), |d| format!("{:.1},{:.1}", d.at.x, d.at.y));
        let _ = el.set_attribute("data-first-token", &first);
        for d in &drawn {
            draw_token(&g, d, r);
        }
        active
    });
    view! { <canvas class="token-canvas" node_ref=canvas data-tokens="0" data-first-token="" aria-hidden="true"></canvas> }
}
