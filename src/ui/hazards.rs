//! The hazards panel and the badges on notes: the static rules, re-run as the board changes,
//! and what the run has shown (kept while the timeline is scrubbed), all by severity.

use super::{run::RunCtl, state::Ctx};
use crate::collections::HashMap;
use crate::{
    analysis::{check, dynamic::seconds, finding::merged, Finding, Severity, Source},
    model::{Board, Edit, Link, LinkId, Note, NoteId, NoteKind},
};
use leptos::prelude::*;

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
        Effect::new(move |_| {
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

/// The list of findings, by severity.
#[component]
pub fn HazardsPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let findings = use_findings();
    let summary = move || findings.with(|f| crate::analysis::summary(f));
    view! {
        <div class="hazards" data-hazards>
            <h2>"Hazards"</h2>
            <p class="muted" data-hazard-summary>{summary}</p>
            <ol class="findings">
                {move || findings.get().into_iter().enumerate().map(|(i, f)| {
                    let (f1, f2) = (f.clone(), f.clone());
                    let fix = f.fix_action.clone();
                    let names = ctx.editor.with_untracked(|e| note_names(e.board(), &f.notes));
                    let dynamic = f.source == Source::Dynamic;
                    let first_seen = f.first_seen_ms.map(|ms| format!("first seen at {}", seconds(ms)));
                    view! {
                        <li class=format!("finding {}", f.severity.as_str()) data-finding=f.code.as_str() data-finding-index=i
                            data-source=if dynamic { "dynamic" } else { "static" }>
                            <button class="finding-head" data-action="show-finding" title="Select and zoom to its notes"
                                on:click=move |_| show(ctx, &f1)>
                                <span class=format!("sev {}", f.severity.as_str())>{f.severity.as_str()}</span>
                                <strong>{f.code.as_str()}</strong>" "{f.code.title()}
                                {dynamic.then(|| view! { <span class="seen" data-seen-in-run>"seen in the run"</span> })}
                            </button>
                            <p class="on-notes">{names}</p>
                            {first_seen.map(|at| view! { <p class="muted first-seen" data-first-seen>{at}</p> })}
                            <p>{f.message.clone()}</p>
                            <p class="fix"><em>"Fix: "</em>{f.fix.clone()}</p>
                            <div class="finding-actions">
                                {fix.map(|action| {
                                    let label = action.label.clone();
                                    view! {
                                        <button data-action="apply-fix" on:click=move |_| {
                                            if ctx.apply(action.batch()) { ctx.status.set(format!("{} (undo with Ctrl+Z)", action.label)); }
                                        }>{label}</button>
                                    }
                                })}
                                <button data-action="add-hotspot" on:click=move |_| add_hotspot(ctx, &f2)>"Add as hotspot"</button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </div>
    }
}
