//! Where a run's counter goes on a note, in board units so that it scales with the board like
//! the notes: in the strip just under the note, within its width, so it covers neither the
//! note's text nor a neighbour; above the note when a neighbour sits in that strip; on the
//! note's own bottom edge only when both strips are taken. Too small to read at low zoom, it
//! gives way to a coloured bar along the note's bottom edge.

use crate::collections::HashMap;
use crate::model::Rect;

/// Height of a counter, board units.
pub const COUNTER_H: f64 = 22.0;
/// Font size of a counter, board units.
pub const COUNTER_FONT: f64 = 15.0;
/// Space between a counter and its note (or the note's edges), board units.
pub const COUNTER_INSET: f64 = 3.0;
/// Below this font size on screen (px) a counter cannot be read: the bar is drawn instead.
pub const MIN_READABLE_PX: f64 = 8.0;
/// Thickness of the bar that stands for a counter at low zoom, screen pixels.
pub const BAR_PX: f64 = 4.0;
/// Side of the cells notes are binned in to find a counter's neighbours, board units.
const CELL: f64 = 256.0;

/// The counter's rectangle on the note's own bottom edge, inside its width: the last resort,
/// when notes are packed so tightly that there is no room under or above it.
pub fn counter_on_edge(note: Rect) -> Rect {
    let h = COUNTER_H.min(note.h / 2.0);
    Rect::new(
        note.x + COUNTER_INSET,
        note.bottom() - h - COUNTER_INSET,
        (note.w - 2.0 * COUNTER_INSET).max(0.0),
        h,
    )
}

/// The strip just under a note, within its width.
fn under(note: Rect) -> Rect {
    Rect::new(note.x, note.bottom() + COUNTER_INSET, note.w, COUNTER_H)
}

/// The strip just above a note, within its width.
fn above(note: Rect) -> Rect {
    Rect::new(
        note.x,
        note.y - COUNTER_INSET - COUNTER_H,
        note.w,
        COUNTER_H,
    )
}

/// Rectangles binned by the cells they touch, to find what a strip would cover.
#[derive(Default)]
struct Grid {
    cells: HashMap<(i64, i64), Vec<Rect>>,
}

impl Grid {
    fn cells(r: Rect) -> impl Iterator<Item = (i64, i64)> {
        let cell = |v: f64| (v / CELL).floor() as i64;
        let (x0, x1, y0, y1) = (cell(r.x), cell(r.right()), cell(r.y), cell(r.bottom()));
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn add(&mut self, r: Rect) {
        for c in Grid::cells(r) {
            self.cells.entry(c).or_default().push(r);
        }
    }

    fn hits(&self, r: Rect) -> bool {
        Grid::cells(r).any(|c| {
            self.cells
                .get(&c)
                .is_some_and(|rs| rs.iter().any(|o| o.intersects(&r)))
        })
    }
}

/// Where the counters of the `busy` notes go, in their order, given every note around them
/// (`notes`, the busy ones included): under each note if that strip covers no note and no
/// counter placed before, else above it on the same terms, else on its bottom edge. The same
/// notes always give the same places.
pub fn place_counters(busy: &[Rect], notes: &[Rect]) -> Vec<Rect> {
    let mut taken = Grid::default();
    for n in notes {
        taken.add(*n);
    }
    busy.iter()
        .map(|&note| {
            let spot = [under(note), above(note)]
                .into_iter()
                .find(|s| !taken.hits(*s))
                .unwrap_or_else(|| counter_on_edge(note));
            taken.add(spot);
            spot
        })
        .collect()
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

    fn overlap_free(spots: &[Rect]) -> bool {
        spots
            .iter()
            .enumerate()
            .all(|(i, a)| spots[i + 1..].iter().all(|b| !a.intersects(b)))
    }

    #[test]
    fn a_counter_goes_under_its_note_and_never_covers_its_text() {
        // Regression: on the edge of a 100 × 80 actor the counter covered its second line.
        let actor = Rect::new(0.0, 0.0, 100.0, 80.0);
        let spot = place_counters(&[actor], &[actor])[0];
        assert!(!spot.intersects(&actor));
        assert_eq!((spot.x, spot.w), (actor.x, actor.w), "within its width");
        assert_eq!(spot.y, actor.bottom() + COUNTER_INSET);
    }

    #[test]
    fn adjacent_notes_counters_do_not_overlap() {
        // Regression: counters had a fixed screen size under the note and a policy's
        // "✓14 lag 0" covered its neighbour's.
        let a = Rect::new(0.0, 0.0, 120.0, 80.0);
        let right = Rect::new(124.0, 0.0, 120.0, 80.0);
        let below = Rect::new(0.0, 82.0, 120.0, 80.0);
        let notes = [a, right, below];
        let spots = place_counters(&notes, &notes);
        assert!(overlap_free(&spots), "{spots:?}");
        for (i, s) in spots.iter().enumerate() {
            for (j, n) in notes.iter().enumerate() {
                assert!(i == j || !s.intersects(n), "counter {i} covers note {j}");
            }
        }
        // The note with a neighbour right under it has its counter above instead.
        assert_eq!(spots[0], above(a));
        assert!(!counter_bar(a, 0.2).intersects(&counter_bar(right, 0.2)));
        assert!(
            a.contains_rect(&counter_bar(a, 0.05)),
            "a bar stays on its note"
        );
    }

    #[test]
    fn packed_notes_fall_back_to_their_own_edge_without_overlapping() {
        // A tight grid: no room between rows, so counters sit on the notes' bottom edges.
        let notes: Vec<Rect> = (0..5)
            .flat_map(|r| {
                (0..5).map(move |c| Rect::new(c as f64 * 130.0, r as f64 * 84.0, 120.0, 80.0))
            })
            .collect();
        let spots = place_counters(&notes, &notes);
        assert!(overlap_free(&spots));
        for (i, s) in spots.iter().enumerate() {
            for (j, n) in notes.iter().enumerate() {
                assert!(i == j || !s.intersects(n), "counter {i} covers note {j}");
            }
        }
        // The top row has room above, the bottom row below, the middle ones only their edge.
        assert_eq!(spots[0], above(notes[0]));
        assert_eq!(spots[24], under(notes[24]));
        assert_eq!(spots[12], counter_on_edge(notes[12]));
        assert!(notes[12].contains_rect(&spots[12]));
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
