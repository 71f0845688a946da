//! The rule about consumers that cannot keep up with their producers: FS014 (falling behind).
//!
//! What a group can process is what a run gives it: each instance handles one message at a
//! time, for `processing_ms`, plus its own `latency_ms` for an external system, plus the
//! latency of every system it calls synchronously; at most one instance per partition of the
//! topics it reads works. What it is offered is the rate the producers' flow brings
//! ([`super::rates`]).

use super::{
    finding::{Finding, FixAction, HazardCode, Severity},
    index::{Index, Ix},
    rates::Rates,
};
use crate::model::{
    kind::{LinkMeaning, NoteKind},
    limits::{MAX_INSTANCES, MAX_LATENCY_MS, MAX_PROCESSING_MS},
    props::{PropsExt, DEFAULT_LATENCY_MS},
};
use serde_json::json;

/// Milliseconds per second (rates are per second, work is in ms).
const MS_PER_SECOND: f64 = 1_000.0;
/// Relative slack when comparing the rate offered with the capacity, so that a rate split
/// and summed back in floating point (three thirds of 5/s) equals the capacity it matches.
const RATE_SLACK: f64 = 1e-9;

/// How long one message keeps an instance busy, and what it is made of.
struct Work {
    /// Processing, in ms.
    processing_ms: f64,
    /// An external system's own latency, in ms.
    own_ms: f64,
    /// The systems called synchronously per message, with their latency (ms).
    calls: Vec<(Ix, f64)>,
}

impl Work {
    /// The work of a consumer, as a run adds it up.
    fn of(ix: &Index, c: Ix, processing_ms: f64) -> Work {
        let latency = |i: Ix| {
            ix.note(i)
                .props
                .number("latency_ms", DEFAULT_LATENCY_MS)
                .clamp(0.0, MAX_LATENCY_MS)
                .floor()
        };
        let own_ms = if ix.kind(c) == NoteKind::ExternalSystem {
            latency(c)
        } else {
            0.0
        };
        let calls = ix
            .succ(c, LinkMeaning::Calls)
            .filter(|&s| ix.kind(s) == NoteKind::ExternalSystem)
            .map(|s| (s, latency(s)))
            .collect();
        Work {
            processing_ms: processing_ms.clamp(0.0, MAX_PROCESSING_MS).floor(),
            own_ms,
            calls,
        }
    }

    /// Milliseconds per message in all.
    fn total_ms(&self) -> f64 {
        self.processing_ms + self.own_ms + self.calls.iter().map(|c| c.1).sum::<f64>()
    }

    /// "100 ms per message", or with its parts: "130 ms per message: 100 ms processing, 30 ms
    /// calling “Payment”".
    fn describe(&self, ix: &Index) -> String {
        let total = format!("{} ms per message", number(self.total_ms()));
        if self.own_ms == 0.0 && self.calls.is_empty() {
            return total;
        }
        let mut parts = vec![format!("{} ms processing", number(self.processing_ms))];
        if self.own_ms > 0.0 {
            parts.push(format!("{} ms its own latency", number(self.own_ms)));
        }
        for &(system, ms) in &self.calls {
            parts.push(format!("{} ms calling {}", number(ms), ix.name(system)));
        }
        format!("{total}: {}", parts.join(", "))
    }
}

/// A rate or a duration as people write it: whole above 10, else with up to two decimals.
fn number(value: f64) -> String {
    let text = if value >= 10.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    };
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// "1 instance", "3 instances".
fn instances(n: u64) -> String {
    format!("{n} instance{}", if n == 1 { "" } else { "s" })
}

/// "topic \"orders\" has 3 partitions", "topics \"a\", \"b\" have 4 partitions".
fn topics_have(topics: &[(&str, u32)], partitions: u64) -> String {
    let names: Vec<String> = topics.iter().map(|(t, _)| format!("\"{t}\"")).collect();
    let (noun, verb) = if names.len() == 1 {
        ("topic", "has")
    } else {
        ("topics", "have")
    };
    format!(
        "{noun} {} {verb} {partitions} partition{}",
        names.join(", "),
        if partitions == 1 { "" } else { "s" }
    )
}

/// How a group's instances share the partitions of the topics it reads.
struct Sharing<'a> {
    /// The topics it reads, with their partitions.
    topics: Vec<(&'a str, u32)>,
    /// Partitions of those topics in all (at least 1).
    partitions: u64,
    /// Instances it runs.
    running: u64,
}

impl Sharing<'_> {
    /// The instances that get a partition.
    fn busy(&self) -> u64 {
        self.running.min(self.partitions)
    }

    /// How many instances' worth of messages `n` instances process when traffic spreads
    /// evenly over the partitions: the busiest instance reads ⌈partitions / n⌉ of them and
    /// sets the pace (6 partitions on 5 instances work like 3 instances, not 5).
    fn effective(&self, n: u64) -> f64 {
        let n = n.clamp(1, self.partitions);
        self.partitions as f64 / self.partitions.div_ceil(n) as f64
    }

    /// The fewest instances (within the partitions and the group limit) that process `rate`
    /// messages a second at `per_instance` each, if any does.
    fn instances_for(&self, rate: f64, per_instance: f64) -> Option<u64> {
        (1..=self.partitions.min(MAX_INSTANCES))
            .find(|&n| keeps_up(self.effective(n) * per_instance, rate))
    }

    /// How the instances are at work: "1 instance", "5 instances, the busiest reading 2 of the
    /// 6 partitions", "2 of its 4 instances at work, as topic "orders" has 2 partitions".
    fn describe(&self) -> String {
        let busy = self.busy();
        if self.running > busy {
            format!(
                "{busy} of its {} instances at work, as {}",
                self.running,
                topics_have(&self.topics, self.partitions)
            )
        } else if !self.partitions.is_multiple_of(busy) {
            format!(
                "{}, the busiest reading {} of the {} partitions",
                instances(busy),
                self.partitions.div_ceil(busy),
                self.partitions
            )
        } else {
            instances(busy)
        }
    }
}

/// True when a capacity (messages per second) is enough for a rate.
fn keeps_up(capacity: f64, rate: f64) -> bool {
    rate <= capacity * (1.0 + RATE_SLACK)
}

/// FS014: a consumer offered more messages per second than its instances can process.
///
/// Warning: its lag grows for as long as the producers keep their pace, and so does the time
/// between an event and its effect. No finding when the board leaves every producer's rate
/// unset; when only some rates are unset, the known part is a lower bound ("at least").
pub(crate) fn falling_behind(ix: &Index, out: &mut Vec<Finding>) {
    let rates = Rates::new(ix);
    for c in 0..ix.len() {
        let Some(props) = ix.consumer(c) else {
            continue;
        };
        let offered = rates.of(c);
        if !ix.is_active_consumer(c) || offered.known <= 0.0 {
            continue;
        }
        let work = Work::of(ix, c, props.processing_ms);
        if work.total_ms() <= 0.0 {
            continue;
        }
        let per_instance = MS_PER_SECOND / work.total_ms();
        let events: Vec<Ix> = ix.pred(c, LinkMeaning::Subscribes).collect();
        let topics = ix.consumed_topics(c);
        let sharing = Sharing {
            partitions: topics
                .iter()
                .map(|&(_, p)| u64::from(p))
                .sum::<u64>()
                .max(1),
            topics,
            running: props.instances.clamp(1, MAX_INSTANCES),
        };
        let capacity = sharing.effective(sharing.busy()) * per_instance;
        if keeps_up(capacity, offered.known) {
            continue;
        }
        let feeding: Vec<Ix> = events
            .iter()
            .copied()
            .filter(|&e| rates.of(e).known > 0.0)
            .collect();
        let at_least = if offered.unknown { "at least " } else { "" };
        let message = format!(
            "{} is offered {at_least}{} messages/s ({}) but can process only {}/s ({}; {}): its lag \
             grows by {at_least}{} messages every second for as long as the producers keep their pace",
            ix.name(c),
            number(offered.known),
            ix.names(&feeding),
            number(capacity),
            sharing.describe(),
            work.describe(ix),
            number(offered.known - capacity),
        );
        let needed = sharing.instances_for(offered.known, per_instance);
        let finding = Finding::new(
            HazardCode::FS014,
            Severity::Warning,
            ix.ids(std::iter::once(c).chain(feeding.iter().copied())),
            message,
            fix(ix, c, offered.known, per_instance, &sharing, needed),
        );
        out.push(match needed {
            Some(n) => finding.with_fix(FixAction::set(
                format!("Run {}", instances(n)),
                &ix.id(c),
                "instances",
                json!(n),
            )),
            None => finding,
        });
    }
}

/// What to change: instances where the partitions allow, partitions too otherwise, or speed.
fn fix(
    ix: &Index,
    c: Ix,
    rate: f64,
    per_instance: f64,
    sharing: &Sharing,
    needed: Option<u64>,
) -> String {
    let name = ix.name(c);
    let busy = sharing.busy();
    let fastest = number(sharing.effective(busy) * MS_PER_SECOND / rate);
    let faster = format!(
        "make {name} faster (at most {fastest} ms per message with {}: less processing, quicker or \
         asynchronous calls)",
        instances(sharing.running)
    );
    if let Some(n) = needed {
        return format!(
            "Run {} of {name} ({}), or {faster}",
            instances(n),
            topics_have(&sharing.topics, sharing.partitions)
        );
    }
    // One instance per partition, as many as the rate needs.
    let both = (rate / per_instance * (1.0 - RATE_SLACK)).ceil() as u64;
    if both > MAX_INSTANCES {
        return format!(
            "{name} would need {both} instances, more than a group runs ({MAX_INSTANCES}): {faster}, or \
             split its events over several groups"
        );
    }
    let names: Vec<String> = sharing
        .topics
        .iter()
        .map(|(t, _)| format!("\"{t}\""))
        .collect();
    format!(
        "Give {} at least {both} partitions in all (now {}) and run {} of {name}, or {faster}",
        names.join(", "),
        sharing.partitions,
        instances(both)
    )
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers_read_like_people_write_them() {
        assert_eq!(number(50.0), "50");
        assert_eq!(number(12.4), "12");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(10.0 / 3.0), "3.33");
        assert_eq!(number(0.0167), "0.02");
        assert_eq!(number(1.0), "1");
    }
}
