//! "Next event": pause and play the run forward to the next record handed to a consumer, a
//! frame's worth of work at a time, and say what it was in a caption.

use super::{performance_now, seconds, RunCtl, FRAME_WORK_MS, WORK_CHUNK};
use crate::{
    exec::{NextDelivery, Run},
    ui::state::Ctx,
};
use leptos::prelude::*;

impl RunCtl {
    /// Pauses and plays the run forward to the next record handed to a consumer; the caption
    /// says what it was. A frame's worth of work at a time, like a seek.
    pub fn next_event(&self, ctx: Ctx) {
        self.playing.set(false);
        if !self.active.get_untracked() && !self.start(ctx) {
            return;
        }
        if self.finding_next.get_value() || self.seeking.get_untracked() {
            return;
        }
        let now = self.now.get_untracked();
        // After the delivery shown last if the run still stands there, else after what the
        // log holds up to the moment shown.
        let after = match self.last_delivery.get_value() {
            Some((i, at)) if at == now => Some(i),
            _ => self
                .with_untracked(|run| run.events().partition_point(|e| e.at <= now).checked_sub(1))
                .flatten(),
        };
        self.finding_next.set_value(true);
        self.next_frame(ctx, after);
    }

    /// One frame's work towards the next delivery after event-log position `after`.
    fn next_frame(&self, ctx: Ctx, after: Option<usize>) {
        let started = performance_now();
        let end = self.end();
        let mut result = NextDelivery::NotYet;
        self.timeline.update_value(|timeline| {
            let Some(timeline) = timeline.as_mut() else {
                return;
            };
            while result == NextDelivery::NotYet && performance_now() - started < FRAME_WORK_MS {
                result = timeline.next_delivery(after, end, WORK_CHUNK);
            }
        });
        let t = self.with_untracked(Run::now).unwrap_or(0).min(end);
        match result {
            NextDelivery::NotYet => {
                self.now.set(t);
                let ctl = *self;
                request_animation_frame(move || ctl.next_frame(ctx, after));
                return;
            }
            NextDelivery::Found(d) => {
                let caption = ctx.board(|b| d.caption(b));
                ctx.status.set(format!("{} at {}", caption, seconds(d.at)));
                self.caption.set(Some(caption));
                self.last_delivery.set_value(Some((d.log_index, d.at)));
            }
            NextDelivery::NoneBefore(_) => {
                self.caption
                    .set(Some("No more deliveries in this run".into()));
                self.last_delivery.set_value(None);
            }
        }
        self.finding_next.set_value(false);
        self.show(t);
        self.refresh_findings();
    }
}
