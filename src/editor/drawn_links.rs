//! What the board draws of its links: one look per link (path, arrowhead, label) and the
//! links of each look gathered into one SVG path. An element per link would cost the browser a
//! paint chunk each, and panning a big board would spend its frames sorting them.

use super::{link_geometry::is_results_in, LinkPath};
use crate::collections::{HashMap, HashSet};
use crate::model::{Board, LinkId, NoteId, NoteKind, Point, Rect};

/// A drawn link.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkLook {
    /// Its id.
    pub id: LinkId,
    /// The notes it joins, for the causal chain.
    pub ends: (NoteId, NoteId),
    /// What it says, for screen readers: "Place order → Order".
    pub label: String,
    /// The SVG path data, arrowhead included.
    pub path: String,
    /// The two notes' rectangles the path was drawn between.
    between: (Rect, Rect),
    /// The two notes' kinds (the path's shape depends on them).
    kinds: (NoteKind, NoteKind),
    /// Touches a hotspot: dashed red.
    pub annotation: bool,
    /// A command → event link ("results in"): dashed, along an arc over the notes.
    pub results_in: bool,
}

impl LinkLook {
    /// The middle of the line between the two notes' centres, board units.
    pub fn midpoint(&self) -> Point {
        let (a, b) = (self.between.0.center(), self.between.1.center());
        Point::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0)
    }
}

#[cfg(test)]
impl LinkLook {
    /// A drawn link from `from` to `to` between two rectangles, its path a marker of its id.
    pub(crate) fn for_test(
        id: &str,
        from: &str,
        to: &str,
        annotation: bool,
        between: (Rect, Rect),
    ) -> LinkLook {
        LinkLook {
            id: LinkId(id.into()),
            ends: (NoteId(from.into()), NoteId(to.into())),
            label: format!("{from} → {to}"),
            path: format!("M{id}"),
            between,
            kinds: (NoteKind::Command, NoteKind::Event),
            annotation,
            results_in: false,
        }
    }
}

/// The links of `area` (all when `None`), in board order. The paths of links whose notes did
/// not move since `before` are kept, not drawn again (a drag moves a few notes of many).
pub fn link_looks(board: &Board, area: Option<Rect>, before: &[LinkLook]) -> Vec<LinkLook> {
    {
        let before: HashMap<&LinkId, &LinkLook> = before.iter().map(|l| (&l.id, l)).collect();
        let notes: HashMap<&NoteId, (Rect, NoteKind, &str)> = board
            .notes
            .iter()
            .map(|n| (&n.id, (n.rect(), n.kind, n.text.as_str())))
            .collect();
        let name = |text: &str, kind: NoteKind| {
            if text.is_empty() {
                kind.label().to_string()
            } else {
                text.replace('\n', " ")
            }
        };
        board
            .links
            .iter()
            .filter_map(|l| {
                let (a, ka, ta) = notes.get(&l.from)?;
                let (b, kb, tb) = notes.get(&l.to)?;
                if area.is_some_and(|area| !a.union(b).intersects(&area)) {
                    return None;
                }
                let path = match before.get(&l.id) {
                    Some(old) if old.between == (*a, *b) => old.path.clone(),
                    _ => LinkPath::for_link(*a, *ka, *b, *kb).svg_with_arrow(),
                };
                Some(LinkLook {
                    id: l.id.clone(),
                    ends: (l.from.clone(), l.to.clone()),
                    label: format!("{} → {}", name(ta, *ka), name(tb, *kb)),
                    path,
                    between: (*a, *b),
                    kinds: (*ka, *kb),
                    annotation: *ka == NoteKind::Hotspot || *kb == NoteKind::Hotspot,
                    results_in: is_results_in(*ka, *kb),
                })
            })
            .collect()
    }
}

/// The links drawn for an area of the board, and a count that changes when their list does
/// (which links, what they say, their kind of line), not when a path moves.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DrawnLinks {
    /// The drawn links, in board order.
    pub looks: Vec<LinkLook>,
    /// The area they were chosen for (all the board when `None`).
    area: Option<Rect>,
    /// Changes whenever the list changes: the links' elements follow this, not every path.
    pub listed: u64,
}

impl DrawnLinks {
    /// The links of `area` on `board`, drawn after `before`, and whether anything changed.
    /// While a gesture previews a move of `previewed` notes (nothing else on the board changes
    /// then), only the links touching them are drawn again, without a pass over the others.
    pub fn follow(
        before: Option<DrawnLinks>,
        board: &Board,
        area: Option<Rect>,
        previewed: Option<&[&NoteId]>,
    ) -> (DrawnLinks, bool) {
        match (before, previewed) {
            (Some(mut drawn), Some(moved)) if drawn.area == area => {
                if let Some(changed) = move_looks(board, &mut drawn.looks, moved) {
                    return (drawn, changed);
                }
                DrawnLinks::follow(Some(drawn), board, area, None)
            }
            (before, _) => {
                let old = before.as_ref().map_or(&[][..], |d| d.looks.as_slice());
                let looks = link_looks(board, area, old);
                let changed = before.as_ref().is_none_or(|d| d.looks != looks);
                let listed = match &before {
                    Some(d) if same_list(&d.looks, &looks) => d.listed,
                    Some(d) => d.listed + 1,
                    None => 0,
                };
                let drawn = DrawnLinks {
                    looks,
                    area,
                    listed,
                };
                (drawn, changed)
            }
        }
    }
}

/// True when two lists of links have the same links, saying the same, drawn the same way.
fn same_list(a: &[LinkLook], b: &[LinkLook]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(a, b)| {
            a.id == b.id
                && a.label == b.label
                && a.annotation == b.annotation
                && a.results_in == b.results_in
        })
}

/// Draws again the paths of `looks` touching the `moved` notes; whether any changed, or `None`
/// when a link of theirs is missing from `looks` (a moved note came into the area: the list
/// itself must be drawn again).
fn move_looks(board: &Board, looks: &mut [LinkLook], moved: &[&NoteId]) -> Option<bool> {
    if moved.is_empty() {
        return Some(false);
    }
    let moved: HashSet<&NoteId> = moved.iter().copied().collect();
    let touches = |a: &NoteId, b: &NoteId| moved.contains(a) || moved.contains(b);
    let rects: HashMap<&NoteId, Rect> = board
        .notes
        .iter()
        .filter(|n| moved.contains(&n.id))
        .map(|n| (&n.id, n.rect()))
        .collect();
    let on_board = board.links.iter().filter(|l| touches(&l.from, &l.to));
    let drawn = looks.iter().filter(|l| touches(&l.ends.0, &l.ends.1));
    if on_board.count() != drawn.count() {
        return None;
    }
    let mut changed = false;
    for l in looks.iter_mut().filter(|l| touches(&l.ends.0, &l.ends.1)) {
        let a = rects.get(&l.ends.0).copied().unwrap_or(l.between.0);
        let b = rects.get(&l.ends.1).copied().unwrap_or(l.between.1);
        if (a, b) != l.between {
            l.path = LinkPath::for_link(a, l.kinds.0, b, l.kinds.1).svg_with_arrow();
            l.between = (a, b);
            changed = true;
        }
    }
    Some(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A board of `n` notes in a row, 200 apart, each linked to the next.
    fn row(n: usize) -> Board {
        let mut b = Board::default();
        for i in 0..n {
            let kind = if i % 2 == 0 {
                NoteKind::Command
            } else {
                NoteKind::Event
            };
            let id = format!("n{i}");
            b.notes.push(crate::model::Note::new(
                id,
                kind,
                "x",
                200.0 * i as f64,
                0.0,
            ));
        }
        for i in 1..n {
            b.links.push(crate::model::Link {
                id: LinkId(format!("l{i}")),
                from: NoteId(format!("n{}", i - 1)),
                to: NoteId(format!("n{i}")),
            });
        }
        b
    }

    fn move_note(b: &mut Board, id: &str, x: f64, y: f64) {
        let n = b.note_mut(&NoteId(id.into())).unwrap();
        n.x = x;
        n.y = y;
    }

    #[test]
    fn a_previewed_move_draws_again_the_links_of_the_moved_notes_alone_and_keeps_the_list() {
        let mut b = row(6);
        let area = Some(Rect::new(-100.0, -100.0, 1400.0, 400.0));
        let (drawn, _) = DrawnLinks::follow(None, &b, area, None);
        let moved = NoteId("n2".into());
        move_note(&mut b, "n2", 410.0, 150.0);
        let (after, changed) = DrawnLinks::follow(Some(drawn.clone()), &b, area, Some(&[&moved]));
        assert!(changed);
        assert_eq!(after.looks, link_looks(&b, area, &[]), "as if drawn afresh");
        assert_eq!(after.listed, drawn.listed, "the list did not change");
        let (again, changed) = DrawnLinks::follow(Some(after.clone()), &b, area, Some(&[&moved]));
        assert!(!changed, "a step that moves nothing changes nothing");
        assert_eq!(again, after);
    }

    #[test]
    fn a_note_moved_into_the_area_brings_its_links_into_the_list() {
        let mut b = row(6);
        // n5 (at 1000) and its link from n4 (at 800) lie outside the area.
        let area = Some(Rect::new(-100.0, -100.0, 700.0, 400.0));
        let (drawn, _) = DrawnLinks::follow(None, &b, area, None);
        assert_eq!(drawn.looks.len(), 3, "l1..l3: n3 begins at the area's edge");
        let moved = NoteId("n5".into());
        move_note(&mut b, "n5", 100.0, 200.0);
        let (after, changed) = DrawnLinks::follow(Some(drawn.clone()), &b, area, Some(&[&moved]));
        assert!(changed);
        assert_eq!(after.looks, link_looks(&b, area, &[]));
        assert_ne!(after.listed, drawn.listed, "the list grew");
    }
}
