//! What a command results in: the board says it ("results in" links, ticked in the inspector),
//! a run publishes exactly that, and where the board leaves it open the run follows the
//! documented rule and FS013 says so.

use flowstorm::{
    analysis::{check, HazardCode, Severity},
    editor::{results_in::results_in_edit, Editor},
    exec::{compile, Run, RunConfig},
    model::{self, sample::sample, Board, EditError, NoteId},
};

fn fixture(name: &str) -> Board {
    let path = format!(
        "{}/tests/fixtures/hazards/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    model::load(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn bank() -> Board {
    fixture("fs013-unclear-outcome")
}

fn id(s: &str) -> NoteId {
    NoteId::from(s)
}

/// The events a command publishes: success and failure, by id.
fn publishes(board: &Board, command: &str) -> (Option<String>, Option<String>) {
    let plan = compile(board);
    let (success, failure) = plan.command_events(&id(command)).expect("a command");
    (
        success.map(|e| e.to_string()),
        failure.map(|e| e.to_string()),
    )
}

fn unclear(board: &Board) -> Vec<Vec<String>> {
    check(board)
        .into_iter()
        .filter(|f| f.code == HazardCode::FS013)
        .map(|f| f.notes.iter().map(|n| n.to_string()).collect())
        .collect()
}

/// A run of the board for `ms` milliseconds, played to its end.
fn played(board: &Board, ms: u64) -> Run {
    let mut run = Run::new(
        board,
        RunConfig {
            duration_ms: ms,
            ..RunConfig::default()
        },
    )
    .unwrap();
    run.run_to_end(2_000);
    run
}

/// How many `event` messages in a run were caused, somewhere up their chain, by `command`.
fn caused_by(run: &Run, event: &str, command: &str) -> usize {
    run.hops()
        .iter()
        .filter(|h| h.to == id(event))
        .filter(|h| {
            run.causal_notes(h.message)
                .any(|n| run.plan().id(n) == &id(command))
        })
        .map(|h| h.message)
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

#[test]
fn an_explicit_link_wins_over_the_aggregates_order() {
    let mut board = bank();
    assert_eq!(
        publishes(&board, "flag-account").0.as_deref(),
        Some("account-created"),
        "without a link: the aggregate's first success event drawn"
    );
    let edit =
        results_in_edit(&board, &id("flag-account"), &id("withdrawal-flagged"), true).unwrap();
    edit.apply(&mut board).unwrap();
    assert_eq!(
        publishes(&board, "flag-account"),
        (Some("withdrawal-flagged".into()), None)
    );
    assert!(unclear(&board).is_empty());
}

#[test]
fn an_ambiguous_command_follows_the_rule_and_raises_fs013_naming_its_candidates() {
    let board = bank();
    let found: Vec<_> = check(&board)
        .into_iter()
        .filter(|f| f.code == HazardCode::FS013)
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        f.notes,
        [
            "flag-account",
            "account",
            "account-created",
            "money-withdrawn",
            "withdrawal-flagged"
        ]
        .map(id)
    );
    for word in [
        "Flag account",
        "Account created",
        "Large withdrawal flagged",
        "first drawn",
    ] {
        assert!(f.message.contains(word), "{word}: {}", f.message);
    }
    assert!(f.fix.contains("Results in"), "{}", f.fix);
    assert!(f.fix_action.is_none(), "no default is invented");
}

#[test]
fn two_explicit_success_events_are_unclear_too() {
    let mut board = bank();
    for event in ["withdrawal-flagged", "money-withdrawn"] {
        results_in_edit(&board, &id("flag-account"), &id(event), true)
            .unwrap()
            .apply(&mut board)
            .unwrap();
    }
    assert_eq!(
        publishes(&board, "flag-account").0.as_deref(),
        Some("withdrawal-flagged"),
        "the first linked"
    );
    let found = check(&board);
    let f = found.iter().find(|f| f.code == HazardCode::FS013).unwrap();
    assert!(f.message.contains("several events"), "{}", f.message);
}

#[test]
fn unambiguous_boards_raise_nothing_and_keep_their_events() {
    assert!(unclear(&sample()).is_empty());
    assert_eq!(
        publishes(&sample(), "reserve-stock"),
        (Some("stock-reserved".into()), Some("out-of-stock".into()))
    );
    for name in ["hardened-pos", "fs003-out-of-order", "fs011-dead-end"] {
        assert!(unclear(&fixture(name)).is_empty(), "{name}");
    }
    // Their links say what the words of the notes used to be guessed from.
    let pos = fixture("hardened-pos");
    assert_eq!(
        publishes(&pos, "refund-payment"),
        (
            Some("payment-refunded".into()),
            Some("payment-failed".into())
        )
    );
    assert_eq!(
        publishes(&pos, "cancel-order").0.as_deref(),
        Some("order-cancelled")
    );
}

#[test]
fn flag_account_never_publishes_account_created() {
    // Regression: "Flag account" on the bank board published "Account created", so every large
    // withdrawal created an account, and nothing on the board showed it.
    let mut editor = Editor::new(bank());
    editor
        .set_results_in(&id("flag-account"), &id("withdrawal-flagged"), true)
        .unwrap();
    let run = played(editor.board(), 10_000);
    let flags = run.counters(&id("flag-account")).unwrap().handled;
    assert!(flags > 0, "the policy flags accounts");
    assert_eq!(caused_by(&run, "account-created", "flag-account"), 0);
    assert_eq!(
        caused_by(&run, "withdrawal-flagged", "flag-account") as u64,
        flags
    );
    let opened = run.counters(&id("open-account")).unwrap().handled;
    assert_eq!(
        run.counters(&id("account-created")).unwrap().handled,
        opened
    );
    // The token leaves the aggregate, which publishes the event (the link from the command
    // says which event; it carries no message of its own).
    let along: Vec<&str> = run
        .hops()
        .iter()
        .filter(|h| h.to == id("withdrawal-flagged"))
        .map(|h| h.from.as_str())
        .collect();
    assert!(
        !along.is_empty() && along.iter().all(|&from| from == "account"),
        "{along:?}"
    );
}

#[test]
fn ticking_and_unticking_are_one_undo_step_each() {
    let mut editor = Editor::new(bank());
    let before = editor.board().clone();
    let (cmd, ev) = (id("flag-account"), id("withdrawal-flagged"));
    editor.set_results_in(&cmd, &ev, true).unwrap();
    let ticked = editor.board().clone();
    assert_eq!(ticked.links.len(), before.links.len() + 1);
    assert!(ticked.links.iter().any(|l| l.from == cmd && l.to == ev));
    assert_eq!(
        editor.set_results_in(&cmd, &ev, true),
        Err(EditError::Nothing),
        "ticking twice changes nothing"
    );
    editor.undo();
    assert_eq!(editor.board(), &before, "one undo takes the tick back");
    editor.redo();
    assert_eq!(editor.board(), &ticked);
    editor.set_results_in(&cmd, &ev, false).unwrap();
    assert_eq!(editor.board().links, before.links);
    editor.undo();
    assert_eq!(editor.board(), &ticked, "one undo takes the untick back");
}

#[test]
fn unticking_removes_every_link_between_the_two() {
    let mut board = bank();
    let link = |n: &str| model::Link {
        id: model::LinkId::from(n),
        from: id("withdraw"),
        to: id("money-withdrawn"),
    };
    board.links.push(link("twin"));
    let mut editor = Editor::new(board);
    editor
        .set_results_in(&id("withdraw"), &id("money-withdrawn"), false)
        .unwrap();
    assert!(!editor
        .board()
        .links
        .iter()
        .any(|l| l.from == id("withdraw") && l.to == id("money-withdrawn")));
}

#[test]
fn only_a_command_results_in_an_event() {
    let board = bank();
    let refused = |from: &str, to: &str| results_in_edit(&board, &id(from), &id(to), true);
    assert!(matches!(
        refused("teller", "account-created"),
        Err(EditError::ForbiddenLink(why)) if why.contains("only a command")
    ));
    assert!(matches!(
        refused("withdraw", "account"),
        Err(EditError::ForbiddenLink(why)) if why.contains("domain event")
    ));
    assert_eq!(
        refused("withdraw", "nowhere"),
        Err(EditError::NoSuchNote(id("nowhere")))
    );
}
