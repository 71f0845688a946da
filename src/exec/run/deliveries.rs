//! Deliveries one at a time: the next record handed to a consumer after a point of the event
//! log, for stepping a run event by event ("Next event"), told with the board's names.

use super::{Run, Timeline};
use crate::{
    exec::{ExecEventKind, MessageId},
    model::{Board, NoteId},
};

/// One record handed to a consumer, with everything a caption needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    /// Its position in the event log.
    pub log_index: usize,
    /// When it was delivered (ms).
    pub at: u64,
    /// The event's message.
    pub message: MessageId,
    /// The event note.
    pub event: NoteId,
    /// The entity (key) the event is about.
    pub entity: u64,
    /// The topic (board name) it was read from.
    pub topic: String,
    /// Its partition.
    pub partition: u32,
    /// Its offset.
    pub offset: u64,
    /// The consuming note.
    pub consumer: NoteId,
    /// The consumer group's `group` prop, when the board sets one (else the group is the note).
    pub group: Option<String>,
    /// The instance that got it (from 1) and how many the group has, when known.
    pub instance: Option<(usize, usize)>,
    /// Delivery attempt, from 1.
    pub attempt: u32,
}

/// How a step to the next delivery ended.
#[derive(Clone, Debug, PartialEq)]
pub enum NextDelivery {
    /// The run now stands at this delivery.
    Found(Delivery),
    /// None happens up to the limit asked for; the run stands at the limit.
    NoneBefore(u64),
    /// The work budget ran out first; call again to go on.
    NotYet,
}

impl Run {
    /// The first delivery recorded in the event log after position `after` (from the start
    /// when `None`): records handed to consumers, retries included.
    pub fn delivery_after(&self, after: Option<usize>) -> Option<Delivery> {
        let from = after.map_or(0, |i| i + 1);
        self.events
            .range(from..self.events.len())
            .enumerate()
            .find_map(|(k, e)| {
                let ExecEventKind::Delivered { attempt } = e.kind else {
                    return None;
                };
                let message = e.message?;
                let msg = self.msgs.get(message.0 as usize)?;
                let (topic, partition, offset) = (e.topic.clone()?, e.partition?, e.offset?);
                Some(Delivery {
                    log_index: from + k,
                    at: e.at,
                    message,
                    event: self.plan.id(msg.note).clone(),
                    entity: msg.entity,
                    instance: self.instance_reading(&e.note, &topic, partition),
                    group: self.explicit_group(&e.note),
                    consumer: e.note.clone(),
                    topic,
                    partition,
                    offset,
                    attempt,
                })
            })
    }

    /// The earliest moment something is due (a timer of the run or a broker action).
    fn next_due(&self) -> Option<u64> {
        let timer = self.timers.peek().map(|t| t.0.at);
        match (timer, self.cluster.next_time()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Which instance of a consumer's group (from 1, of how many) holds a partition now.
    fn instance_reading(
        &self,
        consumer: &NoteId,
        topic: &str,
        partition: u32,
    ) -> Option<(usize, usize)> {
        let instances = self.instances(consumer);
        let k = instances.iter().position(|i| {
            i.alive
                && i.partitions
                    .iter()
                    .any(|p| p.topic == topic && p.partition == partition)
        })?;
        Some((k + 1, instances.len()))
    }

    /// The `group` prop of a consuming note, when it is set to something else than the note.
    fn explicit_group(&self, consumer: &NoteId) -> Option<String> {
        let g = self.plan.group_of(consumer)?;
        (g.props.group != consumer.0).then(|| g.props.group.clone())
    }
}

impl Timeline {
    /// Plays the run forward to the first delivery after event-log position `after` (from the
    /// start when `None`), stopping at its moment; no further than `limit` (ms) and doing at
    /// most `budget` units of work. The same run and position always give the same delivery.
    pub fn next_delivery(&mut self, after: Option<usize>, limit: u64, budget: u64) -> NextDelivery {
        let mut done = 0;
        loop {
            if let Some(d) = self.run().delivery_after(after) {
                if d.at <= limit {
                    // Stand exactly at its moment (a step may have gone past it).
                    if self.run().now() != d.at {
                        self.seek(d.at);
                    }
                    return NextDelivery::Found(self.run().delivery_after(after).unwrap_or(d));
                }
            }
            let now = self.run().now();
            if now >= limit {
                return NextDelivery::NoneBefore(limit);
            }
            if done >= budget {
                return NextDelivery::NotYet;
            }
            let next = self
                .run()
                .next_due()
                .map_or(limit, |t| t.max(now + 1))
                .min(limit);
            let step = self.seek_within(next, budget - done);
            done += step.work.max(1);
        }
    }
}

/// A topic's name as people know it: a declared topic by its name, the topic an aggregate's
/// events go to by default (named after the aggregate's id) by the aggregate's text.
pub fn topic_label(board: &Board, topic: &str) -> String {
    if board.topic(topic).is_some() {
        return topic.to_string();
    }
    board
        .note(&NoteId(topic.to_string()))
        .map_or_else(|| topic.to_string(), |n| n.text.clone())
}

/// A partition of a topic as people say it: "orders p2".
pub fn partition_label(board: &Board, topic: &str, partition: u32) -> String {
    format!("{} p{partition}", topic_label(board, topic))
}

/// The text of a note, or its id if the board has no such note.
fn note_name(board: &Board, id: &NoteId) -> String {
    board
        .note(id)
        .map_or_else(|| id.0.clone(), |n| n.text.clone())
}

impl Delivery {
    /// What happened, in the board's names: "Order placed #17 → orders p2 @ offset 41 →
    /// Reserve stock (group inventory, instance 2 of 3)".
    pub fn caption(&self, board: &Board) -> String {
        let mut whom = Vec::new();
        if let Some(g) = &self.group {
            whom.push(format!("group {g}"));
        }
        if let Some((k, n)) = self.instance {
            whom.push(format!("instance {k} of {n}"));
        }
        if self.attempt > 1 {
            whom.push(format!("attempt {}", self.attempt));
        }
        let whom = if whom.is_empty() {
            String::new()
        } else {
            format!(" ({})", whom.join(", "))
        };
        format!(
            "{} #{} → {} @ offset {} → {}{whom}",
            note_name(board, &self.event),
            self.entity,
            partition_label(board, &self.topic, self.partition),
            self.offset,
            note_name(board, &self.consumer),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        exec::RunConfig,
        model::{sample::sample, Topic},
    };

    #[test]
    fn next_delivery_stops_at_each_record_handed_to_a_consumer_in_turn() {
        let mut board = super::super::tokens::tests::teller_board();
        board.topics.push(Topic {
            name: "accounts".into(),
            partitions: 2,
            key: None,
            retention_ms: None,
        });
        if let Some(n) = board.note_mut(&NoteId("funds-deposited".into())) {
            n.props.insert("topic".into(), "accounts".into());
        }
        let mut t = Timeline::new(&board, RunConfig::default()).unwrap();
        let NextDelivery::Found(first) = t.next_delivery(None, 10_000, u64::MAX) else {
            panic!("a delivery within 10 s");
        };
        assert_eq!(t.run().now(), first.at, "the run stands at the delivery");
        assert_eq!(first.event.0, "funds-deposited");
        assert_eq!(first.consumer.0, "account-balance");
        assert_eq!((first.topic.as_str(), first.offset), ("accounts", 0));
        assert_eq!(first.instance, Some((1, 1)));
        assert_eq!(
            first.caption(&board),
            format!(
                "Funds deposited #{} → accounts p{} @ offset 0 → Account balance (instance 1 of 1)",
                first.entity, first.partition
            )
        );
        let NextDelivery::Found(second) = t.next_delivery(Some(first.log_index), 10_000, u64::MAX)
        else {
            panic!("a second delivery");
        };
        assert!(second.log_index > first.log_index && second.at >= first.at);
        assert!(second.message != first.message);
        // Deterministic: a fresh timeline finds the same two.
        let mut again = Timeline::new(&board, RunConfig::default()).unwrap();
        assert_eq!(
            again.next_delivery(None, 10_000, u64::MAX),
            NextDelivery::Found(first)
        );
        // Nothing before a limit that is too early; a small budget asks to be called again.
        let mut early = Timeline::new(&board, RunConfig::default()).unwrap();
        assert_eq!(
            early.next_delivery(None, 0, u64::MAX),
            NextDelivery::NoneBefore(0)
        );
        let mut slow = Timeline::new(&board, RunConfig::default()).unwrap();
        assert_eq!(slow.next_delivery(None, 10_000, 1), NextDelivery::NotYet);
    }

    #[test]
    fn captions_use_names_never_ids() {
        let board = sample();
        let mut t = Timeline::new(&board, RunConfig::for_board(&board)).unwrap();
        let mut after = None;
        for _ in 0..20 {
            let NextDelivery::Found(d) = t.next_delivery(after, 20_000, u64::MAX) else {
                panic!("deliveries on the sample");
            };
            let caption = d.caption(&board);
            let consumer = board.note(&d.consumer).unwrap();
            assert!(caption.contains(&consumer.text), "{caption}");
            assert!(
                !caption.contains(&format!("{} ", d.consumer.0)) || consumer.text == d.consumer.0,
                "{caption}"
            );
            assert!(
                caption.contains(&format!("p{} @ offset {}", d.partition, d.offset)),
                "{caption}"
            );
            after = Some(d.log_index);
        }
        assert_eq!(topic_label(&board, "orders"), "orders");
        assert_eq!(
            topic_label(&board, "order"),
            "Order",
            "an aggregate's topic by its name"
        );
        assert_eq!(partition_label(&board, "orders", 2), "orders p2");
    }
}
