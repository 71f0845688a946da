//! The Run tab: faults for the selected note, the broker's consumer groups, the lag chart and
//! the event log with causal chains.

use super::{seconds, RunCtl};
use crate::collections::HashMap;
use crate::{
    analysis::route_of_event,
    editor::Item,
    exec::{partition_label, ExecEvent, Fault},
    model::{NoteId, NoteKind},
    ui::state::Ctx,
};
use leptos::prelude::*;

mod log;

use log::{describe, LogFilter};

/// How many events the log shows at most (the latest).
const LOG_ROWS: usize = 200;

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
    let name =
        move |id: &NoteId| names.with(|n| n.get(id).cloned().unwrap_or_else(|| id.0.clone()));

    let faults = move || {
        let (id, kind, text) = selected.get()?;
        // A consumer group exists for a note that some event feeds.
        let is_group = kind.is_consumer()
            && ctx.board(|b| {
                b.links.iter().any(|l| {
                    l.to == id && b.note(&l.from).is_some_and(|n| n.kind == NoteKind::Event)
                })
            });
        let mut buttons: Vec<(&'static str, &'static str, Fault)> = Vec::new();
        if is_group {
            buttons.push((
                "fault-crash",
                "Crash an instance (restarts in 3 s)",
                Fault::CrashConsumer {
                    note: id.clone(),
                    instance: 0,
                    restart_after_ms: Some(3_000),
                },
            ));
            buttons.push((
                "fault-slow",
                "Slow it down (+50 ms a message)",
                Fault::SlowConsumer {
                    note: id.clone(),
                    instance: 0,
                    extra_ms: 50,
                },
            ));
            buttons.push((
                "fault-poison",
                "Send a poison message",
                Fault::Poison { note: id.clone() },
            ));
            buttons.push((
                "fault-add-instance",
                "Add an instance",
                Fault::RestartConsumer { note: id.clone() },
            ));
        }
        if kind == NoteKind::ExternalSystem {
            buttons.push((
                "fault-down",
                "Take it down",
                Fault::SystemDown {
                    note: id.clone(),
                    for_ms: None,
                },
            ));
            buttons.push((
                "fault-slow-system",
                "Slow its answers (+500 ms a call)",
                Fault::SlowSystem {
                    note: id.clone(),
                    extra_ms: 500,
                    for_ms: None,
                },
            ));
            buttons.push((
                "fault-up",
                "Bring it back to normal",
                Fault::SystemUp { note: id.clone() },
            ));
        }
        if kind == NoteKind::Aggregate {
            buttons.push((
                "fault-crash-aggregate",
                "Crash between save and publish",
                Fault::CrashAggregate { note: id.clone() },
            ));
        }
        if kind == NoteKind::Event {
            if let Some(route) = ctx.board(|b| route_of_event(b, &id)) {
                buttons.push((
                    "fault-partitions",
                    "Add a partition to its topic",
                    Fault::AddPartitions {
                        topic: route.topic,
                        total: route.partitions + 1,
                    },
                ));
            }
        }
        Some(view! {
            <section class="faults" data-faults>
                <h3>{format!("Faults on “{text}”")}</h3>
                {if buttons.is_empty() { Some(view! { <p class="muted">"No fault applies to this kind of note."</p> }) } else { None }}
                {buttons.into_iter().map(|(action, label, fault)| view! {
                    <button data-action=action on:click=move |_| ctl.fault(ctx, fault.clone(), label)>{label}</button>
                }).collect_view()}
            </section>
        })
    };

    let groups = move || {
        ctl.with(|run| {
            run.plan()
                .groups
                .iter()
                .map(|g| {
                    let mut lag = run.cluster().lag(&g.name).ok();
                    // The broker's topic names back to the board's.
                    for p in lag.iter_mut().flat_map(|l| l.partitions.iter_mut()) {
                        if let Some(t) = run.plan().topics.iter().find(|t| t.broker_name == p.topic)
                        {
                            p.topic = t.name.clone();
                        }
                    }
                    let instances = run.instances(&g.note);
                    let group = (g.props.group != g.note.0).then(|| g.props.group.clone());
                    (g.note.clone(), group, instances, lag)
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };

    let chart = move || {
        let end = ctl.end().max(1) as f64;
        let now = ctl.now.get();
        ctl.with(|run| {
            let series: Vec<(NoteId, Vec<(u64, u64)>)> = run
                .plan()
                .groups
                .iter()
                .map(|g| (g.note.clone(), run.lag_series(&g.note).iter().map(|s| (s.at, s.lag)).collect()))
                .collect();
            let max = series.iter().flat_map(|(_, s)| s.iter().map(|p| p.1)).max().unwrap_or(0).max(5) as f64;
            let last: u64 = series.iter().filter_map(|(_, s)| s.last().map(|p| p.1)).sum();
            let peak = series.iter().flat_map(|(_, s)| s.iter().map(|p| p.1)).max().unwrap_or(0);
            const W: f64 = 280.0;
            const H: f64 = 90.0;
            let colours = ["#2f6feb", "#d98a00", "#2e9d52", "#c2185b", "#7b1fa2", "#00838f"];
            let lines = series
                .iter()
                .enumerate()
                .map(|(i, (note, pts))| {
                    let points = pts.iter().map(|(at, lag)| format!("{:.1},{:.1}", *at as f64 / end * W, H - *lag as f64 / max * H)).collect::<Vec<_>>().join(" ");
                    view! { <polyline data-lag-for=note.0.clone() points=points stroke=colours[i % colours.len()] fill="none" stroke-width="1.5" /> }
                })
                .collect_view();
            let legend = series
                .iter()
                .enumerate()
                .map(|(i, (note, _))| view! { <li><span class="chip" style=format!("background:{}", colours[i % colours.len()])></span>{name(note)}</li> })
                .collect_view();
            let x = now as f64 / end * W;
            view! {
                <svg class="lag-chart" data-lag-chart data-last-lag=last.to_string() data-peak-lag=peak.to_string()
                    viewBox=format!("0 0 {W} {H}") width=W height=H role="img" aria-label="Consumer lag over time">
                    <line class="cursor" x1=x y1="0" x2=x y2=H />
                    {lines}
                </svg>
                <p class="muted">{format!("lag now {last}, peak {peak} messages (scale {max:.0})")}</p>
                <ul class="chart-legend">{legend}</ul>
            }
        })
    };

    let log = move || {
        let filter = filter.get();
        let only = only_selected
            .get()
            .then(|| selected.get().map(|s| s.0))
            .flatten();
        ctl.with(|run| {
            let rows: Vec<ExecEvent> = run
                .events()
                .iter()
                .rev()
                .filter(|e| filter.keeps(e) && only.as_ref().is_none_or(|id| e.note == *id || e.from_note.as_ref() == Some(id) || e.to_note.as_ref() == Some(id)))
                .take(LOG_ROWS)
                .cloned()
                .collect();
            rows.into_iter()
                .map(|e| {
                    let message = e.message;
                    // The row's own note (the consumer a delivery went to, the handler of a
                    // command) is lit with the chain that brought the message there.
                    let row_note = e.note.clone();
                    let text = format!("{} {} — {}", seconds(e.at), name(&e.note), ctx.board(|b| describe(b, &e)));
                    let what = text.clone();
                    view! {
                        <li data-event>
                            <button class="log-row" data-action="show-chain" disabled=message.is_none()
                                title="Highlight the causal chain on the board"
                                on:click=move |_| {
                                    let Some(m) = message else { return };
                                    let chain = ctl.with(|run| {
                                        let mut notes = vec![row_note.clone()];
                                        for step in run.causal_chain(m) {
                                            notes.push(step.note.clone());
                                            if let Some(o) = step.origin { notes.push(o); }
                                        }
                                        notes
                                    }).unwrap_or_default();
                                    let lit = chain.iter().collect::<crate::collections::HashSet<_>>().len();
                                    ctx.status.set(format!("Causal chain of “{what}”: {lit} notes lit, the rest dimmed"));
                                    ctl.chain.set(chain);
                                }>{text}</button>
                        </li>
                    }
                })
                .collect_view()
        })
    };

    view! {
        <div class="run-panel" data-run-panel>
            <h2>"Run"</h2>
            <p class="muted">"Press Play under the board. Select a note to inject a fault."</p>
            {move || {
                let problems = ctl.problems.get();
                (!problems.is_empty()).then(|| view! {
                    <ul class="run-problems" data-run-problems>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                })
            }}
            {faults}
            <Show when=move || ctl.active.get() fallback=|| view! { <p class="muted">"No run yet."</p> }>
                <h3>"Lag"</h3>
                {chart}
                <h3>"Consumer groups"</h3>
                <div class="groups" data-broker>
                    {move || groups().into_iter().map(|(note, group, instances, lag)| view! {
                        <div class="group-box" data-group=note.0.clone()>
                            <strong>{name(&note)}</strong>" "<span class="muted">{group.map(|g| format!("group {g}"))}</span>
                            <ul class="instances">
                                {instances.into_iter().enumerate().map(|(k, i)| {
                                    let parts = ctx.board(|b| i.partitions.iter().map(|p| partition_label(b, &p.topic, p.partition)).collect::<Vec<_>>().join(", "));
                                    view! { <li class:down=!i.alive>{format!("instance {}{}: {}", k + 1, if i.alive { "" } else { " (down)" }, if parts.is_empty() { "idle".to_string() } else { parts })}</li> }
                                }).collect_view()}
                            </ul>
                            <table class="offsets">
                                <thead><tr><th>"partition"</th><th>"log end"</th><th>"committed"</th><th>"lag"</th></tr></thead>
                                <tbody>
                                    {lag.map(|l| l.partitions.into_iter().map(|p| view! {
                                        <tr><td>{ctx.board(|b| partition_label(b, &p.topic, p.partition))}</td><td>{p.end_offset}</td>
                                            <td>{p.committed.map(|c| c.to_string()).unwrap_or_else(|| "–".into())}</td>
                                            <td>{format!("{} ({} ms)", p.lag, p.lag_ms)}</td></tr>
                                    }).collect_view())}
                                </tbody>
                            </table>
                        </div>
                    }).collect_view()}
                </div>
                <h3>"Event log"</h3>
                <div class="log-filters">
                    <select data-action="log-filter" on:change=move |ev| filter.set(match event_target_value(&ev).as_str() {
                        "commands" => LogFilter::Commands,
                        "events" => LogFilter::Events,
                        "consumers" => LogFilter::Consumers,
                        "problems" => LogFilter::Problems,
                        _ => LogFilter::All,
                    })>
                        <option value="all">"everything"</option>
                        <option value="commands">"commands"</option>
                        <option value="events">"events"</option>
                        <option value="consumers">"deliveries and reads"</option>
                        <option value="problems">"problems"</option>
                    </select>
                    <label><input type="checkbox" data-action="log-selected" on:change=move |ev| only_selected.set(event_target_checked(&ev)) />" selected note only"</label>
                    <button data-action="clear-chain" on:click=move |_| ctl.chain.set(Vec::new())>"Clear highlight"</button>
                </div>
                <ol class="event-log" data-event-log reversed>{log}</ol>
            </Show>
        </div>
    }
}
