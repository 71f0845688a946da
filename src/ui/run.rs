//! Play the board: the run bar (play, pause, step, speed, seed, reset, timeline), tokens and
//! counters on the board, and the Run tab (faults, broker, lag chart, event log, causal chain).

use super::app::Ctx;
use crate::{
    analysis::{dynamic, route_of_event, Finding},
    exec::{ExecEvent, ExecEventKind, Fault, Run, RunConfig},
    model::{Board, NoteId, NoteKind, Point, Rect},
};
use leptos::{ev, prelude::*};
use std::collections::HashMap;

/// Simulated time after the sources stop, to let the last messages land.
const DRAIN_MS: u64 = 3_000;
/// Speeds offered, simulated ms per real ms.
const SPEEDS: [f64; 10] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0];
/// How far Step moves the run (ms).
const STEP_MS: u64 = 100;
/// How many events the log shows at most (the latest).
const LOG_ROWS: usize = 200;

/// The run of the board and its controls, shared by the run bar, the board and the Run tab.
#[derive(Clone, Copy)]
pub struct RunCtl {
    run: StoredValue<Option<Run>, LocalStorage>,
    /// Simulated time shown (ms); every change redraws what depends on the run.
    pub now: RwSignal<u64>,
    /// The same, updated a few times a second while playing: for numbers people read.
    pub readable_now: RwSignal<u64>,
    /// True while the run plays.
    pub playing: RwSignal<bool>,
    /// Speed factor.
    pub speed: RwSignal<f64>,
    /// Seed of the next run.
    pub seed: RwSignal<u64>,
    /// True while a run exists (started and not reset).
    pub active: RwSignal<bool>,
    /// Notes of the causal chain picked in the event log.
    pub chain: RwSignal<Vec<NoteId>>,
    /// Hazards seen in the run so far.
    pub dynamic: RwSignal<Vec<Finding>>,
    /// Why the board cannot run, when it cannot.
    pub problems: RwSignal<Vec<String>>,
    /// Each note's rectangle and kind, for drawing tokens and counters.
    geometry: Memo<HashMap<NoteId, (Rect, NoteKind)>>,
}

impl RunCtl {
    /// A controller with no run yet, for the editor's board.
    pub fn new(ctx: Ctx) -> RunCtl {
        let seed = ctx.editor.with_untracked(|e| RunConfig::for_board(&e.doc.board).seed);
        RunCtl {
            run: StoredValue::new_local(None),
            now: RwSignal::new(0),
            readable_now: RwSignal::new(0),
            playing: RwSignal::new(false),
            speed: RwSignal::new(1.0),
            seed: RwSignal::new(seed),
            active: RwSignal::new(false),
            chain: RwSignal::new(Vec::new()),
            dynamic: RwSignal::new(Vec::new()),
            problems: RwSignal::new(Vec::new()),
            geometry: Memo::new(move |_| ctx.board(rects)),
        }
    }

    /// Reads the run, if there is one (tracks the time shown).
    pub fn with<T>(&self, f: impl FnOnce(&Run) -> T) -> Option<T> {
        self.now.track();
        self.run.with_value(|r| r.as_ref().map(f))
    }

    /// Reads the run for numbers people read: re-runs a few times a second while playing.
    pub fn with_readable<T>(&self, f: impl FnOnce(&Run) -> T) -> Option<T> {
        self.readable_now.track();
        self.run.with_value(|r| r.as_ref().map(f))
    }

    /// Sets the time shown, and the readable time with it.
    fn show(&self, t: u64) {
        self.now.set(t);
        self.readable_now.set(t);
    }

    /// The end of the timeline: the scenario's duration and a drain.
    pub fn end(&self) -> u64 {
        self.run.with_value(|r| r.as_ref().map_or(0, |r| r.config().duration_ms + DRAIN_MS))
    }

    /// Compiles the board into a fresh run at time 0; false (with the reasons) if it cannot run.
    fn start(&self, ctx: Ctx) -> bool {
        let board = ctx.editor.with_untracked(|e| e.doc.board.clone());
        let mut config = RunConfig::for_board(&board);
        config.seed = self.seed.get_untracked();
        match Run::new(&board, config) {
            Ok(run) => {
                let warnings: Vec<String> = run.diagnostics().iter().map(|d| d.to_string()).collect();
                self.problems.set(warnings);
                self.run.set_value(Some(run));
                self.active.set(true);
                self.show(0);
                self.dynamic.set(Vec::new());
                true
            }
            Err(diagnostics) => {
                self.problems.set(diagnostics.iter().map(|d| d.to_string()).collect());
                ctx.status.set("The board cannot run: see the Run tab".into());
                false
            }
        }
    }

    /// Drops the run (the board changed, or Reset).
    pub fn reset(&self) {
        self.playing.set(false);
        self.run.set_value(None);
        self.active.set(false);
        self.show(0);
        self.chain.set(Vec::new());
        self.dynamic.set(Vec::new());
    }

    /// Moves the run to `t`: forward by running, backward by re-running from the seed.
    pub fn seek(&self, ctx: Ctx, t: u64) {
        if !self.active.get_untracked() && !self.start(ctx) {
            return;
        }
        let t = t.min(self.end());
        let mut error = None;
        self.run.update_value(|r| {
            let Some(run) = r.as_mut() else { return };
            if t >= run.now() {
                run.step_until(t);
            } else {
                match run.state_at(t) {
                    Ok(earlier) => *run = earlier,
                    Err(d) => error = Some(d.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("; ")),
                }
            }
        });
        if let Some(e) = error {
            ctx.status.set(e);
        }
        self.show(t);
        self.refresh_findings();
    }

    fn refresh_findings(&self) {
        let found = self.run.with_value(|r| r.as_ref().map(dynamic::findings)).unwrap_or_default();
        if self.dynamic.with_untracked(|d| *d != found) {
            self.dynamic.set(found);
        }
    }

    /// Starts playing (from the start if there is no run).
    pub fn play(&self, ctx: Ctx) {
        if !self.active.get_untracked() && !self.start(ctx) {
            return;
        }
        if self.now.get_untracked() >= self.end() {
            self.seek(ctx, 0);
        }
        self.playing.set(true);
        let started = performance_now();
        frame(*self, ctx, started, 0);
    }

    /// Applies a fault now; the status bar says what happened.
    pub fn fault(&self, ctx: Ctx, fault: Fault, what: &str) {
        if !self.active.get_untracked() && !self.start(ctx) {
            return;
        }
        let mut result = Ok(());
        self.run.update_value(|r| {
            if let Some(run) = r.as_mut() {
                result = run.apply_fault(fault);
            }
        });
        match result {
            Ok(()) => ctx.status.set(format!("{what} at {}", seconds(self.now.get_untracked()))),
            Err(e) => ctx.status.set(e.to_string()),
        }
        let t = self.now.get_untracked();
        self.show(t);
    }
}

fn performance_now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// One animation frame of a playing run: advance simulated time by real time × speed.
fn frame(ctl: RunCtl, ctx: Ctx, last: f64, frames: u32) {
    request_animation_frame(move || {
        if !ctl.playing.get_untracked() || !ctl.active.get_untracked() {
            return;
        }
        let now = performance_now();
        // A hidden tab sends no frames; do not jump ahead by the whole pause when it comes back.
        let real = (now - last).clamp(0.0, 100.0);
        let step = (real * ctl.speed.get_untracked()).round().max(1.0) as u64;
        let end = ctl.end();
        let t = (ctl.now.get_untracked() + step).min(end);
        ctl.run.update_value(|r| {
            if let Some(run) = r.as_mut() {
                run.step_until(t);
            }
        });
        if frames % 10 == 0 || t >= end {
            ctl.show(t);
        } else {
            ctl.now.set(t);
        }
        measure_frame(now);
        if frames % 15 == 0 {
            ctl.refresh_findings();
        }
        if t >= end {
            ctl.playing.set(false);
            ctl.refresh_findings();
            ctx.status.set("The run is over: scrub the timeline to look back".into());
            return;
        }
        frame(ctl, ctx, now, frames + 1);
    });
}

/// When the page sets `window.flowstormMeasure`, records how long this frame's work took,
/// rendering and layout included, in `window.flowstormFrameTimes` (read by the benchmarks).
fn measure_frame(start: f64) {
    let Some(window) = web_sys::window() else { return };
    let measuring = js_sys::Reflect::get(&window, &"flowstormMeasure".into()).is_ok_and(|v| v.is_truthy());
    if !measuring {
        return;
    }
    leptos::task::spawn_local(async move {
        // Let the reactive updates of this frame run, then lay the page out.
        for _ in 0..3 {
            let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL)).await;
        }
        let Some(window) = web_sys::window() else { return };
        if let Some(body) = window.document().and_then(|d| d.body()) {
            let _ = body.get_bounding_client_rect();
        }
        let took = performance_now() - start;
        let key = wasm_bindgen::JsValue::from_str("flowstormFrameTimes");
        let list = js_sys::Reflect::get(&window, &key)
            .ok()
            .and_then(|v| wasm_bindgen::JsCast::dyn_into::<js_sys::Array>(v).ok())
            .unwrap_or_else(|| {
                let a = js_sys::Array::new();
                let _ = js_sys::Reflect::set(&window, &key, &a);
                a
            });
        list.push(&took.into());
    });
}

fn seconds(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

/// The run controls, under the board.
#[component]
pub fn RunBar() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ctl = expect_context::<RunCtl>();
    let end = move || {
        ctl.now.track();
        ctl.active.track();
        ctl.end().max(1)
    };
    view! {
        <div class="runbar" role="toolbar" aria-label="Run" data-runbar on:pointerdown=|ev: ev::PointerEvent| ev.stop_propagation()>
            <Show when=move || ctl.playing.get()
                fallback=move || view! { <button data-action="play" title="Play the board" on:click=move |_| ctl.play(ctx)>"▶ Play"</button> }>
                <button data-action="pause" title="Pause" on:click=move |_| ctl.playing.set(false)>"❚❚ Pause"</button>
            </Show>
            <button data-action="step" title="Advance 100 ms"
                on:click=move |_| { ctl.playing.set(false); ctl.seek(ctx, ctl.now.get_untracked() + STEP_MS); }>"Step"</button>
            <button data-action="reset" title="Back to the start, with a fresh compile of the board"
                on:click=move |_| { ctl.reset(); ctx.status.set("Run reset".into()); }>"Reset"</button>
            <label class="speed">"Speed "
                <select data-action="speed" on:change=move |ev| {
                    if let Ok(s) = event_target_value(&ev).parse::<f64>() { ctl.speed.set(s); }
                }>
                    {SPEEDS.iter().map(|s| view! { <option value=s.to_string() selected=*s == 1.0>{format!("{s}×")}</option> }).collect_view()}
                </select>
            </label>
            <label class="seed">"Seed "
                <input type="number" min="0" data-action="seed" prop:value=move || ctl.seed.get().to_string()
                    on:change=move |ev| {
                        if let Ok(s) = event_target_value(&ev).parse::<u64>() { ctl.seed.set(s); ctl.reset(); }
                    } />
            </label>
            <input type="range" class="timeline" data-action="scrub" aria-label="Timeline" min="0" max=move || end().to_string()
                step="10" prop:value=move || ctl.now.get().to_string()
                on:input=move |ev| {
                    if let Ok(t) = event_target_value(&ev).parse::<u64>() { ctl.playing.set(false); ctl.seek(ctx, t); }
                } />
            <span class="clock" data-clock>{move || format!("{} / {}", seconds(ctl.now.get()), seconds(end()))}</span>
        </div>
    }
}

/// The note rectangles of the board, by id.
fn rects(board: &Board) -> HashMap<NoteId, (Rect, NoteKind)> {
    board.notes.iter().map(|n| (n.id.clone(), (n.rect(), n.kind))).collect()
}

/// The counter chip under a note.
#[derive(Clone, Debug, PartialEq, Default)]
struct Chip {
    at: Point,
    text: String,
    busy: bool,
    dots: Vec<(bool, String)>,
}

/// Where the tokens are at time `t`, in board units: each moves along its link from the
/// border of one note to the border of the next.
fn token_positions(run: &Run, t: u64, geometry: &HashMap<NoteId, (Rect, NoteKind)>) -> Vec<Point> {
    run.tokens_in_flight(t)
        .iter()
        .filter_map(|hop| {
            let (a, _) = geometry.get(&hop.from)?;
            let (b, _) = geometry.get(&hop.to)?;
            let span = hop.end.saturating_sub(hop.start).max(1) as f64;
            let f = (t.saturating_sub(hop.start) as f64 / span).clamp(0.0, 1.0);
            let (p, q) = (a.border_toward(b.center()), b.border_toward(a.center()));
            Some(Point::new(p.x + (q.x - p.x) * f, p.y + (q.y - p.y) * f))
        })
        .collect()
}

/// The tokens moving along links, drawn on a canvas over the board: hundreds of them cost one
/// bitmap a frame, not hundreds of elements. `data-tokens` says how many are in flight.
#[component]
pub fn TokenCanvas() -> impl IntoView {
    use wasm_bindgen::JsCast;
    let ctx = expect_context::<Ctx>();
    let ctl = expect_context::<RunCtl>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let geometry = ctl.geometry;
    Effect::new(move |_| {
        let t = ctl.now.get();
        let active = ctl.active.get();
        let (camera, viewport) = ctx.editor.with(|e| (e.camera, e.viewport));
        let Some(el) = canvas.get() else { return };
        let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        let (w, h) = ((viewport.w * ratio).round() as u32, (viewport.h * ratio).round() as u32);
        if el.width() != w || el.height() != h {
            el.set_width(w);
            el.set_height(h);
        }
        let Some(g) = el.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok()) else {
            return;
        };
        g.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0).ok();
        g.clear_rect(0.0, 0.0, viewport.w, viewport.h);
        let points = if active { geometry.with(|geo| ctl.run.with_value(|r| r.as_ref().map(|run| token_positions(run, t, geo)))).unwrap_or_default() } else { Vec::new() };
        let _ = el.set_attribute("data-tokens", &points.len().to_string());
        g.set_fill_style_str("#1f6feb");
        g.set_stroke_style_str("#ffffff");
        g.set_line_width(1.5);
        g.begin_path();
        for p in &points {
            let s = camera.to_screen(*p);
            if s.x < -10.0 || s.y < -10.0 || s.x > viewport.w + 10.0 || s.y > viewport.h + 10.0 {
                continue;
            }
            g.move_to(s.x + 5.0, s.y);
            let _ = g.arc(s.x, s.y, 5.0, 0.0, std::f64::consts::TAU);
        }
        g.fill();
        g.stroke();
    });
    view! { <canvas class="token-canvas" node_ref=canvas data-tokens="0" aria-hidden="true"></canvas> }
}

/// What the run shows on the board: counters and instances on notes.
#[component]
pub fn RunLayer() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ctl = expect_context::<RunCtl>();
    let geometry = ctl.geometry;
    // Counters keep their size on screen whatever the zoom.
    let zoom = Memo::new(move |_| ctx.editor.with(|e| e.camera.zoom));
    // Counters: one chip per busy note, keyed by note so that a frame only rewrites its text.
    let chips = Memo::new(move |_| {
        ctl.with_readable(|run| {
            geometry.with(|g| {
                run.all_counters()
                    .into_iter()
                    .filter_map(|(id, c)| {
                        let (r, kind) = g.get(&id)?;
                        if c.handled == 0 && c.failed == 0 && c.lag.is_none() {
                            return None;
                        }
                        let mut text = format!("✓{}", c.handled);
                        if c.failed > 0 {
                            text.push_str(&format!(" ✗{}", c.failed));
                        }
                        if let Some(lag) = c.lag {
                            text.push_str(&format!(" lag {lag}"));
                        }
                        let dots: Vec<(bool, String)> = if kind.is_consumer() {
                            run.instances(&id)
                                .iter()
                                .map(|i| {
                                    let parts = i.partitions.iter().map(|p| format!("{}-{}", p.topic, p.partition)).collect::<Vec<_>>().join(", ");
                                    (i.alive, format!("{}: {}", i.name, if parts.is_empty() { "no partition".into() } else { parts }))
                                })
                                .collect()
                        } else {
                            Vec::new()
                        };
                        Some((id, Chip { at: Point::new(r.x, r.bottom() + 4.0), text, busy: c.in_flight > 0, dots }))
                    })
                    .collect::<HashMap<_, _>>()
            })
        })
        .unwrap_or_default()
    });
    let chip_ids = Memo::new(move |_| {
        let mut ids: Vec<NoteId> = chips.with(|c| c.keys().cloned().collect());
        ids.sort();
        ids
    });
    view! {
        <Show when=move || ctl.active.get()>
            <div class="counters">
            <For each=move || chip_ids.get() key=|id| id.clone() children=move |id: NoteId| {
                let chip = { let id = id.clone(); Memo::new(move |_| chips.with(|c| c.get(&id).cloned().unwrap_or_default())) };
                // Instances change rarely (crash, join): their dots are redrawn only then.
                let dots = Memo::new(move |_| chip.with(|c| c.dots.clone()));
                view! {
                    <div class="counter" class:busy=move || chip.with(|c| c.busy) data-counter-for=id.0.clone()
                        style=move || chip.with(|c| format!("left:{}px;top:{}px;transform:scale({})", c.at.x, c.at.y, 1.0 / zoom.get()))>
                        {move || dots.get().into_iter().map(|(alive, title)| {
                            view! { <span class="instance" class:down=!alive title=title data-instance=if alive { "alive" } else { "down" }></span> }
                        }).collect_view()}
                        <span>{move || chip.with(|c| c.text.clone())}</span>
                    </div>
                }
            } />
            </div>
        </Show>
    }
}

fn describe(event: &ExecEvent) -> String {
    match &event.kind {
        ExecEventKind::CommandIssued => "issued".into(),
        ExecEventKind::CommandHandled => "handled".into(),
        ExecEventKind::CommandRejected { reason } => format!("rejected ({reason:?})").to_lowercase(),
        ExecEventKind::CallFailed { down } => if *down { "call failed: system down".into() } else { "call failed".into() },
        ExecEventKind::EventPublished => match (&event.topic, event.partition, event.offset) {
            (Some(t), Some(p), Some(o)) => format!("published {t}-{p}@{o}"),
            _ => "published".into(),
        },
        ExecEventKind::EventLost => "lost between save and publish".into(),
        ExecEventKind::Delivered { attempt } if *attempt > 1 => format!("delivered (attempt {attempt})"),
        ExecEventKind::Delivered { .. } => "delivered".into(),
        ExecEventKind::Processed => "processed".into(),
        ExecEventKind::ProcessingFailed => "processing failed".into(),
        ExecEventKind::DuplicateApplied => "applied twice".into(),
        ExecEventKind::OutOfOrder { version, after } => format!("applied v{version} after v{after}"),
        ExecEventKind::Read { stale: true, lag_ms } => format!("stale read ({lag_ms} ms behind)"),
        ExecEventKind::Read { lag_ms, .. } => format!("read (waited {lag_ms} ms)"),
        ExecEventKind::LostOnCrash => "lost with the crash".into(),
        ExecEventKind::LoopCut { passes } => format!("loop cut after {passes} passes"),
        ExecEventKind::DeadLettered => "dead-lettered".into(),
        ExecEventKind::Fault { fault } => format!("fault: {}", fault_name(fault)),
        ExecEventKind::Rebalanced { generation } => format!("rebalanced (generation {generation})"),
    }
}

fn fault_name(fault: &Fault) -> &'static str {
    match fault {
        Fault::CrashConsumer { .. } => "instance crashed",
        Fault::RestartConsumer { .. } => "instance added",
        Fault::SlowConsumer { .. } => "slowed down",
        Fault::SystemDown { .. } => "system down",
        Fault::SlowSystem { .. } => "system slowed down",
        Fault::SystemUp { .. } => "system back",
        Fault::CrashAggregate { .. } => "crash between save and publish",
        Fault::Poison { .. } => "poison message",
        Fault::AddPartitions { .. } => "partitions added",
    }
}

/// Which events the log shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LogFilter {
    All,
    Commands,
    Events,
    Consumers,
    Problems,
}

impl LogFilter {
    fn keeps(self, e: &ExecEvent) -> bool {
        use ExecEventKind as K;
        match self {
            LogFilter::All => true,
            LogFilter::Commands => matches!(e.kind, K::CommandIssued | K::CommandHandled | K::CommandRejected { .. }),
            LogFilter::Events => matches!(e.kind, K::EventPublished | K::EventLost),
            LogFilter::Consumers => matches!(e.kind, K::Delivered { .. } | K::Processed | K::ProcessingFailed | K::Read { .. }),
            LogFilter::Problems => matches!(
                e.kind,
                K::CommandRejected { .. }
                    | K::CallFailed { .. }
                    | K::EventLost
                    | K::ProcessingFailed
                    | K::DuplicateApplied
                    | K::OutOfOrder { .. }
                    | K::Read { stale: true, .. }
                    | K::LostOnCrash
                    | K::LoopCut { .. }
                    | K::DeadLettered
                    | K::Fault { .. }
            ),
        }
    }
}

/// The Run tab: faults for the selected note, the broker, the lag chart and the event log.
#[component]
pub fn RunPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ctl = expect_context::<RunCtl>();
    let filter = RwSignal::new(LogFilter::All);
    let only_selected = RwSignal::new(false);
    let selected = Memo::new(move |_| {
        ctx.editor.with(|e| match e.selection.items() {
            [crate::editor::Item::Note(id)] => e.doc.board.note(id).map(|n| (id.clone(), n.kind, n.text.clone())),
            _ => None,
        })
    });
    let names = Memo::new(move |_| ctx.board(|b| b.notes.iter().map(|n| (n.id.clone(), n.text.clone())).collect::<HashMap<_, _>>()));
    let name = move |id: &NoteId| names.with(|n| n.get(id).cloned().unwrap_or_else(|| id.0.clone()));

    let faults = move || {
        let (id, kind, text) = selected.get()?;
        // A consumer group exists for a note that some event feeds.
        let is_group = kind.is_consumer()
            && ctx.board(|b| b.links.iter().any(|l| l.to == id && b.note(&l.from).is_some_and(|n| n.kind == NoteKind::Event)));
        let mut buttons: Vec<(&'static str, &'static str, Fault)> = Vec::new();
        if is_group {
            buttons.push(("fault-crash", "Crash an instance (restarts in 3 s)", Fault::CrashConsumer { note: id.clone(), instance: 0, restart_after_ms: Some(3_000) }));
            buttons.push(("fault-slow", "Slow it down (+50 ms a message)", Fault::SlowConsumer { note: id.clone(), instance: 0, extra_ms: 50 }));
            buttons.push(("fault-poison", "Send a poison message", Fault::Poison { note: id.clone() }));
            buttons.push(("fault-add-instance", "Add an instance", Fault::RestartConsumer { note: id.clone() }));
        }
        if kind == NoteKind::ExternalSystem {
            buttons.push(("fault-down", "Take it down", Fault::SystemDown { note: id.clone(), for_ms: None }));
            buttons.push(("fault-slow-system", "Slow its answers (+500 ms a call)", Fault::SlowSystem { note: id.clone(), extra_ms: 500, for_ms: None }));
            buttons.push(("fault-up", "Bring it back to normal", Fault::SystemUp { note: id.clone() }));
        }
        if kind == NoteKind::Aggregate {
            buttons.push(("fault-crash-aggregate", "Crash between save and publish", Fault::CrashAggregate { note: id.clone() }));
        }
        if kind == NoteKind::Event {
            if let Some(route) = ctx.board(|b| route_of_event(b, &id)) {
                buttons.push(("fault-partitions", "Add a partition to its topic", Fault::AddPartitions { topic: route.topic, total: route.partitions + 1 }));
            }
        }
        Some(view! {
            <section class="faults" data-faults>
                <h3>{format!("Faults on “{text}”")}</h3>
                {if buttons.is_empty() { Some(view! { <p class="muted">"No fault applies to this kind of note."</p> }) } else { None }}
                {buttons.into_iter().map(|(action, label, fault)| view! {
                    <button data-action=action on:click=move |_| ctl.fault(ctx, fault.clone(), label)>{label}</button>
                }).collect_view()}
            </section>
        })
    };

    let groups = move || {
        ctl.with(|run| {
            run.plan()
                .groups
                .iter()
                .map(|g| {
                    let lag = run.cluster().lag(&g.name).ok();
                    let instances = run.instances(&g.note);
                    (g.note.clone(), g.name.clone(), instances, lag)
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };

    let chart = move || {
        let end = ctl.end().max(1) as f64;
        let now = ctl.now.get();
        ctl.with(|run| {
            let series: Vec<(NoteId, Vec<(u64, u64)>)> = run
                .plan()
                .groups
                .iter()
                .map(|g| (g.note.clone(), run.lag_series(&g.note).iter().map(|s| (s.at, s.lag)).collect()))
                .collect();
            let max = series.iter().flat_map(|(_, s)| s.iter().map(|p| p.1)).max().unwrap_or(0).max(5) as f64;
            let last: u64 = series.iter().filter_map(|(_, s)| s.last().map(|p| p.1)).sum();
            let peak = series.iter().flat_map(|(_, s)| s.iter().map(|p| p.1)).max().unwrap_or(0);
            const W: f64 = 280.0;
            const H: f64 = 90.0;
            let colours = ["#2f6feb", "#d98a00", "#2e9d52", "#c2185b", "#7b1fa2", "#00838f"];
            let lines = series
                .iter()
                .enumerate()
                .map(|(i, (note, pts))| {
                    let points = pts.iter().map(|(at, lag)| format!("{:.1},{:.1}", *at as f64 / end * W, H - *lag as f64 / max * H)).collect::<Vec<_>>().join(" ");
                    view! { <polyline data-lag-for=note.0.clone() points=points stroke=colours[i % colours.len()] fill="none" stroke-width="1.5" /> }
                })
                .collect_view();
            let legend = series
                .iter()
                .enumerate()
                .map(|(i, (note, _))| view! { <li><span class="chip" style=format!("background:{}", colours[i % colours.len()])></span>{name(note)}</li> })
                .collect_view();
            let x = now as f64 / end * W;
            view! {
                <svg class="lag-chart" data-lag-chart data-last-lag=last.to_string() data-peak-lag=peak.to_string()
                    viewBox=format!("0 0 {W} {H}") width=W height=H role="img" aria-label="Consumer lag over time">
                    <line class="cursor" x1=x y1="0" x2=x y2=H />
                    {lines}
                </svg>
                <p class="muted">{format!("lag now {last}, peak {peak} messages (scale {max:.0})")}</p>
                <ul class="chart-legend">{legend}</ul>
            }
        })
    };

    let log = move || {
        let filter = filter.get();
        let only = only_selected.get().then(|| selected.get().map(|s| s.0)).flatten();
        ctl.with(|run| {
            let rows: Vec<ExecEvent> = run
                .events()
                .iter()
                .rev()
                .filter(|e| filter.keeps(e) && only.as_ref().is_none_or(|id| e.note == *id || e.from_note.as_ref() == Some(id) || e.to_note.as_ref() == Some(id)))
                .take(LOG_ROWS)
                .cloned()
                .collect();
            rows.into_iter()
                .map(|e| {
                    let message = e.message;
                    let text = format!("{} {} — {}", seconds(e.at), name(&e.note), describe(&e));
                    view! {
                        <li data-event>
                            <button class="log-row" data-action="show-chain" disabled=message.is_none()
                                title="Highlight the causal chain on the board"
                                on:click=move |_| {
                                    let Some(m) = message else { return };
                                    let chain = ctl.with(|run| {
                                        let mut notes = Vec::new();
                                        for step in run.causal_chain(m) {
                                            notes.push(step.note.clone());
                                            if let Some(o) = step.origin { notes.push(o); }
                                        }
                                        notes
                                    }).unwrap_or_default();
                                    ctx.status.set(format!("Causal chain of {m}: {} notes highlighted", chain.len()));
                                    ctl.chain.set(chain);
                                }>{text}</button>
                        </li>
                    }
                })
                .collect_view()
        })
    };

    view! {
        <div class="run-panel" data-run-panel>
            <h2>"Run"</h2>
            <p class="muted">"Press Play under the board. Select a note to inject a fault."</p>
            {move || {
                let problems = ctl.problems.get();
                (!problems.is_empty()).then(|| view! {
                    <ul class="run-problems" data-run-problems>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                })
            }}
            {faults}
            <Show when=move || ctl.active.get() fallback=|| view! { <p class="muted">"No run yet."</p> }>
                <h3>"Lag"</h3>
                {chart}
                <h3>"Consumer groups"</h3>
                <div class="groups" data-broker>
                    {move || groups().into_iter().map(|(note, group, instances, lag)| view! {
                        <div class="group-box" data-group=group.clone()>
                            <strong>{name(&note)}</strong>" "<span class="muted">{format!("group {group}")}</span>
                            <ul class="instances">
                                {instances.into_iter().map(|i| {
                                    let parts = i.partitions.iter().map(|p| format!("{}-{}", p.topic, p.partition)).collect::<Vec<_>>().join(", ");
                                    view! { <li class:down=!i.alive>{format!("{}{}: {}", i.name, if i.alive { "" } else { " (down)" }, if parts.is_empty() { "idle".to_string() } else { parts })}</li> }
                                }).collect_view()}
                            </ul>
                            <table class="offsets">
                                <thead><tr><th>"partition"</th><th>"log end"</th><th>"committed"</th><th>"lag"</th></tr></thead>
                                <tbody>
                                    {lag.map(|l| l.partitions.into_iter().map(|p| view! {
                                        <tr><td>{format!("{}-{}", p.topic, p.partition)}</td><td>{p.end_offset}</td>
                                            <td>{p.committed.map(|c| c.to_string()).unwrap_or_else(|| "–".into())}</td>
                                            <td>{format!("{} ({} ms)", p.lag, p.lag_ms)}</td></tr>
                                    }).collect_view())}
                                </tbody>
                            </table>
                        </div>
                    }).collect_view()}
                </div>
                <h3>"Event log"</h3>
                <div class="log-filters">
                    <select data-action="log-filter" on:change=move |ev| filter.set(match event_target_value(&ev).as_str() {
                        "commands" => LogFilter::Commands,
                        "events" => LogFilter::Events,
                        "consumers" => LogFilter::Consumers,
                        "problems" => LogFilter::Problems,
                        _ => LogFilter::All,
                    })>
                        <option value="all">"everything"</option>
                        <option value="commands">"commands"</option>
                        <option value="events">"events"</option>
                        <option value="consumers">"deliveries and reads"</option>
                        <option value="problems">"problems"</option>
                    </select>
                    <label><input type="checkbox" data-action="log-selected" on:change=move |ev| only_selected.set(event_target_checked(&ev)) />" selected note only"</label>
                    <button data-action="clear-chain" on:click=move |_| ctl.chain.set(Vec::new())>"Clear highlight"</button>
                </div>
                <ol class="event-log" data-event-log reversed>{log}</ol>
            </Show>
        </div>
    }
}
