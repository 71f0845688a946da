//! The board: frames, links and notes drawn in board coordinates under one view transform.

use super::app::{Ctx, Selection};
use crate::model::{Edit, FrameId, LinkId, NoteId, NoteKind, Point, Rect};
use leptos::{ev, prelude::*};

/// What a note looks like; two equal views render the same element.
#[derive(Clone, Debug, PartialEq)]
struct NoteLook {
    id: NoteId,
    kind: NoteKind,
    text: String,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// A note's render key: it changes only when the note's look does.
fn note_key(n: &NoteLook) -> (NoteId, String, [u64; 4]) {
    (n.id.clone(), n.text.clone(), [n.x.to_bits(), n.y.to_bits(), n.w.to_bits(), n.h.to_bits()])
}

#[derive(Clone, Debug, PartialEq)]
struct FrameLook {
    id: FrameId,
    name: String,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

fn frame_key(f: &FrameLook) -> (FrameId, String, [u64; 4]) {
    (f.id.clone(), f.name.clone(), [f.x.to_bits(), f.y.to_bits(), f.w.to_bits(), f.h.to_bits()])
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

/// An ongoing pointer gesture on the board.
#[derive(Clone, Debug)]
enum Gesture {
    /// Moving the view.
    Pan { start: (f64, f64), origin: (f64, f64) },
    /// Moving a note: previewed on each move, one undo step on release.
    MoveNote { id: NoteId, start: (f64, f64), origin: (f64, f64), undo: Option<Edit> },
}

/// The board viewport.
#[component]
pub fn BoardView() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let gesture = StoredValue::new(None::<Gesture>);

    let notes = move || {
        ctx.doc.with(|d| {
            d.board
                .notes
                .iter()
                .map(|n| NoteLook { id: n.id.clone(), kind: n.kind, text: n.text.clone(), x: n.x, y: n.y, w: n.width(), h: n.height() })
                .collect::<Vec<_>>()
        })
    };
    let frames = move || {
        ctx.doc.with(|d| {
            d.board
                .frames
                .iter()
                .map(|f| FrameLook { id: f.id.clone(), name: f.name.clone(), x: f.x, y: f.y, w: f.width(), h: f.height() })
                .collect::<Vec<_>>()
        })
    };
    let links = move || {
        ctx.doc.with(|d| {
            let rects: std::collections::HashMap<&NoteId, (Rect, NoteKind)> =
                d.board.notes.iter().map(|n| (&n.id, (n.rect(), n.kind))).collect();
            d.board
                .links
                .iter()
                .filter_map(|l| {
                    let (a, ka) = rects.get(&l.from)?;
                    let (b, kb) = rects.get(&l.to)?;
                    Some(LinkLook {
                        id: l.id.clone(),
                        path: link_path(*a, *b),
                        annotation: *ka == NoteKind::Hotspot || *kb == NoteKind::Hotspot,
                    })
                })
                .collect::<Vec<_>>()
        })
    };

    let on_pointer_down = move |ev: ev::PointerEvent| {
        if ev.button() == 0 || ev.button() == 1 {
            ctx.selection.set(Selection::None);
            let v = ctx.view.get_untracked();
            gesture.set_value(Some(Gesture::Pan { start: (ev.client_x() as f64, ev.client_y() as f64), origin: (v.x, v.y) }));
        }
    };

    let moves = window_event_listener(ev::pointermove, move |ev| {
        let (cx, cy) = (ev.client_x() as f64, ev.client_y() as f64);
        gesture.update_value(|g| match g {
            Some(Gesture::Pan { start, origin }) => {
                ctx.view.update(|v| {
                    v.x = origin.0 + cx - start.0;
                    v.y = origin.1 + cy - start.1;
                });
            }
            Some(Gesture::MoveNote { id, start, origin, undo }) => {
                let zoom = ctx.view.get_untracked().zoom;
                let x = (origin.0 + (cx - start.0) / zoom).round();
                let y = (origin.1 + (cy - start.1) / zoom).round();
                let mut result = None;
                ctx.doc.update(|d| result = d.preview(Edit::MoveNote { id: id.clone(), x, y }).ok());
                if undo.is_none() {
                    *undo = result;
                }
            }
            None => {}
        });
    });
    let ups = window_event_listener(ev::pointerup, move |_| {
        if let Some(Gesture::MoveNote { undo: Some(undo), .. }) = gesture.get_value() {
            ctx.doc.update(|d| d.record(undo));
            ctx.status.set("Moved".into());
        }
        gesture.set_value(None);
    });
    on_cleanup(move || {
        moves.remove();
        ups.remove();
    });

    let on_wheel = move |ev: ev::WheelEvent| {
        ev.prevent_default();
        let target = ev.current_target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok());
        let (left, top) = target.map(|e| {
            let r = e.get_bounding_client_rect();
            (r.left(), r.top())
        }).unwrap_or((0.0, 0.0));
        let (sx, sy) = (ev.client_x() as f64 - left, ev.client_y() as f64 - top);
        ctx.view.update(|v| {
            if ev.ctrl_key() || ev.meta_key() {
                let anchor = v.to_board(sx, sy);
                let zoom = (v.zoom * (-ev.delta_y() * 0.002).exp()).clamp(0.1, 4.0);
                v.zoom = zoom;
                v.x = sx - anchor.x * zoom;
                v.y = sy - anchor.y * zoom;
            } else {
                v.x -= ev.delta_x();
                v.y -= ev.delta_y();
            }
        });
    };

    let start_note_drag = move |id: NoteId, ev: &ev::PointerEvent| {
        let origin = ctx.doc.with_untracked(|d| d.board.note(&id).map(|n| (n.x, n.y)));
        if let Some(origin) = origin {
            gesture.set_value(Some(Gesture::MoveNote { id, start: (ev.client_x() as f64, ev.client_y() as f64), origin, undo: None }));
        }
    };

    let transform = move || {
        let v = ctx.view.get();
        format!("translate({}px, {}px) scale({})", v.x, v.y, v.zoom)
    };

    view! {
        <main class="viewport" data-board-viewport aria-label="Board" on:pointerdown=on_pointer_down on:wheel=on_wheel>
            <div class="world" style:transform=transform>
                <For each=frames key=frame_key children=move |f: FrameLook| {
                    let id = f.id.clone();
                    let selected = { let id = id.clone(); move || ctx.selection.with(|s| *s == Selection::Frame(id.clone())) };
                    view! {
                        <section class="frame" class:selected=selected data-frame-id=f.id.0.clone() aria-label=format!("Bounded context {}", f.name)
                            style=format!("left:{}px;top:{}px;width:{}px;height:{}px", f.x, f.y, f.w, f.h)>
                            <header class="frame-name"
                                on:pointerdown=move |ev: ev::PointerEvent| { ev.stop_propagation(); ctx.selection.set(Selection::Frame(id.clone())); }>
                                {f.name.clone()}
                            </header>
                        </section>
                    }
                } />
                <svg class="links" aria-hidden="false">
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                        </marker>
                    </defs>
                    <For each=links key=link_key children=move |l: LinkLook| {
                        let id = l.id.clone();
                        let selected = { let id = id.clone(); move || ctx.selection.with(|s| *s == Selection::Link(id.clone())) };
                        let d = l.path.clone();
                        view! {
                            <g class="link" class:selected=selected class:annotation=l.annotation data-link-id=l.id.0.clone()
                                on:pointerdown=move |ev: ev::PointerEvent| { ev.stop_propagation(); ctx.selection.set(Selection::Link(id.clone())); }>
                                <path class="hit" d=d.clone() />
                                <path class="line" d=d marker-end="url(#arrow)" />
                            </g>
                        }
                    } />
                </svg>
                <For each=notes key=note_key children=move |n: NoteLook| {
                    let id = n.id.clone();
                    let selected = { let id = id.clone(); move || ctx.selection.with(|s| *s == Selection::Note(id.clone())) };
                    let label = format!("{}: {}", n.kind.label(), if n.text.is_empty() { "(empty)" } else { &n.text });
                    let empty = n.text.is_empty();
                    view! {
                        <div class=format!("note kind-{}", n.kind.as_str()) class:selected=selected
                            data-note-id=n.id.0.clone() data-kind=n.kind.as_str() role="button" tabindex="0" aria-label=label
                            style=format!("left:{}px;top:{}px;width:{}px;height:{}px;background:{}", n.x, n.y, n.w, n.h, n.kind.colour())
                            on:pointerdown=move |ev: ev::PointerEvent| {
                                ev.stop_propagation();
                                if ev.button() == 0 {
                                    ctx.selection.set(Selection::Note(id.clone()));
                                    start_note_drag(id.clone(), &ev);
                                }
                            }
                            on:focus={ let id = n.id.clone(); move |_| ctx.selection.set(Selection::Note(id.clone())) }>
                            <div class="note-text" class:placeholder=empty>
                                {if empty { n.kind.label().to_string() } else { n.text.clone() }}
                            </div>
                        </div>
                    }
                } />
            </div>
        </main>
    }
}
