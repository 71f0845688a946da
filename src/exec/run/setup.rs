//! Setting a run up: the board compiled, its topics and groups created on the broker, the
//! sources and the lag sampling started.

use super::{clock::Action, GroupState, History, Progress, Run, SharedMap};
use crate::collections::HashMap;
use crate::{
    broker::{
        scheduler::SplitMix64, BrokerError, Cluster, ClusterConfig, DeliveryMode, GroupConfig,
        OffsetReset, RetryMode, RetryPolicy, TopicConfig,
    },
    exec::{
        compile::{compile, GroupPlan},
        ix::{GroupIx, SourceIx, TopicIx},
        Diagnostic, NoteCounters, Plan, Problem, RunConfig,
    },
    model::{
        props::{Delivery, Start},
        Board,
    },
};
use std::collections::BinaryHeap;

/// Mixed into the run's seed to seed the broker, so the two draw different numbers.
const BROKER_SEED_SALT: u64 = 0x5eed;
/// Most retries of a failed message a consumer may ask for.
const MAX_RETRIES: u64 = 1_000;

/// The board's delivery word as the broker's commit mode.
fn delivery_mode(d: Delivery) -> DeliveryMode {
    match d {
        Delivery::AtLeastOnce => DeliveryMode::AtLeastOnce,
        Delivery::AtMostOnce => DeliveryMode::AtMostOnce,
        Delivery::ExactlyOnce => DeliveryMode::ExactlyOnce,
    }
}

/// The broker group for a plan group: the run acknowledges by itself and times processing
/// itself; retries as the consumer's props say (forever without a dead-letter topic); a group
/// with no committed offset starts where its `start` prop says (which matters only to a group
/// that joins a running broker: at the start of a run every log is empty).
fn group_config(g: &GroupPlan, topics: &[&str], config: &RunConfig) -> GroupConfig {
    let mut gc = GroupConfig::new(&g.name, topics);
    gc.offset_reset = match g.props.start {
        Start::Earliest => OffsetReset::Earliest,
        Start::Latest => OffsetReset::Latest,
    };
    gc.auto_ack = false;
    gc.instances = g.props.instances as u32;
    gc.mode = delivery_mode(g.props.delivery);
    gc.processing_time_ms = 0;
    gc.session_timeout_ms = config.session_timeout_ms;
    let backoff_ms = config.retry_backoff_ms;
    let retry_topic = g.props.retry_topic && g.props.retries > 0;
    let bounded = (g.props.retries.min(MAX_RETRIES) as u32) + 1;
    gc.retry = RetryPolicy {
        max_attempts: if g.props.dlq || retry_topic {
            bounded
        } else {
            u32::MAX
        },
        mode: if retry_topic {
            RetryMode::RetryTopic { backoff_ms }
        } else {
            RetryMode::Blocking { backoff_ms }
        },
        dead_letter: g.props.dlq,
    };
    gc
}

/// Sets `slot` of a broker-id map, growing it as needed.
fn map_id<T: Copy>(map: &mut Vec<Option<T>>, id: u32, value: T) {
    let i = id as usize;
    if map.len() <= i {
        map.resize(i + 1, None);
    }
    map[i] = Some(value);
}

/// Creates a plan group's consumer group on the broker; its broker id.
fn create_group(
    cluster: &mut Cluster,
    plan: &Plan,
    g: GroupIx,
    config: &RunConfig,
) -> Result<u32, BrokerError> {
    let gp = plan.group(g);
    let topics: Vec<&str> = gp
        .topics
        .iter()
        .map(|&t| plan.topic_at(t).broker_name.as_str())
        .collect();
    cluster
        .create_group(group_config(gp, &topics, config))
        .map(|id| id.0)
}

impl Run {
    /// Starts a consumer whose group was not running: it joins the broker now.
    pub(super) fn start_group(&mut self, g: GroupIx) -> Result<(), BrokerError> {
        let id = create_group(&mut self.cluster, &self.plan, g, &self.config)?;
        map_id(&mut self.group_of_broker, id, g);
        Ok(())
    }

    /// True when a plan group's consumer group is on the broker (a late one joins when
    /// started).
    pub(super) fn group_running(&self, g: GroupIx) -> bool {
        self.cluster.group_id(&self.plan.group(g).name).is_ok()
    }

    /// Compiles the board and sets the broker up; errors are the diagnostics that stop a run.
    pub fn new(board: &Board, config: RunConfig) -> Result<Run, Vec<Diagnostic>> {
        Run::with_plan(board, compile(board), config)
    }

    /// Sets the broker up for the board compiled as `plan`.
    pub(super) fn with_plan(
        board: &Board,
        mut plan: Plan,
        config: RunConfig,
    ) -> Result<Run, Vec<Diagnostic>> {
        if !plan.runnable() {
            return Err(plan
                .diagnostics
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect());
        }
        let mut cluster = Cluster::new(ClusterConfig {
            seed: config.seed ^ BROKER_SEED_SALT,
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
                Ok(id) => map_id(&mut topic_of_broker, id.0, TopicIx::at(i)),
                Err(e) => errors.push(Diagnostic::error(
                    Vec::new(),
                    Problem::Broker {
                        reason: e.to_string(),
                    },
                )),
            }
        }
        let mut group_of_broker = Vec::new();
        for (i, g) in plan.groups.iter().enumerate() {
            if config.late.contains(&g.note) {
                continue;
            }
            if let Err(e) = create_group(&mut cluster, &plan, GroupIx::at(i), &config)
                .map(|id| map_id(&mut group_of_broker, id, GroupIx::at(i)))
            {
                errors.push(Diagnostic::error(
                    vec![g.note.clone()],
                    Problem::Broker {
                        reason: e.to_string(),
                    },
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let n = board.notes.len();
        let per_partition = |t: &crate::exec::TopicPlan| t.partitions as usize;
        let offsets = plan
            .topics
            .iter()
            .map(|t| (0..per_partition(t)).map(|_| History::new()).collect())
            .collect();
        let traffic = plan
            .topics
            .iter()
            .map(|t| vec![0; per_partition(t)])
            .collect();
        let groups = plan
            .groups
            .iter()
            .map(|g| GroupState {
                progress: vec![
                    Progress::new(0);
                    g.topics
                        .iter()
                        .map(|&t| per_partition(plan.topic_at(t)))
                        .sum()
                ],
                ..GroupState::default()
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
            msgs: History::new(),
            offsets,
            traffic,
            topic_of_broker,
            group_of_broker,
            groups,
            pending: HashMap::default(),
            acking: HashMap::default(),
            extra: Default::default(),
            counters: vec![NoteCounters::default(); n],
            agg_versions: SharedMap::default(),
            agg_crash_armed: vec![false; n],
            agg_down_until: vec![0; n],
            system_down: vec![false; n],
            system_extra_ms: vec![0; n],
            issued: vec![0; sources],
            loops: SharedMap::default(),
            events: History::new(),
            hops: History::new(),
            longest_hop: 0,
            signs: Default::default(),
            call_failures: Vec::new(),
            failure_events: History::new(),
            poisoned: Default::default(),
            compensated: Default::default(),
            journal: Vec::new(),
            hash: 0,
            commands: 0,
            work: 0,
            settled: true,
        };
        for s in (0..sources).map(SourceIx::at) {
            let plan = run.plan.source(s);
            if plan.rate > 0.0 && !(plan.issues.is_empty() && plan.publishes.is_empty()) {
                run.schedule(0, Action::SourceTick { source: s });
            }
        }
        if !run.plan.groups.is_empty() {
            run.schedule(0, Action::Sample);
        }
        run.schedule_scenario_faults();
        Ok(run)
    }
}
