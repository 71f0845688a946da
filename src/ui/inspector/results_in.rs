//! The *Results in* control of a selected command: the events its aggregate publishes (and any
//! it links to itself), ticked where the command links to them. Ticking adds or removes the
//! command → event link as one undoable edit; the lines under it say what a run publishes.

use super::super::{dom::escape_html, state::Ctx};
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
pub(super) struct Shown {
    /// The aggregate's text, if one handles the command.
    aggregate: Option<String>,
    /// Its events, then events only the command links to, in link order.
    choices: Vec<Choice>,
    /// What a run publishes: (on success, on failure), by text.
    runs: (Option<String>, Option<String>),
    /// True when the board leaves the choice open (FS013).
    open: bool,
}

/// What the control shows for the command `command` of `board`.
pub(super) fn shown(board: &Board, command: &NoteId) -> Shown {
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

impl Shown {
    /// The *Results in* section of a command's inspector, as HTML: a tick per event
    /// (`data-results-in-event`), what a run publishes, and whether the board leaves it open.
    pub(super) fn write_html(&self, out: &mut String) {
        out.push_str(
            "<section class=\"results-in\" data-results-in><h3>Results in</h3><p class=\"hint\">",
        );
        if self.choices.is_empty() {
            out.push_str(if self.aggregate.is_some() {
                "Its aggregate publishes no event yet: link the aggregate to the events it publishes."
            } else {
                "Link this command to the aggregate that handles it; the events the aggregate publishes show here."
            });
            out.push_str("</p></section>");
            return;
        }
        match &self.aggregate {
            Some(a) => {
                out.push_str("Events “");
                escape_html(out, a);
                out.push_str("” publishes; tick what this command results in (one success event, at most one failure event):");
            }
            None => out.push_str("Events this command links to:"),
        }
        out.push_str("</p><ul class=\"results-in-list\">");
        for c in &self.choices {
            out.push_str("<li><label><input type=\"checkbox\" data-results-in-event=\"");
            escape_html(out, c.event.as_str());
            out.push('"');
            if c.ticked {
                out.push_str(" checked");
            }
            out.push_str("><span class=\"event-name\">");
            escape_html(out, &c.text);
            out.push_str("</span>");
            if c.failure {
                out.push_str("<span class=\"tag failure\">failure</span>");
            }
            out.push_str("</label></li>");
        }
        out.push_str("</ul><p class=\"runs\" data-results-in-runs>");
        let runs = match &self.runs {
            (Some(ok), Some(fail)) if ok != fail => {
                format!("A run publishes “{ok}”, or “{fail}” when it fails.")
            }
            (Some(ok), _) => format!("A run publishes “{ok}”."),
            _ => String::new(),
        };
        escape_html(out, &runs);
        out.push_str("</p>");
        if self.open {
            out.push_str("<p class=\"warn\" data-results-in-open>The board does not say which one: tick one success event (FS013).</p>");
        }
        out.push_str("</section>");
    }

    /// The text of the event `id` among the choices.
    fn text_of(&self, id: &NoteId) -> String {
        self.choices
            .iter()
            .find(|c| &c.event == id)
            .map(|c| c.text.clone())
            .unwrap_or_default()
    }
}

/// Ticks (`on`) or unticks the event a command results in, as one undoable edit; the status
/// bar says what changed.
pub(super) fn toggle(ctx: Ctx, command: &NoteId, event: &NoteId, on: bool) {
    let (edit, what) = ctx.editor.with_untracked(|e| {
        let what = shown(e.board(), command).text_of(event);
        (results_in_edit(e.board(), command, event, on), what)
    });
    match edit {
        Ok(edit) => {
            if ctx.apply(edit) {
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
}
