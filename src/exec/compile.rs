//! Compiling a board onto broker words: topics, consumer groups, sources and command routes.
//!
//! Mapping decisions (see also the module docs of [`crate::exec`]):
//! - every event goes to the topic [`crate::analysis::event_routes`] gives it, so static and
//!   dynamic analysis agree; declared `topics` add partitions and retention;
//! - one consumer group per consuming note (policy, read model or external system with at
//!   least one event → note link), subscribed to the topics of those events;
//! - a command publishes exactly one event per run of it: the best word match among the
//!   events it may lead to (its own command → event links, else its aggregate's events),
//!   ties broken by board link order; the best failure event is published instead when a
//!   synchronous call fails or, with a small seeded probability, at random;
//! - sources are actors and external systems that nobody calls and nobody feeds.

use super::{Diagnostic, Problem};
use crate::{
    analysis::event_routes,
    model::{
        kind::link_meaning,
        props::{ConsumerProps, Delivery, PropsExt},
        Board, LinkMeaning, NoteId, NoteKind,
    },
};
use std::collections::BTreeMap;

/// Sentinel for "no note".
pub(crate) const NONE: u32 = u32::MAX;

/// Highest rate an actor or source may have, in commands per second.
pub const MAX_RATE: f64 = 1_000_000.0;
/// Highest number of distinct keys a source addresses.
pub const MAX_ENTITIES: u64 = 1_000_000;
/// Highest number of instances of one consumer group (the broker's limit).
pub const MAX_INSTANCES: u64 = 1_000;

/// A topic created on the broker.
#[derive(Clone, Debug, PartialEq)]
pub struct TopicPlan {
    /// The topic's name on the board.
    pub name: String,
    /// The name on the broker (the board name with characters the broker refuses replaced).
    pub broker_name: String,
    /// Partitions.
    pub partitions: u32,
    /// Partitioning key field, if any.
    pub key: Option<String>,
    /// Retention in milliseconds, if any.
    pub retention_ms: Option<u64>,
}

/// A consumer group created for a consuming note.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupPlan {
    /// The consuming note.
    pub note: NoteId,
    /// Group name on the broker.
    pub name: String,
    /// Its settings, defaults applied (instances capped at [`MAX_INSTANCES`]).
    pub props: ConsumerProps,
    /// Topic indexes (into [`Plan::topics`]) it subscribes to, in board order.
    pub topics: Vec<usize>,
    pub(crate) ix: u32,
    pub(crate) subscriptions: Vec<(u32, u32)>,
    pub(crate) issues: Vec<(u32, u32)>,
    pub(crate) publishes: Vec<(u32, u32)>,
    pub(crate) calls: Vec<(u32, u32)>,
    pub(crate) reads: Vec<(u32, u32)>,
    pub(crate) own_latency_ms: u64,
}

/// Something that starts flows on its own: an actor, or an external system nobody calls.
#[derive(Clone, Debug, PartialEq)]
pub struct SourcePlan {
    /// The note.
    pub note: NoteId,
    /// Commands (or events) per second.
    pub rate: f64,
    /// Distinct keys addressed.
    pub entities: u64,
    /// Delay before reading after a write.
    pub read_delay_ms: u64,
    pub(crate) ix: u32,
    pub(crate) issues: Vec<(u32, u32)>,
    pub(crate) publishes: Vec<(u32, u32)>,
    pub(crate) reads: Vec<(u32, u32)>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct CommandPlan {
    pub aggregate: Option<(u32, u32)>,
    pub success: Option<(u32, u32)>,
    pub failure: Option<(u32, u32)>,
    pub calls: Vec<(u32, u32)>,
    pub handled: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct EventPlan {
    pub topic: usize,
    pub keyed: bool,
    pub by_entity: bool,
    pub aggregate: u32,
    pub failure: bool,
    pub subscribers: Vec<u32>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct AggregatePlan {
    pub outbox: bool,
    pub state_store: bool,
    pub reads: Vec<(u32, u32)>,
}

/// A board compiled onto broker words.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Topics, in creation order.
    pub topics: Vec<TopicPlan>,
    /// Consumer groups, in board order of their notes.
    pub groups: Vec<GroupPlan>,
    /// Sources of commands, in board order.
    pub sources: Vec<SourcePlan>,
    /// Problems found while compiling (errors stop a run; warnings do not).
    pub diagnostics: Vec<Diagnostic>,
    pub(crate) ids: Vec<NoteId>,
    pub(crate) kinds: Vec<NoteKind>,
    pub(crate) frames: Vec<Option<String>>,
    pub(crate) commands: Vec<Option<CommandPlan>>,
    pub(crate) events: Vec<Option<EventPlan>>,
    pub(crate) aggregates: Vec<Option<AggregatePlan>>,
    pub(crate) systems: Vec<Option<(u64, f64)>>,
    pub(crate) group_of: Vec<u32>,
    pub(crate) compensates: Vec<bool>,
    pub(crate) version_token: Vec<bool>,
}

impl Plan {
    /// The group compiled for a consuming note.
    pub fn group_of(&self, note: &NoteId) -> Option<&GroupPlan> {
        let i = self.ids.iter().position(|n| n == note)?;
        self.groups.get(*self.group_of.get(i)? as usize)
    }

    /// The topic with this board name.
    pub fn topic(&self, name: &str) -> Option<&TopicPlan> {
        self.topics.iter().find(|t| t.name == name)
    }

    /// The index of a note.
    pub(crate) fn ix(&self, note: &NoteId) -> Option<u32> {
        self.ids.iter().position(|n| n == note).map(|i| i as u32)
    }

    /// True if no error stops a run.
    pub fn runnable(&self) -> bool {
        self.diagnostics.iter().all(|d| !d.is_error())
    }
}

/// A name the broker accepts: letters, digits, `.`, `_`, `-`, at most 200 bytes.
fn broker_name(name: &str, used: &mut BTreeMap<String, u32>) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(200)
        .collect();
    if s.is_empty() || s == "." || s == ".." {
        s = format!("t{s}");
    }
    let n = used.entry(s.clone()).or_insert(0);
    *n += 1;
    if *n > 1 {
        s = format!("{s}-{n}");
    }
    s
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(|w| w.to_lowercase().chars().take(4).collect())
        .collect()
}

/// Compiles a board; never panics, whatever the board.
pub fn compile(board: &Board) -> Plan {
    let n = board.notes.len();
    let mut diagnostics = Vec::new();
    let mut by_id: BTreeMap<&str, u32> = BTreeMap::new();
    for (i, note) in board.notes.iter().enumerate() {
        by_id.entry(note.id.as_str()).or_insert(i as u32);
    }
    let kinds: Vec<NoteKind> = board.notes.iter().map(|n| n.kind).collect();
    // Adjacency: (meaning, far end, link index), board order, duplicates and self-links dropped.
    let mut out: Vec<Vec<(LinkMeaning, u32, u32)>> = vec![Vec::new(); n];
    let mut inn: Vec<Vec<(LinkMeaning, u32, u32)>> = vec![Vec::new(); n];
    for (li, link) in board.links.iter().enumerate() {
        let (Some(&a), Some(&b)) = (by_id.get(link.from.as_str()), by_id.get(link.to.as_str()))
        else {
            continue;
        };
        if a == b {
            continue;
        }
        let Some(m) = link_meaning(kinds[a as usize], kinds[b as usize]) else {
            continue;
        };
        if out[a as usize].iter().any(|&(_, x, _)| x == b) {
            continue;
        }
        out[a as usize].push((m, b, li as u32));
        inn[b as usize].push((m, a, li as u32));
    }
    let succ = |i: u32, m: LinkMeaning| -> Vec<(u32, u32)> {
        out[i as usize]
            .iter()
            .filter(|e| e.0 == m)
            .map(|e| (e.1, e.2))
            .collect()
    };
    let pred = |i: u32, m: LinkMeaning| -> Vec<(u32, u32)> {
        inn[i as usize]
            .iter()
            .filter(|e| e.0 == m)
            .map(|e| (e.1, e.2))
            .collect()
    };
    let note = |i: u32| &board.notes[i as usize];
    let id = |i: u32| note(i).id.clone();

    // Topics: routes of events, then declared topics.
    let mut topics: Vec<TopicPlan> = Vec::new();
    let mut used = BTreeMap::new();
    let mut topic_ix: BTreeMap<String, usize> = BTreeMap::new();
    let mut add_topic = |name: &str, partitions: u32, topics: &mut Vec<TopicPlan>| -> usize {
        if let Some(&t) = topic_ix.get(name) {
            return t;
        }
        let declared = board.topic(name);
        topics.push(TopicPlan {
            name: name.to_string(),
            broker_name: broker_name(name, &mut used),
            partitions: declared
                .map_or(partitions, |t| t.partitions)
                .clamp(1, 10_000),
            key: declared.and_then(|t| t.key.clone()),
            retention_ms: declared.and_then(|t| t.retention_ms),
        });
        topic_ix.insert(name.to_string(), topics.len() - 1);
        topics.len() - 1
    };
    let mut events: Vec<Option<EventPlan>> = vec![None; n];
    for (eid, route) in event_routes(board) {
        let Some(&e) = by_id.get(eid.as_str()) else {
            continue;
        };
        let t = add_topic(&route.topic, route.partitions, &mut topics);
        let agg = route
            .aggregate
            .as_ref()
            .and_then(|a| by_id.get(a.as_str()).copied());
        let id_field = agg.map(|a| {
            note(a)
                .props
                .text("id_field")
                .filter(|s| !s.trim().is_empty())
                .unwrap_or("id")
        });
        let by_entity = match (&route.key, id_field) {
            (Some(k), Some(f)) => k == f,
            (Some(_), None) => true,
            (None, _) => false,
        };
        events[e as usize] = Some(EventPlan {
            topic: t,
            keyed: route.key.is_some(),
            by_entity,
            aggregate: agg.unwrap_or(NONE),
            failure: note(e).props.flag("failure", false),
            subscribers: Vec::new(),
        });
    }
    for t in &board.topics {
        add_topic(&t.name, t.partitions, &mut topics);
    }

    // Consumer groups.
    let mut groups: Vec<GroupPlan> = Vec::new();
    let mut group_of = vec![NONE; n];
    let mut group_names: BTreeMap<String, u32> = BTreeMap::new();
    let mut gused = BTreeMap::new();
    for i in 0..n as u32 {
        if !kinds[i as usize].is_consumer() {
            continue;
        }
        let subscriptions = pred(i, LinkMeaning::Subscribes);
        if subscriptions.is_empty() {
            continue;
        }
        let mut props = ConsumerProps::of(note(i));
        if props.instances > MAX_INSTANCES {
            diagnostics.push(Diagnostic::warning(
                vec![id(i)],
                Problem::InstancesCapped {
                    asked: props.instances,
                    cap: MAX_INSTANCES,
                },
            ));
            props.instances = MAX_INSTANCES;
        }
        if let Some(&other) = group_names.get(&props.group) {
            diagnostics.push(Diagnostic::error(
                vec![id(i), id(other)],
                Problem::SharedGroup {
                    group: props.group.clone(),
                },
            ));
            continue;
        }
        group_names.insert(props.group.clone(), i);
        let mut tl: Vec<usize> = Vec::new();
        for &(e, _) in &subscriptions {
            if let Some(ev) = &events[e as usize] {
                if !tl.contains(&ev.topic) {
                    tl.push(ev.topic);
                }
            }
        }
        let g = groups.len() as u32;
        for &(e, _) in &subscriptions {
            if let Some(ev) = events[e as usize].as_mut() {
                ev.subscribers.push(g);
            }
        }
        group_of[i as usize] = g;
        let own_latency_ms = if kinds[i as usize] == NoteKind::ExternalSystem {
            note(i)
                .props
                .number("latency_ms", 50.0)
                .clamp(0.0, 3_600_000.0) as u64
        } else {
            0
        };
        groups.push(GroupPlan {
            note: id(i),
            name: broker_name(&props.group, &mut gused),
            props,
            topics: tl,
            ix: i,
            subscriptions,
            issues: succ(i, LinkMeaning::Issues),
            publishes: succ(i, LinkMeaning::Publishes),
            calls: succ(i, LinkMeaning::Calls),
            reads: pred(i, LinkMeaning::Reads),
            own_latency_ms,
        });
    }

    // Sources.
    let mut sources = Vec::new();
    for i in 0..n as u32 {
        let kind = kinds[i as usize];
        let source = match kind {
            NoteKind::Actor => true,
            NoteKind::ExternalSystem => {
                pred(i, LinkMeaning::Calls).is_empty()
                    && pred(i, LinkMeaning::Subscribes).is_empty()
                    && !(succ(i, LinkMeaning::Issues).is_empty()
                        && succ(i, LinkMeaning::Publishes).is_empty())
            }
            _ => false,
        };
        if !source {
            continue;
        }
        let p = &note(i).props;
        let mut rate = p.number("rate", 1.0).max(0.0);
        if rate > MAX_RATE {
            diagnostics.push(Diagnostic::warning(
                vec![id(i)],
                Problem::RateCapped {
                    asked: rate,
                    cap: MAX_RATE,
                },
            ));
            rate = MAX_RATE;
        }
        let mut entities = p.int("entities", 100).max(1);
        if entities > MAX_ENTITIES {
            diagnostics.push(Diagnostic::warning(
                vec![id(i)],
                Problem::EntitiesCapped {
                    asked: entities,
                    cap: MAX_ENTITIES,
                },
            ));
            entities = MAX_ENTITIES;
        }
        let issues = succ(i, LinkMeaning::Issues);
        let publishes = if kind == NoteKind::ExternalSystem {
            succ(i, LinkMeaning::Publishes)
        } else {
            Vec::new()
        };
        sources.push(SourcePlan {
            note: id(i),
            rate,
            entities,
            read_delay_ms: p.number("read_delay_ms", 0.0).clamp(0.0, 3_600_000.0) as u64,
            ix: i,
            issues,
            publishes,
            reads: pred(i, LinkMeaning::Reads),
        });
    }

    // Commands and aggregates.
    let mut commands: Vec<Option<CommandPlan>> = vec![None; n];
    let mut aggregates: Vec<Option<AggregatePlan>> = vec![None; n];
    let mut systems: Vec<Option<(u64, f64)>> = vec![None; n];
    for i in 0..n as u32 {
        match kinds[i as usize] {
            NoteKind::Aggregate => {
                let p = &note(i).props;
                aggregates[i as usize] = Some(AggregatePlan {
                    outbox: p.flag("outbox", false),
                    state_store: p.text("store") != Some("event_sourced"),
                    reads: pred(i, LinkMeaning::Reads),
                });
            }
            NoteKind::ExternalSystem => {
                let p = &note(i).props;
                systems[i as usize] = Some((
                    p.number("latency_ms", 50.0).clamp(0.0, 3_600_000.0) as u64,
                    p.number("availability", 0.999).clamp(0.0, 1.0),
                ));
            }
            NoteKind::Command => {
                let aggregate = succ(i, LinkMeaning::Handles).into_iter().next();
                let direct = succ(i, LinkMeaning::Publishes);
                let candidates = if !direct.is_empty() {
                    direct
                } else {
                    aggregate
                        .map(|(a, _)| succ(a, LinkMeaning::Publishes))
                        .unwrap_or_default()
                };
                let mine = words(&format!("{} {}", note(i).id, note(i).text));
                let score = |e: u32| {
                    let theirs = words(&format!("{} {}", note(e).id, note(e).text));
                    mine.iter().filter(|w| theirs.contains(w)).count()
                };
                let is_failure = |e: u32| note(e).props.flag("failure", false);
                let best = |failure: bool| {
                    candidates
                        .iter()
                        .filter(|&&(e, _)| is_failure(e) == failure)
                        .max_by(|a, b| score(a.0).cmp(&score(b.0)).then(b.1.cmp(&a.1)))
                        .copied()
                };
                let failure = best(true);
                let success = best(false).or(failure);
                let mut calls = succ(i, LinkMeaning::Calls);
                if let Some((a, _)) = aggregate {
                    calls.extend(succ(a, LinkMeaning::Calls));
                }
                let handled = aggregate.is_some() || success.is_some();
                if !handled && !pred(i, LinkMeaning::Issues).is_empty() {
                    diagnostics.push(Diagnostic::warning(
                        vec![id(i)],
                        Problem::CommandGoesNowhere,
                    ));
                }
                commands[i as usize] = Some(CommandPlan {
                    aggregate,
                    success,
                    failure,
                    calls,
                    handled,
                });
            }
            _ => {}
        }
    }
    Plan {
        topics,
        groups,
        sources,
        diagnostics,
        ids: board.notes.iter().map(|n| n.id.clone()).collect(),
        kinds,
        frames: board
            .notes
            .iter()
            .map(|n| n.frame.as_ref().map(|f| f.0.clone()))
            .collect(),
        commands,
        events,
        aggregates,
        systems,
        group_of,
        compensates: board
            .notes
            .iter()
            .map(|n| n.props.flag("compensates", false))
            .collect(),
        version_token: board
            .notes
            .iter()
            .map(|n| n.props.flag("version_token", false))
            .collect(),
    }
}

/// The board's delivery word as the broker's commit mode.
pub(crate) fn delivery_mode(d: Delivery) -> crate::broker::DeliveryMode {
    match d {
        Delivery::AtLeastOnce => crate::broker::DeliveryMode::AtLeastOnce,
        Delivery::AtMostOnce => crate::broker::DeliveryMode::AtMostOnce,
        Delivery::ExactlyOnce => crate::broker::DeliveryMode::ExactlyOnce,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_stems_of_three_letters_or_more() {
        assert_eq!(
            words("reserve-stock Out of stock"),
            vec!["rese", "stoc", "out", "stoc"]
        );
    }

    #[test]
    fn broker_names_are_valid_and_distinct() {
        let mut used = BTreeMap::new();
        assert_eq!(broker_name("my topic", &mut used), "my_topic");
        assert_eq!(broker_name("my_topic", &mut used), "my_topic-2");
        assert_eq!(broker_name("", &mut used), "t");
        assert!(crate::broker::types::validate_name(&broker_name("é/ü", &mut used)).is_ok());
    }
}
