//! The board canvas: frames, links and notes in board coordinates under one camera transform.
//! Every pointer and wheel event goes to the DOM-free `Editor`; this file only draws its state.

mod drawn_notes;
mod links;
mod note;
mod overlays;
mod widgets;

use super::{
    dom::{
        escape_html, event_closest, mouse_modifiers, on_control, set_html, Written, KIND_DRAG_TYPE,
    },
    hazards::use_badges,
    run::{RunBar, RunCtl, RunLayer, TokenCanvas},
    state::Ctx,
};
use crate::collections::HashSet;
use crate::ui::watch::{watch, watch_with};
use crate::{
    editor::{drawn_links::DrawnLinks, Button, Camera, Editor, Selection, ToolState, Viewport},
    model::{FrameId, Note, NoteId, NoteKind, Point, Rect},
};
use drawn_notes::{DrawnNotes, Marks};
use leptos::{ev, html, prelude::*};
use links::{LinkList, Links};
use note::Drawn;
use overlays::Overlays;
use std::fmt::Write;
use wasm_bindgen::JsCast;
use widgets::{Chooser, Minimap};

/// Pixels of a wheel "line" (some mice scroll by lines).
const WHEEL_LINE_PX: f64 = 16.0;
/// Pixels of a wheel "page".
const WHEEL_PAGE_PX: f64 = 400.0;
/// Below this zoom a note's text would be under 4 px on screen: the board shows notes as
/// coloured cards, without text or shadow (their labels stay for screen readers).
const FAR_ZOOM: f64 = 0.25;
/// Tiles across the view of the grid the drawn part of the board snaps to.
const DRAWN_TILES: f64 = 4.0;
/// Tiles across the drawn part of the board: the view spans [`DRAWN_TILES`] tiles from a point
/// within the second, and one more on each side.
const DRAWN_SPAN: f64 = DRAWN_TILES + 3.0;
/// How long after the last change of zoom the board is drawn again at its new scale.
const ZOOM_SETTLE: std::time::Duration = std::time::Duration::from_millis(300);
/// A message shown where the pointer was released starts this far below it (px)…
const MESSAGE_BELOW: f64 = 24.0;
/// …and keeps this far from the canvas's edges (px)…
const MESSAGE_INSET: f64 = 8.0;
/// …leaving this much room on its right for its text (px).
const MESSAGE_WIDTH: f64 = 360.0;
/// Below this canvas size (pixels) the canvas counts as unmeasured and everything is drawn.
const MIN_MEASURED_PX: f64 = 100.0;

/// The grid the board's painted extent snaps to (board units), with a step of margin around the
/// notes, so that it changes seldom.
const EXTENT_STEP: f64 = 2048.0;

/// The board's extent, snapped outwards to [`EXTENT_STEP`] with a step of margin.
fn extent(bounds: Rect) -> Rect {
    let snap = |v: f64| (v / EXTENT_STEP).floor() * EXTENT_STEP;
    let (x0, y0) = (snap(bounds.x) - EXTENT_STEP, snap(bounds.y) - EXTENT_STEP);
    let (x1, y1) = (
        snap(bounds.right()) + 2.0 * EXTENT_STEP,
        snap(bounds.bottom()) + 2.0 * EXTENT_STEP,
    );
    Rect::new(x0, y0, x1 - x0, y1 - y0)
}

/// An area no note reaches: what is drawn before the canvas is measured.
const NOTHING_YET: Rect = Rect {
    x: f64::MAX,
    y: f64::MAX,
    w: 0.0,
    h: 0.0,
};

#[derive(Clone, Debug, PartialEq)]
struct FrameLook {
    id: FrameId,
    name: String,
    rect: Rect,
}

/// The part of the board worth drawing: the view and a margin of a quarter view around it,
/// snapped to a grid of quarter-view tiles, so that panning within it changes nothing but the
/// transform, and a big board keeps in the page about three views' worth of notes, not all.
/// An unmeasured canvas draws everything.
fn drawn_area(camera: &Camera, viewport: Viewport) -> Option<Rect> {
    if viewport.w < MIN_MEASURED_PX || viewport.h < MIN_MEASURED_PX {
        return None;
    }
    let v = camera.visible_rect(viewport);
    let (tw, th) = (v.w / DRAWN_TILES, v.h / DRAWN_TILES);
    let x0 = ((v.x / tw).floor() - 1.0) * tw;
    let y0 = ((v.y / th).floor() - 1.0) * th;
    Some(Rect::new(x0, y0, tw * DRAWN_SPAN, th * DRAWN_SPAN))
}

/// What a note is drawn from.
fn drawn<'a>(n: &'a Note, selection: &Selection) -> Drawn<'a> {
    (n.kind, n.text.as_str(), n.rect(), selection.has_note(&n.id))
}

/// The board canvas.
#[component]
pub fn BoardView() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let editor = ctx.editor;
    let canvas = NodeRef::<html::Main>::new();

    let camera = Memo::new(move |_| ctx.view().0);
    let selection = Memo::new(move |_| editor.with(|e| e.selection().clone()));
    // Far out, notes are coloured cards: their text would be a few pixels of noise.
    let far = Memo::new(move |_| camera.with(|c| c.zoom < FAR_ZOOM));
    // While the zoom changes, the board is drawn at the scale it had (drawing it again at each
    // step of a wheel zoom would cost every frame); once it settles, at the new one (kept at the
    // old, a board zoomed in and fitted again cost every later frame a third more).
    let zooming = RwSignal::new(false);
    let zoom_changes = StoredValue::new(0u64);
    watch_with(move |before: Option<f64>| {
        let zoom = camera.with(|c| c.zoom);
        if before.is_some_and(|b| b != zoom) {
            zooming.set(true);
            zoom_changes.update_value(|n| *n += 1);
            let change = zoom_changes.get_value();
            set_timeout(
                move || {
                    if zoom_changes.get_value() == change {
                        zooming.set(false);
                    }
                },
                ZOOM_SETTLE,
            );
        }
        zoom
    });
    // A signal set only when the drawn part of the board changes, not a memo of the view: a
    // memo would be marked for checking on every pan, and with it every note's views.
    // Nothing is drawn before the first frame, when the app has measured the canvas and fitted
    // the board: drawing a big board at a guessed size, then measuring it, cost a layout of
    // every note (a third of a second on 2,000 notes) and drawing them all again.
    let measured = RwSignal::new(false);
    request_animation_frame(move || measured.set(true));
    let area = RwSignal::new(Some(NOTHING_YET));
    watch(move || {
        let now = if measured.get() {
            ctx.view.with(|(c, v)| drawn_area(c, *v))
        } else {
            Some(NOTHING_YET)
        };
        if area.get_untracked() != now {
            area.set(now);
        }
    });
    let notes_root = NodeRef::<html::Div>::new();
    let notes = DrawnNotes::new(notes_root);
    let badges = use_badges();
    let run = expect_context::<RunCtl>();
    // While a gesture previews a move, only the moved notes change: they alone are drawn again
    // (a pass over 2,000 notes per step of a drag would cost more than the drag).
    watch_with(move |before: Option<(Option<Rect>, Selection)>| {
        let area = area.get();
        let previewing = ctx.previewing.get();
        let (badges, chain) = (badges.read_untracked(), run.chain.read_untracked());
        let marks = Marks {
            badges: &badges,
            chain: &chain,
        };
        selection.with(|selection| {
            ctx.board(|board| {
                let same_view = before
                    .as_ref()
                    .is_some_and(|(a, s)| *a == area && s == selection);
                let moved_only = previewing
                    && same_view
                    && editor.with_untracked(|e| {
                        let moved: HashSet<&NoteId> = e.previewed_notes().into_iter().collect();
                        notes.update_some(
                            board.notes.iter().filter(|n| moved.contains(&n.id)),
                            area,
                            |n| drawn(n, selection),
                            &marks,
                        )
                    });
                if !moved_only {
                    notes.update(
                        board
                            .notes
                            .iter()
                            .filter(|n| area.is_none_or(|a| n.rect().intersects(&a)))
                            .map(|n| (&n.id, drawn(n, selection))),
                        &marks,
                    );
                }
            })
        });
        (area, selection.get_untracked())
    });
    // The hazards on notes and the causal chain shown mark the drawn notes.
    watch(move || {
        badges.with(|badges| run.chain.with(|chain| notes.mark(&Marks { badges, chain })));
    });
    // Compared in place: a drag step leaves the frames as they are, and copying their names
    // on every step to find that out would cost more than the step.
    let frames = Memo::new_owning(move |before: Option<Vec<FrameLook>>| {
        let kept = ctx.previewing.get() && !editor.with_untracked(Editor::previews_frames);
        let before = match before {
            Some(looks) if kept => return (looks, false),
            before => before,
        };
        ctx.board(|b| {
            let same = before.as_ref().is_some_and(|looks| {
                looks.len() == b.frames.len()
                    && looks
                        .iter()
                        .zip(&b.frames)
                        .all(|(l, f)| l.id == f.id && l.name == f.name && l.rect == f.rect())
            });
            match before {
                Some(looks) if same => (looks, false),
                _ => {
                    let looks = b
                        .frames
                        .iter()
                        .map(|f| FrameLook {
                            id: f.id.clone(),
                            name: f.name.clone(),
                            rect: f.rect(),
                        })
                        .collect();
                    (looks, true)
                }
            }
        })
    });
    // The links are gathered by cells of the drawn area's tiles.
    let cell = Memo::new(move |_| area.get().map(|a| (a.w / DRAWN_SPAN, a.h / DRAWN_SPAN)));
    let links = Memo::new_owning(move |before: Option<DrawnLinks>| {
        let area = area.get();
        let previewing = ctx.previewing.get();
        ctx.board(|b| {
            editor.with_untracked(|e| {
                let moved = e.previewed_notes();
                DrawnLinks::follow(before, b, area, previewing.then_some(moved.as_slice()))
            })
        })
    });
    // Painted under everything: Chromium splits a sparse layer (notes far apart on a moving
    // world) into dozens, and merging those again cost every frame of a drag several ms.
    let extent = Memo::new(move |before: Option<&Option<Rect>>| match before {
        Some(kept) if ctx.previewing.get() => *kept,
        _ => ctx.board(|b| b.bounds().map(extent)),
    });
    let state = Memo::new(move |_| editor.with(|e| e.state().clone()));
    // The frame being renamed: a frame's name follows this, not every step of a drag.
    let renamed = Memo::new(move |_| {
        state.with(|s| match s {
            ToolState::RenamingFrame { id, .. } => Some(id.clone()),
            _ => None,
        })
    });
    let hover = Memo::new(move |_| editor.with(|e| e.hover().clone()));
    let cursor = Memo::new(move |_| editor.with(|e| e.cursor()));
    // Where the pointer was last released: a message about a gesture (a refused link) is shown
    // there, where the eye is, not in a corner the legend may cover.
    let released_at = RwSignal::new(None::<Point>);
    let toast = NodeRef::<html::Div>::new();
    watch_with(move |last: Option<Written>| {
        let html = editor.with(|e| e.message().map(str::to_string)).map(|m| {
            let mut out = String::from("<div class=\"toast\" role=\"alert\" data-message");
            if let Some(p) = released_at.get() {
                let (_, v) = ctx.view.get();
                let _ = write!(
                    out,
                    " style=\"left:{}px;top:{}px;transform:none\"",
                    p.x.clamp(MESSAGE_INSET, (v.w - MESSAGE_WIDTH).max(MESSAGE_INSET)),
                    (p.y + MESSAGE_BELOW).clamp(
                        MESSAGE_INSET,
                        (v.h - MESSAGE_INSET * 8.0).max(MESSAGE_INSET)
                    )
                );
            }
            out.push('>');
            escape_html(&mut out, &m);
            out + "</div>"
        });
        set_html(
            toast.get().map(Into::into),
            html.unwrap_or_default(),
            last.flatten(),
        )
    });

    // The extent and the frames are written when they change; the frame being renamed has its
    // name field, focused with the caret after the name when it appears.
    let extent_el = NodeRef::<html::Div>::new();
    let frames_root = NodeRef::<html::Div>::new();
    watch_with(move |last: Option<(Option<Option<Rect>>, Written)>| {
        let (shown, written) = last.unwrap_or_default();
        let r = extent.get();
        if let Some(el) = extent_el.get() {
            if shown != Some(r) {
                let _ = el.toggle_attribute_with_force("hidden", r.is_none());
                if let Some(r) = r {
                    let style = format!(
                        "left:{}px;top:{}px;width:{}px;height:{}px",
                        r.x, r.y, r.w, r.h
                    );
                    let _ = el.set_attribute("style", &style);
                }
            }
        }
        let renaming = renamed.get();
        let draft = editor.with_untracked(|e| match e.state() {
            ToolState::RenamingFrame { draft, .. } => draft.clone(),
            _ => String::new(),
        });
        let html = frames.with(|looks| {
            selection.with(|sel| {
                frames_html(looks, sel, renaming.as_ref().map(|id| (id, draft.as_str())))
            })
        });
        let fresh = written.as_ref().map(|(_, h)| h) != Some(&html);
        let written = set_html(frames_root.get().map(Into::into), html, written);
        let field = written
            .as_ref()
            .filter(|_| fresh && renaming.is_some())
            .and_then(|(el, _)| {
                el.query_selector("[data-field='frame-name']")
                    .ok()
                    .flatten()?
                    .dyn_into::<web_sys::HtmlInputElement>()
                    .ok()
            });
        if let Some(field) = field {
            let _ = field.focus();
            // The caret after the text, to type on.
            let end = field.value().encode_utf16().count() as u32;
            let _ = field.set_selection_range(end, end);
        }
        (extent_el.get().map(|_| r), written)
    });
    // The name field of the frame being renamed: Enter or Escape ends, leaving it commits.
    let naming = |ev: &ev::Event| event_closest(ev, "[data-field='frame-name']").is_some();
    let on_frame_input = move |ev: ev::Event| {
        if naming(&ev) {
            let v = event_target_value(&ev);
            editor.update(|e| e.set_draft(&v));
        }
    };
    let on_frame_key = move |ev: ev::KeyboardEvent| {
        if !naming(&ev) {
            return;
        }
        let key = ev.key();
        if key == "Enter" || key == "Escape" {
            ev.prevent_default();
            ctx.run(|e| e.key_down(&key, Default::default()));
        }
        ev.stop_propagation();
    };
    let on_frame_blur = move |ev: ev::FocusEvent| {
        if naming(&ev)
            && editor.with_untracked(|e| matches!(e.state(), ToolState::RenamingFrame { .. }))
        {
            ctx.run(|e| e.commit_text());
        }
    };

    let screen_point = move |x: i32, y: i32| -> Point {
        let origin = canvas.get_untracked().map(|c| {
            let r = c.get_bounding_client_rect();
            (r.left(), r.top())
        });
        let (left, top) = origin.unwrap_or((0.0, 0.0));
        Point::new(x as f64 - left, y as f64 - top)
    };

    let on_pointer_down = move |ev: ev::PointerEvent| {
        if on_control(ev.target()) {
            return;
        }
        if let Some(c) = canvas.get_untracked() {
            let _ = c.set_pointer_capture(ev.pointer_id());
            let _ = c.focus();
        }
        ctx.sync_viewport();
        let p = screen_point(ev.client_x(), ev.client_y());
        let mods = mouse_modifiers(&ev);
        if ctx
            .run(|e| e.pointer_down(p, Button::from_dom(ev.button()), mods))
            .is_some()
        {
            ev.prevent_default();
        }
    };
    let on_pointer_move = move |ev: ev::PointerEvent| {
        let p = screen_point(ev.client_x(), ev.client_y());
        let mods = mouse_modifiers(&ev);
        // Hover changes only matter when they change what is drawn; the editor decides.
        let before = editor.with_untracked(|e| (e.hover().clone(), e.state().clone()));
        // Panning with the space bar or the middle button only moves the camera.
        if matches!(before.1, ToolState::Panning { .. }) {
            ctx.move_camera(|e| e.pointer_move(p, mods));
            return;
        }
        let mut changed = false;
        editor.update_untracked(|e| {
            let out = e.pointer_move(p, mods);
            changed = out.is_some() || (e.hover(), e.state()) != (&before.0, &before.1);
        });
        if changed {
            editor.notify();
        }
    };
    let on_pointer_up = move |ev: ev::PointerEvent| {
        let p = screen_point(ev.client_x(), ev.client_y());
        released_at.set(Some(p));
        let mods = mouse_modifiers(&ev);
        ctx.run(|e| e.pointer_up(p, mods));
    };
    let on_double_click = move |ev: ev::MouseEvent| {
        if on_control(ev.target()) {
            return;
        }
        let p = screen_point(ev.client_x(), ev.client_y());
        let mods = mouse_modifiers(&ev);
        ctx.run(|e| e.double_click(p, mods));
    };
    let on_wheel = move |ev: ev::WheelEvent| {
        ev.prevent_default();
        ctx.sync_viewport();
        let p = screen_point(ev.client_x(), ev.client_y());
        // Line and page deltas (some mice) become pixels.
        let scale = match ev.delta_mode() {
            1 => WHEEL_LINE_PX,
            2 => WHEEL_PAGE_PX,
            _ => 1.0,
        };
        ctx.move_camera(|e| {
            e.wheel(
                p,
                ev.delta_x() * scale,
                ev.delta_y() * scale,
                ev.ctrl_key() || ev.meta_key(),
            )
        });
    };
    let on_drop = move |ev: ev::DragEvent| {
        let Some(kind) = ev
            .data_transfer()
            .and_then(|d| d.get_data(KIND_DRAG_TYPE).ok())
            .and_then(|k| NoteKind::parse(&k))
        else {
            return;
        };
        ev.prevent_default();
        ctx.sync_viewport();
        // The note is centred under the pointer.
        let p = screen_point(ev.client_x(), ev.client_y());
        let mut result = Ok(());
        editor.update(|e| result = e.drop_note(kind, p).map(|_| ()));
        if let Err(e) = result {
            ctx.status.set(e.to_string());
        }
    };

    view! {
        <main class="viewport" data-board-viewport aria-label="Board" tabindex="-1" node_ref=canvas
            style:cursor=move || cursor.get().to_string()
            on:pointerdown=on_pointer_down on:pointermove=on_pointer_move on:pointerup=on_pointer_up
            on:pointercancel=on_pointer_up on:dblclick=on_double_click on:wheel=on_wheel
            on:dragover=|ev: ev::DragEvent| ev.prevent_default() on:drop=on_drop
            on:contextmenu=|ev: ev::MouseEvent| ev.prevent_default()>
            <div class="world" class:far=move || far.get() class:zooming=move || zooming.get()
                style:transform=move || camera.get().css_transform()>
                <div class="board-extent" aria-hidden="true" hidden node_ref=extent_el />
                // A few frames, written again together when one changes.
                <div data-frames node_ref=frames_root on:input:capture=on_frame_input
                    on:keydown=on_frame_key on:focusout=on_frame_blur />
                <Links links selection cell />
                // The notes, drawn by `DrawnNotes`.
                <div class="notes" node_ref=notes_root />
                <RunLayer />
                <Overlays selection hover state />
            </div>
            <LinkList links selection />
            <TokenCanvas />
            <RunBar />
            <Chooser state camera />
            <Minimap />
            <div data-toast node_ref=toast />
        </main>
    }
}

/// The frames as HTML, each with its name, or the name field of the one being renamed
/// (`renaming`: its id and the name typed so far).
fn frames_html(
    looks: &[FrameLook],
    selection: &Selection,
    renaming: Option<(&FrameId, &str)>,
) -> String {
    let mut out = String::new();
    for f in looks {
        let _ = write!(
            out,
            "<section class=\"frame{}\" data-frame-id=\"",
            if selection.has_frame(&f.id) {
                " selected"
            } else {
                ""
            }
        );
        escape_html(&mut out, &f.id.0);
        out.push_str("\" aria-label=\"Bounded context ");
        escape_html(&mut out, &f.name);
        let r = f.rect;
        let _ = write!(
            out,
            "\" style=\"left:{}px;top:{}px;width:{}px;height:{}px\"><header class=\"frame-name\">",
            r.x, r.y, r.w, r.h
        );
        match renaming {
            Some((id, draft)) if *id == f.id => {
                out.push_str(
                    "<input class=\"frame-name-input\" data-field=\"frame-name\" value=\"",
                );
                escape_html(&mut out, draft);
                out.push_str("\">");
            }
            _ => escape_html(&mut out, &f.name),
        }
        out.push_str("</header></section>");
    }
    out
}
