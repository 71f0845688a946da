//! Broker integration and property tests: Kafka-observable behaviour end to end.

use flowstorm::broker::sorted::SortedMap;
use flowstorm::broker::trace::{RebalanceReason, RemovalReason, ResetReason};
use flowstorm::broker::{
    assign, check_trace, murmur2, partition_for_key, AssignorKind, BrokerError, Cluster,
    DeliveryId, DeliveryMode, GroupConfig, Isolation, MemberId, MemberSubscription, OffsetReset,
    Outcome, Produce, RetryMode, RetryPolicy, SeekTo, TopicConfig, TraceEntry, TraceEvent,
};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

// ----- helpers -------------------------------------------------------------------------------

fn produce_n(c: &mut Cluster, topic: &str, n: u64, ts: u64) {
    for i in 0..n {
        let v = i.to_le_bytes();
        c.produce(Produce::new(topic, &v), ts + i).expect("produce");
    }
}

/// Steps until `pred` matches an event; panics if the simulation goes idle first.
fn step_until(c: &mut Cluster, mut pred: impl FnMut(&TraceEvent) -> bool) -> TraceEvent {
    while let Some(e) = c.step() {
        if pred(&e.event) {
            return e.event;
        }
    }
    panic!("simulation went idle before the expected event");
}

/// Drives the simulation to idle, acknowledging every manual delivery as successful.
fn drive_acking(c: &mut Cluster) {
    let mut guard = 0u32;
    while let Some(e) = c.step() {
        if let TraceEvent::Delivered {
            delivery, group, ..
        } = e.event
        {
            let manual = c
                .group_name(group)
                .and_then(|g| c.group_config(g).ok())
                .is_some_and(|g| !g.auto_ack);
            if manual {
                // A delivery handed out before its member crashed or was fenced may be gone by
                // the time the caller sees it (Kafka: the commit of a fenced consumer fails).
                match c.ack_processed(delivery) {
                    Ok(_) | Err(BrokerError::UnknownDelivery { .. }) => {}
                    Err(e) => panic!("ack: {e:?}"),
                }
            }
        }
        guard += 1;
        assert!(guard < 1_000_000, "simulation does not settle");
    }
}

fn value_of(c: &Cluster, topic: &str, partition: u32, offset: u64) -> u64 {
    let r = c.record(topic, partition, offset).expect("record");
    let mut b = [0u8; 8];
    b.copy_from_slice(&r.value[..8]);
    u64::from_le_bytes(b)
}

/// Asserts that no partition is assigned to a member while another member still owns it.
fn assert_revocation_precedes_assignment(trace: &[TraceEntry]) {
    let mut owner: BTreeMap<(u32, u32, u32), MemberId> = BTreeMap::new();
    for (i, e) in trace.iter().enumerate() {
        match e.event {
            TraceEvent::Assigned {
                group,
                member,
                topic,
                partition,
                ..
            } => {
                let prev = owner.insert((group.0, topic.0, partition), member);
                assert!(prev.is_none(), "entry {i}: partition {}-{partition} assigned to {member:?} while owned by {prev:?}", topic.0);
            }
            TraceEvent::Revoked {
                group,
                member,
                topic,
                partition,
            }
            | TraceEvent::Lost {
                group,
                member,
                topic,
                partition,
            } => {
                let prev = owner.remove(&(group.0, topic.0, partition));
                assert_eq!(prev, Some(member), "entry {i}: revoke by a non-owner");
            }
            _ => {}
        }
    }
}

/// A group with `mode` and `instances` members that starts at the log start (these tests read
/// records produced before the group joined).
fn group(name: &str, topics: &[&str], mode: DeliveryMode, instances: u32) -> GroupConfig {
    let mut g = GroupConfig::new(name, topics).earliest();
    g.mode = mode;
    g.instances = instances;
    g
}

// ----- Kafka's consumer defaults --------------------------------------------------------------

#[test]
fn a_new_group_starts_at_the_log_end_by_default() {
    let mut c = Cluster::with_seed(1);
    c.create_topic("t", 1).unwrap();
    produce_n(&mut c, "t", 3, 0);
    c.create_group(GroupConfig::new("g", &["t"])).unwrap();
    c.run_until(1_000);
    let m = c.members("g").unwrap()[0];
    assert_eq!(c.position(m, "t", 0).unwrap(), Some(3));
    assert!(
        !c.trace()
            .iter()
            .any(|e| matches!(e.event, TraceEvent::Delivered { .. })),
        "records produced before the group joined are not delivered"
    );
    c.produce(Produce::new("t", b"new"), 1_000).unwrap();
    c.run_until_idle(10_000);
    let delivered: Vec<u64> = c
        .trace()
        .iter()
        .filter_map(|e| match e.event {
            TraceEvent::Delivered { offset, .. } => Some(offset),
            _ => None,
        })
        .collect();
    assert_eq!(delivered, vec![3]);
}

#[test]
fn auto_commit_commits_on_the_five_second_interval_by_default() {
    let mut c = Cluster::with_seed(1);
    c.create_topic("t", 1).unwrap();
    c.create_group(GroupConfig::new("g", &["t"])).unwrap();
    c.run_until(1_000);
    produce_n(&mut c, "t", 3, 1_000);
    c.run_until(4_999);
    assert_eq!(c.stats().handled, 3);
    assert_eq!(c.committed("g", "t", 0).unwrap(), None, "not before 5 s");
    c.run_until(6_000);
    produce_n(&mut c, "t", 2, 6_000);
    c.run_until_idle(10_000);
    let commits: Vec<(u64, u64)> = c
        .trace()
        .iter()
        .filter_map(|e| match e.event {
            TraceEvent::Committed { offset, .. } => Some((e.at, offset)),
            _ => None,
        })
        .collect();
    assert_eq!(commits, vec![(5_000, 3), (10_000, 5)]);
}

// ----- partitioning --------------------------------------------------------------------------

#[test]
fn murmur2_matches_kafka_utils_test() {
    let vectors: [(&str, i32); 6] = [
        ("21", -973_932_308),
        ("foobar", -790_332_482),
        ("a-little-bit-long-string", -985_981_536),
        ("a-little-bit-longer-string", -1_486_304_829),
        (
            "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
            -58_897_971,
        ),
        ("abc", 479_470_107),
    ];
    for (s, h) in vectors {
        assert_eq!(murmur2(s.as_bytes()), h, "{s}");
    }
}

#[test]
fn adding_partitions_moves_keys() {
    let mut c = Cluster::with_seed(1);
    c.create_topic("t", 3).unwrap();
    let keys: Vec<String> = (0..50).map(|i| format!("key-{i}")).collect();
    let before: Vec<u32> = keys
        .iter()
        .map(|k| {
            c.produce(Produce::new("t", b"v").key(k), 0)
                .unwrap()
                .partition
        })
        .collect();
    c.add_partitions("t", 5).unwrap();
    let after: Vec<u32> = keys
        .iter()
        .map(|k| {
            c.produce(Produce::new("t", b"v").key(k), 0)
                .unwrap()
                .partition
        })
        .collect();
    for (k, (b, a)) in keys.iter().zip(before.iter().zip(&after)) {
        assert_eq!(Some(*b), partition_for_key(k.as_bytes(), 3));
        assert_eq!(Some(*a), partition_for_key(k.as_bytes(), 5));
    }
    let moved = before.iter().zip(&after).filter(|(b, a)| b != a).count();
    assert!(
        moved > 0,
        "some keys must land elsewhere after adding partitions"
    );
    assert!(after.iter().any(|p| *p >= 3), "new partitions receive keys");
}

// ----- assignors -----------------------------------------------------------------------------

fn subs(
    list: &[(&'static str, &[&'static str])],
) -> Vec<MemberSubscription<&'static str, &'static str>> {
    list.iter()
        .map(|(m, t)| MemberSubscription {
            member: *m,
            topics: t.to_vec(),
            owned: vec![],
        })
        .collect()
}

#[test]
fn range_and_round_robin_javadoc_examples() {
    let t: SortedMap<_, _> = [("t0", 3u32), ("t1", 3)].into_iter().collect();
    let two = subs(&[("C0", &["t0", "t1"]), ("C1", &["t0", "t1"])]);
    let r = assign(AssignorKind::Range, &two, &t);
    assert_eq!(r["C0"], vec![("t0", 0), ("t0", 1), ("t1", 0), ("t1", 1)]);
    assert_eq!(r["C1"], vec![("t0", 2), ("t1", 2)]);
    let rr = assign(AssignorKind::RoundRobin, &two, &t);
    assert_eq!(rr["C0"], vec![("t0", 0), ("t0", 2), ("t1", 1)]);
    assert_eq!(rr["C1"], vec![("t0", 1), ("t1", 0), ("t1", 2)]);
    let t: SortedMap<_, _> = [("t0", 1u32), ("t1", 2), ("t2", 3)].into_iter().collect();
    let three = subs(&[
        ("C0", &["t0"]),
        ("C1", &["t0", "t1"]),
        ("C2", &["t0", "t1", "t2"]),
    ]);
    let rr = assign(AssignorKind::RoundRobin, &three, &t);
    assert_eq!(rr["C0"], vec![("t0", 0)]);
    assert_eq!(rr["C1"], vec![("t1", 0)]);
    assert_eq!(rr["C2"], vec![("t1", 1), ("t2", 0), ("t2", 1), ("t2", 2)]);
}

#[test]
fn sticky_javadoc_examples() {
    let all: &[&'static str] = &["t0", "t1", "t2", "t3"];
    let t: SortedMap<_, _> = all.iter().map(|n| (*n, 2u32)).collect();
    let a = assign(
        AssignorKind::Sticky,
        &subs(&[("C0", all), ("C1", all), ("C2", all)]),
        &t,
    );
    let rr = assign(
        AssignorKind::RoundRobin,
        &subs(&[("C0", all), ("C1", all), ("C2", all)]),
        &t,
    );
    assert_eq!(
        a, rr,
        "with equal subscriptions the first sticky assignment is the round-robin one"
    );
    assert_eq!(a["C0"], vec![("t0", 0), ("t1", 1), ("t3", 0)]);
    let with = |m: &'static str| MemberSubscription {
        member: m,
        topics: all.to_vec(),
        owned: a[m].clone(),
    };
    let b = assign(AssignorKind::Sticky, &[with("C0"), with("C2")], &t);
    assert_eq!(b["C0"], vec![("t0", 0), ("t1", 1), ("t3", 0), ("t2", 0)]);
    assert_eq!(b["C2"], vec![("t1", 0), ("t2", 1), ("t0", 1), ("t3", 1)]);
    let rr_after = assign(
        AssignorKind::RoundRobin,
        &subs(&[("C0", all), ("C2", all)]),
        &t,
    );
    assert_eq!(
        rr_after["C0"],
        vec![("t0", 0), ("t1", 0), ("t2", 0), ("t3", 0)],
        "round robin reshuffles"
    );

    let t: SortedMap<_, _> = [("t0", 1u32), ("t1", 2), ("t2", 3)].into_iter().collect();
    let s = subs(&[
        ("C0", &["t0"]),
        ("C1", &["t0", "t1"]),
        ("C2", &["t0", "t1", "t2"]),
    ]);
    let a = assign(AssignorKind::Sticky, &s, &t);
    assert_eq!(a["C0"], vec![("t0", 0)]);
    assert_eq!(a["C1"], vec![("t1", 0), ("t1", 1)]);
    assert_eq!(a["C2"], vec![("t2", 0), ("t2", 1), ("t2", 2)]);
    let keep: Vec<_> = s[1..]
        .iter()
        .map(|x| MemberSubscription {
            owned: a[x.member].clone(),
            ..x.clone()
        })
        .collect();
    let b = assign(AssignorKind::Sticky, &keep, &t);
    assert_eq!(b["C1"], vec![("t1", 0), ("t1", 1), ("t0", 0)]);
    assert_eq!(b["C2"], vec![("t2", 0), ("t2", 1), ("t2", 2)]);
}

#[test]
fn sticky_group_keeps_assignments_when_a_member_leaves() {
    let mut c = Cluster::with_seed(3);
    c.create_topic("t", 8).unwrap();
    let mut g = group("g", &["t"], DeliveryMode::AtLeastOnce, 3);
    g.assignor = AssignorKind::Sticky;
    c.create_group(g).unwrap();
    c.run_until_idle(100_000);
    let members = c.members("g").unwrap();
    let before: Vec<BTreeSet<_>> = members
        .iter()
        .map(|m| c.assignment(*m).unwrap().into_iter().collect())
        .collect();
    assert_eq!(before.iter().map(BTreeSet::len).sum::<usize>(), 8);
    c.leave(members[1]).unwrap();
    c.run_until_idle(100_000);
    for i in [0, 2] {
        let now: BTreeSet<_> = c.assignment(members[i]).unwrap().into_iter().collect();
        assert!(before[i].is_subset(&now), "member {i} kept its partitions");
        assert_eq!(now.len(), 4);
    }
    assert_revocation_precedes_assignment(c.trace());
}

fn join_third_member(
    kind: AssignorKind,
) -> (
    Cluster,
    MemberId,
    Vec<TraceEntry>,
    BTreeMap<MemberId, BTreeSet<u32>>,
) {
    let mut c = Cluster::with_seed(5);
    c.create_topic("t", 6).unwrap();
    let mut g = group("g", &["t"], DeliveryMode::AtLeastOnce, 2);
    g.assignor = kind;
    c.create_group(g).unwrap();
    produce_n(&mut c, "t", 60, 0);
    c.run_until_idle(100_000);
    let owned = |c: &Cluster, m: MemberId| {
        c.assignment(m)
            .unwrap()
            .into_iter()
            .map(|tp| tp.partition)
            .collect::<BTreeSet<_>>()
    };
    let before: BTreeMap<_, _> = c
        .members("g")
        .unwrap()
        .into_iter()
        .map(|m| (m, owned(&c, m)))
        .collect();
    let mark = c.trace().len();
    let new = c.join("g").unwrap();
    c.run_until_idle(100_000);
    let after = c.trace()[mark..].to_vec();
    (c, new, after, before)
}

#[test]
fn cooperative_sticky_revokes_only_moved_partitions_in_two_rounds() {
    let (c, new, events, before) = join_third_member(AssignorKind::CooperativeSticky);
    let revoked: BTreeSet<u32> = events
        .iter()
        .filter_map(|e| match e.event {
            TraceEvent::Revoked { partition, .. } => Some(partition),
            _ => None,
        })
        .collect();
    let gained: BTreeSet<u32> = c
        .assignment(new)
        .unwrap()
        .into_iter()
        .map(|tp| tp.partition)
        .collect();
    assert_eq!(gained.len(), 2);
    assert_eq!(
        revoked, gained,
        "exactly the partitions that moved were revoked"
    );
    for (m, parts) in &before {
        let now: BTreeSet<u32> = c
            .assignment(*m)
            .unwrap()
            .into_iter()
            .map(|tp| tp.partition)
            .collect();
        assert_eq!(
            &now,
            &parts.difference(&gained).copied().collect(),
            "unmoved partitions stay with {m:?}"
        );
    }
    let rounds: Vec<_> = events
        .iter()
        .filter(|e| matches!(e.event, TraceEvent::RebalanceStarted { .. }))
        .map(|e| e.event)
        .collect();
    assert_eq!(rounds.len(), 2);
    assert!(matches!(
        rounds[1],
        TraceEvent::RebalanceStarted {
            reason: RebalanceReason::CooperativeFollowUp,
            ..
        }
    ));
    assert_revocation_precedes_assignment(c.trace());
}

#[test]
fn eager_rebalance_revokes_everything_first() {
    let (c, _new, events, _) = join_third_member(AssignorKind::Sticky);
    let revoked = events
        .iter()
        .filter(|e| matches!(e.event, TraceEvent::Revoked { .. }))
        .count();
    assert_eq!(revoked, 6, "eager protocol pauses the whole group");
    let first_assign = events
        .iter()
        .position(|e| matches!(e.event, TraceEvent::Assigned { .. }))
        .unwrap();
    let last_revoke = events
        .iter()
        .rposition(|e| matches!(e.event, TraceEvent::Revoked { .. }))
        .unwrap();
    assert!(last_revoke < first_assign);
    assert_revocation_precedes_assignment(c.trace());
    assert!(check_trace(c.trace()).is_clean());
}

#[test]
fn topic_names_differing_only_by_dot_and_underscore_collide() {
    let mut c = Cluster::with_seed(1);
    c.create_topic("orders.v1", 1).unwrap();
    let err = c.create_topic("orders_v1", 1).unwrap_err();
    assert_eq!(
        err,
        BrokerError::TopicCollision {
            topic: "orders_v1".into(),
            existing: "orders.v1".into(),
        }
    );
    let text = err.to_string();
    assert!(
        text.contains("orders_v1") && text.contains("orders.v1"),
        "{text}"
    );
    assert_eq!(c.topic_names(), vec!["orders.v1".to_string()]);
    c.create_topic("orders-v1", 1).unwrap();

    // A derived retry topic that would collide fails the group, naming both topics.
    c.create_topic("a_b-retry", 1).unwrap();
    c.create_topic("a.b", 1).unwrap();
    let mut g = group("g", &["a.b"], DeliveryMode::AtLeastOnce, 1);
    g.retry = RetryPolicy {
        max_attempts: 2,
        mode: RetryMode::RetryTopic { backoff_ms: 1 },
        dead_letter: false,
    };
    assert_eq!(
        c.create_group(g),
        Err(BrokerError::TopicCollision {
            topic: "a.b-retry".into(),
            existing: "a_b-retry".into(),
        })
    );
}

// ----- delivery modes and crashes --------------------------------------------------------------

fn manual_group(mode: DeliveryMode) -> Cluster {
    let mut c = Cluster::with_seed(9);
    c.create_topic("in", 1).unwrap();
    c.create_topic("out", 1).unwrap();
    let mut g = group("g", &["in"], mode, 2);
    g.auto_ack = false;
    g.session_timeout_ms = 100;
    c.create_group(g).unwrap();
    produce_n(&mut c, "in", 3, 0);
    c
}

fn next_delivery(c: &mut Cluster) -> (DeliveryId, MemberId, u64) {
    match step_until(c, |e| matches!(e, TraceEvent::Delivered { .. })) {
        TraceEvent::Delivered {
            delivery,
            member,
            offset,
            ..
        } => (delivery, member, offset),
        _ => unreachable!(),
    }
}

#[test]
fn at_most_once_crash_after_commit_loses_the_record() {
    let mut c = manual_group(DeliveryMode::AtMostOnce);
    let (_, member, offset) = next_delivery(&mut c);
    assert_eq!(offset, 0);
    assert_eq!(
        c.committed("g", "in", 0).unwrap(),
        Some(1),
        "committed before processing"
    );
    c.crash(member).unwrap();
    drive_acking(&mut c);
    let r = check_trace(c.trace());
    assert_eq!(
        r.lost_writes.iter().map(|a| a.offset).collect::<Vec<_>>(),
        vec![0]
    );
    assert!(r.duplicates.is_empty());
}

#[test]
fn at_least_once_crash_before_commit_redelivers() {
    let mut c = manual_group(DeliveryMode::AtLeastOnce);
    let (d, member, _) = next_delivery(&mut c);
    assert_eq!(c.committed("g", "in", 0).unwrap(), None);
    c.ack_processed(d).unwrap();
    step_until(&mut c, |e| matches!(e, TraceEvent::Processed { .. }));
    c.crash(member).unwrap();
    drive_acking(&mut c);
    let r = check_trace(c.trace());
    assert_eq!(
        r.duplicates.iter().map(|a| a.offset).collect::<Vec<_>>(),
        vec![0]
    );
    assert!(r.lost_writes.is_empty());
    assert_eq!(c.committed("g", "in", 0).unwrap(), Some(3));
}

#[test]
fn exactly_once_crash_aborts_outputs_and_reprocesses_once() {
    let mut c = manual_group(DeliveryMode::ExactlyOnce);
    let (d, member, offset) = next_delivery(&mut c);
    let v = offset.to_le_bytes();
    c.produce_during(d, Produce::new("out", &v)).unwrap();
    c.ack_processed(d).unwrap();
    c.crash(member).unwrap();
    // Drive to the end, producing one output per delivery.
    while let Some(e) = c.step() {
        if let TraceEvent::Delivered {
            delivery, offset, ..
        } = e.event
        {
            let v = offset.to_le_bytes();
            c.produce_during(delivery, Produce::new("out", &v)).unwrap();
            c.ack_processed(delivery).unwrap();
        }
    }
    let r = check_trace(c.trace());
    assert!(r.is_clean(), "{r:?}");
    let committed: Vec<Vec<u8>> = c
        .read("out", 0, 0, 100, Isolation::ReadCommitted)
        .unwrap()
        .into_iter()
        .map(|r| r.value)
        .collect();
    let expected: Vec<Vec<u8>> = (0u64..3).map(|i| i.to_le_bytes().to_vec()).collect();
    assert_eq!(
        committed, expected,
        "each input produced exactly one visible output"
    );
    let uncommitted = c
        .read("out", 0, 0, 100, Isolation::ReadUncommitted)
        .unwrap()
        .len();
    assert_eq!(
        uncommitted, 4,
        "the aborted attempt's output exists but is hidden from read_committed"
    );
}

#[test]
fn auto_commit_crash_redelivers_since_last_commit() {
    let mut c = Cluster::with_seed(2);
    c.create_topic("t", 1).unwrap();
    let mut g = group(
        "g",
        &["t"],
        DeliveryMode::AutoCommit { interval_ms: 1_000 },
        2,
    );
    g.processing_time_ms = 100;
    g.max_poll_records = 5;
    g.session_timeout_ms = 50;
    c.create_group(g).unwrap();
    produce_n(&mut c, "t", 20, 0);
    c.run_until(1_550);
    assert!(
        c.committed("g", "t", 0)
            .unwrap()
            .is_some_and(|o| (5..15).contains(&o)),
        "an auto-commit happened after 1 s"
    );
    let owner = c
        .members("g")
        .unwrap()
        .into_iter()
        .find(|m| !c.assignment(*m).unwrap().is_empty())
        .unwrap();
    c.crash(owner).unwrap();
    c.run_until_idle(100_000);
    let r = check_trace(c.trace());
    assert!(
        !r.duplicates.is_empty(),
        "records after the last auto-commit are processed again"
    );
    assert!(r.lost_writes.is_empty());
    assert_eq!(c.committed("g", "t", 0).unwrap(), Some(20));
}

#[test]
fn transactions_visible_to_read_committed_only_after_commit() {
    let mut c = Cluster::with_seed(1);
    c.create_topic("t", 1).unwrap();
    let mut g = group("rc", &["t"], DeliveryMode::AtLeastOnce, 1);
    g.isolation = Isolation::ReadCommitted;
    c.create_group(g).unwrap();
    c.create_group(group("ru", &["t"], DeliveryMode::AtLeastOnce, 1))
        .unwrap();
    let pid = c.init_producer("tx").unwrap();
    c.begin_transaction(pid).unwrap();
    c.produce_transactional(pid, Produce::new("t", b"a"), 0)
        .unwrap();
    c.run_until_idle(10_000);
    assert_eq!(
        c.committed("rc", "t", 0).unwrap(),
        None,
        "nothing visible to read_committed yet"
    );
    assert_eq!(c.committed("ru", "t", 0).unwrap(), Some(1));
    assert_eq!(c.last_stable_offset("t", 0).unwrap(), 0);
    c.commit_transaction(pid).unwrap();
    c.begin_transaction(pid).unwrap();
    c.produce_transactional(pid, Produce::new("t", b"b"), 0)
        .unwrap();
    c.abort_transaction(pid).unwrap();
    c.produce(Produce::new("t", b"c"), 0).unwrap();
    c.run_until_idle(10_000);
    let delivered = |g: &str| -> Vec<u64> {
        let gid = c.group_id(g).unwrap();
        c.trace()
            .iter()
            .filter_map(|e| match e.event {
                TraceEvent::Delivered { group, offset, .. } if group == gid => Some(offset),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        delivered("rc"),
        vec![0, 4],
        "markers (1, 3) and the aborted record (2) are skipped"
    );
    assert_eq!(delivered("ru"), vec![0, 2, 4]);
    assert!(
        check_trace(c.trace()).is_clean(),
        "gaps over markers and aborted records are not poll-skips"
    );
}

// ----- lag, retries, retention, replay -------------------------------------------------------

#[test]
fn lag_in_offsets_and_time() {
    let mut c = Cluster::with_seed(1);
    c.create_topic("t", 1).unwrap();
    let mut g = group("g", &["t"], DeliveryMode::AtLeastOnce, 0);
    g.processing_time_ms = 10;
    c.create_group(g).unwrap();
    produce_n(&mut c, "t", 10, 0);
    c.run_until(100);
    let lag = c.lag("g").unwrap();
    assert_eq!((lag.total, lag.max_lag_ms), (10, 100));
    c.join("g").unwrap();
    c.run_until(145);
    let lag = c.lag("g").unwrap();
    let committed = c.committed("g", "t", 0).unwrap().unwrap();
    assert!(committed > 0 && committed < 10);
    assert_eq!(lag.total, 10 - committed);
    assert_eq!(
        lag.max_lag_ms,
        145 - committed,
        "age of the oldest unconsumed record (timestamp = offset)"
    );
    c.run_until_idle(10_000);
    let lag = c.lag("g").unwrap();
    assert_eq!((lag.total, lag.max_lag_ms), (0, 0));
}

fn retry_cluster(retry: RetryPolicy, failure_per_million: u32) -> Cluster {
    let mut c = Cluster::with_seed(4);
    c.create_topic("t", 1).unwrap();
    let mut g = group("g", &["t"], DeliveryMode::AtLeastOnce, 1);
    g.retry = retry;
    g.failure_per_million = failure_per_million;
    c.create_group(g).unwrap();
    c
}

fn processed(c: &Cluster) -> Vec<(String, u64, u32, Outcome, u64)> {
    c.trace()
        .iter()
        .filter_map(|e| match e.event {
            TraceEvent::Processed {
                topic,
                offset,
                attempt,
                outcome,
                ..
            } => Some((
                c.topic_name(topic).unwrap().to_string(),
                offset,
                attempt,
                outcome,
                e.at,
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn blocking_retries_stall_the_partition_then_dead_letter() {
    let mut c = retry_cluster(
        RetryPolicy {
            max_attempts: 3,
            mode: RetryMode::Blocking { backoff_ms: 100 },
            dead_letter: true,
        },
        0,
    );
    produce_n(&mut c, "t", 3, 0);
    c.poison("t", 0, 1).unwrap();
    c.run_until_idle(10_000);
    let p = processed(&c);
    let seq: Vec<(u64, u32, Outcome)> = p.iter().map(|x| (x.1, x.2, x.3)).collect();
    assert_eq!(
        seq,
        vec![
            (0, 1, Outcome::Ok),
            (1, 1, Outcome::Failed),
            (1, 2, Outcome::Failed),
            (1, 3, Outcome::DeadLettered),
            (2, 1, Outcome::Ok)
        ]
    );
    assert!(p[4].4 >= 200, "offset 2 waited for both backoffs");
    let dead = c.record("t-dlt", 0, 0).unwrap();
    assert_eq!(value_of(&c, "t-dlt", 0, 0), 1);
    assert_eq!(dead.header("retry-attempt"), Some("3"));
    assert!(check_trace(c.trace()).is_clean());
}

#[test]
fn retry_topic_loses_order_and_dead_letters_after_max_attempts() {
    let mut c = retry_cluster(
        RetryPolicy {
            max_attempts: 2,
            mode: RetryMode::RetryTopic { backoff_ms: 50 },
            dead_letter: true,
        },
        0,
    );
    produce_n(&mut c, "t", 3, 0);
    c.poison("t", 0, 1).unwrap();
    c.run_until_idle(10_000);
    let ok: Vec<u64> = processed(&c)
        .iter()
        .filter(|x| x.3 == Outcome::Ok)
        .map(|x| value_of(&c, &x.0, 0, x.1))
        .collect();
    assert_eq!(
        ok,
        vec![0, 2, 1],
        "the retried record is processed after later ones"
    );

    let mut c = retry_cluster(
        RetryPolicy {
            max_attempts: 2,
            mode: RetryMode::RetryTopic { backoff_ms: 50 },
            dead_letter: true,
        },
        1_000_000,
    );
    produce_n(&mut c, "t", 3, 0);
    c.run_until_idle(10_000);
    let outcomes: Vec<(String, Outcome)> = processed(&c).into_iter().map(|x| (x.0, x.3)).collect();
    assert_eq!(
        outcomes
            .iter()
            .filter(|x| x.1 == Outcome::SentToRetry && x.0 == "t")
            .count(),
        3
    );
    assert_eq!(
        outcomes
            .iter()
            .filter(|x| x.1 == Outcome::DeadLettered && x.0 == "t-retry")
            .count(),
        3
    );
    assert_eq!(c.log_end_offset("t-dlt", 0).unwrap(), 3);
    assert!(check_trace(c.trace()).is_clean());
}

#[test]
fn retention_advances_log_start_and_consumers_reset() {
    let mut c = Cluster::with_seed(1);
    let cfg = TopicConfig {
        partitions: 1,
        retention_ms: Some(1_000),
        retention_bytes: None,
        segment_records: 2,
    };
    c.create_topic_with("t", cfg).unwrap();
    produce_n(&mut c, "t", 4, 0);
    let m = c
        .create_group(group("g", &["t"], DeliveryMode::AtLeastOnce, 1))
        .map(|_| c.members("g").unwrap()[0])
        .unwrap();
    c.run_until_idle(10_000);
    c.leave(m).unwrap();
    c.run_until_idle(10_000);
    assert_eq!(c.committed("g", "t", 0).unwrap(), Some(4));
    produce_n(&mut c, "t", 4, 10);
    c.run_until(20_000);
    c.enforce_retention();
    assert_eq!(
        c.log_start_offset("t", 0).unwrap(),
        6,
        "sealed segments older than retention.ms are gone"
    );
    let size_cfg = TopicConfig {
        partitions: 1,
        retention_ms: None,
        retention_bytes: Some(40),
        segment_records: 2,
    };
    c.create_topic_with("s", size_cfg).unwrap();
    produce_n(&mut c, "s", 9, 20_000);
    c.enforce_retention();
    assert!(
        c.log_start_offset("s", 0).unwrap() >= 6,
        "size retention keeps only the newest segments"
    );
    c.join("g").unwrap();
    c.run_until_idle(10_000);
    assert!(c.trace().iter().any(|e| matches!(
        e.event,
        TraceEvent::PositionReset {
            from: 4,
            to: 6,
            reason: ResetReason::OutOfRange,
            ..
        }
    )));
    assert_eq!(c.committed("g", "t", 0).unwrap(), Some(8));
    assert!(
        check_trace(c.trace()).is_clean(),
        "records deleted before delivery are not lost writes"
    );
}

#[test]
fn replay_by_seek_and_new_groups() {
    let mut c = Cluster::with_seed(1);
    c.create_topic("t", 1).unwrap();
    for i in 0..5u64 {
        c.produce(Produce::new("t", &i.to_le_bytes()), i * 10)
            .unwrap();
    }
    c.create_group(group("g", &["t"], DeliveryMode::AtLeastOnce, 1))
        .unwrap();
    c.run_until_idle(10_000);
    let m = c.members("g").unwrap()[0];
    assert_eq!(c.seek(m, "t", 0, SeekTo::Timestamp(25)).unwrap(), 3);
    c.run_until_idle(10_000);
    assert_eq!(c.seek(m, "t", 0, SeekTo::Earliest).unwrap(), 0);
    c.run_until_idle(10_000);
    assert_eq!(c.stats().handled, 5 + 2 + 5);
    assert!(
        check_trace(c.trace()).is_clean(),
        "replays are not duplicates"
    );
    assert!(matches!(
        c.seek(m, "t", 7, SeekTo::Earliest),
        Err(BrokerError::UnknownPartition { .. })
    ));
    assert_eq!(c.offsets_for_times("t", 0, 41).unwrap(), None);

    let mut latest = group("late", &["t"], DeliveryMode::AtLeastOnce, 1);
    latest.offset_reset = OffsetReset::Latest;
    c.create_group(latest).unwrap();
    c.create_group(group("fresh", &["t"], DeliveryMode::AtLeastOnce, 1))
        .unwrap();
    c.run_until_idle(10_000);
    c.produce(Produce::new("t", b"new-record"), 100).unwrap();
    c.run_until_idle(10_000);
    let count = |g: &str| {
        let gid = c.group_id(g).unwrap();
        c.trace()
            .iter()
            .filter(|e| matches!(e.event, TraceEvent::Processed { group, .. } if group == gid))
            .count()
    };
    assert_eq!(
        count("fresh"),
        6,
        "auto.offset.reset=earliest reads everything"
    );
    assert_eq!(
        count("late"),
        1,
        "auto.offset.reset=latest reads only new records"
    );
}

// ----- faults -------------------------------------------------------------------------------

#[test]
fn crashed_member_stalls_its_partitions_until_session_timeout() {
    let mut c = Cluster::with_seed(1);
    c.create_topic("t", 2).unwrap();
    let mut g = group("g", &["t"], DeliveryMode::AtLeastOnce, 2);
    g.session_timeout_ms = 3_000;
    c.create_group(g).unwrap();
    c.run_until(10);
    let members = c.members("g").unwrap();
    c.crash(members[0]).unwrap();
    let lost_partition = c.assignment(members[0]).unwrap()[0].partition;
    c.produce(Produce::new("t", b"x").partition(lost_partition), 10)
        .unwrap();
    c.run_until(2_999);
    assert_eq!(
        c.lag("g").unwrap().total,
        1,
        "nobody consumes the crashed member's partition"
    );
    c.run_until_idle(10_000);
    let removed = c
        .trace()
        .iter()
        .find(|e| {
            matches!(
                e.event,
                TraceEvent::MemberRemoved {
                    reason: RemovalReason::SessionTimeout,
                    ..
                }
            )
        })
        .unwrap();
    assert_eq!(removed.at, 3_010);
    assert_eq!(c.lag("g").unwrap().total, 0);
    assert_eq!(c.assignment(members[1]).unwrap().len(), 2);
    assert_revocation_precedes_assignment(c.trace());
    assert!(matches!(
        c.crash(members[0]),
        Err(BrokerError::MemberNotActive { .. })
    ));
}

#[test]
fn slow_consumer_beyond_max_poll_interval_is_removed_and_fenced() {
    let mut c = Cluster::with_seed(1);
    c.create_topic("t", 1).unwrap();
    let mut g = group("g", &["t"], DeliveryMode::AtLeastOnce, 2);
    g.max_poll_interval_ms = 100;
    g.processing_time_ms = 10;
    c.create_group(g).unwrap();
    c.run_until(1);
    let owner = c
        .members("g")
        .unwrap()
        .into_iter()
        .find(|m| !c.assignment(*m).unwrap().is_empty())
        .unwrap();
    c.slow_down(owner, 500).unwrap();
    produce_n(&mut c, "t", 3, 1);
    c.run_until_idle(10_000);
    let t = c.trace();
    assert!(t.iter().any(|e| matches!(e.event, TraceEvent::MemberRemoved { member, reason: RemovalReason::PollTimeout, .. } if member == owner)));
    assert!(t
        .iter()
        .any(|e| matches!(e.event, TraceEvent::CommitRejected { member, .. } if member == owner)));
    assert!(
        t.iter()
            .filter(
                |e| matches!(e.event, TraceEvent::MemberJoined { member, .. } if member == owner)
            )
            .count()
            >= 2,
        "the zombie rejoins"
    );
    let r = check_trace(t);
    assert!(r.lost_writes.is_empty());
    assert_eq!(c.committed("g", "t", 0).unwrap(), Some(3));
}

#[test]
fn adding_partitions_rebalances_subscribed_groups() {
    let mut c = Cluster::with_seed(1);
    c.create_topic("t", 2).unwrap();
    c.create_group(group("g", &["t"], DeliveryMode::AtLeastOnce, 2))
        .unwrap();
    c.run_until_idle(1_000);
    c.add_partitions("t", 4).unwrap();
    c.run_until_idle(1_000);
    assert!(c.trace().iter().any(|e| matches!(
        e.event,
        TraceEvent::RebalanceStarted {
            reason: RebalanceReason::Metadata,
            ..
        }
    )));
    let total: usize = c
        .members("g")
        .unwrap()
        .iter()
        .map(|m| c.assignment(*m).unwrap().len())
        .sum();
    assert_eq!(total, 4);
}

// ----- determinism ----------------------------------------------------------------------------

fn chaotic(seed: u64, by_step: bool) -> (u64, Vec<TraceEntry>) {
    let mut c = Cluster::with_seed(seed);
    c.create_topic("t", 4).unwrap();
    let mut g = group("g", &["t"], DeliveryMode::AtLeastOnce, 3);
    g.failure_per_million = 300_000;
    g.processing_time_ms = 3;
    g.assignor = AssignorKind::CooperativeSticky;
    g.retry = RetryPolicy {
        max_attempts: 3,
        mode: RetryMode::Blocking { backoff_ms: 7 },
        dead_letter: true,
    };
    c.create_group(g).unwrap();
    for i in 0..40u64 {
        let k = format!("k{}", i % 7);
        c.produce(Produce::new("t", &i.to_le_bytes()).key(&k), i)
            .unwrap();
    }
    let m = c.members("g").unwrap()[1];
    c.schedule_crash(20, m);
    if by_step {
        while c.step().is_some() {}
    } else {
        c.run_until(1_000_000);
    }
    (c.trace_hash(), c.trace().to_vec())
}

#[test]
fn same_seed_same_trace_and_driving_mode_does_not_matter() {
    let (h1, t1) = chaotic(11, true);
    let (h2, t2) = chaotic(11, false);
    assert_eq!(t1, t2);
    assert_eq!(h1, h2);
    let (h3, _) = chaotic(12, true);
    assert_ne!(h1, h3, "the seed drives processing failures");
    assert_eq!(flowstorm::broker::trace::hash_entries(&t1), h1);
}

// ----- properties -----------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Fault {
    None,
    Crash(usize),
    Expire(usize),
    Leave(usize),
    Join,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        24 => Just(Fault::None),
        2 => (0usize..4).prop_map(Fault::Crash),
        1 => (0usize..4).prop_map(Fault::Expire),
        1 => (0usize..4).prop_map(Fault::Leave),
        2 => Just(Fault::Join),
    ]
}

fn assignor() -> impl Strategy<Value = AssignorKind> {
    prop_oneof![
        Just(AssignorKind::Range),
        Just(AssignorKind::RoundRobin),
        Just(AssignorKind::Sticky),
        Just(AssignorKind::CooperativeSticky)
    ]
}

/// Runs a group under faults injected between steps; returns the cluster after it settles.
fn faulty_run(
    mode: DeliveryMode,
    kind: AssignorKind,
    manual: bool,
    records: u64,
    faults: &[Fault],
) -> Cluster {
    let mut c = Cluster::with_seed(records);
    c.create_topic("t", 3).unwrap();
    let mut g = group("g", &["t"], mode, 2);
    g.assignor = kind;
    g.auto_ack = !manual;
    g.processing_time_ms = 2;
    g.session_timeout_ms = 30;
    g.max_poll_records = 4;
    c.create_group(g).unwrap();
    for i in 0..records {
        c.produce(Produce::new("t", &i.to_le_bytes()).key(&format!("k{i}")), i)
            .unwrap();
    }
    let mut pending: Vec<DeliveryId> = Vec::new();
    for f in faults {
        let live = c.live_members("g").unwrap();
        let pick = |i: &usize| live.get(i % live.len().max(1)).copied();
        match f {
            Fault::None => {}
            Fault::Crash(i) => {
                if let Some(m) = pick(i) {
                    c.crash(m).unwrap()
                }
            }
            Fault::Expire(i) => {
                if let Some(m) = pick(i) {
                    c.expire_session(m).unwrap()
                }
            }
            Fault::Leave(i) => {
                if let Some(m) = pick(i) {
                    c.leave(m).unwrap()
                }
            }
            Fault::Join => {
                c.join("g").unwrap();
            }
        }
        // Acknowledge deliveries one step late so crashes can fall in between.
        for d in pending.drain(..) {
            let _ = c.ack_processed(d);
        }
        if let Some(TraceEntry {
            event: TraceEvent::Delivered { delivery, .. },
            ..
        }) = c.step()
        {
            if manual {
                pending.push(delivery);
            }
        }
    }
    for d in pending.drain(..) {
        let _ = c.ack_processed(d);
    }
    // Later records on every partition, so a group that skipped a record reads past it.
    let now = c.now();
    for i in records..2 * records {
        c.produce(
            Produce::new("t", &i.to_le_bytes()).key(&format!("k{i}")),
            now,
        )
        .unwrap();
    }
    for p in 0..3 {
        c.produce(Produce::new("t", b"tail").partition(p), now)
            .unwrap();
    }
    c.join("g").unwrap();
    drive_acking(&mut c);
    c
}

fn all_handled(c: &Cluster, records: u64) -> bool {
    let t = c.topic_id("t").unwrap();
    let done: BTreeSet<(u32, u64)> = c
        .trace()
        .iter()
        .filter_map(|e| match e.event {
            TraceEvent::Processed {
                topic,
                partition,
                offset,
                outcome,
                ..
            } if topic == t && outcome.handled() => Some((partition, offset)),
            _ => None,
        })
        .collect();
    let produced = c
        .trace()
        .iter()
        .filter(|e| matches!(e.event, TraceEvent::Produced { topic, .. } if topic == t))
        .count() as u64;
    produced == 2 * records + 3
        && (0..3).all(|p| (0..c.log_end_offset("t", p).unwrap()).all(|o| done.contains(&(p, o))))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn at_least_once_never_loses(kind in assignor(), manual in any::<bool>(), records in 1u64..30, faults in prop::collection::vec(fault(), 0..200)) {
        let c = faulty_run(DeliveryMode::AtLeastOnce, kind, manual, records, &faults);
        let r = check_trace(c.trace());
        prop_assert!(r.lost_writes.is_empty(), "{:?}", r.lost_writes);
        prop_assert!(r.nonmonotonic_polls.is_empty() && r.poll_skips.is_empty(), "{:?}", r);
        prop_assert!(all_handled(&c, records));
        assert_revocation_precedes_assignment(c.trace());
    }

    #[test]
    fn at_most_once_never_duplicates(kind in assignor(), manual in any::<bool>(), records in 1u64..30, faults in prop::collection::vec(fault(), 0..200)) {
        let c = faulty_run(DeliveryMode::AtMostOnce, kind, manual, records, &faults);
        let r = check_trace(c.trace());
        prop_assert!(r.duplicates.is_empty(), "{:?}", r.duplicates);
        prop_assert!(r.nonmonotonic_polls.is_empty() && r.poll_skips.is_empty(), "{:?}", r);
        assert_revocation_precedes_assignment(c.trace());
    }

    #[test]
    fn exactly_once_neither_loses_nor_duplicates(kind in assignor(), manual in any::<bool>(), records in 1u64..30, faults in prop::collection::vec(fault(), 0..200)) {
        let c = faulty_run(DeliveryMode::ExactlyOnce, kind, manual, records, &faults);
        let r = check_trace(c.trace());
        prop_assert!(r.is_clean(), "{:?}", r);
        prop_assert!(all_handled(&c, records));
        assert_revocation_precedes_assignment(c.trace());
    }

    #[test]
    fn same_seed_same_trace_hash(kind in assignor(), records in 1u64..20, faults in prop::collection::vec(fault(), 0..40)) {
        let a = faulty_run(DeliveryMode::AtLeastOnce, kind, true, records, &faults);
        let b = faulty_run(DeliveryMode::AtLeastOnce, kind, true, records, &faults);
        prop_assert_eq!(a.trace_hash(), b.trace_hash());
        prop_assert_eq!(a.trace(), b.trace());
    }
}

#[test]
fn a_delivery_read_after_its_member_was_fenced_cannot_be_acknowledged() {
    // Regression: the test driver acknowledged a delivery whose member had been fenced between
    // the delivery and its event being read, and failed on the broker's (correct) refusal.
    use Fault::*;
    #[rustfmt::skip]
    let faults = [
        Join, None, None, Crash(0), None, Join, None, None, None, None, None, None, None, None, None, None,
        Expire(2), None, None, Expire(3), None, None, Crash(1), None, Crash(0), None, None, None, None, None,
        None, None, None, Crash(2),
    ];
    let c = faulty_run(
        DeliveryMode::AtMostOnce,
        AssignorKind::CooperativeSticky,
        true,
        6,
        &faults,
    );
    let r = check_trace(c.trace());
    assert!(r.duplicates.is_empty(), "{:?}", r.duplicates);
    assert_revocation_precedes_assignment(c.trace());
}

#[test]
fn checks_catch_anomalies_in_the_modes_that_allow_them() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut duplicates, mut lost) = (0, 0);
    for _ in 0..16 {
        let faults = prop::collection::vec(fault(), 100..200)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let c = faulty_run(
            DeliveryMode::AtLeastOnce,
            AssignorKind::Range,
            true,
            20,
            &faults,
        );
        duplicates += check_trace(c.trace()).duplicates.len();
        let c = faulty_run(
            DeliveryMode::AtMostOnce,
            AssignorKind::Range,
            true,
            20,
            &faults,
        );
        lost += check_trace(c.trace()).lost_writes.len();
    }
    assert!(
        duplicates > 0,
        "at-least-once with crashes must show duplicates"
    );
    assert!(lost > 0, "at-most-once with crashes must show lost writes");
}

#[derive(Clone, Debug)]
enum Op {
    CreateTopic(usize, u32),
    Produce {
        topic: usize,
        key: Option<u8>,
        partition: Option<u32>,
        ts: u64,
    },
    AddPartitions(usize, u32),
    CreateGroup {
        name: usize,
        topics: Vec<usize>,
        mode: u8,
        assignor: u8,
        instances: u32,
        manual: bool,
        retry: u8,
        fail: u32,
        max_poll_records: u32,
        max_poll_ms: u64,
    },
    Join(usize),
    Leave(u32),
    Crash(u32),
    Expire(u32),
    Slow(u32, u64),
    Seek {
        member: u32,
        topic: usize,
        partition: u32,
        kind: u8,
        value: u64,
    },
    Ack(usize, bool),
    ProduceDuring(usize, usize),
    Step(u8),
    RunUntil(u64),
    DeleteRecords(usize, u32, u64),
    Poison(usize, u32, u64),
    Txn {
        kind: u8,
        producer: u32,
        topic: usize,
    },
    Query(usize, u32, u64),
    Retention,
}

const NAMES: [&str; 7] = ["t", "u", "", "bad name", "..", "t-retry", "v"];

fn name(i: usize) -> String {
    if i == NAMES.len() {
        "x".repeat(300)
    } else {
        NAMES[i % NAMES.len()].to_string()
    }
}

fn big() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..20, Just(u64::MAX), Just(u64::MAX - 1), any::<u64>()]
}

fn op() -> impl Strategy<Value = Op> {
    let n = 0..=NAMES.len();
    prop_oneof![
        (
            n.clone(),
            prop_oneof![0u32..5, Just(u32::MAX), Just(10_001u32)]
        )
            .prop_map(|(a, b)| Op::CreateTopic(a, b)),
        (
            n.clone(),
            any::<Option<u8>>(),
            prop::option::of(prop_oneof![0u32..6, Just(u32::MAX)]),
            big()
        )
            .prop_map(|(topic, key, partition, ts)| Op::Produce {
                topic,
                key,
                partition,
                ts
            }),
        (n.clone(), prop_oneof![0u32..8, Just(u32::MAX)])
            .prop_map(|(a, b)| Op::AddPartitions(a, b)),
        (
            n.clone(),
            prop::collection::vec(n.clone(), 0..3),
            0u8..4,
            0u8..4,
            0u32..4,
            any::<bool>(),
            0u8..4,
            prop_oneof![Just(0u32), Just(300_000u32), Just(2_000_000u32)],
            0u32..5,
            prop_oneof![Just(0u64), Just(5u64), Just(u64::MAX)]
        )
            .prop_map(
                |(
                    name,
                    topics,
                    mode,
                    assignor,
                    instances,
                    manual,
                    retry,
                    fail,
                    max_poll_records,
                    max_poll_ms,
                )| Op::CreateGroup {
                    name,
                    topics,
                    mode,
                    assignor,
                    instances,
                    manual,
                    retry,
                    fail,
                    max_poll_records,
                    max_poll_ms
                }
            ),
        n.clone().prop_map(Op::Join),
        (0u32..12).prop_map(Op::Leave),
        (0u32..12).prop_map(Op::Crash),
        (0u32..12).prop_map(Op::Expire),
        (0u32..12, big()).prop_map(|(m, x)| Op::Slow(m, x)),
        (0u32..12, n.clone(), 0u32..6, 0u8..4, big()).prop_map(
            |(member, topic, partition, kind, value)| Op::Seek {
                member,
                topic,
                partition,
                kind,
                value
            }
        ),
        (0usize..64, any::<bool>()).prop_map(|(d, ok)| Op::Ack(d, ok)),
        (0usize..64, n.clone()).prop_map(|(d, t)| Op::ProduceDuring(d, t)),
        (0u8..40).prop_map(Op::Step),
        big().prop_map(Op::RunUntil),
        (n.clone(), 0u32..6, big()).prop_map(|(t, p, o)| Op::DeleteRecords(t, p, o)),
        (n.clone(), 0u32..6, big()).prop_map(|(t, p, o)| Op::Poison(t, p, o)),
        (0u8..5, 0u32..4, n.clone()).prop_map(|(kind, producer, topic)| Op::Txn {
            kind,
            producer,
            topic
        }),
        (n, 0u32..6, big()).prop_map(|(t, p, o)| Op::Query(t, p, o)),
        Just(Op::Retention),
    ]
}

fn apply(c: &mut Cluster, op: &Op, deliveries: &mut Vec<DeliveryId>) {
    match op {
        Op::CreateTopic(t, p) => {
            let cfg = TopicConfig {
                partitions: *p,
                retention_ms: Some(50),
                retention_bytes: Some(200),
                segment_records: 3,
            };
            let _ = if *p % 2 == 0 {
                c.create_topic(&name(*t), *p)
            } else {
                c.create_topic_with(&name(*t), cfg)
            };
        }
        Op::Produce {
            topic,
            key,
            partition,
            ts,
        } => {
            let k = key.map(|k| format!("k{k}"));
            let headers = [("correlation-id", "c"), ("causation-id", "e")];
            let t = name(*topic);
            let _ = c.produce(
                Produce {
                    topic: &t,
                    partition: *partition,
                    key: k.as_deref(),
                    value: b"0123456789abcdef",
                    headers: &headers,
                },
                *ts,
            );
        }
        Op::AddPartitions(t, n) => {
            let _ = c.add_partitions(&name(*t), *n);
        }
        Op::CreateGroup {
            name: g,
            topics,
            mode,
            assignor,
            instances,
            manual,
            retry,
            fail,
            max_poll_records,
            max_poll_ms,
        } => {
            let names: Vec<String> = topics.iter().map(|t| name(*t)).collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut cfg = GroupConfig::new(&name(*g), &refs).earliest();
            cfg.mode = [
                DeliveryMode::AtMostOnce,
                DeliveryMode::AtLeastOnce,
                DeliveryMode::AutoCommit { interval_ms: 5 },
                DeliveryMode::ExactlyOnce,
            ][*mode as usize % 4];
            cfg.assignor = [
                AssignorKind::Range,
                AssignorKind::RoundRobin,
                AssignorKind::Sticky,
                AssignorKind::CooperativeSticky,
            ][*assignor as usize % 4];
            cfg.instances = *instances;
            cfg.auto_ack = !manual;
            cfg.failure_per_million = *fail;
            cfg.max_poll_records = *max_poll_records;
            cfg.max_poll_interval_ms = *max_poll_ms;
            cfg.processing_time_ms = 1;
            cfg.session_timeout_ms = 20;
            cfg.retry = match retry {
                0 => RetryPolicy::default(),
                1 => RetryPolicy {
                    max_attempts: 3,
                    mode: RetryMode::Blocking { backoff_ms: 2 },
                    dead_letter: true,
                },
                2 => RetryPolicy {
                    max_attempts: 2,
                    mode: RetryMode::RetryTopic { backoff_ms: 3 },
                    dead_letter: true,
                },
                _ => RetryPolicy {
                    max_attempts: 0,
                    mode: RetryMode::Blocking {
                        backoff_ms: u64::MAX,
                    },
                    dead_letter: false,
                },
            };
            let _ = c.create_group(cfg);
        }
        Op::Join(g) => {
            let _ = c.join(&name(*g));
        }
        Op::Leave(m) => {
            let _ = c.leave(MemberId(*m));
        }
        Op::Crash(m) => {
            let _ = c.crash(MemberId(*m));
        }
        Op::Expire(m) => {
            let _ = c.expire_session(MemberId(*m));
        }
        Op::Slow(m, x) => {
            let _ = c.slow_down(MemberId(*m), *x % 1_000);
        }
        Op::Seek {
            member,
            topic,
            partition,
            kind,
            value,
        } => {
            let to = [
                SeekTo::Earliest,
                SeekTo::Latest,
                SeekTo::Offset(*value),
                SeekTo::Timestamp(*value),
            ][*kind as usize % 4];
            let _ = c.seek(MemberId(*member), &name(*topic), *partition, to);
        }
        Op::Ack(i, ok) => {
            let d = deliveries
                .get(*i)
                .copied()
                .unwrap_or(DeliveryId(*i as u64 * 7919));
            let _ = if *ok {
                c.ack_processed(d)
            } else {
                c.fail_processing(d)
            };
        }
        Op::ProduceDuring(i, t) => {
            let d = deliveries.get(*i).copied().unwrap_or(DeliveryId(u64::MAX));
            let t = name(*t);
            let _ = c.produce_during(d, Produce::new(&t, b"out"));
        }
        Op::Step(n) => {
            for _ in 0..*n {
                match c.step() {
                    Some(TraceEntry {
                        event: TraceEvent::Delivered { delivery, .. },
                        ..
                    }) => deliveries.push(delivery),
                    Some(_) => {}
                    None => break,
                }
            }
        }
        Op::RunUntil(t) => {
            c.run_until(c.now().saturating_add(*t % 500));
        }
        Op::DeleteRecords(t, p, o) => {
            let _ = c.delete_records(&name(*t), *p, *o);
        }
        Op::Poison(t, p, o) => {
            let _ = c.poison(&name(*t), *p, *o % 8);
        }
        Op::Txn {
            kind,
            producer,
            topic,
        } => {
            let pid = flowstorm::broker::ProducerId(*producer);
            let t = name(*topic);
            let _ = match kind {
                0 => c.init_producer(&format!("tx{producer}")).map(|_| ()),
                1 => c.begin_transaction(pid),
                2 => c
                    .produce_transactional(pid, Produce::new(&t, b"tx"), c.now())
                    .map(|_| ()),
                3 => c.commit_transaction(pid),
                _ => c.abort_transaction(pid),
            };
        }
        Op::Query(t, p, o) => {
            let t = name(*t);
            let _ = c.record(&t, *p, *o);
            let _ = c.read(&t, *p, *o, 5, Isolation::ReadCommitted);
            let _ = c.offsets_for_times(&t, *p, *o);
            let _ = (
                c.log_start_offset(&t, *p),
                c.log_end_offset(&t, *p),
                c.last_stable_offset(&t, *p),
            );
            for g in NAMES {
                let _ = (
                    c.lag(g),
                    c.committed(g, &t, *p),
                    c.members(g),
                    c.generation(g),
                );
            }
            let _ = (c.assignment(MemberId(*p)), c.position(MemberId(*p), &t, 0));
        }
        Op::Retention => c.enforce_retention(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_input_panics_and_offsets_stay_dense(ops in prop::collection::vec(op(), 0..60)) {
        let mut c = Cluster::with_seed(ops.len() as u64);
        let mut deliveries = Vec::new();
        for o in &ops {
            apply(&mut c, o, &mut deliveries);
        }
        c.run_until_idle(20_000);
        let _ = check_trace(c.trace());
        let mut offsets: BTreeMap<(u32, u32), Vec<u64>> = BTreeMap::new();
        for e in c.trace() {
            match e.event {
                TraceEvent::Produced { topic, partition, offset, .. } | TraceEvent::TxnMarker { topic, partition, offset, .. } => {
                    offsets.entry((topic.0, partition)).or_default().push(offset)
                }
                _ => {}
            }
        }
        for ((t, p), list) in offsets {
            let expected: Vec<u64> = (0..list.len() as u64).collect();
            prop_assert_eq!(&list, &expected, "offsets of {}-{} are dense and in order", t, p);
            let topic = c.topic_name(flowstorm::broker::TopicId(t)).unwrap().to_string();
            prop_assert_eq!(c.log_end_offset(&topic, p).unwrap(), list.len() as u64);
        }
    }
}
