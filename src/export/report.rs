//! The hazard report: the board's findings (static, as `flowstorm check` computes them, and,
//! when asked, those a seeded run shows, as `flowstorm simulate` does), each with its code,
//! notes, message and fix; in Markdown for a pull request, or as an HTML page that shows the
//! board's picture with the findings' badges.

use super::{
    escape::{code_span, markdown, one_line, xml},
    svg::{svg, SvgOptions},
    ExportError,
};
use crate::{
    analysis::{self, dynamic::seconds, Finding, Severity, Source},
    exec::{Run, RunConfig},
    model::{Board, NoteId},
};
use std::fmt::Write;

/// How long in-flight work may finish after the simulated duration (ms), as `simulate` allows.
pub const RUN_DRAIN_MS: u64 = 1_000;

/// The run a report includes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunSummary {
    /// Its seed.
    pub seed: u64,
    /// Its simulated duration (ms).
    pub duration_ms: u64,
}

/// What a report says: the board, its findings and the run they include, if any.
#[derive(Clone, Debug)]
pub struct Report<'a> {
    /// The board.
    pub board: &'a Board,
    /// The findings, in report order.
    pub findings: Vec<Finding>,
    /// The run whose findings are included.
    pub run: Option<RunSummary>,
}

impl<'a> Report<'a> {
    /// The static findings of a board.
    pub fn static_only(board: &'a Board) -> Report<'a> {
        Report {
            board,
            findings: analysis::check(board),
            run: None,
        }
    }

    /// The static findings and those of a run with `seed` (and `duration_ms`, else the
    /// scenario's), doing at most `max_work` units of work.
    pub fn with_run(
        board: &'a Board,
        seed: u64,
        duration_ms: Option<u64>,
        max_work: u64,
    ) -> Result<Report<'a>, ExportError> {
        let (dynamic, run) = run_findings(board, seed, duration_ms, max_work)?;
        Ok(Report {
            board,
            findings: analysis::finding::merged(analysis::check(board), dynamic),
            run: Some(run),
        })
    }
}

/// The findings a seeded run of the board shows, and the run they come from.
pub fn run_findings(
    board: &Board,
    seed: u64,
    duration_ms: Option<u64>,
    max_work: u64,
) -> Result<(Vec<Finding>, RunSummary), ExportError> {
    let mut config = RunConfig::for_board(board);
    config.seed = seed;
    config.duration_ms = duration_ms.unwrap_or(config.duration_ms);
    config.record_events = false;
    let summary = RunSummary {
        seed,
        duration_ms: config.duration_ms,
    };
    let mut run = Run::new(board, config).map_err(|diagnostics| {
        ExportError::NotRunnable(diagnostics.iter().map(ToString::to_string).collect())
    })?;
    if !run.run_to_end_within(RUN_DRAIN_MS, max_work).reached {
        return Err(ExportError::RunTooLong { max_work });
    }
    Ok((analysis::dynamic::findings(&run), summary))
}

/// A note as a reader knows it: its text and id (its id alone when the text is blank or is it).
fn note_name(board: &Board, id: &NoteId) -> (String, Option<String>) {
    match board.note(id).map(|n| one_line(&n.text)) {
        Some(text) if !text.is_empty() && text != id.as_str() => (text, Some(id.to_string())),
        _ => (id.to_string(), None),
    }
}

/// A sign for the severity, read the same in text and on GitHub.
fn marker(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "🛑",
        Severity::Warning => "⚠️",
        Severity::Info => "ℹ️",
    }
}

/// One line saying what the report covers.
fn covers(report: &Report) -> String {
    match report.run {
        Some(r) => format!(
            "static rules, and a run with seed {} for {}",
            r.seed,
            seconds(r.duration_ms)
        ),
        None => "static rules".to_string(),
    }
}

/// The board's name for a heading.
fn board_name(board: &Board) -> String {
    board
        .name
        .as_deref()
        .map(one_line)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Untitled board".into())
}

/// The report in Markdown (GitHub flavoured), for a pull request or an issue.
pub fn markdown_report(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Flowstorm hazards: {}\n",
        markdown(&board_name(report.board))
    );
    let _ = writeln!(
        out,
        "**{}** ({}).\n",
        analysis::summary(&report.findings),
        covers(report)
    );
    if report.findings.is_empty() {
        return out;
    }
    out.push_str("| | Code | Hazard | Notes |\n|---|---|---|---|\n");
    for f in &report.findings {
        let notes: Vec<String> = f
            .notes
            .iter()
            .map(|id| markdown(&note_name(report.board, id).0))
            .collect();
        let _ = writeln!(
            out,
            "| {} {} | {} | {}{} | {} |",
            marker(f.severity),
            f.severity,
            f.code,
            f.code.title(),
            if f.source == Source::Dynamic {
                " (seen in the run)"
            } else {
                ""
            },
            notes.join(", ")
        );
    }
    for f in &report.findings {
        let _ = writeln!(
            out,
            "\n### {} {} {}: {}\n",
            marker(f.severity),
            f.code,
            f.code.title(),
            f.severity
        );
        let notes: Vec<String> = f
            .notes
            .iter()
            .map(|id| match note_name(report.board, id) {
                (text, Some(id)) => format!("{} ({})", markdown(&text), code_span(&id)),
                (id, None) => code_span(&id),
            })
            .collect();
        let _ = writeln!(out, "- **Notes:** {}", notes.join(", "));
        let _ = writeln!(out, "- **What goes wrong:** {}", markdown(&f.message));
        let _ = writeln!(out, "- **Fix:** {}", markdown(&f.fix));
        if let Some(ms) = f.first_seen_ms {
            let _ = writeln!(out, "- **Seen in the run** first at {}", seconds(ms));
        }
    }
    out
}

/// The page's style: the app's look, light and dark following the reader's setting.
const HTML_STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;color:#1f2328;background:#fff;line-height:1.45}\
figure{margin:16px 0;overflow:auto;border:1px solid #d5d3cd;border-radius:8px}\
figure svg{display:block;max-width:100%;height:auto}\
.finding{border:1px solid #d5d3cd;border-left:4px solid #6a717b;border-radius:6px;padding:8px 12px;margin:10px 0}\
.finding.error{border-left-color:#c62828}.finding.warning{border-left-color:#f0a020}.finding.info{border-left-color:#2f6feb}\
.finding h3{margin:2px 0 6px;font-size:16px}.finding p{margin:4px 0}.muted{color:#6a717b}\
.sev{font-size:11px;text-transform:uppercase;padding:1px 6px;border-radius:3px;color:#fff;background:#6a717b;margin-right:6px}\
.sev.error{background:#c62828}.sev.warning{background:#d98a00}.sev.info{background:#2f6feb}\
code{background:rgba(127,127,127,.12);padding:0 3px;border-radius:3px}";

/// The report as a standalone HTML page (well-formed XML too): the board's picture with the
/// findings' badges, then each finding.
pub fn html_report(report: &Report, picture: &SvgOptions) -> Result<String, ExportError> {
    let name = board_name(report.board);
    let drawing = svg(report.board, picture, &report.findings)?;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>Flowstorm hazards: {}</title>\n<style>{HTML_STYLE}</style>\n</head>\n<body>\n",
        xml(&name)
    );
    let _ = writeln!(out, "<h1>Flowstorm hazards: {}</h1>", xml(&name));
    let _ = writeln!(
        out,
        "<p><strong>{}</strong> <span class=\"muted\">({})</span></p>",
        xml(&analysis::summary(&report.findings)),
        xml(&covers(report))
    );
    let _ = write!(out, "<figure>\n{drawing}</figure>\n");
    for f in &report.findings {
        let s = f.severity.as_str();
        let _ = write!(
            out,
            "<section class=\"finding {s}\" data-code=\"{}\">\n<h3><span class=\"sev {s}\">{s}</span>{} {}{}</h3>\n",
            f.code,
            f.code,
            xml(f.code.title()),
            if f.source == Source::Dynamic {
                " <span class=\"muted\">(seen in the run)</span>"
            } else {
                ""
            }
        );
        let notes: Vec<String> = f
            .notes
            .iter()
            .map(|id| match note_name(report.board, id) {
                (text, Some(id)) => format!("{} (<code>{}</code>)", xml(&text), xml(&id)),
                (id, None) => format!("<code>{}</code>", xml(&id)),
            })
            .collect();
        let _ = writeln!(out, "<p class=\"muted\">Notes: {}</p>", notes.join(", "));
        let _ = writeln!(out, "<p>{}</p>", xml(&f.message));
        let _ = writeln!(out, "<p><strong>Fix:</strong> {}</p>", xml(&f.fix));
        if let Some(ms) = f.first_seen_ms {
            let _ = writeln!(
                out,
                "<p class=\"muted\">First seen in the run at {}</p>",
                seconds(ms)
            );
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample::sample;

    #[test]
    fn the_markdown_report_lists_every_finding_with_its_fix() {
        let board = sample();
        let report = Report::static_only(&board);
        let md = markdown_report(&report);
        assert!(
            md.starts_with("## Flowstorm hazards: Point of sale\n"),
            "{md}"
        );
        for f in &report.findings {
            assert!(
                md.contains(&format!("### {} {}", marker(f.severity), f.code)),
                "{md}"
            );
        }
        assert_eq!(md.matches("- **Fix:**").count(), report.findings.len());
    }
}
