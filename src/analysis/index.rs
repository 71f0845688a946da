//! The board indexed once for the rules: note positions, adjacency by link meaning, event routes.

use super::EventRoute;
use crate::model::{
    kind::{link_meaning, LinkMeaning, NoteKind},
    props::{ConsumerProps, PropsExt},
    Board, Note, NoteId, Topic,
};
use std::collections::HashMap;

/// A note's position in `board.notes`.
pub(crate) type Ix = usize;

/// Where an event goes, with the emitting aggregate as a position.
#[derive(Clone, Debug)]
pub(crate) struct Route {
    pub topic: String,
    pub key: Option<String>,
    pub partitions: u32,
    pub aggregate: Option<Ix>,
}

/// The board with everything the rules look up more than once precomputed.
pub(crate) struct Index<'a> {
    pub board: &'a Board,
    by_id: HashMap<&'a str, Ix>,
    out: Vec<Vec<(LinkMeaning, Ix)>>,
    inn: Vec<Vec<(LinkMeaning, Ix)>>,
    routes: Vec<Option<Route>>,
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

/// The topic an event goes to: its `topic` prop, else the emitting aggregate's id, else its own id.
pub(crate) fn topic_name(event: &Note, aggregate: Option<&Note>) -> String {
    nonblank(event.props.text("topic"))
        .or_else(|| aggregate.map(|a| a.id.as_str()))
        .unwrap_or(event.id.as_str())
        .to_string()
}

/// An aggregate's `id_field` (default "id").
pub(crate) fn id_field(aggregate: &Note) -> &str {
    nonblank(aggregate.props.text("id_field")).unwrap_or("id")
}

/// Resolves an event's route: topic, key (event `key`, else the topic's `key`, else the
/// emitting aggregate's `id_field`, else none) and partitions (declared, else 1).
pub(crate) fn route(event: &Note, aggregate: Option<&Note>, declared: Option<&Topic>) -> (String, Option<String>, u32) {
    let topic = topic_name(event, aggregate);
    let key = nonblank(event.props.text("key"))
        .or_else(|| declared.and_then(|t| nonblank(t.key.as_deref())))
        .or_else(|| aggregate.map(id_field))
        .map(str::to_string);
    let partitions = declared.map_or(1, |t| t.partitions.max(1));
    (topic, key, partitions)
}

fn nonblank(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}

impl<'a> Index<'a> {
    /// Indexes a board in one pass over its notes and links.
    pub fn new(board: &'a Board) -> Index<'a> {
        let n = board.notes.len();
        let mut by_id = HashMap::with_capacity(n);
        for (i, note) in board.notes.iter().enumerate() {
            by_id.entry(note.id.as_str()).or_insert(i);
        }
        let mut out: Vec<Vec<(LinkMeaning, Ix)>> = vec![Vec::new(); n];
        let mut inn: Vec<Vec<(LinkMeaning, Ix)>> = vec![Vec::new(); n];
        for link in &board.links {
            let (Some(&from), Some(&to)) = (by_id.get(link.from.as_str()), by_id.get(link.to.as_str())) else {
                continue;
            };
            if from == to {
                continue;
            }
            if let Some(m) = link_meaning(board.notes[from].kind, board.notes[to].kind) {
                out[from].push((m, to));
                inn[to].push((m, from));
            }
        }
        // The meaning follows from the two kinds, so the far end alone identifies an edge:
        // sorting by it gives board order and drops duplicate links.
        for list in out.iter_mut().chain(inn.iter_mut()) {
            list.sort_unstable_by_key(|&(_, ix)| ix);
            list.dedup_by_key(|&mut (_, ix)| ix);
        }
        let topics: HashMap<&str, &Topic> = board.topics.iter().rev().map(|t| (t.name.as_str(), t)).collect();
        let mut index = Index { board, by_id, out, inn, routes: vec![None; n], consumers: vec![None; n] };
        for i in 0..n {
            let note = &board.notes[i];
            match note.kind {
                NoteKind::Event => {
                    let aggregate =
                        index.pred(i, LinkMeaning::Publishes).find(|&p| index.kind(p) == NoteKind::Aggregate);
                    let topic = topic_name(note, aggregate.map(|a| &board.notes[a]));
                    let (topic, key, partitions) =
                        route(note, aggregate.map(|a| &board.notes[a]), topics.get(topic.as_str()).copied());
                    index.routes[i] = Some(Route { topic, key, partitions, aggregate });
                }
                k if k.is_consumer() => index.consumers[i] = Some(ConsumerProps::of(note)),
                _ => {}
            }
        }
        index
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
    pub fn position(&self, id: &str) -> Option<Ix> {
        self.by_id.get(id).copied()
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

    /// The notes this one links to with meaning `m`, in board order.
    pub fn succ(&self, i: Ix, m: LinkMeaning) -> impl Iterator<Item = Ix> + '_ {
        self.out[i].iter().filter(move |(mm, _)| *mm == m).map(|&(_, j)| j)
    }

    /// The notes linking to this one with meaning `m`, in board order.
    pub fn pred(&self, i: Ix, m: LinkMeaning) -> impl Iterator<Item = Ix> + '_ {
        self.inn[i].iter().filter(move |(mm, _)| *mm == m).map(|&(_, j)| j)
    }

    /// Every outgoing edge with its meaning.
    pub fn out_edges(&self, i: Ix) -> &[(LinkMeaning, Ix)] {
        &self.out[i]
    }

    /// Every incoming edge with its meaning.
    pub fn in_edges(&self, i: Ix) -> &[(LinkMeaning, Ix)] {
        &self.inn[i]
    }

    /// The route of an event (`None` for other kinds).
    pub fn route(&self, i: Ix) -> Option<&Route> {
        self.routes[i].as_ref()
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

    /// The public form of an event's route.
    pub fn event_route(&self, i: Ix) -> Option<EventRoute> {
        self.route(i).map(|r| EventRoute {
            topic: r.topic.clone(),
            key: r.key.clone(),
            partitions: r.partitions,
            aggregate: r.aggregate.map(|a| self.id(a)),
        })
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
        Marks { stamp: vec![0; n], generation: 1 }
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
