//! The inspector: text, props and frame of the selected element, or the board's own settings.

mod results_in;

use super::state::Ctx;
use crate::{
    editor::{Action, Item},
    model::{
        limits::MAX_PARTITIONS,
        link_meaning,
        props::{default_value, specs, PropError, PropSpec, PropType},
        Edit, FrameId, LinkId, NoteId, Topic,
    },
};
use leptos::prelude::*;
use serde_json::Value;

/// Parses what a person typed into a prop field and checks it against the prop's type and
/// limit; an error is the whole message to show (it names the prop).
fn parse_prop(spec: &PropSpec, raw: &str) -> Result<Option<Value>, String> {
    let name = spec.name;
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let value = match spec.ty {
        PropType::Bool => Value::Bool(raw == "true"),
        PropType::Text | PropType::Choice(_) => Value::String(raw.to_string()),
        PropType::Int { .. } => raw
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("{name}: \"{raw}\" is not a whole number"))?,
        PropType::Number { .. } => super::dom::parse_number(raw)
            .map(Value::from)
            .ok_or_else(|| format!("{name}: \"{raw}\" is not a number"))?,
        PropType::TextList => Value::Array(
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.into()))
                .collect(),
        ),
    };
    spec.check(&value).map_err(|e| match e {
        PropError::OverLimit(over) => over.to_string(),
        PropError::Invalid(reason) => format!("{name}: {reason}"),
    })?;
    Ok(Some(value))
}

fn show_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// The right-hand panel.
#[component]
pub fn Inspector() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let selected = Memo::new(move |_| ctx.editor.with(|e| e.selection().items().to_vec()));
    view! {
        <aside class="inspector" aria-label="Inspector">
            {move || match selected.get().as_slice() {
                [Item::Note(id)] => view! { <NoteInspector id=id.clone() /> }.into_any(),
                [Item::Frame(id)] => view! { <FrameInspector id=id.clone() /> }.into_any(),
                [Item::Link(id)] => view! { <LinkInspector id=id.clone() /> }.into_any(),
                [] => view! { <BoardInspector /> }.into_any(),
                many => {
                    let n = many.len();
                    view! {
                        <div class="inspect" data-inspect="many">
                            <h2>{format!("{n} selected")}</h2>
                            <p class="muted">"Drag to move them together; Delete removes them; Ctrl+D duplicates."</p>
                            <button class="danger" data-action="delete" on:click=move |_| { ctx.perform(Action::Delete); }>"Delete all"</button>
                        </div>
                    }.into_any()
                }
            }}
        </aside>
    }
}

#[component]
fn NoteInspector(id: NoteId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let Some(note) = ctx.editor.with_untracked(|e| e.board().note(&id).cloned()) else {
        return view! { <p>"Nothing selected"</p> }.into_any();
    };
    let kind = note.kind;
    let frame_name = note.frame.as_ref().and_then(|f| {
        ctx.editor
            .with_untracked(|e| e.board().frame(f).map(|f| f.name.clone()))
    });
    let text = {
        let id = id.clone();
        move || ctx.board(|b| b.note(&id).map(|n| n.text.clone()).unwrap_or_default())
    };
    let rows = specs(kind)
        .into_iter()
        .map(|spec| {
            let id = id.clone();
            let name = spec.name;
            let current = {
                let id = id.clone();
                move || ctx.board(|b| b.note(&id).and_then(|n| n.props.get(name).cloned()))
            };
            let default = default_value(&note, name).map(|v| show_value(&v)).unwrap_or_else(|| spec.default.to_string());
            let ty = spec.ty;
            let set = move |raw: String| match parse_prop(spec, &raw) {
                Ok(value) => {
                    if ctx.apply(Edit::SetProp { id: id.clone(), name: name.into(), value, index: None }) {
                        ctx.status.set(format!("Set {name}"));
                    }
                }
                Err(message) => ctx.status.set(message),
            };
            let field = match ty {
                PropType::Bool => {
                    let default_on = default == "true";
                    let checked = move || current().and_then(|v| v.as_bool()).unwrap_or(default_on);
                    view! {
                        <input type="checkbox" data-prop=name prop:checked=checked
                            on:change=move |ev| set(event_target_checked(&ev).to_string()) />
                    }
                    .into_any()
                }
                PropType::Choice(options) => {
                    let selected = move || current().map(|v| show_value(&v)).unwrap_or_default();
                    view! {
                        <select data-prop=name prop:value=selected on:change=move |ev| set(event_target_value(&ev))>
                            <option value="">{format!("default ({default})")}</option>
                            {options.iter().map(|o| view! { <option value=*o>{*o}</option> }).collect_view()}
                        </select>
                    }
                    .into_any()
                }
                _ => {
                    let value = move || current().map(|v| show_value(&v)).unwrap_or_default();
                    view! {
                        <input type="text" data-prop=name placeholder=default prop:value=value
                            on:change=move |ev| set(event_target_value(&ev)) />
                    }
                    .into_any()
                }
            };
            view! {
                <label class="prop" title=spec.help>
                    <span class="prop-name">{name}</span>
                    {field}
                </label>
            }
        })
        .collect_view();
    let unknown = {
        let id = id.clone();
        move || {
            ctx.board(|b| {
                b.note(&id)
                    .map(|n| {
                        n.props
                            .iter()
                            .filter(|(k, _)| crate::model::props::spec_of(n.kind, k).is_none())
                            .map(|(k, v)| (k.clone(), v.to_string()))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
        }
    };
    let set_text = {
        let id = id.clone();
        move |ev| {
            let text = event_target_value(&ev);
            ctx.apply(Edit::SetText {
                id: id.clone(),
                text,
            });
        }
    };
    view! {
        <div class="inspect" data-inspect="note">
            <h2><span class="chip" style=format!("background:{}", kind.colour())></span>{kind.label()}</h2>
            <p class="muted">"id " <code>{id.0.clone()}</code>
                {frame_name.map(|f| view! { " · in " <strong>{f}</strong> })}
            </p>
            <label class="field">"Text"
                <textarea data-field="text" rows="3" prop:value=text on:change=set_text></textarea>
            </label>
            {(kind == crate::model::NoteKind::Event).then(|| view! {
                <p class="hint">"Name events in the past tense: “Order placed”."</p>
            })}
            {(kind == crate::model::NoteKind::Command).then(|| view! { <results_in::ResultsIn id=id.clone() /> })}
            <div class="props">{rows}</div>
            {let unknown = unknown.clone(); move || {
                let unknown = unknown();
                (!unknown.is_empty()).then(|| view! {
                    <h3>"Other props (kept as they are)"</h3>
                    <ul class="other-props">
                        {unknown.into_iter().map(|(k, v)| view! { <li><code>{k}</code>": "{v}</li> }).collect_view()}
                    </ul>
                })
            }}
            <button class="danger" data-action="delete" on:click=move |_| { ctx.perform(Action::Delete); }>"Delete note"</button>
        </div>
    }
    .into_any()
}

#[component]
fn FrameInspector(id: FrameId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let name = {
        let id = id.clone();
        move || ctx.board(|b| b.frame(&id).map(|f| f.name.clone()).unwrap_or_default())
    };
    let count = {
        let id = id.clone();
        move || {
            ctx.board(|b| {
                b.notes
                    .iter()
                    .filter(|n| n.frame.as_ref() == Some(&id))
                    .count()
            })
        }
    };
    view! {
        <div class="inspect" data-inspect="frame">
            <h2>"Bounded context"</h2>
            <label class="field">"Name"
                <input type="text" data-field="name" prop:value=name
                    on:change=move |ev| { ctx.apply(Edit::RenameFrame { id: id.clone(), name: event_target_value(&ev) }); } />
            </label>
            <p class="muted">{move || format!("{} notes inside", count())}</p>
            <button class="danger" data-action="delete" on:click=move |_| { ctx.perform(Action::Delete); }>"Delete frame (keeps its notes)"</button>
        </div>
    }
}

#[component]
fn LinkInspector(id: LinkId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let describe = move || {
        ctx.board(|b| {
            let link = b.link(&id)?;
            let from = b.note(&link.from)?;
            let to = b.note(&link.to)?;
            let meaning = link_meaning(from.kind, to.kind)
                .map(|m| m.label().to_string())
                .unwrap_or_default();
            Some(format!("{} → {} ({meaning})", from.text, to.text))
        })
    };
    view! {
        <div class="inspect" data-inspect="link">
            <h2>"Link"</h2>
            <p>{move || describe().unwrap_or_default()}</p>
            <button class="danger" data-action="delete" on:click=move |_| { ctx.perform(Action::Delete); }>"Delete link"</button>
        </div>
    }
}

#[component]
fn BoardInspector() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let name = move || ctx.board(|b| b.name.clone().unwrap_or_default());
    let counts = move || {
        ctx.board(|b| {
            format!(
                "{} notes · {} links · {} frames",
                b.notes.len(),
                b.links.len(),
                b.frames.len()
            )
        })
    };
    let topics = move || ctx.board(|b| b.topics.clone());
    let set_topic = move |topic: Topic| {
        let name = topic.name.clone();
        ctx.apply(Edit::SetTopic {
            name,
            topic: Some(topic),
            index: None,
        });
    };
    let new_topic = RwSignal::new(String::new());
    view! {
        <div class="inspect" data-inspect="board">
            <h2>"Board"</h2>
            <label class="field">"Name"
                <input type="text" data-field="board-name" prop:value=name
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        ctx.apply(Edit::SetName { name: (!v.trim().is_empty()).then_some(v) });
                    } />
            </label>
            <p class="muted">{counts}</p>
            <h3>"Topics"</h3>
            <table class="topics">
                <thead><tr><th>"Name"</th><th>"Partitions"</th><th>"Key"</th></tr></thead>
                <tbody>
                    // A handful of rows, redrawn together when a topic changes.
                    {move || topics().into_iter().map(move |t: Topic| {
                        let t2 = t.clone();
                        let (name_attr, name_text) = (t.name.clone(), t.name.clone());
                        view! {
                            <tr data-topic=name_attr>
                                <td>{name_text}</td>
                                <td><input type="number" min="1" max=MAX_PARTITIONS data-field="partitions" prop:value=t.partitions.to_string()
                                    on:change=move |ev| {
                                        match event_target_value(&ev).parse::<u32>() {
                                            Ok(p) => set_topic(Topic { partitions: p, ..t.clone() }),
                                            Err(_) => ctx.status.set(format!("Partitions must be a whole number from 1 to {MAX_PARTITIONS}")),
                                        }
                                    } /></td>
                                <td><input type="text" data-field="key" prop:value=t2.key.clone().unwrap_or_default()
                                    on:change=move |ev| {
                                        let key = event_target_value(&ev);
                                        set_topic(Topic { key: (!key.trim().is_empty()).then_some(key), ..t2.clone() });
                                    } /></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <form class="add-topic" on:submit=move |ev| {
                ev.prevent_default();
                let name = new_topic.get_untracked().trim().to_string();
                if !name.is_empty() {
                    set_topic(Topic { name, partitions: 1, key: None, retention_ms: None });
                    new_topic.set(String::new());
                }
            }>
                <input type="text" placeholder="new topic" data-field="new-topic" prop:value=move || new_topic.get()
                    on:input=move |ev| new_topic.set(event_target_value(&ev)) />
                <button type="submit" data-action="add-topic">"Add topic"</button>
            </form>
            <p class="hint">"Select a note to edit its text and props. Pan with space+drag, the middle button or the wheel; Ctrl+wheel zooms."</p>
        </div>
    }
}
