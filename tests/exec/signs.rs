//! Dynamic diagnoses: each sign appears on a board where it must and not where it must not; a
//! crash is a crash and a poison message a poison message; a read at the moment of the write is
//! not stale; findings name notes, never ids; what a run showed stays listed when scrubbed.

use super::{has_sign, hazard, id, played, run, set};
use flowstorm::{
    analysis::{dynamic, Finding, HazardCode, Severity},
    exec::{ExecEventKind, Fault, Run, SignKind, Timeline},
    model::{self, sample::sample, Board},
};
use serde_json::json;

/// Teller → Deposit → Account → Funds deposited → Account balance, with the ids the app gives
/// new notes.
fn bank() -> Board {
    let text = json!({
        "format": "flowstorm-board", "version": 1, "name": "Bank",
        "notes": [
            {"id": "actor-1", "kind": "actor", "text": "Teller", "x": 20, "y": 40, "props": {"rate": 10}},
            {"id": "command-1", "kind": "command", "text": "Deposit", "x": 200, "y": 40},
            {"id": "aggregate-1", "kind": "aggregate", "text": "Account", "x": 380, "y": 40},
            {"id": "event-1", "kind": "event", "text": "Funds deposited", "x": 560, "y": 40},
            {"id": "read-model-1", "kind": "read_model", "text": "Account balance", "x": 740, "y": 40}
        ],
        "links": [
            {"id": "l1", "from": "actor-1", "to": "command-1"},
            {"id": "l2", "from": "command-1", "to": "aggregate-1"},
            {"id": "l3", "from": "aggregate-1", "to": "event-1"},
            {"id": "l4", "from": "event-1", "to": "read-model-1"}
        ]
    });
    model::load(&text.to_string()).unwrap()
}

/// The bank board run for 10 s with a fault on Account balance at 2 s.
fn bank_with(board: &Board, fault: Fault) -> Run {
    let mut r = run(board, 42, 10_000);
    r.step_until(2_000);
    r.apply_fault(fault).unwrap();
    r.run_to_end(3_000);
    r
}

/// The crash the Run tab applies: instance 0, restarted 3 s later.
fn crash(note: &str) -> Fault {
    Fault::CrashConsumer {
        note: id(note),
        instance: 0,
        restart_after_ms: Some(3_000),
    }
}

/// Every word a finding shows.
fn words(f: &Finding) -> String {
    format!("{} {}", f.message, f.fix)
}

#[test]
fn a_crashed_read_model_is_a_crash_not_a_poison_message() {
    let r = bank_with(&bank(), crash("read-model-1"));
    let found = dynamic::findings(&r);
    assert!(
        !found.iter().any(|f| f.code == HazardCode::FS012),
        "no poison message was sent: {found:#?}"
    );
    assert!(!has_sign(&r, SignKind::StuckPartition, "read-model-1"));
    assert!(has_sign(&r, SignKind::CrashRedelivery, "read-model-1"));
    let crash = found
        .iter()
        .find(|f| f.message.contains("crashed"))
        .expect("the crash is reported");
    assert_eq!(crash.code, HazardCode::FS004);
    assert_eq!(crash.first_seen_ms, Some(2_000));
    for part in [
        "Account balance",
        "rebalanced",
        "lag built to",
        "not idempotent",
    ] {
        assert!(crash.message.contains(part), "{part}: {}", crash.message);
    }
    for f in &found {
        assert!(!words(f).contains("read-model-1"), "names, not ids: {f:?}");
    }
}

#[test]
fn a_crash_warns_of_duplicates_only_where_redeliveries_apply_twice() {
    let r = super::crashed_between_effect_and_commit();
    let found = dynamic::findings(&r);
    let crash_of = |note: &str| {
        found
            .iter()
            .find(|f| f.notes == [id(note)] && f.message.contains("crashed"))
            .unwrap_or_else(|| panic!("{note}: {found:#?}"))
    };
    assert_eq!(crash_of("charge-policy").severity, Severity::Warning);
    assert_eq!(crash_of("ship-policy").severity, Severity::Info);
    assert!(crash_of("ship-policy").message.contains("is idempotent"));
}

#[test]
fn an_at_most_once_crash_is_a_loss_not_a_redelivery() {
    let mut board = hazard("fs006-lost-on-crash");
    set(&mut board, "clerk", "rate", json!(50));
    set(&mut board, "sales-view", "processing_ms", json!(30));
    let mut r = run(&board, 8, 4_000);
    r.step_until(500);
    r.apply_fault(crash("sales-view")).unwrap();
    r.run_to_end(5_000);
    assert!(has_sign(&r, SignKind::LostOnCrash, "sales-view"));
    assert!(!has_sign(&r, SignKind::CrashRedelivery, "sales-view"));
}

#[test]
fn a_poison_message_sticks_its_partition_and_is_named() {
    let r = bank_with(
        &bank(),
        Fault::Poison {
            note: id("read-model-1"),
        },
    );
    assert!(has_sign(&r, SignKind::StuckPartition, "read-model-1"));
    let found = dynamic::findings(&r);
    let poison = found
        .iter()
        .find(|f| f.code == HazardCode::FS012)
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(poison.severity, Severity::Error);
    assert!(
        poison.message.starts_with(
            "Account balance failed on the same message again and again: a partition of Account's topic"
        ),
        "{}",
        poison.message
    );
    assert!(!words(poison).contains("read-model-1"));
}

#[test]
fn a_note_without_text_is_named_by_its_id() {
    let mut board = bank();
    board.note_mut(&id("read-model-1")).unwrap().text = "  ".into();
    let r = bank_with(&board, crash("read-model-1"));
    let found = dynamic::findings(&r);
    assert!(
        found.iter().any(|f| f
            .message
            .contains("an instance of read-model-1 crashed at 2.0 s")),
        "{found:#?}"
    );
}

#[test]
fn a_read_at_the_moment_of_the_write_is_not_stale() {
    // The sample's cashier reads back with no delay: 0 ms after its write.
    let r = played(&sample(), 10_000);
    assert!(
        !has_sign(&r, SignKind::StaleRead, "cashier"),
        "{:?}",
        dynamic::signs(&r)
    );
    let reads = r
        .events()
        .iter()
        .filter(|e| matches!(e.kind, ExecEventKind::Read { .. }))
        .count();
    assert!(reads > 0, "the cashier reads");
    assert!(!r
        .events()
        .iter()
        .any(|e| matches!(e.kind, ExecEventKind::Read { stale: true, .. })));
    // Reading a little later, before the view caught up, is stale.
    let mut later = sample();
    set(&mut later, "cashier", "read_delay_ms", json!(1));
    let r = played(&later, 10_000);
    let stale = dynamic::signs(&r)
        .into_iter()
        .find(|s| s.kind == SignKind::StaleRead)
        .unwrap_or_else(|| panic!("{:?}", dynamic::signs(&r)));
    assert!(stale.worst >= 1);
}

#[test]
fn an_unguarded_cycle_loops_and_a_straight_flow_does_not() {
    let mut board = hazard("fs005-event-loop");
    super::link(&mut board, "manager", "set-target");
    board.notes.push(model::Note::new(
        "buyer",
        model::NoteKind::Actor,
        "Buyer",
        0.0,
        0.0,
    ));
    super::link(&mut board, "buyer", "order-stock");
    let r = played(&board, 3_000);
    assert!(has_sign(&r, SignKind::EventLoop, "reorder-policy"));
    assert!(r.counters(&id("bonus-policy")).unwrap().handled > 0);
    assert!(!has_sign(&r, SignKind::EventLoop, "bonus-policy"));
}

#[test]
fn lag_grows_only_when_a_consumer_cannot_keep_up() {
    let r = played(&sample(), 10_000);
    assert!(!has_sign(&r, SignKind::GrowingLag, "order-summary"));
    let mut slow = run(&sample(), 42, 10_000);
    slow.step_until(1_000);
    slow.apply_fault(Fault::SlowConsumer {
        note: id("order-summary"),
        instance: 0,
        extra_ms: 400,
    })
    .unwrap();
    slow.run_to_end(2_000);
    assert!(has_sign(&slow, SignKind::GrowingLag, "order-summary"));
}

#[test]
fn findings_sort_by_severity_whatever_their_source() {
    let r = bank_with(&bank(), crash("read-model-1"));
    let mut statics = flowstorm::analysis::check(&bank());
    assert!(statics.iter().any(|f| f.severity == Severity::Info));
    let all =
        flowstorm::analysis::finding::merged(std::mem::take(&mut statics), dynamic::findings(&r));
    let severities: Vec<Severity> = all.iter().map(|f| f.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(severities, sorted, "{all:#?}");
    assert!(all.iter().any(|f| f.message.contains("crashed")));
}

#[test]
fn what_a_run_showed_stays_listed_when_scrubbed_back() {
    let board = bank();
    let mut t = Timeline::new(&board, super::config(42, 10_000)).unwrap();
    t.seek(2_000);
    t.apply_fault(crash("read-model-1")).unwrap();
    let mut seen = dynamic::Seen::new();
    t.seek(9_000);
    assert!(seen.update(t.run()));
    let crash = |s: &dynamic::Seen| {
        s.findings()
            .iter()
            .find(|f| f.message.contains("crashed"))
            .cloned()
    };
    let late = crash(&seen).expect("seen at 9 s");
    assert_eq!(late.first_seen_ms, Some(2_000));
    // Back before the crash: the run has not crashed yet, the list still shows it as it was.
    t.seek(1_000);
    assert!(!dynamic::findings(t.run())
        .iter()
        .any(|f| f.message.contains("crashed")));
    assert!(!seen.update(t.run()));
    assert_eq!(crash(&seen), Some(late.clone()));
    t.seek(9_000);
    seen.update(t.run());
    assert_eq!(crash(&seen), Some(late));
    assert!(
        dynamic::Seen::new().findings().is_empty(),
        "a new run starts empty"
    );
}

#[test]
fn a_consumer_that_cannot_keep_up_falls_behind_and_is_no_poison_message() {
    // Regression: a growing lag was filed under FS012 (poison message) although nothing failed.
    let board = hazard("fs014-falling-behind");
    let r = played(&board, 10_000);
    let found = dynamic::findings(&r);
    assert!(
        !found.iter().any(|f| f.code == HazardCode::FS012),
        "{found:#?}"
    );
    let behind: Vec<&Finding> = found
        .iter()
        .filter(|f| f.code == HazardCode::FS014)
        .collect();
    assert_eq!(behind.len(), 1, "{found:#?}");
    let f = behind[0];
    assert_eq!(f.notes, [id("logistics")]);
    assert_eq!(f.severity, Severity::Warning);
    assert!(
        f.message
            .starts_with("Logistics falls behind: its lag grew from "),
        "{}",
        f.message
    );
    assert!(
        f.message.contains(" messages between ") && f.message.contains(" and 10.0 s of the run ("),
        "{}",
        f.message
    );
    assert!(f.message.ends_with(" behind at the end)"), "{}", f.message);
    assert!(
        f.fix.starts_with(
            "Run more instances of Logistics (it runs 1; topic orders has 6 partitions, so up to 6 work at once)"
        ),
        "{}",
        f.fix
    );
    // Fast enough, it keeps up.
    let mut quick = board.clone();
    set(&mut quick, "logistics", "processing_ms", json!(10));
    let found = dynamic::findings(&played(&quick, 10_000));
    assert!(
        !found.iter().any(|f| f.code == HazardCode::FS014),
        "{found:#?}"
    );
}

#[test]
fn a_poison_message_is_reported_once_not_also_as_falling_behind() {
    // Regression: a stuck partition also made its group's lag grow, and the Hazards tab showed
    // the poison message twice (an FS012 error and an FS012 warning for the growing lag).
    let r = bank_with(
        &bank(),
        Fault::Poison {
            note: id("read-model-1"),
        },
    );
    let found = dynamic::findings(&r);
    let on_balance: Vec<HazardCode> = found
        .iter()
        .filter(|f| f.notes.first() == Some(&id("read-model-1")))
        .map(|f| f.code)
        .collect();
    assert_eq!(on_balance, [HazardCode::FS012], "{found:#?}");
    assert!(!has_sign(&r, SignKind::GrowingLag, "read-model-1"));
}

#[test]
fn a_growing_lag_seen_before_the_poison_showed_is_dropped_once_it_shows() {
    // At 50 messages a second the lag behind a poison message grows for a while before its
    // partition has stood still long enough to count as stuck.
    let mut board = bank();
    set(&mut board, "actor-1", "rate", json!(50));
    let mut r = run(&board, 42, 10_000);
    r.step_until(100);
    r.apply_fault(Fault::Poison {
        note: id("read-model-1"),
    })
    .unwrap();
    let codes = |seen: &dynamic::Seen| -> Vec<HazardCode> {
        seen.findings()
            .iter()
            .filter(|f| f.notes.first() == Some(&id("read-model-1")))
            .map(|f| f.code)
            .collect()
    };
    let mut seen = dynamic::Seen::new();
    r.step_until(1_500);
    seen.update(&r);
    assert_eq!(codes(&seen), [HazardCode::FS014], "before the poison shows");
    r.step_until(4_000);
    assert!(seen.update(&r));
    assert_eq!(codes(&seen), [HazardCode::FS012], "{:#?}", seen.findings());
}
