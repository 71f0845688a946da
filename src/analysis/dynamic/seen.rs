//! The findings a run has shown, kept whatever moment is shown: scrubbing back restores the
//! run from a checkpoint, where later signs have not happened yet, but what the run showed
//! stays listed (until the run is reset or the board changes, which start a new [`Seen`]),
//! except a growing lag that a poison message on the same group turned out to explain.

use super::{explained_by_poison, finding, signs};
use crate::{
    analysis::finding::{sort_findings, Finding},
    exec::{Run, SignKind},
    model::NoteId,
};

/// What one sign of the run said last: as of when, and the finding.
#[derive(Clone, Debug, PartialEq)]
struct Kept {
    /// The sign: its kind and notes.
    sign: (SignKind, Vec<NoteId>),
    /// The simulated time the finding was made at (ms).
    as_of: u64,
    /// The finding.
    finding: Finding,
}

/// Every dynamic finding one run has shown, by sign, each as of the latest moment the run
/// was looked at; listed in report order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Seen {
    /// One per sign, in the order first seen (a run shows tens of signs, not thousands: a
    /// list searched in order is enough, and smaller in the browser build than a map).
    kept: Vec<Kept>,
    /// The findings in report order.
    list: Vec<Finding>,
}

impl Seen {
    /// Nothing seen yet (a new run).
    pub fn new() -> Seen {
        Seen::default()
    }

    /// Looks at the run where it stands: a sign not seen before is added; one seen before is
    /// updated when the run stands at or after the moment it was last made (a run scrubbed back
    /// keeps what it showed later). The first-seen time is the earliest ever shown. Returns
    /// true when the list changed.
    pub fn update(&mut self, run: &Run) -> bool {
        let at = run.now();
        let mut changed = false;
        for sign in signs(run) {
            let mut made = finding(run, &sign);
            let key = (sign.kind, sign.notes);
            match self.kept.iter_mut().find(|k| k.sign == key) {
                Some(k) if at < k.as_of => {}
                Some(k) => {
                    made.first_seen_ms = match (k.finding.first_seen_ms, made.first_seen_ms) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                    k.as_of = at;
                    if k.finding != made {
                        k.finding = made;
                        changed = true;
                    }
                }
                None => {
                    self.kept.push(Kept {
                        sign: key,
                        as_of: at,
                        finding: made,
                    });
                    changed = true;
                }
            }
        }
        changed |= self.drop_explained_by_poison();
        if changed {
            self.list = self.kept.iter().map(|k| k.finding.clone()).collect();
            sort_findings(&mut self.list);
        }
        changed
    }

    /// Drops a growing lag kept from before a poison message showed on the same group (the
    /// lag can grow for a while before the partition counts as stuck); true if any was dropped.
    fn drop_explained_by_poison(&mut self) -> bool {
        let stuck: Vec<Vec<NoteId>> = self
            .kept
            .iter()
            .filter(|k| k.sign.0 == SignKind::StuckPartition)
            .map(|k| k.sign.1.clone())
            .collect();
        let before = self.kept.len();
        self.kept
            .retain(|k| !explained_by_poison(k.sign.0, &k.sign.1, &stuck));
        self.kept.len() != before
    }

    /// The findings seen, in report order.
    pub fn findings(&self) -> &[Finding] {
        &self.list
    }
}
