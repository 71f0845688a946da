//! Running boards: mapping rules, determinism, faults, causal chains and dynamic hazard signs.

use flowstorm::{
    exec::{ExecEventKind, Fault, Run, RunConfig, SignKind},
    model::{self, sample::sample, Board, NoteId},
};

fn fixture(path: &str) -> Board {
    let text = std::fs::read_to_string(format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    model::load(&text).unwrap()
}

fn run(board: &Board, seed: u64, duration_ms: u64) -> Run {
    Run::new(board, RunConfig { seed, duration_ms, ..RunConfig::default() }).unwrap()
}

fn id(s: &str) -> NoteId {
    NoteId::from(s)
}

#[test]
fn sample_board_runs_ten_seconds_with_plausible_counters() {
    let board = sample();
    let mut r = run(&board, 42, 10_000);
    r.run_to_end(2_000);
    let issued = r.counters(&id("cashier")).unwrap().handled;
    // rate 5/s over 10 s
    assert!((45..=55).contains(&issued), "issued {issued}");
    let placed = r.counters(&id("order-placed")).unwrap().handled;
    let failed = r.counters(&id("place-order")).unwrap().failed;
    assert_eq!(placed + failed, issued, "each command publishes or is rejected");
    let summary = r.counters(&id("order-summary")).unwrap().handled;
    assert_eq!(summary, placed, "the read model applies every event");
    let reserve = r.counters(&id("reserve-stock")).unwrap();
    let outcomes = r.counters(&id("stock-reserved")).unwrap().handled + r.counters(&id("out-of-stock")).unwrap().handled;
    assert_eq!(outcomes + reserve.failed, reserve.handled + reserve.failed);
    for s in r.signs() { eprintln!("{:?} {:?} {} {}", s.kind, s.notes, s.count, s.worst); }
    eprintln!("{:?}", r.all_counters());
}
