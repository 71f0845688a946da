//! Hazard analysis: the static rules FS001–FS012 of DESIGN.md §5, read off a board.
//!
//! The board is indexed once ([`index`]), then each rule walks adjacency lists, so a check is
//! close to linear in the size of the board. Findings speak note ids and note texts; the graph
//! library stays inside this module.
//!
//! Conventions every rule shares:
//! - an event's topic is its `topic` prop, else the id of the aggregate that publishes it (the
//!   first one in board order), else the event's own id ([`route_of_event`]);
//! - its key is its `key` prop, else the declared topic's `key`, else that aggregate's `id_field`
//!   ("id"); events published only by commands or external systems may have no key;
//! - a consumer (policy, read model, external system) counts only when some event feeds it;
//! - an aggregate is one step of the flow: every command it handles may lead to every event it
//!   publishes (the board does not say which command publishes which event).

mod consistency;
mod delivery;
pub mod dynamic;
pub mod finding;
mod flow;
mod index;
mod partitions;

pub use finding::{summary, Finding, FixAction, HazardCode, PropChange, Severity, Source};

use crate::model::{Board, NoteId};
use index::Index;

/// Where an event is published, with DESIGN.md §3 defaults applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRoute {
    /// The topic's name.
    pub topic: String,
    /// The partitioning key, if any.
    pub key: Option<String>,
    /// Partitions of the topic (declared, else 1).
    pub partitions: u32,
    /// The aggregate that publishes the event, if one does.
    pub aggregate: Option<NoteId>,
}

/// Runs every static rule and returns the findings in report order.
pub fn check(board: &Board) -> Vec<Finding> {
    check_rules(board, &HazardCode::ALL)
}

/// Runs the static rules of the given codes only, in report order.
pub fn check_rules(board: &Board, codes: &[HazardCode]) -> Vec<Finding> {
    let ix = Index::new(board);
    let mut out = Vec::new();
    for code in HazardCode::ALL {
        if codes.contains(&code) {
            run_rule(&ix, code, &mut out);
        }
    }
    finding::sort_findings(&mut out);
    out
}

fn run_rule(ix: &Index, code: HazardCode, out: &mut Vec<Finding>) {
    match code {
        HazardCode::FS001 => consistency::stale_read(ix, out),
        HazardCode::FS002 => consistency::dual_write(ix, out),
        HazardCode::FS003 => partitions::out_of_order(ix, out),
        HazardCode::FS004 => delivery::duplicate_effect(ix, out),
        HazardCode::FS005 => flow::event_loop(ix, out),
        HazardCode::FS006 => delivery::lost_on_crash(ix, out),
        HazardCode::FS007 => partitions::idle_consumers(ix, out),
        HazardCode::FS008 => partitions::hot_partition(ix, out),
        HazardCode::FS009 => consistency::uncompensated_failure(ix, out),
        HazardCode::FS010 => consistency::synchronous_chain(ix, out),
        HazardCode::FS011 => flow::dead_end(ix, out),
        HazardCode::FS012 => delivery::poison_message(ix, out),
    }
}

/// The route (topic, key, partitions, emitting aggregate) of an event; `None` if `event` is not
/// an event on the board.
pub fn route_of_event(board: &Board, event: &NoteId) -> Option<EventRoute> {
    let ix = Index::new(board);
    ix.position(event.as_str()).and_then(|i| ix.event_route(i))
}

/// The routes of every event on the board, in board order (one index build for all of them).
pub fn event_routes(board: &Board) -> Vec<(NoteId, EventRoute)> {
    let ix = Index::new(board);
    (0..ix.len()).filter_map(|i| ix.event_route(i).map(|r| (ix.id(i), r))).collect()
}

/// True if any finding is a warning or an error (what makes `flowstorm check` exit 1).
pub fn fails_check(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity.fails_check())
}
