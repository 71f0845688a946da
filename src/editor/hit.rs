//! Hit testing in board coordinates: what lies under a point. Notes are drawn above links,
//! links above frames, and within a list the last drawn is on top.

use super::link_geometry::LinkPath;
use super::selection::Selection;
use crate::collections::HashMap;
use crate::model::{Board, Frame, FrameId, Link, LinkId, Note, NoteId, NoteKind, Point, Rect};

/// Half the size of a resize handle, in screen pixels.
pub const HANDLE_PX: f64 = 8.0;
/// Radius of a note's connection handle, in screen pixels.
pub const CONNECT_PX: f64 = 9.0;
/// How far from a link's line a click still hits it, in screen pixels.
pub const LINK_TOLERANCE_PX: f64 = 6.0;
/// How far from a frame's border a click grabs the frame, in screen pixels.
pub const FRAME_EDGE_PX: f64 = 6.0;
/// Height of a frame's title bar, in board units (the title scales with the board).
pub const FRAME_TITLE_H: f64 = 36.0;
/// The most of a note's smaller side a handle reaches over: far out, where a handle of a few
/// pixels would cover a whole note, the note is still grabbed by its body.
const HANDLE_SHARE: f64 = 0.25;

/// How far a handle of `px` screen pixels reaches on `rect` at `zoom`, board units.
pub fn handle_reach(rect: Rect, px: f64, zoom: f64) -> f64 {
    (px / zoom).min(rect.w.min(rect.h) * HANDLE_SHARE)
}

/// What lies under a point.
#[derive(Clone, Debug, PartialEq)]
pub enum Hit {
    /// Nothing: the empty board.
    Empty,
    /// A note's body.
    Note(NoteId),
    /// A note's connection handle (middle of its right edge).
    ConnectHandle(NoteId),
    /// A selected note's resize handle (bottom-right corner).
    NoteResize(NoteId),
    /// A link's line.
    Link(LinkId),
    /// A frame's title bar.
    FrameTitle(FrameId),
    /// A frame's border.
    FrameEdge(FrameId),
    /// A selected frame's resize handle (bottom-right corner).
    FrameResize(FrameId),
    /// Inside a frame, on no note: behaves like the empty board, but new notes join the frame.
    FrameInterior(FrameId),
}

/// The topmost note whose rectangle holds `p` (the last drawn wins).
pub fn note_at(board: &Board, p: Point) -> Option<&Note> {
    board.notes.iter().rev().find(|n| n.rect().contains(p))
}

/// The board position of a note's connection handle: the middle of its right edge.
pub fn connect_handle(rect: Rect) -> Point {
    Point::new(rect.right(), rect.y + rect.h / 2.0)
}

/// True if `p` is on the connection handle of a note covering `rect`, at `zoom`.
pub fn on_connect_handle(rect: Rect, p: Point, zoom: f64) -> bool {
    let c = connect_handle(rect);
    let r = handle_reach(rect, CONNECT_PX, zoom);
    (p.x - c.x).powi(2) + (p.y - c.y).powi(2) <= r * r
}

/// True if `p` is on the resize handle (bottom-right corner) of `rect`, at `zoom`.
pub fn on_resize_handle(rect: Rect, p: Point, zoom: f64) -> bool {
    let r = handle_reach(rect, HANDLE_PX, zoom);
    (p.x - rect.right()).abs() <= r && (p.y - rect.bottom()).abs() <= r
}

/// Distance from `p` to the segment `a`–`b`.
pub fn distance_to_segment(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (cx, cy) = (a.x + t * dx, a.y + t * dy);
    ((p.x - cx).powi(2) + (p.y - cy).powi(2)).sqrt()
}

/// The link whose line passes within `tolerance_px / zoom` of `p` (the nearest; ties: last drawn).
/// A "results in" link (command → event) is measured along its arc ([`super::arc`]).
pub fn link_at(board: &Board, p: Point, zoom: f64) -> Option<&Link> {
    let tolerance = LINK_TOLERANCE_PX / zoom;
    // One pass over the notes instead of a search per link end: this runs on every hover.
    let rects: HashMap<&NoteId, (Rect, NoteKind)> = board
        .notes
        .iter()
        .map(|n| (&n.id, (n.rect(), n.kind)))
        .collect();
    let mut best: Option<(&Link, f64)> = None;
    for link in &board.links {
        let (Some(&(from, kf)), Some(&(to, kt))) = (rects.get(&link.from), rects.get(&link.to))
        else {
            continue;
        };
        let d = LinkPath::for_link(from, kf, to, kt).distance_to(p);
        if d <= tolerance && best.is_none_or(|(_, bd)| d <= bd) {
            best = Some((link, d));
        }
    }
    best.map(|(l, _)| l)
}

/// Which part of a frame a point is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FramePart {
    /// The title bar at the top.
    Title,
    /// Within a few pixels of the border.
    Edge,
    /// Anywhere else inside.
    Interior,
}

/// The part of `frame` under `p` at `zoom`, if `p` is on it (edges reach a little outside).
pub fn frame_part(frame: &Frame, p: Point, zoom: f64) -> Option<FramePart> {
    let r = frame.rect();
    let tol = FRAME_EDGE_PX / zoom;
    let outer = Rect::new(r.x - tol, r.y - tol, r.w + 2.0 * tol, r.h + 2.0 * tol);
    if !outer.contains(p) {
        return None;
    }
    let near_edge = (p.x - r.x).abs() <= tol
        || (p.x - r.right()).abs() <= tol
        || (p.y - r.y).abs() <= tol
        || (p.y - r.bottom()).abs() <= tol;
    if p.y >= r.y && p.y <= r.y + FRAME_TITLE_H.min(r.h) && p.x >= r.x && p.x <= r.right() {
        Some(FramePart::Title)
    } else if near_edge {
        Some(FramePart::Edge)
    } else {
        Some(FramePart::Interior)
    }
}

/// The topmost frame under `p` and the part hit (the last drawn wins).
pub fn frame_at(board: &Board, p: Point, zoom: f64) -> Option<(&Frame, FramePart)> {
    board
        .frames
        .iter()
        .rev()
        .find_map(|f| frame_part(f, p, zoom).map(|part| (f, part)))
}

/// The topmost frame whose rectangle holds `p` (the frame a note centred there belongs to).
pub fn frame_containing(board: &Board, p: Point) -> Option<&Frame> {
    board.frames.iter().rev().find(|f| f.rect().contains(p))
}

/// Everything under `p` at `zoom`, topmost first: notes (their handles before their bodies;
/// resize handles only on selected notes), then links, then frames.
pub fn hit(board: &Board, selection: &Selection, p: Point, zoom: f64) -> Hit {
    if !(p.x.is_finite() && p.y.is_finite() && zoom.is_finite() && zoom > 0.0) {
        return Hit::Empty;
    }
    for note in board.notes.iter().rev() {
        let r = note.rect();
        if selection.has_note(&note.id) && on_resize_handle(r, p, zoom) {
            return Hit::NoteResize(note.id.clone());
        }
        if on_connect_handle(r, p, zoom) {
            return Hit::ConnectHandle(note.id.clone());
        }
        if r.contains(p) {
            return Hit::Note(note.id.clone());
        }
    }
    if let Some(link) = link_at(board, p, zoom) {
        return Hit::Link(link.id.clone());
    }
    for frame in board.frames.iter().rev() {
        if selection.has_frame(&frame.id) && on_resize_handle(frame.rect(), p, zoom) {
            return Hit::FrameResize(frame.id.clone());
        }
        if let Some(part) = frame_part(frame, p, zoom) {
            let id = frame.id.clone();
            return match part {
                FramePart::Title => Hit::FrameTitle(id),
                FramePart::Edge => Hit::FrameEdge(id),
                FramePart::Interior => Hit::FrameInterior(id),
            };
        }
    }
    Hit::Empty
}
