//! The types a known prop may have, and why a value does not fit one.

use crate::model::limits::OverLimit;
use serde_json::Value;
use std::fmt;

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
        if self.accepts(value) {
            Ok(())
        } else {
            Err(expected(&self.describe(), value))
        }
    }

    /// True if the value is of this type and within its bounds.
    pub(super) fn accepts(&self, value: &Value) -> bool {
        match (self, value) {
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
        }
    }

    /// The type's largest value, if `value` is a number of this type above it.
    pub(super) fn exceeded_max(&self, value: &Value) -> Option<f64> {
        let Value::Number(n) = value else {
            return None;
        };
        match *self {
            PropType::Int { max, .. } => {
                let above = n.as_i64().map_or_else(
                    || n.as_u64().is_some_and(|v| v > i64::MAX as u64),
                    |v| v > max,
                );
                above.then_some(max as f64)
            }
            PropType::Number { max, .. } => n
                .as_f64()
                .is_some_and(|v| v.is_finite() && v > max)
                .then_some(max),
            _ => None,
        }
    }
}

/// "expected …, found …", the found value shortened.
pub(super) fn expected(what: &str, value: &Value) -> String {
    format!("expected {what}, found {}", short(value))
}

/// A value as JSON text, cut at 40 characters.
pub(super) fn short(value: &Value) -> String {
    let text = crate::model::format::json_text(value);
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// Why a value does not fit a known prop.
#[derive(Clone, Debug, PartialEq)]
pub enum PropError {
    /// Wrong type, a word not offered, or outside the prop's range below its limit: what was
    /// expected and what was found (`expected a number from 0 to 1, found 2`).
    Invalid(String),
    /// A number above the most the model allows for this prop.
    OverLimit(OverLimit),
}

impl fmt::Display for PropError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PropError::Invalid(reason) => f.write_str(reason),
            PropError::OverLimit(over) => write!(f, "{over}"),
        }
    }
}

impl std::error::Error for PropError {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const RATIO: PropType = PropType::Number { min: 0.0, max: 1.0 };
    const POSITIVE_INT: PropType = PropType::Int { min: 1, max: 100 };

    #[test]
    fn types_check_values_and_ranges() {
        assert!(RATIO.check(&json!(0.5)).is_ok());
        assert!(RATIO
            .check(&json!(1.5))
            .unwrap_err()
            .contains("from 0 to 1"));
        assert!(POSITIVE_INT.check(&json!(0)).is_err());
        assert!(POSITIVE_INT.check(&json!(2.5)).is_err());
        assert!(PropType::Choice(&["at_least_once", "at_most_once"])
            .check(&json!("twice"))
            .unwrap_err()
            .contains("at_least_once"));
        assert!(PropType::TextList.check(&json!(["a", 1])).is_err());
    }

    #[test]
    fn only_numbers_of_the_type_above_its_max_exceed_it() {
        assert_eq!(POSITIVE_INT.exceeded_max(&json!(101)), Some(100.0));
        assert_eq!(POSITIVE_INT.exceeded_max(&json!(u64::MAX)), Some(100.0));
        assert_eq!(POSITIVE_INT.exceeded_max(&json!(100)), None);
        assert_eq!(
            POSITIVE_INT.exceeded_max(&json!(100.5)),
            None,
            "not a whole number"
        );
        assert_eq!(POSITIVE_INT.exceeded_max(&json!("1000")), None);
        assert_eq!(RATIO.exceeded_max(&json!(1.5)), Some(1.0));
        assert_eq!(RATIO.exceeded_max(&json!(-1)), None);
    }
}
