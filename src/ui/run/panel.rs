//! The Run tab: faults for the selected note, the broker's consumer groups, the lag chart and
//! the event log with causal chains.

use super::{seconds, RunCtl};
use crate::collections::HashMap;
use crate::ui::watch::watch_with;
use crate::{
    editor::Item,
    exec::{partition_label, Fault, MessageId, Run},
    model::{Board, NoteId, ResetTo},
    ui::{
        dom::{escape_html, event_action, event_closest, find, parse_number, set_html, Written},
        state::Ctx,
    },
};
use leptos::prelude::*;
use std::fmt::Write;
use wasm_bindgen::JsCast;

mod log;

use super::faults::faults_for;
use log::{describe, LogFilter};

/// How many events the log shows at most (the latest).
const LOG_ROWS: usize = 200;

/// The Run tab, written once as HTML: the run's problems and the faults of the selected note
/// are written after its introduction when they change; the lag chart, the groups and the event
/// log are shown while there is a run. One listener per kind of event answers its controls.
const PANEL_HTML: &str = "<h2>Run</h2><p class=\"muted\" data-run-intro>Press Play under the board. Select a note to inject a fault.</p>\
<p class=\"muted\" data-no-run>No run yet.</p><div data-run-shown hidden>\
<h3>Lag</h3><div data-run-chart></div><h3>Consumer groups</h3><div class=\"groups\" data-broker></div>\
<h3>Event log</h3><div class=\"log-filters\"><select data-action=\"log-filter\">\
<option value=\"all\">everything</option><option value=\"commands\">commands</option><option value=\"events\">events</option>\
<option value=\"consumers\">deliveries and reads</option><option value=\"problems\">problems</option></select>\
<label><input type=\"checkbox\" data-action=\"log-selected\"> selected note only</label>\
<button data-action=\"clear-chain\">Clear highlight</button></div>\
<ol class=\"event-log\" data-event-log reversed></ol></div>";

/// A consumer group's offsets reset to a moment or to an offset, as `kafka-consumer-groups
/// --reset-offsets --to-datetime / --to-offset` do.
const RESET_TO_HTML: &str = "<div class=\"reset-to\" data-reset-to>\
<label>Reset offsets to the time <input type=\"number\" min=\"0\" step=\"0.1\" value=\"0\" data-field=\"reset-time\"> s</label>\
<button data-action=\"fault-reset-time\">Reset</button>\
<label>Reset offsets to the offset <input type=\"number\" min=\"0\" step=\"1\" value=\"0\" data-field=\"reset-offset\"></label>\
<button data-action=\"fault-reset-offset\">Reset</button></div>";

/// The Run tab: faults for the selected note, the broker, the lag chart and the event log.
#[component]
pub fn RunPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ctl = expect_context::<RunCtl>();
    let filter = RwSignal::new(LogFilter::All);
    let only_selected = RwSignal::new(false);
    let selected = Memo::new(move |_| {
        ctx.editor.with(|e| match e.selection().items() {
            [Item::Note(id)] => e
                .board()
                .note(id)
                .map(|n| (id.clone(), n.kind, n.text.clone())),
            _ => None,
        })
    });
    let names = Memo::new(move |_| {
        ctx.board(|b| {
            b.notes
                .iter()
                .map(|n| (n.id.clone(), n.text.clone()))
                .collect::<HashMap<_, _>>()
        })
    });
    let panel = NodeRef::<leptos::html::Div>::new();
    let part = move |css: &str| panel.get().and_then(|p| find(&p, css));

    // The run's problems and the selected note's faults, after the introduction.
    watch_with(move |last: Option<Option<(bool, String)>>| {
        let active = ctl.active.get();
        let mut head = String::new();
        ctl.problems.with(|problems| {
            if !problems.is_empty() {
                head.push_str("<ul class=\"run-problems\" data-run-problems>");
                for p in problems {
                    head.push_str("<li>");
                    escape_html(&mut head, p);
                    head.push_str("</li>");
                }
                head.push_str("</ul>");
            }
        });
        if let Some((id, _, text)) = selected.get() {
            head.push_str("<section class=\"faults\" data-faults><h3>Faults on “");
            escape_html(&mut head, &text);
            head.push_str("”</h3>");
            let choices = ctx.board(|b| faults_for(b, &id));
            if choices.is_empty() {
                head.push_str("<p class=\"muted\">No fault applies to this kind of note.</p>");
            }
            let group = choices.iter().any(|c| c.action == "fault-replay");
            for c in choices {
                let _ = write!(
                    head,
                    "<button data-action=\"{}\">{}</button>",
                    c.action, c.label
                );
            }
            if group {
                head.push_str(RESET_TO_HTML);
            }
            head.push_str("</section>");
        }
        let intro = part("[data-run-intro]")?;
        let was = last.flatten();
        if was.as_ref().map(|w| w.0) != Some(active) {
            for (css, hidden) in [("[data-no-run]", active), ("[data-run-shown]", !active)] {
                if let Some(el) = part(css) {
                    let _ = el.toggle_attribute_with_force("hidden", hidden);
                }
            }
        }
        if was.as_ref().map(|w| &w.1) != Some(&head) {
            for css in ["[data-run-problems]", "[data-faults]"] {
                if let Some(el) = part(css) {
                    el.remove();
                }
            }
            let _ = intro.insert_adjacent_html("afterend", &head);
        }
        Some((active, head))
    });

    // The lag chart, the groups and the event log change with the run: each is written as one
    // piece of HTML a few times a second (not a reactive view per row).
    watch_with(move |last: Option<Written>| {
        let (end, now) = (ctl.end(), ctl.readable_now.get());
        let html = names.with(|names| ctl.with_readable(|run| chart_html(run, end, now, names)));
        set_html(
            part("[data-run-chart]"),
            html.unwrap_or_default(),
            last.flatten(),
        )
    });
    watch_with(move |last: Option<Written>| {
        let html =
            names.with(|names| ctx.board(|b| ctl.with_readable(|run| groups_html(run, b, names))));
        set_html(
            part("[data-broker]"),
            html.unwrap_or_default(),
            last.flatten(),
        )
    });
    watch_with(move |last: Option<Written>| {
        let filter = filter.get();
        let only = only_selected
            .get()
            .then(|| selected.get().map(|s| s.0))
            .flatten();
        let html = names.with(|names| {
            ctx.board(|b| ctl.with_readable(|run| log_html(run, b, names, filter, only.as_ref())))
        });
        set_html(
            part("[data-event-log]"),
            html.unwrap_or_default(),
            last.flatten(),
        )
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(action) = event_action(&ev) else {
            return;
        };
        if action == "clear-chain" {
            ctl.chain.set(Vec::new());
        } else if action == "show-chain" {
            show_chain(ctx, ctl, &ev);
        } else if let Some((id, _, _)) = selected.get_untracked() {
            let root = panel.get_untracked().map(web_sys::Element::from);
            if let Some(to) = reset_to(&action, root.as_ref()) {
                match to {
                    Ok(to) => {
                        let label = format!("Offsets reset to {}", to.describe());
                        ctl.fault(ctx, Fault::ResetOffsets { note: id, to }, &label);
                    }
                    Err(why) => ctx.status.set(why),
                }
                return;
            }
            let choice = ctx
                .editor
                .with_untracked(|e| faults_for(e.board(), &id))
                .into_iter()
                .find(|c| c.action == action);
            if let Some(c) = choice {
                ctl.fault(ctx, c.fault, c.label);
            }
        }
    };
    let on_change = move |ev: leptos::ev::Event| match event_action(&ev).as_deref() {
        Some("log-filter") => filter.set(match event_target_value(&ev).as_str() {
            "commands" => LogFilter::Commands,
            "events" => LogFilter::Events,
            "consumers" => LogFilter::Consumers,
            "problems" => LogFilter::Problems,
            _ => LogFilter::All,
        }),
        Some("log-selected") => only_selected.set(event_target_checked(&ev)),
        _ => {}
    };
    // Fields are listened to in the capture phase: a `change` or `input` that a script sends
    // without bubbling (the tests', the benchmarks') reaches the panel as a person's does.
    view! {
        <div class="run-panel" data-run-panel node_ref=panel inner_html=PANEL_HTML
            on:click=on_click on:change:capture=on_change />
    }
}

/// The reset a `fault-reset-time` or `fault-reset-offset` click asks for, read from its field
/// (an error naming what is wrong with it); none for another action.
fn reset_to(action: &str, panel: Option<&web_sys::Element>) -> Option<Result<ResetTo, String>> {
    let (field, what) = match action {
        "fault-reset-time" => ("[data-field='reset-time']", "a time in seconds"),
        "fault-reset-offset" => ("[data-field='reset-offset']", "an offset"),
        _ => return None,
    };
    let text = panel
        .and_then(|p| find(p, field))
        .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|input| input.value())
        .unwrap_or_default();
    let number = parse_number(text.trim()).filter(|n| n.is_finite() && *n >= 0.0);
    Some(match number {
        None => Err(format!("Reset offsets: “{text}” is not {what} (0 or more)")),
        Some(s) if action == "fault-reset-time" => Ok(ResetTo::Time((s * 1000.0).round() as u64)),
        Some(o) => Ok(ResetTo::Offset(o.floor() as u64)),
    })
}

/// A row of the log lights its causal chain on the board.
fn show_chain(ctx: Ctx, ctl: RunCtl, ev: &leptos::ev::MouseEvent) {
    let Some(row) = event_closest(ev, "[data-message]") else {
        return;
    };
    let (Some(m), Some(note)) = (
        row.get_attribute("data-message")
            .and_then(|m| m.parse().ok())
            .map(MessageId),
        row.get_attribute("data-row-note").map(NoteId),
    ) else {
        return;
    };
    let (chain, carried) = ctl
        .with(|run| {
            let mut notes = vec![note];
            for step in run.causal_chain(m) {
                notes.push(step.note.clone());
                if let Some(o) = step.origin {
                    notes.push(o);
                }
            }
            // What the event carried, for the status bar.
            let carried: Vec<String> = run
                .payload(m)
                .map(|p| p.fields.iter().map(|(n, v)| format!("{n} {v}")).collect())
                .unwrap_or_default();
            (notes, carried)
        })
        .unwrap_or_default();
    let lit = chain
        .iter()
        .collect::<crate::collections::HashSet<_>>()
        .len();
    let what = row.text_content().unwrap_or_default();
    let carried = if carried.is_empty() {
        String::new()
    } else {
        format!(" — it carried {}", carried.join(", "))
    };
    ctx.status.set(format!(
        "Causal chain of “{what}”: {lit} notes lit, the rest dimmed{carried}"
    ));
    ctl.chain.set(chain);
}

/// Colours of the lag chart's lines, one per consumer group in turn.
const LAG_COLOURS: [&str; 6] = [
    "#2f6feb", "#d98a00", "#2e9d52", "#c2185b", "#7b1fa2", "#00838f",
];
/// The lag chart's size (px).
const CHART: (f64, f64) = (280.0, 90.0);

/// A note's text, or its id if it has none.
fn named<'a>(names: &'a HashMap<NoteId, String>, id: &'a NoteId) -> &'a str {
    names.get(id).map_or(id.as_str(), String::as_str)
}

/// The lag chart (every group's lag over the run, the moment shown as a cursor) and its legend.
fn chart_html(run: &Run, end: u64, now: u64, names: &HashMap<NoteId, String>) -> String {
    let (w, h) = CHART;
    let end = end.max(1) as f64;
    let groups = &run.plan().groups;
    let series: Vec<_> = groups.iter().map(|g| run.lag_series(&g.note)).collect();
    let max = series
        .iter()
        .flat_map(|s| s.iter().map(|p| p.lag))
        .max()
        .unwrap_or(0)
        .max(5) as f64;
    let last: u64 = series.iter().filter_map(|s| s.last().map(|p| p.lag)).sum();
    let peak = series
        .iter()
        .flat_map(|s| s.iter().map(|p| p.lag))
        .max()
        .unwrap_or(0);
    let x = now as f64 / end * w;
    let mut out = format!(
        "<svg class=\"lag-chart\" data-lag-chart data-last-lag=\"{last}\" data-peak-lag=\"{peak}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"Consumer lag over time\"><line class=\"cursor\" x1=\"{x:.1}\" y1=\"0\" x2=\"{x:.1}\" y2=\"{h}\"/>"
    );
    for (i, (g, pts)) in groups.iter().zip(&series).enumerate() {
        out.push_str("<polyline data-lag-for=\"");
        escape_html(&mut out, g.note.as_str());
        let _ = write!(
            out,
            "\" stroke=\"{}\" fill=\"none\" stroke-width=\"1.5\" points=\"",
            LAG_COLOURS[i % LAG_COLOURS.len()]
        );
        for p in pts.iter() {
            let _ = write!(
                out,
                "{:.1},{:.1} ",
                p.at as f64 / end * w,
                h - p.lag as f64 / max * h
            );
        }
        out.push_str("\"/>");
    }
    let _ = write!(out, "</svg><p class=\"muted\">lag now {last}, peak {peak} messages (scale {max:.0})</p><ul class=\"chart-legend\">");
    for (i, g) in groups.iter().enumerate() {
        let _ = write!(
            out,
            "<li><span class=\"chip\" style=\"background:{}\"></span>",
            LAG_COLOURS[i % LAG_COLOURS.len()]
        );
        escape_html(&mut out, named(names, &g.note));
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    out
}

/// Each consumer group: its instances with the partitions they read, and each partition's log
/// end, committed offset and lag.
fn groups_html(run: &Run, board: &Board, names: &HashMap<NoteId, String>) -> String {
    let mut out = String::new();
    for g in &run.plan().groups {
        out.push_str("<div class=\"group-box\" data-group=\"");
        escape_html(&mut out, g.note.as_str());
        out.push_str("\"><strong>");
        escape_html(&mut out, named(names, &g.note));
        out.push_str("</strong> ");
        if g.props.group != g.note.0 {
            out.push_str("<span class=\"muted\">group ");
            escape_html(&mut out, &g.props.group);
            out.push_str("</span>");
        }
        if run.cluster().group_id(&g.name).is_err() {
            out.push_str(
                "<p class=\"muted\">not on the broker yet: it joins when it starts</p></div>",
            );
            continue;
        }
        out.push_str("<ul class=\"instances\">");
        for (k, i) in run.instances(&g.note).iter().enumerate() {
            let parts: Vec<String> = i
                .partitions
                .iter()
                .map(|p| partition_label(board, &p.topic, p.partition))
                .collect();
            let _ = write!(
                out,
                "<li{}>instance {}{}: ",
                if i.alive { "" } else { " class=\"down\"" },
                k + 1,
                if i.alive { "" } else { " (down)" }
            );
            escape_html(&mut out, if parts.is_empty() { "idle" } else { "" });
            escape_html(&mut out, &parts.join(", "));
            out.push_str("</li>");
        }
        out.push_str("</ul><table class=\"offsets\"><thead><tr><th>partition</th><th>log end</th><th>committed</th><th>lag</th></tr></thead><tbody>");
        for p in run
            .cluster()
            .lag(&g.name)
            .map(|l| l.partitions)
            .unwrap_or_default()
        {
            // The broker's topic names back to the board's.
            let topic = run
                .plan()
                .topics
                .iter()
                .find(|t| t.broker_name == p.topic)
                .map_or(&p.topic, |t| &t.name);
            out.push_str("<tr><td>");
            escape_html(&mut out, &partition_label(board, topic, p.partition));
            let committed = p
                .committed
                .map_or_else(|| "–".to_string(), |c| c.to_string());
            let _ = write!(
                out,
                "</td><td>{}</td><td>{committed}</td><td>{} ({} ms)</td></tr>",
                p.end_offset, p.lag, p.lag_ms
            );
        }
        out.push_str("</tbody></table></div>");
    }
    out
}

/// The latest events the filter keeps (of the selected note only, if asked), newest first;
/// a row with a message lights its causal chain when clicked.
fn log_html(
    run: &Run,
    board: &Board,
    names: &HashMap<NoteId, String>,
    filter: LogFilter,
    only: Option<&NoteId>,
) -> String {
    let mut out = String::new();
    let rows = run.events().iter().rev().filter(|e| {
        filter.keeps(e)
            && only.is_none_or(|id| {
                e.note == *id || e.from_note.as_ref() == Some(id) || e.to_note.as_ref() == Some(id)
            })
    });
    for e in rows.take(LOG_ROWS) {
        out.push_str("<li data-event><button class=\"log-row\" data-action=\"show-chain\" title=\"Highlight the causal chain on the board\"");
        match e.message {
            Some(m) => {
                let _ = write!(out, " data-message=\"{}\" data-row-note=\"", m.0);
                escape_html(&mut out, e.note.as_str());
                out.push_str("\">");
            }
            None => out.push_str(" disabled>"),
        }
        let text = format!(
            "{} {} — {}",
            seconds(e.at),
            named(names, &e.note),
            describe(board, e)
        );
        escape_html(&mut out, &text);
        out.push_str("</button></li>");
    }
    out
}
