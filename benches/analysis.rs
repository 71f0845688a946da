//! Hazard analysis speed: every static rule on a generated 10,000-note board, and the whole
//! `flowstorm check` process on a 500-note board. Prints `name value unit` lines on stdout.

#[path = "timing.rs"]
mod timing;
use flowstorm::{
    analysis,
    model::{self, kind::NoteKind, Board, Frame, FrameId, FrameKind, Link, LinkId, Note, Topic},
};
use serde_json::{json, Value};
use std::{hint::black_box, process::Command};
use timing::median_ms;

/// Chains actor → command → aggregate → event per context.
const CHAINS: usize = 6;

/// Builds a board of exactly `size` notes: bounded contexts of ~40 notes, each with an actor,
/// command/aggregate/event chains, policies carrying the flow along and on to the next
/// context, read models, external systems, a failure event and a hotspot.
fn generate(size: usize) -> Board {
    let mut b = Builder::default();
    let per_context = 1 + 3 * CHAINS + 1 + 3 + CHAINS + (CHAINS - 1) + 2 + 2 + 1;
    let mut k = 0;
    while b.board.notes.len() + per_context <= size {
        context(&mut b, k);
        k += 1;
    }
    while b.board.notes.len() < size {
        let i = b.board.notes.len();
        b.note(
            &format!("q{i}"),
            NoteKind::Hotspot,
            "Open question",
            None,
            json!({}),
        );
    }
    b.board
}

#[derive(Default)]
struct Builder {
    board: Board,
}

impl Builder {
    fn note(&mut self, id: &str, kind: NoteKind, text: &str, frame: Option<&str>, props: Value) {
        let i = self.board.notes.len() as f64;
        let mut note = Note::new(
            id,
            kind,
            text,
            (i % 100.0) * 200.0,
            (i / 100.0).floor() * 200.0,
        );
        note.frame = frame.map(FrameId::from);
        if let Value::Object(map) = props {
            note.props = map;
        }
        self.board.notes.push(note);
    }

    fn link(&mut self, from: &str, to: &str) {
        let id = format!("l{}", self.board.links.len());
        self.board.links.push(Link {
            id: LinkId(id),
            from: from.into(),
            to: to.into(),
        });
    }
}

fn context(b: &mut Builder, k: usize) {
    let f = format!("ctx{k}");
    let frame = Some(f.as_str());
    let id = |s: &str| format!("k{k}-{s}");
    b.board.frames.push(Frame {
        id: FrameId(f.clone()),
        kind: FrameKind::Context,
        name: format!("Context {k}"),
        x: 0.0,
        y: k as f64 * 1000.0,
        w: None,
        h: None,
    });
    b.board.topics.push(Topic {
        name: f.clone(),
        partitions: 3,
        key: Some("id".into()),
        retention_ms: None,
    });
    b.note(
        &id("clerk"),
        NoteKind::Actor,
        "Clerk",
        frame,
        json!({"entities": 500}),
    );
    for j in 0..CHAINS {
        b.note(
            &id(&format!("cmd{j}")),
            NoteKind::Command,
            &format!("Do step {j}"),
            frame,
            json!({}),
        );
        let store = if j % 2 == 0 {
            json!({"store": "event_sourced"})
        } else {
            json!({"outbox": j % 3 == 0})
        };
        b.note(
            &id(&format!("agg{j}")),
            NoteKind::Aggregate,
            &format!("Thing {j}"),
            frame,
            store,
        );
        b.note(
            &id(&format!("evt{j}")),
            NoteKind::Event,
            &format!("Step {j} done"),
            frame,
            json!({"topic": f}),
        );
        b.link(&id("clerk"), &id(&format!("cmd{j}")));
        b.link(&id(&format!("cmd{j}")), &id(&format!("agg{j}")));
        b.link(&id(&format!("agg{j}")), &id(&format!("evt{j}")));
    }
    b.note(
        &id("failed"),
        NoteKind::Event,
        "Step 0 failed",
        frame,
        json!({"topic": f, "failure": true}),
    );
    b.link(&id("agg0"), &id("failed"));
    for v in 0..3 {
        let props = if v == 0 {
            json!({"version_token": k.is_multiple_of(2), "idempotent": true})
        } else {
            json!({})
        };
        b.note(
            &id(&format!("view{v}")),
            NoteKind::ReadModel,
            &format!("View {v}"),
            frame,
            props,
        );
        b.link(&id(&format!("evt{}", 2 * v)), &id(&format!("view{v}")));
        b.link(&id(&format!("evt{}", 2 * v + 1)), &id(&format!("view{v}")));
    }
    b.link(&id("view0"), &id("clerk"));
    for j in 0..CHAINS {
        let guard = if (j + k).is_multiple_of(7) {
            json!({})
        } else {
            json!({"guard": "once per thing", "idempotent": j.is_multiple_of(2)})
        };
        b.note(
            &id(&format!("pol{j}")),
            NoteKind::Policy,
            &format!("Whenever step {j} is done, go on"),
            frame,
            guard,
        );
        b.link(&id(&format!("evt{j}")), &id(&format!("pol{j}")));
        if j + 1 < CHAINS {
            b.note(
                &id(&format!("pcmd{j}")),
                NoteKind::Command,
                &format!("Continue to {}", j + 1),
                frame,
                json!({}),
            );
            b.link(&id(&format!("pol{j}")), &id(&format!("pcmd{j}")));
            b.link(&id(&format!("pcmd{j}")), &id(&format!("agg{}", j + 1)));
        }
    }
    // The last step hands over to the next context.
    b.note(
        &id("handover"),
        NoteKind::Policy,
        "Whenever the previous context is done, start",
        frame,
        json!({"dlq": true}),
    );
    b.note(
        &id("start"),
        NoteKind::Command,
        "Start here",
        frame,
        json!({}),
    );
    if k > 0 {
        b.link(&format!("k{}-evt{}", k - 1, CHAINS - 1), &id("handover"));
    }
    b.link(&id("handover"), &id("start"));
    b.link(&id("start"), &id("agg0"));
    b.link(&id("view1"), &id("handover"));
    b.note(
        &id("bank"),
        NoteKind::ExternalSystem,
        "Bank",
        frame,
        json!({"availability": 0.995}),
    );
    b.note(
        &id("mail"),
        NoteKind::ExternalSystem,
        "Mailer",
        frame,
        json!({"failure_rate": 0.01}),
    );
    b.link(&id("agg1"), &id("bank"));
    b.link(&id("cmd1"), &id("bank"));
    b.link(&id("evt2"), &id("mail"));
    b.link(&id("failed"), &id("mail"));
    b.note(
        &id("why"),
        NoteKind::Hotspot,
        "Is this step needed?",
        frame,
        json!({}),
    );
    b.link(&id("why"), &id("agg0"));
}

fn main() {
    let big = generate(10_000);
    assert_eq!(big.notes.len(), 10_000);
    let mut count = 0;
    let analysis_ms = median_ms(11, || {
        count = black_box(analysis::check(black_box(&big))).len()
    });
    eprintln!(
        "10k board: {} links, {} frames, {count} findings",
        big.links.len(),
        big.frames.len()
    );

    let small = generate(500);
    let text = model::save(&small);
    model::load(&text).expect("the generated board loads");
    let dir = std::env::temp_dir().join(format!("flowstorm-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let path = dir.join("board-500.json");
    std::fs::write(&path, text).expect("the board is written");
    let binary = env!("CARGO_BIN_EXE_flowstorm");
    let mut code = None;
    let cli_ms = median_ms(11, || {
        let out = Command::new(binary)
            .arg("check")
            .arg(&path)
            .output()
            .expect("flowstorm runs");
        code = out.status.code();
    });
    eprintln!("500-note board: `flowstorm check` exit code {code:?} ({binary})");
    let _ = std::fs::remove_dir_all(&dir);

    println!("analysis_10k_ms {analysis_ms:.2} ms");
    println!("check_cli_ms {cli_ms:.2} ms");
}
