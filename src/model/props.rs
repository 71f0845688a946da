//! The props that execution and analysis read (docs/FORMAT.md, "Props"): their types, units,
//! defaults and limits. Loading, editing and the inspector check values against these specs.

mod read;
mod table;
mod types;

pub use read::{ConsumerProps, Delivery, PropsExt, Start};
pub use types::{PropError, PropType};

use super::{board::Note, kind::NoteKind, limits::OverLimit};
use serde_json::{json, Value};

/// Consumers in a group when `instances` is absent.
pub const DEFAULT_INSTANCES: u64 = 1;
/// Time to process one message when `processing_ms` is absent (ms).
pub const DEFAULT_PROCESSING_MS: f64 = 5.0;
/// Share of messages whose processing fails when `failure_rate` is absent.
pub const DEFAULT_FAILURE_RATE: f64 = 0.0;
/// Attempts after a failure when `retries` is absent.
pub const DEFAULT_RETRIES: u64 = 0;
/// Commands per second of a source when `rate` is absent.
pub const DEFAULT_RATE: f64 = 1.0;
/// Distinct keys a source addresses when `entities` is absent.
pub const DEFAULT_ENTITIES: u64 = 100;
/// How soon an actor reads after writing when `read_delay_ms` is absent (ms).
pub const DEFAULT_READ_DELAY_MS: f64 = 0.0;
/// Time a synchronous call takes when `latency_ms` is absent (ms).
pub const DEFAULT_LATENCY_MS: f64 = 50.0;
/// Share of calls that succeed when `availability` is absent.
pub const DEFAULT_AVAILABILITY: f64 = 0.999;

/// A prop that execution or analysis reads.
#[derive(Clone, Debug, PartialEq)]
pub struct PropSpec {
    /// The prop's name in `props`.
    pub name: &'static str,
    /// Its type.
    pub ty: PropType,
    /// For a number whose largest value is a limit of [`crate::model::limits`]: its unit in
    /// words (plural), e.g. `commands per second`. `None` for other props, shares included
    /// (their range 0 to 1 is what they mean, not a limit).
    pub unit: Option<&'static str>,
    /// What it means, shown in the inspector.
    pub help: &'static str,
    /// Its default as shown to people (some defaults depend on the board).
    pub default: &'static str,
}

impl PropSpec {
    /// What the prop accepts, with its unit: `a number from 0 to 1000 commands per second`.
    pub fn describe(&self) -> String {
        match self.unit {
            Some(unit) => format!("{} {unit}", self.ty.describe()),
            None => self.ty.describe(),
        }
    }

    /// The most the prop allows, if it has a limit.
    pub fn limit(&self) -> Option<f64> {
        self.unit?;
        match self.ty {
            PropType::Int { max, .. } => Some(max as f64),
            PropType::Number { max, .. } => Some(max),
            _ => None,
        }
    }

    /// Checks a value: a number over the prop's limit is [`PropError::OverLimit`] (naming the
    /// prop, the value and the limit); any other misfit is [`PropError::Invalid`].
    pub fn check(&self, value: &Value) -> Result<(), PropError> {
        if self.ty.accepts(value) {
            return Ok(());
        }
        match (self.unit, self.ty.exceeded_max(value)) {
            (Some(unit), Some(max)) => Err(PropError::OverLimit(OverLimit {
                name: self.name,
                found: types::short(value),
                max,
                unit,
            })),
            _ => Err(PropError::Invalid(match (self.ty, self.ty.check(value)) {
                // Lists of fields or rules say which entry is wrong and why.
                (PropType::Fields | PropType::Rules, Err(reason)) => reason,
                _ => types::expected(&self.describe(), value),
            })),
        }
    }
}

/// The known props of a kind, in inspector order.
pub fn specs(kind: NoteKind) -> Vec<&'static PropSpec> {
    table::groups(kind).iter().flat_map(|g| g.iter()).collect()
}

/// The spec of a known prop of `kind`, if `name` is one.
pub fn spec_of(kind: NoteKind, name: &str) -> Option<&'static PropSpec> {
    specs(kind).into_iter().find(|s| s.name == name)
}

/// The value a prop takes when it is absent, as JSON (used by the inspector's placeholders).
pub fn default_value(note: &Note, name: &str) -> Option<Value> {
    Some(match name {
        "group" => json!(note.id.0),
        "ordered" => json!(note.kind == NoteKind::ReadModel),
        "fields" => json!([]),
        "topic" | "key" | "guard" | "apply" => return None,
        _ => {
            let spec = spec_of(note.kind, name)?;
            match spec.ty {
                PropType::Bool => json!(spec.default == "true"),
                PropType::Int { .. } => json!(spec.default.parse::<i64>().ok()?),
                PropType::Number { .. } => {
                    json!(serde_json::from_str::<Value>(spec.default).ok()?.as_f64()?)
                }
                _ => json!(spec.default),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::limits::MAX_RATE;

    #[test]
    fn defaults_are_typed() {
        let actor = Note::new("a", NoteKind::Actor, "Cashier", 0.0, 0.0);
        assert_eq!(default_value(&actor, "rate"), Some(json!(1.0)));
        assert_eq!(default_value(&actor, "entities"), Some(json!(100)));
        let ext = Note::new("x", NoteKind::ExternalSystem, "Bank", 0.0, 0.0);
        assert_eq!(default_value(&ext, "availability"), Some(json!(0.999)));
        assert_eq!(default_value(&ext, "dlq"), Some(json!(false)));
    }

    #[test]
    fn shown_defaults_are_the_default_constants() {
        let actor = Note::new("a", NoteKind::Actor, "Cashier", 0.0, 0.0);
        let ext = Note::new("x", NoteKind::ExternalSystem, "Bank", 0.0, 0.0);
        let cases = [
            (&ext, "instances", json!(DEFAULT_INSTANCES)),
            (&ext, "processing_ms", json!(DEFAULT_PROCESSING_MS)),
            (&ext, "failure_rate", json!(DEFAULT_FAILURE_RATE)),
            (&ext, "retries", json!(DEFAULT_RETRIES)),
            (&ext, "latency_ms", json!(DEFAULT_LATENCY_MS)),
            (&ext, "availability", json!(DEFAULT_AVAILABILITY)),
            (&actor, "rate", json!(DEFAULT_RATE)),
            (&actor, "entities", json!(DEFAULT_ENTITIES)),
            (&actor, "read_delay_ms", json!(DEFAULT_READ_DELAY_MS)),
        ];
        for (note, name, value) in cases {
            assert_eq!(default_value(note, name), Some(value), "{name}");
        }
    }

    #[test]
    fn every_default_fits_its_spec() {
        for kind in NoteKind::ALL {
            let note = Note::new("n", kind, "", 0.0, 0.0);
            for spec in specs(kind) {
                if let Some(value) = default_value(&note, spec.name) {
                    assert_eq!(spec.check(&value), Ok(()), "{kind:?} {}", spec.name);
                }
            }
        }
    }

    #[test]
    fn over_the_limit_names_the_prop_the_value_and_the_limit() {
        let rate = spec_of(NoteKind::Actor, "rate").unwrap();
        assert_eq!(rate.limit(), Some(MAX_RATE));
        assert_eq!(rate.check(&json!(1000)), Ok(()));
        assert_eq!(
            rate.check(&json!(1_000_000)).unwrap_err().to_string(),
            "rate is 1000000; at most 1000 commands per second"
        );
        let below = rate.check(&json!(-1)).unwrap_err();
        assert_eq!(
            below,
            PropError::Invalid(
                "expected a number from 0 to 1000 commands per second, found -1".into()
            )
        );
        let instances = spec_of(NoteKind::Policy, "instances").unwrap();
        assert!(matches!(
            instances.check(&json!(u64::MAX)),
            Err(PropError::OverLimit(_))
        ));
        assert!(matches!(
            instances.check(&json!("many")),
            Err(PropError::Invalid(_))
        ));
    }

    #[test]
    fn shares_have_a_range_not_a_limit() {
        let share = spec_of(NoteKind::ExternalSystem, "availability").unwrap();
        assert_eq!(share.limit(), None);
        assert!(matches!(
            share.check(&json!(2)),
            Err(PropError::Invalid(r)) if r.contains("from 0 to 1")
        ));
    }
}
