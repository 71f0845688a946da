//! Compare mode: one point-of-sale domain built two ways, a synchronous request chain
//! (API → Inventory → Payment → Logistics) and events on a topic, run under the same load,
//! seed and Logistics fault, to show a cascade on one side and buffered lag on the other.

use super::{Diagnostic, ExecEventKind, Fault, FaultError, Run, RunConfig};
use crate::model::{Board, Link, LinkId, Note, NoteId, NoteKind, Scenario, Topic};
use serde_json::json;
use std::fmt;

/// What goes wrong with Logistics during the comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareFault {
    /// Logistics answers 800 ms later than usual.
    LogisticsSlow,
    /// Logistics does not answer at all.
    LogisticsDown,
}

/// The settings shared by both sides.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CompareSettings {
    /// Orders placed per second.
    pub orders_per_s: f64,
    /// The fault, from [`FAULT_START_MS`] for [`FAULT_MS`].
    pub fault: CompareFault,
    /// Consumers in the event side's Logistics group (1 to the topic's partitions).
    pub logistics_consumers: u32,
    /// Seed of both runs.
    pub seed: u64,
}

impl Default for CompareSettings {
    fn default() -> Self {
        CompareSettings {
            orders_per_s: 5.0,
            fault: CompareFault::LogisticsDown,
            logistics_consumers: 1,
            seed: 42,
        }
    }
}

/// How long both sides run (ms).
pub const DURATION_MS: u64 = 20_000;
/// When the fault starts (ms).
pub const FAULT_START_MS: u64 = 4_000;
/// How long the fault lasts (ms).
pub const FAULT_MS: u64 = 6_000;
/// Partitions of the event side's orders topic.
pub const PARTITIONS: u32 = 6;
/// Width of a chart bucket (ms).
pub const BUCKET_MS: u64 = 500;

/// What one side did.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SideResult {
    /// Orders the customer saw accepted.
    pub accepted: u64,
    /// Orders the customer saw fail.
    pub failed: u64,
    /// Per bucket: failed orders (request side) or Logistics lag in messages (event side).
    pub series: Vec<u64>,
    /// Largest value of the series.
    pub peak: u64,
    /// Orders Logistics has shipped by the end.
    pub shipped: u64,
    /// The longest a customer waited for an answer to an order (ms).
    pub worst_wait_ms: u64,
}

/// The longest time between an order being placed and its answer (handled or rejected).
fn worst_wait(run: &Run) -> u64 {
    let mut placed = std::collections::HashMap::new();
    let mut worst = 0;
    for e in run.events() {
        let Some(m) = e.message else { continue };
        match e.kind {
            ExecEventKind::CommandIssued if e.note.as_str() == "place-order" => {
                placed.insert(m, e.at);
            }
            ExecEventKind::CommandHandled | ExecEventKind::CommandRejected { .. } => {
                if let Some(at) = placed.remove(&m) {
                    worst = worst.max(e.at - at);
                }
            }
            _ => {}
        }
    }
    worst
}

/// Why a comparison could not run (a bug in the boards above, never the user's input).
#[derive(Clone, Debug, PartialEq)]
pub enum CompareError {
    /// A board did not compile.
    Board(Vec<Diagnostic>),
    /// The fault was refused.
    Fault(FaultError),
}

impl fmt::Display for CompareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompareError::Board(d) => {
                write!(f, "the comparison board cannot run: ")?;
                for (i, d) in d.iter().enumerate() {
                    write!(f, "{}{d}", if i > 0 { "; " } else { "" })?;
                }
                Ok(())
            }
            CompareError::Fault(e) => write!(f, "the comparison's fault was refused: {e}"),
        }
    }
}

/// Both sides, under the same load and fault.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The synchronous request chain.
    pub request: SideResult,
    /// The event-based flow.
    pub event: SideResult,
}

fn note(id: &str, kind: NoteKind, text: &str, x: f64, y: f64, props: serde_json::Value) -> Note {
    let mut n = Note::new(id, kind, text, x, y);
    if let serde_json::Value::Object(map) = props {
        n.props = map;
    }
    n
}

fn links(board: &mut Board, pairs: &[(&str, &str)]) {
    for (i, (from, to)) in pairs.iter().enumerate() {
        board.links.push(Link {
            id: LinkId(format!("l{i}")),
            from: NoteId::from(*from),
            to: NoteId::from(*to),
        });
    }
}

fn customer(s: &CompareSettings) -> Note {
    note(
        "customer",
        NoteKind::Actor,
        "Customer",
        0.0,
        40.0,
        json!({"rate": s.orders_per_s, "entities": 500}),
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
            json!({"latency_ms": 20, "availability": 1.0}),
        ),
        note(
            "payment",
            NoteKind::ExternalSystem,
            "Payment",
            540.0,
            220.0,
            json!({"latency_ms": 40, "availability": 1.0}),
        ),
        note(
            "logistics",
            NoteKind::ExternalSystem,
            "Logistics",
            780.0,
            220.0,
            json!({"latency_ms": 30, "availability": 1.0}),
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
    let consumer = |instances: u32| json!({"instances": instances, "processing_ms": 2, "idempotent": true, "retries": 1000, "retry": "blocking", "dlq": true});
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
            json!({"latency_ms": 20, "availability": 1.0}),
        ),
        note(
            "payment",
            NoteKind::ExternalSystem,
            "Payment",
            1000.0,
            140.0,
            json!({"latency_ms": 40, "availability": 1.0}),
        ),
        note(
            "logistics",
            NoteKind::ExternalSystem,
            "Logistics",
            1000.0,
            280.0,
            json!({"latency_ms": 30, "availability": 1.0}),
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

fn fault(s: &CompareSettings) -> Fault {
    let note = NoteId::from("logistics");
    match s.fault {
        CompareFault::LogisticsSlow => Fault::SlowSystem {
            note,
            extra_ms: 800,
            for_ms: Some(FAULT_MS),
        },
        CompareFault::LogisticsDown => Fault::SystemDown {
            note,
            for_ms: Some(FAULT_MS),
        },
    }
}

fn buckets() -> usize {
    (DURATION_MS / BUCKET_MS) as usize
}

fn start(board: &Board, s: &CompareSettings) -> Result<Run, CompareError> {
    let mut config = RunConfig::for_board(board);
    config.seed = s.seed;
    let mut run = Run::new(board, config).map_err(CompareError::Board)?;
    run.schedule_fault(FAULT_START_MS, fault(s))
        .map_err(CompareError::Fault)?;
    run.step_until(DURATION_MS);
    Ok(run)
}

fn request_side(s: &CompareSettings) -> Result<SideResult, CompareError> {
    let run = start(&request_board(s), s)?;
    let command = NoteId::from("place-order");
    let mut series = vec![0u64; buckets()];
    let mut failed = 0;
    for e in run.events() {
        if e.note == command && matches!(e.kind, ExecEventKind::CommandRejected { .. }) {
            failed += 1;
            if let Some(slot) = series.get_mut((e.at / BUCKET_MS) as usize) {
                *slot += 1;
            }
        }
    }
    let placed = run
        .counters(&NoteId::from("customer"))
        .map_or(0, |c| c.handled);
    let shipped = run
        .counters(&NoteId::from("logistics"))
        .map_or(0, |c| c.handled);
    Ok(SideResult {
        accepted: placed.saturating_sub(failed),
        failed,
        peak: series.iter().copied().max().unwrap_or(0),
        series,
        shipped,
        worst_wait_ms: worst_wait(&run),
    })
}

fn event_side(s: &CompareSettings) -> Result<SideResult, CompareError> {
    let run = start(&event_board(s), s)?;
    let ship = NoteId::from("ship");
    let mut series = vec![0u64; buckets()];
    for sample in run.lag_series(&ship) {
        if let Some(slot) = series.get_mut((sample.at / BUCKET_MS) as usize) {
            *slot = (*slot).max(sample.lag);
        }
    }
    let published = run
        .counters(&NoteId::from("order-placed"))
        .map_or(0, |c| c.handled);
    let failed = run
        .counters(&NoteId::from("place-order"))
        .map_or(0, |c| c.failed);
    let shipped = run
        .counters(&NoteId::from("logistics"))
        .map_or(0, |c| c.handled);
    Ok(SideResult {
        accepted: published,
        failed,
        peak: series.iter().copied().max().unwrap_or(0),
        series,
        shipped,
        worst_wait_ms: worst_wait(&run),
    })
}

/// Runs both sides under the same settings.
pub fn compare(s: &CompareSettings) -> Result<Comparison, CompareError> {
    Ok(Comparison {
        request: request_side(s)?,
        event: event_side(s)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sum of a series over the fault, and the call timeout after it (calls made just
    /// before the end fail a timeout later).
    fn during(series: &[u64]) -> u64 {
        let timeout = RunConfig::default().call_timeout_ms;
        let (a, b) = (
            (FAULT_START_MS / BUCKET_MS) as usize,
            ((FAULT_START_MS + FAULT_MS + timeout) / BUCKET_MS) as usize,
        );
        series[a..=b].iter().sum()
    }

    #[test]
    fn both_boards_are_valid_and_hazard_checked() {
        let s = CompareSettings::default();
        for board in [request_board(&s), event_board(&s)] {
            let text = crate::model::save(&board);
            assert_eq!(crate::model::load(&text).expect("a valid board"), board);
        }
    }

    #[test]
    fn logistics_down_cascades_to_the_customer_only_in_the_request_chain() {
        let c = compare(&CompareSettings::default()).unwrap();
        assert!(
            c.request.failed > 15,
            "orders fail while Logistics is down: {:?}",
            c.request
        );
        assert!(
            during(&c.request.series) == c.request.failed,
            "and only then"
        );
        assert_eq!(c.event.failed, 0, "the event side takes every order");
        assert_eq!(
            c.request.accepted + c.request.failed,
            c.event.accepted,
            "the same orders on both sides"
        );
        assert_eq!(
            c.request.shipped, c.request.accepted,
            "the chain ships what it accepted"
        );
        assert!(
            c.event.peak > 15,
            "the event side buffers the work as lag: {:?}",
            c.event.series
        );
        assert!(
            *c.event.series.last().unwrap() <= 2,
            "and catches up after: {:?}",
            c.event.series
        );
        assert!(
            c.event.shipped + 5 >= c.event.accepted,
            "every order is shipped in the end"
        );
    }

    #[test]
    fn a_slow_logistics_slows_everything_in_the_chain_but_only_lags_the_events() {
        let s = CompareSettings {
            fault: CompareFault::LogisticsSlow,
            ..CompareSettings::default()
        };
        let c = compare(&s).unwrap();
        assert_eq!(c.request.failed, 0, "slow is not down: {:?}", c.request);
        assert!(
            c.request.worst_wait_ms >= 800,
            "the customer waits for Logistics: {:?}",
            c.request
        );
        assert!(
            c.event.worst_wait_ms < 100,
            "not on the event side: {:?}",
            c.event
        );
        assert_eq!(c.event.failed, 0);
        assert!(
            c.event.peak > 15,
            "one slow consumer falls behind: {:?}",
            c.event.series
        );
    }

    #[test]
    fn more_logistics_consumers_clear_the_lag_sooner() {
        let one = compare(&CompareSettings {
            fault: CompareFault::LogisticsSlow,
            ..CompareSettings::default()
        })
        .unwrap();
        let six = compare(&CompareSettings {
            fault: CompareFault::LogisticsSlow,
            logistics_consumers: 6,
            ..CompareSettings::default()
        })
        .unwrap();
        assert!(
            six.event.peak * 3 < one.event.peak,
            "six consumers: peak {} vs {}",
            six.event.peak,
            one.event.peak
        );
    }

    #[test]
    fn the_same_settings_give_the_same_comparison() {
        let s = CompareSettings::default();
        assert_eq!(compare(&s).unwrap(), compare(&s).unwrap());
    }
}
