//! The board as an AsyncAPI 3.0.0 document: a channel per topic (Kafka bindings 0.5.0: topic,
//! partitions, `cleanup.policy` and `retention.ms`; the key in each message's binding), a
//! message per event (its payload a JSON Schema of what a run puts in its records: the event's
//! name, its typed fields, its time), a `send` operation per
//! producer and topic (aggregate → topic), and a `receive` operation per consumer group and
//! topic. Channels, operations and messages refer to each other with `$ref`.
//!
//! Typed fields map to JSON Schema as the run writes them in its records
//! ([`crate::exec::payload`]), so the document describes the payloads the app shows: `int` is
//! an `integer`, `bool` a `boolean`, `timestamp` a `string` of `format: date-time`, `uuid` one of
//! `format: uuid`, `enum(A|B)` a string `enum`. A `decimal` is a `number` (the run writes one
//! with at most two places) with `format: decimal`, the hint code generators read to use a
//! decimal type rather than a binary float, which would not keep an amount exact. Each message
//! carries an example payload made by the run's own generator.

use super::{
    escape::{one_line, Ids},
    topics::{kafka_plan_of, text_or_id, CLEANUP_POLICY},
};
use crate::{
    exec::{
        compile,
        payload::{event_shapes, Origin},
    },
    model::{
        field::{event_fields, Field, FieldType},
        index::BoardIndex,
        Board, LinkMeaning, NoteKind, Scenario,
    },
};
use serde_json::{json, Map, Value};

/// The AsyncAPI version written.
const ASYNCAPI_VERSION: &str = "3.0.0";
/// The version of AsyncAPI's Kafka bindings written.
const KAFKA_BINDING_VERSION: &str = "0.5.0";
/// The placeholder server's host.
const PLACEHOLDER_HOST: &str = "localhost:9092";
/// When the example record is published (simulated ms).
const EXAMPLE_AT_MS: u64 = 1_000;
/// The payload field naming the event (the note's text), as a run writes it.
const EVENT_NAME: &str = "eventName";
/// The payload field holding the record's time, as a run writes it.
const TIMESTAMP: &str = "timestamp";

/// Characters a component or operation key may hold besides letters and digits.
fn key_char(c: char) -> bool {
    matches!(c, '-' | '_' | '.')
}

/// The JSON Schema of a typed field.
fn field_schema(field: &Field) -> Value {
    let mut schema = match &field.ty {
        FieldType::Text => json!({ "type": "string" }),
        FieldType::Int => json!({ "type": "integer" }),
        FieldType::Decimal => json!({
            "type": "number",
            "format": "decimal",
            "description": "An exact amount, at most two decimal places.",
        }),
        FieldType::Bool => json!({ "type": "boolean" }),
        FieldType::Timestamp => json!({ "type": "string", "format": "date-time" }),
        FieldType::Uuid => json!({ "type": "string", "format": "uuid" }),
        FieldType::Enum(values) => json!({ "type": "string", "enum": values }),
    };
    if let Some(example) = example_value(field) {
        schema["examples"] = json!([example]);
    }
    schema
}

/// A field's example as a JSON value of its type (as written when it does not parse as one).
fn example_value(field: &Field) -> Option<Value> {
    let text = field.example.as_deref()?.trim();
    let text = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    Some(match field.ty {
        FieldType::Int => text
            .parse::<i64>()
            .map_or_else(|_| json!(text), Value::from),
        FieldType::Decimal => serde_json::from_str::<serde_json::Number>(text)
            .map_or_else(|_| json!(text), Value::Number),
        FieldType::Bool => text
            .parse::<bool>()
            .map_or_else(|_| json!(text), Value::from),
        _ => json!(text),
    })
}

/// The payload a run gives an event's records ([`crate::exec::payload`]): `eventName` (the
/// note's text, unless a field of that name takes its place), the fields in order, then
/// `timestamp` (the record's time, whatever a field of that name says); all always there.
fn payload_schema(event_name: &str, fields: &[Field]) -> Value {
    let mut properties = Map::new();
    properties.insert(
        EVENT_NAME.into(),
        json!({ "type": "string", "const": event_name }),
    );
    for f in fields {
        properties.insert(f.name.clone(), field_schema(f));
    }
    properties.insert(
        TIMESTAMP.into(),
        json!({ "type": "string", "format": "date-time" }),
    );
    let required: Vec<&String> = properties.keys().collect();
    let required = json!(required);
    json!({ "type": "object", "properties": properties, "required": required })
}

/// Where the example record of each message comes from: the board's seed, its first message,
/// entity and second.
fn example_origin(board: &Board) -> Origin {
    Origin {
        seed: board
            .scenario
            .as_ref()
            .map_or_else(|| Scenario::default().seed, |s| s.seed),
        message: 1,
        entity: 1,
        at_ms: EXAMPLE_AT_MS,
    }
}

/// A `$ref` to a place in this document.
fn reference(path: &[&str]) -> Value {
    let pointer: Vec<String> = path
        .iter()
        .map(|p| p.replace('~', "~0").replace('/', "~1"))
        .collect();
    json!({ "$ref": format!("#/{}", pointer.join("/")) })
}

/// The board as an AsyncAPI 3.0.0 document.
pub fn asyncapi(board: &Board) -> Value {
    let ix = BoardIndex::new(board);
    let plan = compile(board);
    let kafka = kafka_plan_of(board, &plan, &ix);
    let shapes = event_shapes(board);
    let title = board
        .name
        .as_deref()
        .map(one_line)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Untitled board".into());

    // A message per event, a channel per topic of the plan that carries events.
    let mut message_ids = Ids::new("", key_char);
    let mut message_of: Vec<Option<String>> = vec![None; board.notes.len()];
    let mut messages = Map::new();
    let mut channel_messages: Vec<Map<String, Value>> = vec![Map::new(); plan.topics.len()];
    let mut topic_of: Vec<Option<usize>> = vec![None; board.notes.len()];
    for i in ix.notes().filter(|&i| ix.kind(i) == NoteKind::Event) {
        let Some(route) = ix.route(i) else { continue };
        let Some(t) = plan.topics.iter().position(|t| t.name == route.topic) else {
            continue;
        };
        let note = ix.note(i);
        let id = message_ids.make(note.id.as_str());
        let fields = event_fields(note);
        let payload = payload_schema(&note.text, &fields);
        let publisher = route.aggregate.map(|a| text_or_id(ix.note(a)));
        let mut message = json!({
            "name": note.id.as_str(),
            "title": text_or_id(note),
            "summary": match &publisher {
                Some(p) => format!("Published by {p} on {}.", route.topic),
                None => format!("Published on {}.", route.topic),
            },
            "contentType": "application/json",
        });
        // Set after `json!`, which would copy a value it is given.
        message["payload"] = payload;
        if let Some(key) = &route.key {
            let mut schema = fields
                .iter()
                .find(|f| &f.name == key)
                .map_or_else(|| json!({ "type": "string" }), field_schema);
            schema["description"] = json!(format!("The record key: the event's {key}."));
            message["bindings"] = json!({
                "kafka": { "key": schema, "bindingVersion": KAFKA_BINDING_VERSION }
            });
        }
        if note.props.get("failure").and_then(Value::as_bool) == Some(true) {
            message["tags"] =
                json!([{ "name": "failure", "description": "A failure or rejection event." }]);
        }
        if let Some(shape) = &shapes[i.index()] {
            message["examples"] = json!([{
                "name": "generated",
                "summary": "A record as a run of the board writes it.",
            }]);
            message["examples"][0]["payload"] = example_origin(board).payload(shape).to_json();
        }
        messages.insert(id.clone(), message);
        channel_messages[t].insert(id.clone(), reference(&["components", "messages", &id]));
        message_of[i.index()] = Some(id);
        topic_of[i.index()] = Some(t);
    }

    let mut channel_ids = Ids::new("", key_char);
    let mut channel_key: Vec<Option<String>> = vec![None; plan.topics.len()];
    let mut channels = Map::new();
    for (t, topic) in plan.topics.iter().enumerate() {
        let keys = &kafka.topics[t].keys;
        let key = channel_ids.make(&topic.broker_name);
        let mut config = Map::new();
        config.insert("cleanup.policy".into(), json!([CLEANUP_POLICY]));
        config.insert("retention.ms".into(), json!(kafka.topics[t].retention_ms));
        let mut channel = json!({
            "address": topic.broker_name,
            "title": topic.name,
            "description": if keys.is_empty() {
                "No key: records spread over the partitions round-robin.".to_string()
            } else {
                format!("Keyed by {}.", keys.join(", "))
            },
            "bindings": { "kafka": {
                "topic": topic.broker_name,
                "partitions": topic.partitions,
                "topicConfiguration": config,
                "bindingVersion": KAFKA_BINDING_VERSION,
            } },
        });
        let listed = std::mem::take(&mut channel_messages[t]);
        if !listed.is_empty() {
            // Before the bindings, as the specification lists a channel's fields.
            if let Some(c) = channel.as_object_mut() {
                let bindings = c.remove("bindings").unwrap_or_default();
                c.insert("messages".into(), Value::Object(listed));
                c.insert("bindings".into(), bindings);
            }
        }
        channels.insert(key.clone(), channel);
        channel_key[t] = Some(key);
    }

    let mut operation_ids = Ids::new("", key_char);
    let mut operations = Map::new();
    let message_ref = |event: usize| -> Option<Value> {
        let t = topic_of[event]?;
        Some(reference(&[
            "channels",
            channel_key[t].as_deref()?,
            "messages",
            message_of[event].as_deref()?,
        ]))
    };
    // `send`: each producer (an aggregate, else an external system or command publishing the
    // event itself), per topic, with the events it publishes there in board order.
    let mut sends: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    for i in ix.notes().filter(|&i| topic_of[i.index()].is_some()) {
        let t = topic_of[i.index()].unwrap_or_default();
        let producers: Vec<usize> = match ix.route(i).and_then(|r| r.aggregate) {
            Some(a) => vec![a.index()],
            None => ix
                .pred(i, LinkMeaning::Publishes)
                .map(|p| p.index())
                .collect(),
        };
        for p in producers {
            match sends.iter_mut().find(|(q, u, _)| *q == p && *u == t) {
                Some((_, _, events)) => events.push(i.index()),
                None => sends.push((p, t, vec![i.index()])),
            }
        }
    }
    for (p, t, events) in &sends {
        let producer = &board.notes[*p];
        let Some(channel) = channel_key[*t].as_deref() else {
            continue;
        };
        let id = operation_ids.make(&format!("{}.send.{channel}", producer.id));
        operations.insert(
            id,
            json!({
                "action": "send",
                "channel": reference(&["channels", channel]),
                "title": format!("{} publishes on {}", text_or_id(producer), plan.topics[*t].name),
                "summary": format!("{} ({}) publishes {}.", text_or_id(producer), producer.kind.label().to_lowercase(),
                    events.iter().map(|&e| text_or_id(&board.notes[e])).collect::<Vec<_>>().join(", ")),
                "messages": events.iter().filter_map(|&e| message_ref(e)).collect::<Vec<_>>(),
            }),
        );
    }
    // `receive`: each consumer group, per topic it reads.
    for (g, spec) in plan.groups.iter().zip(&kafka.groups) {
        let note = &board.notes[g.ix.index()];
        for &t in &g.topics {
            let Some(channel) = channel_key[t.index()].as_deref() else {
                continue;
            };
            let events: Vec<usize> = g
                .subscriptions
                .iter()
                .map(|e| e.note.index())
                .filter(|&e| topic_of[e] == Some(t.index()))
                .collect();
            let id = operation_ids.make(&format!("{}.receive.{channel}", g.name));
            operations.insert(
                id,
                json!({
                    "action": "receive",
                    "channel": reference(&["channels", channel]),
                    "title": format!("{} reads {}", text_or_id(note), plan.topic_at(t).name),
                    "summary": format!("Consumer group {} ({}, {} instance{}).", g.name,
                        note.kind.label().to_lowercase(), spec.instances, if spec.instances == 1 { "" } else { "s" }),
                    "description": format!("Commits {}. Consumer settings: {}.", spec.commit_rule(),
                        spec.properties().iter().map(|(k, v)| format!("`{k}={}`", if *k == "group.id" { g.name.as_str() } else { v })).collect::<Vec<_>>().join(", ")),
                    "messages": events.iter().filter_map(|&e| message_ref(e)).collect::<Vec<_>>(),
                    "bindings": { "kafka": {
                        "groupId": { "type": "string", "enum": [g.name] },
                        "bindingVersion": KAFKA_BINDING_VERSION,
                    } },
                }),
            );
        }
    }

    let mut doc = json!({
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": title,
            "version": "1.0.0",
            "description": "Exported from a Flowstorm event-storming board: a channel per topic, a message per domain event, the producers' send operations and the consumer groups' receive operations.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "kafka": {
                "host": PLACEHOLDER_HOST,
                "protocol": "kafka",
                "description": "A placeholder: edit the host (and add security) for your Kafka cluster.",
            }
        },
    });
    // Moved in after `json!`, which would copy them.
    doc["channels"] = Value::Object(channels);
    if !operations.is_empty() {
        doc["operations"] = Value::Object(operations);
    }
    doc["components"] = json!({});
    doc["components"]["messages"] = Value::Object(messages);
    doc
}

/// The AsyncAPI document as pretty-printed JSON, ending with a line break.
pub fn asyncapi_json(board: &Board) -> String {
    let mut text = serde_json::to_string_pretty(&asyncapi(board)).unwrap_or_default();
    text.push('\n');
    text
}

/// The AsyncAPI document as YAML (native builds only: the serialiser is not in the app), read
/// the same by YAML 1.2 and 1.1 readers.
#[cfg(not(target_arch = "wasm32"))]
pub fn asyncapi_yaml(board: &Board) -> Result<String, super::ExportError> {
    serde_norway::to_string(&asyncapi(board))
        .map(|yaml| super::yaml::quote_ambiguous(&yaml))
        .map_err(|e| super::ExportError::Yaml(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_fields_map_to_json_schema() {
        let f = |s: &str| field_schema(&Field::parse(s).unwrap());
        assert_eq!(f("n: int = 3"), json!({"type": "integer", "examples": [3]}));
        assert_eq!(f("ok: bool"), json!({"type": "boolean"}));
        assert_eq!(f("at: timestamp")["format"], "date-time");
        assert_eq!(f("id: uuid")["format"], "uuid");
        assert_eq!(f("s: enum(A|B)")["enum"], json!(["A", "B"]));
        assert_eq!(f("total: decimal = 12.50")["examples"], json!([12.5]));
        assert_eq!(f("total: decimal")["type"], "number");
        assert_eq!(f("name")["type"], "string");
    }

    #[test]
    fn references_escape_json_pointer_characters() {
        assert_eq!(
            reference(&["channels", "a/b~c"])["$ref"],
            "#/channels/a~1b~0c"
        );
    }
}
