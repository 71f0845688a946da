//! Boards in and out: the board to start with, saving to a file, opening a file.

use super::{
    library,
    state::{Ctx, ProblemReport},
    storage,
};
use crate::{
    library::Library,
    model::{
        format::save,
        generate::generate,
        load,
        sample::sample,
        samples::{sample_by_id, Sample},
        Board, NoteKind,
    },
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
        open_text(ctx, &text, name.clone(), |board| {
            format!("Opened {name}: {} notes", board.notes.len())
        });
    });
}

/// Opens a board's file text as a new board of the library; one that does not load leaves the
/// boards as they were, and its problems are listed under `source`.
pub fn open_text(ctx: Ctx, text: &str, source: String, opened: impl FnOnce(&Board) -> String) {
    match load(text) {
        Ok(board) => {
            let message = opened(&board);
            library::open_new(ctx, board, message);
        }
        Err(e) => {
            ctx.status.set(format!(
                "Could not open {source}: {} problems. Nothing was changed",
                e.problems.len()
            ));
            ctx.problems.set(Some(ProblemReport::of(source, &e)));
        }
    }
}

/// `?sample=ID` opens a copy of that sample (a link to a story, for a talk's slides).
pub fn open_sample_from_url(ctx: Ctx) {
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let id = web_sys::UrlSearchParams::new_with_str(&query)
        .ok()
        .and_then(|p| p.get("sample"));
    if let Some(sample) = id.as_deref().and_then(sample_by_id) {
        open_sample(ctx, *sample);
    }
}

/// Reads a sample board's file from the app's `samples/` folder and opens it as a new board of
/// the library; one that cannot be read or loaded leaves the board as it was, and says why.
pub fn open_sample(ctx: Ctx, sample: Sample) {
    ctx.status
        .set(format!("Opening the sample “{}”…", sample.title));
    leptos::task::spawn_local(async move {
        let text = match fetch_text(&format!("samples/{}.json", sample.id)).await {
            Ok(text) => text,
            Err(why) => {
                ctx.status.set(format!(
                    "Could not open the sample “{}”: {why}",
                    sample.title
                ));
                return;
            }
        };
        let source = format!("the sample “{}”", sample.title);
        open_text(ctx, &text, source, |_| {
            format!("Opened the sample “{}”", sample.title)
        });
    });
}

/// The text at a URL of the app's site, or why not.
async fn fetch_text(url: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| "the page's server did not answer".to_string())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "no answer".to_string())?;
    if !response.ok() {
        return Err(format!("the server answered {}", response.status()));
    }
    let text = response
        .text()
        .map_err(|_| "the answer has no text".to_string())?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| "the answer has no text".to_string())
}
