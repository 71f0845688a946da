//! Where a run's counter goes on a note, in board units so that it scales with the board like
//! the notes: on the note's bottom edge, inside its width, so it never covers a neighbour. Too
//! small to read at low zoom, it gives way to a coloured bar along that edge.

use crate::model::Rect;

/// Height of a counter, board units.
pub const COUNTER_H: f64 = 22.0;
/// Font size of a counter, board units.
pub const COUNTER_FONT: f64 = 15.0;
/// Space between a counter and the note's edges, board units.
pub const COUNTER_INSET: f64 = 3.0;
/// Below this font size on screen (px) a counter cannot be read: the bar is drawn instead.
pub const MIN_READABLE_PX: f64 = 8.0;
/// Thickness of the bar that stands for a counter at low zoom, screen pixels.
pub const BAR_PX: f64 = 4.0;

/// The counter's rectangle on a note: along its bottom edge, inside its width.
pub fn counter_rect(note: Rect) -> Rect {
    let h = COUNTER_H.min(note.h / 2.0);
    Rect::new(
        note.x + COUNTER_INSET,
        note.bottom() - h - COUNTER_INSET,
        (note.w - 2.0 * COUNTER_INSET).max(0.0),
        h,
    )
}

/// True when counters are big enough on screen to be read at this zoom.
pub fn counters_readable(zoom: f64) -> bool {
    COUNTER_FONT * zoom >= MIN_READABLE_PX
}

/// The bar standing for a counter at low zoom: along the note's bottom edge, inside it,
/// [`BAR_PX`] thick on screen.
pub fn counter_bar(note: Rect, zoom: f64) -> Rect {
    let h = (BAR_PX / zoom.max(f64::EPSILON)).min(note.h / 2.0);
    Rect::new(note.x, note.bottom() - h, note.w, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjacent_notes_counters_do_not_overlap() {
        // Regression: counters had a fixed screen size under the note and a policy's
        // "✓14 lag 0" covered its neighbour's.
        let a = Rect::new(0.0, 0.0, 120.0, 80.0);
        let right = Rect::new(124.0, 0.0, 120.0, 80.0);
        let below = Rect::new(0.0, 82.0, 120.0, 80.0);
        for n in [right, below] {
            assert!(!counter_rect(a).intersects(&counter_rect(n)));
            assert!(!counter_rect(a).intersects(&n), "nor the neighbour itself");
            assert!(!counter_bar(a, 0.2).intersects(&counter_bar(n, 0.2)));
        }
        assert!(a.contains_rect(&counter_rect(a)));
        assert!(
            a.contains_rect(&counter_bar(a, 0.05)),
            "a bar stays on its note"
        );
    }

    #[test]
    fn counters_scale_with_the_board_and_give_way_to_a_bar_when_too_small() {
        assert!(counters_readable(1.0));
        assert!(counters_readable(0.6));
        assert!(!counters_readable(0.4));
        let note = Rect::new(0.0, 0.0, 120.0, 80.0);
        assert_eq!(counter_bar(note, 0.5).h, BAR_PX / 0.5);
    }
}
