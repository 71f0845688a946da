//! The Data tab: what the run's records carry and what they build, at the moment shown — a
//! topic's partition logs with every group's cursors, the selected read model's rows, the
//! selected aggregate's entities, and one entity's history with its state in each view.

use super::RunCtl;
use crate::ui::watch::{watch, watch_with};
use crate::{
    editor::Item,
    model::{index::route_of_event, Board, NoteId, NoteKind},
    ui::{
        dom::{escape_html, event_closest, set_html, Written},
        state::Ctx,
    },
};
use leptos::prelude::*;

mod write;

/// The topic a note's data is about: an event's own, else that of an event linked to it.
fn topic_of(board: &Board, id: &NoteId) -> Option<String> {
    let note = board.note(id)?;
    let event = if note.kind == NoteKind::Event {
        Some(id)
    } else {
        board.links.iter().find_map(|l| {
            let other = if &l.from == id {
                &l.to
            } else if &l.to == id {
                &l.from
            } else {
                return None;
            };
            board
                .note(other)
                .is_some_and(|n| n.kind == NoteKind::Event)
                .then_some(other)
        })
    }?;
    route_of_event(board, event).map(|r| r.topic)
}

/// The Data tab.
#[component]
pub fn DataPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ctl = expect_context::<RunCtl>();
    let selected = Memo::new(move |_| {
        ctx.editor.with(|e| match e.selection().items() {
            [Item::Note(id)] => e.board().note(id).map(|n| (id.clone(), n.kind)),
            _ => None,
        })
    });
    // A topic picked in the list, until another note is selected.
    let topic_choice = RwSignal::new(None::<String>);
    let entity = RwSignal::new(None::<(NoteId, u64)>);
    watch(move || {
        selected.track();
        topic_choice.set(None);
    });
    let body = NodeRef::<leptos::html::Div>::new();
    watch_with(move |last: Option<Written>| {
        let sel = selected.get();
        let choice = topic_choice.get();
        let chosen = entity.get();
        let html = ctx.board(|board| {
            ctl.with_readable(|run| {
                let mut out = String::new();
                let topics: Vec<&str> = run.plan().topics.iter().map(|t| t.name.as_str()).collect();
                let topic = choice
                    .filter(|c| topics.contains(&c.as_str()))
                    .or_else(|| sel.as_ref().and_then(|(id, _)| topic_of(board, id)))
                    .or_else(|| topics.first().map(|t| t.to_string()));
                if let Some((id, kind)) = &sel {
                    match kind {
                        NoteKind::ReadModel => write::view_rows(&mut out, run, board, id),
                        NoteKind::Aggregate => write::entities(&mut out, run, board, id),
                        _ => {}
                    }
                }
                if let Some((agg, key)) = &chosen {
                    write::entity(&mut out, run, board, agg, *key);
                }
                out.push_str(
                    "<h3>Partition log <select data-action=\"data-topic\" aria-label=\"Topic\">",
                );
                for t in &topics {
                    out.push_str("<option");
                    if topic.as_deref() == Some(*t) {
                        out.push_str(" selected");
                    }
                    out.push('>');
                    escape_html(&mut out, t);
                    out.push_str("</option>");
                }
                out.push_str("</select></h3>");
                if let Some(t) = &topic {
                    write::partition_logs(&mut out, run, board, t);
                }
                out
            })
        });
        set_html(
            body.get().map(Into::into),
            html.unwrap_or_default(),
            last.flatten(),
        )
    });
    // A row or an entity's button shows that entity.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = event_closest(&ev, "[data-entity]") else {
            return;
        };
        let key = el.get_attribute("data-entity").and_then(|k| k.parse().ok());
        let agg = el.get_attribute("data-agg").filter(|a| !a.is_empty());
        if let (Some(key), Some(agg)) = (key, agg) {
            entity.set(Some((NoteId(agg), key)));
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        if event_closest(&ev, "[data-action='data-topic']").is_some() {
            topic_choice.set(Some(event_target_value(&ev)));
        }
    };
    view! {
        <div class="data-panel" data-data-panel>
            <h2>"Data"</h2>
            <p class="muted">"What the records carry, at the moment shown. Select a read model for its rows, an aggregate for its entities, an event for its topic."</p>
            <Show when=move || ctl.active.get() fallback=|| view! { <p class="muted">"Press Play: records, rows and entities appear here."</p> }>
                <div node_ref=body on:click=on_click on:change=on_change />
            </Show>
        </div>
    }
}
