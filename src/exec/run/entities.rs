//! What the run's records say about entities: each event's payload, an entity's history and
//! state as its aggregate folds it, and the rows of a read model as it applied its events —
//! each at the moment the run stands at.

use super::Run;
use crate::{
    exec::{
        fold::{EntityState, Folds},
        ix::NoteIx,
        payload::{Origin, Payload},
        ExecEventKind, Fault, MessageId,
    },
    model::{NoteId, NoteKind},
};

/// One event of an entity's history, with the state it left.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryStep {
    /// The event message.
    pub message: MessageId,
    /// When it was saved (ms).
    pub at: u64,
    /// The event note.
    pub event: NoteId,
    /// What it carried.
    pub payload: Payload,
    /// The entity's state after it.
    pub state: EntityState,
}

/// One row of a read model: an entity of an aggregate as the view has it.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewRow {
    /// The aggregate the entity belongs to (none for events no aggregate saved).
    pub aggregate: Option<NoteId>,
    /// The entity's key.
    pub entity: u64,
    /// Its state in the view.
    pub state: EntityState,
    /// When the view last changed it (ms).
    pub at: u64,
}

impl Run {
    /// How the board's events fold (read when asked: a question about entities reads the
    /// board's events once).
    pub(super) fn folds(&self) -> Folds {
        Folds::new(&self.board)
    }

    /// Where a message's generated payload comes from.
    fn origin(&self, message: MessageId) -> Origin {
        let m = self.msg(message);
        Origin {
            seed: self.config.seed,
            message: message.0,
            entity: m.entity,
            at_ms: m.at,
        }
    }

    /// The payload of an event message (none for a command or an unknown id).
    pub fn payload(&self, message: MessageId) -> Option<Payload> {
        self.payload_with(&self.folds(), message)
    }

    /// The payload of an event message, the board's events read already.
    pub(super) fn payload_with(&self, folds: &Folds, message: MessageId) -> Option<Payload> {
        let m = self.msgs.get(message.0 as usize)?;
        if !m.event {
            return None;
        }
        let shape = folds.shape(m.note.index())?;
        Some(self.origin(message).payload(shape))
    }

    /// The events `aggregate` saved for `entity` so far, oldest first, each with the entity's
    /// state after it: how an event-sourced aggregate rebuilds the entity, event by event.
    pub fn entity_history(&self, aggregate: &NoteId, entity: u64) -> Vec<HistoryStep> {
        let mut steps = Vec::new();
        self.fold_entity(aggregate, entity, |folds, message, state| {
            let m = self.msg(message);
            if let Some(shape) = folds.shape(m.note.index()) {
                steps.push(HistoryStep {
                    message,
                    at: m.at,
                    event: self.plan.ids[m.note.index()].clone(),
                    payload: self.origin(message).payload(shape),
                    state: state.clone(),
                });
            }
        });
        steps
    }

    /// Folds the events `aggregate` saved for `entity`, oldest first, calling `each` with the
    /// state after each; returns the state now.
    fn fold_entity(
        &self,
        aggregate: &NoteId,
        entity: u64,
        mut each: impl FnMut(&Folds, MessageId, &EntityState),
    ) -> EntityState {
        let mut state = EntityState::default();
        let Some(agg) = self.plan.ix(aggregate) else {
            return state;
        };
        let folds = self.folds();
        for (i, m) in self.msgs.iter().enumerate() {
            if !m.event || m.agg != Some(agg) || m.entity != entity {
                continue;
            }
            let message = MessageId(i as u64);
            if folds.apply(&mut state, m.note.index(), &self.origin(message)) {
                each(&folds, message, &state);
            }
        }
        state
    }

    /// The entities `aggregate` saved events of so far, by key, with how many each.
    pub fn entities_of(&self, aggregate: &NoteId) -> Vec<(u64, u64)> {
        let Some(agg) = self.plan.ix(aggregate) else {
            return Vec::new();
        };
        let mut seen: Vec<(u64, u64)> = Vec::new();
        for m in self.msgs.iter() {
            if m.event && m.agg == Some(agg) {
                match seen.binary_search_by_key(&m.entity, |s| s.0) {
                    Ok(i) => seen[i].1 += 1,
                    Err(i) => seen.insert(i, (m.entity, 1)),
                }
            }
        }
        seen
    }

    /// The state of one entity of `aggregate` as the aggregate has it now.
    pub fn entity_state(&self, aggregate: &NoteId, entity: u64) -> EntityState {
        self.fold_entity(aggregate, entity, |_, _, _| {})
    }

    /// A read model's rows now: every entity it applied events of since it was last rebuilt,
    /// folded in the order it applied them (duplicates and late versions included, as they
    /// happened), by aggregate and key.
    pub fn view_rows(&self, view: &NoteId) -> Vec<ViewRow> {
        self.view_fold(view, None)
    }

    /// One entity as a read model has it now (none if it applied nothing of it).
    pub fn view_entity(&self, view: &NoteId, aggregate: &NoteId, entity: u64) -> Option<ViewRow> {
        let agg = self.plan.ix(aggregate)?;
        self.view_fold(view, Some((agg, entity))).pop()
    }

    /// The read models fed by events `aggregate` saves: the views an entity of it has.
    pub fn views_of(&self, aggregate: &NoteId) -> Vec<NoteId> {
        let Some(agg) = self.plan.ix(aggregate) else {
            return Vec::new();
        };
        let events: Vec<NoteIx> = (0..self.plan.ids.len())
            .map(|i| NoteIx(i as u32))
            .filter(|&e| self.plan.kinds[e.index()] == NoteKind::Event)
            .filter(|&e| {
                self.board.links.iter().any(|l| {
                    l.from == self.plan.ids[agg.index()] && l.to == self.plan.ids[e.index()]
                })
            })
            .collect();
        let mut views = Vec::new();
        for e in events {
            let Some(plan) = self.plan.events[e.index()].as_ref() else {
                continue;
            };
            for &g in &plan.subscribers {
                let note = self.plan.group(g).ix;
                let id = &self.plan.ids[note.index()];
                if self.plan.kinds[note.index()] == NoteKind::ReadModel && !views.contains(id) {
                    views.push(id.clone());
                }
            }
        }
        views
    }

    /// Folds what `view` applied, of every entity or of one.
    fn view_fold(&self, view: &NoteId, only: Option<(NoteIx, u64)>) -> Vec<ViewRow> {
        let folds = self.folds();
        // Rows sorted by aggregate and key.
        let mut rows: Vec<ViewRow> = Vec::new();
        for e in self.events.iter() {
            if &e.note != view {
                continue;
            }
            match &e.kind {
                ExecEventKind::Processed => {}
                ExecEventKind::Fault {
                    fault: Fault::RebuildView { .. },
                } => {
                    rows.clear();
                    continue;
                }
                _ => continue,
            }
            let Some(message) = e.message else {
                continue;
            };
            let m = self.msg(message);
            if !m.event
                || only.is_some_and(|(agg, entity)| m.agg != Some(agg) || m.entity != entity)
            {
                continue;
            }
            let aggregate = m.agg.map(|a| &self.plan.ids[a.index()]);
            let i = match rows
                .binary_search_by(|r| (r.aggregate.as_ref(), r.entity).cmp(&(aggregate, m.entity)))
            {
                Ok(i) => i,
                Err(i) => {
                    rows.insert(
                        i,
                        ViewRow {
                            aggregate: aggregate.cloned(),
                            entity: m.entity,
                            state: EntityState::default(),
                            at: e.at,
                        },
                    );
                    i
                }
            };
            if folds.apply(&mut rows[i].state, m.note.index(), &self.origin(message)) {
                rows[i].at = e.at;
            }
        }
        rows
    }
}
