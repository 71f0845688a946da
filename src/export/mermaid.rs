//! The board as a Mermaid `flowchart LR`: notes as nodes coloured by kind (a `classDef` per
//! kind, the board's colours), frames as `subgraph`s, links as edges labelled with what they
//! mean. Ids are made from note and frame ids (letters, digits and `_` only, prefixed so that
//! no id is a Mermaid keyword such as `end`); every label is quoted and escaped.

use super::escape::{mermaid_label, Ids};
use crate::model::{index::BoardIndex, Board, LinkMeaning, NoteKind};
use std::fmt::Write;

/// Text colour on notes (the stylesheet's `.note` colour), and on hotspots.
const INK: &str = "#1b1b1b";
/// Text colour on hotspots.
const HOTSPOT_INK: &str = "#ffffff";
/// Outline of every node.
const OUTLINE: &str = "#4a4f57";

/// The `classDef` name of a kind.
fn class(kind: NoteKind) -> &'static str {
    kind.as_str()
}

/// Letters, digits and `_`.
fn mermaid_char(c: char) -> bool {
    c == '_'
}

/// The board as a Mermaid flowchart, ending with a line break.
pub fn mermaid(board: &Board) -> String {
    let ix = BoardIndex::new(board);
    let mut out = String::from("flowchart LR\n");
    for kind in NoteKind::ALL {
        let ink = if kind == NoteKind::Hotspot {
            HOTSPOT_INK
        } else {
            INK
        };
        let _ = writeln!(
            out,
            "  classDef {} fill:{},stroke:{OUTLINE},color:{ink}",
            class(kind),
            kind.colour()
        );
    }
    let mut note_ids = Ids::new("n_", mermaid_char);
    let node: Vec<String> = board
        .notes
        .iter()
        .map(|n| note_ids.make(n.id.as_str()))
        .collect();
    let write_node = |out: &mut String, i: usize, indent: &str| {
        let n = &board.notes[i];
        let text = if n.text.trim().is_empty() {
            n.kind.label()
        } else {
            n.text.as_str()
        };
        let _ = writeln!(
            out,
            "{indent}{}[{}]:::{}",
            node[i],
            mermaid_label(text),
            class(n.kind)
        );
    };
    let mut frame_ids = Ids::new("f_", mermaid_char);
    let mut placed = vec![false; board.notes.len()];
    for frame in &board.frames {
        let members: Vec<usize> = (0..board.notes.len())
            .filter(|&i| board.notes[i].frame.as_ref() == Some(&frame.id))
            .collect();
        let name = if frame.name.trim().is_empty() {
            frame.id.as_str()
        } else {
            frame.name.as_str()
        };
        let _ = writeln!(
            out,
            "  subgraph {}[{}]",
            frame_ids.make(frame.id.as_str()),
            mermaid_label(name)
        );
        for i in members {
            write_node(&mut out, i, "    ");
            placed[i] = true;
        }
        out.push_str("  end\n");
    }
    for i in (0..board.notes.len()).filter(|&i| !placed[i]) {
        write_node(&mut out, i, "  ");
    }
    // Links as the model counts them (both ends there, a meaning, the first of duplicates),
    // in the order they were drawn.
    let mut edges: Vec<(usize, &crate::model::index::Edge)> = ix
        .notes()
        .flat_map(|from| ix.out_edges(from).iter().map(move |e| (from.index(), e)))
        .collect();
    edges.sort_unstable_by_key(|(_, e)| e.link);
    for (from, edge) in edges {
        let arrow = if edge.meaning == LinkMeaning::Annotates {
            "-.->"
        } else {
            "-->"
        };
        let _ = writeln!(
            out,
            "  {} {arrow}|{}| {}",
            node[from],
            mermaid_label(edge.meaning.label()),
            node[edge.note.index()]
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample::sample;

    #[test]
    fn the_sample_has_a_subgraph_per_frame_and_labelled_edges() {
        let m = mermaid(&sample());
        assert!(m.starts_with("flowchart LR\n"));
        assert!(m.contains("  subgraph f_orders[\"Orders\"]"), "{m}");
        assert!(m.contains("n_place_order -->|\"handles\"| n_order"), "{m}");
        assert!(m.contains("classDef event fill:#ff9f43"), "{m}");
        assert!(
            m.contains("n_what_if -.->|\"annotates\"| n_out_of_stock"),
            "{m}"
        );
    }
}
