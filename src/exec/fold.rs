//! Folding events into an entity's state by their `apply` rules (docs/FORMAT.md, "Fold
//! rules"): how an event-sourced aggregate rebuilds an entity and how a read model fills its rows.

use super::payload::{event_shapes, EventShape, FieldValue, Origin};
use crate::model::{
    rule::{event_rules, Op, Rule, Source},
    Board,
};

/// One entity's state: its fields in the order they were first set, and how many events made it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntityState {
    /// State fields and their values.
    pub fields: Vec<(String, FieldValue)>,
    /// Events applied.
    pub version: u64,
}

impl EntityState {
    /// The value of a state field.
    pub fn get(&self, name: &str) -> Option<&FieldValue> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The state field's slot, made empty (`None` value) if it has none yet.
    fn slot(&mut self, name: &str) -> &mut FieldValue {
        let at = match self.fields.iter().position(|(n, _)| n == name) {
            Some(at) => at,
            None => {
                self.fields
                    .push((name.to_string(), FieldValue::List(Vec::new())));
                self.fields.len() - 1
            }
        };
        &mut self.fields[at].1
    }

    /// Sets a state field.
    fn set(&mut self, name: &str, value: FieldValue) {
        *self.slot(name) = value;
    }

    /// Adds `sign × value` to a numeric state field (absent: 0); a text stays as it is.
    fn add(&mut self, name: &str, value: &FieldValue, sign: i64) {
        let current = self.get(name).unwrap_or(&FieldValue::Int(0));
        let sum = match (current, value) {
            (FieldValue::Int(a), FieldValue::Int(b)) => FieldValue::Int(a + sign * b),
            (a, b) => match (hundredths_of(a), hundredths_of(b)) {
                (Some(a), Some(b)) => FieldValue::Decimal(a + sign * b),
                _ => return,
            },
        };
        self.set(name, sum);
    }

    /// Appends a value to a list state field (absent: an empty list); another value stays.
    fn append(&mut self, name: &str, value: FieldValue) {
        if let FieldValue::List(items) = self.slot(name) {
            items.push(value);
        }
    }
}

/// A number in hundredths (none for text, true/false and lists).
fn hundredths_of(v: &FieldValue) -> Option<i64> {
    match v {
        FieldValue::Int(n) => n.checked_mul(100),
        FieldValue::Decimal(c) => Some(*c),
        _ => None,
    }
}

/// A rule with its source field found in the event's fields.
#[derive(Clone, Debug)]
struct Compiled {
    rule: Rule,
    /// The position of the source field among the event's fields (for a field source).
    field: Option<usize>,
}

/// How each event of a board folds: its shape and rules, by note position.
#[derive(Clone, Debug, Default)]
pub struct Folds {
    events: Vec<Option<(EventShape, Option<Vec<Compiled>>)>>,
}

impl Folds {
    /// Reads every event's fields and rules.
    pub fn new(board: &Board) -> Folds {
        let events = event_shapes(board)
            .into_iter()
            .zip(&board.notes)
            .map(|(shape, note)| {
                let shape = shape?;
                let rules = event_rules(note).map(|rules| {
                    rules
                        .into_iter()
                        .map(|rule| {
                            let field = match &rule.source {
                                Source::Field(f) => shape.fields.iter().position(|x| &x.name == f),
                                _ => None,
                            };
                            Compiled { rule, field }
                        })
                        .collect()
                });
                Some((shape, rules))
            })
            .collect();
        Folds { events }
    }

    /// The shape of the event note at `position`, if it is an event.
    pub fn shape(&self, position: usize) -> Option<&EventShape> {
        self.events.get(position)?.as_ref().map(|(s, _)| s)
    }

    /// Applies one record of the event note at `position` to a state; false if that note is
    /// not an event.
    pub fn apply(&self, state: &mut EntityState, position: usize, origin: &Origin) -> bool {
        let Some(Some((shape, rules))) = self.events.get(position) else {
            return false;
        };
        state.version += 1;
        let Some(rules) = rules else {
            for i in 0..shape.fields.len() {
                state.set(&shape.fields[i].name, origin.value(shape, i));
            }
            return true;
        };
        for c in rules {
            let value = match (&c.rule.source, c.field) {
                (Source::Field(_), Some(i)) => origin.value(shape, i),
                (Source::Field(_), None) => continue,
                (Source::Text(t), _) => FieldValue::Text(t.clone()),
                (Source::Int(n), _) => FieldValue::Int(*n),
                (Source::Decimal(d), _) => FieldValue::Decimal(*d),
                (Source::Bool(b), _) => FieldValue::Bool(*b),
            };
            let target = c.rule.target.as_str();
            match c.rule.op {
                Op::Set => state.set(target, value),
                Op::Add => state.add(target, &value, 1),
                Op::Subtract => state.add(target, &value, -1),
                Op::Append => state.append(target, value),
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Note, NoteKind};
    use serde_json::json;

    /// A board of one event with these fields and rules (none: no `apply`).
    fn board(fields: serde_json::Value, apply: Option<serde_json::Value>) -> Board {
        let mut event = Note::new("e", NoteKind::Event, "Funds deposited", 0.0, 0.0);
        event.props.insert("fields".into(), fields);
        if let Some(apply) = apply {
            event.props.insert("apply".into(), apply);
        }
        Board {
            notes: vec![event],
            ..Board::default()
        }
    }

    fn fold(board: &Board, records: u64) -> EntityState {
        let folds = Folds::new(board);
        let mut state = EntityState::default();
        for m in 0..records {
            let origin = Origin {
                seed: 1,
                message: m,
                entity: 3,
                at_ms: m * 10,
            };
            assert!(folds.apply(&mut state, 0, &origin));
        }
        state
    }

    #[test]
    fn rules_add_subtract_set_and_append() {
        let b = board(
            json!(["amount: decimal = 10.00", "sku"]),
            Some(json!([
                "balance += amount",
                "twice += amount",
                "twice += amount",
                "count += 1",
                "fee -= 0.5",
                "status = \"open\"",
                "skus << sku",
                "missing = nowhere",
                "status += 1"
            ])),
        );
        let state = fold(&b, 3);
        let folds = Folds::new(&b);
        let shape = folds.shape(0).unwrap();
        let amounts: Vec<i64> = (0..3)
            .map(|m| {
                let o = Origin {
                    seed: 1,
                    message: m,
                    entity: 3,
                    at_ms: m * 10,
                };
                match o.value(shape, 0) {
                    FieldValue::Decimal(c) => c,
                    other => panic!("{other:?}"),
                }
            })
            .collect();
        let total: i64 = amounts.iter().sum();
        assert_eq!(state.get("balance"), Some(&FieldValue::Decimal(total)));
        assert_eq!(state.get("twice"), Some(&FieldValue::Decimal(2 * total)));
        assert_eq!(state.get("count"), Some(&FieldValue::Int(3)));
        assert_eq!(state.get("fee"), Some(&FieldValue::Decimal(-150)));
        assert_eq!(
            state.get("status"),
            Some(&FieldValue::Text("open".into())),
            "adding to a text leaves it"
        );
        let FieldValue::List(skus) = state.get("skus").unwrap() else {
            panic!()
        };
        assert_eq!(skus.len(), 3);
        assert_eq!(
            state.get("missing"),
            None,
            "a missing field changes nothing"
        );
        assert_eq!(state.version, 3);
    }

    #[test]
    fn without_rules_every_field_is_set() {
        let b = board(json!(["owner", "open: bool"]), None);
        let state = fold(&b, 2);
        let names: Vec<&str> = state.fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["owner", "open"]);
        assert_eq!(state.version, 2);
    }
}
