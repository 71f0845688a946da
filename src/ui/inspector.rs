//! The inspector: text, props and frame of the selected element, or the board's own settings.

mod results_in;

use super::{
    dom::{escape_html, event_closest},
    state::Ctx,
};
use crate::ui::watch::watch;
use crate::{
    editor::{Action, Item},
    model::{
        format::json_text,
        limits::MAX_PARTITIONS,
        link_meaning,
        props::{default_value, spec_of, specs, PropError, PropSpec, PropType},
        Edit, FrameId, Note, NoteId, NoteKind, Topic,
    },
};
use leptos::prelude::*;
use serde_json::Value;
use std::fmt::Write;
use wasm_bindgen::JsCast;

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
        PropType::TextList | PropType::Fields | PropType::Rules => Value::Array(
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
        other => json_text(other),
    }
}

/// What the inspector shows, read from the board: it is written again only when this changes.
#[derive(Clone, PartialEq)]
enum Shown {
    /// A note (placed at 0, 0: moving it changes nothing here), the name of its frame and, for
    /// a command, what it results in.
    Note(Box<Note>, Option<String>, Option<results_in::Shown>),
    /// A frame: its id, name and how many notes it holds.
    Frame(FrameId, String, usize),
    /// A link, in words.
    Link(String),
    /// The board: its name, its counts in words and its topics.
    Board(String, String, Vec<Topic>),
    /// Several items selected.
    Many(usize),
}

impl Shown {
    /// What the selection `items` shows of `board`.
    fn of(board: &crate::model::Board, items: &[Item]) -> Shown {
        match items {
            [Item::Note(id)] => match board.note(id) {
                Some(n) => {
                    let frame = n
                        .frame
                        .as_ref()
                        .and_then(|f| board.frame(f))
                        .map(|f| f.name.clone());
                    let results =
                        (n.kind == NoteKind::Command).then(|| results_in::shown(board, id));
                    Shown::Note(
                        Box::new(Note {
                            x: 0.0,
                            y: 0.0,
                            ..n.clone()
                        }),
                        frame,
                        results,
                    )
                }
                None => Shown::Many(0),
            },
            [Item::Frame(id)] => {
                let name = board.frame(id).map(|f| f.name.clone()).unwrap_or_default();
                let count = board
                    .notes
                    .iter()
                    .filter(|n| n.frame.as_ref() == Some(id))
                    .count();
                Shown::Frame(id.clone(), name, count)
            }
            [Item::Link(id)] => Shown::Link(
                (|| {
                    let link = board.link(id)?;
                    let (from, to) = (board.note(&link.from)?, board.note(&link.to)?);
                    let meaning = link_meaning(from.kind, to.kind).map_or("", |m| m.label());
                    Some(format!("{} → {} ({meaning})", from.text, to.text))
                })()
                .unwrap_or_default(),
            ),
            [] => Shown::Board(
                board.name.clone().unwrap_or_default(),
                format!(
                    "{} notes · {} links · {} frames",
                    board.notes.len(),
                    board.links.len(),
                    board.frames.len()
                ),
                board.topics.clone(),
            ),
            many => Shown::Many(many.len()),
        }
    }

    /// The panel as HTML: what goes above a command's *Results in*, and what goes below.
    fn html(&self) -> (String, String) {
        let mut top = String::new();
        let mut bottom = String::new();
        match self {
            Shown::Note(note, frame, results) => {
                let kind = note.kind;
                let _ = write!(
                    top,
                    "<div class=\"inspect\" data-inspect=\"note\"><h2><span class=\"chip\" style=\"background:{}\"></span>{}</h2><p class=\"muted\">id <code>",
                    kind.colour(),
                    kind.label()
                );
                escape_html(&mut top, note.id.as_str());
                top.push_str("</code>");
                if let Some(f) = frame {
                    top.push_str(" · in <strong>");
                    escape_html(&mut top, f);
                    top.push_str("</strong>");
                }
                top.push_str(
                    "</p><label class=\"field\">Text<textarea data-field=\"text\" rows=\"3\">",
                );
                escape_html(&mut top, &note.text);
                top.push_str("</textarea></label>");
                if kind == NoteKind::Event {
                    top.push_str(
                        "<p class=\"hint\">Name events in the past tense: “Order placed”.</p>",
                    );
                }
                if let Some(results) = results {
                    results.write_html(&mut top);
                }
                top.push_str("</div>");
                bottom.push_str("<div class=\"inspect\"><div class=\"props\">");
                bottom.push_str(&props_html(note));
                bottom.push_str("</div>");
                let unknown: Vec<_> = note
                    .props
                    .iter()
                    .filter(|(k, _)| spec_of(kind, k).is_none())
                    .collect();
                if !unknown.is_empty() {
                    bottom.push_str(
                        "<h3>Other props (kept as they are)</h3><ul class=\"other-props\">",
                    );
                    for (k, v) in unknown {
                        bottom.push_str("<li><code>");
                        escape_html(&mut bottom, k);
                        bottom.push_str("</code>: ");
                        escape_html(&mut bottom, &json_text(v));
                        bottom.push_str("</li>");
                    }
                    bottom.push_str("</ul>");
                }
                bottom.push_str(
                    "<button class=\"danger\" data-action=\"delete\">Delete note</button></div>",
                );
            }
            Shown::Frame(_, name, count) => {
                top.push_str("<div class=\"inspect\" data-inspect=\"frame\"><h2>Bounded context</h2><label class=\"field\">Name<input type=\"text\" data-field=\"name\" value=\"");
                escape_html(&mut top, name);
                let _ = write!(
                    top,
                    "\"></label><p class=\"muted\">{count} notes inside</p><button class=\"danger\" data-action=\"delete\">Delete frame (keeps its notes)</button></div>"
                );
            }
            Shown::Link(words) => {
                top.push_str("<div class=\"inspect\" data-inspect=\"link\"><h2>Link</h2><p>");
                escape_html(&mut top, words);
                top.push_str("</p><button class=\"danger\" data-action=\"delete\">Delete link</button></div>");
            }
            Shown::Board(name, counts, topics) => {
                top.push_str("<div class=\"inspect\" data-inspect=\"board\"><h2>Board</h2><label class=\"field\">Name<input type=\"text\" data-field=\"board-name\" value=\"");
                escape_html(&mut top, name);
                let _ = write!(
                    top,
                    "\"></label><p class=\"muted\">{counts}</p><h3>Topics</h3><table class=\"topics\"><thead><tr><th>Name</th><th>Partitions</th><th>Key</th></tr></thead><tbody>"
                );
                for t in topics {
                    top.push_str("<tr data-topic=\"");
                    escape_html(&mut top, &t.name);
                    top.push_str("\"><td>");
                    escape_html(&mut top, &t.name);
                    let _ = write!(
                        top,
                        "</td><td><input type=\"number\" min=\"1\" max=\"{MAX_PARTITIONS}\" data-field=\"partitions\" value=\"{}\"></td><td><input type=\"text\" data-field=\"key\" value=\"",
                        t.partitions
                    );
                    escape_html(&mut top, t.key.as_deref().unwrap_or(""));
                    top.push_str("\"></td></tr>");
                }
                top.push_str("</tbody></table><form class=\"add-topic\"><input type=\"text\" placeholder=\"new topic\" data-field=\"new-topic\"><button type=\"submit\" data-action=\"add-topic\">Add topic</button></form>\
                    <p class=\"hint\">Select a note to edit its text and props. Pan with space+drag, the middle button or the wheel; Ctrl+wheel zooms.</p></div>");
            }
            Shown::Many(n) => {
                let _ = write!(
                    top,
                    "<div class=\"inspect\" data-inspect=\"many\"><h2>{n} selected</h2><p class=\"muted\">Drag to move them together; Delete removes them; Ctrl+D duplicates.</p><button class=\"danger\" data-action=\"delete\">Delete all</button></div>"
                );
            }
        }
        (top, bottom)
    }
}

/// The right-hand panel: written as HTML when what it shows changes (not on every edit of the
/// board); one listener each for its fields' changes, its buttons and its form.
#[component]
pub fn Inspector() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let selected = Memo::new(move |_| ctx.editor.with(|e| e.selection().items().to_vec()));
    let shown = Memo::new(move |_| selected.with(|items| ctx.board(|b| Shown::of(b, items))));
    let top = NodeRef::<leptos::html::Div>::new();
    let bottom = NodeRef::<leptos::html::Div>::new();
    watch(move || {
        let (t, b) = shown.with(Shown::html);
        if let (Some(top), Some(bottom)) = (top.get(), bottom.get()) {
            top.set_inner_html(&t);
            bottom.set_inner_html(&b);
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        let Some(field) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let value = event_target_value(&ev);
        if let Some(event) = field.get_attribute("data-results-in-event") {
            if let [Item::Note(command)] = selected.get_untracked().as_slice() {
                let on = field
                    .dyn_ref::<web_sys::HtmlInputElement>()
                    .is_some_and(|i| i.checked());
                results_in::toggle(ctx, command, &NoteId(event), on);
            }
            return;
        }
        if let Some(name) = field.get_attribute("data-prop") {
            let checkbox = field
                .dyn_ref::<web_sys::HtmlInputElement>()
                .filter(|i| i.type_() == "checkbox")
                .map(|i| i.checked().to_string());
            set_prop(ctx, selected, &name, checkbox.unwrap_or(value));
            return;
        }
        let edit = match (
            field.get_attribute("data-field").as_deref(),
            selected.get_untracked().as_slice(),
        ) {
            (Some("text"), [Item::Note(id)]) => Edit::SetText {
                id: id.clone(),
                text: value,
            },
            (Some("name"), [Item::Frame(id)]) => Edit::RenameFrame {
                id: id.clone(),
                name: value,
            },
            (Some("board-name"), []) => Edit::SetName {
                name: (!value.trim().is_empty()).then_some(value),
            },
            (Some(which @ ("partitions" | "key")), []) => {
                let name = field
                    .closest("[data-topic]")
                    .ok()
                    .flatten()
                    .and_then(|r| r.get_attribute("data-topic"));
                let Some(mut topic) =
                    name.and_then(|n| ctx.editor.with_untracked(|e| e.board().topic(&n).cloned()))
                else {
                    return;
                };
                if which == "key" {
                    topic.key = (!value.trim().is_empty()).then_some(value);
                } else if let Ok(p) = value.parse::<u32>() {
                    topic.partitions = p;
                } else {
                    ctx.status.set(format!(
                        "Partitions must be a whole number from 1 to {MAX_PARTITIONS}"
                    ));
                    return;
                }
                Edit::SetTopic {
                    name: topic.name.clone(),
                    topic: Some(topic),
                    index: None,
                }
            }
            _ => return,
        };
        ctx.apply(edit);
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if event_closest(&ev, "[data-action='delete']").is_some() {
            ctx.perform(Action::Delete);
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let field = top
            .get_untracked()
            .and_then(|t| t.query_selector("[data-field='new-topic']").ok().flatten());
        let Some(field) = field.and_then(|f| f.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        let name = field.value().trim().to_string();
        if !name.is_empty() {
            let topic = Topic {
                name: name.clone(),
                partitions: 1,
                key: None,
                retention_ms: None,
            };
            ctx.apply(Edit::SetTopic {
                name,
                topic: Some(topic),
                index: None,
            });
            field.set_value("");
        }
    };
    view! {
        <aside class="inspector" aria-label="Inspector" on:change:capture=on_change on:click=on_click on:submit=on_submit>
            <div node_ref=top />
            <div node_ref=bottom />
        </aside>
    }
}

/// Sets the selected note's prop `name` from what was typed or chosen; a refusal goes to the
/// status bar.
fn set_prop(ctx: Ctx, selected: Memo<Vec<Item>>, name: &str, raw: String) {
    let Some((id, kind)) = selected.with_untracked(|items| match items.as_slice() {
        [Item::Note(id)] => ctx
            .editor
            .with_untracked(|e| e.board().note(id).map(|n| (id.clone(), n.kind))),
        _ => None,
    }) else {
        return;
    };
    let Some(spec) = specs(kind).into_iter().find(|s| s.name == name) else {
        return;
    };
    match parse_prop(spec, &raw) {
        Ok(value) => {
            let name = spec.name;
            if ctx.apply(Edit::SetProp {
                id,
                name: name.into(),
                value,
                index: None,
            }) {
                ctx.status.set(format!("Set {name}"));
            }
        }
        Err(message) => ctx.status.set(message),
    }
}

/// A note's props as form fields, each labelled with its name and help, showing the note's
/// value or (as a placeholder or first choice) its default.
fn props_html(note: &Note) -> String {
    let mut out = String::new();
    for spec in specs(note.kind) {
        let name = spec.name;
        let value = note.props.get(name).map(show_value);
        let default =
            default_value(note, name).map_or_else(|| spec.default.to_string(), |v| show_value(&v));
        out.push_str("<label class=\"prop\" title=\"");
        escape_html(&mut out, spec.help);
        let _ = write!(out, "\"><span class=\"prop-name\">{name}</span>");
        match spec.ty {
            PropType::Bool => {
                let on = value.as_deref().map_or(default == "true", |v| v == "true");
                let _ = write!(
                    out,
                    "<input type=\"checkbox\" data-prop=\"{name}\"{}>",
                    if on { " checked" } else { "" }
                );
            }
            PropType::Choice(options) => {
                let _ = write!(
                    out,
                    "<select data-prop=\"{name}\"><option value=\"\">default ("
                );
                escape_html(&mut out, &default);
                out.push_str(")</option>");
                for o in options {
                    let sel = if value.as_deref() == Some(*o) {
                        " selected"
                    } else {
                        ""
                    };
                    let _ = write!(out, "<option value=\"{o}\"{sel}>{o}</option>");
                }
                out.push_str("</select>");
            }
            _ => {
                let _ = write!(
                    out,
                    "<input type=\"text\" data-prop=\"{name}\" placeholder=\""
                );
                escape_html(&mut out, &default);
                out.push_str("\" value=\"");
                escape_html(&mut out, value.as_deref().unwrap_or(""));
                out.push_str("\">");
            }
        }
        out.push_str("</label>");
    }
    out
}
