//! The *Results in* control of a selected command: the events its aggregate publishes (and any
//! it links to itself), ticked where the command links to them. Ticking adds or removes the
//! command → event link as one undoable edit; the lines under it say what a run publishes.

use super::super::state::Ctx;
use crate::{
    editor::results_in::results_in_edit,
    model::{outcome, Board, NoteId},
};
use leptos::prelude::*;

/// One event the command may result in.
#[derive(Clone, Debug, PartialEq)]
struct Choice {
    event: NoteId,
    text: String,
    failure: bool,
    ticked: bool,
}

/// What the control shows for a command.
#[derive(Clone, Debug, PartialEq, Default)]
struct Shown {
    /// The aggregate's text, if one handles the command.
    aggregate: Option<String>,
    /// Its events, then events only the command links to, in link order.
    choices: Vec<Choice>,
    /// What a run publishes: (on success, on failure), by text.
    runs: (Option<String>, Option<String>),
    /// True when the board leaves the choice open (FS013).
    open: bool,
}

fn shown(board: &Board, command: &NoteId) -> Shown {
    let Some(o) = outcome::on_board(board, command) else {
        return Shown::default();
    };
    let text = |i: usize| {
        let t = board.notes[i].text.trim();
        if t.is_empty() {
            board.notes[i].id.to_string()
        } else {
            t.to_string()
        }
    };
    let mut choices: Vec<Choice> = Vec::new();
    for c in o.offered.iter().chain(&o.direct) {
        let event = board.notes[c.edge.note.index()].id.clone();
        if choices.iter().any(|ch| ch.event == event) {
            continue;
        }
        choices.push(Choice {
            event,
            text: text(c.edge.note.index()),
            failure: c.failure,
            ticked: o.results_in(c.edge.note),
        });
    }
    let name = |e: Option<crate::model::index::Edge>| e.map(|e| text(e.note.index()));
    Shown {
        aggregate: o.aggregate.map(|a| text(a.note.index())),
        choices,
        runs: (name(o.success), name(o.failure)),
        open: o.ambiguity().is_some(),
    }
}

/// The *Results in* section of a command's inspector.
#[component]
pub(super) fn ResultsIn(id: NoteId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let state = {
        let id = id.clone();
        Memo::new(move |_| ctx.board(|b| shown(b, &id)))
    };
    let toggle = move |event: NoteId, on: bool| {
        let edit = ctx
            .editor
            .with_untracked(|e| results_in_edit(e.board(), &id, &event, on));
        match edit {
            Ok(edit) => {
                if ctx.apply(edit) {
                    let s = state.get_untracked();
                    let what = s
                        .choices
                        .iter()
                        .find(|c| c.event == event)
                        .map(|c| c.text.clone())
                        .unwrap_or_default();
                    let verb = if on {
                        "results in"
                    } else {
                        "no longer results in"
                    };
                    ctx.status
                        .set(format!("The command {verb} “{what}” (undo with Ctrl+Z)"));
                }
            }
            Err(e) => ctx.status.set(e.to_string()),
        }
    };
    let toggle = StoredValue::new(toggle);
    view! {
        <section class="results-in" data-results-in>
            <h3>"Results in"</h3>
            {move || {
                let s = state.get();
                if s.choices.is_empty() {
                    let hint = if s.aggregate.is_some() {
                        "Its aggregate publishes no event yet: link the aggregate to the events it publishes."
                    } else {
                        "Link this command to the aggregate that handles it; the events the aggregate publishes show here."
                    };
                    return view! { <p class="hint">{hint}</p> }.into_any();
                }
                let by = s.aggregate.clone().map(|a| format!("Events “{a}” publishes; tick what this command results in (one success event, at most one failure event):"))
                    .unwrap_or_else(|| "Events this command links to:".into());
                let (success, failure) = s.runs.clone();
                let runs = match (success, failure) {
                    (Some(ok), Some(fail)) if ok != fail => format!("A run publishes “{ok}”, or “{fail}” when it fails."),
                    (Some(ok), _) => format!("A run publishes “{ok}”."),
                    _ => String::new(),
                };
                view! {
                    <p class="hint">{by}</p>
                    <ul class="results-in-list">
                        {s.choices.into_iter().map(|c| {
                            let event = c.event.clone();
                            view! {
                                <li>
                                    <label>
                                        <input type="checkbox" data-results-in-event=c.event.0.clone() prop:checked=c.ticked
                                            on:change=move |ev| toggle.with_value(|t| t(event.clone(), event_target_checked(&ev))) />
                                        <span class="event-name">{c.text}</span>
                                        {c.failure.then(|| view! { <span class="tag failure">"failure"</span> })}
                                    </label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <p class="runs" data-results-in-runs>{runs}</p>
                    {s.open.then(|| view! {
                        <p class="warn" data-results-in-open>"The board does not say which one: tick one success event (FS013)."</p>
                    })}
                }.into_any()
            }}
        </section>
    }
}
