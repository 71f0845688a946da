//! Partition assignors: range, round-robin, sticky and cooperative-sticky, reproducing the
//! examples of Kafka's assignor documentation.
//!
//! Assignors are pure functions over member and topic identifiers that sort like Kafka's
//! member ids and topic names do.

use super::sorted::{SortedMap, SortedSet};
use serde::{Deserialize, Serialize};

/// Which assignment strategy a consumer group uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssignorKind {
    /// Per topic, contiguous ranges; the first members get one extra partition.
    Range,
    /// All partitions in (topic, partition) order dealt to members in turn.
    RoundRobin,
    /// Balanced, keeping as many previous assignments as possible (eager protocol).
    Sticky,
    /// The sticky assignment with the cooperative protocol (only moved partitions are revoked).
    CooperativeSticky,
}

impl AssignorKind {
    /// True for the incremental cooperative rebalance protocol.
    pub fn cooperative(self) -> bool {
        matches!(self, AssignorKind::CooperativeSticky)
    }
}

/// One member's input to an assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberSubscription<M, T> {
    /// The member identifier (members are ordered by it).
    pub member: M,
    /// Topics the member subscribes to.
    pub topics: Vec<T>,
    /// Partitions the member owned before (used by the sticky assignors).
    pub owned: Vec<(T, u32)>,
}

/// A computed assignment: partitions per member, in assignment order.
pub type Assignment<M, T> = SortedMap<M, Vec<(T, u32)>>;

/// Computes an assignment of the partitions of `topics` (name -> partition count).
///
/// The eager assignors return the final assignment: under the eager protocol every member has
/// revoked everything before the assignment is handed out. Cooperative-sticky returns one round
/// of Kafka's cooperative protocol instead: a partition that the sticky assignment moves from
/// member A to member B is taken from A but not yet given to B, because A owns it until it has
/// revoked it. A then rejoins, and in that follow-up round (A no longer lists it as owned) B
/// gets it.
pub fn assign<M: Ord + Clone, T: Ord + Clone>(
    kind: AssignorKind,
    members: &[MemberSubscription<M, T>],
    topics: &SortedMap<T, u32>,
) -> Assignment<M, T> {
    match kind {
        AssignorKind::Range => range(members, topics),
        AssignorKind::RoundRobin => round_robin(members, topics),
        AssignorKind::Sticky => sticky(members, topics),
        AssignorKind::CooperativeSticky => {
            withhold_owned_elsewhere(members, sticky(members, topics))
        }
    }
}

/// The cooperative rule: a member is not given a partition that another member still owns.
fn withhold_owned_elsewhere<M: Ord + Clone, T: Ord + Clone>(
    members: &[MemberSubscription<M, T>],
    mut target: Assignment<M, T>,
) -> Assignment<M, T> {
    let mut owners: SortedMap<&(T, u32), SortedSet<&M>> = SortedMap::new();
    for s in members {
        for tp in &s.owned {
            owners.entry(tp).or_default().insert(&s.member);
        }
    }
    for (m, list) in target.iter_mut() {
        list.retain(|tp| owners.get(tp).is_none_or(|o| o.contains(m)));
    }
    target
}

fn empty<M: Ord + Clone, T>(members: &[MemberSubscription<M, T>]) -> Assignment<M, T> {
    members
        .iter()
        .map(|m| (m.member.clone(), Vec::new()))
        .collect()
}

fn range<M: Ord + Clone, T: Ord + Clone>(
    members: &[MemberSubscription<M, T>],
    topics: &SortedMap<T, u32>,
) -> Assignment<M, T> {
    let mut out = empty(members);
    for (topic, &count) in topics {
        let subscribers: SortedSet<&M> = members
            .iter()
            .filter(|m| m.topics.contains(topic))
            .map(|m| &m.member)
            .collect();
        let n = subscribers.len() as u32;
        if n == 0 {
            continue;
        }
        let per = count / n;
        let extra = count % n;
        for (i, member) in subscribers.into_iter().enumerate() {
            let i = i as u32;
            let start = per * i + i.min(extra);
            let len = per + u32::from(i < extra);
            if let Some(list) = out.get_mut(member) {
                list.extend((start..start + len).map(|p| (topic.clone(), p)));
            }
        }
    }
    out
}

fn round_robin<M: Ord + Clone, T: Ord + Clone>(
    members: &[MemberSubscription<M, T>],
    topics: &SortedMap<T, u32>,
) -> Assignment<M, T> {
    let mut out = empty(members);
    let mut sorted: Vec<&MemberSubscription<M, T>> = members.iter().collect();
    sorted.sort_by(|a, b| a.member.cmp(&b.member));
    sorted.dedup_by(|a, b| a.member == b.member);
    if sorted.is_empty() {
        return out;
    }
    let mut cursor = 0usize;
    for (topic, &count) in topics {
        if !sorted.iter().any(|m| m.topics.contains(topic)) {
            continue;
        }
        for p in 0..count {
            // Advance the circular iterator to the next member subscribed to this topic.
            while !sorted[cursor % sorted.len()].topics.contains(topic) {
                cursor += 1;
            }
            let member = &sorted[cursor % sorted.len()].member;
            if let Some(list) = out.get_mut(member) {
                list.push((topic.clone(), p));
            }
            cursor += 1;
        }
    }
    out
}

/// The sticky assignment.
///
/// 1. Every member keeps the partitions it owned that still exist, that it still subscribes
///    to and that no earlier member (in member order) already claimed.
/// 2. Unowned partitions, ordered by (number of eligible members, topic, partition), each go
///    to the eligible member with the fewest partitions (ties: member order).
/// 3. While some member holds at least two more partitions than an eligible peer, its most
///    recently added partition moves to the least-loaded eligible peer.
fn sticky<M: Ord + Clone, T: Ord + Clone>(
    members: &[MemberSubscription<M, T>],
    topics: &SortedMap<T, u32>,
) -> Assignment<M, T> {
    let mut out = empty(members);
    let subs: SortedMap<&M, &MemberSubscription<M, T>> =
        members.iter().map(|m| (&m.member, m)).collect();
    let eligible = |tp: &(T, u32)| -> Vec<&M> {
        subs.iter()
            .filter(|(_, s)| s.topics.contains(&tp.0))
            .map(|(m, _)| *m)
            .collect()
    };
    let exists = |tp: &(T, u32)| topics.get(&tp.0).is_some_and(|&n| tp.1 < n);

    let mut taken: SortedSet<(T, u32)> = SortedSet::new();
    for (m, s) in &subs {
        for tp in &s.owned {
            if exists(tp) && s.topics.contains(&tp.0) && taken.insert(tp.clone()) {
                if let Some(list) = out.get_mut(*m) {
                    list.push(tp.clone());
                }
            }
        }
    }

    let mut unassigned: Vec<((T, u32), Vec<&M>)> = Vec::new();
    for (topic, &count) in topics {
        for p in 0..count {
            let tp = (topic.clone(), p);
            if taken.contains(&tp) {
                continue;
            }
            let e = eligible(&tp);
            if !e.is_empty() {
                unassigned.push((tp, e));
            }
        }
    }
    unassigned.sort_by(|a, b| (a.1.len(), &a.0).cmp(&(b.1.len(), &b.0)));
    for (tp, elig) in unassigned {
        let best = elig
            .iter()
            .min_by_key(|m| (out.get(**m).map_or(0, Vec::len), **m))
            .copied();
        if let Some(m) = best {
            if let Some(list) = out.get_mut(m) {
                list.push(tp);
            }
        }
    }

    // Balance: each move lowers the sum of squared loads, so this terminates.
    loop {
        let mut by_load: Vec<(&M, usize)> = out.iter().map(|(m, l)| (m, l.len())).collect();
        by_load.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut mv: Option<(M, usize, M)> = None;
        'search: for (from, load) in &by_load {
            let Some(list) = out.get(*from) else { continue };
            for (idx, tp) in list.iter().enumerate().rev() {
                let target = eligible(tp)
                    .into_iter()
                    .filter(|m| out.get(*m).map_or(usize::MAX, Vec::len).saturating_add(1) < *load)
                    .min_by_key(|m| (out.get(*m).map_or(0, Vec::len), *m));
                if let Some(to) = target {
                    mv = Some(((*from).clone(), idx, to.clone()));
                    break 'search;
                }
            }
        }
        let Some((from, idx, to)) = mv else { break };
        let tp = match out.get_mut(&from) {
            Some(list) if idx < list.len() => list.remove(idx),
            _ => break,
        };
        if let Some(list) = out.get_mut(&to) {
            list.push(tp);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(
        m: &'static str,
        topics: &[&'static str],
    ) -> MemberSubscription<&'static str, &'static str> {
        MemberSubscription {
            member: m,
            topics: topics.to_vec(),
            owned: Vec::new(),
        }
    }

    fn topics(list: &[(&'static str, u32)]) -> SortedMap<&'static str, u32> {
        list.iter().copied().collect()
    }

    fn tps(list: &[(&'static str, u32)]) -> Vec<(&'static str, u32)> {
        list.to_vec()
    }

    #[test]
    fn range_javadoc_example() {
        let members = [sub("C0", &["t0", "t1"]), sub("C1", &["t0", "t1"])];
        let a = assign(
            AssignorKind::Range,
            &members,
            &topics(&[("t0", 3), ("t1", 3)]),
        );
        assert_eq!(a["C0"], tps(&[("t0", 0), ("t0", 1), ("t1", 0), ("t1", 1)]));
        assert_eq!(a["C1"], tps(&[("t0", 2), ("t1", 2)]));
    }

    #[test]
    fn round_robin_javadoc_examples() {
        let members = [sub("C0", &["t0", "t1"]), sub("C1", &["t0", "t1"])];
        let a = assign(
            AssignorKind::RoundRobin,
            &members,
            &topics(&[("t0", 3), ("t1", 3)]),
        );
        assert_eq!(a["C0"], tps(&[("t0", 0), ("t0", 2), ("t1", 1)]));
        assert_eq!(a["C1"], tps(&[("t0", 1), ("t1", 0), ("t1", 2)]));

        let members = [
            sub("C0", &["t0"]),
            sub("C1", &["t0", "t1"]),
            sub("C2", &["t0", "t1", "t2"]),
        ];
        let a = assign(
            AssignorKind::RoundRobin,
            &members,
            &topics(&[("t0", 1), ("t1", 2), ("t2", 3)]),
        );
        assert_eq!(a["C0"], tps(&[("t0", 0)]));
        assert_eq!(a["C1"], tps(&[("t1", 0)]));
        assert_eq!(a["C2"], tps(&[("t1", 1), ("t2", 0), ("t2", 1), ("t2", 2)]));
    }

    #[test]
    fn every_assignor_covers_each_subscribed_partition_once() {
        let members = [
            sub("a", &["x", "y"]),
            sub("b", &["y"]),
            sub("c", &["x", "y", "z"]),
        ];
        let t = topics(&[("x", 5), ("y", 4), ("z", 0), ("w", 3)]);
        for kind in [
            AssignorKind::Range,
            AssignorKind::RoundRobin,
            AssignorKind::Sticky,
            AssignorKind::CooperativeSticky,
        ] {
            let a = assign(kind, &members, &t);
            let mut all: Vec<_> = a.values().flatten().cloned().collect();
            all.sort();
            let before = all.len();
            all.dedup();
            assert_eq!(before, all.len(), "{kind:?} assigned a partition twice");
            assert_eq!(
                all.len(),
                9,
                "{kind:?} must assign x and y fully and nothing of w"
            );
            for (m, list) in &a {
                let s = members
                    .iter()
                    .find(|s| s.member == *m)
                    .map(|s| s.topics.clone())
                    .unwrap_or_default();
                assert!(
                    list.iter().all(|(t, _)| s.contains(t)),
                    "{kind:?} gave {m} an unsubscribed topic"
                );
            }
        }
    }

    #[test]
    fn no_members_or_topics_is_empty() {
        let none: [MemberSubscription<&str, &str>; 0] = [];
        for kind in [
            AssignorKind::Range,
            AssignorKind::RoundRobin,
            AssignorKind::Sticky,
        ] {
            assert!(assign(kind, &none, &topics(&[("t", 3)])).is_empty());
            let a = assign(kind, &[sub("C0", &["t"])], &SortedMap::new());
            assert_eq!(a["C0"], Vec::new());
        }
    }

    #[test]
    fn sticky_rebalances_towards_a_new_member_and_keeps_the_rest() {
        let t = topics(&[("t", 8)]);
        let first = assign(
            AssignorKind::Sticky,
            &[sub("a", &["t"]), sub("b", &["t"])],
            &t,
        );
        let with_owned = |m: &'static str| MemberSubscription {
            member: m,
            topics: vec!["t"],
            owned: first.get(m).cloned().unwrap_or_default(),
        };
        let second = assign(
            AssignorKind::Sticky,
            &[with_owned("a"), with_owned("b"), with_owned("c")],
            &t,
        );
        let sizes: Vec<usize> = second.values().map(Vec::len).collect();
        assert_eq!(sizes, vec![3, 3, 2]);
        for m in ["a", "b"] {
            assert!(
                second[m].iter().all(|tp| first[m].contains(tp)),
                "{m} only loses partitions"
            );
        }
    }
}

#[cfg(test)]
mod sticky_javadoc {
    use super::*;

    type Sub = MemberSubscription<&'static str, &'static str>;

    fn owned(
        m: &'static str,
        topics: &[&'static str],
        a: &Assignment<&'static str, &'static str>,
    ) -> Sub {
        MemberSubscription {
            member: m,
            topics: topics.to_vec(),
            owned: a.get(m).cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn example_one_balanced_then_member_removed() {
        let all = ["t0", "t1", "t2", "t3"];
        let t: SortedMap<_, _> = all.iter().map(|n| (*n, 2u32)).collect();
        let none = Assignment::new();
        let subs = [
            owned("C0", &all, &none),
            owned("C1", &all, &none),
            owned("C2", &all, &none),
        ];
        let a = assign(AssignorKind::Sticky, &subs, &t);
        assert_eq!(a["C0"], vec![("t0", 0), ("t1", 1), ("t3", 0)]);
        assert_eq!(a["C1"], vec![("t0", 1), ("t2", 0), ("t3", 1)]);
        assert_eq!(a["C2"], vec![("t1", 0), ("t2", 1)]);
        let b = assign(
            AssignorKind::Sticky,
            &[owned("C0", &all, &a), owned("C2", &all, &a)],
            &t,
        );
        assert_eq!(b["C0"], vec![("t0", 0), ("t1", 1), ("t3", 0), ("t2", 0)]);
        assert_eq!(b["C2"], vec![("t1", 0), ("t2", 1), ("t0", 1), ("t3", 1)]);
    }

    #[test]
    fn example_two_unbalanced_subscriptions() {
        let t: SortedMap<_, _> = [("t0", 1u32), ("t1", 2), ("t2", 3)].into_iter().collect();
        let none = Assignment::new();
        let subs = [
            owned("C0", &["t0"], &none),
            owned("C1", &["t0", "t1"], &none),
            owned("C2", &["t0", "t1", "t2"], &none),
        ];
        let a = assign(AssignorKind::Sticky, &subs, &t);
        assert_eq!(a["C0"], vec![("t0", 0)]);
        assert_eq!(a["C1"], vec![("t1", 0), ("t1", 1)]);
        assert_eq!(a["C2"], vec![("t2", 0), ("t2", 1), ("t2", 2)]);
        let b = assign(
            AssignorKind::Sticky,
            &[
                owned("C1", &["t0", "t1"], &a),
                owned("C2", &["t0", "t1", "t2"], &a),
            ],
            &t,
        );
        assert_eq!(b["C1"], vec![("t1", 0), ("t1", 1), ("t0", 0)]);
        assert_eq!(b["C2"], vec![("t2", 0), ("t2", 1), ("t2", 2)]);
    }
}

/// Kafka's cooperative protocol (`ConsumerPartitionAssignor.RebalanceProtocol.COOPERATIVE`):
/// an owned partition is never handed to another member in the same round; its owner revokes
/// it, and it is reassigned in the next rebalance. The scenario is the sticky javadoc's first
/// example (consumers C0..C2, topics t0..t3 with two partitions each).
#[cfg(test)]
mod cooperative_protocol {
    use super::*;

    type Sub = MemberSubscription<&'static str, &'static str>;

    const ALL: [&str; 4] = ["t0", "t1", "t2", "t3"];

    fn owning(m: &'static str, owned: &[(&'static str, u32)]) -> Sub {
        MemberSubscription {
            member: m,
            topics: ALL.to_vec(),
            owned: owned.to_vec(),
        }
    }

    fn topics() -> SortedMap<&'static str, u32> {
        ALL.iter().map(|n| (*n, 2u32)).collect()
    }

    #[test]
    fn a_rejoining_member_gets_moved_partitions_only_in_the_follow_up_round() {
        // Where example one ends: C1 has left, C0 and C2 own four partitions each.
        let c0 = [("t0", 0), ("t1", 1), ("t3", 0), ("t2", 0)];
        let c2 = [("t1", 0), ("t2", 1), ("t0", 1), ("t3", 1)];
        let round_one = [owning("C0", &c0), owning("C1", &[]), owning("C2", &c2)];
        let eager = assign(AssignorKind::Sticky, &round_one, &topics());
        assert_eq!(eager["C1"], vec![("t2", 0), ("t3", 1)]);

        // Round one: t2-0 and t3-1 leave C0 and C2, but C1 does not get them yet.
        let first = assign(AssignorKind::CooperativeSticky, &round_one, &topics());
        assert_eq!(first["C0"], vec![("t0", 0), ("t1", 1), ("t3", 0)]);
        assert_eq!(first["C1"], Vec::new());
        assert_eq!(first["C2"], vec![("t1", 0), ("t2", 1), ("t0", 1)]);

        // Follow-up round: C0 and C2 revoked them, so C1 gets them; nothing else moves.
        let round_two = [
            owning("C0", &first["C0"]),
            owning("C1", &first["C1"]),
            owning("C2", &first["C2"]),
        ];
        let second = assign(AssignorKind::CooperativeSticky, &round_two, &topics());
        assert_eq!(second, eager);
    }

    #[test]
    fn partitions_of_a_member_that_left_are_assigned_at_once() {
        // Example one's second step: nobody present owns C1's old partitions.
        let c0 = [("t0", 0), ("t1", 1), ("t3", 0)];
        let c2 = [("t1", 0), ("t2", 1)];
        let subs = [owning("C0", &c0), owning("C2", &c2)];
        let a = assign(AssignorKind::CooperativeSticky, &subs, &topics());
        assert_eq!(a, assign(AssignorKind::Sticky, &subs, &topics()));
        assert_eq!(a["C0"], vec![("t0", 0), ("t1", 1), ("t3", 0), ("t2", 0)]);
        assert_eq!(a["C2"], vec![("t1", 0), ("t2", 1), ("t0", 1), ("t3", 1)]);
    }

    #[test]
    fn a_partition_claimed_twice_stays_with_the_member_keeping_it() {
        let subs = [owning("C0", &[("t0", 0)]), owning("C1", &[("t0", 0)])];
        let a = assign(AssignorKind::CooperativeSticky, &subs, &topics());
        assert!(a["C0"].contains(&("t0", 0)));
        assert!(!a["C1"].contains(&("t0", 0)));
    }
}
