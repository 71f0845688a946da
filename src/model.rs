//! Board data, ids, geometry, edit commands with inverses, undo history and the JSON format.

pub mod board;
pub mod edit;
pub mod fault;
pub mod field;
pub mod format;
pub mod generate;
pub mod geometry;
pub mod index;
pub mod kind;
pub mod limits;
pub mod outcome;
pub mod props;
pub mod rule;
pub mod sample;
pub mod samples;
pub mod story;

pub use board::{
    Board, Frame, FrameId, FrameKind, Link, LinkId, Note, NoteId, Props, Scenario, Topic,
};
pub use edit::{Document, Edit, EditError, History};
pub use fault::{Fault, ResetTo, ScheduledFault};
pub use format::{load, save, LoadError, Problem, ProblemKind};
pub use geometry::{Point, Rect};
pub use kind::{link_meaning, link_refusal, LinkMeaning, NoteKind};
pub use story::{Camera, Step, StepAction};
