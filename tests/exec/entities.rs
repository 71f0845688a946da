//! What the records say about entities: payloads, an event-sourced entity rebuilt event by
//! event, and read models' rows as they applied their events.

use super::{config, id};
use flowstorm::{
    exec::{fold::EntityState, payload::FieldValue, ExecEventKind, Fault, Run, RunConfig},
    model::{samples::sample_by_id, ResetTo},
};

fn bank_run(duration_ms: u64) -> Run {
    let board = sample_by_id("bank").unwrap().board();
    let mut run = Run::new(&board, config(4354, duration_ms)).unwrap();
    run.run_to_end(2_000);
    run
}

fn decimal(state: &EntityState, field: &str) -> i64 {
    match state.get(field) {
        Some(FieldValue::Decimal(c)) => *c,
        other => panic!("{field} is {other:?}"),
    }
}

#[test]
fn an_event_sourced_account_is_the_sum_of_its_events() {
    let run = bank_run(20_000);
    let history = run.entity_history(&id("account"), 3);
    assert!(history.len() > 5, "account 3 saw {} events", history.len());
    let mut balance = 0;
    for (n, step) in history.iter().enumerate() {
        let amount = step
            .payload
            .fields
            .iter()
            .find(|(name, _)| name == "amount")
            .map(|(_, v)| match v {
                FieldValue::Decimal(c) => *c,
                other => panic!("{other:?}"),
            });
        match (step.event.0.as_str(), amount) {
            ("funds-deposited", Some(a)) => balance += a,
            ("funds-withdrawn", Some(a)) => balance -= a,
            ("account-created", None) => {
                assert_eq!(
                    step.state.get("status"),
                    Some(&FieldValue::Text("open".into()))
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(
            step.payload.fields[0],
            ("accountId".to_string(), FieldValue::Text("3".into())),
            "keyed by the entity"
        );
        assert_eq!(decimal(&step.state, "balance"), balance);
        assert_eq!(step.state.version, n as u64 + 1);
        assert!(n == 0 || history[n - 1].at <= step.at, "oldest first");
    }
    assert_eq!(
        run.entity_state(&id("account"), 3),
        history.last().unwrap().state
    );
}

#[test]
fn a_caught_up_read_model_agrees_with_the_aggregate_and_a_lagging_one_does_not_yet() {
    let run = bank_run(20_000);
    let rows = run.view_rows(&id("balance"));
    assert_eq!(rows.len(), 12, "one row per account");
    for row in &rows {
        let truth = run.entity_state(&id("account"), row.entity);
        assert_eq!(row.state, truth, "a drained run has applied everything");
    }
    assert_eq!(
        run.views_of(&id("account")),
        [id("balance"), id("statement")]
    );

    // Mid-run, the slow statement lags behind the balance.
    let board = sample_by_id("bank").unwrap().board();
    let mut run = Run::new(&board, config(4354, 20_000)).unwrap();
    run.step_until(10_000);
    let behind = (0..12).any(|e| {
        let truth = run.entity_state(&id("account"), e);
        let seen = run.view_entity(&id("statement"), &id("account"), e);
        seen.map_or(0, |r| r.state.version) < truth.version
    });
    assert!(behind, "some statement row is behind its account at 10 s");
}

#[test]
fn a_redelivered_deposit_counts_twice_in_a_view_that_is_not_idempotent() {
    let board = sample_by_id("bank").unwrap().board();
    // A slow commit leaves applied records uncommitted when the statement's consumer crashes.
    let slow_commit = RunConfig {
        commit_ms: 200,
        ..config(4354, 20_000)
    };
    let mut run = Run::new(&board, slow_commit).unwrap();
    run.step_until(5_000);
    run.apply_fault(Fault::CrashConsumer {
        note: id("statement"),
        instance: 0,
        restart_after_ms: Some(500),
    })
    .unwrap();
    run.run_to_end(5_000);
    let wrong = run
        .view_rows(&id("statement"))
        .into_iter()
        .filter(|row| row.state != run.entity_state(&id("account"), row.entity));
    assert!(
        wrong.count() > 0,
        "a duplicate shows in the statement's rows"
    );
    for row in run.view_rows(&id("balance")) {
        assert_eq!(row.state, run.entity_state(&id("account"), row.entity));
    }
}

#[test]
fn payloads_are_the_same_for_the_same_seed() {
    let a = bank_run(5_000);
    let b = bank_run(5_000);
    let first = |r: &Run| {
        (0..200)
            .filter_map(|m| r.payload(flowstorm::exec::MessageId(m)))
            .map(|p| p.to_json())
            .collect::<Vec<_>>()
    };
    assert!(!first(&a).is_empty());
    assert_eq!(first(&a), first(&b));
}

#[test]
fn a_replay_from_earliest_counts_again_unless_the_view_is_rebuilt() {
    let board = sample_by_id("bank").unwrap().board();
    let replayed = |fault: Fault| {
        let mut run = Run::new(&board, config(4354, 20_000)).unwrap();
        run.step_until(8_000);
        run.apply_fault(fault).unwrap();
        run.run_to_end(10_000);
        run
    };
    let agree = |run: &Run, view: &str| {
        run.view_rows(&id(view))
            .iter()
            .all(|row| row.state == run.entity_state(&id("account"), row.entity))
    };
    let reset = |note: &str, to| Fault::ResetOffsets { note: id(note), to };

    // The statement is not idempotent: reading everything again applies it twice.
    let run = replayed(reset("statement", ResetTo::Earliest));
    assert!(
        !agree(&run, "statement"),
        "a replay into a plain view double counts"
    );
    assert!(run
        .events()
        .iter()
        .any(|e| e.kind == ExecEventKind::DuplicateApplied && e.note == id("statement")));
    // The balance remembers what it applied: the replay changes nothing.
    let run = replayed(reset("balance", ResetTo::Earliest));
    assert!(agree(&run, "balance"));
    // Rebuilt: emptied, then filled again from the start, and right.
    let run = replayed(Fault::RebuildView {
        note: id("statement"),
    });
    assert!(
        agree(&run, "statement"),
        "a rebuilt view agrees with the account"
    );
    assert_eq!(run.view_rows(&id("statement")).len(), 12);

    // Reset to latest: what was waiting is skipped, for good (the statement made slow so
    // that records wait).
    let mut slow = board.clone();
    slow.note_mut(&id("statement"))
        .unwrap()
        .props
        .insert("processing_ms".into(), serde_json::json!(400));
    let mut run = Run::new(&slow, config(4354, 20_000)).unwrap();
    run.step_until(8_000);
    run.apply_fault(reset("statement", ResetTo::Latest))
        .unwrap();
    run.run_to_end(10_000);
    let skipped = run
        .view_rows(&id("statement"))
        .iter()
        .any(|row| row.state.version < run.entity_state(&id("account"), row.entity).version);
    assert!(skipped, "the lagging statement skipped records");

    assert_eq!(
        Run::new(&board, config(1, 1_000))
            .unwrap()
            .apply_fault(Fault::RebuildView {
                note: id("account")
            })
            .unwrap_err()
            .to_string(),
        "\"account\" is not a consumer that receives events"
    );
}

#[test]
fn a_partition_log_shows_records_oldest_first_and_where_each_group_stands() {
    let board = sample_by_id("bank").unwrap().board();
    let mut run = Run::new(&board, config(4354, 20_000)).unwrap();
    run.step_until(6_000);
    let logs = run.partition_logs("account", 10);
    assert_eq!(logs.len(), 1, "one partition, as the talk draws it");
    let log = &logs[0];
    assert_eq!(log.log_start, 0);
    assert!(log.log_end > 10, "{}", log.log_end);
    assert_eq!(log.records.len(), 10, "the latest ten");
    assert_eq!(log.records.last().unwrap().offset, log.log_end - 1);
    assert!(log
        .records
        .windows(2)
        .all(|w| w[0].offset + 1 == w[1].offset && w[0].at <= w[1].at));
    let last = log.records.last().unwrap();
    let payload = last.payload.clone().unwrap();
    assert_eq!(Some(&payload), run.payload(last.message.unwrap()).as_ref());
    assert_eq!(
        payload.to_json()["accountId"],
        serde_json::json!(last.entity.unwrap().to_string()),
        "the record's key is the payload's id"
    );
    let cursors: Vec<&str> = log.cursors.iter().map(|c| c.note.as_str()).collect();
    assert_eq!(cursors, ["balance", "statement"]);
    for c in &log.cursors {
        assert!(c.committed.unwrap() <= log.log_end);
        assert!(c.position.unwrap() <= log.log_end);
    }
    assert!(run.partition_logs("nowhere", 10).is_empty());
}
