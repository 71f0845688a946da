//! Rules about the shape of the flow: FS005 (event loops) and FS011 (dead ends).

use super::{
    finding::{Finding, HazardCode, Severity},
    index::{Index, Ix, Marks},
};
use crate::model::{
    kind::{LinkMeaning, NoteKind},
    props::PropsExt,
};
use petgraph::{algo::tarjan_scc, graph::DiGraph, graph::NodeIndex};
use std::collections::VecDeque;

/// True for a policy whose `guard` says what stops it from looping.
fn guarded(ix: &Index, i: Ix) -> bool {
    ix.kind(i) == NoteKind::Policy
        && ix
            .note(i)
            .props
            .text("guard")
            .is_some_and(|g| !g.trim().is_empty())
}

/// The edges an event loop can run along: event → policy → command → aggregate → event, plus
/// commands and external systems publishing, and external systems consuming or calling back.
/// Reads (read model → actor/policy/aggregate) and synchronous calls are not part of it, and
/// read models and actors are never on a loop.
fn loop_edge(ix: &Index, from: Ix, meaning: LinkMeaning, to: Ix) -> bool {
    match meaning {
        LinkMeaning::Subscribes => ix.kind(to) != NoteKind::ReadModel,
        LinkMeaning::Issues => ix.kind(from) != NoteKind::Actor,
        LinkMeaning::Handles | LinkMeaning::Publishes => true,
        _ => false,
    }
}

/// FS005: a cycle event → policy → command → … → event with no guarded policy on it.
///
/// Guarded policies are taken out of the graph; every strongly connected component left that
/// holds a policy contains a loop with no guard.
pub(crate) fn event_loop(ix: &Index, out: &mut Vec<Finding>) {
    let n = ix.len();
    let mut graph: DiGraph<(), ()> = DiGraph::with_capacity(n, n);
    for _ in 0..n {
        graph.add_node(());
    }
    for from in 0..n {
        if guarded(ix, from) {
            continue;
        }
        for e in ix.out_edges(from) {
            let (m, to) = (e.meaning, e.note.index());
            if !guarded(ix, to) && loop_edge(ix, from, m, to) {
                graph.add_edge(NodeIndex::new(from), NodeIndex::new(to), ());
            }
        }
    }
    let mut components: Vec<Vec<Ix>> = tarjan_scc(&graph)
        .into_iter()
        .map(|c| {
            let mut c: Vec<Ix> = c.into_iter().map(NodeIndex::index).collect();
            c.sort_unstable();
            c
        })
        .filter(|c| c.len() > 1 && c.iter().any(|&i| ix.kind(i) == NoteKind::Policy))
        .collect();
    components.sort();
    let mut members = Marks::new(n);
    for component in components {
        members.reset();
        for &i in &component {
            members.mark(i);
        }
        let Some(&policy) = component.iter().find(|&&i| ix.kind(i) == NoteKind::Policy) else {
            continue;
        };
        let cycle = cycle_through(&graph, policy, &members);
        let mut notes = cycle.clone();
        notes.extend(component.iter().copied().filter(|i| !cycle.contains(i)));
        let path: Vec<String> = cycle
            .iter()
            .chain(cycle.first())
            .map(|&i| ix.name(i))
            .collect();
        let policies: Vec<Ix> = cycle
            .iter()
            .copied()
            .filter(|&i| ix.kind(i) == NoteKind::Policy)
            .collect();
        // An aggregate handling several commands and publishing several events may not publish
        // the event on the loop for the command on the loop: then the loop is only possible.
        let doubt = (0..cycle.len()).find_map(|k| {
            let (before, agg, after) = (
                cycle[(k + cycle.len() - 1) % cycle.len()],
                cycle[k],
                cycle[(k + 1) % cycle.len()],
            );
            let ambiguous = ix.kind(agg) == NoteKind::Aggregate
                && ix.pred(agg, LinkMeaning::Handles).nth(1).is_some()
                && ix.succ(agg, LinkMeaning::Publishes).nth(1).is_some();
            ambiguous.then_some((before, agg, after))
        });
        let (severity, condition) = match doubt {
            None => (Severity::Error, String::new()),
            Some((command, agg, event)) => (
                Severity::Warning,
                format!(
                    " if {} can lead to {} ({} handles several commands and publishes several events; the \
                     board does not say which leads to which)",
                    ix.name(command),
                    ix.name(event),
                    ix.name(agg)
                ),
            ),
        };
        out.push(Finding::new(
            HazardCode::FS005,
            severity,
            ix.ids(notes),
            format!(
                "{} loops back to where it started{condition}, and no policy on the way has a guard: one event \
                 sets off an endless chain of commands and events",
                path.join(" → ")
            ),
            format!(
                "Give {} a guard saying what stops it (e.g. only once per order, only when something changed, \
                 at most N times) and write it in its guard prop",
                ix.names(&policies)
            ),
        ));
    }
}

/// A shortest cycle through `start` inside one component, starting at `start`.
fn cycle_through(graph: &DiGraph<(), ()>, start: Ix, members: &Marks) -> Vec<Ix> {
    // Where the search reached each node from.
    let mut parent: Vec<Option<Ix>> = vec![None; graph.node_count()];
    let mut queue = VecDeque::from([start]);
    while let Some(i) = queue.pop_front() {
        let mut next: Vec<Ix> = graph
            .neighbors(NodeIndex::new(i))
            .map(NodeIndex::index)
            .collect();
        next.sort_unstable();
        for j in next {
            if !members.is_marked(j) {
                continue;
            }
            if j == start {
                let mut path = vec![i];
                let mut at = i;
                while let Some(from) = parent[at].filter(|_| at != start) {
                    at = from;
                    path.push(at);
                }
                path.reverse();
                return path;
            }
            if parent[j].is_none() {
                parent[j] = Some(i);
                queue.push_back(j);
            }
        }
    }
    vec![start]
}

/// FS011: an event nobody consumes (info), a command nobody issues or an aggregate no command
/// reaches (warnings). Hotspot links do not count.
pub(crate) fn dead_end(ix: &Index, out: &mut Vec<Finding>) {
    for i in 0..ix.len() {
        let name = ix.name(i);
        let finding = match ix.kind(i) {
            NoteKind::Event if ix.succ(i, LinkMeaning::Subscribes).next().is_none() => Finding::new(
                HazardCode::FS011,
                Severity::Info,
                vec![ix.id(i)],
                format!("Nobody reacts to {name}: no policy, read model or external system consumes it"),
                format!("Link {name} to whoever needs it (a policy, a read model), or remove it if nothing does"),
            ),
            NoteKind::Command if ix.pred(i, LinkMeaning::Issues).next().is_none() => Finding::new(
                HazardCode::FS011,
                Severity::Warning,
                vec![ix.id(i)],
                format!("Nobody issues {name}: no actor, policy or external system sends it"),
                format!("Link the actor, policy or external system that issues {name}, or remove it"),
            ),
            NoteKind::Aggregate if ix.pred(i, LinkMeaning::Handles).next().is_none() => Finding::new(
                HazardCode::FS011,
                Severity::Warning,
                vec![ix.id(i)],
                format!("No command reaches {name}, so its state never changes"),
                format!("Link the commands {name} handles, or remove it"),
            ),
            _ => continue,
        };
        out.push(finding);
    }
}
