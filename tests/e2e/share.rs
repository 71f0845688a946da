//! Share links: a link made from the board opens a copy of it in a fresh page, added to the
//! library beside the boards already there; a board too big for a link says so.

use super::{boards, harness, open_app, webdriver::Session};
use flowstorm::model::{generate::generate, samples::sample_by_id, save};

fn status(s: &Session) -> String {
    s.text(&s.find("[data-status]"))
}

#[test]
#[ignore = "needs the Trunk build in dist/ and chromedriver: run `make test`"]
fn a_share_link_opens_a_copy_and_replaces_nothing() {
    let h = harness().lock().unwrap_or_else(|e| e.into_inner());
    let s = open_app(&h);
    let bank = sample_by_id("bank").unwrap();
    s.open_board_text(bank.json(), "bank");
    s.click(&s.find("[data-action='share']"));
    let link = s.wait_for("a link", || {
        s.attr(&s.find("[data-action='share']"), "data-share-link")
    });
    assert!(link.contains("#board="), "{link}");
    assert!(
        status(&s).contains("whoever opens it gets a copy"),
        "{}",
        status(&s)
    );
    let before = boards(&s).len();

    // Opened in a new page load: the board comes back, as one more board of the library.
    s.goto("about:blank");
    s.goto(&link);
    s.wait_for("the shared board", || {
        status(&s)
            .starts_with("Opened a shared board")
            .then_some(())
    });
    let name = bank.board().name.unwrap_or_default();
    let title = s.text(&s.find("[data-board-title]"));
    assert!(title.starts_with(&name), "a copy keeps the name: {title}");
    assert_eq!(
        boards(&s).len(),
        before + 1,
        "a copy added, nothing replaced"
    );
    let url = s.js("return location.href", vec![]);
    assert!(
        !url.as_str().unwrap_or_default().contains("#board="),
        "{url}"
    );

    // A damaged link changes nothing and says so.
    s.goto("about:blank");
    s.goto(&format!("{}#board=not-a-board", h.url));
    s.wait_for("the damaged link's message", || {
        status(&s).starts_with("The link is damaged").then_some(())
    });
    assert_eq!(boards(&s).len(), before + 1);

    // Too big for a link: the file is offered instead.
    s.open_board_text(&save(&generate(4_000)), "big");
    s.click(&s.find("[data-action='share']"));
    s.wait_for("too big", || {
        status(&s)
            .starts_with("The board is too big for a link")
            .then_some(())
    });
}
