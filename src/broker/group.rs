//! Consumer group configuration and the internal state of groups and their members.

use super::assignor::AssignorKind;
use super::log::Isolation;
use super::sorted::{SortedMap, SortedSet};
use super::types::{DeliveryId, GroupId, MemberId, ProducerId, TopicId};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// When offsets are committed relative to processing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeliveryMode {
    /// Commit the next offset before processing: a crash loses the record, never repeats it.
    AtMostOnce,
    /// Process, then commit: a crash repeats the record, never loses it.
    AtLeastOnce,
    /// Kafka `enable.auto.commit`: on a poll at least `interval_ms` after the last auto-commit,
    /// commit the positions (everything returned by earlier polls); also on revoke and leave.
    AutoCommit {
        /// `auto.commit.interval.ms`.
        interval_ms: u64,
    },
    /// Consume-process-produce in a transaction: outputs and the offset commit are atomic,
    /// and the group reads with read_committed.
    ExactlyOnce,
}

/// `auto.offset.reset`: where a member starts when the group has no committed offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OffsetReset {
    /// From the log-start offset.
    Earliest,
    /// From the log end (only records produced later).
    Latest,
}

/// How failed processing is retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RetryMode {
    /// Rewind to the failed record and try again after the backoff; the member stalls meanwhile.
    Blocking {
        /// Delay before the next attempt.
        backoff_ms: u64,
    },
    /// Forward the record to `<topic>-retry` and move on; it is retried from there after the
    /// backoff, so ordering with later records of the same key is lost.
    RetryTopic {
        /// Minimum age of a retry record before it is processed again.
        backoff_ms: u64,
    },
}

/// Retry and dead-letter policy of a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// Total processing attempts per record, including the first (at least 1).
    pub max_attempts: u32,
    /// Blocking or retry-topic retries.
    pub mode: RetryMode,
    /// After the last failed attempt, forward to `<topic>-dlt` (else the record is skipped).
    pub dead_letter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 1,
            mode: RetryMode::Blocking { backoff_ms: 0 },
            dead_letter: false,
        }
    }
}

/// Kafka's `auto.commit.interval.ms` default: an auto-committing consumer commits its
/// positions at a poll at least this long after its previous auto-commit.
pub const DEFAULT_AUTO_COMMIT_INTERVAL_MS: u64 = 5_000;

/// Kafka's `enable.auto.commit=true` default, committing every
/// [`DEFAULT_AUTO_COMMIT_INTERVAL_MS`].
pub const DEFAULT_DELIVERY_MODE: DeliveryMode = DeliveryMode::AutoCommit {
    interval_ms: DEFAULT_AUTO_COMMIT_INTERVAL_MS,
};

/// Kafka's `auto.offset.reset` default, `latest`: a new group reads only records produced
/// after its members got their partitions.
pub const DEFAULT_OFFSET_RESET: OffsetReset = OffsetReset::Latest;

/// Kafka's `isolation.level` default, `read_uncommitted`.
pub const DEFAULT_ISOLATION: Isolation = Isolation::ReadUncommitted;

/// Kafka's `partition.assignment.strategy` default is the list `[RangeAssignor,
/// CooperativeStickyAssignor]` (since 3.0); a group whose members all keep that list uses its
/// first entry, the range assignor (with the eager protocol).
pub const DEFAULT_ASSIGNOR: AssignorKind = AssignorKind::Range;

/// Kafka's `session.timeout.ms` default (since 3.0): how long a silent member keeps its
/// partitions.
pub const DEFAULT_SESSION_TIMEOUT_MS: u64 = 45_000;

/// Kafka's `max.poll.interval.ms` default: a member busier than this between polls is removed.
pub const DEFAULT_MAX_POLL_INTERVAL_MS: u64 = 300_000;

/// Kafka's `max.poll.records` default: records returned by one fetch.
pub const DEFAULT_MAX_POLL_RECORDS: u32 = 500;

/// Everything needed to create a consumer group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupConfig {
    /// Group name (`group.id`).
    pub name: String,
    /// Subscribed topics.
    pub topics: Vec<String>,
    /// Partition assignment strategy (cooperative-sticky selects the cooperative protocol).
    pub assignor: AssignorKind,
    /// Commit order relative to processing.
    pub mode: DeliveryMode,
    /// Isolation level for plain modes (exactly-once always reads committed).
    pub isolation: Isolation,
    /// Where to start without a committed offset.
    pub offset_reset: OffsetReset,
    /// Members created with the group.
    pub instances: u32,
    /// Simulated processing time per record.
    pub processing_time_ms: u64,
    /// Probability (per million) that an automatically acknowledged attempt fails.
    pub failure_per_million: u32,
    /// When true the broker acknowledges deliveries itself (outcome drawn from the seeded
    /// generator); when false the caller must call `ack_processed` or `fail_processing`.
    pub auto_ack: bool,
    /// Retries and dead-lettering.
    pub retry: RetryPolicy,
    /// `session.timeout.ms`: how long a crashed member keeps its partitions.
    pub session_timeout_ms: u64,
    /// `max.poll.interval.ms`: longer processing of one record gets the member removed.
    pub max_poll_interval_ms: u64,
    /// `max.poll.records`: records returned by one fetch.
    pub max_poll_records: u32,
}

impl GroupConfig {
    /// A group with Kafka's consumer defaults: auto-commit every 5 s, `latest`, read_uncommitted,
    /// range assignor, the Kafka session, poll-interval and poll-record limits; plus simulation
    /// settings: one member, automatic acknowledgement, instant processing, no failures, no
    /// retries. Callers that want another commit order or starting point say so
    /// (for example `GroupConfig::new(..).earliest().at_least_once()`).
    pub fn new(name: &str, topics: &[&str]) -> Self {
        GroupConfig {
            name: name.to_string(),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            assignor: DEFAULT_ASSIGNOR,
            mode: DEFAULT_DELIVERY_MODE,
            isolation: DEFAULT_ISOLATION,
            offset_reset: DEFAULT_OFFSET_RESET,
            instances: 1,
            processing_time_ms: 0,
            failure_per_million: 0,
            auto_ack: true,
            retry: RetryPolicy::default(),
            session_timeout_ms: DEFAULT_SESSION_TIMEOUT_MS,
            max_poll_interval_ms: DEFAULT_MAX_POLL_INTERVAL_MS,
            max_poll_records: DEFAULT_MAX_POLL_RECORDS,
        }
    }

    /// `auto.offset.reset=earliest`: without a committed offset, start at the log start.
    pub fn earliest(mut self) -> Self {
        self.offset_reset = OffsetReset::Earliest;
        self
    }

    /// Commit each record after processing it (at-least-once) instead of auto-committing.
    pub fn at_least_once(mut self) -> Self {
        self.mode = DeliveryMode::AtLeastOnce;
        self
    }

    /// The isolation level the group's members actually fetch with.
    pub fn effective_isolation(&self) -> Isolation {
        match self.mode {
            DeliveryMode::ExactlyOnce => Isolation::ReadCommitted,
            _ => self.isolation,
        }
    }
}

/// Lifecycle of a member as the member itself sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    /// Running and known to the coordinator.
    Active,
    /// Removed by the coordinator while still running: its commits are rejected and it
    /// rejoins at its next poll.
    Fenced,
    /// Stopped without leaving.
    Crashed,
    /// Left cleanly.
    Left,
}

/// What a member is doing right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Nothing to do until records arrive (or a rebalance starts).
    Waiting,
    /// A poll step is scheduled.
    Scheduled,
    /// Joined a rebalance and blocked until it completes.
    Joined,
    /// Processing a delivered record.
    Processing,
}

/// A record being processed by a member.
#[derive(Clone, Copy, Debug)]
pub(crate) struct InFlight {
    pub delivery: DeliveryId,
    pub topic: TopicId,
    pub partition: u32,
    pub offset: u64,
    pub attempt: u32,
    pub delivered_at: u64,
    /// `Some(ok)` once acknowledged.
    pub outcome: Option<bool>,
}

/// Internal state of one member.
#[derive(Clone, Debug)]
pub(crate) struct Member {
    pub group: GroupId,
    pub name: String,
    pub status: Status,
    pub phase: Phase,
    /// Bumped whenever scheduled actions of this member must be ignored.
    pub epoch: u32,
    pub owned: Vec<(TopicId, u32)>,
    pub positions: SortedMap<(TopicId, u32), u64>,
    pub buffer: VecDeque<(TopicId, u32, u64)>,
    pub fetch_cursor: usize,
    pub last_auto_commit: u64,
    pub extra_ms: u64,
    pub leaving: bool,
    pub in_flight: Option<InFlight>,
    /// Failed attempts of records under blocking retry.
    pub attempts: SortedMap<(TopicId, u32, u64), u32>,
    /// Transactional producer used in exactly-once mode.
    pub producer: Option<ProducerId>,
}

impl Member {
    pub fn new(group: GroupId, name: String, now: u64) -> Self {
        Member {
            group,
            name,
            status: Status::Active,
            phase: Phase::Scheduled,
            epoch: 0,
            owned: Vec::new(),
            positions: SortedMap::new(),
            buffer: VecDeque::new(),
            fetch_cursor: 0,
            last_auto_commit: now,
            extra_ms: 0,
            leaving: false,
            in_flight: None,
            attempts: SortedMap::new(),
            producer: None,
        }
    }
}

/// Internal state of one consumer group (the coordinator's view).
#[derive(Clone, Debug)]
pub(crate) struct Group {
    pub config: GroupConfig,
    /// Subscribed topics, retry topics included.
    pub topics: Vec<TopicId>,
    /// Members the coordinator knows, in join order.
    pub members: Vec<MemberId>,
    pub generation: u32,
    pub rebalancing: bool,
    pub joined: SortedSet<MemberId>,
    pub committed: SortedMap<(TopicId, u32), u64>,
    pub owner: SortedMap<(TopicId, u32), MemberId>,
    /// The last assignment handed out (the eager sticky assignor's memory of ownership).
    pub last_assignment: SortedMap<MemberId, Vec<(TopicId, u32)>>,
    pub isolation: Isolation,
    pub next_instance: u32,
}

impl Group {
    pub fn new(config: GroupConfig, topics: Vec<TopicId>) -> Self {
        let isolation = config.effective_isolation();
        Group {
            config,
            topics,
            members: Vec::new(),
            generation: 0,
            rebalancing: false,
            joined: SortedSet::new(),
            committed: SortedMap::new(),
            owner: SortedMap::new(),
            last_assignment: SortedMap::new(),
            isolation,
            next_instance: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_kafkas() {
        let c = GroupConfig::new("g", &["t"]);
        assert_eq!(c.mode, DeliveryMode::AutoCommit { interval_ms: 5_000 });
        assert_eq!(c.offset_reset, OffsetReset::Latest);
        assert_eq!(c.isolation, Isolation::ReadUncommitted);
        assert_eq!(c.assignor, AssignorKind::Range);
        assert_eq!(c.session_timeout_ms, 45_000);
        assert_eq!(c.max_poll_interval_ms, 300_000);
        assert_eq!(c.max_poll_records, 500);
        let old = c.earliest().at_least_once();
        assert_eq!(old.mode, DeliveryMode::AtLeastOnce);
        assert_eq!(old.offset_reset, OffsetReset::Earliest);
    }

    #[test]
    fn exactly_once_reads_committed() {
        let mut c = GroupConfig::new("g", &["t"]);
        assert_eq!(c.effective_isolation(), Isolation::ReadUncommitted);
        c.mode = DeliveryMode::ExactlyOnce;
        assert_eq!(c.effective_isolation(), Isolation::ReadCommitted);
    }

    #[test]
    fn config_round_trips_through_json() {
        let mut c = GroupConfig::new("g", &["a", "b"]);
        c.retry = RetryPolicy {
            max_attempts: 3,
            mode: RetryMode::RetryTopic { backoff_ms: 5 },
            dead_letter: true,
        };
        let json = serde_json::to_string(&c).unwrap_or_default();
        let back: Result<GroupConfig, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(c));
    }
}
