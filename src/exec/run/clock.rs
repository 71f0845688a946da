//! The run's clock: its timers, shared time with the broker (broker actions due at a time run
//! before this module's timers at that time), and stepping.

use super::{reads::Read, Run};
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

/// One call made by the journal of faults, replayed by [`Run::state_at`].
#[derive(Clone, Debug)]
pub(super) enum Journal {
    /// A fault applied at `at`.
    Apply {
        /// When it was applied (ms).
        at: u64,
        /// The fault.
        fault: Fault,
    },
    /// A fault scheduled at `at` for `when`.
    Schedule {
        /// When it was scheduled (ms).
        at: u64,
        /// When it fires (ms).
        when: u64,
        /// The fault.
        fault: Fault,
    },
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
        loop {
            // Broker actions first, up to the next timer (handling them may add earlier timers).
            loop {
                let bound = self.timers.peek().map_or(t, |n| n.0.at.min(t));
                match self.cluster.step_until(bound) {
                    Some(entry) => self.on_broker(entry),
                    None => break,
                }
            }
            let next = self.timers.peek().map(|t| t.0.at);
            match next {
                Some(at) if at <= t => {
                    let Some(Reverse(timer)) = self.timers.pop() else {
                        break;
                    };
                    self.cluster.run_until(at);
                    self.now = self.now.max(at);
                    self.execute(timer.action);
                }
                _ => break,
            }
        }
        self.cluster.run_until(t);
        self.now = self.now.max(t);
    }

    /// Runs to `duration_ms`, then lets in-flight work finish for up to `drain_ms` more.
    pub fn run_to_end(&mut self, drain_ms: u64) {
        let end = self.config.duration_ms;
        self.step_until(end);
        self.step_until(end.saturating_add(drain_ms));
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
