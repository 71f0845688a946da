//! Rules about topics, keys and partitions: FS003, FS007, FS008.

use super::{
    finding::{Finding, FixAction, HazardCode, Severity},
    index::{Index, Ix},
};
use crate::model::{
    index::id_field,
    kind::{LinkMeaning, NoteKind},
    props::{PropsExt, DEFAULT_ENTITIES},
};
use serde_json::json;

/// FS003: an ordered consumer that can get one aggregate's events out of order.
pub(crate) fn out_of_order(ix: &Index, out: &mut Vec<Finding>) {
    for c in 0..ix.len() {
        let Some(props) = ix.consumer(c) else {
            continue;
        };
        if !props.ordered || !ix.is_active_consumer(c) {
            continue;
        }
        let events: Vec<Ix> = ix.pred(c, LinkMeaning::Subscribes).collect();
        // Each aggregate's events, aggregates in index order, events in subscription order.
        let mut by_aggregate: Vec<(Ix, Vec<Ix>)> = Vec::new();
        for &e in &events {
            if let Some(agg) = ix.aggregate_of(e) {
                match by_aggregate.binary_search_by_key(&agg, |(a, _)| *a) {
                    Ok(i) => by_aggregate[i].1.push(e),
                    Err(i) => by_aggregate.insert(i, (agg, vec![e])),
                }
            }
        }
        for (agg, agg_events) in &by_aggregate {
            let agg = *agg;
            let mut topics: Vec<&str> = agg_events
                .iter()
                .filter_map(|&e| ix.route(e))
                .map(|r| r.topic.as_str())
                .collect();
            topics.sort_unstable();
            topics.dedup();
            if topics.len() > 1 {
                out.push(Finding::new(
                    HazardCode::FS003,
                    Severity::Warning,
                    ix.ids([c, agg].into_iter().chain(agg_events.iter().copied())),
                    format!(
                        "{} relies on order but gets {}'s events from {} topics ({}): Kafka keeps no order across \
                         topics, so one {}'s events can arrive in another order than they happened",
                        ix.name(c),
                        ix.name(agg),
                        topics.len(),
                        topics.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", "),
                        ix.name(agg)
                    ),
                    format!("Publish all of {}'s events to one topic, keyed by its id", ix.name(agg)),
                ));
            }
            let want = id_field(ix.note(agg));
            let miskeyed: Vec<Ix> = agg_events
                .iter()
                .copied()
                .filter(|&e| {
                    ix.route(e)
                        .is_some_and(|r| r.partitions > 1 && r.key.as_deref() != Some(want))
                })
                .collect();
            if let Some(&first) = miskeyed.first() {
                let route = ix
                    .route(first)
                    .map(|r| (r.topic.clone(), r.key.clone(), r.partitions));
                let (topic, key, partitions) = route.unwrap_or_default();
                out.push(Finding::new(
                    HazardCode::FS003,
                    Severity::Warning,
                    ix.ids([c, agg].into_iter().chain(miskeyed.iter().copied())),
                    format!(
                        "{} relies on order, but {} goes to topic \"{topic}\" ({partitions} partitions) keyed by \
                         \"{}\", not by {}'s id \"{want}\": events of one {} can land on different partitions and \
                         overtake each other",
                        ix.name(c),
                        ix.names(&miskeyed),
                        key.unwrap_or_default(),
                        ix.name(agg),
                        ix.name(agg)
                    ),
                    format!("Key {} by \"{want}\" (the aggregate's id)", ix.names(&miskeyed)),
                ));
            }
        }
        if props.retry_topic {
            out.push(
                Finding::new(
                    HazardCode::FS003,
                    Severity::Warning,
                    ix.ids(std::iter::once(c).chain(events.iter().copied())),
                    format!(
                        "{} relies on order but retries through a retry topic: a failed event is processed after \
                         the ones behind it",
                        ix.name(c)
                    ),
                    format!("Retry in place (blocking retries) for {}, or drop its need for order", ix.name(c)),
                )
                .with_fix(FixAction::set(
                    "Use blocking retries",
                    &ix.id(c),
                    "retry",
                    json!("blocking"),
                )),
            );
        }
    }
}

/// FS007: a consumer group with more instances than the partitions it reads.
///
/// Info: idle instances waste capacity and suggest throughput the group cannot reach, but lose
/// nothing. Partitions are summed over the distinct topics the group reads, so the instances
/// counted idle are idle under every assignor.
pub(crate) fn idle_consumers(ix: &Index, out: &mut Vec<Finding>) {
    for c in 0..ix.len() {
        let Some(props) = ix.consumer(c) else {
            continue;
        };
        if !ix.is_active_consumer(c) {
            continue;
        }
        let events: Vec<Ix> = ix.pred(c, LinkMeaning::Subscribes).collect();
        let topics = ix.consumed_topics(c);
        let partitions: u64 = topics.iter().map(|&(_, p)| u64::from(p)).sum();
        if props.instances <= partitions {
            continue;
        }
        let names = topics
            .iter()
            .map(|(t, _)| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(
            Finding::new(
                HazardCode::FS007,
                Severity::Info,
                ix.ids(std::iter::once(c).chain(events.iter().copied())),
                format!(
                    "{} runs {} instances but reads only {partitions} partition{} ({names}): {} instance{} sit idle",
                    ix.name(c),
                    props.instances,
                    if partitions == 1 { "" } else { "s" },
                    props.instances - partitions,
                    if props.instances - partitions == 1 { "" } else { "s" }
                ),
                format!("Give {names} at least {} partitions, or run {partitions} instances", props.instances),
            )
            .with_fix(FixAction::set(
                format!("Run {partitions} instances"),
                &ix.id(c),
                "instances",
                json!(partitions),
            )),
        );
    }
}

/// Adds `v` to the sorted set of `key` in a list sorted by key (a board has a few topics: sorted
/// lists serve as the map and the sets).
fn add_to<'a>(groups: &mut Vec<(&'a str, Vec<Ix>)>, key: &'a str, v: Ix) {
    let i = match groups.binary_search_by(|(k, _)| (*k).cmp(key)) {
        Ok(i) => i,
        Err(i) => {
            groups.insert(i, (key, Vec::new()));
            i
        }
    };
    let set = &mut groups[i].1;
    if let Err(j) = set.binary_search(&v) {
        set.insert(j, v);
    }
}

/// FS008: a topic with more partitions than its producers have keys, or a keyless topic read in order.
pub(crate) fn hot_partition(ix: &Index, out: &mut Vec<Finding>) {
    // Actors whose commands publish directly (command → event, or through the handling aggregate).
    let mut producers: Vec<(&str, Vec<Ix>)> = Vec::new();
    let mut events_of: Vec<(&str, Vec<Ix>)> = Vec::new();
    for actor in ix.of_kind(NoteKind::Actor) {
        for command in ix.succ(actor, LinkMeaning::Issues) {
            let direct = ix.succ(command, LinkMeaning::Publishes);
            let handled = ix
                .succ(command, LinkMeaning::Handles)
                .flat_map(|a| ix.succ(a, LinkMeaning::Publishes));
            for e in direct.chain(handled) {
                if let Some(r) = ix.route(e) {
                    add_to(&mut producers, &r.topic, actor);
                    add_to(&mut events_of, &r.topic, e);
                }
            }
        }
    }
    for (topic, actors) in &producers {
        let events: Vec<Ix> = events_of
            .iter()
            .find(|(t, _)| t == topic)
            .map(|(_, s)| s.clone())
            .unwrap_or_default();
        let Some(route) = events.first().and_then(|&e| ix.route(e)) else {
            continue;
        };
        if route.key.is_none() {
            continue;
        }
        let entities: u64 = actors
            .iter()
            .map(|&a| ix.note(a).props.int("entities", DEFAULT_ENTITIES).max(1))
            .fold(0, u64::saturating_add);
        let partitions = u64::from(route.partitions);
        if partitions <= entities {
            continue;
        }
        out.push(Finding::new(
            HazardCode::FS008,
            Severity::Warning,
            ix.ids(events.iter().copied().chain(actors.iter().copied())),
            format!(
                "Topic \"{topic}\" has {partitions} partitions but {} address{} only {entities} distinct key{}: at \
                 least {} partitions stay empty while a few take all the traffic",
                ix.names(actors),
                if actors.len() == 1 { "es" } else { "" },
                if entities == 1 { "" } else { "s" },
                partitions - entities
            ),
            format!(
                "Use at most {entities} partitions for \"{topic}\", or key it by something with more distinct values"
            ),
        ));
    }
    // Keyless events read by a consumer that relies on order.
    let mut keyless_events: Vec<(&str, Vec<Ix>)> = Vec::new();
    let mut keyless_readers: Vec<(&str, Vec<Ix>)> = Vec::new();
    for e in ix.of_kind(NoteKind::Event) {
        let Some(route) = ix.route(e) else { continue };
        if route.key.is_some() {
            continue;
        }
        let ordered: Vec<Ix> = ix
            .succ(e, LinkMeaning::Subscribes)
            .filter(|&c| ix.consumer(c).is_some_and(|p| p.ordered))
            .collect();
        if ordered.is_empty() {
            continue;
        }
        add_to(&mut keyless_events, &route.topic, e);
        for c in ordered {
            add_to(&mut keyless_readers, &route.topic, c);
        }
    }
    // Both lists hold the same topics in the same order: a topic gets an event and its readers.
    for ((topic, events), (_, consumers)) in keyless_events.into_iter().zip(keyless_readers) {
        out.push(Finding::new(
            HazardCode::FS008,
            Severity::Warning,
            ix.ids(events.iter().copied().chain(consumers.iter().copied())),
            format!(
                "{} on topic \"{topic}\" carr{} no key, yet {} rel{} on order: order only holds if everything goes \
                 through one partition, which then takes the whole load",
                ix.names(&events),
                if events.len() == 1 { "ies" } else { "y" },
                ix.names(&consumers),
                if consumers.len() == 1 { "ies" } else { "y" }
            ),
            format!(
                "Give {} a key (the id of the thing it is about) so the load spreads and order holds per key",
                ix.names(&events)
            ),
        ));
    }
}
