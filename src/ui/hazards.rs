//! The hazards panel and the badges on notes: the static rules, re-run as the board changes,
//! and what the run has shown (kept while the timeline is scrubbed), all by severity.

use super::{
    dom::{escape_html, event_closest, set_text},
    run::RunCtl,
    state::Ctx,
};
use crate::collections::HashMap;
use crate::ui::watch::watch;
use crate::{
    analysis::{check, dynamic::seconds, finding::merged, Finding, Severity, Source},
    model::{Board, Edit, Link, LinkId, Note, NoteId, NoteKind},
};
use leptos::prelude::*;
use std::fmt::Write;

/// The findings on the board now, and the badge each affected note wears.
#[derive(Clone, Copy)]
pub struct Hazards {
    /// Every finding, static and dynamic: errors, then warnings, then infos.
    pub findings: Memo<Vec<Finding>>,
    /// For each affected note: the worst severity and how many findings name it.
    pub badges: RwSignal<HashMap<NoteId, (Severity, usize)>>,
}

impl Hazards {
    /// Derives findings from the editor's board (a drag in progress keeps the last ones) and from
    /// the run, when there is one.
    pub fn new(ctx: Ctx, run: RunCtl) -> Hazards {
        // The board is painted before it is checked: on a big board the rules took a good part
        // of the first paint's time, and the badges can come a frame later.
        let statics = Memo::new_owning(move |prev: Option<Vec<Finding>>| {
            match (ctx.previewing.get(), prev) {
                _ if !ctx.painted.get() => (Vec::new(), true),
                (true, Some(prev)) => (prev, false),
                (_, prev) => {
                    let now = ctx.board(check);
                    let changed = prev.as_ref() != Some(&now);
                    (now, changed)
                }
            }
        });
        // What the board says and what the run has shown, by severity.
        let findings = Memo::new(move |_| {
            merged(
                statics.get(),
                run.dynamic.with(|seen| seen.findings().to_vec()),
            )
        });
        // A signal set only when the badges change, not a memo: every note's element reads
        // them, and a memo would be marked for checking (with all those elements) on every
        // change of the editor the findings derive from, e.g. each step of a drag.
        let badges = RwSignal::new(HashMap::default());
        watch(move || {
            let now = findings.with(|all| {
                let mut map: HashMap<NoteId, (Severity, usize)> = HashMap::default();
                for f in all {
                    for id in &f.notes {
                        let entry = map.entry(id.clone()).or_insert((f.severity, 0));
                        entry.0 = entry.0.max(f.severity);
                        entry.1 += 1;
                    }
                }
                map
            });
            if badges.with_untracked(|b| *b != now) {
                badges.set(now);
            }
        });
        Hazards { findings, badges }
    }
}

/// The current findings.
pub fn use_findings() -> Memo<Vec<Finding>> {
    expect_context::<Hazards>().findings
}

/// The badges of affected notes.
pub fn use_badges() -> RwSignal<HashMap<NoteId, (Severity, usize)>> {
    expect_context::<Hazards>().badges
}

/// The notes' texts on one line each, joined; a note without text by its id.
fn note_names(board: &Board, notes: &[NoteId]) -> String {
    notes
        .iter()
        .filter_map(|id| board.note(id))
        .map(|n| {
            let text = n.text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.is_empty() {
                n.id.to_string()
            } else {
                text
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Selects a finding's notes and zooms to them.
fn show(ctx: Ctx, finding: &Finding) {
    ctx.sync_viewport();
    ctx.run(|e| e.focus_notes(&finding.notes));
}

/// Places a hotspot with the finding's message next to its first note, linked to it: one undo step.
fn add_hotspot(ctx: Ctx, finding: &Finding) {
    let edit = ctx.editor.with_untracked(|e| {
        let board = e.board();
        let anchor = finding.notes.iter().find_map(|id| board.note(id))?;
        let id = board.fresh_id("hotspot-");
        let mut note = Note::new(
            id.clone(),
            NoteKind::Hotspot,
            format!("{}: {}", finding.code.as_str(), finding.message),
            anchor.x + anchor.width() + 30.0,
            anchor.y - 130.0,
        );
        note.w = Some(220.0);
        note.h = Some(120.0);
        note.frame = anchor.frame.clone();
        let link = Link {
            id: LinkId(format!("{id}-link")),
            from: NoteId(id),
            to: anchor.id.clone(),
        };
        Some(Edit::Batch(vec![
            Edit::AddNote { note, index: None },
            Edit::AddLink { link, index: None },
        ]))
    });
    match edit {
        Some(edit) => {
            if ctx.apply(edit) {
                ctx.status
                    .set(format!("Added a hotspot for {}", finding.code.as_str()));
            }
        }
        None => ctx.status.set("The finding's notes are gone".into()),
    }
}

/// The list of findings, by severity: written as one piece of HTML when the findings change,
/// its buttons answered by one listener (`data-action`, `data-finding-index`).
#[component]
pub fn HazardsPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let findings = use_findings();
    let panel = NodeRef::<leptos::html::Div>::new();
    watch(move || {
        let (summary, html) = findings.with(|f| {
            let html = ctx.editor.with_untracked(|e| findings_html(f, e.board()));
            (crate::analysis::summary(f), html)
        });
        if let Some(el) = panel.get() {
            set_text(&el, "[data-hazard-summary]", &summary);
            if let Some(list) = el.last_element_child() {
                list.set_inner_html(&html);
            }
        }
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = event_closest(&ev, "[data-action]") else {
            return;
        };
        let finding = button
            .closest("[data-finding-index]")
            .ok()
            .flatten()
            .and_then(|li| {
                li.get_attribute("data-finding-index")?
                    .parse::<usize>()
                    .ok()
            })
            .and_then(|i| findings.with_untracked(|f| f.get(i).cloned()));
        let Some(f) = finding else {
            return;
        };
        match button.get_attribute("data-action").as_deref() {
            Some("show-finding") => show(ctx, &f),
            Some("apply-fix") => {
                let which = button
                    .get_attribute("data-fix")
                    .and_then(|i| i.parse::<usize>().ok())
                    .unwrap_or(0);
                if let Some(action) = f.fixes().nth(which).cloned() {
                    if ctx.apply(action.batch()) {
                        ctx.status
                            .set(format!("{} (undo with Ctrl+Z)", action.label));
                    }
                }
            }
            Some("add-hotspot") => add_hotspot(ctx, &f),
            _ => {}
        }
    };
    view! {
        <div class="hazards" data-hazards node_ref=panel on:click=on_click
            inner_html="<h2>Hazards</h2><p class=\"muted\" data-hazard-summary></p><ol class=\"findings\"></ol>" />
    }
}

/// The findings as HTML: each with its severity, code and title (a button that zooms to its
/// notes), the notes it is on, when the run first showed it, its message, its fix and actions.
fn findings_html(findings: &[Finding], board: &Board) -> String {
    let mut out = String::new();
    for (i, f) in findings.iter().enumerate() {
        let sev = f.severity.as_str();
        let dynamic = f.source == Source::Dynamic;
        let _ = write!(
            out,
            "<li class=\"finding {sev}\" data-finding=\"{code}\" data-finding-index=\"{i}\" data-source=\"{}\">\
             <button class=\"finding-head\" data-action=\"show-finding\" title=\"Select and zoom to its notes\">\
             <span class=\"sev {sev}\">{sev}</span><strong>{code}</strong> ",
            if dynamic { "dynamic" } else { "static" },
            code = f.code.as_str(),
        );
        escape_html(&mut out, f.code.title());
        if dynamic {
            out.push_str("<span class=\"seen\" data-seen-in-run>seen in the run</span>");
        }
        out.push_str("</button><p class=\"on-notes\">");
        escape_html(&mut out, &note_names(board, &f.notes));
        out.push_str("</p>");
        if let Some(ms) = f.first_seen_ms {
            let _ = write!(
                out,
                "<p class=\"muted first-seen\" data-first-seen>first seen at {}</p>",
                seconds(ms)
            );
        }
        out.push_str("<p>");
        escape_html(&mut out, &f.message);
        out.push_str("</p><p class=\"fix\"><em>Fix: </em>");
        escape_html(&mut out, &f.fix);
        out.push_str("</p><div class=\"finding-actions\">");
        for (i, action) in f.fixes().enumerate() {
            let _ = write!(out, "<button data-action=\"apply-fix\" data-fix=\"{i}\">");
            escape_html(&mut out, &action.label);
            out.push_str("</button>");
        }
        out.push_str("<button data-action=\"add-hotspot\">Add as hotspot</button></div></li>");
    }
    out
}
