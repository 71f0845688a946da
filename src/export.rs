//! Exports of a board for other tools and people: a picture (SVG), a diagram (Mermaid), an
//! AsyncAPI 3.0 document, a hazard report (Markdown, HTML) and the Kafka topic plan
//! (`kafka-topics.sh` script, Strimzi `KafkaTopic` manifests).
//!
//! Pure Rust and no I/O: the CLI writes what these return, and the app can offer the same
//! files for download. What the board means (topics, keys, partitions, consumer groups,
//! producers) is read through the model's index and the compiled plan ([`crate::exec::compile`]),
//! the same the run and the hazard rules read, never derived again here. YAML serialisation
//! needs a crate the browser build does not carry, so [`asyncapi_yaml`] is native only.

mod asyncapi;
mod escape;
mod mermaid;
mod report;
mod svg;
mod topics;
#[cfg(not(target_arch = "wasm32"))]
mod yaml;

#[cfg(not(target_arch = "wasm32"))]
pub use asyncapi::asyncapi_yaml;
pub use asyncapi::{asyncapi, asyncapi_json};
pub use mermaid::mermaid;
pub use report::{html_report, markdown_report, run_findings, Report, RunSummary};
pub use svg::{svg, Scale, SvgOptions, Theme};
pub use topics::{kafka_plan, kafka_sh, strimzi, GroupSpec, KafkaPlan, TopicRole, TopicSpec};

use crate::model::{Board, Note, NoteId};
use std::fmt;

/// What a board can be exported as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// The board as a picture.
    Svg,
    /// A Mermaid `flowchart LR`.
    Mermaid,
    /// An AsyncAPI 3.0.0 document as JSON.
    AsyncApiJson,
    /// The same document as YAML.
    AsyncApiYaml,
    /// The hazard report in Markdown.
    Markdown,
    /// The hazard report as an HTML page with the board's picture.
    Html,
    /// A bash script creating the topics with `kafka-topics.sh`.
    KafkaSh,
    /// Strimzi `KafkaTopic` manifests.
    Strimzi,
}

impl ExportFormat {
    /// Every format, in the order the CLI's usage lists them.
    pub const ALL: [ExportFormat; 8] = [
        ExportFormat::Svg,
        ExportFormat::Mermaid,
        ExportFormat::AsyncApiJson,
        ExportFormat::AsyncApiYaml,
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::KafkaSh,
        ExportFormat::Strimzi,
    ];

    /// The name the CLI takes (`--to asyncapi-json`).
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Svg => "svg",
            ExportFormat::Mermaid => "mermaid",
            ExportFormat::AsyncApiJson => "asyncapi-json",
            ExportFormat::AsyncApiYaml => "asyncapi-yaml",
            ExportFormat::Markdown => "markdown",
            ExportFormat::Html => "html",
            ExportFormat::KafkaSh => "kafka-sh",
            ExportFormat::Strimzi => "strimzi",
        }
    }

    /// Parses a format's name.
    pub fn parse(s: &str) -> Option<ExportFormat> {
        ExportFormat::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// The usual file extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Svg => "svg",
            ExportFormat::Mermaid => "mmd",
            ExportFormat::AsyncApiJson => "json",
            ExportFormat::AsyncApiYaml | ExportFormat::Strimzi => "yaml",
            ExportFormat::Markdown => "md",
            ExportFormat::Html => "html",
            ExportFormat::KafkaSh => "sh",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The part of a board a picture of a selection shows: the notes picked and those of the frames
/// picked (by id), the links between them, and the frames picked. Nothing picked is refused.
pub fn selected_part(board: &Board, picked: &[String]) -> Result<Board, ExportError> {
    let is_picked = |id: &str| picked.iter().any(|p| p == id);
    let mut part = board.clone();
    part.frames.retain(|f| is_picked(f.id.as_str()));
    let in_frame = |n: &Note| {
        n.frame
            .as_ref()
            .is_some_and(|f| part.frames.iter().any(|k| &k.id == f))
    };
    let notes: Vec<_> = board
        .notes
        .iter()
        .filter(|n| is_picked(n.id.as_str()) || in_frame(n))
        .cloned()
        .collect();
    part.notes = notes;
    if part.notes.is_empty() && part.frames.is_empty() {
        return Err(ExportError::NothingSelected);
    }
    let kept = |id: &NoteId| part.notes.iter().any(|n| &n.id == id);
    let links = board
        .links
        .iter()
        .filter(|l| kept(&l.from) && kept(&l.to))
        .cloned()
        .collect();
    part.links = links;
    Ok(part)
}

/// What a board's files are named after: its name in kebab case (`shop-checkout` for "Shop:
/// checkout"), or `board`. The app names its saved boards and its exports with it.
pub fn file_stem(board_name: Option<&str>) -> String {
    let slug = board_name
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "board".into()
    } else {
        slug
    }
}

/// Why an export could not be made.
#[derive(Clone, Debug, PartialEq)]
pub enum ExportError {
    /// `--frame` named no frame of the board; carries the name and the frames there are.
    UnknownFrame {
        /// The name asked for.
        asked: String,
        /// The names of the board's frames.
        known: Vec<String>,
    },
    /// The board cannot run, so a report cannot include a run; carries the reasons.
    NotRunnable(Vec<String>),
    /// The run needed more work than allowed; carries the limit.
    RunTooLong {
        /// The most units of work allowed.
        max_work: u64,
    },
    /// The YAML serialiser refused the document.
    Yaml(String),
    /// A picture of the selection was asked for with nothing selected.
    NothingSelected,
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::UnknownFrame { asked, known } if known.is_empty() => {
                write!(f, "no frame \"{asked}\": the board has no frames")
            }
            ExportError::UnknownFrame { asked, known } => write!(
                f,
                "no frame \"{asked}\" (the board's frames: {})",
                known
                    .iter()
                    .map(|k| format!("\"{k}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ExportError::NotRunnable(reasons) => {
                write!(f, "the board cannot run: {}", reasons.join("; "))
            }
            ExportError::RunTooLong { max_work } => write!(
                f,
                "the run needs more than {max_work} units of work (raise --max-events or shorten --duration)"
            ),
            ExportError::Yaml(reason) => write!(f, "cannot write YAML: {reason}"),
            ExportError::NothingSelected => {
                write!(f, "nothing is selected: select notes or a frame to picture")
            }
        }
    }
}

impl std::error::Error for ExportError {}
