//! Static hazard rules FS001–FS014: each fires where it must, stays quiet on near misses, and
//! keeps working on boards where other rules fire too.

use flowstorm::{
    analysis::{check, check_rules, route_of_event, Finding, HazardCode, Severity, Source},
    model::{
        self, kind::NoteKind, sample::sample, Board, Document, Edit, Link, LinkId, Note, NoteId,
    },
};
use serde_json::{json, Value};

#[path = "analysis/capacity.rs"]
mod capacity;

fn fixture(name: &str) -> Board {
    let path = format!(
        "{}/tests/fixtures/hazards/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    model::load(&text).unwrap_or_else(|e| panic!("{path} does not load: {:?}", e.problems))
}

fn of(board: &Board, code: HazardCode) -> Vec<Finding> {
    check(board)
        .into_iter()
        .filter(|f| f.code == code)
        .collect()
}

fn ids(f: &Finding) -> Vec<&str> {
    f.notes.iter().map(NoteId::as_str).collect()
}

/// The finding of `code` whose first note is `first`.
fn at<'a>(found: &'a [Finding], first: &str) -> Option<&'a Finding> {
    found
        .iter()
        .find(|f| f.notes.first().map(NoteId::as_str) == Some(first))
}

fn involves(found: &[Finding], note: &str) -> bool {
    found.iter().any(|f| ids(f).contains(&note))
}

fn with_prop(board: &Board, note: &str, name: &str, value: Value) -> Board {
    let mut board = board.clone();
    Edit::SetProp {
        id: note.into(),
        name: name.into(),
        value: Some(value),
        index: None,
    }
    .apply(&mut board)
    .expect("the prop edit applies");
    board
}

fn without_prop(board: &Board, note: &str, name: &str) -> Board {
    let mut board = board.clone();
    Edit::SetProp {
        id: note.into(),
        name: name.into(),
        value: None,
        index: None,
    }
    .apply(&mut board)
    .expect("applies");
    board
}

fn add_link(board: &mut Board, from: &str, to: &str) {
    let id = board.fresh_id("test-link-");
    Edit::AddLink {
        link: Link {
            id: LinkId(id),
            from: from.into(),
            to: to.into(),
        },
        index: None,
    }
    .apply(board)
    .expect("the link is allowed");
}

// FS001 ------------------------------------------------------------------------------------

#[test]
fn fs001_fires_for_readers_of_their_own_writes_and_aggregates_deciding_on_views() {
    let board = fixture("fs001-stale-read");
    let found = of(&board, HazardCode::FS001);
    assert_eq!(found.len(), 3, "{found:#?}");
    let cashier = at(&found, "cashier").expect("the cashier reads its own order");
    assert_eq!(ids(cashier), ["cashier", "order-summary", "order-placed"]);
    assert_eq!(cashier.severity, Severity::Warning);
    assert!(
        cashier
            .message
            .contains("“Cashier” reads “Order summary” right after “Place order”"),
        "{}",
        cashier.message
    );
    assert!(
        cashier
            .message
            .contains("asynchronously from “Order placed”"),
        "{}",
        cashier.message
    );
    let policy =
        at(&found, "award-policy").expect("a policy reads the balance its own command changes");
    assert_eq!(
        ids(policy),
        ["award-policy", "points-balance", "points-awarded"]
    );
    let aggregate = at(&found, "credit").expect("an aggregate decides on a view");
    assert_eq!(ids(aggregate)[..2], ["credit", "credit-view"]);
    // The manager reads the same summary, but its own command never feeds it.
    assert!(at(&found, "manager").is_none());
}

#[test]
fn fs001_version_token_silences_the_reader_but_not_an_aggregate_deciding_on_the_view() {
    let board = fixture("fs001-stale-read");
    let board = with_prop(&board, "order-summary", "version_token", json!(true));
    let board = with_prop(&board, "credit-view", "version_token", json!(true));
    let found = of(&board, HazardCode::FS001);
    assert!(at(&found, "cashier").is_none(), "{found:#?}");
    assert!(
        at(&found, "credit").is_some(),
        "a version token only covers one's own writes"
    );
    assert!(at(&found, "award-policy").is_some());
}

#[test]
fn fs001_offers_three_fixes_and_each_silences_the_reader() {
    let board = fixture("fs001-stale-read");
    let found = of(&board, HazardCode::FS001);
    let cashier = at(&found, "cashier").expect("the cashier reads its own write");
    let labels: Vec<&str> = cashier.fixes().map(|f| f.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Add a version token",
            "Push the change",
            "Listen to yourself"
        ]
    );
    for fix in cashier.fixes() {
        let mut doc = flowstorm::model::Document::new(board.clone());
        doc.apply(flowstorm::model::Edit::Batch(fix.edits()))
            .unwrap();
        let after = of(doc.board(), HazardCode::FS001);
        assert!(at(&after, "cashier").is_none(), "{}: {after:#?}", fix.label);
    }
}

// FS002 ------------------------------------------------------------------------------------

#[test]
fn fs002_fires_for_a_state_stored_aggregate_without_outbox_only() {
    let board = fixture("fs002-dual-write");
    let found = of(&board, HazardCode::FS002);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(ids(&found[0]), ["order", "order-placed"]);
    assert_eq!(found[0].severity, Severity::Warning);
    // Event-sourced (ledger), outbox (basket) and an aggregate that publishes nothing (catalog).
    for quiet in ["ledger", "basket", "catalog"] {
        assert!(!involves(&found, quiet), "{quiet}");
    }
    let sourced = with_prop(&board, "order", "store", json!("event_sourced"));
    assert!(of(&sourced, HazardCode::FS002).is_empty());
}

// FS003 ------------------------------------------------------------------------------------

#[test]
fn fs003_fires_for_split_topics_foreign_keys_and_retry_topics() {
    let board = fixture("fs003-out-of-order");
    let found = of(&board, HazardCode::FS003);
    let balance = at(&found, "balance").expect("one account's events from two topics");
    assert_eq!(
        ids(balance),
        ["balance", "account", "deposited", "withdrawn"]
    );
    assert!(balance.message.contains("2 topics"), "{}", balance.message);
    let tracking = at(&found, "tracking").expect("keyed by customer on 4 partitions");
    assert!(
        tracking.message.contains("\"customerId\"") && tracking.message.contains("\"shipmentId\"")
    );
    let notify: Vec<&Finding> = found
        .iter()
        .filter(|f| f.notes[0].as_str() == "notify")
        .collect();
    assert_eq!(
        notify.len(),
        2,
        "mis-keyed and retried through a topic: {notify:#?}"
    );
    assert!(notify.iter().any(|f| f.message.contains("retry topic")));
    assert!(found.iter().all(|f| f.severity == Severity::Warning));
    // Unordered (audit log) and keyed by the aggregate's id (parcel history) are fine.
    assert!(at(&found, "audit").is_none());
    assert!(at(&found, "parcel-view").is_none());
    assert_eq!(found.len(), 4, "{found:#?}");
}

#[test]
fn fs003_near_misses_one_topic_and_the_aggregate_key() {
    let board = fixture("fs003-out-of-order");
    let board = with_prop(&board, "withdrawn", "topic", json!("accounts"));
    let board = with_prop(&board, "moved", "key", json!("shipmentId"));
    let found = of(&board, HazardCode::FS003);
    assert!(at(&found, "balance").is_none(), "{found:#?}");
    assert!(at(&found, "tracking").is_none(), "{found:#?}");
    assert_eq!(found.len(), 1, "only the retry topic is left: {found:#?}");
}

// FS004 ------------------------------------------------------------------------------------

#[test]
fn fs004_fires_for_non_idempotent_effects_delivered_at_least_once() {
    let board = fixture("fs004-duplicate-effect");
    let found = of(&board, HazardCode::FS004);
    let charge = at(&found, "charge-policy").expect("a policy issuing a command");
    assert_eq!(
        (charge.severity, ids(charge)),
        (Severity::Warning, vec!["charge-policy", "charge"])
    );
    assert!(
        charge.message.contains("issue “Charge card” twice"),
        "{}",
        charge.message
    );
    assert_eq!(
        at(&found, "mailer").map(|f| f.severity),
        Some(Severity::Warning),
        "an external system consuming"
    );
    assert_eq!(
        at(&found, "stats").map(|f| f.severity),
        Some(Severity::Info),
        "a view updated twice"
    );
    // Idempotent, exactly once, idempotent external system, no effect at all.
    for quiet in ["ship-policy", "ledger-policy", "crm", "log-policy"] {
        assert!(at(&found, quiet).is_none(), "{quiet}");
    }
    assert_eq!(found.len(), 3);
}

// FS005 ------------------------------------------------------------------------------------

#[test]
fn fs005_fires_for_an_unguarded_policy_loop_only() {
    let board = fixture("fs005-event-loop");
    let found = of(&board, HazardCode::FS005);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(
        ids(f),
        ["reorder-policy", "order-stock", "stock-agg", "stock-low"]
    );
    assert!(
        f.message
            .contains("“Whenever stock runs low, order more” → “Order stock”"),
        "{}",
        f.message
    );
    // A guarded loop, cycles through a view and an actor or a view read by a policy, and a
    // two-policy loop with one guard are not event loops.
    for quiet in [
        "reprice-policy",
        "manager",
        "targets-view",
        "bonus-policy",
        "guarded-a",
        "unguarded-b",
    ] {
        assert!(!involves(&found, quiet), "{quiet}");
    }
}

#[test]
fn fs005_near_misses_guard_added_and_guard_removed() {
    let board = fixture("fs005-event-loop");
    let guarded = with_prop(
        &board,
        "reorder-policy",
        "guard",
        json!("only below the reorder level"),
    );
    assert!(of(&guarded, HazardCode::FS005).is_empty());
    let blank = with_prop(&board, "reorder-policy", "guard", json!("  "));
    assert_eq!(
        of(&blank, HazardCode::FS005).len(),
        1,
        "a blank guard stops nothing"
    );
    let unguarded = without_prop(&board, "guarded-a", "guard");
    let found = of(&unguarded, HazardCode::FS005);
    assert_eq!(found.len(), 2, "{found:#?}");
    let invoice = found
        .iter()
        .find(|f| ids(f).contains(&"guarded-a"))
        .expect("the invoice loop");
    assert!(ids(invoice).contains(&"unguarded-b") && ids(invoice).contains(&"a-happened"));
}

#[test]
fn fs005_loop_through_a_shared_aggregate_is_only_a_warning() {
    let mut board = fixture("hardened-pos");
    for note in board
        .notes
        .iter_mut()
        .filter(|n| n.kind == NoteKind::Policy)
    {
        note.props.shift_remove("guard");
    }
    let found = of(&board, HazardCode::FS005);
    assert!(!found.is_empty());
    for f in &found {
        assert_eq!(f.severity, Severity::Warning, "{}", f.message);
        assert!(
            f.message
                .contains("handles several commands and publishes several events"),
            "{}",
            f.message
        );
    }
}

// FS006 ------------------------------------------------------------------------------------

#[test]
fn fs006_fires_for_at_most_once_consumers_with_an_effect() {
    let board = fixture("fs006-lost-on-crash");
    let found = of(&board, HazardCode::FS006);
    assert_eq!(
        found
            .iter()
            .map(|f| f.notes[0].as_str())
            .collect::<Vec<_>>(),
        ["invoice-policy", "sales-view"]
    );
    assert!(found.iter().all(|f| f.severity == Severity::Warning));
    assert!(
        !involves(&found, "archive"),
        "at-least-once is not lost on crash"
    );
    // At-most-once consumers are not also reported as duplicating.
    assert!(!involves(&of(&board, HazardCode::FS004), "invoice-policy"));
}

// FS007 ------------------------------------------------------------------------------------

#[test]
fn fs007_fires_when_instances_outnumber_partitions() {
    let board = fixture("fs007-idle-consumers");
    let found = of(&board, HazardCode::FS007);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(ids(&found[0]), ["order-list", "order-placed"]);
    assert_eq!(found[0].severity, Severity::Info);
    assert!(found[0].message.contains("4 instances") && found[0].message.contains("2 partitions"));
    let more = with_prop(&board, "pick-list", "instances", json!(3));
    assert!(at(&of(&more, HazardCode::FS007), "pick-list").is_some());
}

// FS008 ------------------------------------------------------------------------------------

#[test]
fn fs008_fires_for_few_keys_and_keyless_ordered_topics() {
    let board = fixture("fs008-hot-partition");
    let found = of(&board, HazardCode::FS008);
    assert_eq!(found.len(), 2, "{found:#?}");
    let tills = at(&found, "till-opened").expect("8 partitions for 3 tills");
    assert_eq!(ids(tills), ["till-opened", "till"]);
    assert!(tills.message.contains("8 partitions") && tills.message.contains("3 distinct keys"));
    let scans = at(&found, "scanned").expect("keyless and read in order");
    assert_eq!(ids(scans), ["scanned", "scan-view"]);
    // Many keys (baskets), keyless but unordered consumer (door).
    assert!(!involves(&found, "item-added") && !involves(&found, "door-opened"));
    let keyed = with_prop(&board, "scanned", "key", json!("barcode"));
    assert!(at(&of(&keyed, HazardCode::FS008), "scanned").is_none());
}

// FS009 ------------------------------------------------------------------------------------

#[test]
fn fs009_fires_for_a_cross_context_failure_without_compensation() {
    let board = fixture("fs009-uncompensated-failure");
    let found = of(&board, HazardCode::FS009);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        ids(&found[0]),
        ["payment-failed", "order"],
        "the order in the other context is left as it was"
    );
    assert!(
        found[0].message.contains("Orders") && found[0].message.contains("Payments"),
        "{}",
        found[0].message
    );
    assert!(
        !involves(&found, "basket-invalid"),
        "a failure inside one context"
    );
}

#[test]
fn fs009_a_compensating_policy_settles_it() {
    let mut board = fixture("fs009-uncompensated-failure");
    let mut policy = Note::new(
        "cancel-policy",
        NoteKind::Policy,
        "Whenever payment fails, cancel the order",
        0.0,
        0.0,
    );
    policy.props.insert("compensates".into(), json!(true));
    Edit::AddNote {
        note: policy,
        index: None,
    }
    .apply(&mut board)
    .unwrap();
    add_link(&mut board, "payment-failed", "cancel-policy");
    assert!(of(&board, HazardCode::FS009).is_empty());
    // A consumer that does not compensate is not enough.
    let board = with_prop(&board, "cancel-policy", "compensates", json!(false));
    assert_eq!(of(&board, HazardCode::FS009).len(), 1);
}

// FS010 ------------------------------------------------------------------------------------

#[test]
fn fs010_fires_for_chains_across_two_systems_or_contexts() {
    let board = fixture("fs010-synchronous-chain");
    let found = of(&board, HazardCode::FS010);
    let order = at(&found, "place-order").expect("payment and fraud check");
    assert!(
        order.message.contains("0.995 × 0.99 = 98.5%"),
        "{}",
        order.message
    );
    assert!(ids(order).contains(&"payment") && ids(order).contains(&"fraud"));
    let reserve = at(&found, "reserve").expect("a handler in another context and a system");
    assert!(reserve.message.contains("Inventory"), "{}", reserve.message);
    assert!(
        at(&found, "print").is_none(),
        "one synchronous call is fine"
    );
    assert_eq!(found.len(), 2);
}

// FS011 ------------------------------------------------------------------------------------

#[test]
fn fs011_fires_for_loose_ends_and_ignores_hotspot_links() {
    let board = fixture("fs011-dead-end");
    let found = of(&board, HazardCode::FS011);
    let mut got: Vec<(&str, Severity)> = found
        .iter()
        .map(|f| (f.notes[0].as_str(), f.severity))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("loyalty", Severity::Warning),
            ("order-voided", Severity::Info),
            ("refund", Severity::Warning)
        ],
        "{found:#?}"
    );
}

// FS012 ------------------------------------------------------------------------------------

#[test]
fn fs012_fires_for_failing_consumers_without_dead_letter_topic() {
    let board = fixture("fs012-poison-message");
    let found = of(&board, HazardCode::FS012);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(ids(&found[0]), ["tax-policy", "order-placed"]);
    assert!(found[0].message.contains("2.0%"), "{}", found[0].message);
    // With a DLQ (tax report), never failing (sales), failing but fed by nothing (idle policy).
    for quiet in ["tax-view", "sales-view", "idle-policy"] {
        assert!(!involves(&found, quiet), "{quiet}");
    }
}

// Whole boards -----------------------------------------------------------------------------

#[test]
fn the_hardened_point_of_sale_board_has_no_hazard_at_all() {
    let board = fixture("hardened-pos");
    assert!(board.frames.len() >= 3, "several contexts");
    assert!(check(&board).is_empty(), "{:#?}", check(&board));
}

#[test]
fn the_sample_board_shows_the_classic_hazards() {
    let board = sample();
    let found = check(&board);
    let codes = |code| found.iter().filter(move |f: &&Finding| f.code == code);
    let stale: Vec<_> = codes(HazardCode::FS001).collect();
    assert_eq!(stale.len(), 1);
    assert_eq!(ids(stale[0]), ["cashier", "order-summary", "order-placed"]);
    let dual: Vec<&str> = codes(HazardCode::FS002)
        .map(|f| f.notes[0].as_str())
        .collect();
    assert_eq!(dual, ["order", "stock"]);
    let failure: Vec<_> = codes(HazardCode::FS009).collect();
    assert_eq!(failure.len(), 1);
    assert_eq!(failure[0].notes[0].as_str(), "out-of-stock");
    assert!(codes(HazardCode::FS004).any(|f| f.notes[0].as_str() == "reserve-stock-policy"));
    assert_eq!(codes(HazardCode::FS005).count(), 0);
    assert!(found.iter().all(|f| f.source == Source::Static));
}

#[test]
fn every_one_click_fix_removes_its_finding_and_undo_brings_it_back() {
    let mut boards: Vec<Board> = [
        "fs001-stale-read",
        "fs002-dual-write",
        "fs003-out-of-order",
        "fs004-duplicate-effect",
        "fs006-lost-on-crash",
        "fs007-idle-consumers",
        "fs012-poison-message",
        "fs014-falling-behind",
    ]
    .iter()
    .map(|n| fixture(n))
    .collect();
    boards.push(sample());
    let mut tried = std::collections::BTreeSet::new();
    for board in boards {
        let before = check(&board);
        for finding in before.iter().filter(|f| f.fix_action.is_some()) {
            let action = finding.fix_action.as_ref().unwrap();
            let mut doc = Document::new(board.clone());
            doc.apply(Edit::Batch(action.edits()))
                .expect("the fix applies");
            let after = check(doc.board());
            assert!(
                !after.contains(finding),
                "{} still there after “{}”",
                finding.message,
                action.label
            );
            assert!(
                !after
                    .iter()
                    .any(|f| f.code == finding.code && f.notes == finding.notes),
                "{}: {after:#?}",
                action.label
            );
            assert!(doc.undo());
            assert_eq!(check(doc.board()), before, "undo brings every finding back");
            tried.insert(finding.code);
        }
    }
    let expected = [
        HazardCode::FS001,
        HazardCode::FS002,
        HazardCode::FS003,
        HazardCode::FS004,
        HazardCode::FS006,
        HazardCode::FS007,
        HazardCode::FS012,
        HazardCode::FS014,
    ];
    assert_eq!(tried.into_iter().collect::<Vec<_>>(), expected);
}

#[test]
fn findings_are_deterministic_and_in_report_order() {
    for board in [
        sample(),
        fixture("fs005-event-loop"),
        fixture("fs003-out-of-order"),
    ] {
        let first = check(&board);
        assert_eq!(first, check(&board));
        assert_eq!(
            serde_json::to_string(&first).unwrap(),
            serde_json::to_string(&check(&board)).unwrap()
        );
        for pair in first.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!(a.severity >= b.severity, "errors first");
            if a.severity == b.severity {
                assert!(a.code <= b.code);
                if a.code == b.code {
                    assert!(a.notes.first() <= b.notes.first());
                }
            }
        }
    }
    assert_eq!(
        check(&fixture("fs005-event-loop"))[0].severity,
        Severity::Error
    );
}

#[test]
fn findings_serialise_with_the_documented_fields() {
    let found = check(&sample());
    let value = serde_json::to_value(&found).unwrap();
    let first = &value[0];
    assert_eq!(first["code"], "FS001");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["source"], "static");
    assert_eq!(
        first["notes"],
        json!(["cashier", "order-summary", "order-placed"])
    );
    assert!(first["message"]
        .as_str()
        .is_some_and(|m| m.contains("Cashier")));
    assert!(first["fix"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(
        first["fix_action"]["changes"][0],
        json!({"note": "order-summary", "name": "version_token", "value": true})
    );
}

#[test]
fn rules_can_run_one_at_a_time() {
    let board = sample();
    let only = check_rules(&board, &[HazardCode::FS002]);
    assert_eq!(only.len(), 2);
    assert!(only.iter().all(|f| f.code == HazardCode::FS002));
    assert!(check_rules(&board, &[]).is_empty());
}

#[test]
fn event_routes_follow_the_design_defaults() {
    let board = sample();
    let placed = route_of_event(&board, &"order-placed".into()).unwrap();
    assert_eq!(
        (
            placed.topic.as_str(),
            placed.key.as_deref(),
            placed.partitions
        ),
        ("orders", Some("orderId"), 3)
    );
    let reserved = route_of_event(&board, &"stock-reserved".into()).unwrap();
    assert_eq!(
        reserved.key.as_deref(),
        Some("orderId"),
        "the declared topic's key"
    );
    assert_eq!(reserved.aggregate, Some("stock".into()));
    let board = without_prop(&board, "order-placed", "topic");
    let board = without_prop(&board, "order-placed", "key");
    let placed = route_of_event(&board, &"order-placed".into()).unwrap();
    assert_eq!(
        (
            placed.topic.as_str(),
            placed.key.as_deref(),
            placed.partitions
        ),
        ("order", Some("orderId"), 1)
    );
    assert_eq!(route_of_event(&board, &"cashier".into()), None);
    assert_eq!(route_of_event(&board, &"ghost".into()), None);
}

#[test]
fn odd_boards_never_panic() {
    assert!(check(&Board::default()).is_empty());
    // Built in code, so nothing was validated: self-links, dangling ends, duplicate ids and
    // links, missing frames, ill-typed props, links the table forbids.
    let mut board = Board::default();
    let mut agg = Note::new("a", NoteKind::Aggregate, "", 0.0, 0.0);
    agg.frame = Some("nowhere".into());
    agg.props.insert("outbox".into(), json!("yes"));
    agg.props.insert("id_field".into(), json!(7));
    let mut policy = Note::new("p", NoteKind::Policy, "\n", 0.0, 0.0);
    policy.props.insert("instances".into(), json!(-3));
    policy.props.insert("failure_rate".into(), json!(7.5));
    policy.frame = Some("elsewhere".into());
    let mut event = Note::new("e", NoteKind::Event, "E", 0.0, 0.0);
    event.props.insert("failure".into(), json!(true));
    event.props.insert("topic".into(), json!(""));
    board.notes = vec![
        agg,
        event,
        policy,
        Note::new("c", NoteKind::Command, "C", 0.0, 0.0),
        Note::new("e", NoteKind::Event, "duplicate", 0.0, 0.0),
        Note::new("x", NoteKind::ExternalSystem, "X", 0.0, 0.0),
    ];
    let links = [
        ("a", "a"),
        ("a", "e"),
        ("a", "e"),
        ("e", "p"),
        ("p", "c"),
        ("c", "a"),
        ("c", "ghost"),
        ("e", "e"),
        ("e", "c"),
        ("x", "x"),
        ("c", "x"),
        ("a", "x"),
        ("x", "e"),
    ];
    board.links = links
        .iter()
        .enumerate()
        .map(|(i, (f, t))| Link {
            id: LinkId(format!("l{i}")),
            from: (*f).into(),
            to: (*t).into(),
        })
        .collect();
    board.topics = vec![model::Topic {
        name: "a".into(),
        partitions: 0,
        key: Some(String::new()),
        retention_ms: None,
    }];
    let found = check(&board);
    assert_eq!(found, check(&board));
    assert!(
        found.iter().any(|f| f.code == HazardCode::FS005),
        "the loop a → e → p → c → a: {found:#?}"
    );
}
