//! The run bar under the board: play, pause, step, next event, reset, speed, seed and the
//! timeline, with the caption of the event "Next event" stopped at.

use super::{seconds, Pace, RunCtl};
use crate::exec::grouped;
use crate::model::Board;
use crate::ui::watch::watch_with;
use crate::ui::{
    dom::{escape_html, event_action, find, parse_number, set_text, set_value},
    state::Ctx,
};
use leptos::{ev, prelude::*};
use std::fmt::Write;

/// Speeds offered, simulated ms per real ms.
const SPEEDS: [f64; 10] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0];
/// How far Step moves the run (ms).
const STEP_MS: u64 = 100;

/// What the run bar shows that changes.
#[derive(Clone, PartialEq)]
struct Shown {
    playing: bool,
    speed: f64,
    seed: u64,
    /// The timeline's end and the moment shown (ms).
    end: u64,
    now: u64,
    /// The scenario's faults on the timeline, as HTML.
    marks: String,
    /// What follows the clock, as HTML: the pace, the work limit, the caption, seeking.
    tail: String,
}

/// The run controls, under the board: written once as HTML, answered by one listener per kind
/// of event (`data-action`); what changes is set on its elements when it changes (the time a
/// few times a second while playing, the fault marks when they move, not on every step of a
/// drag).
#[component]
pub fn RunBar() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ctl = expect_context::<RunCtl>();
    let bar = NodeRef::<leptos::html::Div>::new();
    let mut html = String::from(
        "<button data-action=\"play\" title=\"Play the board\">▶ Play</button>\
         <button data-action=\"step\" title=\"Advance 100 ms\">Step</button>\
         <button data-action=\"next-event\" title=\"Pause and go to the next event handed to a consumer (N)\">Next event</button>\
         <button data-action=\"reset\" title=\"Back to the start, with a fresh compile of the board\">Reset</button>\
         <label class=\"speed\">Speed <select data-action=\"speed\">",
    );
    for s in SPEEDS {
        let _ = write!(html, "<option value=\"{s}\">{s}×</option>");
    }
    html.push_str(
        "</select></label><label class=\"seed\">Seed <input type=\"number\" min=\"0\" data-action=\"seed\"></label>\
         <span class=\"timeline-wrap\"><input type=\"range\" class=\"timeline\" data-action=\"scrub\" aria-label=\"Timeline\" min=\"0\" step=\"10\">\
         <span class=\"fault-marks\"></span></span><span class=\"clock\" data-clock></span>",
    );
    watch_with(move |last: Option<Option<Shown>>| {
        let end = ctl.end_tracked();
        let now = Shown {
            playing: ctl.playing.get(),
            speed: ctl.speed.get(),
            seed: ctl.seed.get(),
            end,
            now: ctl.readable_now.get(),
            marks: ctx.board(|b| marks_html(b, end.max(1))),
            tail: tail_html(
                ctl.pace.get(),
                ctl.stopped_at.get(),
                ctl.caption.get(),
                ctl.seeking(),
                ctl.stale.get(),
                ctl.catching_up(),
            ),
        };
        let el = bar.get()?;
        let was = last.flatten();
        let was = was.as_ref();
        let changed = |f: fn(&Shown) -> u64| was.map(f) != Some(f(&now));
        if was.map(|w| w.playing) != Some(now.playing) {
            if let Some(button) = el.first_element_child() {
                let (action, title, text) = if now.playing {
                    ("pause", "Pause", "❚❚ Pause")
                } else {
                    ("play", "Play the board", "▶ Play")
                };
                let _ = button.set_attribute("data-action", action);
                let _ = button.set_attribute("title", title);
                button.set_text_content(Some(text));
            }
        }
        if was.map(|w| w.speed) != Some(now.speed) {
            set_value(find(&el, "[data-action='speed']"), &now.speed.to_string());
        }
        if changed(|s| s.seed) {
            set_value(find(&el, "[data-action='seed']"), &now.seed.to_string());
        }
        let scrub = find(&el, "[data-action='scrub']");
        if changed(|s| s.end) {
            if let Some(scrub) = &scrub {
                let _ = scrub.set_attribute("max", &end.to_string());
            }
        }
        if changed(|s| s.now) || changed(|s| s.end) {
            set_value(scrub, &now.now.to_string());
            let clock = format!("{} / {}", seconds(now.now), seconds(end));
            set_text(&el, "[data-clock]", &clock);
        }
        if was.map(|w| &w.marks) != Some(&now.marks) {
            if let Some(marks) = find(&el, ".fault-marks") {
                marks.set_inner_html(&now.marks);
            }
        }
        if was.map(|w| &w.tail) != Some(&now.tail) {
            if let Some(clock) = find(&el, "[data-clock]") {
                while let Some(next) = clock.next_element_sibling() {
                    next.remove();
                }
                let _ = clock.insert_adjacent_html("afterend", &now.tail);
            }
        }
        Some(now)
    });
    let on_click = move |ev: ev::MouseEvent| match event_action(&ev).as_deref() {
        Some("pause") => ctl.playing.set(false),
        Some("play") => ctl.play(ctx),
        Some("step") => {
            ctl.playing.set(false);
            ctl.seek(ctx, ctl.now.get_untracked() + STEP_MS);
        }
        Some("next-event") => ctl.next_event(ctx),
        Some("restart") => ctl.restart(ctx),
        Some("reset") => {
            ctl.reset();
            ctx.status.set("Run reset".into());
        }
        _ => {}
    };
    let on_change = move |ev: ev::Event| {
        let value = event_target_value(&ev);
        match event_action(&ev).as_deref() {
            Some("speed") => {
                if let Some(s) = parse_number(&value) {
                    ctl.speed.set(s);
                }
            }
            Some("seed") => {
                if let Ok(s) = value.parse::<u64>() {
                    ctl.seed.set(s);
                    ctl.reset();
                }
            }
            _ => {}
        }
    };
    let on_input = move |ev: ev::Event| {
        if event_action(&ev).as_deref() == Some("scrub") {
            if let Ok(t) = event_target_value(&ev).parse::<u64>() {
                ctl.playing.set(false);
                ctl.seek(ctx, t);
            }
        }
    };
    // Fields are listened to in the capture phase: a `change` or `input` that a script sends
    // without bubbling (the tests', the benchmarks') reaches the panel as a person's does.
    view! {
        <div class="runbar" role="toolbar" aria-label="Run" data-runbar node_ref=bar inner_html=html
            on:pointerdown=|ev: ev::PointerEvent| ev.stop_propagation()
            on:click=on_click on:change:capture=on_change on:input:capture=on_input />
    }
}

/// What follows the clock, as HTML: how fast a slow run really goes, where the run stopped at
/// its work limit, what "Next event" stopped at, whether the run is being moved to a moment, and
/// why the run goes on with the board as it was (with a restart).
fn tail_html(
    pace: Option<Pace>,
    stopped_at: Option<u64>,
    caption: Option<String>,
    seeking: bool,
    stale: Option<String>,
    catching_up: bool,
) -> String {
    let mut out = String::new();
    if let Some(why) = stale {
        out.push_str("<span class=\"pace\" data-stale title=\"");
        escape_html(&mut out, &why);
        out.push_str(
            "\">the board changed <button data-action=\"restart\" title=\"Run the board as it is now, from the start\">Restart</button></span>",
        );
    }
    if let Some(p) = pace {
        let _ = write!(
            out,
            "<span class=\"pace\" data-pace title=\"The board makes more work than can be simulated in real time: the simulated clock runs slower than the speed asked\">{}</span>",
            pace_label(p)
        );
    }
    if let Some(at) = stopped_at {
        let _ = write!(
            out,
            "<span class=\"pace\" data-work-limit title=\"What a run records grows with its work; past this limit the browser would run out of memory. Earlier moments can still be shown.\">stopped at {}: work limit</span>",
            seconds(at)
        );
    }
    if let Some(c) = caption {
        out.push_str(
            "<div class=\"run-caption\" data-caption role=\"status\" aria-live=\"polite\">",
        );
        escape_html(&mut out, &c);
        out.push_str("</div>");
    }
    if seeking {
        out.push_str("<span class=\"pace\" data-seeking>seeking…</span>");
    }
    if catching_up {
        out.push_str("<span class=\"pace\" data-catching-up>applying the edit…</span>");
    }
    out
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
