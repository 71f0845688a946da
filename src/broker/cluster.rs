//! The cluster: topics, consumer groups, transactional producers, the scheduler and the trace.
//!
//! A caller creates topics and groups, produces records, injects faults, and drives time with
//! [`Cluster::step`] (one event at a time) or [`Cluster::run_until`] (one animation frame).

use super::group::{Group, GroupConfig, Member, Phase, RetryMode, Status};
use super::log::{Isolation, PartitionLog, MAX_RECORD_BYTES};
use super::murmur2::partition_for_key;
use super::scheduler::{Scheduler, SplitMix64};
use super::shared_vec::SharedVec;
use super::sorted::{SortedMap, SortedSet};
use super::trace::{TraceEntry, TraceEvent, TraceHasher};
use super::types::{
    topic_names_collide, validate_name, BrokerError, DeliveryId, GroupId, Header, MemberId,
    Produce, ProduceRequest, ProducerId, Record, RecordMetadata, TopicId, TopicPartition,
};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Largest partition count a topic may have.
pub const MAX_PARTITIONS: u32 = 10_000;

/// Configuration of a topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicConfig {
    /// Number of partitions (1..=MAX_PARTITIONS).
    pub partitions: u32,
    /// `retention.ms`: sealed segments whose newest record is older are deleted.
    pub retention_ms: Option<u64>,
    /// `retention.bytes`: oldest sealed segments are deleted while the partition is larger.
    pub retention_bytes: Option<u64>,
    /// Records per segment before a new one is rolled.
    pub segment_records: u32,
}

impl TopicConfig {
    /// `partitions` partitions, no retention, 4096 records per segment.
    pub fn new(partitions: u32) -> Self {
        TopicConfig {
            partitions,
            retention_ms: None,
            retention_bytes: None,
            segment_records: 4096,
        }
    }
}

/// Configuration of the whole cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterConfig {
    /// Seed of the random generator (processing failures).
    pub seed: u64,
    /// Keep every trace entry in memory (the trace hash is always maintained).
    pub keep_trace: bool,
    /// `log.retention.check.interval.ms`.
    pub retention_check_ms: u64,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            seed: 0,
            keep_trace: true,
            retention_check_ms: 5_000,
        }
    }
}

/// Running counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Records appended (markers excluded).
    pub produced: u64,
    /// Deliveries to members.
    pub delivered: u64,
    /// Processing attempts that finished the record (ok, retried elsewhere, dead-lettered, skipped).
    pub handled: u64,
    /// Accepted offset commits.
    pub commits: u64,
    /// Rebalances started.
    pub rebalances: u64,
    /// Trace events emitted.
    pub events: u64,
}

/// Lag of one partition for a group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionLag {
    /// Topic name.
    pub topic: String,
    /// Partition number.
    pub partition: u32,
    /// End offset visible to the group (last stable offset for read_committed).
    pub end_offset: u64,
    /// Committed offset, if any.
    pub committed: Option<u64>,
    /// Lag in offsets: end offset minus committed (or log start when nothing is committed).
    pub lag: u64,
    /// Lag in time: age of the oldest unconsumed record relative to now (0 when caught up).
    pub lag_ms: u64,
}

/// Lag of a group over all its partitions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupLag {
    /// Group name.
    pub group: String,
    /// Per-partition figures.
    pub partitions: Vec<PartitionLag>,
    /// Sum of partition lags in offsets.
    pub total: u64,
    /// Largest partition lag in time.
    pub max_lag_ms: u64,
}

#[derive(Clone, Debug)]
pub(crate) struct Topic {
    pub name: String,
    pub config: TopicConfig,
    /// The partitions' logs, shared with clones of the cluster shard by shard.
    pub partitions: SharedVec<PartitionLog>,
    pub round_robin: u32,
    pub subscribers: Vec<GroupId>,
    /// For a retry topic: the topic it retries.
    pub retry_of: Option<TopicId>,
    pub retry_topic: Option<TopicId>,
    pub dead_letter_topic: Option<TopicId>,
}

#[derive(Clone, Debug)]
pub(crate) struct TxnProducer {
    pub open: bool,
    pub partitions: SortedSet<(TopicId, u32)>,
}

/// Scheduled work.
#[derive(Clone, Debug)]
pub(crate) enum Action {
    Poll {
        member: MemberId,
        epoch: u32,
    },
    Complete {
        member: MemberId,
        epoch: u32,
        delivery: DeliveryId,
    },
    Commit {
        member: MemberId,
        epoch: u32,
        topic: TopicId,
        partition: u32,
        offset: u64,
    },
    SessionExpire {
        member: MemberId,
        epoch: u32,
    },
    PollTimeout {
        member: MemberId,
        epoch: u32,
        delivery: DeliveryId,
    },
    AutoCommit {
        member: MemberId,
        epoch: u32,
    },
    Produce(Box<ProduceRequest>),
    Crash {
        member: MemberId,
    },
    Retention,
}

/// True when a scheduled action would find nothing to do (its member moved on).
fn is_stale(members: &[Member], action: &Action) -> bool {
    let member = |m: &MemberId| members.get(m.0 as usize);
    match action {
        Action::Poll { member: m, epoch } => {
            member(m).is_none_or(|x| x.epoch != *epoch || x.phase != Phase::Scheduled)
        }
        Action::Complete {
            member: m,
            epoch,
            delivery,
        } => member(m).is_none_or(|x| {
            x.epoch != *epoch
                || !matches!(x.status, Status::Active | Status::Fenced)
                || !x
                    .in_flight
                    .is_some_and(|f| f.delivery == *delivery && f.outcome.is_some())
        }),
        Action::Commit {
            member: m, epoch, ..
        } => member(m).is_none_or(|x| x.epoch != *epoch),
        Action::SessionExpire { member: m, epoch } => {
            member(m).is_none_or(|x| x.epoch != *epoch || x.status != Status::Crashed)
        }
        Action::PollTimeout {
            member: m,
            epoch,
            delivery,
        } => member(m).is_none_or(|x| {
            x.epoch != *epoch
                || x.status != Status::Active
                || x.in_flight.is_none_or(|f| f.delivery != *delivery)
        }),
        Action::AutoCommit { member: m, epoch } => member(m).is_none_or(|x| {
            x.epoch != *epoch
                || x.status != Status::Active
                || x.phase != Phase::Waiting
                || !x.buffer.is_empty()
        }),
        Action::Produce(_) | Action::Crash { .. } | Action::Retention => false,
    }
}

/// The broker: topics, groups, producers, scheduler and trace.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub(crate) config: ClusterConfig,
    pub(crate) topics: Vec<Topic>,
    pub(crate) topic_ids: SortedMap<String, TopicId>,
    pub(crate) header_names: Vec<String>,
    pub(crate) header_ids: SortedMap<String, u32>,
    pub(crate) groups: Vec<Group>,
    pub(crate) group_ids: SortedMap<String, GroupId>,
    pub(crate) members: Vec<Member>,
    pub(crate) producers: Vec<TxnProducer>,
    pub(crate) producer_ids: SortedMap<String, ProducerId>,
    pub(crate) sched: Scheduler<Action>,
    pub(crate) trace: Vec<TraceEntry>,
    pub(crate) hasher: TraceHasher,
    pub(crate) outbox: VecDeque<TraceEntry>,
    pub(crate) collecting: bool,
    pub(crate) rng: SplitMix64,
    pub(crate) next_delivery: u64,
    pub(crate) poison: SortedSet<(TopicId, u32, u64)>,
    pub(crate) stats: Stats,
    pub(crate) retention_scheduled: bool,
}

impl Cluster {
    /// An empty cluster at time 0.
    pub fn new(config: ClusterConfig) -> Self {
        Cluster {
            config,
            topics: Vec::new(),
            topic_ids: SortedMap::new(),
            header_names: Vec::new(),
            header_ids: SortedMap::new(),
            groups: Vec::new(),
            group_ids: SortedMap::new(),
            members: Vec::new(),
            producers: Vec::new(),
            producer_ids: SortedMap::new(),
            sched: Scheduler::new(),
            trace: Vec::new(),
            hasher: TraceHasher::default(),
            outbox: VecDeque::new(),
            collecting: false,
            rng: SplitMix64::new(config.seed),
            next_delivery: 0,
            poison: SortedSet::new(),
            stats: Stats::default(),
            retention_scheduled: false,
        }
    }

    /// An empty cluster with default configuration and the given seed.
    pub fn with_seed(seed: u64) -> Self {
        Cluster::new(ClusterConfig {
            seed,
            ..ClusterConfig::default()
        })
    }

    // ----- trace -------------------------------------------------------------------------

    pub(crate) fn emit(&mut self, event: TraceEvent) {
        let entry = TraceEntry {
            at: self.sched.now(),
            event,
        };
        self.hasher.entry(&entry);
        self.stats.events = self.stats.events.saturating_add(1);
        if self.config.keep_trace {
            self.trace.push(entry);
        }
        if self.collecting {
            self.outbox.push_back(entry);
        }
    }

    /// Every event so far (empty when `keep_trace` is off).
    pub fn trace(&self) -> &[TraceEntry] {
        &self.trace
    }

    /// Stable hash of the whole trace (maintained even when entries are not kept).
    pub fn trace_hash(&self) -> u64 {
        self.hasher.finish()
    }

    /// Running counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Current simulated time in milliseconds.
    pub fn now(&self) -> u64 {
        self.sched.now()
    }

    /// Number of pending scheduled actions.
    pub fn pending(&self) -> usize {
        self.sched.len()
    }

    /// Time of the next scheduled action.
    pub fn next_time(&self) -> Option<u64> {
        self.sched.peek_time()
    }

    /// True when [`Cluster::step_until`] with `t` may have something to return: an event
    /// waiting, or an action due at or before `t` (one that turns out stale counts too).
    pub fn due_by(&self, t: u64) -> bool {
        !self.outbox.is_empty() || self.sched.peek_time().is_some_and(|at| at <= t)
    }

    // ----- simulation loop ---------------------------------------------------------------

    /// Drops cancelled timers at the head of the queue (they would do nothing).
    fn skip_stale(&mut self) {
        let members = &self.members;
        self.sched.skip_stale(|a| is_stale(members, a));
    }

    /// Runs scheduled actions until one emits an event and returns it; `None` when idle.
    /// Actions emitting several events return them one per call, in order.
    pub fn step(&mut self) -> Option<TraceEntry> {
        loop {
            if let Some(e) = self.outbox.pop_front() {
                return Some(e);
            }
            self.skip_stale();
            let (_, action) = self.sched.pop()?;
            self.collecting = true;
            self.execute(action);
            self.collecting = false;
        }
    }

    /// Like [`Cluster::step`], but runs only actions due at or before `t` (the clock stays put
    /// otherwise); `None` when nothing is left up to `t`. Lets a driver interleave its own
    /// timers with the broker's in time order.
    pub fn step_until(&mut self, t: u64) -> Option<TraceEntry> {
        loop {
            if let Some(e) = self.outbox.pop_front() {
                return Some(e);
            }
            self.skip_stale();
            if self.sched.peek_time()? > t {
                return None;
            }
            let (_, action) = self.sched.pop()?;
            self.collecting = true;
            self.execute(action);
            self.collecting = false;
        }
    }

    /// Runs every action due at or before `t`, then moves the clock to `t`; returns the
    /// number of events emitted (read them from [`Cluster::trace`]).
    pub fn run_until(&mut self, t: u64) -> u64 {
        let before = self.stats.events;
        self.skip_stale();
        while let Some(at) = self.sched.peek_time() {
            if at > t {
                break;
            }
            match self.sched.pop() {
                Some((_, action)) => self.execute(action),
                None => break,
            }
            self.skip_stale();
        }
        self.sched.advance_to(t);
        self.stats.events - before
    }

    /// Runs until nothing is scheduled (timers included, so the clock may move far ahead)
    /// or `max_actions` actions ran; returns the number of actions run.
    pub fn run_until_idle(&mut self, max_actions: u64) -> u64 {
        let mut n = 0;
        while n < max_actions {
            self.skip_stale();
            match self.sched.pop() {
                Some((_, action)) => self.execute(action),
                None => break,
            }
            n += 1;
        }
        n
    }

    fn execute(&mut self, action: Action) {
        match action {
            Action::Poll { member, epoch } => self.on_poll(member, epoch),
            Action::Complete {
                member,
                epoch,
                delivery,
            } => self.on_complete(member, epoch, delivery),
            Action::Commit {
                member,
                epoch,
                topic,
                partition,
                offset,
            } => self.on_commit(member, epoch, topic, partition, offset),
            Action::SessionExpire { member, epoch } => self.on_session_expire(member, epoch),
            Action::PollTimeout {
                member,
                epoch,
                delivery,
            } => self.on_poll_timeout(member, epoch, delivery),
            Action::AutoCommit { member, epoch } => self.on_auto_commit_tick(member, epoch),
            Action::Produce(req) => {
                let now = self.sched.now();
                // A scheduled produce to a topic deleted or never created is dropped.
                let _ = self.produce_owned(&req, now);
            }
            Action::Crash { member } => {
                let _ = self.crash(member);
            }
            Action::Retention => {
                self.retention_scheduled = false;
                self.enforce_retention();
                self.arm_retention();
            }
        }
    }

    fn arm_retention(&mut self) {
        let any = self
            .topics
            .iter()
            .any(|t| t.config.retention_ms.is_some() || t.config.retention_bytes.is_some());
        if any && !self.retention_scheduled && !self.sched.is_empty() {
            self.retention_scheduled = true;
            let at = self
                .sched
                .now()
                .saturating_add(self.config.retention_check_ms.max(1));
            self.sched.schedule(at, Action::Retention);
        }
    }

    /// Schedules a produce at simulated time `at`.
    pub fn schedule_produce(&mut self, at: u64, request: ProduceRequest) {
        self.sched.schedule(at, Action::Produce(Box::new(request)));
        self.arm_retention();
    }

    /// Schedules a crash of `member` at simulated time `at`.
    pub fn schedule_crash(&mut self, at: u64, member: MemberId) {
        self.sched.schedule(at, Action::Crash { member });
    }

    // ----- topics ------------------------------------------------------------------------

    /// Creates a topic with `partitions` partitions and default settings.
    pub fn create_topic(&mut self, name: &str, partitions: u32) -> Result<TopicId, BrokerError> {
        self.create_topic_with(name, TopicConfig::new(partitions))
    }

    /// Creates a topic with explicit settings. A name equal to an existing topic's but for
    /// `.` versus `_` is rejected, as Kafka does.
    pub fn create_topic_with(
        &mut self,
        name: &str,
        config: TopicConfig,
    ) -> Result<TopicId, BrokerError> {
        validate_name(name)?;
        if self.topic_ids.contains_key(name) {
            return Err(BrokerError::TopicExists {
                topic: name.to_string(),
            });
        }
        if let Some(existing) = self
            .topics
            .iter()
            .find(|t| topic_names_collide(&t.name, name))
        {
            return Err(BrokerError::TopicCollision {
                topic: name.to_string(),
                existing: existing.name.clone(),
            });
        }
        if config.partitions == 0 || config.partitions > MAX_PARTITIONS {
            return Err(BrokerError::InvalidPartitionCount {
                topic: name.to_string(),
                partitions: config.partitions,
            });
        }
        let id = TopicId(self.topics.len() as u32);
        self.topics.push(Topic {
            name: name.to_string(),
            config,
            partitions: (0..config.partitions)
                .map(|_| PartitionLog::new(config.segment_records))
                .collect(),
            round_robin: 0,
            subscribers: Vec::new(),
            retry_of: None,
            retry_topic: None,
            dead_letter_topic: None,
        });
        self.topic_ids.insert(name.to_string(), id);
        self.emit(TraceEvent::TopicCreated {
            topic: id,
            partitions: config.partitions,
        });
        self.arm_retention();
        Ok(id)
    }

    /// Grows a topic to `total` partitions; keyed records may map to other partitions afterwards.
    pub fn add_partitions(&mut self, topic: &str, total: u32) -> Result<(), BrokerError> {
        let id = self.topic_id(topic)?;
        let t = &mut self.topics[id.0 as usize];
        let current = t.partitions.len() as u32;
        if total <= current || total > MAX_PARTITIONS {
            return Err(BrokerError::InvalidPartitionCount {
                topic: topic.to_string(),
                partitions: total,
            });
        }
        let seg = t.config.segment_records;
        t.partitions
            .extend((current..total).map(|_| PartitionLog::new(seg)));
        t.config.partitions = total;
        self.emit(TraceEvent::PartitionsAdded {
            topic: id,
            partitions: total,
        });
        let subscribers = self.topics[id.0 as usize].subscribers.clone();
        for g in subscribers {
            if !self.groups[g.0 as usize].members.is_empty() {
                self.trigger_rebalance(g, super::trace::RebalanceReason::Metadata);
            }
        }
        Ok(())
    }

    /// Id of a topic by name.
    pub fn topic_id(&self, name: &str) -> Result<TopicId, BrokerError> {
        self.topic_ids
            .get(name)
            .copied()
            .ok_or_else(|| BrokerError::UnknownTopic {
                topic: name.to_string(),
            })
    }

    /// Name of a topic by id.
    pub fn topic_name(&self, id: TopicId) -> Option<&str> {
        self.topics.get(id.0 as usize).map(|t| t.name.as_str())
    }

    /// Names of all topics, sorted.
    pub fn topic_names(&self) -> Vec<String> {
        self.topic_ids.keys().cloned().collect()
    }

    /// Partition count of a topic.
    pub fn partition_count(&self, topic: &str) -> Result<u32, BrokerError> {
        let id = self.topic_id(topic)?;
        Ok(self.topics[id.0 as usize].partitions.len() as u32)
    }

    pub(crate) fn log(
        &self,
        topic: &str,
        partition: u32,
    ) -> Result<(TopicId, &PartitionLog), BrokerError> {
        let id = self.topic_id(topic)?;
        self.topics[id.0 as usize]
            .partitions
            .get(partition as usize)
            .map(|l| (id, l))
            .ok_or_else(|| BrokerError::UnknownPartition {
                topic: topic.to_string(),
                partition,
            })
    }

    /// Log-start offset of a partition.
    pub fn log_start_offset(&self, topic: &str, partition: u32) -> Result<u64, BrokerError> {
        Ok(self.log(topic, partition)?.1.log_start())
    }

    /// Log-end offset of a partition.
    pub fn log_end_offset(&self, topic: &str, partition: u32) -> Result<u64, BrokerError> {
        Ok(self.log(topic, partition)?.1.log_end())
    }

    /// Last stable offset of a partition (bounded by open transactions).
    pub fn last_stable_offset(&self, topic: &str, partition: u32) -> Result<u64, BrokerError> {
        Ok(self.log(topic, partition)?.1.last_stable())
    }

    /// Kafka `offsetsForTimes`: earliest offset with timestamp >= `ts`, `None` if there is none.
    pub fn offsets_for_times(
        &self,
        topic: &str,
        partition: u32,
        ts: u64,
    ) -> Result<Option<u64>, BrokerError> {
        Ok(self.log(topic, partition)?.1.offset_for_time(ts))
    }

    fn header_name(&self, id: u32) -> String {
        self.header_names
            .get(id as usize)
            .cloned()
            .unwrap_or_default()
    }

    pub(crate) fn header_id(&mut self, name: &str) -> u32 {
        if let Some(id) = self.header_ids.get(name) {
            return *id;
        }
        let id = self.header_names.len() as u32;
        self.header_names.push(name.to_string());
        self.header_ids.insert(name.to_string(), id);
        id
    }

    /// Reads the data record at `offset` (markers and deleted offsets are out of range).
    pub fn record(&self, topic: &str, partition: u32, offset: u64) -> Result<Record, BrokerError> {
        let (_, log) = self.log(topic, partition)?;
        let view = log
            .read(offset)
            .ok_or_else(|| BrokerError::OffsetOutOfRange {
                topic: topic.to_string(),
                partition,
                offset,
            })?;
        Ok(Record {
            offset,
            timestamp: view.meta.timestamp,
            key: view.key.map(|k| String::from_utf8_lossy(k).into_owned()),
            value: view.value.to_vec(),
            headers: view
                .headers
                .iter()
                .map(|(n, v)| Header {
                    name: self.header_name(*n),
                    value: String::from_utf8_lossy(v).into_owned(),
                })
                .collect(),
            producer: view.meta.producer.map(ProducerId),
        })
    }

    pub(crate) fn record_by_id(
        &self,
        topic: TopicId,
        partition: u32,
        offset: u64,
    ) -> Option<Record> {
        let name = self.topic_name(topic)?.to_string();
        self.record(&name, partition, offset).ok()
    }

    /// Reads up to `max` records a consumer with `isolation` would see, starting at `from`.
    pub fn read(
        &self,
        topic: &str,
        partition: u32,
        from: u64,
        max: usize,
        isolation: Isolation,
    ) -> Result<Vec<Record>, BrokerError> {
        let (_, log) = self.log(topic, partition)?;
        let mut out = Vec::new();
        let mut offset = from.max(log.log_start());
        let bound = log.fetch_bound(isolation);
        while offset < bound && out.len() < max {
            if log.visible(offset, isolation) {
                out.push(self.record(topic, partition, offset)?);
            }
            offset += 1;
        }
        Ok(out)
    }

    // ----- produce -----------------------------------------------------------------------

    /// Appends a record (timestamp `now`) and acknowledges it. Keyed records go to
    /// murmur2(key) mod partitions; keyless ones round-robin (a simplification of Kafka's
    /// sticky partitioner, which fills a batch per partition before moving on).
    pub fn produce(
        &mut self,
        record: Produce<'_>,
        now: u64,
    ) -> Result<RecordMetadata, BrokerError> {
        self.append(record, now, None)
    }

    /// Appends an owned produce request.
    pub fn produce_owned(
        &mut self,
        request: &ProduceRequest,
        now: u64,
    ) -> Result<RecordMetadata, BrokerError> {
        self.append_owned(request, now, None)
    }

    pub(crate) fn append_owned(
        &mut self,
        r: &ProduceRequest,
        now: u64,
        producer: Option<ProducerId>,
    ) -> Result<RecordMetadata, BrokerError> {
        let headers: Vec<(&str, &str)> = r
            .headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect();
        let p = Produce {
            topic: &r.topic,
            partition: r.partition,
            key: r.key.as_deref(),
            value: &r.value,
            headers: &headers,
        };
        self.append(p, now, producer)
    }

    pub(crate) fn append(
        &mut self,
        rec: Produce<'_>,
        now: u64,
        producer: Option<ProducerId>,
    ) -> Result<RecordMetadata, BrokerError> {
        let tid = self.topic_id(rec.topic)?;
        let mut stack: [(u32, &[u8]); 8] = [(0, &[]); 8];
        let mut heap: Vec<(u32, &[u8])> = Vec::new();
        let headers: &[(u32, &[u8])] = if rec.headers.len() <= stack.len() {
            for (slot, (name, value)) in stack.iter_mut().zip(rec.headers) {
                *slot = (self.header_id(name), value.as_bytes());
            }
            &stack[..rec.headers.len()]
        } else {
            for (name, value) in rec.headers {
                heap.push((self.header_id(name), value.as_bytes()));
            }
            &heap
        };
        let key = rec.key.map(str::as_bytes);
        let size = PartitionLog::encoded_len(key, rec.value, headers);
        if size > MAX_RECORD_BYTES {
            return Err(BrokerError::RecordTooLarge {
                size: size as u64,
                max: MAX_RECORD_BYTES as u64,
            });
        }
        let topic = &mut self.topics[tid.0 as usize];
        let n = topic.partitions.len() as u32;
        let partition = match (rec.partition, key) {
            (Some(p), _) if p < n => p,
            (Some(p), _) => {
                return Err(BrokerError::UnknownPartition {
                    topic: rec.topic.to_string(),
                    partition: p,
                })
            }
            (None, Some(k)) => partition_for_key(k, n).unwrap_or(0),
            (None, None) => {
                let p = topic.round_robin % n.max(1);
                topic.round_robin = topic.round_robin.wrapping_add(1);
                p
            }
        };
        let Some(log) = topic.partitions.get_mut(partition as usize) else {
            return Err(BrokerError::UnknownPartition {
                topic: rec.topic.to_string(),
                partition,
            });
        };
        let offset = log.append(now, producer.map(|p| p.0), key, rec.value, headers);
        if let Some(pid) = producer {
            if let Some(p) = self.producers.get_mut(pid.0 as usize) {
                p.partitions.insert((tid, partition));
            }
        }
        self.stats.produced = self.stats.produced.saturating_add(1);
        self.emit(TraceEvent::Produced {
            topic: tid,
            partition,
            offset,
            timestamp: now,
            producer,
        });
        self.wake_partition(tid, partition);
        if !self.retention_scheduled {
            self.arm_retention();
        }
        Ok(RecordMetadata {
            topic: tid,
            partition,
            offset,
            timestamp: now,
        })
    }

    /// Wakes members waiting for data on a partition.
    pub(crate) fn wake_partition(&mut self, topic: TopicId, partition: u32) {
        let Some(t) = self.topics.get(topic.0 as usize) else {
            return;
        };
        for gi in 0..t.subscribers.len() {
            let g = self.topics[topic.0 as usize].subscribers[gi];
            let owner = self.groups[g.0 as usize]
                .owner
                .get(&(topic, partition))
                .copied();
            if let Some(m) = owner {
                self.wake(m);
            }
        }
    }

    pub(crate) fn wake(&mut self, m: MemberId) {
        let now = self.sched.now();
        let Some(mem) = self.members.get_mut(m.0 as usize) else {
            return;
        };
        if mem.phase == Phase::Waiting && matches!(mem.status, Status::Active | Status::Fenced) {
            mem.phase = Phase::Scheduled;
            let epoch = mem.epoch;
            self.sched.schedule(now, Action::Poll { member: m, epoch });
        }
    }

    // ----- transactions ------------------------------------------------------------------

    /// Kafka `initTransactions`: the producer for `transactional_id`; an open transaction of
    /// a previous incarnation is aborted (zombie fencing).
    pub fn init_producer(&mut self, transactional_id: &str) -> Result<ProducerId, BrokerError> {
        validate_name(transactional_id)?;
        if let Some(pid) = self.producer_ids.get(transactional_id).copied() {
            if self.producers[pid.0 as usize].open {
                self.end_txn(pid, false);
            }
            return Ok(pid);
        }
        Ok(self.new_producer(transactional_id))
    }

    pub(crate) fn new_producer(&mut self, transactional_id: &str) -> ProducerId {
        let pid = ProducerId(self.producers.len() as u32);
        self.producers.push(TxnProducer {
            open: false,
            partitions: SortedSet::new(),
        });
        self.producer_ids.insert(transactional_id.to_string(), pid);
        pid
    }

    fn producer_mut(&mut self, pid: ProducerId) -> Result<&mut TxnProducer, BrokerError> {
        self.producers
            .get_mut(pid.0 as usize)
            .ok_or(BrokerError::UnknownProducer { producer: pid })
    }

    /// Opens a transaction.
    pub fn begin_transaction(&mut self, pid: ProducerId) -> Result<(), BrokerError> {
        let p = self.producer_mut(pid)?;
        if p.open {
            return Err(BrokerError::TransactionAlreadyOpen { producer: pid });
        }
        p.open = true;
        Ok(())
    }

    /// Appends a record inside the producer's open transaction (invisible to read_committed
    /// consumers until the commit).
    pub fn produce_transactional(
        &mut self,
        pid: ProducerId,
        record: Produce<'_>,
        now: u64,
    ) -> Result<RecordMetadata, BrokerError> {
        if !self.producer_mut(pid)?.open {
            return Err(BrokerError::NoOpenTransaction { producer: pid });
        }
        self.append(record, now, Some(pid))
    }

    /// Commits the open transaction: a commit marker is written to every partition it touched.
    pub fn commit_transaction(&mut self, pid: ProducerId) -> Result<(), BrokerError> {
        if !self.producer_mut(pid)?.open {
            return Err(BrokerError::NoOpenTransaction { producer: pid });
        }
        self.end_txn(pid, true);
        Ok(())
    }

    /// Aborts the open transaction: its records are never shown to read_committed consumers.
    pub fn abort_transaction(&mut self, pid: ProducerId) -> Result<(), BrokerError> {
        if !self.producer_mut(pid)?.open {
            return Err(BrokerError::NoOpenTransaction { producer: pid });
        }
        self.end_txn(pid, false);
        Ok(())
    }

    pub(crate) fn end_txn(&mut self, pid: ProducerId, commit: bool) {
        let now = self.sched.now();
        let parts = match self.producers.get_mut(pid.0 as usize) {
            Some(p) if p.open => {
                p.open = false;
                std::mem::take(&mut p.partitions)
            }
            _ => return,
        };
        for (t, p) in parts {
            let marker = self.topics[t.0 as usize]
                .partitions
                .get_mut(p as usize)
                .and_then(|l| l.append_marker(now, pid.0, commit));
            if let Some(offset) = marker {
                self.emit(TraceEvent::TxnMarker {
                    topic: t,
                    partition: p,
                    offset,
                    producer: pid,
                    commit,
                });
                self.wake_partition(t, p);
            }
        }
        self.emit(if commit {
            TraceEvent::TxnCommitted { producer: pid }
        } else {
            TraceEvent::TxnAborted { producer: pid }
        });
    }

    // ----- retention ---------------------------------------------------------------------

    /// Applies time and size retention to every topic now.
    pub fn enforce_retention(&mut self) {
        let now = self.sched.now();
        for ti in 0..self.topics.len() {
            let cfg = self.topics[ti].config;
            if cfg.retention_ms.is_none() && cfg.retention_bytes.is_none() {
                continue;
            }
            for p in 0..self.topics[ti].partitions.len() {
                // A log with nothing to drop is left alone: changing it would copy its shard.
                let partitions = &self.topics[ti].partitions;
                let start =
                    partitions[p].retention_start(now, cfg.retention_ms, cfg.retention_bytes);
                if start <= partitions[p].log_start() {
                    continue;
                }
                let log = &mut self.topics[ti].partitions[p];
                if log.delete_before(start) {
                    let log_start = log.log_start();
                    self.emit(TraceEvent::LogStartMoved {
                        topic: TopicId(ti as u32),
                        partition: p as u32,
                        log_start,
                    });
                }
            }
        }
    }

    /// Kafka `deleteRecords`: moves the log start of a partition up to `before`.
    pub fn delete_records(
        &mut self,
        topic: &str,
        partition: u32,
        before: u64,
    ) -> Result<u64, BrokerError> {
        let (tid, _) = self.log(topic, partition)?;
        let log = &mut self.topics[tid.0 as usize].partitions[partition as usize];
        if log.delete_before(before) {
            let log_start = log.log_start();
            self.emit(TraceEvent::LogStartMoved {
                topic: tid,
                partition,
                log_start,
            });
        }
        Ok(self.topics[tid.0 as usize].partitions[partition as usize].log_start())
    }

    // ----- groups: queries ---------------------------------------------------------------

    /// Id of a group by name.
    pub fn group_id(&self, name: &str) -> Result<GroupId, BrokerError> {
        self.group_ids
            .get(name)
            .copied()
            .ok_or_else(|| BrokerError::UnknownGroup {
                group: name.to_string(),
            })
    }

    /// Name of a group by id.
    pub fn group_name(&self, id: GroupId) -> Option<&str> {
        self.groups
            .get(id.0 as usize)
            .map(|g| g.config.name.as_str())
    }

    /// Configuration of a group.
    pub fn group_config(&self, group: &str) -> Result<&GroupConfig, BrokerError> {
        Ok(&self.groups[self.group_id(group)?.0 as usize].config)
    }

    /// Members the coordinator currently counts in the group (crashed ones until expiry).
    pub fn members(&self, group: &str) -> Result<Vec<MemberId>, BrokerError> {
        Ok(self.groups[self.group_id(group)?.0 as usize]
            .members
            .clone())
    }

    /// Members that are running and in their group (can be crashed or asked to leave).
    pub fn live_members(&self, group: &str) -> Result<Vec<MemberId>, BrokerError> {
        let g = self.group_id(group)?;
        Ok(self.groups[g.0 as usize]
            .members
            .iter()
            .copied()
            .filter(|m| {
                self.members
                    .get(m.0 as usize)
                    .is_some_and(|x| x.status == Status::Active && !x.leaving)
            })
            .collect())
    }

    /// Display name of a member.
    pub fn member_name(&self, member: MemberId) -> Option<&str> {
        self.members.get(member.0 as usize).map(|m| m.name.as_str())
    }

    /// Group of a member.
    pub fn member_group(&self, member: MemberId) -> Option<GroupId> {
        self.members.get(member.0 as usize).map(|m| m.group)
    }

    /// Partitions a member currently owns.
    pub fn assignment(&self, member: MemberId) -> Result<Vec<TopicPartition>, BrokerError> {
        let m = self
            .members
            .get(member.0 as usize)
            .ok_or(BrokerError::UnknownMember { member })?;
        Ok(m.owned
            .iter()
            .map(|(t, p)| TopicPartition {
                topic: self.topics[t.0 as usize].name.clone(),
                partition: *p,
            })
            .collect())
    }

    /// A member's fetch position for a partition, if it has one.
    pub fn position(
        &self,
        member: MemberId,
        topic: &str,
        partition: u32,
    ) -> Result<Option<u64>, BrokerError> {
        let m = self
            .members
            .get(member.0 as usize)
            .ok_or(BrokerError::UnknownMember { member })?;
        let t = self.topic_id(topic)?;
        Ok(m.positions.get(&(t, partition)).copied())
    }

    /// The group's committed offset for a partition.
    pub fn committed(
        &self,
        group: &str,
        topic: &str,
        partition: u32,
    ) -> Result<Option<u64>, BrokerError> {
        let g = self.group_id(group)?;
        let t = self.topic_id(topic)?;
        Ok(self.groups[g.0 as usize]
            .committed
            .get(&(t, partition))
            .copied())
    }

    /// Generation of a group (incremented by each completed rebalance).
    pub fn generation(&self, group: &str) -> Result<u32, BrokerError> {
        Ok(self.groups[self.group_id(group)?.0 as usize].generation)
    }

    /// Whether a group is in the middle of a rebalance.
    pub fn is_rebalancing(&self, group: &str) -> Result<bool, BrokerError> {
        Ok(self.groups[self.group_id(group)?.0 as usize].rebalancing)
    }

    /// Lag of a group per partition, in offsets and in time (relative to the current time).
    pub fn lag(&self, group: &str) -> Result<GroupLag, BrokerError> {
        let mut out = GroupLag {
            group: group.to_string(),
            partitions: Vec::new(),
            total: 0,
            max_lag_ms: 0,
        };
        self.visit_lag(group, |topic, p| {
            out.total = out.total.saturating_add(p.lag);
            out.max_lag_ms = out.max_lag_ms.max(p.lag_ms);
            out.partitions.push(PartitionLag {
                topic: topic.to_string(),
                ..p
            });
        })?;
        Ok(out)
    }

    /// Visits the lag of each partition of a group's topics, in the order [`Cluster::lag`]
    /// lists them, with the topic's name, without building the list: sampling a group that
    /// reads thousands of partitions stays cheap. The visited `topic` field is left empty.
    pub fn visit_lag(
        &self,
        group: &str,
        mut visit: impl FnMut(&str, PartitionLag),
    ) -> Result<(), BrokerError> {
        let g = &self.groups[self.group_id(group)?.0 as usize];
        let now = self.sched.now();
        for t in &g.topics {
            let topic = &self.topics[t.0 as usize];
            for (p, log) in topic.partitions.iter().enumerate() {
                let committed = g.committed.get(&(*t, p as u32)).copied();
                let end = log.fetch_bound(g.isolation);
                let start = committed.unwrap_or(0).max(log.log_start());
                let lag = end.saturating_sub(start);
                let lag_ms = (start..end)
                    .find(|o| log.visible(*o, g.isolation))
                    .and_then(|o| log.meta(o))
                    .map_or(0, |m| now.saturating_sub(m.timestamp));
                visit(
                    &topic.name,
                    PartitionLag {
                        topic: String::new(),
                        partition: p as u32,
                        end_offset: end,
                        committed,
                        lag,
                        lag_ms,
                    },
                );
            }
        }
        Ok(())
    }

    // ----- groups: admin -----------------------------------------------------------------

    /// Creates a consumer group and its `instances` members. Retry-topic mode creates
    /// `<topic>-retry` (subscribed too); dead-lettering creates `<topic>-dlt`.
    pub fn create_group(&mut self, config: GroupConfig) -> Result<GroupId, BrokerError> {
        validate_name(&config.name)?;
        if self.group_ids.contains_key(&config.name) {
            return Err(BrokerError::GroupExists {
                group: config.name.clone(),
            });
        }
        let invalid = |reason: &str| BrokerError::InvalidGroupConfig {
            group: config.name.clone(),
            reason: reason.to_string(),
        };
        if config.max_poll_records == 0 {
            return Err(invalid("max_poll_records must be at least 1"));
        }
        if config.retry.max_attempts == 0 {
            return Err(invalid("retry.max_attempts must be at least 1"));
        }
        if config.failure_per_million > 1_000_000 {
            return Err(invalid("failure_per_million must be at most 1000000"));
        }
        if config.instances > 1_000 {
            return Err(invalid("at most 1000 instances"));
        }
        let mut topics = Vec::new();
        for name in &config.topics {
            let id = self.topic_id(name)?;
            if !topics.contains(&id) {
                topics.push(id);
            }
        }
        let base = topics.clone();
        for id in base {
            let name = self.topics[id.0 as usize].name.clone();
            let partitions = self.topics[id.0 as usize].partitions.len() as u32;
            if matches!(config.retry.mode, RetryMode::RetryTopic { .. })
                && config.retry.max_attempts > 1
            {
                let retry = self.ensure_topic(&format!("{name}-retry"), partitions)?;
                self.topics[retry.0 as usize].retry_of = Some(id);
                self.topics[id.0 as usize].retry_topic = Some(retry);
                if !topics.contains(&retry) {
                    topics.push(retry);
                }
            }
            if config.retry.dead_letter {
                let dlt = self.ensure_topic(&format!("{name}-dlt"), partitions)?;
                self.topics[id.0 as usize].dead_letter_topic = Some(dlt);
            }
        }
        let id = GroupId(self.groups.len() as u32);
        for t in &topics {
            self.topics[t.0 as usize].subscribers.push(id);
        }
        let instances = config.instances;
        self.group_ids.insert(config.name.clone(), id);
        self.groups.push(Group::new(config, topics));
        for _ in 0..instances {
            self.join_id(id);
        }
        Ok(id)
    }

    fn ensure_topic(&mut self, name: &str, partitions: u32) -> Result<TopicId, BrokerError> {
        match self.topic_ids.get(name) {
            Some(id) => Ok(*id),
            None => self.create_topic(name, partitions),
        }
    }

    /// Adds a member to a group (a new consumer instance); triggers a rebalance.
    pub fn join(&mut self, group: &str) -> Result<MemberId, BrokerError> {
        let g = self.group_id(group)?;
        Ok(self.join_id(g))
    }

    /// Fault: records at this offset fail every processing attempt.
    pub fn poison(&mut self, topic: &str, partition: u32, offset: u64) -> Result<(), BrokerError> {
        let (tid, _) = self.log(topic, partition)?;
        if self.poison.insert((tid, partition, offset)) {
            self.emit(TraceEvent::Poisoned {
                topic: tid,
                partition,
                offset,
            });
        }
        Ok(())
    }

    pub(crate) fn member_ref(&self, member: MemberId) -> Result<&Member, BrokerError> {
        self.members
            .get(member.0 as usize)
            .ok_or(BrokerError::UnknownMember { member })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_records_follow_murmur2_and_keyless_round_robin() {
        let mut c = Cluster::with_seed(1);
        c.create_topic("t", 4).unwrap();
        let m = c.produce(Produce::new("t", b"v").key("foobar"), 0).unwrap();
        assert_eq!(m.partition, partition_for_key(b"foobar", 4).unwrap());
        let parts: Vec<u32> = (0..8)
            .map(|_| c.produce(Produce::new("t", b"v"), 0).unwrap().partition)
            .collect();
        assert_eq!(parts, vec![0, 1, 2, 3, 0, 1, 2, 3]);
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let mut c = Cluster::with_seed(1);
        assert_eq!(
            c.create_topic("t", 0),
            Err(BrokerError::InvalidPartitionCount {
                topic: "t".into(),
                partitions: 0
            })
        );
        assert_eq!(
            c.create_topic("bad name", 1),
            Err(BrokerError::InvalidName {
                name: "bad name".into()
            })
        );
        c.create_topic("t", 1).unwrap();
        assert_eq!(
            c.create_topic("t", 1),
            Err(BrokerError::TopicExists { topic: "t".into() })
        );
        assert_eq!(
            c.produce(Produce::new("nope", b""), 0),
            Err(BrokerError::UnknownTopic {
                topic: "nope".into()
            })
        );
        assert_eq!(
            c.produce(Produce::new("t", b"").partition(3), 0),
            Err(BrokerError::UnknownPartition {
                topic: "t".into(),
                partition: 3
            })
        );
        let big = vec![0u8; MAX_RECORD_BYTES + 1];
        assert!(matches!(
            c.produce(Produce::new("t", &big), 0),
            Err(BrokerError::RecordTooLarge { .. })
        ));
        assert_eq!(
            c.add_partitions("t", 1),
            Err(BrokerError::InvalidPartitionCount {
                topic: "t".into(),
                partitions: 1
            })
        );
        assert!(matches!(
            c.record("t", 0, u64::MAX),
            Err(BrokerError::OffsetOutOfRange { .. })
        ));
        assert!(matches!(
            c.create_group(GroupConfig::new("g", &["missing"])),
            Err(BrokerError::UnknownTopic { .. })
        ));
    }

    #[test]
    fn records_round_trip_with_headers() {
        let mut c = Cluster::with_seed(1);
        c.create_topic("t", 1).unwrap();
        let headers = [("correlation-id", "c-1"), ("causation-id", "e-0")];
        c.produce(Produce::new("t", b"payload").key("k").headers(&headers), 42)
            .unwrap();
        let r = c.record("t", 0, 0).unwrap();
        assert_eq!(r.key.as_deref(), Some("k"));
        assert_eq!(r.value, b"payload");
        assert_eq!(r.timestamp, 42);
        assert_eq!(r.header("correlation-id"), Some("c-1"));
        assert_eq!(r.header("causation-id"), Some("e-0"));
    }

    #[test]
    fn transactions_hide_records_until_commit() {
        let mut c = Cluster::with_seed(1);
        c.create_topic("t", 1).unwrap();
        let pid = c.init_producer("tx").unwrap();
        assert_eq!(
            c.commit_transaction(pid),
            Err(BrokerError::NoOpenTransaction { producer: pid })
        );
        c.begin_transaction(pid).unwrap();
        assert_eq!(
            c.begin_transaction(pid),
            Err(BrokerError::TransactionAlreadyOpen { producer: pid })
        );
        c.produce_transactional(pid, Produce::new("t", b"a"), 0)
            .unwrap();
        assert!(c
            .read("t", 0, 0, 10, Isolation::ReadCommitted)
            .unwrap()
            .is_empty());
        assert_eq!(
            c.read("t", 0, 0, 10, Isolation::ReadUncommitted)
                .unwrap()
                .len(),
            1
        );
        c.commit_transaction(pid).unwrap();
        assert_eq!(
            c.read("t", 0, 0, 10, Isolation::ReadCommitted)
                .unwrap()
                .len(),
            1
        );
        c.begin_transaction(pid).unwrap();
        c.produce_transactional(pid, Produce::new("t", b"b"), 0)
            .unwrap();
        c.abort_transaction(pid).unwrap();
        let committed: Vec<Vec<u8>> = c
            .read("t", 0, 0, 10, Isolation::ReadCommitted)
            .unwrap()
            .into_iter()
            .map(|r| r.value)
            .collect();
        assert_eq!(committed, vec![b"a".to_vec()]);
        // Offsets: a=0, commit marker=1, b=2, abort marker=3.
        assert_eq!(c.log_end_offset("t", 0).unwrap(), 4);
        assert_eq!(
            c.produce_transactional(ProducerId(99), Produce::new("t", b""), 0),
            Err(BrokerError::UnknownProducer {
                producer: ProducerId(99)
            })
        );
    }

    #[test]
    fn retention_runs_on_schedule() {
        let mut c = Cluster::with_seed(1);
        let cfg = TopicConfig {
            partitions: 1,
            retention_ms: Some(100),
            retention_bytes: None,
            segment_records: 2,
        };
        c.create_topic_with("t", cfg).unwrap();
        for i in 0..6 {
            c.produce(Produce::new("t", b"x"), i).unwrap();
        }
        c.schedule_produce(
            20_000,
            ProduceRequest {
                topic: "t".into(),
                partition: None,
                key: None,
                value: vec![],
                headers: vec![],
            },
        );
        c.run_until(20_000);
        assert_eq!(c.log_start_offset("t", 0).unwrap(), 6);
        assert!(c
            .trace()
            .iter()
            .any(|e| matches!(e.event, TraceEvent::LogStartMoved { log_start: 6, .. })));
    }
}
