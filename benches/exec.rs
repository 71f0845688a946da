//! Execution speed: commands run end to end through the sample point-of-sale board, the time
//! to show an arbitrary moment of a 60-second run re-run from the start, and of a one-hour run
//! played once with checkpoints, with what the checkpoints cost in memory; and the heaviest
//! board the limits allow played chunk by chunk as the app plays it, with what a checkpoint
//! (a clone of the run) costs as the run grows; and a consumer drawn a minute into a run, joined
//! where the run is. Prints `name value unit` lines.

use flowstorm::{
    analysis,
    exec::{Run, RunConfig, Timeline},
    model::{generate, sample::sample, samples::sample_by_id, NoteId},
};
use serde_json::json;
use std::{
    alloc::{GlobalAlloc, Layout, System},
    hint::black_box,
    sync::atomic::{AtomicUsize, Ordering},
    time::Instant,
};

/// Bytes allocated and not yet freed, to weigh the checkpoints.
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting live bytes.
struct Counting;

// SAFETY: every call goes to the system allocator unchanged; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE_BYTES.fetch_add(new_size, Ordering::Relaxed);
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A one-hour run of the sample board (ms).
const HOUR_MS: u64 = 3_600_000;
/// Units of work the app does between two looks at the clock (`WORK_CHUNK` in `ui::run`).
const WORK_CHUNK: u64 = 50;
/// Simulated time the heaviest board is played forward by per call, as a fast-playing frame.
const FRAME_SIM_MS: u64 = 100;
/// Moments of the heaviest board's run (s) where a checkpoint is weighed.
const HEAVIEST_MARKS_S: [u64; 3] = [5, 30, 120];
/// Clones weighed at each moment (kept alive, as checkpoints are).
const CLONES: usize = 5;

/// Random moments below `end`, the same every time (xorshift).
fn moments(n: usize, end: u64) -> Vec<u64> {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % end
        })
        .collect()
}

/// The median of some timings.
fn median(mut ms: Vec<f64>) -> f64 {
    ms.sort_by(f64::total_cmp);
    ms.get(ms.len() / 2).copied().unwrap_or(0.0)
}

/// The heaviest board played forward chunk by chunk until its run stops at the work limit: the
/// worst chunk (what bounds a frame), the work done per second, the worst of a few clones of the
/// run at moments of it, and the memory the timeline holds at the limit.
fn heaviest() {
    let board = generate::heaviest();
    let config = RunConfig::for_board(&board);
    let mut timeline = Timeline::new(&board, config).expect("the heaviest board runs");
    let (mut t, mut worst) = (0, 0f64);
    let before = LIVE_BYTES.load(Ordering::Relaxed);
    let start = Instant::now();
    for mark in HEAVIEST_MARKS_S {
        while timeline.run().now() < mark * 1_000 && !timeline.at_work_limit() {
            t += FRAME_SIM_MS;
            loop {
                let chunk = Instant::now();
                let s = timeline.seek_within(t, WORK_CHUNK);
                worst = worst.max(chunk.elapsed().as_secs_f64() * 1e3);
                if s.reached || timeline.at_work_limit() {
                    break;
                }
            }
        }
        let mut kept = Vec::new();
        let mut clones = Vec::new();
        for _ in 0..CLONES {
            let clone = Instant::now();
            kept.push(timeline.run().clone());
            clones.push(clone.elapsed().as_secs_f64() * 1e3);
        }
        let worst_clone = clones.iter().copied().fold(0.0, f64::max);
        println!("checkpoint_clone_ms_heaviest_{mark}s {worst_clone:.3} ms");
        drop(kept);
    }
    while !timeline.at_work_limit() {
        t += FRAME_SIM_MS;
        timeline.seek_within(t, u64::MAX);
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "heaviest_run_s_at_work_limit {:.1} s",
        timeline.run().now() as f64 / 1e3
    );
    println!(
        "timeline_bytes_heaviest_at_work_limit {} bytes",
        LIVE_BYTES.load(Ordering::Relaxed).saturating_sub(before)
    );
    println!(
        "exec_work_per_s_heaviest {:.0} units/s",
        timeline.run().work_done() as f64 / secs
    );
    println!("exec_chunk_worst_ms_heaviest {worst:.2} ms");
}

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

    // Scrubbing an hour: played forward once with checkpoints, then moments shown at random.
    let config = RunConfig {
        seed: 42,
        duration_ms: HOUR_MS,
        ..RunConfig::default()
    };
    let before = LIVE_BYTES.load(Ordering::Relaxed);
    let mut plain = Run::new(&board, config.clone()).expect("the sample board runs");
    plain.step_until(HOUR_MS);
    let plain_bytes = LIVE_BYTES.load(Ordering::Relaxed).saturating_sub(before);
    drop(plain);
    let before = LIVE_BYTES.load(Ordering::Relaxed);
    let start = Instant::now();
    let mut timeline = Timeline::new(&board, config).expect("the sample board runs");
    timeline.seek(HOUR_MS);
    let play_s = start.elapsed().as_secs_f64();
    let timeline_bytes = LIVE_BYTES.load(Ordering::Relaxed).saturating_sub(before);
    let work = timeline.run().work_done();
    println!("exec_work_per_s {:.0} units/s", work as f64 / play_s);
    println!("checkpoints_3600s {} checkpoints", timeline.checkpoints());
    println!(
        "checkpoint_bytes_3600s {} bytes",
        timeline_bytes.saturating_sub(plain_bytes)
    );
    let mut times = Vec::new();
    for t in moments(40, HOUR_MS) {
        let start = Instant::now();
        timeline.seek(t);
        black_box(analysis::dynamic::snapshot(timeline.run()));
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    let worst = times.iter().copied().fold(0.0, f64::max);
    println!("scrub_native_ms_3600s {:.2} ms", median(times));
    println!("scrub_native_worst_ms_3600s {worst:.2} ms");
    entities();
    live_edit();
    heaviest();
}

/// A consumer drawn on the fraud sample a minute into its run: the edited board's run replayed
/// to that moment, compared with the run shown, and the consumer started (what the app does,
/// a frame's share at a time, before the run goes on).
fn live_edit() {
    let before = sample_by_id("fraud").expect("the fraud sample").board();
    let mut after = before.clone();
    after.links.push(flowstorm::model::Link {
        id: flowstorm::model::LinkId::from("order-placed-fraud-check"),
        from: NoteId::from("order-placed"),
        to: NoteId::from("fraud-check"),
    });
    let mut shown = Timeline::new(&before, RunConfig::for_board(&before)).expect("it runs");
    shown.seek(60_000);
    let mut times = Vec::new();
    for _ in 0..9 {
        let start = Instant::now();
        let (mut edited, drawn) = shown.edited(&after).expect("the edited board runs");
        edited.seek(60_000);
        assert!(
            edited.agrees_with(&shown),
            "drawing a consumer changes nothing that ran"
        );
        for note in drawn {
            edited
                .apply_fault(flowstorm::exec::Fault::StartConsumer { note })
                .expect("it starts");
        }
        black_box(&edited);
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    println!("live_edit_join_native_ms_60s {:.2} ms", median(times));
}

/// Entities: a read model rebuilt from 10,000 records by its fold rules, and one account's
/// history and state at moments of a 60-second run of the bank sample (the moment shown first,
/// from the run's checkpoints, as the app does when the timeline is scrubbed).
fn entities() {
    let bank = sample_by_id("bank").expect("the bank sample").board();
    let mut busy = bank.clone();
    if let Some(c) = busy.note_mut(&NoteId::from("customer")) {
        c.props.insert("rate".into(), json!(500));
    }
    if let Some(v) = busy.note_mut(&NoteId::from("balance")) {
        v.props.insert("processing_ms".into(), json!(0));
    }
    let config = RunConfig {
        seed: 7,
        duration_ms: 20_000,
        ..RunConfig::default()
    };
    let mut run = Run::new(&busy, config).expect("the bank sample runs");
    run.run_to_end(2_000);
    let view = NoteId::from("balance");
    let applied = run.counters(&view).map_or(0, |c| c.handled);
    assert!(applied >= 10_000, "the view applied {applied} records");
    let mut times = Vec::new();
    for _ in 0..9 {
        let start = Instant::now();
        black_box(run.view_rows(&view));
        times.push(start.elapsed().as_secs_f64() * 1e3 * 10_000.0 / applied as f64);
    }
    println!("fold_10k_events_ms {:.2} ms", median(times));

    let config = RunConfig {
        seed: 4354,
        duration_ms: 60_000,
        ..RunConfig::default()
    };
    let mut timeline = Timeline::new(&bank, config).expect("the bank sample runs");
    timeline.seek(60_000);
    let account = NoteId::from("account");
    let mut times = Vec::new();
    for (i, t) in moments(40, 60_000).into_iter().enumerate() {
        let start = Instant::now();
        timeline.seek(t);
        let run = timeline.run();
        black_box(run.entity_history(&account, i as u64 % 12));
        black_box(run.entity_state(&account, i as u64 % 12));
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    let worst = times.iter().copied().fold(0.0, f64::max);
    println!("entity_history_ms {:.2} ms", median(times));
    println!("entity_history_worst_ms {worst:.2} ms");
}
