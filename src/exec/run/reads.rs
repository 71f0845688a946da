//! Reads of views: a reader compares the version it wrote (or knows) with the version the
//! view has applied; a stale read is a sign unless the view guards its readers: with version
//! tokens the reader waits for its version; with `push` the view sends the change when it has
//! applied it (the reader reads nothing before); with `listen_to_yourself` the writer keeps the
//! view from its own events, so it reads its own writes.
//!
//! A read is stale only when the view is behind a write made *before* the read: a read at the
//! very moment of the write (an actor reading back with `read_delay_ms` 0) has nothing the view
//! could already show, so it is 0 ms behind and not stale.

use super::{clock::Action, record::Entry, Read, Run};
use crate::exec::{ix::NoteIx, ExecEventKind, SignKind};

/// Times a reader holding a version token looks again before reading anyway.
const VERSION_WAIT_TRIES: u32 = 200;
/// Time between two looks of a reader waiting for its version (ms).
const VERSION_POLL_MS: u64 = 5;

impl Run {
    /// The version of an entity a view has applied (0 when none, or not a view).
    fn view_version(&self, view: NoteIx, aggregate: NoteIx, entity: u64) -> Option<u64> {
        let g = self.plan.group_ix(view)?;
        Some(
            self.groups[g.index()]
                .versions
                .get(&(aggregate, entity))
                .copied()
                .unwrap_or(0),
        )
    }

    /// True when a reader of `view` waits for its own write: by a version token, or for the
    /// view's push.
    fn waits(&self, view: NoteIx) -> bool {
        self.plan.version_token[view.index()] || self.plan.push[view.index()]
    }

    /// Reads a view now: logged, and a stale read is a sign unless the view gives version
    /// tokens.
    pub(super) fn check_read(&mut self, read: Read) {
        if read.version == 0 {
            return;
        }
        let Some(applied) = self.view_version(read.view, read.aggregate, read.entity) else {
            return;
        };
        let lag = self.now.saturating_sub(read.written);
        // Behind the version written, and that write came before this read. A writer that keeps
        // the view from its own events has its write in it before it answers.
        let fresh = applied >= read.version || lag == 0 || self.plan.listens[read.view.index()];
        self.log(
            Entry::at(
                ExecEventKind::Read {
                    stale: !fresh,
                    lag_ms: lag,
                },
                read.reader,
            )
            .link(Some(read.reader), Some(read.view))
            .msg(Some(read.msg)),
        );
        if !fresh && !self.waits(read.view) {
            self.sign(
                SignKind::StaleRead,
                vec![read.reader, read.view],
                lag,
                Some(read.msg),
            );
        }
    }

    /// A scheduled read: a reader holding a version token waits for the view to reach its
    /// version (looking every [`VERSION_POLL_MS`], at most [`VERSION_WAIT_TRIES`] times); a
    /// reader of a view that pushes gets the change within that time of its applying it.
    pub(super) fn read(&mut self, read: Read, tries: u32) {
        let Some(applied) = self.view_version(read.view, read.aggregate, read.entity) else {
            return;
        };
        if applied < read.version && self.waits(read.view) && tries < VERSION_WAIT_TRIES {
            self.schedule(
                self.now + VERSION_POLL_MS,
                Action::Read {
                    read,
                    tries: tries + 1,
                },
            );
            return;
        }
        self.check_read(read);
    }
}
