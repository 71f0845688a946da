//! Signs judged over a whole run from what it recorded: a hot partition (traffic per
//! partition), a saga left half done (failure events published and not compensated), and a
//! consumer whose lag kept growing (lag samples).

use crate::{
    exec::{ix::GroupIx, ix::NoteIx, ix::TopicIx, LagSample, Run, Sign, SignKind},
    model::NoteId,
};
use std::collections::BTreeMap;

/// A topic is judged once it carried at least this many messages per partition.
const MIN_MESSAGES_PER_PARTITION: u64 = 20;
/// A partition is hot when it carries at least this many times the mean…
const HOT_TIMES_MEAN: f64 = 2.0;
/// …and stands this many standard deviations above it (for a fair spread the deviation of a
/// partition's count is about √mean).
const HOT_SIGMAS: f64 = 4.0;
/// A hot partition's share is reported per mille.
const PER_MILLE: u64 = 1_000;
/// A failure event counts as left uncompensated once this long has passed (ms).
const COMPENSATION_GRACE_MS: u64 = 1_000;
/// Lag samples (within the run's duration) needed to judge growth.
const MIN_LAG_SAMPLES: usize = 8;
/// The lag (messages) at the end of the run must reach this for growth to count…
const MIN_GROWING_LAG: u64 = 20;
/// …and the oldest waiting message must be this old (ms).
const MIN_GROWING_LAG_MS: u64 = 1_000;
/// The lag must grow from each quarter of the run to the next.
const QUARTERS: usize = 4;

/// Signs by kind and notes (the order signs are reported in).
type Signs = BTreeMap<(SignKind, Vec<NoteIx>), Sign>;

/// Every sign judged over the run so far, in report order.
pub(super) fn judge(run: &Run) -> Vec<Sign> {
    let mut out = Signs::new();
    hot_partitions(run, &mut out);
    half_done_sagas(run, &mut out);
    growing_lag(run, &mut out);
    out.into_values().collect()
}

fn id(run: &Run, note: NoteIx) -> NoteId {
    run.plan().id(note).clone()
}

/// FS008: one partition of a topic took far more than its share of the traffic.
fn hot_partitions(run: &Run, out: &mut Signs) {
    let plan = run.plan();
    for t in (0..plan.topics.len()).map(TopicIx::at) {
        let counts = run.traffic_at(t);
        let n = counts.len() as u64;
        let total: u64 = counts.iter().sum();
        if n < 2 || total < MIN_MESSAGES_PER_PARTITION * n {
            continue;
        }
        let max = counts.iter().copied().max().unwrap_or(0);
        let mean = total as f64 / n as f64;
        if (max as f64) < HOT_TIMES_MEAN * mean || (max as f64 - mean) < HOT_SIGMAS * mean.sqrt() {
            continue;
        }
        let events: Vec<NoteIx> = plan
            .events_on(t)
            .filter(|&e| run.counters_at(e).is_some_and(|c| c.handled > 0))
            .collect();
        let notes = events.iter().map(|&e| id(run, e)).collect();
        out.insert(
            (SignKind::HotPartition, events),
            Sign {
                kind: SignKind::HotPartition,
                notes,
                count: max,
                // Judged over the traffic so far: first seen when judged.
                first_at: run.now(),
                worst: max * PER_MILLE / total,
                example: None,
            },
        );
    }
}

/// FS009: a failure event of a flow across contexts that nothing compensated.
fn half_done_sagas(run: &Run, out: &mut Signs) {
    let plan = run.plan();
    for failure in run.published_failures() {
        let (at, msg) = (failure.at, failure.message);
        if at.saturating_add(COMPENSATION_GRACE_MS) > run.now() || run.compensated(msg) {
            continue;
        }
        let Some(note) = run.message_note(msg) else {
            continue;
        };
        let frame = plan.frame(note);
        let crosses = run.causal_notes(msg).any(|i| plan.frame(i) != frame);
        if !crosses {
            continue;
        }
        let s = out
            .entry((SignKind::SagaHalfDone, vec![note]))
            .or_insert(Sign {
                kind: SignKind::SagaHalfDone,
                notes: vec![id(run, note)],
                count: 0,
                first_at: at,
                worst: 0,
                example: Some(msg),
            });
        s.count += 1;
    }
}

/// FS014: a group's lag grew from quarter to quarter of the run and ended high.
fn growing_lag(run: &Run, out: &mut Signs) {
    let plan = run.plan();
    for (g, gp) in plan.groups.iter().enumerate() {
        let s: Vec<&LagSample> = run
            .group_lag(GroupIx::at(g))
            .iter()
            .filter(|s| s.at <= run.config().duration_ms)
            .collect();
        if s.len() < MIN_LAG_SAMPLES {
            continue;
        }
        let quarter = |k: usize| s[(s.len() - 1) * k / QUARTERS];
        let lags: Vec<u64> = (1..=QUARTERS).map(|k| quarter(k).lag).collect();
        let last = s[s.len() - 1];
        let growing = lags.windows(2).all(|w| w[0] < w[1]);
        let end = lags[QUARTERS - 1];
        if growing && end >= MIN_GROWING_LAG && last.lag_ms >= MIN_GROWING_LAG_MS {
            out.insert(
                (SignKind::GrowingLag, vec![gp.ix]),
                Sign {
                    kind: SignKind::GrowingLag,
                    notes: vec![id(run, gp.ix)],
                    count: end,
                    first_at: quarter(1).at,
                    worst: last.lag_ms,
                    example: None,
                },
            );
        }
    }
}
