//! A topic's partitions as logs: their records oldest to most recent with offset, key, event
//! and time; log start and end; and every consumer group's committed offset and position on
//! each, at the moment the run stands at.

use super::Run;
use crate::{
    exec::{payload::Payload, MessageId},
    model::NoteId,
};

/// A record of a partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRecord {
    /// Its offset.
    pub offset: u64,
    /// The run's message (none for a record the run did not make).
    pub message: Option<MessageId>,
    /// Its key (the entity).
    pub entity: Option<u64>,
    /// The event note.
    pub event: Option<NoteId>,
    /// When it was published (ms).
    pub at: u64,
    /// What it carries (none for a record the run did not make).
    pub payload: Option<Payload>,
}

/// Where a consumer group stands on a partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// The consuming note.
    pub note: NoteId,
    /// The offset the group committed (the next it will read after a restart).
    pub committed: Option<u64>,
    /// The position of the instance reading the partition (the next it fetches).
    pub position: Option<u64>,
}

/// One partition of a topic as a log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionLog {
    /// The partition.
    pub partition: u32,
    /// The first offset still kept (retention moves it).
    pub log_start: u64,
    /// The offset the next record will get.
    pub log_end: u64,
    /// The latest records (at most the number asked for), oldest first.
    pub records: Vec<LogRecord>,
    /// The groups reading the partition.
    pub cursors: Vec<Cursor>,
}

impl Run {
    /// The partitions of a board topic as logs, each with its latest `last` records (none if
    /// the run has no such topic).
    pub fn partition_logs(&self, topic: &str, last: usize) -> Vec<PartitionLog> {
        let Some(t) = self.plan.topics.iter().position(|x| x.name == topic) else {
            return Vec::new();
        };
        let broker = &self.plan.topics[t].broker_name;
        let Some(parts) = self.offsets.get(t) else {
            return Vec::new();
        };
        let folds = self.folds();
        (0..parts.len())
            .map(|p| {
                let partition = p as u32;
                let log_start = self
                    .cluster
                    .log_start_offset(broker, partition)
                    .unwrap_or(0);
                let log_end = self.cluster.log_end_offset(broker, partition).unwrap_or(0);
                let from = log_end.saturating_sub(last as u64).max(log_start);
                let offsets = &parts[p];
                let records = (from..log_end)
                    .map(|offset| {
                        let message = offsets.get(offset as usize).copied().flatten();
                        let m = message.map(|id| self.msg(id));
                        LogRecord {
                            offset,
                            message,
                            entity: m.map(|m| m.entity),
                            event: m.map(|m| self.plan.ids[m.note.index()].clone()),
                            at: m.map_or(0, |m| m.at),
                            payload: message.and_then(|id| self.payload_with(&folds, id)),
                        }
                    })
                    .collect();
                PartitionLog {
                    partition,
                    log_start,
                    log_end,
                    records,
                    cursors: self.cursors(t, broker, partition),
                }
            })
            .collect()
    }

    /// Every group that reads the plan's topic `t`: where it stands on one partition.
    fn cursors(&self, t: usize, broker: &str, partition: u32) -> Vec<Cursor> {
        self.plan
            .groups
            .iter()
            .filter(|g| {
                g.subscriptions.iter().any(|s| {
                    self.plan
                        .event(s.note)
                        .is_some_and(|e| e.topic.index() == t)
                })
            })
            .map(|g| {
                let committed = self
                    .cluster
                    .committed(&g.name, broker, partition)
                    .ok()
                    .flatten();
                let position = self
                    .cluster
                    .live_members(&g.name)
                    .unwrap_or_default()
                    .into_iter()
                    .find_map(|m| self.cluster.position(m, broker, partition).ok().flatten());
                Cursor {
                    note: g.note.clone(),
                    committed,
                    position,
                }
            })
            .collect()
    }
}
