//! The minimap: the whole board and the viewport, scaled into a small rectangle.

use super::camera::{finite, Camera, Viewport};
use crate::model::{Board, FrameId, NoteId, NoteKind, Point, Rect};

/// Space kept around the board in the minimap, in board units.
pub const MINIMAP_MARGIN: f64 = 40.0;

/// What the minimap draws, in minimap pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct MinimapView {
    /// Minimap pixels per board unit.
    pub scale: f64,
    /// The board area shown (board units).
    pub world: Rect,
    /// Where the board area's top-left corner lands in the minimap (it is centred).
    pub offset: Point,
    /// Every frame's rectangle.
    pub frames: Vec<(FrameId, Rect)>,
    /// Every note's rectangle and kind (for its colour).
    pub notes: Vec<(NoteId, NoteKind, Rect)>,
    /// The part of the board the main view shows.
    pub viewport: Rect,
}

impl MinimapView {
    /// A board point in minimap pixels.
    pub fn to_minimap(&self, p: Point) -> Point {
        Point::new(
            (p.x - self.world.x) * self.scale + self.offset.x,
            (p.y - self.world.y) * self.scale + self.offset.y,
        )
    }

    /// A minimap point in board units.
    pub fn to_board(&self, p: Point) -> Point {
        Point::new(
            (p.x - self.offset.x) / self.scale + self.world.x,
            (p.y - self.offset.y) / self.scale + self.world.y,
        )
    }

    fn rect(&self, r: Rect) -> Rect {
        let tl = self.to_minimap(Point::new(r.x, r.y));
        Rect::new(tl.x, tl.y, r.w * self.scale, r.h * self.scale)
    }

    /// The same minimap with every frame and note of `board` placed on it.
    pub fn with_shapes(mut self, board: &Board) -> MinimapView {
        self.frames = board
            .frames
            .iter()
            .map(|f| (f.id.clone(), self.rect(f.rect())))
            .collect();
        self.notes = board
            .notes
            .iter()
            .map(|n| (n.id.clone(), n.kind, self.rect(n.rect())))
            .collect();
        self
    }

    /// The camera (same zoom) centring the main view on the board point under minimap point `p`.
    pub fn click(&self, p: Point, camera: Camera, viewport: Viewport) -> Camera {
        let mut cam = camera;
        if finite(p) {
            cam.center_on(self.to_board(p), viewport);
        }
        cam
    }
}

/// Steps across the larger side of the board and view that the minimap's area snaps to.
const MINIMAP_STEPS: f64 = 4.0;

/// `x` rounded up to a power of two (at least 1).
fn power_of_two_above(x: f64) -> f64 {
    let mut p = 1.0;
    // Doubling, not `log2`: the browser build then carries no logarithm (the loop is bounded
    // by the exponent range of f64).
    while x.is_finite() && p < x {
        p *= 2.0;
    }
    p
}

/// The minimap of `board` seen through `camera` and `viewport`, fitted into `size` pixels.
/// The area shown holds the board and the viewport, so the viewport frame is always visible;
/// it snaps outward to a coarse grid, so panning changes only the viewport frame and the notes
/// are placed again only when the view crosses the grid (or the board changes).
pub fn minimap(board: &Board, camera: &Camera, viewport: Viewport, size: Viewport) -> MinimapView {
    minimap_frame(board, camera, viewport, size).with_shapes(board)
}

/// The minimap's placing and viewport frame without its shapes (cheap: for every pan).
pub fn minimap_frame(
    board: &Board,
    camera: &Camera,
    viewport: Viewport,
    size: Viewport,
) -> MinimapView {
    let seen = camera.visible_rect(viewport);
    let world = board.bounds().map_or(seen, |b| b.union(&seen));
    let step = power_of_two_above(world.w.max(world.h) / MINIMAP_STEPS);
    let (x0, y0) = (
        (world.x / step).floor() * step,
        (world.y / step).floor() * step,
    );
    let (x1, y1) = (
        (world.right() / step).ceil() * step,
        (world.bottom() / step).ceil() * step,
    );
    let world = Rect::new(
        x0 - MINIMAP_MARGIN,
        y0 - MINIMAP_MARGIN,
        x1 - x0 + 2.0 * MINIMAP_MARGIN,
        y1 - y0 + 2.0 * MINIMAP_MARGIN,
    );
    let scale = (size.w / world.w).min(size.h / world.h);
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let offset = Point::new(
        (size.w - world.w * scale) / 2.0,
        (size.h - world.h * scale) / 2.0,
    );
    let mut view = MinimapView {
        scale,
        world,
        offset,
        frames: Vec::new(),
        notes: Vec::new(),
        viewport: Rect::default(),
    };
    view.viewport = view.rect(seen);
    view
}

#[cfg(test)]
mod tests {
    use super::power_of_two_above;

    #[test]
    fn sizes_round_up_to_a_power_of_two() {
        assert_eq!(power_of_two_above(0.5), 1.0);
        assert_eq!(power_of_two_above(1.0), 1.0);
        assert_eq!(power_of_two_above(1.5), 2.0);
        assert_eq!(power_of_two_above(2.0), 2.0);
        assert_eq!(power_of_two_above(1000.0), 1024.0);
        assert_eq!(power_of_two_above(f64::INFINITY), 1.0);
        assert_eq!(power_of_two_above(f64::NAN), 1.0);
    }
}
