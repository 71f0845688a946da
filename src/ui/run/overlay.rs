//! What a run draws over the board: tokens moving along links (one canvas) and a counter chip
//! under each busy note.

use super::RunCtl;
use crate::{
    exec::Run,
    model::{NoteId, NoteKind, Point, Rect},
    ui::state::Ctx,
};
use leptos::prelude::*;
use std::collections::HashMap;

/// The counter chip under a note.
#[derive(Clone, Debug, PartialEq, Default)]
struct Chip {
    at: Point,
    text: String,
    busy: bool,
    dots: Vec<(bool, String)>,
}

/// Where the tokens are at time `t`, in board units: each moves along its link from the
/// border of one note to the border of the next.
fn token_positions(run: &Run, t: u64, geometry: &HashMap<NoteId, (Rect, NoteKind)>) -> Vec<Point> {
    run.tokens_in_flight(t)
        .iter()
        .filter_map(|hop| {
            let (a, _) = geometry.get(&hop.from)?;
            let (b, _) = geometry.get(&hop.to)?;
            let span = hop.end.saturating_sub(hop.start).max(1) as f64;
            let f = (t.saturating_sub(hop.start) as f64 / span).clamp(0.0, 1.0);
            let (p, q) = (a.border_toward(b.center()), b.border_toward(a.center()));
            Some(Point::new(p.x + (q.x - p.x) * f, p.y + (q.y - p.y) * f))
        })
        .collect()
}

/// The tokens moving along links, drawn on a canvas over the board: hundreds of them cost one
/// bitmap a frame, not hundreds of elements. `data-tokens` says how many are in flight.
#[component]
pub fn TokenCanvas() -> impl IntoView {
    use wasm_bindgen::JsCast;
    let ctx = expect_context::<Ctx>();
    let ctl = expect_context::<RunCtl>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let geometry = ctl.geometry;
    Effect::new(move |_| {
        let t = ctl.now.get();
        let active = ctl.active.get();
        let (camera, viewport) = ctx.editor.with(|e| (e.camera(), e.viewport()));
        let Some(el) = canvas.get() else { return };
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
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        g.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0).ok();
        g.clear_rect(0.0, 0.0, viewport.w, viewport.h);
        let points = if active {
            geometry
                .with(|geo| ctl.with_untracked(|run| token_positions(run, t, geo)))
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let _ = el.set_attribute("data-tokens", &points.len().to_string());
        g.set_fill_style_str("#1f6feb");
        g.set_stroke_style_str("#ffffff");
        g.set_line_width(1.5);
        g.begin_path();
        for p in &points {
            let s = camera.to_screen(*p);
            if s.x < -10.0 || s.y < -10.0 || s.x > viewport.w + 10.0 || s.y > viewport.h + 10.0 {
                continue;
            }
            g.move_to(s.x + 5.0, s.y);
            let _ = g.arc(s.x, s.y, 5.0, 0.0, std::f64::consts::TAU);
        }
        g.fill();
        g.stroke();
    });
    view! { <canvas class="token-canvas" node_ref=canvas data-tokens="0" aria-hidden="true"></canvas> }
}

/// What the run shows on the board: counters and instances on notes.
#[component]
pub fn RunLayer() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ctl = expect_context::<RunCtl>();
    let geometry = ctl.geometry;
    // Counters keep their size on screen whatever the zoom.
    let zoom = Memo::new(move |_| ctx.editor.with(|e| e.camera().zoom));
    // Counters: one chip per busy note, keyed by note so that a frame only rewrites its text.
    let chips = Memo::new(move |_| {
        ctl.with_readable(|run| {
            geometry.with(|g| {
                run.all_counters()
                    .into_iter()
                    .filter_map(|(id, c)| {
                        let (r, kind) = g.get(&id)?;
                        if c.handled == 0 && c.failed == 0 && c.lag.is_none() {
                            return None;
                        }
                        let mut text = format!("✓{}", c.handled);
                        if c.failed > 0 {
                            text.push_str(&format!(" ✗{}", c.failed));
                        }
                        if let Some(lag) = c.lag {
                            text.push_str(&format!(" lag {lag}"));
                        }
                        let dots: Vec<(bool, String)> = if kind.is_consumer() {
                            run.instances(&id)
                                .iter()
                                .map(|i| {
                                    let parts = i
                                        .partitions
                                        .iter()
                                        .map(|p| format!("{}-{}", p.topic, p.partition))
                                        .collect::<Vec<_>>()
                                        .join(", ");
                                    (
                                        i.alive,
                                        format!(
                                            "{}: {}",
                                            i.name,
                                            if parts.is_empty() {
                                                "no partition".into()
                                            } else {
                                                parts
                                            }
                                        ),
                                    )
                                })
                                .collect()
                        } else {
                            Vec::new()
                        };
                        Some((
                            id,
                            Chip {
                                at: Point::new(r.x, r.bottom() + 4.0),
                                text,
                                busy: c.in_flight > 0,
                                dots,
                            },
                        ))
                    })
                    .collect::<HashMap<_, _>>()
            })
        })
        .unwrap_or_default()
    });
    let chip_ids = Memo::new(move |_| {
        let mut ids: Vec<NoteId> = chips.with(|c| c.keys().cloned().collect());
        ids.sort();
        ids
    });
    view! {
        <Show when=move || ctl.active.get()>
            <div class="counters">
            <For each=move || chip_ids.get() key=|id| id.clone() children=move |id: NoteId| {
                let chip = { let id = id.clone(); Memo::new(move |_| chips.with(|c| c.get(&id).cloned().unwrap_or_default())) };
                // Instances change rarely (crash, join): their dots are redrawn only then.
                let dots = Memo::new(move |_| chip.with(|c| c.dots.clone()));
                view! {
                    <div class="counter" class:busy=move || chip.with(|c| c.busy) data-counter-for=id.0.clone()
                        style=move || chip.with(|c| format!("left:{}px;top:{}px;transform:scale({})", c.at.x, c.at.y, 1.0 / zoom.get()))>
                        {move || dots.get().into_iter().map(|(alive, title)| {
                            view! { <span class="instance" class:down=!alive title=title data-instance=if alive { "alive" } else { "down" }></span> }
                        }).collect_view()}
                        <span>{move || chip.with(|c| c.text.clone())}</span>
                    </div>
                }
            } />
            </div>
        </Show>
    }
}
