//! Faults: checked, journaled (so [`Run::state_at`] can replay them), and applied.

use super::{
    clock::{Action, Journal, Stepped},
    record::Entry,
    History, RecordAt, Run,
};
use crate::{
    broker::{MemberId, SeekTo},
    exec::{
        ix::{GroupIx, NoteIx, TopicIx},
        Diagnostic, ExecEventKind, Fault, FaultError, Problem, SignKind,
    },
    model::{props::Delivery, NoteId, NoteKind, ResetTo},
};

/// A poison message is about one of this many keys, drawn at random.
const POISON_ENTITIES: u64 = 100;

impl Run {
    /// Applies a fault now.
    pub fn apply_fault(&mut self, fault: Fault) -> Result<(), FaultError> {
        self.validate(&fault)?;
        self.check_started(&fault)?;
        self.journal.push(Journal::Apply {
            at: self.position(),
            fault: fault.clone(),
        });
        self.fire(fault)
    }

    /// Schedules a fault at time `at` (ms; now if already past).
    pub fn schedule_fault(&mut self, at: u64, fault: Fault) -> Result<(), FaultError> {
        self.validate(&fault)?;
        self.journal.push(Journal::Schedule {
            at: self.position(),
            when: at,
            fault: fault.clone(),
        });
        self.schedule(at.max(self.now), Action::Fault(fault));
        Ok(())
    }

    /// Schedules the faults of the board's scenario, part of the run from its start (so not
    /// journaled: every run of the board makes them). One that cannot apply to this board is
    /// left out with a warning saying why.
    pub(super) fn schedule_scenario_faults(&mut self) {
        let faults = self.board.scheduled_faults().to_vec();
        for scheduled in faults {
            match self.validate(&scheduled.fault) {
                Ok(()) => self.schedule(scheduled.at_ms, Action::Fault(scheduled.fault)),
                Err(e) => {
                    let notes = scheduled.fault.note().cloned().into_iter().collect();
                    let problem = Problem::FaultLeftOut {
                        at_ms: scheduled.at_ms,
                        fault: scheduled.fault.name(),
                        reason: e.to_string(),
                    };
                    self.plan
                        .diagnostics
                        .push(Diagnostic::warning(notes, problem));
                }
            }
        }
    }

    /// The run as it was (or will be) at time `t`: a deterministic re-run from the seed with the
    /// same faults at the same moments.
    pub fn state_at(&self, t: u64) -> Result<Run, Vec<Diagnostic>> {
        let mut run = Run::new(&self.board, self.config.clone())?;
        run.replay_within(&self.journal, t, u64::MAX);
        Ok(run)
    }

    /// Faults applied and scheduled so far (how many).
    pub fn faults_journaled(&self) -> usize {
        self.journal.len()
    }

    /// Steps towards `t` with at most `budget` units of work, making the calls of `journal`
    /// (a journal this run's own is the start of) at the points of the run where they were
    /// made first, so the run goes on as the one that journaled them. Calls made after `t`
    /// wait for a later step.
    pub(super) fn replay_within(&mut self, journal: &[Journal], t: u64, budget: u64) -> Stepped {
        let mut work = 0;
        while let Some(j) = journal.get(self.journal.len()) {
            let at = j.position();
            if at.at > t {
                break;
            }
            let need = at.work.saturating_sub(self.work);
            if need > 0 {
                let left = budget - work;
                // Exactly the units done before the call, then the clocks as they stood.
                let s = self.step_core(at.at, need.min(left), false);
                work += s.work;
                if self.work < at.work {
                    if s.work == 0 && left > 0 {
                        // Nothing left to do before the call: the journal is not this run's.
                        self.journal.push(j.clone());
                        continue;
                    }
                    return Stepped {
                        reached: false,
                        now: self.now,
                        work,
                    };
                }
            }
            if !at.settled {
                self.settled = false;
            } else if !(self.settled && self.now == at.at) {
                self.settle(at.at);
            }
            let before = self.journal.len();
            let _ = match j {
                Journal::Apply { fault, .. } => self.apply_fault(fault.clone()),
                Journal::Schedule { when, fault, .. } => self.schedule_fault(*when, fault.clone()),
            };
            if self.journal.len() == before {
                // Keep the journal in step even when the call no longer applies. A call that
                // was journaled and then failed (adding no partitions, say) is in it already:
                // a second copy would skip the call after it.
                self.journal.push(j.clone());
            }
        }
        let s = self.step_core(t, budget - work, true);
        Stepped {
            work: work + s.work,
            ..s
        }
    }

    /// The group of a consuming note.
    fn consumer(&self, note: &NoteId) -> Result<GroupIx, FaultError> {
        let i = self
            .plan
            .ix(note)
            .ok_or_else(|| FaultError::UnknownNote(note.clone()))?;
        self.plan
            .group_ix(i)
            .ok_or_else(|| FaultError::NotAConsumer(note.clone()))
    }

    /// The group of a read model.
    fn view(&self, note: &NoteId) -> Result<GroupIx, FaultError> {
        let g = self.consumer(note)?;
        if self.plan.kinds[self.plan.group(g).ix.index()] != NoteKind::ReadModel {
            return Err(FaultError::NotAView(note.clone()));
        }
        Ok(g)
    }

    /// Moves a group's position on every partition its running instances own, as a reset of
    /// its offsets does: later records are read again (or skipped) from there.
    fn reset_offsets(&mut self, note: &NoteId, to: ResetTo) -> Result<(), FaultError> {
        let g = self.consumer(note)?;
        let name = self.plan.group(g).name.clone();
        let seek = match to {
            ResetTo::Earliest => SeekTo::Earliest,
            ResetTo::Latest => SeekTo::Latest,
            ResetTo::Offset(o) => SeekTo::Offset(o),
            ResetTo::Time(t) => SeekTo::Timestamp(t),
        };
        let members = self
            .cluster
            .live_members(&name)
            .map_err(FaultError::Broker)?;
        for m in members {
            let owned = self.cluster.assignment(m).map_err(FaultError::Broker)?;
            for tp in owned {
                self.cluster
                    .seek(m, &tp.topic, tp.partition, seek)
                    .map_err(FaultError::Broker)?;
            }
        }
        Ok(())
    }

    /// A running instance of a consuming note's group.
    fn member(&self, note: &NoteId, instance: u32) -> Result<MemberId, FaultError> {
        let g = self.consumer(note)?;
        let members = self
            .cluster
            .live_members(&self.plan.group(g).name)
            .map_err(FaultError::Broker)?;
        members
            .get(instance as usize)
            .copied()
            .ok_or(FaultError::NoSuchInstance {
                note: note.clone(),
                instance,
            })
    }

    /// The position of a note of a kind (an aggregate or an external system).
    fn kind_of(&self, note: &NoteId, kind: NoteKind) -> Result<NoteIx, FaultError> {
        let i = self
            .plan
            .ix(note)
            .ok_or_else(|| FaultError::UnknownNote(note.clone()))?;
        if self.plan.kinds[i.index()] != kind {
            return Err(match kind {
                NoteKind::Aggregate => FaultError::NotAnAggregate(note.clone()),
                _ => FaultError::NotASystem(note.clone()),
            });
        }
        Ok(i)
    }

    /// Checks that a fault can be applied to this run.
    fn validate(&self, fault: &Fault) -> Result<(), FaultError> {
        match fault {
            Fault::CrashConsumer { note, instance, .. }
            | Fault::SlowConsumer { note, instance, .. } => {
                self.member(note, *instance).map(|_| ())
            }
            Fault::RestartConsumer { note } | Fault::Poison { note } => {
                self.consumer(note).map(|_| ())
            }
            Fault::SystemDown { note, .. }
            | Fault::SlowSystem { note, .. }
            | Fault::SystemUp { note } => self.kind_of(note, NoteKind::ExternalSystem).map(|_| ()),
            Fault::CrashAggregate { note } => self.kind_of(note, NoteKind::Aggregate).map(|_| ()),
            Fault::AddPartitions { topic, .. } => self
                .plan
                .topic(topic)
                .map(|_| ())
                .ok_or_else(|| FaultError::UnknownTopic(topic.clone())),
            Fault::ResetOffsets { note, .. } | Fault::StartConsumer { note } => {
                self.consumer(note).map(|_| ())
            }
            Fault::RebuildView { note } => self.view(note).map(|_| ()),
        }
    }

    /// Checks that a fault made now finds its consumer's group as it needs it: running, or
    /// not yet for a start. (A scheduled fault is checked when it fires: the scenario may start
    /// a consumer before it crashes it.)
    fn check_started(&self, fault: &Fault) -> Result<(), FaultError> {
        let Some(g) = fault.note().and_then(|n| self.consumer(n).ok()) else {
            return Ok(());
        };
        let note = || self.plan.group(g).note.clone();
        match (fault, self.group_running(g)) {
            (Fault::StartConsumer { .. }, true) => Err(FaultError::AlreadyRunning(note())),
            (Fault::StartConsumer { .. }, false) | (_, true) => Ok(()),
            (_, false) => Err(FaultError::NotStarted(note())),
        }
    }

    /// An external system answers again, at its usual speed.
    pub(super) fn system_up(&mut self, system: NoteIx) {
        self.system_down[system.index()] = false;
        self.system_extra_ms[system.index()] = 0;
    }

    /// Applies a fault and logs it.
    pub(super) fn fire(&mut self, fault: Fault) -> Result<(), FaultError> {
        self.check_started(&fault)?;
        let at_note = fault.note().and_then(|n| self.plan.ix(n));
        match &fault {
            Fault::CrashConsumer {
                note,
                instance,
                restart_after_ms,
            } => {
                let m = self.member(note, *instance)?;
                let group = self.consumer(note)?;
                self.cluster.crash(m).map_err(FaultError::Broker)?;
                let handed_back = match self.cluster.member_group(m) {
                    Some(g) => self.on_crash(g, m),
                    None => 0,
                };
                let gp = self.plan.group(group);
                // At-most-once consumers committed before processing: nothing comes back
                // (what they were processing is lost, a sign of its own).
                if gp.props.delivery != Delivery::AtMostOnce {
                    let consumer = gp.ix;
                    self.sign(SignKind::CrashRedelivery, vec![consumer], handed_back, None);
                }
                if let Some(after) = restart_after_ms {
                    self.schedule(self.now + after, Action::Join { group });
                }
            }
            Fault::RestartConsumer { note } => {
                let g = self.consumer(note)?;
                self.cluster
                    .join(&self.plan.group(g).name)
                    .map_err(FaultError::Broker)?;
            }
            Fault::SlowConsumer {
                note,
                instance,
                extra_ms,
            } => {
                let m = self.member(note, *instance)?;
                self.cluster
                    .slow_down(m, *extra_ms)
                    .map_err(FaultError::Broker)?;
                self.extra.insert(m, *extra_ms);
            }
            Fault::SystemDown { note, for_ms } => {
                let system = self.kind_of(note, NoteKind::ExternalSystem)?;
                self.system_down[system.index()] = true;
                if let Some(ms) = for_ms {
                    self.schedule(self.now + ms, Action::SystemUp { system });
                }
            }
            Fault::SlowSystem {
                note,
                extra_ms,
                for_ms,
            } => {
                let system = self.kind_of(note, NoteKind::ExternalSystem)?;
                self.system_extra_ms[system.index()] = *extra_ms;
                if let Some(ms) = for_ms {
                    self.schedule(self.now + ms, Action::SystemUp { system });
                }
            }
            Fault::SystemUp { note } => {
                let system = self.kind_of(note, NoteKind::ExternalSystem)?;
                self.system_up(system);
            }
            Fault::CrashAggregate { note } => {
                let a = self.kind_of(note, NoteKind::Aggregate)?;
                self.agg_crash_armed[a.index()] = true;
            }
            Fault::Poison { note } => self.poison(note)?,
            Fault::AddPartitions { topic, total } => self.add_partitions(topic, *total)?,
            Fault::ResetOffsets { note, to } => self.reset_offsets(note, *to)?,
            Fault::RebuildView { note } => {
                let g = self.view(note)?;
                // Emptied: what it applies from now on is neither a duplicate nor late.
                let state = &mut self.groups[g.index()];
                state.applied = History::new();
                state.versions = Default::default();
                for p in self.pending.values_mut().filter(|p| p.group == g) {
                    p.void = true;
                }
                self.reset_offsets(note, ResetTo::Earliest)?;
            }
            Fault::StartConsumer { note } => {
                let g = self.consumer(note)?;
                self.start_group(g).map_err(FaultError::Broker)?;
            }
        }
        self.log(Entry::new(ExecEventKind::Fault { fault }, at_note));
        Ok(())
    }

    /// Publishes a message on a consumer's topic that fails every processing attempt.
    fn poison(&mut self, note: &NoteId) -> Result<(), FaultError> {
        let g = self.consumer(note)?;
        let found = self
            .plan
            .group(g)
            .subscriptions
            .iter()
            .find_map(|s| self.plan.event(s.note).map(|e| (s.note, e.topic)));
        let Some((event, t)) = found else {
            return Err(FaultError::NotAConsumer(note.clone()));
        };
        let entity = self.rng.below(POISON_ENTITIES);
        let msg = self.new_flow_event(event, None, entity);
        let before: Vec<u64> = self.traffic[t.index()].clone();
        self.produce(event, msg);
        let part = self.traffic[t.index()]
            .iter()
            .zip(&before)
            .position(|(a, b)| a != b);
        if let Some(p) = part {
            let offset = (self.offsets[t.index()][p].len() - 1) as u64;
            let name = self.plan.topic_at(t).broker_name.clone();
            self.cluster
                .poison(&name, p as u32, offset)
                .map_err(FaultError::Broker)?;
            let topic = self.cluster.topic_id(&name).map_err(FaultError::Broker)?;
            self.poisoned.insert(RecordAt {
                topic,
                partition: p as u32,
                offset,
            });
        }
        Ok(())
    }

    /// Adds partitions to a topic (keys move; groups rebalance).
    fn add_partitions(&mut self, topic: &str, total: u32) -> Result<(), FaultError> {
        let t = self
            .plan
            .topics
            .iter()
            .position(|x| x.name == topic)
            .map(TopicIx::at)
            .ok_or_else(|| FaultError::UnknownTopic(topic.to_string()))?;
        let name = self.plan.topic_at(t).broker_name.clone();
        self.cluster
            .add_partitions(&name, total)
            .map_err(FaultError::Broker)?;
        self.plan.topics[t.index()].partitions = total;
        let offsets = &mut self.offsets[t.index()];
        let added = (total as usize).saturating_sub(offsets.len());
        offsets.extend((0..added).map(|_| History::new()));
        self.traffic[t.index()].resize(total as usize, 0);
        Ok(())
    }
}
