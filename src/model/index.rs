//! The board indexed once: notes by id, links by meaning in both directions, and where every
//! event is published with the defaults applied. The run and the hazard rules both read the
//! board through it, so they agree on every link and every route.
//!
//! Conventions:
//! - a link counts when both ends exist, differ, and their kinds give it a meaning; a second
//!   link between the same two notes counts once (the first drawn);
//! - an event's topic is its `topic` prop, else the id of the aggregate that publishes it (the
//!   first one in board order), else the event's own id;
//! - its key is its `key` prop, else the declared topic's `key`, else that aggregate's
//!   `id_field` ([`DEFAULT_ID_FIELD`] when blank); events published only by commands or
//!   external systems may have no key;
//! - its partitions are the declared topic's, else 1.

use super::{
    kind::{link_meaning, LinkMeaning, NoteKind},
    props::PropsExt,
    Board, Note, NoteId, Topic,
};
use crate::collections::HashMap;

/// The field an aggregate is keyed by when its `id_field` prop is missing or blank.
pub const DEFAULT_ID_FIELD: &str = "id";

/// A note's position in `Board::notes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NoteIx(pub u32);

impl NoteIx {
    /// The position as a `usize`, for indexing.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A link's position in `Board::links`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LinkIx(pub u32);

impl LinkIx {
    /// The position as a `usize`, for indexing.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A link seen from one of its ends: what it means, the note at the other end, and the link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    /// What the link means (given by the kinds of its ends).
    pub meaning: LinkMeaning,
    /// The note at the other end.
    pub note: NoteIx,
    /// The link itself.
    pub link: LinkIx,
}

/// Where an event is published, defaults applied, in note ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRoute {
    /// The topic's name.
    pub topic: String,
    /// The partitioning key, if any.
    pub key: Option<String>,
    /// Partitions of the topic (declared, else 1).
    pub partitions: u32,
    /// The aggregate that publishes the event, if one does.
    pub aggregate: Option<NoteId>,
}

/// Where an event is published, defaults applied, with the aggregate as a position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The topic's name.
    pub topic: String,
    /// The partitioning key, if any.
    pub key: Option<String>,
    /// Partitions of the topic (declared, else 1).
    pub partitions: u32,
    /// The aggregate that publishes the event (the first in board order), if one does.
    pub aggregate: Option<NoteIx>,
}

/// The board with its notes, links and event routes indexed.
#[derive(Clone, Debug)]
pub struct BoardIndex<'a> {
    board: &'a Board,
    by_id: HashMap<&'a str, NoteIx>,
    /// Per note, its outgoing edges sorted by far note (board order of notes).
    out: Vec<Vec<Edge>>,
    /// Per note, its incoming edges sorted by far note.
    inn: Vec<Vec<Edge>>,
    routes: Vec<Option<Route>>,
}

/// An aggregate's key field: its `id_field` prop, else [`DEFAULT_ID_FIELD`].
pub fn id_field(aggregate: &Note) -> &str {
    nonblank(aggregate.props.text("id_field")).unwrap_or(DEFAULT_ID_FIELD)
}

/// The route of an event (`None` if `event` is not an event on the board).
pub fn route_of_event(board: &Board, event: &NoteId) -> Option<EventRoute> {
    let ix = BoardIndex::new(board);
    ix.position(event.as_str()).and_then(|i| ix.event_route(i))
}

fn nonblank(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}

/// Resolves an event's route given its emitting aggregate and the declared topics by name.
fn resolve(
    event: &Note,
    aggregate: Option<&Note>,
    topics: &HashMap<&str, &Topic>,
) -> (String, Option<String>, u32) {
    let topic = nonblank(event.props.text("topic"))
        .or_else(|| aggregate.map(|a| a.id.as_str()))
        .unwrap_or(event.id.as_str())
        .to_string();
    let declared = topics.get(topic.as_str()).copied();
    let key = nonblank(event.props.text("key"))
        .or_else(|| declared.and_then(|t| nonblank(t.key.as_deref())))
        .or_else(|| aggregate.map(id_field))
        .map(str::to_string);
    let partitions = declared.map_or(1, |t| t.partitions.max(1));
    (topic, key, partitions)
}

fn with_meaning(edges: &[Edge], m: LinkMeaning) -> impl Iterator<Item = &Edge> + '_ {
    edges.iter().filter(move |e| e.meaning == m)
}

fn in_link_order(edges: &[Edge], m: LinkMeaning) -> Vec<Edge> {
    let mut list: Vec<Edge> = with_meaning(edges, m).copied().collect();
    list.sort_unstable_by_key(|e| e.link);
    list
}

impl<'a> BoardIndex<'a> {
    /// Indexes a board in one pass over its notes and links.
    pub fn new(board: &'a Board) -> BoardIndex<'a> {
        let n = board.notes.len();
        let mut by_id = HashMap::with_capacity_and_hasher(n, Default::default());
        for (i, note) in board.notes.iter().enumerate() {
            by_id.entry(note.id.as_str()).or_insert(NoteIx(i as u32));
        }
        let mut out: Vec<Vec<Edge>> = vec![Vec::new(); n];
        let mut inn: Vec<Vec<Edge>> = vec![Vec::new(); n];
        for (l, link) in board.links.iter().enumerate() {
            let (Some(&from), Some(&to)) =
                (by_id.get(link.from.as_str()), by_id.get(link.to.as_str()))
            else {
                continue;
            };
            if from == to {
                continue;
            }
            let Some(meaning) =
                link_meaning(board.notes[from.index()].kind, board.notes[to.index()].kind)
            else {
                continue;
            };
            let link = LinkIx(l as u32);
            out[from.index()].push(Edge {
                meaning,
                note: to,
                link,
            });
            inn[to.index()].push(Edge {
                meaning,
                note: from,
                link,
            });
        }
        // The meaning follows from the two kinds, so the far end alone identifies an edge:
        // sorting by it (then by link) gives board order and keeps the first link drawn.
        for list in out.iter_mut().chain(inn.iter_mut()) {
            list.sort_unstable_by_key(|e| (e.note, e.link));
            list.dedup_by_key(|e| e.note);
        }
        let topics: HashMap<&str, &Topic> = board
            .topics
            .iter()
            .rev()
            .map(|t| (t.name.as_str(), t))
            .collect();
        let mut index = BoardIndex {
            board,
            by_id,
            out,
            inn,
            routes: vec![None; n],
        };
        for (i, note) in board.notes.iter().enumerate() {
            if note.kind != NoteKind::Event {
                continue;
            }
            let aggregate = index
                .pred(NoteIx(i as u32), LinkMeaning::Publishes)
                .find(|&p| index.kind(p) == NoteKind::Aggregate);
            let (topic, key, partitions) = resolve(note, aggregate.map(|a| index.note(a)), &topics);
            index.routes[i] = Some(Route {
                topic,
                key,
                partitions,
                aggregate,
            });
        }
        index
    }

    /// The board indexed.
    pub fn board(&self) -> &'a Board {
        self.board
    }

    /// Number of notes.
    pub fn len(&self) -> usize {
        self.board.notes.len()
    }

    /// True for a board without notes.
    pub fn is_empty(&self) -> bool {
        self.board.notes.is_empty()
    }

    /// Every note position, in board order.
    pub fn notes(&self) -> impl Iterator<Item = NoteIx> {
        (0..self.len() as u32).map(NoteIx)
    }

    /// The note at a position.
    pub fn note(&self, i: NoteIx) -> &'a Note {
        &self.board.notes[i.index()]
    }

    /// The kind of the note at a position.
    pub fn kind(&self, i: NoteIx) -> NoteKind {
        self.board.notes[i.index()].kind
    }

    /// The id of the note at a position.
    pub fn id(&self, i: NoteIx) -> NoteId {
        self.board.notes[i.index()].id.clone()
    }

    /// The position of a note id (the first note with it).
    pub fn position(&self, id: &str) -> Option<NoteIx> {
        self.by_id.get(id).copied()
    }

    /// The notes this one links to with meaning `m`, in board order of notes.
    pub fn succ(&self, i: NoteIx, m: LinkMeaning) -> impl Iterator<Item = NoteIx> + '_ {
        with_meaning(&self.out[i.index()], m).map(|e| e.note)
    }

    /// The notes linking to this one with meaning `m`, in board order of notes.
    pub fn pred(&self, i: NoteIx, m: LinkMeaning) -> impl Iterator<Item = NoteIx> + '_ {
        with_meaning(&self.inn[i.index()], m).map(|e| e.note)
    }

    /// True for a note that starts flows in a run: an actor, or an external system nobody
    /// calls or feeds that issues or publishes something.
    pub fn is_source(&self, i: NoteIx) -> bool {
        match self.kind(i) {
            NoteKind::Actor => true,
            NoteKind::ExternalSystem => {
                self.pred(i, LinkMeaning::Calls).next().is_none()
                    && self.pred(i, LinkMeaning::Subscribes).next().is_none()
                    && (self.succ(i, LinkMeaning::Issues).next().is_some()
                        || self.succ(i, LinkMeaning::Publishes).next().is_some())
            }
            _ => false,
        }
    }

    /// The outgoing edges with meaning `m`, in the order their links were drawn (the order in
    /// which a run acts on them).
    pub fn succ_in_link_order(&self, i: NoteIx, m: LinkMeaning) -> Vec<Edge> {
        in_link_order(&self.out[i.index()], m)
    }

    /// The incoming edges with meaning `m`, in the order their links were drawn.
    pub fn pred_in_link_order(&self, i: NoteIx, m: LinkMeaning) -> Vec<Edge> {
        in_link_order(&self.inn[i.index()], m)
    }

    /// Every outgoing edge, in board order of the far notes.
    pub fn out_edges(&self, i: NoteIx) -> &[Edge] {
        &self.out[i.index()]
    }

    /// Every incoming edge, in board order of the far notes.
    pub fn in_edges(&self, i: NoteIx) -> &[Edge] {
        &self.inn[i.index()]
    }

    /// The route of an event (`None` for other kinds).
    pub fn route(&self, i: NoteIx) -> Option<&Route> {
        self.routes[i.index()].as_ref()
    }

    /// The route of an event in note ids.
    pub fn event_route(&self, i: NoteIx) -> Option<EventRoute> {
        self.route(i).map(|r| EventRoute {
            topic: r.topic.clone(),
            key: r.key.clone(),
            partitions: r.partitions,
            aggregate: r.aggregate.map(|a| self.id(a)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample::sample;

    #[test]
    fn duplicate_links_count_once_and_keep_board_order() {
        let mut board = sample();
        let mut twin = board.links[2].clone();
        twin.id = "twin".into();
        board.links.push(twin);
        let ix = BoardIndex::new(&board);
        let order = ix.position("order").unwrap();
        let published: Vec<NoteIx> = ix.succ(order, LinkMeaning::Publishes).collect();
        assert_eq!(published, [ix.position("order-placed").unwrap()]);
        let edges = ix.succ_in_link_order(order, LinkMeaning::Publishes);
        assert_eq!(
            edges.iter().map(|e| e.link).collect::<Vec<_>>(),
            [LinkIx(2)]
        );
    }

    #[test]
    fn blank_id_field_falls_back_to_the_default() {
        let mut board = sample();
        let order = board.note_mut(&"order".into()).unwrap();
        order
            .props
            .insert("id_field".into(), serde_json::json!("  "));
        assert_eq!(
            id_field(board.note(&"order".into()).unwrap()),
            DEFAULT_ID_FIELD
        );
    }
}
