//! Saying which events a command results in: the inspector's *Results in* ticks, as direct
//! command → event links ([`crate::model::outcome`]).

use super::Editor;
use crate::model::{kind::NoteKind, Board, Edit, EditError, Link, LinkId, NoteId};

/// The edit that makes `command` result in `event` (`on`) or not: adds one command → event
/// link, or removes every link from the command to the event. Refuses a pair that is not a
/// command and an event, and a change that changes nothing.
pub fn results_in_edit(
    board: &Board,
    command: &NoteId,
    event: &NoteId,
    on: bool,
) -> Result<Edit, EditError> {
    let from = board
        .note(command)
        .ok_or_else(|| EditError::NoSuchNote(command.clone()))?;
    let to = board
        .note(event)
        .ok_or_else(|| EditError::NoSuchNote(event.clone()))?;
    if from.kind != NoteKind::Command {
        return Err(EditError::ForbiddenLink(format!(
            "only a command results in events, not a {}",
            from.kind.label().to_ascii_lowercase()
        )));
    }
    if to.kind != NoteKind::Event {
        return Err(EditError::ForbiddenLink(format!(
            "a command results in a domain event, not a {}",
            to.kind.label().to_ascii_lowercase()
        )));
    }
    let existing: Vec<Edit> = board
        .links
        .iter()
        .filter(|l| &l.from == command && &l.to == event)
        .map(|l| Edit::RemoveLink { id: l.id.clone() })
        .collect();
    match (on, existing.is_empty()) {
        (true, true) => Ok(Edit::AddLink {
            link: Link {
                id: LinkId(board.fresh_id("l")),
                from: command.clone(),
                to: event.clone(),
            },
            index: None,
        }),
        (false, false) => Ok(Edit::Batch(existing)),
        _ => Err(EditError::Nothing),
    }
}

impl Editor {
    /// Ticks (`on`) or unticks `event` among what `command` results in, as one undo step.
    pub fn set_results_in(
        &mut self,
        command: &NoteId,
        event: &NoteId,
        on: bool,
    ) -> Result<(), EditError> {
        let edit = results_in_edit(self.board(), command, event, on)?;
        self.apply(edit)
    }
}
