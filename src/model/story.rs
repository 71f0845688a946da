//! A storyline: the ordered steps a speaker walks through in presentation mode, each showing a
//! part of the board with a caption and, if it says so, doing something to the run.

use super::{fault::Fault, FrameId, NoteId, Rect};
use serde::{Serialize, Serializer};

/// One step of a storyline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    /// What the speaker says, shown under the board.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub caption: String,
    /// What the step shows.
    #[serde(skip_serializing_if = "Camera::is_board")]
    pub camera: Camera,
    /// What the step does to the run when it is reached, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<StepAction>,
}

/// The part of the board a step shows (fitted to the screen).
#[derive(Clone, Debug, PartialEq)]
pub enum Camera {
    /// The whole board.
    Board,
    /// One frame.
    Frame(FrameId),
    /// Some notes (at least one).
    Notes(Vec<NoteId>),
    /// An area in board units (a view recorded as it was).
    Area(Rect),
}

impl Camera {
    /// True for the whole board (the default, not written to files).
    pub fn is_board(&self) -> bool {
        *self == Camera::Board
    }
}

impl Serialize for Camera {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(1))?;
        match self {
            Camera::Board => map.serialize_entry("board", &true)?,
            Camera::Frame(id) => map.serialize_entry("frame", id)?,
            Camera::Notes(ids) => map.serialize_entry("notes", ids)?,
            Camera::Area(r) => map.serialize_entry("area", r)?,
        }
        map.end()
    }
}

/// Something a step does to the run (written `{"do": name, fields…}`).
#[derive(Clone, Debug, PartialEq)]
pub enum StepAction {
    /// Play (starting a run if there is none) at a speed.
    Play {
        /// Speed factor (1 is real time).
        speed: f64,
    },
    /// Pause.
    Pause,
    /// Drop the run: the next Play starts from the beginning.
    Reset,
    /// Show the run at a moment (ms of simulated time).
    Jump {
        /// The moment.
        at_ms: u64,
    },
    /// Make a fault now.
    Fault(Fault),
}

impl Serialize for StepAction {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        match self {
            StepAction::Play { speed } => {
                map.serialize_entry("do", "play")?;
                map.serialize_entry("speed", speed)?;
            }
            StepAction::Pause => map.serialize_entry("do", "pause")?,
            StepAction::Reset => map.serialize_entry("do", "reset")?,
            StepAction::Jump { at_ms } => {
                map.serialize_entry("do", "jump")?;
                map.serialize_entry("at_ms", at_ms)?;
            }
            StepAction::Fault(f) => {
                map.serialize_entry("do", "fault")?;
                f.write_fields(&mut map)?;
            }
        }
        map.end()
    }
}

impl StepAction {
    /// What the action does, in a few words ("play ×2", "pause").
    pub fn words(&self) -> String {
        match self {
            StepAction::Play { speed } => format!("play ×{speed}"),
            StepAction::Pause => "pause".into(),
            StepAction::Reset => "reset".into(),
            StepAction::Jump { at_ms } => format!("jump to {:.1} s", *at_ms as f64 / 1000.0),
            StepAction::Fault(f) => f.words().into(),
        }
    }
}

impl Step {
    /// The step without what refers to the note `id` (a note being removed): the note leaves
    /// the camera's notes (the whole board is shown when none is left) and faults on it go.
    pub fn without_note(&self, id: &NoteId) -> Step {
        let camera = match &self.camera {
            Camera::Notes(ids) if ids.contains(id) => {
                let left: Vec<NoteId> = ids.iter().filter(|n| *n != id).cloned().collect();
                if left.is_empty() {
                    Camera::Board
                } else {
                    Camera::Notes(left)
                }
            }
            other => other.clone(),
        };
        let actions = self
            .actions
            .iter()
            .filter(|a| !matches!(a, StepAction::Fault(f) if f.note() == Some(id)))
            .cloned()
            .collect();
        Step {
            caption: self.caption.clone(),
            camera,
            actions,
        }
    }

    /// The step without the frame `id` (a frame being removed): the whole board is shown.
    pub fn without_frame(&self, id: &FrameId) -> Step {
        let mut step = self.clone();
        if step.camera == Camera::Frame(id.clone()) {
            step.camera = Camera::Board;
        }
        step
    }

    /// True when the step refers to the note `id`.
    pub fn mentions_note(&self, id: &NoteId) -> bool {
        matches!(&self.camera, Camera::Notes(ids) if ids.contains(id))
            || self
                .actions
                .iter()
                .any(|a| matches!(a, StepAction::Fault(f) if f.note() == Some(id)))
    }
}
