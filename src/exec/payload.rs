//! What a record carries: the payload of an event, generated from the run's seed and the record
//! (docs/FORMAT.md, "Event fields"), so the broker keeps only ids and the same board and seed
//! always show the same values.

use super::run::mix;
use crate::model::{
    field::{parse_hundredths, Field, FieldType},
    Board, NoteKind,
};
use serde_json::{Map, Value};
use std::fmt::{self, Write};

/// The moment a run starts, for timestamps (2026-01-06T13:10:00Z, in Unix seconds).
pub const RUN_EPOCH_S: i64 = 1_767_705_000;
/// Largest generated `int` without an example.
const INT_SPAN: i64 = 100;
/// Largest generated `decimal` without an example, in hundredths.
const DECIMAL_SPAN: i64 = 50_000;
/// Smallest generated `decimal`, in hundredths.
const DECIMAL_MIN: i64 = 100;
/// Keeps generated values apart from the run's other draws from the same seed.
const FIELD_SALT: u64 = 0x6669_656c_6473;
/// Generated `string` values are `name-N` with N below this.
const TEXT_SPAN: u64 = 1_000;

/// A value in a payload or an entity's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldValue {
    /// Text (strings, UUIDs, enum values, timestamps).
    Text(String),
    /// A whole number.
    Int(i64),
    /// A decimal, in hundredths.
    Decimal(i64),
    /// true or false.
    Bool(bool),
    /// Values appended one after another.
    List(Vec<FieldValue>),
}

impl FieldValue {
    /// The value as JSON (decimals as numbers with two places).
    pub fn to_json(&self) -> Value {
        match self {
            FieldValue::Text(s) => Value::String(s.clone()),
            FieldValue::Int(n) => Value::from(*n),
            FieldValue::Decimal(c) => serde_json::from_str(&hundredths(*c)).unwrap_or(Value::Null),
            FieldValue::Bool(b) => Value::Bool(*b),
            FieldValue::List(items) => Value::Array(items.iter().map(Self::to_json).collect()),
        }
    }
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Text(s) => f.write_str(s),
            FieldValue::Int(n) => write!(f, "{n}"),
            FieldValue::Decimal(c) => f.write_str(&hundredths(*c)),
            FieldValue::Bool(b) => write!(f, "{b}"),
            FieldValue::List(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_char(']')
            }
        }
    }
}

/// Hundredths written with two places: `-12.05`.
fn hundredths(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02}",
        c.unsigned_abs() / 100,
        c.unsigned_abs() % 100
    )
}

/// What the generator knows of one event note.
#[derive(Clone, Debug, Default)]
pub struct EventShape {
    /// The note's text: the payload's `eventName`.
    pub name: String,
    /// Its typed fields.
    pub fields: Vec<Field>,
    /// The field that holds the record's key (the aggregate's `id_field` or the event's `key`).
    pub key_field: Option<String>,
}

/// The shapes of a board's events, by note position (none for other kinds).
pub fn event_shapes(board: &Board) -> Vec<Option<EventShape>> {
    let ix = crate::model::index::BoardIndex::new(board);
    ix.notes()
        .map(|i| {
            let note = ix.note(i);
            (note.kind == NoteKind::Event).then(|| EventShape {
                name: note.text.clone(),
                fields: crate::model::field::event_fields(note),
                key_field: ix.route(i).and_then(|r| r.key.clone()),
            })
        })
        .collect()
}

/// Where a generated record comes from: the run's seed, the message, its key and its time.
#[derive(Clone, Copy, Debug)]
pub struct Origin {
    /// The run's seed.
    pub seed: u64,
    /// The message id.
    pub message: u64,
    /// The entity (its key is the number written out).
    pub entity: u64,
    /// When it was published (simulated ms).
    pub at_ms: u64,
}

impl Origin {
    /// The value of the `i`th field of an event of `shape` in this record.
    pub fn value(&self, shape: &EventShape, i: usize) -> FieldValue {
        let field = &shape.fields[i];
        if shape.key_field.as_deref() == Some(field.name.as_str()) {
            return self.key_value(&field.ty);
        }
        let h = mix(mix(mix(self.seed, self.message), i as u64), FIELD_SALT);
        let example = field.example.as_deref();
        match &field.ty {
            FieldType::Text => match example {
                Some(e) => FieldValue::Text(e.to_string()),
                None => FieldValue::Text(format!("{}-{}", field.name, h % TEXT_SPAN)),
            },
            FieldType::Int => {
                let top = example
                    .and_then(|e| e.parse::<i64>().ok())
                    .map_or(INT_SPAN, |e| (2 * e).max(1));
                FieldValue::Int(1 + (h % top as u64) as i64)
            }
            FieldType::Decimal => {
                let top = example
                    .and_then(parse_hundredths)
                    .map_or(DECIMAL_SPAN, |e| (2 * e).max(DECIMAL_MIN + 1));
                let span = (top - DECIMAL_MIN).max(1) as u64;
                FieldValue::Decimal(DECIMAL_MIN + (h % span) as i64)
            }
            FieldType::Bool => FieldValue::Bool(h & 1 == 1),
            FieldType::Timestamp => FieldValue::Text(iso_time(self.at_ms)),
            FieldType::Uuid => FieldValue::Text(uuid(h, mix(h, self.entity))),
            FieldType::Enum(values) => {
                FieldValue::Text(values[(h % values.len() as u64) as usize].clone())
            }
        }
    }

    /// The record's key as a value of the key field's type.
    fn key_value(&self, ty: &FieldType) -> FieldValue {
        match ty {
            FieldType::Int => FieldValue::Int(self.entity as i64),
            // The key, readable in the UUID's last group.
            FieldType::Uuid => FieldValue::Text(format!(
                "00000000-0000-4000-8000-{:012}",
                self.entity % 1_000_000_000_000
            )),
            _ => FieldValue::Text(self.entity.to_string()),
        }
    }

    /// The whole payload: `eventName`, the fields in order, `timestamp`.
    pub fn payload(&self, shape: &EventShape) -> Payload {
        Payload {
            event_name: shape.name.clone(),
            fields: (0..shape.fields.len())
                .map(|i| (shape.fields[i].name.clone(), self.value(shape, i)))
                .collect(),
            at_ms: self.at_ms,
        }
    }
}

/// An event's payload with the envelope the app shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    /// The event's name.
    pub event_name: String,
    /// Its fields, in the order the event lists them.
    pub fields: Vec<(String, FieldValue)>,
    /// The record's time (simulated ms).
    pub at_ms: u64,
}

impl Payload {
    /// The payload as JSON: `eventName`, the fields, `timestamp`.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("eventName".into(), Value::String(self.event_name.clone()));
        for (name, value) in &self.fields {
            map.insert(name.clone(), value.to_json());
        }
        map.insert("timestamp".into(), Value::String(iso_time(self.at_ms)));
        Value::Object(map)
    }
}

/// A version 4 UUID from two random words.
fn uuid(a: u64, b: u64) -> String {
    let a = (a & !0xf000) | 0x4000; // version 4 in the third group
    let b = (b & !(0b11 << 62)) | (0b10 << 62); // the RFC 4122 variant
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

/// A moment of the run as ISO 8601 UTC, to the millisecond.
pub fn iso_time(at_ms: u64) -> String {
    let ms = RUN_EPOCH_S * 1000 + at_ms as i64;
    let (days, in_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (y, m, d) = civil_from_days(days);
    let s = in_day / 1000;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        s / 3600,
        s / 60 % 60,
        s % 60,
        in_day % 1000
    )
}

/// The calendar date of a day counted from 1970-01-01 (the proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(fields: &[&str], key: Option<&str>) -> EventShape {
        EventShape {
            name: "Funds deposited".into(),
            fields: fields.iter().map(|f| Field::parse(f).unwrap()).collect(),
            key_field: key.map(str::to_string),
        }
    }

    fn origin(message: u64) -> Origin {
        Origin {
            seed: 42,
            message,
            entity: 4354,
            at_ms: 1_500,
        }
    }

    #[test]
    fn the_envelope_names_the_event_keys_by_entity_and_stamps_the_run_time() {
        let s = shape(
            &["accountId", "amount: decimal", "at: timestamp"],
            Some("accountId"),
        );
        let json = origin(7).payload(&s).to_json();
        assert_eq!(json["eventName"], "Funds deposited");
        assert_eq!(json["accountId"], "4354");
        assert_eq!(json["timestamp"], "2026-01-06T13:10:01.500Z");
        assert_eq!(json["at"], json["timestamp"]);
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["eventName", "accountId", "amount", "at", "timestamp"]
        );
    }

    #[test]
    fn values_are_of_their_type_within_their_range_and_the_same_every_time() {
        let s = shape(
            &[
                "n: int = 10",
                "amount: decimal = 20.00",
                "kind: enum(cash|card)",
                "id: uuid",
                "note",
                "flag: bool",
            ],
            None,
        );
        let mut kinds = std::collections::BTreeSet::new();
        for m in 0..200 {
            let p = origin(m).payload(&s);
            assert_eq!(p, origin(m).payload(&s), "deterministic");
            let FieldValue::Int(n) = p.fields[0].1 else {
                panic!()
            };
            assert!((1..=20).contains(&n), "{n}");
            let FieldValue::Decimal(c) = p.fields[1].1 else {
                panic!()
            };
            assert!((100..4000).contains(&c), "{c}");
            kinds.insert(p.fields[2].1.to_string());
            let id = p.fields[3].1.to_string();
            assert_eq!((id.len(), &id[14..15]), (36, "4"), "{id}");
            assert!(p.fields[4].1.to_string().starts_with("note-"));
        }
        assert_eq!(kinds.len(), 2, "both enum values come up");
        assert_ne!(origin(1).payload(&s), origin(2).payload(&s));
    }

    #[test]
    fn a_uuid_or_int_key_field_still_holds_the_key() {
        let s = shape(&["accountId: uuid"], Some("accountId"));
        assert_eq!(
            origin(1).value(&s, 0).to_string(),
            "00000000-0000-4000-8000-000000004354"
        );
        let s = shape(&["accountId: int"], Some("accountId"));
        assert_eq!(origin(1).value(&s, 0), FieldValue::Int(4354));
    }

    #[test]
    fn times_and_decimals_are_written_as_people_read_them() {
        assert_eq!(iso_time(0), "2026-01-06T13:10:00.000Z");
        assert_eq!(iso_time(3_600_000 * 24 * 60), "2026-03-07T13:10:00.000Z");
        assert_eq!(FieldValue::Decimal(-1205).to_string(), "-12.05");
        assert_eq!(FieldValue::Decimal(7).to_json(), serde_json::json!(0.07));
    }
}
