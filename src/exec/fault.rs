//! Faults injected into a run, and why one could not be applied.

use crate::{broker::BrokerError, model::NoteId};
use serde::Serialize;
use std::fmt;

/// A fault injected into a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum Fault {
    /// A consumer instance dies; it keeps its partitions until its session times out, then a
    /// rebalance hands them over. With `restart_after_ms` a new instance joins later.
    CrashConsumer {
        /// The consuming note.
        note: NoteId,
        /// Index among the running instances (order of joining, from 0).
        instance: u32,
        /// Restart delay, if it comes back.
        restart_after_ms: Option<u64>,
    },
    /// A new instance joins the consumer's group (a restart).
    RestartConsumer {
        /// The consuming note.
        note: NoteId,
    },
    /// An instance processes every later message `extra_ms` slower.
    SlowConsumer {
        /// The consuming note.
        note: NoteId,
        /// Index among the running instances.
        instance: u32,
        /// Added time per message.
        extra_ms: u64,
    },
    /// An external system stops answering (availability 0), for a while or until `SystemUp`.
    SystemDown {
        /// The external system.
        note: NoteId,
        /// How long, if it comes back by itself.
        for_ms: Option<u64>,
    },
    /// An external system answers every call `extra_ms` later, for a while or until `SystemUp`.
    SlowSystem {
        /// The external system.
        note: NoteId,
        /// Added time per call.
        extra_ms: u64,
        /// How long, if it recovers by itself.
        for_ms: Option<u64>,
    },
    /// An external system answers again, at its usual speed.
    SystemUp {
        /// The external system.
        note: NoteId,
    },
    /// The aggregate crashes between saving and publishing on its next command.
    CrashAggregate {
        /// The aggregate.
        note: NoteId,
    },
    /// A message that fails every processing attempt is published on the consumer's topic.
    Poison {
        /// The consuming note.
        note: NoteId,
    },
    /// Partitions are added to a topic (keys move; groups rebalance).
    AddPartitions {
        /// Topic name on the board.
        topic: String,
        /// New partition count.
        total: u32,
    },
}

/// Why a fault could not be applied.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultError {
    /// No such note.
    UnknownNote(NoteId),
    /// The note is not a running consumer.
    NotAConsumer(NoteId),
    /// The note is not an external system.
    NotASystem(NoteId),
    /// The note is not an aggregate.
    NotAnAggregate(NoteId),
    /// The group has no such instance.
    NoSuchInstance {
        /// The consumer.
        note: NoteId,
        /// The instance asked for.
        instance: u32,
    },
    /// No such topic.
    UnknownTopic(String),
    /// The broker refused.
    Broker(BrokerError),
}

impl fmt::Display for FaultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultError::UnknownNote(n) => write!(f, "no note \"{n}\""),
            FaultError::NotAConsumer(n) => {
                write!(f, "\"{n}\" is not a consumer that receives events")
            }
            FaultError::NotASystem(n) => write!(f, "\"{n}\" is not an external system"),
            FaultError::NotAnAggregate(n) => write!(f, "\"{n}\" is not an aggregate"),
            FaultError::NoSuchInstance { note, instance } => {
                write!(f, "\"{note}\" has no instance {instance}")
            }
            FaultError::UnknownTopic(t) => write!(f, "no topic \"{t}\""),
            FaultError::Broker(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for FaultError {}
