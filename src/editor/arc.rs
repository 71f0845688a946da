//! The arc a "results in" link (command → event) is drawn along: from the top of the command,
//! over the notes between (usually the aggregate it spans), down onto the top of the event, so
//! it is never hidden behind them. Drawn by the board view, hit by [`super::hit::link_at`].

use crate::model::{Point, Rect};

/// How far the arc's highest point clears the higher of its two notes, at least (board units).
pub const ARC_CLEARANCE: f64 = 40.0;
/// Extra clearance per board unit between the two notes' centres: a long arc spans a tall
/// aggregate (150 units against a command's 100), so it rises further.
pub const ARC_CLEARANCE_PER_UNIT: f64 = 0.12;
/// Straight pieces an arc is measured by when hit testing (an error under a unit for any
/// arc on a screen).
const HIT_PIECES: usize = 24;

/// A cubic Bézier curve in board units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cubic {
    /// Where it starts.
    pub from: Point,
    /// First control point.
    pub c1: Point,
    /// Second control point.
    pub c2: Point,
    /// Where it ends.
    pub to: Point,
}

impl Cubic {
    /// The point at `t` (0 = start, 1 = end).
    pub fn at(&self, t: f64) -> Point {
        let u = 1.0 - t;
        let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
        Point::new(
            a * self.from.x + b * self.c1.x + c * self.c2.x + d * self.to.x,
            a * self.from.y + b * self.c1.y + c * self.c2.y + d * self.to.y,
        )
    }

    /// The SVG path data of the curve.
    pub fn svg(&self) -> String {
        format!(
            "M {} {} C {} {}, {} {}, {} {}",
            self.from.x,
            self.from.y,
            self.c1.x,
            self.c1.y,
            self.c2.x,
            self.c2.y,
            self.to.x,
            self.to.y
        )
    }

    /// The distance from `p` to the curve (measured along [`HIT_PIECES`] straight pieces).
    pub fn distance_to(&self, p: Point) -> f64 {
        let points: Vec<Point> = (0..=HIT_PIECES)
            .map(|i| self.at(i as f64 / HIT_PIECES as f64))
            .collect();
        points
            .windows(2)
            .map(|w| super::hit::distance_to_segment(p, w[0], w[1]))
            .fold(f64::INFINITY, f64::min)
    }
}

/// The arc of a "results in" link from the note at `a` (the command) to the note at `b` (the
/// event): from the middle of `a`'s top edge to the middle of `b`'s, its highest point
/// [`ARC_CLEARANCE`] (plus [`ARC_CLEARANCE_PER_UNIT`] per unit apart) above the higher note.
pub fn results_in_arc(a: Rect, b: Rect) -> Cubic {
    let (from, to) = (Point::new(a.center().x, a.y), Point::new(b.center().x, b.y));
    let clearance = ARC_CLEARANCE + (to.x - from.x).abs() * ARC_CLEARANCE_PER_UNIT;
    // With both control points at height c, the middle of the curve is at (from + to)/8 + 3c/4:
    // solve for the middle to sit `clearance` above the higher note.
    let peak = a.y.min(b.y) - clearance;
    let c = (peak - (from.y + to.y) / 8.0) * 4.0 / 3.0;
    Cubic {
        from,
        c1: Point::new(from.x, c),
        c2: Point::new(to.x, c),
        to,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highest(arc: &Cubic) -> f64 {
        (0..=100)
            .map(|i| arc.at(i as f64 / 100.0).y)
            .fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn the_arc_clears_the_aggregate_it_spans() {
        // A command, a taller aggregate and an event in a row, as on the sample board.
        let command = Rect::new(200.0, 40.0, 140.0, 100.0);
        let aggregate = Rect::new(380.0, 15.0, 180.0, 150.0);
        let event = Rect::new(600.0, 40.0, 140.0, 100.0);
        let arc = results_in_arc(command, event);
        assert_eq!(arc.from, Point::new(270.0, 40.0));
        assert_eq!(arc.to, Point::new(670.0, 40.0));
        let top = highest(&arc);
        assert!(top <= 40.0 - ARC_CLEARANCE, "{top}");
        assert!(top < aggregate.y, "over the aggregate: {top}");
        assert!(
            (arc.at(0.5).y - (40.0 - ARC_CLEARANCE - 400.0 * ARC_CLEARANCE_PER_UNIT)).abs() < 1e-9
        );
    }

    #[test]
    fn the_arc_clears_the_higher_of_two_notes_at_different_heights() {
        let arc = results_in_arc(
            Rect::new(0.0, 300.0, 140.0, 100.0),
            Rect::new(400.0, 0.0, 140.0, 100.0),
        );
        assert!(highest(&arc) < 0.0);
        assert!(arc.svg().starts_with("M 70 300 C 70 "), "{}", arc.svg());
    }

    #[test]
    fn a_point_on_the_arc_is_near_it_and_the_notes_middle_is_not() {
        let arc = results_in_arc(
            Rect::new(0.0, 0.0, 140.0, 100.0),
            Rect::new(400.0, 0.0, 140.0, 100.0),
        );
        assert!(arc.distance_to(arc.at(0.3)) < 0.5);
        assert!(arc.distance_to(Point::new(270.0, 50.0)) > 50.0);
    }
}
