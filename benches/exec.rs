//! Execution speed: commands run end to end through the sample point-of-sale board, and the
//! time to show an arbitrary moment of a 60-second run. Prints `name value unit` lines.

use flowstorm::{
    analysis,
    exec::{Run, RunConfig},
    model::{sample::sample, NoteId},
};
use serde_json::json;
use std::{hint::black_box, time::Instant};

fn main() {
    // A long, busy run: the cashier issues 100,000 commands/s for 10 s of simulated time;
    // consumers take no processing time so they keep up and every command flows end to end.
    let mut board = sample();
    if let Some(c) = board.note_mut(&NoteId::from("cashier")) {
        c.props.insert("rate".into(), json!(100_000));
    }
    for n in ["order-summary", "reserve-stock-policy"] {
        if let Some(c) = board.note_mut(&NoteId::from(n)) {
            c.props.insert("processing_ms".into(), json!(0));
        }
    }
    let config = RunConfig {
        seed: 1,
        duration_ms: 10_000,
        record_events: false,
        commit_ms: 0,
        ..RunConfig::default()
    };
    let start = Instant::now();
    let mut run = Run::new(&board, config).expect("the sample board runs");
    run.run_to_end(2_000);
    let secs = start.elapsed().as_secs_f64();
    let commands = run.commands_issued();
    let summary = run
        .counters(&NoteId::from("order-summary"))
        .map_or(0, |c| c.handled);
    let placed = run
        .counters(&NoteId::from("order-placed"))
        .map_or(0, |c| c.handled);
    assert_eq!(summary, placed, "every event reached the read model");
    println!(
        "exec_commands_per_s {:.0} commands/s",
        commands as f64 / secs
    );
    println!("exec_commands_run {commands} commands");

    // Scrubbing: the state at random moments of a 60 s run of the sample board.
    let board = sample();
    let config = RunConfig {
        seed: 42,
        duration_ms: 60_000,
        ..RunConfig::default()
    };
    let mut run = Run::new(&board, config).expect("the sample board runs");
    run.run_to_end(0);
    let mut worst = 0f64;
    let mut total = 0f64;
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let n = 20;
    for _ in 0..n {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let t = seed % 60_000;
        let start = Instant::now();
        let state = run.state_at(t).expect("re-runs");
        black_box(analysis::dynamic::snapshot(&state));
        let ms = start.elapsed().as_secs_f64() * 1e3;
        worst = worst.max(ms);
        total += ms;
    }
    println!("scrub_native_ms {:.2} ms", total / n as f64);
    println!("scrub_native_worst_ms {worst:.2} ms");
}
