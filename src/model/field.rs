//! The typed fields an event carries (its `fields` prop): each entry is `name`, `name: type`
//! or `name: type = example` (docs/FORMAT.md, "Event fields").

use super::{board::Note, kind::NoteKind};
use serde_json::Value;
use std::fmt;

/// The types a field may have, as written after the name's colon.
pub const FIELD_TYPES: &[&str] = &[
    "string",
    "int",
    "decimal",
    "bool",
    "timestamp",
    "uuid",
    "enum(A|B)",
];

/// Values an enum field may list.
pub const MAX_ENUM_VALUES: usize = 100;

/// What a field holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// Any text (a field written without a type).
    Text,
    /// A whole number.
    Int,
    /// A decimal amount (kept exactly, in hundredths).
    Decimal,
    /// true or false.
    Bool,
    /// A moment (the record's time when generated).
    Timestamp,
    /// A UUID.
    Uuid,
    /// One of the listed words.
    Enum(Vec<String>),
}

impl FieldType {
    /// The type as written in a field entry.
    pub fn name(&self) -> String {
        match self {
            FieldType::Text => "string".into(),
            FieldType::Int => "int".into(),
            FieldType::Decimal => "decimal".into(),
            FieldType::Bool => "bool".into(),
            FieldType::Timestamp => "timestamp".into(),
            FieldType::Uuid => "uuid".into(),
            FieldType::Enum(values) => format!("enum({})", values.join("|")),
        }
    }

    /// Reads a type as written after the colon.
    fn parse(text: &str) -> Result<FieldType, FieldError> {
        Ok(match text {
            "string" => FieldType::Text,
            "int" => FieldType::Int,
            "decimal" => FieldType::Decimal,
            "bool" => FieldType::Bool,
            "timestamp" => FieldType::Timestamp,
            "uuid" => FieldType::Uuid,
            _ => {
                let inner = text
                    .strip_prefix("enum(")
                    .and_then(|t| t.strip_suffix(')'))
                    .ok_or_else(|| FieldError::UnknownType(text.to_string()))?;
                let values: Vec<String> = inner.split('|').map(|v| v.trim().to_string()).collect();
                if values.iter().any(String::is_empty) || values.len() > MAX_ENUM_VALUES {
                    return Err(FieldError::BadEnum(text.to_string()));
                }
                FieldType::Enum(values)
            }
        })
    }

    /// Checks that an example is a value of this type.
    fn check_example(&self, example: &str) -> Result<(), FieldError> {
        let fits = match self {
            FieldType::Text | FieldType::Timestamp | FieldType::Uuid => true,
            FieldType::Int => example.parse::<i64>().is_ok(),
            FieldType::Decimal => parse_hundredths(example).is_some(),
            FieldType::Bool => matches!(example, "true" | "false"),
            FieldType::Enum(values) => values.iter().any(|v| v == example),
        };
        if fits {
            Ok(())
        } else {
            Err(FieldError::BadExample {
                example: example.to_string(),
                ty: self.name(),
            })
        }
    }
}

/// One field of an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Its name in the payload.
    pub name: String,
    /// What it holds.
    pub ty: FieldType,
    /// An example value, as written (it shapes generated values: see the payload generator).
    pub example: Option<String>,
}

impl Field {
    /// Reads a field entry: `name`, `name: type` or `name: type = example`.
    pub fn parse(entry: &str) -> Result<Field, FieldError> {
        let (name, rest) = match entry.split_once(':') {
            Some((name, rest)) => (name.trim(), Some(rest)),
            None => (entry.trim(), None),
        };
        if name.is_empty() {
            return Err(FieldError::NoName);
        }
        let (ty, example) = match rest {
            None => (FieldType::Text, None),
            Some(rest) => match rest.split_once('=') {
                Some((ty, example)) => (FieldType::parse(ty.trim())?, Some(example.trim())),
                None => (FieldType::parse(rest.trim())?, None),
            },
        };
        if let Some(example) = example {
            ty.check_example(example)?;
        }
        Ok(Field {
            name: name.to_string(),
            ty,
            example: example.map(str::to_string),
        })
    }
}

/// Why a field entry cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldError {
    /// Nothing before the colon.
    NoName,
    /// A type that is not one of [`FIELD_TYPES`].
    UnknownType(String),
    /// An enum with an empty value or too many values.
    BadEnum(String),
    /// An example that is not a value of the field's type.
    BadExample {
        /// The example as written.
        example: String,
        /// The type, as written.
        ty: String,
    },
    /// Two fields of one event with the same name.
    Duplicate(String),
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldError::NoName => f.write_str("a field needs a name before its colon"),
            FieldError::UnknownType(ty) => write!(
                f,
                "unknown field type \"{ty}\"; expected one of {}",
                FIELD_TYPES.join(", ")
            ),
            FieldError::BadEnum(ty) => write!(
                f,
                "\"{ty}\" lists an empty value or more than {MAX_ENUM_VALUES} values"
            ),
            FieldError::BadExample { example, ty } => {
                write!(f, "example \"{example}\" is not of type {ty}")
            }
            FieldError::Duplicate(name) => write!(f, "field \"{name}\" is listed twice"),
        }
    }
}

impl std::error::Error for FieldError {}

/// Reads a `fields` prop's value: the first entry that cannot be read says why, with its place.
pub fn check_fields(value: &Value) -> Result<Vec<Field>, String> {
    let Value::Array(items) = value else {
        return Err("expected a list of fields".into());
    };
    let mut fields: Vec<Field> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = |e: FieldError| format!("fields[{i}]: {e}");
        let Some(entry) = item.as_str() else {
            return Err(format!(
                "fields[{i}]: expected a text such as \"amount: decimal\""
            ));
        };
        let field = Field::parse(entry).map_err(at)?;
        if fields.iter().any(|f| f.name == field.name) {
            return Err(at(FieldError::Duplicate(field.name)));
        }
        fields.push(field);
    }
    Ok(fields)
}

/// The fields of an event note (none for other kinds; entries that cannot be read are left out:
/// loading and editing refuse them).
pub fn event_fields(note: &Note) -> Vec<Field> {
    if note.kind != NoteKind::Event {
        return Vec::new();
    }
    note.props
        .get("fields")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter_map(|entry| Field::parse(entry).ok())
        .collect()
}

/// A decimal written with at most two places (`12.5`, `-3`, `0.07`), in hundredths.
pub fn parse_hundredths(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || frac.len() > 2 || !all_digits(whole) || !all_digits(frac) {
        return None;
    }
    let cents = whole.parse::<i64>().ok()?.checked_mul(100)?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    let value = cents.checked_add(frac)?;
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entries_read_as_name_type_and_example() {
        assert_eq!(
            Field::parse("orderId").unwrap(),
            Field {
                name: "orderId".into(),
                ty: FieldType::Text,
                example: None
            }
        );
        let amount = Field::parse(" amount : decimal = 12.50 ").unwrap();
        assert_eq!(amount.name, "amount");
        assert_eq!(amount.ty, FieldType::Decimal);
        assert_eq!(amount.example.as_deref(), Some("12.50"));
        assert_eq!(
            Field::parse("status: enum(open | closed)").unwrap().ty,
            FieldType::Enum(vec!["open".into(), "closed".into()])
        );
        assert_eq!(
            Field::parse("at: timestamp").unwrap().ty.name(),
            "timestamp"
        );
    }

    #[test]
    fn bad_entries_say_why() {
        assert_eq!(Field::parse(" : int"), Err(FieldError::NoName));
        assert_eq!(
            Field::parse("amount: money"),
            Err(FieldError::UnknownType("money".into()))
        );
        assert!(Field::parse("n: int = many")
            .unwrap_err()
            .to_string()
            .contains("\"many\" is not of type int"));
        assert!(Field::parse("s: enum(a||b)").is_err());
        assert!(Field::parse("s: enum(a|b) = c").is_err());
        let err = check_fields(&json!(["id", "id: uuid"])).unwrap_err();
        assert_eq!(err, "fields[1]: field \"id\" is listed twice");
        assert!(check_fields(&json!(["a", 3]))
            .unwrap_err()
            .starts_with("fields[1]"));
    }

    #[test]
    fn decimals_are_hundredths() {
        assert_eq!(parse_hundredths("12.5"), Some(1250));
        assert_eq!(parse_hundredths("-0.07"), Some(-7));
        assert_eq!(parse_hundredths("3"), Some(300));
        assert_eq!(parse_hundredths("1.234"), None);
        assert_eq!(parse_hundredths(".5"), None);
        assert_eq!(parse_hundredths("1e3"), None);
    }
}
