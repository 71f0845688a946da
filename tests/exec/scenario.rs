//! The scenario's scheduled faults: made at their time in every run of the board, the same
//! each time; one that cannot apply is left out with a warning, and the run goes on.

use super::{count, id, run};
use flowstorm::{
    exec::{ExecEventKind, Fault, Timeline},
    model::{sample::sample, Board, ScheduledFault},
};

fn with_faults(faults: Vec<ScheduledFault>) -> Board {
    let mut board = sample();
    board.scenario.get_or_insert_with(Default::default).faults = faults;
    board
}

#[test]
fn a_scheduled_fault_is_made_at_its_time_in_every_run() {
    let board = with_faults(vec![ScheduledFault {
        at_ms: 2_500,
        fault: Fault::SystemDown {
            note: id("payment"),
            for_ms: Some(1_000),
        },
    }]);
    let mut r = run(&board, 42, 5_000);
    r.step_until(2_499);
    let faults = |r: &flowstorm::exec::Run| count(r, |k| matches!(k, ExecEventKind::Fault { .. }));
    assert_eq!(faults(&r), 0, "not before its time");
    r.step_until(2_500);
    assert_eq!(faults(&r), 1, "at its time");
    let made = r
        .events()
        .iter()
        .find(|e| matches!(e.kind, ExecEventKind::Fault { .. }))
        .unwrap();
    assert_eq!(made.at, 2_500);
    r.run_to_end(1_000);
    let mut again = run(&board, 42, 5_000);
    again.run_to_end(1_000);
    assert_eq!(r.trace_hash(), again.trace_hash(), "the same every time");
    let mut plain = run(&sample(), 42, 5_000);
    plain.run_to_end(1_000);
    assert_ne!(r.trace_hash(), plain.trace_hash(), "and it changes the run");
    // Scrubbing back before it and forward again makes it once more, at the same moment.
    let mut timeline = Timeline::new(&board, r.config().clone()).unwrap();
    timeline.seek(4_000);
    timeline.seek(1_000);
    assert_eq!(faults(timeline.run()), 0);
    timeline.seek(4_000);
    assert_eq!(faults(timeline.run()), 1);
}

#[test]
fn a_scheduled_fault_that_cannot_apply_is_left_out_with_a_warning() {
    let board = with_faults(vec![ScheduledFault {
        at_ms: 1_000,
        fault: Fault::CrashAggregate {
            note: id("payment"),
        },
    }]);
    let mut r = run(&board, 42, 3_000);
    let warning = r
        .diagnostics()
        .iter()
        .find(|d| {
            d.to_string()
                .contains("crash_aggregate at 1000 ms is left out")
        })
        .unwrap_or_else(|| panic!("{:?}", r.diagnostics()));
    assert_eq!(warning.notes, vec![id("payment")]);
    assert!(
        warning.to_string().contains("not an aggregate"),
        "{warning}"
    );
    r.run_to_end(1_000);
    assert_eq!(count(&r, |k| matches!(k, ExecEventKind::Fault { .. })), 0);
}
