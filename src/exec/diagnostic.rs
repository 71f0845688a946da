//! What is wrong with a board as a program: errors that stop a run, warnings that qualify it.

use crate::model::NoteId;
use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The run goes on.
    Warning,
    /// The board cannot run.
    Error,
}

/// What is wrong with a board as a program.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// A command is issued but no aggregate handles it and it publishes nothing.
    CommandGoesNowhere,
    /// Two consuming notes name the same consumer group.
    SharedGroup {
        /// The group name.
        group: String,
    },
    /// A rate above the cap was lowered.
    RateCapped {
        /// The rate on the board.
        asked: f64,
        /// The rate used.
        cap: f64,
    },
    /// Too many entities; lowered.
    EntitiesCapped {
        /// On the board.
        asked: u64,
        /// Used.
        cap: u64,
    },
    /// Too many instances; lowered.
    InstancesCapped {
        /// On the board.
        asked: u64,
        /// Used.
        cap: u64,
    },
    /// A fault the scenario schedules cannot apply to this board; the run goes on without it.
    FaultLeftOut {
        /// When it was due (ms).
        at_ms: u64,
        /// The fault's name in the file.
        fault: &'static str,
        /// Why it cannot apply.
        reason: String,
    },
    /// The broker refused part of the compiled board.
    Broker {
        /// The broker's reason.
        reason: String,
    },
}

/// A problem that stops (error) or qualifies (warning) a run, pointing at notes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// Notes involved; the first is where the badge goes.
    pub notes: Vec<NoteId>,
    /// What is wrong.
    pub problem: Problem,
}

impl Diagnostic {
    /// An error that stops the run.
    pub fn error(notes: Vec<NoteId>, problem: Problem) -> Diagnostic {
        Diagnostic {
            level: Level::Error,
            notes,
            problem,
        }
    }

    /// A warning; the run goes on.
    pub fn warning(notes: Vec<NoteId>, problem: Problem) -> Diagnostic {
        Diagnostic {
            level: Level::Warning,
            notes,
            problem,
        }
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        let notes: Vec<&str> = self.notes.iter().map(NoteId::as_str).collect();
        write!(f, "{level} [{}]: ", notes.join(", "))?;
        match &self.problem {
            Problem::CommandGoesNowhere => write!(
                f,
                "no aggregate handles this command and it publishes no event"
            ),
            Problem::SharedGroup { group } => {
                write!(f, "two consumers use the consumer group \"{group}\"")
            }
            Problem::RateCapped { asked, cap } => write!(f, "rate {asked}/s lowered to {cap}/s"),
            Problem::EntitiesCapped { asked, cap } => {
                write!(f, "{asked} entities lowered to {cap}")
            }
            Problem::InstancesCapped { asked, cap } => {
                write!(f, "{asked} instances lowered to {cap}")
            }
            Problem::FaultLeftOut {
                at_ms,
                fault,
                reason,
            } => write!(
                f,
                "the scenario's {fault} at {at_ms} ms is left out: {reason}"
            ),
            Problem::Broker { reason } => write!(f, "the broker refused: {reason}"),
        }
    }
}
