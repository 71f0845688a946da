//! The board as the rules read it: the model's [`BoardIndex`] with positions as `usize` (what
//! the graph library and the visit marks index by) and each consumer's settings read once.

use crate::model::{
    index::{BoardIndex, Edge, NoteIx, Route},
    kind::{LinkMeaning, NoteKind},
    outcome::{self, Outcome},
    props::ConsumerProps,
    Board, Note, NoteId,
};

/// A note's position in `board.notes`.
pub(crate) type Ix = usize;

fn at(i: Ix) -> NoteIx {
    NoteIx(i as u32)
}

/// The board with everything the rules look up more than once precomputed.
pub(crate) struct Index<'a> {
    pub board: &'a Board,
    graph: BoardIndex<'a>,
    consumers: Vec<Option<ConsumerProps>>,
}

/// The links that carry cause and effect: who issues, handles, publishes, consumes or calls.
pub(crate) fn is_flow(m: LinkMeaning) -> bool {
    matches!(
        m,
        LinkMeaning::Issues
            | LinkMeaning::Handles
            | LinkMeaning::Publishes
            | LinkMeaning::Subscribes
            | LinkMeaning::Calls
    )
}

impl<'a> Index<'a> {
    /// Indexes a board in one pass over its notes and links.
    pub fn new(board: &'a Board) -> Index<'a> {
        let consumers = board
            .notes
            .iter()
            .map(|note| note.kind.is_consumer().then(|| ConsumerProps::of(note)))
            .collect();
        Index {
            board,
            graph: BoardIndex::new(board),
            consumers,
        }
    }

    /// Number of notes.
    pub fn len(&self) -> usize {
        self.board.notes.len()
    }

    /// The note at a position.
    pub fn note(&self, i: Ix) -> &'a Note {
        &self.board.notes[i]
    }

    /// The kind of the note at a position.
    pub fn kind(&self, i: Ix) -> NoteKind {
        self.board.notes[i].kind
    }

    /// The id of the note at a position.
    pub fn id(&self, i: Ix) -> NoteId {
        self.board.notes[i].id.clone()
    }

    /// The ids of several notes, in the given order.
    pub fn ids(&self, list: impl IntoIterator<Item = Ix>) -> Vec<NoteId> {
        list.into_iter().map(|i| self.id(i)).collect()
    }

    /// The position of a note id.
    #[cfg(test)]
    pub fn position(&self, id: &str) -> Option<Ix> {
        self.graph.position(id).map(NoteIx::index)
    }

    /// The note's text as a facilitator reads it, in quotes (its id when the text is blank).
    pub fn name(&self, i: Ix) -> String {
        let note = &self.board.notes[i];
        let text = note.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            format!("“{}”", note.id)
        } else {
            format!("“{text}”")
        }
    }

    /// Several names joined with commas and "and".
    pub fn names(&self, list: &[Ix]) -> String {
        let names: Vec<String> = list.iter().map(|&i| self.name(i)).collect();
        match names.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
    }

    /// True for a note that starts flows, as a run decides ([`BoardIndex::is_source`]).
    pub fn is_source(&self, i: Ix) -> bool {
        self.graph.is_source(at(i))
    }

    /// The notes this one links to with meaning `m`, in board order.
    pub fn succ(&self, i: Ix, m: LinkMeaning) -> impl Iterator<Item = Ix> + '_ {
        self.graph.succ(at(i), m).map(NoteIx::index)
    }

    /// The notes linking to this one with meaning `m`, in board order.
    pub fn pred(&self, i: Ix, m: LinkMeaning) -> impl Iterator<Item = Ix> + '_ {
        self.graph.pred(at(i), m).map(NoteIx::index)
    }

    /// Every outgoing edge, in board order of the far notes.
    pub fn out_edges(&self, i: Ix) -> &[Edge] {
        self.graph.out_edges(at(i))
    }

    /// Every incoming edge, in board order of the far notes.
    pub fn in_edges(&self, i: Ix) -> &[Edge] {
        self.graph.in_edges(at(i))
    }

    /// What the command at a position results in ([`crate::model::outcome`]).
    pub fn outcome(&self, command: Ix) -> Outcome {
        outcome::of(&self.graph, at(command))
    }

    /// The route of an event (`None` for other kinds).
    pub fn route(&self, i: Ix) -> Option<&Route> {
        self.graph.route(at(i))
    }

    /// The distinct topics the consumer at `c` reads, by name, with their partitions.
    pub fn consumed_topics(&self, c: Ix) -> Vec<(&str, u32)> {
        let mut topics: Vec<(&str, u32)> = Vec::new();
        for r in self
            .pred(c, LinkMeaning::Subscribes)
            .filter_map(|e| self.route(e))
        {
            match topics.iter_mut().find(|(t, _)| *t == r.topic) {
                Some(known) => known.1 = r.partitions,
                None => topics.push((&r.topic, r.partitions)),
            }
        }
        topics.sort_unstable_by(|a, b| a.0.cmp(b.0));
        topics
    }

    /// The aggregate that publishes an event, if one does.
    pub fn aggregate_of(&self, event: Ix) -> Option<Ix> {
        self.route(event)
            .and_then(|r| r.aggregate)
            .map(NoteIx::index)
    }

    /// The consumer settings of a policy, read model or external system.
    pub fn consumer(&self, i: Ix) -> Option<&ConsumerProps> {
        self.consumers[i].as_ref()
    }

    /// True for a consumer that some event actually feeds.
    pub fn is_active_consumer(&self, i: Ix) -> bool {
        self.consumers[i].is_some() && self.pred(i, LinkMeaning::Subscribes).next().is_some()
    }

    /// Positions of every note of a kind, in board order.
    pub fn of_kind(&self, kind: NoteKind) -> impl Iterator<Item = Ix> + '_ {
        (0..self.len()).filter(move |&i| self.kind(i) == kind)
    }

    /// The frame id of a note, if it has one.
    pub fn frame(&self, i: Ix) -> Option<&'a str> {
        self.board.notes[i].frame.as_ref().map(|f| f.as_str())
    }

    /// A frame's name as shown (its id when the frame is missing).
    pub fn frame_name(&self, frame: &str) -> String {
        self.board
            .frames
            .iter()
            .find(|f| f.id.as_str() == frame)
            .map(|f| f.name.clone())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| frame.to_string())
    }
}

/// Visit marks reusable across many searches without clearing (a generation counter).
pub(crate) struct Marks {
    stamp: Vec<u32>,
    generation: u32,
}

impl Marks {
    /// Marks for `n` notes.
    pub fn new(n: usize) -> Marks {
        Marks {
            stamp: vec![0; n],
            generation: 1,
        }
    }

    /// Starts a new search: every note is unmarked again.
    pub fn reset(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.generation = 1;
        }
    }

    /// Marks a note; true if it was not marked in this search.
    pub fn mark(&mut self, i: Ix) -> bool {
        let fresh = self.stamp[i] != self.generation;
        self.stamp[i] = self.generation;
        fresh
    }

    /// True if the note is marked in this search.
    pub fn is_marked(&self, i: Ix) -> bool {
        self.stamp[i] == self.generation
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample::sample;

    #[test]
    fn fresh_marks_start_unmarked() {
        // Regression: new marks began at generation 0, equal to every stamp, so a search that
        // forgot to reset saw every note as already visited.
        let mut marks = Marks::new(3);
        assert!(!marks.is_marked(0));
        assert!(marks.mark(0));
        assert!(!marks.mark(0));
        marks.reset();
        assert!(!marks.is_marked(0));
    }

    #[test]
    fn duplicate_links_count_once_and_keep_board_order() {
        let mut board = sample();
        let mut twin = board.links[2].clone();
        twin.id = "twin".into();
        board.links.push(twin);
        let ix = Index::new(&board);
        let order = ix.position("order").unwrap();
        let published: Vec<Ix> = ix.succ(order, LinkMeaning::Publishes).collect();
        assert_eq!(published, [ix.position("order-placed").unwrap()]);
    }
}
