//! How fast a playing run really goes: the pace it keeps when it cannot keep the speed asked
//! (shown on the run bar), and the frame times the benchmarks read.

use super::RunCtl;
use leptos::prelude::*;

/// The real time (ms) over which the pace of a playing run is measured.
const PACE_WINDOW_MS: f64 = 500.0;
/// A run keeping less than this share of the speed asked is said to run slower on the run bar.
const BEHIND_SHARE: f64 = 0.9;

/// How fast a run that cannot keep the speed asked actually goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pace {
    /// Simulated ms per real ms.
    pub speed: f64,
    /// Units of work (events handled, timers run) per real second.
    pub work_per_s: f64,
}

/// Where the pace was last measured: real time (ms), simulated time (ms), work done.
#[derive(Clone, Copy, Debug)]
pub(super) struct PaceMark {
    real: f64,
    sim: u64,
    work: u64,
}

impl RunCtl {
    /// Measures the pace a playing run keeps; the run bar shows it when the run cannot keep the
    /// speed asked.
    pub(super) fn measure_pace(&self, real: f64) {
        let Some((sim, work)) = self.with_untracked(|run| (run.now(), run.work_done())) else {
            return;
        };
        let mark = PaceMark { real, sim, work };
        let Some(last) = self.pace_mark.get_value() else {
            self.pace_mark.set_value(Some(mark));
            return;
        };
        let elapsed = real - last.real;
        if elapsed < PACE_WINDOW_MS {
            return;
        }
        self.pace_mark.set_value(Some(mark));
        let speed = sim.saturating_sub(last.sim) as f64 / elapsed;
        let pace = (speed < self.speed.get_untracked() * BEHIND_SHARE).then(|| Pace {
            speed,
            work_per_s: work.saturating_sub(last.work) as f64 * 1000.0 / elapsed,
        });
        if self.pace.get_untracked() != pace {
            self.pace.set(pace);
        }
    }
}
