//! Tidy layout: the board laid out left to right in causal order, one bounded context at a time.

use super::hit::FRAME_TITLE_H;
use crate::collections::HashMap;
use crate::model::{link_meaning, Board, Edit, FrameId, LinkMeaning, NoteId, NoteKind};
use petgraph::{
    algo::{has_path_connecting, toposort},
    graph::{DiGraph, NodeIndex},
};

/// Horizontal gap between columns, board units.
pub const COLUMN_GAP: f64 = 60.0;
/// Vertical gap between notes of a column, board units.
pub const ROW_GAP: f64 = 30.0;
/// Space between a frame's border and its notes, board units.
pub const FRAME_PAD: f64 = 40.0;
/// Gap between frames (and the group of notes outside frames), board units.
pub const FRAME_GAP: f64 = 80.0;

/// True for links that order the flow in time (everything but reads and annotations).
pub fn is_causal(meaning: LinkMeaning) -> bool {
    !matches!(meaning, LinkMeaning::Reads | LinkMeaning::Annotates)
}

/// Each note's position in the note list, by id.
fn note_index(board: &Board) -> HashMap<&NoteId, usize> {
    board
        .notes
        .iter()
        .enumerate()
        .map(|(i, n)| (&n.id, i))
        .collect()
}

/// The causal edges between note indices, in link order (links between kinds that cannot be
/// linked, self-links and dangling ends are skipped).
pub fn causal_edges(board: &Board) -> Vec<(usize, usize)> {
    let index = note_index(board);
    board
        .links
        .iter()
        .filter_map(|l| {
            let (u, v) = (*index.get(&l.from)?, *index.get(&l.to)?);
            let meaning = link_meaning(board.notes[u].kind, board.notes[v].kind)?;
            (u != v && is_causal(meaning)).then_some((u, v))
        })
        .collect()
}

/// Keeps the edges that do not close a cycle, in order: the first edges win, so the result is
/// deterministic. Returns the acyclic graph over `n` nodes and the kept edges.
fn acyclic(n: usize, edges: &[(usize, usize)]) -> (DiGraph<(), ()>, Vec<(usize, usize)>) {
    let mut g = DiGraph::<(), ()>::with_capacity(n, edges.len());
    for _ in 0..n {
        g.add_node(());
    }
    let mut kept = Vec::new();
    for &(u, v) in edges {
        let (a, b) = (NodeIndex::new(u), NodeIndex::new(v));
        if u != v && g.find_edge(a, b).is_none() && !has_path_connecting(&g, b, a, None) {
            g.add_edge(a, b, ());
            kept.push((u, v));
        }
    }
    (g, kept)
}

/// The layer of each note: the longest causal path reaching it (cycles broken by link order).
/// A hotspot takes the layer of the first note it annotates.
pub fn layers(board: &Board) -> Vec<usize> {
    let (g, _) = acyclic(board.notes.len(), &causal_edges(board));
    layers_of(board, &g)
}

/// [`layers`] over an already broken-up causal graph.
fn layers_of(board: &Board, g: &DiGraph<(), ()>) -> Vec<usize> {
    let n = board.notes.len();
    let mut layer = vec![0usize; n];
    // The graph is acyclic by construction, so toposort cannot fail.
    for u in toposort(g, None).unwrap_or_default() {
        for v in g.neighbors(u) {
            layer[v.index()] = layer[v.index()].max(layer[u.index()] + 1);
        }
    }
    let index = note_index(board);
    let mut placed = vec![false; n];
    for l in &board.links {
        let (Some(&u), Some(&v)) = (index.get(&l.from), index.get(&l.to)) else {
            continue;
        };
        let (hot, other) = match (board.notes[u].kind, board.notes[v].kind) {
            (NoteKind::Hotspot, NoteKind::Hotspot) => continue,
            (NoteKind::Hotspot, _) => (u, v),
            (_, NoteKind::Hotspot) => (v, u),
            _ => continue,
        };
        if !placed[hot] {
            layer[hot] = layer[other];
            placed[hot] = true;
        }
    }
    layer
}

/// The group (frame index, or `frames.len()` for notes outside any frame) of each note.
fn groups(board: &Board) -> Vec<usize> {
    let index: HashMap<&FrameId, usize> = board
        .frames
        .iter()
        .enumerate()
        .map(|(i, f)| (&f.id, i))
        .collect();
    board
        .notes
        .iter()
        .map(|n| {
            n.frame
                .as_ref()
                .and_then(|f| index.get(f).copied())
                .unwrap_or(board.frames.len())
        })
        .collect()
}

/// Groups in causal order: a group whose notes cause another's comes first (cycles between
/// groups broken by link order); ties keep board order, notes outside frames last.
fn group_order(count: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let (g, _) = acyclic(count, edges);
    let mut indegree: Vec<usize> = (0..count)
        .map(|i| {
            g.neighbors_directed(NodeIndex::new(i), petgraph::Incoming)
                .count()
        })
        .collect();
    // Groups whose causes are all placed, smallest index last (a few groups: a sorted list).
    let mut ready: Vec<usize> = (0..count).rev().filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(count);
    while let Some(u) = ready.pop() {
        order.push(u);
        for v in g.neighbors(NodeIndex::new(u)) {
            indegree[v.index()] -= 1;
            if indegree[v.index()] == 0 {
                let at = ready.partition_point(|&w| w > v.index());
                ready.insert(at, v.index());
            }
        }
    }
    order
}

/// The edit laying the board out left to right in causal order (actor → command → aggregate →
/// event → policy → …), as one batch of `MoveNote` and `SetFrameRect`.
///
/// Notes are layered by the longest causal path (reads and annotations ignored, cycles broken by
/// link order); each frame keeps its notes, frames follow one another left to right in causal
/// order and are resized to hold their notes; notes outside frames form a last group. Within a
/// column notes keep their vertical order. Nothing overlaps; the result depends only on the board.
pub fn tidy(board: &Board) -> Edit {
    let Some(bounds) = board.bounds() else {
        return Edit::Batch(Vec::new());
    };
    let (graph, kept) = acyclic(board.notes.len(), &causal_edges(board));
    let layer = layers_of(board, &graph);
    let group = groups(board);
    let count = board.frames.len() + 1;
    let group_edges: Vec<(usize, usize)> = kept
        .into_iter()
        .map(|(u, v)| (group[u], group[v]))
        .filter(|(a, b)| a != b)
        .collect();
    let mut edits = Vec::new();
    let mut cursor = bounds.x;
    let top = bounds.y;
    // Notes start below the frames' title bars; without frames, at the top (so tidy is idempotent).
    let content_top = if board.frames.is_empty() {
        top
    } else {
        top + FRAME_TITLE_H + FRAME_PAD
    };
    for g in group_order(count, &group_edges) {
        let frame = board.frames.get(g);
        let members: Vec<usize> = (0..board.notes.len()).filter(|&i| group[i] == g).collect();
        if members.is_empty() {
            if let Some(f) = frame {
                // An empty frame keeps its size and takes its turn in the row.
                if (f.x, f.y) != (cursor, top) {
                    edits.push(Edit::SetFrameRect {
                        id: f.id.clone(),
                        x: cursor,
                        y: top,
                        w: f.w,
                        h: f.h,
                    });
                }
                cursor += f.width() + FRAME_GAP;
            }
            continue;
        }
        let pad = if frame.is_some() { FRAME_PAD } else { 0.0 };
        let left = cursor + pad;
        let mut columns: Vec<usize> = members.iter().map(|&i| layer[i]).collect();
        columns.sort_unstable();
        columns.dedup();
        let mut x = left;
        let mut bottom = content_top;
        for col in columns {
            let mut notes: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| layer[i] == col)
                .collect();
            notes.sort_by(|&a, &b| {
                board.notes[a]
                    .y
                    .total_cmp(&board.notes[b].y)
                    .then(a.cmp(&b))
            });
            let mut y = content_top;
            let mut width: f64 = 0.0;
            for i in notes {
                let n = &board.notes[i];
                if n.x != x || n.y != y {
                    edits.push(Edit::MoveNote {
                        id: n.id.clone(),
                        x,
                        y,
                    });
                }
                y += n.height() + ROW_GAP;
                width = width.max(n.width());
            }
            bottom = bottom.max(y - ROW_GAP);
            x += width + COLUMN_GAP;
        }
        let right = x - COLUMN_GAP + pad;
        if let Some(f) = frame {
            let (w, h) = (right - cursor, bottom + pad - top);
            if (f.x, f.y, f.width(), f.height()) != (cursor, top, w, h) {
                edits.push(Edit::SetFrameRect {
                    id: f.id.clone(),
                    x: cursor,
                    y: top,
                    w: Some(w),
                    h: Some(h),
                });
            }
        }
        cursor = right + FRAME_GAP;
    }
    Edit::Batch(edits)
}
