//! The run's clock: its timers, shared time with the broker (broker actions due at a time run
//! before this module's timers at that time), and stepping.

use super::{Read, Run};
use crate::{
    broker::DeliveryId,
    exec::{
        ix::{GroupIx, NoteIx, SourceIx},
        Fault, MessageId,
    },
};
use std::cmp::{Ordering, Reverse};

/// Something the run does at a time.
#[derive(Clone, Debug)]
pub(super) enum Action {
    /// A source issues the commands due by now.
    SourceTick {
        /// The source.
        source: SourceIx,
    },
    /// A command's synchronous calls are over.
    CommandDone {
        /// The command message.
        msg: MessageId,
        /// True when every call succeeded.
        calls_ok: bool,
    },
    /// A consumer finished processing a delivery.
    ConsumerDone {
        /// The delivery.
        delivery: DeliveryId,
    },
    /// A consumer acknowledges a delivery whose effect it applied.
    Ack {
        /// The delivery.
        delivery: DeliveryId,
    },
    /// A reader reads a view (again, while it waits for its own write).
    Read {
        /// The read.
        read: Read,
        /// Times it looked already.
        tries: u32,
    },
    /// Lag and partition progress are sampled.
    Sample,
    /// A scheduled fault.
    Fault(Fault),
    /// An external system answers again, at its usual speed.
    SystemUp {
        /// The system.
        system: NoteIx,
    },
    /// A new instance joins a group (a restart).
    Join {
        /// The group.
        group: GroupIx,
    },
    /// An aggregate back from a crash publishes the event it had saved.
    Relay {
        /// The event note.
        event: NoteIx,
        /// The event message.
        msg: MessageId,
    },
}

/// An action due at a time; ties run in the order they were scheduled.
#[derive(Clone)]
pub(super) struct Timer {
    /// When (ms).
    pub at: u64,
    /// Scheduling order.
    pub seq: u64,
    /// What.
    pub action: Action,
}

impl PartialEq for Timer {
    fn eq(&self, o: &Self) -> bool {
        (self.at, self.seq) == (o.at, o.seq)
    }
}
impl Eq for Timer {}
impl PartialOrd for Timer {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Timer {
    fn cmp(&self, o: &Self) -> Ordering {
        (self.at, self.seq).cmp(&(o.at, o.seq))
    }
}

/// How far a bounded step got ([`Run::step_within`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stepped {
    /// True when the run got to the target time: everything due by then ran.
    pub reached: bool,
    /// Simulated time the run is at (ms): the target once reached, else the time of the last
    /// unit of work done.
    pub now: u64,
    /// Units of work this call did.
    pub work: u64,
}

/// A point of a run between two units of work, where a fault was applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Position {
    /// Simulated time (ms).
    pub at: u64,
    /// Units of work done by then.
    pub work: u64,
    /// True when the last step had reached its target (the clocks had moved to `at`).
    pub settled: bool,
}

/// One call made by the journal of faults, replayed by [`Run::state_at`].
#[derive(Clone, Debug)]
pub(super) enum Journal {
    /// A fault applied at a position.
    Apply {
        /// When it was applied.
        at: Position,
        /// The fault.
        fault: Fault,
    },
    /// A fault scheduled at a position for `when`.
    Schedule {
        /// When it was scheduled.
        at: Position,
        /// When it fires (ms).
        when: u64,
        /// The fault.
        fault: Fault,
    },
}

impl Journal {
    /// Where in the run the call was made.
    pub fn position(&self) -> Position {
        match self {
            Journal::Apply { at, .. } | Journal::Schedule { at, .. } => *at,
        }
    }
}

impl Run {
    /// True when nothing is left to happen (sources done, broker idle).
    pub fn is_idle(&self) -> bool {
        self.timers
            .iter()
            .all(|t| matches!(t.0.action, Action::Sample))
            && self.cluster.next_time().is_none()
    }

    /// Advances simulated time to `t` (ms), running everything due on the way.
    pub fn step_until(&mut self, t: u64) {
        self.step_core(t, u64::MAX, true);
    }

    /// Advances simulated time towards `t` (ms) doing at most `budget` units of work (a unit:
    /// one broker entry handled or one timer of the run executed). Calling it again goes on
    /// where it stopped: any sequence of calls gives the same run as one [`Run::step_until`].
    pub fn step_within(&mut self, t: u64, budget: u64) -> Stepped {
        self.step_core(t, budget, true)
    }

    /// Runs to `duration_ms`, then lets in-flight work finish for up to `drain_ms` more.
    pub fn run_to_end(&mut self, drain_ms: u64) {
        self.run_to_end_within(drain_ms, u64::MAX);
    }

    /// [`Run::run_to_end`] doing at most `budget` units of work; call it again to go on.
    /// `Stepped::reached` is true once the drain is over.
    pub fn run_to_end_within(&mut self, drain_ms: u64, budget: u64) -> Stepped {
        let end = self.config.duration_ms;
        let first = self.step_within(end, budget);
        if !first.reached {
            return first;
        }
        let second = self.step_within(end.saturating_add(drain_ms), budget - first.work);
        Stepped {
            work: first.work + second.work,
            ..second
        }
    }

    /// Units of work done since the run started (broker entries handled and timers executed;
    /// the same for the same board, seed and faults).
    pub fn work_done(&self) -> u64 {
        self.work
    }

    /// Where the run is: time, work done, and whether the last step reached its target.
    pub(super) fn position(&self) -> Position {
        Position {
            at: self.now,
            work: self.work,
            settled: self.settled,
        }
    }

    /// The stepping loop: broker entries and timers one at a time in time order, at most
    /// `budget` of them; stops between two units (the run goes on from there exactly as if it
    /// had not stopped). On reaching `t` the broker's clock and the run's move to `t`, unless
    /// `settle` is false (replaying a fault applied while a step was stopped short).
    pub(super) fn step_core(&mut self, t: u64, budget: u64, settle: bool) -> Stepped {
        let start = self.work;
        loop {
            // Broker actions first, up to the next timer (handling them may add earlier timers).
            loop {
                let bound = self.timers.peek().map_or(t, |n| n.0.at.min(t));
                if self.work - start >= budget {
                    return if self.cluster.due_by(bound) || self.timer_due_by(t) {
                        self.stopped(start)
                    } else {
                        self.reached(t, start, settle)
                    };
                }
                match self.cluster.step_until(bound) {
                    Some(entry) => {
                        self.work += 1;
                        self.on_broker(entry);
                    }
                    None => break,
                }
            }
            if !self.timer_due_by(t) {
                break;
            }
            if self.work - start >= budget {
                return self.stopped(start);
            }
            let Some(Reverse(timer)) = self.timers.pop() else {
                break;
            };
            self.cluster.run_until(timer.at);
            self.now = self.now.max(timer.at);
            self.work += 1;
            self.execute(timer.action);
        }
        self.reached(t, start, settle)
    }

    /// Moves the broker's clock and the run's to `t`, everything due by then having run.
    pub(super) fn settle(&mut self, t: u64) {
        self.cluster.run_until(t);
        self.now = self.now.max(t);
        self.settled = true;
    }

    /// True when a timer of the run is due by `t`.
    fn timer_due_by(&self, t: u64) -> bool {
        self.timers.peek().is_some_and(|n| n.0.at <= t)
    }

    /// A step that ran out of budget before `t`.
    fn stopped(&mut self, start: u64) -> Stepped {
        self.settled = false;
        Stepped {
            reached: false,
            now: self.now,
            work: self.work - start,
        }
    }

    /// A step that reached `t`: the clocks move there (when `settle`).
    fn reached(&mut self, t: u64, start: u64, settle: bool) -> Stepped {
        if settle {
            self.settle(t);
        } else {
            self.settled = false;
        }
        Stepped {
            reached: true,
            now: self.now,
            work: self.work - start,
        }
    }

    /// Schedules an action at a time.
    pub(super) fn schedule(&mut self, at: u64, action: Action) {
        self.seq += 1;
        self.timers.push(Reverse(Timer {
            at,
            seq: self.seq,
            action,
        }));
    }

    /// Does an action that is due.
    fn execute(&mut self, action: Action) {
        match action {
            Action::SourceTick { source } => self.source_tick(source),
            Action::CommandDone { msg, calls_ok } => self.finish_command(msg, calls_ok),
            Action::ConsumerDone { delivery } => self.consumer_done(delivery),
            Action::Ack { delivery } => {
                if self.acking.remove(&delivery).is_some() {
                    let _ = self.cluster.ack_processed(delivery);
                }
            }
            Action::Read { read, tries } => self.read(read, tries),
            Action::Sample => self.sample(),
            Action::Fault(f) => {
                let _ = self.fire(f);
            }
            Action::SystemUp { system } => self.system_up(system),
            Action::Join { group } => {
                let name = self.plan.group(group).name.clone();
                let _ = self.cluster.join(&name);
            }
            Action::Relay { event, msg } => self.produce(event, msg),
        }
    }
}
