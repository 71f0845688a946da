//! Consuming: deliveries from the broker, processing, effects applied (with duplicates and
//! order checked), acknowledgements, and reads of views.

use super::{
    clock::Action,
    flow::{Issue, Parent},
    record::{Entry, Place},
    Failing, Msg, Pending, Read, RecordAt, Run,
};
use crate::{
    broker::{DeliveryId, GroupId, MemberId, Outcome, TraceEntry, TraceEvent},
    exec::{
        ix::{GroupIx, NoteIx},
        ExecEventKind, MessageId, SignKind,
    },
    model::{limits::MAX_PROCESSING_MS, props::Delivery, NoteKind},
};

/// The worst measure of a duplicate apply: the message was applied twice.
const DUPLICATE_COPIES: u64 = 2;

/// A record handed to a consumer instance.
struct Delivered {
    group: GroupId,
    member: MemberId,
    record: RecordAt,
    attempt: u32,
    delivery: DeliveryId,
}

impl Run {
    /// The message stored at a record (copied records of retry and dead-letter topics carry
    /// the message id as their value).
    fn message_at(&self, record: RecordAt) -> Option<MessageId> {
        let RecordAt {
            topic,
            partition,
            offset,
        } = record;
        if let Some(t) = self
            .topic_of_broker
            .get(topic.0 as usize)
            .copied()
            .flatten()
        {
            return self.offsets[t.index()]
                .get(partition as usize)
                .and_then(|p| p.get(offset as usize))
                .copied()
                .flatten();
        }
        let name = self
            .cluster
            .topic_name(topic)
            .unwrap_or_default()
            .to_string();
        self.cluster
            .record(&name, partition, offset)
            .ok()
            .and_then(|r| {
                r.value
                    .get(..8)
                    .and_then(|b| b.try_into().ok())
                    .map(u64::from_le_bytes)
            })
            .map(MessageId)
    }

    /// The plan's group of a broker group.
    fn group_of_broker(&self, group: GroupId) -> Option<GroupIx> {
        self.group_of_broker
            .get(group.0 as usize)
            .copied()
            .flatten()
    }

    /// Handles one entry of the broker's trace.
    pub(super) fn on_broker(&mut self, entry: TraceEntry) {
        self.now = self.now.max(entry.at);
        match entry.event {
            TraceEvent::Delivered {
                group,
                member,
                topic,
                partition,
                offset,
                attempt,
                delivery,
            } => self.on_delivered(Delivered {
                group,
                member,
                record: RecordAt {
                    topic,
                    partition,
                    offset,
                },
                attempt,
                delivery,
            }),
            TraceEvent::Crashed { group, member } => {
                self.on_crash(group, member);
            }
            TraceEvent::Processed {
                group,
                topic,
                partition,
                offset,
                outcome: Outcome::DeadLettered,
                ..
            } => {
                if let Some(g) = self.group_of_broker(group) {
                    let msg = self.message_at(RecordAt {
                        topic,
                        partition,
                        offset,
                    });
                    let note = self.plan.group(g).ix;
                    self.log(
                        Entry::at(ExecEventKind::DeadLettered, note)
                            .link(Some(note), None)
                            .msg(msg),
                    );
                }
            }
            TraceEvent::RebalanceCompleted {
                group, generation, ..
            } => {
                if let Some(g) = self.group_of_broker(group) {
                    let note = self.plan.group(g).ix;
                    self.log(Entry::at(ExecEventKind::Rebalanced { generation }, note));
                }
            }
            _ => {}
        }
    }

    /// A consumer instance got a record: it processes it (calls included) and is done later.
    fn on_delivered(&mut self, d: Delivered) {
        let (Some(g), Some(msg)) = (self.group_of_broker(d.group), self.message_at(d.record))
        else {
            let _ = self.cluster.ack_processed(d.delivery);
            return;
        };
        let gp = self.plan.group(g);
        let (note, failure_rate, processing, own, calls) = (
            gp.ix,
            gp.props.failure_rate,
            gp.props.processing_ms,
            gp.own_latency_ms,
            gp.calls.clone(),
        );
        let m = self.msg(msg);
        let Some(link) = gp
            .subscriptions
            .iter()
            .find(|s| s.note == m.note)
            .map(|s| s.link)
        else {
            // Another event on a shared topic: the consumer skips it at once.
            let _ = self.cluster.ack_processed(d.delivery);
            return;
        };
        if d.attempt == 1 {
            self.hop(link, msg, m.at, self.now);
        }
        let place = self
            .topic_of_broker
            .get(d.record.topic.0 as usize)
            .copied()
            .flatten()
            .map(|topic| Place {
                topic,
                partition: d.record.partition,
                offset: d.record.offset,
            });
        self.log(
            Entry::at(ExecEventKind::Delivered { attempt: d.attempt }, note)
                .link(Some(m.note), Some(note))
                .msg(Some(msg))
                .place(place),
        );
        let poisoned = self.poisoned.contains(&d.record);
        let mut fail = poisoned || self.chance(failure_rate);
        let extra = self.extra.get(&d.member).copied().unwrap_or(0);
        let mut duration = (processing.clamp(0.0, MAX_PROCESSING_MS) as u64)
            .saturating_add(extra)
            .saturating_add(own);
        if !fail {
            let (latency, ok) = self.call_all(&calls, note, msg);
            duration = duration.saturating_add(latency);
            fail = !ok;
        }
        self.counters[note.index()].in_flight += 1;
        self.pending.insert(
            d.delivery,
            Pending {
                group: g,
                member: d.member,
                msg,
                record: d.record,
                fail,
                void: false,
            },
        );
        self.schedule(
            self.now.saturating_add(duration),
            Action::ConsumerDone {
                delivery: d.delivery,
            },
        );
    }

    /// An instance crashed: what it was processing is dropped (lost for at-most-once
    /// consumers, which committed on delivery), and its acknowledgements never come. Returns
    /// how many messages it had not committed (redelivered to the group unless at-most-once).
    pub(super) fn on_crash(&mut self, group: GroupId, member: MemberId) -> u64 {
        let at_most_once = self
            .group_of_broker(group)
            .is_some_and(|g| self.plan.group(g).props.delivery == Delivery::AtMostOnce);
        let mut lost: Vec<DeliveryId> = self
            .pending
            .iter()
            .filter(|(_, p)| p.member == member)
            .map(|(d, _)| *d)
            .collect();
        // In delivery order, whatever order the map keeps.
        lost.sort_unstable();
        let mut uncommitted = 0;
        for d in lost {
            let Some(p) = self.pending.remove(&d) else {
                continue;
            };
            uncommitted += 1;
            let note = self.plan.group(p.group).ix;
            let counters = &mut self.counters[note.index()];
            counters.in_flight = counters.in_flight.saturating_sub(1);
            if at_most_once {
                self.log(Entry::at(ExecEventKind::LostOnCrash, note).msg(Some(p.msg)));
                self.sign(SignKind::LostOnCrash, vec![note], 1, Some(p.msg));
            }
        }
        let acking = self.acking.len();
        self.acking.retain(|_, m| *m != member);
        uncommitted + (acking - self.acking.len()) as u64
    }

    /// A consumer finished processing: it fails (to be retried), or applies its effect and
    /// acknowledges at once (exactly-once) or `commit_ms` later.
    pub(super) fn consumer_done(&mut self, delivery: DeliveryId) {
        let Some(p) = self.pending.remove(&delivery) else {
            return;
        };
        let gp = self.plan.group(p.group);
        let note = gp.ix;
        let exactly_once = gp.props.delivery == Delivery::ExactlyOnce;
        let counters = &mut self.counters[note.index()];
        counters.in_flight = counters.in_flight.saturating_sub(1);
        if p.void {
            let _ = self.cluster.ack_processed(delivery);
            return;
        }
        let partition = (p.record.topic, p.record.partition);
        let failing = &mut self.groups[p.group.index()].failing;
        if p.fail {
            counters.failed += 1;
            let f = failing.entry(partition).or_insert(Failing {
                offset: p.record.offset,
                failures: 0,
            });
            if f.offset != p.record.offset {
                *f = Failing {
                    offset: p.record.offset,
                    failures: 0,
                };
            }
            f.failures += 1;
            self.log(Entry::at(ExecEventKind::ProcessingFailed, note).msg(Some(p.msg)));
            let _ = self.cluster.fail_processing(delivery);
            return;
        }
        failing.remove(&partition);
        counters.handled += 1;
        self.apply(p.group, p.msg);
        if exactly_once || self.config.commit_ms == 0 {
            let _ = self.cluster.ack_processed(delivery);
        } else {
            self.acking.insert(delivery, p.member);
            self.schedule(self.now + self.config.commit_ms, Action::Ack { delivery });
        }
    }

    /// Marks a message applied by a group; true if it was applied before.
    fn applied_before(&mut self, g: GroupIx, msg: MessageId) -> bool {
        let applied = &mut self.groups[g.index()].applied;
        let bits = u64::from(u64::BITS);
        let (word, bit) = ((msg.0 / bits) as usize, 1u64 << (msg.0 % bits));
        while applied.len() <= word {
            applied.push(0);
        }
        let seen = applied.get(word).is_some_and(|w| w & bit != 0);
        if !seen {
            if let Some(w) = applied.get_mut(word) {
                *w |= bit;
            }
        }
        seen
    }

    /// The consumer's effect: a view updates; a policy issues its commands (unless the flow
    /// looped too often); an external system publishes its events.
    fn apply(&mut self, g: GroupIx, msg: MessageId) {
        let gp = self.plan.group(g);
        let (note, idempotent, ordered) = (gp.ix, gp.props.idempotent, gp.props.ordered);
        let kind = self.plan.kinds[note.index()];
        let m = self.msg(msg);
        if self.applied_before(g, msg) {
            if idempotent {
                return;
            }
            self.log(Entry::at(ExecEventKind::DuplicateApplied, note).msg(Some(msg)));
            self.sign(
                SignKind::DuplicateApply,
                vec![note],
                DUPLICATE_COPIES,
                Some(msg),
            );
        }
        if let (Some(agg), true) = (m.agg, m.version > 0) {
            let last = self.groups[g.index()]
                .versions
                .insert((agg, m.entity), m.version)
                .unwrap_or(0);
            if m.version < last && ordered {
                let kind = ExecEventKind::OutOfOrder {
                    version: m.version,
                    after: last,
                };
                self.log(Entry::at(kind, note).msg(Some(msg)));
                self.sign(
                    SignKind::OutOfOrder,
                    vec![note, agg],
                    last - m.version,
                    Some(msg),
                );
            }
        }
        if self.plan.compensates[note.index()] {
            self.compensated.insert(msg, ());
        }
        self.log(Entry::at(ExecEventKind::Processed, note).msg(Some(msg)));
        if kind == NoteKind::ReadModel {
            return;
        }
        let gp = self.plan.group(g);
        let (issues, publishes, reads) =
            (gp.issues.clone(), gp.publishes.clone(), gp.reads.clone());
        if let Some(aggregate) = m.agg {
            for view in reads {
                self.check_read(Read {
                    reader: note,
                    view: view.note,
                    aggregate,
                    entity: m.entity,
                    version: m.version,
                    written: m.at,
                    msg,
                });
            }
        }
        if kind == NoteKind::Policy && self.loop_cut(note, &m, msg) {
            return;
        }
        let parent = Parent {
            corr: m.corr,
            cause: msg,
        };
        for command in issues {
            self.issue(Issue {
                command,
                entity: m.entity,
                by: note,
                parent: Some(parent),
            });
        }
        for edge in publishes {
            let ev = self.new_msg(Msg {
                event: true,
                note: edge.note,
                origin: Some(note),
                entity: m.entity,
                corr: m.corr,
                cause: Some(msg),
                at: self.now,
                agg: None,
                version: 0,
                from_source: false,
            });
            self.hop(edge.link, ev, self.now, self.now);
            self.produce(edge.note, ev);
        }
    }

    /// Counts a pass of the flow through a policy; true (and logged) when it passed more than
    /// `loop_limit` times, so the policy's commands are dropped.
    fn loop_cut(&mut self, policy: NoteIx, m: &Msg, msg: MessageId) -> bool {
        let passes = self.loops.get_or_insert((m.corr, policy), 0);
        *passes += 1;
        let passes = *passes;
        if passes <= self.config.loop_limit {
            return false;
        }
        self.log(Entry::at(ExecEventKind::LoopCut { passes }, policy).msg(Some(msg)));
        self.sign(
            SignKind::EventLoop,
            vec![policy, m.note],
            u64::from(passes),
            Some(msg),
        );
        true
    }
}
