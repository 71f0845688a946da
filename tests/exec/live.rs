//! Edits while a run plays: a consumer drawn on a running board joins the broker as a new
//! group (from the earliest or the latest offset, as its `start` says) and the run goes on;
//! an edit that changes what already ran does not agree with the run shown.

use super::{id, link, set};
use flowstorm::{
    exec::{ExecEventKind, Fault, FaultError, RunConfig, Timeline},
    model::{samples::sample_by_id, Board},
};
use serde_json::json;

/// When the consumer is drawn (ms).
const EDIT_AT: u64 = 5_000;

/// The fraud sample as it opens, and with the link that makes Fraud check a consumer.
fn boards() -> (Board, Board) {
    let before = sample_by_id("fraud").unwrap().board();
    let mut after = before.clone();
    link(&mut after, "order-placed", "fraud-check");
    (before, after)
}

/// Plays the board to the edit, then takes the edited board over there the way the app does.
fn joined(after: &Board) -> (Timeline, Timeline) {
    let (before, _) = boards();
    let mut shown = Timeline::new(&before, RunConfig::for_board(&before)).unwrap();
    shown.seek(EDIT_AT);
    let (mut edited, drawn) = shown.edited(after).unwrap();
    assert_eq!(drawn, [id("fraud-check")], "the consumer the edit drew");
    edited.seek(EDIT_AT);
    (shown, edited)
}

/// Publication times of the messages Fraud check processed by `until`.
fn processed_by_fraud(timeline: &Timeline) -> Vec<u64> {
    let run = timeline.run();
    let published: std::collections::HashMap<_, _> = run
        .events()
        .iter()
        .filter(|e| e.kind == ExecEventKind::EventPublished)
        .filter_map(|e| Some((e.message?, e.at)))
        .collect();
    run.events()
        .iter()
        .filter(|e| e.kind == ExecEventKind::Processed && e.note == id("fraud-check"))
        .filter_map(|e| published.get(&e.message?).copied())
        .collect()
}

/// Starts Fraud check where the edited run stands and plays three seconds on: the publication
/// times of what it processed.
fn start_fraud_check(edited: &mut Timeline) -> Vec<u64> {
    edited
        .apply_fault(Fault::StartConsumer {
            note: id("fraud-check"),
        })
        .unwrap();
    edited.seek(EDIT_AT + 3_000);
    processed_by_fraud(edited)
}

#[test]
fn a_consumer_drawn_while_running_joins_and_catches_up_from_the_earliest_offset() {
    let (_, after) = boards();
    let (shown, mut edited) = joined(&after);
    assert!(
        edited.agrees_with(&shown),
        "the edit changed nothing that ran"
    );
    assert_eq!(
        edited.run().counters(&id("fraud-check")).unwrap().handled,
        0
    );
    let times = start_fraud_check(&mut edited);
    assert!(
        times.iter().any(|&t| t < EDIT_AT / 2),
        "it read the orders placed long before it joined"
    );
    let placed = edited.run().counters(&id("order-placed")).unwrap().handled;
    assert!(
        times.len() as u64 * 2 > placed,
        "it caught up: {} of {placed}",
        times.len()
    );
    // Starting it twice is refused with its reason.
    assert_eq!(
        edited.apply_fault(Fault::StartConsumer {
            note: id("fraud-check")
        }),
        Err(FaultError::AlreadyRunning(id("fraud-check")))
    );
}

#[test]
fn a_consumer_that_starts_at_the_latest_offset_reads_only_what_comes_after() {
    let (_, mut after) = boards();
    set(&mut after, "fraud-check", "start", json!("latest"));
    let (shown, mut edited) = joined(&after);
    assert!(edited.agrees_with(&shown));
    let times = start_fraud_check(&mut edited);
    assert!(
        !times.is_empty(),
        "it reads what is published after it joined"
    );
    assert!(times.iter().all(|&t| t >= EDIT_AT), "{times:?}");
}

#[test]
fn scrubbing_back_before_the_join_shows_the_consumer_not_running_and_forward_again_the_same() {
    let (_, after) = boards();
    let (_, mut edited) = joined(&after);
    edited
        .apply_fault(Fault::StartConsumer {
            note: id("fraud-check"),
        })
        .unwrap();
    edited.seek(EDIT_AT + 4_000);
    let (hash, handled) = (
        edited.run().trace_hash(),
        edited.run().counters(&id("fraud-check")).unwrap().handled,
    );
    edited.seek(EDIT_AT - 1_000);
    assert_eq!(
        edited.run().counters(&id("fraud-check")).unwrap().handled,
        0
    );
    // A fault on a consumer that has not joined yet says so.
    assert_eq!(
        edited.apply_fault(Fault::RestartConsumer {
            note: id("fraud-check")
        }),
        Err(FaultError::NotStarted(id("fraud-check")))
    );
    edited.seek(EDIT_AT + 4_000);
    assert_eq!(
        edited.run().trace_hash(),
        hash,
        "the join is replayed where it was made"
    );
    assert_eq!(
        edited.run().counters(&id("fraud-check")).unwrap().handled,
        handled
    );
}

#[test]
fn an_edit_that_changes_what_already_ran_does_not_agree_with_the_run_shown() {
    let (before, mut after) = boards();
    set(&mut after, "charge", "processing_ms", json!(40));
    let (shown, edited) = joined(&after);
    assert!(!edited.agrees_with(&shown));
    // Moving a note or renaming one changes nothing that ran.
    let mut moved = before.clone();
    moved.notes[0].x += 300.0;
    moved.notes[1].text = "Customer at the till".into();
    let mut shown = Timeline::new(&before, RunConfig::for_board(&before)).unwrap();
    shown.seek(EDIT_AT);
    let (mut edited, drawn) = shown.edited(&moved).unwrap();
    assert!(drawn.is_empty());
    edited.seek(EDIT_AT);
    assert!(edited.agrees_with(&shown));
}

#[test]
fn a_scenario_can_start_a_consumer_later() {
    let (_, mut after) = boards();
    let scenario = after.scenario.get_or_insert_with(Default::default);
    scenario.faults.push(flowstorm::model::ScheduledFault {
        at_ms: EDIT_AT,
        fault: Fault::StartConsumer {
            note: id("fraud-check"),
        },
    });
    let config = RunConfig::for_board(&after);
    assert_eq!(config.late, vec![id("fraud-check")]);
    let mut t = Timeline::new(&after, config).unwrap();
    t.seek(EDIT_AT - 1);
    assert_eq!(t.run().counters(&id("fraud-check")).unwrap().handled, 0);
    t.seek(EDIT_AT + 3_000);
    let times = processed_by_fraud(&t);
    assert!(
        times.iter().any(|&x| x < EDIT_AT / 2),
        "from the earliest offset"
    );
}

#[test]
fn a_new_read_model_drawn_while_running_agrees_and_joins() {
    let (before, _) = boards();
    let mut after = before.clone();
    after.notes.push(flowstorm::model::Note::new(
        "orders-seen",
        flowstorm::model::NoteKind::ReadModel,
        "Orders seen",
        1_200.0,
        900.0,
    ));
    link(&mut after, "order-placed", "orders-seen");
    let mut shown = Timeline::new(&before, RunConfig::for_board(&before)).unwrap();
    shown.seek(EDIT_AT);
    let (mut edited, drawn) = shown.edited(&after).unwrap();
    assert_eq!(drawn, [id("orders-seen")]);
    edited.seek(EDIT_AT);
    assert!(
        edited.agrees_with(&shown),
        "a note added changes nothing that ran"
    );
    edited
        .apply_fault(Fault::StartConsumer {
            note: id("orders-seen"),
        })
        .unwrap();
    edited.seek(EDIT_AT + 3_000);
    let seen = edited.run().counters(&id("orders-seen")).unwrap().handled;
    let placed = edited.run().counters(&id("order-placed")).unwrap().handled;
    assert!(seen * 10 >= placed * 9, "caught up: {seen} of {placed}");
}
