//! The board canvas: frames, links and notes in board coordinates under one camera transform.
//! Every pointer and wheel event goes to the DOM-free `Editor`; this file only draws its state.

use super::{
    app::{modifiers, Ctx},
    hazards::use_badges,
};
use crate::{
    analysis::Severity,
    editor::{hit::connect_handle, Axis, Button, Hit, ToolState, Viewport},
    model::{FrameId, LinkId, NoteId, NoteKind, Point, Rect},
};
use leptos::{ev, html, prelude::*};

/// What a note looks like; two equal looks render the same element.
#[derive(Clone, Debug, PartialEq)]
struct NoteLook {
    id: NoteId,
    kind: NoteKind,
    text: String,
    rect: Rect,
}

/// A note's render key: it changes only when the note's look does.
fn note_key(n: &NoteLook) -> (NoteId, String, [u64; 4]) {
    (n.id.clone(), n.text.clone(), [n.rect.x.to_bits(), n.rect.y.to_bits(), n.rect.w.to_bits(), n.rect.h.to_bits()])
}

#[derive(Clone, Debug, PartialEq)]
struct FrameLook {
    id: FrameId,
    name: String,
    rect: Rect,
}

fn frame_key(f: &FrameLook) -> (FrameId, String, [u64; 4]) {
    (f.id.clone(), f.name.clone(), [f.rect.x.to_bits(), f.rect.y.to_bits(), f.rect.w.to_bits(), f.rect.h.to_bits()])
}

#[derive(Clone, Debug, PartialEq)]
struct LinkLook {
    id: LinkId,
    path: String,
    annotation: bool,
}

fn link_key(l: &LinkLook) -> (LinkId, String) {
    (l.id.clone(), l.path.clone())
}

/// The SVG path of a link: straight when it runs forward, an arc over the notes when it
/// runs back against the left-to-right flow (a read model read by the actor, a loop).
fn link_path(a: Rect, b: Rect) -> String {
    if b.right() <= a.x {
        let (from, to) = (Point::new(a.center().x, a.y), Point::new(b.center().x, b.y));
        let lift = 50.0 + (from.x - to.x).abs() * 0.12;
        let top = from.y.min(to.y) - lift;
        format!("M {} {} C {} {}, {} {}, {} {}", from.x, from.y, from.x, top, to.x, top, to.x, to.y)
    } else {
        let (from, to) = (a.border_toward(b.center()), b.border_toward(a.center()));
        format!("M {} {} L {} {}", from.x, from.y, to.x, to.y)
    }
}

/// The part of the board worth drawing: the view and a margin of one view around it, snapped
/// to a grid of view-sized tiles, so that panning within it changes nothing but the transform.
/// An unmeasured canvas draws everything.
fn drawn_area(camera: &crate::editor::Camera, viewport: Viewport) -> Option<Rect> {
    if viewport.w < 100.0 || viewport.h < 100.0 {
        return None;
    }
    let v = camera.visible_rect(viewport);
    let (tw, th) = (v.w, v.h);
    let x0 = ((v.x / tw).floor() - 1.0) * tw;
    let y0 = ((v.y / th).floor() - 1.0) * th;
    Some(Rect::new(x0, y0, tw * 3.0, th * 3.0))
}

const MINIMAP: Viewport = Viewport { w: 200.0, h: 130.0 };

/// The board canvas.
#[component]
pub fn BoardView() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let editor = ctx.editor;
    let canvas = NodeRef::<html::Main>::new();
    let badges = use_badges();
    let run = expect_context::<super::run::RunCtl>();

    let camera = Memo::new(move |_| editor.with(|e| e.camera));
    let selection = Memo::new(move |_| editor.with(|e| e.selection.clone()));
    let area = Memo::new(move |_| editor.with(|e| drawn_area(&e.camera, e.viewport)));
    let notes = Memo::new(move |_| {
        let area = area.get();
        ctx.rev.track();
        editor.with_untracked(|e| {
            e.doc
                .board
                .notes
                .iter()
                .filter(|n| area.is_none_or(|a| n.rect().intersects(&a)))
                .map(|n| NoteLook { id: n.id.clone(), kind: n.kind, text: n.text.clone(), rect: n.rect() })
                .collect::<Vec<_>>()
        })
    });
    let frames = Memo::new(move |_| {
        ctx.rev.track();
        editor.with_untracked(|e| {
            e.doc.board.frames.iter().map(|f| FrameLook { id: f.id.clone(), name: f.name.clone(), rect: f.rect() }).collect::<Vec<_>>()
        })
    });
    let links = Memo::new(move |_| {
        let area = area.get();
        ctx.rev.track();
        editor.with_untracked(|e| {
            let rects: std::collections::HashMap<&NoteId, (Rect, NoteKind)> =
                e.doc.board.notes.iter().map(|n| (&n.id, (n.rect(), n.kind))).collect();
            e.doc
                .board
                .links
                .iter()
                .filter_map(|l| {
                    let (a, ka) = rects.get(&l.from)?;
                    let (b, kb) = rects.get(&l.to)?;
                    if let Some(area) = area {
                        if !a.union(b).intersects(&area) {
                            return None;
                        }
                    }
                    Some(LinkLook {
                        id: l.id.clone(),
                        path: link_path(*a, *b),
                        annotation: *ka == NoteKind::Hotspot || *kb == NoteKind::Hotspot,
                    })
                })
                .collect::<Vec<_>>()
        })
    });
    let state = Memo::new(move |_| editor.with(|e| e.state.clone()));
    let hover = Memo::new(move |_| editor.with(|e| e.hover.clone()));
    let cursor = Memo::new(move |_| editor.with(|e| e.cursor()));
    let message = Memo::new(move |_| editor.with(|e| e.message().map(str::to_string)));

    let screen_point = move |x: i32, y: i32| -> Point {
        let origin = canvas.get_untracked().map(|c| {
            let r = c.get_bounding_client_rect();
            (r.left(), r.top())
        });
        let (left, top) = origin.unwrap_or((0.0, 0.0));
        Point::new(x as f64 - left, y as f64 - top)
    };
    let from_text_field = |target: Option<web_sys::EventTarget>| {
        use wasm_bindgen::JsCast;
        target
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "TEXTAREA" | "INPUT" | "BUTTON"))
    };

    let on_pointer_down = move |ev: ev::PointerEvent| {
        if from_text_field(ev.target()) {
            return;
        }
        if let Some(c) = canvas.get_untracked() {
            let _ = c.set_pointer_capture(ev.pointer_id());
            let _ = c.focus();
        }
        ctx.sync_viewport();
        let p = screen_point(ev.client_x(), ev.client_y());
        let mods = modifiers(ev.shift_key(), ev.ctrl_key(), ev.alt_key(), ev.meta_key());
        if ctx.run(|e| e.pointer_down(p, Button::from_dom(ev.button()), mods)).is_some() {
            ev.prevent_default();
        }
    };
    let on_pointer_move = move |ev: ev::PointerEvent| {
        let p = screen_point(ev.client_x(), ev.client_y());
        let mods = modifiers(ev.shift_key(), ev.ctrl_key(), ev.alt_key(), ev.meta_key());
        // Hover changes only matter when they change what is drawn; the editor decides.
        let before = editor.with_untracked(|e| (e.hover.clone(), e.state.clone()));
        let mut changed = false;
        editor.update_untracked(|e| {
            let out = e.pointer_move(p, mods);
            changed = out.is_some() || (e.hover.clone(), e.state.clone()) != before;
        });
        if changed {
            editor.notify();
        }
    };
    let on_pointer_up = move |ev: ev::PointerEvent| {
        let p = screen_point(ev.client_x(), ev.client_y());
        let mods = modifiers(ev.shift_key(), ev.ctrl_key(), ev.alt_key(), ev.meta_key());
        ctx.run(|e| e.pointer_up(p, mods));
    };
    let on_double_click = move |ev: ev::MouseEvent| {
        if from_text_field(ev.target()) {
            return;
        }
        let p = screen_point(ev.client_x(), ev.client_y());
        let mods = modifiers(ev.shift_key(), ev.ctrl_key(), ev.alt_key(), ev.meta_key());
        ctx.run(|e| e.double_click(p, mods));
    };
    let on_wheel = move |ev: ev::WheelEvent| {
        ev.prevent_default();
        ctx.sync_viewport();
        let p = screen_point(ev.client_x(), ev.client_y());
        // Line and page deltas (some mice) become pixels.
        let scale = match ev.delta_mode() {
            1 => 16.0,
            2 => 400.0,
            _ => 1.0,
        };
        ctx.run(|e| e.wheel(p, ev.delta_x() * scale, ev.delta_y() * scale, ev.ctrl_key() || ev.meta_key()));
    };
    let on_drop = move |ev: ev::DragEvent| {
        let Some(kind) = ev.data_transfer().and_then(|d| d.get_data("application/x-flowstorm-kind").ok()).and_then(|k| NoteKind::parse(&k))
        else {
            return;
        };
        ev.prevent_default();
        ctx.sync_viewport();
        let p = screen_point(ev.client_x(), ev.client_y());
        let mut result = Ok(());
        editor.update(|e| {
            let at = e.camera.to_board(p);
            let (w, h) = kind.default_size();
            result = e.create_note(kind, Point::new(at.x - w / 2.0, at.y - h / 2.0)).map(|_| ());
        });
        if let Err(e) = result {
            ctx.status.set(e.to_string());
        }
    };

    view! {
        <main class="viewport" data-board-viewport aria-label="Board" tabindex="-1" node_ref=canvas
            style:cursor=move || cursor.get()
            on:pointerdown=on_pointer_down on:pointermove=on_pointer_move on:pointerup=on_pointer_up
            on:pointercancel=on_pointer_up on:dblclick=on_double_click on:wheel=on_wheel
            on:dragover=|ev: ev::DragEvent| ev.prevent_default() on:drop=on_drop
            on:contextmenu=|ev: ev::MouseEvent| ev.prevent_default()>
            <div class="world" style:transform=move || camera.get().css_transform()>
                <For each=move || frames.get() key=frame_key children=move |f: FrameLook| {
                    let id = f.id.clone();
                    let selected = { let id = id.clone(); move || selection.with(|s| s.has_frame(&id)) };
                    let renaming = { let id = id.clone(); move || matches!(state.get(), ToolState::RenamingFrame { id: ref r, .. } if *r == id) };
                    let name = f.name.clone();
                    view! {
                        <section class="frame" class:selected=selected data-frame-id=f.id.0.clone()
                            aria-label=format!("Bounded context {}", f.name)
                            style=format!("left:{}px;top:{}px;width:{}px;height:{}px", f.rect.x, f.rect.y, f.rect.w, f.rect.h)>
                            <header class="frame-name">
                                <Show when=renaming fallback=move || name.clone()>
                                    <FrameNameInput />
                                </Show>
                            </header>
                        </section>
                    }
                } />
                <svg class="links">
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                        </marker>
                    </defs>
                    <For each=move || links.get() key=link_key children=move |l: LinkLook| {
                        let id = l.id.clone();
                        let selected = move || selection.with(|s| s.has_link(&id));
                        view! {
                            <g class="link" class:selected=selected class:annotation=l.annotation data-link-id=l.id.0.clone()>
                                <path class="line" d=l.path marker-end="url(#arrow)" />
                            </g>
                        }
                    } />
                </svg>
                <For each=move || notes.get() key=note_key children=move |n: NoteLook| {
                    let id = n.id.clone();
                    let selected = { let id = id.clone(); move || selection.with(|s| s.has_note(&id)) };
                    let badge = { let id = id.clone(); move || badges.with(|b| b.get(&id).copied()) };
                    let in_chain = { let id = id.clone(); move || run.chain.with(|c| c.contains(&id)) };
                    let label = format!("{}: {}", n.kind.label(), if n.text.is_empty() { "(empty)" } else { &n.text });
                    let empty = n.text.is_empty();
                    view! {
                        <div class=format!("note kind-{}", n.kind.as_str()) class:selected=selected class:in-chain=in_chain
                            data-note-id=n.id.0.clone() data-kind=n.kind.as_str() role="button" tabindex="-1" aria-label=label
                            style=format!("left:{}px;top:{}px;width:{}px;height:{}px;background:{}", n.rect.x, n.rect.y, n.rect.w, n.rect.h, n.kind.colour())>
                            <div class="note-text" class:placeholder=empty>
                                {if empty { n.kind.label().to_string() } else { n.text.clone() }}
                            </div>
                            {move || badge().map(|(severity, count)| view! {
                                <span class=format!("badge {}", severity.as_str()) data-badge=severity.as_str()
                                    title=format!("{count} hazard{} on this note: see the Hazards tab", if count == 1 { "" } else { "s" })>
                                    {if severity == Severity::Info { "i".to_string() } else { "!".to_string() }}
                                </span>
                            })}
                        </div>
                    }
                } />
                <super::run::RunLayer />
                <Overlays selection hover state />
            </div>
            <super::run::TokenCanvas />
            <super::run::RunBar />
            <Chooser state camera />
            <Minimap />
            {move || message.get().map(|m| view! { <div class="toast" role="alert" data-message>{m}</div> })}
        </main>
    }
}

/// Things drawn above the notes: handles, guides, the marquee, the link being drawn, the text box.
#[component]
fn Overlays(
    selection: Memo<crate::editor::Selection>,
    hover: Memo<Hit>,
    state: Memo<ToolState>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let editor = ctx.editor;
    let zoom = Memo::new(move |_| editor.with(|e| e.camera.zoom));
    let handles = Memo::new(move |_| {
        let sel = selection.get();
        ctx.rev.track();
        editor.with_untracked(|e| {
            let b = &e.doc.board;
            let mut out: Vec<Rect> = sel.notes().filter_map(|id| b.note(id).map(|n| n.rect())).collect();
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
        note.filter(|_| idle).and_then(|id| editor.with(|e| e.doc.board.note(&id).map(|n| connect_handle(n.rect()))))
    });
    let guides = Memo::new(move |_| editor.with(|e| e.guides.clone()));
    let marquee = Memo::new(move |_| editor.with(|e| e.marquee_rect()));
    let connecting = Memo::new(move |_| editor.with(|e| e.connecting_line()));
    let editing = Memo::new(move |_| match state.get() {
        ToolState::EditingText { id, .. } => editor.with(|e| e.doc.board.note(&id).map(|n| (id.clone(), n.rect(), n.kind))),
        _ => None,
    });
    let px = move |n: f64| n / zoom.get();
    view! {
        <svg class="overlay">
            {move || handles.get().into_iter().map(|r| {
                let s = px(10.0);
                view! { <rect class="resize-handle" x=r.right() - s / 2.0 y=r.bottom() - s / 2.0 width=s height=s /> }
            }).collect_view()}
            {move || connect.get().map(|c| view! { <circle class="connect-handle" data-connect-handle cx=c.x cy=c.y r=px(7.0) /> })}
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
    let initial = editor.with_untracked(|e| match &e.state {
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
            let mods = modifiers(ev.shift_key(), ev.ctrl_key(), ev.alt_key(), ev.meta_key());
            ctx.run(|e| e.key_down(&key, mods));
        }
        ev.stop_propagation();
    };
    let on_blur = move |_| {
        let still_editing = editor.with_untracked(|e| matches!(&e.state, ToolState::EditingText { id: current, .. } if *current == id));
        if still_editing {
            ctx.run(|e| e.commit_text());
        }
    };
    view! {
        <div class="text-editor" style=format!("left:{}px;top:{}px;width:{}px;min-height:{}px;background:{}", rect.x, rect.y, rect.w, rect.h, kind.colour())>
            <textarea node_ref=area data-field="note-text" aria-label=format!("Text of the {}", kind.label().to_lowercase())
                prop:value=initial
                on:input=move |ev| { let v = event_target_value(&ev); editor.update(|e| e.set_draft(&v)); }
                on:keydown=on_key on:blur=on_blur></textarea>
            {move || hint.get().map(|h| view! { <p class="tense-hint" data-hint>{h}</p> })}
        </div>
    }
}

/// The input that renames a frame in place.
#[component]
fn FrameNameInput() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let editor = ctx.editor;
    let input = NodeRef::<html::Input>::new();
    let initial = editor.with_untracked(|e| match &e.state {
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
            on:blur=move |_| { if editor.with_untracked(|e| matches!(e.state, ToolState::RenamingFrame { .. })) { ctx.run(|e| e.commit_text()); } } />
    }
}

/// The kind chooser a double-click on empty board opens.
#[component]
fn Chooser(state: Memo<ToolState>, camera: Memo<crate::editor::Camera>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || match state.get() {
        ToolState::Choosing { at } => {
            let p = camera.get().to_screen(at);
            Some(view! {
                <div class="chooser" role="menu" aria-label="Add a note here" data-chooser style=format!("left:{}px;top:{}px", p.x, p.y)
                    on:pointerdown=|ev: ev::PointerEvent| ev.stop_propagation()>
                    {NoteKind::ALL.into_iter().map(|kind| view! {
                        <button role="menuitem" data-action=format!("choose-{}", kind.as_str())
                            on:click=move |_| { ctx.run(|e| e.choose(kind)); }>
                            <span class="chip" style=format!("background:{}", kind.colour())></span>{kind.label()}
                        </button>
                    }).collect_view()}
                </div>
            })
        }
        _ => None,
    }
}

/// An overview of the whole board with the visible part outlined; click to go there.
#[component]
fn Minimap() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let editor = ctx.editor;
    let view_model = Memo::new(move |_| editor.with(|e| e.minimap(MINIMAP)));
    let shapes = Memo::new(move |_| view_model.with(|m| (m.frames.clone(), m.notes.clone())));
    let seen = Memo::new(move |_| view_model.with(|m| m.viewport));
    let big_enough = Memo::new(move |_| ctx.board(|b| b.notes.len() >= 2));
    let on_click = move |ev: ev::PointerEvent| {
        ev.stop_propagation();
        let p = Point::new(ev.offset_x() as f64, ev.offset_y() as f64);
        ctx.run(|e| e.minimap_click(p, MINIMAP));
    };
    view! {
        <Show when=move || big_enough.get()>
            <svg class="minimap" data-minimap width=MINIMAP.w height=MINIMAP.h aria-label="Minimap" on:pointerdown=on_click>
                // The view model is in minimap pixels already. The notes are redrawn only when
                // they move in the minimap, not on every pan.
                {move || shapes.with(|(frames, notes)| {
                    let frames = frames.iter().map(|(_, r)| view! {
                        <rect class="mini-frame" x=r.x y=r.y width=r.w height=r.h />
                    }).collect_view();
                    let notes = notes.iter().map(|(_, kind, r)| view! {
                        <rect x=r.x y=r.y width=r.w.max(1.0) height=r.h.max(1.0) fill=kind.colour() />
                    }).collect_view();
                    view! { {frames} {notes} }
                })}
                {move || { let v = seen.get(); view! { <rect class="mini-view" x=v.x y=v.y width=v.w height=v.h /> } }}
            </svg>
        </Show>
    }
}
