//! The trace: every produce, fetch, delivery, processing outcome, commit, rebalance and fault,
//! plus a stable hash over a canonical encoding of it.

use super::types::{DeliveryId, GroupId, MemberId, ProducerId, TopicId};
use serde::{Deserialize, Serialize};

/// Why a rebalance started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RebalanceReason {
    /// A member joined (or rejoined after being fenced).
    Join,
    /// A member left cleanly.
    Leave,
    /// The coordinator removed a member (session or poll timeout).
    MemberRemoved,
    /// A subscribed topic gained partitions.
    Metadata,
    /// Second round of a cooperative rebalance, assigning the partitions revoked in the first.
    CooperativeFollowUp,
}

/// Why the coordinator removed a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RemovalReason {
    /// No heartbeat within `session_timeout_ms` (crash, or the session-timeout fault).
    SessionTimeout,
    /// Processing one record took longer than `max_poll_interval_ms`.
    PollTimeout,
}

/// Why a position was reset from the committed offset or a reset policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResetReason {
    /// Starting from the group's committed offset.
    Committed,
    /// No committed offset: `auto.offset.reset` applied.
    NoCommittedOffset,
    /// The position fell outside the log (retention, or a seek past the end).
    OutOfRange,
}

/// Who moved a position explicitly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SeekReason {
    /// The application called `seek`.
    User,
    /// A blocking retry rewound to the failed record.
    Retry,
}

/// The result of one processing attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Processed successfully.
    Ok,
    /// Failed; it will be retried (blocking).
    Failed,
    /// Failed and was forwarded to the retry topic.
    SentToRetry,
    /// Failed its last attempt and was forwarded to the dead-letter topic.
    DeadLettered,
    /// Failed its last attempt with no dead-letter topic: skipped.
    GaveUp,
    /// Exactly-once processing whose transaction was aborted (fenced member): no effect.
    Aborted,
}

impl Outcome {
    /// True when the group is done with the record (it will not be retried by this delivery).
    pub fn handled(self) -> bool {
        matches!(
            self,
            Outcome::Ok | Outcome::SentToRetry | Outcome::DeadLettered | Outcome::GaveUp
        )
    }
}

/// One observable broker event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TraceEvent {
    /// A topic was created.
    TopicCreated {
        /// Topic.
        topic: TopicId,
        /// Partition count.
        partitions: u32,
    },
    /// A topic gained partitions.
    PartitionsAdded {
        /// Topic.
        topic: TopicId,
        /// Partition count.
        partitions: u32,
    },
    /// A record was appended and acknowledged.
    Produced {
        /// Topic.
        topic: TopicId,
        /// Partition number.
        partition: u32,
        /// Offset.
        offset: u64,
        /// Record timestamp.
        timestamp: u64,
        /// Transactional producer, if any.
        producer: Option<ProducerId>,
    },
    /// A transaction marker was appended (it takes an offset, consumers never see it).
    TxnMarker {
        /// Topic.
        topic: TopicId,
        /// Partition number.
        partition: u32,
        /// Offset.
        offset: u64,
        /// Transactional producer, if any.
        producer: ProducerId,
        /// Commit (true) or abort (false) marker.
        commit: bool,
    },
    /// A transaction committed.
    TxnCommitted {
        /// Transactional producer, if any.
        producer: ProducerId,
    },
    /// A transaction aborted.
    TxnAborted {
        /// Transactional producer, if any.
        producer: ProducerId,
    },
    /// A member joined its group.
    MemberJoined {
        /// Consumer group.
        group: GroupId,
        /// Member concerned.
        member: MemberId,
    },
    /// A member left cleanly.
    MemberLeft {
        /// Consumer group.
        group: GroupId,
        /// Member concerned.
        member: MemberId,
    },
    /// The coordinator removed a member.
    MemberRemoved {
        /// Consumer group.
        group: GroupId,
        /// Member concerned.
        member: MemberId,
        /// Why it happened.
        reason: RemovalReason,
    },
    /// Fault: a member crashed (it stops without leaving).
    Crashed {
        /// Consumer group.
        group: GroupId,
        /// Member concerned.
        member: MemberId,
    },
    /// Fault: a member's processing became slower.
    SlowConsumer {
        /// Consumer group.
        group: GroupId,
        /// Member concerned.
        member: MemberId,
        /// Added processing time per record.
        extra_ms: u64,
    },
    /// Fault: a record will fail every processing attempt.
    Poisoned {
        /// Topic.
        topic: TopicId,
        /// Partition number.
        partition: u32,
        /// Offset.
        offset: u64,
    },
    /// A rebalance began.
    RebalanceStarted {
        /// Consumer group.
        group: GroupId,
        /// Why it happened.
        reason: RebalanceReason,
    },
    /// A rebalance finished with a new generation.
    RebalanceCompleted {
        /// Consumer group.
        group: GroupId,
        /// Group generation.
        generation: u32,
    },
    /// A member gave up a partition (always before another member gets it).
    Revoked {
        /// Consumer group.
        group: GroupId,
        /// Member concerned.
        member: MemberId,
        /// Topic.
        topic: TopicId,
        /// Partition number.
        partition: u32,
    },
    /// A member's partition was taken away without revocation (the member was removed).
    Lost {
        /// Consumer group.
        group: GroupId,
        /// Member concerned.
        member: MemberId,
        /// Topic.
        topic: TopicId,
        /// Partition number.
        partition: u32,
    },
    /// A member was given a partition.
    Assigned {
        /// Consumer group.
        group: GroupId,
        /// Member concerned.
        member: MemberId,
        /// Topic.
        topic: TopicId,
        /// Partition number.
        partition: u32,
        /// Group generation.
        generation: u32,
    },
    /// A member's position was (re)initialised.
    PositionReset {
        /// Consumer group.
        group: GroupId,
        /// Member concerned.
        member: MemberId,
        /// Topic.
        topic: TopicId,
        /// Partition number.
        partition: u32,
        /// Position before.
        from: u64,
        /// Position after.
        to: u64,
        /// Why it happened.
        reason: ResetReason,
    },
    /// A member's position was moved explicitly.
    Seek {
        /// Consumer group.
        group: GroupId,
        /// Member concerned.
        member: MemberId,
        /// Topic.
        topic: TopicId,
        /// Partition number.
        partition: u32,
        /// Position before.
        from: u64,
        /// Position after.
        to: u64,
        /// Why it happened.
        reason: SeekReason,
    },
    /// A member fetched `records` records scanning offsets `from..to`.
    Fetched {
        /// Consumer group.
        group: GroupId,
        /// Member concerned.
        member: MemberId,
        /// Topic.
        topic: TopicId,
        /// Partition number.
        partition: u32,
        /// Position before.
        from: u64,
        /// Position after.
        to: u64,
        /// Records returned.
        records: u32,
    },
    /// A record was handed to a member for processing.
    Delivered {
        /// Consumer group.
        group: GroupId,
        /// Member concerned.
        member: MemberId,
        /// Topic.
        topic: TopicId,
        /// Partition number.
        partition: u32,
        /// Offset.
        offset: u64,
        /// Attempt number, starting at 1.
        attempt: u32,
        /// Delivery id to acknowledge.
        delivery: DeliveryId,
    },
    /// A processing attempt finished.
    Processed {
        /// Consumer group.
        group: GroupId,
        /// Member concerned.
        member: MemberId,
        /// Topic.
        topic: TopicId,
        /// Partition number.
        partition: u32,
        /// Offset.
        offset: u64,
        /// Attempt number, starting at 1.
        attempt: u32,
        /// Result of the attempt.
        outcome: Outcome,
    },
    /// The group's committed offset for a partition changed.
    Committed {
        /// Consumer group.
        group: GroupId,
        /// Member concerned.
        member: MemberId,
        /// Topic.
        topic: TopicId,
        /// Partition number.
        partition: u32,
        /// Offset.
        offset: u64,
    },
    /// A commit from a member that no longer owns the partition was rejected.
    CommitRejected {
        /// Consumer group.
        group: GroupId,
        /// Member concerned.
        member: MemberId,
        /// Topic.
        topic: TopicId,
        /// Partition number.
        partition: u32,
        /// Offset.
        offset: u64,
    },
    /// Retention or delete-records moved the log-start offset.
    LogStartMoved {
        /// Topic.
        topic: TopicId,
        /// Partition number.
        partition: u32,
        /// New log-start offset.
        log_start: u64,
    },
}

/// A trace event with the simulated time it happened at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEntry {
    /// Simulated time in milliseconds.
    pub at: u64,
    /// What happened.
    pub event: TraceEvent,
}

fn opt_pid(p: Option<ProducerId>) -> u64 {
    p.map_or(u64::MAX, |p| u64::from(p.0))
}

impl TraceEntry {
    /// Feeds the canonical encoding (variant tag then fields, as u64 words) to `out`.
    pub fn encode(&self, out: &mut impl FnMut(u64)) {
        use TraceEvent::*;
        out(self.at);
        let g = |g: GroupId| u64::from(g.0);
        let m = |m: MemberId| u64::from(m.0);
        let t = |t: TopicId| u64::from(t.0);
        match self.event {
            TopicCreated { topic, partitions } => [1, t(topic), u64::from(partitions)]
                .into_iter()
                .for_each(out),
            PartitionsAdded { topic, partitions } => [2, t(topic), u64::from(partitions)]
                .into_iter()
                .for_each(out),
            Produced {
                topic,
                partition,
                offset,
                timestamp,
                producer,
            } => [
                3,
                t(topic),
                u64::from(partition),
                offset,
                timestamp,
                opt_pid(producer),
            ]
            .into_iter()
            .for_each(out),
            TxnMarker {
                topic,
                partition,
                offset,
                producer,
                commit,
            } => [
                4,
                t(topic),
                u64::from(partition),
                offset,
                u64::from(producer.0),
                u64::from(commit),
            ]
            .into_iter()
            .for_each(out),
            TxnCommitted { producer } => [5, u64::from(producer.0)].into_iter().for_each(out),
            TxnAborted { producer } => [6, u64::from(producer.0)].into_iter().for_each(out),
            MemberJoined { group, member } => [7, g(group), m(member)].into_iter().for_each(out),
            MemberLeft { group, member } => [8, g(group), m(member)].into_iter().for_each(out),
            MemberRemoved {
                group,
                member,
                reason,
            } => [9, g(group), m(member), reason as u64]
                .into_iter()
                .for_each(out),
            Crashed { group, member } => [10, g(group), m(member)].into_iter().for_each(out),
            SlowConsumer {
                group,
                member,
                extra_ms,
            } => [11, g(group), m(member), extra_ms]
                .into_iter()
                .for_each(out),
            Poisoned {
                topic,
                partition,
                offset,
            } => [12, t(topic), u64::from(partition), offset]
                .into_iter()
                .for_each(out),
            RebalanceStarted { group, reason } => {
                [13, g(group), reason as u64].into_iter().for_each(out)
            }
            RebalanceCompleted { group, generation } => [14, g(group), u64::from(generation)]
                .into_iter()
                .for_each(out),
            Revoked {
                group,
                member,
                topic,
                partition,
            } => [15, g(group), m(member), t(topic), u64::from(partition)]
                .into_iter()
                .for_each(out),
            Lost {
                group,
                member,
                topic,
                partition,
            } => [16, g(group), m(member), t(topic), u64::from(partition)]
                .into_iter()
                .for_each(out),
            Assigned {
                group,
                member,
                topic,
                partition,
                generation,
            } => [
                17,
                g(group),
                m(member),
                t(topic),
                u64::from(partition),
                u64::from(generation),
            ]
            .into_iter()
            .for_each(out),
            PositionReset {
                group,
                member,
                topic,
                partition,
                from,
                to,
                reason,
            } => [
                18,
                g(group),
                m(member),
                t(topic),
                u64::from(partition),
                from,
                to,
                reason as u64,
            ]
            .into_iter()
            .for_each(out),
            Seek {
                group,
                member,
                topic,
                partition,
                from,
                to,
                reason,
            } => [
                19,
                g(group),
                m(member),
                t(topic),
                u64::from(partition),
                from,
                to,
                reason as u64,
            ]
            .into_iter()
            .for_each(out),
            Fetched {
                group,
                member,
                topic,
                partition,
                from,
                to,
                records,
            } => [
                20,
                g(group),
                m(member),
                t(topic),
                u64::from(partition),
                from,
                to,
                u64::from(records),
            ]
            .into_iter()
            .for_each(out),
            Delivered {
                group,
                member,
                topic,
                partition,
                offset,
                attempt,
                delivery,
            } => [
                21,
                g(group),
                m(member),
                t(topic),
                u64::from(partition),
                offset,
                u64::from(attempt),
                delivery.0,
            ]
            .into_iter()
            .for_each(out),
            Processed {
                group,
                member,
                topic,
                partition,
                offset,
                attempt,
                outcome,
            } => [
                22,
                g(group),
                m(member),
                t(topic),
                u64::from(partition),
                offset,
                u64::from(attempt),
                outcome as u64,
            ]
            .into_iter()
            .for_each(out),
            Committed {
                group,
                member,
                topic,
                partition,
                offset,
            } => [
                23,
                g(group),
                m(member),
                t(topic),
                u64::from(partition),
                offset,
            ]
            .into_iter()
            .for_each(out),
            CommitRejected {
                group,
                member,
                topic,
                partition,
                offset,
            } => [
                24,
                g(group),
                m(member),
                t(topic),
                u64::from(partition),
                offset,
            ]
            .into_iter()
            .for_each(out),
            LogStartMoved {
                topic,
                partition,
                log_start,
            } => [25, t(topic), u64::from(partition), log_start]
                .into_iter()
                .for_each(out),
        }
    }
}

/// Running hash of a trace: FNV-1a's offset basis and prime applied to 64-bit words, with an
/// xor-shift fold after each word so high bits also mix. Defined here, so it is stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceHasher {
    state: u64,
}

impl Default for TraceHasher {
    fn default() -> Self {
        TraceHasher {
            state: 0xcbf2_9ce4_8422_2325,
        }
    }
}

impl TraceHasher {
    /// Mixes one word into the hash.
    pub fn word(&mut self, w: u64) {
        let mut h = (self.state ^ w).wrapping_mul(0x0000_0100_0000_01b3);
        h ^= h >> 29;
        self.state = h;
    }

    /// Mixes one trace entry into the hash.
    pub fn entry(&mut self, e: &TraceEntry) {
        e.encode(&mut |w| self.word(w));
    }

    /// The current hash value.
    pub fn finish(&self) -> u64 {
        self.state
    }
}

/// Hashes a whole slice of trace entries.
pub fn hash_entries(entries: &[TraceEntry]) -> u64 {
    let mut h = TraceHasher::default();
    for e in entries {
        h.entry(e);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn produced(offset: u64) -> TraceEntry {
        TraceEntry {
            at: 1,
            event: TraceEvent::Produced {
                topic: TopicId(0),
                partition: 0,
                offset,
                timestamp: 1,
                producer: None,
            },
        }
    }

    #[test]
    fn hash_is_order_and_content_sensitive() {
        let a = hash_entries(&[produced(0), produced(1)]);
        let b = hash_entries(&[produced(1), produced(0)]);
        let c = hash_entries(&[produced(0), produced(2)]);
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, hash_entries(&[produced(0), produced(1)]));
    }

    #[test]
    fn hash_value_is_pinned() {
        // Pinned so that an accidental change of the canonical encoding is noticed.
        let mut h = TraceHasher::default();
        h.word(0);
        let expected = {
            let mut s: u64 = 0xcbf2_9ce4_8422_2325u64.wrapping_mul(0x0000_0100_0000_01b3);
            s ^= s >> 29;
            s
        };
        assert_eq!(h.finish(), expected);
        let e = produced(3);
        let mut words = Vec::new();
        e.encode(&mut |w| words.push(w));
        assert_eq!(words, vec![1, 3, 0, 0, 3, 1, u64::MAX]);
    }

    #[test]
    fn handled_outcomes() {
        assert!(Outcome::Ok.handled());
        assert!(Outcome::DeadLettered.handled());
        assert!(!Outcome::Failed.handled());
        assert!(!Outcome::Aborted.handled());
    }
}
