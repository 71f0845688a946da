//! Exports of a board: golden files for Mermaid, AsyncAPI (JSON and YAML) and the topic plan;
//! the AsyncAPI documents checked against the official AsyncAPI 3.0.0 schema; the SVG and the
//! HTML report well-formed XML showing every note.
//!
//! Golden files live in `tests/fixtures/export/`; after an intended change, write them again
//! with `UPDATE_GOLDEN=1 cargo test --test export` and read the diff.

use flowstorm::{
    analysis,
    exec::payload,
    export::{
        asyncapi, asyncapi_json, asyncapi_yaml, html_report, kafka_sh, mermaid, strimzi, svg,
        Report, Scale, SvgOptions, Theme,
    },
    model::{self, Board},
};
use serde_json::Value;
use std::{path::PathBuf, process::Command};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/export")
}

/// The boards the golden files are made from: the app's sample, and a board with typed fields,
/// frames, retries, a dead-letter topic and text that needs escaping.
fn boards() -> Vec<(&'static str, Board)> {
    let read = |path: PathBuf| {
        model::load(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{} loads: {e:?}", path.display()))
    };
    vec![
        (
            "sample",
            read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/model/sample.json")),
        ),
        ("shop", read(fixtures().join("shop.json"))),
    ]
}

/// Compares `actual` with the golden file `name`, or writes it when `UPDATE_GOLDEN` is set.
fn golden(name: &str, actual: &str) {
    let path = fixtures().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no golden file {}: run UPDATE_GOLDEN=1 cargo test --test export",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{name} differs from its golden file; if the change is intended, run \
         UPDATE_GOLDEN=1 cargo test --test export and read the diff\n--- actual ---\n{actual}"
    );
}

#[test]
fn mermaid_asyncapi_and_topic_plans_match_their_golden_files() {
    for (name, board) in boards() {
        golden(&format!("{name}.mmd"), &mermaid(&board));
        golden(&format!("{name}.asyncapi.json"), &asyncapi_json(&board));
        golden(
            &format!("{name}.asyncapi.yaml"),
            &asyncapi_yaml(&board).unwrap(),
        );
        golden(&format!("{name}.kafka.sh"), &kafka_sh(&board));
        golden(&format!("{name}.strimzi.yaml"), &strimzi(&board));
    }
}

/// Every `$ref` of the document, with where it is.
fn refs<'a>(value: &'a Value, at: String, out: &mut Vec<(String, &'a str)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push((at.clone(), r)),
                    _ => refs(v, format!("{at}/{k}"), out),
                }
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                refs(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_asyncapi_reference_resolves_and_operations_use_their_channels_messages() {
    for (name, board) in boards() {
        let doc = asyncapi(&board);
        let mut found = Vec::new();
        refs(&doc, String::new(), &mut found);
        assert!(!found.is_empty());
        for (at, r) in found {
            let pointer = r.strip_prefix('#').expect("a local reference");
            assert!(
                doc.pointer(pointer).is_some(),
                "{name}: {at}: {r} resolves to nothing"
            );
        }
        for (id, op) in doc["operations"].as_object().unwrap() {
            let channel = op["channel"]["$ref"].as_str().unwrap();
            for m in op["messages"].as_array().unwrap() {
                let m = m["$ref"].as_str().unwrap();
                assert!(
                    m.starts_with(&format!("{channel}/messages/")),
                    "{name}: {id}: {m} is not a message of {channel}"
                );
            }
        }
    }
}

#[test]
fn the_yaml_document_is_the_json_document() {
    for (name, board) in boards() {
        let yaml: Value = serde_norway::from_str(&asyncapi_yaml(&board).unwrap()).unwrap();
        assert_eq!(yaml, asyncapi(&board), "{name}");
    }
}

/// The board's AsyncAPI document with, in each message's examples, records as runs with
/// several seeds write them.
fn with_generated_records(board: &Board) -> Value {
    let mut doc = asyncapi(board);
    let shapes = payload::event_shapes(board);
    for message in doc["components"]["messages"]
        .as_object_mut()
        .unwrap()
        .values_mut()
    {
        let id = message["name"].as_str().unwrap().to_string();
        let i = board
            .notes
            .iter()
            .position(|n| n.id.as_str() == id)
            .unwrap();
        let shape = shapes[i].as_ref().unwrap();
        let examples = message["examples"].as_array_mut().unwrap();
        for n in 0..40u64 {
            let origin = payload::Origin {
                seed: n % 4,
                message: n,
                entity: n * 7,
                at_ms: n * 1_250,
            };
            examples.push(serde_json::json!({ "payload": origin.payload(shape).to_json() }));
        }
    }
    doc
}

#[test]
fn asyncapi_documents_are_valid_against_the_official_schema() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let modules = root.join("tools/web/node_modules/@asyncapi/specs");
    assert!(
        modules.exists(),
        "{} is missing: run scripts/setup.sh (make test does)",
        modules.display()
    );
    let dir = std::env::temp_dir().join(format!("flowstorm-asyncapi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (name, board) in boards() {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, asyncapi_json(&board)).unwrap();
        files.push(path);
        // The same document with many records a run writes as examples: the script checks
        // every example against its message's payload schema.
        let path = dir.join(format!("{name}-records.json"));
        std::fs::write(&path, with_generated_records(&board).to_string()).unwrap();
        files.push(path);
    }
    let out = Command::new("node")
        .arg(root.join("scripts/validate-asyncapi.mjs"))
        .args(&files)
        .output()
        .expect("node runs (scripts/setup.sh installs it)");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The texts of an SVG's `<text>` elements, each one's lines joined with spaces.
fn texts(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            n.children()
                .filter(|c| c.has_tag_name("tspan"))
                .filter_map(|c| c.text())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn the_svg_is_xml_with_every_note_frame_and_link_and_its_text() {
    for (name, board) in boards() {
        for theme in [Theme::Light, Theme::Dark] {
            let options = SvgOptions {
                theme,
                ..SvgOptions::default()
            };
            let picture = svg(&board, &options, &[]).unwrap();
            let doc = roxmltree::Document::parse(&picture)
                .unwrap_or_else(|e| panic!("{name}: not XML: {e}\n{picture}"));
            let attr = |a: &str| {
                doc.descendants()
                    .filter_map(|n| n.attribute(a).map(str::to_string))
                    .collect::<Vec<_>>()
            };
            let ids: Vec<String> = board.notes.iter().map(|n| n.id.to_string()).collect();
            assert_eq!(attr("data-note-id"), ids, "{name}");
            assert_eq!(attr("data-frame-id").len(), board.frames.len(), "{name}");
            assert_eq!(attr("data-link-id").len(), board.links.len(), "{name}");
            let shown = texts(&doc);
            for note in &board.notes {
                let words = note.text.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(shown.contains(&words), "{name}: {words:?} not in {shown:?}");
            }
        }
    }
}

#[test]
fn the_svg_scales_and_shows_one_frame() {
    let (_, board) = boards().remove(1);
    let size = |scale| {
        let picture = svg(
            &board,
            &SvgOptions {
                scale,
                ..SvgOptions::default()
            },
            &[],
        )
        .unwrap();
        let doc = roxmltree::Document::parse(&picture).unwrap();
        let root = doc.root_element();
        let w: f64 = root.attribute("width").unwrap().parse().unwrap();
        let view: Vec<f64> = root
            .attribute("viewBox")
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        (w, view[2])
    };
    assert_eq!(size(Scale::One).0, size(Scale::One).1);
    assert_eq!(size(Scale::Four).0, 4.0 * size(Scale::Four).1);
    let billing = svg(
        &board,
        &SvgOptions {
            frame: Some("Billing".into()),
            ..SvgOptions::default()
        },
        &[],
    )
    .unwrap();
    let doc = roxmltree::Document::parse(&billing).unwrap();
    let notes = doc
        .descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("data-kind").is_some())
        .count();
    assert_eq!(notes, 6, "the notes of the Billing frame");
}

#[test]
fn the_html_report_is_xml_with_the_board_its_badges_and_every_finding() {
    for (name, board) in boards() {
        let report = Report::with_run(&board, 7, Some(3_000), 5_000_000).unwrap();
        assert!(report.run.is_some());
        let page = html_report(&report, &SvgOptions::default()).unwrap();
        let doc = roxmltree::Document::parse_with_options(
            &page,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{name}: not XML: {e}"));
        assert!(doc.descendants().any(|n| n.has_tag_name("svg")), "{name}");
        let sections = doc
            .descendants()
            .filter(|n| n.has_tag_name("section"))
            .count();
        assert_eq!(sections, report.findings.len(), "{name}");
        let badged: std::collections::BTreeSet<&str> = report
            .findings
            .iter()
            .filter_map(|f| f.notes.first().map(|n| n.as_str()))
            .collect();
        let badges = doc
            .descendants()
            .filter(|n| n.attribute("data-badge").is_some())
            .count();
        assert_eq!(
            badges,
            badged.len(),
            "{name}: a badge per note a finding names first"
        );
        assert_eq!(
            report
                .findings
                .iter()
                .filter(|f| f.source == analysis::Source::Static)
                .count(),
            analysis::check(&board).len()
        );
    }
}

#[test]
fn the_topic_plan_starts_each_group_where_its_consumer_says() {
    let (_, mut board) = boards().remove(0);
    let plan = flowstorm::export::kafka_plan(&board);
    let first = plan.groups.first().expect("a consuming note").clone();
    assert!(kafka_sh(&board).contains("auto.offset.reset=earliest"));
    let note = board
        .notes
        .iter_mut()
        .find(|n| {
            n.id.as_str() == first.name
                || n.props.get("group").and_then(Value::as_str) == Some(first.name.as_str())
        })
        .expect("the group's note");
    note.props.insert("start".into(), Value::from("latest"));
    let script = kafka_sh(&board);
    assert!(script.contains("auto.offset.reset=latest"), "{script}");
}
