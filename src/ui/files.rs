//! Boards in and out: the board to start with, saving to a file, opening a file.

use super::{
    library,
    state::{Ctx, ProblemReport},
    storage,
};
use crate::{
    library::Library,
    model::{format::save, generate::generate, load, sample::sample, Board, NoteKind},
};
use leptos::prelude::*;

/// The largest board `?generate=N` makes.
const MAX_GENERATED_NOTES: usize = 50_000;

/// The library and the board to start with: `?generate=N` (benchmarks) adds a generated board,
/// else the board open last, else the sample, added. A board that no longer loads is kept in the
/// library as it is, and reported.
pub fn initial_board() -> (Library, Board, Option<ProblemReport>) {
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&query).ok();
    let param = |name: &str| params.as_ref().and_then(|p| p.get(name));
    let mut lib = library::stored();
    if let Some(n) = param("generate").and_then(|n| n.parse::<usize>().ok()) {
        let mut board = generate(n.min(MAX_GENERATED_NOTES));
        // `&rate=R`: every actor issues R commands a second (load for the animation benchmark).
        if let Some(rate) = param("rate").and_then(|r| super::dom::parse_number(&r)) {
            for note in board.notes.iter_mut().filter(|n| n.kind == NoteKind::Actor) {
                note.props.insert(
                    "rate".into(),
                    serde_json::json!(rate.clamp(0.0, crate::model::limits::MAX_RATE)),
                );
            }
        }
        let board = library::adding(&mut lib, board);
        return (lib, board, None);
    }
    let (board, problems) = library::first_board(&mut lib, sample);
    (lib, board, problems)
}

/// Offers the board as a file download.
pub fn save_file(ctx: Ctx) {
    let (name, text) = ctx.editor.with_untracked(|e| {
        (
            storage::file_name(e.board().name.as_deref()),
            save(e.board()),
        )
    });
    match storage::download(&name, &text) {
        Ok(()) => ctx.status.set(format!("Saved {name}")),
        Err(e) => ctx.status.set(e),
    }
}

/// Reads the chosen file and opens it; a file that fails to load leaves the board as it was.
pub fn open_file(ctx: Ctx, input: web_sys::HtmlInputElement) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    input.set_value("");
    let name = file.name();
    leptos::task::spawn_local(async move {
        let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
            Ok(value) => value.as_string().unwrap_or_default(),
            Err(_) => {
                ctx.status.set(format!("Could not read {name}"));
                return;
            }
        };
        match load(&text) {
            Ok(board) => {
                let n = board.notes.len();
                library::open_new(ctx, board, format!("Opened {name}: {n} notes"));
            }
            Err(e) => {
                ctx.status.set(format!(
                    "{name} was not opened: {} problems",
                    e.problems.len()
                ));
                ctx.problems.set(Some(ProblemReport::of(name, &e)));
            }
        }
    });
}
