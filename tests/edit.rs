//! Edit commands: each returns its inverse, and undo/redo walk history exactly.

use flowstorm::model::{
    sample::sample, Board, Document, Edit, EditError, Frame, FrameId, FrameKind, Link, LinkId,
    Note, NoteId, NoteKind, Topic,
};
use proptest::prelude::*;
use serde_json::json;

fn ids(board: &Board) -> Vec<NoteId> {
    board.notes.iter().map(|n| n.id.clone()).collect()
}

#[test]
fn removing_a_note_removes_its_links_and_undo_restores_them_in_place() {
    let mut doc = Document::new(sample());
    let before = doc.board().clone();
    doc.apply(Edit::RemoveNote {
        id: NoteId::from("order"),
    })
    .unwrap();
    assert!(doc.board().note(&NoteId::from("order")).is_none());
    assert!(doc
        .board()
        .links
        .iter()
        .all(|l| l.from.as_str() != "order" && l.to.as_str() != "order"));
    assert!(doc.undo());
    assert_eq!(doc.board(), &before);
    assert!(doc.redo());
    assert!(doc.board().note(&NoteId::from("order")).is_none());
}

#[test]
fn refused_edits_leave_the_board_and_history_alone() {
    let mut doc = Document::new(sample());
    let before = doc.board().clone();
    let forbidden = Edit::AddLink {
        link: Link {
            id: LinkId::from("bad"),
            from: NoteId::from("order-placed"),
            to: NoteId::from("place-order"),
        },
        index: None,
    };
    match doc.apply(forbidden) {
        Err(EditError::ForbiddenLink(why)) => assert!(why.contains("policy"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        doc.apply(Edit::AddNote {
            note: Note::new("cashier", NoteKind::Event, "", 0.0, 0.0),
            index: None
        }),
        Err(EditError::IdInUse("cashier".into()))
    );
    assert!(matches!(
        doc.apply(Edit::SetProp {
            id: NoteId::from("cashier"),
            name: "rate".into(),
            value: Some(json!(-1)),
            index: None
        }),
        Err(EditError::BadProp { .. })
    ));
    // A value over a prop's limit is refused with the prop, the value and the limit (the
    // inspector shows this message), and the board keeps its value.
    let over = doc
        .apply(Edit::SetProp {
            id: NoteId::from("cashier"),
            name: "rate".into(),
            value: Some(json!(1_000_000)),
            index: None,
        })
        .unwrap_err();
    assert_eq!(
        over.to_string(),
        "prop \"rate\": rate is 1000000; at most 1000 commands per second"
    );
    assert_eq!(
        doc.board().note(&NoteId::from("cashier")).unwrap().props["rate"],
        json!(5)
    );
    assert_eq!(
        doc.apply(Edit::MoveNote {
            id: NoteId::from("cashier"),
            x: f64::NAN,
            y: 0.0
        }),
        Err(EditError::BadGeometry)
    );
    // A batch whose last edit fails is rolled back whole.
    let batch = Edit::Batch(vec![
        Edit::SetText {
            id: NoteId::from("cashier"),
            text: "Till".into(),
        },
        Edit::MoveNote {
            id: NoteId::from("nobody"),
            x: 0.0,
            y: 0.0,
        },
    ]);
    assert_eq!(
        doc.apply(batch),
        Err(EditError::NoSuchNote(NoteId::from("nobody")))
    );
    assert_eq!(doc.board(), &before);
    assert!(!doc.history().can_undo());
}

#[test]
fn removing_a_frame_keeps_its_notes() {
    let mut doc = Document::new(sample());
    let before = doc.board().clone();
    doc.apply(Edit::RemoveFrame {
        id: FrameId::from("orders"),
    })
    .unwrap();
    assert_eq!(doc.board().notes.len(), before.notes.len());
    assert!(doc
        .board()
        .notes
        .iter()
        .all(|n| n.frame.as_ref().map(FrameId::as_str) != Some("orders")));
    doc.undo();
    assert_eq!(doc.board(), &before);
}

#[test]
fn every_change_moves_the_revision_and_refusals_do_not() {
    let mut doc = Document::new(sample());
    let mut last = doc.revision();
    let mut moved = |doc: &Document| {
        let changed = doc.revision() != last;
        last = doc.revision();
        changed
    };
    doc.apply(Edit::SetText {
        id: NoteId::from("cashier"),
        text: "Till".into(),
    })
    .unwrap();
    assert!(moved(&doc));
    assert!(doc
        .apply(Edit::RemoveNote {
            id: NoteId::from("nobody")
        })
        .is_err());
    assert!(!moved(&doc));
    doc.preview(Edit::MoveNote {
        id: NoteId::from("cashier"),
        x: 5.0,
        y: 5.0,
    })
    .unwrap();
    assert!(moved(&doc));
    doc.undo();
    assert!(moved(&doc));
    doc.redo();
    assert!(moved(&doc));
    doc.replace(Board::default());
    assert!(moved(&doc));
}

#[test]
fn a_new_edit_clears_redo() {
    let mut doc = Document::new(sample());
    doc.apply(Edit::SetText {
        id: NoteId::from("cashier"),
        text: "Waiter".into(),
    })
    .unwrap();
    doc.undo();
    assert!(doc.history().can_redo());
    doc.apply(Edit::SetText {
        id: NoteId::from("cashier"),
        text: "Clerk".into(),
    })
    .unwrap();
    assert!(!doc.history().can_redo());
    assert!(!doc.redo());
}

#[test]
fn replace_is_one_undoable_step() {
    let mut doc = Document::new(sample());
    let before = doc.board().clone();
    doc.replace(Board::default());
    assert!(doc.board().notes.is_empty());
    doc.undo();
    assert_eq!(doc.board(), &before);
}

#[test]
fn preview_then_record_is_one_step() {
    // A drag moves the note on every pointer move without history, then records one step.
    let mut doc = Document::new(sample());
    let before = doc.board().clone();
    let id = NoteId::from("cashier");
    let first = doc
        .preview(Edit::MoveNote {
            id: id.clone(),
            x: 10.0,
            y: 10.0,
        })
        .unwrap();
    doc.preview(Edit::MoveNote {
        id: id.clone(),
        x: 50.0,
        y: 60.0,
    })
    .unwrap();
    doc.record(first);
    assert!(doc.undo());
    assert_eq!(doc.board(), &before);
    assert!(doc.redo());
    assert_eq!(
        (
            doc.board().note(&id).unwrap().x,
            doc.board().note(&id).unwrap().y
        ),
        (50.0, 60.0)
    );
}

fn arb_edit(board: Board) -> impl Strategy<Value = Edit> {
    let notes = ids(&board);
    let links: Vec<LinkId> = board.links.iter().map(|l| l.id.clone()).collect();
    let frames: Vec<FrameId> = board.frames.iter().map(|f| f.id.clone()).collect();
    let note = prop::sample::select(notes);
    let link = prop::sample::select(links);
    let frame = prop::sample::select(frames);
    let kind = prop::sample::select(NoteKind::ALL.to_vec());
    prop_oneof![
        (
            0u32..50,
            kind,
            -500.0f64..500.0,
            prop::option::of(0usize..30)
        )
            .prop_map(|(n, kind, x, index)| Edit::AddNote {
                note: Note::new(format!("new{n}"), kind, "new", x, x),
                index
            }),
        note.clone().prop_map(|id| Edit::RemoveNote { id }),
        (note.clone(), -1000.0f64..1000.0, -1000.0f64..1000.0)
            .prop_map(|(id, x, y)| Edit::MoveNote { id, x, y }),
        (note.clone(), prop::option::of(10.0f64..400.0)).prop_map(|(id, w)| Edit::ResizeNote {
            id,
            w,
            h: w
        }),
        (note.clone(), "\\PC{0,10}").prop_map(|(id, text)| Edit::SetText { id, text }),
        (
            note.clone(),
            prop::sample::select(vec!["rate", "dlq", "x_custom", "instances"]),
            prop::option::of(0u32..5)
        )
            .prop_map(|(id, name, v)| Edit::SetProp {
                id,
                name: name.into(),
                value: v.map(|v| if name == "dlq" {
                    json!(v % 2 == 0)
                } else {
                    json!(v)
                }),
                index: None
            }),
        (note.clone(), prop::option::of(frame.clone()))
            .prop_map(|(id, frame)| Edit::SetFrame { id, frame }),
        (0u32..50, note.clone(), note.clone()).prop_map(|(n, from, to)| Edit::AddLink {
            link: Link {
                id: LinkId(format!("nl{n}")),
                from,
                to
            },
            index: None
        }),
        link.prop_map(|id| Edit::RemoveLink { id }),
        (0u32..5, -100.0f64..100.0).prop_map(|(n, x)| Edit::AddFrame {
            frame: Frame {
                id: FrameId(format!("nf{n}")),
                kind: FrameKind::Context,
                name: "F".into(),
                x,
                y: x,
                w: None,
                h: None
            },
            index: Some(0)
        }),
        frame.clone().prop_map(|id| Edit::RemoveFrame { id }),
        (frame.clone(), 0.0f64..100.0).prop_map(|(id, x)| Edit::SetFrameRect {
            id,
            x,
            y: x,
            w: Some(900.0),
            h: None
        }),
        (frame, "\\PC{0,8}").prop_map(|(id, name)| Edit::RenameFrame { id, name }),
        (
            prop::sample::select(vec!["orders", "fresh"]),
            prop::option::of(1u32..9)
        )
            .prop_map(|(name, p)| Edit::SetTopic {
                name: name.into(),
                topic: p.map(|partitions| Topic {
                    name: name.into(),
                    partitions,
                    key: None,
                    retention_ms: None
                }),
                index: None
            }),
        prop::option::of("\\PC{0,8}").prop_map(|name| Edit::SetName { name }),
    ]
}

fn arb_edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(arb_edit(sample()), 1..30)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn apply_then_inverse_is_identity(edits in arb_edits()) {
        let mut board = sample();
        for edit in edits {
            let before = board.clone();
            match edit.apply(&mut board) {
                Ok(inverse) => {
                    let after = board.clone();
                    let redo = inverse.apply(&mut board).expect("an inverse always applies");
                    prop_assert_eq!(&board, &before);
                    redo.apply(&mut board).expect("the inverse of an inverse applies");
                    prop_assert_eq!(&board, &after);
                }
                Err(_) => prop_assert_eq!(&board, &before, "a refused edit changes nothing"),
            }
        }
    }

    #[test]
    fn saved_text_after_undo_is_the_original_text(edits in arb_edits()) {
        // Undo restores order too (props and topics), so a saved file does not churn.
        let mut doc = Document::new(sample());
        let start = flowstorm::model::save(doc.board());
        let mut steps = 0;
        for edit in edits {
            if doc.apply(edit).is_ok() {
                steps += 1;
            }
        }
        for _ in 0..steps {
            doc.undo();
        }
        prop_assert_eq!(flowstorm::model::save(doc.board()), start);
    }

    #[test]
    fn undo_all_then_redo_all(edits in arb_edits()) {
        let mut doc = Document::new(sample());
        let start = doc.board().clone();
        let mut steps = 0;
        for edit in edits {
            if doc.apply(edit).is_ok() {
                steps += 1;
            }
        }
        let end = doc.board().clone();
        for _ in 0..steps {
            prop_assert!(doc.undo());
        }
        prop_assert!(!doc.undo());
        prop_assert_eq!(doc.board(), &start);
        for _ in 0..steps {
            prop_assert!(doc.redo());
        }
        prop_assert!(!doc.redo());
        prop_assert_eq!(doc.board(), &end);
    }

    #[test]
    fn every_applied_edit_keeps_the_board_loadable(edits in arb_edits()) {
        let mut board = sample();
        for edit in edits {
            let _ = edit.apply(&mut board);
            let saved = flowstorm::model::save(&board);
            prop_assert_eq!(&flowstorm::model::load(&saved).expect("edited boards stay valid"), &board);
        }
    }
}

#[test]
fn removing_a_note_or_frame_lets_the_storyline_and_scheduled_faults_go_of_it_and_undo_restores() {
    use flowstorm::model::{Camera, Fault, ScheduledFault, Step, StepAction};
    let mut board = sample();
    let summary = NoteId::from("order-summary");
    let payment = NoteId::from("payment");
    board.storyline = vec![
        Step {
            caption: "The view".into(),
            camera: Camera::Notes(vec![summary.clone(), payment.clone()]),
            actions: vec![
                StepAction::Play { speed: 2.0 },
                StepAction::Fault(Fault::Poison {
                    note: summary.clone(),
                }),
            ],
        },
        Step {
            caption: "Orders".into(),
            camera: Camera::Frame(FrameId::from("orders")),
            actions: Vec::new(),
        },
    ];
    let scenario = board.scenario.get_or_insert_with(Default::default);
    scenario.faults = vec![
        ScheduledFault {
            at_ms: 1_000,
            fault: Fault::Poison {
                note: summary.clone(),
            },
        },
        ScheduledFault {
            at_ms: 2_000,
            fault: Fault::SystemDown {
                note: payment.clone(),
                for_ms: None,
            },
        },
    ];
    let mut doc = Document::new(board);
    let before = doc.board().clone();
    doc.apply(Edit::RemoveNote {
        id: summary.clone(),
    })
    .unwrap();
    let after = doc.board();
    assert_eq!(
        after.storyline[0].camera,
        Camera::Notes(vec![payment.clone()])
    );
    assert_eq!(
        after.storyline[0].actions,
        vec![StepAction::Play { speed: 2.0 }]
    );
    assert_eq!(after.scheduled_faults().len(), 1);
    assert_eq!(after.scheduled_faults()[0].fault.note(), Some(&payment));
    assert_eq!(
        flowstorm::model::load(&flowstorm::model::save(after)).as_ref(),
        Ok(after),
        "what is left still loads"
    );
    doc.apply(Edit::RemoveFrame {
        id: FrameId::from("orders"),
    })
    .unwrap();
    assert_eq!(doc.board().storyline[1].camera, Camera::Board);
    assert!(doc.undo() && doc.undo());
    assert_eq!(doc.board(), &before, "undo gives every step and fault back");
    // A step naming a note that is not on the board is refused.
    let ghost = Step {
        caption: String::new(),
        camera: Camera::Notes(vec![NoteId::from("ghost")]),
        actions: Vec::new(),
    };
    assert_eq!(
        doc.apply(Edit::SetStoryline { steps: vec![ghost] }),
        Err(EditError::NoSuchNote(NoteId::from("ghost")))
    );
}
