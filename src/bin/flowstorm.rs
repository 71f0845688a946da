//! The native command-line tool: `flowstorm validate|check|simulate FILE [--format text|json]`
//! and `flowstorm export FILE --to FORMAT`.

#[path = "flowstorm/export.rs"]
mod export;

use flowstorm::{
    analysis::{self, Finding},
    exec::{grouped, Run, RunConfig},
    export::{markdown_report, Report},
    model::{self, Board, LoadError},
};
use std::{fmt, process::ExitCode};

const USAGE: &str = "usage: flowstorm <command> FILE [options]

commands:
  validate FILE [--format text|json]   check that FILE is a well-formed Flowstorm board
  check FILE [--format text|json|markdown]
                                       find eventual-consistency hazards (FS001–FS014) on the board
  simulate FILE [--seed N] [--duration MS] [--max-events N] [--format text|json]
                                       run the board headless; print counts, lag and the hazards seen.
                                       --max-events bounds the work (broker events and run timers,
                                       default 5000000, a few seconds); a run that needs more stops
                                       there, prints what it simulated and says so on stderr
  export FILE --to FORMAT [-o OUT]     write the board for another tool (stdout without -o):
      svg [--frame NAME] [--scale 1|2|4] [--theme light|dark] [--badges]
                                       the board as a picture (--badges: the static findings'
                                       hazard badges on their notes)
      mermaid                          a flowchart LR (frames as subgraphs)
      asyncapi-json, asyncapi-yaml     an AsyncAPI 3.0.0 document (channels, messages, operations)
      markdown, html [--seed N [--duration MS] [--max-events N]]
                                       the hazard report (with a run's findings given a seed);
                                       html shows the board with its badges (svg's options too)
      kafka-sh, strimzi                the topic plan: a kafka-topics.sh script, KafkaTopic manifests

exit codes: 0 ok, 1 findings (check), 2 the file cannot be loaded or run, the simulation
stopped at --max-events, the export cannot be made, or bad usage
(simulate reports the hazards it sees but exits 0: they describe the run, they do not fail it)";

/// Units of work `simulate` does at most unless `--max-events` says otherwise: a few seconds
/// here; an hour of the sample board takes well under a tenth of it.
const DEFAULT_MAX_EVENTS: u64 = 5_000_000;
/// How long in-flight work may finish after the simulated duration (ms).
const DRAIN_MS: u64 = 1_000;

/// Output format of a command.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
    /// The hazard report for a pull request (`check` only).
    Markdown,
}

/// A command line that could not be understood.
#[derive(Debug)]
struct UsageError(String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n\n{USAGE}", self.0)
    }
}

/// The parsed arguments shared by every command.
struct Args {
    file: String,
    format: Format,
    seed: Option<u64>,
    duration: Option<u64>,
    max_events: u64,
}

fn number(flag: &str, value: Option<&String>) -> Result<u64, UsageError> {
    let v = value.ok_or_else(|| UsageError(format!("{flag} needs a value")))?;
    v.parse()
        .map_err(|_| UsageError(format!("{flag} needs a whole number, not \"{v}\"")))
}

fn parse_args(rest: &[String]) -> Result<Args, UsageError> {
    let mut file = None;
    let mut format = Format::Text;
    let (mut seed, mut duration) = (None, None);
    let mut max_events = DEFAULT_MAX_EVENTS;
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--format" => {
                format = match it.next().map(String::as_str) {
                    Some("text") => Format::Text,
                    Some("json") => Format::Json,
                    Some("markdown") => Format::Markdown,
                    Some(other) => {
                        return Err(UsageError(format!(
                            "unknown format \"{other}\" (text, json or markdown)"
                        )))
                    }
                    None => {
                        return Err(UsageError(
                            "--format needs a value (text, json or markdown)".into(),
                        ))
                    }
                }
            }
            "--seed" => seed = Some(number("--seed", it.next())?),
            "--duration" => duration = Some(number("--duration", it.next())?.min(3_600_000)),
            "--max-events" => max_events = number("--max-events", it.next())?,
            flag if flag.starts_with("--") => {
                return Err(UsageError(format!("unknown option {flag}")))
            }
            path if file.is_none() => file = Some(path.to_string()),
            extra => return Err(UsageError(format!("unexpected argument \"{extra}\""))),
        }
    }
    let file = file.ok_or_else(|| UsageError("missing FILE".into()))?;
    Ok(Args {
        file,
        format,
        seed,
        duration,
        max_events,
    })
}

/// Reads and loads a board, printing every problem to stderr when it fails.
fn load_board(args: &Args) -> Result<Board, ExitCode> {
    let text = match std::fs::read_to_string(&args.file) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("flowstorm: cannot read {}: {e}", args.file);
            return Err(ExitCode::from(2));
        }
    };
    model::load(&text).map_err(|e| {
        report_load_error(&args.file, &e, args.format);
        ExitCode::from(2)
    })
}

fn report_load_error(file: &str, e: &LoadError, format: Format) {
    match format {
        Format::Json => {
            let out = serde_json::json!({"file": file, "valid": false, "problems": e.to_json()});
            eprintln!("{out}");
        }
        Format::Text | Format::Markdown => {
            eprintln!(
                "{file}: {} problem{}",
                e.problems.len(),
                if e.problems.len() == 1 { "" } else { "s" }
            );
            for p in &e.problems {
                eprintln!("  {p}");
            }
        }
    }
}

fn validate(args: &Args) -> ExitCode {
    let board = match load_board(args) {
        Ok(board) => board,
        Err(code) => return code,
    };
    let name = board.name.as_deref().unwrap_or("untitled");
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::json!({
                "file": args.file, "valid": true, "name": name,
                "notes": board.notes.len(), "links": board.links.len(),
                "frames": board.frames.len(), "topics": board.topics.len(),
            })
        ),
        Format::Text | Format::Markdown => println!(
            "{}: ok: \"{name}\", {} notes, {} links, {} frames, {} topics",
            args.file,
            board.notes.len(),
            board.links.len(),
            board.frames.len(),
            board.topics.len()
        ),
    }
    ExitCode::SUCCESS
}

fn check(args: &Args) -> ExitCode {
    let board = match load_board(args) {
        Ok(board) => board,
        Err(code) => return code,
    };
    let findings = analysis::check(&board);
    match args.format {
        Format::Json => println!("{}", serde_json::json!({ "hazards": findings })),
        Format::Text => print!("{}", render_text(&board, &findings)),
        Format::Markdown => print!(
            "{}",
            markdown_report(&Report {
                board: &board,
                findings: findings.clone(),
                run: None,
            })
        ),
    }
    if analysis::fails_check(&findings) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// One block per finding (severity, code, notes, message, fix), then a summary line.
fn render_text(board: &Board, findings: &[Finding]) -> String {
    use std::fmt::Write;
    let texts: std::collections::HashMap<&str, &str> = board
        .notes
        .iter()
        .rev()
        .map(|n| (n.id.as_str(), n.text.as_str()))
        .collect();
    let mut out = String::new();
    for f in findings {
        let notes: Vec<String> = f
            .notes
            .iter()
            .map(|id| {
                match texts
                    .get(id.as_str())
                    .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                {
                    Some(text) if !text.is_empty() && text != id.as_str() => {
                        format!("{text} ({id})")
                    }
                    _ => id.to_string(),
                }
            })
            .collect();
        let _ = writeln!(out, "{} {}: {}", f.severity, f.code, f.code.title());
        let _ = writeln!(out, "  notes: {}", notes.join(", "));
        let _ = writeln!(out, "  {}", f.message);
        let _ = writeln!(out, "  fix: {}", f.fix);
        if let Some(ms) = f.first_seen_ms {
            let _ = writeln!(out, "  first seen at {}", analysis::dynamic::seconds(ms));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", analysis::summary(findings));
    out
}

/// Runs the board headless from its scenario (or the flags) and reports what happened.
fn simulate(args: &Args) -> ExitCode {
    let board = match load_board(args) {
        Ok(board) => board,
        Err(code) => return code,
    };
    let mut config = RunConfig::for_board(&board);
    config.seed = args.seed.unwrap_or(config.seed);
    config.duration_ms = args.duration.unwrap_or(config.duration_ms);
    // The report reads counters, lag and signs, never the event log or the hops: not keeping
    // them saves memory and time on heavy boards (the trace hash covers the events either way).
    config.record_events = false;
    let mut run = match Run::new(&board, config.clone()) {
        Ok(run) => run,
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{}: {d}", args.file);
            }
            return ExitCode::from(2);
        }
    };
    let stepped = run.run_to_end_within(DRAIN_MS, args.max_events);
    let findings = analysis::dynamic::findings(&run);
    let kind = |id: &model::NoteId| board.note(id).map_or("", |n| n.kind.as_str());
    let groups: Vec<serde_json::Value> = run
        .plan()
        .groups
        .iter()
        .map(|g| {
            let series = run.lag_series(&g.note);
            let last = series.last().copied();
            let max = series.iter().map(|s| s.lag).max().unwrap_or(0);
            let max_ms = series.iter().map(|s| s.lag_ms).max().unwrap_or(0);
            serde_json::json!({
                "note": g.note, "group": g.name, "instances": run.instances(&g.note).len(),
                "lag": last.map_or(0, |s| s.lag), "lag_ms": last.map_or(0, |s| s.lag_ms),
                "max_lag": max, "max_lag_ms": max_ms,
            })
        })
        .collect();
    match args.format {
        Format::Json => {
            let counters: Vec<serde_json::Value> = run
                .all_counters()
                .into_iter()
                .map(|(id, c)| serde_json::json!({"note": id, "kind": kind(&id), "handled": c.handled, "failed": c.failed, "in_flight": c.in_flight}))
                .collect();
            let mut report = serde_json::json!({
                "file": args.file, "seed": config.seed, "duration_ms": config.duration_ms,
                "commands": run.commands_issued(), "messages": run.message_count(),
                "trace_hash": format!("{:016x}", run.trace_hash()),
                "counters": counters, "groups": groups, "hazards": findings,
                "diagnostics": run.diagnostics(),
            });
            if !stepped.reached {
                report["stopped"] = serde_json::json!({"events": run.work_done(), "at_ms": run.now(), "max_events": args.max_events});
            }
            println!("{report}");
        }
        Format::Text | Format::Markdown => {
            println!(
                "{}: seed {}, {} ms, {} commands, {} messages, trace {:016x}",
                args.file,
                config.seed,
                config.duration_ms,
                run.commands_issued(),
                run.message_count(),
                run.trace_hash()
            );
            for d in run.diagnostics() {
                println!("  {d}");
            }
            println!("\nnotes:");
            for (id, c) in run.all_counters() {
                if c.handled + c.failed + c.in_flight > 0 {
                    println!(
                        "  {id} ({}): {} handled, {} failed, {} in flight",
                        kind(&id),
                        c.handled,
                        c.failed,
                        c.in_flight
                    );
                }
            }
            println!("\ngroups:");
            for g in &groups {
                println!(
                    "  {} ({} instances): lag {} ({} ms) at the end, at most {} ({} ms)",
                    g["note"].as_str().unwrap_or(""),
                    g["instances"],
                    g["lag"],
                    g["lag_ms"],
                    g["max_lag"],
                    g["max_lag_ms"]
                );
            }
            println!("\nhazards seen:");
            print!("{}", render_text(&board, &findings));
        }
    }
    if !stepped.reached {
        eprintln!(
            "flowstorm: stopped after {} events at {} ms of {} ms simulated (--max-events {}); raise --max-events or shorten --duration",
            grouped(run.work_done()),
            grouped(run.now()),
            grouped(config.duration_ms.saturating_add(DRAIN_MS)),
            args.max_events
        );
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = argv.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let run = match command.as_str() {
        "export" => return export::run(rest),
        "validate" => validate,
        "check" => check,
        "simulate" => simulate,
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => {
            eprintln!(
                "flowstorm: {}",
                UsageError(format!("unknown command \"{other}\""))
            );
            return ExitCode::from(2);
        }
    };
    match parse_args(rest) {
        Ok(args) if args.format == Format::Markdown && command != "check" => {
            eprintln!(
                "flowstorm: {}",
                UsageError(format!("--format markdown is for check, not {command}"))
            );
            ExitCode::from(2)
        }
        Ok(args) => run(&args),
        Err(e) => {
            eprintln!("flowstorm: {e}");
            ExitCode::from(2)
        }
    }
}
