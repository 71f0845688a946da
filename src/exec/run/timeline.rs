//! A run played forward with checkpoints, so that any moment of it can be shown again
//! without re-running from the start, in bounded steps.
//!
//! A checkpoint is a clone of the run. Clones share the recorded history (event log, hops,
//! messages, lag samples, the broker's log segments: see [`super::History`]) and the state
//! kept per partition and per entity, in shards copied when written, so one costs a few
//! hundred pointers whatever the board and however long the run. Checkpoints are taken every
//! `spacing` units of work (not of simulated time, so a heavy board gets them as often as a
//! light one). When there are more than [`MAX_CHECKPOINTS`], the one whose neighbours are
//! closest goes (one at a time, so no step pays for dropping many), and the spacing grows with
//! the run so that the checkpoints stay about evenly spread. So memory stays bounded and
//! showing a moment costs a bounded share of the run's work. A checkpoint dropped (or the run
//! shown, replaced by a checkpoint) is freed a piece at a time as the timeline works on (see
//! `debris`).
//!
//! Faults go through the timeline: they are recorded where they were made and made again at the
//! same point when the run is played from an earlier checkpoint. A fault made at an earlier
//! moment than the furthest one played rewrites what follows: faults recorded after it and the
//! checkpoints after it are dropped.

use super::{clock::Journal, debris::Debris, Run, Stepped};
use crate::{
    exec::{compile, Diagnostic, Fault, FaultError, RunConfig},
    model::{Board, NoteId},
};

/// Checkpoints kept at most (the run's start included).
pub const MAX_CHECKPOINTS: usize = 32;
/// Units of work between two checkpoints at first (about 10 ms of work natively).
pub const FIRST_SPACING: u64 = 10_000;
/// Units of work a timeline's run does at most. What a run records (event log, hops, messages,
/// the broker's logs) grows with its work, a few hundred bytes a unit, and a browser tab holds a
/// few gigabytes at most: past this the run stops and says why, rather than the tab running out
/// of memory. An hour of the sample board is about 1 % of it; the heaviest board the limits
/// allow gets about two minutes.
pub const MAX_RUN_WORK: u64 = 2_000_000;

/// A timeline let go of ([`Timeline::into_leftovers`]), freed a piece at a time.
#[derive(Debug)]
pub struct Leftovers(Debris);

impl Leftovers {
    /// Frees up to `pieces` pieces (each a shard of partitions or maps, or a chunk of a recorded
    /// list); false once nothing is left.
    pub fn free(&mut self, pieces: u64) -> bool {
        self.0.free_pieces(pieces)
    }
}

/// A run that can be moved to any moment, forward or back, a bounded amount of work at a time.
#[derive(Clone, Debug)]
pub struct Timeline {
    /// The run at the moment shown.
    current: Run,
    /// Snapshots of the run in order of work done; the first is the run at its start.
    checkpoints: Vec<Run>,
    /// Units of work between two checkpoints.
    spacing: u64,
    /// Faults of the timeline in the order they were made; the journal of the current run and
    /// of every checkpoint is a start of it.
    journal: Vec<Journal>,
    /// Runs let go of (checkpoints dropped, runs replaced by a checkpoint), freed a piece at a
    /// time as work is done.
    debris: Debris,
    /// Units of work the run does at most ([`MAX_RUN_WORK`] unless set).
    work_limit: u64,
}

impl Timeline {
    /// A timeline of a new run of the board (the diagnostics that stop a run as errors).
    pub fn new(board: &Board, config: RunConfig) -> Result<Timeline, Vec<Diagnostic>> {
        Ok(Timeline::starting(Run::new(board, config)?))
    }

    /// A timeline of a run at its start.
    fn starting(run: Run) -> Timeline {
        Timeline {
            checkpoints: vec![run.clone()],
            current: run,
            spacing: FIRST_SPACING,
            journal: Vec::new(),
            debris: Debris::default(),
            work_limit: MAX_RUN_WORK,
        }
    }

    /// A timeline of an edited board, with this run's settings (its seed; the board's scenario
    /// duration), that makes the faults this one made at the same points; and the consumers the
    /// edit drew (groups of the edited board this run has not), held off the broker. Seek it to
    /// the moment shown here: when it [`Timeline::agrees_with`] this one, the edit changed
    /// nothing that already ran and the run can go on from there on the edited board, the
    /// consumers drawn started there (`Fault::StartConsumer`).
    pub fn edited(&self, board: &Board) -> Result<(Timeline, Vec<NoteId>), Vec<Diagnostic>> {
        let plan = compile(board);
        let shown = &self.current.plan;
        let drawn: Vec<NoteId> = plan
            .groups
            .iter()
            .map(|g| g.note.clone())
            .filter(|n| shown.group_of(n).is_none())
            .collect();
        let fresh = RunConfig::for_board(board);
        let mut config = self.current.config.clone();
        config.duration_ms = fresh.duration_ms;
        for n in fresh.late.into_iter().chain(drawn.iter().cloned()) {
            if !config.late.contains(&n) {
                config.late.push(n);
            }
        }
        let mut edited = Timeline::starting(Run::with_plan(board, plan, config)?);
        edited.journal = self.journal.clone();
        edited.work_limit = self.work_limit;
        Ok((edited, drawn))
    }

    /// True when both runs stand at the same moment having done the same: the same units of
    /// work, commands and event log (messages, notes and times). An edited board's run that
    /// agrees with the run shown showed nothing different so far.
    pub fn agrees_with(&self, other: &Timeline) -> bool {
        let (a, b) = (&self.current, &other.current);
        (a.now, a.work, a.commands, a.hash, a.settled)
            == (b.now, b.work, b.commands, b.hash, b.settled)
    }

    /// The same timeline stopping its run after `units` units of work.
    pub fn with_work_limit(mut self, units: u64) -> Timeline {
        self.work_limit = units;
        self
    }

    /// Units of work the run does at most.
    pub fn work_limit(&self) -> u64 {
        self.work_limit
    }

    /// True when the run has done all the work it may: it goes no further (earlier moments can
    /// still be shown).
    pub fn at_work_limit(&self) -> bool {
        self.current.work >= self.work_limit
    }

    /// The same timeline taking its checkpoints every `units` units of work at first (at
    /// least 1; the spacing still doubles when the checkpoints are too many).
    pub fn with_spacing(mut self, units: u64) -> Timeline {
        self.spacing = units.max(1);
        self
    }

    /// The run at the moment shown.
    pub fn run(&self) -> &Run {
        &self.current
    }

    /// The run at the moment shown, the timeline dropped.
    pub fn into_run(self) -> Run {
        self.current
    }

    /// Checkpoints held (the run's start included).
    pub fn checkpoints(&self) -> usize {
        self.checkpoints.len()
    }

    /// Units of work between two checkpoints now.
    pub fn spacing(&self) -> u64 {
        self.spacing
    }

    /// Moves the run to `t` (ms), forward or back, with no bound on the work.
    pub fn seek(&mut self, t: u64) {
        self.seek_within(t, u64::MAX);
    }

    /// Moves the run towards `t` (ms) doing at most `budget` units of work: from the latest
    /// checkpoint at or before `t` when that is closer (or `t` is behind the run), then forward,
    /// taking checkpoints on the way. Call it again with the same `t` to go on; the result is
    /// the run a single uninterrupted play to `t` would give, faults included. A run at its
    /// work limit goes no further: the step does no work and does not reach `t`
    /// ([`Timeline::at_work_limit`]).
    pub fn seek_within(&mut self, t: u64, budget: u64) -> Stepped {
        self.restore(t);
        let budget = budget.min(self.work_limit.saturating_sub(self.current.work));
        let mut done = 0;
        loop {
            let next = self
                .checkpoints
                .last()
                .map_or(0, Run::work_done)
                .saturating_add(self.spacing);
            if self.current.work >= next {
                self.keep_checkpoint();
                continue;
            }
            let cap = next - self.current.work;
            let step = self
                .current
                .replay_within(&self.journal, t, (budget - done).min(cap));
            done += step.work;
            self.debris.free(step.work);
            if step.reached || done >= budget || step.work == 0 {
                if self.current.work >= next {
                    self.keep_checkpoint();
                }
                return Stepped { work: done, ..step };
            }
        }
    }

    /// Applies a fault at the moment shown (see [`Run::apply_fault`]); what was recorded after
    /// this moment is dropped once the run journals the call (even when the fault then fails:
    /// a call journaled is replayed, and the timeline's journal must hold it too).
    pub fn apply_fault(&mut self, fault: Fault) -> Result<(), FaultError> {
        let before = self.current.journal.len();
        let made = self.current.apply_fault(fault);
        self.rewrite_from(before);
        made
    }

    /// Schedules a fault at `at` (ms) from the moment shown (see [`Run::schedule_fault`]); what
    /// was recorded after this moment is dropped once the run journals the call.
    pub fn schedule_fault(&mut self, at: u64, fault: Fault) -> Result<(), FaultError> {
        let before = self.current.journal.len();
        let made = self.current.schedule_fault(at, fault);
        self.rewrite_from(before);
        made
    }

    /// The timeline let go of, to be freed a piece at a time: at once, the run of a heavy board
    /// and its checkpoints take a long moment to free (over half a second at the work limit).
    pub fn into_leftovers(self) -> Leftovers {
        let mut debris = self.debris;
        debris.bury_all(self.current);
        for checkpoint in self.checkpoints {
            debris.bury_all(checkpoint);
        }
        Leftovers(debris)
    }

    /// Bytes the checkpoints hold on their own in their recorded history (what they do not
    /// share with the current run or each other), a lower bound of what they cost.
    pub fn checkpoint_history_bytes(&self) -> usize {
        self.checkpoints.iter().map(Run::history_bytes).sum()
    }

    /// Starts again from the latest checkpoint at or before `t` when the run is past `t` or
    /// the checkpoint is ahead of it.
    fn restore(&mut self, t: u64) {
        let after = self.checkpoints.partition_point(|c| c.now() <= t);
        let Some(cp) = after.checked_sub(1).and_then(|i| self.checkpoints.get(i)) else {
            return;
        };
        if self.current.now() > t || cp.work > self.current.work {
            let left = std::mem::replace(&mut self.current, cp.clone());
            self.debris.bury(left);
        }
    }

    /// Keeps the current run as a checkpoint; past the limit, the one whose neighbours are
    /// closest goes (never the start nor the newest), and the spacing keeps up with the run.
    fn keep_checkpoint(&mut self) {
        self.checkpoints.push(self.current.clone());
        if self.checkpoints.len() > MAX_CHECKPOINTS {
            let work: Vec<u64> = self.checkpoints.iter().map(Run::work_done).collect();
            let closest = (1..work.len() - 1)
                .min_by_key(|&i| (work[i + 1] - work[i - 1], i))
                .unwrap_or(1);
            let gone = self.checkpoints.remove(closest);
            self.debris.bury(gone);
        }
        let even = self.current.work / (MAX_CHECKPOINTS as u64 / 2);
        self.spacing = self.spacing.max(even);
    }

    /// After a fault made at the current run's point: the journal keeps what came before and
    /// the new call; checkpoints past this point, or that saw dropped calls, go. A call the run
    /// refused (it journaled nothing) changes nothing.
    fn rewrite_from(&mut self, before: usize) {
        if self.current.journal.len() == before {
            return;
        }
        self.journal.truncate(before);
        self.journal.extend(
            self.current
                .journal
                .get(before..)
                .unwrap_or_default()
                .iter()
                .cloned(),
        );
        let work = self.current.work;
        let (kept, gone) = std::mem::take(&mut self.checkpoints)
            .into_iter()
            .partition(|c| c.work <= work && c.journal.len() <= before);
        self.checkpoints = kept;
        for c in gone {
            self.debris.bury(c);
        }
    }
}
