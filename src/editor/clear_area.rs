//! Where on the canvas a fitted part of the board goes: the largest view of it that no overlay
//! (legend, minimap, run bar, a presentation's caption) covers.
//!
//! Each overlay leaves the canvas on one of its four sides: above it, below it, left or right
//! of it. Every choice of side per overlay gives a clear area (the canvas cut at those edges);
//! the one where the part fits at the largest zoom wins. Overlays are few (at most four), so
//! trying every choice is cheap.

use super::{camera::clamp_zoom, Viewport};
use crate::model::Rect;

/// Most overlays taken into account (the rest are ignored: 4^n choices are tried).
pub const MAX_COVERS: usize = 5;

/// The clear area (screen pixels within the canvas) where `part` (board units) fits at the
/// largest zoom, with `margin` pixels around it; the whole canvas when nothing covers it or no
/// clear area is large enough. Also returns that zoom (clamped).
pub fn clear_area(part: Rect, viewport: Viewport, covers: &[Rect], margin: f64) -> (Rect, f64) {
    let whole = Rect::new(0.0, 0.0, viewport.w, viewport.h);
    let covers: Vec<Rect> = covers
        .iter()
        .filter_map(|c| clip(*c, whole))
        .take(MAX_COVERS)
        .collect();
    let zoom_in = |area: Rect| {
        let room_w = area.w - 2.0 * margin;
        let room_h = area.h - 2.0 * margin;
        if room_w < 1.0 || room_h < 1.0 {
            return None;
        }
        Some((room_w / part.w.max(f64::MIN_POSITIVE)).min(room_h / part.h.max(f64::MIN_POSITIVE)))
    };
    let mut best = (whole, zoom_in(whole).unwrap_or(1.0));
    let choices = 4usize.pow(covers.len() as u32);
    for choice in 0..choices {
        let mut area = whole;
        let mut rest = choice;
        for c in &covers {
            area = side(area, *c, rest % 4);
            rest /= 4;
        }
        if let Some(zoom) = zoom_in(area) {
            let covered = covers.iter().any(|c| overlaps(*c, area));
            if !covered && (zoom > best.1 || best_is_covered(&best.0, &covers)) {
                best = (area, zoom);
            }
        }
    }
    (best.0, clamp_zoom(best.1))
}

/// True while the best area so far is still covered (the whole canvas under overlays).
fn best_is_covered(best: &Rect, covers: &[Rect]) -> bool {
    covers.iter().any(|c| overlaps(*c, *best))
}

/// The part of `area` on one side of the cover: 0 above, 1 below, 2 left, 3 right.
fn side(area: Rect, c: Rect, which: usize) -> Rect {
    let (x0, y0, x1, y1) = (area.x, area.y, area.x + area.w, area.y + area.h);
    let (x0, y0, x1, y1) = match which {
        0 => (x0, y0, x1, y1.min(c.y)),
        1 => (x0, y0.max(c.y + c.h), x1, y1),
        2 => (x0, y0, x1.min(c.x), y1),
        _ => (x0.max(c.x + c.w), y0, x1, y1),
    };
    Rect::new(x0, y0, (x1 - x0).max(0.0), (y1 - y0).max(0.0))
}

/// True when the two rectangles share some area.
fn overlaps(a: Rect, b: Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// The cover's part within the canvas, if it has any area there.
fn clip(c: Rect, whole: Rect) -> Option<Rect> {
    if ![c.x, c.y, c.w, c.h].iter().all(|v| v.is_finite()) {
        return None;
    }
    let x0 = c.x.max(whole.x);
    let y0 = c.y.max(whole.y);
    let x1 = (c.x + c.w).min(whole.x + whole.w);
    let y1 = (c.y + c.h).min(whole.y + whole.h);
    (x1 > x0 && y1 > y0).then(|| Rect::new(x0, y0, x1 - x0, y1 - y0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANVAS: Viewport = Viewport { w: 800.0, h: 600.0 };

    #[test]
    fn nothing_covering_gives_the_whole_canvas() {
        let (area, zoom) = clear_area(Rect::new(0.0, 0.0, 720.0, 260.0), CANVAS, &[], 40.0);
        assert_eq!(area, Rect::new(0.0, 0.0, 800.0, 600.0));
        assert_eq!(zoom, 1.0);
    }

    #[test]
    fn a_wide_part_goes_between_a_top_legend_and_a_bottom_bar() {
        let legend = Rect::new(10.0, 10.0, 440.0, 90.0);
        let bar = Rect::new(10.0, 550.0, 760.0, 40.0);
        let minimap = Rect::new(590.0, 400.0, 200.0, 130.0);
        let part = Rect::new(0.0, 0.0, 1440.0, 360.0);
        let (area, zoom) = clear_area(part, CANVAS, &[legend, bar, minimap], 20.0);
        for c in [legend, bar, minimap] {
            assert!(!overlaps(c, area), "{c:?} covers {area:?}");
        }
        // Wide: the whole width is kept, the legend above and the minimap below.
        assert_eq!((area.x, area.w), (0.0, 800.0));
        assert_eq!((area.y, area.y + area.h), (100.0, 400.0));
        assert!((zoom - 760.0 / 1440.0).abs() < 1e-9, "{zoom}");
    }

    #[test]
    fn a_tall_part_goes_beside_the_overlays_rather_than_under_them() {
        let legend = Rect::new(10.0, 10.0, 440.0, 90.0);
        let minimap = Rect::new(590.0, 400.0, 200.0, 130.0);
        let part = Rect::new(0.0, 0.0, 100.0, 1000.0);
        let (area, _) = clear_area(part, CANVAS, &[legend, minimap], 0.0);
        assert!(
            area.h >= 400.0,
            "a tall part keeps most of the height: {area:?}"
        );
        for c in [legend, minimap] {
            assert!(!overlaps(c, area));
        }
    }

    #[test]
    fn overlays_off_the_canvas_or_empty_are_ignored() {
        let hidden = Rect::new(0.0, 0.0, 0.0, 0.0);
        let outside = Rect::new(900.0, 0.0, 100.0, 100.0);
        let (area, _) = clear_area(
            Rect::new(0.0, 0.0, 10.0, 10.0),
            CANVAS,
            &[hidden, outside],
            0.0,
        );
        assert_eq!(area, Rect::new(0.0, 0.0, 800.0, 600.0));
    }

    #[test]
    fn a_canvas_covered_all_over_falls_back_to_the_whole_canvas() {
        let all = Rect::new(0.0, 0.0, 800.0, 600.0);
        let (area, zoom) = clear_area(Rect::new(0.0, 0.0, 100.0, 100.0), CANVAS, &[all], 10.0);
        assert_eq!(area, Rect::new(0.0, 0.0, 800.0, 600.0));
        assert!(zoom > 0.0);
    }
}
