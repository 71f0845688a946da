//! `flowstorm export` and `flowstorm check --format markdown`: what they write, where, and
//! how they fail.

use super::{broken_file, fixture, flowstorm, tempfile_path::TempFile};

fn sample() -> String {
    format!("{}/src/model/sample.json", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn export_writes_each_format_to_stdout() {
    for (to, starts) in [
        ("svg", "<svg xmlns="),
        ("mermaid", "flowchart LR\n"),
        ("asyncapi-json", "{\n  \"asyncapi\": \"3.0.0\""),
        ("asyncapi-yaml", "asyncapi: \"3.0.0\"\n"),
        ("markdown", "## Flowstorm hazards: Point of sale\n"),
        ("html", "<!DOCTYPE html>\n"),
        ("kafka-sh", "#!/usr/bin/env bash\n"),
        ("strimzi", "# Strimzi KafkaTopic manifests"),
    ] {
        let out = flowstorm(&["export", &sample(), "--to", to]);
        assert_eq!(out.status.code(), Some(0), "{to}: {out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.starts_with(starts), "{to}: {stdout}");
        assert!(out.stderr.is_empty(), "{to}");
    }
}

#[test]
fn export_writes_to_the_file_given_with_o() {
    let target = TempFile::new("board.svg", "");
    let out = flowstorm(&[
        "export",
        &sample(),
        "--to",
        "svg",
        "--frame",
        "Inventory",
        "--scale",
        "2",
        "--theme",
        "dark",
        "-o",
        target.path(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stdout.is_empty());
    let picture = std::fs::read_to_string(target.path()).unwrap();
    assert!(picture.contains("data-note-id=\"stock\""));
    assert!(!picture.contains("data-note-id=\"cashier\""));
    assert!(picture.contains("fill=\"#16181d\""), "the dark board");
}

#[test]
fn the_report_with_a_seed_includes_the_run() {
    let out = flowstorm(&[
        "export",
        &fixture("hazards/fs001-stale-read.json"),
        "--to",
        "markdown",
        "--seed",
        "7",
        "--duration",
        "10000",
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("a run with seed 7 for 10.0 s"), "{stdout}");
    assert!(stdout.contains("(seen in the run)"), "{stdout}");
}

#[test]
fn export_refuses_bad_usage_with_a_clear_message_and_exit_2() {
    let cases: [(&[&str], &str); 7] = [
        (
            &["--to", "pdf"],
            "unknown export format \"pdf\" (svg, mermaid",
        ),
        (&[], "export needs --to FORMAT"),
        (
            &["--to", "svg", "--scale", "3"],
            "--scale is 1, 2 or 4, not \"3\"",
        ),
        (
            &["--to", "svg", "--theme", "blue"],
            "--theme is light or dark",
        ),
        (
            &["--to", "mermaid", "--frame", "Orders"],
            "--frame is for --to svg or html",
        ),
        (
            &["--to", "svg", "--seed", "1"],
            "--seed is for --to markdown or html",
        ),
        (
            &["--to", "markdown", "--duration", "10"],
            "--duration needs --seed N",
        ),
    ];
    for (args, says) in cases {
        let sample = sample();
        let mut all = vec!["export", sample.as_str()];
        all.extend_from_slice(args);
        let out = flowstorm(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn export_of_a_board_that_does_not_load_reports_as_check_does() {
    let file = broken_file();
    let export = flowstorm(&["export", file.path(), "--to", "mermaid"]);
    let check = flowstorm(&["check", file.path()]);
    assert_eq!(export.status.code(), Some(2));
    assert_eq!(export.stderr, check.stderr);
    assert!(export.stdout.is_empty());
    let missing = flowstorm(&["export", "/nonexistent/board.json", "--to", "svg"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("cannot read /nonexistent/board.json")
    );
}

#[test]
fn an_unknown_frame_or_an_unwritable_output_exit_2_naming_the_problem() {
    let out = flowstorm(&["export", &sample(), "--to", "svg", "--frame", "Shipping"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no frame \"Shipping\" (the board's frames: \"Orders\", \"Inventory\")"),
        "{stderr}"
    );
    let out = flowstorm(&[
        "export",
        &sample(),
        "--to",
        "svg",
        "-o",
        "/nonexistent/x.svg",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write /nonexistent/x.svg"));
}

#[test]
fn check_markdown_is_the_report_and_keeps_checks_exit_codes() {
    let out = flowstorm(&[
        "check",
        &fixture("hazards/fs002-dual-write.json"),
        "--format",
        "markdown",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("**1 warning** (static rules)."), "{stdout}");
    assert!(
        stdout.contains("### ⚠️ FS002 dual write: warning"),
        "{stdout}"
    );
    assert!(
        stdout.contains("- **Notes:** Order (`order`), Order placed (`order-placed`)"),
        "{stdout}"
    );
    let clean = flowstorm(&[
        "check",
        &fixture("hazards/hardened-pos.json"),
        "--format",
        "markdown",
    ]);
    assert_eq!(clean.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&clean.stdout).contains("**no hazards**"));
    let wrong = flowstorm(&["validate", &sample(), "--format", "markdown"]);
    assert_eq!(wrong.status.code(), Some(2));
}

#[test]
fn badges_put_the_static_findings_on_the_picture_when_asked() {
    let plain = flowstorm(&["export", &sample(), "--to", "svg"]);
    let badged = flowstorm(&["export", &sample(), "--to", "svg", "--badges"]);
    assert_eq!(badged.status.code(), Some(0));
    let (plain, badged) = (
        String::from_utf8_lossy(&plain.stdout),
        String::from_utf8_lossy(&badged.stdout),
    );
    assert!(!plain.contains("class=\"badges\""));
    assert!(
        badged.contains("class=\"badges\""),
        "the sample has findings"
    );
    let wrong = flowstorm(&["export", &sample(), "--to", "mermaid", "--badges"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("--badges is for --to svg"));
}
