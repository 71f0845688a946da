//! How a token looks: its colour (commands blue, each event its own hue, legible over every
//! note colour in both themes), its rings, trail and count when big enough, a plain dot when
//! the board is zoomed far out.

use super::{Drawn, AGGREGATE_SCALE};
use crate::{
    exec::{MessageKind, Token},
    model::NoteId,
};
use std::f64::consts::TAU;
use web_sys::CanvasRenderingContext2d as Canvas2d;

/// Colour of the ring around a token, that sets it off from every note and theme.
const RING_COLOUR: &str = "rgba(15, 18, 24, 0.85)";
/// Colour of commands.
const COMMAND_COLOUR: &str = "#1f6feb";
/// Saturation and lightness of event hues: dark enough for white digits, bright enough to
/// stand out on every note colour, with a white and a dark ring around.
const EVENT_SL: &str = "78%, 40%";
/// Opacity of a token's trail.
const TRAIL_ALPHA: f64 = 0.45;
/// Width of the dark rim of a plain dot (px).
const DOT_RIM: f64 = 1.5;

/// What colour a token is: a command, or an event with its hue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Shade {
    /// A command: blue.
    Command,
    /// An event: its hue (degrees).
    Event(u32),
}

impl Shade {
    /// The shade of a token.
    pub(super) fn of(token: &Token<'_>) -> Shade {
        match token.kind {
            MessageKind::Command => Shade::Command,
            MessageKind::Event => Shade::Event(event_hue(token.note)),
        }
    }

    /// The CSS colour.
    fn css(self) -> String {
        match self {
            Shade::Command => COMMAND_COLOUR.to_string(),
            Shade::Event(hue) => format!("hsl({hue}, {EVENT_SL})"),
        }
    }
}

/// The hue (degrees) of an event: from its note id, away from the commands' blue.
fn event_hue(note: &NoteId) -> u32 {
    let h = note.0.bytes().fold(2_166_136_261u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    });
    // 0..260 mapped to 0..200 and 250..310: never the 200..250 band of blues.
    let x = h % 260;
    if x < 200 {
        x
    } else {
        x + 50
    }
}

/// A token with its trail, a dark and a white ring, and its count when it stands for several.
pub(super) fn draw_token(g: &Canvas2d, d: &Drawn, r: f64) {
    let r = if d.count > 1 { r * AGGREGATE_SCALE } else { r };
    let colour = d.shade.css();
    // The trail: the same colour, fading out behind the token.
    g.set_global_alpha(TRAIL_ALPHA);
    g.set_stroke_style_str(&colour);
    g.set_line_width(r * 0.9);
    g.set_line_cap("round");
    g.begin_path();
    for (i, p) in d.trail.iter().enumerate() {
        if i == 0 {
            g.move_to(p.x, p.y);
        } else {
            g.line_to(p.x, p.y);
        }
    }
    g.stroke();
    g.set_global_alpha(1.0);
    for (radius, fill) in [
        (r + 1.5, RING_COLOUR),
        (r, "#ffffff"),
        (r - 2.0, colour.as_str()),
    ] {
        g.begin_path();
        let _ = g.arc(d.at.x, d.at.y, radius, 0.0, TAU);
        g.set_fill_style_str(fill);
        g.fill();
    }
    if d.count > 1 {
        g.set_fill_style_str("#ffffff");
        g.set_font(&format!("bold {:.0}px system-ui, sans-serif", r * 0.95));
        g.set_text_align("center");
        g.set_text_baseline("middle");
        let _ = g.fill_text(&d.count.to_string(), d.at.x, d.at.y + 0.5);
    }
}

/// Tokens too small for detail: plain dots with a dark rim, one path per colour (filled, then
/// stroked for the rim), so that a thousand dots cost about two calls each into the browser.
/// (Measured at fit zoom on 2,000 notes with 833 tokens: about 0.6 ms, against 3.5 ms for the
/// same dots as SVG path data, which the browser parses slowly.)
pub(super) fn draw_dots(g: &Canvas2d, drawn: &[Drawn], r: f64) {
    // A few shades: found by a look along them, in the order they first appear.
    let mut by_shade: Vec<(Shade, Vec<&Drawn>)> = Vec::new();
    for d in drawn {
        match by_shade.iter_mut().find(|(s, _)| *s == d.shade) {
            Some((_, dots)) => dots.push(d),
            None => by_shade.push((d.shade, vec![d])),
        }
    }
    g.set_stroke_style_str(RING_COLOUR);
    g.set_line_width(DOT_RIM);
    for (shade, dots) in by_shade {
        g.begin_path();
        for d in dots {
            let radius = if d.count > 1 { r * AGGREGATE_SCALE } else { r };
            g.move_to(d.at.x + radius, d.at.y);
            let _ = g.arc(d.at.x, d.at.y, radius, 0.0, TAU);
        }
        g.set_fill_style_str(&shade.css());
        g.fill();
        g.stroke();
    }
}
