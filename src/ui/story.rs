//! The Story tab: the board's storyline (steps recorded from the view, captioned, reordered,
//! with what each does to the run) and the faults its scenario makes at set times.
//!
//! The lists are written as one piece of HTML and their controls answered by one listener
//! each for clicks and changes (`data-action`, `data-step`), as the Boards dialog is.

use super::{
    dom::{escape_html, event_closest, parse_number, set_html, Written},
    run::{faults_for, RunCtl},
    stage::Stage,
    state::Ctx,
};
use crate::ui::watch::watch_with;
use crate::{
    editor::{Editor, Item},
    model::{Board, Camera, Edit, Fault, NoteId, Rect, ScheduledFault, Step, StepAction},
};
use leptos::{ev, prelude::*};
use std::fmt::Write;
use wasm_bindgen::JsCast;

/// Speeds a step can play at, from the Story tab.
const STEP_SPEEDS: [f64; 4] = [1.0, 2.0, 5.0, 10.0];

/// The faults offered for the selected note: its name, and each fault with its words.
type Offered = Option<(String, Vec<(&'static str, Fault)>)>;

/// The Story tab.
#[component]
pub fn StoryPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let run = expect_context::<RunCtl>();
    let stage = expect_context::<Stage>();
    let selected = Memo::new(move |_| {
        ctx.editor.with(|e| match e.selection().items() {
            [Item::Note(id)] => Some(id.clone()),
            _ => None,
        })
    });
    // The faults that apply to the selected note, for a step or the scenario.
    let offered = Memo::new(move |_| {
        let id = selected.get()?;
        ctx.board(|b| {
            let name = b.note(&id)?.text.clone();
            let faults = faults_for(b, &id).into_iter().map(|c| (c.label, c.fault));
            Some((name, faults.collect::<Vec<_>>()))
        })
    });
    let list = NodeRef::<leptos::html::Div>::new();
    watch_with(move |last: Option<Written>| {
        let html = offered.with(|o| ctx.board(|b| panel_html(b, o)));
        set_html(list.get().map(Into::into), html, last.flatten())
    });
    let on_click = move |ev: ev::MouseEvent| {
        let Some((action, i)) = target_action(&ev) else {
            return;
        };
        match action.as_str() {
            "story-add" => {
                let step = ctx.editor.with_untracked(|e| Step {
                    caption: String::new(),
                    camera: view_camera(e),
                    actions: run_actions(run),
                });
                edit_steps(ctx, |s| s.push(step));
                ctx.status.set("Step added: give it a caption".into());
            }
            "step-show" => stage.go(ctx, run, i),
            "step-up" if i > 0 => edit_steps(ctx, |s| s.swap(i, i - 1)),
            "step-down" => edit_steps(ctx, |s| {
                if i + 1 < s.len() {
                    s.swap(i, i + 1);
                }
            }),
            "step-delete" => edit_steps(ctx, |s| {
                s.remove(i);
            }),
            "step-reframe" => {
                let camera = ctx.editor.with_untracked(view_camera);
                edit_steps(ctx, |s| s[i].camera = camera);
            }
            "step-clear" => edit_steps(ctx, |s| s[i].actions.clear()),
            "scheduled-delete" => edit_faults(ctx, |fs| {
                fs.remove(i);
            }),
            _ => {}
        }
    };
    let on_change = move |ev: ev::Event| {
        let Some((action, i)) = target_action(&ev) else {
            return;
        };
        let value = event_target_value(&ev);
        match action.as_str() {
            "caption" => edit_steps(ctx, |s| s[i].caption = value),
            "step-add-action" => {
                if let Some(a) = action_choice(&value, run, offered) {
                    edit_steps(ctx, |s| s[i].actions.push(a));
                }
            }
            "schedule-fault" => {
                let fault = value.parse::<usize>().ok().and_then(|k| {
                    offered.with_untracked(|o| o.as_ref()?.1.get(k).map(|f| f.1.clone()))
                });
                let Some(fault) = fault else {
                    return;
                };
                let at_ms = schedule_time(&ev).unwrap_or(run.readable_now.get_untracked());
                edit_faults(ctx, |fs| {
                    fs.push(ScheduledFault { at_ms, fault });
                    fs.sort_by_key(|f| f.at_ms);
                });
            }
            _ => {}
        }
    };
    view! {
        <section class="story" data-story>
            <h3>"Storyline"</h3>
            <p class="muted">"The steps you walk through when presenting (Present, F5): → Space PageDown for the next, ← PageUp back, Esc leaves. A step shows a part of the board, says its caption and can play, pause, jump or make a fault."</p>
            <div node_ref=list on:click=on_click on:change:capture=on_change></div>
        </section>
    }
}

/// The action of the control an event came from, and the index of its step or fault (0 when
/// it has none).
fn target_action(ev: &ev::Event) -> Option<(String, usize)> {
    let control = event_closest(ev, "[data-action]")?;
    let index = control
        .closest("[data-index]")
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("data-index")?.parse().ok())
        .unwrap_or(0);
    Some((control.get_attribute("data-action")?, index))
}

/// The time typed beside "Schedule a fault", in ms, if one was typed.
fn schedule_time(ev: &ev::Event) -> Option<u64> {
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let field = target
        .parent_element()?
        .query_selector("[data-field='schedule-at']")
        .ok()??
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()?;
    let seconds = parse_number(&field.value()).filter(|s| *s >= 0.0)?;
    Some((seconds * 1000.0).round() as u64)
}

/// The tab's lists as HTML: the steps, then the scenario's faults and the control to add one.
fn panel_html(board: &Board, offered: &Offered) -> String {
    let mut out = String::from(
        "<button data-action=\"story-add\" title=\"Record what the board shows now (or the selected notes) and what the run is doing as a new step\">Add a step: this view</button><ol class=\"steps\">",
    );
    let n = board.storyline.len();
    for (i, step) in board.storyline.iter().enumerate() {
        let k = i + 1;
        let _ = write!(
            out,
            "<li class=\"step\" data-step=\"{i}\" data-index=\"{i}\"><div class=\"step-head\"><strong>Step {k}</strong>\
             <button data-action=\"step-show\" title=\"Show this step as the audience will see it\">Show</button>\
             <button data-action=\"step-up\" aria-label=\"Move step {k} up\" title=\"Move up\"{}>↑</button>\
             <button data-action=\"step-down\" aria-label=\"Move step {k} down\" title=\"Move down\"{}>↓</button>\
             <button data-action=\"step-delete\" aria-label=\"Delete step {k}\" title=\"Delete this step\">✕</button></div>\
             <textarea data-action=\"caption\" data-field=\"caption\" rows=\"2\" aria-label=\"Caption of step {k}\" placeholder=\"What you say at this step\">",
            disabled(i == 0),
            disabled(i + 1 >= n),
        );
        escape_html(&mut out, &step.caption);
        out.push_str("</textarea><p class=\"muted\">Shows ");
        escape_html(&mut out, &camera_words(&step.camera, board));
        out.push_str("; ");
        if step.actions.is_empty() {
            out.push_str("does nothing to the run");
        } else {
            let words: Vec<String> = step.actions.iter().map(StepAction::words).collect();
            escape_html(&mut out, &words.join(", then "));
        }
        let _ = write!(
            out,
            ". <button class=\"link\" data-action=\"step-reframe\" title=\"Show what the board shows now (or the selected notes) at this step\">Use this view</button> \
             <button class=\"link\" data-action=\"step-clear\"{}>No actions</button></p>\
             <select data-action=\"step-add-action\" aria-label=\"Add an action to step {k}\"><option value=\"\" selected>Add an action…</option>",
            disabled(step.actions.is_empty()),
        );
        for s in STEP_SPEEDS {
            let _ = write!(out, "<option value=\"play:{s}\">Play ×{s}</option>");
        }
        out.push_str("<option value=\"pause\">Pause</option><option value=\"reset\">Reset the run</option><option value=\"jump\">Jump to the time shown</option>");
        if let Some((name, faults)) = offered {
            for (j, (label, _)) in faults.iter().enumerate() {
                let _ = write!(out, "<option value=\"fault:{j}\">");
                escape_html(&mut out, &format!("{name}: {label}"));
                out.push_str("</option>");
            }
        }
        out.push_str("</select></li>");
    }
    out.push_str("</ol><h3>Faults the scenario makes</h3><p class=\"muted\">Made at their time in every run, so a demo is the same each time; marked on the timeline.</p><ul class=\"scheduled\" data-scheduled>");
    for (i, f) in board.scheduled_faults().iter().enumerate() {
        let on = f.fault.note().and_then(|id| board.note(id));
        let _ = write!(
            out,
            "<li data-scheduled-fault=\"{i}\" data-index=\"{i}\">{:.1} s · {} · ",
            f.at_ms as f64 / 1000.0,
            f.fault.words()
        );
        escape_html(&mut out, on.map_or("", |n| n.text.as_str()));
        out.push_str(" <button data-action=\"scheduled-delete\" aria-label=\"Remove this fault\" title=\"Remove this fault\">✕</button></li>");
    }
    out.push_str("</ul>");
    match offered {
        Some((name, faults)) if !faults.is_empty() => {
            out.push_str("<div class=\"schedule\"><label>At <input type=\"text\" inputmode=\"decimal\" size=\"5\" data-field=\"schedule-at\" placeholder=\"now\"> s</label><select data-action=\"schedule-fault\" aria-label=\"Schedule a fault\"><option value=\"\" selected>Schedule a fault on “");
            escape_html(&mut out, name);
            out.push_str("”…</option>");
            for (j, (label, _)) in faults.iter().enumerate() {
                let _ = write!(out, "<option value=\"{j}\">{label}</option>");
            }
            out.push_str("</select></div>");
        }
        _ => out.push_str("<p class=\"muted\">Select a consumer, an external system, an aggregate or an event to schedule a fault on it.</p>"),
    }
    out
}

/// ` disabled` when `yes`.
fn disabled(yes: bool) -> &'static str {
    if yes {
        " disabled"
    } else {
        ""
    }
}

/// What a new step shows: the selected notes, else the selected frame, else the view as it is.
fn view_camera(e: &Editor) -> Camera {
    let items = e.selection().items();
    let notes: Vec<NoteId> = items
        .iter()
        .filter_map(|i| match i {
            Item::Note(id) => Some(id.clone()),
            _ => None,
        })
        .collect();
    if !notes.is_empty() {
        return Camera::Notes(notes);
    }
    if let [Item::Frame(id)] = items {
        return Camera::Frame(id.clone());
    }
    let r: Rect = e.camera().visible_rect(e.viewport());
    let tenth = |v: f64| (v * 10.0).round() / 10.0;
    Camera::Area(Rect::new(tenth(r.x), tenth(r.y), tenth(r.w), tenth(r.h)))
}

/// What a new step does to the run: play on at its speed if it plays, else show its moment.
fn run_actions(run: RunCtl) -> Vec<StepAction> {
    if !run.active.get_untracked() {
        return Vec::new();
    }
    if run.playing.get_untracked() {
        vec![StepAction::Play {
            speed: run.speed.get_untracked(),
        }]
    } else {
        vec![StepAction::Jump {
            at_ms: run.readable_now.get_untracked(),
        }]
    }
}

/// The action an "Add an action…" choice names.
fn action_choice(choice: &str, run: RunCtl, offered: Memo<Offered>) -> Option<StepAction> {
    match choice.split_once(':') {
        Some(("play", s)) => parse_number(s).map(|speed| StepAction::Play { speed }),
        Some(("fault", k)) => {
            let k: usize = k.parse().ok()?;
            offered.with_untracked(|o| o.as_ref()?.1.get(k).map(|f| StepAction::Fault(f.1.clone())))
        }
        _ => match choice {
            "pause" => Some(StepAction::Pause),
            "reset" => Some(StepAction::Reset),
            "jump" => Some(StepAction::Jump {
                at_ms: run.readable_now.get_untracked(),
            }),
            _ => None,
        },
    }
}

/// A camera in words ("the frame Orders", "notes: Order, Payment").
fn camera_words(camera: &Camera, board: &Board) -> String {
    match camera {
        Camera::Board => "the whole board".into(),
        Camera::Frame(id) => format!("the frame {}", board.frame(id).map_or(&id.0, |f| &f.name)),
        Camera::Notes(ids) => {
            let list: Vec<&str> = ids
                .iter()
                .map(|id| board.note(id).map_or(id.as_str(), |n| n.text.as_str()))
                .collect();
            let what = if ids.len() == 1 { "one note" } else { "notes" };
            format!("{what}: {}", list.join(", "))
        }
        Camera::Area(_) => "a recorded view".into(),
    }
}

/// Changes the storyline as one undoable edit.
fn edit_steps(ctx: Ctx, f: impl FnOnce(&mut Vec<Step>)) {
    let mut steps = ctx.editor.with_untracked(|e| e.board().storyline.clone());
    f(&mut steps);
    ctx.apply(Edit::SetStoryline { steps });
}

/// Changes the scenario's faults as one undoable edit.
fn edit_faults(ctx: Ctx, f: impl FnOnce(&mut Vec<ScheduledFault>)) {
    let mut scenario = ctx
        .editor
        .with_untracked(|e| e.board().scenario.clone())
        .unwrap_or_default();
    f(&mut scenario.faults);
    ctx.apply(Edit::SetScenario {
        scenario: Some(scenario),
    });
}
