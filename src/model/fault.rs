//! Faults a run can be put through: made live from the Run tab, scheduled by the board's
//! scenario at set times, or made by a storyline's step. Version 2 of the file format saves them.

use super::NoteId;
use serde::{ser::SerializeMap, Serialize, Serializer};

/// A fault injected into a run (written `{"fault": name, fields…}`, see [`Fault::write_fields`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// A consumer instance dies; it keeps its partitions until its session times out, then a
    /// rebalance hands them over. With `restart_after_ms` a new instance joins later.
    CrashConsumer {
        /// The consuming note.
        note: NoteId,
        /// Index among the running instances (order of joining, from 0).
        instance: u32,
        /// Restart delay, if it comes back.
        restart_after_ms: Option<u64>,
    },
    /// A new instance joins the consumer's group (a restart).
    RestartConsumer {
        /// The consuming note.
        note: NoteId,
    },
    /// An instance processes every later message `extra_ms` slower.
    SlowConsumer {
        /// The consuming note.
        note: NoteId,
        /// Index among the running instances.
        instance: u32,
        /// Added time per message.
        extra_ms: u64,
    },
    /// An external system stops answering (availability 0), for a while or until `SystemUp`.
    SystemDown {
        /// The external system.
        note: NoteId,
        /// How long, if it comes back by itself.
        for_ms: Option<u64>,
    },
    /// An external system answers every call `extra_ms` later, for a while or until `SystemUp`.
    SlowSystem {
        /// The external system.
        note: NoteId,
        /// Added time per call.
        extra_ms: u64,
        /// How long, if it recovers by itself.
        for_ms: Option<u64>,
    },
    /// An external system answers again, at its usual speed.
    SystemUp {
        /// The external system.
        note: NoteId,
    },
    /// The aggregate crashes between saving and publishing on its next command.
    CrashAggregate {
        /// The aggregate.
        note: NoteId,
    },
    /// A message that fails every processing attempt is published on the consumer's topic.
    Poison {
        /// The consuming note.
        note: NoteId,
    },
    /// Partitions are added to a topic (keys move; groups rebalance).
    AddPartitions {
        /// Topic name on the board.
        topic: String,
        /// New partition count.
        total: u32,
    },
    /// A consumer group's offsets move on every partition it reads (as `kafka-consumer-groups
    /// --reset-offsets` does): records are read again, or skipped.
    ResetOffsets {
        /// The consuming note.
        note: NoteId,
        /// Where to.
        to: ResetTo,
    },
    /// A read model is emptied and filled again from the start of its topics.
    RebuildView {
        /// The read model.
        note: NoteId,
    },
    /// A consumer that was not running starts: its group joins the running broker and reads
    /// from where its `start` prop says (the earliest offset unless `latest`).
    StartConsumer {
        /// The consuming note.
        note: NoteId,
    },
}

/// Where a group's offsets are reset to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetTo {
    /// The start of each partition's log (a replay).
    Earliest,
    /// The end of each partition's log (what is there is skipped).
    Latest,
    /// The same offset on each partition (out of range: the log's start or end).
    Offset(u64),
    /// The first record at or after a moment of the run (ms).
    Time(u64),
}

impl ResetTo {
    /// Its name in the file (`"to": …`).
    pub fn name(self) -> &'static str {
        match self {
            ResetTo::Earliest => "earliest",
            ResetTo::Latest => "latest",
            ResetTo::Offset(_) => "offset",
            ResetTo::Time(_) => "time",
        }
    }

    /// Where to, in words: "the earliest offset", "the offset 40", "the time 12.0 s".
    pub fn describe(self) -> String {
        match self {
            ResetTo::Earliest => "the earliest offset".into(),
            ResetTo::Latest => "the latest offset".into(),
            ResetTo::Offset(o) => format!("the offset {o}"),
            ResetTo::Time(t) => format!("the time {:.1} s", t as f64 / 1000.0),
        }
    }
}

/// A fault the scenario makes at a set time of every run, so a demo is the same each time
/// (written `{"at_ms": …, "fault": name, fields…}`).
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduledFault {
    /// When (ms of simulated time).
    pub at_ms: u64,
    /// What.
    pub fault: Fault,
}

impl Serialize for ScheduledFault {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("at_ms", &self.at_ms)?;
        self.fault.write_fields(&mut map)?;
        map.end()
    }
}

impl Serialize for Fault {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        self.write_fields(&mut map)?;
        map.end()
    }
}

impl Fault {
    /// Writes `"fault": name` and the fault's fields (those that are set) into a map being
    /// written: a scheduled fault and a step's action put their own fields beside them.
    pub fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("fault", self.name())?;
        if let Some(note) = self.note() {
            map.serialize_entry("note", note)?;
        }
        let (instance, ms): (Option<u32>, [(&str, Option<u64>); 2]) = match self {
            Fault::CrashConsumer {
                instance,
                restart_after_ms,
                ..
            } => (
                Some(*instance),
                [("restart_after_ms", *restart_after_ms), ("", None)],
            ),
            Fault::SlowConsumer {
                instance, extra_ms, ..
            } => (Some(*instance), [("extra_ms", Some(*extra_ms)), ("", None)]),
            Fault::SystemDown { for_ms, .. } => (None, [("for_ms", *for_ms), ("", None)]),
            Fault::SlowSystem {
                extra_ms, for_ms, ..
            } => (None, [("extra_ms", Some(*extra_ms)), ("for_ms", *for_ms)]),
            Fault::AddPartitions { topic, total } => {
                map.serialize_entry("topic", topic)?;
                map.serialize_entry("total", total)?;
                (None, [("", None), ("", None)])
            }
            Fault::ResetOffsets { to, .. } => {
                map.serialize_entry("to", to.name())?;
                match to {
                    ResetTo::Offset(o) => (None, [("offset", Some(*o)), ("", None)]),
                    ResetTo::Time(t) => (None, [("time_ms", Some(*t)), ("", None)]),
                    _ => (None, [("", None), ("", None)]),
                }
            }
            _ => (None, [("", None), ("", None)]),
        };
        if let Some(i) = instance {
            map.serialize_entry("instance", &i)?;
        }
        for (name, value) in ms {
            if let Some(v) = value {
                map.serialize_entry(name, &v)?;
            }
        }
        Ok(())
    }

    /// The note the fault is made on (none for a topic's partitions).
    pub fn note(&self) -> Option<&NoteId> {
        match self {
            Fault::CrashConsumer { note, .. }
            | Fault::RestartConsumer { note }
            | Fault::SlowConsumer { note, .. }
            | Fault::SystemDown { note, .. }
            | Fault::SlowSystem { note, .. }
            | Fault::SystemUp { note }
            | Fault::CrashAggregate { note }
            | Fault::Poison { note }
            | Fault::ResetOffsets { note, .. }
            | Fault::RebuildView { note }
            | Fault::StartConsumer { note } => Some(note),
            Fault::AddPartitions { .. } => None,
        }
    }

    /// The fault's name in the file (`"fault": …`).
    pub fn name(&self) -> &'static str {
        match self {
            Fault::CrashConsumer { .. } => "crash_consumer",
            Fault::RestartConsumer { .. } => "restart_consumer",
            Fault::SlowConsumer { .. } => "slow_consumer",
            Fault::SystemDown { .. } => "system_down",
            Fault::SlowSystem { .. } => "slow_system",
            Fault::SystemUp { .. } => "system_up",
            Fault::CrashAggregate { .. } => "crash_aggregate",
            Fault::Poison { .. } => "poison",
            Fault::AddPartitions { .. } => "add_partitions",
            Fault::ResetOffsets { .. } => "reset_offsets",
            Fault::RebuildView { .. } => "rebuild_view",
            Fault::StartConsumer { .. } => "start_consumer",
        }
    }

    /// What the fault does, in a few words ("system down").
    pub fn words(&self) -> &'static str {
        match self {
            Fault::CrashConsumer { .. } => "instance crashed",
            Fault::RestartConsumer { .. } => "instance added",
            Fault::SlowConsumer { .. } => "slowed down",
            Fault::SystemDown { .. } => "system down",
            Fault::SlowSystem { .. } => "system slowed down",
            Fault::SystemUp { .. } => "system back",
            Fault::CrashAggregate { .. } => "crash between save and publish",
            Fault::Poison { .. } => "poison message",
            Fault::AddPartitions { .. } => "partitions added",
            Fault::ResetOffsets { to, .. } => match to {
                ResetTo::Earliest => "offsets reset to earliest: replay",
                ResetTo::Latest => "offsets reset to latest: records skipped",
                ResetTo::Offset(_) => "offsets reset to an offset",
                ResetTo::Time(_) => "offsets reset to a time",
            },
            Fault::RebuildView { .. } => "view rebuilt from the start",
            Fault::StartConsumer { .. } => "joined the running broker",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reset_says_where_to() {
        assert_eq!(ResetTo::Offset(40).describe(), "the offset 40");
        assert_eq!(ResetTo::Time(12_340).describe(), "the time 12.3 s");
        assert_eq!(ResetTo::Earliest.describe(), "the earliest offset");
    }
}
