//! `flowstorm export FILE --to FORMAT [-o OUT] …`: the board written for another tool.

use super::{load_board, number, Args, Format, UsageError, DEFAULT_MAX_EVENTS};
#[cfg(not(target_arch = "wasm32"))]
use flowstorm::export::asyncapi_yaml;
use flowstorm::export::{
    asyncapi_json, html_report, kafka_sh, markdown_report, mermaid, strimzi, svg, ExportError,
    ExportFormat, Report, Scale, SvgOptions, Theme,
};
use std::process::ExitCode;

/// What `export` was asked for.
struct ExportArgs {
    file: String,
    to: ExportFormat,
    out: Option<String>,
    picture: SvgOptions,
    /// The static findings' badges on the picture (`--badges`).
    badges: bool,
    seed: Option<u64>,
    duration: Option<u64>,
    max_events: u64,
}

/// The formats' names, for messages.
fn formats() -> String {
    ExportFormat::ALL
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn value<'a>(flag: &str, v: Option<&'a String>, what: &str) -> Result<&'a str, UsageError> {
    v.map(String::as_str)
        .ok_or_else(|| UsageError(format!("{flag} needs a value ({what})")))
}

fn parse(rest: &[String]) -> Result<ExportArgs, UsageError> {
    let (mut file, mut to, mut out) = (None, None, None);
    let mut picture = SvgOptions::default();
    let (mut picture_flag, mut run_flag) = (None, None);
    let (mut seed, mut duration) = (None, None);
    let mut max_events = DEFAULT_MAX_EVENTS;
    let mut badges = false;
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--to" => {
                let v = value("--to", it.next(), &formats())?;
                to = Some(ExportFormat::parse(v).ok_or_else(|| {
                    UsageError(format!("unknown export format \"{v}\" ({})", formats()))
                })?);
            }
            "-o" | "--output" => out = Some(value(arg, it.next(), "a file")?.to_string()),
            "--frame" => {
                picture.frame = Some(value("--frame", it.next(), "a frame's name")?.to_string());
                picture_flag = Some("--frame");
            }
            "--scale" => {
                let v = value("--scale", it.next(), "1, 2 or 4")?;
                picture.scale = Scale::parse(v)
                    .ok_or_else(|| UsageError(format!("--scale is 1, 2 or 4, not \"{v}\"")))?;
                picture_flag = Some("--scale");
            }
            "--theme" => {
                let v = value("--theme", it.next(), "light or dark")?;
                picture.theme = Theme::parse(v)
                    .ok_or_else(|| UsageError(format!("--theme is light or dark, not \"{v}\"")))?;
                picture_flag = Some("--theme");
            }
            "--badges" => badges = true,
            "--seed" => {
                seed = Some(number("--seed", it.next())?);
                run_flag = Some("--seed");
            }
            "--duration" => {
                duration = Some(number("--duration", it.next())?.min(3_600_000));
                run_flag = Some("--duration");
            }
            "--max-events" => {
                max_events = number("--max-events", it.next())?;
                run_flag = Some("--max-events");
            }
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return Err(UsageError(format!("unknown option {flag}")))
            }
            path if file.is_none() => file = Some(path.to_string()),
            extra => return Err(UsageError(format!("unexpected argument \"{extra}\""))),
        }
    }
    let file = file.ok_or_else(|| UsageError("missing FILE".into()))?;
    let to = to.ok_or_else(|| UsageError(format!("export needs --to FORMAT ({})", formats())))?;
    let pictured = matches!(to, ExportFormat::Svg | ExportFormat::Html);
    let reported = matches!(to, ExportFormat::Markdown | ExportFormat::Html);
    if badges && to != ExportFormat::Svg {
        return Err(UsageError(format!(
            "--badges is for --to svg (the html report shows its findings' badges), not {to}"
        )));
    }
    if let (Some(flag), false) = (picture_flag, pictured) {
        return Err(UsageError(format!(
            "{flag} is for --to svg or html, not {to}"
        )));
    }
    if let (Some(flag), false) = (run_flag, reported) {
        return Err(UsageError(format!(
            "{flag} is for --to markdown or html (the hazard report), not {to}"
        )));
    }
    if seed.is_none() {
        if let Some(flag) = run_flag.filter(|f| *f != "--seed") {
            return Err(UsageError(format!(
                "{flag} needs --seed N: the report includes a run only with a seed"
            )));
        }
    }
    Ok(ExportArgs {
        file,
        to,
        out,
        picture,
        badges,
        seed,
        duration,
        max_events,
    })
}

/// The hazard report the arguments ask for: static, plus a run when a seed is given.
fn report<'a>(
    board: &'a flowstorm::model::Board,
    a: &ExportArgs,
) -> Result<Report<'a>, ExportError> {
    match a.seed {
        Some(seed) => Report::with_run(board, seed, a.duration, a.max_events),
        None => Ok(Report::static_only(board)),
    }
}

/// Writes the board in the format asked, to the file or stdout.
pub fn run(rest: &[String]) -> ExitCode {
    let a = match parse(rest) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("flowstorm: {e}");
            return ExitCode::from(2);
        }
    };
    let load_args = Args {
        file: a.file.clone(),
        format: Format::Text,
        seed: None,
        duration: None,
        max_events: a.max_events,
    };
    let board = match load_board(&load_args) {
        Ok(board) => board,
        Err(code) => return code,
    };
    let made: Result<String, ExportError> = match a.to {
        ExportFormat::Svg if a.badges => {
            svg(&board, &a.picture, &flowstorm::analysis::check(&board))
        }
        ExportFormat::Svg => svg(&board, &a.picture, &[]),
        ExportFormat::Mermaid => Ok(mermaid(&board)),
        ExportFormat::AsyncApiJson => Ok(asyncapi_json(&board)),
        #[cfg(not(target_arch = "wasm32"))]
        ExportFormat::AsyncApiYaml => asyncapi_yaml(&board),
        // The CLI is a native program; its wasm32 build only type-checks with the browser tests.
        #[cfg(target_arch = "wasm32")]
        ExportFormat::AsyncApiYaml => {
            Err(ExportError::Yaml("written by the native CLI only".into()))
        }
        ExportFormat::Markdown => report(&board, &a).map(|r| markdown_report(&r)),
        ExportFormat::Html => report(&board, &a).and_then(|r| html_report(&r, &a.picture)),
        ExportFormat::KafkaSh => Ok(kafka_sh(&board)),
        ExportFormat::Strimzi => Ok(strimzi(&board)),
    };
    let text = match made {
        Ok(text) => text,
        Err(e) => {
            eprintln!("flowstorm: {}: {e}", a.file);
            return ExitCode::from(2);
        }
    };
    match &a.out {
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
            {
                // A closed pipe (`| head`) is not worth a panic; say what happened.
                eprintln!("flowstorm: cannot write the export: {e}");
                return ExitCode::from(2);
            }
        }
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                eprintln!("flowstorm: cannot write {path}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
