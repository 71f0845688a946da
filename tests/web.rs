//! Component tests in headless Chromium (wasm-bindgen-test): the app mounts and renders the board.
#![cfg(target_arch = "wasm32")]

use flowstorm::model::sample::sample;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

fn count(selector: &str) -> u32 {
    document()
        .query_selector_all(selector)
        .map(|l| l.length())
        .unwrap_or(0)
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
    mount_with(None);
}

/// Mounts the app with `autosaved` as the board it finds in the browser (none: the sample).
fn mount_with(autosaved: Option<&str>) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.clear();
        if let Some(text) = autosaved {
            storage
                .set_item("flowstorm.board", text)
                .expect("the board is stored");
        }
    }
    // The test harness reports through the page, so the app gets a container of its own.
    if let Some(old) = document().get_element_by_id("app-under-test") {
        old.remove();
    }
    let container: web_sys::HtmlElement = document()
        .create_element("div")
        .ok()
        .and_then(|e| e.dyn_into().ok())
        .expect("a container");
    container.set_id("app-under-test");
    document()
        .body()
        .expect("a body")
        .append_child(&container)
        .expect("container attached");
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
        assert_eq!(
            el.get_attribute("data-kind").as_deref(),
            Some(note.kind.as_str())
        );
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
    assert_eq!(
        count("[data-inspect='note']"),
        1,
        "the new note is selected and inspected"
    );
    assert_eq!(
        count("[data-prop='version_token']"),
        1,
        "read model props are offered"
    );
}

/// Runs a script in the page and returns its value.
fn script(body: &str) -> wasm_bindgen::JsValue {
    js_sys::Function::new_no_args(body)
        .call0(&wasm_bindgen::JsValue::NULL)
        .expect("the script runs")
}

/// Presses a key on the page (the app listens on the window).
fn press(key: &str) {
    script(&format!(
        "window.dispatchEvent(new KeyboardEvent('keydown', {{ key: '{key}', bubbles: true, cancelable: true }}));"
    ));
}

fn note_element(id: &str) -> web_sys::Element {
    document()
        .query_selector(&format!("[data-note-id='{id}']"))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("note {id} is rendered"))
}

#[wasm_bindgen_test]
async fn a_moved_note_keeps_its_element() {
    // Bug: notes were keyed in the DOM by (id, text, rectangle), so a moved note's element was
    // rebuilt on every move.
    mount_fresh();
    settle().await;
    press("Tab");
    settle().await;
    let selected = document()
        .query_selector(".note.selected")
        .ok()
        .flatten()
        .expect("Tab selects a note");
    let id = selected.get_attribute("data-note-id").expect("a note id");
    let style = |el: &web_sys::Element| el.get_attribute("style").unwrap_or_default();
    let before = style(&selected);
    js_sys::Reflect::set(&selected, &"flowstormMarker".into(), &"kept".into()).expect("marked");
    press("ArrowRight");
    settle().await;
    let after = note_element(&id);
    assert_ne!(style(&after), before, "the note moved");
    assert_eq!(
        js_sys::Reflect::get(&after, &"flowstormMarker".into())
            .ok()
            .and_then(|v| v.as_string())
            .as_deref(),
        Some("kept"),
        "the moved note is the same element"
    );
    assert!(
        after.class_list().contains("selected"),
        "and it is still selected"
    );
}

#[wasm_bindgen_test]
async fn a_note_dropped_from_the_palette_is_centred_under_the_pointer() {
    // Bug: a note dropped from the palette was placed off centre: the UI subtracted half the
    // note's size that the editor subtracts again.
    mount_fresh();
    settle().await;
    let before = count("[data-kind='policy']");
    let drop = script(
        "const board = document.querySelector('[data-board-viewport]');
         const r = board.getBoundingClientRect();
         const x = r.left + r.width * 0.4, y = r.top + r.height * 0.4;
         const data = new DataTransfer();
         data.setData('application/x-flowstorm-kind', 'policy');
         board.dispatchEvent(new DragEvent('drop', { dataTransfer: data, clientX: x, clientY: y, bubbles: true, cancelable: true }));
         return [x - r.left, y - r.top];",
    );
    let drop: js_sys::Array = drop.dyn_into().expect("the drop point");
    let (x, y) = (
        drop.get(0).as_f64().unwrap_or(f64::NAN),
        drop.get(1).as_f64().unwrap_or(f64::NAN),
    );
    settle().await;
    assert_eq!(
        count("[data-kind='policy']"),
        before + 1,
        "the drop adds a policy"
    );
    let note = document()
        .query_selector(".note.selected[data-kind='policy']")
        .ok()
        .flatten()
        .expect("the new note is selected");
    // Where the drop point and the note's centre are on the board: from the drop point in the
    // canvas as it stood when dropped (this page has no style sheet, so what the drop adds to the
    // panels may move the canvas afterwards), the camera's transform of the board layer and the
    // note's rectangle.
    let world = document()
        .query_selector(".world")
        .ok()
        .flatten()
        .expect("the board layer");
    let camera = numbers(&world.get_attribute("style").unwrap_or_default());
    let [pan_x, pan_y, zoom] = camera[..] else {
        panic!("a translate and a scale: {camera:?}")
    };
    let dropped = ((x - pan_x) / zoom, (y - pan_y) / zoom);
    let rect = numbers(&note.get_attribute("style").unwrap_or_default());
    let [left, top, w, h, ..] = rect[..] else {
        panic!("the note's rectangle: {rect:?}")
    };
    let centre = (left + w / 2.0, top + h / 2.0);
    // The editor puts the note's corner on the grid: at most half a grid step off.
    let tolerance = flowstorm::editor::GRID / 2.0 + 1e-6;
    assert!(
        (centre.0 - dropped.0).abs() <= tolerance && (centre.1 - dropped.1).abs() <= tolerance,
        "the note's centre {centre:?} is under the drop point {dropped:?} (board units)"
    );
}

/// The numbers in a style attribute, in order ("left:10px;top:-5.5px" → [10, -5.5]).
fn numbers(style: &str) -> Vec<f64> {
    style
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e'))
        .filter_map(|s| s.parse::<f64>().ok())
        .collect()
}

#[wasm_bindgen_test]
fn typed_numbers_read_exactly_and_nonsense_is_refused() {
    use flowstorm::ui::parse_number;
    assert_eq!(parse_number(" 0.1 "), Some(0.1));
    assert_eq!(parse_number(".5"), Some(0.5));
    assert_eq!(parse_number("1e3"), Some(1000.0));
    assert_eq!(parse_number("-2"), Some(-2.0));
    for nonsense in ["", "  ", "abc", "12abc", "Infinity", "NaN", "1,5"] {
        assert_eq!(parse_number(nonsense), None, "{nonsense:?}");
    }
}

#[wasm_bindgen_test]
async fn a_note_text_that_looks_like_markup_is_shown_as_written() {
    // Notes and the links' list are written into the page as HTML in one piece: what a user
    // types must come out as text, never as elements.
    let mut board = sample();
    let written = "<b>\"Tom & Jerry\"</b> <img src=x>";
    board.notes[0].text = written.to_string();
    let id = board.notes[0].id.to_string();
    mount_with(Some(&flowstorm::model::format::save_compact(&board)));
    settle().await;
    let note = note_element(&id);
    let shown = note
        .first_element_child()
        .and_then(|t| t.text_content())
        .unwrap_or_default();
    assert!(
        !shown.is_empty() && written.starts_with(shown.trim_end_matches('…')),
        "the note shows its text as written: {shown:?}"
    );
    assert_eq!(
        note.query_selector("b, img")
            .ok()
            .flatten()
            .map(|e| e.tag_name()),
        None,
        "no element is made of the text"
    );
    let label = note.get_attribute("aria-label").unwrap_or_default();
    assert!(label.ends_with(written), "the label says the text: {label}");
    let listed = document()
        .query_selector_all(".link-list li")
        .expect("the links' list");
    let texts: Vec<String> = (0..listed.length())
        .filter_map(|i| listed.item(i).and_then(|n| n.text_content()))
        .collect();
    assert!(
        texts.iter().any(|t| t.contains(written)),
        "a link of the note says its text: {texts:?}"
    );
}
