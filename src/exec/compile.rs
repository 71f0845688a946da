//! Compiling a board onto broker words: topics, consumer groups, sources and command routes.
//!
//! Mapping decisions (see also the module docs of [`crate::exec`]):
//! - every event goes to the topic its route gives it ([`crate::model::index`]), the same the
//!   static analysis reads; declared `topics` add partitions and retention;
//! - one consumer group per consuming note (policy, read model or external system with at
//!   least one event → note link), subscribed to the topics of those events;
//! - a command publishes exactly one event per run of it, the one the board says it results
//!   in ([`crate::model::outcome`]: its own command → event links, else its aggregate's first
//!   events in link order); its failure event is published instead when a synchronous call
//!   fails or, with a small seeded probability, at random;
//! - sources are actors and external systems that nobody calls and nobody feeds;
//! - lists of links (calls, issues, publishes, …) are in the order the links were drawn,
//!   which is the order the run acts on them.

mod notes;

use super::{
    ix::{Edge, GroupIx, NoteIx, SourceIx, TopicIx},
    Diagnostic,
};
use crate::collections::{HashMap, HashSet};
use crate::model::{
    index::BoardIndex,
    limits::MAX_PARTITIONS,
    props::{ConsumerProps, PropsExt},
    Board, NoteId, NoteKind,
};

/// Longest name given to the broker (its own limit is longer, leaving room for the suffixes
/// it adds to retry and dead-letter topics).
const MAX_BROKER_NAME: usize = 200;

/// A topic created on the broker.
#[derive(Clone, Debug, PartialEq)]
pub struct TopicPlan {
    /// The topic's name on the board.
    pub name: String,
    /// The name on the broker (the board name with characters the broker refuses replaced).
    pub broker_name: String,
    /// Partitions.
    pub partitions: u32,
    /// Partitioning key field, if any.
    pub key: Option<String>,
    /// Retention in milliseconds, if any.
    pub retention_ms: Option<u64>,
}

/// A consumer group created for a consuming note.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupPlan {
    /// The consuming note.
    pub note: NoteId,
    /// Group name on the broker.
    pub name: String,
    /// Its settings, defaults applied (instances capped at
    /// [`MAX_INSTANCES`](crate::model::limits::MAX_INSTANCES) for boards built in code).
    pub props: ConsumerProps,
    /// Topics (in [`Plan::topics`]) it subscribes to, in the order of its subscriptions.
    pub topics: Vec<TopicIx>,
    /// The consuming note's position.
    pub(crate) ix: NoteIx,
    /// The events it receives.
    pub(crate) subscriptions: Vec<Edge>,
    /// The commands it issues (a policy).
    pub(crate) issues: Vec<Edge>,
    /// The events it publishes (an external system).
    pub(crate) publishes: Vec<Edge>,
    /// The systems it calls while processing.
    pub(crate) calls: Vec<Edge>,
    /// The read models it reads after applying a message.
    pub(crate) reads: Vec<Edge>,
    /// An external system's own latency, added to each message it processes (ms).
    pub(crate) own_latency_ms: u64,
}

/// Something that starts flows on its own: an actor, or an external system nobody calls.
#[derive(Clone, Debug, PartialEq)]
pub struct SourcePlan {
    /// The note.
    pub note: NoteId,
    /// Commands (or events) per second.
    pub rate: f64,
    /// Distinct keys addressed.
    pub entities: u64,
    /// Delay before reading after a write.
    pub read_delay_ms: u64,
    /// The note's position.
    pub(crate) ix: NoteIx,
    /// The commands it issues.
    pub(crate) issues: Vec<Edge>,
    /// The events it publishes (an external system).
    pub(crate) publishes: Vec<Edge>,
    /// The read models it reads after its own writes.
    pub(crate) reads: Vec<Edge>,
}

/// What running a command does.
#[derive(Clone, Debug, Default)]
pub(crate) struct CommandPlan {
    /// The aggregate that handles it, if any.
    pub aggregate: Option<Edge>,
    /// The event it publishes when all goes well.
    pub success: Option<Edge>,
    /// The event it publishes when a call fails (or at random).
    pub failure: Option<Edge>,
    /// Its synchronous calls, then its aggregate's, in order.
    pub calls: Vec<Edge>,
    /// False when nothing handles it and it publishes nothing.
    pub handled: bool,
}

/// Where an event goes and who receives it.
#[derive(Clone, Debug)]
pub(crate) struct EventPlan {
    /// Its topic.
    pub topic: TopicIx,
    /// True when the topic's records carry a key.
    pub keyed: bool,
    /// True when the key is the entity the flow is about (else a key unrelated to it).
    pub by_entity: bool,
    /// True for a failure event.
    pub failure: bool,
    /// The groups subscribed to it.
    pub subscribers: Vec<GroupIx>,
}

/// How an aggregate saves and what it reads before deciding.
#[derive(Clone, Debug, Default)]
pub(crate) struct AggregatePlan {
    /// Publishes through a transactional outbox.
    pub outbox: bool,
    /// Saves its state (not events): a crash between save and publish loses the event.
    pub state_store: bool,
    /// Read models it reads before deciding.
    pub reads: Vec<Edge>,
}

/// How an external system answers calls.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SystemPlan {
    /// Time a call takes (ms).
    pub latency_ms: u64,
    /// Share of calls that succeed.
    pub availability: f64,
}

/// A board compiled onto broker words.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Topics, in creation order.
    pub topics: Vec<TopicPlan>,
    /// Consumer groups, in board order of their notes.
    pub groups: Vec<GroupPlan>,
    /// Sources of commands, in board order.
    pub sources: Vec<SourcePlan>,
    /// Problems found while compiling (errors stop a run; warnings do not).
    pub diagnostics: Vec<Diagnostic>,
    /// Per note: its id.
    pub(crate) ids: Vec<NoteId>,
    /// Per note: its kind.
    pub(crate) kinds: Vec<NoteKind>,
    /// Per note: its frame (bounded context), if any.
    pub(crate) frames: Vec<Option<String>>,
    /// Per note: what running it does, for commands.
    pub(crate) commands: Vec<Option<CommandPlan>>,
    /// Per note: where it goes, for events.
    pub(crate) events: Vec<Option<EventPlan>>,
    /// Per note: how it saves, for aggregates.
    pub(crate) aggregates: Vec<Option<AggregatePlan>>,
    /// Per note: how it answers, for external systems.
    pub(crate) systems: Vec<Option<SystemPlan>>,
    /// Per note: its consumer group, for consuming notes.
    pub(crate) group_of: Vec<Option<GroupIx>>,
    /// Per note: true when it compensates failures (`compensates`).
    pub(crate) compensates: Vec<bool>,
    /// Per note: true when readers wait for their own write (`version_token`).
    pub(crate) version_token: Vec<bool>,
    /// Per note: true when the view pushes a reader's write to it once applied (`push`).
    pub(crate) push: Vec<bool>,
    /// Per note: true when the writer keeps the view from its own events (`listen_to_yourself`).
    pub(crate) listens: Vec<bool>,
}

impl Plan {
    /// The group compiled for a consuming note.
    pub fn group_of(&self, note: &NoteId) -> Option<&GroupPlan> {
        let g = self.group_ix(self.ix(note)?)?;
        self.groups.get(g.index())
    }

    /// The events a command publishes, by id: (when all goes well, when it fails); `None` when
    /// `command` is not a command on the board.
    pub fn command_events(&self, command: &NoteId) -> Option<(Option<&NoteId>, Option<&NoteId>)> {
        let c = self.commands.get(self.ix(command)?.index())?.as_ref()?;
        let id = |e: Option<Edge>| e.map(|e| self.id(e.note));
        Some((id(c.success), id(c.failure)))
    }

    /// The topic with this board name.
    pub fn topic(&self, name: &str) -> Option<&TopicPlan> {
        self.topics.iter().find(|t| t.name == name)
    }

    /// The position of a note.
    pub(crate) fn ix(&self, note: &NoteId) -> Option<NoteIx> {
        self.ids
            .iter()
            .position(|n| n == note)
            .map(|i| NoteIx(i as u32))
    }

    /// The group of the note at a position, if it consumes.
    pub(crate) fn group_ix(&self, note: NoteIx) -> Option<GroupIx> {
        self.group_of.get(note.index()).copied().flatten()
    }

    /// The id of the note at a position.
    pub fn id(&self, note: NoteIx) -> &NoteId {
        &self.ids[note.index()]
    }

    /// The plan of a group.
    pub(crate) fn group(&self, g: GroupIx) -> &GroupPlan {
        &self.groups[g.index()]
    }

    /// The plan of a source.
    pub(crate) fn source(&self, s: SourceIx) -> &SourcePlan {
        &self.sources[s.index()]
    }

    /// The plan of a topic.
    pub(crate) fn topic_at(&self, t: TopicIx) -> &TopicPlan {
        &self.topics[t.index()]
    }

    /// The plan of an event note.
    pub(crate) fn event(&self, note: NoteIx) -> Option<&EventPlan> {
        self.events[note.index()].as_ref()
    }

    /// The events published on a topic, in board order.
    pub(crate) fn events_on(&self, topic: TopicIx) -> impl Iterator<Item = NoteIx> + '_ {
        self.events
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.as_ref().is_some_and(|e| e.topic == topic))
            .map(|(i, _)| NoteIx(i as u32))
    }

    /// The frame (bounded context) of a note, if it has one.
    pub(crate) fn frame(&self, note: NoteIx) -> Option<&str> {
        self.frames.get(note.index())?.as_deref()
    }

    /// True if no error stops a run.
    pub fn runnable(&self) -> bool {
        self.diagnostics.iter().all(|d| !d.is_error())
    }
}

/// A name the broker accepts: letters, digits, `.`, `_`, `-`, at most [`MAX_BROKER_NAME`]
/// bytes, made distinct with a `-n` suffix. Distinct means as Kafka compares topic names:
/// `orders.v1` and `orders_v1` collide, so the second becomes `orders_v1-2`.
fn broker_name(name: &str, used: &mut HashSet<String>) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(MAX_BROKER_NAME)
        .collect();
    if s.is_empty() || s == "." || s == ".." {
        s = format!("t{s}");
    }
    let mut candidate = s.clone();
    let mut n = 1;
    while !used.insert(candidate.replace('.', "_")) {
        n += 1;
        candidate = format!("{s}-{n}");
    }
    candidate
}

/// Compiles a board; never panics, whatever the board.
pub fn compile(board: &Board) -> Plan {
    let ix = BoardIndex::new(board);
    let n = board.notes.len();
    let mut diagnostics = Vec::new();
    let (topics, mut events) = topics_and_events(&ix);
    let (groups, group_of) = notes::groups(&ix, &mut events, &mut diagnostics);
    let sources = notes::sources(&ix, &mut diagnostics);
    let mut commands: Vec<Option<CommandPlan>> = vec![None; n];
    let mut aggregates: Vec<Option<AggregatePlan>> = vec![None; n];
    let mut systems: Vec<Option<SystemPlan>> = vec![None; n];
    for i in ix.notes() {
        match ix.kind(i) {
            NoteKind::Aggregate => aggregates[i.index()] = Some(notes::aggregate(&ix, i)),
            NoteKind::ExternalSystem => systems[i.index()] = Some(notes::system(&ix, i)),
            NoteKind::Command => {
                commands[i.index()] = Some(notes::command(&ix, i, &mut diagnostics))
            }
            _ => {}
        }
    }
    let flags = |name: &str| {
        board
            .notes
            .iter()
            .map(|n| n.props.flag(name, false))
            .collect()
    };
    Plan {
        topics,
        groups,
        sources,
        diagnostics,
        ids: board.notes.iter().map(|n| n.id.clone()).collect(),
        kinds: board.notes.iter().map(|n| n.kind).collect(),
        frames: board
            .notes
            .iter()
            .map(|n| n.frame.as_ref().map(|f| f.0.clone()))
            .collect(),
        commands,
        events,
        aggregates,
        systems,
        group_of,
        compensates: flags("compensates"),
        version_token: flags("version_token"),
        push: flags("push"),
        listens: flags("listen_to_yourself"),
    }
}

/// The topics (routes of events in board order, then declared topics) and each event's plan.
fn topics_and_events(ix: &BoardIndex) -> (Vec<TopicPlan>, Vec<Option<EventPlan>>) {
    let board = ix.board();
    let mut topics: Vec<TopicPlan> = Vec::new();
    let mut used = HashSet::default();
    let mut topic_ix: HashMap<String, TopicIx> = HashMap::default();
    let mut add_topic = |name: &str, partitions: u32, topics: &mut Vec<TopicPlan>| -> TopicIx {
        if let Some(&t) = topic_ix.get(name) {
            return t;
        }
        let declared = board.topic(name);
        topics.push(TopicPlan {
            name: name.to_string(),
            broker_name: broker_name(name, &mut used),
            partitions: declared
                .map_or(partitions, |t| t.partitions)
                .clamp(1, MAX_PARTITIONS),
            key: declared.and_then(|t| t.key.clone()),
            retention_ms: declared.and_then(|t| t.retention_ms),
        });
        let t = TopicIx::at(topics.len() - 1);
        topic_ix.insert(name.to_string(), t);
        t
    };
    let mut events: Vec<Option<EventPlan>> = vec![None; board.notes.len()];
    for e in ix.notes() {
        let Some(route) = ix.route(e) else {
            continue;
        };
        let topic = add_topic(&route.topic, route.partitions, &mut topics);
        let id_field = route
            .aggregate
            .map(|a| crate::model::index::id_field(ix.note(a)));
        let by_entity = match (&route.key, id_field) {
            (Some(k), Some(f)) => k == f,
            (Some(_), None) => true,
            (None, _) => false,
        };
        events[e.index()] = Some(EventPlan {
            topic,
            keyed: route.key.is_some(),
            by_entity,
            failure: ix.note(e).props.flag("failure", false),
            subscribers: Vec::new(),
        });
    }
    for t in &board.topics {
        add_topic(&t.name, t.partitions, &mut topics);
    }
    (topics, events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broker_names_are_valid_and_distinct() {
        let mut used = HashSet::default();
        assert_eq!(broker_name("my topic", &mut used), "my_topic");
        assert_eq!(broker_name("my_topic", &mut used), "my_topic-2");
        // Regression: names that differ only by '.' and '_' collide in Kafka, and a board topic
        // named like a generated suffix took that very name.
        assert_eq!(broker_name("my.topic", &mut used), "my.topic-3");
        assert_eq!(broker_name("my_topic-2", &mut used), "my_topic-2-2");
        assert_eq!(broker_name("", &mut used), "t");
        assert!(crate::broker::types::validate_name(&broker_name("é/ü", &mut used)).is_ok());
    }

    #[test]
    fn the_boards_partition_limit_fits_the_broker() {
        // Checked when the test compiles: a board may never ask the broker for more.
        const { assert!(MAX_PARTITIONS <= crate::broker::cluster::MAX_PARTITIONS) };
    }
}
