//! Self-checks over a trace, named as Jepsen's Kafka test names them.
//!
//! * lost-write: an acknowledged record a group never handled although it handled a later
//!   offset of the same partition (excused: skipped by a reset or seek, or deleted by
//!   retention before the group was ever handed it).
//! * duplicate: a record a group handled more than once (a deliberate rewind — a backward
//!   seek or reset — starts a new replay epoch and is not a duplicate).
//! * nonmonotonic-poll: a member is handed an offset at or below the previous one for the
//!   same partition without an assignment, revocation or seek in between.
//! * poll-skip: a member's consecutive offsets for a partition jump over a record it should
//!   have been handed (markers, aborted records and deleted records are legitimate gaps).

use super::trace::{TraceEntry, TraceEvent};
use super::types::{GroupId, MemberId, ProducerId, TopicId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Which anomaly was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AnomalyKind {
    /// Acknowledged record never consumed by a group that read past it.
    LostWrite,
    /// Record processed more than once by a group.
    Duplicate,
    /// A member's offsets went backwards (or repeated) within a partition.
    NonmonotonicPoll,
    /// A member's offsets skipped a deliverable record within a partition.
    PollSkip,
}

/// One anomaly with where it happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anomaly {
    /// Kind of anomaly.
    pub kind: AnomalyKind,
    /// Group concerned.
    pub group: GroupId,
    /// Member concerned (poll anomalies only).
    pub member: Option<MemberId>,
    /// Topic concerned.
    pub topic: TopicId,
    /// Partition concerned.
    pub partition: u32,
    /// The offending offset (the lost, duplicated, repeated or first skipped record).
    pub offset: u64,
    /// Index of the trace entry where it was detected (end of trace for lost writes).
    pub at_index: usize,
}

/// All anomalies found in a trace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    /// lost-write anomalies.
    pub lost_writes: Vec<Anomaly>,
    /// duplicate anomalies.
    pub duplicates: Vec<Anomaly>,
    /// nonmonotonic-poll anomalies.
    pub nonmonotonic_polls: Vec<Anomaly>,
    /// poll-skip anomalies.
    pub poll_skips: Vec<Anomaly>,
}

impl CheckReport {
    /// True when no anomaly was found.
    pub fn is_clean(&self) -> bool {
        self.lost_writes.is_empty()
            && self.duplicates.is_empty()
            && self.nonmonotonic_polls.is_empty()
            && self.poll_skips.is_empty()
    }
}

type Tp = (TopicId, u32);

/// Runs every check over a trace.
pub fn check_trace(trace: &[TraceEntry]) -> CheckReport {
    let mut report = CheckReport::default();
    let mut acked: BTreeSet<(Tp, u64)> = BTreeSet::new();
    let mut txn_pending: BTreeMap<ProducerId, Vec<(Tp, u64)>> = BTreeMap::new();
    let mut aborted: BTreeSet<(Tp, u64)> = BTreeSet::new();
    let mut markers: BTreeSet<(Tp, u64)> = BTreeSet::new();
    let mut floor: BTreeMap<Tp, u64> = BTreeMap::new();
    let mut retention: Vec<(usize, Tp, u64)> = Vec::new();
    let mut first_delivered: BTreeMap<(GroupId, Tp, u64), usize> = BTreeMap::new();
    let mut excused: BTreeMap<(GroupId, Tp), Vec<(u64, u64)>> = BTreeMap::new();
    let mut epoch: BTreeMap<(GroupId, Tp), u64> = BTreeMap::new();
    let mut handled: BTreeMap<(GroupId, Tp, u64), (u64, u32)> = BTreeMap::new();
    let mut handled_max: BTreeMap<(GroupId, Tp), u64> = BTreeMap::new();
    let mut last: BTreeMap<(MemberId, Tp), u64> = BTreeMap::new();

    for (i, entry) in trace.iter().enumerate() {
        match entry.event {
            TraceEvent::Produced {
                topic,
                partition,
                offset,
                producer,
                ..
            } => match producer {
                None => {
                    acked.insert(((topic, partition), offset));
                }
                Some(pid) => txn_pending
                    .entry(pid)
                    .or_default()
                    .push(((topic, partition), offset)),
            },
            TraceEvent::TxnMarker {
                topic,
                partition,
                offset,
                ..
            } => {
                markers.insert(((topic, partition), offset));
            }
            TraceEvent::TxnCommitted { producer } => {
                acked.extend(txn_pending.remove(&producer).unwrap_or_default())
            }
            TraceEvent::TxnAborted { producer } => {
                aborted.extend(txn_pending.remove(&producer).unwrap_or_default())
            }
            TraceEvent::LogStartMoved {
                topic,
                partition,
                log_start,
            } => {
                let f = floor.entry((topic, partition)).or_insert(0);
                *f = (*f).max(log_start);
                retention.push((i, (topic, partition), log_start));
            }
            TraceEvent::PositionReset {
                group,
                member,
                topic,
                partition,
                from,
                to,
                ..
            }
            | TraceEvent::Seek {
                group,
                member,
                topic,
                partition,
                from,
                to,
                ..
            } => {
                let tp = (topic, partition);
                last.remove(&(member, tp));
                if to > from {
                    excused.entry((group, tp)).or_default().push((from, to));
                } else if to < from {
                    *epoch.entry((group, tp)).or_insert(0) += 1;
                }
            }
            TraceEvent::Assigned {
                member,
                topic,
                partition,
                ..
            }
            | TraceEvent::Revoked {
                member,
                topic,
                partition,
                ..
            }
            | TraceEvent::Lost {
                member,
                topic,
                partition,
                ..
            } => {
                last.remove(&(member, (topic, partition)));
            }
            TraceEvent::Delivered {
                group,
                member,
                topic,
                partition,
                offset,
                ..
            } => {
                let tp = (topic, partition);
                first_delivered.entry((group, tp, offset)).or_insert(i);
                let anomaly = |kind, offset| Anomaly {
                    kind,
                    group,
                    member: Some(member),
                    topic,
                    partition,
                    offset,
                    at_index: i,
                };
                if let Some(prev) = last.get(&(member, tp)).copied() {
                    if offset <= prev {
                        report
                            .nonmonotonic_polls
                            .push(anomaly(AnomalyKind::NonmonotonicPoll, offset));
                    } else {
                        let f = floor.get(&tp).copied().unwrap_or(0);
                        let gap = (prev + 1..offset).find(|o| {
                            !(markers.contains(&(tp, *o)) || aborted.contains(&(tp, *o)) || *o < f)
                        });
                        if let Some(o) = gap {
                            report.poll_skips.push(anomaly(AnomalyKind::PollSkip, o));
                        }
                    }
                }
                last.insert((member, tp), offset);
            }
            TraceEvent::Processed {
                group,
                topic,
                partition,
                offset,
                outcome,
                ..
            } if outcome.handled() => {
                let tp = (topic, partition);
                let e = epoch.get(&(group, tp)).copied().unwrap_or(0);
                let slot = handled.entry((group, tp, offset)).or_insert((e, 0));
                if slot.0 != e {
                    *slot = (e, 0);
                }
                slot.1 += 1;
                if slot.1 == 2 {
                    report.duplicates.push(Anomaly {
                        kind: AnomalyKind::Duplicate,
                        group,
                        member: None,
                        topic,
                        partition,
                        offset,
                        at_index: i,
                    });
                }
                let m = handled_max.entry((group, tp)).or_insert(offset);
                *m = (*m).max(offset);
            }
            _ => {}
        }
    }

    for ((group, tp), max) in &handled_max {
        for (_, offset) in acked.range((*tp, 0)..(*tp, *max)) {
            if handled.contains_key(&(*group, *tp, *offset)) {
                continue;
            }
            let skipped = excused
                .get(&(*group, *tp))
                .is_some_and(|r| r.iter().any(|(a, b)| *a <= *offset && *offset < *b));
            let first = first_delivered.get(&(*group, *tp, *offset)).copied();
            let deleted = retention.iter().any(|(i, rtp, start)| {
                rtp == tp && *offset < *start && first.is_none_or(|d| d > *i)
            });
            if !skipped && !deleted {
                report.lost_writes.push(Anomaly {
                    kind: AnomalyKind::LostWrite,
                    group: *group,
                    member: None,
                    topic: tp.0,
                    partition: tp.1,
                    offset: *offset,
                    at_index: trace.len(),
                });
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::trace::Outcome;
    use crate::broker::types::DeliveryId;

    const G: GroupId = GroupId(0);
    const M: MemberId = MemberId(0);
    const T: TopicId = TopicId(0);

    fn at(event: TraceEvent) -> TraceEntry {
        TraceEntry { at: 0, event }
    }
    fn produced(offset: u64) -> TraceEntry {
        at(TraceEvent::Produced {
            topic: T,
            partition: 0,
            offset,
            timestamp: 0,
            producer: None,
        })
    }
    fn delivered(member: MemberId, offset: u64) -> TraceEntry {
        at(TraceEvent::Delivered {
            group: G,
            member,
            topic: T,
            partition: 0,
            offset,
            attempt: 1,
            delivery: DeliveryId(offset),
        })
    }
    fn processed(offset: u64) -> TraceEntry {
        at(TraceEvent::Processed {
            group: G,
            member: M,
            topic: T,
            partition: 0,
            offset,
            attempt: 1,
            outcome: Outcome::Ok,
        })
    }

    #[test]
    fn clean_sequence_is_clean() {
        let t: Vec<_> = (0..3)
            .map(produced)
            .chain((0..3).flat_map(|o| [delivered(M, o), processed(o)]))
            .collect();
        assert!(check_trace(&t).is_clean());
    }

    #[test]
    fn detects_each_anomaly() {
        let mut t: Vec<_> = (0..4).map(produced).collect();
        t.extend([
            delivered(M, 0),
            processed(0),
            delivered(M, 2),
            processed(2),
            processed(2),
            delivered(M, 1),
        ]);
        let r = check_trace(&t);
        assert_eq!(
            r.lost_writes.iter().map(|a| a.offset).collect::<Vec<_>>(),
            vec![1]
        );
        assert_eq!(
            r.duplicates.iter().map(|a| a.offset).collect::<Vec<_>>(),
            vec![2]
        );
        assert_eq!(
            r.poll_skips.iter().map(|a| a.offset).collect::<Vec<_>>(),
            vec![1]
        );
        assert_eq!(
            r.nonmonotonic_polls
                .iter()
                .map(|a| a.offset)
                .collect::<Vec<_>>(),
            vec![1]
        );
    }

    #[test]
    fn seeks_and_markers_excuse_gaps_and_replays() {
        let mut t: Vec<_> = (0..3).map(produced).collect();
        t.push(at(TraceEvent::TxnMarker {
            topic: T,
            partition: 0,
            offset: 3,
            producer: ProducerId(0),
            commit: true,
        }));
        t.push(produced(4));
        t.extend([delivered(M, 0), processed(0)]);
        t.push(at(TraceEvent::Seek {
            group: G,
            member: M,
            topic: T,
            partition: 0,
            from: 1,
            to: 2,
            reason: crate::broker::trace::SeekReason::User,
        }));
        t.extend([delivered(M, 2), processed(2), delivered(M, 4), processed(4)]);
        t.push(at(TraceEvent::Seek {
            group: G,
            member: M,
            topic: T,
            partition: 0,
            from: 5,
            to: 0,
            reason: crate::broker::trace::SeekReason::User,
        }));
        t.extend([delivered(M, 0), processed(0)]);
        assert!(check_trace(&t).is_clean(), "{:?}", check_trace(&t));
    }
}
