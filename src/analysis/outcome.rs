//! The rule about what commands result in: FS013 (unclear outcome).

use super::{
    finding::{Finding, HazardCode, Severity},
    index::{Index, Ix},
};
use crate::model::{index::Edge, kind::NoteKind};

/// FS013: a command whose board leaves open which event it results in: no "results in" link
/// and an aggregate publishing more than one success (or failure) event, or "results in" links
/// to more than one event of one outcome. The run still picks one by the documented rule
/// ([`crate::model::outcome`]); the finding names the candidates and the pick.
pub(crate) fn unclear_outcome(ix: &Index, out: &mut Vec<Finding>) {
    for command in ix.of_kind(NoteKind::Command) {
        let outcome = ix.outcome(command);
        let Some(open) = outcome.ambiguity() else {
            continue;
        };
        let name = ix.name(command);
        let position = |e: Edge| e.note.index();
        let picked = |edge: Option<Edge>| edge.map(position);
        let mut parts = Vec::new();
        let mut candidates: Vec<Ix> = Vec::new();
        for (list, pick, word) in [
            (&open.successes, picked(outcome.success), "success"),
            (&open.failures, picked(outcome.failure), "failure"),
        ] {
            if list.is_empty() {
                continue;
            }
            let list: Vec<Ix> = list.iter().map(|n| n.index()).collect();
            let first = pick.map(|p| ix.name(p)).unwrap_or_default();
            parts.push(format!(
                "the {word} events {} (a run publishes the first drawn, {first})",
                ix.names(&list)
            ));
            candidates.extend(list);
        }
        let aggregate = outcome.aggregate.map(position);
        let (message, fix) = if open.explicit {
            (
                format!(
                    "{name} results in several events of one outcome: {}; a command publishes one \
                     event each time it runs",
                    parts.join(", and ")
                ),
                format!(
                    "Select {name} and, under Results in, keep one success event and at most one \
                     failure event ticked (or delete the extra links from {name})"
                ),
            )
        } else {
            let by = aggregate.map_or_else(
                || "its links offer".to_string(),
                |a| format!("{} publishes", ix.name(a)),
            );
            (
                format!(
                    "The board does not say which event {name} results in: {by} {}",
                    parts.join(", and ")
                ),
                format!(
                    "Select {name} and tick the event it results in under Results in, or draw a \
                     link from {name} to that event"
                ),
            )
        };
        let notes = std::iter::once(command)
            .chain(aggregate)
            .chain(candidates.iter().copied());
        out.push(Finding::new(
            HazardCode::FS013,
            Severity::Warning,
            ix.ids(notes),
            message,
            fix,
        ));
    }
}
