//! The gallery of sample boards: each loads, is laid out readably, gives exactly the hazards its
//! story is about, runs its scenario without problems, and its storyline can be walked step by
//! step, every camera showing something on the board and every fault applying to the run.

use flowstorm::{
    analysis::{self, dynamic, HazardCode, Severity},
    exec::{
        compare::{event_board, request_board, CompareSettings},
        Level, Run, RunConfig, Timeline,
    },
    model::{
        samples::{sample_by_id, SAMPLES},
        Board, Camera, FrameId, Link, LinkId, NoteId, StepAction,
    },
};
use std::collections::BTreeSet;

use HazardCode::*;

/// Room left between two notes (board units), so links and text stay readable.
const NOTE_GAP: f64 = 40.0;
/// A caption is shown large on a projector: a line or two at most.
const MAX_CAPTION_CHARS: usize = 100;
/// The projector a storyline is written for, less room for the caption (pixels).
const SCREEN: (f64, f64) = (1280.0, 600.0);
/// The smallest zoom at which a note's text stays readable on that screen.
const MIN_ZOOM: f64 = 0.5;
/// Simulated time a walk lets pass on a step that leaves the run playing, at speed 1 (ms): about
/// what a speaker spends on a step.
const DWELL_MS: f64 = 3_000.0;

/// What each board's story is about, as the static check reports it: its warnings, then its
/// infos. A code in neither list is a finding the board does not mean to show.
struct Expected {
    id: &'static str,
    warnings: &'static [HazardCode],
    infos: &'static [HazardCode],
    /// Hazards the scenario's run shows (signs while running), without the storyline's faults.
    seen: &'static [HazardCode],
}

const EXPECTED: &[Expected] = &[
    // Every service its own consumer group, idempotent, retrying in place: nothing to warn about.
    Expected {
        id: "event-pos",
        warnings: &[],
        infos: &[],
        seen: &[],
    },
    // The statement is not idempotent: a replay (reset offsets) would count twice; the story
    // rebuilds it instead.
    Expected {
        id: "bank",
        warnings: &[],
        infos: &[FS004],
        seen: &[],
    },
    // The chain itself (FS010), and Logistics down at 3 s blocks every order meanwhile; the
    // API's event is for nobody yet (FS011).
    Expected {
        id: "request-pos",
        warnings: &[FS010],
        infos: &[FS011],
        seen: &[FS010],
    },
    Expected {
        id: "fraud",
        warnings: &[],
        infos: &[],
        seen: &[],
    },
    // The topic-per-event side loses the order of an order's events (FS003).
    Expected {
        id: "topic-design",
        warnings: &[FS003],
        infos: &[],
        seen: &[],
    },
    // The unfixed frame reads its own write stale (FS001); moving the boundary answers the read
    // with an event nobody else needs (FS011).
    Expected {
        id: "consistency",
        warnings: &[FS001],
        infos: &[FS011],
        seen: &[FS001],
    },
];

fn board(id: &str) -> Board {
    sample_by_id(id)
        .unwrap_or_else(|| panic!("no sample {id}"))
        .board()
}

fn codes(findings: &[analysis::Finding], severity: Severity) -> BTreeSet<HazardCode> {
    findings
        .iter()
        .filter(|f| f.severity == severity)
        .map(|f| f.code)
        .collect()
}

fn set(codes: &[HazardCode]) -> BTreeSet<HazardCode> {
    codes.iter().copied().collect()
}

#[test]
fn every_sample_is_listed_with_what_its_story_expects() {
    let listed: Vec<&str> = SAMPLES.iter().map(|s| s.id).collect();
    let expected: Vec<&str> = EXPECTED.iter().map(|e| e.id).collect();
    assert_eq!(listed, expected);
}

#[test]
fn every_sample_gives_exactly_the_hazards_its_story_is_about() {
    for e in EXPECTED {
        let findings = analysis::check(&board(e.id));
        assert_eq!(codes(&findings, Severity::Error), set(&[]), "{}", e.id);
        assert_eq!(
            codes(&findings, Severity::Warning),
            set(e.warnings),
            "{}: {findings:#?}",
            e.id
        );
        assert_eq!(
            codes(&findings, Severity::Info),
            set(e.infos),
            "{}: {findings:#?}",
            e.id
        );
    }
}

#[test]
fn every_sample_is_version_3_with_a_scenario_and_a_storyline_of_4_to_8_steps() {
    for s in SAMPLES {
        let json: serde_json::Value = serde_json::from_str(s.json()).unwrap();
        assert_eq!(json["version"], 3, "{}", s.id);
        let b = s.board();
        let scenario = b.scenario.as_ref().unwrap_or_else(|| panic!("{}", s.id));
        assert!(scenario.duration_ms >= 10_000, "{}", s.id);
        assert!(
            (4..=8).contains(&b.storyline.len()),
            "{}: {} steps",
            s.id,
            b.storyline.len()
        );
        for (i, step) in b.storyline.iter().enumerate() {
            let n = step.caption.chars().count();
            assert!(
                n > 0 && n <= MAX_CAPTION_CHARS,
                "{} step {i}: caption of {n} characters",
                s.id
            );
        }
    }
}

#[test]
fn every_sample_is_laid_out_readably_in_named_frames() {
    for s in SAMPLES {
        let b = s.board();
        for f in &b.frames {
            assert!(
                !f.name.trim().is_empty(),
                "{}: frame {} unnamed",
                s.id,
                f.id
            );
        }
        for (i, f) in b.frames.iter().enumerate() {
            for g in &b.frames[..i] {
                assert!(
                    !f.rect().intersects(&g.rect()),
                    "{}: frames {} and {} overlap",
                    s.id,
                    f.id,
                    g.id
                );
            }
        }
        for (i, n) in b.notes.iter().enumerate() {
            let frame = n
                .frame
                .as_ref()
                .and_then(|f| b.frame(f))
                .unwrap_or_else(|| panic!("{}: note {} is in no frame", s.id, n.id));
            assert!(
                frame.rect().contains_rect(&n.rect()),
                "{}: note {} sticks out of frame {}",
                s.id,
                n.id,
                frame.id
            );
            let r = n.rect();
            for m in &b.notes[..i] {
                let o = m.rect();
                let apart = r.x >= o.right() + NOTE_GAP
                    || o.x >= r.right() + NOTE_GAP
                    || r.y >= o.bottom() + NOTE_GAP
                    || o.y >= r.bottom() + NOTE_GAP;
                assert!(apart, "{}: notes {} and {} too close", s.id, n.id, m.id);
            }
        }
    }
}

#[test]
fn every_step_shows_a_part_of_the_board_legible_on_a_projector() {
    for s in SAMPLES {
        let b = s.board();
        for (i, step) in b.storyline.iter().enumerate() {
            let part = match &step.camera {
                Camera::Board => b.bounds(),
                Camera::Frame(f) => b.frame(f).map(|f| f.rect()),
                Camera::Notes(ns) => ns
                    .iter()
                    .filter_map(|n| b.note(n).map(|n| n.rect()))
                    .reduce(|a, b| a.union(&b)),
                Camera::Area(r) => Some(*r),
            };
            let part = part.unwrap_or_else(|| panic!("{} step {i} shows nothing", s.id));
            let zoom = (SCREEN.0 / part.w).min(SCREEN.1 / part.h);
            assert!(
                zoom >= MIN_ZOOM,
                "{} step {i}: {}×{} shows at zoom {zoom:.2}",
                s.id,
                part.w,
                part.h
            );
        }
    }
}

#[test]
fn every_event_has_typed_fields_keyed_by_its_aggregates_id() {
    for s in SAMPLES {
        let b = s.board();
        for e in b
            .notes
            .iter()
            .filter(|n| n.kind == flowstorm::model::NoteKind::Event)
        {
            let fields = e.props.get("fields").and_then(|f| f.as_array());
            let fields = fields.unwrap_or_else(|| panic!("{}: {} has no fields", s.id, e.id));
            let route = analysis::route_of_event(&b, &e.id);
            let key = route
                .as_ref()
                .and_then(|r| r.key.clone())
                .unwrap_or_else(|| panic!("{}: {} has no key", s.id, e.id));
            assert!(
                fields.iter().any(|f| f.as_str().is_some_and(|f| f
                    .split(':')
                    .next()
                    .unwrap()
                    .trim()
                    == key)),
                "{}: {} has no field {key}",
                s.id,
                e.id
            );
        }
    }
}

#[test]
fn every_sample_runs_its_scenario_without_problems_and_shows_what_it_means_to() {
    for e in EXPECTED {
        let b = board(e.id);
        let mut run = Run::new(&b, RunConfig::for_board(&b))
            .unwrap_or_else(|d| panic!("{} does not run: {d:?}", e.id));
        run.run_to_end(2_000);
        assert!(
            run.diagnostics().is_empty(),
            "{}: {:?}",
            e.id,
            run.diagnostics()
        );
        assert!(run.commands_issued() > 0, "{}", e.id);
        let seen: BTreeSet<HazardCode> = dynamic::findings(&run)
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .map(|f| f.code)
            .collect();
        assert_eq!(seen, set(e.seen), "{}", e.id);
    }
}

/// Walks a board's storyline as presentation mode does, on a timeline of its run: each step's
/// camera must show something on the board, each of its actions is done in order (a play lets
/// [`DWELL_MS`] × speed pass before the next step), and each fault must apply to the run at the
/// moment the step is reached.
fn walk(id: &str) -> Timeline {
    let b = board(id);
    let config = RunConfig::for_board(&b);
    let duration = config.duration_ms;
    let new = || Timeline::new(&b, config.clone()).unwrap();
    let mut timeline = new();
    let mut playing: Option<f64> = None;
    for (i, step) in b.storyline.iter().enumerate() {
        match &step.camera {
            Camera::Board => {}
            Camera::Frame(f) => assert!(b.frame(f).is_some(), "{id} step {i}: no frame {f}"),
            Camera::Notes(ns) => {
                assert!(!ns.is_empty(), "{id} step {i}");
                for n in ns {
                    assert!(b.note(n).is_some(), "{id} step {i}: no note {n}");
                }
            }
            Camera::Area(r) => assert!(r.w > 0.0 && r.h > 0.0, "{id} step {i}"),
        }
        for action in &step.actions {
            match action {
                StepAction::Play { speed } => playing = Some(*speed),
                StepAction::Pause => playing = None,
                StepAction::Reset => {
                    timeline = new();
                    playing = None;
                }
                StepAction::Jump { at_ms } => {
                    playing = None;
                    timeline.seek(*at_ms);
                    assert_eq!(timeline.run().now(), *at_ms, "{id} step {i}");
                }
                StepAction::Fault(f) => {
                    let at = timeline.run().now();
                    timeline.apply_fault(f.clone()).unwrap_or_else(|e| {
                        panic!("{id} step {i}: {} at {at} ms refused: {e}", f.name())
                    });
                }
            }
        }
        if let Some(speed) = playing {
            let t = timeline.run().now() + (DWELL_MS * speed) as u64;
            timeline.seek(t.min(duration));
        }
    }
    let errors: Vec<_> = timeline
        .run()
        .diagnostics()
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    assert!(errors.is_empty(), "{id}: {errors:?}");
    timeline
}

#[test]
fn every_storyline_can_be_walked_step_by_step() {
    for s in SAMPLES {
        let t = walk(s.id);
        assert!(t.run().now() > 0, "{}: the story never plays", s.id);
    }
}

#[test]
fn the_bank_story_travels_back_in_time_then_replays_and_rebuilds() {
    let b = board("bank");
    let actions: Vec<&StepAction> = b.storyline.iter().flat_map(|s| &s.actions).collect();
    let jumps: Vec<u64> = actions
        .iter()
        .filter_map(|a| match a {
            StepAction::Jump { at_ms } => Some(*at_ms),
            _ => None,
        })
        .collect();
    assert!(
        jumps.first().is_some_and(|&t| t < 12_000),
        "an early moment: {jumps:?}"
    );
    let faults: Vec<&str> = actions
        .iter()
        .filter_map(|a| match a {
            StepAction::Fault(f) => Some(f.name()),
            _ => None,
        })
        .collect();
    assert_eq!(faults, ["reset_offsets", "rebuild_view"]);
    // One partition, so the stream is one log, oldest to most recent.
    assert_eq!(b.topic("account").map(|t| t.partitions), Some(1));
    walk("bank");
}

#[test]
fn the_request_based_board_has_logistics_down_at_3_s_every_time() {
    let b = board("request-pos");
    let faults = b.scheduled_faults();
    assert_eq!(faults.len(), 1);
    assert_eq!(faults[0].at_ms, 3_000);
    assert_eq!(faults[0].fault.note(), Some(&NoteId::from("logistics")));
    let hash = |b: &Board| {
        let mut r = Run::new(b, RunConfig::for_board(b)).unwrap();
        r.run_to_end(1_000);
        (
            r.trace_hash(),
            r.counters(&NoteId::from("place-order")).unwrap().failed,
        )
    };
    let (first, failed) = hash(&b);
    assert_eq!(hash(&b), (first, failed), "the same every time");
    assert!(failed > 0, "orders fail while Logistics is down");
}

/// The gallery's point of sale is Compare's: the same notes keep the same words and numbers.
#[test]
fn the_point_of_sale_boards_agree_with_compare() {
    let settings = CompareSettings::default();
    for (id, compare) in [
        ("request-pos", request_board(&settings)),
        ("event-pos", event_board(&settings)),
        ("fraud", event_board(&settings)),
    ] {
        let b = board(id);
        for c in &compare.notes {
            let Some(n) = b.note(&c.id) else {
                continue;
            };
            assert_eq!(n.kind, c.kind, "{id}: {}", c.id);
            assert_eq!(n.text, c.text, "{id}: {}", c.id);
            for (k, v) in &c.props {
                if k == "instances" {
                    continue;
                }
                let mine = n.props.get(k);
                let same = match (mine.and_then(|m| m.as_f64()), v.as_f64()) {
                    (Some(a), Some(b)) => a == b,
                    _ => mine == Some(v),
                };
                assert!(same, "{id}: {}.{k} is {mine:?}, {v} in Compare", c.id);
            }
        }
        for shared in ["customer", "place-order", "order-placed", "logistics"] {
            assert!(b.note(&NoteId::from(shared)).is_some(), "{id}: {shared}");
        }
        for t in &compare.topics {
            let mine = b
                .topic(&t.name)
                .unwrap_or_else(|| panic!("{id}: {}", t.name));
            assert_eq!((mine.partitions, &mine.key), (t.partitions, &t.key), "{id}");
        }
    }
}

#[test]
fn every_service_of_the_event_based_board_is_its_own_group_and_logistics_has_several_consumers() {
    let b = board("event-pos");
    let run = Run::new(&b, RunConfig::for_board(&b)).unwrap();
    let groups: Vec<&str> = run.plan().groups.iter().map(|g| g.note.as_str()).collect();
    assert_eq!(groups, ["reserve", "charge", "ship", "notify"]);
    assert!(run.instances(&NoteId::from("ship")).len() > 1);
}

#[test]
fn drawing_the_fraud_link_while_it_runs_adds_a_consumer_and_no_warning() {
    let mut b = board("fraud");
    let before = analysis::check(&b);
    let hotspot = b.note(&NoteId::from("draw-it")).unwrap();
    assert_eq!(hotspot.kind, flowstorm::model::NoteKind::Hotspot);
    let fraud = NoteId::from("fraud-check");
    assert!(
        !b.links
            .iter()
            .any(|l| l.to == fraud
                && b.note(&l.from).unwrap().kind == flowstorm::model::NoteKind::Event),
        "nothing feeds Fraud check before the presenter draws it"
    );
    b.links.push(Link {
        id: LinkId("drawn".into()),
        from: NoteId::from("order-placed"),
        to: fraud.clone(),
    });
    assert_eq!(analysis::check(&b), before);
    let mut run = Run::new(&b, RunConfig::for_board(&b)).unwrap();
    run.run_to_end(1_000);
    assert!(run.counters(&fraud).unwrap().handled > 0);
    assert!(
        run.counters(&NoteId::from("fraud-scoring"))
            .unwrap()
            .handled
            > 0
    );
}

#[test]
fn the_topic_per_event_side_alone_loses_order() {
    let b = board("topic-design");
    let findings = analysis::check(&b);
    let per_event = FrameId("per-event".into());
    for f in findings.iter().filter(|f| f.code == FS003) {
        for n in &f.notes {
            assert_eq!(b.note(n).unwrap().frame.as_ref(), Some(&per_event), "{n}");
        }
    }
    assert!(findings.iter().any(|f| f.code == FS003));
}

#[test]
fn only_the_unfixed_frame_reads_stale_and_each_fix_has_its_own_step() {
    let b = board("consistency");
    let stale = FrameId("stale".into());
    let findings = analysis::check(&b);
    assert!(findings.iter().any(|f| f.code == FS001));
    for f in findings.iter().filter(|f| f.code == FS001) {
        for n in &f.notes {
            assert_eq!(b.note(n).unwrap().frame.as_ref(), Some(&stale), "{n}");
        }
    }
    let shown: Vec<&FrameId> = b
        .storyline
        .iter()
        .filter_map(|s| match &s.camera {
            Camera::Frame(f) => Some(f),
            _ => None,
        })
        .collect();
    for f in &b.frames {
        assert!(shown.contains(&&f.id), "no step shows {}", f.id);
    }
    let versioned = b.note(&NoteId::from("versioned-view")).unwrap();
    assert_eq!(versioned.props.get("version_token"), Some(&true.into()));
}
