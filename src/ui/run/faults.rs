//! The faults that apply to a note, as the Run tab offers them (made now) and the Story tab
//! (scheduled in the scenario, or made by a step).

use crate::{
    analysis::route_of_event,
    exec::Fault,
    model::{Board, NoteId, NoteKind, ResetTo},
};

/// A fault offered for a note: its control's name, its words and the fault itself.
pub struct FaultChoice {
    /// The control's `data-action`.
    pub action: &'static str,
    /// What it does, in words.
    pub label: &'static str,
    /// The fault.
    pub fault: Fault,
}

/// The faults that apply to the note `id` (none to a note no fault applies to).
pub fn faults_for(board: &Board, id: &NoteId) -> Vec<FaultChoice> {
    let Some(kind) = board.note(id).map(|n| n.kind) else {
        return Vec::new();
    };
    let note = || id.clone();
    let choice = |action, label, fault| FaultChoice {
        action,
        label,
        fault,
    };
    // A consumer group exists for a note that some event feeds.
    let is_group = kind.is_consumer()
        && board.links.iter().any(|l| {
            &l.to == id
                && board
                    .note(&l.from)
                    .is_some_and(|n| n.kind == NoteKind::Event)
        });
    let mut out = Vec::new();
    if is_group {
        out.push(choice(
            "fault-crash",
            "Crash an instance (restarts in 3 s)",
            Fault::CrashConsumer {
                note: note(),
                instance: 0,
                restart_after_ms: Some(3_000),
            },
        ));
        out.push(choice(
            "fault-slow",
            "Slow it down (+50 ms a message)",
            Fault::SlowConsumer {
                note: note(),
                instance: 0,
                extra_ms: 50,
            },
        ));
        out.push(choice(
            "fault-poison",
            "Send a poison message",
            Fault::Poison { note: note() },
        ));
        out.push(choice(
            "fault-add-instance",
            "Add an instance",
            Fault::RestartConsumer { note: note() },
        ));
        out.push(choice(
            "fault-replay",
            "Replay from the start (offsets to earliest)",
            Fault::ResetOffsets {
                note: note(),
                to: ResetTo::Earliest,
            },
        ));
        out.push(choice(
            "fault-skip",
            "Skip to the latest (offsets to latest)",
            Fault::ResetOffsets {
                note: note(),
                to: ResetTo::Latest,
            },
        ));
        if kind == NoteKind::ReadModel {
            out.push(choice(
                "fault-rebuild",
                "Rebuild the view from the start",
                Fault::RebuildView { note: note() },
            ));
        }
    }
    match kind {
        NoteKind::ExternalSystem => {
            out.push(choice(
                "fault-down",
                "Take it down",
                Fault::SystemDown {
                    note: note(),
                    for_ms: None,
                },
            ));
            out.push(choice(
                "fault-slow-system",
                "Slow its answers (+500 ms a call)",
                Fault::SlowSystem {
                    note: note(),
                    extra_ms: 500,
                    for_ms: None,
                },
            ));
            out.push(choice(
                "fault-up",
                "Bring it back to normal",
                Fault::SystemUp { note: note() },
            ));
        }
        NoteKind::Aggregate => out.push(choice(
            "fault-crash-aggregate",
            "Crash between save and publish",
            Fault::CrashAggregate { note: note() },
        )),
        NoteKind::Event => {
            if let Some(route) = route_of_event(board, id) {
                out.push(choice(
                    "fault-partitions",
                    "Add a partition to its topic",
                    Fault::AddPartitions {
                        topic: route.topic,
                        total: route.partitions + 1,
                    },
                ));
            }
        }
        _ => {}
    }
    out
}
