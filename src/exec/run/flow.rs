//! The flow of commands and calls: sources issuing, commands reaching their aggregates,
//! synchronous calls, events saved and published.

use super::{clock::Action, record::Entry, Msg, Read, Run, Saved};
use crate::exec::{
    ix::{Edge, NoteIx, SourceIx},
    ExecEventKind, MessageId, Rejection, SignKind,
};

/// Milliseconds per second (rates are per second, the clock counts ms).
const MS_PER_SECOND: f64 = 1000.0;
/// Failed calls of one system within [`BURST_WINDOW_MS`] that make a burst: below it, a
/// failed call of an available system is background noise, not a sign of blocked callers.
const BURST_FAILURES: usize = 3;
/// The window in which failed calls count towards a burst (ms).
const BURST_WINDOW_MS: u64 = 1_000;
/// The flow a command belongs to, when something else than a source issued it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Parent {
    /// The flow's correlation id.
    pub corr: MessageId,
    /// The message that caused the command.
    pub cause: MessageId,
}

/// A command being issued.
#[derive(Clone, Copy, Debug)]
pub(super) struct Issue {
    /// The command note and the link it is issued along.
    pub command: Edge,
    /// The key it is about.
    pub entity: u64,
    /// Who issues it: a source, a policy or an external system.
    pub by: NoteIx,
    /// The flow it belongs to; none for a source, which starts a flow.
    pub parent: Option<Parent>,
}

impl Run {
    /// A number drawn uniformly from [0, 1): the top [`f64::MANTISSA_DIGITS`] bits of a draw.
    fn unit(&mut self) -> f64 {
        let digits = f64::MANTISSA_DIGITS;
        (self.rng.next_u64() >> (u64::BITS - digits)) as f64 / (1u64 << digits) as f64
    }

    /// True with probability `p` (draws nothing when `p` is 0).
    pub(super) fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.unit() < p
    }

    /// A source issues the commands (or publishes the events) due by now, then ticks again.
    pub(super) fn source_tick(&mut self, source: SourceIx) {
        let s = self.plan.source(source);
        let (rate, entities, ix) = (s.rate, s.entities, s.ix);
        let interval = if rate >= MS_PER_SECOND {
            1
        } else {
            ((MS_PER_SECOND / rate).round() as u64).max(1)
        };
        let due = ((rate * self.now as f64 / MS_PER_SECOND).floor() as u64).saturating_add(1);
        let n = due.saturating_sub(self.issued[source.index()]);
        self.issued[source.index()] = self.issued[source.index()].max(due);
        let choices = s.issues.len() + s.publishes.len();
        for _ in 0..n {
            let entity = self.rng.below(entities);
            let pick = if choices > 1 {
                self.rng.below(choices as u64) as usize
            } else {
                0
            };
            let s = self.plan.source(source);
            if pick < s.issues.len() {
                let command = s.issues[pick];
                self.issue(Issue {
                    command,
                    entity,
                    by: ix,
                    parent: None,
                });
            } else {
                let edge = s.publishes[pick - s.issues.len()];
                let msg = self.new_flow_event(edge.note, Some(ix), entity);
                self.counters[ix.index()].handled += 1;
                self.hop(edge.link, msg, self.now, self.now);
                self.produce(edge.note, msg);
            }
        }
        let next = self.now.saturating_add(interval);
        if next < self.config.duration_ms {
            self.schedule(next, Action::SourceTick { source });
        }
    }

    /// A command issued: it reaches its aggregate (which may read its views), makes its calls,
    /// and finishes at once or when the calls are over.
    pub(super) fn issue(&mut self, issue: Issue) {
        let Issue {
            command,
            entity,
            by,
            parent,
        } = issue;
        let cmd = command.note;
        let msg = self.new_msg(Msg {
            event: false,
            note: cmd,
            origin: Some(by),
            entity,
            corr: parent.map_or(self.next_msg(), |p| p.corr),
            cause: parent.map(|p| p.cause),
            at: self.now,
            agg: None,
            version: 0,
            from_source: parent.is_none(),
        });
        self.commands += 1;
        if parent.is_none() {
            self.counters[by.index()].handled += 1;
        }
        self.hop(command.link, msg, self.now, self.now);
        self.log(
            Entry::at(ExecEventKind::CommandIssued, cmd)
                .link(Some(by), Some(cmd))
                .msg(Some(msg)),
        );
        let Some(plan) = self.plan.commands[cmd.index()].as_ref() else {
            return;
        };
        let (handled, aggregate, calls) = (plan.handled, plan.aggregate, plan.calls.clone());
        if !handled {
            self.reject(cmd, Rejection::NoHandler, None, msg);
            return;
        }
        if let Some(agg) = aggregate.map(|a| a.note) {
            if self.agg_down_until[agg.index()] > self.now {
                self.reject(cmd, Rejection::AggregateDown, Some(agg), msg);
                return;
            }
            // An aggregate deciding on a view: stale when the view lags its own writes.
            let reads = self.plan.aggregates[agg.index()]
                .as_ref()
                .map(|a| a.reads.clone())
                .unwrap_or_default();
            let own = self
                .agg_versions
                .get(&(agg, entity))
                .copied()
                .unwrap_or_default();
            for view in reads {
                self.hop(view.link, msg, self.now, self.now);
                self.check_read(Read {
                    reader: agg,
                    view: view.note,
                    aggregate: agg,
                    entity,
                    version: own.version,
                    written: own.at,
                    msg,
                });
            }
        }
        let (latency, ok) = self.call_all(&calls, cmd, msg);
        self.counters[cmd.index()].in_flight += 1;
        if let Some(a) = aggregate {
            self.hop(a.link, msg, self.now, self.now + latency);
        }
        if latency == 0 {
            self.finish_command(msg, ok);
        } else {
            self.schedule(
                self.now + latency,
                Action::CommandDone { msg, calls_ok: ok },
            );
        }
    }

    /// A command that produced no event.
    fn reject(&mut self, cmd: NoteIx, reason: Rejection, to: Option<NoteIx>, msg: MessageId) {
        self.counters[cmd.index()].failed += 1;
        self.log(
            Entry::at(ExecEventKind::CommandRejected { reason }, cmd)
                .link(None, to)
                .msg(Some(msg)),
        );
    }

    /// Makes synchronous calls one after the other; returns the time blocked and success.
    pub(super) fn call_all(
        &mut self,
        calls: &[Edge],
        caller: NoteIx,
        msg: MessageId,
    ) -> (u64, bool) {
        let mut latency = 0u64;
        for call in calls {
            let sys = call.note;
            let Some(plan) = self.plan.systems[sys.index()] else {
                continue;
            };
            let down = self.system_down[sys.index()];
            let (took, ok) = if down {
                (self.config.call_timeout_ms, false)
            } else {
                (
                    plan.latency_ms
                        .saturating_add(self.system_extra_ms[sys.index()]),
                    plan.availability >= 1.0 || self.unit() <= plan.availability,
                )
            };
            self.hop(
                call.link,
                msg,
                self.now + latency,
                self.now + latency + took,
            );
            latency += took;
            if ok {
                self.counters[sys.index()].handled += 1;
                continue;
            }
            self.counters[sys.index()].failed += 1;
            self.log(
                Entry::at(ExecEventKind::CallFailed { down }, caller)
                    .link(Some(caller), Some(sys))
                    .msg(Some(msg)),
            );
            let example = down.then_some(msg);
            self.sign(SignKind::BlockedCallers, vec![caller, sys], took, example);
            if !down {
                // Only outages and bursts count as a sign; single failures are background.
                self.forgive_single_failure(caller, sys);
            }
            return (latency, false);
        }
        (latency, true)
    }

    /// Keeps the blocked-callers sign for outages and bursts: takes back the tally of a failed
    /// call of an available system unless [`BURST_FAILURES`] came within [`BURST_WINDOW_MS`].
    fn forgive_single_failure(&mut self, caller: NoteIx, sys: NoteIx) {
        let key = (SignKind::BlockedCallers, vec![caller, sys]);
        let now = self.now;
        self.call_failures
            .retain(|&(at, _)| at + BURST_WINDOW_MS >= now);
        self.call_failures.push((now, sys));
        let recent = self.call_failures.iter().filter(|f| f.1 == sys).count();
        if recent < BURST_FAILURES {
            if let Some(s) = self.signs.get_mut(&key) {
                s.count -= 1;
                if s.count == 0 {
                    self.signs.remove(&key);
                }
            }
        }
    }

    /// A command's calls are over: its aggregate saves and publishes one event (or loses it
    /// in a crash), and a source reads its views after its own write.
    pub(super) fn finish_command(&mut self, msg: MessageId, calls_ok: bool) {
        let m = self.msg(msg);
        let cmd = m.note;
        let counters = &mut self.counters[cmd.index()];
        counters.in_flight = counters.in_flight.saturating_sub(1);
        let Some(plan) = self.plan.commands[cmd.index()].as_ref() else {
            return;
        };
        let (aggregate, success, failure) = (plan.aggregate, plan.success, plan.failure);
        let random_failure = calls_ok
            && failure.is_some()
            && success != failure
            && self.chance(self.config.failure_event_rate);
        let chosen = if !calls_ok || random_failure {
            failure
        } else {
            success
        };
        let Some(chosen) = chosen else {
            self.reject(cmd, Rejection::CallFailed, None, msg);
            return;
        };
        let event = chosen.note;
        self.counters[cmd.index()].handled += 1;
        let agg = aggregate.map(|a| a.note);
        let emitter = agg.unwrap_or(cmd);
        if let Some(a) = agg {
            self.counters[a.index()].handled += 1;
        }
        self.log(
            Entry::at(ExecEventKind::CommandHandled, cmd)
                .link(Some(cmd), Some(emitter))
                .msg(Some(msg)),
        );
        let version = match agg {
            Some(a) => {
                let now = self.now;
                let saved = self
                    .agg_versions
                    .get_or_insert((a, m.entity), Saved::default());
                *saved = Saved {
                    version: saved.version + 1,
                    at: now,
                };
                saved.version
            }
            None => 0,
        };
        let ev = self.new_msg(Msg {
            event: true,
            note: event,
            origin: Some(emitter),
            entity: m.entity,
            corr: m.corr,
            cause: Some(msg),
            at: self.now,
            agg,
            version,
            from_source: false,
        });
        self.hop(chosen.link, ev, self.now, self.now);
        match agg {
            Some(a) if self.agg_crash_armed[a.index()] => self.crash_before_publish(a, event, ev),
            _ => self.produce(event, ev),
        }
        if let (true, Some(origin), Some(agg)) = (m.from_source, m.origin, agg) {
            self.read_own_write(origin, event, ev, (agg, m.entity, version));
        }
    }

    /// The aggregate crashes between save and publish: the event waits for the restart when
    /// it is safe (outbox, or event-sourced), else it is lost.
    fn crash_before_publish(&mut self, agg: NoteIx, event: NoteIx, ev: MessageId) {
        self.agg_crash_armed[agg.index()] = false;
        let restart = self.now + self.config.aggregate_restart_ms;
        self.agg_down_until[agg.index()] = restart;
        let a = self.plan.aggregates[agg.index()].as_ref();
        let safe = a.is_some_and(|a| a.outbox || !a.state_store);
        if safe {
            self.schedule(restart, Action::Relay { event, msg: ev });
        } else {
            self.counters[event.index()].failed += 1;
            self.log(
                Entry::at(ExecEventKind::EventLost, event)
                    .link(Some(agg), Some(event))
                    .msg(Some(ev)),
            );
            self.sign(SignKind::DualWriteLost, vec![agg, event], 1, Some(ev));
        }
    }

    /// A source reads, after its delay, the views the event it caused feeds.
    fn read_own_write(
        &mut self,
        origin: NoteIx,
        event: NoteIx,
        ev: MessageId,
        saved: (NoteIx, u64, u64),
    ) {
        let (aggregate, entity, version) = saved;
        let Some(s) = self.plan.sources.iter().find(|s| s.ix == origin) else {
            return;
        };
        let (reads, delay) = (s.reads.clone(), s.read_delay_ms);
        for view in reads {
            let feeds = self.plan.group_ix(view.note).is_some_and(|g| {
                self.plan
                    .event(event)
                    .is_some_and(|e| e.subscribers.contains(&g))
            });
            if feeds {
                let read = Read {
                    reader: origin,
                    view: view.note,
                    aggregate,
                    entity,
                    version,
                    written: self.now,
                    msg: ev,
                };
                self.schedule(self.now + delay, Action::Read { read, tries: 0 });
            }
        }
    }
}
