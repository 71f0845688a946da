//! What a command results in: the event a run publishes when the command succeeds and the one
//! it publishes when the command fails. One rule (docs/FORMAT.md, "What a command results in"),
//! read by the run's compiler, the static check FS013 and the inspector's *Results in* control:
//!
//! 1. the command's own links to events ("results in") decide, when it has any: its success
//!    event is the first success event linked, its failure event the first failure event
//!    linked (none linked: a failed call rejects the command);
//! 2. without them, the events its aggregate publishes decide the same way: the first success
//!    event and the first failure event in the order the aggregate's links were drawn;
//! 3. a command with failure events only publishes its failure event on success too.
//!
//! "First" is always the order the links were drawn, never a guess from the notes' words. The
//! board leaves the choice open when more than one success (or failure) event remains to choose
//! from; the rule still picks, and FS013 asks the team to say which.

use super::{
    index::{BoardIndex, Edge, LinkIx, NoteIx},
    kind::{link_meaning, LinkMeaning, NoteKind},
    props::PropsExt,
    Board, Note, NoteId,
};

/// An event a command may result in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The link to the event (from the command, or from its aggregate).
    pub edge: Edge,
    /// True for a failure event (`failure` prop).
    pub failure: bool,
}

/// What a command results in, read off the board.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The aggregate that handles the command (its first `handles` link drawn), if any.
    pub aggregate: Option<Edge>,
    /// The command's own links to events, in the order they were drawn.
    pub direct: Vec<Candidate>,
    /// The events its aggregate publishes, in the order the links were drawn.
    pub offered: Vec<Candidate>,
    /// The event published when all goes well, as the link a run publishes it along (the
    /// aggregate's link when the aggregate publishes it, else the command's).
    pub success: Option<Edge>,
    /// The event published when a call fails (or at random), likewise.
    pub failure: Option<Edge>,
}

/// Where the board leaves a command's outcome open: the events a rule had to choose between.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ambiguity {
    /// The success events to choose from, when more than one (else empty).
    pub successes: Vec<NoteIx>,
    /// The failure events to choose from, when more than one (else empty).
    pub failures: Vec<NoteIx>,
    /// True when the command's own links name several events of one outcome; false when it
    /// has none and its aggregate publishes several.
    pub explicit: bool,
}

impl Outcome {
    /// Applies the rule to a command's links (each list in the order its links were drawn).
    pub fn decide(
        aggregate: Option<Edge>,
        direct: Vec<Candidate>,
        offered: Vec<Candidate>,
    ) -> Self {
        let deciding = if direct.is_empty() { &offered } else { &direct };
        let along = |c: &Candidate| {
            offered
                .iter()
                .find(|o| o.edge.note == c.edge.note)
                .map_or(c.edge, |o| o.edge)
        };
        let first = |failure: bool| deciding.iter().find(|c| c.failure == failure).map(along);
        let failure = first(true);
        let success = first(false).or(failure);
        Outcome {
            aggregate,
            direct,
            offered,
            success,
            failure,
        }
    }

    /// The events the command's links (else its aggregate's) leave to choose between, if any.
    pub fn ambiguity(&self) -> Option<Ambiguity> {
        let explicit = !self.direct.is_empty();
        let deciding = if explicit {
            &self.direct
        } else {
            &self.offered
        };
        let of = |failure: bool| -> Vec<NoteIx> {
            let list: Vec<NoteIx> = deciding
                .iter()
                .filter(|c| c.failure == failure)
                .map(|c| c.edge.note)
                .collect();
            if list.len() > 1 {
                list
            } else {
                Vec::new()
            }
        };
        let (successes, failures) = (of(false), of(true));
        (!successes.is_empty() || !failures.is_empty()).then_some(Ambiguity {
            successes,
            failures,
            explicit,
        })
    }

    /// True when the command names the event itself (a direct link to `event`).
    pub fn results_in(&self, event: NoteIx) -> bool {
        self.direct.iter().any(|c| c.edge.note == event)
    }
}

fn is_failure(note: &Note) -> bool {
    note.props.flag("failure", false)
}

/// What the command at `command` results in.
pub fn of(ix: &BoardIndex, command: NoteIx) -> Outcome {
    let candidates = |from: NoteIx| -> Vec<Candidate> {
        ix.succ_in_link_order(from, LinkMeaning::Publishes)
            .into_iter()
            .map(|edge| Candidate {
                edge,
                failure: is_failure(ix.note(edge.note)),
            })
            .collect()
    };
    let aggregate = ix
        .succ_in_link_order(command, LinkMeaning::Handles)
        .into_iter()
        .next();
    let offered = aggregate.map(|a| candidates(a.note)).unwrap_or_default();
    Outcome::decide(aggregate, candidates(command), offered)
}

/// What the command `command` results in, read straight off the board's lists without indexing
/// the whole board (the inspector asks on every change); `None` when it is not a command.
/// Gives what [`of`] gives on the same board.
pub fn on_board(board: &Board, command: &NoteId) -> Option<Outcome> {
    let at = board.note_index(command)?;
    if board.notes[at].kind != NoteKind::Command {
        return None;
    }
    let edges = |from: usize, meaning: LinkMeaning| -> Vec<Edge> {
        let from_note = &board.notes[from];
        let mut seen: Vec<NoteIx> = Vec::new();
        let mut out = Vec::new();
        for (l, link) in board.links.iter().enumerate() {
            if link.from != from_note.id || link.to == from_note.id {
                continue;
            }
            let Some(to) = board.note_index(&link.to) else {
                continue;
            };
            let note = NoteIx(to as u32);
            if link_meaning(from_note.kind, board.notes[to].kind) != Some(meaning)
                || seen.contains(&note)
            {
                continue;
            }
            seen.push(note);
            out.push(Edge {
                meaning,
                note,
                link: LinkIx(l as u32),
            });
        }
        out
    };
    let candidates = |from: usize| -> Vec<Candidate> {
        edges(from, LinkMeaning::Publishes)
            .into_iter()
            .map(|edge| Candidate {
                edge,
                failure: is_failure(&board.notes[edge.note.index()]),
            })
            .collect()
    };
    let aggregate = edges(at, LinkMeaning::Handles).into_iter().next();
    let offered = aggregate
        .map(|a| candidates(a.note.index()))
        .unwrap_or_default();
    Some(Outcome::decide(aggregate, candidates(at), offered))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{sample::sample, Link, LinkId};
    use serde_json::json;

    /// A bank account aggregate publishing, in link order, "Account created", "Money withdrawn",
    /// "Withdrawal rejected" (failure) and "Account flagged"; "Flag account" is handled by it.
    fn bank() -> Board {
        let mut board = Board::default();
        let mut add = |id: &str, kind, text: &str| {
            board.notes.push(Note::new(id, kind, text, 0.0, 0.0));
        };
        add("flag", NoteKind::Command, "Flag account");
        add("account", NoteKind::Aggregate, "Account");
        add("created", NoteKind::Event, "Account created");
        add("withdrawn", NoteKind::Event, "Money withdrawn");
        add("rejected", NoteKind::Event, "Withdrawal rejected");
        add("flagged", NoteKind::Event, "Account flagged");
        board.notes[4].props.insert("failure".into(), json!(true));
        for (i, (from, to)) in [
            ("flag", "account"),
            ("account", "created"),
            ("account", "withdrawn"),
            ("account", "rejected"),
            ("account", "flagged"),
        ]
        .into_iter()
        .enumerate()
        {
            board.links.push(Link {
                id: LinkId(format!("l{i}")),
                from: from.into(),
                to: to.into(),
            });
        }
        board
    }

    fn link(board: &mut Board, from: &str, to: &str) {
        let id = LinkId(board.fresh_id("l"));
        board.links.push(Link {
            id,
            from: from.into(),
            to: to.into(),
        });
    }

    fn outcome(board: &Board, command: &str) -> Outcome {
        let ix = BoardIndex::new(board);
        of(&ix, ix.position(command).unwrap())
    }

    fn name(board: &Board, edge: Option<Edge>) -> Option<&str> {
        edge.map(|e| board.notes[e.note.index()].id.as_str())
    }

    #[test]
    fn without_a_direct_link_the_aggregates_first_events_in_link_order_decide() {
        let board = bank();
        let o = outcome(&board, "flag");
        assert_eq!(name(&board, o.success), Some("created"));
        assert_eq!(name(&board, o.failure), Some("rejected"));
        let open = o.ambiguity().expect("three success events to choose from");
        assert!(!open.explicit);
        assert_eq!(open.successes.len(), 3);
        assert!(open.failures.is_empty(), "one failure event is no choice");
    }

    #[test]
    fn a_direct_link_decides_and_the_run_publishes_along_the_aggregates_link() {
        let mut board = bank();
        link(&mut board, "flag", "flagged");
        let o = outcome(&board, "flag");
        assert_eq!(name(&board, o.success), Some("flagged"));
        assert_eq!(o.success.unwrap().link, LinkIx(4), "the aggregate's link");
        assert_eq!(o.failure, None, "no failure event linked: none");
        assert_eq!(o.ambiguity(), None);
        assert!(o.results_in(o.success.unwrap().note));
    }

    #[test]
    fn two_direct_success_links_are_still_open_and_the_first_drawn_wins() {
        let mut board = bank();
        link(&mut board, "flag", "withdrawn");
        link(&mut board, "flag", "flagged");
        let o = outcome(&board, "flag");
        assert_eq!(name(&board, o.success), Some("withdrawn"));
        let open = o.ambiguity().unwrap();
        assert!(open.explicit);
        assert_eq!(open.successes.len(), 2);
    }

    #[test]
    fn one_event_of_each_outcome_is_no_choice() {
        let board = sample();
        for command in ["place-order", "reserve-stock"] {
            assert_eq!(outcome(&board, command).ambiguity(), None, "{command}");
        }
        let o = outcome(&board, "reserve-stock");
        assert_eq!(name(&board, o.success), Some("stock-reserved"));
        assert_eq!(name(&board, o.failure), Some("out-of-stock"));
    }

    #[test]
    fn a_command_with_only_a_failure_event_publishes_it_either_way() {
        let mut board = bank();
        board.links.retain(|l| l.from.as_str() != "account");
        link(&mut board, "account", "rejected");
        let o = outcome(&board, "flag");
        assert_eq!(name(&board, o.success), Some("rejected"));
        assert_eq!(name(&board, o.failure), Some("rejected"));
    }

    #[test]
    fn reading_the_board_directly_agrees_with_the_index() {
        let mut board = bank();
        link(&mut board, "flag", "flagged");
        link(&mut board, "flag", "flagged");
        link(&mut board, "flag", "gone");
        for b in [board, bank(), sample()] {
            for n in b.notes.iter().filter(|n| n.kind == NoteKind::Command) {
                assert_eq!(on_board(&b, &n.id), Some(outcome(&b, n.id.as_str())));
            }
            assert_eq!(
                on_board(&b, &b.notes[1].id.clone()).is_some(),
                b.notes[1].kind == NoteKind::Command
            );
        }
    }
}
