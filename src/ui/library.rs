//! The board library in the browser: each board's text in localStorage under a key of its own,
//! the library's index next to them. New, Sample, Open and `?generate=` add a board and open it;
//! nothing replaces a board. The Boards dialog opens, renames, duplicates, deletes and restores.

use super::{
    dom::{escape_html, event_action, event_closest},
    state::{Ctx, ProblemReport},
    storage,
};
use crate::ui::watch::watch;
use crate::{
    library::{ago, BoardId, Library},
    model::{format::save_compact, load, Board, Edit},
};
use leptos::{ev, prelude::*};
use wasm_bindgen::JsCast;

/// The localStorage key of the library's index.
const LIBRARY_KEY: &str = "flowstorm.library";
/// What a board without a name is called in the library.
const UNTITLED: &str = "Untitled board";

/// The localStorage key of board `id`'s text.
fn board_key(id: BoardId) -> String {
    format!("flowstorm.boards.{}", id.0)
}

/// Now, ms since the Unix epoch.
fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A board's name in the library.
fn name_of(board: &Board) -> &str {
    board.name.as_deref().unwrap_or(UNTITLED)
}

/// A stored board's name and number of notes (one that does not load: untitled, none).
fn summary(text: &str) -> (String, usize) {
    load(text).map_or((UNTITLED.to_string(), 0), |b| {
        (name_of(&b).to_string(), b.notes.len())
    })
}

/// The stored library. The single autosaved board of before the library becomes its first board;
/// an index that no longer reads is rebuilt from the boards' own keys (their texts are never
/// dropped with it).
pub fn stored() -> Library {
    if let Some(lib) = storage::read(LIBRARY_KEY).and_then(|t| Library::parse(&t)) {
        return lib;
    }
    let mut lib = Library::default();
    let mut found: Vec<(u32, String)> = storage::keys()
        .into_iter()
        .filter_map(|k| k.strip_prefix("flowstorm.boards.")?.parse::<u32>().ok())
        .filter_map(|n| Some((n, storage::read(&board_key(BoardId(n)))?)))
        .collect();
    found.sort_by_key(|(n, _)| *n);
    for (n, text) in found {
        let (name, notes) = summary(&text);
        lib.add_as(BoardId(n), &name, notes, now_ms());
    }
    if let Some(text) = storage::read(storage::AUTOSAVE_KEY) {
        let (name, notes) = summary(&text);
        let id = lib.add(&name, notes, now_ms());
        if storage::write(&board_key(id), &text) && storage::write(LIBRARY_KEY, &lib.to_json()) {
            storage::remove(storage::AUTOSAVE_KEY);
        }
    }
    lib.current = lib.listed().first().map(|e| e.id);
    lib
}

/// The board to open first: the one open last, else the latest changed, else a new one made by
/// `new` (the sample). One that no longer loads stays in the library as it is, and is reported.
pub fn first_board(
    lib: &mut Library,
    new: impl FnOnce() -> Board,
) -> (Board, Option<ProblemReport>) {
    let mut problems = None;
    if let Some(id) = lib.current.or_else(|| lib.listed().first().map(|e| e.id)) {
        let text = storage::read(&board_key(id)).unwrap_or_default();
        match load(&text) {
            Ok(board) => {
                lib.current = Some(id);
                return (board, None);
            }
            Err(e) => {
                let name = lib
                    .entry(id)
                    .map_or(UNTITLED.to_string(), |e| e.name.clone());
                problems = Some(ProblemReport::of(
                    format!("the board \"{name}\" of the library (kept as it is); a new board is open instead"),
                    &e,
                ));
            }
        }
    }
    let board = adding(lib, new());
    (board, problems)
}

/// Adds `board` to `lib` under a name no other board has, as the board open; it is stored by
/// the next autosave.
pub fn adding(lib: &mut Library, mut board: Board) -> Board {
    let name = lib.unused_name(name_of(&board));
    board.name = Some(name.clone());
    lib.current = Some(lib.add(&name, board.notes.len(), now_ms()));
    board
}

/// Stores the board open under its key and notes its name, size and time in the library; false
/// if the browser refused (quota).
pub fn save_open(ctx: Ctx, text: &str) -> bool {
    let Some(id) = ctx.library.with_untracked(|l| l.current) else {
        return true;
    };
    let (name, notes) = ctx.board(|b| (name_of(b).to_string(), b.notes.len()));
    ctx.library.update(|l| l.touch(id, &name, notes, now_ms()));
    storage::write(&board_key(id), text) && write_index(ctx)
}

/// Stores the library's index.
fn write_index(ctx: Ctx) -> bool {
    ctx.library
        .with_untracked(|l| storage::write(LIBRARY_KEY, &l.to_json()))
}

/// Adds `board` to the library and opens it (New, Sample, Open…): the board open stays in the
/// library. If the browser cannot store it, nothing changes and the status bar says why.
pub fn open_new(ctx: Ctx, board: Board, message: String) {
    let mut lib = ctx.library.get_untracked();
    let board = adding(&mut lib, board);
    let id = lib.current.unwrap_or(BoardId(0));
    if !(storage::write(&board_key(id), &save_compact(&board))
        && storage::write(LIBRARY_KEY, &lib.to_json()))
    {
        storage::remove(&board_key(id));
        ctx.status.set(STORAGE_FULL.into());
        return;
    }
    ctx.library.set(lib);
    ctx.switch_board(board, message);
}

/// What the status bar says when the browser refuses to store a board.
const STORAGE_FULL: &str = "The browser's storage is full: nothing was changed. Save boards to \
     files, or delete some in Boards";

/// Opens board `id` of the library; one that does not load is reported and nothing changes.
fn open_entry(ctx: Ctx, id: BoardId) {
    let text = storage::read(&board_key(id)).unwrap_or_default();
    let name = ctx
        .library
        .with_untracked(|l| l.entry(id).map(|e| e.name.clone()))
        .unwrap_or_default();
    match load(&text) {
        Ok(board) => {
            ctx.library.update(|l| l.current = Some(id));
            write_index(ctx);
            ctx.switch_board(board, format!("Opened {name}"));
        }
        Err(e) => ctx.problems.set(Some(ProblemReport::of(
            format!("the board \"{name}\" of the library"),
            &e,
        ))),
    }
}

/// Renames board `id` (the board open through its one write path, another in its stored text).
fn rename(ctx: Ctx, id: BoardId, name: String) {
    let name = name.trim().to_string();
    if name.is_empty() {
        return;
    }
    if ctx.library.with_untracked(|l| l.current) == Some(id) {
        ctx.apply(Edit::SetName { name: Some(name) });
        return;
    }
    if let Some(mut board) = storage::read(&board_key(id)).and_then(|t| load(&t).ok()) {
        let notes = board.notes.len();
        board.name = Some(name.clone());
        if storage::write(&board_key(id), &save_compact(&board)) {
            ctx.library.update(|l| l.touch(id, &name, notes, now_ms()));
            write_index(ctx);
        }
    }
}

/// Adds a copy of board `id` to the library, under a name of its own.
fn duplicate(ctx: Ctx, id: BoardId) {
    let Some(mut board) = storage::read(&board_key(id)).and_then(|t| load(&t).ok()) else {
        ctx.status
            .set("That board does not load: it was not duplicated".into());
        return;
    };
    let mut lib = ctx.library.get_untracked();
    let name = lib.unused_name(&format!("{} (copy)", name_of(&board)));
    board.name = Some(name.clone());
    let copy = lib.add(&name, board.notes.len(), now_ms());
    if storage::write(&board_key(copy), &save_compact(&board))
        && storage::write(LIBRARY_KEY, &lib.to_json())
    {
        ctx.library.set(lib);
        ctx.status.set(format!("Added {name}"));
    } else {
        storage::remove(&board_key(copy));
        ctx.status.set(STORAGE_FULL.into());
    }
}

/// Deletes board `id` (kept among the deleted, to restore); deleting the board open opens the
/// latest other, or a new empty one.
fn delete(ctx: Ctx, id: BoardId) {
    let mut forgotten = Vec::new();
    ctx.library.update(|l| forgotten = l.delete(id));
    for gone in forgotten {
        storage::remove(&board_key(gone));
    }
    write_index(ctx);
    if ctx.library.with_untracked(|l| l.current).is_none() {
        match ctx
            .library
            .with_untracked(|l| l.listed().first().map(|e| e.id))
        {
            Some(next) => open_entry(ctx, next),
            None => open_new(ctx, Board::default(), "Opened a new board".into()),
        }
    }
}

/// The Boards dialog: every board kept, the latest changed first, and the boards deleted lately.
/// Its list is written as HTML and its buttons answered by one handler, by their
/// `data-action` and their entry's `data-board`.
#[component]
pub fn BoardsDialog(open: RwSignal<bool>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let renaming = RwSignal::new(None::<BoardId>);
    let dialog = NodeRef::<leptos::html::Div>::new();
    watch(move || {
        let html = ctx.library.with(|l| list_html(l, renaming.get(), now_ms()));
        if let Some(el) = dialog.get().and_then(|d| d.last_element_child()) {
            el.set_inner_html(&html);
            if let Ok(Some(field)) = el.query_selector("[data-field='board-name']") {
                if let Ok(field) = field.dyn_into::<web_sys::HtmlInputElement>() {
                    let _ = field.focus();
                    field.select();
                }
            }
        }
    });
    let on_click = move |ev: ev::MouseEvent| {
        if event_action(&ev).as_deref() == Some("close-boards") {
            return open.set(false);
        }
        let Some((action, id)) = target_action(&ev) else {
            return;
        };
        match action.as_str() {
            "open-board" => {
                open_entry(ctx, id);
                open.set(false);
            }
            "rename-board" => renaming.set(Some(id)),
            "duplicate-board" => duplicate(ctx, id),
            "delete-board" => delete(ctx, id),
            "restore-board" => {
                ctx.library.update(|l| {
                    l.restore(id);
                });
                write_index(ctx);
            }
            _ => {}
        }
    };
    let on_key = move |ev: ev::KeyboardEvent| match (ev.key().as_str(), renaming.get_untracked()) {
        ("Enter", Some(id)) => {
            rename(ctx, id, event_target_value(&ev));
            renaming.set(None);
        }
        ("Escape", Some(_)) => renaming.set(None),
        ("Escape", None) => open.set(false),
        _ => {}
    };
    view! {
        <div class="dialog boards" role="dialog" aria-label="Boards" data-boards node_ref=dialog
            on:keydown=on_key on:click=on_click
            inner_html="<header><h2>Boards</h2><button data-action=\"close-boards\">Close</button></header>\
                <p class=\"hint\">Kept in this browser. New, Sample and Open… add a board; nothing replaces one.</p><div></div>" />
    }
}

/// The action of the button an event came from, and the board of its entry.
fn target_action(ev: &ev::MouseEvent) -> Option<(String, BoardId)> {
    let button = event_closest(ev, "[data-action]")?;
    let entry = button.closest("[data-board]").ok()??;
    let id = entry.get_attribute("data-board")?.parse().ok()?;
    Some((button.get_attribute("data-action")?, BoardId(id)))
}

/// The dialog's lists as HTML: the boards kept (the one `renaming` with a field for its name),
/// then those deleted lately.
fn list_html(lib: &Library, renaming: Option<BoardId>, now: f64) -> String {
    let mut out = String::from("<ul class=\"boards-list\">");
    for e in lib.listed() {
        let current = lib.current == Some(e.id);
        out.push_str(&format!(
            "<li class=\"board-entry{}\" data-board=\"{}\">",
            if current { " current" } else { "" },
            e.id.0
        ));
        if renaming == Some(e.id) {
            out.push_str("<input class=\"board-rename\" data-field=\"board-name\" aria-label=\"Name\" value=\"");
            escape_html(&mut out, &e.name);
            out.push_str("\">");
        } else {
            out.push_str(&format!(
                "<button class=\"board-open\" data-action=\"open-board\"{}>",
                if current { " disabled" } else { "" }
            ));
            escape_html(&mut out, &e.name);
            out.push_str("</button>");
        }
        out.push_str(&format!(
            "<span class=\"board-meta\">{} notes · {}</span>\
             <button data-action=\"rename-board\">Rename</button>\
             <button data-action=\"duplicate-board\">Duplicate</button>\
             <button data-action=\"delete-board\">Delete</button></li>",
            e.notes,
            ago(now, e.changed_ms)
        ));
    }
    out.push_str("</ul>");
    let deleted = lib.deleted();
    if !deleted.is_empty() {
        out.push_str("<h3>Recently deleted</h3><ul class=\"boards-list\">");
        for e in deleted {
            out.push_str(&format!(
                "<li class=\"board-entry\" data-board=\"{}\"><span class=\"board-open\">",
                e.id.0
            ));
            escape_html(&mut out, &e.name);
            out.push_str("</span><button data-action=\"restore-board\">Restore</button></li>");
        }
        out.push_str("</ul>");
    }
    out
}
