//! Interaction logic of the board canvas, without the DOM: the camera, hit testing, selection,
//! snapping, and the tool state machine the UI forwards pointer and key events to.
//!
//! Every change goes through [`Document`]: a gesture previews without history while it runs and
//! records one undo step when it ends; Escape restores the board as it was. The editor's state
//! is read through accessors and changed only through its methods: pointer input
//! (`pointer`, `gesture`), named commands ([`Action`], `commands`, `create`, `text_edit`) and
//! keys (`keymap`).

pub mod action;
pub mod camera;
pub mod clear_area;
pub mod clipboard;
mod commands;
pub mod counter_layout;
mod create;
pub mod drawn_links;
mod gesture;
pub mod hit;
pub mod input;
mod keymap;
pub mod link_geometry;
pub mod link_paths;
pub mod minimap;
mod pointer;
pub mod results_in;
pub mod selection;
pub mod snap;
pub mod text;
mod text_edit;
pub mod text_fit;
pub mod tidy;
pub mod tool;
mod view;

pub use action::{Action, Direction};
pub use camera::{Camera, Viewport, MAX_ZOOM, MIN_ZOOM};
pub use clipboard::PasteError;
pub use hit::{Hit, FRAME_TITLE_H};
pub use input::{Button, Modifiers};
pub use link_geometry::LinkPath;
pub use minimap::{minimap, MinimapView};
pub use selection::{marquee_items, Item, Selection};
pub use snap::{snap, Axis, Guide, GRID};
pub use text::event_tense_hint;
pub use tidy::tidy;
pub use tool::{MovePlan, ResizeTarget, ToolState};

use crate::model::{Board, Document, Edit, Point, Rect};

/// How far (screen pixels) the pointer must move before a press becomes a drag or a marquee.
pub const DRAG_THRESHOLD_PX: f64 = 4.0;
/// Smallest note size (width, height), board units.
pub const MIN_NOTE_SIZE: (f64, f64) = (40.0, 30.0);
/// Smallest frame size (width, height), board units.
pub const MIN_FRAME_SIZE: (f64, f64) = (120.0, 80.0);
/// The zoom step of the +/- keys.
pub const ZOOM_STEP: f64 = 1.25;
/// How strongly ctrl+wheel (or a pinch) zooms per pixel of wheel delta.
pub const WHEEL_ZOOM_SPEED: f64 = 0.002;
/// Margin around the board when fitting it to the view, screen pixels.
pub const FIT_MARGIN: f64 = 40.0;

/// What an input did, for the UI. `None` from an input means "not handled": let the browser act.
#[derive(Clone, Debug, PartialEq)]
pub enum EditorEvent {
    /// The board changed (one undo step recorded, or one undone/redone).
    Changed,
    /// Handled without changing the board (selection, camera, tool state): redraw, prevent default.
    Handled,
    /// Refused; the message is also in [`Editor::message`].
    Refused(String),
}

/// The board editor: the document, the camera, the selection and the tool state.
#[derive(Clone, Debug)]
pub struct Editor {
    /// The board and its history; every change goes through it.
    doc: Document,
    /// Pan and zoom.
    camera: Camera,
    /// The canvas size, screen pixels.
    viewport: Viewport,
    /// What covers parts of the canvas (legend, minimap, run bar), screen pixels within it:
    /// fitting keeps clear of them.
    covers: Vec<Rect>,
    /// The selected items.
    selection: Selection,
    /// The tool state.
    state: ToolState,
    /// Alignment guides to draw while dragging, board units.
    guides: Vec<Guide>,
    /// Snap moves and sizes to the [`GRID`] (toggle with G).
    grid_snap: bool,
    /// What the pointer hovers over while idle (to show handles and the cursor).
    hover: Hit,
    message: Option<String>,
    space_held: bool,
    pointer: Option<Point>,
}

impl Default for Editor {
    fn default() -> Self {
        Editor::new(Board::default())
    }
}

impl Editor {
    /// An editor on `board` with a fresh history, camera at 100%, nothing selected.
    pub fn new(board: Board) -> Editor {
        Editor {
            doc: Document::new(board),
            camera: Camera::default(),
            viewport: Viewport::default(),
            covers: Vec::new(),
            selection: Selection::new(),
            state: ToolState::Idle,
            guides: Vec::new(),
            grid_snap: true,
            hover: Hit::Empty,
            message: None,
            space_held: false,
            pointer: None,
        }
    }

    /// The board being edited.
    pub fn board(&self) -> &Board {
        self.doc.board()
    }

    /// The board and its history.
    pub fn doc(&self) -> &Document {
        &self.doc
    }

    /// Pan and zoom.
    pub fn camera(&self) -> Camera {
        self.camera
    }

    /// The canvas size, screen pixels.
    pub fn viewport(&self) -> Viewport {
        self.viewport
    }

    /// The selected items.
    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// The tool state.
    pub fn state(&self) -> &ToolState {
        &self.state
    }

    /// Alignment guides to draw while dragging, board units.
    pub fn guides(&self) -> &[Guide] {
        &self.guides
    }

    /// True if moves and sizes snap to the [`GRID`].
    pub fn grid_snap(&self) -> bool {
        self.grid_snap
    }

    /// What the pointer hovers over while idle (to show handles and the cursor).
    pub fn hover(&self) -> &Hit {
        &self.hover
    }

    /// The last refusal or error to show the user, if any (cleared by the next press or key).
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    fn refuse(&mut self, why: String) -> Option<EditorEvent> {
        self.message = Some(why.clone());
        Some(EditorEvent::Refused(why))
    }

    /// What covers parts of the canvas, screen pixels within it.
    pub fn covers(&self) -> &[Rect] {
        &self.covers
    }

    /// Says what covers parts of the canvas (overlays), screen pixels within it: fitting the
    /// board or notes keeps clear of them.
    pub fn set_covers(&mut self, covers: Vec<Rect>) {
        self.covers = covers;
    }

    /// Sets the canvas size in screen pixels (call on mount and resize).
    pub fn set_viewport(&mut self, w: f64, h: f64) {
        self.viewport = Viewport::new(w, h);
    }

    /// Sets pan and zoom (the zoom clamped into range; non-finite values are ignored).
    pub fn set_camera(&mut self, camera: Camera) {
        if camera.x.is_finite() && camera.y.is_finite() && camera.zoom.is_finite() {
            self.camera = Camera {
                zoom: camera::clamp_zoom(camera.zoom),
                ..camera
            };
        }
    }

    /// Selects only `item` (a click).
    pub fn select_only(&mut self, item: Item) {
        self.selection.select_only(item);
    }

    /// Adds `item` to the selection (a shift-click on an unselected item).
    pub fn add_to_selection(&mut self, item: Item) {
        self.selection.add(item);
    }

    /// Deselects everything.
    pub fn clear_selection(&mut self) {
        self.selection.clear();
    }

    fn board_point(&self, screen: Point) -> Point {
        self.camera.to_board(screen)
    }

    fn hit_at(&self, screen: Point) -> Hit {
        hit::hit(
            self.doc.board(),
            &self.selection,
            self.board_point(screen),
            self.camera.zoom,
        )
    }

    fn grid(&self) -> Option<f64> {
        self.grid_snap.then_some(GRID)
    }

    pub fn in_gesture(&self) -> bool {
        !matches!(
            self.state,
            ToolState::Idle
                | ToolState::EditingText { .. }
                | ToolState::RenamingFrame { .. }
                | ToolState::Choosing { .. }
        )
    }

    /// Gets ready for a command: commits text being edited, cancels a gesture or the chooser.
    fn settle(&mut self) {
        if self.commit_text().is_none() {
            self.cancel();
        }
    }

    /// Abandons whatever is in progress: previews are undone, drafts dropped, the marquee
    /// restores the selection it started from. Returns true if there was something to cancel.
    pub fn cancel(&mut self) -> bool {
        self.guides.clear();
        match std::mem::replace(&mut self.state, ToolState::Idle) {
            ToolState::Idle => false,
            ToolState::Dragging { preview, .. } | ToolState::Resizing { preview, .. } => {
                if let Some(inverse) = preview {
                    revert(&mut self.doc, inverse);
                }
                true
            }
            ToolState::Marquee { base, .. } => {
                self.selection = base;
                true
            }
            _ => true,
        }
    }
}

/// Undoes a preview outside history. The inverse of an edit that applied always applies, so
/// there is no error to handle.
fn revert(doc: &mut Document, inverse: Edit) {
    let _ = doc.preview(inverse);
}

/// The selectable item a hit designates, if any.
fn item_of(hit: &Hit) -> Option<Item> {
    match hit {
        Hit::Note(id) => Some(Item::Note(id.clone())),
        Hit::Link(id) => Some(Item::Link(id.clone())),
        Hit::FrameTitle(id) | Hit::FrameEdge(id) => Some(Item::Frame(id.clone())),
        _ => None,
    }
}

/// The upper-case letter of a one-character key.
fn single_char(key: &str) -> Option<char> {
    let mut chars = key.chars();
    let c = chars.next()?;
    chars.next().is_none().then(|| c.to_ascii_uppercase())
}
