//! Publishing: an event message appended to its topic, keyed as its route says, and tracked
//! (offsets, traffic per partition, failure events).

use super::{
    record::{Entry, Place},
    PublishedFailure, Run,
};
use crate::{
    broker::Produce,
    exec::{ix::NoteIx, ExecEventKind, MessageId},
};

/// An event keyed by something else than its entity draws its key from this many keys per
/// entity…
const UNRELATED_KEYS_PER_ENTITY: u64 = 4;
/// …and from at least this many keys.
const MIN_UNRELATED_KEYS: u64 = 100;

impl Run {
    /// Publishes an event message on its topic.
    pub(super) fn produce(&mut self, event: NoteIx, msg: MessageId) {
        let Some(ep) = self.plan.event(event) else {
            return;
        };
        let (t, keyed, by_entity, failure) = (ep.topic, ep.keyed, ep.by_entity, ep.failure);
        let m = self.msg(msg);
        let key = if !keyed {
            None
        } else if by_entity {
            Some(self.key(m.entity))
        } else {
            let keys = m
                .entity
                .max(1)
                .saturating_mul(UNRELATED_KEYS_PER_ENTITY)
                .max(MIN_UNRELATED_KEYS);
            let e = self.rng.below(keys);
            Some(self.key(e))
        };
        let corr = m.corr.0.to_string();
        let cause = m.cause.map(|c| c.0.to_string()).unwrap_or_default();
        let headers = [
            ("correlation-id", corr.as_str()),
            ("causation-id", cause.as_str()),
        ];
        let value = msg.0.to_le_bytes();
        let name = &self.plan.topic_at(t).broker_name;
        let mut p = Produce::new(name, &value).headers(&headers);
        if let Some(k) = key.as_deref() {
            p = p.key(k);
        }
        let Ok(meta) = self.cluster.produce(p, self.now) else {
            self.counters[event.index()].failed += 1;
            return;
        };
        let part = meta.partition as usize;
        if let Some(slot) = self.offsets[t.index()].get_mut(part) {
            let o = meta.offset as usize;
            while slot.len() < o {
                slot.push(None);
            }
            slot.push(Some(msg));
        }
        if let Some(c) = self.traffic[t.index()].get_mut(part) {
            *c += 1;
        }
        self.counters[event.index()].handled += 1;
        if failure {
            self.failure_events.push(PublishedFailure {
                at: self.now,
                message: msg,
            });
        }
        let place = Place {
            topic: t,
            partition: meta.partition,
            offset: meta.offset,
        };
        self.log(
            Entry::at(ExecEventKind::EventPublished, event)
                .link(m.origin, Some(event))
                .msg(Some(msg))
                .place(Some(place)),
        );
    }
}
