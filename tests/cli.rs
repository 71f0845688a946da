//! The `flowstorm` command line: exit codes and output shapes.

use std::process::{Command, Output};

#[path = "cli/export.rs"]
mod export;

fn flowstorm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flowstorm"))
        .args(args)
        .output()
        .expect("the CLI runs")
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn broken_file() -> tempfile_path::TempFile {
    tempfile_path::TempFile::new(
        "broken.json",
        r#"{"format":"flowstorm-board","version":1,
            "notes":[{"id":"a","kind":"sticky","x":0,"y":0},{"id":"b","kind":"event","x":0,"y":0}],
            "links":[{"id":"l","from":"b","to":"ghost"}]}"#,
    )
}

mod tempfile_path {
    /// A file in the target dir, removed when dropped.
    pub struct TempFile(pub std::path::PathBuf);

    impl TempFile {
        pub fn new(name: &str, text: &str) -> TempFile {
            // A directory of its own: tests run in parallel, and one test's file removed on
            // drop must not be another's still in use.
            static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let dir =
                std::env::temp_dir().join(format!("flowstorm-cli-{}-{n}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            TempFile(path)
        }

        pub fn path(&self) -> &str {
            self.0.to_str().unwrap()
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
            if let Some(dir) = self.0.parent() {
                let _ = std::fs::remove_dir(dir);
            }
        }
    }
}

#[test]
fn validate_a_good_board_prints_a_summary() {
    let out = flowstorm(&["validate", &fixture("v1/checkout.json")]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.contains("9 notes, 9 links, 2 frames, 2 topics"),
        "{stdout}"
    );
}

#[test]
fn validate_a_bad_board_lists_every_problem_with_its_path() {
    let file = broken_file();
    let out = flowstorm(&["validate", file.path()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("$.notes[0].kind: unknown note kind \"sticky\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("$.links[0].to: link end \"ghost\" is not a note"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn validate_json_output() {
    let file = broken_file();
    let out = flowstorm(&["validate", file.path(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stderr).expect("JSON on stderr");
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[0]["path"], "$.notes[0].kind");
    assert_eq!(problems[0]["code"], "unknown_kind");
    let good = flowstorm(&["validate", &fixture("v1/checkout.json"), "--format", "json"]);
    let summary: serde_json::Value = serde_json::from_slice(&good.stdout).unwrap();
    assert_eq!(summary["valid"], true);
    assert_eq!(summary["notes"], 9);
}

#[test]
fn bad_usage_and_missing_files_exit_2() {
    assert_eq!(flowstorm(&[]).status.code(), Some(2));
    assert_eq!(flowstorm(&["frobnicate", "x"]).status.code(), Some(2));
    assert_eq!(flowstorm(&["validate"]).status.code(), Some(2));
    assert_eq!(
        flowstorm(&["validate", "x.json", "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
    let out = flowstorm(&["validate", "/nonexistent/board.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/board.json"));
}

#[test]
fn check_exits_1_on_warnings_and_prints_one_block_per_finding() {
    let out = flowstorm(&["check", &fixture("hazards/fs002-dual-write.json")]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("warning FS002: dual write\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  notes: Order (order), Order placed (order-placed)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  fix: Publish through a transactional outbox"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().last(), Some("1 warning"), "{stdout}");
}

#[test]
fn check_exits_0_on_a_clean_board_and_on_infos_only() {
    let clean = flowstorm(&["check", &fixture("hazards/hardened-pos.json")]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    assert_eq!(String::from_utf8_lossy(&clean.stdout).trim(), "no hazards");
    let infos = flowstorm(&["check", &fixture("hazards/fs007-idle-consumers.json")]);
    assert_eq!(infos.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&infos.stdout).lines().last(),
        Some("1 info")
    );
}

#[test]
fn check_json_lists_hazards_with_code_severity_notes_message_and_fix() {
    let out = flowstorm(&[
        "check",
        &fixture("hazards/fs005-event-loop.json"),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let hazards = report["hazards"].as_array().expect("a hazards list");
    assert!(!hazards.is_empty());
    for h in hazards {
        for field in ["code", "severity", "message", "fix", "source"] {
            assert!(h[field].is_string(), "{field} in {h}");
        }
        assert!(h["notes"]
            .as_array()
            .is_some_and(|n| !n.is_empty() && n.iter().all(|id| id.is_string())));
    }
    assert_eq!(hazards[0]["code"], "FS005");
    assert_eq!(hazards[0]["severity"], "error");
    let clean = flowstorm(&[
        "check",
        &fixture("hazards/hardened-pos.json"),
        "--format",
        "json",
    ]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&clean.stdout).unwrap(),
        serde_json::json!({"hazards": []})
    );
}

#[test]
fn check_exits_2_when_the_board_does_not_load() {
    // Its own file name: tests run in parallel and each temp file is removed when dropped.
    let file = tempfile_path::TempFile::new(
        "broken-check.json",
        r#"{"format":"flowstorm-board","version":1,"notes":[{"id":"a","kind":"sticky","x":0,"y":0}]}"#,
    );
    let out = flowstorm(&["check", file.path()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown note kind \"sticky\""));
    let json = flowstorm(&["check", file.path(), "--format", "json"]);
    assert_eq!(json.status.code(), Some(2));
    assert!(serde_json::from_slice::<serde_json::Value>(&json.stderr).is_ok());
    assert_eq!(flowstorm(&["check"]).status.code(), Some(2));
    assert_eq!(
        flowstorm(&["check", "/nonexistent/board.json"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn simulate_prints_counts_lag_and_hazards_the_same_way_every_time() {
    let sample = format!("{}/src/model/sample.json", env!("CARGO_MANIFEST_DIR"));
    let a = flowstorm(&["simulate", &sample, "--seed", "7", "--duration", "3000"]);
    assert_eq!(
        a.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&a.stderr)
    );
    let b = flowstorm(&["simulate", &sample, "--seed", "7", "--duration", "3000"]);
    assert_eq!(a.stdout, b.stdout, "same seed, same output byte for byte");
    let text = String::from_utf8_lossy(&a.stdout);
    assert!(text.contains("cashier (actor): 15 handled"), "{text}");
    assert!(text.contains("order-summary (1 instances): lag"), "{text}");
    assert!(text.contains("hazards seen:"), "{text}");
    assert!(
        !text.contains("FS001"),
        "the sample's cashier reads back at the moment of its write: not a stale read: {text}"
    );
    let other = flowstorm(&["simulate", &sample, "--seed", "8", "--duration", "3000"]);
    assert_ne!(a.stdout, other.stdout);

    let json = flowstorm(&[
        "simulate",
        &sample,
        "--duration",
        "2000",
        "--format",
        "json",
    ]);
    assert_eq!(json.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["duration_ms"], 2000);
    assert_eq!(v["seed"], 42, "the board's scenario seed");
    let cashier = v["counters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["note"] == "cashier")
        .unwrap();
    assert_eq!(cashier["handled"], 10);
    assert!(v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["note"] == "reserve-stock-policy"));
    assert!(v["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["source"] == "dynamic"));
}

#[test]
fn simulate_of_the_hardened_board_sees_no_hazard() {
    let out = flowstorm(&[
        "simulate",
        &fixture("hazards/hardened-pos.json"),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["hazards"], serde_json::json!([]));
}

#[test]
fn simulate_exits_2_when_the_board_cannot_load_or_run() {
    let broken = broken_file();
    assert_eq!(
        flowstorm(&["simulate", broken.path()]).status.code(),
        Some(2)
    );
    let shared = tempfile_path::TempFile::new(
        "shared-group.json",
        r#"{"format":"flowstorm-board","version":1,
            "notes":[{"id":"e","kind":"event","x":0,"y":0},
                     {"id":"p","kind":"policy","x":0,"y":0,"props":{"group":"g"}},
                     {"id":"r","kind":"read_model","x":0,"y":0,"props":{"group":"g"}}],
            "links":[{"id":"l1","from":"e","to":"p"},{"id":"l2","from":"e","to":"r"}]}"#,
    );
    let out = flowstorm(&["simulate", shared.path()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("consumer group \"g\""));
    assert_eq!(
        flowstorm(&[
            "simulate",
            &fixture("hazards/hardened-pos.json"),
            "--seed",
            "x"
        ])
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn validate_refuses_a_board_over_its_limits_naming_each() {
    let file = fixture("limits/over-every-limit.json");
    let out = flowstorm(&["validate", &file]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in [
        "$.topics[0].partitions: partitions is 1001; at most 1000 partitions",
        "$.notes[0].props.rate: rate is 1000000; at most 1000 commands per second",
        "$.notes[3].props.instances: instances is 101; at most 100 instances",
        "$.notes[4].props.latency_ms: latency_ms is 90000; at most 60000 ms",
        "$.scenario.duration_ms: duration_ms is 3600001; at most 3600000 ms",
    ] {
        assert!(stderr.contains(line), "{line} in {stderr}");
    }
    let json = flowstorm(&["validate", &file, "--format", "json"]);
    assert_eq!(json.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&json.stderr).expect("JSON on stderr");
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 11, "every limit, one problem each");
    assert!(
        problems.iter().all(|p| p["code"] == "over_limit"),
        "{problems:?}"
    );
    assert_eq!(problems[1]["path"], "$.notes[0].props.rate");
    assert_eq!(
        problems[1]["message"],
        "rate is 1000000; at most 1000 commands per second"
    );
}

/// The sample board made as heavy as the limits allow: the cashier issues 1,000 commands/s onto
/// 64 partitions.
fn heavy_board(name: &str) -> tempfile_path::TempFile {
    let sample = std::fs::read_to_string(format!(
        "{}/src/model/sample.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let mut board: serde_json::Value = serde_json::from_str(&sample).unwrap();
    for note in board["notes"].as_array_mut().unwrap() {
        if note["id"] == "cashier" {
            note["props"]["rate"] = serde_json::json!(flowstorm::model::limits::MAX_RATE);
        }
    }
    for topic in board["topics"].as_array_mut().unwrap() {
        topic["partitions"] = serde_json::json!(64);
    }
    tempfile_path::TempFile::new(name, &board.to_string())
}

#[test]
fn simulate_of_a_heavy_board_stops_at_max_events_and_says_so() {
    let heavy = heavy_board("heavy.json");
    let started = std::time::Instant::now();
    let out = flowstorm(&[
        "simulate",
        heavy.path(),
        "--duration",
        "60000",
        "--max-events",
        "200000",
    ]);
    assert!(
        started.elapsed().as_secs() < 30,
        "bounded: {:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("flowstorm: stopped after 200,000 events at "),
        "{stderr}"
    );
    assert!(
        stderr.contains(" ms of 61,000 ms simulated (--max-events 200000); raise --max-events or shorten --duration"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("cashier (actor): "),
        "what was simulated so far is printed: {stdout}"
    );

    let json = flowstorm(&[
        "simulate",
        heavy.path(),
        "--duration",
        "60000",
        "--max-events",
        "100000",
        "--format",
        "json",
    ]);
    assert_eq!(json.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON report");
    assert_eq!(v["stopped"]["events"], 100_000);
    assert_eq!(v["stopped"]["max_events"], 100_000);
    assert!(v["stopped"]["at_ms"].as_u64().unwrap() < 60_000);
}

#[test]
fn simulate_of_a_normal_board_is_unchanged_by_max_events() {
    let sample = format!("{}/src/model/sample.json", env!("CARGO_MANIFEST_DIR"));
    let plain = flowstorm(&["simulate", &sample, "--seed", "7", "--duration", "3000"]);
    let bounded = flowstorm(&[
        "simulate",
        &sample,
        "--seed",
        "7",
        "--duration",
        "3000",
        "--max-events",
        "1000000",
    ]);
    assert_eq!(bounded.status.code(), Some(0));
    assert_eq!(plain.stdout, bounded.stdout);
    assert!(bounded.stderr.is_empty());
    // An hour of the sample board fits the default bound.
    let hour = flowstorm(&[
        "simulate",
        &sample,
        "--duration",
        "3600000",
        "--format",
        "json",
    ]);
    assert_eq!(
        hour.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&hour.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&hour.stdout).unwrap();
    assert!(v.get("stopped").is_none());
    assert_eq!(
        flowstorm(&["simulate", &sample, "--max-events", "many"])
            .status
            .code(),
        Some(2)
    );
    let help = flowstorm(&["--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("--max-events bounds the work"));
    assert!(String::from_utf8_lossy(&help.stdout).contains("default 5000000"));
}

#[test]
fn falling_behind_is_fs014_in_check_and_simulate_and_in_the_usage() {
    let board = fixture("hazards/fs014-falling-behind.json");
    let check = flowstorm(&["check", &board]);
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.starts_with("warning FS014: falling behind\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  fix: Run 6 instances of “Logistics”"),
        "{stdout}"
    );
    let simulate = flowstorm(&["simulate", &board, "--format", "json"]);
    assert_eq!(simulate.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&simulate.stdout).unwrap();
    let codes: Vec<&str> = v["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["code"].as_str())
        .collect();
    assert_eq!(codes, ["FS014"], "{v:#}");
    let usage = String::from_utf8_lossy(&flowstorm(&[]).stderr).to_string();
    assert!(usage.contains("(FS001–FS014)"), "{usage}");
}
