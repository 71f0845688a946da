//! Dynamic hazard detection: the signs a run observed, as findings on the same notes as the
//! static rules (docs/HAZARDS.md, last column).
//!
//! Signs come from two places: those the run tallies as they happen (a stale read, a lost
//! event, a stuck partition…) and those judged here over the whole run from what it recorded
//! ([`judge`]: hot partitions, sagas left half done, growing lag).

mod judge;

use super::finding::{sort_findings, Finding, HazardCode, Severity, Source};
use crate::exec::{Run, Sign, SignKind, Snapshot};

/// Every sign of a run so far: those seen while running and those judged over the run, in
/// report order (by kind, then by the notes' board order).
pub fn signs(run: &Run) -> Vec<Sign> {
    let mut all = run.signs();
    // The kinds judged over the run are never tallied while running, so a stable sort by kind
    // merges the two lists, each already in report order.
    all.extend(judge::judge(run));
    all.sort_by_key(|s| s.kind);
    all
}

/// A plain picture of a run now (what the UI shows when scrubbing), every sign included.
pub fn snapshot(run: &Run) -> Snapshot {
    Snapshot {
        at: run.now(),
        counters: run.all_counters(),
        tokens: run.tokens_in_flight(run.now()),
        signs: signs(run),
    }
}

/// The catalogue code a sign belongs to.
pub fn code_of(kind: SignKind) -> HazardCode {
    match kind {
        SignKind::StaleRead => HazardCode::FS001,
        SignKind::DualWriteLost => HazardCode::FS002,
        SignKind::OutOfOrder => HazardCode::FS003,
        SignKind::DuplicateApply => HazardCode::FS004,
        SignKind::EventLoop => HazardCode::FS005,
        SignKind::LostOnCrash => HazardCode::FS006,
        SignKind::IdleConsumer => HazardCode::FS007,
        SignKind::HotPartition => HazardCode::FS008,
        SignKind::SagaHalfDone => HazardCode::FS009,
        SignKind::BlockedCallers => HazardCode::FS010,
        SignKind::StuckPartition | SignKind::GrowingLag => HazardCode::FS012,
    }
}

/// One finding for a sign, with source Dynamic.
pub fn finding(sign: &Sign) -> Finding {
    let names = sign.notes.iter().map(|n| n.as_str()).collect::<Vec<_>>();
    let first = names.first().copied().unwrap_or("?");
    let second = names.get(1).copied().unwrap_or("?");
    let times = if sign.count == 1 {
        "once".to_string()
    } else {
        format!("{} times", sign.count)
    };
    let (severity, message, fix) = match sign.kind {
        SignKind::StaleRead => (
            Severity::Warning,
            format!("{first} read {second} before it showed its own write ({times}; up to {} ms behind)", sign.worst),
            format!("Give {second} a version token so readers wait for their write, or read from the write side"),
        ),
        SignKind::DualWriteLost => (
            Severity::Error,
            format!("{first} saved its state and crashed before publishing {second}: the event is lost ({times})"),
            format!("Publish from {first} through a transactional outbox, or event-source it"),
        ),
        SignKind::OutOfOrder => (
            Severity::Warning,
            format!("{first} applied an older version of a {second} after a newer one ({times}; up to {} versions back)", sign.worst),
            format!("Key {second}'s events by its id on one topic, and keep retries blocking"),
        ),
        SignKind::DuplicateApply => (
            Severity::Warning,
            format!("{first} applied the same message twice ({times}) after a redelivery"),
            format!("Make {first} idempotent (remember processed message ids) or use exactly-once"),
        ),
        SignKind::EventLoop => (
            Severity::Error,
            format!("one flow passed {first} more than {} times: an event loop (cut {times})", sign.worst.saturating_sub(1)),
            format!("Give {first} a guard that stops the cycle"),
        ),
        SignKind::LostOnCrash => (
            Severity::Error,
            format!("{first} committed messages it never processed: lost with a crash ({times})"),
            format!("Switch {first} to at-least-once and make it idempotent"),
        ),
        SignKind::IdleConsumer => (
            Severity::Info,
            format!("{first} had {} instance(s) without any partition", sign.worst),
            format!("Give the topic more partitions or {first} fewer instances"),
        ),
        SignKind::HotPartition => (
            Severity::Warning,
            format!("one partition of {first}'s topic took {}‰ of its traffic", sign.worst),
            "Key by a field with many distinct values, or use fewer partitions".to_string(),
        ),
        SignKind::SagaHalfDone => (
            Severity::Warning,
            format!("{first} happened in a flow across contexts and nothing compensated ({times})"),
            format!("Add a policy that compensates when {first} arrives"),
        ),
        SignKind::BlockedCallers => (
            Severity::Warning,
            format!("{first} was blocked or failed by {second} ({times}; up to {} ms per call)", sign.worst),
            format!("Call {second} asynchronously (command → event → policy), or add a timeout and fallback"),
        ),
        SignKind::StuckPartition => (
            Severity::Error,
            format!("a partition of {first} stopped committing while messages kept arriving ({} ms behind)", sign.worst),
            format!("Give {first} a dead-letter topic so one bad message cannot stop a partition"),
        ),
        SignKind::GrowingLag => (
            Severity::Warning,
            format!("{first}'s lag kept growing through the run ({} messages, {} ms behind at the end)", sign.count, sign.worst),
            format!("Add instances (and partitions) to {first}, or make it faster"),
        ),
    };
    Finding {
        code: code_of(sign.kind),
        severity,
        notes: sign.notes.clone(),
        message,
        fix,
        source: Source::Dynamic,
        fix_action: None,
    }
}

/// Every dynamic finding of a run so far, in report order.
pub fn findings(run: &Run) -> Vec<Finding> {
    let mut out: Vec<Finding> = signs(run).iter().map(finding).collect();
    sort_findings(&mut out);
    out
}
