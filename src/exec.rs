//! Running a board: compile it onto the broker, play it deterministically with faults, and
//! keep a trace the UI animates and the dynamic hazard analysis reads.
//!
//! Semantics beyond the broker's (docs/ARCHITECTURE.md, "Execution semantics"), chosen here:
//! - one clock: broker actions due at a time run before this module's timers at that time;
//! - sources (actors, uncalled external systems) issue `rate` commands per second, from time 0
//!   until `duration_ms`, each to a key drawn from `0..entities`, choosing uniformly among the
//!   commands (and events) they link to;
//! - a command reaches its aggregate in process; its synchronous calls run one after the
//!   other and block it for their latency (`call_timeout_ms` when the system is down); a failed
//!   call publishes the command's failure event if it has one, else rejects the command;
//! - the aggregate saves (its version per key goes up by one) and publishes one event (see
//!   [`compile`] for which); a crash fault between save and publish loses the event of a
//!   `store: "state"` aggregate without outbox, and delays it until restart otherwise;
//! - a consumer works `processing_ms` (+ slow-down, + its calls; an external system also its
//!   `latency_ms`), applies its effect, then acknowledges `commit_ms` later, so a crash in that
//!   window redelivers a message whose effect happened (at-least-once duplicates); exactly-once
//!   consumers apply and commit at once; at-most-once ones commit on delivery, so a crash while
//!   processing loses the message;
//! - a failed message is retried `retries` times (blocking or through a retry topic), then
//!   dead-lettered with `dlq`; without `dlq` it is retried forever (the partition is stuck),
//!   which is what a consumer without a place for bad messages does;
//! - read models keep the last applied version per aggregate key; a read is stale when the
//!   view has not applied the reader's own write; with `version_token` the reader waits;
//! - a policy passing one correlation id more than `loop_limit` times drops the command (the
//!   loop is cut and reported), so cycles cannot run away.

pub mod compare;
pub mod compile;
mod diagnostic;
mod fault;
pub mod fold;
pub mod ix;
pub mod payload;
mod run;

pub use compile::{compile, GroupPlan, Plan, SourcePlan, TopicPlan};
pub use diagnostic::{Diagnostic, Level, Problem};
pub use fault::{Fault, FaultError};
pub use run::{
    aggregate, partition_label, shown, topic_label, Cursor, Delivery, History, HistoryIter,
    HistoryStep, Leftovers, LogRecord, NextDelivery, Pacing, PartitionLog, PublishedFailure, Run,
    Stepped, Timeline, Token, ViewRow, FIRST_SPACING, MAX_CHAINED_HOPS, MAX_CHECKPOINTS,
    MAX_RUN_WORK, MIN_SHOW_REAL_MS,
};

use crate::{
    broker::TopicPartition,
    model::{Board, LinkId, NoteId},
};
use serde::Serialize;
use std::fmt;

/// True when two boards run the same: the same notes (their kind, text, props and frame; not
/// where they are), links, topics and scenario. Positions, sizes and the storyline play no part.
pub fn runs_alike(a: &Board, b: &Board) -> bool {
    a.links == b.links
        && a.topics == b.topics
        && a.scenario == b.scenario
        && a.notes.len() == b.notes.len()
        && a.notes.iter().zip(&b.notes).all(|(x, y)| {
            x.id == y.id
                && x.kind == y.kind
                && x.text == y.text
                && x.props == y.props
                && x.frame == y.frame
        })
}

/// How a run is set up.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunConfig {
    /// Seed of every random choice.
    pub seed: u64,
    /// Sources issue commands until this time (ms).
    pub duration_ms: u64,
    /// Keep the detailed event log and token hops (turn off for speed).
    pub record_events: bool,
    /// Lag sampling period (ms).
    pub sample_ms: u64,
    /// Time between a consumer's effect and its acknowledgement (ms).
    pub commit_ms: u64,
    /// Chance that a command publishes its failure event although its calls succeeded.
    pub failure_event_rate: f64,
    /// Passes of one correlation id through one policy before the loop is cut.
    pub loop_limit: u32,
    /// How long a crashed consumer keeps its partitions (ms).
    pub session_timeout_ms: u64,
    /// How long a call to a system that is down blocks before failing (ms).
    pub call_timeout_ms: u64,
    /// How long a crashed aggregate stays down (ms).
    pub aggregate_restart_ms: u64,
    /// Backoff between retries of a failed message (ms).
    pub retry_backoff_ms: u64,
    /// How long a committed offset may stand still while its partition grows before the
    /// partition counts as stuck (ms).
    pub stuck_ms: u64,
    /// Shortest time a token is shown on a link by [`Run::tokens_in_flight`] (ms).
    pub min_hop_ms: u64,
    /// Consumers whose groups are not running at the start: each joins the broker when a
    /// `start_consumer` fault starts it (the scenario schedules one, or the consumer was drawn
    /// while the run played).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub late: Vec<NoteId>,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            seed: 42,
            duration_ms: 10_000,
            record_events: true,
            sample_ms: 100,
            commit_ms: 1,
            failure_event_rate: 0.02,
            loop_limit: 10,
            session_timeout_ms: 3_000,
            call_timeout_ms: 1_000,
            aggregate_restart_ms: 500,
            retry_backoff_ms: 200,
            stuck_ms: 2_000,
            min_hop_ms: 150,
            late: Vec::new(),
        }
    }
}

impl RunConfig {
    /// The defaults with the board's scenario (seed, duration, and the consumers it starts
    /// later) when it has one.
    pub fn for_board(board: &crate::model::Board) -> RunConfig {
        let mut c = RunConfig::default();
        if let Some(s) = &board.scenario {
            c.seed = s.seed;
            c.duration_ms = s.duration_ms;
        }
        for f in board.scheduled_faults() {
            if let Fault::StartConsumer { note } = &f.fault {
                if !c.late.contains(note) {
                    c.late.push(note.clone());
                }
            }
        }
        c
    }
}

/// A message (command or event) of a run; ids are dense from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct MessageId(pub u64);

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m{}", self.0)
    }
}

/// Whether a message is a command or an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A command, handled in process.
    Command,
    /// An event, published on a topic.
    Event,
}

/// One step of a causal chain, from a message back to the action that started it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CausalStep {
    /// The message.
    pub message: MessageId,
    /// Command or event.
    pub kind: MessageKind,
    /// The command or event note.
    pub note: NoteId,
    /// Who issued or published it (actor, policy, aggregate, command, external system).
    pub origin: Option<NoteId>,
    /// When it was issued or published (ms).
    pub at: u64,
}

/// Why a command produced no event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    /// No aggregate handles it and it publishes nothing.
    NoHandler,
    /// A synchronous call failed and there is no failure event.
    CallFailed,
    /// Its aggregate is down after a crash.
    AggregateDown,
}

/// What happened, in the event log.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExecEventKind {
    /// A source or policy issued a command (`from_note` → `note`).
    CommandIssued,
    /// The command's aggregate handled it.
    CommandHandled,
    /// The command produced no event.
    CommandRejected {
        /// Why.
        reason: Rejection,
    },
    /// A synchronous call failed (`to_note` is the system).
    CallFailed {
        /// True when the system was down.
        down: bool,
    },
    /// An event was appended to its topic.
    EventPublished,
    /// An event was saved but never published (crash between save and publish).
    EventLost,
    /// An event was handed to a consumer (`note`).
    Delivered {
        /// Attempt number, from 1.
        attempt: u32,
    },
    /// A consumer finished a message and applied its effect.
    Processed,
    /// A consumer's processing failed (it will be retried, dead-lettered or skipped).
    ProcessingFailed,
    /// A consumer applied a message it had applied before.
    DuplicateApplied,
    /// An ordered consumer applied an older version of a key after a newer one.
    OutOfOrder {
        /// Version applied.
        version: u64,
        /// Newer version applied before it.
        after: u64,
    },
    /// A read of a read model (`to_note`) by `note`.
    Read {
        /// True when the view had not applied the reader's own write.
        stale: bool,
        /// How far behind the write the view was (ms), or how long the reader waited.
        lag_ms: u64,
    },
    /// A message an at-most-once consumer had committed was lost with the crash.
    LostOnCrash,
    /// A policy passed one correlation id too often; its command was dropped.
    LoopCut {
        /// Passes so far.
        passes: u32,
    },
    /// A message went to the dead-letter topic.
    DeadLettered,
    /// A fault was applied.
    Fault {
        /// The fault.
        fault: Fault,
    },
    /// A consumer group finished a rebalance.
    Rebalanced {
        /// New generation.
        generation: u32,
    },
}

/// One entry of the event log.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExecEvent {
    /// Simulated time (ms).
    pub at: u64,
    /// What happened.
    pub kind: ExecEventKind,
    /// The note where it happened.
    pub note: NoteId,
    /// For a token moving along a link: where it comes from.
    pub from_note: Option<NoteId>,
    /// For a token moving along a link: where it goes.
    pub to_note: Option<NoteId>,
    /// The message concerned.
    pub message: Option<MessageId>,
    /// Its correlation id (the first message of its flow).
    pub correlation: Option<MessageId>,
    /// Topic (board name), for broker events.
    pub topic: Option<String>,
    /// Partition, for broker events.
    pub partition: Option<u32>,
    /// Offset, for broker events.
    pub offset: Option<u64>,
}

/// A token moving along a link: one message hop.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hop {
    /// The link it moves along.
    pub link: LinkId,
    /// Where it starts.
    pub from: NoteId,
    /// Where it goes.
    pub to: NoteId,
    /// The message.
    pub message: MessageId,
    /// Departure (ms).
    pub start: u64,
    /// Arrival (ms).
    pub end: u64,
}

/// Live counters of one note.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NoteCounters {
    /// Commands issued (sources, policies), handled (commands, aggregates), published
    /// (events), processed (consumers) or calls served (external systems).
    pub handled: u64,
    /// Rejected commands, failed calls or failed processing attempts.
    pub failed: u64,
    /// Commands waiting on calls, or messages a consumer is processing.
    pub in_flight: u64,
    /// Consumer lag in messages (last sample).
    pub lag: Option<u64>,
    /// Consumer lag in milliseconds (last sample).
    pub lag_ms: Option<u64>,
}

/// One instance of a consumer group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InstanceState {
    /// The instance's name, e.g. "billing-0".
    pub name: String,
    /// False once crashed or left.
    pub alive: bool,
    /// Assigned partitions.
    pub partitions: Vec<TopicPartition>,
}

/// A lag sample of one consumer group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LagSample {
    /// When (ms).
    pub at: u64,
    /// Messages behind.
    pub lag: u64,
    /// Age of the oldest unconsumed message (ms).
    pub lag_ms: u64,
}

/// A hazard sign seen while running (the dynamic column of docs/HAZARDS.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignKind {
    /// A read returned state older than the reader's own write (FS001).
    StaleRead,
    /// A crash between save and publish lost an event (FS002).
    DualWriteLost,
    /// An ordered consumer applied version n after n+1 (FS003).
    OutOfOrder,
    /// A consumer applied the same message twice (FS004).
    DuplicateApply,
    /// One correlation id passed a policy too often (FS005).
    EventLoop,
    /// An at-most-once consumer committed a message it never processed (FS006).
    LostOnCrash,
    /// A live instance had no partition (FS007).
    IdleConsumer,
    /// One partition took far more than its share (FS008).
    HotPartition,
    /// A failure event of a cross-context flow was never compensated (FS009).
    SagaHalfDone,
    /// Callers failed or waited on a down or failing system (FS010).
    BlockedCallers,
    /// Processing failed on one offset again and again, and the partition's committed offset
    /// stood still while it grew (FS012).
    StuckPartition,
    /// A group's lag kept growing through the run (FS014: the consumer cannot keep up).
    GrowingLag,
    /// An instance crashed: its group rebalanced, lag built and the messages it had not
    /// committed went back to be redelivered (FS004: applied again unless idempotent).
    CrashRedelivery,
}

/// A sign with its tally.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sign {
    /// Which sign.
    pub kind: SignKind,
    /// Notes involved, first where the badge goes (same first note as the static finding).
    pub notes: Vec<NoteId>,
    /// How many times it was seen.
    pub count: u64,
    /// First time seen (ms).
    pub first_at: u64,
    /// The worst measure seen: lag ms (stale read, stuck, growing lag), passes (loop),
    /// share ‰ (hot partition), blocked ms (callers), versions behind (out of order), messages
    /// handed back by one crash (crash redelivery).
    pub worst: u64,
    /// An example message, for the causal chain.
    pub example: Option<MessageId>,
}

/// A plain picture of a run at one moment (what the UI shows when scrubbing); made by
/// `analysis::dynamic::snapshot`, which adds the signs judged over the whole run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    /// The moment (ms).
    pub at: u64,
    /// Counters of every note, in board order.
    pub counters: Vec<(NoteId, NoteCounters)>,
    /// Tokens on links at that moment.
    pub tokens: Vec<Hop>,
    /// Signs seen so far.
    pub signs: Vec<Sign>,
}

/// A count with its thousands separated by commas ("180,000"), as run reports print it.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
