//! What the UI draws from the editor's state: the marquee, the link being drawn, the cursor and
//! the minimap.

use super::{
    camera::finite, hit, minimap, Editor, EditorEvent, Hit, MinimapView, ResizeTarget, ToolState,
    Viewport,
};
use crate::model::{NoteId, Point, Rect};

impl Editor {
    /// The notes whose place or size the gesture in progress previews (a drag, or a resize by
    /// a note's handle): nothing else on the board changes until the gesture ends.
    pub fn previewed_notes(&self) -> Vec<&NoteId> {
        match &self.state {
            ToolState::Dragging { plan, .. } => plan.notes.iter().map(|(id, _)| id).collect(),
            ToolState::Resizing {
                target: ResizeTarget::Note(id),
                ..
            } => vec![id],
            _ => Vec::new(),
        }
    }

    /// True when the gesture in progress previews a move or resize of frames.
    pub fn previews_frames(&self) -> bool {
        match &self.state {
            ToolState::Dragging { plan, .. } => !plan.frames.is_empty(),
            ToolState::Resizing { target, .. } => matches!(target, ResizeTarget::Frame(_)),
            _ => false,
        }
    }

    /// The marquee rectangle to draw, board units.
    pub fn marquee_rect(&self) -> Option<Rect> {
        match &self.state {
            ToolState::Marquee {
                origin, current, ..
            } => Some(Rect::from_corners(*origin, *current)),
            _ => None,
        }
    }

    /// The link being drawn: from the source's handle to the pointer (or the target's border),
    /// board units, and whether releasing here would create it.
    pub fn connecting_line(&self) -> Option<(Point, Point, bool)> {
        let ToolState::Connecting {
            from,
            to,
            over,
            valid,
        } = &self.state
        else {
            return None;
        };
        let board = self.doc.board();
        let start = hit::connect_handle(board.note(from)?.rect());
        let end = over
            .as_ref()
            .and_then(|id| board.note(id))
            .map_or(*to, |n| n.rect().border_toward(start));
        Some((start, end, *valid))
    }

    /// The CSS cursor for the canvas.
    pub fn cursor(&self) -> &'static str {
        match &self.state {
            ToolState::Panning { .. } => "grabbing",
            ToolState::Dragging { .. } => "move",
            ToolState::Resizing { .. } => "nwse-resize",
            ToolState::Connecting {
                valid: false,
                over: Some(_),
                ..
            } => "not-allowed",
            ToolState::Connecting { .. } => "crosshair",
            ToolState::EditingText { .. } | ToolState::RenamingFrame { .. } => "text",
            _ if self.space_held => "grab",
            _ => match self.hover {
                Hit::ConnectHandle(_) => "crosshair",
                Hit::NoteResize(_) | Hit::FrameResize(_) => "nwse-resize",
                Hit::Note(_) | Hit::FrameTitle(_) | Hit::FrameEdge(_) => "move",
                Hit::Link(_) => "pointer",
                Hit::Empty | Hit::FrameInterior(_) => "default",
            },
        }
    }

    /// The minimap of `size` pixels for the current board and view.
    pub fn minimap(&self, size: Viewport) -> MinimapView {
        minimap(self.doc.board(), &self.camera, self.viewport, size)
    }

    /// The minimap's placing and viewport frame, without its shapes (for every pan).
    pub fn minimap_frame(&self, size: Viewport) -> MinimapView {
        super::minimap::minimap_frame(self.doc.board(), &self.camera, self.viewport, size)
    }

    /// A click at `point` on a minimap of `size` pixels: centres the view there (zoom unchanged).
    pub fn minimap_click(&mut self, point: Point, size: Viewport) -> Option<EditorEvent> {
        if !finite(point) {
            return None;
        }
        self.camera = self.minimap(size).click(point, self.camera, self.viewport);
        Some(EditorEvent::Handled)
    }
}
