//! The board's plain data: notes, links, frames, topics and the scenario.

use super::{fault::ScheduledFault, story::Step};
use super::{geometry::Rect, kind::NoteKind};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }
    };
}

id_type!(
    /// The id of a note, unique across notes, links and frames.
    NoteId
);
id_type!(
    /// The id of a link, unique across notes, links and frames.
    LinkId
);
id_type!(
    /// The id of a frame, unique across notes, links and frames.
    FrameId
);

/// Free-form note properties; known ones drive execution and analysis, unknown ones are kept.
pub type Props = Map<String, Value>;

/// A sticky note.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// Unique id.
    pub id: NoteId,
    /// What the note stands for.
    pub kind: NoteKind,
    /// The text written on it.
    pub text: String,
    /// Left edge, board units.
    pub x: f64,
    /// Top edge, board units.
    pub y: f64,
    /// Width, if not the kind's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub w: Option<f64>,
    /// Height, if not the kind's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h: Option<f64>,
    /// The frame (bounded context) it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<FrameId>,
    /// Properties, known and unknown.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub props: Props,
}

impl Note {
    /// A note of `kind` at (`x`, `y`) with the kind's default size and no props.
    pub fn new(
        id: impl Into<String>,
        kind: NoteKind,
        text: impl Into<String>,
        x: f64,
        y: f64,
    ) -> Note {
        Note {
            id: NoteId(id.into()),
            kind,
            text: text.into(),
            x,
            y,
            w: None,
            h: None,
            frame: None,
            props: Props::new(),
        }
    }

    /// The width on the board (explicit or the kind's default).
    pub fn width(&self) -> f64 {
        self.w.unwrap_or(self.kind.default_size().0)
    }

    /// The height on the board (explicit or the kind's default).
    pub fn height(&self) -> f64 {
        self.h.unwrap_or(self.kind.default_size().1)
    }

    /// The rectangle the note covers.
    pub fn rect(&self) -> Rect {
        Rect::new(self.x, self.y, self.width(), self.height())
    }
}

/// A directed link between two notes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// Unique id.
    pub id: LinkId,
    /// Source note.
    pub from: NoteId,
    /// Target note.
    pub to: NoteId,
}

/// The kind of a frame; the format knows bounded contexts only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FrameKind {
    /// A bounded context or service.
    #[default]
    Context,
}

/// A named area grouping notes (a bounded context).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    /// Unique id.
    pub id: FrameId,
    /// The frame's kind.
    pub kind: FrameKind,
    /// The name shown on the frame.
    pub name: String,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width, if not the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub w: Option<f64>,
    /// Height, if not the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h: Option<f64>,
}

impl Frame {
    /// Default frame size (width, height).
    pub const DEFAULT_SIZE: (f64, f64) = (640.0, 400.0);

    /// The width on the board.
    pub fn width(&self) -> f64 {
        self.w.unwrap_or(Self::DEFAULT_SIZE.0)
    }

    /// The height on the board.
    pub fn height(&self) -> f64 {
        self.h.unwrap_or(Self::DEFAULT_SIZE.1)
    }

    /// The rectangle the frame covers.
    pub fn rect(&self) -> Rect {
        Rect::new(self.x, self.y, self.width(), self.height())
    }
}

/// A topic declared on the board (events may also name topics that are not declared).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    /// Topic name, unique among topics.
    pub name: String,
    /// Number of partitions (≥ 1).
    #[serde(default = "one")]
    pub partitions: u32,
    /// The record field used as the partitioning key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// How long records are kept, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_ms: Option<u64>,
}

fn one() -> u32 {
    1
}

/// How a run is set up.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    /// Seed of the simulation's random numbers.
    pub seed: u64,
    /// Simulated duration in milliseconds.
    pub duration_ms: u64,
    /// Faults every run makes at set times, in the order they were added.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<ScheduledFault>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            seed: 42,
            duration_ms: 10_000,
            faults: Vec::new(),
        }
    }
}

/// A whole board, as saved in a file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Board {
    /// The board's name.
    pub name: Option<String>,
    /// Frames (bounded contexts).
    pub frames: Vec<Frame>,
    /// Declared topics.
    pub topics: Vec<Topic>,
    /// Sticky notes.
    pub notes: Vec<Note>,
    /// Links between notes.
    pub links: Vec<Link>,
    /// The run set-up.
    pub scenario: Option<Scenario>,
    /// The steps of the board's presentation, in order.
    pub storyline: Vec<Step>,
}

impl Board {
    /// The note with this id.
    pub fn note(&self, id: &NoteId) -> Option<&Note> {
        self.notes.iter().find(|n| &n.id == id)
    }

    /// The note with this id, mutably.
    pub fn note_mut(&mut self, id: &NoteId) -> Option<&mut Note> {
        self.notes.iter_mut().find(|n| &n.id == id)
    }

    /// The position of the note with this id.
    pub fn note_index(&self, id: &NoteId) -> Option<usize> {
        self.notes.iter().position(|n| &n.id == id)
    }

    /// The link with this id.
    pub fn link(&self, id: &LinkId) -> Option<&Link> {
        self.links.iter().find(|l| &l.id == id)
    }

    /// The frame with this id.
    pub fn frame(&self, id: &FrameId) -> Option<&Frame> {
        self.frames.iter().find(|f| &f.id == id)
    }

    /// The frame with this id, mutably.
    pub fn frame_mut(&mut self, id: &FrameId) -> Option<&mut Frame> {
        self.frames.iter_mut().find(|f| &f.id == id)
    }

    /// The declared topic with this name.
    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.name == name)
    }

    /// True if a note, link or frame already uses `id`.
    pub fn id_in_use(&self, id: &str) -> bool {
        self.notes.iter().any(|n| n.id.0 == id)
            || self.links.iter().any(|l| l.id.0 == id)
            || self.frames.iter().any(|f| f.id.0 == id)
    }

    /// A fresh id `prefix` + number, not used by any note, link or frame.
    pub fn fresh_id(&self, prefix: &str) -> String {
        let used: crate::collections::HashSet<&str> = self
            .notes
            .iter()
            .map(|n| n.id.as_str())
            .chain(self.links.iter().map(|l| l.id.as_str()))
            .chain(self.frames.iter().map(|f| f.id.as_str()))
            .collect();
        (1..)
            .map(|n| format!("{prefix}{n}"))
            .find(|c| !used.contains(c.as_str()))
            .unwrap_or_default()
    }

    /// The links leaving or entering the note.
    pub fn links_of<'a>(&'a self, id: &'a NoteId) -> impl Iterator<Item = &'a Link> + 'a {
        self.links
            .iter()
            .filter(move |l| &l.from == id || &l.to == id)
    }

    /// The faults the scenario schedules (none without a scenario).
    pub fn scheduled_faults(&self) -> &[ScheduledFault] {
        self.scenario.as_ref().map_or(&[], |s| &s.faults)
    }

    /// The smallest rectangle holding every note and frame, if the board is not empty.
    pub fn bounds(&self) -> Option<Rect> {
        self.notes
            .iter()
            .map(Note::rect)
            .chain(self.frames.iter().map(Frame::rect))
            .reduce(|a, b| a.union(&b))
    }
}
