//! The tool state machine's states, and the plan of a move.

use crate::{
    editor::{Hit, Selection},
    model::{Board, Edit, FrameId, NoteId, Point, Rect},
};

/// What a resize gesture resizes.
#[derive(Clone, Debug, PartialEq)]
pub enum ResizeTarget {
    /// A note.
    Note(NoteId),
    /// A frame.
    Frame(FrameId),
}

/// What a move (drag or arrow key) moves: original positions, and which notes may change frame.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MovePlan {
    /// Notes moved, with their top-left corners before the move.
    pub notes: Vec<(NoteId, Point)>,
    /// Frames moved, with their top-left corners before the move.
    pub frames: Vec<(FrameId, Point)>,
    /// Moved notes not carried by a moved frame: after the move they join the frame holding their centre.
    pub adopt: Vec<NoteId>,
    /// The union of the moved rectangles before the move.
    pub bounds: Rect,
}

impl MovePlan {
    /// True if nothing would move.
    pub fn is_empty(&self) -> bool {
        self.notes.is_empty() && self.frames.is_empty()
    }

    /// The edit moving everything by (`dx`, `dy`) from the original positions.
    pub fn edit(&self, board: &Board, dx: f64, dy: f64) -> Edit {
        let notes = self.notes.iter().map(|(id, p)| Edit::MoveNote {
            id: id.clone(),
            x: p.x + dx,
            y: p.y + dy,
        });
        let frames = self.frames.iter().filter_map(|(id, p)| {
            let f = board.frame(id)?;
            Some(Edit::SetFrameRect {
                id: id.clone(),
                x: p.x + dx,
                y: p.y + dy,
                w: f.w,
                h: f.h,
            })
        });
        Edit::Batch(frames.chain(notes).collect())
    }
}

/// The tool state machine's states.
#[derive(Clone, Debug, PartialEq)]
pub enum ToolState {
    /// Nothing in progress.
    Idle,
    /// The pointer is down on `hit` but has not moved past [`DRAG_THRESHOLD_PX`](super::DRAG_THRESHOLD_PX) yet.
    Pointing {
        /// What was under the pointer.
        hit: Hit,
        /// Where it went down, screen pixels.
        origin: Point,
        /// Shift was held (toggle / add to the selection).
        shift: bool,
        /// The item was already selected before this press.
        was_selected: bool,
    },
    /// Moving the selection (notes, and frames with their notes); previewed, not yet in history.
    Dragging {
        /// Where the drag started, board units.
        origin: Point,
        /// What moves.
        plan: MovePlan,
        /// The current offset, board units (after snapping).
        delta: Point,
        /// The edit undoing the current preview.
        preview: Option<Edit>,
    },
    /// Selecting with a rectangle.
    Marquee {
        /// Where it started, board units.
        origin: Point,
        /// The opposite corner, board units.
        current: Point,
        /// The selection before the marquee (restored by Escape).
        base: Selection,
        /// Shift was held: the marquee adds to `base` instead of replacing it.
        additive: bool,
    },
    /// Drawing a link from a note's connection handle.
    Connecting {
        /// The source note.
        from: NoteId,
        /// The pointer, board units.
        to: Point,
        /// The note under the pointer, if any (not the source).
        over: Option<NoteId>,
        /// True if linking to `over` is allowed by the link table.
        valid: bool,
    },
    /// Resizing a note or frame by its bottom-right handle.
    Resizing {
        /// What is resized.
        target: ResizeTarget,
        /// Where the drag started, board units.
        origin: Point,
        /// The rectangle before resizing.
        original: Rect,
        /// The edit undoing the current preview.
        preview: Option<Edit>,
    },
    /// Moving the camera (space+drag or the middle button).
    Panning {
        /// The last pointer position, screen pixels.
        last: Point,
    },
    /// Editing a note's text; the board changes only on commit.
    EditingText {
        /// The note.
        id: NoteId,
        /// The text being typed.
        draft: String,
    },
    /// Renaming a frame; the board changes only on commit.
    RenamingFrame {
        /// The frame.
        id: FrameId,
        /// The name being typed.
        draft: String,
    },
    /// The kind chooser opened by a double-click on the empty board.
    Choosing {
        /// Where the note will go, board units.
        at: Point,
    },
}
