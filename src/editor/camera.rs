//! The one conversion between board and screen coordinates.

use crate::model::{Point, Rect};

/// The smallest zoom (10%).
pub const MIN_ZOOM: f64 = 0.1;
/// The largest zoom (400%).
pub const MAX_ZOOM: f64 = 4.0;

/// The size of the visible canvas, in screen pixels.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Viewport {
    /// Width in pixels.
    pub w: f64,
    /// Height in pixels.
    pub h: f64,
}

impl Viewport {
    /// A viewport of `w` × `h` pixels (negative or non-finite sizes count as 0).
    pub fn new(w: f64, h: f64) -> Viewport {
        let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
        Viewport {
            w: clean(w),
            h: clean(h),
        }
    }

    /// The centre of the viewport, in screen pixels.
    pub fn center(&self) -> Point {
        Point::new(self.w / 2.0, self.h / 2.0)
    }
}

/// Pan and zoom: `screen = board × zoom + (x, y)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    /// Horizontal pan offset, screen pixels.
    pub x: f64,
    /// Vertical pan offset, screen pixels.
    pub y: f64,
    /// Scale factor, from [`MIN_ZOOM`] to [`MAX_ZOOM`].
    pub zoom: f64,
}

impl Default for Camera {
    fn default() -> Self {
        Camera {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        }
    }
}

/// Clamps a zoom into range; NaN gives 1.
pub fn clamp_zoom(zoom: f64) -> f64 {
    if zoom.is_nan() {
        1.0
    } else {
        zoom.clamp(MIN_ZOOM, MAX_ZOOM)
    }
}

impl Camera {
    /// The screen position of a board point.
    pub fn to_screen(&self, p: Point) -> Point {
        Point::new(p.x * self.zoom + self.x, p.y * self.zoom + self.y)
    }

    /// The board position of a screen point.
    pub fn to_board(&self, p: Point) -> Point {
        Point::new((p.x - self.x) / self.zoom, (p.y - self.y) / self.zoom)
    }

    /// Multiplies the zoom by `factor` (clamped), keeping the board point under `screen` fixed.
    pub fn zoom_at(&mut self, screen: Point, factor: f64) {
        if !(factor.is_finite() && factor > 0.0 && finite(screen)) {
            return;
        }
        self.set_zoom_at(screen, self.zoom * factor);
    }

    /// Sets the zoom (clamped), keeping the board point under `screen` fixed.
    pub fn set_zoom_at(&mut self, screen: Point, zoom: f64) {
        if !finite(screen) || !zoom.is_finite() {
            return;
        }
        let anchor = self.to_board(screen);
        self.zoom = clamp_zoom(zoom);
        self.x = screen.x - anchor.x * self.zoom;
        self.y = screen.y - anchor.y * self.zoom;
    }

    /// Pans by (`dx`, `dy`) screen pixels; non-finite amounts are ignored.
    pub fn pan_by(&mut self, dx: f64, dy: f64) {
        if dx.is_finite() && dy.is_finite() {
            self.x += dx;
            self.y += dy;
        }
    }

    /// Zooms and pans so `rect` fits the viewport with `margin` pixels around it (zoom clamped).
    pub fn fit(&mut self, rect: Rect, viewport_w: f64, viewport_h: f64, margin: f64) {
        let vp = Viewport::new(viewport_w, viewport_h);
        if ![rect.x, rect.y, rect.w, rect.h, margin]
            .iter()
            .all(|v| v.is_finite())
            || vp.w == 0.0
            || vp.h == 0.0
        {
            return;
        }
        let margin = margin.max(0.0);
        let room_w = (vp.w - 2.0 * margin).max(1.0);
        let room_h = (vp.h - 2.0 * margin).max(1.0);
        let zoom = if rect.w <= 0.0 && rect.h <= 0.0 {
            1.0
        } else {
            (room_w / rect.w.max(f64::MIN_POSITIVE)).min(room_h / rect.h.max(f64::MIN_POSITIVE))
        };
        self.zoom = clamp_zoom(zoom);
        self.center_on(rect.center(), vp);
    }

    /// Pans (zoom unchanged) so the board point `p` sits in the middle of the viewport.
    pub fn center_on(&mut self, p: Point, viewport: Viewport) {
        if !finite(p) {
            return;
        }
        self.x = viewport.w / 2.0 - p.x * self.zoom;
        self.y = viewport.h / 2.0 - p.y * self.zoom;
    }

    /// The board rectangle the viewport shows (for culling).
    pub fn visible_rect(&self, viewport: Viewport) -> Rect {
        let tl = self.to_board(Point::new(0.0, 0.0));
        Rect::new(
            tl.x,
            tl.y,
            viewport.w.max(0.0) / self.zoom,
            viewport.h.max(0.0) / self.zoom,
        )
    }

    /// The CSS transform of the board layer (with `transform-origin: 0 0`).
    pub fn css_transform(&self) -> String {
        format!("translate({}px, {}px) scale({})", self.x, self.y, self.zoom)
    }

    /// The zoom as a whole percentage, for the zoom indicator.
    pub fn percent(&self) -> u32 {
        (self.zoom * 100.0).round() as u32
    }
}

/// True if both coordinates are finite.
pub fn finite(p: Point) -> bool {
    p.x.is_finite() && p.y.is_finite()
}
