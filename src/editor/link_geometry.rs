//! The drawn path of a link, shared by the board (its SVG `d`), hit testing (what a click is
//! near) and the run (where a token is along it): straight when the link runs forward, an arc
//! over the notes when it runs back against the left-to-right flow (a read model read by the
//! actor, a loop), and an arc over the aggregate for a command's "results in" link to an event.

use super::hit::distance_to_segment;
use crate::model::{NoteKind, Point, Rect};

/// Height of a backward link's arc above the higher of its two notes, board units…
const ARC_LIFT: f64 = 50.0;
/// …plus this share of the horizontal distance it spans.
const ARC_LIFT_PER_SPAN: f64 = 0.12;
/// How far a "results in" arc's highest point clears the higher of its two notes, at least
/// (board units)…
pub const RESULTS_IN_CLEARANCE: f64 = 40.0;
/// …plus this much per board unit between the two notes' centres: a long arc spans a tall
/// aggregate (150 units against a command's 100), so it rises further.
pub const RESULTS_IN_CLEARANCE_PER_UNIT: f64 = 0.12;
/// Straight pieces an arc is measured by when hit testing (an error under a unit for any arc
/// on a screen).
const HIT_PIECES: usize = 24;
/// Length of each stroke of a link's arrowhead, board units.
const ARROW_LEN: f64 = 10.0;
/// Cosine and sine of half the opening angle of a link's arrowhead (0.45 rad): the strokes are
/// the link's direction turned by it, with no trigonometry in the browser build (a test checks
/// the values).
const ARROW_TURN: (f64, f64) = (0.900_447_102_352_676_9, 0.434_965_534_111_230_2);

/// The path a link is drawn along, in board units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LinkPath {
    /// A straight segment from border to border.
    Line {
        /// Start.
        from: Point,
        /// End.
        to: Point,
    },
    /// A cubic Bézier arc from the top of one note to the top of the other.
    Arc {
        /// Start.
        from: Point,
        /// First control point.
        c1: Point,
        /// Second control point.
        c2: Point,
        /// End.
        to: Point,
    },
}

/// True for a link that says which event a command results in (drawn as an arc).
pub fn is_results_in(from: NoteKind, to: NoteKind) -> bool {
    from == NoteKind::Command && to == NoteKind::Event
}

impl LinkPath {
    /// The path of a link from the note at `a` (of kind `ka`) to the note at `b` (of kind `kb`).
    pub fn for_link(a: Rect, ka: NoteKind, b: Rect, kb: NoteKind) -> LinkPath {
        if is_results_in(ka, kb) {
            LinkPath::results_in(a, b)
        } else {
            LinkPath::between(a, b)
        }
    }

    /// The arc of a "results in" link from the note at `a` (the command) to the note at `b`
    /// (the event): from the middle of `a`'s top edge to the middle of `b`'s, its highest point
    /// [`RESULTS_IN_CLEARANCE`] (plus [`RESULTS_IN_CLEARANCE_PER_UNIT`] per unit apart) above
    /// the higher note, so the aggregate it usually spans never hides it.
    pub fn results_in(a: Rect, b: Rect) -> LinkPath {
        let (from, to) = (Point::new(a.center().x, a.y), Point::new(b.center().x, b.y));
        let clearance =
            RESULTS_IN_CLEARANCE + (to.x - from.x).abs() * RESULTS_IN_CLEARANCE_PER_UNIT;
        // With both control points at height c, the middle of the curve is at
        // (from + to)/8 + 3c/4: solve for the middle to sit `clearance` above the higher note.
        let peak = a.y.min(b.y) - clearance;
        let c = (peak - (from.y + to.y) / 8.0) * 4.0 / 3.0;
        LinkPath::Arc {
            from,
            c1: Point::new(from.x, c),
            c2: Point::new(to.x, c),
            to,
        }
    }

    /// The path of a link from note rectangle `a` to note rectangle `b`.
    pub fn between(a: Rect, b: Rect) -> LinkPath {
        if b.right() <= a.x {
            let (from, to) = (Point::new(a.center().x, a.y), Point::new(b.center().x, b.y));
            let lift = ARC_LIFT + (from.x - to.x).abs() * ARC_LIFT_PER_SPAN;
            let top = from.y.min(to.y) - lift;
            LinkPath::Arc {
                from,
                c1: Point::new(from.x, top),
                c2: Point::new(to.x, top),
                to,
            }
        } else {
            LinkPath::Line {
                from: a.border_toward(b.center()),
                to: b.border_toward(a.center()),
            }
        }
    }

    /// The SVG path data (`d`).
    pub fn svg(&self) -> String {
        let mut d = String::new();
        self.write_svg(&mut d);
        d
    }

    /// Appends the SVG path data of the link to `d`.
    fn write_svg(&self, d: &mut String) {
        match self {
            LinkPath::Line { from, to } => {
                write_points(d, "M", &[*from]);
                write_points(d, " L", &[*to]);
            }
            LinkPath::Arc { from, c1, c2, to } => {
                write_points(d, "M", &[*from]);
                write_points(d, " C", &[*c1, *c2, *to]);
            }
        }
    }

    /// The SVG path data of the link with its arrowhead: two short strokes back from the end,
    /// in the same path, so a link is one element and one paint (no SVG marker per link).
    pub fn svg_with_arrow(&self) -> String {
        let mut d = String::new();
        self.write_svg(&mut d);
        let (tip, back) = match *self {
            LinkPath::Line { from, to } => (to, from),
            LinkPath::Arc { c2, to, .. } => (to, c2),
        };
        let (dx, dy) = (back.x - tip.x, back.y - tip.y);
        let len = dx.hypot(dy);
        if len < f64::EPSILON {
            return d;
        }
        let (ux, uy) = (dx / len, dy / len);
        let (cos, sin) = ARROW_TURN;
        let wing = |sin: f64| {
            Point::new(
                tip.x + ARROW_LEN * (ux * cos - uy * sin),
                tip.y + ARROW_LEN * (ux * sin + uy * cos),
            )
        };
        write_points(&mut d, " M", &[wing(sin)]);
        write_points(&mut d, " L", &[tip, wing(-sin)]);
        d
    }

    /// The point at fraction `f` of the way (0: start, 1: end; clamped), on the drawn curve.
    pub fn point_at(&self, f: f64) -> Point {
        let f = if f.is_finite() {
            f.clamp(0.0, 1.0)
        } else {
            0.0
        };
        match *self {
            LinkPath::Line { from, to } => lerp(from, to, f),
            LinkPath::Arc { from, c1, c2, to } => {
                let u = 1.0 - f;
                let (a, b, c, d) = (u * u * u, 3.0 * u * u * f, 3.0 * u * f * f, f * f * f);
                Point::new(
                    a * from.x + b * c1.x + c * c2.x + d * to.x,
                    a * from.y + b * c1.y + c * c2.y + d * to.y,
                )
            }
        }
    }

    /// The distance from `p` to the drawn path (an arc measured along [`HIT_PIECES`] pieces).
    pub fn distance_to(&self, p: Point) -> f64 {
        match *self {
            LinkPath::Line { from, to } => distance_to_segment(p, from, to),
            LinkPath::Arc { .. } => (0..HIT_PIECES)
                .map(|i| {
                    let (a, b) = (
                        i as f64 / HIT_PIECES as f64,
                        (i + 1) as f64 / HIT_PIECES as f64,
                    );
                    distance_to_segment(p, self.point_at(a), self.point_at(b))
                })
                .fold(f64::INFINITY, f64::min),
        }
    }

    /// A box holding the whole path (for culling what is out of view).
    pub fn bounds(&self) -> Rect {
        let pts: &[Point] = match self {
            LinkPath::Line { from, to } => &[*from, *to],
            LinkPath::Arc { from, c1, c2, to } => &[*from, *c1, *c2, *to],
        };
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in pts {
            (x0, y0, x1, y1) = (x0.min(p.x), y0.min(p.y), x1.max(p.x), y1.max(p.y));
        }
        Rect::new(x0, y0, x1 - x0, y1 - y0)
    }
}

fn lerp(p: Point, q: Point, f: f64) -> Point {
    Point::new(p.x + (q.x - p.x) * f, p.y + (q.y - p.y) * f)
}

/// Appends an SVG path command and its points, each to a tenth of a board unit (far below a
/// pixel at any zoom; shorter to write and to parse than every digit of a float).
fn write_points(d: &mut String, command: &str, points: &[Point]) {
    d.push_str(command);
    for (i, p) in points.iter().enumerate() {
        d.push_str(if i == 0 { " " } else { ", " });
        write_tenths(d, p.x);
        d.push(' ');
        write_tenths(d, p.y);
    }
}

/// Appends `v` to a tenth, without a trailing `.0`: `12`, `-3.5`.
fn write_tenths(d: &mut String, v: f64) {
    use std::fmt::Write;
    let tenths = (v * 10.0).round() as i64;
    if tenths < 0 {
        d.push('-');
    }
    let t = tenths.unsigned_abs();
    let _ = write!(d, "{}", t / 10);
    if !t.is_multiple_of(10) {
        d.push('.');
        d.push(char::from(b'0' + (t % 10) as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arrowhead_turn_is_its_half_angle() {
        const ARROW_HALF_ANGLE: f64 = 0.45;
        assert!((ARROW_TURN.0 - ARROW_HALF_ANGLE.cos()).abs() < 1e-15);
        assert!((ARROW_TURN.1 - ARROW_HALF_ANGLE.sin()).abs() < 1e-15);
    }

    fn close(p: Point, x: f64, y: f64) -> bool {
        (p.x - x).abs() < 1e-9 && (p.y - y).abs() < 1e-9
    }

    #[test]
    fn a_forward_link_is_straight_from_border_to_border() {
        let (a, b) = (
            Rect::new(0.0, 0.0, 100.0, 100.0),
            Rect::new(300.0, 0.0, 100.0, 100.0),
        );
        let path = LinkPath::between(a, b);
        assert_eq!(path.svg(), "M 100 50 L 300 50");
        assert!(close(path.point_at(0.0), 100.0, 50.0));
        assert!(close(path.point_at(0.25), 150.0, 50.0));
        assert!(close(path.point_at(1.0), 300.0, 50.0));
        assert!(close(path.point_at(7.0), 300.0, 50.0), "clamped");
        assert!(close(path.point_at(f64::NAN), 100.0, 50.0), "never NaN");
    }

    #[test]
    fn a_backward_link_arcs_over_the_notes_and_a_token_follows_the_arc() {
        let (a, b) = (
            Rect::new(300.0, 100.0, 100.0, 100.0),
            Rect::new(0.0, 100.0, 100.0, 100.0),
        );
        let path = LinkPath::between(a, b);
        // Lift: 50 + 300 × 0.12 = 86 above the notes' tops.
        assert_eq!(path.svg(), "M 350 100 C 350 14, 50 14, 50 100");
        assert!(close(path.point_at(0.0), 350.0, 100.0));
        assert!(close(path.point_at(1.0), 50.0, 100.0));
        // Halfway, the cubic is at 3/4 of the way up to its control points, midway across.
        assert!(close(path.point_at(0.5), 200.0, 100.0 - 0.75 * 86.0));
        // Every point is above the notes' tops, never on the straight line through them.
        for i in 1..10 {
            assert!(path.point_at(i as f64 / 10.0).y < 100.0);
        }
        assert_eq!(path.bounds(), Rect::new(50.0, 14.0, 300.0, 86.0));
    }

    #[test]
    fn path_numbers_are_written_to_a_tenth() {
        let mut d = String::new();
        for v in [12.0, -3.54, 0.04, -0.04, 7.25, 1e6 + 0.05] {
            write_tenths(&mut d, v);
            d.push(' ');
        }
        assert_eq!(d, "12 -3.5 0 0 7.3 1000000.1 ");
    }

    #[test]
    fn the_arrowhead_points_back_along_the_link_from_its_end() {
        let path = LinkPath::between(
            Rect::new(0.0, 0.0, 100.0, 100.0),
            Rect::new(300.0, 0.0, 100.0, 100.0),
        );
        let d = path.svg_with_arrow();
        assert!(d.starts_with("M 100 50 L 300 50 M "), "{d}");
        // Both wings end behind the tip (to its left) and on either side of the line.
        let nums: Vec<f64> = d.split([' ', ',']).filter_map(|t| t.parse().ok()).collect();
        let (l, tip, r) = ((nums[4], nums[5]), (nums[6], nums[7]), (nums[8], nums[9]));
        assert_eq!(tip, (300.0, 50.0));
        assert!(l.0 < 300.0 && r.0 < 300.0);
        assert!((l.1 - 50.0) * (r.1 - 50.0) < 0.0, "one wing each side: {d}");
    }

    fn highest(arc: &LinkPath) -> f64 {
        (0..=100)
            .map(|i| arc.point_at(i as f64 / 100.0).y)
            .fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn a_results_in_arc_clears_the_aggregate_it_spans() {
        // A command, a taller aggregate and an event in a row, as on the sample board.
        let command = Rect::new(200.0, 40.0, 140.0, 100.0);
        let aggregate = Rect::new(380.0, 15.0, 180.0, 150.0);
        let event = Rect::new(600.0, 40.0, 140.0, 100.0);
        let arc = LinkPath::for_link(command, NoteKind::Command, event, NoteKind::Event);
        assert!(close(arc.point_at(0.0), 270.0, 40.0));
        assert!(close(arc.point_at(1.0), 670.0, 40.0));
        let top = highest(&arc);
        assert!(top <= 40.0 - RESULTS_IN_CLEARANCE, "{top}");
        assert!(top < aggregate.y, "over the aggregate: {top}");
        let middle = 40.0 - RESULTS_IN_CLEARANCE - 400.0 * RESULTS_IN_CLEARANCE_PER_UNIT;
        assert!((arc.point_at(0.5).y - middle).abs() < 1e-9);
    }

    #[test]
    fn a_results_in_arc_clears_the_higher_of_two_notes_at_different_heights() {
        let arc = LinkPath::results_in(
            Rect::new(0.0, 300.0, 140.0, 100.0),
            Rect::new(400.0, 0.0, 140.0, 100.0),
        );
        assert!(highest(&arc) < 0.0);
        assert!(arc.svg().starts_with("M 70 300 C 70 "), "{}", arc.svg());
    }

    #[test]
    fn a_point_on_an_arc_is_near_it_and_the_notes_middle_is_not() {
        let arc = LinkPath::results_in(
            Rect::new(0.0, 0.0, 140.0, 100.0),
            Rect::new(400.0, 0.0, 140.0, 100.0),
        );
        assert!(arc.distance_to(arc.point_at(0.3)) < 0.5);
        assert!(arc.distance_to(Point::new(270.0, 50.0)) > 50.0);
        let back = LinkPath::between(
            Rect::new(300.0, 100.0, 100.0, 100.0),
            Rect::new(0.0, 100.0, 100.0, 100.0),
        );
        assert!(
            back.distance_to(back.point_at(0.5)) < 0.5,
            "a backward link is hit on its arc"
        );
        assert!(back.distance_to(Point::new(200.0, 150.0)) > 50.0);
    }
}
