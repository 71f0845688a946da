//! The counters a run puts on busy notes: in board units just under the note (they scale with
//! the board and cover neither the note's text nor a neighbour, see
//! [`crate::editor::counter_layout`]), only for the notes in view and only while readable; at
//! lower zoom the token canvas draws a coloured bar instead.

use super::RunCtl;
use crate::collections::HashMap;
use crate::{
    editor::counter_layout::{
        counters_readable, place_counters, COUNTER_FONT, COUNTER_H, COUNTER_INSET,
    },
    exec::{partition_label, Run},
    model::{Board, NoteId, NoteKind, Rect},
    ui::state::Ctx,
};
use leptos::prelude::*;

/// Most instances of a consumer shown as a dot each; more are told as a count ("97/100 up"):
/// a hundred dots would be a smudge, and naming what each reads costs a frame.
const MAX_DOTS: usize = 12;

/// An instance as a dot: alive or not, and what it reads.
type Dot = (bool, String);

/// The counter on a note.
#[derive(Clone, Debug, PartialEq, Default)]
struct Chip {
    at: Rect,
    text: String,
    title: String,
    busy: bool,
    dots: Vec<Dot>,
    /// For more than [`MAX_DOTS`] instances, instead of dots: how many are up.
    many: Option<(usize, usize)>,
}

/// The instances of a consumer as dots (alive or not, and a title naming what each reads), or
/// as a count of those up and of all when there are more than [`MAX_DOTS`].
fn dots(run: &Run, board: &Board, id: &NoteId) -> (Vec<Dot>, Option<(usize, usize)>) {
    let instances = run.instances(id);
    if instances.len() > MAX_DOTS {
        let up = instances.iter().filter(|i| i.alive).count();
        return (Vec::new(), Some((up, instances.len())));
    }
    let dots = instances
        .iter()
        .enumerate()
        .map(|(k, i)| {
            let parts = i
                .partitions
                .iter()
                .map(|p| partition_label(board, &p.topic, p.partition))
                .collect::<Vec<_>>()
                .join(", ");
            let reads = if parts.is_empty() {
                "no partition".to_string()
            } else {
                parts
            };
            let state = if i.alive { "" } else { " (down)" };
            (i.alive, format!("Instance {}{state}: {reads}", k + 1))
        })
        .collect();
    (dots, None)
}

/// The counters of the busy notes in `view`.
fn chips(
    run: &Run,
    board: &Board,
    geometry: &HashMap<NoteId, (Rect, NoteKind)>,
    view: Rect,
) -> HashMap<NoteId, Chip> {
    let busy: Vec<_> = run
        .all_counters()
        .into_iter()
        .filter_map(|(id, c)| {
            let (r, kind) = geometry.get(&id)?;
            let busy = c.handled > 0 || c.failed > 0 || c.lag.is_some();
            (busy && r.intersects(&view)).then_some((id, c, *r, *kind))
        })
        .collect();
    // Every note that a counter in view could cover.
    let reach = COUNTER_H + COUNTER_INSET;
    let around = Rect::new(
        view.x - reach,
        view.y - reach,
        view.w + 2.0 * reach,
        view.h + 2.0 * reach,
    );
    let notes: Vec<Rect> = geometry
        .values()
        .map(|(r, _)| *r)
        .filter(|r| r.intersects(&around))
        .collect();
    let rects: Vec<Rect> = busy.iter().map(|b| b.2).collect();
    let spots = place_counters(&rects, &notes);
    busy.into_iter()
        .zip(spots)
        .map(|((id, c, _, kind), at)| {
            let mut text = format!("✓{}", c.handled);
            let name = board.note(&id).map_or(id.0.as_str(), |n| n.text.as_str());
            let mut title = format!("{name}: {} done", c.handled);
            if c.failed > 0 {
                text.push_str(&format!(" ✗{}", c.failed));
                title.push_str(&format!(", {} failed", c.failed));
            }
            if let Some(lag) = c.lag {
                text.push_str(&format!(" lag {lag}"));
                title.push_str(&format!(", {lag} messages behind"));
            }
            let (dots, many) = if kind.is_consumer() {
                dots(run, board, &id)
            } else {
                (Vec::new(), None)
            };
            let chip = Chip {
                at,
                text,
                title,
                busy: c.in_flight > 0,
                dots,
                many,
            };
            (id, chip)
        })
        .collect()
}

/// What the run shows on the board: counters and instances on notes.
#[component]
pub fn RunLayer() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ctl = expect_context::<RunCtl>();
    let geometry = ctl.geometry;
    // The part of the board in view while counters are readable; none at lower zoom.
    let view = Memo::new(move |_| {
        let (camera, viewport) = ctx.view();
        counters_readable(camera.zoom).then(|| camera.visible_rect(viewport))
    });
    // One chip per busy note in view, keyed by note so that a frame only rewrites its text.
    let chips = Memo::new(move |_| {
        let Some(view) = view.get() else {
            return HashMap::default();
        };
        ctl.with_readable(|run| ctx.board(|board| geometry.with(|g| chips(run, board, g, view))))
            .unwrap_or_default()
    });
    let chip_ids = Memo::new(move |_| {
        let mut ids: Vec<NoteId> = chips.with(|c| c.keys().cloned().collect());
        ids.sort();
        ids
    });
    view! {
        {move || ctl.active.get().then(|| view! {
            <div class="counters" style=format!("--counter-font:{COUNTER_FONT}px")>
            <For each=move || chip_ids.get() key=|id| id.clone() children=move |id: NoteId| {
                let chip = { let id = id.clone(); Memo::new(move |_| chips.with(|c| c.get(&id).cloned().unwrap_or_default())) };
                // Instances change rarely (crash, join): their dots are redrawn only then.
                let dots = Memo::new(move |_| chip.with(|c| c.dots.clone()));
                let many = Memo::new(move |_| chip.with(|c| c.many));
                view! {
                    <div class="counter" class:busy=move || chip.with(|c| c.busy) data-counter-for=id.0.clone()
                        title=move || chip.with(|c| c.title.clone())
                        style=move || chip.with(|c| format!("left:{}px;top:{}px;width:{}px;height:{}px", c.at.x, c.at.y, c.at.w, c.at.h))>
                        {move || dots.get().into_iter().map(|(alive, title)| {
                            view! { <span class="instance" class:down=!alive title=title data-instance=if alive { "alive" } else { "down" }></span> }
                        }).collect_view()}
                        {move || many.get().map(|(up, all)| view! {
                            <span class="instances-up" data-instances-up=up
                                title=format!("{all} instances: {up} up, {} down (the Run tab says what each reads)", all - up)>
                                {format!("{up}/{all} up")}
                            </span>
                        })}
                        <span class="counter-text">{move || chip.with(|c| c.text.clone())}</span>
                    </div>
                }
            } />
            </div>
        })}
    }
}
