//! The props that execution and analysis read (docs/FORMAT.md, "Props"), with their types and defaults.

use super::{
    board::{Note, Props},
    kind::NoteKind,
};
use serde_json::{json, Value};

/// The type a known prop must have.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PropType {
    /// true or false.
    Bool,
    /// Any text.
    Text,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// A whole number within bounds (inclusive).
    Int {
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
    /// A number within bounds (inclusive).
    Number {
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// A list of texts.
    TextList,
}

impl PropType {
    /// Describes what the type accepts, for error messages and the inspector.
    pub fn describe(&self) -> String {
        match self {
            PropType::Bool => "true or false".into(),
            PropType::Text => "a text".into(),
            PropType::Choice(options) => format!(
                "one of {}",
                options
                    .iter()
                    .map(|o| format!("\"{o}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            PropType::Int { min, max } if *max == i64::MAX => format!("a whole number ≥ {min}"),
            PropType::Int { min, max } => format!("a whole number from {min} to {max}"),
            PropType::Number { min, max } if *max == f64::MAX => format!("a number ≥ {min}"),
            PropType::Number { min, max } => format!("a number from {min} to {max}"),
            PropType::TextList => "a list of texts".into(),
        }
    }

    /// Checks a value against the type; the error says what was expected.
    pub fn check(&self, value: &Value) -> Result<(), String> {
        let ok = match (self, value) {
            (PropType::Bool, Value::Bool(_)) => true,
            (PropType::Text, Value::String(_)) => true,
            (PropType::Choice(options), Value::String(s)) => options.contains(&s.as_str()),
            (PropType::Int { min, max }, Value::Number(n)) => {
                n.as_i64().is_some_and(|v| v >= *min && v <= *max)
                    || n.as_u64()
                        .is_some_and(|v| *max == i64::MAX && v > i64::MAX as u64)
            }
            (PropType::Number { min, max }, Value::Number(n)) => n
                .as_f64()
                .is_some_and(|v| v.is_finite() && v >= *min && v <= *max),
            (PropType::TextList, Value::Array(items)) => items.iter().all(Value::is_string),
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(format!(
                "expected {}, found {}",
                self.describe(),
                short(value)
            ))
        }
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// A prop that execution or analysis reads.
#[derive(Clone, Debug, PartialEq)]
pub struct PropSpec {
    /// The prop's name in `props`.
    pub name: &'static str,
    /// Its type.
    pub ty: PropType,
    /// What it means, shown in the inspector.
    pub help: &'static str,
    /// Its default as shown to people (some defaults depend on the board).
    pub default: &'static str,
}

const DELIVERY: &[&str] = &["at_least_once", "at_most_once", "exactly_once"];
const RETRY: &[&str] = &["blocking", "topic"];
const STORE: &[&str] = &["state", "event_sourced"];
const NON_NEG: PropType = PropType::Number {
    min: 0.0,
    max: f64::MAX,
};
const RATIO: PropType = PropType::Number { min: 0.0, max: 1.0 };
const POSITIVE_INT: PropType = PropType::Int {
    min: 1,
    max: i64::MAX,
};
const NON_NEG_INT: PropType = PropType::Int {
    min: 0,
    max: i64::MAX,
};

const fn spec(
    name: &'static str,
    ty: PropType,
    default: &'static str,
    help: &'static str,
) -> PropSpec {
    PropSpec {
        name,
        ty,
        help,
        default,
    }
}

const EVENT: &[PropSpec] = &[
    spec(
        "topic",
        PropType::Text,
        "the emitting aggregate's name",
        "topic the event is published to",
    ),
    spec(
        "key",
        PropType::Text,
        "the aggregate's id_field",
        "record field used as partition key",
    ),
    spec(
        "fields",
        PropType::TextList,
        "[]",
        "fields carried by the event",
    ),
    spec(
        "failure",
        PropType::Bool,
        "false",
        "marks a failure or rejection event",
    ),
];

const AGGREGATE: &[PropSpec] = &[
    spec(
        "id_field",
        PropType::Text,
        "id",
        "field identifying one aggregate instance",
    ),
    spec(
        "store",
        PropType::Choice(STORE),
        "state",
        "how the aggregate keeps its state",
    ),
    spec(
        "outbox",
        PropType::Bool,
        "false",
        "events are published through a transactional outbox",
    ),
];

const CONSUMER: &[PropSpec] = &[
    spec("group", PropType::Text, "the note id", "consumer group id"),
    spec("instances", POSITIVE_INT, "1", "consumers in the group"),
    spec("processing_ms", NON_NEG, "5", "time to process one message"),
    spec(
        "failure_rate",
        RATIO,
        "0",
        "share of messages whose processing fails",
    ),
    spec(
        "idempotent",
        PropType::Bool,
        "false",
        "processing a message twice has no extra effect",
    ),
    spec(
        "delivery",
        PropType::Choice(DELIVERY),
        "at_least_once",
        "when offsets are committed",
    ),
    spec("retries", NON_NEG_INT, "0", "attempts after a failure"),
    spec(
        "retry",
        PropType::Choice(RETRY),
        "blocking",
        "retry in place or through a retry topic",
    ),
    spec(
        "dlq",
        PropType::Bool,
        "false",
        "failed messages go to a dead-letter topic",
    ),
    spec(
        "ordered",
        PropType::Bool,
        "true for read models, else false",
        "relies on per-key order",
    ),
];

const POLICY: &[PropSpec] = &[
    spec(
        "guard",
        PropType::Text,
        "none",
        "what stops the policy from looping",
    ),
    spec(
        "compensates",
        PropType::Bool,
        "false",
        "undoes earlier steps when a failure event arrives",
    ),
];

const READ_MODEL: &[PropSpec] = &[spec(
    "version_token",
    PropType::Bool,
    "false",
    "reads wait for or check the writer's version",
)];

const ACTOR: &[PropSpec] = &[
    spec("rate", NON_NEG, "1", "commands issued per second"),
    spec(
        "entities",
        POSITIVE_INT,
        "100",
        "distinct keys the commands address",
    ),
    spec(
        "read_delay_ms",
        NON_NEG,
        "0",
        "how soon the actor reads after writing",
    ),
];

const EXTERNAL: &[PropSpec] = &[
    spec("latency_ms", NON_NEG, "50", "time a synchronous call takes"),
    spec(
        "availability",
        RATIO,
        "0.999",
        "share of calls that succeed",
    ),
];

/// The known props of a kind, in inspector order.
pub fn specs(kind: NoteKind) -> Vec<&'static PropSpec> {
    let groups: &[&[PropSpec]] = match kind {
        NoteKind::Event => &[EVENT],
        NoteKind::Aggregate => &[AGGREGATE],
        NoteKind::Policy => &[CONSUMER, POLICY],
        NoteKind::ReadModel => &[CONSUMER, READ_MODEL],
        NoteKind::ExternalSystem => &[CONSUMER, EXTERNAL],
        NoteKind::Actor => &[ACTOR],
        NoteKind::Command | NoteKind::Hotspot => &[],
    };
    groups.iter().flat_map(|g| g.iter()).collect()
}

/// The spec of a known prop of `kind`, if `name` is one.
pub fn spec_of(kind: NoteKind, name: &str) -> Option<&'static PropSpec> {
    specs(kind).into_iter().find(|s| s.name == name)
}

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
            instances: p.int("instances", 1).max(1),
            processing_ms: p.number("processing_ms", 5.0),
            failure_rate: p.number("failure_rate", 0.0),
            idempotent: p.flag("idempotent", false),
            delivery: match p.text("delivery") {
                Some("at_most_once") => Delivery::AtMostOnce,
                Some("exactly_once") => Delivery::ExactlyOnce,
                _ => Delivery::AtLeastOnce,
            },
            retries: p.int("retries", 0),
            retry_topic: p.text("retry") == Some("topic"),
            dlq: p.flag("dlq", false),
            ordered: p.flag("ordered", note.kind == NoteKind::ReadModel),
        }
    }
}

/// The value a prop takes when it is absent, as JSON (used by the inspector's placeholders).
pub fn default_value(note: &Note, name: &str) -> Option<Value> {
    Some(match name {
        "group" => json!(note.id.0),
        "ordered" => json!(note.kind == NoteKind::ReadModel),
        "fields" => json!([]),
        "topic" | "key" | "guard" => return None,
        _ => {
            let spec = spec_of(note.kind, name)?;
            match spec.ty {
                PropType::Bool => json!(spec.default == "true"),
                PropType::Int { .. } => json!(spec.default.parse::<i64>().ok()?),
                PropType::Number { .. } => json!(spec.default.parse::<f64>().ok()?),
                _ => json!(spec.default),
            }
        }
    })
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
    }

    #[test]
    fn types_check_values_and_ranges() {
        assert!(RATIO.check(&json!(0.5)).is_ok());
        assert!(RATIO
            .check(&json!(1.5))
            .unwrap_err()
            .contains("from 0 to 1"));
        assert!(POSITIVE_INT.check(&json!(0)).is_err());
        assert!(POSITIVE_INT.check(&json!(2.5)).is_err());
        assert!(PropType::Choice(DELIVERY)
            .check(&json!("twice"))
            .unwrap_err()
            .contains("at_least_once"));
        assert!(PropType::TextList.check(&json!(["a", 1])).is_err());
    }

    #[test]
    fn defaults_are_typed() {
        let actor = Note::new("a", NoteKind::Actor, "Cashier", 0.0, 0.0);
        assert_eq!(default_value(&actor, "rate"), Some(json!(1.0)));
        assert_eq!(default_value(&actor, "entities"), Some(json!(100)));
        let ext = Note::new("x", NoteKind::ExternalSystem, "Bank", 0.0, 0.0);
        assert_eq!(default_value(&ext, "availability"), Some(json!(0.999)));
        assert_eq!(default_value(&ext, "dlq"), Some(json!(false)));
    }
}
