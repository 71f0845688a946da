//! Messages per second along the flow, estimated from the board the way a run produces them:
//! a source (an actor, or an external system nobody calls or feeds) issues `rate` commands a
//! second spread evenly over what it links to; a command publishes the event it results in
//! ([`crate::model::outcome`]) once per run of it; every subscriber of an event receives it;
//! a policy or an external system consuming a message issues each of its commands and
//! publishes each of its events once.
//!
//! Rates are the steady state when every step keeps up (a consumer that falls behind passes
//! on less, which is the very hazard FS014 reports). Failure events, published instead of the
//! success event when a call fails, are left out: they are the rare case. A cycle is followed
//! once (its loop is FS005's business).

use super::index::{Index, Ix};
use crate::model::{
    kind::{LinkMeaning, NoteKind},
    limits::MAX_RATE,
};

/// The rate of messages reaching a note, as far as the board says.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Rate {
    /// Messages per second coming from sources whose `rate` the board states.
    pub known: f64,
    /// True when some of the flow comes from a source whose `rate` the board leaves unset
    /// (a run assumes one per second; the board does not say).
    pub unknown: bool,
}

impl Rate {
    /// Adds a share of another rate.
    fn add(&mut self, other: Rate, share: f64) {
        self.known += other.known * share;
        self.unknown |= other.unknown;
    }
}

/// The estimated rate of every note of a board.
pub(crate) struct Rates {
    per_note: Vec<Rate>,
}

impl Rates {
    /// Estimates the rates of a board: sources first, then every note after all the notes
    /// that feed it (a cycle's closing link is not followed).
    pub fn new(ix: &Index) -> Rates {
        let n = ix.len();
        let sources: Vec<bool> = (0..n).map(|i| ix.is_source(i)).collect();
        let edges: Vec<Vec<(Ix, f64)>> = (0..n).map(|i| next(ix, i, sources[i])).collect();
        let mut per_note = vec![Rate::default(); n];
        for i in (0..n).filter(|&i| sources[i]) {
            per_note[i] = source_rate(ix, i);
        }
        let order = flow_order(&sources, &edges);
        let mut position = vec![usize::MAX; n];
        for (p, &i) in order.iter().enumerate() {
            position[i] = p;
        }
        for &from in &order {
            let rate = per_note[from];
            for &(to, share) in &edges[from] {
                if position[to] > position[from] {
                    per_note[to].add(rate, share);
                }
            }
        }
        Rates { per_note }
    }

    /// The rate of messages reaching a note (for a source: what it issues).
    pub fn of(&self, i: Ix) -> Rate {
        self.per_note[i]
    }
}

/// What a source issues: its `rate` (capped as a run caps it), unknown when unset.
fn source_rate(ix: &Index, i: Ix) -> Rate {
    match ix.note(i).props.get("rate").and_then(|v| v.as_f64()) {
        Some(rate) if rate.is_finite() => Rate {
            known: rate.clamp(0.0, MAX_RATE),
            unknown: false,
        },
        _ => Rate {
            known: 0.0,
            unknown: true,
        },
    }
}

/// Where the messages at a note (a source or not) go next, each with the share of them it gets.
fn next(ix: &Index, i: Ix, source: bool) -> Vec<(Ix, f64)> {
    let issues_and_publishes = || {
        ix.succ(i, LinkMeaning::Issues)
            .chain(ix.succ(i, LinkMeaning::Publishes))
            .collect::<Vec<Ix>>()
    };
    match ix.kind(i) {
        _ if source => {
            let targets = issues_and_publishes();
            let share = 1.0 / targets.len().max(1) as f64;
            targets.into_iter().map(|t| (t, share)).collect()
        }
        NoteKind::Command => ix
            .outcome(i)
            .success
            .map(|e| (e.note.index(), 1.0))
            .into_iter()
            .collect(),
        NoteKind::Event => ix
            .succ(i, LinkMeaning::Subscribes)
            .filter(|&c| ix.consumer(c).is_some())
            .map(|c| (c, 1.0))
            .collect(),
        NoteKind::Policy | NoteKind::ExternalSystem if ix.is_active_consumer(i) => {
            issues_and_publishes()
                .into_iter()
                .map(|t| (t, 1.0))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The notes in an order where each comes after the notes feeding it, except along the link
/// that closes a cycle (reverse post-order of a depth-first walk from the sources, then from
/// every other note, in board order).
fn flow_order(sources: &[bool], edges: &[Vec<(Ix, f64)>]) -> Vec<Ix> {
    let n = edges.len();
    let mut visited = vec![false; n];
    let mut post = Vec::with_capacity(n);
    let roots = (0..n)
        .filter(|&i| sources[i])
        .chain((0..n).filter(|&i| !sources[i]));
    for root in roots {
        if visited[root] {
            continue;
        }
        visited[root] = true;
        // Each frame: a note and how many of its targets were looked at.
        let mut stack: Vec<(Ix, usize)> = vec![(root, 0)];
        while let Some((note, seen)) = stack.last_mut() {
            match edges[*note].get(*seen) {
                Some(&(to, _)) => {
                    *seen += 1;
                    if !visited[to] {
                        visited[to] = true;
                        stack.push((to, 0));
                    }
                }
                None => {
                    post.push(*note);
                    stack.pop();
                }
            }
        }
    }
    post.reverse();
    post
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample::sample;
    use serde_json::json;

    #[test]
    fn the_samples_cashier_rate_reaches_both_consumers() {
        let board = sample();
        let ix = Index::new(&board);
        let rates = Rates::new(&ix);
        let at = |id: &str| rates.of(ix.position(id).unwrap());
        for note in [
            "place-order",
            "order-placed",
            "order-summary",
            "reserve-stock",
        ] {
            assert_eq!(at(note).known, 5.0, "{note}");
            assert!(!at(note).unknown, "{note}");
        }
        // Reserve stock results in its first success event; the failure event is the rare case.
        assert_eq!(at("stock-reserved").known, 5.0);
        assert_eq!(at("out-of-stock").known, 0.0);
    }

    #[test]
    fn a_source_splits_its_rate_and_an_unset_rate_is_unknown() {
        let mut board = sample();
        let cashier = board.note_mut(&"cashier".into()).unwrap();
        cashier.props.insert("rate".into(), json!(8));
        let mut twin = board.links[0].clone();
        twin.id = "to-reserve".into();
        twin.to = "reserve-stock".into();
        board.links.push(twin);
        let ix = Index::new(&board);
        let rates = Rates::new(&ix);
        let at = |id: &str| rates.of(ix.position(id).unwrap());
        assert_eq!(at("place-order").known, 4.0);
        // Four issued directly, four through the policy.
        assert_eq!(at("reserve-stock").known, 8.0);
        let mut unset = sample();
        unset.note_mut(&"cashier".into()).unwrap().props.clear();
        let ix = Index::new(&unset);
        let rates = Rates::new(&ix);
        let summary = rates.of(ix.position("order-summary").unwrap());
        assert_eq!(
            summary,
            Rate {
                known: 0.0,
                unknown: true
            }
        );
    }
}
