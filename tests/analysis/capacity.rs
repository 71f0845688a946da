//! FS014 (falling behind): a consumer offered more messages per second than its instances can
//! process, estimated from the producers' rates along the flow; quiet when it keeps up or when
//! the board leaves the rate unknown.

use super::{add_link, at, check, fixture, ids, of, with_prop, without_prop};
use flowstorm::{
    analysis::{HazardCode, Severity},
    model::{kind::NoteKind, sample::sample, Board, Document, Edit, Note},
};
use serde_json::json;

/// Web shop (50/s) → Place order → Order → Order placed (6 partitions) → Logistics (one
/// instance, 100 ms per message) and Order list (defaults).
fn shop() -> Board {
    fixture("fs014-falling-behind")
}

fn falling_behind(board: &Board) -> Vec<flowstorm::analysis::Finding> {
    of(board, HazardCode::FS014)
}

#[test]
fn fs014_fires_when_the_rate_offered_is_above_what_the_group_processes() {
    let found = falling_behind(&shop());
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(ids(f), ["logistics", "order-placed"]);
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        f.message,
        "“Logistics” is offered 50 messages/s (“Order placed”) but can process only 10/s (1 instance; \
         100 ms per message): its lag grows by 40 messages every second for as long as the \
         producers keep their pace"
    );
    assert!(
        f.fix.starts_with(
            "Run 6 instances of “Logistics” (topic \"orders\" has 6 partitions), or make \
             “Logistics” faster (at most 20 ms per message with 1 instance"
        ),
        "{}",
        f.fix
    );
    let action = f.fix_action.as_ref().expect("instances fit the partitions");
    assert_eq!(action.label, "Run 6 instances");
    assert_eq!(action.changes.len(), 1);
    assert_eq!(action.changes[0].name, "instances");
    assert_eq!(action.changes[0].value, json!(6));
    // Order list reads the same 50/s at 5 ms a message: 200/s, it keeps up.
    assert!(at(&found, "order-list").is_none());
}

#[test]
fn fs014_is_quiet_when_instances_or_speed_suffice() {
    for (name, value) in [("instances", json!(6)), ("processing_ms", json!(20))] {
        let board = with_prop(&shop(), "logistics", name, value.clone());
        assert!(falling_behind(&board).is_empty(), "{name} = {value}");
    }
    // Three instances read two partitions each: 30 messages a second.
    let board = with_prop(&shop(), "logistics", "instances", json!(3));
    let board = with_prop(&board, "web-shop", "rate", json!(30));
    assert!(falling_behind(&board).is_empty());
}

#[test]
fn fs014_counts_the_busiest_instance_when_partitions_do_not_divide_evenly() {
    // Five instances on six partitions: one reads two, and the group works at its pace.
    let board = with_prop(&shop(), "logistics", "instances", json!(5));
    let found = falling_behind(&board);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].message.contains(
            "can process only 30/s (5 instances, the busiest reading 2 of the 6 partitions; 100 ms \
             per message)"
        ),
        "{}",
        found[0].message
    );
    assert_eq!(
        found[0].fix_action.as_ref().unwrap().label,
        "Run 6 instances"
    );
    // With ten partitions, five instances read two each: exactly the 50 a second offered.
    let mut board = shop();
    board.topics[0].partitions = 10;
    let found = falling_behind(&board);
    assert_eq!(
        found[0].fix_action.as_ref().unwrap().label,
        "Run 5 instances"
    );
}

#[test]
fn fs014_is_quiet_when_the_board_leaves_the_rate_unknown() {
    // A run would assume one command a second, which 2 s per message cannot follow; the board
    // does not say how busy the web shop is, so the check does not guess.
    let board = without_prop(&shop(), "web-shop", "rate");
    let board = with_prop(&board, "logistics", "processing_ms", json!(2_000));
    assert!(falling_behind(&board).is_empty(), "{:#?}", check(&board));
    // A consumer nothing produces for is never offered anything.
    let mut lonely = shop();
    lonely.links.retain(|l| l.id.0 != "l1");
    assert!(falling_behind(&lonely).is_empty());
}

#[test]
fn fs014_counts_a_known_rate_as_a_lower_bound_when_another_is_unknown() {
    let mut board = shop();
    board
        .notes
        .push(Note::new("clerk", NoteKind::Actor, "Clerk", 20.0, 200.0));
    add_link(&mut board, "clerk", "place-order");
    let found = falling_behind(&board);
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .message
            .contains("is offered at least 50 messages/s"),
        "{}",
        found[0].message
    );
}

#[test]
fn fs014_asks_for_partitions_when_instances_alone_cannot_help() {
    let mut board = with_prop(&shop(), "logistics", "instances", json!(4));
    board.topics[0].partitions = 2;
    let found = falling_behind(&board);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert!(
        f.message.contains(
            "can process only 20/s (2 of its 4 instances at work, as topic \"orders\" has 2 partitions; \
             100 ms per message)"
        ),
        "{}",
        f.message
    );
    assert!(
        f.fix.starts_with(
            "Give \"orders\" at least 5 partitions in all (now 2) and run 5 instances of “Logistics”"
        ),
        "{}",
        f.fix
    );
    assert!(
        f.fix_action.is_none(),
        "partitions are not a prop of a note"
    );
}

#[test]
fn fs014_adds_the_latency_of_synchronous_calls_to_the_work() {
    let mut board = with_prop(&shop(), "logistics", "processing_ms", json!(10));
    board.notes.push(Note::new(
        "carrier",
        NoteKind::ExternalSystem,
        "Carrier",
        920.0,
        210.0,
    ));
    add_link(&mut board, "logistics", "carrier");
    // 10 ms + 10 ms: 50 messages/s, exactly the rate offered.
    let keeps_up = with_prop(&board, "carrier", "latency_ms", json!(10));
    assert!(falling_behind(&keeps_up).is_empty());
    // The default latency (50 ms) makes 60 ms a message: 16.7/s.
    let found = falling_behind(&board);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]
            .message
            .contains("(1 instance; 60 ms per message: 10 ms processing, 50 ms calling “Carrier”)"),
        "{}",
        found[0].message
    );
    assert_eq!(
        found[0].fix_action.as_ref().unwrap().changes[0].value,
        json!(3)
    );
}

#[test]
fn fs014_follows_the_rate_through_policies_and_external_systems() {
    // Shipments reads what Logistics issues: 50/s once Logistics keeps up, too many for 30 ms.
    let board = with_prop(&shop(), "logistics", "instances", json!(6));
    let board = with_prop(&board, "shipments", "processing_ms", json!(30));
    let found = falling_behind(&board);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(ids(&found[0]), ["shipments", "shipment-booked"]);
    // An external system consuming also spends its own latency on each message.
    let mut board = shop();
    let logistics = board.note_mut(&"logistics".into()).unwrap();
    logistics.kind = NoteKind::ExternalSystem;
    logistics.props.insert("processing_ms".into(), json!(1));
    logistics.props.insert("instances".into(), json!(2));
    board.links.retain(|l| l.id.0 != "l5");
    let found = falling_behind(&board);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]
            .message
            .contains("51 ms per message: 1 ms processing, 50 ms its own latency"),
        "{}",
        found[0].message
    );
}

#[test]
fn fs014_one_click_fix_sets_the_instances_and_undo_restores_them() {
    let board = shop();
    let f = falling_behind(&board).remove(0);
    let mut doc = Document::new(board.clone());
    doc.apply(Edit::Batch(f.fix_action.unwrap().edits()))
        .expect("the fix applies");
    assert!(falling_behind(doc.board()).is_empty());
    assert!(doc.undo());
    assert_eq!(check(doc.board()), check(&board));
}

#[test]
fn no_fixture_falls_behind_but_the_one_that_shows_it() {
    let dir = format!("{}/tests/fixtures/hazards", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_string))
        .collect();
    names.sort();
    assert!(names.len() >= 14, "{names:?}");
    for name in names {
        let found = falling_behind(&fixture(&name));
        let expected = usize::from(name == "fs014-falling-behind");
        assert_eq!(found.len(), expected, "{name}: {found:#?}");
    }
    assert!(falling_behind(&sample()).is_empty());
}
