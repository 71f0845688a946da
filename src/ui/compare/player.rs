//! The comparison's clock: plays the simulated time so that both sides are drawn up to "now",
//! with play/pause, replay and a scrubber (their controls are in the dialog's HTML).

use crate::exec::compare::DURATION_MS;
use crate::ui::dom::performance_now;
use leptos::prelude::*;

/// Simulated milliseconds per real millisecond: the whole comparison plays in 10 s.
const SPEED: f64 = 2.0;
/// The most real time one frame may account for (ms): a hidden tab sends no frames, and the
/// clock must not jump by the whole pause when it comes back.
const MAX_FRAME_MS: f64 = 100.0;

/// The clock of the comparison.
#[derive(Clone, Copy)]
pub struct Player {
    now: RwSignal<u64>,
    playing: RwSignal<bool>,
    /// Bumped by every start, so that only the latest loop of frames keeps going.
    generation: StoredValue<u64>,
}

impl Player {
    /// A stopped clock at 0.
    pub fn stopped() -> Player {
        Player {
            now: RwSignal::new(0),
            playing: RwSignal::new(false),
            generation: StoredValue::new(0),
        }
    }

    /// The clock's time (ms of simulated time).
    pub fn now_signal(&self) -> Signal<u64> {
        self.now.into()
    }

    /// Plays from the start.
    pub fn replay(&self) {
        self.now.set(0);
        self.play();
    }

    /// Plays from where the clock is (from the start when it is at the end).
    pub fn play(&self) {
        if self.now.get_untracked() >= DURATION_MS {
            self.now.set(0);
        }
        self.playing.set(true);
        self.generation.update_value(|g| *g += 1);
        let generation = self.generation.get_value();
        self.frame(generation, performance_now());
    }

    /// Stops the clock where it is.
    pub fn pause(&self) {
        self.playing.set(false);
        self.generation.update_value(|g| *g += 1);
    }

    /// True while the clock plays (tracked).
    pub fn playing(&self) -> bool {
        self.playing.get()
    }

    /// Pauses when playing, else plays.
    pub fn toggle(&self) {
        if self.playing.get_untracked() {
            self.pause();
        } else {
            self.play();
        }
    }

    /// Pauses at a moment.
    pub fn seek(&self, ms: u64) {
        self.pause();
        self.now.set(ms.min(DURATION_MS));
    }

    /// One animation frame: the clock moves by the real time since the last one × [`SPEED`].
    fn frame(self, generation: u64, last: f64) {
        request_animation_frame(move || {
            if self.generation.try_get_value() != Some(generation) {
                return;
            }
            let now = performance_now();
            let step = ((now - last).clamp(0.0, MAX_FRAME_MS) * SPEED).round() as u64;
            let t = (self.now.get_untracked() + step).min(DURATION_MS);
            self.now.set(t);
            if t >= DURATION_MS {
                self.playing.set(false);
            } else {
                self.frame(generation, now);
            }
        });
    }
}
