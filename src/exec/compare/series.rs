//! What one side of the comparison did, moment by moment: orders taken and failed so far,
//! customers waiting for an answer, Logistics' lag, orders shipped, the longest wait so far.

use super::{DURATION_MS, SAMPLE_MS};
use crate::collections::HashMap;
use crate::exec::{ExecEventKind, Run};
use crate::model::NoteId;

/// One side at one moment of the comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Sample {
    /// Simulated time (ms).
    pub at: u64,
    /// Orders the customer has seen accepted so far.
    pub taken: u64,
    /// Orders the customer has seen fail so far.
    pub failed: u64,
    /// Customers waiting for an answer at this moment.
    pub waiting: u64,
    /// Orders waiting in the topic for Logistics (its group's lag; none in a request chain).
    pub lag: u64,
    /// Orders Logistics has shipped so far.
    pub shipped: u64,
    /// The longest a customer has waited for an answer so far (ms).
    pub worst_wait_ms: u64,
}

impl Sample {
    /// Orders waiting at this moment, whoever waits: a customer, or the order in the topic.
    pub fn queued(&self) -> u64 {
        self.waiting + self.lag
    }
}

/// What one side did over the whole comparison.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SideResult {
    /// Orders the customer saw accepted.
    pub accepted: u64,
    /// Orders the customer saw fail.
    pub failed: u64,
    /// The most orders waiting at once (customers waiting plus Logistics' lag).
    pub peak: u64,
    /// Orders Logistics has shipped by the end.
    pub shipped: u64,
    /// The longest a customer waited for an answer to an order (ms).
    pub worst_wait_ms: u64,
    /// The side every [`SAMPLE_MS`], from 0 to [`DURATION_MS`] included.
    pub samples: Vec<Sample>,
}

impl SideResult {
    /// The side at a moment (the last sample at or before it; the end after the end).
    pub fn at(&self, ms: u64) -> Sample {
        let i = (ms / SAMPLE_MS) as usize;
        self.samples
            .get(i.min(self.samples.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    }

    /// The largest of the plotted quantities (orders waiting, failed so far) over the run.
    pub fn largest(&self) -> u64 {
        self.samples
            .iter()
            .map(|s| s.queued().max(s.failed))
            .max()
            .unwrap_or(0)
    }
}

/// How often one thing happened at each sample time, counted from the start.
struct Tally {
    counts: Vec<u64>,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            counts: vec![0; samples()],
        }
    }

    /// Something happened at `at`: it counts from the first sample at or after it.
    fn add(&mut self, at: u64) {
        if let Some(slot) = self.counts.get_mut(at.div_ceil(SAMPLE_MS) as usize) {
            *slot += 1;
        }
    }

    /// The running totals.
    fn cumulative(mut self) -> Vec<u64> {
        let mut sum = 0;
        for c in &mut self.counts {
            sum += *c;
            *c = sum;
        }
        self.counts
    }
}

/// Samples from 0 to [`DURATION_MS`] included.
fn samples() -> usize {
    (DURATION_MS / SAMPLE_MS) as usize + 1
}

/// Reads a finished run of either side: the customer's `command`, the Logistics work done by
/// `shipper` (a consumer on the event side; the command itself in a chain, which ships before
/// it answers) and the lag of `lagging` (the Logistics consumer, when there is one).
pub(super) fn read(
    run: &Run,
    command: &NoteId,
    shipper: &NoteId,
    lagging: Option<&NoteId>,
) -> SideResult {
    let (mut issued, mut taken, mut failed, mut shipped) =
        (Tally::new(), Tally::new(), Tally::new(), Tally::new());
    let mut worst = vec![0u64; samples()];
    let mut placed = HashMap::default();
    for e in run.events() {
        let Some(m) = e.message else { continue };
        let answered = match e.kind {
            ExecEventKind::CommandIssued if &e.note == command => {
                issued.add(e.at);
                placed.insert(m, e.at);
                false
            }
            ExecEventKind::CommandHandled if &e.note == command => {
                taken.add(e.at);
                true
            }
            ExecEventKind::CommandRejected { .. } if &e.note == command => {
                failed.add(e.at);
                true
            }
            _ => false,
        };
        if answered {
            if let Some(since) = placed.remove(&m) {
                if let Some(slot) = worst.get_mut(e.at.div_ceil(SAMPLE_MS) as usize) {
                    *slot = (*slot).max(e.at - since);
                }
            }
        }
        let shipping = matches!(e.kind, ExecEventKind::Processed)
            || (shipper == command && matches!(e.kind, ExecEventKind::CommandHandled));
        if shipping && &e.note == shipper {
            shipped.add(e.at);
        }
    }
    let mut measured = vec![None; samples()];
    if let Some(note) = lagging {
        for s in run.lag_series(note) {
            if let Some(slot) = measured.get_mut(s.at.div_ceil(SAMPLE_MS) as usize) {
                *slot = Some(s.lag);
            }
        }
    }
    // Between two measurements the lag is the last one measured.
    let lag: Vec<u64> = measured
        .iter()
        .scan(0, |last, m| {
            *last = m.unwrap_or(*last);
            Some(*last)
        })
        .collect();
    let (issued, taken, failed, shipped) = (
        issued.cumulative(),
        taken.cumulative(),
        failed.cumulative(),
        shipped.cumulative(),
    );
    let mut longest = 0;
    let samples: Vec<Sample> = (0..samples())
        .map(|i| {
            longest = longest.max(worst[i]);
            Sample {
                at: i as u64 * SAMPLE_MS,
                taken: taken[i],
                failed: failed[i],
                waiting: issued[i].saturating_sub(taken[i] + failed[i]),
                lag: lag[i],
                shipped: shipped[i],
                worst_wait_ms: longest,
            }
        })
        .collect();
    let end = samples.last().copied().unwrap_or_default();
    SideResult {
        accepted: end.taken,
        failed: end.failed,
        peak: samples.iter().map(Sample::queued).max().unwrap_or(0),
        shipped: end.shipped,
        worst_wait_ms: end.worst_wait_ms,
        samples,
    }
}
