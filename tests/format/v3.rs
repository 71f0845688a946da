//! Version 3: events' typed fields and fold rules load and round-trip, a wrong entry is named
//! with its path and place, and version 2 files migrate.

use super::problems;
use flowstorm::model::{
    field::{event_fields, FieldType},
    format::{load, save, ProblemKind, CURRENT_VERSION, V2_APPLY_PROP},
    rule::{event_rules, Op, Source},
    Fault, NoteId, ResetTo,
};
use serde_json::{json, Value};

/// An account board of `version` whose deposit event has the given props.
fn account(version: u64, event_props: Value) -> Value {
    json!({
        "format": "flowstorm-board", "version": version,
        "notes": [
            {"id": "account", "kind": "aggregate", "text": "Account", "x": 0, "y": 0,
             "props": {"id_field": "accountId", "store": "event_sourced"}},
            {"id": "deposited", "kind": "event", "text": "Funds deposited", "x": 200, "y": 0,
             "props": event_props}
        ],
        "links": [{"id": "l1", "from": "account", "to": "deposited"}]
    })
}

#[test]
fn typed_fields_and_fold_rules_load_and_save_as_written() {
    let file = account(
        3,
        json!({
            "fields": ["accountId", "amount: decimal = 25.00", "kind: enum(cash|card)"],
            "apply": ["balance += amount", "status = \"open\"", "kinds << kind"]
        }),
    );
    let board = load(&file.to_string()).expect("a version 3 board loads");
    let event = board.note(&NoteId::from("deposited")).unwrap();
    let fields = event_fields(event);
    assert_eq!(fields.len(), 3);
    assert_eq!(fields[1].ty, FieldType::Decimal);
    assert_eq!(fields[1].example.as_deref(), Some("25.00"));
    let rules = event_rules(event).expect("the event has rules");
    assert_eq!(rules[0].op, Op::Add);
    assert_eq!(rules[1].source, Source::Text("open".into()));
    let saved = save(&board);
    assert!(saved.contains(&format!("\"version\": {CURRENT_VERSION}")));
    assert_eq!(load(&saved).unwrap(), board);
}

#[test]
fn a_wrong_field_or_rule_is_named_with_its_path_and_place() {
    let file = account(
        3,
        json!({"fields": ["amount: money"], "apply": ["balance += amount", "balance is 3"]}),
    );
    let found = problems(&file.to_string());
    assert_eq!(found.len(), 2, "{found:?}");
    let reason = |path: &str| match &found.iter().find(|(p, _)| p == path).unwrap().1 {
        ProblemKind::BadProp { reason, .. } => reason.clone(),
        other => panic!("{other:?}"),
    };
    assert!(
        reason("$.notes[1].props.fields").starts_with("fields[0]: unknown field type \"money\"")
    );
    assert!(reason("$.notes[1].props.apply").starts_with("apply[1]: a rule is"));
}

#[test]
fn version_2_files_migrate_and_keep_their_words() {
    let board = load(include_str!("../fixtures/v2/bank.json")).expect("the v2 fixture loads");
    assert_eq!(board.storyline.len(), 1);
    assert_eq!(board.scheduled_faults().len(), 1);
    let event = board.note(&NoteId::from("deposited")).unwrap();
    let names: Vec<String> = event_fields(event).into_iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        ["accountId", "amount", "teller-name"],
        "a colon is kept as a dash; empty and repeated names go"
    );
    assert!(event_fields(event).iter().all(|f| f.ty == FieldType::Text));
    assert_eq!(event_rules(event), None, "apply meant nothing in version 2");
    assert_eq!(event.props[V2_APPLY_PROP], json!("whatever it was"));
    let view = board.note(&NoteId::from("balances")).unwrap();
    assert_eq!(
        view.props.get("push"),
        None,
        "push meant nothing in version 2"
    );
    assert_eq!(view.props["push (version 2)"], json!("to my phone"));
    assert_eq!(load(&save(&board)).unwrap(), board);
}

#[test]
fn offset_resets_and_rebuilds_load_save_and_say_what_is_wrong() {
    let mut file = account(3, json!({}));
    file["notes"].as_array_mut().unwrap().push(
        json!({"id": "balances", "kind": "read_model", "text": "Balances", "x": 400, "y": 0}),
    );
    file["scenario"] = json!({"faults": [
        {"at_ms": 1000, "fault": "reset_offsets", "note": "balances", "to": "earliest"},
        {"at_ms": 2000, "fault": "reset_offsets", "note": "balances", "to": "offset", "offset": 7},
        {"at_ms": 3000, "fault": "reset_offsets", "note": "balances", "to": "time", "time_ms": 500},
        {"at_ms": 4000, "fault": "rebuild_view", "note": "balances"}
    ]});
    let board = load(&file.to_string()).expect("loads");
    let faults = board.scheduled_faults();
    assert_eq!(
        faults[1].fault,
        Fault::ResetOffsets {
            note: NoteId::from("balances"),
            to: ResetTo::Offset(7)
        }
    );
    assert_eq!(faults[2].fault.note(), Some(&NoteId::from("balances")));
    assert_eq!(load(&save(&board)).unwrap(), board, "round trip");

    file["scenario"]["faults"] = json!([
        {"at_ms": 1000, "fault": "reset_offsets", "note": "balances", "to": "yesterday"},
        {"at_ms": 1000, "fault": "reset_offsets", "note": "balances", "to": "offset"}
    ]);
    let found = problems(&file.to_string());
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "$.scenario.faults[0].to");
    assert_eq!(found[1].0, "$.scenario.faults[1]");
    assert_eq!(found[1].1, ProblemKind::MissingField { field: "offset" });
}

#[test]
fn a_consumer_started_later_loads_saves_and_a_wrong_start_is_named() {
    let mut file = account(3, json!({}));
    file["notes"].as_array_mut().unwrap().push(json!(
        {"id": "fraud", "kind": "policy", "text": "Fraud check", "x": 400, "y": 0,
         "props": {"start": "latest"}}
    ));
    file["scenario"] = json!({"faults": [
        {"at_ms": 5000, "fault": "start_consumer", "note": "fraud"}
    ]});
    let board = load(&file.to_string()).expect("loads");
    assert_eq!(
        board.scheduled_faults()[0].fault,
        Fault::StartConsumer {
            note: NoteId::from("fraud")
        }
    );
    assert_eq!(load(&save(&board)).unwrap(), board, "round trip");

    file["notes"][2]["props"]["start"] = json!("tomorrow");
    file["scenario"]["faults"][0]["note"] = json!("nobody");
    let found = problems(&file.to_string());
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found.iter().any(|p| p.0 == "$.notes[2].props.start"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.0.starts_with("$.scenario.faults[0]")),
        "{found:?}"
    );
}

#[test]
fn a_version_2_consumer_prop_named_start_is_kept_under_another_name() {
    let mut file = account(2, json!({}));
    file["notes"].as_array_mut().unwrap().push(json!(
        {"id": "fraud", "kind": "policy", "text": "Fraud check", "x": 400, "y": 0,
         "props": {"start": "on Mondays"}}
    ));
    let board = load(&file.to_string()).expect("a version 2 board loads");
    let policy = board.note(&NoteId::from("fraud")).unwrap();
    assert_eq!(policy.props.get("start"), None);
    assert_eq!(policy.props["start (version 2)"], json!("on Mondays"));
}
