//! Rules about state and flows across writes and contexts: FS001, FS002, FS009, FS010.

use super::{
    finding::{Finding, FixAction, HazardCode, Severity},
    index::{is_flow, Index, Ix, Marks},
};
use crate::model::{
    kind::LinkMeaning,
    kind::NoteKind,
    props::{PropsExt, DEFAULT_AVAILABILITY, DEFAULT_LATENCY_MS},
};
use serde_json::json;
use std::collections::VecDeque;

/// FS001: a reader reads a view fed by events its own commands cause; an aggregate decides on a view.
pub(crate) fn stale_read(ix: &Index, out: &mut Vec<Finding>) {
    let mut marks = Marks::new(ix.len());
    let mut origin: Vec<Ix> = vec![0; ix.len()];
    for view in ix.of_kind(NoteKind::ReadModel) {
        let feeding: Vec<Ix> = ix.pred(view, LinkMeaning::Subscribes).collect();
        if feeding.is_empty() {
            continue;
        }
        // A reader of its own writes is guarded by any of the three fixes.
        let props = &ix.note(view).props;
        let versioned = ["version_token", "push", "listen_to_yourself"]
            .iter()
            .any(|p| props.flag(p, false));
        for reader in ix.succ(view, LinkMeaning::Reads) {
            if ix.kind(reader) == NoteKind::Aggregate {
                out.push(Finding::new(
                    HazardCode::FS001,
                    Severity::Warning,
                    ix.ids([reader, view].into_iter().chain(feeding.iter().copied())),
                    format!(
                        "{} decides on {}, a view updated asynchronously from {}: it can enforce its rule on old state",
                        ix.name(reader),
                        ix.name(view),
                        ix.names(&feeding)
                    ),
                    format!(
                        "Keep the data the rule needs inside {} (fed by commands, not by a view), or accept the \
                         decision and compensate when it turns out wrong",
                        ix.name(reader)
                    ),
                ));
                continue;
            }
            if versioned {
                continue;
            }
            let issued: Vec<Ix> = ix.succ(reader, LinkMeaning::Issues).collect();
            let caused = reach_from(ix, &issued, &feeding, &mut marks, &mut origin);
            if caused.is_empty() {
                continue;
            }
            let mut commands: Vec<Ix> = caused.iter().map(|&e| origin[e]).collect();
            commands.sort_unstable();
            commands.dedup();
            let who = ix.name(reader);
            out.push(
                Finding::new(
                    HazardCode::FS001,
                    Severity::Warning,
                    ix.ids([reader, view].into_iter().chain(caused.iter().copied())),
                    format!(
                        "{who} reads {} right after {}, but {} is updated asynchronously from {}: {who} can see the old state",
                        ix.name(view),
                        ix.names(&commands),
                        ix.name(view),
                        ix.names(&caused)
                    ),
                    format!(
                        "Give {view} a version token so a read waits for the write {who} just made, have \
                         {view} push the change to {who} once it is applied, or let the writer keep {view} \
                         from its own events so it reads its own writes (listen to yourself)",
                        view = ix.name(view)
                    ),
                )
                .with_fix(FixAction::set("Add a version token", &ix.id(view), "version_token", json!(true)))
                .with_other_fix(FixAction::set("Push the change", &ix.id(view), "push", json!(true)))
                .with_other_fix(FixAction::set(
                    "Listen to yourself",
                    &ix.id(view),
                    "listen_to_yourself",
                    json!(true),
                )),
            );
        }
    }
}

/// Searches the flow forward from `starts`; returns the `targets` reached (in board order) and
/// leaves in `origin` the start each visited note was first reached from.
fn reach_from(
    ix: &Index,
    starts: &[Ix],
    targets: &[Ix],
    marks: &mut Marks,
    origin: &mut [Ix],
) -> Vec<Ix> {
    marks.reset();
    let mut queue = VecDeque::new();
    for &s in starts {
        if marks.mark(s) {
            origin[s] = s;
            queue.push_back(s);
        }
    }
    let mut remaining = targets.len();
    while let Some(i) = queue.pop_front() {
        if remaining == 0 {
            break;
        }
        if targets.contains(&i) {
            remaining -= 1;
        }
        for e in ix.out_edges(i) {
            let j = e.note.index();
            if is_flow(e.meaning) && marks.mark(j) {
                origin[j] = origin[i];
                queue.push_back(j);
            }
        }
    }
    targets
        .iter()
        .copied()
        .filter(|&t| marks.is_marked(t))
        .collect()
}

/// FS002: a state-stored aggregate publishes events without an outbox.
pub(crate) fn dual_write(ix: &Index, out: &mut Vec<Finding>) {
    for agg in ix.of_kind(NoteKind::Aggregate) {
        let props = &ix.note(agg).props;
        if props.text("store") == Some("event_sourced") || props.flag("outbox", false) {
            continue;
        }
        let events: Vec<Ix> = ix.succ(agg, LinkMeaning::Publishes).collect();
        if events.is_empty() {
            continue;
        }
        let name = ix.name(agg);
        out.push(
            Finding::new(
                HazardCode::FS002,
                Severity::Warning,
                ix.ids(std::iter::once(agg).chain(events.iter().copied())),
                format!(
                    "{name} saves its state and publishes {} as two separate writes: a crash in between loses \
                     the event, or publishes one that was never saved",
                    ix.names(&events)
                ),
                format!(
                    "Publish through a transactional outbox (save the events in the same transaction as the \
                     state of {name}), or make {name} event-sourced"
                ),
            )
            .with_fix(FixAction::set("Enable the outbox", &ix.id(agg), "outbox", json!(true))),
        );
    }
}

/// FS009: a failure event in a cross-context flow that no consumer compensates.
pub(crate) fn uncompensated_failure(ix: &Index, out: &mut Vec<Finding>) {
    let mut marks = Marks::new(ix.len());
    for event in ix.of_kind(NoteKind::Event) {
        if !ix.note(event).props.flag("failure", false) {
            continue;
        }
        let compensated = ix
            .succ(event, LinkMeaning::Subscribes)
            .any(|c| ix.kind(c) == NoteKind::Policy && ix.note(c).props.flag("compensates", false));
        if compensated {
            continue;
        }
        // Upstream first: what already happened elsewhere is what needs undoing.
        let crossing = other_context(ix, event, true, &mut marks)
            .or_else(|| other_context(ix, event, false, &mut marks));
        let Some((other, reference)) = crossing else {
            continue;
        };
        let contexts = [reference, ix.frame(other).unwrap_or_default()]
            .iter()
            .map(|f| ix.frame_name(f))
            .collect::<Vec<_>>()
            .join(" and ");
        out.push(Finding::new(
            HazardCode::FS009,
            Severity::Warning,
            ix.ids([event, other]),
            format!(
                "{} ends a flow that spans {contexts} (it involves {}), and no policy compensates: the \
                 work already done stays, and the flow ends half done",
                ix.name(event),
                ix.name(other)
            ),
            format!(
                "Add a policy that reacts to {} and undoes or settles the earlier steps (for example cancels \
                 or refunds), and mark it compensates",
                ix.name(event)
            ),
        ));
    }
}

/// Searches the flow from a failure event (upstream or downstream) for a note in another context
/// than the first framed note met; prefers an aggregate (state to undo) over other notes.
/// Returns that note and the reference frame.
fn other_context<'a>(
    ix: &Index<'a>,
    start: Ix,
    upstream: bool,
    marks: &mut Marks,
) -> Option<(Ix, &'a str)> {
    marks.reset();
    marks.mark(start);
    let mut reference = ix.frame(start);
    let mut queue = VecDeque::from([start]);
    let mut first_other = None;
    while let Some(i) = queue.pop_front() {
        if let Some(f) = ix.frame(i) {
            match reference {
                None => reference = Some(f),
                Some(r) if r != f => {
                    if ix.kind(i) == NoteKind::Aggregate {
                        return Some((i, r));
                    }
                    first_other.get_or_insert(i);
                }
                Some(_) => {}
            }
        }
        let edges = if upstream {
            ix.in_edges(i)
        } else {
            ix.out_edges(i)
        };
        for e in edges {
            let j = e.note.index();
            if is_flow(e.meaning) && marks.mark(j) {
                queue.push_back(j);
            }
        }
    }
    first_other.zip(reference)
}

/// FS010: a command whose synchronous calls reach two or more other systems or contexts.
pub(crate) fn synchronous_chain(ix: &Index, out: &mut Vec<Finding>) {
    for command in ix.of_kind(NoteKind::Command) {
        let handlers: Vec<Ix> = ix.succ(command, LinkMeaning::Handles).collect();
        let mut systems: Vec<Ix> = Vec::new();
        for caller in std::iter::once(command).chain(handlers.iter().copied()) {
            systems.extend(ix.succ(caller, LinkMeaning::Calls));
        }
        systems.sort_unstable();
        systems.dedup();
        // A handler in another context is a remote, synchronous hop too.
        let home = ix.frame(command);
        let mut remote_contexts: Vec<&str> = handlers
            .iter()
            .filter_map(|&h| ix.frame(h))
            .filter(|f| home.is_some_and(|h| h != *f))
            .collect();
        remote_contexts.sort_unstable();
        remote_contexts.dedup();
        if systems.len() + remote_contexts.len() < 2 {
            continue;
        }
        let availability: Vec<f64> = systems
            .iter()
            .map(|&s| {
                ix.note(s)
                    .props
                    .number("availability", DEFAULT_AVAILABILITY)
                    .clamp(0.0, 1.0)
            })
            .collect();
        let latency: f64 = systems
            .iter()
            .map(|&s| {
                ix.note(s)
                    .props
                    .number("latency_ms", DEFAULT_LATENCY_MS)
                    .max(0.0)
            })
            .sum::<f64>()
            .round();
        let mut parties: Vec<String> = systems.iter().map(|&s| ix.name(s)).collect();
        parties.extend(
            remote_contexts
                .iter()
                .map(|f| format!("the {} context", ix.frame_name(f))),
        );
        let product: f64 = availability.iter().product();
        let factors: Vec<String> = availability.iter().map(|a| format!("{a}")).collect();
        let odds = match factors.len() {
            0 => String::new(),
            1 => format!(
                ": at most {} of them can succeed, and each takes at least {latency} ms",
                percent(product)
            ),
            _ => format!(
                ": at most {} = {} of them can succeed, and each takes at least {latency} ms",
                factors.join(" × "),
                percent(product)
            ),
        };
        out.push(Finding::new(
            HazardCode::FS010,
            Severity::Warning,
            ix.ids(std::iter::once(command).chain(handlers.iter().copied()).chain(systems.iter().copied())),
            format!("{} waits synchronously on {}{odds}", ix.name(command), join_and(&parties)),
            "Keep at most one synchronous call: publish an event and let policies call the other systems \
             asynchronously (with retries), or move the data the command needs into its own context"
                .to_string(),
        ));
    }
}

/// Joins words with commas and a final "and".
fn join_and(words: &[String]) -> String {
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// A share as a percentage with one decimal, or more when one decimal would round to 100%.
pub(crate) fn percent(share: f64) -> String {
    let value = share * 100.0;
    for decimals in 1..=4 {
        let text = format!("{value:.decimals$}%");
        if share >= 1.0 || !text.starts_with("100.") {
            return text;
        }
    }
    format!("{value:.5}%")
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn percentages_never_round_up_to_certainty() {
        assert_eq!(percent(0.995 * 0.99), "98.5%");
        assert_eq!(percent(0.9999 * 0.9999), "99.98%");
        assert_eq!(percent(1.0), "100.0%");
    }
}
