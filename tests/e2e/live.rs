//! Editing while the run plays, on a projector's 1280×720: a consumer drawn on the running
//! fraud sample joins the broker where the run is and catches up; an edit that would have
//! changed what already ran says so, and Restart runs the board as it is now.

use super::{artifact, centre_of, drag, harness, hover, press, rect_of, CONTROL, DELETE};
use flowstorm::model::samples::sample_by_id;

/// The sums of a group's log-end and committed offsets over its partitions, from the Run tab.
fn offsets(s: &super::webdriver::Session, note: &str) -> (u64, u64) {
    let v = s.js(
        "const rows = [...document.querySelectorAll(`[data-group='${arguments[0]}'] table.offsets tbody tr`)];
         const n = t => Number(t) || 0;
         return [rows.reduce((a, r) => a + n(r.cells[1].textContent), 0),
                 rows.reduce((a, r) => a + n(r.cells[2].textContent), 0)];",
        vec![serde_json::json!(note)],
    );
    (v[0].as_u64().unwrap_or(0), v[1].as_u64().unwrap_or(0))
}

/// The clock's simulated time (ms), from "12.3 s / 63.0 s".
fn clock_ms(s: &super::webdriver::Session) -> u64 {
    let text = s.text(&s.find("[data-clock]"));
    let secs: f64 = text
        .split(' ')
        .next()
        .and_then(|t| t.parse().ok())
        .unwrap_or(f64::NAN);
    (secs * 1000.0).round() as u64
}

#[test]
#[ignore = "needs the Trunk build in dist/ and chromedriver: run `make test`"]
fn a_consumer_drawn_while_running_joins_and_other_edits_offer_a_restart() {
    let h = harness().lock().unwrap_or_else(|e| e.into_inner());
    let s = h.driver.session(1280, 720);
    s.goto(&h.url);
    s.find("[data-board-viewport] [data-note-id]");
    s.open_board_text(sample_by_id("fraud").unwrap().json(), "fraud");
    s.js("const sel = document.querySelector(\"[data-action='speed']\"); sel.value = '5'; sel.dispatchEvent(new Event('change', {bubbles: true}));", vec![]);
    s.click(&s.find("[data-action='play']"));
    s.wait_for("five seconds of orders", || {
        (clock_ms(&s) >= 5_000).then_some(())
    });
    s.click(&s.find("[data-action='tab-run']"));
    s.find("[data-group='order-placed'], [data-group='reserve']");
    assert!(
        s.find_all("[data-group='fraud-check']").is_empty(),
        "Fraud check consumes nothing yet"
    );

    // Draw Order placed → Fraud check while it plays.
    let before = clock_ms(&s);
    let (ex, ey, ew, eh) = rect_of(&s, "[data-note-id='order-placed']");
    hover(&s, (ex + ew / 2.0, ey + eh / 2.0));
    drag(
        &s,
        (ex + ew - 1.0, ey + eh / 2.0),
        centre_of(&s, "[data-note-id='fraud-check']"),
    );
    let status = s.wait_for("the join to be told", || {
        let t = s.text(&s.find("[data-status]"));
        t.contains("joined the running broker").then_some(t)
    });
    assert!(
        status.contains("Fraud check") && status.contains("earliest offset"),
        "{status}"
    );
    assert!(clock_ms(&s) >= before, "the run went on, not again from 0");
    assert!(s.find_all("[data-stale]").is_empty());
    // It catches up on the orders placed before it joined: the Run tab shows its offsets
    // committed up to the log's end, as a Kafka tool does.
    s.wait_for("Fraud check to catch up", || {
        let (end, committed) = offsets(&s, "fraud-check");
        (end > 20 && committed * 10 >= end * 9).then_some(())
    });
    s.screenshot(&artifact("live-join-1280.png"));
    // Scrubbing back before the join shows it not running yet.
    s.js("const r = document.querySelector(\"[data-action='scrub']\"); r.value = '1000'; r.dispatchEvent(new Event('input'));", vec![]);
    s.wait_for("the run back at 1.0 s", || {
        (s.text(&s.find("[data-clock]")).starts_with("1.0 s")
            && s.find_all("[data-seeking]").is_empty())
        .then_some(())
    });
    let box_text = s.text(&s.find("[data-group='fraud-check']"));
    assert!(box_text.contains("not on the broker yet"), "{box_text}");

    // A prop that changes what already ran: the run goes on as it was and offers a restart.
    s.click(&s.find("[data-note-id='charge']"));
    s.click(&s.find("[data-action='tab-inspector']"));
    let field = s.find("[data-prop='processing_ms']");
    s.js(
        "const f = arguments[0]; f.value = '40'; f.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![field.arg()],
    );
    let why = s.wait_for("the run bar to offer a restart", || {
        s.find_all("[data-stale]")
            .first()
            .map(|e| s.attr(e, "title"))
    });
    assert!(
        why.unwrap_or_default().contains("alters what already ran"),
        "the tooltip says why"
    );
    let status = s.text(&s.find("[data-status]"));
    assert!(status.contains("Restart"), "{status}");
    assert!(clock_ms(&s) >= 1_000, "the run was not thrown away");
    s.screenshot(&artifact("live-stale-1280.png"));
    s.click(&s.find("[data-action='restart']"));
    s.wait_for("a fresh run", || {
        (s.find_all("[data-stale]").is_empty() && clock_ms(&s) < 1_000).then_some(())
    });

    // Deleting a note while it plays: the run goes on as the board was, drawn on the board as
    // it is now, and the page keeps answering.
    s.click(&s.find("[data-action='play']"));
    s.wait_for("the fresh run to play", || {
        (clock_ms(&s) >= 2_000).then_some(())
    });
    s.click(&s.find("[data-note-id='notify']"));
    press(&s, &[&[DELETE]]);
    s.wait_for("the run bar to offer a restart", || {
        (!s.find_all("[data-stale]").is_empty()).then_some(())
    });
    assert!(s.find_all("[data-note-id='notify']").is_empty());
    let at = clock_ms(&s);
    s.wait_for("the run to go on", || {
        (clock_ms(&s) > at + 1_000).then_some(())
    });
    s.screenshot(&artifact("live-deleted-1280.png"));
    // Undo brings the board back to the one that runs: nothing to restart for.
    press(&s, &[&[CONTROL, "z"]]);
    s.wait_for("the offer withdrawn", || {
        s.find_all("[data-stale]").is_empty().then_some(())
    });
}
