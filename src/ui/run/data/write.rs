//! The Data tab's parts written as HTML: a topic's partition logs with the groups' cursors, a
//! read model's rows, an aggregate's entities, and one entity's history and views side by side.

use crate::{
    exec::{
        fold::EntityState,
        payload::{iso_time, FieldValue},
        Run,
    },
    model::{Board, NoteId},
    ui::dom::escape_html,
};
use std::fmt::Write;

/// Records shown per partition (the latest).
pub const LOG_RECORDS: usize = 12;
/// Rows of a read model shown (the first by key).
const VIEW_ROWS: usize = 50;
/// Entities of an aggregate listed (the first by key).
const ENTITIES: usize = 60;
/// Events of an entity's history shown (the latest).
const HISTORY: usize = 30;

/// A note's text, or its id when the board has no such note.
fn name<'a>(board: &'a Board, id: &'a NoteId) -> &'a str {
    board.note(id).map_or(id.as_str(), |n| n.text.as_str())
}

/// The time of day of a moment of the run (`13:10:04.250`).
fn clock(at: u64) -> String {
    iso_time(at)[11..23].to_string()
}

/// The attributes that make a control show an entity when clicked (the closing quote of the
/// last is left to the caller).
fn entity_attrs(out: &mut String, aggregate: Option<&NoteId>, entity: u64) {
    let _ = write!(out, " data-entity=\"{entity}\" data-agg=\"");
    if let Some(a) = aggregate {
        escape_html(out, a.as_str());
    }
}

/// Fields as `name value` pairs.
fn fields(out: &mut String, fields: &[(String, FieldValue)]) {
    for (n, v) in fields {
        out.push_str("<span class=\"kv\"><i>");
        escape_html(out, n);
        out.push_str("</i> ");
        escape_html(out, &v.to_string());
        out.push_str("</span> ");
    }
}

/// The partitions of `topic` as logs, most recent first, with each group's cursors: where it
/// committed and where its reader stands.
pub fn partition_logs(out: &mut String, run: &Run, board: &Board, topic: &str) {
    for log in run.partition_logs(topic, LOG_RECORDS) {
        let _ = write!(
            out,
            "<div class=\"plog\" data-plog=\"{}\"><h4>",
            log.partition
        );
        escape_html(out, topic);
        let _ = write!(
            out,
            " / partition {} <span class=\"muted\">log start {} · log end {}</span></h4><ol class=\"plog-records\">",
            log.partition, log.log_start, log.log_end
        );
        let cursor_row = |out: &mut String, offset: u64| {
            for c in &log.cursors {
                let at_position = c.position == Some(offset);
                let at_commit = c.committed == Some(offset);
                if !(at_position || at_commit) {
                    continue;
                }
                out.push_str("<li class=\"cursor\" data-cursor=\"");
                escape_html(out, c.note.as_str());
                out.push_str("\">▸ ");
                escape_html(out, name(board, &c.note));
                out.push_str(match (at_commit, at_position) {
                    (true, true) => " committed, reads next",
                    (true, false) => " committed",
                    _ => " reads next",
                });
                out.push_str("</li>");
            }
        };
        out.push_str("<li class=\"muted end\">most recent</li>");
        cursor_row(out, log.log_end);
        for r in log.records.iter().rev() {
            let _ = write!(
                out,
                "<li data-offset=\"{}\"><b>#{}</b> ",
                r.offset, r.offset
            );
            if let Some(e) = &r.event {
                escape_html(out, name(board, e));
            }
            if let Some(k) = r.entity {
                let _ = write!(out, " <span class=\"muted\">key {k}</span>");
            }
            let _ = write!(out, " <span class=\"muted\">{}</span>", clock(r.at));
            if let Some(p) = &r.payload {
                out.push_str("<br>");
                fields(out, &p.fields);
            }
            out.push_str("</li>");
            cursor_row(out, r.offset);
        }
        out.push_str(
            if log
                .records
                .first()
                .is_some_and(|r| r.offset > log.log_start)
            {
                "<li class=\"muted end\">older records not shown</li></ol></div>"
            } else {
                "<li class=\"muted end\">oldest: log start</li></ol></div>"
            },
        );
    }
}

/// A read model's rows: one per entity, its state and the version applied.
pub fn view_rows(out: &mut String, run: &Run, board: &Board, view: &NoteId) {
    let rows = run.view_rows(view);
    out.push_str("<h3>");
    escape_html(out, name(board, view));
    let _ = write!(
        out,
        ": {} row{}</h3><table class=\"rows\" data-view-rows><thead><tr><th>key</th><th>state</th><th>v</th></tr></thead><tbody>",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    for row in rows.iter().take(VIEW_ROWS) {
        out.push_str("<tr");
        entity_attrs(out, row.aggregate.as_ref(), row.entity);
        let _ = write!(
            out,
            "\" title=\"Show this entity\"><td>{}</td><td>",
            row.entity
        );
        fields(out, &row.state.fields);
        let _ = write!(out, "</td><td>{}</td></tr>", row.state.version);
    }
    out.push_str("</tbody></table>");
    if rows.len() > VIEW_ROWS {
        let _ = write!(
            out,
            "<p class=\"muted\">and {} more</p>",
            rows.len() - VIEW_ROWS
        );
    }
}

/// The entities an aggregate saved so far, each with its event count.
pub fn entities(out: &mut String, run: &Run, board: &Board, aggregate: &NoteId) {
    let list = run.entities_of(aggregate);
    out.push_str("<h3>");
    escape_html(out, name(board, aggregate));
    let _ = write!(
        out,
        ": {} entities</h3><p class=\"entities\" data-entities>",
        list.len()
    );
    for (entity, events) in list.iter().take(ENTITIES) {
        out.push_str("<button");
        entity_attrs(out, Some(aggregate), *entity);
        let _ = write!(out, "\" title=\"{events} events\">{entity}</button> ");
    }
    out.push_str("</p>");
}

/// One entity now: its state as the aggregate and each read model have it, side by side (a
/// value a view does not share is marked), then its history event by event.
pub fn entity(out: &mut String, run: &Run, board: &Board, aggregate: &NoteId, entity: u64) {
    // One fold of the entity gives both its history and its state now.
    let history = run.entity_history(aggregate, entity);
    let truth = history
        .last()
        .map(|step| step.state.clone())
        .unwrap_or_default();
    let views: Vec<(NoteId, EntityState)> = run
        .views_of(aggregate)
        .into_iter()
        .map(|v| {
            let state = run
                .view_entity(&v, aggregate, entity)
                .map(|r| r.state)
                .unwrap_or_default();
            (v, state)
        })
        .collect();
    out.push_str("<h3 data-entity-title>");
    escape_html(out, name(board, aggregate));
    let _ = write!(
        out,
        " {entity} at {}</h3><table class=\"sides\" data-entity-sides><thead><tr><th></th><th>",
        clock(run.now())
    );
    escape_html(out, name(board, aggregate));
    for (v, _) in &views {
        out.push_str("</th><th>");
        escape_html(out, name(board, v));
    }
    out.push_str("</th></tr></thead><tbody>");
    let mut names: Vec<&str> = truth.fields.iter().map(|(n, _)| n.as_str()).collect();
    for (_, s) in &views {
        for (n, _) in &s.fields {
            if !names.contains(&n.as_str()) {
                names.push(n);
            }
        }
    }
    let cell = |out: &mut String, s: &EntityState, field: Option<&str>, same: bool| {
        out.push_str(if same {
            "<td>"
        } else {
            "<td class=\"differs\">"
        });
        match field {
            Some(f) => escape_html(out, &s.get(f).map(|v| v.to_string()).unwrap_or("–".into())),
            None => {
                let _ = write!(out, "{}", s.version);
            }
        }
        out.push_str("</td>");
    };
    for f in names.iter().map(|f| Some(*f)).chain([None]) {
        out.push_str("<tr><th>");
        escape_html(out, f.unwrap_or("events applied"));
        out.push_str("</th>");
        cell(out, &truth, f, true);
        for (_, s) in &views {
            let same = match f {
                Some(f) => s.get(f) == truth.get(f),
                None => s.version == truth.version,
            };
            cell(out, s, f, same);
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table><h4>History</h4><ol class=\"history\" data-history>");
    let skip = history.len().saturating_sub(HISTORY);
    for step in &history[skip..] {
        let _ = write!(out, "<li><b>{}</b> ", clock(step.at));
        escape_html(out, name(board, &step.event));
        out.push_str("<br>");
        fields(out, &step.payload.fields);
        out.push_str("<br>→ ");
        fields(out, &step.state.fields);
        out.push_str("</li>");
    }
    out.push_str("</ol>");
}
