//! Runs the timeline lets go of (a checkpoint dropped, the run shown replaced by an earlier
//! one), freed a piece at a time as the timeline works.
//!
//! What a checkpoint holds on its own is spread over thousands of allocations on a big board
//! (every partition's latest records, every shard of the maps written since the checkpoint
//! before it); freeing them at once took milliseconds in one step. The run is broken into
//! pieces (a shard of partitions, a group of map shards), and each step frees pieces in
//! proportion to the work it did.

use super::{Run, MAX_CHECKPOINTS};
use std::{collections::VecDeque, fmt, iter};

/// Units of work per piece freed: a chunk of work frees a few dozen pieces, and the pieces of
/// a run let go are gone well before the next checkpoint.
const UNITS_PER_PIECE: u64 = 4;
/// Runs let go that wait to be freed at most (a fault made early drops every checkpoint after
/// it); past that the oldest is freed at once, so memory stays bounded whatever the calls.
const MAX_WAITING: usize = MAX_CHECKPOINTS;

/// Something freed a piece at a time.
trait Pieces {
    /// Frees one piece; false when none was left.
    fn free_one(&mut self) -> bool;
}

impl<I: Iterator> Pieces for I {
    fn free_one(&mut self) -> bool {
        self.next().is_some()
    }
}

/// A run's parts, each freed a piece at a time.
type Parts = Vec<Box<dyn Pieces>>;

/// Runs let go and not yet freed, oldest first.
#[derive(Default)]
pub(super) struct Debris {
    /// Per run let go: its parts.
    runs: VecDeque<Parts>,
}

impl Debris {
    /// Takes a run to free later.
    pub(super) fn bury(&mut self, run: Run) {
        self.runs.push_back(run.into_parts());
        while self.runs.len() > MAX_WAITING {
            self.runs.pop_front();
        }
    }

    /// Takes a run to free later, however many wait (a whole timeline let go).
    pub(super) fn bury_all(&mut self, run: Run) {
        self.runs.push_back(run.into_parts());
    }

    /// Frees the pieces `work` units of work pay for (at least one when any is left).
    pub(super) fn free(&mut self, work: u64) {
        self.free_pieces(work.div_ceil(UNITS_PER_PIECE).max(1));
    }

    /// Frees up to `n` pieces; false once nothing is left.
    pub(super) fn free_pieces(&mut self, mut n: u64) -> bool {
        while n > 0 {
            let Some(parts) = self.runs.front_mut() else {
                return false;
            };
            let Some(part) = parts.last_mut() else {
                self.runs.pop_front();
                continue;
            };
            if part.free_one() {
                n -= 1;
            } else {
                parts.pop();
            }
        }
        !self.runs.is_empty()
    }

    /// Runs let go and not yet freed.
    #[cfg(test)]
    fn waiting(&self) -> usize {
        self.runs.len()
    }
}

impl Clone for Debris {
    /// A clone of a timeline has nothing to free.
    fn clone(&self) -> Self {
        Debris::default()
    }
}

impl fmt::Debug for Debris {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Debris({} runs)", self.runs.len())
    }
}

impl Run {
    /// The run broken into parts freed a piece at a time: the broker's partitions a shard at a
    /// time, the offsets a shard at a time, the maps a group of shards at a time; the rest in a
    /// few pieces.
    fn into_parts(self) -> Parts {
        let Run {
            mut cluster,
            offsets,
            groups,
            agg_versions,
            loops,
            compensated,
            events,
            hops,
            msgs,
            ..
        } = self;
        let mut parts: Parts = Vec::new();
        for topic in std::mem::take(&mut cluster.topics) {
            parts.push(Box::new(topic.partitions.into_shards()));
        }
        parts.push(Box::new(iter::once(cluster)));
        for topic in offsets {
            parts.push(Box::new(topic.into_shards()));
        }
        for group in groups {
            parts.push(Box::new(group.versions.into_groups()));
            parts.push(Box::new(group.applied.into_chunks().into_iter()));
            parts.push(Box::new(group.lag.into_chunks().into_iter()));
            parts.push(Box::new(iter::once(group.progress)));
        }
        parts.push(Box::new(agg_versions.into_groups()));
        parts.push(Box::new(loops.into_groups()));
        parts.push(Box::new(compensated.into_groups()));
        parts.push(Box::new(events.into_chunks().into_iter()));
        parts.push(Box::new(hops.into_chunks().into_iter()));
        parts.push(Box::new(msgs.into_chunks().into_iter()));
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{exec::RunConfig, model::sample::sample};

    #[test]
    fn a_run_let_go_is_freed_as_work_is_done_and_few_wait() {
        let mut run = Run::new(&sample(), RunConfig::default()).unwrap();
        run.step_until(2_000);
        let mut debris = Debris::default();
        debris.bury(run.clone());
        assert_eq!(debris.waiting(), 1);
        debris.free(UNITS_PER_PIECE);
        assert_eq!(debris.waiting(), 1, "one piece is not the whole run");
        debris.free(10_000);
        assert_eq!(debris.waiting(), 0);
        for _ in 0..MAX_WAITING + 3 {
            debris.bury(run.clone());
        }
        assert_eq!(debris.waiting(), MAX_WAITING);
        assert_eq!(debris.clone().waiting(), 0);
    }
}
