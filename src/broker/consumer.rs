//! The consumer side of the cluster: members' poll loop, deliveries, processing outcomes,
//! commits in the order the delivery mode prescribes, retries, faults and rebalances.

use super::assignor::{assign, MemberSubscription};
use super::cluster::{Action, Cluster};
use super::group::{DeliveryMode, InFlight, Member, OffsetReset, Phase, RetryMode, Status};
use super::log::Isolation;
use super::sorted::SortedMap;
use super::trace::{Outcome, RebalanceReason, RemovalReason, ResetReason, SeekReason, TraceEvent};
use super::types::{
    BrokerError, DeliveryId, GroupId, Header, MemberId, Produce, ProduceRequest, RecordMetadata,
    SeekTo, TopicId,
};

/// Header carrying the attempt number of a record in a retry topic.
pub const RETRY_ATTEMPT_HEADER: &str = "retry-attempt";

impl Cluster {
    // ----- membership --------------------------------------------------------------------

    pub(crate) fn join_id(&mut self, g: GroupId) -> MemberId {
        let now = self.sched.now();
        let id = MemberId(self.members.len() as u32);
        let group = &mut self.groups[g.0 as usize];
        let name = format!("{}-{}", group.config.name, group.next_instance);
        group.next_instance = group.next_instance.saturating_add(1);
        let exactly_once = group.config.mode == DeliveryMode::ExactlyOnce;
        let mut member = Member::new(g, name.clone(), now);
        member.phase = Phase::Waiting;
        self.members.push(member);
        if exactly_once {
            // Member names are unique, so each member gets its own transactional producer.
            let pid = self.new_producer(&format!("{name}.txn"));
            self.members[id.0 as usize].producer = Some(pid);
        }
        self.groups[g.0 as usize].members.push(id);
        self.emit(TraceEvent::MemberJoined {
            group: g,
            member: id,
        });
        self.trigger_rebalance(g, RebalanceReason::Join);
        id
    }

    fn active_member(&self, member: MemberId) -> Result<&Member, BrokerError> {
        let m = self.member_ref(member)?;
        if m.status != Status::Active {
            return Err(BrokerError::MemberNotActive { member });
        }
        Ok(m)
    }

    /// Asks a member to leave cleanly: at its next poll it commits (auto-commit), revokes its
    /// partitions and leaves, triggering a rebalance.
    pub fn leave(&mut self, member: MemberId) -> Result<(), BrokerError> {
        let m = self.active_member(member)?;
        if m.leaving {
            return Ok(());
        }
        let phase = m.phase;
        self.members[member.0 as usize].leaving = true;
        match phase {
            Phase::Joined => self.finish_leave(member),
            _ => self.wake(member),
        }
        Ok(())
    }

    /// Fault: the member's process dies. Its in-flight work is lost, it keeps its partitions
    /// until the coordinator notices after `session_timeout_ms`.
    pub fn crash(&mut self, member: MemberId) -> Result<(), BrokerError> {
        let m = self.member_ref(member)?;
        if !matches!(m.status, Status::Active | Status::Fenced) {
            return Err(BrokerError::MemberNotActive { member });
        }
        let g = m.group;
        let now = self.sched.now();
        let mem = &mut self.members[member.0 as usize];
        mem.status = Status::Crashed;
        mem.epoch = mem.epoch.wrapping_add(1);
        mem.in_flight = None;
        mem.buffer.clear();
        mem.phase = Phase::Waiting;
        let epoch = mem.epoch;
        self.emit(TraceEvent::Crashed { group: g, member });
        if self.groups[g.0 as usize].members.contains(&member) {
            let timeout = self.groups[g.0 as usize].config.session_timeout_ms;
            self.sched.schedule(
                now.saturating_add(timeout),
                Action::SessionExpire { member, epoch },
            );
        }
        Ok(())
    }

    /// Fault: the coordinator times out the member's session now (as after a network
    /// partition). A running member becomes a zombie: its commits are rejected and it rejoins.
    pub fn expire_session(&mut self, member: MemberId) -> Result<(), BrokerError> {
        let m = self.member_ref(member)?;
        let g = m.group;
        if !self.groups[g.0 as usize].members.contains(&member) || m.status == Status::Left {
            return Err(BrokerError::MemberNotActive { member });
        }
        self.remove_member(member, RemovalReason::SessionTimeout);
        Ok(())
    }

    /// Fault: every later record takes `extra_ms` longer to process on this member (beyond
    /// `max_poll_interval_ms` the member is removed from its group).
    pub fn slow_down(&mut self, member: MemberId, extra_ms: u64) -> Result<(), BrokerError> {
        let g = self.member_ref(member)?.group;
        self.members[member.0 as usize].extra_ms = extra_ms;
        self.emit(TraceEvent::SlowConsumer {
            group: g,
            member,
            extra_ms,
        });
        Ok(())
    }

    pub(crate) fn on_session_expire(&mut self, member: MemberId, epoch: u32) {
        let Some(m) = self.members.get(member.0 as usize) else {
            return;
        };
        if m.epoch != epoch || m.status != Status::Crashed {
            return;
        }
        if self.groups[m.group.0 as usize].members.contains(&member) {
            self.remove_member(member, RemovalReason::SessionTimeout);
        }
    }

    pub(crate) fn on_poll_timeout(&mut self, member: MemberId, epoch: u32, delivery: DeliveryId) {
        let Some(m) = self.members.get(member.0 as usize) else {
            return;
        };
        let pending = m.in_flight.is_some_and(|f| f.delivery == delivery);
        if m.epoch != epoch || m.status != Status::Active || !pending {
            return;
        }
        // Still processing the same record: the member missed max.poll.interval.ms.
        let done_scheduled = m.in_flight.is_some_and(|f| f.outcome.is_some())
            && m.in_flight.is_some_and(|f| {
                let g = &self.groups[m.group.0 as usize].config;
                f.delivered_at
                    .saturating_add(g.processing_time_ms.saturating_add(m.extra_ms))
                    <= self.sched.now()
            });
        if !done_scheduled {
            self.remove_member(member, RemovalReason::PollTimeout);
        }
    }

    /// The coordinator drops a member: its partitions are lost (not revoked) and it is fenced.
    fn remove_member(&mut self, member: MemberId, reason: RemovalReason) {
        let g = self.members[member.0 as usize].group;
        let group = &mut self.groups[g.0 as usize];
        group.members.retain(|m| *m != member);
        group.joined.remove(&member);
        group.last_assignment.remove(&member);
        let owned = std::mem::take(&mut self.members[member.0 as usize].owned);
        for (t, p) in owned {
            let group = &mut self.groups[g.0 as usize];
            if group.owner.get(&(t, p)) == Some(&member) {
                group.owner.remove(&(t, p));
            }
            self.emit(TraceEvent::Lost {
                group: g,
                member,
                topic: t,
                partition: p,
            });
        }
        self.members[member.0 as usize].positions.clear();
        self.emit(TraceEvent::MemberRemoved {
            group: g,
            member,
            reason,
        });
        if let Some(pid) = self.members[member.0 as usize].producer {
            // The transaction coordinator aborts the removed member's open transaction.
            self.end_txn(pid, false);
        }
        if self.members[member.0 as usize].status == Status::Active {
            self.members[member.0 as usize].status = Status::Fenced;
            self.wake(member);
        }
        self.trigger_rebalance(g, RebalanceReason::MemberRemoved);
    }

    fn finish_leave(&mut self, member: MemberId) {
        let g = self.members[member.0 as usize].group;
        if matches!(
            self.groups[g.0 as usize].config.mode,
            DeliveryMode::AutoCommit { .. }
        ) {
            let owned = self.members[member.0 as usize].owned.clone();
            self.commit_positions(member, &owned);
        }
        self.revoke(member, None);
        let mem = &mut self.members[member.0 as usize];
        mem.status = Status::Left;
        mem.phase = Phase::Waiting;
        mem.epoch = mem.epoch.wrapping_add(1);
        mem.buffer.clear();
        mem.positions.clear();
        let group = &mut self.groups[g.0 as usize];
        group.members.retain(|m| *m != member);
        group.joined.remove(&member);
        group.last_assignment.remove(&member);
        self.emit(TraceEvent::MemberLeft { group: g, member });
        self.trigger_rebalance(g, RebalanceReason::Leave);
    }

    /// Revokes the listed partitions (all owned when `None`), emitting `Revoked` for each.
    fn revoke(&mut self, member: MemberId, only: Option<&[(TopicId, u32)]>) {
        let g = self.members[member.0 as usize].group;
        let owned = self.members[member.0 as usize].owned.clone();
        for tp in owned {
            if only.is_some_and(|list| !list.contains(&tp)) {
                continue;
            }
            let group = &mut self.groups[g.0 as usize];
            if group.owner.get(&tp) == Some(&member) {
                group.owner.remove(&tp);
            }
            let mem = &mut self.members[member.0 as usize];
            mem.owned.retain(|x| *x != tp);
            mem.positions.remove(&tp);
            mem.buffer.retain(|(t, p, _)| (*t, *p) != tp);
            self.emit(TraceEvent::Revoked {
                group: g,
                member,
                topic: tp.0,
                partition: tp.1,
            });
        }
    }

    // ----- rebalance ---------------------------------------------------------------------

    pub(crate) fn trigger_rebalance(&mut self, g: GroupId, reason: RebalanceReason) {
        let group = &mut self.groups[g.0 as usize];
        if !group.rebalancing {
            group.rebalancing = true;
            group.joined.clear();
            self.stats.rebalances = self.stats.rebalances.saturating_add(1);
            self.emit(TraceEvent::RebalanceStarted { group: g, reason });
        }
        let members = self.groups[g.0 as usize].members.clone();
        for m in members {
            self.wake(m);
        }
        self.maybe_complete_rebalance(g);
    }

    fn join_rebalance(&mut self, member: MemberId) {
        let g = self.members[member.0 as usize].group;
        let config = &self.groups[g.0 as usize].config;
        if !config.assignor.cooperative() {
            if matches!(config.mode, DeliveryMode::AutoCommit { .. }) {
                let owned = self.members[member.0 as usize].owned.clone();
                self.commit_positions(member, &owned);
            }
            self.revoke(member, None);
        }
        self.groups[g.0 as usize].joined.insert(member);
        self.members[member.0 as usize].phase = Phase::Joined;
        self.maybe_complete_rebalance(g);
    }

    fn maybe_complete_rebalance(&mut self, g: GroupId) {
        let group = &self.groups[g.0 as usize];
        if !group.rebalancing || group.members.iter().any(|m| !group.joined.contains(m)) {
            return;
        }
        self.complete_rebalance(g);
    }

    fn complete_rebalance(&mut self, g: GroupId) {
        let now = self.sched.now();
        let group = &mut self.groups[g.0 as usize];
        group.generation = group.generation.saturating_add(1);
        group.rebalancing = false;
        group.joined.clear();
        let generation = group.generation;
        let kind = group.config.assignor;
        let cooperative = kind.cooperative();
        let members = group.members.clone();
        let name = |t: TopicId| self.topics[t.0 as usize].name.clone();
        let topics: SortedMap<String, u32> = group
            .topics
            .iter()
            .map(|t| (name(*t), self.topics[t.0 as usize].partitions.len() as u32))
            .collect();
        let topic_names: Vec<String> = group.topics.iter().map(|t| name(*t)).collect();
        let subs: Vec<MemberSubscription<MemberId, String>> = members
            .iter()
            .map(|m| {
                let owned = if cooperative {
                    self.members[m.0 as usize].owned.clone()
                } else {
                    group.last_assignment.get(m).cloned().unwrap_or_default()
                };
                MemberSubscription {
                    member: *m,
                    topics: topic_names.clone(),
                    owned: owned.into_iter().map(|(t, p)| (name(t), p)).collect(),
                }
            })
            .collect();
        let computed = assign(kind, &subs, &topics);
        let target: SortedMap<MemberId, Vec<(TopicId, u32)>> = computed
            .into_iter()
            .map(|(m, list)| {
                (
                    m,
                    list.into_iter()
                        .filter_map(|(t, p)| self.topic_ids.get(&t).map(|id| (*id, p)))
                        .collect(),
                )
            })
            .collect();

        // Cooperative protocol: members revoke only what moved; the assignor withheld those
        // partitions from their new owners, and the revoking members rejoin to hand them over.
        let mut follow_up = false;
        if cooperative {
            for m in &members {
                let keep = target.get(m).cloned().unwrap_or_default();
                let moved: Vec<(TopicId, u32)> = self.members[m.0 as usize]
                    .owned
                    .iter()
                    .copied()
                    .filter(|tp| !keep.contains(tp))
                    .collect();
                if moved.is_empty() {
                    continue;
                }
                if matches!(
                    self.groups[g.0 as usize].config.mode,
                    DeliveryMode::AutoCommit { .. }
                ) {
                    self.commit_positions(*m, &moved);
                }
                self.revoke(*m, Some(&moved));
                follow_up = true;
            }
        }
        for m in &members {
            for tp in target.get(m).cloned().unwrap_or_default() {
                if self.members[m.0 as usize].owned.contains(&tp) {
                    continue;
                }
                self.members[m.0 as usize].owned.push(tp);
                self.groups[g.0 as usize].owner.insert(tp, *m);
                self.emit(TraceEvent::Assigned {
                    group: g,
                    member: *m,
                    topic: tp.0,
                    partition: tp.1,
                    generation,
                });
                self.init_position(*m, tp);
            }
        }
        let actual: SortedMap<MemberId, Vec<(TopicId, u32)>> = members
            .iter()
            .map(|m| (*m, self.members[m.0 as usize].owned.clone()))
            .collect();
        self.groups[g.0 as usize].last_assignment = actual;
        self.emit(TraceEvent::RebalanceCompleted {
            group: g,
            generation,
        });
        for m in &members {
            let mem = &mut self.members[m.0 as usize];
            if mem.phase == Phase::Joined {
                mem.phase = Phase::Scheduled;
                let epoch = mem.epoch;
                self.sched.schedule(now, Action::Poll { member: *m, epoch });
            }
        }
        if follow_up {
            self.trigger_rebalance(g, RebalanceReason::CooperativeFollowUp);
        }
    }

    /// Sets the position of a newly assigned partition from the committed offset or the reset policy.
    fn init_position(&mut self, member: MemberId, tp: (TopicId, u32)) {
        let g = self.members[member.0 as usize].group;
        let group = &self.groups[g.0 as usize];
        let committed = group.committed.get(&tp).copied();
        let pos = match committed {
            Some(c) => c,
            None => {
                let Some(log) = self.topics[tp.0 .0 as usize].partitions.get(tp.1 as usize) else {
                    return;
                };
                let to = match group.config.offset_reset {
                    OffsetReset::Earliest => log.log_start(),
                    OffsetReset::Latest => log.fetch_bound(group.isolation),
                };
                self.emit(TraceEvent::PositionReset {
                    group: g,
                    member,
                    topic: tp.0,
                    partition: tp.1,
                    from: 0,
                    to,
                    reason: ResetReason::NoCommittedOffset,
                });
                to
            }
        };
        self.members[member.0 as usize].positions.insert(tp, pos);
    }

    // ----- poll loop ---------------------------------------------------------------------

    pub(crate) fn on_poll(&mut self, member: MemberId, epoch: u32) {
        let Some(m) = self.members.get(member.0 as usize) else {
            return;
        };
        if m.epoch != epoch || m.phase != Phase::Scheduled {
            return;
        }
        match m.status {
            Status::Crashed | Status::Left => return,
            Status::Fenced => {
                self.rejoin(member);
                return;
            }
            Status::Active => {}
        }
        if m.leaving {
            self.finish_leave(member);
            return;
        }
        let g = m.group;
        if m.buffer.is_empty() {
            // A poll point: rebalances, auto-commit and fetches happen here.
            let group = &self.groups[g.0 as usize];
            if group.rebalancing && !group.joined.contains(&member) {
                self.join_rebalance(member);
                return;
            }
            if let DeliveryMode::AutoCommit { interval_ms } = group.config.mode {
                let now = self.sched.now();
                if now >= m.last_auto_commit.saturating_add(interval_ms) {
                    let owned = m.owned.clone();
                    self.commit_positions(member, &owned);
                    self.members[member.0 as usize].last_auto_commit = now;
                }
            }
            self.fetch(member);
            if self.members[member.0 as usize].buffer.is_empty() {
                self.members[member.0 as usize].phase = Phase::Waiting;
                self.arm_auto_commit(member);
                return;
            }
        }
        self.deliver_next(member);
    }

    /// An idle auto-commit consumer still polls: commit its positions once the interval is up.
    fn arm_auto_commit(&mut self, member: MemberId) {
        let mem = &self.members[member.0 as usize];
        let group = &self.groups[mem.group.0 as usize];
        let DeliveryMode::AutoCommit { interval_ms } = group.config.mode else {
            return;
        };
        let dirty = mem
            .owned
            .iter()
            .any(|tp| mem.positions.get(tp) != group.committed.get(tp));
        if dirty {
            let at = mem
                .last_auto_commit
                .saturating_add(interval_ms)
                .max(self.sched.now());
            let epoch = mem.epoch;
            self.sched
                .schedule(at, Action::AutoCommit { member, epoch });
        }
    }

    pub(crate) fn on_auto_commit_tick(&mut self, member: MemberId, epoch: u32) {
        let Some(m) = self.members.get(member.0 as usize) else {
            return;
        };
        if m.epoch != epoch
            || m.status != Status::Active
            || m.phase != Phase::Waiting
            || !m.buffer.is_empty()
        {
            return;
        }
        let interval = match self.groups[m.group.0 as usize].config.mode {
            DeliveryMode::AutoCommit { interval_ms } => interval_ms,
            _ => return,
        };
        let now = self.sched.now();
        if now < m.last_auto_commit.saturating_add(interval) {
            self.arm_auto_commit(member);
            return;
        }
        let owned = m.owned.clone();
        self.commit_positions(member, &owned);
        self.members[member.0 as usize].last_auto_commit = now;
    }

    fn rejoin(&mut self, member: MemberId) {
        let g = self.members[member.0 as usize].group;
        let mem = &mut self.members[member.0 as usize];
        mem.status = Status::Active;
        mem.buffer.clear();
        mem.positions.clear();
        mem.owned.clear();
        mem.in_flight = None;
        mem.attempts.clear();
        mem.phase = Phase::Waiting;
        self.groups[g.0 as usize].members.push(member);
        self.emit(TraceEvent::MemberJoined { group: g, member });
        self.trigger_rebalance(g, RebalanceReason::Join);
    }

    fn fetch(&mut self, member: MemberId) {
        let g = self.members[member.0 as usize].group;
        let isolation = self.groups[g.0 as usize].isolation;
        let reset = self.groups[g.0 as usize].config.offset_reset;
        let mut remaining = self.groups[g.0 as usize].config.max_poll_records;
        let n = self.members[member.0 as usize].owned.len();
        if n == 0 {
            return;
        }
        let start = self.members[member.0 as usize].fetch_cursor % n;
        for i in 0..n {
            let tp = self.members[member.0 as usize].owned[(start + i) % n];
            if self.topics[tp.0 .0 as usize]
                .partitions
                .get(tp.1 as usize)
                .is_none()
            {
                continue;
            }
            let mut pos = match self.members[member.0 as usize].positions.get(&tp) {
                Some(p) => *p,
                None => {
                    self.init_position(member, tp);
                    self.members[member.0 as usize]
                        .positions
                        .get(&tp)
                        .copied()
                        .unwrap_or(0)
                }
            };
            let log = &self.topics[tp.0 .0 as usize].partitions[tp.1 as usize];
            if pos < log.log_start() || pos > log.log_end() {
                let to = match reset {
                    OffsetReset::Earliest => log.log_start(),
                    OffsetReset::Latest => log.fetch_bound(isolation),
                };
                self.emit(TraceEvent::PositionReset {
                    group: g,
                    member,
                    topic: tp.0,
                    partition: tp.1,
                    from: pos,
                    to,
                    reason: ResetReason::OutOfRange,
                });
                pos = to;
            }
            let log = &self.topics[tp.0 .0 as usize].partitions[tp.1 as usize];
            let bound = log.fetch_bound(isolation);
            let from = pos;
            let mut count = 0u32;
            let mem = &mut self.members[member.0 as usize];
            while pos < bound && remaining > 0 {
                if log.visible(pos, isolation) {
                    mem.buffer.push_back((tp.0, tp.1, pos));
                    remaining -= 1;
                    count += 1;
                }
                pos += 1;
            }
            mem.positions.insert(tp, pos);
            if pos > from {
                self.emit(TraceEvent::Fetched {
                    group: g,
                    member,
                    topic: tp.0,
                    partition: tp.1,
                    from,
                    to: pos,
                    records: count,
                });
            }
            if remaining == 0 {
                break;
            }
        }
        let mem = &mut self.members[member.0 as usize];
        mem.fetch_cursor = (start + 1) % n;
    }

    fn retry_attempt_of(&mut self, topic: TopicId, partition: u32, offset: u64) -> u32 {
        let Some(record) = self.record_by_id(topic, partition, offset) else {
            return 2;
        };
        record
            .header(RETRY_ATTEMPT_HEADER)
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(2)
            .max(1)
    }

    fn deliver_next(&mut self, member: MemberId) {
        let now = self.sched.now();
        let Some((t, p, o)) = self.members[member.0 as usize].buffer.pop_front() else {
            self.members[member.0 as usize].phase = Phase::Waiting;
            return;
        };
        let g = self.members[member.0 as usize].group;
        let config = &self.groups[g.0 as usize].config;
        let (mode, auto_ack, failure, max_poll) = (
            config.mode,
            config.auto_ack,
            config.failure_per_million,
            config.max_poll_interval_ms,
        );
        let processing = config
            .processing_time_ms
            .saturating_add(self.members[member.0 as usize].extra_ms);
        let attempt = if let (true, RetryMode::RetryTopic { backoff_ms }) = (
            self.topics[t.0 as usize].retry_of.is_some(),
            config.retry.mode,
        ) {
            // Retry records wait until they are old enough.
            let ts = self.topics[t.0 as usize]
                .partitions
                .get(p as usize)
                .and_then(|l| l.meta(o))
                .map_or(0, |m| m.timestamp);
            let due = ts.saturating_add(backoff_ms);
            if now < due {
                let mem = &mut self.members[member.0 as usize];
                mem.buffer.push_front((t, p, o));
                mem.phase = Phase::Scheduled;
                let epoch = mem.epoch;
                self.sched.schedule(due, Action::Poll { member, epoch });
                return;
            }
            self.retry_attempt_of(t, p, o)
        } else {
            self.members[member.0 as usize]
                .attempts
                .get(&(t, p, o))
                .copied()
                .unwrap_or(0)
                .saturating_add(1)
        };
        if mode == DeliveryMode::AtMostOnce {
            self.commit(member, t, p, o.saturating_add(1));
        }
        let delivery = DeliveryId(self.next_delivery);
        self.next_delivery = self.next_delivery.wrapping_add(1);
        self.stats.delivered = self.stats.delivered.saturating_add(1);
        self.emit(TraceEvent::Delivered {
            group: g,
            member,
            topic: t,
            partition: p,
            offset: o,
            attempt,
            delivery,
        });
        if mode == DeliveryMode::ExactlyOnce {
            if let Some(pid) = self.members[member.0 as usize].producer {
                let _ = self.begin_transaction(pid);
            }
        }
        let outcome = if auto_ack {
            let poisoned = self.poison.contains(&(t, p, o));
            let fails = failure > 0 && self.rng.chance_per_million(failure);
            Some(!poisoned && !fails)
        } else {
            None
        };
        let mem = &mut self.members[member.0 as usize];
        mem.in_flight = Some(InFlight {
            delivery,
            topic: t,
            partition: p,
            offset: o,
            attempt,
            delivered_at: now,
            outcome,
        });
        mem.phase = Phase::Processing;
        let epoch = mem.epoch;
        if auto_ack {
            self.sched.schedule(
                now.saturating_add(processing),
                Action::Complete {
                    member,
                    epoch,
                    delivery,
                },
            );
        }
        if !auto_ack || processing > max_poll {
            self.sched.schedule(
                now.saturating_add(max_poll),
                Action::PollTimeout {
                    member,
                    epoch,
                    delivery,
                },
            );
        }
    }

    fn find_delivery(&self, delivery: DeliveryId) -> Result<(MemberId, InFlight), BrokerError> {
        self.members
            .iter()
            .enumerate()
            .find_map(|(i, m)| {
                m.in_flight
                    .filter(|f| f.delivery == delivery)
                    .map(|f| (MemberId(i as u32), f))
            })
            .ok_or(BrokerError::UnknownDelivery { delivery })
    }

    fn acknowledge(&mut self, delivery: DeliveryId, ok: bool) -> Result<(), BrokerError> {
        let (member, f) = self.find_delivery(delivery)?;
        if f.outcome.is_some() {
            return Err(BrokerError::UnknownDelivery { delivery });
        }
        let poisoned = self.poison.contains(&(f.topic, f.partition, f.offset));
        let g = self.members[member.0 as usize].group;
        let processing = self.groups[g.0 as usize]
            .config
            .processing_time_ms
            .saturating_add(self.members[member.0 as usize].extra_ms);
        let mem = &mut self.members[member.0 as usize];
        if let Some(inf) = mem.in_flight.as_mut() {
            inf.outcome = Some(ok && !poisoned);
        }
        let at = self
            .sched
            .now()
            .max(f.delivered_at.saturating_add(processing));
        let epoch = mem.epoch;
        self.sched.schedule(
            at,
            Action::Complete {
                member,
                epoch,
                delivery,
            },
        );
        Ok(())
    }

    /// Reports that processing of a delivery succeeded (manual acknowledgement). The
    /// mode's commit follows; a poisoned record counts as failed regardless.
    pub fn ack_processed(&mut self, delivery: DeliveryId) -> Result<(), BrokerError> {
        self.acknowledge(delivery, true)
    }

    /// Reports that processing of a delivery failed; the retry policy applies.
    pub fn fail_processing(&mut self, delivery: DeliveryId) -> Result<(), BrokerError> {
        self.acknowledge(delivery, false)
    }

    /// Produces a record as part of processing a delivery: inside the member's transaction in
    /// exactly-once mode (visible only if processing commits), otherwise immediately.
    pub fn produce_during(
        &mut self,
        delivery: DeliveryId,
        record: Produce<'_>,
    ) -> Result<RecordMetadata, BrokerError> {
        let (member, _) = self.find_delivery(delivery)?;
        let now = self.sched.now();
        let mem = &self.members[member.0 as usize];
        let g = mem.group;
        if self.groups[g.0 as usize].config.mode == DeliveryMode::ExactlyOnce {
            let pid = mem
                .producer
                .ok_or(BrokerError::MemberNotActive { member })?;
            if mem.status != Status::Active {
                return Err(BrokerError::MemberNotActive { member });
            }
            return self.produce_transactional(pid, record, now);
        }
        self.produce(record, now)
    }

    pub(crate) fn on_complete(&mut self, member: MemberId, epoch: u32, delivery: DeliveryId) {
        let Some(m) = self.members.get(member.0 as usize) else {
            return;
        };
        let Some(f) = m.in_flight.filter(|f| f.delivery == delivery) else {
            return;
        };
        if m.epoch != epoch || !matches!(m.status, Status::Active | Status::Fenced) {
            return;
        }
        let Some(ok) = f.outcome else { return };
        let g = m.group;
        self.members[member.0 as usize].in_flight = None;
        let config = &self.groups[g.0 as usize].config;
        let (mode, retry) = (config.mode, config.retry);
        if ok {
            self.finish_record(member, f, Outcome::Ok);
            return;
        }
        let pid = self.members[member.0 as usize].producer;
        if mode == DeliveryMode::ExactlyOnce {
            // Outputs of the failed attempt are discarded.
            if let Some(pid) = pid {
                self.end_txn(pid, false);
            }
        }
        let is_retry_record = self.topics[f.topic.0 as usize].retry_of.is_some();
        let more = f.attempt < retry.max_attempts;
        match retry.mode {
            RetryMode::Blocking { backoff_ms } if more && !is_retry_record => {
                self.emit(TraceEvent::Processed {
                    group: g,
                    member,
                    topic: f.topic,
                    partition: f.partition,
                    offset: f.offset,
                    attempt: f.attempt,
                    outcome: Outcome::Failed,
                });
                self.rewind_for_retry(member, f);
                let now = self.sched.now();
                let mem = &mut self.members[member.0 as usize];
                mem.phase = Phase::Scheduled;
                let epoch = mem.epoch;
                self.sched.schedule(
                    now.saturating_add(backoff_ms),
                    Action::Poll { member, epoch },
                );
            }
            RetryMode::RetryTopic { .. } if more => {
                let outcome = if self.forward(member, f, true) {
                    Outcome::SentToRetry
                } else {
                    Outcome::GaveUp
                };
                self.finish_record(member, f, outcome);
            }
            _ => {
                let outcome = if retry.dead_letter && self.forward(member, f, false) {
                    Outcome::DeadLettered
                } else {
                    Outcome::GaveUp
                };
                self.finish_record(member, f, outcome);
            }
        }
    }

    /// Blocking retry: rewind this partition to the failed record and drop the fetched
    /// records after it, so the member stalls on it until the backoff elapses.
    fn rewind_for_retry(&mut self, member: MemberId, f: InFlight) {
        let g = self.members[member.0 as usize].group;
        let mem = &mut self.members[member.0 as usize];
        mem.attempts
            .insert((f.topic, f.partition, f.offset), f.attempt);
        let tp = (f.topic, f.partition);
        let from = mem
            .buffer
            .iter()
            .find(|(t, p, _)| (*t, *p) == tp)
            .map(|x| x.2)
            .or_else(|| mem.positions.get(&tp).copied());
        mem.buffer.retain(|(t, p, _)| (*t, *p) != tp);
        if mem.owned.contains(&tp) {
            mem.positions.insert(tp, f.offset);
            self.emit(TraceEvent::Seek {
                group: g,
                member,
                topic: f.topic,
                partition: f.partition,
                from: from.unwrap_or(f.offset),
                to: f.offset,
                reason: SeekReason::Retry,
            });
        }
    }

    /// Copies a failed record to the retry topic (with its next attempt number) or to the
    /// dead-letter topic. Returns false when there is nowhere to send it.
    fn forward(&mut self, member: MemberId, f: InFlight, to_retry: bool) -> bool {
        let base = self.topics[f.topic.0 as usize].retry_of.unwrap_or(f.topic);
        let target = if to_retry {
            self.topics[base.0 as usize].retry_topic
        } else {
            self.topics[base.0 as usize].dead_letter_topic
        };
        let (Some(target), Some(record)) =
            (target, self.record_by_id(f.topic, f.partition, f.offset))
        else {
            return false;
        };
        let mut headers: Vec<Header> = record
            .headers
            .into_iter()
            .filter(|h| h.name != RETRY_ATTEMPT_HEADER)
            .collect();
        headers.push(Header {
            name: RETRY_ATTEMPT_HEADER.to_string(),
            value: if to_retry {
                f.attempt.saturating_add(1)
            } else {
                f.attempt
            }
            .to_string(),
        });
        let request = ProduceRequest {
            topic: self.topics[target.0 as usize].name.clone(),
            partition: None,
            key: record.key,
            value: record.value,
            headers,
        };
        let now = self.sched.now();
        let g = self.members[member.0 as usize].group;
        let pid = if self.groups[g.0 as usize].config.mode == DeliveryMode::ExactlyOnce
            && self.members[member.0 as usize].status == Status::Active
        {
            self.members[member.0 as usize].producer
        } else {
            None
        };
        if let Some(pid) = pid {
            let _ = self.begin_transaction(pid);
        }
        self.append_owned(&request, now, pid).is_ok()
    }

    /// The record is done with (processed, forwarded or skipped): commit per the mode.
    fn finish_record(&mut self, member: MemberId, f: InFlight, outcome: Outcome) {
        let g = self.members[member.0 as usize].group;
        let mode = self.groups[g.0 as usize].config.mode;
        let now = self.sched.now();
        let mem = &mut self.members[member.0 as usize];
        mem.attempts.remove(&(f.topic, f.partition, f.offset));
        mem.phase = Phase::Scheduled;
        let epoch = mem.epoch;
        let status = mem.status;
        let next = f.offset.saturating_add(1);
        let processed = |outcome| TraceEvent::Processed {
            group: g,
            member,
            topic: f.topic,
            partition: f.partition,
            offset: f.offset,
            attempt: f.attempt,
            outcome,
        };
        match mode {
            DeliveryMode::ExactlyOnce => {
                let pid = self.members[member.0 as usize].producer;
                let open =
                    pid.is_some_and(|p| self.producers.get(p.0 as usize).is_some_and(|x| x.open));
                if status != Status::Active || !open {
                    // Fenced: the transaction was aborted, so this processing had no effect.
                    self.emit(processed(Outcome::Aborted));
                    if let Some(pid) = pid {
                        self.end_txn(pid, false);
                    }
                } else {
                    self.emit(processed(outcome));
                    self.count_handled(outcome);
                    self.commit(member, f.topic, f.partition, next);
                    if let Some(pid) = pid {
                        self.end_txn(pid, true);
                    }
                }
                self.sched.schedule(now, Action::Poll { member, epoch });
            }
            DeliveryMode::AtLeastOnce => {
                self.emit(processed(outcome));
                self.count_handled(outcome);
                // The commit is its own step: a crash may fall between processing and commit.
                self.sched.schedule(
                    now,
                    Action::Commit {
                        member,
                        epoch,
                        topic: f.topic,
                        partition: f.partition,
                        offset: next,
                    },
                );
            }
            DeliveryMode::AtMostOnce | DeliveryMode::AutoCommit { .. } => {
                self.emit(processed(outcome));
                self.count_handled(outcome);
                self.sched.schedule(now, Action::Poll { member, epoch });
            }
        }
    }

    fn count_handled(&mut self, outcome: Outcome) {
        if outcome.handled() {
            self.stats.handled = self.stats.handled.saturating_add(1);
        }
    }

    pub(crate) fn on_commit(
        &mut self,
        member: MemberId,
        epoch: u32,
        topic: TopicId,
        partition: u32,
        offset: u64,
    ) {
        let Some(m) = self.members.get(member.0 as usize) else {
            return;
        };
        if m.epoch != epoch {
            return;
        }
        self.commit(member, topic, partition, offset);
        let now = self.sched.now();
        self.sched.schedule(now, Action::Poll { member, epoch });
    }

    /// Commits `offset` for the member's group if the member still owns the partition.
    fn commit(&mut self, member: MemberId, topic: TopicId, partition: u32, offset: u64) -> bool {
        let m = &self.members[member.0 as usize];
        let g = m.group;
        let group = &mut self.groups[g.0 as usize];
        let owns =
            m.status == Status::Active && group.owner.get(&(topic, partition)) == Some(&member);
        if !owns {
            self.emit(TraceEvent::CommitRejected {
                group: g,
                member,
                topic,
                partition,
                offset,
            });
            return false;
        }
        group.committed.insert((topic, partition), offset);
        self.stats.commits = self.stats.commits.saturating_add(1);
        self.emit(TraceEvent::Committed {
            group: g,
            member,
            topic,
            partition,
            offset,
        });
        true
    }

    /// Commits the consumed position of each listed partition (auto-commit, revoke, leave).
    fn commit_positions(&mut self, member: MemberId, tps: &[(TopicId, u32)]) {
        let g = self.members[member.0 as usize].group;
        for tp in tps {
            let mem = &self.members[member.0 as usize];
            let consumed = mem
                .buffer
                .iter()
                .find(|(t, p, _)| (*t, *p) == *tp)
                .map(|x| x.2)
                .or_else(|| mem.positions.get(tp).copied());
            let Some(pos) = consumed else { continue };
            if self.groups[g.0 as usize].committed.get(tp) != Some(&pos) {
                self.commit(member, tp.0, tp.1, pos);
            }
        }
    }

    // ----- seek --------------------------------------------------------------------------

    /// Moves a member's position on an owned partition (replay or skip). Returns the new position.
    pub fn seek(
        &mut self,
        member: MemberId,
        topic: &str,
        partition: u32,
        to: SeekTo,
    ) -> Result<u64, BrokerError> {
        let m = self.active_member(member)?;
        let (tid, log) = self.log(topic, partition)?;
        if !m.owned.contains(&(tid, partition)) {
            return Err(BrokerError::NotAssigned {
                member,
                topic: topic.to_string(),
                partition,
            });
        }
        let isolation: Isolation = self.groups[m.group.0 as usize].isolation;
        let target = match to {
            SeekTo::Earliest => log.log_start(),
            SeekTo::Latest => log.fetch_bound(isolation),
            SeekTo::Offset(o) => o,
            SeekTo::Timestamp(ts) => log
                .offset_for_time(ts)
                .unwrap_or_else(|| log.fetch_bound(isolation)),
        };
        let g = m.group;
        let tp = (tid, partition);
        let mem = &mut self.members[member.0 as usize];
        let from = mem
            .buffer
            .iter()
            .find(|(t, p, _)| (*t, *p) == tp)
            .map(|x| x.2)
            .or_else(|| mem.positions.get(&tp).copied())
            .unwrap_or(target);
        mem.buffer.retain(|(t, p, _)| (*t, *p) != tp);
        mem.positions.insert(tp, target);
        self.emit(TraceEvent::Seek {
            group: g,
            member,
            topic: tid,
            partition,
            from,
            to: target,
            reason: SeekReason::User,
        });
        self.wake(member);
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::group::GroupConfig;
    use crate::broker::trace::TraceEntry;

    fn cluster(mode: DeliveryMode, auto_ack: bool, instances: u32) -> Cluster {
        let mut c = Cluster::with_seed(1);
        c.create_topic("t", 1).expect("topic");
        let mut g = GroupConfig::new("g", &["t"]).earliest();
        g.mode = mode;
        g.auto_ack = auto_ack;
        g.instances = instances;
        c.create_group(g).expect("group");
        for i in 0..3u64 {
            c.produce(Produce::new("t", &i.to_le_bytes()), i)
                .expect("produce");
        }
        c
    }

    fn kinds(events: &[TraceEntry]) -> Vec<&'static str> {
        events
            .iter()
            .filter_map(|e| match e.event {
                TraceEvent::Delivered { .. } => Some("delivered"),
                TraceEvent::Processed { .. } => Some("processed"),
                TraceEvent::Committed { .. } => Some("committed"),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn commit_order_follows_the_mode() {
        let mut amo = cluster(DeliveryMode::AtMostOnce, true, 1);
        amo.run_until_idle(1_000);
        assert_eq!(
            &kinds(amo.trace())[..3],
            ["committed", "delivered", "processed"]
        );
        let mut alo = cluster(DeliveryMode::AtLeastOnce, true, 1);
        alo.run_until_idle(1_000);
        assert_eq!(
            &kinds(alo.trace())[..3],
            ["delivered", "processed", "committed"]
        );
        let mut auto = cluster(DeliveryMode::AutoCommit { interval_ms: 10 }, true, 1);
        auto.run_until_idle(1_000);
        let k = kinds(auto.trace());
        assert_eq!(
            k.iter().filter(|k| **k == "committed").count(),
            1,
            "one commit after the interval"
        );
        assert_eq!(k.last(), Some(&"committed"));
        assert_eq!(auto.committed("g", "t", 0).ok().flatten(), Some(3));
    }

    #[test]
    fn at_least_once_commit_is_a_separate_step() {
        let mut c = cluster(DeliveryMode::AtLeastOnce, true, 1);
        let mut seen = Vec::new();
        while let Some(e) = c.step() {
            seen.push(e);
            if matches!(e.event, TraceEvent::Processed { .. }) {
                break;
            }
        }
        assert_eq!(
            c.committed("g", "t", 0).ok().flatten(),
            None,
            "processed but not yet committed"
        );
        let next = c.step().map(|e| e.event);
        assert!(matches!(
            next,
            Some(TraceEvent::Committed { offset: 1, .. })
        ));
    }

    #[test]
    fn manual_acknowledgement_errors() {
        let mut c = cluster(DeliveryMode::AtLeastOnce, false, 1);
        let delivery = loop {
            match c.step().map(|e| e.event) {
                Some(TraceEvent::Delivered { delivery, .. }) => break delivery,
                Some(_) => {}
                None => panic!("no delivery"),
            }
        };
        assert_eq!(
            c.ack_processed(DeliveryId(999)),
            Err(BrokerError::UnknownDelivery {
                delivery: DeliveryId(999)
            })
        );
        assert_eq!(c.ack_processed(delivery), Ok(()));
        assert_eq!(
            c.fail_processing(delivery),
            Err(BrokerError::UnknownDelivery { delivery })
        );
    }

    #[test]
    fn clean_leave_revokes_then_leaves() {
        let mut c = cluster(
            DeliveryMode::AutoCommit {
                interval_ms: 1_000_000,
            },
            true,
            2,
        );
        c.run_until(100);
        assert_eq!(
            c.committed("g", "t", 0).ok().flatten(),
            None,
            "the interval has not elapsed"
        );
        let owner = c.members("g").ok().and_then(|ms| {
            ms.into_iter()
                .find(|m| !c.assignment(*m).unwrap_or_default().is_empty())
        });
        let owner = owner.expect("an owner");
        let mark = c.trace().len();
        c.leave(owner).expect("leave");
        c.run_until_idle(1_000);
        let after: Vec<TraceEvent> = c.trace()[mark..].iter().map(|e| e.event).collect();
        let commit = after
            .iter()
            .position(|e| matches!(e, TraceEvent::Committed { offset: 3, .. }));
        let revoke = after
            .iter()
            .position(|e| matches!(e, TraceEvent::Revoked { member, .. } if *member == owner));
        let left = after
            .iter()
            .position(|e| matches!(e, TraceEvent::MemberLeft { .. }));
        let (commit, revoke, left) = (
            commit.expect("commit"),
            revoke.expect("revoke"),
            left.expect("left"),
        );
        assert!(commit < revoke && revoke < left, "{after:?}");
        assert_eq!(
            c.leave(owner),
            Err(BrokerError::MemberNotActive { member: owner })
        );
    }

    #[test]
    fn fenced_member_commit_is_rejected_and_it_rejoins() {
        let mut c = cluster(DeliveryMode::AtLeastOnce, false, 1);
        let (delivery, member) = loop {
            match c.step().map(|e| e.event) {
                Some(TraceEvent::Delivered {
                    delivery, member, ..
                }) => break (delivery, member),
                Some(_) => {}
                None => panic!("no delivery"),
            }
        };
        c.expire_session(member).expect("expire");
        c.ack_processed(delivery).expect("zombie may still finish");
        let mut events = Vec::new();
        while let Some(e) = c.step() {
            if let TraceEvent::Delivered { delivery, .. } = e.event {
                let _ = c.ack_processed(delivery);
            }
            events.push(e.event);
        }
        assert!(events
            .iter()
            .any(|e| matches!(e, TraceEvent::CommitRejected { offset: 1, .. })));
        assert!(events
            .iter()
            .any(|e| matches!(e, TraceEvent::MemberJoined { member: m, .. } if *m == member)));
        assert_eq!(c.committed("g", "t", 0).ok().flatten(), Some(3));
        assert_eq!(
            c.assignment(member).map(|a| a.len()),
            Ok(1),
            "it owns the partition again"
        );
    }

    #[test]
    fn exactly_once_outputs_are_transactional() {
        let mut c = cluster(DeliveryMode::ExactlyOnce, false, 1);
        c.create_topic("out", 1).expect("topic");
        let delivery = loop {
            match c.step().map(|e| e.event) {
                Some(TraceEvent::Delivered { delivery, .. }) => break delivery,
                Some(_) => {}
                None => panic!("no delivery"),
            }
        };
        c.produce_during(delivery, Produce::new("out", b"o"))
            .expect("output");
        assert_eq!(
            c.last_stable_offset("out", 0),
            Ok(0),
            "output pending in the transaction"
        );
        c.ack_processed(delivery).expect("ack");
        while c.step().is_some() {
            if c.committed("g", "t", 0).ok().flatten() == Some(1) {
                break;
            }
        }
        assert_eq!(
            c.last_stable_offset("out", 0),
            Ok(2),
            "output and commit marker are stable"
        );
    }
}
