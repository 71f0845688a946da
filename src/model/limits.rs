//! Limits on what a board may say, shared by editing, loading, the inspector and running.
//!
//! Each limit is the most a model of a real system ever needs: a value above it is a typo (one
//! zero too many) rather than a design, and would only make a run in the browser stall. A file
//! with a value over a limit is refused like any other load problem; the run keeps clamping to
//! the same limits for boards built in code.
//!
//! Topics' `retention_ms` has no limit: a longer retention only keeps records longer, which
//! costs a run nothing, and real topics keep records from minutes to forever.

use std::fmt;

/// Most commands per second one actor (or source system) may issue. An actor is one role; a
/// thousand commands a second from one role is already a large shop at its peak, and every
/// command is simulated one by one.
pub const MAX_RATE: f64 = 1_000.0;

/// Most distinct keys an actor's commands may address. How keys spread over partitions shows
/// with far fewer; an hour at the highest rate (3.6 million commands) barely revisits a million.
pub const MAX_ENTITIES: u64 = 1_000_000;

/// Most consumers one consumer group may run. Each partition feeds at most one member, and a
/// group of more than a hundred members is a fleet to model as several groups, not one.
pub const MAX_INSTANCES: u64 = 100;

/// Most partitions a topic may declare. Partitions bound how many consumers of a group work in
/// parallel ([`MAX_INSTANCES`] at most), so a thousand leaves room for ten times that; real
/// topics rarely have more than a few hundred. Every partition is simulated and kept in each
/// checkpoint of a run, so more would only slow the run in the browser. The broker refuses
/// more than its own limit (`broker::cluster::MAX_PARTITIONS`, at least this).
pub const MAX_PARTITIONS: u32 = 1_000;

/// Longest time a consumer may take to process one message (ms). A consumer busy for more than
/// a minute per message is a batch job, and a real broker would have dropped it from its group.
pub const MAX_PROCESSING_MS: f64 = 60_000.0;

/// Most attempts after a failure a consumer may ask for. Blocking retries a fraction of a second
/// apart outlast an outage of minutes with this many; more means "retry forever", which is what
/// a consumer without a dead-letter topic does anyway.
pub const MAX_RETRIES: u64 = 1_000;

/// Longest time a synchronous call to an external system may take (ms). Real clients and
/// gateways give up on a call within a minute.
pub const MAX_LATENCY_MS: f64 = 60_000.0;

/// Longest an actor may wait before reading after its own write (ms). Views catch up within
/// seconds; a read a minute later no longer tells anything about stale reads.
pub const MAX_READ_DELAY_MS: f64 = 60_000.0;

/// Longest scenario (`duration_ms`, ms): one hour. Every hazard a board can show, shows within
/// minutes, and an hour at the highest rate is millions of commands per actor.
pub const MAX_SCENARIO_MS: u64 = 3_600_000;

/// Most steps a storyline may have. A talk of an hour walks a few dozen; a thousand is a typo
/// or a generated file gone wrong.
pub const MAX_STEPS: usize = 1_000;

/// Most faults a scenario may schedule. A demo scripts a handful; each one is replayed whenever
/// the timeline goes back, so thousands would only slow scrubbing.
pub const MAX_SCHEDULED_FAULTS: usize = 1_000;

/// Slowest and fastest speed a storyline's step may play at: from a tenth of real time (every
/// token followed by eye) to a hundred times (an hour of scenario in half a minute).
pub const SPEED_RANGE: (f64, f64) = (0.1, 100.0);

/// A value above the most the model allows, named for people:
/// `rate is 1000000; at most 1000 commands per second`.
#[derive(Clone, Debug, PartialEq)]
pub struct OverLimit {
    /// The prop or field, as the file names it.
    pub name: &'static str,
    /// The value found, as JSON text.
    pub found: String,
    /// The limit.
    pub max: f64,
    /// The limit's unit in words (plural), e.g. `commands per second`.
    pub unit: &'static str,
}

impl fmt::Display for OverLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is {}; at most {} {}",
            self.name, self.found, self.max, self.unit
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_limit_names_the_prop_the_value_and_the_limit() {
        let over = OverLimit {
            name: "rate",
            found: "1000000".into(),
            max: MAX_RATE,
            unit: "commands per second",
        };
        assert_eq!(
            over.to_string(),
            "rate is 1000000; at most 1000 commands per second"
        );
    }
}
