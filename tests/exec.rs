//! Running boards: mapping rules, determinism, faults, causal chains and dynamic hazard signs.

use flowstorm::{
    analysis::{dynamic, HazardCode, Source},
    exec::{compile, ExecEventKind, Fault, Level, MessageKind, Problem, Run, RunConfig, SignKind},
    model::{self, sample::sample, Board, Link, LinkId, Note, NoteId, NoteKind},
};
use serde_json::{json, Value};

#[path = "exec/entities.rs"]
mod entities;
#[path = "exec/live.rs"]
mod live;
#[path = "exec/scenario.rs"]
mod scenario;
#[path = "exec/signs.rs"]
mod signs;
#[path = "exec/stepping.rs"]
mod stepping;

fn fixture(path: &str) -> Board {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    model::load(&text).unwrap()
}

fn hazard(name: &str) -> Board {
    fixture(&format!("hazards/{name}.json"))
}

fn config(seed: u64, duration_ms: u64) -> RunConfig {
    RunConfig {
        seed,
        duration_ms,
        ..RunConfig::default()
    }
}

fn run(board: &Board, seed: u64, duration_ms: u64) -> Run {
    Run::new(board, config(seed, duration_ms)).unwrap()
}

fn played(board: &Board, duration_ms: u64) -> Run {
    let mut r = run(board, 42, duration_ms);
    r.run_to_end(2_000);
    r
}

fn id(s: &str) -> NoteId {
    NoteId::from(s)
}

fn set(board: &mut Board, note: &str, name: &str, value: Value) {
    board
        .note_mut(&id(note))
        .unwrap()
        .props
        .insert(name.into(), value);
}

fn link(board: &mut Board, from: &str, to: &str) {
    let lid = board.fresh_id("x");
    board.links.push(Link {
        id: LinkId(lid),
        from: id(from),
        to: id(to),
    });
}

fn has_sign(r: &Run, kind: SignKind, first: &str) -> bool {
    dynamic::signs(r)
        .iter()
        .any(|s| s.kind == kind && s.notes.first() == Some(&id(first)))
}

fn count(r: &Run, pred: impl Fn(&ExecEventKind) -> bool) -> usize {
    r.events().iter().filter(|e| pred(&e.kind)).count()
}

// ----- mapping rules --------------------------------------------------------------------

#[test]
fn declared_topics_give_partitions_and_consumers_become_groups() {
    let plan = compile(&sample());
    let orders = plan.topic("orders").unwrap();
    assert_eq!(
        (orders.partitions, orders.key.as_deref()),
        (3, Some("orderId"))
    );
    assert_eq!(plan.topic("inventory").unwrap().partitions, 2);
    let names: Vec<&str> = plan.groups.iter().map(|g| g.note.as_str()).collect();
    assert_eq!(names, ["order-summary", "reserve-stock-policy"]);
    let summary = plan.group_of(&id("order-summary")).unwrap();
    assert_eq!(summary.props.instances, 1);
    assert_eq!(
        summary
            .topics
            .iter()
            .map(|&t| plan.topics[t.index()].name.as_str())
            .collect::<Vec<_>>(),
        ["orders"]
    );
    assert_eq!(
        plan.sources
            .iter()
            .map(|s| s.note.as_str())
            .collect::<Vec<_>>(),
        ["cashier"]
    );
    assert_eq!(plan.sources[0].rate, 5.0);
    assert_eq!(plan.sources[0].entities, 200);
}

#[test]
fn undeclared_topics_default_to_the_aggregate_with_one_partition() {
    let plan = compile(&hazard("fs002-dual-write"));
    let order = plan
        .topic("order")
        .expect("topic named after the emitting aggregate");
    assert_eq!(order.partitions, 1);
    assert!(plan.topic("basket").is_some());
    // catalog publishes nothing: no topic for it
    assert!(plan.topic("catalog").is_none());
}

#[test]
fn instances_and_partitions_reach_the_broker() {
    let board = hazard("fs007-idle-consumers");
    let mut r = run(&board, 1, 1_000);
    r.step_until(500);
    let list = r.instances(&id("order-list"));
    assert_eq!(list.len(), 4);
    let assigned: usize = list.iter().map(|i| i.partitions.len()).sum();
    assert_eq!(assigned, 2, "two partitions spread over four instances");
    assert!(list
        .iter()
        .all(|i| i.partitions.iter().all(|p| p.topic == "orders")));
    assert_eq!(r.instances(&id("pick-list")).len(), 2);
}

#[test]
fn consumers_that_nothing_feeds_get_no_group() {
    let plan = compile(&hazard("fs012-poison-message"));
    assert!(plan.group_of(&id("idle-policy")).is_none());
    assert!(plan.group_of(&id("tax-view")).is_some());
}

#[test]
fn delivery_retries_and_dlq_follow_the_props() {
    let plan = compile(&hazard("fs003-out-of-order"));
    let notify = plan.group_of(&id("notify")).unwrap();
    assert!(notify.props.retry_topic && notify.props.dlq);
    assert_eq!(notify.props.retries, 3);
    let r = run(&hazard("fs003-out-of-order"), 1, 100);
    let topics = r.cluster().topic_names();
    assert!(topics.iter().any(|t| t == "shipments-retry"), "{topics:?}");
    assert!(topics.iter().any(|t| t == "shipments-dlt"), "{topics:?}");
}

#[test]
fn a_command_picks_the_event_its_words_match() {
    // confirm-order must publish order-confirmed, not order-placed (which would loop).
    let mut r = played(&hazard("hardened-pos"), 10_000);
    let confirmed = r.counters(&id("order-confirmed")).unwrap().handled;
    let confirms = r.counters(&id("confirm-order")).unwrap().handled;
    assert_eq!(confirmed, confirms);
    assert_eq!(
        r.counters(&id("order-placed")).unwrap().handled,
        r.counters(&id("place-order")).unwrap().handled
    );
    r.step_until(20_000);
}

#[test]
fn problems_are_diagnostics_not_panics() {
    let mut board = Board::default();
    assert!(
        Run::new(&board, RunConfig::default()).is_ok(),
        "an empty board runs"
    );
    board
        .notes
        .push(Note::new("a", NoteKind::Actor, "Clerk", 0.0, 0.0));
    board
        .notes
        .push(Note::new("c", NoteKind::Command, "Do it", 0.0, 0.0));
    link(&mut board, "a", "c");
    link(&mut board, "a", "a");
    set(&mut board, "a", "rate", json!(1e12));
    set(&mut board, "a", "entities", json!(u64::MAX));
    let mut r = Run::new(&board, config(1, 50)).unwrap();
    let problems: Vec<&Problem> = r.diagnostics().iter().map(|d| &d.problem).collect();
    assert!(
        problems.contains(&&Problem::CommandGoesNowhere),
        "{problems:?}"
    );
    assert!(problems
        .iter()
        .any(|p| matches!(p, Problem::RateCapped { .. })));
    assert!(problems
        .iter()
        .any(|p| matches!(p, Problem::EntitiesCapped { .. })));
    r.run_to_end(10);
    assert!(r.counters(&id("c")).unwrap().failed > 0);

    let mut shared = sample();
    set(
        &mut shared,
        "reserve-stock-policy",
        "group",
        json!("order-summary"),
    );
    let errors = Run::new(&shared, RunConfig::default()).unwrap_err();
    assert_eq!(errors[0].level, Level::Error);
    assert!(matches!(errors[0].problem, Problem::SharedGroup { .. }));
}

#[test]
fn odd_names_and_generated_boards_run() {
    let mut board = sample();
    set(
        &mut board,
        "order-placed",
        "topic",
        json!("orders with spaces/and slashes"),
    );
    let mut r = played(&board, 1_000);
    assert!(r.counters(&id("order-summary")).unwrap().handled > 0);
    r.step_until(5_000);
    let big = model::generate::generate(500);
    let mut g = Run::new(&big, config(3, 2_000)).unwrap();
    g.run_to_end(500);
    assert!(g.commands_issued() > 0);
}

#[test]
fn topics_named_alike_to_kafka_still_run() {
    // Regression: events on `orders.v1` and `orders_v1` compiled to two broker topics that
    // Kafka (and the broker) refuse as colliding, so the board could not run.
    let mut board = sample();
    set(&mut board, "order-placed", "topic", json!("orders.v1"));
    set(&mut board, "stock-reserved", "topic", json!("orders_v1"));
    let r = played(&board, 2_000);
    assert!(r.counters(&id("order-summary")).unwrap().handled > 0);
    assert!(r.counters(&id("stock-reserved")).unwrap().handled > 0);
}

// ----- determinism, stepping, time travel ---------------------------------------------------

#[test]
fn same_seed_same_trace_and_other_seed_other_trace() {
    let board = sample();
    let a = played(&board, 5_000);
    let b = played(&board, 5_000);
    assert_eq!(a.trace_hash(), b.trace_hash());
    assert_eq!(a.events(), b.events());
    let mut c = run(&board, 43, 5_000);
    c.run_to_end(2_000);
    assert_ne!(a.trace_hash(), c.trace_hash());
}

#[test]
fn frame_by_frame_equals_one_jump_and_faults_replay() {
    let board = sample();
    let fault = Fault::CrashConsumer {
        note: id("reserve-stock-policy"),
        instance: 0,
        restart_after_ms: Some(300),
    };
    let mut frames = run(&board, 9, 4_000);
    let mut t = 0;
    while t < 4_000 {
        t += 16;
        frames.step_until(t);
        if t == 1_008 {
            frames.apply_fault(fault.clone()).unwrap();
        }
    }
    let mut jump = run(&board, 9, 4_000);
    jump.step_until(1_008);
    jump.apply_fault(fault).unwrap();
    jump.step_until(t);
    assert_eq!(frames.trace_hash(), jump.trace_hash());
    let back = jump.state_at(t).unwrap();
    assert_eq!(
        back.trace_hash(),
        jump.trace_hash(),
        "a re-run with the journal of faults is the same run"
    );
    let early = jump.state_at(500).unwrap();
    assert_eq!(early.now(), 500);
    assert!(
        early.counters(&id("cashier")).unwrap().handled
            < jump.counters(&id("cashier")).unwrap().handled
    );
    assert_eq!(dynamic::snapshot(&early).at, 500);
}

#[test]
fn tokens_follow_links_in_time() {
    let board = sample();
    let mut r = run(&board, 42, 3_000);
    r.step_until(3_000);
    assert!(!r.hops().is_empty());
    for h in r.hops() {
        let l = board.link(&h.link).unwrap();
        assert_eq!((&l.from, &l.to), (&h.from, &h.to));
        assert!(h.start <= h.end);
    }
    // the order → payment call lasts its latency (120 ms)
    let call = r.hops().iter().find(|h| h.to == id("payment")).unwrap();
    assert_eq!(call.end - call.start, 120);
    let mid = call.start + 60;
    assert!(r.tokens_in_flight(mid).iter().any(|h| h == call));
    assert!(!r.tokens_in_flight(call.end + 1_000).contains(call));
}

#[test]
fn consumers_finish_exactly_their_processing_time_after_delivery() {
    // Regression: a timer added while handling a delivery ran only after later broker actions,
    // so 5 ms of processing took up to a sampling period.
    let mut board = sample();
    set(&mut board, "cashier", "rate", json!(50));
    let r = played(&board, 3_000);
    let mut delivered = std::collections::BTreeMap::new();
    let mut checked = 0;
    for e in r.events().iter().filter(|e| e.note == id("order-summary")) {
        match e.kind {
            ExecEventKind::Delivered { .. } => {
                delivered.insert(e.message, e.at);
            }
            ExecEventKind::Processed => {
                assert_eq!(e.at - delivered[&e.message], 5, "{e:?}");
                checked += 1;
            }
            _ => {}
        }
    }
    assert!(checked > 100);
}

#[test]
fn causal_chain_leads_back_to_the_actor() {
    let r = played(&sample(), 3_000);
    let reserved = r
        .events()
        .iter()
        .find(|e| e.kind == ExecEventKind::EventPublished && e.note == id("stock-reserved"))
        .unwrap();
    let chain = r.causal_chain(reserved.message.unwrap());
    let notes: Vec<&str> = chain.iter().map(|s| s.note.as_str()).collect();
    assert_eq!(
        notes,
        [
            "stock-reserved",
            "reserve-stock",
            "order-placed",
            "place-order"
        ]
    );
    let walked: Vec<&str> = r
        .causal_notes(reserved.message.unwrap())
        .map(|n| r.plan().id(n).as_str())
        .collect();
    assert_eq!(
        walked, notes,
        "the chain's notes, walked without building it"
    );
    let root = chain.last().unwrap();
    assert_eq!(root.kind, MessageKind::Command);
    assert_eq!(root.origin, Some(id("cashier")));
    assert_eq!(reserved.correlation, Some(root.message));
    let record = r
        .cluster()
        .record(
            "inventory",
            reserved.partition.unwrap(),
            reserved.offset.unwrap(),
        )
        .unwrap();
    assert_eq!(
        record.header("correlation-id"),
        Some(root.message.0.to_string().as_str())
    );
    assert_eq!(
        record.header("causation-id"),
        Some(chain[1].message.0.to_string().as_str())
    );
}

// ----- faults ---------------------------------------------------------------------------------

#[test]
fn crash_rebalances_and_redelivers_at_least_once() {
    let mut board = sample();
    set(&mut board, "reserve-stock-policy", "instances", json!(2));
    set(&mut board, "cashier", "rate", json!(50));
    let mut r = run(&board, 5, 6_000);
    r.step_until(2_000);
    let before = count(&r, |k| matches!(k, ExecEventKind::Rebalanced { .. }));
    r.apply_fault(Fault::CrashConsumer {
        note: id("reserve-stock-policy"),
        instance: 0,
        restart_after_ms: None,
    })
    .unwrap();
    r.run_to_end(8_000);
    assert!(
        count(&r, |k| matches!(k, ExecEventKind::Rebalanced { .. })) > before,
        "the session timeout rebalances"
    );
    let alive: Vec<_> = r
        .instances(&id("reserve-stock-policy"))
        .into_iter()
        .filter(|i| i.alive)
        .collect();
    assert_eq!(alive.len(), 1);
    assert_eq!(
        alive[0].partitions.len(),
        3,
        "the survivor took every partition"
    );
    let placed = r.counters(&id("order-placed")).unwrap().handled;
    assert!(
        r.counters(&id("reserve-stock-policy")).unwrap().handled >= placed,
        "nothing lost at least once: {placed} {:?} {:?}",
        r.counters(&id("reserve-stock-policy")),
        r.lag_series(&id("reserve-stock-policy")).last()
    );
}

#[test]
fn slow_consumer_makes_lag_grow() {
    let board = sample();
    let mut r = run(&board, 42, 10_000);
    r.step_until(1_000);
    r.apply_fault(Fault::SlowConsumer {
        note: id("order-summary"),
        instance: 0,
        extra_ms: 400,
    })
    .unwrap();
    r.step_until(10_000);
    let series = r.lag_series(&id("order-summary"));
    let early = series.iter().find(|s| s.at == 1_000).unwrap().lag;
    let late = series.last().unwrap();
    assert!(
        late.lag > early + 10 && late.lag_ms > 1_000,
        "{early} → {late:?}"
    );
    assert!(has_sign(&r, SignKind::GrowingLag, "order-summary"));
}

#[test]
fn system_down_blocks_and_fails_its_callers() {
    let board = sample();
    let mut r = run(&board, 42, 6_000);
    r.step_until(1_000);
    r.apply_fault(Fault::SystemDown {
        note: id("payment"),
        for_ms: Some(2_000),
    })
    .unwrap();
    r.step_until(3_000);
    r.step_until(4_000);
    let failed = r.counters(&id("place-order")).unwrap().failed;
    assert!(
        (8..=11).contains(&failed),
        "about two seconds of orders fail: {failed}"
    );
    let call = r
        .hops()
        .iter()
        .rev()
        .find(|h| h.to == id("payment") && h.start >= 1_100 && h.start < 2_900)
        .unwrap();
    assert_eq!(
        call.end - call.start,
        r.config().call_timeout_ms,
        "callers block until the timeout"
    );
    r.run_to_end(1_000);
    assert_eq!(
        r.counters(&id("place-order")).unwrap().failed,
        failed,
        "the system came back"
    );
    assert!(has_sign(&r, SignKind::BlockedCallers, "place-order"));
}

#[test]
fn aggregate_crash_between_save_and_publish_loses_only_without_outbox() {
    for (agg, event, command, lost) in [
        ("order", "order-placed", "place-order", true),
        ("basket", "checked-out", "check-out", false),
    ] {
        let mut board = hazard("fs002-dual-write");
        set(&mut board, "clerk", "rate", json!(20));
        let mut r = run(&board, 4, 5_000);
        r.step_until(1_000);
        r.apply_fault(Fault::CrashAggregate { note: id(agg) })
            .unwrap();
        r.run_to_end(2_000);
        let handled = r.counters(&id(command)).unwrap().handled;
        let published = r.counters(&id(event)).unwrap().handled;
        let lost_events = count(&r, |k| *k == ExecEventKind::EventLost);
        if lost {
            assert_eq!((published + 1, lost_events), (handled, 1), "{agg}");
            assert!(has_sign(&r, SignKind::DualWriteLost, agg));
        } else {
            assert_eq!(
                (published, lost_events),
                (handled, 0),
                "{agg}: the outbox publishes after restart"
            );
        }
        assert!(
            count(&r, |k| matches!(
                k,
                ExecEventKind::CommandRejected {
                    reason: flowstorm::exec::Rejection::AggregateDown
                }
            )) > 0
        );
    }
}

#[test]
fn poison_sticks_a_partition_without_dlq_and_goes_to_the_dlq_with_it() {
    let board = hazard("fs012-poison-message");
    let mut r = run(&board, 2, 8_000);
    r.step_until(1_000);
    r.apply_fault(Fault::Poison {
        note: id("tax-policy"),
    })
    .unwrap();
    r.apply_fault(Fault::Poison {
        note: id("tax-view"),
    })
    .unwrap();
    r.run_to_end(1_000);
    assert!(has_sign(&r, SignKind::StuckPartition, "tax-policy"));
    assert!(!has_sign(&r, SignKind::StuckPartition, "tax-view"));
    let dead: Vec<_> = r
        .events()
        .iter()
        .filter(|e| e.kind == ExecEventKind::DeadLettered)
        .collect();
    assert!(dead.iter().any(|e| e.note == id("tax-view")));
    assert!(r.lag_series(&id("tax-policy")).last().unwrap().lag > 0);
}

#[test]
fn adding_partitions_rebalances() {
    let board = sample();
    let mut r = run(&board, 42, 4_000);
    r.step_until(1_000);
    let before = count(&r, |k| matches!(k, ExecEventKind::Rebalanced { .. }));
    r.apply_fault(Fault::AddPartitions {
        topic: "orders".into(),
        total: 6,
    })
    .unwrap();
    r.run_to_end(1_000);
    assert!(count(&r, |k| matches!(k, ExecEventKind::Rebalanced { .. })) > before);
    let parts = &r.instances(&id("order-summary"))[0].partitions;
    assert_eq!(parts.len(), 6);
    let traffic = r.partition_traffic("orders").unwrap();
    assert!(
        traffic[3..].iter().sum::<u64>() > 0,
        "new keys reach new partitions: {traffic:?}"
    );
}

#[test]
fn bad_faults_are_typed_errors() {
    let mut r = run(&sample(), 1, 1_000);
    assert!(r
        .apply_fault(Fault::CrashConsumer {
            note: id("nope"),
            instance: 0,
            restart_after_ms: None
        })
        .is_err());
    assert!(r
        .apply_fault(Fault::CrashConsumer {
            note: id("order-summary"),
            instance: 7,
            restart_after_ms: None
        })
        .is_err());
    assert!(r
        .apply_fault(Fault::SystemDown {
            note: id("order"),
            for_ms: None
        })
        .is_err());
    assert!(r
        .apply_fault(Fault::CrashAggregate {
            note: id("payment")
        })
        .is_err());
    assert!(r
        .apply_fault(Fault::AddPartitions {
            topic: "orders".into(),
            total: 2
        })
        .is_err());
    assert!(r
        .apply_fault(Fault::Poison {
            note: id("cashier")
        })
        .is_err());
    r.schedule_fault(
        500,
        Fault::SystemDown {
            note: id("payment"),
            for_ms: None,
        },
    )
    .unwrap();
    r.step_until(1_000);
    assert!(r
        .events()
        .iter()
        .any(|e| matches!(e.kind, ExecEventKind::Fault { .. }) && e.at == 500));
}

// ----- dynamic signs: on a board with the hazard, never on the hardened board ----------------

#[test]
fn hardened_board_shows_no_sign_under_a_plain_run() {
    for seed in [1, 42, 7] {
        let mut r = run(&hazard("hardened-pos"), seed, 30_000);
        r.run_to_end(2_000);
        assert!(
            dynamic::signs(&r).is_empty(),
            "seed {seed}: {:?}",
            dynamic::signs(&r)
        );
        assert!(dynamic::findings(&r).is_empty());
    }
}

#[test]
fn stale_read_is_seen_with_its_lag() {
    let mut board = hazard("fs001-stale-read");
    set(&mut board, "cashier", "read_delay_ms", json!(2));
    let r = played(&board, 5_000);
    let sign = dynamic::signs(&r)
        .into_iter()
        .find(|s| s.kind == SignKind::StaleRead && s.notes[0] == id("cashier"))
        .unwrap();
    assert_eq!(sign.notes[1], id("order-summary"));
    assert!(sign.worst >= 2);
    let f = dynamic::findings(&r);
    let stale = f
        .iter()
        .find(|f| f.code == HazardCode::FS001 && f.notes[0] == id("cashier"))
        .unwrap();
    assert_eq!(stale.source, Source::Dynamic);
    assert!(stale.message.contains("ms behind"));
}

#[test]
fn each_fix_of_a_stale_read_takes_its_sign_away_in_a_run() {
    let mut board = hazard("fs001-stale-read");
    set(&mut board, "cashier", "read_delay_ms", json!(2));
    let stale = |b: &Board| {
        let r = played(b, 5_000);
        dynamic::signs(&r)
            .iter()
            .any(|s| s.kind == SignKind::StaleRead && s.notes[0] == id("cashier"))
    };
    assert!(stale(&board), "the board reads its own writes stale");
    for fix in ["version_token", "push", "listen_to_yourself"] {
        let mut fixed = board.clone();
        set(&mut fixed, "order-summary", fix, json!(true));
        assert!(!stale(&fixed), "{fix} takes the stale read away");
    }
    // With a push, the cashier's reads wait for the view; listening to yourself, they do not.
    let reads = |b: &Board| {
        let r = played(b, 5_000);
        r.events()
            .iter()
            .filter(|e| matches!(e.kind, ExecEventKind::Read { .. }) && e.note == id("cashier"))
            .map(|e| e.at)
            .sum::<u64>()
    };
    let (mut pushed, mut listening) = (board.clone(), board.clone());
    set(&mut pushed, "order-summary", "push", json!(true));
    set(
        &mut listening,
        "order-summary",
        "listen_to_yourself",
        json!(true),
    );
    assert!(
        reads(&pushed) > reads(&listening),
        "a pushed read waits for the view"
    );
}

#[test]
fn out_of_order_apply_is_seen_across_topics() {
    let mut board = hazard("fs003-out-of-order");
    set(&mut board, "teller", "rate", json!(400));
    set(&mut board, "teller", "entities", json!(20));
    let r = played(&board, 3_000);
    assert!(
        has_sign(&r, SignKind::OutOfOrder, "balance"),
        "{:?}",
        dynamic::signs(&r)
    );
    assert!(
        !has_sign(&r, SignKind::OutOfOrder, "audit"),
        "audit is not ordered"
    );
}

/// The FS004 fixture run with both policies crashed between effect and commit, to its end.
fn crashed_between_effect_and_commit() -> Run {
    let mut board = hazard("fs004-duplicate-effect");
    set(&mut board, "clerk", "rate", json!(20));
    for p in ["charge-policy", "ship-policy"] {
        set(&mut board, p, "processing_ms", json!(1));
    }
    // A long commit round trip makes crashes fall between effect and commit.
    let mut r = Run::new(
        &board,
        RunConfig {
            commit_ms: 30,
            ..config(3, 6_000)
        },
    )
    .unwrap();
    // An event arrives every 50 ms; 17 ms later the policies are between effect and commit.
    r.step_until(517);
    for note in ["charge-policy", "ship-policy"] {
        r.apply_fault(Fault::CrashConsumer {
            note: id(note),
            instance: 0,
            restart_after_ms: Some(10),
        })
        .unwrap();
    }
    r.run_to_end(5_000);
    r
}

#[test]
fn duplicate_apply_is_seen_after_crashes() {
    let r = crashed_between_effect_and_commit();
    assert!(
        has_sign(&r, SignKind::DuplicateApply, "charge-policy"),
        "{:?} {:?}",
        dynamic::signs(&r),
        r.events()
            .iter()
            .filter(|e| e.note == id("charge-policy")
                && !matches!(
                    e.kind,
                    ExecEventKind::Delivered { .. } | ExecEventKind::Processed
                ))
            .collect::<Vec<_>>()
    );
    assert!(
        !has_sign(&r, SignKind::DuplicateApply, "ship-policy"),
        "idempotent"
    );
}

#[test]
fn event_loop_is_seen_and_cut() {
    let mut board = hazard("fs005-event-loop");
    board
        .notes
        .push(Note::new("buyer", NoteKind::Actor, "Buyer", 0.0, 0.0));
    link(&mut board, "buyer", "order-stock");
    let r = played(&board, 3_000);
    let sign = dynamic::signs(&r)
        .into_iter()
        .find(|s| s.kind == SignKind::EventLoop)
        .unwrap();
    assert_eq!(sign.notes, [id("reorder-policy"), id("stock-low")]);
    assert!(sign.worst > u64::from(r.config().loop_limit));
    assert!(r.is_idle(), "the cut loop stops");
}

#[test]
fn lost_on_crash_is_seen_at_most_once() {
    let mut board = hazard("fs006-lost-on-crash");
    set(&mut board, "clerk", "rate", json!(50));
    for n in ["sales-view", "archive"] {
        set(&mut board, n, "processing_ms", json!(30));
    }
    let mut r = run(&board, 8, 4_000);
    for k in 0..4u64 {
        r.step_until(500 + k * 700);
        for note in ["sales-view", "archive"] {
            r.apply_fault(Fault::CrashConsumer {
                note: id(note),
                instance: 0,
                restart_after_ms: Some(5),
            })
            .unwrap();
        }
    }
    r.run_to_end(5_000);
    assert!(has_sign(&r, SignKind::LostOnCrash, "sales-view"));
    assert!(!has_sign(&r, SignKind::LostOnCrash, "archive"));
    let placed = r.counters(&id("order-placed")).unwrap().handled;
    assert!(r.counters(&id("sales-view")).unwrap().handled < placed);
}

#[test]
fn idle_consumers_are_seen() {
    let r = played(&hazard("fs007-idle-consumers"), 2_000);
    let sign = dynamic::signs(&r)
        .into_iter()
        .find(|s| s.kind == SignKind::IdleConsumer)
        .unwrap();
    assert_eq!((sign.notes[0].as_str(), sign.worst), ("order-list", 2));
    assert!(!has_sign(&r, SignKind::IdleConsumer, "pick-list"));
}

#[test]
fn hot_partition_is_seen() {
    let mut board = hazard("fs008-hot-partition");
    for actor in ["till", "shopper"] {
        set(&mut board, actor, "rate", json!(100));
    }
    let r = played(&board, 5_000);
    assert!(
        has_sign(&r, SignKind::HotPartition, "till-opened"),
        "{:?}",
        dynamic::signs(&r)
    );
    assert!(!has_sign(&r, SignKind::HotPartition, "item-added"));
}

#[test]
fn saga_half_done_is_seen_across_contexts_only() {
    let mut board = hazard("fs009-uncompensated-failure");
    set(&mut board, "cashier", "rate", json!(20));
    let r = played(&board, 10_000);
    assert!(has_sign(&r, SignKind::SagaHalfDone, "payment-failed"));
    assert!(r.counters(&id("basket-invalid")).unwrap().handled > 0);
    assert!(
        !has_sign(&r, SignKind::SagaHalfDone, "basket-invalid"),
        "same context"
    );
}

#[test]
fn blocked_callers_are_seen_when_a_system_is_down() {
    let mut board = hazard("fs010-synchronous-chain");
    set(&mut board, "cashier", "rate", json!(20));
    let mut plain = played(&board, 5_000);
    assert!(!dynamic::signs(&plain)
        .iter()
        .any(|s| s.kind == SignKind::BlockedCallers));
    plain.step_until(8_000);
    let mut r = run(&board, 42, 5_000);
    r.schedule_fault(
        1_000,
        Fault::SystemDown {
            note: id("fraud"),
            for_ms: Some(1_500),
        },
    )
    .unwrap();
    r.run_to_end(1_000);
    let f = dynamic::findings(&r);
    let blocked = f.iter().find(|f| f.code == HazardCode::FS010).unwrap();
    assert_eq!(blocked.notes, [id("place-order"), id("fraud")]);
}
