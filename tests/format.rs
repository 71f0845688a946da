//! The board file format: round trips, every kind of load error, and old-version fixtures.

use flowstorm::model::{
    format::{load, save, save_compact, ProblemKind, CURRENT_VERSION},
    limits::{
        OverLimit, MAX_ENTITIES, MAX_INSTANCES, MAX_LATENCY_MS, MAX_PARTITIONS, MAX_PROCESSING_MS,
        MAX_RATE, MAX_READ_DELAY_MS, MAX_RETRIES, MAX_SCENARIO_MS,
    },
    props::{specs, PropType},
    Board, Frame, FrameId, FrameKind, Link, LinkId, Note, NoteId, NoteKind, Scenario, Topic,
};
use proptest::prelude::*;
use serde_json::{json, Value};

#[path = "format/v2.rs"]
mod v2;
#[path = "format/v3.rs"]
mod v3;

fn problems(text: &str) -> Vec<(String, ProblemKind)> {
    load(text)
        .expect_err("the board must be refused")
        .problems
        .into_iter()
        .map(|p| (p.path, p.kind))
        .collect()
}

fn board_json(notes: Value, links: Value) -> String {
    json!({"format": "flowstorm-board", "version": 1, "notes": notes, "links": links}).to_string()
}

#[test]
fn v1_fixture_loads_with_everything_in_it() {
    let board = load(include_str!("fixtures/v1/checkout.json")).expect("v1 fixture loads");
    assert_eq!(board.notes.len(), 9);
    assert_eq!(board.links.len(), 9);
    assert_eq!(board.frames[1].width(), Frame::DEFAULT_SIZE.0);
    assert_eq!(board.topics[1].partitions, 1, "partitions default to 1");
    assert_eq!(
        board.scenario,
        Some(Scenario {
            seed: 7,
            duration_ms: 60000,
            faults: Vec::new(),
        })
    );
    let clerk = board.note(&NoteId::from("clerk")).unwrap();
    assert_eq!(clerk.props["badge"], json!("vip"), "unknown props are kept");
    assert_eq!(
        clerk.props["ui"],
        json!({"pinned": true, "tags": ["a", 1, null]})
    );
    let checkout = board.note(&NoteId::from("checkout")).unwrap();
    assert_eq!((checkout.width(), checkout.height()), (160.0, 120.0));
    assert_eq!(checkout.text, "Check out\nthe basket");
    // Saving writes the current version, and loading that gives the same board.
    let saved = save(&board);
    assert!(saved.contains(&format!("\"version\": {CURRENT_VERSION}")));
    assert_eq!(load(&saved).unwrap(), board);
}

#[test]
fn optional_sections_may_be_omitted() {
    let board = load(r#"{"format":"flowstorm-board","version":1,"notes":[],"links":[]}"#).unwrap();
    assert_eq!(board, Board::default());
    let board = load(r#"{"format":"flowstorm-board","version":1}"#).unwrap();
    assert!(board.notes.is_empty());
}

#[test]
fn malformed_json_reports_line_and_column() {
    let found = problems("{\n  \"format\": \"flowstorm-board\",\n  \"version\": 1,,\n}");
    assert!(
        matches!(
            found[0].1,
            ProblemKind::Syntax {
                line: 3,
                column: 16,
                ..
            }
        ),
        "{found:?}"
    );
}

#[test]
fn wrong_format_is_refused() {
    let found = problems(r#"{"format":"excalidraw","version":2}"#);
    assert_eq!(
        found,
        vec![(
            "$.format".into(),
            ProblemKind::WrongFormat {
                found: "excalidraw".into()
            }
        )]
    );
    let found = problems(r#"{"version":1}"#);
    assert_eq!(
        found,
        vec![("$".into(), ProblemKind::MissingField { field: "format" })]
    );
    let found = problems("[1, 2]");
    assert!(matches!(found[0].1, ProblemKind::WrongType { .. }));
}

#[test]
fn newer_version_is_refused_with_a_reason() {
    let next = CURRENT_VERSION + 1;
    let text =
        format!(r#"{{"format":"flowstorm-board","version":{next},"notes":[{{"shape":"new"}}]}}"#);
    let found = problems(&text);
    assert_eq!(
        found,
        vec![(
            "$.version".into(),
            ProblemKind::NewerVersion { found: next }
        )]
    );
    let message = load(r#"{"format":"flowstorm-board","version":99}"#)
        .unwrap_err()
        .to_string();
    assert!(message.contains("newer than this Flowstorm"), "{message}");
    let found = problems(r#"{"format":"flowstorm-board","version":"1"}"#);
    assert!(matches!(found[0].1, ProblemKind::BadVersion { .. }));
    let found = problems(r#"{"format":"flowstorm-board","version":0}"#);
    assert!(matches!(found[0].1, ProblemKind::BadVersion { .. }));
}

#[test]
fn unknown_kind_is_named() {
    let found = problems(&board_json(
        json!([{"id":"a","kind":"sticky","text":"","x":0,"y":0}]),
        json!([]),
    ));
    assert_eq!(
        found,
        vec![(
            "$.notes[0].kind".into(),
            ProblemKind::UnknownKind {
                kind: "sticky".into()
            }
        )]
    );
    let text = load(&board_json(
        json!([{"id":"a","kind":"sticky","x":0,"y":0}]),
        json!([]),
    ))
    .unwrap_err()
    .to_string();
    assert!(
        text.contains("read_model"),
        "the message lists the known kinds: {text}"
    );
}

#[test]
fn duplicate_ids_across_notes_links_and_frames() {
    let text = json!({
        "format": "flowstorm-board", "version": 1,
        "frames": [{"id": "x", "kind": "context", "name": "X", "x": 0, "y": 0}],
        "notes": [
            {"id": "a", "kind": "actor", "text": "", "x": 0, "y": 0},
            {"id": "a", "kind": "command", "text": "", "x": 0, "y": 0},
            {"id": "x", "kind": "command", "text": "", "x": 0, "y": 0}
        ],
        "links": [{"id": "a", "from": "a", "to": "a"}]
    })
    .to_string();
    let found = problems(&text);
    assert!(found.contains(&(
        "$.notes[1].id".into(),
        ProblemKind::DuplicateId {
            id: "a".into(),
            first: "$.notes[0]".into()
        }
    )));
    assert!(found.contains(&(
        "$.notes[2].id".into(),
        ProblemKind::DuplicateId {
            id: "x".into(),
            first: "$.frames[0]".into()
        }
    )));
    assert!(found.contains(&(
        "$.links[0].id".into(),
        ProblemKind::DuplicateId {
            id: "a".into(),
            first: "$.notes[0]".into()
        }
    )));
}

#[test]
fn dangling_link_ends_are_reported_each() {
    let found = problems(&board_json(
        json!([{"id":"a","kind":"actor","x":0,"y":0}]),
        json!([{"id":"l","from":"ghost","to":"phantom"}]),
    ));
    assert_eq!(
        found,
        vec![
            (
                "$.links[0].from".into(),
                ProblemKind::DanglingLink { id: "ghost".into() }
            ),
            (
                "$.links[0].to".into(),
                ProblemKind::DanglingLink {
                    id: "phantom".into()
                }
            ),
        ]
    );
}

#[test]
fn forbidden_link_between_kinds() {
    let found = problems(&board_json(
        json!([{"id":"e","kind":"event","x":0,"y":0},{"id":"c","kind":"command","x":0,"y":0}]),
        json!([{"id":"l","from":"e","to":"c"}]),
    ));
    assert_eq!(
        found,
        vec![(
            "$.links[0]".into(),
            ProblemKind::ForbiddenLink {
                from: NoteKind::Event,
                to: NoteKind::Command
            }
        )]
    );
}

#[test]
fn missing_frame_is_reported() {
    let found = problems(&board_json(
        json!([{"id":"a","kind":"actor","x":0,"y":0,"frame":"nowhere"}]),
        json!([]),
    ));
    assert_eq!(
        found,
        vec![(
            "$.notes[0].frame".into(),
            ProblemKind::MissingFrame {
                frame: "nowhere".into()
            }
        )]
    );
}

#[test]
fn bad_prop_types_and_ranges() {
    let found = problems(&board_json(
        json!([
            {"id":"a","kind":"actor","x":0,"y":0,"props":{"rate":"fast","entities":0}},
            {"id":"p","kind":"policy","x":0,"y":0,"props":{"delivery":"twice","failure_rate":2,"idempotent":"yes"}},
            {"id":"e","kind":"event","x":0,"y":0,"props":{"rate":"fast is fine: not a prop of events"}}
        ]),
        json!([]),
    ));
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "$.notes[0].props.rate",
            "$.notes[0].props.entities",
            "$.notes[1].props.delivery",
            "$.notes[1].props.failure_rate",
            "$.notes[1].props.idempotent"
        ]
    );
    assert!(found
        .iter()
        .all(|(_, k)| matches!(k, ProblemKind::BadProp { .. })));
}

#[test]
fn out_of_range_values() {
    let text = json!({
        "format": "flowstorm-board", "version": 1,
        "topics": [{"name": "t", "partitions": 0}],
        "notes": [{"id": "a", "kind": "actor", "x": 1e300, "y": 0, "w": -5}],
        "links": []
    })
    .to_string();
    let found = problems(&text);
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        ["$.topics[0].partitions", "$.notes[0].x", "$.notes[0].w"]
    );
    assert!(found
        .iter()
        .all(|(_, k)| matches!(k, ProblemKind::OutOfRange { .. })));
}

#[test]
fn missing_fields_and_wrong_types() {
    let found = problems(&board_json(
        json!([{"kind":"actor","x":0}, 5]),
        json!({"not": "a list"}),
    ));
    assert_eq!(
        found,
        vec![
            (
                "$.notes[0]".into(),
                ProblemKind::MissingField { field: "id" }
            ),
            (
                "$.notes[0]".into(),
                ProblemKind::MissingField { field: "y" }
            ),
            (
                "$.notes[1]".into(),
                ProblemKind::WrongType {
                    expected: "an object"
                }
            ),
            (
                "$.links".into(),
                ProblemKind::WrongType {
                    expected: "an array"
                }
            ),
        ]
    );
}

#[test]
fn duplicate_topic_is_reported() {
    let text = json!({"format":"flowstorm-board","version":1,"topics":[{"name":"t"},{"name":"t"}]})
        .to_string();
    assert_eq!(
        problems(&text),
        vec![(
            "$.topics[1].name".into(),
            ProblemKind::DuplicateTopic { name: "t".into() }
        )]
    );
}

#[test]
fn all_problems_are_reported_at_once_but_listed_within_a_bound() {
    let notes: Vec<Value> = (0..2000)
        .map(|i| json!({"id": format!("n{i}"), "kind": "nope", "x": 0, "y": 0}))
        .collect();
    let found = problems(&board_json(Value::Array(notes), json!([])));
    assert_eq!(found.len(), flowstorm::model::format::MAX_PROBLEMS + 1);
    assert_eq!(
        found.last().unwrap().1,
        ProblemKind::MoreProblems { count: 1500 }
    );
}

#[test]
fn deeply_nested_input_is_refused_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(problems(&deep)[0].1, ProblemKind::Syntax { .. }));
    let deep_prop = format!(
        r#"{{"format":"flowstorm-board","version":1,"notes":[{{"id":"a","kind":"actor","x":0,"y":0,"props":{{"deep":{}{}}}}}]}}"#,
        "[".repeat(5000),
        "]".repeat(5000)
    );
    assert!(matches!(
        problems(&deep_prop)[0].1,
        ProblemKind::Syntax { .. }
    ));
}

#[test]
fn huge_input_is_refused_before_parsing() {
    let huge = " ".repeat(flowstorm::model::format::MAX_FILE_BYTES + 1);
    assert!(matches!(problems(&huge)[0].1, ProblemKind::TooLarge { .. }));
}

#[test]
fn garbage_never_panics() {
    for text in [
        "",
        "null",
        "\"x\"",
        "{",
        "{\"format\":null}",
        "\u{0}",
        "{\"format\":\"flowstorm-board\",\"version\":1e400}",
    ] {
        assert!(load(text).is_err(), "{text:?}");
    }
}

// ---- limits ---------------------------------------------------------------------------------

/// Every limited prop: its kind, name, limit and unit (docs/FORMAT.md, "Props").
const LIMITED: [(NoteKind, &str, f64, &str); 10] = [
    (NoteKind::Actor, "rate", MAX_RATE, "commands per second"),
    (NoteKind::Actor, "entities", MAX_ENTITIES as f64, "keys"),
    (NoteKind::Actor, "read_delay_ms", MAX_READ_DELAY_MS, "ms"),
    (
        NoteKind::Policy,
        "instances",
        MAX_INSTANCES as f64,
        "instances",
    ),
    (
        NoteKind::ReadModel,
        "processing_ms",
        MAX_PROCESSING_MS,
        "ms",
    ),
    (NoteKind::Policy, "retries", MAX_RETRIES as f64, "retries"),
    (NoteKind::ExternalSystem, "latency_ms", MAX_LATENCY_MS, "ms"),
    (
        NoteKind::ExternalSystem,
        "rate",
        MAX_RATE,
        "commands per second",
    ),
    (
        NoteKind::ExternalSystem,
        "entities",
        MAX_ENTITIES as f64,
        "keys",
    ),
    (
        NoteKind::ExternalSystem,
        "instances",
        MAX_INSTANCES as f64,
        "instances",
    ),
];

fn one_note(kind: NoteKind, name: &str, value: Value) -> String {
    board_json(
        json!([{"id": "n", "kind": kind.as_str(), "x": 0, "y": 0, "props": {name: value}}]),
        json!([]),
    )
}

#[test]
fn the_limits_are_the_documented_ones() {
    assert_eq!(MAX_RATE, 1_000.0);
    assert_eq!(MAX_ENTITIES, 1_000_000);
    assert_eq!(MAX_INSTANCES, 100);
    assert_eq!(MAX_PARTITIONS, 1_000);
    assert_eq!(MAX_PROCESSING_MS, 60_000.0);
    assert_eq!(MAX_RETRIES, 1_000);
    assert_eq!(MAX_LATENCY_MS, 60_000.0);
    assert_eq!(MAX_READ_DELAY_MS, 60_000.0);
    assert_eq!(MAX_SCENARIO_MS, 3_600_000);
    for (kind, name, max, unit) in LIMITED {
        let spec = specs(kind).into_iter().find(|s| s.name == name).unwrap();
        assert_eq!(
            (spec.limit(), spec.unit),
            (Some(max), Some(unit)),
            "{kind:?} {name}"
        );
    }
    for kind in NoteKind::ALL {
        for spec in specs(kind).into_iter().filter(|s| s.limit().is_some()) {
            let checked = LIMITED.iter().any(|(_, name, _, _)| *name == spec.name);
            assert!(
                checked,
                "{kind:?} {} has a limit this test does not check",
                spec.name
            );
        }
    }
}

#[test]
fn every_limited_prop_loads_at_its_limit_and_is_refused_just_over_it() {
    for (kind, name, max, unit) in LIMITED {
        let spec = specs(kind).into_iter().find(|s| s.name == name).unwrap();
        let (at, over) = if matches!(spec.ty, PropType::Int { .. }) {
            (json!(max as u64), json!(max as u64 + 1))
        } else {
            (json!(max), json!(max + 0.5))
        };
        let board = load(&one_note(kind, name, at.clone()))
            .unwrap_or_else(|e| panic!("{name} at its limit loads: {e}"));
        assert_eq!(board.notes[0].props[name], at);
        let found = problems(&one_note(kind, name, over.clone()));
        let expected = OverLimit {
            name,
            found: over.to_string(),
            max,
            unit,
        };
        assert_eq!(
            found,
            vec![(
                format!("$.notes[0].props.{name}"),
                ProblemKind::OverLimit(expected)
            )],
            "{kind:?}"
        );
        let message = found[0].1.to_string();
        assert_eq!(message, format!("{name} is {over}; at most {max} {unit}"));
    }
}

#[test]
fn an_over_limit_message_names_the_prop_the_value_and_the_limit() {
    let err = load(&one_note(NoteKind::Actor, "rate", json!(1_000_000))).unwrap_err();
    assert_eq!(err.problems[0].path, "$.notes[0].props.rate");
    assert_eq!(
        err.problems[0].kind.to_string(),
        "rate is 1000000; at most 1000 commands per second"
    );
    assert_eq!(err.problems[0].kind.code(), "over_limit");
    assert_eq!(err.to_json()[0]["code"], "over_limit");
}

#[test]
fn below_minimum_and_wrong_types_of_limited_props_stay_bad_props() {
    let found = problems(&board_json(
        json!([
            {"id":"a","kind":"actor","x":0,"y":0,"props":{"rate":-1,"entities":0,"read_delay_ms":"soon"}},
            {"id":"p","kind":"policy","x":0,"y":0,"props":{"instances":2.5,"retries":-1}}
        ]),
        json!([]),
    ));
    let reasons: Vec<String> = found.iter().map(|(p, k)| format!("{p}: {k}")).collect();
    assert_eq!(
        reasons,
        [
            "$.notes[0].props.rate: prop \"rate\": expected a number from 0 to 1000 commands per second, found -1",
            "$.notes[0].props.entities: prop \"entities\": expected a whole number from 1 to 1000000 keys, found 0",
            "$.notes[0].props.read_delay_ms: prop \"read_delay_ms\": expected a number from 0 to 60000 ms, found \"soon\"",
            "$.notes[1].props.instances: prop \"instances\": expected a whole number from 1 to 100 instances, found 2.5",
            "$.notes[1].props.retries: prop \"retries\": expected a whole number from 0 to 1000 retries, found -1",
        ]
    );
}

#[test]
fn topic_partitions_and_scenario_duration_have_limits_too() {
    let at = json!({
        "format": "flowstorm-board", "version": 1,
        "topics": [{"name": "t", "partitions": MAX_PARTITIONS}],
        "scenario": {"duration_ms": MAX_SCENARIO_MS}
    });
    let board = load(&at.to_string()).expect("at the limits a board loads");
    assert_eq!(board.topics[0].partitions, MAX_PARTITIONS);
    assert_eq!(board.scenario.unwrap().duration_ms, MAX_SCENARIO_MS);
    let over = json!({
        "format": "flowstorm-board", "version": 1,
        "topics": [{"name": "t", "partitions": MAX_PARTITIONS + 1, "retention_ms": u64::MAX}],
        "scenario": {"seed": 3, "duration_ms": u64::MAX}
    });
    let found: Vec<String> = problems(&over.to_string())
        .iter()
        .map(|(p, k)| format!("{p}: {k}"))
        .collect();
    assert_eq!(
        found,
        [
            "$.topics[0].partitions: partitions is 1001; at most 1000 partitions",
            "$.scenario.duration_ms: duration_ms is 18446744073709551615; at most 3600000 ms",
        ],
        "retention has no limit"
    );
}

#[test]
fn a_file_over_every_limit_lists_each_and_loads_nothing() {
    let text = include_str!("fixtures/limits/over-every-limit.json");
    let err = load(text).expect_err("over its limits, the board is refused");
    let found: Vec<String> = err.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        found,
        [
            "$.topics[0].partitions: partitions is 1001; at most 1000 partitions",
            "$.notes[0].props.rate: rate is 1000000; at most 1000 commands per second",
            "$.notes[0].props.entities: entities is 1000001; at most 1000000 keys",
            "$.notes[0].props.read_delay_ms: read_delay_ms is 60001; at most 60000 ms",
            "$.notes[3].props.instances: instances is 101; at most 100 instances",
            "$.notes[3].props.processing_ms: processing_ms is 60000.5; at most 60000 ms",
            "$.notes[3].props.retries: retries is 1001; at most 1000 retries",
            "$.notes[4].props.latency_ms: latency_ms is 90000; at most 60000 ms",
            "$.notes[4].props.rate: rate is 1001; at most 1000 commands per second",
            "$.notes[4].props.entities: entities is 2000000; at most 1000000 keys",
            "$.scenario.duration_ms: duration_ms is 3600001; at most 3600000 ms",
        ]
    );
    assert!(err.problems.iter().all(|p| p.kind.code() == "over_limit"));
    // Within the limits, the same file loads whole: nothing else in it was lost or refused.
    let mut fixed: Value = serde_json::from_str(text).unwrap();
    fixed["topics"][0]["partitions"] = json!(MAX_PARTITIONS);
    fixed["scenario"]["duration_ms"] = json!(MAX_SCENARIO_MS);
    for (note, name) in [
        (0, "rate"),
        (0, "entities"),
        (0, "read_delay_ms"),
        (3, "instances"),
        (3, "processing_ms"),
        (3, "retries"),
        (4, "latency_ms"),
        (4, "rate"),
        (4, "entities"),
    ] {
        fixed["notes"][note]["props"]
            .as_object_mut()
            .unwrap()
            .remove(name);
    }
    let board = load(&fixed.to_string()).expect("within the limits the file loads");
    assert_eq!(
        (board.notes.len(), board.links.len(), board.topics.len()),
        (5, 4, 1)
    );
    assert_eq!(board.notes[0].props["badge"], json!("kept"));
}

// ---- property tests -------------------------------------------------------------------------

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1.0e12f64..1.0e12).prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn kind() -> impl Strategy<Value = NoteKind> {
    prop::sample::select(NoteKind::ALL.to_vec())
}

fn coord() -> impl Strategy<Value = f64> {
    prop_oneof![(-5000i32..5000).prop_map(f64::from), -1.0e6f64..1.0e6]
}

prop_compose! {
    fn arb_note(i: usize, frames: usize)(
        kind in kind(),
        text in "\\PC{0,30}",
        x in coord(), y in coord(),
        w in prop::option::of(1.0f64..500.0), h in prop::option::of(1.0f64..500.0),
        frame in prop::option::of(0..frames.max(1)),
        unknown in prop::collection::btree_map("x_[a-z]{1,5}", json_value(), 0..3),
        failure in prop::option::of(any::<bool>()),
    ) -> Note {
        let mut note = Note::new(format!("n{i}"), kind, text, x, y);
        note.w = w;
        note.h = h;
        note.frame = if frames > 0 { frame.map(|f| FrameId(format!("f{f}"))) } else { None };
        note.props = unknown.into_iter().collect();
        if let (NoteKind::Event, Some(f)) = (kind, failure) {
            note.props.insert("failure".into(), Value::Bool(f));
        }
        note
    }
}

fn arb_board() -> impl Strategy<Value = Board> {
    (0usize..4, 0usize..25)
        .prop_flat_map(|(frames, notes)| {
            let frame_list = prop::collection::vec((coord(), coord(), ".{0,10}"), frames..=frames);
            let note_list = (0..notes).map(|i| arb_note(i, frames)).collect::<Vec<_>>();
            let pairs = prop::collection::vec((0..notes.max(1), 0..notes.max(1)), 0..40);
            let topics = prop::collection::vec((1u32..12, prop::option::of("[a-z]{1,8}")), 0..3);
            let scenario = prop::option::of((any::<u64>(), 1u64..1_000_000));
            let story =
                prop::collection::vec((0u8..4, 0u8..5, ".{0,12}", 0u64..MAX_SCENARIO_MS), 0..4);
            (
                frame_list,
                note_list,
                pairs,
                topics,
                scenario,
                prop::option::of(".{0,20}"),
                story,
            )
        })
        .prop_map(|(frames, notes, pairs, topics, scenario, name, story)| {
            let mut board = Board {
                name,
                ..Board::default()
            };
            board.frames = frames
                .into_iter()
                .enumerate()
                .map(|(i, (x, y, name))| Frame {
                    id: FrameId(format!("f{i}")),
                    kind: FrameKind::Context,
                    name,
                    x,
                    y,
                    w: None,
                    h: Some(300.0),
                })
                .collect();
            board.notes = notes;
            for (n, (a, b)) in pairs.into_iter().enumerate() {
                if a >= board.notes.len() || b >= board.notes.len() {
                    continue;
                }
                let (from, to) = (&board.notes[a], &board.notes[b]);
                if flowstorm::model::link_meaning(from.kind, to.kind).is_some() {
                    board.links.push(Link {
                        id: LinkId(format!("l{n}")),
                        from: from.id.clone(),
                        to: to.id.clone(),
                    });
                }
            }
            board.topics = topics
                .into_iter()
                .enumerate()
                .map(|(i, (partitions, key))| Topic {
                    name: format!("t{i}"),
                    partitions,
                    key,
                    retention_ms: None,
                })
                .collect();
            board.scenario = scenario.map(|(seed, duration_ms)| Scenario {
                seed,
                duration_ms,
                faults: Vec::new(),
            });
            v2::add_story(&mut board, story);
            board
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn load_of_save_is_the_same_board(board in arb_board()) {
        prop_assert_eq!(&load(&save(&board)).expect("a saved board loads"), &board);
        prop_assert_eq!(&load(&save_compact(&board)).expect("a compact board loads"), &board);
    }

    #[test]
    fn any_text_loads_or_fails_without_panicking(text in "\\PC{0,200}") {
        let _ = load(&text);
    }

    #[test]
    fn mangled_boards_fail_cleanly(board in arb_board(), cut in 0usize..2000, junk in "[\\[\\]{}\",:0-9a-z]{0,5}") {
        let mut text = save_compact(&board);
        let at = cut.min(text.len());
        if text.is_char_boundary(at) {
            text.insert_str(at, &junk);
            let _ = load(&text);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// Saving lays out the compact text; it must read exactly as serde_json's pretty printer
    /// writes the same board (files saved before keep diffing cleanly).
    #[test]
    fn saved_files_are_laid_out_as_serde_json_lays_them_out(board in arb_board()) {
        let compact = save_compact(&board);
        let value: Value = serde_json::from_str(&compact).unwrap();
        prop_assert_eq!(save(&board), serde_json::to_string_pretty(&value).unwrap());
    }
}
