//! What the board draws of its links: one look per link (path, arrowhead, label) and the
//! links of each look gathered into one SVG path. An element per link would cost the browser a
//! paint chunk each, and panning a big board would spend its frames sorting them.

use super::{link_geometry::is_results_in, selection::Selection, LinkPath};
use crate::collections::{HashMap, HashSet};
use crate::model::{Board, LinkId, NoteId, NoteKind, Rect};

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
    /// Touches a hotspot: dashed red.
    pub annotation: bool,
    /// A command → event link ("results in"): dashed, along an arc over the notes.
    pub results_in: bool,
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
                    annotation: *ka == NoteKind::Hotspot || *kb == NoteKind::Hotspot,
                    results_in: is_results_in(*ka, *kb),
                })
            })
            .collect()
    }
}

/// The path data of every link of each look.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Looks {
    /// Links with nothing special.
    pub plain: String,
    /// Links touching a hotspot.
    pub annotation: String,
    /// Command → event links.
    pub results_in: String,
    /// Selected links.
    pub selected: String,
    /// Links between two notes of the causal chain shown.
    pub chain: String,
}

impl Looks {
    /// Adds a link to the path of its look.
    fn add(&mut self, l: &LinkLook, selection: &Selection, chain: &HashSet<NoteId>) {
        let into = if selection.has_link(&l.id) {
            &mut self.selected
        } else if chain.contains(&l.ends.0) && chain.contains(&l.ends.1) {
            &mut self.chain
        } else if l.annotation {
            &mut self.annotation
        } else if l.results_in {
            &mut self.results_in
        } else {
            &mut self.plain
        };
        into.push_str(&l.path);
        into.push(' ');
    }
}

/// The links' paths in two sets: those touching a selected note, which move when it is dragged,
/// and the rest, whose paths then stay as they are (redrawing one path of every link of the
/// view on each step of a drag would repaint the whole view).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkPaths {
    /// Links between notes that are not selected.
    pub settled: Looks,
    /// Links touching a selected note.
    pub moving: Looks,
}

/// Sorts the links into their looks: selected and causal-chain links are drawn over the rest.
pub fn link_paths(links: &[LinkLook], selection: &Selection, chain: &HashSet<NoteId>) -> LinkPaths {
    let mut p = LinkPaths::default();
    for l in links {
        let set = if selection.has_note(&l.ends.0) || selection.has_note(&l.ends.1) {
            &mut p.moving
        } else {
            &mut p.settled
        };
        set.add(l, selection, chain);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::Item;

    fn look(id: &str, from: &str, to: &str, annotation: bool) -> LinkLook {
        LinkLook {
            id: LinkId(id.into()),
            ends: (NoteId(from.into()), NoteId(to.into())),
            label: format!("{from} → {to}"),
            path: format!("M{id}"),
            between: (Rect::default(), Rect::default()),
            annotation,
            results_in: false,
        }
    }

    #[test]
    fn each_link_goes_into_the_one_path_of_its_look() {
        let links = [
            look("a", "x", "y", false),
            look("b", "y", "z", true),
            look("c", "z", "w", false),
            look("d", "w", "v", false),
        ];
        let mut selection = Selection::default();
        selection.add(Item::Link(LinkId("c".into())));
        let chain: HashSet<NoteId> = ["w", "v"].map(|n| NoteId(n.into())).into_iter().collect();
        let p = link_paths(&links, &selection, &chain).settled;
        assert_eq!(p.plain, "Ma ");
        assert_eq!(p.annotation, "Mb ");
        assert_eq!(p.selected, "Mc ", "selected wins over the chain");
        assert_eq!(p.chain, "Md ");
        assert!(p.results_in.is_empty());
    }

    #[test]
    fn links_of_selected_notes_are_drawn_apart_so_a_drag_redraws_only_them() {
        let links = [look("a", "x", "y", false), look("b", "y", "z", false)];
        let mut selection = Selection::default();
        selection.add(Item::Note(NoteId("z".into())));
        let p = link_paths(&links, &selection, &HashSet::default());
        assert_eq!(p.settled.plain, "Ma ");
        assert_eq!(p.moving.plain, "Mb ");
    }
}
