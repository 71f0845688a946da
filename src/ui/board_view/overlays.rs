//! What is drawn above the notes: handles, guides, the marquee, the link being drawn, and the
//! in-place text boxes of a note and a frame name.

use crate::{
    editor::{
        hit::{connect_handle, handle_reach},
        Axis, Hit, Selection, ToolState,
    },
    model::{NoteId, NoteKind, Rect},
    ui::{dom::key_modifiers, state::Ctx},
};
use leptos::{ev, html, prelude::*};

/// Things drawn above the notes: handles, guides, the marquee, the link being drawn, the text box.
#[component]
pub fn Overlays(
    selection: Memo<Selection>,
    hover: Memo<Hit>,
    state: Memo<ToolState>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let editor = ctx.editor;
    let zoom = Memo::new(move |_| ctx.view().0.zoom);
    let handles = Memo::new(move |_| {
        let sel = selection.get();
        ctx.board(|b| {
            let mut out: Vec<Rect> = sel
                .notes()
                .filter_map(|id| b.note(id).map(|n| n.rect()))
                .collect();
            out.extend(sel.frames().filter_map(|id| b.frame(id).map(|f| f.rect())));
            out
        })
    });
    let connect = Memo::new(move |_| {
        let note = match hover.get() {
            Hit::Note(id) | Hit::ConnectHandle(id) | Hit::NoteResize(id) => Some(id),
            _ => None,
        };
        let idle = matches!(state.get(), ToolState::Idle);
        note.filter(|_| idle)
            .and_then(|id| editor.with(|e| e.board().note(&id).map(|n| n.rect())))
    });
    let guides = Memo::new(move |_| editor.with(|e| e.guides().to_vec()));
    let marquee = Memo::new(move |_| editor.with(|e| e.marquee_rect()));
    let connecting = Memo::new(move |_| editor.with(|e| e.connecting_line()));
    let editing = Memo::new(move |_| match state.get() {
        ToolState::EditingText { id, .. } => {
            editor.with(|e| e.board().note(&id).map(|n| (id.clone(), n.rect(), n.kind)))
        }
        _ => None,
    });
    let px = move |n: f64| n / zoom.get();
    view! {
        <svg class="overlay">
            // The arrowhead of the link being drawn (drawn links carry theirs in their path).
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                </marker>
            </defs>
            {move || handles.get().into_iter().map(|r| {
                let s = 2.0 * handle_reach(r, 5.0, zoom.get());
                view! { <rect class="resize-handle" x=r.right() - s / 2.0 y=r.bottom() - s / 2.0 width=s height=s /> }
            }).collect_view()}
            {move || connect.get().map(|r| {
                let c = connect_handle(r);
                view! { <circle class="connect-handle" data-connect-handle cx=c.x cy=c.y r=handle_reach(r, 7.0, zoom.get()) /> }
            })}
            {move || guides.get().into_iter().map(|g| {
                let (x1, y1, x2, y2) = match g.axis {
                    Axis::Vertical => (g.pos, g.from, g.pos, g.to),
                    Axis::Horizontal => (g.from, g.pos, g.to, g.pos),
                };
                view! { <line class="guide" x1=x1 y1=y1 x2=x2 y2=y2 stroke-width=px(1.0) /> }
            }).collect_view()}
            {move || marquee.get().map(|r| view! {
                <rect class="marquee" data-marquee x=r.x y=r.y width=r.w height=r.h stroke-width=px(1.0) />
            })}
            {move || connecting.get().map(|(a, b, valid)| view! {
                <line class="connecting" class:invalid=!valid x1=a.x y1=a.y x2=b.x y2=b.y stroke-width=px(2.0) marker-end="url(#arrow)" />
            })}
        </svg>
        {move || editing.get().map(|(id, rect, kind)| view! { <TextEditor id rect kind /> })}
    }
}

/// The in-place text box of the note being edited: Enter commits, Shift+Enter is a new line,
/// Escape cancels, leaving the box commits.
#[component]
fn TextEditor(id: NoteId, rect: Rect, kind: NoteKind) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let editor = ctx.editor;
    let area = NodeRef::<html::Textarea>::new();
    let initial = editor.with_untracked(|e| match e.state() {
        ToolState::EditingText { draft, .. } => draft.clone(),
        _ => String::new(),
    });
    let hint = Memo::new(move |_| editor.with(|e| e.hint()));
    Effect::new(move |_| {
        if let Some(el) = area.get() {
            let _ = el.focus();
            el.select();
        }
    });
    let on_key = move |ev: ev::KeyboardEvent| {
        let key = ev.key();
        let plain_enter = key == "Enter" && !ev.shift_key();
        if plain_enter || key == "Escape" {
            ev.prevent_default();
            let mods = key_modifiers(&ev);
            ctx.run(|e| e.key_down(&key, mods));
        }
        ev.stop_propagation();
    };
    let on_blur = move |_| {
        let still_editing = editor.with_untracked(
            |e| matches!(e.state(), ToolState::EditingText { id: current, .. } if *current == id),
        );
        if still_editing {
            ctx.run(|e| e.commit_text());
        }
    };
    view! {
        <div class="text-editor" style=format!("left:{}px;top:{}px;width:{}px;min-height:{}px;background:{}", rect.x, rect.y, rect.w, rect.h, kind.colour())>
            <textarea node_ref=area data-field="note-text" aria-label=format!("Text of the {}", kind.label().to_ascii_lowercase())
                prop:value=initial
                on:input=move |ev| { let v = event_target_value(&ev); editor.update(|e| e.set_draft(&v)); }
                on:keydown=on_key on:blur=on_blur></textarea>
            {move || hint.get().map(|h| view! { <p class="tense-hint" data-hint>{h}</p> })}
        </div>
    }
}

/// The input that renames a frame in place.
#[component]
pub fn FrameNameInput() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let editor = ctx.editor;
    let input = NodeRef::<html::Input>::new();
    let initial = editor.with_untracked(|e| match e.state() {
        ToolState::RenamingFrame { draft, .. } => draft.clone(),
        _ => String::new(),
    });
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
            el.select();
        }
    });
    view! {
        <input node_ref=input class="frame-name-input" data-field="frame-name" prop:value=initial
            on:input=move |ev| { let v = event_target_value(&ev); editor.update(|e| e.set_draft(&v)); }
            on:keydown=move |ev: ev::KeyboardEvent| {
                let key = ev.key();
                if key == "Enter" || key == "Escape" {
                    ev.prevent_default();
                    ctx.run(|e| e.key_down(&key, Default::default()));
                }
                ev.stop_propagation();
            }
            on:blur=move |_| { if editor.with_untracked(|e| matches!(e.state(), ToolState::RenamingFrame { .. })) { ctx.run(|e| e.commit_text()); } } />
    }
}
