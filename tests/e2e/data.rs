//! The Data tab on the bank sample: the account topic's partition log with payloads and the
//! groups' cursors, a read model's rows, an entity's state side by side and its history, and a
//! rebuild from the Run tab.

use super::{artifact, count, harness, open_app};
use flowstorm::model::samples::sample_by_id;
use serde_json::json;

#[test]
#[ignore = "needs the Trunk build in dist/ and chromedriver: run `make test`"]
fn the_data_tab_shows_the_log_the_rows_and_an_entity_at_the_moment_shown() {
    let h = harness().lock().unwrap_or_else(|e| e.into_inner());
    let s = open_app(&h);
    let bank = sample_by_id("bank").unwrap();
    s.open_board_text(bank.json(), "bank");
    s.click(&s.find("[data-action='tab-data']"));
    s.find("[data-data-panel]");
    s.js("const sel = document.querySelector(\"[data-action='speed']\"); sel.value = '5'; sel.dispatchEvent(new Event('change', {bubbles: true}));", vec![]);
    s.click(&s.find("[data-action='play']"));
    // The account topic's one partition, most recent first, each record with its payload.
    s.click(&s.find("[data-note-id='funds-deposited']"));
    s.wait_for("a dozen records on the partition log", || {
        (count(&s, "[data-plog='0'] [data-offset]") >= 12).then_some(())
    });
    s.click(&s.find("[data-action='pause']"));
    // (Pausing writes the log again with the moment it stopped at: read it once written.)
    let log = s.wait_for("the partition log where it paused", || {
        Some(s.text(&s.find("[data-plog='0']"))).filter(|l| !l.is_empty())
    });
    assert!(log.starts_with("account / partition 0"), "{log}");
    assert!(log.contains("accountId"), "payloads shown: {log}");
    let offsets: Vec<u64> = s
        .find_all("[data-plog='0'] [data-offset]")
        .iter()
        .filter_map(|e| s.attr(e, "data-offset")?.parse().ok())
        .collect();
    assert!(
        offsets.windows(2).all(|w| w[0] == w[1] + 1),
        "most recent first: {offsets:?}"
    );
    let cursors: Vec<String> = s
        .find_all("[data-plog='0'] [data-cursor]")
        .iter()
        .filter_map(|e| s.attr(e, "data-cursor"))
        .collect();
    assert!(cursors.contains(&"balance".to_string()), "{cursors:?}");

    // The statement's rows; one picked shows the entity in the account and in both views.
    s.click(&s.find("[data-note-id='statement']"));
    let row = s.find("[data-view-rows] tr[data-entity]");
    let key = s.attr(&row, "data-entity").unwrap();
    s.click(&row);
    // (headings are shown in capitals)
    let title = s.text(&s.find("[data-entity-title]")).to_lowercase();
    assert!(title.starts_with(&format!("account {key} at")), "{title}");
    let sides = s.text(&s.find("[data-entity-sides]"));
    assert!(
        sides.contains("Balance") && sides.contains("Monthly statement"),
        "{sides}"
    );
    assert!(count(&s, "[data-history] li") >= 1);
    s.screenshot(&artifact("data-entity.png"));

    // Rebuilt from the Run tab while paused: the statement is empty, then fills again from
    // the start of its topic when the run goes on.
    s.click(&s.find("[data-action='tab-run']"));
    s.click(&s.find("[data-action='fault-rebuild']"));
    s.click(&s.find("[data-action='tab-data']"));
    s.wait_for("the statement emptied", || {
        (count(&s, "[data-view-rows] tr[data-entity]") == 0).then_some(())
    });
    s.click(&s.find("[data-action='play']"));
    s.wait_for("the statement filled again", || {
        (count(&s, "[data-view-rows] tr[data-entity]") > 0).then_some(())
    });

    // Its offsets reset to a time or an offset typed in the Run tab; a wrong one is named.
    s.click(&s.find("[data-action='pause']"));
    s.click(&s.find("[data-action='tab-run']"));
    let reset = |field: &str, value: &str| {
        s.js(
            "const f = document.querySelector(`[data-field='${arguments[0]}']`); f.value = arguments[1];",
            vec![json!(field), json!(value)],
        );
        s.click(&s.find(&format!("[data-action='fault-{field}']")));
        s.text(&s.find("[data-status]"))
    };
    let said = reset("reset-offset", "-3");
    assert!(said.contains("“-3” is not an offset"), "{said}");
    let said = reset("reset-time", "1.5");
    assert!(
        said.starts_with("Offsets reset to the time 1.5 s at "),
        "{said}"
    );
    let said = reset("reset-offset", "2");
    assert!(
        said.starts_with("Offsets reset to the offset 2 at "),
        "{said}"
    );
    s.screenshot(&artifact("run-reset-offsets.png"));
}
