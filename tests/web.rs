//! Component tests in headless Chromium (wasm-bindgen-test): the app mounts and renders the board.
#![cfg(target_arch = "wasm32")]

use flowstorm::model::sample::sample;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

fn count(selector: &str) -> u32 {
    document().query_selector_all(selector).map(|l| l.length()).unwrap_or(0)
}

/// Lets the app's scheduled effects run (rendering after a change is asynchronous).
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn mount_fresh() {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.clear();
    }
    // The test harness reports through the page, so the app gets a container of its own.
    if let Some(old) = document().get_element_by_id("app-under-test") {
        old.remove();
    }
    let container: web_sys::HtmlElement =
        document().create_element("div").ok().and_then(|e| e.dyn_into().ok()).expect("a container");
    container.set_id("app-under-test");
    document().body().expect("a body").append_child(&container).expect("container attached");
    flowstorm::ui::mount_in(container);
}

#[wasm_bindgen_test]
async fn the_sample_board_renders_one_element_per_note_link_and_frame() {
    mount_fresh();
    settle().await;
    let board = sample();
    assert_eq!(count("[data-note-id]") as usize, board.notes.len());
    assert_eq!(count("[data-link-id]") as usize, board.links.len());
    assert_eq!(count("[data-frame-id]") as usize, board.frames.len());
    for note in &board.notes {
        let el = document()
            .query_selector(&format!("[data-note-id='{}']", note.id))
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("note {} is rendered", note.id));
        assert_eq!(el.get_attribute("data-kind").as_deref(), Some(note.kind.as_str()));
    }
}

#[wasm_bindgen_test]
async fn the_palette_adds_a_note_and_the_inspector_shows_it() {
    mount_fresh();
    settle().await;
    let before = count("[data-note-id]");
    let button: web_sys::HtmlElement = document()
        .query_selector("[data-action='add-read_model']")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
        .expect("a palette button for read models");
    button.click();
    settle().await;
    assert_eq!(count("[data-note-id]"), before + 1);
    assert_eq!(count("[data-kind='read_model']"), 2);
    assert_eq!(count("[data-inspect='note']"), 1, "the new note is selected and inspected");
    assert_eq!(count("[data-prop='version_token']"), 1, "read model props are offered");
}
