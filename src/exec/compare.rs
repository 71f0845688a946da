//! Compare mode: one point-of-sale domain built two ways, a synchronous request chain
//! (API → Inventory → Payment → Logistics) and events on a topic, run under the same load,
//! seed and Logistics fault, to show a cascade on one side and buffered lag on the other.
//!
//! The defaults make the argument out of the box: one Logistics consumer has only a little
//! more capacity than the orders need, so the backlog of an outage outlasts the run with one
//! consumer and drains within seconds with more, while the chain fails every order meanwhile.

mod boards;
mod series;
#[cfg(test)]
mod tests;

pub use boards::{event_board, request_board};
pub use series::{Sample, SideResult};

use super::{Diagnostic, Fault, FaultError, Run, RunConfig};
use crate::model::NoteId;
use std::fmt;

/// What goes wrong with Logistics during the comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareFault {
    /// Logistics answers [`SLOW_EXTRA_MS`] later than usual.
    LogisticsSlow,
    /// Logistics does not answer at all.
    LogisticsDown,
}

/// The settings shared by both sides.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CompareSettings {
    /// Orders placed per second.
    pub orders_per_s: f64,
    /// Logistics' time to handle one order (ms), on both sides.
    pub logistics_ms: u64,
    /// The fault, from [`FAULT_START_MS`] for [`FAULT_MS`].
    pub fault: CompareFault,
    /// Consumers in the event side's Logistics group (1 to the topic's partitions).
    pub logistics_consumers: u32,
    /// Seed of both runs.
    pub seed: u64,
}

/// Orders per second by default: a busy shop, just under what one Logistics consumer ships.
pub const DEFAULT_ORDERS_PER_S: f64 = 10.0;
/// Logistics' time per order by default (ms): one consumer ships about 1000 / (this + its
/// own few ms) ≈ 12 orders a second, a little more than [`DEFAULT_ORDERS_PER_S`], so it keeps
/// up in normal times but drains an outage's backlog only by about 2 orders a second; six
/// consumers ship about 70 a second and drain it in a second or two.
pub const DEFAULT_LOGISTICS_MS: u64 = 80;

impl Default for CompareSettings {
    fn default() -> Self {
        CompareSettings {
            orders_per_s: DEFAULT_ORDERS_PER_S,
            logistics_ms: DEFAULT_LOGISTICS_MS,
            fault: CompareFault::LogisticsDown,
            logistics_consumers: 1,
            seed: 42,
        }
    }
}

/// How long both sides run (ms).
pub const DURATION_MS: u64 = 20_000;
/// When the fault starts (ms).
pub const FAULT_START_MS: u64 = 3_000;
/// How long the fault lasts (ms).
pub const FAULT_MS: u64 = 5_000;
/// How much later a slow Logistics answers (ms).
pub const SLOW_EXTRA_MS: u64 = 800;
/// Partitions of the event side's orders topic: the most Logistics consumers that can share
/// the work.
pub const PARTITIONS: u32 = 6;
/// Time between two samples of a side (ms).
pub const SAMPLE_MS: u64 = 100;

/// Why a comparison could not run (a bug in the boards above, never the user's input).
#[derive(Clone, Debug, PartialEq)]
pub enum CompareError {
    /// A board did not compile.
    Board(Vec<Diagnostic>),
    /// The fault was refused.
    Fault(FaultError),
}

impl fmt::Display for CompareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompareError::Board(d) => {
                write!(f, "the comparison board cannot run: ")?;
                for (i, d) in d.iter().enumerate() {
                    write!(f, "{}{d}", if i > 0 { "; " } else { "" })?;
                }
                Ok(())
            }
            CompareError::Fault(e) => write!(f, "the comparison's fault was refused: {e}"),
        }
    }
}

/// Both sides, under the same load and fault.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The synchronous request chain.
    pub request: SideResult,
    /// The event-based flow.
    pub event: SideResult,
}

fn fault(s: &CompareSettings) -> Fault {
    let note = NoteId::from("logistics");
    match s.fault {
        CompareFault::LogisticsSlow => Fault::SlowSystem {
            note,
            extra_ms: SLOW_EXTRA_MS,
            for_ms: Some(FAULT_MS),
        },
        CompareFault::LogisticsDown => Fault::SystemDown {
            note,
            for_ms: Some(FAULT_MS),
        },
    }
}

/// Runs one side's board to the end under the settings' seed and fault.
fn run(board: &crate::model::Board, s: &CompareSettings) -> Result<Run, CompareError> {
    let mut config = RunConfig::for_board(board);
    config.seed = s.seed;
    let mut run = Run::new(board, config).map_err(CompareError::Board)?;
    run.schedule_fault(FAULT_START_MS, fault(s))
        .map_err(CompareError::Fault)?;
    run.step_until(DURATION_MS);
    Ok(run)
}

/// Runs both sides under the same settings.
pub fn compare(s: &CompareSettings) -> Result<Comparison, CompareError> {
    let command = NoteId::from("place-order");
    let request = run(&request_board(s), s)?;
    let event = run(&event_board(s), s)?;
    let ship = NoteId::from("ship");
    Ok(Comparison {
        request: series::read(&request, &command, &command, None),
        event: series::read(&event, &command, &ship, Some(&ship)),
    })
}

/// A chart axis from 0: its top and the step between labelled ticks, round numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Axis {
    /// The value at the top of the chart.
    pub top: u64,
    /// The step between two ticks.
    pub step: u64,
}

/// The most steps between 0 and the top of an axis.
const MAX_STEPS: u64 = 5;
/// The lowest top of an axis, so that a chart of nothing still has a few orders of height.
const MIN_TOP: u64 = 5;

impl Axis {
    /// The smallest round axis (steps of 1, 2 or 5 × 10ⁿ, at most [`MAX_STEPS`] of them)
    /// that holds `max`.
    pub fn holding(max: u64) -> Axis {
        let max = max.max(MIN_TOP);
        let mut unit = 1u64;
        loop {
            for step in [unit, unit.saturating_mul(2), unit.saturating_mul(5)] {
                let steps = max.div_ceil(step);
                if steps <= MAX_STEPS {
                    return Axis {
                        top: steps.saturating_mul(step),
                        step,
                    };
                }
            }
            unit = unit.saturating_mul(10);
        }
    }

    /// The labelled values, from 0 to the top.
    pub fn ticks(&self) -> impl Iterator<Item = u64> + '_ {
        (0..=self.top / self.step.max(1)).map(|i| i * self.step)
    }
}

impl Comparison {
    /// The one axis both sides' charts share, so that taller means more on either side.
    pub fn axis(&self) -> Axis {
        Axis::holding(self.request.largest().max(self.event.largest()))
    }
}
