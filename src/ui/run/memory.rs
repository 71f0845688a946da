//! A run's memory in the app: where a run stops because what it records would outgrow the tab
//! (`exec::MAX_RUN_WORK`), and a run let go of (Reset, a board change) freed a frame's share at
//! a time rather than in one long task.

use super::{performance_now, seconds, RunCtl};
use crate::exec::{grouped, Run, Stepped, Timeline};
use leptos::prelude::*;

/// Real time (ms) one frame may spend freeing a run let go of (Reset, a board change).
const FRAME_FREE_MS: f64 = 4.0;
/// Pieces of a run let go of freed between two looks at the clock.
const FREE_CHUNK: u64 = 16;

impl RunCtl {
    /// Lets go of the run: it is freed over the next frames.
    pub(super) fn let_go(&self) {
        if let Some(timeline) = self.timeline.try_update_value(Option::take).flatten() {
            self.bury(timeline);
        }
    }

    /// Lets go of a timeline that is not shown: it is freed over the next frames.
    pub(super) fn bury(&self, timeline: Timeline) {
        let idle = self.leftovers.with_value(Vec::is_empty);
        self.leftovers
            .update_value(|l| l.push(timeline.into_leftovers()));
        if idle {
            let ctl = *self;
            request_animation_frame(move || ctl.free_frame());
        }
    }

    /// One frame's share of freeing the runs let go of; schedules the next frame while any is
    /// left.
    fn free_frame(&self) {
        let started = performance_now();
        let mut left = true;
        self.leftovers.update_value(|runs| {
            while let Some(run) = runs.last_mut() {
                if !run.free(FREE_CHUNK) {
                    runs.pop();
                }
                if performance_now() - started >= FRAME_FREE_MS {
                    break;
                }
            }
            left = !runs.is_empty();
        });
        if left {
            let ctl = *self;
            request_animation_frame(move || ctl.free_frame());
        }
    }

    /// After a step that did not reach its target: when the run is at its work limit, shows where
    /// it stopped, stops playing and says why (true); else false.
    pub(super) fn stop_at_limit(&self, stepped: Stepped) -> bool {
        let limit = self.timeline.with_value(|t| {
            t.as_ref()
                .filter(|t| t.at_work_limit())
                .map(Timeline::work_limit)
        });
        let Some(limit) = limit.filter(|_| !stepped.reached) else {
            return false;
        };
        let at = self.with_untracked(Run::now).unwrap_or(stepped.now);
        self.playing.set(false);
        self.pace.set(None);
        self.show(at);
        self.refresh_findings();
        self.stopped_at.set(Some(at));
        self.status.set(format!(
            "The run stopped at {}: it handled {} events, the most a run keeps in the browser. \
             Lower the actors' rates or entities to run further; earlier moments can still be shown",
            seconds(at),
            grouped(limit)
        ));
        true
    }
}
