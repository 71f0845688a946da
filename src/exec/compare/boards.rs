//! The two boards of the comparison: the point-of-sale domain as a synchronous request chain
//! and as events on a topic, with the same customer, the same command and the same systems.

use super::{CompareSettings, DURATION_MS, PARTITIONS};
use crate::model::{Board, Link, LinkId, Note, NoteId, NoteKind, Scenario, Topic};
use serde_json::json;

/// Inventory's time to answer a call (ms), the same on both sides.
const INVENTORY_MS: u64 = 20;
/// Payment's time to answer a call (ms), the same on both sides.
const PAYMENT_MS: u64 = 40;
/// A consumer's own work per message before it calls its system (ms).
const CONSUMER_MS: u64 = 2;
/// Distinct orders (keys) the customer places orders for.
const ORDER_KEYS: u32 = 500;

/// A note with its props.
fn note(id: &str, kind: NoteKind, text: &str, x: f64, y: f64, props: serde_json::Value) -> Note {
    let mut n = Note::new(id, kind, text, x, y);
    if let serde_json::Value::Object(map) = props {
        n.props = map;
    }
    n
}

/// Links the pairs in order, ids `l0`, `l1`, …
fn links(board: &mut Board, pairs: &[(&str, &str)]) {
    for (i, (from, to)) in pairs.iter().enumerate() {
        board.links.push(Link {
            id: LinkId(format!("l{i}")),
            from: NoteId::from(*from),
            to: NoteId::from(*to),
        });
    }
}

/// The customer, placing the same orders on both sides.
fn customer(s: &CompareSettings) -> Note {
    note(
        "customer",
        NoteKind::Actor,
        "Customer",
        0.0,
        40.0,
        json!({"rate": s.orders_per_s, "entities": ORDER_KEYS}),
    )
}

/// The customer's command, the same on both sides.
fn place_order() -> Note {
    note(
        "place-order",
        NoteKind::Command,
        "Place order",
        140.0,
        40.0,
        json!({}),
    )
}

/// An empty board for one side, named, with the shared scenario.
fn side(name: &str, s: &CompareSettings) -> Board {
    Board {
        name: Some(name.into()),
        scenario: Some(Scenario {
            seed: s.seed,
            duration_ms: DURATION_MS,
            faults: Vec::new(),
        }),
        ..Board::default()
    }
}

/// The request-based side: the order API calls Inventory, Payment and Logistics in turn, and
/// the customer waits for all three.
pub fn request_board(s: &CompareSettings) -> Board {
    let mut b = side("Request-based", s);
    b.notes = vec![
        customer(s),
        place_order(),
        note(
            "order-api",
            NoteKind::Aggregate,
            "Order API",
            300.0,
            20.0,
            json!({"store": "event_sourced"}),
        ),
        note(
            "order-placed",
            NoteKind::Event,
            "Order placed",
            520.0,
            40.0,
            json!({}),
        ),
        note(
            "inventory",
            NoteKind::ExternalSystem,
            "Inventory",
            300.0,
            220.0,
            json!({"latency_ms": INVENTORY_MS, "availability": 1.0}),
        ),
        note(
            "payment",
            NoteKind::ExternalSystem,
            "Payment",
            540.0,
            220.0,
            json!({"latency_ms": PAYMENT_MS, "availability": 1.0}),
        ),
        note(
            "logistics",
            NoteKind::ExternalSystem,
            "Logistics",
            780.0,
            220.0,
            json!({"latency_ms": s.logistics_ms, "availability": 1.0}),
        ),
    ];
    links(
        &mut b,
        &[
            ("customer", "place-order"),
            ("place-order", "order-api"),
            ("order-api", "order-placed"),
            ("order-api", "inventory"),
            ("order-api", "payment"),
            ("order-api", "logistics"),
        ],
    );
    b
}

/// The event-based side: the order service records the order and publishes it; Inventory,
/// Payment and Logistics consume it, each in its own group, and retry while a system is out.
pub fn event_board(s: &CompareSettings) -> Board {
    // Idempotent consumers that keep retrying in place while their system is out.
    let consumer = |instances: u32| json!({"instances": instances, "processing_ms": CONSUMER_MS, "idempotent": true, "retries": 1000, "retry": "blocking", "dlq": true});
    let mut b = side("Event-based", s);
    b.topics = vec![Topic {
        name: "orders".into(),
        partitions: PARTITIONS,
        key: Some("orderId".into()),
        retention_ms: None,
    }];
    let reserve = note(
        "reserve",
        NoteKind::Policy,
        "Reserve stock",
        760.0,
        0.0,
        consumer(1),
    );
    let charge = note(
        "charge",
        NoteKind::Policy,
        "Take payment",
        760.0,
        140.0,
        consumer(1),
    );
    let ship = note(
        "ship",
        NoteKind::Policy,
        "Ship order",
        760.0,
        280.0,
        consumer(s.logistics_consumers.clamp(1, PARTITIONS)),
    );
    b.notes = vec![
        customer(s),
        place_order(),
        note(
            "order",
            NoteKind::Aggregate,
            "Order",
            300.0,
            20.0,
            json!({"id_field": "orderId", "outbox": true}),
        ),
        note(
            "order-placed",
            NoteKind::Event,
            "Order placed",
            520.0,
            40.0,
            json!({"topic": "orders", "key": "orderId"}),
        ),
        reserve,
        charge,
        ship,
        note(
            "inventory",
            NoteKind::ExternalSystem,
            "Inventory",
            1000.0,
            0.0,
            json!({"latency_ms": INVENTORY_MS, "availability": 1.0}),
        ),
        note(
            "payment",
            NoteKind::ExternalSystem,
            "Payment",
            1000.0,
            140.0,
            json!({"latency_ms": PAYMENT_MS, "availability": 1.0}),
        ),
        note(
            "logistics",
            NoteKind::ExternalSystem,
            "Logistics",
            1000.0,
            280.0,
            json!({"latency_ms": s.logistics_ms, "availability": 1.0}),
        ),
    ];
    links(
        &mut b,
        &[
            ("customer", "place-order"),
            ("place-order", "order"),
            ("order", "order-placed"),
            ("order-placed", "reserve"),
            ("order-placed", "charge"),
            ("order-placed", "ship"),
            ("reserve", "inventory"),
            ("charge", "payment"),
            ("ship", "logistics"),
        ],
    );
    b
}
