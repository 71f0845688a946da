//! Presenting: a storyline walked with the keys a speaker and a clicker use, on a projector's
//! 1280×720; and a storyline and scheduled faults authored in the Story tab, kept with the board.

use super::{count, harness, open_app, press, rect_of, webdriver::Session, ESCAPE};
use flowstorm::model::{
    sample::sample, samples::SAMPLES, save, Camera, Fault, FrameId, NoteId, ScheduledFault, Step,
    StepAction,
};
use serde_json::json;

const RIGHT: &str = "\u{E014}";
const PAGE_DOWN: &str = "\u{E00F}";
const PAGE_UP: &str = "\u{E00E}";
const END: &str = "\u{E010}";
const F5: &str = "\u{E035}";

/// The sample with four steps and a fault its scenario makes at 1.5 s.
fn storyboard() -> flowstorm::model::Board {
    let mut board = sample();
    let payment = NoteId::from("payment");
    let step = |caption: &str, camera, actions| Step {
        caption: caption.into(),
        camera,
        actions,
    };
    board.storyline = vec![
        step("The whole shop", Camera::Board, vec![]),
        step(
            "Orders flow",
            Camera::Frame(FrameId::from("orders")),
            vec![StepAction::Play { speed: 2.0 }],
        ),
        step(
            "The payment provider goes down",
            Camera::Notes(vec![payment.clone(), NoteId::from("order")]),
            vec![StepAction::Fault(Fault::SystemDown {
                note: payment.clone(),
                for_ms: None,
            })],
        ),
        step("From the start", Camera::Board, vec![StepAction::Reset]),
    ];
    board.scenario.get_or_insert_with(Default::default).faults = vec![ScheduledFault {
        at_ms: 1_500,
        fault: Fault::SlowSystem {
            note: payment,
            extra_ms: 200,
            for_ms: Some(2_000),
        },
    }];
    board
}

fn caption(s: &Session) -> String {
    s.js(
        "const c = document.querySelector('[data-story-text]'); return c ? c.textContent : null",
        vec![],
    )
    .as_str()
    .unwrap_or_default()
    .to_string()
}

fn wait_caption(s: &Session, want: &str) {
    s.wait_for(
        &format!("the caption \"{want}\" (have \"{}\")", caption(s)),
        || (caption(s) == want).then_some(()),
    );
}

fn presenting(s: &Session) -> bool {
    count(s, ".app.presenting") == 1
}

/// Nothing when the element's rectangle is inside the window and clear of the stage bar and
/// the run bar; else where each is.
fn in_clear_view(s: &Session, css: &str) -> Result<(), String> {
    let (x, y, w, h) = rect_of(s, css);
    let bar = rect_of(s, "[data-story-caption]");
    let run = rect_of(s, "[data-runbar]");
    let (win_w, _) = window(s);
    if x >= 0.0 && y >= 0.0 && x + w <= win_w + 0.5 && y + h <= bar.1.min(run.1) {
        Ok(())
    } else {
        Err(format!(
            "{css} at {:?}; caption at {bar:?}, run bar at {run:?}",
            (x, y, w, h)
        ))
    }
}

/// Waits (a few seconds at most) until the element is in clear view: the camera moves a frame
/// after the caption changes.
fn wait_clear(s: &Session, css: &str) {
    let mut last = Ok(());
    for _ in 0..50 {
        last = in_clear_view(s, css);
        if last.is_ok() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    last.unwrap();
}

/// The window's inner size.
fn window(s: &Session) -> (f64, f64) {
    let v = s.js("return [innerWidth, innerHeight]", vec![]);
    (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0))
}

/// The app on a projector's screen (full screen is 1280×720 too), its board drawn.
fn projector() -> Session {
    let h = harness().lock().unwrap_or_else(|e| e.into_inner());
    let s = h
        .driver
        .session_with(1280, 720, &["--screen-info={1280x720}"]);
    s.goto(&h.url);
    s.find("[data-board-viewport] [data-note-id]");
    s
}

#[test]
#[ignore = "needs the Trunk build in dist/ and chromedriver: run `make test`"]
fn presenting_walks_the_storyline_with_a_clicker_on_a_projector() {
    let s = projector();
    s.open_board_text(&save(&storyboard()), "story");
    assert_eq!(
        count(&s, "[data-fault-mark]"),
        1,
        "the scheduled fault is on the timeline"
    );

    s.click(&s.find("[data-action='present']"));
    wait_caption(&s, "The whole shop");
    assert!(presenting(&s));
    for hidden in [
        "[data-legend]",
        "[data-minimap]",
        ".palette",
        ".side",
        ".toolbar",
    ] {
        assert_eq!(rect_of(&s, hidden).2, 0.0, "{hidden} leaves the screen");
    }
    let (_, _, board_w, board_h) = rect_of(&s, "[data-board-viewport]");
    let (win_w, win_h) = window(&s);
    assert!(
        board_w >= win_w - 0.5 && board_h >= win_h - 0.5,
        "the board fills the screen: {board_w}×{board_h} of {win_w}×{win_h}"
    );
    assert_eq!(s.text(&s.find("[data-step-count]")), "1 / 4");
    let (_, _, whole_board_w, _) = rect_of(&s, "[data-note-id='payment']");
    for note in ["cashier", "stock-reserved", "what-if"] {
        wait_clear(&s, &format!("[data-note-id='{note}']"));
    }
    let caption_px: f64 = s
        .js("return parseFloat(getComputedStyle(document.querySelector('[data-story-text]')).fontSize)", vec![])
        .as_f64()
        .unwrap();
    assert!(
        caption_px >= 24.0,
        "the caption reads from the back of a room: {caption_px}px"
    );

    press(&s, &[&[RIGHT]]);
    wait_caption(&s, "Orders flow");
    s.find("[data-action='pause']");
    let speed = s.js(
        "return document.querySelector(\"[data-action='speed']\").value",
        vec![],
    );
    assert_eq!(speed, json!("2"), "the step plays at its speed");
    wait_clear(&s, "[data-frame-id='orders']");

    press(&s, &[&[PAGE_DOWN]]);
    wait_caption(&s, "The payment provider goes down");
    // The status bar is off screen while presenting: it still says what was done.
    s.wait_for("the fault", || {
        s.js(
            "return document.querySelector('[data-status]').textContent",
            vec![],
        )
        .as_str()
        .filter(|t| t.contains("system down"))
        .map(|_| ())
    });
    wait_clear(&s, "[data-note-id='payment']");
    let (_, _, payment_w, _) = rect_of(&s, "[data-note-id='payment']");
    assert!(
        payment_w >= 2.0 * whole_board_w,
        "a step on two notes shows them large: {payment_w}px against {whole_board_w}px for the whole board"
    );
    s.screenshot(&super::artifact("presenting-1280.png"));

    press(&s, &[&[PAGE_UP]]);
    wait_caption(&s, "Orders flow");
    press(&s, &[&[END]]);
    wait_caption(&s, "From the start");
    s.find("[data-action='play']");
    assert_eq!(s.text(&s.find("[data-step-count]")), "4 / 4");
    press(&s, &[&[RIGHT]]);
    assert_eq!(caption(&s), "From the start", "the last step stays");

    // A stray key edits nothing while presenting; Escape leaves; F5 presents again.
    let notes = count(&s, "[data-note-id]");
    press(&s, &[&["e"]]);
    assert_eq!(count(&s, "[data-note-id]"), notes);
    press(&s, &[&[ESCAPE]]);
    s.wait_for("the panels back", || (!presenting(&s)).then_some(()));
    assert!(rect_of(&s, ".toolbar").2 > 0.0);
    press(&s, &[&[F5]]);
    wait_caption(&s, "The whole shop");
    press(&s, &[&[ESCAPE]]);
    s.wait_for("the panels back", || (!presenting(&s)).then_some(()));
}

/// Sets a form control's value as a person would choose it, and tells the page.
fn choose(s: &Session, css: &str, value: &str) {
    s.js(
        "const e = document.querySelector(arguments[0]); e.value = arguments[1];
         e.dispatchEvent(new Event('input', {bubbles: true}));
         e.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![json!(css), json!(value)],
    );
}

#[test]
#[ignore = "needs the Trunk build in dist/ and chromedriver: run `make test`"]
fn a_storyline_and_scheduled_faults_are_authored_in_the_story_tab_and_kept() {
    let h = harness().lock().unwrap_or_else(|e| e.into_inner());
    let s = open_app(&h);
    s.click(&s.find("[data-action='tab-story']"));
    s.click(&s.find("[data-action='story-add']"));
    s.wait_for("a step", || (count(&s, "[data-step]") == 1).then_some(()));
    choose(&s, "[data-step='0'] [data-field='caption']", "Everything");
    s.wait_for("the caption kept", || {
        s.js(
            "return document.querySelector(\"[data-step='0'] [data-field='caption']\").value",
            vec![],
        )
        .as_str()
        .filter(|v| *v == "Everything")
        .map(|_| ())
    });
    // A step on the selected note, with a fault.
    s.click(&s.find("[data-note-id='payment']"));
    s.click(&s.find("[data-action='story-add']"));
    s.wait_for("two steps", || {
        (count(&s, "[data-step]") == 2).then_some(())
    });
    assert!(s
        .text(&s.find("[data-step='1']"))
        .contains("one note: Payment provider"));
    choose(
        &s,
        "[data-step='1'] [data-action='step-add-action']",
        "fault:0",
    );
    s.wait_for("the action", || {
        s.text(&s.find("[data-step='1']"))
            .contains("system down")
            .then_some(())
    });
    // A fault the scenario makes at 2 s, on the timeline.
    choose(&s, "[data-field='schedule-at']", "2");
    choose(&s, "[data-action='schedule-fault']", "0");
    s.wait_for("the scheduled fault", || {
        (count(&s, "[data-scheduled-fault]") == 1).then_some(())
    });
    assert!(s
        .text(&s.find("[data-scheduled-fault='0']"))
        .starts_with("2.0 s · system down · Payment provider"));
    assert_eq!(count(&s, "[data-fault-mark]"), 1);
    // Reorder, then undo the reorder.
    s.click(&s.find("[data-step='0'] [data-action='step-down']"));
    s.wait_for("the steps swapped", || {
        s.text(&s.find("[data-step='0']"))
            .contains("Payment provider")
            .then_some(())
    });
    s.click(&s.find("[data-action='undo']"));
    s.wait_for("the swap undone", || {
        s.text(&s.find("[data-step='1']"))
            .contains("Payment provider")
            .then_some(())
    });
    // Kept with the board: a reload brings it all back.
    s.refresh();
    s.find("[data-board-viewport] [data-note-id]");
    s.click(&s.find("[data-action='tab-story']"));
    s.wait_for("the steps after a reload", || {
        (count(&s, "[data-step]") == 2).then_some(())
    });
    assert_eq!(count(&s, "[data-scheduled-fault]"), 1);
    let caption = s.js(
        "return document.querySelector(\"[data-step='0'] [data-field='caption']\").value",
        vec![],
    );
    assert_eq!(caption, json!("Everything"));
}

/// The notes or frame a step's camera shows, as a CSS selector for one of them (none for the
/// whole board or a recorded area).
fn camera_target(camera: &Camera) -> Option<String> {
    match camera {
        Camera::Frame(f) => Some(format!("[data-frame-id='{f}']")),
        Camera::Notes(notes) => notes.first().map(|n| format!("[data-note-id='{n}']")),
        _ => None,
    }
}

#[test]
#[ignore = "needs the Trunk build in dist/ and chromedriver: run `make test`"]
fn every_gallery_storyline_walks_on_a_projector() {
    let s = projector();
    for sample in SAMPLES {
        let board = sample.board();
        assert!(!board.storyline.is_empty(), "{} has a storyline", sample.id);
        // Opened from the Samples menu: the app fetches the board's file.
        s.js(
            "const m = document.querySelector(\"[data-action='samples']\"); m.value = arguments[0]; m.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![json!(sample.id)],
        );
        let opened = format!("Opened the sample “{}”", sample.title);
        s.wait_for(&opened, || {
            s.js(
                "return document.querySelector('[data-status]').textContent",
                vec![],
            )
            .as_str()
            .filter(|t| *t == opened)
            .map(|_| ())
        });
        assert_eq!(
            s.text(&s.find("[data-board-title]")),
            board.name.clone().unwrap_or_default()
        );
        s.click(&s.find("[data-action='present']"));
        let steps = board.storyline.len();
        for (i, step) in board.storyline.iter().enumerate() {
            if i > 0 {
                press(&s, &[&[RIGHT]]);
            }
            wait_caption(&s, &step.caption);
            assert_eq!(
                s.text(&s.find("[data-step-count]")),
                format!("{} / {steps}", i + 1),
                "{}",
                sample.id
            );
            if let Some(css) = camera_target(&step.camera) {
                wait_clear(&s, &css);
            }
        }
        s.screenshot(&super::artifact(&format!("sample-{}-1280.png", sample.id)));
        press(&s, &[&[ESCAPE]]);
        s.wait_for("presenting ends", || (!presenting(&s)).then_some(()));
        s.wait_for("full screen left", || {
            s.js("return document.fullscreenElement === null", vec![])
                .as_bool()
                .filter(|b| *b)
        });
        // Each sample's own run problems, if any, would show in the Run tab.
        assert_eq!(count(&s, "[data-run-problems] li"), 0, "{} runs", sample.id);
    }
}
