//! Edits while a run plays or stands paused. The edited board is replayed, out of sight, to
//! the moment shown, making the same faults at the same points; when its run agrees with the
//! one shown (the edit changed nothing that already ran: a consumer drawn, a note renamed or
//! moved), it takes over there and the consumers drawn join the running broker as new groups,
//! reading from their `start` offset. An edit that would have changed what already ran says so,
//! and the run bar offers to restart: the run goes on as the board was until then.

use super::{performance_now, seconds, RunCtl, FRAME_WORK_MS, WORK_CHUNK};
use crate::{
    exec::{Fault, Run, Timeline},
    model::{props::Start, NoteId},
    ui::state::Ctx,
};
use leptos::prelude::*;
use std::cell::RefCell;

/// The edited board's timeline on its way to the moment of the edit.
struct Catching {
    /// The edited board's run, replaying what ran.
    timeline: Timeline,
    /// The moment of the edit (ms).
    at: u64,
    /// The consumers the edit drew, to start once the runs agree.
    joins: Vec<NoteId>,
}

/// What a replay step of both timelines came to.
enum Caught {
    /// More work to do.
    Working,
    /// The edited board's run is at the moment of the edit and agrees with the run shown.
    Agrees,
    /// It is there and does not.
    Differs,
    /// Nothing to catch up with any more (the run was reset).
    Gone,
}

thread_local! {
    /// The edited board's run on its way to the moment of an edit made while running (the app
    /// has one run: a plain cell costs the download less than one more reactive store).
    static CATCHING: RefCell<Option<Catching>> = const { RefCell::new(None) };
}

/// Forgets the edit being caught up with (the run was reset).
pub(super) fn drop_catching() {
    CATCHING.with_borrow_mut(|c| *c = None);
}

impl RunCtl {
    /// The board was edited while a run exists: the edited board takes over where the run is
    /// when it can, else the run bar says why not and offers a restart.
    pub fn board_edited(&self, ctx: Ctx) {
        let board = ctx.editor.with_untracked(|e| e.board().clone());
        let at = self.now.get_untracked();
        if at == 0 {
            // Nothing ran yet: a run of the board as it is now starts from nothing.
            let playing = self.playing.get_untracked();
            self.reset();
            if playing {
                self.play(ctx);
            }
            return;
        }
        let Some(made) = self
            .timeline
            .with_value(|t| t.as_ref().map(|shown| shown.edited(&board)))
        else {
            return;
        };
        match made {
            Ok((timeline, joins)) => {
                CATCHING.set(Some(Catching {
                    timeline,
                    at,
                    joins,
                }));
                if !self.catching_up.get_untracked() {
                    self.catching_up.set(true);
                    let ctl = *self;
                    request_animation_frame(move || ctl.catch_frame(ctx));
                }
            }
            Err(problems) => {
                drop_catching();
                let why = problems
                    .first()
                    .map_or_else(String::new, |d| format!(": {d}"));
                self.go_stale(format!("the board cannot run as it is now{why}"));
            }
        }
    }

    /// True while an edit made while running is being caught up with (tracked).
    pub fn catching_up(&self) -> bool {
        self.catching_up.get()
    }

    /// The board runs as the run shown again (an edit undone, say): nothing to catch up with
    /// or restart for.
    pub fn board_matches(&self) {
        drop_catching();
        self.stale.set(None);
    }

    /// Restarts the run with the board as it is now, playing if it played.
    pub fn restart(&self, ctx: Ctx) {
        let playing = self.playing.get_untracked();
        self.reset();
        if playing {
            self.play(ctx);
        } else {
            self.seek(ctx, 0);
        }
        ctx.status
            .set("The run starts again with the board as it is now".into());
    }

    /// One frame's share of replaying the edited board; takes over or says why not once it is
    /// at the moment of the edit.
    fn catch_frame(&self, ctx: Ctx) {
        let started = performance_now();
        let mut caught = Caught::Working;
        while matches!(caught, Caught::Working) && performance_now() - started < FRAME_WORK_MS {
            caught = self.catch_step();
        }
        match caught {
            Caught::Working => {
                let ctl = *self;
                request_animation_frame(move || ctl.catch_frame(ctx));
                return;
            }
            Caught::Agrees => self.take_over(ctx),
            Caught::Differs => self.go_stale(
                "this change alters what already ran: the run goes on with the board as it was"
                    .into(),
            ),
            Caught::Gone => {}
        }
        self.catching_up.set(false);
    }

    /// A chunk of work: the run shown is settled at the moment of the edit, then the edited
    /// board's run is played to it and the two are compared.
    fn catch_step(&self) -> Caught {
        let Some(at) = CATCHING.with_borrow(|c| c.as_ref().map(|c| c.at)) else {
            return Caught::Gone;
        };
        let mut shown_there = false;
        self.timeline.update_value(|t| {
            if let Some(t) = t.as_mut() {
                let s = t.seek_within(at, WORK_CHUNK);
                shown_there = s.reached || s.work == 0;
            }
        });
        if !shown_there {
            return Caught::Working;
        }
        let mut edited_there = false;
        CATCHING.with_borrow_mut(|c| {
            if let Some(c) = c.as_mut() {
                let s = c.timeline.seek_within(at, WORK_CHUNK);
                edited_there = s.reached || s.work == 0;
            }
        });
        if !edited_there {
            return Caught::Working;
        }
        let agrees = self.timeline.with_value(|shown| {
            CATCHING.with_borrow(|c| match (shown, c) {
                (Some(shown), Some(c)) => c.timeline.agrees_with(shown),
                _ => false,
            })
        });
        if agrees {
            Caught::Agrees
        } else {
            drop_catching();
            Caught::Differs
        }
    }

    /// The edited board's run replaces the one shown; the consumers drawn join the broker.
    fn take_over(&self, ctx: Ctx) {
        let Some(Catching {
            mut timeline,
            at,
            joins,
        }) = CATCHING.take()
        else {
            return;
        };
        let mut joined = Vec::new();
        for note in joins {
            let fault = Fault::StartConsumer { note: note.clone() };
            match timeline.apply_fault(fault) {
                Ok(()) => joined.push(note),
                Err(e) => ctx.status.set(e.to_string()),
            }
        }
        let told = (!joined.is_empty()).then(|| joined_message(timeline.run(), &joined, at));
        let shown = self
            .timeline
            .try_update_value(|t| t.replace(timeline))
            .flatten();
        if let Some(shown) = shown {
            self.bury(shown);
        }
        self.stale.set(None);
        self.show(at);
        if let Some(told) = told {
            ctx.status.set(told);
        }
    }

    /// The run goes on as the board was; the run bar says why and offers a restart.
    fn go_stale(&self, why: String) {
        self.status.set(format!(
            "The run was not changed: {why}. Restart to run the board as it is now"
        ));
        self.stale.set(Some(why));
    }
}

/// "Fraud check joined the running broker at 5.0 s as group fraud-check: it reads from the
/// earliest offset."
fn joined_message(run: &Run, joined: &[NoteId], at: u64) -> String {
    let mut out = String::new();
    for note in joined {
        let Some(g) = run.plan().group_of(note) else {
            continue;
        };
        let name = run
            .board()
            .note(note)
            .map_or(note.0.as_str(), |n| n.text.as_str());
        let from = match g.props.start {
            Start::Earliest => "the earliest offset: it catches up on what is there",
            Start::Latest => "the latest offset: only what comes next",
        };
        if !out.is_empty() {
            out.push_str("; ");
        }
        out.push_str(&format!(
            "{name} joined the running broker at {} as group {}, reading from {from}",
            seconds(at),
            g.name
        ));
    }
    out
}
