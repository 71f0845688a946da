//! Dynamic hazard detection: the signs a run observed, as findings on the same notes as the
//! static rules (docs/HAZARDS.md, last column).
//!
//! Signs come from two places: those the run tallies as they happen (a stale read, a lost
//! event, a stuck partition…) and those judged here over the whole run from what it recorded
//! ([`judge`]: hot partitions, sagas left half done, growing lag). [`Seen`] keeps what a run
//! showed while it is scrubbed back and forth.

mod describe;
mod judge;
mod seen;

pub use describe::seconds;
pub use seen::Seen;

use super::finding::{sort_findings, Finding, HazardCode, Source};
use crate::{
    exec::{Run, Sign, SignKind, Snapshot},
    model::NoteId,
};

/// Every sign of a run so far: those seen while running and those judged over the run, in
/// report order (by kind, then by the notes' board order). A group whose lag grew because a
/// poison message stuck one of its partitions shows the poison message only.
pub fn signs(run: &Run) -> Vec<Sign> {
    let mut all = run.signs();
    // The kinds judged over the run are never tallied while running, so a stable sort by kind
    // merges the two lists, each already in report order.
    all.extend(judge::judge(run));
    all.sort_by_key(|s| s.kind);
    let stuck: Vec<Vec<NoteId>> = all
        .iter()
        .filter(|s| s.kind == SignKind::StuckPartition)
        .map(|s| s.notes.clone())
        .collect();
    all.retain(|s| !explained_by_poison(s.kind, &s.notes, &stuck));
    all
}

/// True for a growing lag of a group with a stuck partition (given by the notes of the stuck
/// partition signs): the poison message explains it, and falling behind would say the same
/// problem twice with the wrong cure.
fn explained_by_poison(kind: SignKind, notes: &[NoteId], stuck: &[Vec<NoteId>]) -> bool {
    kind == SignKind::GrowingLag && stuck.iter().any(|s| s == notes)
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
        SignKind::DuplicateApply | SignKind::CrashRedelivery => HazardCode::FS004,
        SignKind::EventLoop => HazardCode::FS005,
        SignKind::LostOnCrash => HazardCode::FS006,
        SignKind::IdleConsumer => HazardCode::FS007,
        SignKind::HotPartition => HazardCode::FS008,
        SignKind::SagaHalfDone => HazardCode::FS009,
        SignKind::BlockedCallers => HazardCode::FS010,
        SignKind::StuckPartition => HazardCode::FS012,
        SignKind::GrowingLag => HazardCode::FS014,
    }
}

/// One finding for a sign of a run, with source Dynamic and the time it was first seen.
pub fn finding(run: &Run, sign: &Sign) -> Finding {
    let (severity, message, fix) = describe::describe(run, sign);
    Finding {
        code: code_of(sign.kind),
        severity,
        notes: sign.notes.clone(),
        message,
        fix,
        source: Source::Dynamic,
        fix_action: None,
        other_fixes: Vec::new(),
        first_seen_ms: Some(sign.first_at),
    }
}

/// Every dynamic finding of a run so far, in report order.
pub fn findings(run: &Run) -> Vec<Finding> {
    let mut out: Vec<Finding> = signs(run).iter().map(|s| finding(run, s)).collect();
    sort_findings(&mut out);
    out
}
