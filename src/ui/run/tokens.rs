//! The tokens of a run, drawn on one canvas over the board: each travels along its link's
//! drawn path with a short trail, coloured by what it carries (commands blue, each event its
//! own hue); many on one link become one larger token with their count. Only the tokens in
//! view are laid out and drawn, and the run looks at a bounded number of hops per frame
//! ([`crate::exec::Pacing`]), so a frame costs about a millisecond on the biggest board.

use super::{
    bars::{counter_bars, draw_bars},
    RunCtl,
};
use crate::collections::HashMap;
use crate::ui::watch::watch_with;
use crate::{
    editor::{Camera, LinkPath, Viewport},
    exec::{aggregate, Pacing, Token},
    model::{Board, LinkId, NoteId, NoteKind, Point, Rect},
    ui::state::Ctx,
};
use leptos::prelude::*;
use paint::{draw_dots, draw_token, Shade};

mod paint;

/// Tokens on one link beyond this many are drawn as one token with their count.
const AGGREGATE_OVER: usize = 3;
/// Radius of a token on screen at zoom 1 (px); it grows and shrinks with the square root of the
/// zoom, within the bounds, so that it stays easy to follow on a whole board fitted to a small
/// screen yet leaves the notes visible far out.
const TOKEN_R: f64 = 8.0;
/// Smallest and largest radius of a token on screen (px).
const TOKEN_R_RANGE: (f64, f64) = (3.0, 16.0);
/// From this radius on screen (px) up, a token has its rings, its trail and its count; below,
/// at low zoom over a big board, it is a plain dot and all dots are drawn a colour at a time.
const DETAIL_R: f64 = 4.5;
/// Bitmap pixels per screen pixel of the canvas without detail: tokens are dots there, and a
/// quarter of the pixels costs a quarter to hand to the compositor every frame.
const COARSE_SCALE: f64 = 0.5;
/// Radius of an aggregated token, as a multiple of a single token's.
const AGGREGATE_SCALE: f64 = 1.7;
/// How far back along the link the trail reaches (fraction of the link).
const TRAIL: f64 = 0.14;
/// Points the trail is drawn through.
const TRAIL_STEPS: usize = 6;

/// A token ready to draw, in screen pixels.
struct Drawn {
    /// Where it is.
    at: Point,
    /// Where it was a moment ago, nearest first (empty for a plain dot).
    trail: Vec<Point>,
    /// Its colour.
    shade: Shade,
    /// How many tokens it stands for.
    count: usize,
}

/// The drawn path of every link, by id, for the tokens travelling along them.
fn link_paths(
    board: &Board,
    geometry: &HashMap<NoteId, (Rect, NoteKind)>,
) -> HashMap<LinkId, LinkPath> {
    board
        .links
        .iter()
        .filter_map(|l| {
            let (a, ka) = geometry.get(&l.from)?;
            let (b, kb) = geometry.get(&l.to)?;
            Some((l.id.clone(), LinkPath::for_link(*a, *ka, *b, *kb)))
        })
        .collect()
}

/// How the tokens are seen this frame.
struct Sight {
    camera: Camera,
    viewport: Viewport,
    /// How far outside the view (px) a token still counts as in view (its trail may show).
    margin: f64,
    /// True when tokens are big enough for their trail and rings.
    detail: bool,
}

/// The `tokens` that are in view, in screen pixels.
fn layout(tokens: &[Token<'_>], paths: &HashMap<LinkId, LinkPath>, sight: &Sight) -> Vec<Drawn> {
    let Sight {
        camera,
        viewport,
        margin,
        detail,
    } = sight;
    let margin = *margin;
    tokens
        .iter()
        .filter_map(|k| {
            let path = paths.get(&k.hop.link)?;
            let at = camera.to_screen(path.point_at(k.fraction));
            let out = at.x < -margin
                || at.y < -margin
                || at.x > viewport.w + margin
                || at.y > viewport.h + margin;
            if out {
                return None;
            }
            let steps = if *detail { TRAIL_STEPS + 1 } else { 0 };
            let trail = (0..steps)
                .map(|i| {
                    let f = k.fraction - TRAIL * (i as f64 / TRAIL_STEPS as f64);
                    camera.to_screen(path.point_at(f))
                })
                .collect();
            Some(Drawn {
                at,
                trail,
                shade: Shade::of(k),
                count: k.count,
            })
        })
        .collect()
}

/// The tokens moving along links, drawn on a canvas over the board with the counters' bars of
/// low zoom under them: hundreds of them cost one bitmap a frame, not hundreds of elements.
/// `data-tokens` says how many are in flight and `data-first-token` where the first one drawn is
/// on screen ("x,y" in px), a few times a second while playing.
#[component]
pub fn TokenCanvas() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ctl = expect_context::<RunCtl>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let geometry = ctl.geometry;
    let paths = Memo::new(move |_| geometry.with(|g| ctx.board(|b| link_paths(b, g))));
    // When `data-tokens` was last written: (playing, readable time).
    let told = StoredValue::new(None::<(bool, u64)>);
    // Whether the canvas was last drawn coarse (see [`COARSE_SCALE`]).
    let coarse = StoredValue::new(None::<bool>);
    let bars = counter_bars();
    // Returns whether the canvas has something on it: with no run, a pan leaves a clear canvas
    // alone (repainting it would cost the whole page a paint every frame).
    watch_with(move |drew: Option<bool>| {
        let t = ctl.now.get();
        let active = ctl.active.get();
        let pacing = Pacing::for_run(ctl.speed.get(), ctl.pace.get().map(|p| p.speed));
        let (camera, viewport) = ctx.view();
        let Some(el) = canvas.get() else {
            return false;
        };
        if !active && drew == Some(false) {
            return false;
        }
        let r = (TOKEN_R * camera.zoom.max(0.0).sqrt()).clamp(TOKEN_R_RANGE.0, TOKEN_R_RANGE.1);
        let scale = if r >= DETAIL_R { 1.0 } else { COARSE_SCALE };
        if coarse.get_value() != Some(scale < 1.0) {
            coarse.set_value(Some(scale < 1.0));
            // A coarse canvas is stretched by repeating pixels, not smoothing them: smoothing a
            // full-screen layer every frame was most of what the compositor did while playing.
            let rendering = if scale < 1.0 { "pixelated" } else { "auto" };
            let _ = web_sys::HtmlElement::style(&el).set_property("image-rendering", rendering);
        }
        let Some(g) = crate::ui::dom::prepare_canvas_at(&el, viewport, scale) else {
            return false;
        };
        let sight = Sight {
            camera,
            viewport,
            margin: r * 3.0,
            detail: r >= DETAIL_R,
        };
        let (total, drawn) = if active {
            ctl.with_untracked(|run| {
                let tokens = aggregate(run.paced_tokens(t, pacing), AGGREGATE_OVER);
                let total = tokens.iter().map(|k| k.count).sum();
                (total, paths.with(|p| layout(&tokens, p, &sight)))
            })
            .unwrap_or_default()
        } else {
            (0, Vec::new())
        };
        // Told with the readable numbers while playing: an attribute changed every frame
        // would make the browser paint the whole page every frame.
        let stamp = (
            ctl.playing.get_untracked(),
            ctl.readable_now.get_untracked(),
        );
        if !stamp.0 || told.get_value() != Some(stamp) {
            told.set_value(Some(stamp));
            let _ = el.set_attribute("data-tokens", &total.to_string());
            let first = drawn
                .first()
                .map_or(String::new(), |d| format!("{:.1},{:.1}", d.at.x, d.at.y));
            let _ = el.set_attribute("data-first-token", &first);
        }
        bars.with(|b| draw_bars(&g, b));
        if sight.detail {
            for d in &drawn {
                draw_token(&g, d, r);
            }
        } else {
            draw_dots(&g, &drawn, r);
        }
        active
    });
    view! {
        <canvas class="token-canvas" node_ref=canvas data-tokens="0" data-first-token="" aria-hidden="true"></canvas>
    }
}
