//! Snapping a moving rectangle to a grid and to alignment guides with nearby notes.

use crate::model::{Point, Rect};

/// The grid step, in board units (arrow keys move by one step; shift by ten).
pub const GRID: f64 = 10.0;
/// How close an edge or centre must come to another's to align, in screen pixels.
pub const GUIDE_PX: f64 = 6.0;

/// Which way a guide line runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// A vertical line at x = `pos` (left, centre or right edges aligned).
    Vertical,
    /// A horizontal line at y = `pos` (top, middle or bottom edges aligned).
    Horizontal,
}

/// An alignment guide for the UI to draw, in board units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Guide {
    /// Direction of the line.
    pub axis: Axis,
    /// Its x (vertical) or y (horizontal).
    pub pos: f64,
    /// Where the line starts along its direction.
    pub from: f64,
    /// Where the line ends along its direction.
    pub to: f64,
}

/// Where `moving` (the proposed rectangle) should go, and the guides explaining why.
///
/// On each axis the nearest alignment of left/centre/right (top/middle/bottom) with one of
/// `others` within `threshold` board units wins; with no alignment, the top-left corner snaps
/// to `grid` if given. Non-finite input is returned unchanged with no guides.
pub fn snap(
    moving: Rect,
    others: &[Rect],
    grid: Option<f64>,
    threshold: f64,
) -> (Point, Vec<Guide>) {
    let origin = Point::new(moving.x, moving.y);
    if ![moving.x, moving.y, moving.w, moving.h, threshold]
        .iter()
        .all(|v| v.is_finite())
    {
        return (origin, Vec::new());
    }
    let grid = grid.filter(|g| g.is_finite() && *g > 0.0);
    let mut guides = Vec::new();
    let x = snap_axis(moving, others, grid, threshold, Axis::Vertical, &mut guides);
    let y = snap_axis(
        moving,
        others,
        grid,
        threshold,
        Axis::Horizontal,
        &mut guides,
    );
    // Guides were measured against the unsnapped rectangle: stretch them over the final one.
    let placed = Rect::new(x, y, moving.w, moving.h);
    for g in &mut guides {
        let (lo, hi) = match g.axis {
            Axis::Vertical => (placed.y, placed.bottom()),
            Axis::Horizontal => (placed.x, placed.right()),
        };
        g.from = g.from.min(lo);
        g.to = g.to.max(hi);
    }
    (Point::new(x, y), guides)
}

fn snap_axis(
    moving: Rect,
    others: &[Rect],
    grid: Option<f64>,
    threshold: f64,
    axis: Axis,
    guides: &mut Vec<Guide>,
) -> f64 {
    let lines = |r: &Rect| match axis {
        Axis::Vertical => [r.x, r.x + r.w / 2.0, r.right()],
        Axis::Horizontal => [r.y, r.y + r.h / 2.0, r.bottom()],
    };
    let span = |r: &Rect| match axis {
        Axis::Vertical => (r.y, r.bottom()),
        Axis::Horizontal => (r.x, r.right()),
    };
    let start = match axis {
        Axis::Vertical => moving.x,
        Axis::Horizontal => moving.y,
    };
    let mine = lines(&moving);
    // The smallest correction, then every alignment that correction achieves.
    let mut best: Option<f64> = None;
    for other in others
        .iter()
        .filter(|r| lines(r).iter().all(|v| v.is_finite()))
    {
        for theirs in lines(other) {
            for m in mine {
                let d = theirs - m;
                if d.abs() <= threshold && best.is_none_or(|b| d.abs() < b.abs()) {
                    best = Some(d);
                }
            }
        }
    }
    let Some(delta) = best else {
        return grid.map_or(start, |g| (start / g).round() * g);
    };
    let snapped = lines(&moving).map(|v| v + delta);
    for other in others {
        for theirs in lines(other) {
            if snapped.iter().any(|s| (s - theirs).abs() < 1e-9) {
                let (a0, a1) = span(other);
                match guides
                    .iter_mut()
                    .find(|g| g.axis == axis && (g.pos - theirs).abs() < 1e-9)
                {
                    Some(g) => {
                        g.from = g.from.min(a0);
                        g.to = g.to.max(a1);
                    }
                    None => guides.push(Guide {
                        axis,
                        pos: theirs,
                        from: a0,
                        to: a1,
                    }),
                }
            }
        }
    }
    start + delta
}
