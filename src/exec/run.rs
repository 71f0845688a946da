//! The run: one discrete-event clock shared with the broker, the flow of commands and events,
//! faults, counters, lag samples, the event log and the signs of hazards seen while running.
//!
//! The parts: [`setup`] (the broker set up from the plan), [`clock`] (timers and stepping),
//! [`flow`] (sources, commands, calls), [`publish`] (events onto topics), [`consume`]
//! (deliveries, effects, acknowledgements), [`reads`] (reads of views), [`faults`], [`record`] (event log, token hops, trace hash, signs) and [`sample`] (lag and
//! partition progress). Signs that need the whole run to judge (hot partitions, sagas left half
//! done, growing lag) are judged by the dynamic analysis from what the run records.

mod clock;
mod consume;
mod debris;
mod deliveries;
mod entities;
mod faults;
mod flow;
mod history;
mod partition_log;
mod publish;
mod reads;
mod record;
mod sample;
mod setup;
mod shared_map;
mod timeline;
mod tokens;

use super::{
    ix::{GroupIx, NoteIx, TopicIx},
    CausalStep, Diagnostic, ExecEvent, Hop, InstanceState, LagSample, MessageId, MessageKind,
    NoteCounters, Plan, RunConfig, Sign, SignKind,
};
use crate::collections::HashMap;
use crate::{
    broker::{
        scheduler::SplitMix64,
        shared_vec::SharedVec,
        sorted::{SortedMap, SortedSet},
        Cluster, DeliveryId, MemberId, TopicId,
    },
    model::{Board, NoteId},
};
pub use clock::Stepped;
use clock::{Journal, Timer};
pub use deliveries::{partition_label, topic_label, Delivery, NextDelivery};
pub use entities::{HistoryStep, ViewRow};
pub use history::{History, Iter as HistoryIter};
pub use partition_log::{Cursor, LogRecord, PartitionLog};
pub(crate) use record::mix;
use shared_map::SharedMap;
use std::{cmp::Reverse, collections::BinaryHeap};
pub use timeline::{Leftovers, Timeline, FIRST_SPACING, MAX_CHECKPOINTS, MAX_RUN_WORK};
pub use tokens::{aggregate, shown, Pacing, Token, MAX_CHAINED_HOPS, MIN_SHOW_REAL_MS};

/// The lag series of a note that has no group.
const NO_LAG: &History<LagSample> = &History::new();

/// A message of the run (command or event), at its [`MessageId`].
#[derive(Clone, Copy, Debug)]
struct Msg {
    /// True for an event, false for a command.
    event: bool,
    /// The command or event note.
    note: NoteIx,
    /// Who issued or published it (none for an injected poison message).
    origin: Option<NoteIx>,
    /// The key it is about.
    entity: u64,
    /// Its correlation id: the first message of its flow.
    corr: MessageId,
    /// The message that caused it (none for the first of a flow).
    cause: Option<MessageId>,
    /// When it was issued or published (ms).
    at: u64,
    /// For an event an aggregate saved: that aggregate.
    agg: Option<NoteIx>,
    /// For an event an aggregate saved: the entity's version it saved (else 0).
    version: u64,
    /// For a command: issued by a source, which reads its views after this write.
    from_source: bool,
}

/// A record on the broker: topic (broker id), partition and offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct RecordAt {
    topic: TopicId,
    partition: u32,
    offset: u64,
}

/// A read of a view for one entity of one aggregate.
#[derive(Clone, Copy, Debug)]
struct Read {
    /// Who reads.
    reader: NoteIx,
    /// The read model read.
    view: NoteIx,
    /// The aggregate whose entity is read.
    aggregate: NoteIx,
    /// The entity.
    entity: u64,
    /// The version of the entity the reader wrote or knows (0: nothing to compare).
    version: u64,
    /// When that version was written (ms).
    written: u64,
    /// The message the read belongs to.
    msg: MessageId,
}

/// The key of what a consumer or aggregate remembers about one entity of one aggregate.
type EntityKey = (NoteIx, u64);

/// A message a consumer is processing.
#[derive(Clone)]
struct Pending {
    /// The consumer's group.
    group: GroupIx,
    /// The instance processing it.
    member: MemberId,
    /// The message.
    msg: MessageId,
    /// Where the record sits on the broker.
    record: RecordAt,
    /// True when processing will fail.
    fail: bool,
    /// True when its effect is void: its view was rebuilt while it was being processed (the
    /// record is read again from the start).
    void: bool,
}

/// A record a group keeps failing to process: its offset and the failures in a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Failing {
    /// The offset that failed last on its partition.
    offset: u64,
    /// How many times in a row processing failed on that offset.
    failures: u32,
}

/// An entity's version an aggregate saved last, and when.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Saved {
    /// The version (0: never saved).
    version: u64,
    /// When it was saved (ms).
    at: u64,
}

/// How a group's committed offset on one partition moves.
#[derive(Clone, Copy, Debug)]
struct Progress {
    /// Committed offset at the last move.
    committed: Option<u64>,
    /// End offset at the last move.
    end: u64,
    /// When it last moved (ms).
    since: u64,
    /// True once reported stuck (until it moves again).
    stuck: bool,
}

impl Progress {
    /// Progress first seen at `since`.
    fn new(since: u64) -> Progress {
        Progress {
            committed: None,
            end: 0,
            since,
            stuck: false,
        }
    }
}

/// What the run keeps per consumer group.
#[derive(Clone, Default)]
struct GroupState {
    /// Bit set of the messages it applied, by message id (in shared chunks: it grows with
    /// the run).
    applied: History<u64>,
    /// Last version applied per aggregate entity.
    versions: SharedMap<EntityKey, u64>,
    /// Lag samples, every `sample_ms`.
    lag: History<LagSample>,
    /// Per partition of its topics (retry topics left out), in the broker's lag order.
    progress: Vec<Progress>,
    /// Per partition (broker topic and partition): the record whose processing keeps failing,
    /// cleared when a record of that partition is processed.
    failing: SortedMap<(TopicId, u32), Failing>,
}

/// A failure event the run published, for the judgement of sagas left half done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublishedFailure {
    /// When it was published (ms).
    pub at: u64,
    /// The event message.
    pub message: MessageId,
}

/// A board running on the broker, driven one animation frame at a time. A clone is a
/// checkpoint: it goes on exactly as the original would, and shares the recorded history
/// (event log, hops, messages, lag, the broker's sealed log segments) with it.
#[derive(Clone)]
pub struct Run {
    /// The board as it was when the run started.
    board: Board,
    /// The board compiled (partition counts follow added partitions).
    plan: Plan,
    /// The run's settings.
    config: RunConfig,
    /// The broker.
    cluster: Cluster,
    /// The seeded source of every random choice of the run (the broker has its own).
    rng: SplitMix64,
    /// This module's timers, earliest first.
    timers: BinaryHeap<Reverse<Timer>>,
    /// Timers scheduled so far (ties at one time run in scheduling order).
    seq: u64,
    /// Simulated time (ms).
    now: u64,
    /// Every message so far, by id.
    msgs: History<Msg>,
    /// Per topic, per partition: the message at each offset (partitions in shared shards: a
    /// topic may have a thousand).
    offsets: Vec<SharedVec<History<Option<MessageId>>>>,
    /// Per topic, per partition: messages published.
    traffic: Vec<Vec<u64>>,
    /// Per broker topic id: the plan's topic (none for retry and dead-letter topics).
    topic_of_broker: Vec<Option<TopicIx>>,
    /// Per broker group id: the plan's group.
    group_of_broker: Vec<Option<GroupIx>>,
    /// Per plan group: what it applied, its lag and its partitions' progress.
    groups: Vec<GroupState>,
    /// Messages being processed, by delivery (looked up by delivery only: what is read in order
    /// is sorted first, so runs stay deterministic).
    pending: HashMap<DeliveryId, Pending>,
    /// Messages applied and waiting for their acknowledgement, by delivery.
    acking: HashMap<DeliveryId, MemberId>,
    /// Time added to each message a slowed instance processes (ms).
    extra: SortedMap<MemberId, u64>,
    /// Per note: its live counters.
    counters: Vec<NoteCounters>,
    /// Per aggregate entity: the version saved last, and when.
    agg_versions: SharedMap<EntityKey, Saved>,
    /// Per note: an aggregate crashes between save and publish on its next command.
    agg_crash_armed: Vec<bool>,
    /// Per note: an aggregate is down until then (ms).
    agg_down_until: Vec<u64>,
    /// Per note: an external system is down.
    system_down: Vec<bool>,
    /// Per note: time an external system adds to every call (ms).
    system_extra_ms: Vec<u64>,
    /// Per source: commands issued so far.
    issued: Vec<u64>,
    /// Passes of each correlation id through each policy.
    loops: SharedMap<(MessageId, NoteIx), u32>,
    /// The event log (when `record_events`).
    events: History<ExecEvent>,
    /// Token hops, sorted by start (when `record_events`).
    hops: History<Hop>,
    /// The longest hop so far (ms).
    longest_hop: u64,
    /// Signs seen while running, by kind and notes.
    signs: SortedMap<(SignKind, Vec<NoteIx>), Sign>,
    /// Recent failed calls: when, and which system.
    call_failures: Vec<(u64, NoteIx)>,
    /// Failure events published.
    failure_events: History<PublishedFailure>,
    /// Records a poison fault made fail every attempt.
    poisoned: SortedSet<RecordAt>,
    /// Failure events a compensating policy applied.
    compensated: SharedMap<MessageId, ()>,
    /// Faults applied and scheduled, replayed by [`Run::state_at`].
    journal: Vec<Journal>,
    /// Hash of the run's own events (mixed with the broker's trace hash).
    hash: u64,
    /// Commands issued so far (sources and policies).
    commands: u64,
    /// Units of work done so far (broker entries handled, timers executed).
    work: u64,
    /// True when the last step reached its target (the clocks stand at `now`).
    settled: bool,
}

impl Run {
    /// Warnings found while compiling (the run goes on).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.plan.diagnostics
    }

    /// The compiled board.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The board as it was when the run started.
    pub fn board(&self) -> &Board {
        &self.board
    }

    /// The run's settings.
    pub fn config(&self) -> &RunConfig {
        &self.config
    }

    /// Current simulated time (ms).
    pub fn now(&self) -> u64 {
        self.now
    }

    /// Commands issued so far (by sources and policies).
    pub fn commands_issued(&self) -> u64 {
        self.commands
    }

    /// Counters of a note.
    pub fn counters(&self, note: &NoteId) -> Option<&NoteCounters> {
        self.plan.ix(note).map(|i| &self.counters[i.index()])
    }

    /// Counters of the note at a position.
    pub fn counters_at(&self, note: NoteIx) -> Option<&NoteCounters> {
        self.counters.get(note.index())
    }

    /// Counters of every note, in board order.
    pub fn all_counters(&self) -> Vec<(NoteId, NoteCounters)> {
        self.plan
            .ids
            .iter()
            .cloned()
            .zip(self.counters.iter().cloned())
            .collect()
    }

    /// Every note's live counters, borrowed (no copy: for drawing every frame).
    pub fn each_counter(&self) -> impl Iterator<Item = (&NoteId, &NoteCounters)> {
        self.plan.ids.iter().zip(self.counters.iter())
    }

    /// The instances of a consumer's group, with their assigned partitions (board topic names).
    pub fn instances(&self, note: &NoteId) -> Vec<InstanceState> {
        let Some(g) = self.plan.group_of(note) else {
            return Vec::new();
        };
        let live = self.cluster.live_members(&g.name).unwrap_or_default();
        self.cluster
            .members(&g.name)
            .unwrap_or_default()
            .into_iter()
            .map(|m| InstanceState {
                name: self.cluster.member_name(m).unwrap_or_default().to_string(),
                alive: live.contains(&m),
                partitions: self
                    .cluster
                    .assignment(m)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|mut tp| {
                        if let Some(t) = self.plan.topics.iter().find(|t| t.broker_name == tp.topic)
                        {
                            tp.topic = t.name.clone();
                        }
                        tp
                    })
                    .collect(),
            })
            .collect()
    }

    /// Lag samples of a consumer's group over time (every `sample_ms`).
    pub fn lag_series(&self, note: &NoteId) -> &History<LagSample> {
        self.plan
            .ix(note)
            .and_then(|i| self.plan.group_ix(i))
            .map_or(NO_LAG, |g| self.group_lag(g))
    }

    /// Lag samples of a group over time.
    pub fn group_lag(&self, group: GroupIx) -> &History<LagSample> {
        self.groups.get(group.index()).map_or(NO_LAG, |s| &s.lag)
    }

    /// The event log (empty when `record_events` is off).
    pub fn events(&self) -> &History<ExecEvent> {
        &self.events
    }

    /// Every message hop recorded so far, sorted by start (empty when `record_events` is off).
    pub fn hops(&self) -> &History<Hop> {
        &self.hops
    }

    /// Tokens on links at time `t`: hops that started by `t` and had not arrived (each shown at
    /// least `min_hop_ms`, so instant hops stay visible).
    pub fn tokens_in_flight(&self, t: u64) -> Vec<Hop> {
        let min = self.config.min_hop_ms;
        let upto = self.hops.partition_point(|h| h.start <= t);
        let reach = self.longest_hop.max(min);
        let mut out: Vec<Hop> = self
            .hops
            .range(0..upto)
            .rev()
            .take_while(|h| h.start.saturating_add(reach) >= t)
            .filter(|h| h.end.max(h.start.saturating_add(min)) > t)
            .cloned()
            .collect();
        out.reverse();
        out
    }

    /// Stable hash of everything that happened (broker trace and run events).
    pub fn trace_hash(&self) -> u64 {
        record::mix(self.hash, self.cluster.trace_hash())
    }

    /// Messages published per partition of a topic (board name).
    pub fn partition_traffic(&self, topic: &str) -> Option<&[u64]> {
        let t = self.plan.topics.iter().position(|x| x.name == topic)?;
        Some(&self.traffic[t])
    }

    /// Messages published per partition of a topic of the plan.
    pub(crate) fn traffic_at(&self, topic: TopicIx) -> &[u64] {
        &self.traffic[topic.index()]
    }

    /// The broker underneath (read-only).
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// Number of messages so far.
    pub fn message_count(&self) -> u64 {
        self.msgs.len() as u64
    }

    /// The chain from a message back to the source action that caused it (first: the
    /// message; last: the command the actor or source issued, whose `origin` is that source).
    pub fn causal_chain(&self, message: MessageId) -> Vec<CausalStep> {
        let mut out = Vec::new();
        let mut m = message;
        while let Some(msg) = self.msgs.get(m.0 as usize) {
            out.push(CausalStep {
                message: m,
                kind: if msg.event {
                    MessageKind::Event
                } else {
                    MessageKind::Command
                },
                note: self.plan.id(msg.note).clone(),
                origin: msg.origin.map(|o| self.plan.id(o).clone()),
                at: msg.at,
            });
            let Some(cause) = msg.cause else {
                break;
            };
            if out.len() > self.msgs.len() {
                break;
            }
            m = cause;
        }
        out
    }

    /// The notes of a message's causal chain, its own first, back to the action that started
    /// its flow (those of [`Run::causal_chain`], without building it).
    pub fn causal_notes(&self, message: MessageId) -> impl Iterator<Item = NoteIx> + '_ {
        let mut next = Some(message);
        let mut steps = 0;
        std::iter::from_fn(move || {
            let m = next?;
            let msg = self.msgs.get(m.0 as usize)?;
            steps += 1;
            next = msg.cause.filter(|_| steps <= self.msgs.len());
            Some(msg.note)
        })
    }

    /// The correlation id of a message (the first message of its flow).
    pub fn correlation(&self, message: MessageId) -> Option<MessageId> {
        self.msgs.get(message.0 as usize).map(|m| m.corr)
    }

    /// The note of a message (its command or event).
    pub fn message_note(&self, message: MessageId) -> Option<NoteIx> {
        self.msgs.get(message.0 as usize).map(|m| m.note)
    }

    /// The signs of hazards seen while running. Signs judged over the whole run (hot
    /// partitions, sagas left half done, growing lag) are the dynamic analysis's to add.
    pub fn signs(&self) -> Vec<Sign> {
        self.signs.values().cloned().collect()
    }

    /// Failure events published so far, in order.
    pub fn published_failures(&self) -> &History<PublishedFailure> {
        &self.failure_events
    }

    /// Bytes of recorded history (event log, hops, messages, lag samples, offsets) this run
    /// holds without sharing them with a clone.
    pub fn history_bytes(&self) -> usize {
        self.events.unshared_bytes()
            + self.hops.unshared_bytes()
            + self.msgs.unshared_bytes()
            + self
                .groups
                .iter()
                .map(|g| g.lag.unshared_bytes())
                .sum::<usize>()
            + self
                .offsets
                .iter()
                .flatten()
                .map(History::unshared_bytes)
                .sum::<usize>()
    }

    /// True when a compensating policy applied the message.
    pub fn compensated(&self, message: MessageId) -> bool {
        self.compensated.contains_key(&message)
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("now", &self.now)
            .field("messages", &self.msgs.len())
            .finish()
    }
}
