//! Presentation mode: the board full screen with the panels away, large type, a pointer the
//! audience can follow, and the board's storyline walked a step at a time with the keyboard or
//! a clicker (→ ↓ Space PageDown forward, ← ↑ PageUp back, Home, End; Escape leaves).

use super::{
    dom::{escape_html, event_closest, set_html, Written},
    run::RunCtl,
    state::Ctx,
};
use crate::ui::watch::watch_with;
use crate::{
    editor::{Action, MAX_ZOOM},
    model::{Board, Camera, Rect, StepAction},
};
use leptos::{ev, prelude::*};
use std::{collections::VecDeque, fmt::Write};
use wasm_bindgen::JsCast;

/// Margin around what a step shows, screen pixels.
const STEP_MARGIN: f64 = 48.0;
/// The closest a step on a few notes zooms (they fill the screen, but a single note does not).
const STEP_MAX_ZOOM: f64 = 2.0;
/// The keys that walk forward (a clicker sends PageDown).
const NEXT_KEYS: [&str; 5] = ["ArrowRight", "ArrowDown", "PageDown", " ", "Enter"];
/// The keys that walk back (a clicker sends PageUp).
const BACK_KEYS: [&str; 4] = ["ArrowLeft", "ArrowUp", "PageUp", "Backspace"];
/// Keys the board still takes while presenting: zoom, fit and the run's next event. Any other
/// key is swallowed, so that nothing is edited by a stray key in front of an audience.
const VIEW_KEYS: [&str; 8] = ["+", "=", "-", "_", "0", "!", "n", "N"];

/// Presentation mode and where in the storyline it is.
#[derive(Clone, Copy)]
pub struct Stage {
    /// True while presenting.
    pub on: RwSignal<bool>,
    /// The step shown, when the board has a storyline.
    pub step: RwSignal<Option<usize>>,
    /// Counts the steps gone to: a step's actions still waiting for a seek stop when another
    /// step is gone to.
    visit: StoredValue<u64>,
}

impl Stage {
    /// Not presenting.
    pub fn new() -> Stage {
        Stage {
            on: RwSignal::new(false),
            step: RwSignal::new(None),
            visit: StoredValue::new(0),
        }
    }

    /// Enters presentation mode (full screen when the browser allows it) at the storyline's
    /// first step, or with the whole board in view.
    pub fn enter(self, ctx: Ctx, run: RunCtl) {
        if self.on.get_untracked() {
            return;
        }
        self.on.set(true);
        if let Some(root) = document().document_element() {
            // Refused without a user gesture or in a frame: presenting works in the window.
            let _ = root.request_fullscreen();
        }
        let steps = ctx.editor.with_untracked(|e| e.board().storyline.len());
        ctx.status.set(if steps == 0 {
            "Presenting: Space plays and pauses, Esc leaves".into()
        } else {
            format!("Presenting {steps} steps: → or Space for the next, ← back, Esc leaves")
        });
        // The panels leave the page first; the canvas is measured once they have.
        request_animation_frame(move || {
            if steps > 0 {
                self.go(ctx, run, 0);
            } else {
                ctx.perform(Action::FitBoard);
            }
        });
    }

    /// Leaves presentation mode (and full screen).
    pub fn leave(self, ctx: Ctx) {
        if !self.on.get_untracked() {
            return;
        }
        self.on.set(false);
        self.step.set(None);
        self.visit.update_value(|v| *v += 1);
        let doc = document();
        if doc.fullscreen_element().is_some() {
            doc.exit_fullscreen();
        }
        ctx.status.set("Left the presentation".into());
        request_animation_frame(move || {
            ctx.sync_viewport();
        });
    }

    /// Shows step `i` of the storyline: its part of the board, its caption, then its actions.
    pub fn go(self, ctx: Ctx, run: RunCtl, i: usize) {
        let Some(step) = ctx
            .editor
            .with_untracked(|e| e.board().storyline.get(i).cloned())
        else {
            return;
        };
        self.step.set(Some(i));
        self.visit.update_value(|v| *v += 1);
        // The new caption is on the page a frame later: what the step shows keeps clear of it.
        request_animation_frame(move || self.reframe(ctx));
        self.perform(ctx, run, step.actions.into(), self.visit.get_value());
    }

    /// Shows the step's part of the board again (the screen changed size, say on going full
    /// screen), or the whole board when there is no step.
    pub fn reframe(self, ctx: Ctx) {
        let camera = self.step.get_untracked().and_then(|i| {
            ctx.editor
                .with_untracked(|e| e.board().storyline.get(i).map(|s| s.camera.clone()))
        });
        let Some(camera) = camera else {
            ctx.perform(Action::FitBoard);
            return;
        };
        let (part, max_zoom) = ctx.editor.with_untracked(|e| part(e.board(), &camera));
        ctx.sync_viewport();
        if let Some(part) = part {
            ctx.run(|e| {
                e.show_part(part, STEP_MARGIN, max_zoom);
                None
            });
        }
    }

    /// Does the actions in order; one that moves the run to a moment (a frame at a time) lets
    /// the rest wait until the run is there, unless another step is gone to meanwhile.
    fn perform(self, ctx: Ctx, run: RunCtl, mut actions: VecDeque<StepAction>, visit: u64) {
        if self.visit.get_value() != visit {
            return;
        }
        if run.seeking_untracked() {
            request_animation_frame(move || self.perform(ctx, run, actions, visit));
            return;
        }
        while let Some(action) = actions.pop_front() {
            match action {
                StepAction::Play { speed } => {
                    run.speed.set(speed);
                    if !run.playing.get_untracked() {
                        run.play(ctx);
                    }
                }
                StepAction::Pause => run.playing.set(false),
                StepAction::Reset => run.reset(),
                StepAction::Jump { at_ms } => {
                    run.playing.set(false);
                    run.seek(ctx, at_ms);
                }
                StepAction::Fault(f) => {
                    let words = f.words();
                    run.fault(ctx, f, words);
                }
            }
            if run.seeking_untracked() {
                request_animation_frame(move || self.perform(ctx, run, actions, visit));
                return;
            }
        }
    }

    /// A key while presenting; true when presentation mode took it.
    pub fn key(self, ctx: Ctx, run: RunCtl, key: &str) -> bool {
        let steps = ctx.editor.with_untracked(|e| e.board().storyline.len());
        let at = self.step.get_untracked();
        if key == "Escape" {
            self.leave(ctx);
        } else if steps == 0 && key == " " {
            if run.playing.get_untracked() {
                run.playing.set(false);
            } else {
                run.play(ctx);
            }
        } else if steps > 0 && NEXT_KEYS.contains(&key) {
            let next = at.map_or(0, |i| i + 1);
            if next < steps {
                self.go(ctx, run, next);
            }
        } else if steps > 0 && BACK_KEYS.contains(&key) {
            if let Some(i) = at.filter(|i| *i > 0) {
                self.go(ctx, run, i - 1);
            }
        } else if steps > 0 && key == "Home" {
            self.go(ctx, run, 0);
        } else if steps > 0 && key == "End" {
            self.go(ctx, run, steps - 1);
        } else {
            return !VIEW_KEYS.contains(&key);
        }
        true
    }
}

/// The board rectangle a camera shows and the closest zoom for it (`None`: nothing to show).
fn part(board: &Board, camera: &Camera) -> (Option<Rect>, f64) {
    match camera {
        Camera::Board => (board.bounds(), MAX_ZOOM),
        Camera::Frame(id) => (board.frame(id).map(|f| f.rect()), MAX_ZOOM),
        Camera::Notes(ids) => (
            ids.iter()
                .filter_map(|id| board.note(id).map(|n| n.rect()))
                .reduce(|a, b| a.union(&b)),
            STEP_MAX_ZOOM,
        ),
        Camera::Area(r) => (Some(*r), MAX_ZOOM),
    }
}

/// The caption bar, the step counter and the pointer highlight, while presenting.
#[component]
pub fn StageOverlay() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let run = expect_context::<RunCtl>();
    let stage = expect_context::<Stage>();
    let pointer = NodeRef::<leptos::html::Div>::new();
    // The highlight follows the pointer by its style alone: nothing else is drawn again.
    let moved = window_event_listener(ev::pointermove, move |ev| {
        if let Some(el) = pointer.get_untracked() {
            let el: &web_sys::HtmlElement = el.unchecked_ref();
            let _ = el.style().set_property(
                "translate",
                &format!("{}px {}px", ev.client_x(), ev.client_y()),
            );
        }
    });
    // Leaving full screen (Esc, the browser's own control) leaves the presentation; the
    // page gets no key event for it.
    let fullscreen = window_event_listener(
        ev::Custom::<ev::Event>::new("fullscreenchange"),
        move |_| {
            if document().fullscreen_element().is_none() && stage.on.get_untracked() {
                stage.leave(ctx);
            }
        },
    );
    let resized = window_event_listener(ev::resize, move |_| {
        if stage.on.get_untracked() {
            stage.reframe(ctx);
        }
    });
    on_cleanup(move || {
        moved.remove();
        fullscreen.remove();
        resized.remove();
    });
    // The bar is written as HTML when the step, its caption or the number of steps changes;
    // its buttons are answered by one listener.
    let bar = NodeRef::<leptos::html::Div>::new();
    watch_with(move |last: Option<Written>| {
        let on = stage.on.get();
        if let Some(el) = pointer.get() {
            let _ = el.toggle_attribute_with_force("hidden", !on);
        }
        let el: Option<web_sys::Element> = bar.get().map(Into::into);
        if let Some(el) = &el {
            let _ = el.toggle_attribute_with_force("hidden", !on);
        }
        let step = stage.step.get();
        let html = ctx.board(|b| bar_html(b, step));
        set_html(el, html, last.flatten())
    });
    let on_click = move |ev: ev::MouseEvent| {
        let action =
            event_closest(&ev, "[data-action]").and_then(|b| b.get_attribute("data-action"));
        let at = stage.step.get_untracked();
        match (action.as_deref(), at) {
            (Some("step-back"), Some(i)) => stage.go(ctx, run, i.saturating_sub(1)),
            (Some("step-next"), Some(i)) => stage.go(ctx, run, i + 1),
            (Some("present-leave"), _) => stage.leave(ctx),
            _ => {}
        }
    };
    view! {
        <div class="laser" aria-hidden="true" node_ref=pointer hidden />
        <div class="stage-bar" data-story-caption hidden node_ref=bar on:click=on_click />
    }
}

/// The presentation's bar: the step's caption, where the step is in the storyline, and the
/// buttons to walk it and to leave.
fn bar_html(board: &Board, step: Option<usize>) -> String {
    let n = board.storyline.len();
    let mut out = String::from("<p class=\"caption\" data-story-text aria-live=\"polite\">");
    if let Some(s) = step.and_then(|i| board.storyline.get(i)) {
        escape_html(&mut out, &s.caption);
    }
    out.push_str("</p><span class=\"step-count\" data-step-count>");
    match step {
        Some(i) => {
            let _ = write!(
                out,
                "{} / {n}</span><button data-action=\"step-back\" aria-label=\"Previous step\" title=\"Previous step (←, PageUp)\"{}>◀</button>\
                 <button data-action=\"step-next\" aria-label=\"Next step\" title=\"Next step (→, Space, PageDown)\"{}>▶</button>",
                i + 1,
                if i == 0 { " disabled" } else { "" },
                if i + 1 >= n { " disabled" } else { "" },
            );
        }
        None => out.push_str("No storyline: Space plays</span>"),
    }
    out.push_str(
        "<button data-action=\"present-leave\" title=\"Leave the presentation (Esc)\">Esc</button>",
    );
    out
}
