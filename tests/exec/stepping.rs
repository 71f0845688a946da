//! Bounded stepping and checkpoints: any way of cutting a run into steps, and any way of
//! getting back to a moment (a checkpoint, a re-run from the start), gives the same run.

use super::{hazard, id};
use flowstorm::{
    analysis::dynamic,
    exec::{ExecEvent, Fault, Hop, LagSample, NoteCounters, Run, RunConfig, Sign, Timeline},
    model::{sample::sample, Board, NoteId, NoteKind, ResetTo},
};
use proptest::prelude::*;

/// Sources issue commands until then (ms).
const DURATION_MS: u64 = 3_000;
/// In-flight work finishes for up to this long after the duration (ms).
const DRAIN_MS: u64 = 1_000;

/// The boards the properties run on: the sample and a few hazard fixtures.
fn board(i: usize) -> Board {
    match i % 4 {
        0 => sample(),
        1 => hazard("fs004-duplicate-effect"),
        2 => hazard("fs012-poison-message"),
        _ => hazard("fs010-synchronous-chain"),
    }
}

fn config(seed: u64) -> RunConfig {
    RunConfig {
        seed,
        duration_ms: DURATION_MS,
        ..RunConfig::default()
    }
}

/// Faults that fit a board: consumers crash, slow down, get poison; systems go down;
/// aggregates crash; topics grow; groups replay; views are rebuilt.
fn faults_for(board: &Board) -> Vec<Fault> {
    let run = Run::new(board, config(1)).unwrap();
    let mut out = Vec::new();
    for g in &run.plan().groups {
        out.push(Fault::CrashConsumer {
            note: g.note.clone(),
            instance: 0,
            restart_after_ms: Some(300),
        });
        out.push(Fault::SlowConsumer {
            note: g.note.clone(),
            instance: 0,
            extra_ms: 20,
        });
        out.push(Fault::Poison {
            note: g.note.clone(),
        });
        out.push(Fault::ResetOffsets {
            note: g.note.clone(),
            to: ResetTo::Earliest,
        });
        if board
            .note(&g.note)
            .is_some_and(|n| n.kind == NoteKind::ReadModel)
        {
            out.push(Fault::RebuildView {
                note: g.note.clone(),
            });
        }
    }
    for n in &board.notes {
        match n.kind {
            NoteKind::ExternalSystem => out.push(Fault::SystemDown {
                note: n.id.clone(),
                for_ms: Some(400),
            }),
            NoteKind::Aggregate => out.push(Fault::CrashAggregate { note: n.id.clone() }),
            _ => {}
        }
    }
    for t in &run.plan().topics {
        out.push(Fault::AddPartitions {
            topic: t.name.clone(),
            total: t.partitions + 1,
        });
    }
    out
}

/// Everything a run shows, to compare two runs.
#[derive(Debug, PartialEq)]
struct Seen {
    now: u64,
    hash: u64,
    work: u64,
    messages: u64,
    counters: Vec<(NoteId, NoteCounters)>,
    events: Vec<ExecEvent>,
    hops: Vec<Hop>,
    lag: Vec<Vec<LagSample>>,
    signs: Vec<Sign>,
}

fn seen(r: &Run) -> Seen {
    Seen {
        now: r.now(),
        hash: r.trace_hash(),
        work: r.work_done(),
        messages: r.message_count(),
        counters: r.all_counters(),
        events: r.events().to_vec(),
        hops: r.hops().to_vec(),
        lag: r
            .plan()
            .groups
            .iter()
            .map(|g| r.lag_series(&g.note).to_vec())
            .collect(),
        signs: dynamic::signs(r),
    }
}

/// The faults picked, sorted by time, as (time, fault).
fn pick(board: &Board, picks: &[(u64, usize)]) -> Vec<(u64, Fault)> {
    let all = faults_for(board);
    let mut out: Vec<(u64, Fault)> = picks
        .iter()
        .filter(|_| !all.is_empty())
        .map(|&(at, k)| (at, all[k % all.len()].clone()))
        .collect();
    out.sort_by_key(|f| f.0);
    out
}

/// Steps with the budgets in turn until `t` is reached.
fn step_in_budgets(r: &mut Run, t: u64, budgets: &[u64], k: &mut usize) {
    loop {
        let b = budgets[*k % budgets.len()];
        *k += 1;
        let s = r.step_within(t, b);
        assert!(s.work <= b, "{s:?} over {b}");
        if s.reached {
            assert_eq!(s.now, t.max(r.now()));
            return;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn bounded_steps_give_the_run_of_one_step(
        which in 0usize..4,
        seed in 0u64..1_000,
        picks in prop::collection::vec((0u64..DURATION_MS, 0usize..64), 0..4),
        budgets in prop::collection::vec(1u64..300, 1..6),
        stops in prop::collection::vec(0u64..DURATION_MS + DRAIN_MS, 0..6),
    ) {
        let board = board(which);
        let faults = pick(&board, &picks);
        let mut whole = Run::new(&board, config(seed)).unwrap();
        for (at, f) in &faults {
            whole.step_until(*at);
            let _ = whole.apply_fault(f.clone());
        }
        whole.run_to_end(DRAIN_MS);

        let mut cut = Run::new(&board, config(seed)).unwrap();
        let mut k = 0;
        let mut marks: Vec<(u64, Option<&Fault>)> = faults.iter().map(|(at, f)| (*at, Some(f))).collect();
        marks.extend(stops.iter().map(|&t| (t, None)));
        marks.sort_by_key(|m| (m.0, m.1.is_none()));
        for (at, f) in marks {
            step_in_budgets(&mut cut, at, &budgets, &mut k);
            if let Some(f) = f {
                let _ = cut.apply_fault(f.clone());
            }
        }
        step_in_budgets(&mut cut, DURATION_MS, &budgets, &mut k);
        loop {
            let b = budgets[k % budgets.len()];
            k += 1;
            if cut.run_to_end_within(DRAIN_MS, b).reached {
                break;
            }
        }
        prop_assert_eq!(seen(&cut), seen(&whole));
    }

    #[test]
    fn checkpoints_and_re_runs_give_the_run_played_forward(
        which in 0usize..4,
        seed in 0u64..1_000,
        picks in prop::collection::vec((0u64..DURATION_MS, 0usize..64, any::<bool>()), 0..4),
        budgets in prop::collection::vec(1u64..400, 1..6),
        moments in prop::collection::vec(0u64..DURATION_MS + DRAIN_MS, 1..6),
        spacing in 20u64..2_000,
    ) {
        let board = board(which);
        let all = faults_for(&board);
        let mut faults: Vec<(u64, Option<Fault>, bool)> = picks
            .iter()
            .map(|&(at, k, short)| (at, all.get(k % all.len().max(1)).cloned(), short))
            .collect();
        faults.extend(moments.iter().map(|&t| (t, None, false)));
        faults.sort_by_key(|f| (f.0, f.1.is_none()));
        let mut timeline = Timeline::new(&board, config(seed)).unwrap().with_spacing(spacing);
        let mut shown = Vec::new();
        let mut k = 0;
        for (at, fault, short) in &faults {
            loop {
                let b = budgets[k % budgets.len()];
                k += 1;
                let s = timeline.seek_within(*at, b);
                // A fault made while a step was cut short, at whatever point it got to.
                if s.reached || (*short && fault.is_some()) {
                    break;
                }
            }
            if let Some(f) = fault {
                let _ = timeline.apply_fault(f.clone());
            }
            let t = timeline.run().now();
            timeline.seek(t);
            // A moment shows every fault made at it: what was seen there between two of them
            // is no moment of the run played forward.
            if shown.last().is_some_and(|s: &Seen| s.now == t) {
                shown.pop();
            }
            shown.push(seen(timeline.run()));
        }
        timeline.seek(DURATION_MS + DRAIN_MS);
        let end = seen(timeline.run());
        let played = timeline.run().clone();
        // Back and forth through checkpoints, and re-runs from the start.
        for s in shown.iter().rev() {
            loop {
                let b = budgets[k % budgets.len()];
                k += 1;
                if timeline.seek_within(s.now, b).reached {
                    break;
                }
            }
            prop_assert_eq!(&seen(timeline.run()), s);
            prop_assert_eq!(&seen(&played.state_at(s.now).unwrap()), s);
        }
        timeline.seek(DURATION_MS + DRAIN_MS);
        prop_assert_eq!(seen(timeline.run()), end);
    }
}

#[test]
fn a_checkpoint_shares_the_history_of_a_long_run() {
    let board = sample();
    let mut timeline = Timeline::new(
        &board,
        RunConfig {
            duration_ms: 600_000,
            ..RunConfig::default()
        },
    )
    .unwrap();
    timeline.seek(600_000);
    let run = timeline.run();
    assert!(timeline.checkpoints() > 2, "{}", timeline.checkpoints());
    assert!(timeline.checkpoints() <= flowstorm::exec::MAX_CHECKPOINTS);
    // Together the checkpoints hold on their own a fraction of the history (about a chunk of
    // each list each), not copies of it.
    let own = timeline.checkpoint_history_bytes();
    let history = run.events().len() * std::mem::size_of::<ExecEvent>()
        + run.hops().len() * std::mem::size_of::<Hop>();
    assert!(
        own * 4 < history,
        "checkpoints hold {own} of {history} bytes"
    );
    let before = seen(run);
    timeline.seek(300_000);
    assert_eq!(timeline.run().now(), 300_000);
    assert!(timeline.run().counters(&id("cashier")).unwrap().handled > 0);
    timeline.seek(600_000);
    assert_eq!(seen(timeline.run()), before);
}

#[test]
fn the_work_counter_counts_what_the_steps_did() {
    let mut r = Run::new(&sample(), config(3)).unwrap();
    let mut total = 0;
    while !r.run_to_end_within(DRAIN_MS, 50).reached {
        assert_eq!(r.work_done(), total + 50, "a cut step does all its budget");
        total = r.work_done();
    }
    assert!(r.work_done() >= total && total > 50);
    let mut once = Run::new(&sample(), config(3)).unwrap();
    once.run_to_end(DRAIN_MS);
    assert_eq!(once.work_done(), r.work_done());
    let s = once.step_within(DURATION_MS + DRAIN_MS, 0);
    assert_eq!((s.work, s.reached), (0, true), "nothing left to do");
}

#[test]
fn a_fault_made_while_a_step_was_cut_short_replays_at_that_point() {
    // Cut after each number of units in turn: some cuts fall between two units of one
    // millisecond, where "the end of that millisecond" would be the wrong place to replay.
    let board = sample();
    let fault = Fault::CrashConsumer {
        note: id("order-summary"),
        instance: 0,
        restart_after_ms: Some(200),
    };
    for budget in 1..60 {
        let mut live = Timeline::new(&board, config(5)).unwrap().with_spacing(40);
        live.seek(400);
        let s = live.seek_within(DURATION_MS, budget);
        assert!(!s.reached);
        live.apply_fault(fault.clone()).unwrap();
        live.seek(DURATION_MS);
        let end = seen(live.run());
        assert_eq!(seen(&live.run().state_at(DURATION_MS).unwrap()), end);
        live.seek(s.now.saturating_sub(1));
        live.seek(DURATION_MS);
        assert_eq!(seen(live.run()), end, "cut after {budget} units");
    }
}

#[test]
fn two_faults_at_one_moment_both_come_back_when_the_timeline_returns_there() {
    let board = board(0);
    let all = faults_for(&board);
    let mut timeline = Timeline::new(&board, config(0)).unwrap().with_spacing(27);
    while !timeline.seek_within(0, 1).reached {}
    timeline.apply_fault(all[10 % all.len()].clone()).unwrap();
    timeline.seek(0);
    while !timeline.seek_within(0, 1).reached {}
    timeline.apply_fault(all[0].clone()).unwrap();
    timeline.seek(0);
    let at_zero = seen(timeline.run());
    timeline.seek(DURATION_MS + DRAIN_MS);
    while !timeline.seek_within(0, 1).reached {}
    assert_eq!(seen(timeline.run()), at_zero);
}

/// A fault the run takes (it is journaled) but that then fails: adding partitions up to the
/// count the topic has already.
fn no_new_partitions() -> Fault {
    Fault::AddPartitions {
        topic: "inventory".into(),
        total: 3,
    }
}

fn payment_down() -> Fault {
    Fault::SystemDown {
        note: id("payment"),
        for_ms: Some(400),
    }
}

#[test]
fn a_re_run_makes_the_fault_after_one_that_failed() {
    let mut r = Run::new(&sample(), config(757)).unwrap();
    r.step_until(300);
    r.apply_fault(no_new_partitions()).unwrap();
    r.step_until(1_900);
    assert!(r.apply_fault(no_new_partitions()).is_err());
    r.step_until(2_500);
    r.apply_fault(payment_down()).unwrap();
    r.run_to_end(DRAIN_MS);
    assert_eq!(r.faults_journaled(), 3);
    let again = r.state_at(DURATION_MS + DRAIN_MS).unwrap();
    assert_eq!(again.faults_journaled(), 3);
    assert_eq!(seen(&again), seen(&r));
}

#[test]
fn a_checkpoint_after_a_fault_that_failed_replays_the_fault_after_it() {
    let mut timeline = Timeline::new(&sample(), config(757))
        .unwrap()
        .with_spacing(20);
    timeline.seek(300);
    timeline.apply_fault(no_new_partitions()).unwrap();
    timeline.seek(1_900);
    assert!(timeline.apply_fault(no_new_partitions()).is_err());
    timeline.seek(2_500);
    timeline.apply_fault(payment_down()).unwrap();
    let down = seen(timeline.run());
    // Back to a checkpoint taken between the failed fault and the one after it, and on.
    timeline.seek(2_200);
    assert!(timeline.checkpoints() > 2, "{}", timeline.checkpoints());
    timeline.seek(2_500);
    assert_eq!(seen(timeline.run()), down);
}

#[test]
fn a_run_stops_at_its_work_limit_and_earlier_moments_still_show() {
    let board = board(0);
    let end = config(7).duration_ms;
    let mut whole = Run::new(&board, config(7)).unwrap();
    whole.step_until(end);
    let limit = whole.work_done() / 2;
    let mut timeline = Timeline::new(&board, config(7))
        .unwrap()
        .with_work_limit(limit)
        .with_spacing(limit / 5);
    let stepped = timeline.seek_within(end, u64::MAX);
    assert!(!stepped.reached, "the limit comes before the end");
    assert!(timeline.at_work_limit());
    assert_eq!(timeline.run().work_done(), limit);
    let stopped_at = timeline.run().now();
    assert!(stopped_at < end);
    // Further asks do nothing, and say so.
    let again = timeline.seek_within(end, 100);
    assert_eq!((again.reached, again.work), (false, 0));
    assert_eq!(timeline.run().now(), stopped_at);
    // A moment before the stop is the one a run with no limit shows.
    let half = stopped_at / 2;
    timeline.seek(half);
    assert!(!timeline.at_work_limit());
    let mut free = Run::new(&board, config(7)).unwrap();
    free.step_until(half);
    assert_eq!(timeline.run().trace_hash(), free.trace_hash());
    assert_eq!(timeline.run().now(), half);
}

#[test]
fn a_timeline_let_go_is_freed_a_piece_at_a_time() {
    let mut timeline = Timeline::new(&sample(), config(1))
        .unwrap()
        .with_spacing(20);
    timeline.seek(DURATION_MS);
    assert!(timeline.checkpoints() > 2);
    let mut leftovers = timeline.into_leftovers();
    let mut pieces = 1;
    while leftovers.free(1) {
        pieces += 1;
    }
    assert!(pieces > 20, "{pieces} pieces");
    assert!(!leftovers.free(1), "nothing left");
}
