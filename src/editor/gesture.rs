//! The gestures a press turns into: dragging the selection, the marquee, resizing, and linking.

use super::{
    hit, marquee_items, revert, snap, Editor, EditorEvent, Modifiers, MovePlan, ResizeTarget,
    Selection, ToolState, MIN_FRAME_SIZE, MIN_NOTE_SIZE,
};
use crate::collections::HashSet;
use crate::model::{
    link_meaning, link_refusal, Edit, Frame, FrameId, Link, LinkId, Note, NoteId, Point, Rect,
};

impl Editor {
    /// Selects what the marquee covers (added to the selection it started from with shift).
    pub(super) fn update_marquee(&mut self) {
        if let ToolState::Marquee {
            origin,
            current,
            base,
            additive,
        } = &self.state
        {
            let mut selection = if *additive {
                base.clone()
            } else {
                Selection::new()
            };
            for item in marquee_items(self.doc.board(), Rect::from_corners(*origin, *current)) {
                selection.add(item);
            }
            self.selection = selection;
        }
    }

    /// What moving the selection moves: selected notes, selected frames and their notes.
    pub fn move_plan(&self) -> MovePlan {
        let board = self.doc.board();
        let mut plan = MovePlan::default();
        let mut bounds: Option<Rect> = None;
        for f in board
            .frames
            .iter()
            .filter(|f| self.selection.has_frame(&f.id))
        {
            plan.frames.push((f.id.clone(), Point::new(f.x, f.y)));
            bounds = Some(bounds.map_or(f.rect(), |b| b.union(&f.rect())));
        }
        for n in &board.notes {
            let carried = n
                .frame
                .as_ref()
                .is_some_and(|f| self.selection.has_frame(f));
            if carried || self.selection.has_note(&n.id) {
                plan.notes.push((n.id.clone(), Point::new(n.x, n.y)));
                bounds = Some(bounds.map_or(n.rect(), |b| b.union(&n.rect())));
                if !carried {
                    plan.adopt.push(n.id.clone());
                }
            }
        }
        plan.bounds = bounds.unwrap_or_default();
        plan
    }

    /// Previews the drag with the pointer at `board_p`, snapped unless alt is held.
    pub(super) fn drag_to(&mut self, board_p: Point, mods: Modifiers) {
        let ToolState::Dragging { origin, plan, .. } = &self.state else {
            return;
        };
        let raw = Point::new(board_p.x - origin.x, board_p.y - origin.y);
        let moved = Rect::new(
            plan.bounds.x + raw.x,
            plan.bounds.y + raw.y,
            plan.bounds.w,
            plan.bounds.h,
        );
        let (target, guides) = if mods.alt {
            (Point::new(moved.x, moved.y), Vec::new())
        } else {
            let others = self.static_rects(plan);
            snap(
                moved,
                &others,
                self.grid(),
                snap::GUIDE_PX / self.camera.zoom,
            )
        };
        let delta = Point::new(target.x - plan.bounds.x, target.y - plan.bounds.y);
        let edit = plan.edit(self.doc.board(), delta.x, delta.y);
        self.guides = guides;
        let ToolState::Dragging {
            delta: d, preview, ..
        } = &mut self.state
        else {
            return;
        };
        if let Some(inverse) = preview.take() {
            revert(&mut self.doc, inverse);
        }
        *preview = self.doc.preview(edit).ok();
        *d = if preview.is_some() {
            delta
        } else {
            Point::default()
        };
    }

    /// The rectangles of notes and frames that do not move with `plan` (snapping targets).
    fn static_rects(&self, plan: &MovePlan) -> Vec<Rect> {
        let board = self.doc.board();
        let visible = self.camera.visible_rect(self.viewport);
        let near = |r: &Rect| self.viewport.w == 0.0 || r.intersects(&visible);
        let moving_notes: HashSet<&NoteId> = plan.notes.iter().map(|(id, _)| id).collect();
        let moving_frames: HashSet<&FrameId> = plan.frames.iter().map(|(id, _)| id).collect();
        board
            .notes
            .iter()
            .filter(|n| !moving_notes.contains(&n.id))
            .map(Note::rect)
            .chain(
                board
                    .frames
                    .iter()
                    .filter(|f| !moving_frames.contains(&f.id))
                    .map(Frame::rect),
            )
            .filter(near)
            .collect()
    }

    /// Records a move already previewed on the board (undone by `inverse`) as one step, putting
    /// each adoptable note in the frame that now holds its centre, in the same step.
    pub(super) fn commit_move(&mut self, plan: &MovePlan, inverse: Edit) {
        let board = self.doc.board();
        let reframe: Vec<Edit> = plan
            .adopt
            .iter()
            .filter_map(|id| {
                let n = board.note(id)?;
                let frame = hit::frame_containing(board, n.rect().center()).map(|f| f.id.clone());
                (frame != n.frame).then(|| Edit::SetFrame {
                    id: id.clone(),
                    frame,
                })
            })
            .collect();
        let step = if reframe.is_empty() {
            inverse
        } else {
            match self.doc.preview(Edit::Batch(reframe)) {
                Ok(undo_frames) => Edit::Batch(vec![undo_frames, inverse]),
                Err(_) => inverse,
            }
        };
        self.doc.record(step);
    }

    /// Moves the selection by (`dx`, `dy`) board units as one undo step.
    pub fn move_selection(&mut self, dx: f64, dy: f64) -> Option<EditorEvent> {
        self.settle();
        let plan = self.move_plan();
        if plan.is_empty() || !dx.is_finite() || !dy.is_finite() || (dx == 0.0 && dy == 0.0) {
            return None;
        }
        match self.doc.preview(plan.edit(self.doc.board(), dx, dy)) {
            Ok(inverse) => {
                self.commit_move(&plan, inverse);
                Some(EditorEvent::Changed)
            }
            Err(e) => self.refuse(e.to_string()),
        }
    }

    /// Previews the resize with the pointer at `board_p`, on the grid and at least the minimum size.
    pub(super) fn resize_to(&mut self, board_p: Point) {
        let grid = self.grid();
        let ToolState::Resizing {
            target,
            origin,
            original,
            preview,
        } = &mut self.state
        else {
            return;
        };
        let (min_w, min_h) = match target {
            ResizeTarget::Note(_) => MIN_NOTE_SIZE,
            ResizeTarget::Frame(_) => MIN_FRAME_SIZE,
        };
        let round = |v: f64| grid.map_or(v, |g| (v / g).round() * g);
        let w = round(original.w + board_p.x - origin.x).max(min_w);
        let h = round(original.h + board_p.y - origin.y).max(min_h);
        let edit = match target {
            ResizeTarget::Note(id) => Edit::ResizeNote {
                id: id.clone(),
                w: Some(w),
                h: Some(h),
            },
            ResizeTarget::Frame(id) => Edit::SetFrameRect {
                id: id.clone(),
                x: original.x,
                y: original.y,
                w: Some(w),
                h: Some(h),
            },
        };
        if let Some(inverse) = preview.take() {
            revert(&mut self.doc, inverse);
        }
        *preview = self.doc.preview(edit).ok();
    }

    /// Links `from` → `to` as one undo step, or refuses (with a message) a pair the link table forbids.
    pub fn connect(&mut self, from: &NoteId, to: &NoteId) -> Option<EditorEvent> {
        let board = self.doc.board();
        let (Some(a), Some(b)) = (board.note(from), board.note(to)) else {
            return None;
        };
        if from == to {
            return None;
        }
        if link_meaning(a.kind, b.kind).is_none() {
            return self.refuse(link_refusal(a.kind, b.kind));
        }
        let link = Link {
            id: LinkId(board.fresh_id("l")),
            from: from.clone(),
            to: to.clone(),
        };
        match self.doc.apply(Edit::AddLink { link, index: None }) {
            Ok(()) => Some(EditorEvent::Changed),
            Err(e) => self.refuse(e.to_string()),
        }
    }
}
