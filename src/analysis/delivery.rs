//! Rules about how consumers take delivery: FS004, FS006, FS012.

use super::{
    finding::{Finding, FixAction, HazardCode, Severity},
    index::{Index, Ix},
};
use crate::model::{
    kind::{LinkMeaning, NoteKind},
    props::Delivery,
};
use serde_json::json;

/// What a consumer does with a message that would hurt if done twice or not at all.
struct Effect {
    /// The notes the effect reaches (commands issued, systems called); empty for a view update.
    targets: Vec<Ix>,
    /// The effect in words, e.g. "would issue “Reserve stock”".
    twice: String,
}

/// The effect of an active consumer, if it has one.
fn effect(ix: &Index, consumer: Ix) -> Option<Effect> {
    if !ix.is_active_consumer(consumer) {
        return None;
    }
    match ix.kind(consumer) {
        NoteKind::Policy => {
            let targets: Vec<Ix> = ix
                .out_edges(consumer)
                .iter()
                .filter(|e| matches!(e.meaning, LinkMeaning::Issues | LinkMeaning::Calls))
                .map(|e| e.note.index())
                .collect();
            if targets.is_empty() {
                return None;
            }
            let issues: Vec<Ix> = ix.succ(consumer, LinkMeaning::Issues).collect();
            let calls: Vec<Ix> = ix.succ(consumer, LinkMeaning::Calls).collect();
            let mut acts = Vec::new();
            if !issues.is_empty() {
                acts.push(format!("issue {}", ix.names(&issues)));
            }
            if !calls.is_empty() {
                acts.push(format!("call {}", ix.names(&calls)));
            }
            Some(Effect {
                targets,
                twice: acts.join(" and "),
            })
        }
        NoteKind::ExternalSystem => Some(Effect {
            targets: Vec::new(),
            twice: "act on it in the outside system".into(),
        }),
        NoteKind::ReadModel => Some(Effect {
            targets: Vec::new(),
            twice: "apply it to the view".into(),
        }),
        _ => None,
    }
}

/// FS004: an at-least-once, non-idempotent consumer with an effect.
///
/// Warning for policies and external systems (a second command or call is a real second effect:
/// two charges, two shipments). Info for read models: a view can be rebuilt by replaying its
/// topic, and projections written as upserts by id are idempotent by construction, which the
/// board cannot show; counters and sums are the case worth a look.
pub(crate) fn duplicate_effect(ix: &Index, out: &mut Vec<Finding>) {
    for c in 0..ix.len() {
        let Some(props) = ix.consumer(c) else {
            continue;
        };
        if props.delivery != Delivery::AtLeastOnce || props.idempotent {
            continue;
        }
        let Some(effect) = effect(ix, c) else {
            continue;
        };
        let events: Vec<Ix> = ix.pred(c, LinkMeaning::Subscribes).collect();
        let severity = if ix.kind(c) == NoteKind::ReadModel {
            Severity::Info
        } else {
            Severity::Warning
        };
        let fix = if ix.kind(c) == NoteKind::ReadModel {
            format!("Make {} idempotent: remember the last applied event per key (or write by id) so a redelivery changes nothing", ix.name(c))
        } else {
            format!(
                "Make {} idempotent: deduplicate on the event id, or pass an idempotency key with what it issues or calls",
                ix.name(c)
            )
        };
        out.push(
            Finding::new(
                HazardCode::FS004,
                severity,
                ix.ids(std::iter::once(c).chain(effect.targets.iter().copied())),
                format!(
                    "{} can receive {} twice (at-least-once delivery after a crash or rebalance) and would {} twice",
                    ix.name(c),
                    ix.names(&events),
                    effect.twice
                ),
                fix,
            )
            .with_fix(FixAction::set("Mark idempotent", &ix.id(c), "idempotent", json!(true))),
        );
    }
}

/// FS006: an at-most-once consumer with an effect.
pub(crate) fn lost_on_crash(ix: &Index, out: &mut Vec<Finding>) {
    for c in 0..ix.len() {
        let Some(props) = ix.consumer(c) else {
            continue;
        };
        if props.delivery != Delivery::AtMostOnce {
            continue;
        }
        let Some(effect) = effect(ix, c) else {
            continue;
        };
        let events: Vec<Ix> = ix.pred(c, LinkMeaning::Subscribes).collect();
        let id = ix.id(c);
        out.push(
            Finding::new(
                HazardCode::FS006,
                Severity::Warning,
                ix.ids(std::iter::once(c).chain(effect.targets.iter().copied())),
                format!(
                    "{} commits {} before it is processed (at-most-once): after a crash it never gets to {}",
                    ix.name(c),
                    ix.names(&events),
                    effect.twice
                ),
                format!("Commit after processing (at-least-once) and make {} idempotent", ix.name(c)),
            )
            .with_fix(
                FixAction::set("Deliver at least once, idempotently", &id, "delivery", json!("at_least_once")).and(
                    &id,
                    "idempotent",
                    json!(true),
                ),
            ),
        );
    }
}

/// FS012: a consumer that fails on some messages and has no dead-letter topic.
pub(crate) fn poison_message(ix: &Index, out: &mut Vec<Finding>) {
    for c in 0..ix.len() {
        let Some(props) = ix.consumer(c) else {
            continue;
        };
        if props.failure_rate <= 0.0 || props.dlq || !ix.is_active_consumer(c) {
            continue;
        }
        let events: Vec<Ix> = ix.pred(c, LinkMeaning::Subscribes).collect();
        let outcome = if props.retry_topic {
            "keeps coming back through the retry topic"
        } else {
            "blocks its partition, and every message behind it waits"
        };
        out.push(
            Finding::new(
                HazardCode::FS012,
                Severity::Warning,
                ix.ids(std::iter::once(c).chain(events.iter().copied())),
                format!(
                    "{} fails on {} of the messages from {} and has no dead-letter topic: a message that always \
                     fails {outcome}",
                    ix.name(c),
                    super::consistency::percent(props.failure_rate.min(1.0)),
                    ix.names(&events)
                ),
                format!(
                    "Send messages that still fail after the retries to a dead-letter topic, and watch it ({})",
                    ix.name(c)
                ),
            )
            .with_fix(FixAction::set("Add a dead-letter topic", &ix.id(c), "dlq", json!(true))),
        );
    }
}
