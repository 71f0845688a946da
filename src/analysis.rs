//! Hazard analysis: the static rules FS001–FS014 of docs/HAZARDS.md, read off a board.
//!
//! The board is indexed once ([`index`]), then each rule walks adjacency lists, so a check is
//! close to linear in the size of the board. Findings speak note ids and note texts; the graph
//! library stays inside this module.
//!
//! Conventions every rule shares:
//! - links and event routes (topic, key, partitions, emitting aggregate) are the model's
//!   ([`crate::model::index`]), the same the run uses;
//! - a consumer (policy, read model, external system) counts only when some event feeds it;
//! - an aggregate is one step of the flow: every command it handles may lead to every event it
//!   publishes (a rule that follows flows stays on the safe side even where a command's
//!   "results in" links say which event it publishes; FS013 reads those links,
//!   [`crate::model::outcome`]).

mod capacity;
mod consistency;
mod delivery;
pub mod dynamic;
pub mod finding;
mod flow;
mod index;
mod outcome;
mod partitions;
mod rates;

pub use finding::{summary, Finding, FixAction, HazardCode, PropChange, Severity, Source};

pub use crate::model::index::{route_of_event, EventRoute};

use crate::model::Board;
use index::Index;

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
        HazardCode::FS013 => outcome::unclear_outcome(ix, out),
        HazardCode::FS014 => capacity::falling_behind(ix, out),
    }
}

/// True if any finding is a warning or an error (what makes `flowstorm check` exit 1).
pub fn fails_check(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity.fails_check())
}
