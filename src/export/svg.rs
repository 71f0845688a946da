//! The board as an SVG picture, drawn as the app draws it: frames as dashed outlines with their
//! names above, links as lines and arcs with arrowheads (dashed red to a hotspot, dashed for
//! "results in"), notes as stickies in their kind's colour with their text fitted and wrapped
//! as on the board (real `<text>`, so it can be searched and copied), hazard badges on top.
//! Each element carries the app's `data-note-id`, `data-link-id` and `data-frame-id`.

use super::{escape::xml, ExportError};
use crate::{
    analysis::{Finding, Severity},
    collections::{HashMap, HashSet},
    editor::{
        link_geometry::is_results_in,
        text_fit::{fit_text, fitted_lines, LINE_HEIGHT},
        LinkPath,
    },
    model::{
        index::{BoardIndex, Edge, NoteIx},
        Board, Frame, LinkMeaning, NoteId, NoteKind, Rect,
    },
};
use std::fmt::Write;

/// Space around what is drawn, board units (frame names sit above their frames).
const MARGIN: f64 = 48.0;
/// Points a link's curve is measured at to find the box it fits in.
const CURVE_SAMPLES: usize = 24;
/// Size of an empty board's picture.
const EMPTY: (f64, f64) = (400.0, 300.0);
/// Space between a note's edge and its text (the stylesheet's `.note` padding).
const NOTE_PADDING: f64 = 10.0;
/// Corner radius of a note, and of an external system.
const NOTE_RADIUS: (f64, f64) = (3.0, 8.0);
/// Corner radius of a frame.
const FRAME_RADIUS: f64 = 10.0;
/// A frame name's font size and its baseline above the frame.
const FRAME_NAME: (f64, f64) = (15.0, 9.0);
/// How far a hotspot is turned, degrees.
const HOTSPOT_TURN: f64 = -3.0;
/// A badge's radius and how far its centre sits outside the note's top-right corner.
const BADGE: (f64, f64) = (10.0, 1.0);
/// Text colour on notes.
const NOTE_INK: &str = "#1b1b1b";
/// Colour of links to or from a hotspot.
const ANNOTATION: &str = "#d1335b";
/// The picture's fonts (the app's).
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/// The font a note's text starts from before it shrinks (the board's, `ui/board_view/note.rs`).
fn base_font_px(kind: NoteKind) -> f64 {
    match kind {
        NoteKind::Aggregate => 17.0,
        NoteKind::Policy => 14.0,
        _ => 15.0,
    }
}

/// The app's colour theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Light board (the default).
    #[default]
    Light,
    /// Dark board.
    Dark,
}

impl Theme {
    /// Parses `light` or `dark`.
    pub fn parse(s: &str) -> Option<Theme> {
        match s {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    /// Background, muted ink (frames), link colour and shadow opacity (the stylesheet's).
    fn colours(self) -> (&'static str, &'static str, &'static str, f64) {
        match self {
            Theme::Light => ("#f6f5f2", "#6a717b", "#4a4f57", 0.18),
            Theme::Dark => ("#16181d", "#9aa3ad", "#b7bec8", 0.5),
        }
    }
}

/// How many pixels a board unit is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scale {
    /// One pixel a unit.
    #[default]
    One,
    /// Two.
    Two,
    /// Four.
    Four,
}

impl Scale {
    /// Parses `1`, `2` or `4`.
    pub fn parse(s: &str) -> Option<Scale> {
        match s {
            "1" => Some(Scale::One),
            "2" => Some(Scale::Two),
            "4" => Some(Scale::Four),
            _ => None,
        }
    }

    /// The factor.
    pub fn factor(self) -> f64 {
        match self {
            Scale::One => 1.0,
            Scale::Two => 2.0,
            Scale::Four => 4.0,
        }
    }
}

/// What the picture shows and how.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SvgOptions {
    /// Only this frame (its name, else its id) and its notes; the whole board when `None`.
    pub frame: Option<String>,
    /// Pixels per board unit.
    pub scale: Scale,
    /// Colours.
    pub theme: Theme,
}

/// A number written short (two decimals at most).
fn num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r == r.trunc() && r.abs() < 1e15 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

/// The frame `--frame` names: by name, else by id.
fn find_frame<'a>(board: &'a Board, asked: &str) -> Result<&'a Frame, ExportError> {
    board
        .frames
        .iter()
        .find(|f| f.name == asked)
        .or_else(|| board.frames.iter().find(|f| f.id.as_str() == asked))
        .ok_or_else(|| ExportError::UnknownFrame {
            asked: asked.to_string(),
            known: board.frames.iter().map(|f| f.name.clone()).collect(),
        })
}

/// The worst severity on each note and the findings naming it.
fn badges(findings: &[Finding]) -> HashMap<&NoteId, (Severity, Vec<&Finding>)> {
    let mut map: HashMap<&NoteId, (Severity, Vec<&Finding>)> = HashMap::default();
    for f in findings {
        // The badge goes on the finding's first note, as on the board.
        if let Some(id) = f.notes.first() {
            let entry = map.entry(id).or_insert((f.severity, Vec::new()));
            entry.0 = entry.0.max(f.severity);
            entry.1.push(f);
        }
    }
    map
}

/// The board as an SVG document, with a badge on each note the findings name first (pass none
/// for a plain picture).
pub fn svg(
    board: &Board,
    options: &SvgOptions,
    findings: &[Finding],
) -> Result<String, ExportError> {
    let frame = options
        .frame
        .as_deref()
        .map(|asked| find_frame(board, asked))
        .transpose()?;
    let shown: Vec<usize> = (0..board.notes.len())
        .filter(|&i| frame.is_none_or(|f| board.notes[i].frame.as_ref() == Some(&f.id)))
        .collect();
    let frames: Vec<&Frame> = match frame {
        Some(f) => vec![f],
        None => board.frames.iter().collect(),
    };
    let ix = BoardIndex::new(board);
    let links = drawn_links(board, &ix, &shown);
    // Arcs rise above their notes: what is drawn includes them.
    let area = shown
        .iter()
        .map(|&i| board.notes[i].rect())
        .chain(frames.iter().map(|f| f.rect()))
        .chain(links.iter().map(|l| drawn_bounds(&l.path)))
        .reduce(|a, b| a.union(&b));
    let view = match area {
        Some(r) => Rect::new(
            r.x - MARGIN,
            r.y - MARGIN,
            r.w + 2.0 * MARGIN,
            r.h + 2.0 * MARGIN,
        ),
        None => Rect::new(0.0, 0.0, EMPTY.0, EMPTY.1),
    };
    let (bg, muted, link, shadow) = options.theme.colours();
    let scale = options.scale.factor();
    let mut out = String::with_capacity(512 + shown.len() * 600);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"{} {} {} {}\" font-family=\"{FONT}\">",
        num(view.w * scale),
        num(view.h * scale),
        num(view.x),
        num(view.y),
        num(view.w),
        num(view.h)
    );
    let title = match frame {
        Some(f) => format!("{} — {}", board.name.as_deref().unwrap_or("Board"), f.name),
        None => board.name.clone().unwrap_or_else(|| "Board".into()),
    };
    let _ = writeln!(out, "<title>{}</title>", xml(&title));
    let _ = writeln!(
        out,
        "<defs><filter id=\"note-shadow\" x=\"-10%\" y=\"-10%\" width=\"120%\" height=\"130%\"><feDropShadow dx=\"0\" dy=\"2\" stdDeviation=\"2.5\" flood-color=\"#000\" flood-opacity=\"{shadow}\"/></filter></defs>"
    );
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{bg}\"/>",
        num(view.x),
        num(view.y),
        num(view.w),
        num(view.h)
    );
    write_frames(&mut out, &frames, muted);
    write_links(&mut out, board, &links, link);
    write_notes(&mut out, board, &shown);
    write_badges(&mut out, board, &shown, &badges(findings));
    out.push_str("</svg>\n");
    Ok(out)
}

fn write_frames(out: &mut String, frames: &[&Frame], muted: &str) {
    out.push_str("<g class=\"frames\">\n");
    for f in frames {
        let r = f.rect();
        let _ = writeln!(
            out,
            "<g data-frame-id=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{FRAME_RADIUS}\" fill=\"#788296\" fill-opacity=\"0.06\" stroke=\"{muted}\" stroke-width=\"2\" stroke-dasharray=\"8 6\"/><text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"600\" fill=\"{muted}\">{}</text></g>",
            xml(f.id.as_str()),
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h),
            num(r.x + 18.0),
            num(r.y - FRAME_NAME.1),
            FRAME_NAME.0,
            xml(&f.name)
        );
    }
    out.push_str("</g>\n");
}

/// A link drawn: its note positions, what it means, its link and its path.
struct DrawnLink<'a> {
    from: usize,
    edge: &'a Edge,
    path: LinkPath,
}

/// The links between shown notes, as the model counts them, in the order they were drawn.
fn drawn_links<'a>(board: &Board, ix: &'a BoardIndex, shown: &[usize]) -> Vec<DrawnLink<'a>> {
    let visible: HashSet<usize> = shown.iter().copied().collect();
    let mut links: Vec<DrawnLink> = shown
        .iter()
        .flat_map(|&from| {
            ix.out_edges(NoteIx(from as u32))
                .iter()
                .map(move |edge| (from, edge))
        })
        .filter(|(_, e)| visible.contains(&e.note.index()))
        .map(|(from, edge)| {
            let (a, b) = (&board.notes[from], &board.notes[edge.note.index()]);
            DrawnLink {
                from,
                edge,
                path: LinkPath::for_link(a.rect(), a.kind, b.rect(), b.kind),
            }
        })
        .collect();
    links.sort_unstable_by_key(|l| l.edge.link);
    links
}

/// The box a link's drawn curve fits in (an arc's control points lie well beyond it).
fn drawn_bounds(path: &LinkPath) -> Rect {
    (0..=CURVE_SAMPLES)
        .map(|k| {
            let p = path.point_at(k as f64 / CURVE_SAMPLES as f64);
            Rect::new(p.x, p.y, 0.0, 0.0)
        })
        .reduce(|a, b| a.union(&b))
        .unwrap_or_default()
}

fn write_links(out: &mut String, board: &Board, links: &[DrawnLink], colour: &str) {
    let name = |i: usize| {
        let n = &board.notes[i];
        if n.text.trim().is_empty() {
            n.kind.label().to_string()
        } else {
            n.text.split_whitespace().collect::<Vec<_>>().join(" ")
        }
    };
    let _ = writeln!(
        out,
        "<g class=\"links\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\">"
    );
    for l in links {
        let (from, to, e) = (l.from, l.edge.note.index(), l.edge);
        let (a, b) = (&board.notes[from], &board.notes[to]);
        let style = if e.meaning == LinkMeaning::Annotates {
            format!(" stroke=\"{ANNOTATION}\" stroke-dasharray=\"6 4\"")
        } else if is_results_in(a.kind, b.kind) {
            " stroke-dasharray=\"7 4\"".to_string()
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "<path data-link-id=\"{}\" d=\"{}\"{style}><title>{}</title></path>",
            xml(board.links[e.link.index()].id.as_str()),
            l.path.svg_with_arrow(),
            xml(&format!(
                "{} → {}: {}",
                name(from),
                name(to),
                e.meaning.label()
            ))
        );
    }
    out.push_str("</g>\n");
}

fn write_notes(out: &mut String, board: &Board, shown: &[usize]) {
    out.push_str("<g class=\"notes\">\n");
    for &i in shown {
        let n = &board.notes[i];
        let r = n.rect();
        let placeholder = n.text.trim().is_empty();
        let text = if placeholder {
            n.kind.label()
        } else {
            n.text.as_str()
        };
        let inner_w = r.w - 2.0 * NOTE_PADDING;
        let fit = fit_text(
            text,
            inner_w,
            r.h - 2.0 * NOTE_PADDING,
            base_font_px(n.kind),
        );
        let lines = fitted_lines(&fit.shown, inner_w, fit.font_px);
        let c = r.center();
        let turn = if n.kind == NoteKind::Hotspot {
            format!(
                " transform=\"rotate({HOTSPOT_TURN} {} {})\"",
                num(c.x),
                num(c.y)
            )
        } else {
            String::new()
        };
        let radius = if n.kind == NoteKind::ExternalSystem {
            NOTE_RADIUS.1
        } else {
            NOTE_RADIUS.0
        };
        let (ink, weight) = match n.kind {
            NoteKind::Hotspot => ("#ffffff", " font-weight=\"600\""),
            NoteKind::Aggregate => (NOTE_INK, " font-weight=\"600\""),
            _ => (NOTE_INK, ""),
        };
        let look = if placeholder {
            " font-style=\"italic\" fill-opacity=\"0.45\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<g data-note-id=\"{}\" data-kind=\"{}\"{turn}><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{radius}\" fill=\"{}\" filter=\"url(#note-shadow)\"/><text x=\"{}\" font-size=\"{}\" text-anchor=\"middle\" fill=\"{ink}\"{weight}{look}>",
            xml(n.id.as_str()),
            n.kind.as_str(),
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h),
            n.kind.colour(),
            num(c.x),
            num(fit.font_px),
        );
        if fit.cut || lines.len() > 1 || fit.shown != text {
            // The whole text, as the board's tooltip gives it.
            let _ = write!(out, "<title>{}</title>", xml(text));
        }
        let line_h = fit.font_px * LINE_HEIGHT;
        let first = c.y - (lines.len() as f64 - 1.0) * line_h / 2.0 + 0.35 * fit.font_px;
        for (k, line) in lines.iter().enumerate() {
            let _ = write!(
                out,
                "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
                num(c.x),
                num(first + k as f64 * line_h),
                xml(line)
            );
        }
        out.push_str("</text></g>\n");
    }
    out.push_str("</g>\n");
}

fn write_badges(
    out: &mut String,
    board: &Board,
    shown: &[usize],
    badges: &HashMap<&NoteId, (Severity, Vec<&Finding>)>,
) {
    if badges.is_empty() {
        return;
    }
    out.push_str(
        "<g class=\"badges\" font-weight=\"800\" font-size=\"12\" text-anchor=\"middle\">\n",
    );
    for &i in shown {
        let n = &board.notes[i];
        let Some((severity, list)) = badges.get(&n.id) else {
            continue;
        };
        let fill = match severity {
            Severity::Error => "#d32f2f",
            Severity::Warning => "#e08a00",
            Severity::Info => "#2f6feb",
        };
        let sign = if *severity == Severity::Info {
            "i"
        } else {
            "!"
        };
        let r = n.rect();
        let (cx, cy) = (r.right() + BADGE.1, r.y - BADGE.1);
        let codes: Vec<String> = list
            .iter()
            .map(|f| format!("{} {}", f.code, f.code.title()))
            .collect();
        let _ = writeln!(
            out,
            "<g data-badge=\"{}\" data-note-id=\"{}\"><title>{}</title><circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"2\"/><text x=\"{}\" y=\"{}\" fill=\"#ffffff\">{sign}</text></g>",
            severity.as_str(),
            xml(n.id.as_str()),
            xml(&codes.join("; ")),
            num(cx),
            num(cy),
            BADGE.0,
            num(cx),
            num(cy + 4.0)
        );
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample::sample;

    #[test]
    fn numbers_are_written_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.35");
        assert_eq!(num(-0.5), "-0.5");
    }

    #[test]
    fn an_unknown_frame_names_the_frames_there_are() {
        let options = SvgOptions {
            frame: Some("Shipping".into()),
            ..SvgOptions::default()
        };
        let err = svg(&sample(), &options, &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no frame \"Shipping\" (the board's frames: \"Orders\", \"Inventory\")"
        );
    }

    #[test]
    fn every_link_is_inside_the_picture() {
        // Regression: the view held the notes and frames only, and a "results in" arc rising
        // over them was cut at the top of the picture.
        let board = crate::model::load(include_str!("../model/samples/bank.json")).unwrap();
        let picture = svg(&board, &SvgOptions::default(), &[]).unwrap();
        let view: Vec<f64> = picture
            .split("viewBox=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        let view = Rect::new(view[0], view[1], view[2], view[3]);
        let ix = BoardIndex::new(&board);
        let shown: Vec<usize> = (0..board.notes.len()).collect();
        for l in drawn_links(&board, &ix, &shown) {
            assert!(view.contains_rect(&drawn_bounds(&l.path)), "{:?}", l.edge);
        }
    }

    #[test]
    fn one_frame_shows_its_notes_only() {
        let options = SvgOptions {
            frame: Some("Inventory".into()),
            ..SvgOptions::default()
        };
        let picture = svg(&sample(), &options, &[]).unwrap();
        assert!(picture.contains("data-note-id=\"stock\""));
        assert!(!picture.contains("data-note-id=\"cashier\""));
        assert!(
            !picture.contains("data-link-id=\"l7\""),
            "a link leaving the frame"
        );
    }
}
