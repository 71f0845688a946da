//! Compiling the notes that act: consumer groups, sources, commands, aggregates and systems.

use super::{
    broker_name, AggregatePlan, CommandPlan, EventPlan, GroupPlan, SourcePlan, SystemPlan,
};
use crate::collections::{HashMap, HashSet};
use crate::{
    exec::{
        ix::{GroupIx, NoteIx},
        Diagnostic, Problem,
    },
    model::{
        index::BoardIndex,
        limits::{MAX_ENTITIES, MAX_INSTANCES, MAX_LATENCY_MS, MAX_RATE, MAX_READ_DELAY_MS},
        outcome,
        props::{
            ConsumerProps, PropsExt, DEFAULT_AVAILABILITY, DEFAULT_ENTITIES, DEFAULT_LATENCY_MS,
            DEFAULT_RATE, DEFAULT_READ_DELAY_MS,
        },
        LinkMeaning, NoteKind,
    },
};

/// A duration prop in ms, clamped to `0 ..= max`, the prop's limit (a loaded board is within
/// it already; a board built in code may not be).
fn duration_ms(ix: &BoardIndex, i: NoteIx, name: &str, default: f64, max: f64) -> u64 {
    ix.note(i).props.number(name, default).clamp(0.0, max) as u64
}

/// One group per consuming note some event feeds, in board order, with each note's group;
/// subscribes the groups to their events.
pub(super) fn groups(
    ix: &BoardIndex,
    events: &mut [Option<EventPlan>],
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<GroupPlan>, Vec<Option<GroupIx>>) {
    let mut groups: Vec<GroupPlan> = Vec::new();
    let mut group_of = vec![None; ix.len()];
    let mut group_names: HashMap<String, NoteIx> = HashMap::default();
    let mut used = HashSet::default();
    for i in ix.notes() {
        if !ix.kind(i).is_consumer() {
            continue;
        }
        let subscriptions = ix.pred_in_link_order(i, LinkMeaning::Subscribes);
        if subscriptions.is_empty() {
            continue;
        }
        let mut props = ConsumerProps::of(ix.note(i));
        if props.instances > MAX_INSTANCES {
            diagnostics.push(Diagnostic::warning(
                vec![ix.id(i)],
                Problem::InstancesCapped {
                    asked: props.instances,
                    cap: MAX_INSTANCES,
                },
            ));
            props.instances = MAX_INSTANCES;
        }
        if let Some(&other) = group_names.get(&props.group) {
            diagnostics.push(Diagnostic::error(
                vec![ix.id(i), ix.id(other)],
                Problem::SharedGroup {
                    group: props.group.clone(),
                },
            ));
            continue;
        }
        group_names.insert(props.group.clone(), i);
        let mut topics = Vec::new();
        for s in &subscriptions {
            if let Some(ev) = &events[s.note.index()] {
                if !topics.contains(&ev.topic) {
                    topics.push(ev.topic);
                }
            }
        }
        let g = GroupIx::at(groups.len());
        for s in &subscriptions {
            if let Some(ev) = events[s.note.index()].as_mut() {
                ev.subscribers.push(g);
            }
        }
        group_of[i.index()] = Some(g);
        let own_latency_ms = if ix.kind(i) == NoteKind::ExternalSystem {
            duration_ms(ix, i, "latency_ms", DEFAULT_LATENCY_MS, MAX_LATENCY_MS)
        } else {
            0
        };
        groups.push(GroupPlan {
            note: ix.id(i),
            name: broker_name(&props.group, &mut used),
            props,
            topics,
            ix: i,
            subscriptions,
            issues: ix.succ_in_link_order(i, LinkMeaning::Issues),
            publishes: ix.succ_in_link_order(i, LinkMeaning::Publishes),
            calls: ix.succ_in_link_order(i, LinkMeaning::Calls),
            reads: ix.pred_in_link_order(i, LinkMeaning::Reads),
            own_latency_ms,
        });
    }
    (groups, group_of)
}

/// The sources, in board order, their rates and entities capped at the model's limits (with a
/// warning: only a board built in code can be over them, a loaded one is refused).
pub(super) fn sources(ix: &BoardIndex, diagnostics: &mut Vec<Diagnostic>) -> Vec<SourcePlan> {
    let mut sources = Vec::new();
    for i in ix.notes().filter(|&i| ix.is_source(i)) {
        let p = &ix.note(i).props;
        let mut rate = p.number("rate", DEFAULT_RATE).max(0.0);
        if rate > MAX_RATE {
            diagnostics.push(Diagnostic::warning(
                vec![ix.id(i)],
                Problem::RateCapped {
                    asked: rate,
                    cap: MAX_RATE,
                },
            ));
            rate = MAX_RATE;
        }
        let mut entities = p.int("entities", DEFAULT_ENTITIES).max(1);
        if entities > MAX_ENTITIES {
            diagnostics.push(Diagnostic::warning(
                vec![ix.id(i)],
                Problem::EntitiesCapped {
                    asked: entities,
                    cap: MAX_ENTITIES,
                },
            ));
            entities = MAX_ENTITIES;
        }
        let publishes = if ix.kind(i) == NoteKind::ExternalSystem {
            ix.succ_in_link_order(i, LinkMeaning::Publishes)
        } else {
            Vec::new()
        };
        sources.push(SourcePlan {
            note: ix.id(i),
            rate,
            entities,
            read_delay_ms: duration_ms(
                ix,
                i,
                "read_delay_ms",
                DEFAULT_READ_DELAY_MS,
                MAX_READ_DELAY_MS,
            ),
            ix: i,
            issues: ix.succ_in_link_order(i, LinkMeaning::Issues),
            publishes,
            reads: ix.pred_in_link_order(i, LinkMeaning::Reads),
        });
    }
    sources
}

/// How an aggregate saves and what it reads.
pub(super) fn aggregate(ix: &BoardIndex, i: NoteIx) -> AggregatePlan {
    let p = &ix.note(i).props;
    AggregatePlan {
        outbox: p.flag("outbox", false),
        state_store: p.text("store") != Some("event_sourced"),
        reads: ix.pred_in_link_order(i, LinkMeaning::Reads),
    }
}

/// How an external system answers.
pub(super) fn system(ix: &BoardIndex, i: NoteIx) -> SystemPlan {
    SystemPlan {
        latency_ms: duration_ms(ix, i, "latency_ms", DEFAULT_LATENCY_MS, MAX_LATENCY_MS),
        availability: ix
            .note(i)
            .props
            .number("availability", DEFAULT_AVAILABILITY)
            .clamp(0.0, 1.0),
    }
}

/// What running a command does: its aggregate, its calls, and which event it publishes (the
/// rule of [`crate::model::outcome`]).
pub(super) fn command(
    ix: &BoardIndex,
    i: NoteIx,
    diagnostics: &mut Vec<Diagnostic>,
) -> CommandPlan {
    let outcome::Outcome {
        aggregate,
        success,
        failure,
        ..
    } = outcome::of(ix, i);
    let mut calls = ix.succ_in_link_order(i, LinkMeaning::Calls);
    if let Some(a) = aggregate {
        calls.extend(ix.succ_in_link_order(a.note, LinkMeaning::Calls));
    }
    let handled = aggregate.is_some() || success.is_some();
    if !handled && ix.pred(i, LinkMeaning::Issues).next().is_some() {
        diagnostics.push(Diagnostic::warning(
            vec![ix.id(i)],
            Problem::CommandGoesNowhere,
        ));
    }
    CommandPlan {
        aggregate,
        success,
        failure,
        calls,
        handled,
    }
}
