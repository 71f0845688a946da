//! Pointer input: press, move, release, double-click and wheel drive the tool state machine.

use super::{
    camera::finite, item_of, revert, Button, Editor, EditorEvent, Hit, Modifiers, ResizeTarget,
    ToolState, DRAG_THRESHOLD_PX, WHEEL_ZOOM_SPEED,
};
use crate::model::{link_meaning, Point};

impl Editor {
    /// A button went down at `screen` (pixels, relative to the canvas).
    pub fn pointer_down(
        &mut self,
        screen: Point,
        button: Button,
        mods: Modifiers,
    ) -> Option<EditorEvent> {
        if !finite(screen) {
            return None;
        }
        self.message = None;
        // A press ends text editing (committing it) and closes the chooser, like Miro.
        let changed = match self.state {
            ToolState::EditingText { .. } | ToolState::RenamingFrame { .. } => {
                self.commit_text() == Some(EditorEvent::Changed)
            }
            ToolState::Choosing { .. } => {
                self.state = ToolState::Idle;
                false
            }
            // A press while a gesture runs means its release was lost: finish it first.
            ToolState::Idle => false,
            _ => {
                self.pointer_up(self.pointer.unwrap_or(screen), mods) == Some(EditorEvent::Changed)
            }
        };
        self.pointer = Some(screen);
        if button == Button::Middle || (button == Button::Left && self.space_held) {
            self.state = ToolState::Panning { last: screen };
            return Some(EditorEvent::Handled);
        }
        if button != Button::Left {
            return changed.then_some(EditorEvent::Changed);
        }
        let hit = self.hit_at(screen);
        let board_p = self.board_point(screen);
        match &hit {
            Hit::ConnectHandle(from) => {
                self.state = ToolState::Connecting {
                    from: from.clone(),
                    to: board_p,
                    over: None,
                    valid: false,
                };
            }
            Hit::NoteResize(id) => {
                if let Some(n) = self.doc.board().note(id) {
                    let original = n.rect();
                    let target = ResizeTarget::Note(id.clone());
                    self.state = ToolState::Resizing {
                        target,
                        origin: board_p,
                        original,
                        preview: None,
                    };
                }
            }
            Hit::FrameResize(id) => {
                if let Some(f) = self.doc.board().frame(id) {
                    let original = f.rect();
                    let target = ResizeTarget::Frame(id.clone());
                    self.state = ToolState::Resizing {
                        target,
                        origin: board_p,
                        original,
                        preview: None,
                    };
                }
            }
            _ => {
                let item = item_of(&hit);
                let was_selected = item.as_ref().is_some_and(|i| self.selection.contains(i));
                if let Some(item) = item {
                    if !was_selected {
                        if mods.shift {
                            self.selection.add(item);
                        } else {
                            self.selection.select_only(item);
                        }
                    }
                }
                self.state = ToolState::Pointing {
                    hit,
                    origin: screen,
                    shift: mods.shift,
                    was_selected,
                };
            }
        }
        Some(if changed {
            EditorEvent::Changed
        } else {
            EditorEvent::Handled
        })
    }

    /// The pointer moved to `screen` (with or without a button down).
    pub fn pointer_move(&mut self, screen: Point, mods: Modifiers) -> Option<EditorEvent> {
        if !finite(screen) {
            return None;
        }
        self.pointer = Some(screen);
        let board_p = self.board_point(screen);
        match &mut self.state {
            ToolState::Idle => {
                let hover = self.hit_at(screen);
                if hover == self.hover {
                    return None;
                }
                self.hover = hover;
                Some(EditorEvent::Handled)
            }
            ToolState::Pointing {
                hit, origin, shift, ..
            } => {
                let (dx, dy) = (screen.x - origin.x, screen.y - origin.y);
                if (dx * dx + dy * dy).sqrt() < DRAG_THRESHOLD_PX {
                    return None;
                }
                let start = self.camera.to_board(*origin);
                match hit {
                    Hit::Note(_) | Hit::FrameTitle(_) | Hit::FrameEdge(_) => {
                        let plan = self.move_plan();
                        if plan.is_empty() {
                            return None;
                        }
                        self.state = ToolState::Dragging {
                            origin: start,
                            plan,
                            delta: Point::default(),
                            preview: None,
                        };
                        self.drag_to(board_p, mods);
                    }
                    Hit::Empty | Hit::FrameInterior(_) => {
                        let additive = *shift;
                        let base = self.selection.clone();
                        self.state = ToolState::Marquee {
                            origin: start,
                            current: board_p,
                            base,
                            additive,
                        };
                        self.update_marquee();
                    }
                    // Links follow their notes; handles start their own gestures on press.
                    _ => return None,
                }
                Some(EditorEvent::Handled)
            }
            ToolState::Dragging { .. } => {
                self.drag_to(board_p, mods);
                Some(EditorEvent::Handled)
            }
            ToolState::Marquee { current, .. } => {
                *current = board_p;
                self.update_marquee();
                Some(EditorEvent::Handled)
            }
            ToolState::Connecting {
                from,
                to,
                over,
                valid,
            } => {
                *to = board_p;
                let board = self.doc.board();
                let source = board.note(from).map(|n| n.kind);
                let target = board
                    .notes
                    .iter()
                    .rev()
                    .find(|n| &n.id != from && n.rect().contains(board_p));
                *over = target.map(|n| n.id.clone());
                *valid = match (source, target) {
                    (Some(a), Some(b)) => link_meaning(a, b.kind).is_some(),
                    _ => false,
                };
                Some(EditorEvent::Handled)
            }
            ToolState::Resizing { .. } => {
                self.resize_to(board_p);
                Some(EditorEvent::Handled)
            }
            ToolState::Panning { last } => {
                let (dx, dy) = (screen.x - last.x, screen.y - last.y);
                *last = screen;
                self.camera.pan_by(dx, dy);
                Some(EditorEvent::Handled)
            }
            ToolState::EditingText { .. }
            | ToolState::RenamingFrame { .. }
            | ToolState::Choosing { .. } => None,
        }
    }

    /// The button was released at `screen`.
    pub fn pointer_up(&mut self, screen: Point, _mods: Modifiers) -> Option<EditorEvent> {
        let screen = if finite(screen) {
            screen
        } else {
            self.pointer.unwrap_or_default()
        };
        self.pointer = Some(screen);
        self.guides.clear();
        match std::mem::replace(&mut self.state, ToolState::Idle) {
            ToolState::Pointing {
                hit,
                shift,
                was_selected,
                ..
            } => {
                match item_of(&hit) {
                    Some(item) if shift && was_selected => self.selection.remove(&item),
                    Some(_) if shift => {}
                    Some(item) => self.selection.select_only(item),
                    None if !shift => self.selection.clear(),
                    None => {}
                }
                Some(EditorEvent::Handled)
            }
            ToolState::Dragging {
                plan,
                delta,
                preview,
                ..
            } => match preview {
                Some(inverse) if delta != Point::default() => {
                    self.commit_move(&plan, inverse);
                    Some(EditorEvent::Changed)
                }
                Some(inverse) => {
                    revert(&mut self.doc, inverse);
                    Some(EditorEvent::Handled)
                }
                None => Some(EditorEvent::Handled),
            },
            ToolState::Marquee { .. } | ToolState::Panning { .. } => Some(EditorEvent::Handled),
            ToolState::Connecting { from, over, .. } => {
                let Some(to) = over else {
                    return Some(EditorEvent::Handled);
                };
                self.connect(&from, &to)
            }
            ToolState::Resizing {
                target,
                original,
                preview,
                ..
            } => {
                let Some(inverse) = preview else {
                    return Some(EditorEvent::Handled);
                };
                let now = match &target {
                    ResizeTarget::Note(id) => self.doc.board().note(id).map(|n| n.rect()),
                    ResizeTarget::Frame(id) => self.doc.board().frame(id).map(|f| f.rect()),
                };
                if now == Some(original) {
                    revert(&mut self.doc, inverse);
                    return Some(EditorEvent::Handled);
                }
                self.doc.record(inverse);
                Some(EditorEvent::Changed)
            }
            other => {
                // Text editing and the chooser outlive the release of the double-click.
                self.state = other;
                None
            }
        }
    }

    /// A double-click at `screen`: edits a note's text or a frame's name; on the empty board
    /// (or inside a frame) opens the kind chooser.
    pub fn double_click(&mut self, screen: Point, _mods: Modifiers) -> Option<EditorEvent> {
        if !finite(screen) {
            return None;
        }
        if !matches!(self.state, ToolState::Idle) {
            self.pointer_down(screen, Button::Left, Modifiers::NONE);
            self.pointer_up(screen, Modifiers::NONE);
        }
        self.pointer = Some(screen);
        match self.hit_at(screen) {
            Hit::Note(id) | Hit::ConnectHandle(id) | Hit::NoteResize(id) => self.edit_text(&id),
            Hit::FrameTitle(id) => self.rename(&id),
            Hit::Link(_) => None,
            Hit::Empty | Hit::FrameInterior(_) | Hit::FrameEdge(_) | Hit::FrameResize(_) => {
                self.state = ToolState::Choosing {
                    at: self.board_point(screen),
                };
                Some(EditorEvent::Handled)
            }
        }
    }

    /// The wheel turned: with ctrl (or a pinch) zooms under the pointer, otherwise pans.
    pub fn wheel(&mut self, screen: Point, dx: f64, dy: f64, ctrl: bool) -> Option<EditorEvent> {
        if !finite(screen) || !dx.is_finite() || !dy.is_finite() {
            return None;
        }
        if ctrl {
            self.camera.zoom_at(screen, (-dy * WHEEL_ZOOM_SPEED).exp());
        } else {
            self.camera.pan_by(-dx, -dy);
        }
        Some(EditorEvent::Handled)
    }
}
