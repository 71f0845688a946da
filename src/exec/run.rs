//! The run: one discrete-event clock shared with the broker, the flow of commands and events,
//! faults, counters, lag samples, the event log and the signs of hazards.

use super::{
    compile::{compile, delivery_mode, Plan, NONE},
    CausalStep, Diagnostic, ExecEvent, ExecEventKind, Fault, FaultError, Hop, InstanceState,
    LagSample, MessageId, MessageKind, NoteCounters, Problem, Rejection, RunConfig, Sign, SignKind,
    Snapshot,
};
use crate::{
    broker::{
        scheduler::SplitMix64, Cluster, ClusterConfig, DeliveryId, GroupConfig, GroupId, MemberId,
        Outcome, Produce, RetryMode, RetryPolicy, TopicConfig, TraceEntry, TraceEvent,
    },
    model::{Board, NoteId, NoteKind},
};
use crate::broker::sorted::{SortedMap, SortedSet};
use std::{
    cmp::Reverse,
    collections::{BTreeMap, BinaryHeap, HashMap},
};

const NO_MSG: u64 = u64::MAX;

#[derive(Clone, Copy, Debug)]
struct Msg {
    event: bool,
    note: u32,
    origin: u32,
    entity: u64,
    corr: u64,
    cause: u64,
    at: u64,
    agg: u32,
    version: u64,
}

#[derive(Clone, Debug)]
enum Action {
    SourceTick {
        source: u32,
    },
    CommandDone {
        msg: u64,
        calls_ok: bool,
    },
    ConsumerDone {
        delivery: u64,
    },
    Ack {
        delivery: u64,
    },
    Read {
        reader: u32,
        rm: u32,
        agg: u32,
        entity: u64,
        version: u64,
        written: u64,
        msg: u64,
        tries: u32,
    },
    Sample,
    Fault(Fault),
    SystemUp {
        system: u32,
    },
    Join {
        group: u32,
    },
    Relay {
        event: u32,
        msg: u64,
    },
}

struct Timer {
    at: u64,
    seq: u64,
    action: Action,
}

impl PartialEq for Timer {
    fn eq(&self, o: &Self) -> bool {
        (self.at, self.seq) == (o.at, o.seq)
    }
}
impl Eq for Timer {}
impl PartialOrd for Timer {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Timer {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(o.at, o.seq))
    }
}

struct Pending {
    group: u32,
    member: MemberId,
    msg: u64,
    fail: bool,
}

#[derive(Default)]
struct GroupState {
    applied: Vec<u64>,
    versions: HashMap<(u32, u64), u64>,
    lag: Vec<LagSample>,
    /// Per partition: (committed, end, since).
    progress: Vec<(Option<u64>, u64, u64)>,
    stuck: Vec<bool>,
}

/// One call made by the journal of faults, replayed by [`Run::state_at`].
#[derive(Clone, Debug)]
enum Journal {
    Apply { at: u64, fault: Fault },
    Schedule { at: u64, when: u64, fault: Fault },
}

/// A board running on the broker, driven one animation frame at a time.
pub struct Run {
    board: Board,
    plan: Plan,
    config: RunConfig,
    cluster: Cluster,
    rng: SplitMix64,
    timers: BinaryHeap<Reverse<Timer>>,
    seq: u64,
    now: u64,
    msgs: Vec<Msg>,
    offsets: Vec<Vec<Vec<u64>>>,
    traffic: Vec<Vec<u64>>,
    topic_of_broker: Vec<u32>,
    group_of_broker: Vec<u32>,
    groups: Vec<GroupState>,
    pending: BTreeMap<u64, Pending>,
    acking: BTreeMap<u64, MemberId>,
    extra: SortedMap<u32, u64>,
    counters: Vec<NoteCounters>,
    agg_versions: HashMap<(u32, u64), u64>,
    agg_crash_armed: Vec<bool>,
    agg_down_until: Vec<u64>,
    system_down: Vec<bool>,
    system_extra_ms: Vec<u64>,
    issued: Vec<u64>,
    loops: HashMap<(u64, u32), u32>,
    keys: Vec<String>,
    events: Vec<ExecEvent>,
    hops: Vec<Hop>,
    longest_hop: u64,
    signs: SortedMap<(SignKind, Vec<u32>), Sign>,
    call_failures: Vec<(u64, u32)>,
    failure_events: Vec<(u64, u64)>,
    poisoned: SortedSet<(u32, u32, u64)>,
    compensated: std::collections::HashSet<u64>,
    journal: Vec<Journal>,
    hash: u64,
    commands: u64,
}

fn mix(h: u64, v: u64) -> u64 {
    let mut z = (h ^ v).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Run {
    /// Compiles the board and sets the broker up; errors are the diagnostics that stop a run.
    pub fn new(board: &Board, config: RunConfig) -> Result<Run, Vec<Diagnostic>> {
        let mut plan = compile(board);
        if !plan.runnable() {
            return Err(plan
                .diagnostics
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect());
        }
        let mut cluster = Cluster::new(ClusterConfig {
            seed: config.seed ^ 0x5eed,
            keep_trace: false,
            ..ClusterConfig::default()
        });
        let mut errors = Vec::new();
        let mut topic_of_broker = Vec::new();
        for (i, t) in plan.topics.iter().enumerate() {
            let cfg = TopicConfig {
                retention_ms: t.retention_ms,
                ..TopicConfig::new(t.partitions)
            };
            match cluster.create_topic_with(&t.broker_name, cfg) {
                Ok(id) => {
                    if topic_of_broker.len() <= id.0 as usize {
                        topic_of_broker.resize(id.0 as usize + 1, NONE);
                    }
                    topic_of_broker[id.0 as usize] = i as u32;
                }
                Err(e) => errors.push(Diagnostic::error(
                    Vec::new(),
                    Problem::Broker {
                        reason: e.to_string(),
                    },
                )),
            }
        }
        let mut group_of_broker = Vec::new();
        for (gi, g) in plan.groups.iter().enumerate() {
            let topics: Vec<&str> = g
                .topics
                .iter()
                .map(|&t| plan.topics[t].broker_name.as_str())
                .collect();
            let mut gc = GroupConfig::new(&g.name, &topics).earliest();
            gc.auto_ack = false;
            gc.instances = g.props.instances as u32;
            gc.mode = delivery_mode(g.props.delivery);
            gc.processing_time_ms = 0;
            gc.session_timeout_ms = config.session_timeout_ms;
            let backoff = config.retry_backoff_ms;
            gc.retry = RetryPolicy {
                max_attempts: if g.props.dlq {
                    (g.props.retries.min(1_000) as u32) + 1
                } else {
                    u32::MAX
                },
                mode: if g.props.retry_topic && g.props.retries > 0 {
                    RetryMode::RetryTopic {
                        backoff_ms: backoff,
                    }
                } else {
                    RetryMode::Blocking {
                        backoff_ms: backoff,
                    }
                },
                dead_letter: g.props.dlq,
            };
            if g.props.retry_topic && g.props.retries > 0 && !g.props.dlq {
                gc.retry.max_attempts = (g.props.retries.min(1_000) as u32) + 1;
            }
            match cluster.create_group(gc) {
                Ok(id) => {
                    if group_of_broker.len() <= id.0 as usize {
                        group_of_broker.resize(id.0 as usize + 1, NONE);
                    }
                    group_of_broker[id.0 as usize] = gi as u32;
                }
                Err(e) => errors.push(Diagnostic::error(
                    vec![g.note.clone()],
                    Problem::Broker {
                        reason: e.to_string(),
                    },
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // Retry and dead-letter topics exist now; map them too.
        for name in cluster.topic_names() {
            if let Ok(id) = cluster.topic_id(&name) {
                if topic_of_broker.len() <= id.0 as usize {
                    topic_of_broker.resize(id.0 as usize + 1, NONE);
                }
            }
        }
        let n = board.notes.len();
        let offsets = plan
            .topics
            .iter()
            .map(|t| vec![Vec::new(); t.partitions as usize])
            .collect();
        let traffic = plan
            .topics
            .iter()
            .map(|t| vec![0; t.partitions as usize])
            .collect();
        let groups = plan
            .groups
            .iter()
            .map(|g| {
                let parts: usize = g
                    .topics
                    .iter()
                    .map(|&t| plan.topics[t].partitions as usize)
                    .sum();
                GroupState {
                    progress: vec![(None, 0, 0); parts],
                    stuck: vec![false; parts],
                    ..GroupState::default()
                }
            })
            .collect();
        let sources = plan.sources.len();
        plan.diagnostics.retain(|d| !d.is_error());
        let mut run = Run {
            board: board.clone(),
            plan,
            rng: SplitMix64::new(config.seed),
            config,
            cluster,
            timers: BinaryHeap::new(),
            seq: 0,
            now: 0,
            msgs: Vec::new(),
            offsets,
            traffic,
            topic_of_broker,
            group_of_broker,
            groups,
            pending: BTreeMap::new(),
            acking: BTreeMap::new(),
            extra: SortedMap::new(),
            counters: vec![NoteCounters::default(); n],
            agg_versions: HashMap::new(),
            agg_crash_armed: vec![false; n],
            agg_down_until: vec![0; n],
            system_down: vec![false; n],
            system_extra_ms: vec![0; n],
            issued: vec![0; sources],
            loops: HashMap::new(),
            keys: Vec::new(),
            events: Vec::new(),
            hops: Vec::new(),
            longest_hop: 0,
            signs: SortedMap::new(),
            call_failures: Vec::new(),
            failure_events: Vec::new(),
            poisoned: Default::default(),
            compensated: Default::default(),
            journal: Vec::new(),
            hash: 0,
            commands: 0,
        };
        for s in 0..sources {
            if run.plan.sources[s].rate > 0.0
                && !(run.plan.sources[s].issues.is_empty()
                    && run.plan.sources[s].publishes.is_empty())
            {
                run.schedule(0, Action::SourceTick { source: s as u32 });
            }
        }
        if !run.plan.groups.is_empty() {
            run.schedule(0, Action::Sample);
        }
        Ok(run)
    }

    // ----- the public surface --------------------------------------------------------------

    /// Warnings found while compiling (the run goes on).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.plan.diagnostics
    }

    /// The compiled board.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The run's settings.
    pub fn config(&self) -> &RunConfig {
        &self.config
    }

    /// Current simulated time (ms).
    pub fn now(&self) -> u64 {
        self.now
    }

    /// True when nothing is left to happen (sources done, broker idle).
    pub fn is_idle(&self) -> bool {
        self.timers
            .iter()
            .all(|t| matches!(t.0.action, Action::Sample))
            && self.cluster.next_time().is_none()
    }

    /// Advances simulated time to `t` (ms), running everything due on the way.
    pub fn step_until(&mut self, t: u64) {
        loop {
            // Broker actions first, up to the next timer (handling them may add earlier timers).
            loop {
                let bound = self.timers.peek().map_or(t, |n| n.0.at.min(t));
                match self.cluster.step_until(bound) {
                    Some(entry) => self.on_broker(entry),
                    None => break,
                }
            }
            let next = self.timers.peek().map(|t| t.0.at);
            match next {
                Some(at) if at <= t => {
                    let Some(Reverse(timer)) = self.timers.pop() else {
                        break;
                    };
                    self.cluster.run_until(at);
                    self.now = self.now.max(at);
                    self.execute(timer.action);
                }
                _ => break,
            }
        }
        self.cluster.run_until(t);
        self.now = self.now.max(t);
    }

    /// Runs to `duration_ms`, then lets in-flight work finish for up to `drain_ms` more.
    pub fn run_to_end(&mut self, drain_ms: u64) {
        let end = self.config.duration_ms;
        self.step_until(end);
        self.step_until(end.saturating_add(drain_ms));
    }

    /// Commands issued so far (by sources and policies).
    pub fn commands_issued(&self) -> u64 {
        self.commands
    }

    /// Counters of a note.
    pub fn counters(&self, note: &NoteId) -> Option<&NoteCounters> {
        self.plan.ix(note).map(|i| &self.counters[i as usize])
    }

    /// Counters of every note, in board order.
    pub fn all_counters(&self) -> Vec<(NoteId, NoteCounters)> {
        self.plan
            .ids
            .iter()
            .cloned()
            .zip(self.counters.iter().cloned())
            .collect()
    }

    /// The instances of a consumer's group, with their assigned partitions (board topic names).
    pub fn instances(&self, note: &NoteId) -> Vec<InstanceState> {
        let Some(g) = self.plan.group_of(note) else {
            return Vec::new();
        };
        let live = self.cluster.live_members(&g.name).unwrap_or_default();
        self.cluster
            .members(&g.name)
            .unwrap_or_default()
            .into_iter()
            .map(|m| InstanceState {
                name: self.cluster.member_name(m).unwrap_or_default().to_string(),
                alive: live.contains(&m),
                partitions: self
                    .cluster
                    .assignment(m)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|mut tp| {
                        if let Some(t) = self.plan.topics.iter().find(|t| t.broker_name == tp.topic)
                        {
                            tp.topic = t.name.clone();
                        }
                        tp
                    })
                    .collect(),
            })
            .collect()
    }

    /// Lag samples of a consumer's group over time (every `sample_ms`).
    pub fn lag_series(&self, note: &NoteId) -> &[LagSample] {
        let g = self
            .plan
            .ix(note)
            .map_or(NONE, |i| self.plan.group_of[i as usize]);
        self.groups.get(g as usize).map_or(&[], |s| &s.lag)
    }

    /// The event log (empty when `record_events` is off).
    pub fn events(&self) -> &[ExecEvent] {
        &self.events
    }

    /// Every message hop recorded so far (empty when `record_events` is off).
    pub fn hops(&self) -> &[Hop] {
        &self.hops
    }

    /// Tokens on links at time `t`: hops that started by `t` and had not arrived (each shown at
    /// least `min_hop_ms`, so instant hops stay visible).
    pub fn tokens_in_flight(&self, t: u64) -> Vec<Hop> {
        let min = self.config.min_hop_ms;
        let upto = self.hops.partition_point(|h| h.start <= t);
        let reach = self.longest_hop.max(min);
        let mut out: Vec<Hop> = self.hops[..upto]
            .iter()
            .rev()
            .take_while(|h| h.start.saturating_add(reach) >= t)
            .filter(|h| h.end.max(h.start.saturating_add(min)) > t)
            .cloned()
            .collect();
        out.reverse();
        out
    }

    /// Stable hash of everything that happened (broker trace and run events).
    pub fn trace_hash(&self) -> u64 {
        mix(self.hash, self.cluster.trace_hash())
    }

    /// Messages published per partition of a topic (board name).
    pub fn partition_traffic(&self, topic: &str) -> Option<&[u64]> {
        let t = self.plan.topics.iter().position(|x| x.name == topic)?;
        Some(&self.traffic[t])
    }

    /// The broker underneath (read-only).
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// Number of messages so far.
    pub fn message_count(&self) -> u64 {
        self.msgs.len() as u64
    }

    /// The chain from a message back to the source action that caused it (first: the
    /// message; last: the command the actor or source issued, whose `origin` is that source).
    pub fn causal_chain(&self, message: MessageId) -> Vec<CausalStep> {
        let mut out = Vec::new();
        let mut m = message.0;
        while let Some(msg) = self.msgs.get(m as usize) {
            out.push(CausalStep {
                message: MessageId(m),
                kind: if msg.event {
                    MessageKind::Event
                } else {
                    MessageKind::Command
                },
                note: self.plan.ids[msg.note as usize].clone(),
                origin: self.plan.ids.get(msg.origin as usize).cloned(),
                at: msg.at,
            });
            if msg.cause == NO_MSG || out.len() > self.msgs.len() {
                break;
            }
            m = msg.cause;
        }
        out
    }

    /// The correlation id of a message (the first message of its flow).
    pub fn correlation(&self, message: MessageId) -> Option<MessageId> {
        self.msgs.get(message.0 as usize).map(|m| MessageId(m.corr))
    }

    /// The signs of hazards seen so far (those judged over the whole run included).
    pub fn signs(&self) -> Vec<Sign> {
        let mut all = self.signs.clone();
        self.hot_partitions(&mut all);
        self.half_done_sagas(&mut all);
        self.growing_lag(&mut all);
        all.into_values().collect()
    }

    /// Applies a fault now.
    pub fn apply_fault(&mut self, fault: Fault) -> Result<(), FaultError> {
        self.validate(&fault)?;
        self.journal.push(Journal::Apply {
            at: self.now,
            fault: fault.clone(),
        });
        self.fire(fault)
    }

    /// Schedules a fault at time `at` (ms; now if already past).
    pub fn schedule_fault(&mut self, at: u64, fault: Fault) -> Result<(), FaultError> {
        self.validate(&fault)?;
        self.journal.push(Journal::Schedule {
            at: self.now,
            when: at,
            fault: fault.clone(),
        });
        self.schedule(at.max(self.now), Action::Fault(fault));
        Ok(())
    }

    /// A plain picture of the run now.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            at: self.now,
            counters: self.all_counters(),
            tokens: self.tokens_in_flight(self.now),
            signs: self.signs(),
        }
    }

    /// The run as it was (or will be) at time `t`: a deterministic re-run from the seed with the
    /// same faults at the same moments.
    pub fn state_at(&self, t: u64) -> Result<Run, Vec<Diagnostic>> {
        let mut run = Run::new(&self.board, self.config.clone())?;
        for j in &self.journal {
            let (at, fault, when) = match j {
                Journal::Apply { at, fault } => (*at, fault, None),
                Journal::Schedule { at, when, fault } => (*at, fault, Some(*when)),
            };
            if at > t {
                break;
            }
            run.step_until(at);
            let _ = match when {
                None => run.apply_fault(fault.clone()),
                Some(w) => run.schedule_fault(w, fault.clone()),
            };
        }
        run.step_until(t);
        Ok(run)
    }

    // ----- scheduling ------------------------------------------------------------------------

    fn schedule(&mut self, at: u64, action: Action) {
        self.seq += 1;
        self.timers.push(Reverse(Timer {
            at,
            seq: self.seq,
            action,
        }));
    }

    fn execute(&mut self, action: Action) {
        match action {
            Action::SourceTick { source } => self.source_tick(source),
            Action::CommandDone { msg, calls_ok } => self.finish_command(msg, calls_ok),
            Action::ConsumerDone { delivery } => self.consumer_done(delivery),
            Action::Ack { delivery } => {
                if self.acking.remove(&delivery).is_some() {
                    let _ = self.cluster.ack_processed(DeliveryId(delivery));
                }
            }
            Action::Read {
                reader,
                rm,
                agg,
                entity,
                version,
                written,
                msg,
                tries,
            } => self.read(reader, rm, agg, entity, version, written, msg, tries),
            Action::Sample => self.sample(),
            Action::Fault(f) => {
                let _ = self.fire(f);
            }
            Action::SystemUp { system } => {
                self.system_down[system as usize] = false;
                self.system_extra_ms[system as usize] = 0;
            }
            Action::Join { group } => {
                let name = self.plan.groups[group as usize].name.clone();
                let _ = self.cluster.join(&name);
            }
            Action::Relay { event, msg } => self.produce(event, msg, None),
        }
    }

    fn log(
        &mut self,
        kind: ExecEventKind,
        note: u32,
        from: u32,
        to: u32,
        msg: u64,
        place: Option<(usize, u32, u64)>,
    ) {
        let tag = match &kind {
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
        };
        self.hash = mix(
            mix(mix(self.hash, self.now), tag),
            (u64::from(note) << 32) ^ msg,
        );
        if !self.config.record_events {
            return;
        }
        let id = |i: u32| self.plan.ids.get(i as usize).cloned();
        let m = self.msgs.get(msg as usize);
        self.events.push(ExecEvent {
            at: self.now,
            kind,
            note: id(note).unwrap_or_else(|| NoteId(String::new())),
            from_note: id(from),
            to_note: id(to),
            message: m.map(|_| MessageId(msg)),
            correlation: m.map(|m| MessageId(m.corr)),
            topic: place.map(|p| self.plan.topics[p.0].name.clone()),
            partition: place.map(|p| p.1),
            offset: place.map(|p| p.2),
        });
    }

    fn hop(&mut self, link: u32, _from: u32, _to: u32, msg: u64, start: u64, end: u64) {
        if !self.config.record_events || link == NONE {
            return;
        }
        let Some(l) = self.board.links.get(link as usize) else {
            return;
        };
        self.longest_hop = self.longest_hop.max(end - start);
        let hop = Hop {
            link: l.id.clone(),
            from: l.from.clone(),
            to: l.to.clone(),
            message: MessageId(msg),
            start,
            end,
        };
        // Hops are recorded when they start, except consumer hops recorded on delivery: keep
        // the list sorted by start.
        let pos = self.hops.partition_point(|h| h.start <= start);
        self.hops.insert(pos, hop);
    }

    fn sign(&mut self, kind: SignKind, notes: Vec<u32>, worst: u64, example: u64) {
        let now = self.now;
        let ids: Vec<NoteId> = notes
            .iter()
            .filter_map(|&i| self.plan.ids.get(i as usize).cloned())
            .collect();
        let s = self.signs.entry((kind, notes)).or_insert(Sign {
            kind,
            notes: ids,
            count: 0,
            first_at: now,
            worst: 0,
            example: (example != NO_MSG).then_some(MessageId(example)),
        });
        s.count += 1;
        s.worst = s.worst.max(worst);
    }

    fn key(&mut self, entity: u64) -> String {
        let e = entity as usize;
        if e < 65_536 {
            while self.keys.len() <= e {
                let k = self.keys.len().to_string();
                self.keys.push(k);
            }
            self.keys[e].clone()
        } else {
            entity.to_string()
        }
    }

    fn new_msg(&mut self, msg: Msg) -> u64 {
        self.msgs.push(msg);
        self.msgs.len() as u64 - 1
    }

    // ----- sources and commands ---------------------------------------------------------------

    fn source_tick(&mut self, source: u32) {
        let s = &self.plan.sources[source as usize];
        let (rate, entities, ix) = (s.rate, s.entities, s.ix);
        let interval = if rate >= 1000.0 {
            1
        } else {
            ((1000.0 / rate).round() as u64).max(1)
        };
        let due = ((rate * self.now as f64 / 1000.0).floor() as u64).saturating_add(1);
        let n = due.saturating_sub(self.issued[source as usize]);
        self.issued[source as usize] = self.issued[source as usize].max(due);
        let choices = s.issues.len() + s.publishes.len();
        for _ in 0..n {
            let entity = self.rng.below(entities);
            let pick = if choices > 1 {
                self.rng.below(choices as u64) as usize
            } else {
                0
            };
            let s = &self.plan.sources[source as usize];
            if pick < s.issues.len() {
                let (cmd, link) = s.issues[pick];
                self.issue(cmd, entity, NO_MSG, NO_MSG, ix, link, true);
            } else {
                let (event, link) = s.publishes[pick - s.issues.len()];
                let msg = self.new_msg(Msg {
                    event: true,
                    note: event,
                    origin: ix,
                    entity,
                    corr: 0,
                    cause: NO_MSG,
                    at: self.now,
                    agg: NONE,
                    version: 0,
                });
                self.msgs[msg as usize].corr = msg;
                self.counters[ix as usize].handled += 1;
                self.hop(link, ix, event, msg, self.now, self.now);
                self.produce(event, msg, None);
            }
        }
        let next = self.now.saturating_add(interval);
        if next < self.config.duration_ms {
            self.schedule(next, Action::SourceTick { source });
        }
    }

    /// A command issued by `origin` (a source when `from_source`, else a policy or system).
    #[allow(clippy::too_many_arguments)]
    fn issue(
        &mut self,
        cmd: u32,
        entity: u64,
        corr: u64,
        cause: u64,
        origin: u32,
        link: u32,
        from_source: bool,
    ) {
        let msg = self.new_msg(Msg {
            event: false,
            note: cmd,
            origin,
            entity,
            corr,
            cause,
            at: self.now,
            agg: NONE,
            version: if from_source { 1 } else { 0 },
        });
        if corr == NO_MSG {
            self.msgs[msg as usize].corr = msg;
        }
        self.commands += 1;
        if from_source {
            self.counters[origin as usize].handled += 1;
        }
        self.hop(link, origin, cmd, msg, self.now, self.now);
        self.log(ExecEventKind::CommandIssued, cmd, origin, cmd, msg, None);
        let Some(plan) = self.plan.commands[cmd as usize].as_ref() else {
            return;
        };
        let (handled, aggregate, calls) = (plan.handled, plan.aggregate, plan.calls.clone());
        if !handled {
            self.counters[cmd as usize].failed += 1;
            self.log(
                ExecEventKind::CommandRejected {
                    reason: Rejection::NoHandler,
                },
                cmd,
                NONE,
                NONE,
                msg,
                None,
            );
            return;
        }
        if let Some((agg, _)) = aggregate {
            if self.agg_down_until[agg as usize] > self.now {
                self.counters[cmd as usize].failed += 1;
                self.log(
                    ExecEventKind::CommandRejected {
                        reason: Rejection::AggregateDown,
                    },
                    cmd,
                    NONE,
                    agg,
                    msg,
                    None,
                );
                return;
            }
            // An aggregate deciding on a view: stale when the view lags its own writes.
            let reads = self.plan.aggregates[agg as usize]
                .as_ref()
                .map(|a| a.reads.clone())
                .unwrap_or_default();
            let own = self.agg_versions.get(&(agg, entity)).copied().unwrap_or(0);
            for (rm, rlink) in reads {
                self.hop(rlink, rm, agg, msg, self.now, self.now);
                self.check_read(agg, rm, agg, entity, own, self.now, msg);
            }
        }
        let (latency, ok) = self.call_all(&calls, cmd, msg);
        self.counters[cmd as usize].in_flight += 1;
        if let Some((agg, alink)) = aggregate {
            self.hop(alink, cmd, agg, msg, self.now, self.now + latency);
        }
        if latency == 0 {
            self.finish_command(msg, ok);
        } else {
            self.schedule(
                self.now + latency,
                Action::CommandDone { msg, calls_ok: ok },
            );
        }
    }

    /// Makes synchronous calls one after the other; returns the time blocked and success.
    fn call_all(&mut self, calls: &[(u32, u32)], caller: u32, msg: u64) -> (u64, bool) {
        let mut latency = 0u64;
        for &(sys, link) in calls {
            let Some((ms, availability)) = self.plan.systems[sys as usize] else {
                continue;
            };
            let down = self.system_down[sys as usize];
            let (took, ok) = if down {
                (self.config.call_timeout_ms, false)
            } else {
                (
                    ms.saturating_add(self.system_extra_ms[sys as usize]),
                    availability >= 1.0
                        || (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= availability,
                )
            };
            self.hop(
                link,
                caller,
                sys,
                msg,
                self.now + latency,
                self.now + latency + took,
            );
            latency += took;
            if ok {
                self.counters[sys as usize].handled += 1;
            } else {
                self.counters[sys as usize].failed += 1;
                self.log(
                    ExecEventKind::CallFailed { down },
                    caller,
                    caller,
                    sys,
                    msg,
                    None,
                );
                let blocked = took;
                self.sign(
                    SignKind::BlockedCallers,
                    vec![caller, sys],
                    blocked,
                    if down { msg } else { NO_MSG },
                );
                if !down {
                    // Only outages and bursts count as a sign; single failures are background.
                    self.forgive_single_failure(caller, sys);
                }
                return (latency, false);
            }
        }
        (latency, true)
    }

    /// Keeps the blocked-callers sign for outages: a lone failed call of an available system is
    /// background noise, three failures of a system within a second are not.
    fn forgive_single_failure(&mut self, caller: u32, sys: u32) {
        let key = (SignKind::BlockedCallers, vec![caller, sys]);
        let now = self.now;
        let recent = self.recent_failures(sys, now);
        if recent < 3 {
            if let Some(s) = self.signs.get_mut(&key) {
                s.count -= 1;
                if s.count == 0 {
                    self.signs.remove(&key);
                }
            }
        }
    }

    fn recent_failures(&mut self, sys: u32, now: u64) -> usize {
        self.call_failures.retain(|&(at, _)| at + 1_000 >= now);
        self.call_failures.push((now, sys));
        self.call_failures.iter().filter(|f| f.1 == sys).count()
    }

    fn finish_command(&mut self, msg: u64, calls_ok: bool) {
        let m = self.msgs[msg as usize];
        let cmd = m.note;
        self.counters[cmd as usize].in_flight =
            self.counters[cmd as usize].in_flight.saturating_sub(1);
        let Some(plan) = self.plan.commands[cmd as usize].as_ref() else {
            return;
        };
        let (aggregate, success, failure) = (plan.aggregate, plan.success, plan.failure);
        let random_failure = calls_ok
            && failure.is_some()
            && success != failure
            && self.chance(self.config.failure_event_rate);
        let chosen = if !calls_ok || random_failure {
            failure
        } else {
            success
        };
        let Some((event, elink)) = chosen else {
            self.counters[cmd as usize].failed += 1;
            self.log(
                ExecEventKind::CommandRejected {
                    reason: Rejection::CallFailed,
                },
                cmd,
                NONE,
                NONE,
                msg,
                None,
            );
            return;
        };
        self.counters[cmd as usize].handled += 1;
        let (emitter, agg) = match aggregate {
            Some((a, _)) => (a, a),
            None => (cmd, NONE),
        };
        if agg != NONE {
            self.counters[agg as usize].handled += 1;
        }
        self.log(ExecEventKind::CommandHandled, cmd, cmd, emitter, msg, None);
        let version = if agg != NONE {
            let v = self.agg_versions.entry((agg, m.entity)).or_insert(0);
            *v += 1;
            *v
        } else {
            0
        };
        let ev = self.new_msg(Msg {
            event: true,
            note: event,
            origin: emitter,
            entity: m.entity,
            corr: m.corr,
            cause: msg,
            at: self.now,
            agg,
            version,
        });
        self.hop(elink, emitter, event, ev, self.now, self.now);
        if agg != NONE && self.agg_crash_armed[agg as usize] {
            // Crash between save and publish.
            self.agg_crash_armed[agg as usize] = false;
            let restart = self.now + self.config.aggregate_restart_ms;
            self.agg_down_until[agg as usize] = restart;
            let a = self.plan.aggregates[agg as usize].as_ref();
            let safe = a.is_some_and(|a| a.outbox || !a.state_store);
            if safe {
                self.schedule(restart, Action::Relay { event, msg: ev });
            } else {
                self.counters[event as usize].failed += 1;
                self.log(ExecEventKind::EventLost, event, agg, event, ev, None);
                self.sign(SignKind::DualWriteLost, vec![agg, event], 1, ev);
            }
        } else {
            self.produce(event, ev, None);
        }
        // The source reads its views after its own write.
        if m.version == 1 && m.origin != NONE {
            if let Some(s) = self.plan.sources.iter().position(|s| s.ix == m.origin) {
                let (reads, delay) = (
                    self.plan.sources[s].reads.clone(),
                    self.plan.sources[s].read_delay_ms,
                );
                for (rm, _) in reads {
                    let g = self.plan.group_of[rm as usize];
                    let feeds = self.plan.events[event as usize]
                        .as_ref()
                        .is_some_and(|e| e.subscribers.contains(&g));
                    if feeds && agg != NONE {
                        self.schedule(
                            self.now + delay,
                            Action::Read {
                                reader: m.origin,
                                rm,
                                agg,
                                entity: m.entity,
                                version,
                                written: self.now,
                                msg: ev,
                                tries: 0,
                            },
                        );
                    }
                }
            }
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && ((self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn produce(&mut self, event: u32, msg: u64, _in_delivery: Option<u64>) {
        let Some(ep) = self.plan.events[event as usize].as_ref() else {
            return;
        };
        let (t, keyed, by_entity) = (ep.topic, ep.keyed, ep.by_entity);
        let m = self.msgs[msg as usize];
        let key = if !keyed {
            None
        } else if by_entity {
            Some(self.key(m.entity))
        } else {
            let e = self.rng.below(m.entity.max(1).saturating_mul(4).max(100));
            Some(self.key(e))
        };
        let corr = m.corr.to_string();
        let cause = if m.cause == NO_MSG {
            String::new()
        } else {
            m.cause.to_string()
        };
        let headers = [
            ("correlation-id", corr.as_str()),
            ("causation-id", cause.as_str()),
        ];
        let value = msg.to_le_bytes();
        let name = &self.plan.topics[t].broker_name;
        let mut p = Produce::new(name, &value).headers(&headers);
        if let Some(k) = key.as_deref() {
            p = p.key(k);
        }
        match self.cluster.produce(p, self.now) {
            Ok(meta) => {
                let part = meta.partition as usize;
                if let Some(slot) = self.offsets[t].get_mut(part) {
                    let o = meta.offset as usize;
                    if slot.len() < o {
                        slot.resize(o, NO_MSG);
                    }
                    slot.push(msg);
                }
                if let Some(c) = self.traffic[t].get_mut(part) {
                    *c += 1;
                }
                self.counters[event as usize].handled += 1;
                if self.plan.events[event as usize]
                    .as_ref()
                    .is_some_and(|e| e.failure)
                {
                    self.failures_published(msg);
                }
                self.log(
                    ExecEventKind::EventPublished,
                    event,
                    m.origin,
                    event,
                    msg,
                    Some((t, meta.partition, meta.offset)),
                );
            }
            Err(_) => {
                self.counters[event as usize].failed += 1;
            }
        }
    }

    fn failures_published(&mut self, msg: u64) {
        // Tracked for the saga check at the end.
        self.failure_events.push((self.now, msg));
    }

    // ----- consumers ----------------------------------------------------------------------------

    fn message_at(&self, topic: u32, partition: u32, offset: u64) -> u64 {
        let t = self
            .topic_of_broker
            .get(topic as usize)
            .copied()
            .unwrap_or(NONE);
        if t != NONE {
            return self.offsets[t as usize]
                .get(partition as usize)
                .and_then(|p| p.get(offset as usize))
                .copied()
                .unwrap_or(NO_MSG);
        }
        // Retry and dead-letter topics: the broker copied the record, value and all.
        let name = self
            .cluster
            .topic_name(crate::broker::TopicId(topic))
            .unwrap_or_default()
            .to_string();
        self.cluster
            .record(&name, partition, offset)
            .ok()
            .and_then(|r| {
                r.value
                    .get(..8)
                    .and_then(|b| b.try_into().ok())
                    .map(u64::from_le_bytes)
            })
            .unwrap_or(NO_MSG)
    }

    fn on_broker(&mut self, entry: TraceEntry) {
        self.now = self.now.max(entry.at);
        match entry.event {
            TraceEvent::Delivered {
                group,
                member,
                topic,
                partition,
                offset,
                attempt,
                delivery,
            } => self.on_delivered(
                group, member, topic.0, partition, offset, attempt, delivery.0,
            ),
            TraceEvent::Crashed { group, member } => self.on_crash(group, member),
            TraceEvent::Processed {
                group,
                topic,
                partition,
                offset,
                outcome: Outcome::DeadLettered,
                ..
            } => {
                let g = self
                    .group_of_broker
                    .get(group.0 as usize)
                    .copied()
                    .unwrap_or(NONE);
                if g != NONE {
                    let msg = self.message_at(topic.0, partition, offset);
                    let note = self.plan.groups[g as usize].ix;
                    self.log(ExecEventKind::DeadLettered, note, note, NONE, msg, None);
                }
            }
            TraceEvent::RebalanceCompleted {
                group, generation, ..
            } => {
                let g = self
                    .group_of_broker
                    .get(group.0 as usize)
                    .copied()
                    .unwrap_or(NONE);
                if g != NONE {
                    let note = self.plan.groups[g as usize].ix;
                    self.log(
                        ExecEventKind::Rebalanced { generation },
                        note,
                        NONE,
                        NONE,
                        NO_MSG,
                        None,
                    );
                }
            }
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn on_delivered(
        &mut self,
        group: GroupId,
        member: MemberId,
        topic: u32,
        partition: u32,
        offset: u64,
        attempt: u32,
        delivery: u64,
    ) {
        let g = self
            .group_of_broker
            .get(group.0 as usize)
            .copied()
            .unwrap_or(NONE);
        let msg = self.message_at(topic, partition, offset);
        if g == NONE || msg == NO_MSG {
            let _ = self.cluster.ack_processed(DeliveryId(delivery));
            return;
        }
        let gp = &self.plan.groups[g as usize];
        let (note, failure_rate, processing, own, calls) = (
            gp.ix,
            gp.props.failure_rate,
            gp.props.processing_ms,
            gp.own_latency_ms,
            gp.calls.clone(),
        );
        let m = self.msgs[msg as usize];
        let Some(&(_, link)) = gp.subscriptions.iter().find(|s| s.0 == m.note) else {
            // Another event on a shared topic: the consumer skips it at once.
            let _ = self.cluster.ack_processed(DeliveryId(delivery));
            return;
        };
        if attempt == 1 {
            self.hop(link, m.note, note, msg, m.at, self.now);
        }
        let t = self
            .topic_of_broker
            .get(topic as usize)
            .copied()
            .unwrap_or(NONE);
        let place = (t != NONE).then_some((t as usize, partition, offset));
        self.log(
            ExecEventKind::Delivered { attempt },
            note,
            m.note,
            note,
            msg,
            place,
        );
        let poisoned = self.cluster_poisoned(topic, partition, offset);
        let mut fail = poisoned || self.chance(failure_rate);
        let extra = self.extra.get(&member.0).copied().unwrap_or(0);
        let mut duration = (processing.clamp(0.0, 3_600_000.0) as u64)
            .saturating_add(extra)
            .saturating_add(own);
        if !fail {
            let (latency, ok) = self.call_all(&calls, note, msg);
            duration = duration.saturating_add(latency);
            fail = !ok;
        }
        self.counters[note as usize].in_flight += 1;
        self.pending.insert(
            delivery,
            Pending {
                group: g,
                member,
                msg,
                fail,
            },
        );
        self.schedule(
            self.now.saturating_add(duration),
            Action::ConsumerDone { delivery },
        );
    }

    fn cluster_poisoned(&self, topic: u32, partition: u32, offset: u64) -> bool {
        self.poisoned.contains(&(topic, partition, offset))
    }

    fn on_crash(&mut self, group: GroupId, member: MemberId) {
        let g = self
            .group_of_broker
            .get(group.0 as usize)
            .copied()
            .unwrap_or(NONE);
        let lost: Vec<u64> = self
            .pending
            .iter()
            .filter(|(_, p)| p.member == member)
            .map(|(d, _)| *d)
            .collect();
        for d in lost {
            let Some(p) = self.pending.remove(&d) else {
                continue;
            };
            let note = self.plan.groups[p.group as usize].ix;
            self.counters[note as usize].in_flight =
                self.counters[note as usize].in_flight.saturating_sub(1);
            if g != NONE
                && self.plan.groups[g as usize].props.delivery
                    == crate::model::props::Delivery::AtMostOnce
            {
                self.log(ExecEventKind::LostOnCrash, note, NONE, NONE, p.msg, None);
                self.sign(SignKind::LostOnCrash, vec![note], 1, p.msg);
            }
        }
        self.acking.retain(|_, m| *m != member);
    }

    fn consumer_done(&mut self, delivery: u64) {
        let Some(p) = self.pending.remove(&delivery) else {
            return;
        };
        let gp = &self.plan.groups[p.group as usize];
        let note = gp.ix;
        let exactly_once = gp.props.delivery == crate::model::props::Delivery::ExactlyOnce;
        self.counters[note as usize].in_flight =
            self.counters[note as usize].in_flight.saturating_sub(1);
        if p.fail {
            self.counters[note as usize].failed += 1;
            self.log(
                ExecEventKind::ProcessingFailed,
                note,
                NONE,
                NONE,
                p.msg,
                None,
            );
            let _ = self.cluster.fail_processing(DeliveryId(delivery));
            return;
        }
        self.counters[note as usize].handled += 1;
        self.apply(p.group, p.msg);
        if exactly_once || self.config.commit_ms == 0 {
            let _ = self.cluster.ack_processed(DeliveryId(delivery));
        } else {
            self.acking.insert(delivery, p.member);
            self.schedule(self.now + self.config.commit_ms, Action::Ack { delivery });
        }
    }

    /// The consumer's effect.
    fn apply(&mut self, g: u32, msg: u64) {
        let gp = &self.plan.groups[g as usize];
        let (note, idempotent, ordered, kind) = (
            gp.ix,
            gp.props.idempotent,
            gp.props.ordered,
            self.plan.kinds[gp.ix as usize],
        );
        let m = self.msgs[msg as usize];
        let st = &mut self.groups[g as usize];
        let word = (msg / 64) as usize;
        if st.applied.len() <= word {
            st.applied.resize(word + 1, 0);
        }
        let seen = st.applied[word] & (1 << (msg % 64)) != 0;
        st.applied[word] |= 1 << (msg % 64);
        if seen {
            if idempotent {
                return;
            }
            self.log(ExecEventKind::DuplicateApplied, note, NONE, NONE, msg, None);
            self.sign(SignKind::DuplicateApply, vec![note], 2, msg);
        }
        if m.agg != NONE && m.version > 0 {
            let last = self.groups[g as usize]
                .versions
                .insert((m.agg, m.entity), m.version)
                .unwrap_or(0);
            if m.version < last && ordered {
                self.log(
                    ExecEventKind::OutOfOrder {
                        version: m.version,
                        after: last,
                    },
                    note,
                    NONE,
                    NONE,
                    msg,
                    None,
                );
                self.sign(
                    SignKind::OutOfOrder,
                    vec![note, m.agg],
                    last - m.version,
                    msg,
                );
            }
        }
        if self.plan.compensates[note as usize] {
            self.compensated.insert(msg);
        }
        self.log(ExecEventKind::Processed, note, NONE, NONE, msg, None);
        if kind == NoteKind::ReadModel {
            return;
        }
        let gp = &self.plan.groups[g as usize];
        let (issues, publishes, reads) =
            (gp.issues.clone(), gp.publishes.clone(), gp.reads.clone());
        for (rm, _) in reads {
            if m.agg != NONE {
                self.check_read(note, rm, m.agg, m.entity, m.version, m.at, msg);
            }
        }
        if kind == NoteKind::Policy {
            let passes = self.loops.entry((m.corr, note)).or_insert(0);
            *passes += 1;
            let passes = *passes;
            if passes > self.config.loop_limit {
                self.log(
                    ExecEventKind::LoopCut { passes },
                    note,
                    NONE,
                    NONE,
                    msg,
                    None,
                );
                self.sign(
                    SignKind::EventLoop,
                    vec![note, m.note],
                    u64::from(passes),
                    msg,
                );
                return;
            }
        }
        for (cmd, link) in issues {
            self.issue(cmd, m.entity, m.corr, msg, note, link, false);
        }
        for (event, link) in publishes {
            let ev = self.new_msg(Msg {
                event: true,
                note: event,
                origin: note,
                entity: m.entity,
                corr: m.corr,
                cause: msg,
                at: self.now,
                agg: NONE,
                version: 0,
            });
            self.hop(link, note, event, ev, self.now, self.now);
            self.produce(event, ev, None);
        }
    }

    /// A read of view `rm` by `reader` for a key whose writer version is `version`.
    #[allow(clippy::too_many_arguments)]
    fn check_read(
        &mut self,
        reader: u32,
        rm: u32,
        agg: u32,
        entity: u64,
        version: u64,
        written: u64,
        msg: u64,
    ) -> bool {
        let g = self.plan.group_of[rm as usize];
        if g == NONE || version == 0 {
            return true;
        }
        let applied = self.groups[g as usize]
            .versions
            .get(&(agg, entity))
            .copied()
            .unwrap_or(0);
        let fresh = applied >= version;
        let lag = self.now.saturating_sub(written);
        self.log(
            ExecEventKind::Read {
                stale: !fresh,
                lag_ms: lag,
            },
            reader,
            reader,
            rm,
            msg,
            None,
        );
        if !fresh && !self.plan.version_token[rm as usize] {
            self.sign(SignKind::StaleRead, vec![reader, rm], lag, msg);
        }
        fresh
    }

    #[allow(clippy::too_many_arguments)]
    fn read(
        &mut self,
        reader: u32,
        rm: u32,
        agg: u32,
        entity: u64,
        version: u64,
        written: u64,
        msg: u64,
        tries: u32,
    ) {
        let g = self.plan.group_of[rm as usize];
        if g == NONE {
            return;
        }
        let applied = self.groups[g as usize]
            .versions
            .get(&(agg, entity))
            .copied()
            .unwrap_or(0);
        if applied < version && self.plan.version_token[rm as usize] && tries < 200 {
            // The reader holds the writer's version and waits for the view to reach it.
            self.schedule(
                self.now + 5,
                Action::Read {
                    reader,
                    rm,
                    agg,
                    entity,
                    version,
                    written,
                    msg,
                    tries: tries + 1,
                },
            );
            return;
        }
        self.check_read(reader, rm, agg, entity, version, written, msg);
    }

    // ----- sampling -------------------------------------------------------------------------------

    fn sample(&mut self) {
        let now = self.now;
        for gi in 0..self.plan.groups.len() {
            let name = self.plan.groups[gi].name.clone();
            let note = self.plan.groups[gi].ix;
            let Ok(lag) = self.cluster.lag(&name) else {
                continue;
            };
            let st = &mut self.groups[gi];
            st.lag.push(LagSample {
                at: now,
                lag: lag.total,
                lag_ms: lag.max_lag_ms,
            });
            self.counters[note as usize].lag = Some(lag.total);
            self.counters[note as usize].lag_ms = Some(lag.max_lag_ms);
            let base: Vec<_> = lag
                .partitions
                .iter()
                .filter(|p| !p.topic.ends_with("-retry"))
                .collect();
            let mut stuck = Vec::new();
            for (i, p) in base.iter().enumerate() {
                let st = &mut self.groups[gi];
                if st.progress.len() <= i {
                    st.progress.resize(i + 1, (None, 0, now));
                    st.stuck.resize(i + 1, false);
                }
                let (committed, _, since) = st.progress[i];
                if committed != p.committed || p.lag == 0 {
                    st.progress[i] = (p.committed, p.end_offset, now);
                    st.stuck[i] = false;
                } else if now.saturating_sub(since) >= self.config.stuck_ms
                    && p.end_offset > st.progress[i].1
                    && !st.stuck[i]
                {
                    st.stuck[i] = true;
                    stuck.push(p.lag_ms);
                }
            }
            for lag_ms in stuck {
                self.sign(SignKind::StuckPartition, vec![note], lag_ms, NO_MSG);
            }
            // Idle instances: live, the group settled, no partition.
            if !self.cluster.is_rebalancing(&name).unwrap_or(true) {
                let live = self.cluster.live_members(&name).unwrap_or_default();
                let idle = live
                    .iter()
                    .filter(|&&m| self.cluster.assignment(m).is_ok_and(|a| a.is_empty()))
                    .count();
                if idle > 0
                    && !self
                        .signs
                        .contains_key(&(SignKind::IdleConsumer, vec![note]))
                {
                    self.sign(SignKind::IdleConsumer, vec![note], idle as u64, NO_MSG);
                }
            }
        }
        let next = now + self.config.sample_ms.max(1);
        if next
            <= self
                .config
                .duration_ms
                .saturating_add(self.config.sample_ms.max(1) * 50)
            || !self.pending.is_empty()
        {
            self.schedule(next, Action::Sample);
        }
    }

    // ----- signs judged over the run -----------------------------------------------------------------

    fn hot_partitions(&self, out: &mut SortedMap<(SignKind, Vec<u32>), Sign>) {
        for (t, counts) in self.traffic.iter().enumerate() {
            let n = counts.len() as u64;
            let total: u64 = counts.iter().sum();
            if n < 2 || total < 20 * n {
                continue;
            }
            let max = counts.iter().copied().max().unwrap_or(0);
            let mean = total as f64 / n as f64;
            if (max as f64) < 2.0 * mean || (max as f64 - mean) < 4.0 * mean.sqrt() {
                continue;
            }
            let events: Vec<u32> = (0..self.plan.events.len() as u32)
                .filter(|&e| {
                    self.plan.events[e as usize]
                        .as_ref()
                        .is_some_and(|p| p.topic == t)
                        && self.counters[e as usize].handled > 0
                })
                .collect();
            let ids = events
                .iter()
                .map(|&e| self.plan.ids[e as usize].clone())
                .collect();
            out.insert(
                (SignKind::HotPartition, events),
                Sign {
                    kind: SignKind::HotPartition,
                    notes: ids,
                    count: max,
                    first_at: 0,
                    worst: max * 1000 / total,
                    example: None,
                },
            );
        }
    }

    fn half_done_sagas(&self, out: &mut SortedMap<(SignKind, Vec<u32>), Sign>) {
        for &(at, msg) in &self.failure_events {
            if at.saturating_add(1_000) > self.now || self.compensated.contains(&msg) {
                continue;
            }
            let m = self.msgs[msg as usize];
            // Does the flow cross contexts?
            let frame = &self.plan.frames[m.note as usize];
            let crosses = self.causal_chain(MessageId(msg)).iter().any(|s| {
                let i = self.plan.ix(&s.note).unwrap_or(NONE) as usize;
                self.plan.frames.get(i).is_some_and(|f| f != frame)
            });
            if !crosses {
                continue;
            }
            let s = out
                .entry((SignKind::SagaHalfDone, vec![m.note]))
                .or_insert(Sign {
                    kind: SignKind::SagaHalfDone,
                    notes: vec![self.plan.ids[m.note as usize].clone()],
                    count: 0,
                    first_at: at,
                    worst: 0,
                    example: Some(MessageId(msg)),
                });
            s.count += 1;
        }
    }

    fn growing_lag(&self, out: &mut SortedMap<(SignKind, Vec<u32>), Sign>) {
        for (gi, st) in self.groups.iter().enumerate() {
            let s: Vec<&LagSample> = st
                .lag
                .iter()
                .filter(|s| s.at <= self.config.duration_ms)
                .collect();
            if s.len() < 8 {
                continue;
            }
            let q = |f: usize| s[(s.len() - 1) * f / 4].lag;
            let (a, b, c, d) = (q(1), q(2), q(3), q(4));
            let last = s[s.len() - 1];
            if a < b && b < c && c < d && d >= 20 && last.lag_ms >= 1_000 {
                let note = self.plan.groups[gi].ix;
                out.insert(
                    (SignKind::GrowingLag, vec![note]),
                    Sign {
                        kind: SignKind::GrowingLag,
                        notes: vec![self.plan.ids[note as usize].clone()],
                        count: d,
                        first_at: s[(s.len() - 1) / 4].at,
                        worst: last.lag_ms,
                        example: None,
                    },
                );
            }
        }
    }

    // ----- faults --------------------------------------------------------------------------------------

    fn consumer(&self, note: &NoteId) -> Result<u32, FaultError> {
        let i = self
            .plan
            .ix(note)
            .ok_or_else(|| FaultError::UnknownNote(note.clone()))?;
        let g = self.plan.group_of[i as usize];
        if g == NONE {
            return Err(FaultError::NotAConsumer(note.clone()));
        }
        Ok(g)
    }

    fn member(&self, note: &NoteId, instance: u32) -> Result<MemberId, FaultError> {
        let g = self.consumer(note)?;
        let members = self
            .cluster
            .live_members(&self.plan.groups[g as usize].name)
            .map_err(FaultError::Broker)?;
        members
            .get(instance as usize)
            .copied()
            .ok_or(FaultError::NoSuchInstance {
                note: note.clone(),
                instance,
            })
    }

    fn kind_of(&self, note: &NoteId, kind: NoteKind) -> Result<u32, FaultError> {
        let i = self
            .plan
            .ix(note)
            .ok_or_else(|| FaultError::UnknownNote(note.clone()))?;
        if self.plan.kinds[i as usize] != kind {
            return Err(match kind {
                NoteKind::Aggregate => FaultError::NotAnAggregate(note.clone()),
                _ => FaultError::NotASystem(note.clone()),
            });
        }
        Ok(i)
    }

    fn validate(&self, fault: &Fault) -> Result<(), FaultError> {
        match fault {
            Fault::CrashConsumer { note, instance, .. }
            | Fault::SlowConsumer { note, instance, .. } => {
                self.member(note, *instance).map(|_| ())
            }
            Fault::RestartConsumer { note } | Fault::Poison { note } => {
                self.consumer(note).map(|_| ())
            }
            Fault::SystemDown { note, .. } | Fault::SlowSystem { note, .. } | Fault::SystemUp { note } => {
                self.kind_of(note, NoteKind::ExternalSystem).map(|_| ())
            }
            Fault::CrashAggregate { note } => self.kind_of(note, NoteKind::Aggregate).map(|_| ()),
            Fault::AddPartitions { topic, .. } => self
                .plan
                .topic(topic)
                .map(|_| ())
                .ok_or_else(|| FaultError::UnknownTopic(topic.clone())),
        }
    }

    fn fire(&mut self, fault: Fault) -> Result<(), FaultError> {
        let at_note = match &fault {
            Fault::CrashConsumer { note, .. }
            | Fault::RestartConsumer { note }
            | Fault::SlowConsumer { note, .. }
            | Fault::SystemDown { note, .. }
            | Fault::SlowSystem { note, .. }
            | Fault::SystemUp { note }
            | Fault::CrashAggregate { note }
            | Fault::Poison { note } => self.plan.ix(note).unwrap_or(NONE),
            Fault::AddPartitions { .. } => NONE,
        };
        match &fault {
            Fault::CrashConsumer {
                note,
                instance,
                restart_after_ms,
            } => {
                let m = self.member(note, *instance)?;
                self.cluster.crash(m).map_err(FaultError::Broker)?;
                if let Some(g) = self.cluster.member_group(m) {
                    self.on_crash(g, m);
                }
                if let Some(after) = restart_after_ms {
                    let g = self.consumer(note)?;
                    self.schedule(self.now + after, Action::Join { group: g });
                }
            }
            Fault::RestartConsumer { note } => {
                let g = self.consumer(note)?;
                self.cluster
                    .join(&self.plan.groups[g as usize].name)
                    .map_err(FaultError::Broker)?;
            }
            Fault::SlowConsumer {
                note,
                instance,
                extra_ms,
            } => {
                let m = self.member(note, *instance)?;
                self.cluster
                    .slow_down(m, *extra_ms)
                    .map_err(FaultError::Broker)?;
                self.extra.insert(m.0, *extra_ms);
            }
            Fault::SystemDown { note, for_ms } => {
                let s = self.kind_of(note, NoteKind::ExternalSystem)?;
                self.system_down[s as usize] = true;
                if let Some(ms) = for_ms {
                    self.schedule(self.now + ms, Action::SystemUp { system: s });
                }
            }
            Fault::SlowSystem { note, extra_ms, for_ms } => {
                let s = self.kind_of(note, NoteKind::ExternalSystem)?;
                self.system_extra_ms[s as usize] = *extra_ms;
                if let Some(ms) = for_ms {
                    self.schedule(self.now + ms, Action::SystemUp { system: s });
                }
            }
            Fault::SystemUp { note } => {
                let s = self.kind_of(note, NoteKind::ExternalSystem)?;
                self.system_down[s as usize] = false;
                self.system_extra_ms[s as usize] = 0;
            }
            Fault::CrashAggregate { note } => {
                let a = self.kind_of(note, NoteKind::Aggregate)?;
                self.agg_crash_armed[a as usize] = true;
            }
            Fault::Poison { note } => {
                let g = self.consumer(note)?;
                let gp = &self.plan.groups[g as usize];
                let Some(&(event, _)) = gp
                    .subscriptions
                    .iter()
                    .find(|s| self.plan.events[s.0 as usize].is_some())
                else {
                    return Err(FaultError::NotAConsumer(note.clone()));
                };
                let entity = self.rng.below(100);
                let agg = self.plan.events[event as usize]
                    .as_ref()
                    .map_or(NONE, |e| e.aggregate);
                let msg = self.new_msg(Msg {
                    event: true,
                    note: event,
                    origin: NONE,
                    entity,
                    corr: 0,
                    cause: NO_MSG,
                    at: self.now,
                    agg: NONE,
                    version: 0,
                });
                self.msgs[msg as usize].corr = msg;
                let _ = agg;
                let t = self.plan.events[event as usize]
                    .as_ref()
                    .map_or(0, |e| e.topic);
                let before: Vec<u64> = self.traffic[t].clone();
                self.produce(event, msg, None);
                let part = self.traffic[t]
                    .iter()
                    .zip(&before)
                    .position(|(a, b)| a != b);
                if let Some(p) = part {
                    let offset = (self.offsets[t][p].len() - 1) as u64;
                    let name = self.plan.topics[t].broker_name.clone();
                    self.cluster
                        .poison(&name, p as u32, offset)
                        .map_err(FaultError::Broker)?;
                    let tid = self.cluster.topic_id(&name).map_err(FaultError::Broker)?;
                    self.poisoned.insert((tid.0, p as u32, offset));
                }
            }
            Fault::AddPartitions { topic, total } => {
                let t = self
                    .plan
                    .topics
                    .iter()
                    .position(|x| &x.name == topic)
                    .ok_or_else(|| FaultError::UnknownTopic(topic.clone()))?;
                let name = self.plan.topics[t].broker_name.clone();
                self.cluster
                    .add_partitions(&name, *total)
                    .map_err(FaultError::Broker)?;
                self.plan.topics[t].partitions = *total;
                self.offsets[t].resize(*total as usize, Vec::new());
                self.traffic[t].resize(*total as usize, 0);
            }
        }
        self.log(
            ExecEventKind::Fault { fault },
            at_note,
            NONE,
            NONE,
            NO_MSG,
            None,
        );
        Ok(())
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("now", &self.now)
            .field("messages", &self.msgs.len())
            .finish()
    }
}
