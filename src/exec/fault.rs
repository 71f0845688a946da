//! Why a fault could not be applied to a run (the faults themselves are board content:
//! [`crate::model::fault`]).

pub use crate::model::fault::Fault;
use crate::{broker::BrokerError, model::NoteId};
use std::fmt;

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
    /// The note is not a read model.
    NotAView(NoteId),
    /// The group has no such instance.
    NoSuchInstance {
        /// The consumer.
        note: NoteId,
        /// The instance asked for.
        instance: u32,
    },
    /// No such topic.
    UnknownTopic(String),
    /// The consumer's group has not started yet (it joins when a `start_consumer` starts it).
    NotStarted(NoteId),
    /// The consumer's group is running already.
    AlreadyRunning(NoteId),
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
            FaultError::NotAView(n) => write!(f, "\"{n}\" is not a read model"),
            FaultError::NoSuchInstance { note, instance } => {
                write!(f, "\"{note}\" has no instance {instance}")
            }
            FaultError::UnknownTopic(t) => write!(f, "no topic \"{t}\""),
            FaultError::NotStarted(n) => write!(f, "\"{n}\" has not joined the broker yet"),
            FaultError::AlreadyRunning(n) => write!(f, "\"{n}\" is running already"),
            FaultError::Broker(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for FaultError {}
