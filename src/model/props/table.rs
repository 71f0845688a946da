//! The known props of each kind: types, units, defaults as shown, and what they mean.

use super::{PropSpec, PropType};
use crate::model::{
    kind::NoteKind,
    limits::{
        MAX_ENTITIES, MAX_INSTANCES, MAX_LATENCY_MS, MAX_PROCESSING_MS, MAX_RATE,
        MAX_READ_DELAY_MS, MAX_RETRIES,
    },
};

const DELIVERY: &[&str] = &["at_least_once", "at_most_once", "exactly_once"];
const RETRY: &[&str] = &["blocking", "topic"];
const START: &[&str] = &["earliest", "latest"];
const STORE: &[&str] = &["state", "event_sourced"];
const RATIO: PropType = PropType::Number { min: 0.0, max: 1.0 };

/// A spec without a limit.
const fn spec(
    name: &'static str,
    ty: PropType,
    default: &'static str,
    help: &'static str,
) -> PropSpec {
    PropSpec {
        name,
        ty,
        unit: None,
        help,
        default,
    }
}

/// A spec of a number whose largest value is a limit, in `unit`.
const fn limited(
    name: &'static str,
    ty: PropType,
    unit: &'static str,
    default: &'static str,
    help: &'static str,
) -> PropSpec {
    PropSpec {
        unit: Some(unit),
        ..spec(name, ty, default, help)
    }
}

/// `0 ..= max`, a number.
const fn up_to(max: f64) -> PropType {
    PropType::Number { min: 0.0, max }
}

/// `min ..= max`, a whole number (limits are far below `i64::MAX`).
const fn whole(min: i64, max: u64) -> PropType {
    PropType::Int {
        min,
        max: max as i64,
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
        PropType::Fields,
        "[]",
        "fields carried by the event: name: type = example",
    ),
    spec(
        "apply",
        PropType::Rules,
        "every field set",
        "how the event changes its entity: balance += amount",
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
    limited(
        "instances",
        whole(1, MAX_INSTANCES),
        "instances",
        "1",
        "consumers in the group",
    ),
    limited(
        "processing_ms",
        up_to(MAX_PROCESSING_MS),
        "ms",
        "5",
        "time to process one message",
    ),
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
    limited(
        "retries",
        whole(0, MAX_RETRIES),
        "retries",
        "0",
        "attempts after a failure",
    ),
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
    spec(
        "start",
        PropType::Choice(START),
        "earliest",
        "where the group starts reading when it joins a running broker",
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

const READ_MODEL: &[PropSpec] = &[
    spec(
        "version_token",
        PropType::Bool,
        "false",
        "reads wait for or check the writer's version",
    ),
    spec(
        "push",
        PropType::Bool,
        "false",
        "the view pushes a change to its reader: no read before it",
    ),
    spec(
        "listen_to_yourself",
        PropType::Bool,
        "false",
        "the writer keeps this view from its own events: it reads its own writes",
    ),
];

/// What a source issues: an actor, or an external system nobody calls or feeds.
const SOURCE: &[PropSpec] = &[
    limited(
        "rate",
        up_to(MAX_RATE),
        "commands per second",
        "1",
        "commands issued per second",
    ),
    limited(
        "entities",
        whole(1, MAX_ENTITIES),
        "keys",
        "100",
        "distinct keys the commands address",
    ),
];

const ACTOR: &[PropSpec] = &[limited(
    "read_delay_ms",
    up_to(MAX_READ_DELAY_MS),
    "ms",
    "0",
    "how soon the actor reads after writing",
)];

const EXTERNAL: &[PropSpec] = &[
    limited(
        "latency_ms",
        up_to(MAX_LATENCY_MS),
        "ms",
        "50",
        "time a synchronous call takes",
    ),
    spec(
        "availability",
        RATIO,
        "0.999",
        "share of calls that succeed",
    ),
];

/// The spec groups of a kind, in inspector order.
pub(super) fn groups(kind: NoteKind) -> &'static [&'static [PropSpec]] {
    match kind {
        NoteKind::Event => &[EVENT],
        NoteKind::Aggregate => &[AGGREGATE],
        NoteKind::Policy => &[CONSUMER, POLICY],
        NoteKind::ReadModel => &[CONSUMER, READ_MODEL],
        NoteKind::ExternalSystem => &[CONSUMER, EXTERNAL, SOURCE],
        NoteKind::Actor => &[SOURCE, ACTOR],
        NoteKind::Command | NoteKind::Hotspot => &[],
    }
}
