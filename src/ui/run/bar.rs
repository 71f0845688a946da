//! The run bar under the board: play, pause, step, next event, reset, speed, seed and the
//! timeline, with the caption of the event "Next event" stopped at.

use super::{seconds, Pace, RunCtl};
use crate::exec::grouped;
use crate::model::Board;
use crate::ui::{
    dom::{escape_html, set_html, Written},
    state::Ctx,
};
use leptos::{ev, prelude::*};
use std::fmt::Write;

/// Speeds offered, simulated ms per real ms.
const SPEEDS: [f64; 10] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0];
/// How far Step moves the run (ms).
const STEP_MS: u64 = 100;

/// The run controls, under the board.
#[component]
pub fn RunBar() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ctl = expect_context::<RunCtl>();
    let end = move || ctl.end_tracked();
    // The scenario's faults on the timeline, written as HTML: the board changes on every step
    // of a drag, the marks seldom.
    let marks = NodeRef::<leptos::html::Span>::new();
    Effect::new(move |last: Option<Written>| {
        let end = end().max(1);
        let html = ctx.board(|b| marks_html(b, end));
        set_html(marks.get().map(Into::into), html, last.flatten())
    });
    view! {
        <div class="runbar" role="toolbar" aria-label="Run" data-runbar on:pointerdown=|ev: ev::PointerEvent| ev.stop_propagation()>
            {move || if ctl.playing.get() {
                view! { <button data-action="pause" title="Pause" on:click=move |_| ctl.playing.set(false)>"❚❚ Pause"</button> }.into_any()
            } else {
                view! { <button data-action="play" title="Play the board" on:click=move |_| ctl.play(ctx)>"▶ Play"</button> }.into_any()
            }}
            <button data-action="step" title="Advance 100 ms"
                on:click=move |_| { ctl.playing.set(false); ctl.seek(ctx, ctl.now.get_untracked() + STEP_MS); }>"Step"</button>
            <button data-action="next-event" title="Pause and go to the next event handed to a consumer (N)"
                on:click=move |_| ctl.next_event(ctx)>"Next event"</button>
            <button data-action="reset" title="Back to the start, with a fresh compile of the board"
                on:click=move |_| { ctl.reset(); ctx.status.set("Run reset".into()); }>"Reset"</button>
            <label class="speed">"Speed "
                <select data-action="speed" on:change=move |ev| {
                    if let Some(s) = crate::ui::dom::parse_number(&event_target_value(&ev)) { ctl.speed.set(s); }
                }>
                    {SPEEDS.iter().map(|s| view! { <option value=s.to_string() prop:selected=move || ctl.speed.get() == *s>{format!("{s}×")}</option> }).collect_view()}
                </select>
            </label>
            <label class="seed">"Seed "
                <input type="number" min="0" data-action="seed" prop:value=move || ctl.seed.get().to_string()
                    on:change=move |ev| {
                        if let Ok(s) = event_target_value(&ev).parse::<u64>() { ctl.seed.set(s); ctl.reset(); }
                    } />
            </label>
            <span class="timeline-wrap">
                <input type="range" class="timeline" data-action="scrub" aria-label="Timeline" min="0" max=move || end().to_string()
                    step="10" prop:value=move || ctl.readable_now.get().to_string()
                    on:input=move |ev| {
                        if let Ok(t) = event_target_value(&ev).parse::<u64>() { ctl.playing.set(false); ctl.seek(ctx, t); }
                    } />
                <span class="fault-marks" node_ref=marks />
            </span>
            <span class="clock" data-clock>{move || format!("{} / {}", seconds(ctl.readable_now.get()), seconds(end()))}</span>
            {move || ctl.pace.get().map(|p| view! {
                <span class="pace" data-pace title="The board makes more work than can be simulated in real time: the simulated clock runs slower than the speed asked">
                    {pace_label(p)}
                </span>
            })}
            {move || ctl.stopped_at.get().map(|at| view! {
                <span class="pace" data-work-limit title="What a run records grows with its work; past this limit the browser would run out of memory. Earlier moments can still be shown.">
                    {format!("stopped at {}: work limit", seconds(at))}
                </span>
            })}
            {move || ctl.caption.get().map(|c| view! {
                <div class="run-caption" data-caption role="status" aria-live="polite">{c}</div>
            })}
            {move || ctl.seeking().then(|| view! { <span class="pace" data-seeking>"seeking…"</span> })}
        </div>
    }
}

/// "running at 0.2× — 180,000 events/s".
fn pace_label(p: Pace) -> String {
    let speed = if p.speed >= 10.0 {
        format!("{:.0}", p.speed)
    } else if p.speed >= 0.1 {
        format!("{:.1}", p.speed)
    } else {
        format!("{:.2}", p.speed)
    };
    format!(
        "running at {speed}× — {} events/s",
        grouped(p.work_per_s.round() as u64)
    )
}

/// A tick per fault the scenario makes, where it sits on a timeline that ends at `end` (ms),
/// named in a tooltip ("1.5 s: system down Payment provider").
fn marks_html(board: &Board, end: u64) -> String {
    let mut out = String::new();
    for f in board.scheduled_faults() {
        let name = f
            .fault
            .note()
            .and_then(|id| board.note(id))
            .map_or("", |n| n.text.as_str());
        let title = format!("{}: {} {name}", seconds(f.at_ms), f.fault.words());
        let _ = write!(
            out,
            "<span class=\"fault-mark\" data-fault-mark style=\"--at:{:.4}\" title=\"",
            f.at_ms as f64 / end as f64
        );
        escape_html(&mut out, &title);
        out.push_str("\" aria-label=\"");
        escape_html(&mut out, &title);
        out.push_str("\"></span>");
    }
    out
}
