//! End-to-end tests: the Trunk build in `dist/`, served locally, driven in headless Chromium.
//! `make test` builds the app and runs these (`cargo test --test e2e -- --ignored`).

#[path = "e2e/webdriver.rs"]
mod webdriver;

use flowstorm::model::sample::sample;
use serde_json::json;
use std::{
    path::PathBuf,
    sync::{Mutex, OnceLock},
};
use webdriver::{Driver, Session};

const NEEDS_BUILD: &str = "needs the Trunk build in dist/ and chromedriver: run `make test`";

struct Harness {
    driver: Driver,
    url: String,
}

fn harness() -> &'static Mutex<Harness> {
    static HARNESS: OnceLock<Mutex<Harness>> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let dist = std::env::var("FLOWSTORM_DIST").map(PathBuf::from).unwrap_or_else(|_| root.join("dist"));
        assert!(dist.join("index.html").exists(), "no app build at {}: {NEEDS_BUILD}", dist.display());
        let port = webdriver::serve(dist);
        Mutex::new(Harness { driver: Driver::start(), url: format!("http://127.0.0.1:{port}/") })
    })
}

fn artifact(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("artifacts").join(name)
}

/// Opens the app in a fresh browser profile and waits until the board is drawn.
fn open_app(h: &Harness) -> Session {
    let s = h.driver.session(1500, 900);
    s.goto(&h.url);
    s.find("[data-board-viewport] [data-note-id]");
    s
}

fn note_count(s: &Session) -> usize {
    s.find_all("[data-note-id]").len()
}

#[test]
#[ignore = "needs the Trunk build in dist/ and chromedriver: run `make test`"]
fn app_mounts_the_sample_board_with_one_element_per_note() {
    let h = harness().lock().unwrap_or_else(|e| e.into_inner());
    let s = open_app(&h);
    let board = sample();
    s.wait_for("every sample note", || (note_count(&s) == board.notes.len()).then_some(()));
    for note in &board.notes {
        let el = s.find(&format!("[data-note-id='{}']", note.id));
        assert_eq!(s.attr(&el, "data-kind").as_deref(), Some(note.kind.as_str()), "kind of {}", note.id);
        assert!(s.attr(&el, "aria-label").is_some_and(|l| l.contains(&note.text)), "accessible name of {}", note.id);
    }
    assert_eq!(s.find_all("[data-link-id]").len(), board.links.len());
    assert_eq!(s.find_all("[data-frame-id]").len(), board.frames.len());
    assert_eq!(s.find_all("[data-legend-kind]").len(), 9, "the legend shows every kind and the frame");
    for action in ["open", "save", "undo", "redo", "add-event", "add-hotspot"] {
        s.find(&format!("[data-action='{action}']"));
    }
    s.screenshot(&artifact("sample-board.png"));
}

#[test]
#[ignore = "needs the Trunk build in dist/ and chromedriver: run `make test`"]
fn reload_after_an_edit_restores_the_board_from_autosave() {
    let h = harness().lock().unwrap_or_else(|e| e.into_inner());
    let s = open_app(&h);
    let before = note_count(&s);
    s.click(&s.find("[data-action='add-event']"));
    s.wait_for("the new note", || (note_count(&s) == before + 1).then_some(()));
    let text = s.find("[data-inspect='note'] textarea[data-field='text']");
    s.send_keys(&text, "Payment taken");
    // Leaving the field commits the text, as it does for a person tabbing away.
    s.click(&s.find("[data-board-title]"));
    s.wait_for("the text on the note", || {
        s.find_all("[data-note-id]").iter().any(|n| s.text(n).contains("Payment taken")).then_some(())
    });
    // Move the cashier by dragging it: one undo step, autosaved too.
    let cashier = s.find("[data-note-id='cashier']");
    let left_before = s.js("return arguments[0].style.left", vec![cashier.arg()]);
    s.actions(json!([{
        "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
        "actions": [
            {"type": "pointerMove", "origin": cashier.arg(), "x": 0, "y": 0},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerMove", "origin": "pointer", "x": 60, "y": 90, "duration": 200},
            {"type": "pointerUp", "button": 0}
        ]
    }]));
    let moved_left = s.wait_for("the cashier to move", || {
        let left = s.js("return document.querySelector(\"[data-note-id='cashier']\").style.left", vec![]);
        (left != left_before).then_some(left)
    });
    s.refresh();
    s.find("[data-note-id]");
    s.wait_for("the restored board", || (note_count(&s) == before + 1).then_some(()));
    assert!(s.find_all("[data-note-id]").iter().any(|n| s.text(n).contains("Payment taken")), "the text survives a reload");
    let left_after = s.js("return document.querySelector(\"[data-note-id='cashier']\").style.left", vec![]);
    assert_eq!(left_after, moved_left, "the move survives a reload");
    // History is not part of the autosave: after a reload there is nothing to undo.
    let undo = s.find("[data-action='undo']");
    assert_eq!(s.js("return arguments[0].disabled", vec![undo.arg()]), json!(true));
}

#[test]
#[ignore = "needs the Trunk build in dist/ and chromedriver: run `make test`"]
fn undo_and_redo_from_the_toolbar() {
    let h = harness().lock().unwrap_or_else(|e| e.into_inner());
    let s = open_app(&h);
    let before = note_count(&s);
    s.click(&s.find("[data-action='add-policy']"));
    s.wait_for("a new note", || (note_count(&s) == before + 1).then_some(()));
    s.click(&s.find("[data-action='undo']"));
    s.wait_for("undo", || (note_count(&s) == before).then_some(()));
    s.click(&s.find("[data-action='redo']"));
    s.wait_for("redo", || (note_count(&s) == before + 1).then_some(()));
}

#[test]
#[ignore = "needs the Trunk build in dist/ and chromedriver: run `make test`"]
fn importing_a_broken_file_lists_its_problems_and_keeps_the_board() {
    let h = harness().lock().unwrap_or_else(|e| e.into_inner());
    let s = open_app(&h);
    let before = note_count(&s);
    let dir = std::env::temp_dir().join(format!("flowstorm-e2e-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken-board.json");
    std::fs::write(
        &broken,
        r#"{"format":"flowstorm-board","version":1,
            "notes":[{"id":"a","kind":"sticky","x":0,"y":0},{"id":"b","kind":"event","x":0,"y":0,"frame":"nowhere"}],
            "links":[{"id":"l","from":"b","to":"ghost"}]}"#,
    )
    .unwrap();
    s.send_keys(&s.find("[data-action='open-file']"), broken.to_str().unwrap());
    let panel = s.find("[data-problems]");
    let text = s.text(&panel);
    assert!(text.contains("broken-board.json"), "{text}");
    assert!(text.contains("$.notes[0].kind") && text.contains("unknown note kind \"sticky\""), "{text}");
    assert!(text.contains("$.notes[1].frame") && text.contains("frame \"nowhere\" does not exist"), "{text}");
    assert!(text.contains("$.links[0].to"), "{text}");
    assert_eq!(s.find_all("[data-problem]").len(), 3);
    assert_eq!(note_count(&s), before, "the board is left as it was");
    assert!(s.find_all("[data-note-id='cashier']").len() == 1);
    s.screenshot(&artifact("broken-import.png"));
    s.click(&s.find("[data-action='dismiss-problems']"));
    s.wait_for("the panel to close", || s.find_all("[data-problems]").is_empty().then_some(()));

    // A good file replaces the board.
    let good = dir.join("checkout.json");
    std::fs::copy(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1/checkout.json"), &good).unwrap();
    s.send_keys(&s.find("[data-action='open-file']"), good.to_str().unwrap());
    s.wait_for("the opened board", || (note_count(&s) == 9 && s.find_all("[data-note-id='clerk']").len() == 1).then_some(()));
    std::fs::remove_dir_all(&dir).ok();
}
