//! The window's keyboard and clipboard: keys go to the editor's keymap, copy, cut and paste to
//! the editor's clipboard commands.

use super::{
    dom::{clipboard_data, in_text_field, key_modifiers},
    files::save_file,
    run::RunCtl,
    stage::Stage,
    state::Ctx,
};
use crate::editor::ToolState;
use leptos::{ev, prelude::*};

/// Listens to the window's keys and clipboard events until the calling component is dropped.
pub fn listen(ctx: Ctx) {
    let run = use_context::<RunCtl>();
    let stage = use_context::<Stage>();
    let keys = window_event_listener(ev::keydown, move |ev| {
        if in_text_field(ev.target()) {
            return;
        }
        let mods = key_modifiers(&ev);
        let key = ev.key();
        // F5 presents (as in slide tools); while presenting, the stage takes the keys first.
        if let (Some(stage), Some(run)) = (stage, run) {
            if stage.on.get_untracked() {
                if !mods.command() && !mods.alt && stage.key(ctx, run, &key) {
                    ev.prevent_default();
                    return;
                }
            } else if key == "F5" && !mods.command() {
                ev.prevent_default();
                stage.enter(ctx, run);
                return;
            }
        }
        // N: the run's next event (no note kind nor action uses it), on an idle board.
        let idle = ctx
            .editor
            .with_untracked(|e| matches!(e.state(), ToolState::Idle));
        if let Some(run) =
            run.filter(|_| idle && key.eq_ignore_ascii_case("n") && !mods.command() && !mods.alt)
        {
            ev.prevent_default();
            run.next_event(ctx);
            return;
        }
        // Copy, cut and paste go through the browser's clipboard events below.
        if mods.command() && matches!(key.to_ascii_lowercase().as_str(), "c" | "x" | "v") {
            return;
        }
        if mods.command() && key.eq_ignore_ascii_case("s") {
            ev.prevent_default();
            save_file(ctx);
            return;
        }
        ctx.sync_viewport();
        if ctx.run(|e| e.key_down(&key, mods)).is_some() {
            ev.prevent_default();
            if key == "Tab" {
                // Tab walks the notes: say which one is selected now.
                ctx.announce_selected_note();
            }
        }
    });
    let keys_up = window_event_listener(ev::keyup, move |ev| {
        let mods = key_modifiers(&ev);
        ctx.run(|e| e.key_up(&ev.key(), mods));
    });
    let nothing_selected = move || ctx.editor.with_untracked(|e| e.selection().is_empty());
    let copy = window_event_listener(ev::copy, move |ev| {
        if in_text_field(ev.target()) || nothing_selected() {
            return;
        }
        let text = ctx.editor.with_untracked(|e| e.copy());
        if let Some(data) = clipboard_data(&ev) {
            let _ = data.set_data("text/plain", &text);
            ev.prevent_default();
            ctx.status.set("Copied".into());
        }
    });
    let cut = window_event_listener(ev::cut, move |ev| {
        if in_text_field(ev.target()) || nothing_selected() {
            return;
        }
        let mut text = None;
        ctx.editor.update(|e| text = e.cut());
        if let (Some(text), Some(data)) = (text, clipboard_data(&ev)) {
            let _ = data.set_data("text/plain", &text);
            ev.prevent_default();
            ctx.status.set("Cut".into());
        }
    });
    let paste = window_event_listener(ev::paste, move |ev| {
        if in_text_field(ev.target()) {
            return;
        }
        let Some(text) = clipboard_data(&ev).and_then(|d| d.get_data("text/plain").ok()) else {
            return;
        };
        ev.prevent_default();
        let mut result = Ok(());
        ctx.editor.update(|e| result = e.paste(&text));
        match result {
            Ok(()) => ctx.status.set("Pasted".into()),
            Err(e) => ctx.status.set(e.to_string()),
        }
    });
    on_cleanup(move || {
        keys.remove();
        keys_up.remove();
        copy.remove();
        cut.remove();
        paste.remove();
    });
}
