//! Version 2: the storyline and the scenario's scheduled faults load, save and round-trip;
//! every problem in them is named with its path; version 1 files migrate.

use super::problems;
use flowstorm::model::{
    format::{load, save, ProblemKind, CURRENT_VERSION},
    Board, Camera, Fault, FrameId, NoteId, Rect, ScheduledFault, Step, StepAction,
};
use serde_json::json;

/// Adds steps and scheduled faults to a generated board, from `(camera, action, caption, ms)`.
pub fn add_story(board: &mut Board, story: Vec<(u8, u8, String, u64)>) {
    let note = board.notes.first().map(|n| n.id.clone());
    let frame = board.frames.first().map(|f| f.id.clone());
    for (camera, action, caption, ms) in story {
        let camera = match (camera, &frame, &note) {
            (1, Some(f), _) => Camera::Frame(f.clone()),
            (2, _, Some(n)) => Camera::Notes(vec![n.clone()]),
            (3, ..) => Camera::Area(Rect::new(-(ms as f64), 12.5, 800.0, 450.0)),
            _ => Camera::Board,
        };
        let actions = match (action, &note) {
            (1, _) => vec![StepAction::Play { speed: 2.5 }],
            (2, _) => vec![StepAction::Pause, StepAction::Reset],
            (3, _) => vec![StepAction::Jump { at_ms: ms }],
            (4, Some(n)) => vec![StepAction::Fault(Fault::SystemDown {
                note: n.clone(),
                for_ms: Some(ms),
            })],
            _ => Vec::new(),
        };
        board.storyline.push(Step {
            caption,
            camera,
            actions,
        });
        if let (Some(scenario), Some(n)) = (board.scenario.as_mut(), &note) {
            scenario.faults.push(ScheduledFault {
                at_ms: ms,
                fault: Fault::CrashConsumer {
                    note: n.clone(),
                    instance: action.into(),
                    restart_after_ms: (action > 2).then_some(ms),
                },
            });
        }
    }
}

/// A small board with a frame, an event feeding a read model, and a system.
fn base(version: u64) -> serde_json::Value {
    json!({
        "format": "flowstorm-board", "version": version,
        "frames": [{"id": "shop", "kind": "context", "name": "Shop", "x": 0, "y": 0}],
        "notes": [
            {"id": "placed", "kind": "event", "text": "Order placed", "x": 0, "y": 0},
            {"id": "orders", "kind": "read_model", "text": "Orders", "x": 200, "y": 0},
            {"id": "ship", "kind": "external_system", "text": "Logistics", "x": 400, "y": 0}
        ],
        "links": [{"id": "l1", "from": "placed", "to": "orders"}]
    })
}

#[test]
fn a_storyline_and_scheduled_faults_load_as_written() {
    let mut file = base(2);
    file["scenario"] = json!({"seed": 1, "duration_ms": 20000, "faults": [
        {"at_ms": 3000, "fault": "system_down", "note": "ship", "for_ms": 2000},
        {"at_ms": 5000, "fault": "crash_consumer", "note": "orders", "restart_after_ms": 1000},
        {"at_ms": 6000, "fault": "add_partitions", "topic": "orders", "total": 3}
    ]});
    file["storyline"] = json!([
        {"caption": "The whole shop"},
        {"caption": "Orders", "camera": {"frame": "shop"}, "actions": [{"do": "play", "speed": 2}]},
        {"camera": {"notes": ["placed", "orders"]}, "actions": [{"do": "pause"}, {"do": "jump", "at_ms": 4000}]},
        {"camera": {"area": {"x": -10, "y": 5, "w": 640, "h": 360}},
         "actions": [{"do": "fault", "fault": "restart_consumer", "note": "orders"}, {"do": "reset"}]}
    ]);
    let board = load(&file.to_string()).expect("a version 2 board loads");
    let faults = board.scheduled_faults();
    assert_eq!(faults.len(), 3);
    assert_eq!(
        faults[0],
        ScheduledFault {
            at_ms: 3000,
            fault: Fault::SystemDown {
                note: NoteId::from("ship"),
                for_ms: Some(2000)
            }
        }
    );
    assert_eq!(
        faults[1].fault,
        Fault::CrashConsumer {
            note: NoteId::from("orders"),
            instance: 0,
            restart_after_ms: Some(1000)
        },
        "the instance is the first one unless the file says"
    );
    let steps = &board.storyline;
    assert_eq!(steps.len(), 4);
    assert_eq!(
        steps[0].camera,
        Camera::Board,
        "no camera is the whole board"
    );
    assert_eq!(steps[1].camera, Camera::Frame(FrameId::from("shop")));
    assert_eq!(steps[1].actions, vec![StepAction::Play { speed: 2.0 }]);
    assert_eq!(
        steps[2].actions,
        vec![StepAction::Pause, StepAction::Jump { at_ms: 4000 }]
    );
    assert_eq!(steps[2].caption, "", "a caption may be left out");
    assert_eq!(
        steps[3].camera,
        Camera::Area(Rect::new(-10.0, 5.0, 640.0, 360.0))
    );
    assert!(matches!(
        steps[3].actions[0],
        StepAction::Fault(Fault::RestartConsumer { .. })
    ));
    let saved = save(&board);
    assert!(
        saved.contains(&format!("\"version\": {CURRENT_VERSION}")),
        "{saved}"
    );
    assert_eq!(load(&saved).unwrap(), board, "it saves as it loaded");
}

#[test]
fn every_problem_in_a_storyline_or_a_fault_is_named_with_its_path() {
    let mut file = base(2);
    file["scenario"] = json!({"faults": [
        {"fault": "system_down", "note": "ship"},
        {"at_ms": 1, "fault": "meteor", "note": "ship"},
        {"at_ms": 1, "fault": "poison", "note": "ghost"},
        {"at_ms": 4000000, "fault": "system_up", "note": "ship"},
        {"at_ms": 1, "fault": "slow_consumer", "note": "orders"}
    ]});
    file["storyline"] = json!([
        {"camera": {"frame": "back-office"}},
        {"camera": {"notes": []}},
        {"camera": {"zoom": 2}},
        {"actions": [{"do": "dance"}, {"do": "play", "speed": 1000}]},
        {"caption": 7},
        "step"
    ]);
    let found = problems(&file.to_string());
    let at = |path: &str| {
        found
            .iter()
            .find(|(p, _)| p == path)
            .unwrap_or_else(|| panic!("no problem at {path}: {found:?}"))
            .1
            .clone()
    };
    assert_eq!(
        at("$.scenario.faults[0]"),
        ProblemKind::MissingField { field: "at_ms" }
    );
    let meteor = at("$.scenario.faults[1].fault").to_string();
    assert!(
        meteor.contains("unknown fault \"meteor\"") && meteor.contains("system_down"),
        "{meteor}"
    );
    assert_eq!(
        at("$.scenario.faults[2].note"),
        ProblemKind::UnknownNote { id: "ghost".into() }
    );
    assert!(matches!(
        at("$.scenario.faults[3].at_ms"),
        ProblemKind::OverLimit(_)
    ));
    assert_eq!(
        at("$.scenario.faults[4]"),
        ProblemKind::MissingField { field: "extra_ms" }
    );
    assert_eq!(
        at("$.storyline[0].camera.frame"),
        ProblemKind::MissingFrame {
            frame: "back-office".into()
        }
    );
    assert!(matches!(
        at("$.storyline[1].camera.notes"),
        ProblemKind::OutOfRange { .. }
    ));
    assert!(at("$.storyline[2].camera")
        .to_string()
        .contains("unknown camera \"zoom\""));
    assert!(at("$.storyline[3].actions[0].do")
        .to_string()
        .contains("unknown step action \"dance\""));
    assert!(matches!(
        at("$.storyline[3].actions[1].speed"),
        ProblemKind::OutOfRange { .. }
    ));
    assert!(matches!(
        at("$.storyline[4].caption"),
        ProblemKind::WrongType { .. }
    ));
    assert!(matches!(
        at("$.storyline[5]"),
        ProblemKind::WrongType { .. }
    ));
    assert_eq!(found.len(), 12, "one problem each: {found:?}");
}

#[test]
fn version_1_files_migrate_and_read_no_version_2_content() {
    // Version 1 named no storyline and no scheduled faults: such fields in a version 1 file
    // meant nothing, and a file that loaded before still loads the same.
    let mut file = base(1);
    file["storyline"] = json!("anything");
    file["scenario"] = json!({"seed": 3, "faults": {"not": "a list"}});
    let board = load(&file.to_string()).expect("a version 1 file loads");
    assert!(board.storyline.is_empty());
    assert!(board.scheduled_faults().is_empty());
    assert_eq!(board.scenario.as_ref().map(|s| s.seed), Some(3));
    assert!(save(&board).contains(&format!("\"version\": {CURRENT_VERSION}")));
}

#[test]
fn a_recorded_area_without_a_size_is_a_problem_not_a_step_left_out() {
    let mut file = base(2);
    file["storyline"] = json!([{"camera": {"area": {"x": 0, "y": 0, "w": null, "h": 300}}}]);
    let found = problems(&file.to_string());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "$.storyline[0].camera.area.w");
    assert!(matches!(found[0].1, ProblemKind::WrongType { .. }));
}
