//! What can be wrong with a board file: each problem, where it is, and how it reads.

use super::{CURRENT_VERSION, FORMAT, MAX_FILE_BYTES};
use crate::model::{
    kind::{link_refusal, NoteKind},
    limits::OverLimit,
};
use serde_json::Value;
use std::fmt;

/// One thing wrong with a board file, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Where in the file, as a JSON path (`$.notes[3].kind`).
    pub path: String,
    /// What is wrong.
    pub kind: ProblemKind,
}

/// What is wrong with one place of a board file.
#[derive(Clone, Debug, PartialEq)]
pub enum ProblemKind {
    /// The text is not JSON.
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The file is larger than this build accepts.
    TooLarge {
        /// Size of the input.
        bytes: usize,
    },
    /// A value has the wrong JSON type.
    WrongType {
        /// What was expected.
        expected: &'static str,
    },
    /// A required field is absent.
    MissingField {
        /// The field's name.
        field: &'static str,
    },
    /// `format` is not `flowstorm-board`.
    WrongFormat {
        /// What the file says.
        found: String,
    },
    /// The file was written by a newer Flowstorm.
    NewerVersion {
        /// The file's version.
        found: u64,
    },
    /// `version` is not a version this format ever had.
    BadVersion {
        /// What the file says.
        found: String,
    },
    /// A note's kind is not one of the kinds of docs/FORMAT.md.
    UnknownKind {
        /// What the file says.
        kind: String,
    },
    /// An id is used twice (ids are unique across notes, links and frames).
    DuplicateId {
        /// The id.
        id: String,
        /// Where it was first used.
        first: String,
    },
    /// A topic is declared twice.
    DuplicateTopic {
        /// The topic name.
        name: String,
    },
    /// A link end names no note.
    DanglingLink {
        /// The missing note id.
        id: String,
    },
    /// A link joins two kinds that cannot be linked.
    ForbiddenLink {
        /// Source kind.
        from: NoteKind,
        /// Target kind.
        to: NoteKind,
    },
    /// A scheduled fault or a storyline step names a note that is not on the board.
    UnknownNote {
        /// The missing note id.
        id: String,
    },
    /// A name that is not one of those the format knows (a fault, a step's action, a camera).
    UnknownName {
        /// What the name is of ("fault").
        what: &'static str,
        /// The name found.
        found: String,
        /// The names known.
        expected: &'static str,
    },
    /// A note names a frame that does not exist.
    MissingFrame {
        /// The missing frame id.
        frame: String,
    },
    /// A known prop has the wrong type or value.
    BadProp {
        /// The prop's name.
        name: String,
        /// What was expected and found.
        reason: String,
    },
    /// A number is above the most the model allows (a prop, a topic's partitions, the
    /// scenario's duration).
    OverLimit(OverLimit),
    /// A number is outside its allowed range.
    OutOfRange {
        /// What the range is.
        reason: String,
    },
    /// Too many problems to list.
    MoreProblems {
        /// How many were not listed.
        count: usize,
    },
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProblemKind::Syntax { line, column, message } => {
                write!(f, "not valid JSON at line {line}, column {column}: {message}")
            }
            ProblemKind::TooLarge { bytes } => {
                write!(f, "file is {bytes} bytes; the largest board file accepted is {MAX_FILE_BYTES} bytes")
            }
            ProblemKind::WrongType { expected } => write!(f, "expected {expected}"),
            ProblemKind::MissingField { field } => write!(f, "missing required field \"{field}\""),
            ProblemKind::WrongFormat { found } => {
                write!(f, "format is \"{found}\", expected \"{FORMAT}\": this is not a Flowstorm board")
            }
            ProblemKind::NewerVersion { found } => write!(
                f,
                "file version {found} is newer than this Flowstorm understands (up to {CURRENT_VERSION}); update Flowstorm to open it"
            ),
            ProblemKind::BadVersion { found } => {
                write!(f, "version {found} is not a board file version (expected a whole number from 1 to {CURRENT_VERSION})")
            }
            ProblemKind::UnknownKind { kind } => write!(
                f,
                "unknown note kind \"{kind}\" (expected one of {})",
                NoteKind::ALL.map(NoteKind::as_str).join(", ")
            ),
            ProblemKind::DuplicateId { id, first } => write!(f, "duplicate id \"{id}\" (first used at {first})"),
            ProblemKind::DuplicateTopic { name } => write!(f, "topic \"{name}\" is declared twice"),
            ProblemKind::DanglingLink { id } => write!(f, "link end \"{id}\" is not a note on this board"),
            ProblemKind::ForbiddenLink { from, to } => write!(f, "{}", link_refusal(*from, *to)),
            ProblemKind::UnknownNote { id } => write!(f, "\"{id}\" is not a note on this board"),
            ProblemKind::UnknownName { what, found, expected } => {
                write!(f, "unknown {what} \"{found}\" (expected one of {expected})")
            }
            ProblemKind::MissingFrame { frame } => write!(f, "frame \"{frame}\" does not exist"),
            ProblemKind::BadProp { name, reason } => write!(f, "prop \"{name}\": {reason}"),
            ProblemKind::OverLimit(over) => write!(f, "{over}"),
            ProblemKind::OutOfRange { reason } => write!(f, "out of range: {reason}"),
            ProblemKind::MoreProblems { count } => write!(f, "…and {count} more problems"),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

/// Why a board file could not be loaded: every problem found.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError {
    /// The problems, in file order.
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "the board cannot be loaded ({n} problem{})",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    /// A load error of one problem.
    pub(super) fn one(path: &str, kind: ProblemKind) -> LoadError {
        LoadError {
            problems: vec![Problem {
                path: path.to_string(),
                kind,
            }],
        }
    }

    /// The problems as JSON objects `{"path", "code", "message"}`.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.problems
                .iter()
                .map(|p| serde_json::json!({"path": p.path, "code": p.kind.code(), "message": p.kind.to_string()}))
                .collect(),
        )
    }
}

impl ProblemKind {
    /// A stable short name for the problem, for machine-readable output.
    pub fn code(&self) -> &'static str {
        match self {
            ProblemKind::Syntax { .. } => "syntax",
            ProblemKind::TooLarge { .. } => "too_large",
            ProblemKind::WrongType { .. } => "wrong_type",
            ProblemKind::MissingField { .. } => "missing_field",
            ProblemKind::WrongFormat { .. } => "wrong_format",
            ProblemKind::NewerVersion { .. } => "newer_version",
            ProblemKind::BadVersion { .. } => "bad_version",
            ProblemKind::UnknownKind { .. } => "unknown_kind",
            ProblemKind::DuplicateId { .. } => "duplicate_id",
            ProblemKind::DuplicateTopic { .. } => "duplicate_topic",
            ProblemKind::DanglingLink { .. } => "dangling_link",
            ProblemKind::ForbiddenLink { .. } => "forbidden_link",
            ProblemKind::UnknownNote { .. } => "unknown_note",
            ProblemKind::UnknownName { .. } => "unknown_name",
            ProblemKind::MissingFrame { .. } => "missing_frame",
            ProblemKind::BadProp { .. } => "bad_prop",
            ProblemKind::OverLimit(_) => "over_limit",
            ProblemKind::OutOfRange { .. } => "out_of_range",
            ProblemKind::MoreProblems { .. } => "more_problems",
        }
    }
}
