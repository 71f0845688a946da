//! The event log's wording: what each event says, in the board's names (topics by name and
//! partition, notes by their text), and which events each filter keeps.

use crate::{
    exec::{partition_label, ExecEvent, ExecEventKind, Rejection},
    model::Board,
};

/// Where an event sits on its topic, in the board's names: "orders p2 @ offset 41".
fn place(board: &Board, event: &ExecEvent) -> Option<String> {
    let (t, p, o) = (event.topic.as_ref()?, event.partition?, event.offset?);
    Some(format!("{} @ offset {o}", partition_label(board, t, p)))
}

/// What happened in an event, in words and the board's names: "delivered Order placed from
/// orders p2 @ offset 41".
pub(super) fn describe(board: &Board, event: &ExecEvent) -> String {
    let at = place(board, event);
    match &event.kind {
        ExecEventKind::CommandIssued => "issued".into(),
        ExecEventKind::CommandHandled => "handled".into(),
        ExecEventKind::CommandRejected { reason } => match reason {
            Rejection::NoHandler => "rejected: nothing handles it".into(),
            Rejection::CallFailed => "rejected: a call failed".into(),
            Rejection::AggregateDown => "rejected: its aggregate is down".into(),
        },
        ExecEventKind::CallFailed { down } => {
            if *down {
                "call failed: system down".into()
            } else {
                "call failed".into()
            }
        }
        ExecEventKind::EventPublished => match at {
            Some(at) => format!("published to {at}"),
            None => "published".into(),
        },
        ExecEventKind::EventLost => "lost between save and publish".into(),
        ExecEventKind::Delivered { attempt } => {
            let from = at.map(|a| format!(" from {a}")).unwrap_or_default();
            let what = event
                .from_note
                .as_ref()
                .and_then(|n| board.note(n))
                .map(|n| format!(" {}", n.text))
                .unwrap_or_default();
            if *attempt > 1 {
                format!("delivered{what}{from} (attempt {attempt})")
            } else {
                format!("delivered{what}{from}")
            }
        }
        ExecEventKind::Processed => "processed".into(),
        ExecEventKind::ProcessingFailed => "processing failed".into(),
        ExecEventKind::DuplicateApplied => "applied twice".into(),
        ExecEventKind::OutOfOrder { version, after } => {
            format!("applied v{version} after v{after}")
        }
        ExecEventKind::Read {
            stale: true,
            lag_ms,
        } => format!("stale read ({lag_ms} ms behind)"),
        ExecEventKind::Read { lag_ms, .. } => format!("read (waited {lag_ms} ms)"),
        ExecEventKind::LostOnCrash => "lost with the crash".into(),
        ExecEventKind::LoopCut { passes } => format!("loop cut after {passes} passes"),
        ExecEventKind::DeadLettered => "dead-lettered".into(),
        ExecEventKind::Fault { fault } => format!("fault: {}", fault.words()),
        ExecEventKind::Rebalanced { generation } => format!("rebalanced (generation {generation})"),
    }
}

/// Which events the log shows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum LogFilter {
    All,
    Commands,
    Events,
    Consumers,
    Problems,
}

impl LogFilter {
    /// True when the log shows `e` under this filter.
    pub(super) fn keeps(self, e: &ExecEvent) -> bool {
        use ExecEventKind as K;
        match self {
            LogFilter::All => true,
            LogFilter::Commands => matches!(
                e.kind,
                K::CommandIssued | K::CommandHandled | K::CommandRejected { .. }
            ),
            LogFilter::Events => matches!(e.kind, K::EventPublished | K::EventLost),
            LogFilter::Consumers => matches!(
                e.kind,
                K::Delivered { .. } | K::Processed | K::ProcessingFailed | K::Read { .. }
            ),
            LogFilter::Problems => matches!(
                e.kind,
                K::CommandRejected { .. }
                    | K::CallFailed { .. }
                    | K::EventLost
                    | K::ProcessingFailed
                    | K::DuplicateApplied
                    | K::OutOfOrder { .. }
                    | K::Read { stale: true, .. }
                    | K::LostOnCrash
                    | K::LoopCut { .. }
                    | K::DeadLettered
                    | K::Fault { .. }
            ),
        }
    }
}
