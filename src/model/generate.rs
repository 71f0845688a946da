//! Generated boards of any size, for benchmarks and load tests.

use super::{
    board::{Board, Frame, FrameId, FrameKind, Link, LinkId, Note, Scenario, Topic},
    kind::NoteKind,
    limits::{MAX_ENTITIES, MAX_INSTANCES, MAX_PARTITIONS, MAX_RATE, MAX_SCENARIO_MS},
    sample::sample,
};
use serde_json::json;

/// Notes in one generated flow: actor → command → aggregate → event → policy → command → …
const UNIT: [NoteKind; 10] = [
    NoteKind::Actor,
    NoteKind::Command,
    NoteKind::Aggregate,
    NoteKind::Event,
    NoteKind::Policy,
    NoteKind::Command,
    NoteKind::Aggregate,
    NoteKind::Event,
    NoteKind::ReadModel,
    NoteKind::ExternalSystem,
];

/// Links of one flow, as (from, to) positions in [`UNIT`]: fifteen, all allowed pairs.
const UNIT_LINKS: [(usize, usize); 15] = [
    (0, 1),
    (1, 2),
    (2, 3),
    (3, 4),
    (4, 5),
    (5, 6),
    (6, 7),
    (7, 8),
    (8, 0),
    (3, 8),
    (7, 9),
    (6, 9),
    (2, 9),
    (1, 3),
    (8, 4),
];

/// Space between notes, board units.
const GAP: f64 = 16.0;
/// Height of one flow's row.
const ROW: f64 = 170.0;

/// A valid board of about `notes` notes and 1.5 links per note, in flows of ten laid out in
/// rows, ten flows to a bounded context, contexts in a grid about 3:2 wide as a screen is;
/// the same arguments give the same board.
pub fn generate(notes: usize) -> Board {
    let flows = notes.div_ceil(UNIT.len());
    let contexts = flows.div_ceil(10).max(1);
    let columns = ((contexts as f64 * 1.5).sqrt().ceil() as usize).max(1);
    let flow_width: f64 = UNIT.iter().map(|k| k.default_size().0 + GAP).sum();
    let (context_w, context_h) = (flow_width + 2.0 * GAP, 10.0 * ROW + 2.0 * GAP);
    let mut board = Board {
        name: Some(format!("Generated {notes}")),
        ..Board::default()
    };
    for f in 0..flows {
        let context = f / 10;
        let (cx, cy) = (
            (context % columns) as f64 * (context_w + 80.0),
            (context / columns) as f64 * (context_h + 80.0),
        );
        let frame_id = FrameId(format!("ctx{context}"));
        if f % 10 == 0 {
            board.frames.push(Frame {
                id: frame_id.clone(),
                kind: FrameKind::Context,
                name: format!("Context {context}"),
                x: cx,
                y: cy,
                w: Some(context_w),
                h: Some(context_h),
            });
            board.topics.push(Topic {
                name: format!("topic-{context}"),
                partitions: 1 + (context % 6) as u32,
                key: Some("id".into()),
                retention_ms: None,
            });
        }
        let base = f * UNIT.len();
        let mut x = cx + GAP;
        let y = cy + GAP + (f % 10) as f64 * ROW;
        for (i, kind) in UNIT.into_iter().enumerate() {
            if board.notes.len() == notes {
                break;
            }
            let mut note = Note::new(
                format!("n{}", base + i),
                kind,
                format!("{} {}", kind.label(), base + i),
                x,
                y,
            );
            x += kind.default_size().0 + GAP;
            note.frame = Some(frame_id.clone());
            match kind {
                NoteKind::Event => {
                    note.props
                        .insert("topic".into(), json!(format!("topic-{context}")));
                }
                NoteKind::Policy => {
                    note.props.insert("instances".into(), json!(2));
                    note.props.insert("idempotent".into(), json!(f % 2 == 0));
                }
                NoteKind::Actor => {
                    note.props.insert("rate".into(), json!(5));
                }
                _ => {}
            }
            board.notes.push(note);
        }
        for (n, (a, b)) in UNIT_LINKS.into_iter().enumerate() {
            if base + a.max(b) < board.notes.len() {
                board.links.push(Link {
                    id: LinkId(format!("l{}", f * UNIT_LINKS.len() + n)),
                    from: board.notes[base + a].id.clone(),
                    to: board.notes[base + b].id.clone(),
                });
            }
        }
    }
    board
}

/// The sample board with everything the cost of a run grows with at its limit: the actor issues
/// the most commands a second over the most keys, every event goes to a topic with the most
/// partitions, every consumer group has the most instances, and the run lasts the longest.
/// What a typo in the inspector can make of a board, for load tests of the run.
pub fn heaviest() -> Board {
    let mut board = sample();
    board.scenario = Some(Scenario {
        duration_ms: MAX_SCENARIO_MS,
        ..board.scenario.unwrap_or_default()
    });
    for topic in &mut board.topics {
        topic.partitions = MAX_PARTITIONS;
    }
    let topics: Vec<String> = board.topics.iter().map(|t| t.name.clone()).collect();
    for (i, note) in board.notes.iter_mut().enumerate() {
        match note.kind {
            NoteKind::Actor => {
                note.props.insert("rate".into(), json!(MAX_RATE));
                note.props.insert("entities".into(), json!(MAX_ENTITIES));
            }
            NoteKind::Event if !note.props.contains_key("topic") => {
                note.props
                    .insert("topic".into(), json!(topics[i % topics.len()]));
            }
            NoteKind::Policy | NoteKind::ReadModel | NoteKind::ExternalSystem => {
                note.props.insert("instances".into(), json!(MAX_INSTANCES));
            }
            _ => {}
        }
    }
    board
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::format::{load, save};

    #[test]
    fn generated_boards_are_valid_and_sized() {
        let board = generate(1000);
        assert_eq!(board.notes.len(), 1000);
        assert_eq!(board.links.len(), 1500);
        assert_eq!(load(&save(&board)).unwrap(), board);
        assert_eq!(generate(7).notes.len(), 7);
        for (i, a) in board.notes.iter().enumerate() {
            let frame = board.frame(a.frame.as_ref().unwrap()).unwrap();
            assert!(
                frame.rect().contains_rect(&a.rect()),
                "{} lies in its context",
                a.id
            );
            for b in &board.notes[i + 1..] {
                assert!(
                    !a.rect().intersects(&b.rect()),
                    "{} and {} overlap",
                    a.id,
                    b.id
                );
            }
        }
        assert_eq!(generate(0).notes.len(), 0);
    }

    #[test]
    fn the_heaviest_board_is_at_every_limit_and_loads() {
        let board = heaviest();
        assert_eq!(
            load(&save(&board)).unwrap(),
            board,
            "a file the loader accepts"
        );
        assert!(board.topics.iter().all(|t| t.partitions == MAX_PARTITIONS));
        let cashier = board
            .notes
            .iter()
            .find(|n| n.kind == NoteKind::Actor)
            .unwrap();
        assert_eq!(cashier.props["rate"], json!(MAX_RATE));
        assert!(board
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::Event)
            .all(|n| n.props.contains_key("topic")));
    }
}
