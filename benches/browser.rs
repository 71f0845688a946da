//! Figures measured in headless Chromium on the release build in dist/ (`make bench` builds it).
//! Prints `name value unit` lines.
//!
//! Frame figures are what a user sees: the median interval from one animation frame to the
//! next during a gesture, with the app's work, style, layout, paint and compositing included,
//! measured with Chromium's frame-rate limit off so that a fast frame shows as fast. Each comes
//! with the main thread's busy time per frame, from Chromium's own task accounting
//! (`Performance.getMetrics`, `TaskDuration`).

#[path = "../tests/e2e/webdriver.rs"]
#[allow(dead_code)]
mod webdriver;

use serde_json::{json, Value};
use std::path::PathBuf;

/// Drives `frames` animation frames, each dispatching one step of a gesture on the board from
/// the frame's callback ("pan": a wheel event; "drag": a pointer move after a press; "watch":
/// nothing), and returns the median rAF-to-rAF interval in ms. The drag holds Alt (no snapping),
/// so that every step moves the note: a snapped drag leaves most frames unchanged, and Chromium
/// paces a frame with nothing new at 60 Hz whatever it cost.
const FRAME_LOOP: &str = r#"
const [kind, frames, sx, sy, dx, dy] = arguments;
const done = arguments[arguments.length - 1];
const vp = document.querySelector('[data-board-viewport]');
const fire = (type, x, y, extra) => vp.dispatchEvent(new (type === 'wheel' ? WheelEvent : PointerEvent)(type,
    Object.assign({clientX: x, clientY: y, bubbles: true, cancelable: true, pointerId: 1, button: 0, buttons: 1, isPrimary: true}, extra)));
const iv = []; let last = null; let i = 0;
if (kind === 'drag') fire('pointerdown', sx, sy, {altKey: true});
const tick = t => {
  if (last !== null) iv.push(t - last);
  last = t; i++;
  if (i > frames) {
    if (kind === 'drag') fire('pointerup', sx + dx * i, sy + dy * i, {buttons: 0});
    iv.sort((a, b) => a - b);
    done(iv[iv.length >> 1]);
    return;
  }
  // Back and forth, so a long pan stays over the same part of the board.
  const sign = i % 40 < 20 ? 1 : -1;
  if (kind === 'pan') fire('wheel', sx, sy, {deltaX: dx * sign, deltaY: dy * sign, deltaMode: 0});
  else if (kind === 'drag') fire('pointermove', sx + dx * i, sy + dy * i, {altKey: true});
  requestAnimationFrame(tick);
};
requestAnimationFrame(tick);
"#;

/// Frames each gesture runs for.
const GESTURE_FRAMES: u32 = 120;

/// Chromium flags for frame figures: no frame-rate limit, so a fast frame shows as fast.
const UNLIMITED_FRAMES: [&str; 2] = ["--disable-frame-rate-limit", "--disable-gpu-vsync"];

/// The main thread's busy time so far (ms), from Chromium's task accounting.
fn busy_ms(s: &webdriver::Session) -> f64 {
    let metrics = s.cdp("Performance.getMetrics", json!({}));
    metrics["metrics"]
        .as_array()
        .and_then(|m| m.iter().find(|x| x["name"] == "TaskDuration"))
        .and_then(|x| x["value"].as_f64())
        .map_or(f64::NAN, |secs| secs * 1000.0)
}

/// Runs one gesture of [`GESTURE_FRAMES`] frames: the median frame interval and the main
/// thread's busy time per frame (ms).
fn gesture(s: &webdriver::Session, kind: &str, from: (f64, f64), step: (f64, f64)) -> (f64, f64) {
    s.cdp("Performance.enable", json!({}));
    let before = busy_ms(s);
    let interval = s.js_async(
        FRAME_LOOP,
        vec![
            json!(kind),
            json!(GESTURE_FRAMES),
            json!(from.0),
            json!(from.1),
            json!(step.0),
            json!(step.1),
        ],
    );
    let busy = (busy_ms(s) - before) / GESTURE_FRAMES as f64;
    (interval.as_f64().unwrap_or(f64::NAN), busy)
}

/// Where a note well inside the view is (its centre, px), to press and drag.
fn note_in_view(s: &webdriver::Session) -> Option<(f64, f64)> {
    let at = s.js(
        "const vp = document.querySelector('[data-board-viewport]').getBoundingClientRect();
         const n = [...document.querySelectorAll('[data-note-id]')].map(e => e.getBoundingClientRect())
           .find(r => r.width > 3 && r.x > vp.x + 100 && r.y > vp.y + 100 && r.right < vp.right - 350 && r.bottom < vp.bottom - 250);
         return n ? [n.x + n.width / 2, n.y + n.height / 2] : null;",
        vec![],
    );
    Some((at[0].as_f64()?, at[1].as_f64()?))
}

/// Prints the interval and busy figures of one gesture (`pan`, `drag`, `play`) at one zoom
/// (`fit`, `zoomed`) on the 2,000-note board.
fn report(gesture: &str, zoom: &str, (interval, busy): (f64, f64)) {
    println!("{gesture}_interval_ms_2000_{zoom} {interval:.1} ms");
    println!("{gesture}_busy_ms_2000_{zoom} {busy:.1} ms");
}

/// Commands per second of each of the 30 actors of the 300-note board: about 500 tokens in flight.
const ANIM_RATE: u32 = 10;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dist = std::env::var("FLOWSTORM_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("dist"));
    assert!(
        dist.join("index.html").exists(),
        "no app build in {}: run `make build`",
        dist.display()
    );
    let port = webdriver::serve(dist);
    let driver = webdriver::Driver::start();
    let base = format!("http://127.0.0.1:{port}/");

    // Broker throughput inside the browser.
    let s = driver.session(1920, 1080);
    s.script_timeout(300_000);
    s.goto(&base);
    s.find("[data-note-id]");
    let records = 1_000_000;
    let per_s = s.js(
        &format!("return window.wasmBindings.bench_broker_records_per_s({records})"),
        vec![],
    );
    println!(
        "broker_records_per_s_wasm {:.0} records/s",
        per_s.as_f64().unwrap_or(0.0)
    );
    drop(s);

    // A generated 2,000-note, 3,000-link board: first paint, then panning and dragging.
    let mut first_paint = Vec::new();
    for _ in 0..3 {
        let s = driver.session(1920, 1080);
        s.goto(&format!("{base}?generate=2000"));
        let ms = s.wait_for("the first paint", || {
            s.js("return window.flowstormFirstPaint || null", vec![])
                .as_f64()
        });
        let notes = s.find_all("[data-note-id]").len();
        assert!(notes >= 1900, "the fitted board shows every note ({notes})");
        first_paint.push(ms);
    }
    first_paint.sort_by(f64::total_cmp);
    println!("first_paint_ms_2000 {:.0} ms", first_paint[1]);

    // Panning and dragging on it, fitted (all 2,000 notes in view) and at a readable zoom
    // (about 100 notes in view), then playing a run on it, fitted.
    let s = driver.session_with(1920, 1080, &UNLIMITED_FRAMES);
    s.script_timeout(120_000);
    s.goto(&format!("{base}?generate=2000"));
    s.wait_for("the first paint", || {
        s.js("return window.flowstormFirstPaint || null", vec![])
            .as_f64()
    });
    let vp = s.js("const r = document.querySelector('[data-board-viewport]').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2];", vec![]);
    let centre = (
        vp[0].as_f64().unwrap_or(500.0),
        vp[1].as_f64().unwrap_or(400.0),
    );
    report("pan", "fit", gesture(&s, "pan", centre, (6.0, 4.0)));
    let note = note_in_view(&s).unwrap_or(centre);
    report("drag", "fit", gesture(&s, "drag", note, (1.0, 1.0)));
    s.js(
        "document.querySelector(\"[data-action='zoom-fit']\").click()",
        vec![],
    );
    for _ in 0..8 {
        s.js(
            "document.querySelector(\"[data-action='zoom-in']\").click()",
            vec![],
        );
    }
    let visible = s.js(
        "const vp = document.querySelector('[data-board-viewport]').getBoundingClientRect();
         return [...document.querySelectorAll('[data-note-id]')].filter(e => { const r = e.getBoundingClientRect();
           return r.right > vp.x && r.x < vp.right && r.bottom > vp.y && r.y < vp.bottom; }).length;",
        vec![],
    );
    println!(
        "notes_in_view_2000_zoomed {} notes",
        visible.as_u64().unwrap_or(0)
    );
    report("pan", "zoomed", gesture(&s, "pan", centre, (6.0, 4.0)));
    let note = note_in_view(&s).unwrap_or(centre);
    report("drag", "zoomed", gesture(&s, "drag", note, (2.0, 1.0)));
    s.js(
        "document.querySelector(\"[data-action='zoom-fit']\").click()",
        vec![],
    );
    s.js(
        "document.querySelector(\"[data-action='play']\").click()",
        vec![],
    );
    std::thread::sleep(std::time::Duration::from_millis(1500));
    report("play", "fit", gesture(&s, "watch", centre, (0.0, 0.0)));
    drop(s);

    // Playing a 300-note board loaded so that about 500 tokens are in flight.
    let s = driver.session(1920, 1080);
    s.script_timeout(120_000);
    s.goto(&format!("{base}?generate=300&rate={ANIM_RATE}"));
    s.wait_for("the first paint", || {
        s.js("return window.flowstormFirstPaint || null", vec![])
            .as_f64()
    });
    let idle: Value = s.js_async(
        "const done = arguments[arguments.length - 1]; const iv = []; let last = performance.now();
         const tick = t => { iv.push(t - last); last = t; if (iv.length < 60) requestAnimationFrame(tick); else { iv.sort((a, b) => a - b); done(iv[30]); } };
         requestAnimationFrame(tick);",
        vec![],
    );
    println!(
        "idle_frame_interval_ms_300 {:.1} ms",
        idle.as_f64().unwrap_or(f64::NAN)
    );
    s.js(
        "document.querySelector(\"[data-action='play']\").click()",
        vec![],
    );
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let anim: Value = s.js_async(
        "const done = arguments[arguments.length - 1];
         const tokens = [];
         const intervals = [];
         let last = performance.now(); let on = true;
         const tick = t => { intervals.push(t - last); last = t; if (on) requestAnimationFrame(tick); };
         requestAnimationFrame(tick);
         const sample = setInterval(() => tokens.push(Number(document.querySelector('[data-tokens]').dataset.tokens)), 100);
         setTimeout(() => {
           clearInterval(sample); on = false;
           tokens.sort((a, b) => a - b);
           intervals.sort((a, b) => a - b);
           done([tokens[tokens.length >> 1], intervals[intervals.length >> 1]]);
         }, 3000);",
        vec![],
    );
    println!(
        "anim_tokens_in_flight {} tokens",
        anim[0].as_u64().unwrap_or(0)
    );
    drop(s);

    // Scrubbing runs of the sample board, 60 s and one hour long: from a change of the timeline
    // to the clock showing that moment (the board, counters and tokens are drawn with it).
    for (duration_ms, name) in [(60_000u64, "scrub"), (3_600_000, "scrub_3600s")] {
        let (median, worst) = scrub(&driver, &base, duration_ms);
        println!("{name}_ms {median:.1} ms");
        println!("{name}_worst_ms {worst:.1} ms");
    }

    // The heaviest board the limits allow, playing at 100×: the longest main-thread task.
    let (longest, interval) = heaviest_board_playing(&driver, &base);
    println!("longest_task_ms_heaviest_board {longest:.0} ms");
    println!("frame_interval_ms_heaviest_board {interval:.1} ms");
    let (memory_mb, reset_longest) = heaviest_board_at_work_limit(&driver, &base);
    println!("memory_mb_heaviest_at_work_limit {memory_mb:.0} MB");
    println!("reset_longest_task_ms_heaviest_at_work_limit {reset_longest:.0} ms");
    println!(
        "anim_frame_interval_ms_500 {:.1} ms",
        anim[1].as_f64().unwrap_or(f64::NAN)
    );
}

/// Scrubs to random moments and times each until the clock shows it, after one play to the end.
const SCRUB: &str = r#"
const [end, count] = arguments;
const done = arguments[arguments.length - 1];
const range = document.querySelector("[data-action='scrub']");
const clock = () => document.querySelector('[data-clock]').textContent;
const shows = t => clock().startsWith((t / 1000).toFixed(1) + ' s') && !document.querySelector('[data-seeking]');
const reach = async t => {
  const t0 = performance.now();
  range.value = String(t); range.dispatchEvent(new Event('input'));
  while (!shows(t)) {
    if (performance.now() - t0 > 60000) throw new Error('the clock never showed ' + t + ': ' + clock());
    await new Promise(r => requestAnimationFrame(r));
  }
  return performance.now() - t0;
};
(async () => {
  await reach(end);
  const times = []; let seed = 7;
  for (let i = 0; i < count; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    await new Promise(r => requestAnimationFrame(r));
    // Whole tenths of a second, which the clock shows without rounding.
    times.push(await reach(Math.floor(seed / 2147483648 * end / 100) * 100));
  }
  times.sort((a, b) => a - b);
  done([times[times.length >> 1], times[times.length - 1], clock()]);
})();
"#;

/// Opens a board file through the app's own file input and waits until it is shown.
fn open_board(s: &webdriver::Session, board: &flowstorm::model::Board, label: &str) {
    s.open_board_text(&flowstorm::model::save(board), label);
}

/// The median and worst time (ms) to show a moment of a run of the sample board lasting
/// `duration_ms`, over 20 random moments after one play to the end.
fn scrub(driver: &webdriver::Driver, base: &str, duration_ms: u64) -> (f64, f64) {
    let s = driver.session(1920, 1080);
    s.script_timeout(600_000);
    s.goto(base);
    s.find("[data-note-id]");
    let mut sample = flowstorm::model::sample::sample();
    sample.scenario = Some(flowstorm::model::Scenario {
        seed: 42,
        duration_ms,
        faults: Vec::new(),
    });
    open_board(&s, &sample, "scrub");
    let end = duration_ms + 3_000;
    let out: Value = s.js_async(SCRUB, vec![json!(end), json!(20)]);
    let clock = out[2].as_str().unwrap_or_default().to_string();
    assert!(
        clock.contains(&format!("/ {:.1} s", end as f64 / 1000.0)),
        "the whole run: {clock}"
    );
    (
        out[0].as_f64().unwrap_or(f64::NAN),
        out[1].as_f64().unwrap_or(f64::NAN),
    )
}

/// The longest main-thread task (ms) while the heaviest board the limits allow plays at 100×
/// for five seconds, and the median frame interval. Chromium reports tasks of 50 ms or more;
/// when there is none, the longest frame interval is given, which bounds every task.
fn heaviest_board_playing(driver: &webdriver::Driver, base: &str) -> (f64, f64) {
    let s = driver.session(1920, 1080);
    s.script_timeout(120_000);
    s.goto(base);
    s.find("[data-note-id]");
    open_board(&s, &flowstorm::model::generate::heaviest(), "heaviest");
    let out: Value = s.js_async(
        "const done = arguments[arguments.length - 1];
         let longest = 0; const iv = []; let last = performance.now(); let on = true;
         new PerformanceObserver(l => { for (const e of l.getEntries()) longest = Math.max(longest, e.duration); })
           .observe({type: 'longtask'});
         const tick = t => { iv.push(t - last); last = t; if (on) requestAnimationFrame(tick); };
         const speed = document.querySelector(\"[data-action='speed']\");
         speed.value = '100'; speed.dispatchEvent(new Event('change'));
         document.querySelector(\"[data-action='play']\").click();
         requestAnimationFrame(t => { last = t; requestAnimationFrame(tick); });
         setTimeout(() => {
           on = false;
           document.querySelector(\"[data-action='pause']\").click();
           const gap = Math.max(...iv);
           iv.sort((a, b) => a - b);
           done([longest > 0 ? longest : gap, iv[iv.length >> 1]]);
         }, 5000);",
        vec![],
    );
    (
        out[0].as_f64().unwrap_or(f64::NAN),
        out[1].as_f64().unwrap_or(f64::NAN),
    )
}

/// The heaviest board scrubbed to its end, so that its run stops at the work limit: the app's
/// memory then (MB), and the longest main-thread task (ms) while Reset lets go of that run (the
/// longest frame interval when no task reaches 50 ms).
fn heaviest_board_at_work_limit(driver: &webdriver::Driver, base: &str) -> (f64, f64) {
    let s = driver.session(1920, 1080);
    s.script_timeout(300_000);
    s.goto(base);
    s.find("[data-note-id]");
    open_board(
        &s,
        &flowstorm::model::generate::heaviest(),
        "heaviest-limit",
    );
    let out: Value = s.js_async(
        "const done = arguments[arguments.length - 1];
         const range = document.querySelector(\"[data-action='scrub']\");
         range.value = range.max; range.dispatchEvent(new Event('input'));
         const frame = () => new Promise(r => requestAnimationFrame(r));
         (async () => {
           while (!document.querySelector('[data-work-limit]')) await frame();
           await frame(); await frame();
           const memory = window.wasmBindings.bench_memory_bytes() / 1048576;
           let longest = 0; const iv = []; let last = performance.now(); let on = true;
           new PerformanceObserver(l => { for (const e of l.getEntries()) longest = Math.max(longest, e.duration); })
             .observe({type: 'longtask'});
           const tick = t => { iv.push(t - last); last = t; if (on) requestAnimationFrame(tick); };
           requestAnimationFrame(t => { last = t; requestAnimationFrame(tick); });
           document.querySelector(\"[data-action='reset']\").click();
           setTimeout(() => { on = false; done([memory, longest > 0 ? longest : Math.max(...iv)]); }, 3000);
         })();",
        vec![],
    );
    (
        out[0].as_f64().unwrap_or(f64::NAN),
        out[1].as_f64().unwrap_or(f64::NAN),
    )
}
