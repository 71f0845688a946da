//! Typed, defaulted reads of a note's props, and the consumer settings they give.

use super::{DEFAULT_FAILURE_RATE, DEFAULT_INSTANCES, DEFAULT_PROCESSING_MS, DEFAULT_RETRIES};
use crate::model::{
    board::{Note, Props},
    kind::NoteKind,
};
use serde_json::Value;

/// Typed, defaulted reads of a note's props (unknown or ill-typed values fall back to defaults).
pub trait PropsExt {
    /// A bool prop, or `default`.
    fn flag(&self, name: &str, default: bool) -> bool;
    /// A text prop.
    fn text(&self, name: &str) -> Option<&str>;
    /// A number prop, or `default`.
    fn number(&self, name: &str, default: f64) -> f64;
    /// A whole-number prop, or `default`.
    fn int(&self, name: &str, default: u64) -> u64;
}

impl PropsExt for Props {
    fn flag(&self, name: &str, default: bool) -> bool {
        self.get(name).and_then(Value::as_bool).unwrap_or(default)
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Value::as_str)
    }

    fn number(&self, name: &str, default: f64) -> f64 {
        self.get(name)
            .and_then(Value::as_f64)
            .filter(|v| v.is_finite())
            .unwrap_or(default)
    }

    fn int(&self, name: &str, default: u64) -> u64 {
        self.get(name).and_then(Value::as_u64).unwrap_or(default)
    }
}

/// How a consumer commits offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Process, then commit: redelivery after a crash.
    AtLeastOnce,
    /// Commit, then process: loss after a crash.
    AtMostOnce,
    /// Transactions read with read_committed.
    ExactlyOnce,
}

/// The consumer settings of a policy, read model or external system, defaults applied.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsumerProps {
    /// Consumer group id.
    pub group: String,
    /// Consumers in the group.
    pub instances: u64,
    /// Time to process one message.
    pub processing_ms: f64,
    /// Share of messages whose processing fails.
    pub failure_rate: f64,
    /// Processing twice has no extra effect.
    pub idempotent: bool,
    /// When offsets are committed.
    pub delivery: Delivery,
    /// Attempts after a failure.
    pub retries: u64,
    /// Retries go through a retry topic (order lost) rather than blocking.
    pub retry_topic: bool,
    /// Failed messages go to a dead-letter topic.
    pub dlq: bool,
    /// Relies on per-key order.
    pub ordered: bool,
    /// Where the group starts reading when it joins a broker that already holds records.
    pub start: Start,
}

/// Where a consumer group with no committed offsets starts reading (Kafka's
/// `auto.offset.reset`): it matters to a group that joins a running broker.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Start {
    /// From the start of each partition's log: it catches up on what is there.
    #[default]
    Earliest,
    /// From the end: only what is published after it joins.
    Latest,
}

impl ConsumerProps {
    /// Reads the consumer settings of a note, applying the defaults of docs/FORMAT.md.
    pub fn of(note: &Note) -> ConsumerProps {
        let p = &note.props;
        ConsumerProps {
            group: p
                .text("group")
                .map(str::to_string)
                .unwrap_or_else(|| note.id.0.clone()),
            instances: p.int("instances", DEFAULT_INSTANCES).max(1),
            processing_ms: p.number("processing_ms", DEFAULT_PROCESSING_MS),
            failure_rate: p.number("failure_rate", DEFAULT_FAILURE_RATE),
            idempotent: p.flag("idempotent", false),
            delivery: match p.text("delivery") {
                Some("at_most_once") => Delivery::AtMostOnce,
                Some("exactly_once") => Delivery::ExactlyOnce,
                _ => Delivery::AtLeastOnce,
            },
            retries: p.int("retries", DEFAULT_RETRIES),
            retry_topic: p.text("retry") == Some("topic"),
            dlq: p.flag("dlq", false),
            ordered: p.flag("ordered", note.kind == NoteKind::ReadModel),
            start: match p.text("start") {
                Some("latest") => Start::Latest,
                _ => Start::Earliest,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumer_defaults_follow_the_design() {
        let rm = Note::new("summary", NoteKind::ReadModel, "Order summary", 0.0, 0.0);
        let c = ConsumerProps::of(&rm);
        assert_eq!(c.group, "summary");
        assert_eq!(c.instances, 1);
        assert_eq!(c.delivery, Delivery::AtLeastOnce);
        assert!(c.ordered);
        let policy = Note::new("p", NoteKind::Policy, "When", 0.0, 0.0);
        assert!(!ConsumerProps::of(&policy).ordered);
        assert_eq!(ConsumerProps::of(&policy).start, Start::Earliest);
        let mut late = policy.clone();
        late.props.insert("start".into(), "latest".into());
        assert_eq!(ConsumerProps::of(&late).start, Start::Latest);
    }
}
