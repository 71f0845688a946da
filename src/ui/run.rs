//! Play the board: the run bar (play, pause, step, speed, seed, reset, timeline), tokens and
//! counters on the board, and the Run tab (faults, broker, lag chart, event log, causal chain).

use super::{dom::performance_now, state::Ctx};
use crate::collections::HashMap;
use crate::{
    analysis::dynamic::Seen,
    exec::{Fault, Leftovers, Run, RunConfig, Stepped, Timeline},
    model::{Board, NoteId, NoteKind, Rect},
};
use leptos::prelude::*;

mod bar;
mod bars;
mod budget;
mod data;
mod faults;
mod live;
mod memory;
mod next;
mod overlay;
mod pace;
mod panel;
mod tokens;

pub use bar::RunBar;
use budget::FrameBudget;
pub use data::DataPanel;
pub use faults::faults_for;
pub use overlay::RunLayer;
pub use pace::Pace;
use pace::PaceMark;
pub use panel::RunPanel;
pub use tokens::TokenCanvas;

/// Simulated time after the sources stop, to let the last messages land.
const DRAIN_MS: u64 = 3_000;
/// The longest real time (ms) one animation frame advances: a tab hidden for a while does not
/// jump ahead by the whole pause.
const MAX_FRAME_MS: f64 = 100.0;
/// Every this many frames of a playing run, the numbers people read are refreshed.
const READABLE_EVERY_FRAMES: u32 = 10;
/// The frame (modulo [`READABLE_EVERY_FRAMES`]) they are refreshed in: not one of the first
/// two of a play (the first only draws, the second advances a little).
const READABLE_FRAME: u32 = 3;
/// Every this many frames of a playing run, the run's hazards are looked for again.
const FINDINGS_EVERY_FRAMES: u32 = 15;
/// The frame (modulo [`FINDINGS_EVERY_FRAMES`]) the hazards are looked for in: never one where
/// the readable numbers are refreshed (those are 3, 8 and 13 modulo 15), so that no frame pays
/// for both.
const FINDINGS_FRAME: u32 = 7;
/// Real time (ms) one frame may spend advancing the run at most; the rest of the frame is for
/// drawing and for input, so Pause, Reset, editing and scrubbing answer at once whatever the
/// board. A frame that costs more to draw advances less ([`FrameBudget`]).
const FRAME_WORK_MS: f64 = 8.0;
/// The same for a frame that also refreshes the numbers people read (their text changes, so
/// drawing it costs more).
const READABLE_FRAME_WORK_MS: f64 = 4.0;
/// The same for the first frame of a play that advances it: the tokens start moving then.
const FIRST_FRAME_WORK_MS: f64 = 1.0;
/// Units of work (broker entries and run timers) done between two looks at the clock: small
/// enough that one chunk of the heaviest board stays well inside [`FRAME_WORK_MS`].
const WORK_CHUNK: u64 = 50;

/// The run of the board and its controls, shared by the run bar, the board and the Run tab.
#[derive(Clone, Copy)]
pub struct RunCtl {
    /// The run being shown, with its checkpoints for scrubbing.
    timeline: StoredValue<Option<Timeline>, LocalStorage>,
    /// Runs let go of and not yet freed: freed a frame's share at a time, since freeing the run
    /// of a heavy board at once would hold the page for a long moment.
    leftovers: StoredValue<Vec<Leftovers>, LocalStorage>,
    /// A moment asked for by Step or the timeline that the run is still being moved to, a
    /// frame's worth of work at a time.
    target: StoredValue<Option<u64>>,
    /// True while frames are scheduled to reach [`RunCtl::target`].
    seeking: RwSignal<bool>,
    /// The pace a playing run actually keeps, when it cannot keep the speed asked.
    pub pace: RwSignal<Option<Pace>>,
    /// Where the pace was last measured.
    pace_mark: StoredValue<Option<PaceMark>>,
    /// What drawing a frame of the playing run costs, and the time it leaves for advancing it.
    budget: StoredValue<FrameBudget>,
    /// Simulated time shown (ms); every change redraws what depends on the run.
    pub now: RwSignal<u64>,
    /// The same, updated a few times a second while playing: for numbers people read (the
    /// clock, the timeline, counters). Anything on the page that changes makes the browser
    /// paint the whole page again, which on a big board costs more than the frame: what changes
    /// every frame is drawn on canvases.
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
    /// Hazards the run has shown, kept whatever moment is shown until Reset or a board change.
    pub dynamic: RwSignal<Seen>,
    /// Why the board cannot run, when it cannot.
    pub problems: RwSignal<Vec<String>>,
    /// Each note's rectangle and kind, for drawing tokens and counters.
    geometry: Memo<HashMap<NoteId, (Rect, NoteKind)>>,
    /// How long the board's scenario runs (ms): the timeline spans it before Play too.
    duration: Memo<u64>,
    /// What "Next event" stopped at, told in the board's names.
    pub caption: RwSignal<Option<String>>,
    /// The event-log position and time of the delivery "Next event" stopped at.
    last_delivery: StoredValue<Option<(usize, u64)>>,
    /// True while "Next event" is playing the run forward to the next delivery.
    finding_next: StoredValue<bool>,
    /// Where the run stopped at its work limit (ms), once it has: the run bar says so until Reset.
    pub stopped_at: RwSignal<Option<u64>>,
    /// The status bar, where the run says why it stopped.
    status: RwSignal<String>,
    /// True while frames are scheduled to bring it there (the run shown waits meanwhile).
    catching_up: RwSignal<bool>,
    /// Why the run goes on with the board as it was, after an edit that would have changed
    /// what already ran: the run bar offers a restart.
    pub stale: RwSignal<Option<String>>,
}

impl RunCtl {
    /// A controller with no run yet, for the editor's board.
    pub fn new(ctx: Ctx) -> RunCtl {
        let seed = ctx
            .editor
            .with_untracked(|e| RunConfig::for_board(e.board()).seed);
        RunCtl {
            timeline: StoredValue::new_local(None),
            leftovers: StoredValue::new_local(Vec::new()),
            target: StoredValue::new(None),
            seeking: RwSignal::new(false),
            pace: RwSignal::new(None),
            pace_mark: StoredValue::new(None),
            budget: StoredValue::new(FrameBudget::default()),
            now: RwSignal::new(0),
            readable_now: RwSignal::new(0),
            playing: RwSignal::new(false),
            speed: RwSignal::new(1.0),
            seed: RwSignal::new(seed),
            active: RwSignal::new(false),
            chain: RwSignal::new(Vec::new()),
            dynamic: RwSignal::new(Seen::new()),
            problems: RwSignal::new(Vec::new()),
            geometry: Memo::new(move |_| ctx.board(rects)),
            duration: Memo::new(move |_| ctx.board(|b| RunConfig::for_board(b).duration_ms)),
            caption: RwSignal::new(None),
            last_delivery: StoredValue::new(None),
            finding_next: StoredValue::new(false),
            stopped_at: RwSignal::new(None),
            status: ctx.status,
            catching_up: RwSignal::new(false),
            stale: RwSignal::new(None),
        }
    }

    /// Reads the run, if there is one (tracks the time shown).
    pub fn with<T>(&self, f: impl FnOnce(&Run) -> T) -> Option<T> {
        self.now.track();
        self.with_untracked(f)
    }

    /// Reads the run for numbers people read: re-runs a few times a second while playing.
    pub fn with_readable<T>(&self, f: impl FnOnce(&Run) -> T) -> Option<T> {
        self.readable_now.track();
        self.with_untracked(f)
    }

    /// Reads the run without tracking anything (drawing on a canvas).
    pub fn with_untracked<T>(&self, f: impl FnOnce(&Run) -> T) -> Option<T> {
        self.timeline.with_value(|r| r.as_ref().map(|t| f(t.run())))
    }

    /// True while the run is being moved to a moment asked for (a long way on a heavy board).
    pub fn seeking(&self) -> bool {
        self.seeking.get()
    }

    /// The same, untracked (for code outside the reactive graph).
    pub fn seeking_untracked(&self) -> bool {
        self.seeking.get_untracked()
    }

    /// Sets the time shown, and the readable time with it.
    fn show(&self, t: u64) {
        self.now.set(t);
        self.readable_now.set(t);
    }

    /// The end of the timeline: the scenario's duration and a drain.
    pub fn end(&self) -> u64 {
        self.duration.get_untracked() + DRAIN_MS
    }

    /// The end of the timeline, re-running the caller when the board's scenario changes.
    pub fn end_tracked(&self) -> u64 {
        self.duration.get() + DRAIN_MS
    }

    /// Compiles the board into a fresh run at time 0; false (with the reasons) if it cannot run.
    fn start(&self, ctx: Ctx) -> bool {
        let board = ctx.editor.with_untracked(|e| e.board().clone());
        let mut config = RunConfig::for_board(&board);
        config.seed = self.seed.get_untracked();
        match Timeline::new(&board, config) {
            Ok(timeline) => {
                let warnings: Vec<String> = timeline
                    .run()
                    .diagnostics()
                    .iter()
                    .map(|d| d.to_string())
                    .collect();
                self.problems.set(warnings);
                self.let_go();
                self.timeline.set_value(Some(timeline));
                self.active.set(true);
                self.show(0);
                self.dynamic.set(Seen::new());
                true
            }
            Err(diagnostics) => {
                self.problems
                    .set(diagnostics.iter().map(|d| d.to_string()).collect());
                ctx.status
                    .set("The board cannot run: see the Run tab".into());
                false
            }
        }
    }

    /// Drops the run (the board changed, or Reset).
    pub fn reset(&self) {
        self.playing.set(false);
        self.let_go();
        self.target.set_value(None);
        self.pace.set(None);
        self.pace_mark.set_value(None);
        self.active.set(false);
        self.show(0);
        self.chain.set(Vec::new());
        self.dynamic.set(Seen::new());
        self.caption.set(None);
        self.last_delivery.set_value(None);
        self.stopped_at.set(None);
        live::drop_catching();
        self.stale.set(None);
    }

    /// Moves the run to `t`, forward by running, back from the nearest checkpoint; a frame's
    /// worth of work at a time, so a long way on a heavy board never freezes the page.
    pub fn seek(&self, ctx: Ctx, t: u64) {
        if !self.active.get_untracked() && !self.start(ctx) {
            return;
        }
        self.caption.set(None);
        self.target.set_value(Some(t.min(self.end())));
        if !self.seeking.get_untracked() {
            self.seek_frame();
        }
    }

    /// One frame's work towards the moment asked for; schedules the next frame until it is
    /// reached.
    fn seek_frame(&self) {
        let Some(t) = self.target.get_value() else {
            self.seeking.set(false);
            return;
        };
        if self.catching_up.get_untracked() {
            // An edit is being caught up with at the moment shown: the move waits for it.
            self.seeking.set(true);
            let ctl = *self;
            request_animation_frame(move || ctl.seek_frame());
            return;
        }
        let stepped = self.advance(t, FRAME_WORK_MS);
        if self.stop_at_limit(stepped) {
            self.target.set_value(None);
            self.seeking.set(false);
        } else if stepped.reached && self.target.get_value() == Some(t) {
            self.target.set_value(None);
            self.seeking.set(false);
            self.show(t);
            self.refresh_findings();
        } else {
            self.seeking.set(true);
            let ctl = *self;
            request_animation_frame(move || ctl.seek_frame());
        }
    }

    /// Moves the run towards `t` for at most `budget_ms` of real time.
    fn advance(&self, t: u64, budget_ms: f64) -> Stepped {
        let started = performance_now();
        let mut stepped = Stepped {
            reached: false,
            now: self.now.get_untracked(),
            work: 0,
        };
        self.timeline.update_value(|timeline| {
            let Some(timeline) = timeline.as_mut() else {
                return;
            };
            loop {
                let s = timeline.seek_within(t, WORK_CHUNK);
                stepped = Stepped {
                    work: stepped.work + s.work,
                    ..s
                };
                let at_limit = !s.reached && s.work == 0;
                if s.reached || at_limit || performance_now() - started >= budget_ms {
                    break;
                }
            }
        });
        stepped
    }

    /// Adds what the run shows now to the hazards it has shown (scrubbing back keeps them).
    fn refresh_findings(&self) {
        let ctl = *self;
        self.dynamic
            .maybe_update(|seen| ctl.with_untracked(|run| seen.update(run)).unwrap_or(false));
    }

    /// Starts playing (from the start if there is no run).
    pub fn play(&self, ctx: Ctx) {
        if !self.active.get_untracked() && !self.start(ctx) {
            return;
        }
        if self.now.get_untracked() >= self.end() {
            self.seek(ctx, 0);
        }
        self.target.set_value(None);
        self.pace_mark.set_value(None);
        self.caption.set(None);
        self.playing.set(true);
        self.budget.set_value(FrameBudget::default());
        let started = performance_now();
        frame(*self, ctx, started, 0);
    }

    /// Applies a fault now; the status bar says what happened.
    pub fn fault(&self, ctx: Ctx, fault: Fault, what: &str) {
        if !self.active.get_untracked() && !self.start(ctx) {
            return;
        }
        let mut result = Ok(());
        self.timeline.update_value(|r| {
            if let Some(timeline) = r.as_mut() {
                result = timeline.apply_fault(fault);
            }
        });
        match result {
            Ok(()) => ctx
                .status
                .set(format!("{what} at {}", seconds(self.now.get_untracked()))),
            Err(e) => ctx.status.set(e.to_string()),
        }
        let t = self.now.get_untracked();
        self.show(t);
        self.refresh_findings();
    }
}

/// One animation frame of a playing run: advance simulated time by real time × speed.
fn frame(ctl: RunCtl, ctx: Ctx, last: f64, frames: u32) {
    request_animation_frame(move || {
        if !ctl.playing.get_untracked() || !ctl.active.get_untracked() {
            ctl.pace.set(None);
            // Paused between two refreshes of the readable numbers: they show where it stopped.
            let t = ctl.now.get_untracked();
            if ctl.readable_now.get_untracked() != t {
                ctl.readable_now.set(t);
            }
            return;
        }
        let now = performance_now();
        if ctl.catching_up.get_untracked() {
            // An edit is being caught up with: the run waits where it is, and the time spent
            // waiting is not made up afterwards.
            frame(ctl, ctx, now, frames);
            return;
        }
        if frames == 0 {
            // The first frame of a play only draws what Play put on the board: the tokens'
            // canvas takes its first bitmap then, a cost of its own. The run moves from the next.
            frame(ctl, ctx, now, 1);
            return;
        }
        // A hidden tab sends no frames; do not jump ahead by the whole pause when it comes back.
        let real = (now - last).clamp(0.0, MAX_FRAME_MS);
        let step = (real * ctl.speed.get_untracked()).round().max(1.0) as u64;
        let end = ctl.end();
        // From where the run is: a board that makes more work than a frame can simulate plays
        // slower (the run bar says how fast) instead of piling up work.
        let target = (ctl.now.get_untracked() + step).min(end);
        let readable = frames % READABLE_EVERY_FRAMES == READABLE_FRAME;
        let cap = match frames {
            1 => FIRST_FRAME_WORK_MS,
            _ if readable => READABLE_FRAME_WORK_MS,
            _ => FRAME_WORK_MS,
        };
        let stepped = ctl.advance(target, ctl.budget.with_value(|b| b.work_ms(cap)));
        if ctl.stop_at_limit(stepped) {
            return;
        }
        let t = stepped.now.min(end);
        ctl.measure_pace(now);
        if readable || t >= end {
            ctl.show(t);
        } else {
            ctl.now.set(t);
        }
        if frames % FINDINGS_EVERY_FRAMES == FINDINGS_FRAME {
            ctl.refresh_findings();
        }
        // A task queued now runs once the browser has drawn this frame: the time until then is
        // what drawing cost.
        let advanced = performance_now();
        set_timeout(
            move || {
                let drawn = performance_now() - advanced;
                ctl.budget.update_value(|b| b.learn(drawn));
            },
            std::time::Duration::ZERO,
        );
        if t >= end {
            ctl.playing.set(false);
            ctl.pace.set(None);
            ctl.refresh_findings();
            ctx.status
                .set("The run is over: scrub the timeline to look back".into());
            return;
        }
        frame(ctl, ctx, now, frames + 1);
    });
}

/// A time in ms as seconds with one decimal ("1.5 s").
fn seconds(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

/// The note rectangles of the board, by id.
fn rects(board: &Board) -> HashMap<NoteId, (Rect, NoteKind)> {
    board
        .notes
        .iter()
        .map(|n| (n.id.clone(), (n.rect(), n.kind)))
        .collect()
}
