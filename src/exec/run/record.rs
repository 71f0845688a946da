//! What the run records as it goes: the event log and its hash, token hops, signs of hazards,
//! and the messages themselves.

use super::{Msg, Run};
use crate::{
    exec::{
        ix::{LinkIx, NoteIx, TopicIx},
        ExecEvent, ExecEventKind, Hop, MessageId, Sign, SignKind,
    },
    model::NoteId,
};

/// How a missing note is hashed (all ones: the trace hash stays what it always was).
const NO_NOTE_HASH: u32 = u32::MAX;
/// How a missing message is hashed.
const NO_MESSAGE_HASH: u64 = u64::MAX;

/// Mixes a value into a hash (SplitMix64's finaliser).
pub(crate) fn mix(h: u64, v: u64) -> u64 {
    let mut z = (h ^ v).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The number each kind of log entry is hashed as.
fn tag(kind: &ExecEventKind) -> u64 {
    match kind {
        ExecEventKind::CommandIssued => 1,
        ExecEventKind::CommandHandled => 2,
        ExecEventKind::CommandRejected { .. } => 3,
        ExecEventKind::CallFailed { .. } => 4,
        ExecEventKind::EventPublished => 5,
        ExecEventKind::EventLost => 6,
        ExecEventKind::Delivered { .. } => 7,
        ExecEventKind::Processed => 8,
        ExecEventKind::ProcessingFailed => 9,
        ExecEventKind::DuplicateApplied => 10,
        ExecEventKind::OutOfOrder { .. } => 11,
        ExecEventKind::Read { .. } => 12,
        ExecEventKind::LostOnCrash => 13,
        ExecEventKind::LoopCut { .. } => 14,
        ExecEventKind::DeadLettered => 15,
        ExecEventKind::Fault { .. } => 16,
        ExecEventKind::Rebalanced { .. } => 17,
    }
}

/// Where a message sits on a topic of the plan.
#[derive(Clone, Copy, Debug)]
pub(super) struct Place {
    /// The plan's topic.
    pub topic: TopicIx,
    /// Partition.
    pub partition: u32,
    /// Offset.
    pub offset: u64,
}

/// One entry for the event log, built up before it is logged.
pub(super) struct Entry {
    kind: ExecEventKind,
    note: Option<NoteIx>,
    from: Option<NoteIx>,
    to: Option<NoteIx>,
    msg: Option<MessageId>,
    place: Option<Place>,
}

impl Entry {
    /// Something that happened at a note (none for board-wide faults).
    pub fn new(kind: ExecEventKind, note: Option<NoteIx>) -> Entry {
        Entry {
            kind,
            note,
            from: None,
            to: None,
            msg: None,
            place: None,
        }
    }

    /// Something that happened at a note.
    pub fn at(kind: ExecEventKind, note: NoteIx) -> Entry {
        Entry::new(kind, Some(note))
    }

    /// For a token moving along a link: where it comes from and goes.
    pub fn link(mut self, from: Option<NoteIx>, to: Option<NoteIx>) -> Entry {
        self.from = from;
        self.to = to;
        self
    }

    /// The message concerned.
    pub fn msg(mut self, msg: Option<MessageId>) -> Entry {
        self.msg = msg;
        self
    }

    /// Where the message sits on its topic.
    pub fn place(mut self, place: Option<Place>) -> Entry {
        self.place = place;
        self
    }
}

impl Run {
    /// Hashes an entry and, when `record_events`, adds it to the event log.
    pub(super) fn log(&mut self, entry: Entry) {
        let note = u64::from(entry.note.map_or(NO_NOTE_HASH, |n| n.0));
        let msg = entry.msg.map_or(NO_MESSAGE_HASH, |m| m.0);
        self.hash = mix(
            mix(mix(self.hash, self.now), tag(&entry.kind)),
            (note << u32::BITS) ^ msg,
        );
        if !self.config.record_events {
            return;
        }
        let id = |i: Option<NoteIx>| i.and_then(|i| self.plan.ids.get(i.index()).cloned());
        let m = entry.msg.and_then(|m| self.msgs.get(m.0 as usize));
        self.events.push(ExecEvent {
            at: self.now,
            kind: entry.kind,
            note: id(entry.note).unwrap_or_else(|| NoteId(String::new())),
            from_note: id(entry.from),
            to_note: id(entry.to),
            message: m.and(entry.msg),
            correlation: m.map(|m| m.corr),
            topic: entry
                .place
                .map(|p| self.plan.topic_at(p.topic).name.clone()),
            partition: entry.place.map(|p| p.partition),
            offset: entry.place.map(|p| p.offset),
        });
    }

    /// Records a token moving along a link from `start` to `end` (when `record_events`).
    pub(super) fn hop(&mut self, link: LinkIx, msg: MessageId, start: u64, end: u64) {
        if !self.config.record_events {
            return;
        }
        let Some(l) = self.board.links.get(link.index()) else {
            return;
        };
        self.longest_hop = self.longest_hop.max(end - start);
        let hop = Hop {
            link: l.id.clone(),
            from: l.from.clone(),
            to: l.to.clone(),
            message: msg,
            start,
            end,
        };
        // Hops are recorded when they start, except consumer hops recorded on delivery: keep
        // the list sorted by start.
        let pos = self.hops.partition_point(|h| h.start <= start);
        self.hops.insert(pos, hop);
    }

    /// Tallies a sign at some notes: one more time seen, worst measure kept.
    pub(super) fn sign(
        &mut self,
        kind: SignKind,
        notes: Vec<NoteIx>,
        worst: u64,
        example: Option<MessageId>,
    ) {
        let now = self.now;
        let ids: Vec<NoteId> = notes
            .iter()
            .filter_map(|&i| self.plan.ids.get(i.index()).cloned())
            .collect();
        let s = self.signs.entry((kind, notes)).or_insert(Sign {
            kind,
            notes: ids,
            count: 0,
            first_at: now,
            worst: 0,
            example,
        });
        s.count += 1;
        s.worst = s.worst.max(worst);
    }

    /// The record key of an entity.
    pub(super) fn key(&self, entity: u64) -> String {
        entity.to_string()
    }

    /// The id the next message will get.
    pub(super) fn next_msg(&self) -> MessageId {
        MessageId(self.msgs.len() as u64)
    }

    /// Keeps a message; returns its id.
    pub(super) fn new_msg(&mut self, msg: Msg) -> MessageId {
        let id = self.next_msg();
        self.msgs.push(msg);
        id
    }

    /// A new event that starts a flow of its own now (no cause; it is its own correlation),
    /// published by `origin` when a note published it.
    pub(super) fn new_flow_event(
        &mut self,
        note: NoteIx,
        origin: Option<NoteIx>,
        entity: u64,
    ) -> MessageId {
        self.new_msg(Msg {
            event: true,
            note,
            origin,
            entity,
            corr: self.next_msg(),
            cause: None,
            at: self.now,
            agg: None,
            version: 0,
            from_source: false,
        })
    }

    /// The message with an id.
    pub(super) fn msg(&self, id: MessageId) -> Msg {
        self.msgs[id.0 as usize]
    }
}
