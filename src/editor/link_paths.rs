//! The drawn links gathered into a few SVG paths, by look (plain, annotation, results in,
//! selected, causal chain): the links that move with a gesture in one set, the others in one set
//! per cell of a grid over the board. Painting a tile of the board strokes only the paths of the
//! cells it touches: one path of every link was stroked whole for each tile a dragged note
//! repainted, which cost several times the frame.

use super::{drawn_links::LinkLook, selection::Selection};
use crate::collections::HashSet;
use crate::model::NoteId;

/// A cell of the grid the settled links are gathered by, counted from the board's origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    /// Column.
    pub x: i64,
    /// Row.
    pub y: i64,
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

/// What the links' paths are sorted by: a drag step changes none of it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sorting {
    /// Notes whose links move: the selected ones and those a gesture moves.
    pub moving: HashSet<NoteId>,
    /// The notes of the causal chain shown.
    pub chain: HashSet<NoteId>,
    /// The selection (selected links have a look of their own).
    pub selection: Selection,
    /// The size of a cell of the grid (board units); everything in one cell when `None`.
    pub cell: Option<(f64, f64)>,
}

impl Sorting {
    /// True if `l` touches a note that moves.
    fn moves(&self, l: &LinkLook) -> bool {
        self.moving.contains(&l.ends.0) || self.moving.contains(&l.ends.1)
    }

    /// The cell a link is gathered in: the one holding the middle of its line.
    fn cell_of(&self, l: &LinkLook) -> Cell {
        let Some((w, h)) = self.cell.filter(|(w, h)| *w > 0.0 && *h > 0.0) else {
            return Cell { x: 0, y: 0 };
        };
        let m = l.midpoint();
        Cell {
            x: (m.x / w).floor() as i64,
            y: (m.y / h).floor() as i64,
        }
    }
}

/// The paths of the links that do not move, by cell, and what they were sorted by.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SettledPaths {
    /// Each cell holding links, in order, with their paths by look.
    pub cells: Vec<(Cell, Looks)>,
    /// What they were sorted by.
    pub sorting: Sorting,
}

impl SettledPaths {
    /// The paths of the settled links of `links`, gathered by cell.
    pub fn new(links: &[LinkLook], sorting: Sorting) -> SettledPaths {
        // A few dozen cells: found by a look along them, the last one first.
        let mut cells: Vec<(Cell, Looks)> = Vec::new();
        let mut last = 0;
        for l in links.iter().filter(|l| !sorting.moves(l)) {
            let cell = sorting.cell_of(l);
            if cells.get(last).is_none_or(|(c, _)| *c != cell) {
                last = match cells.iter().position(|(c, _)| *c == cell) {
                    Some(i) => i,
                    None => {
                        cells.push((cell, Looks::default()));
                        cells.len() - 1
                    }
                };
            }
            cells[last].1.add(l, &sorting.selection, &sorting.chain);
        }
        cells.sort_unstable_by_key(|(c, _)| *c);
        SettledPaths { cells, sorting }
    }

    /// The paths of one cell.
    pub fn looks(&self, cell: Cell) -> Option<&Looks> {
        self.cells
            .binary_search_by_key(&cell, |(c, _)| *c)
            .ok()
            .map(|i| &self.cells[i].1)
    }
}

/// The paths of the links that move: those touching a note of `sorting.moving`.
pub fn moving_paths(links: &[LinkLook], sorting: &Sorting) -> Looks {
    let mut looks = Looks::default();
    for l in links.iter().filter(|l| sorting.moves(l)) {
        looks.add(l, &sorting.selection, &sorting.chain);
    }
    looks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::Item;
    use crate::model::{LinkId, Rect};

    /// A link whose notes sit at `x` and `x + 100` (board units), on the first row.
    fn look(id: &str, from: &str, to: &str, annotation: bool, x: f64) -> LinkLook {
        let (a, b) = (
            Rect::new(x, 0.0, 10.0, 10.0),
            Rect::new(x + 100.0, 0.0, 10.0, 10.0),
        );
        LinkLook::for_test(id, from, to, annotation, (a, b))
    }

    fn ids(names: &[&str]) -> HashSet<NoteId> {
        names.iter().map(|n| NoteId((*n).into())).collect()
    }

    #[test]
    fn each_link_goes_into_the_one_path_of_its_look() {
        let links = [
            look("a", "x", "y", false, 0.0),
            look("b", "y", "z", true, 0.0),
            look("c", "z", "w", false, 0.0),
            look("d", "w", "v", false, 0.0),
        ];
        let mut selection = Selection::default();
        selection.add(Item::Link(LinkId("c".into())));
        let sorting = Sorting {
            chain: ids(&["w", "v"]),
            selection,
            ..Sorting::default()
        };
        let settled = SettledPaths::new(&links, sorting);
        let p = settled.looks(Cell { x: 0, y: 0 }).unwrap();
        assert_eq!(p.plain, "Ma ");
        assert_eq!(p.annotation, "Mb ");
        assert_eq!(p.selected, "Mc ", "selected wins over the chain");
        assert_eq!(p.chain, "Md ");
        assert!(p.results_in.is_empty());
    }

    #[test]
    fn links_of_moving_notes_are_drawn_apart_so_a_drag_redraws_only_them() {
        let links = [
            look("a", "x", "y", false, 0.0),
            look("b", "y", "z", false, 0.0),
        ];
        let sorting = Sorting {
            moving: ids(&["z"]),
            ..Sorting::default()
        };
        assert_eq!(moving_paths(&links, &sorting).plain, "Mb ");
        let settled = SettledPaths::new(&links, sorting);
        assert_eq!(settled.cells.len(), 1);
        assert_eq!(settled.looks(Cell { x: 0, y: 0 }).unwrap().plain, "Ma ");
    }

    #[test]
    fn settled_links_are_gathered_by_the_cell_of_their_middle() {
        // Middles at 55, 1055 and 1555: cells of 1000 units put the last two together.
        let links = [
            look("a", "p", "q", false, 0.0),
            look("b", "q", "r", false, 1000.0),
            look("c", "r", "s", false, 1500.0),
            look("d", "s", "t", false, -2000.0),
        ];
        let sorting = Sorting {
            cell: Some((1000.0, 1000.0)),
            ..Sorting::default()
        };
        let settled = SettledPaths::new(&links, sorting);
        let cells: Vec<Cell> = settled.cells.iter().map(|(c, _)| *c).collect();
        assert_eq!(
            cells,
            vec![
                Cell { x: -2, y: 0 },
                Cell { x: 0, y: 0 },
                Cell { x: 1, y: 0 }
            ],
            "in order, empty cells left out"
        );
        assert_eq!(settled.looks(Cell { x: 1, y: 0 }).unwrap().plain, "Mb Mc ");
        assert!(settled.looks(Cell { x: 5, y: 0 }).is_none());
    }
}
