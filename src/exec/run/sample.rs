//! Sampling every `sample_ms`: each group's lag, the progress of its committed offsets (a
//! partition that stops committing while it grows, because processing keeps failing on one
//! offset, is stuck on a poison message), and instances left idle.

use super::{clock::Action, Progress, Run};
use crate::exec::{ix::GroupIx, LagSample, SignKind};

/// The suffix the broker gives a topic's retry topic (its progress is not a partition's).
const RETRY_TOPIC_SUFFIX: &str = "-retry";
/// After `duration_ms`, sampling goes on for this many periods (and while messages are
/// being processed), so the drain shows in the lag series.
const DRAIN_SAMPLES: u64 = 50;
/// Failures in a row on one offset that make it a poison message rather than bad luck (a
/// consumer failing a share `p` of its messages fails one three times in a row with odds p³).
const REPEATED_FAILURES: u32 = 3;

impl Run {
    /// Takes one sample of every group and schedules the next.
    pub(super) fn sample(&mut self) {
        for g in (0..self.plan.groups.len()).map(GroupIx::at) {
            self.sample_group(g);
        }
        let period = self.config.sample_ms.max(1);
        let next = self.now + period;
        let until = self
            .config
            .duration_ms
            .saturating_add(period * DRAIN_SAMPLES);
        if next <= until || !self.pending.is_empty() {
            self.schedule(next, Action::Sample);
        }
    }

    /// Samples one group: lag, stuck partitions, idle instances.
    fn sample_group(&mut self, g: GroupIx) {
        let now = self.now;
        let gp = self.plan.group(g);
        let (name, note) = (gp.name.clone(), gp.ix);
        let stuck_ms = self.config.stuck_ms;
        let cluster = &self.cluster;
        let state = &mut self.groups[g.index()];
        let (progress, failing) = (&mut state.progress, &state.failing);
        let (mut total, mut max_lag_ms, mut i) = (0u64, 0u64, 0usize);
        let mut stuck = Vec::new();
        let visited = cluster.visit_lag(&name, |topic, p| {
            total = total.saturating_add(p.lag);
            max_lag_ms = max_lag_ms.max(p.lag_ms);
            if topic.ends_with(RETRY_TOPIC_SUFFIX) {
                return;
            }
            if progress.len() <= i {
                progress.resize(i + 1, Progress::new(now));
            }
            let pr = &mut progress[i];
            i += 1;
            if pr.committed != p.committed || p.lag == 0 {
                *pr = Progress {
                    committed: p.committed,
                    end: p.end_offset,
                    since: now,
                    stuck: false,
                };
            } else if now.saturating_sub(pr.since) >= stuck_ms && p.end_offset > pr.end && !pr.stuck
            {
                // Standing still is a poison message only when processing keeps failing on
                // the offset it stands at (not when the partition waits for a consumer).
                let failures = cluster
                    .topic_id(topic)
                    .ok()
                    .and_then(|t| failing.get(&(t, p.partition)))
                    .map_or(0, |f| f.failures);
                if failures >= REPEATED_FAILURES {
                    pr.stuck = true;
                    stuck.push(p.lag_ms);
                }
            }
        });
        if visited.is_err() {
            return;
        }
        self.groups[g.index()].lag.push(LagSample {
            at: now,
            lag: total,
            lag_ms: max_lag_ms,
        });
        self.counters[note.index()].lag = Some(total);
        self.counters[note.index()].lag_ms = Some(max_lag_ms);
        for lag_ms in stuck {
            self.sign(SignKind::StuckPartition, vec![note], lag_ms, None);
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
                self.sign(SignKind::IdleConsumer, vec![note], idle as u64, None);
            }
        }
    }
}
