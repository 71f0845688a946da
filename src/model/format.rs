//! The JSON board file (docs/FORMAT.md): load = parse → migrate → validate; save.
//!
//! Loading reports every problem at once, each with a JSON path and a reason, and never panics.
//! Fields the format does not name are ignored; unknown props are kept.

mod problem;
mod story;

pub use problem::{LoadError, Problem, ProblemKind};

use super::{
    board::{Board, Frame, FrameId, FrameKind, Link, LinkId, Note, NoteId, Props, Scenario, Topic},
    kind::{link_meaning, NoteKind},
    limits::{OverLimit, MAX_PARTITIONS, MAX_SCENARIO_MS},
    props::{spec_of, PropError},
    story::Step,
};
use crate::collections::{HashMap, HashSet};
use serde::Serialize;
use serde_json::{Map, Value};

/// The `format` value every board file carries.
pub const FORMAT: &str = "flowstorm-board";
/// The newest file version this build reads and the one it writes.
pub const CURRENT_VERSION: u64 = 3;
/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// At most this many problems are listed; the rest are counted.
pub const MAX_PROBLEMS: usize = 500;
/// Coordinates and sizes must lie within ± this many board units.
pub const MAX_COORD: f64 = 1.0e9;

/// Loads a board from JSON text: parse, migrate to the current version, validate.
pub fn load(text: &str) -> Result<Board, LoadError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(LoadError::one(
            "$",
            ProblemKind::TooLarge { bytes: text.len() },
        ));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        LoadError::one(
            "$",
            ProblemKind::Syntax {
                line: e.line(),
                column: e.column(),
                message: syntax_message(&e),
            },
        )
    })?;
    load_value(value)
}

fn syntax_message(e: &serde_json::Error) -> String {
    // serde_json appends " at line L column C"; the problem carries those already.
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    }
}

/// Loads a board from an already parsed JSON value.
pub fn load_value(value: Value) -> Result<Board, LoadError> {
    let Value::Object(mut root) = value else {
        return Err(LoadError::one(
            "$",
            ProblemKind::WrongType {
                expected: "a JSON object (a board file)",
            },
        ));
    };
    match root.get("format") {
        None => {
            return Err(LoadError::one(
                "$",
                ProblemKind::MissingField { field: "format" },
            ))
        }
        Some(Value::String(s)) if s == FORMAT => {}
        Some(other) => {
            let found = other
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| json_text(other));
            return Err(LoadError::one(
                "$.format",
                ProblemKind::WrongFormat { found },
            ));
        }
    }
    let version = match root.get("version") {
        None => {
            return Err(LoadError::one(
                "$",
                ProblemKind::MissingField { field: "version" },
            ))
        }
        Some(v) => match v.as_u64() {
            Some(n) if n > CURRENT_VERSION => {
                return Err(LoadError::one(
                    "$.version",
                    ProblemKind::NewerVersion { found: n },
                ))
            }
            Some(n) if n >= 1 => n,
            _ => {
                return Err(LoadError::one(
                    "$.version",
                    ProblemKind::BadVersion {
                        found: json_text(v),
                    },
                ))
            }
        },
    };
    migrate(&mut root, version);
    Validator::default().board(root)
}

/// Brings a parsed file of `version` up to [`CURRENT_VERSION`], step by step.
fn migrate(root: &mut Map<String, Value>, version: u64) {
    // Each version adds one step here and keeps a fixture of the version before in tests/.
    if version < 2 {
        // Version 1 has no storyline and no scheduled faults: fields of those names in a
        // version 1 file meant nothing and are read as nothing (the format ignores fields it
        // does not name), not as version 2 content.
        root.remove("storyline");
        if let Some(Value::Object(scenario)) = root.get_mut("scenario") {
            scenario.remove("faults");
        }
    }
    if version < 3 {
        migrate_event_props_to_v3(root);
    }
    root.insert("version".into(), Value::from(CURRENT_VERSION));
}

/// The prop of an event's fold rules as a version 2 file kept it (it meant nothing then).
pub const V2_APPLY_PROP: &str = "apply (version 2)";

/// Props version 3 gives a meaning, by kind: a version 2 file's props of these names meant
/// nothing and are kept as `NAME (version 2)`.
const NAMED_IN_V3: &[(&str, &str)] = &[
    ("event", "apply"),
    ("read_model", "push"),
    ("read_model", "listen_to_yourself"),
    ("policy", "start"),
    ("read_model", "start"),
    ("external_system", "start"),
];

/// Version 3 types the fields of events, gives events fold rules and read models two more
/// guards of their readers. A version 2 event's fields were names only: one that version 3
/// would read as a name and type (it holds a `:`) keeps its words with the colon written as
/// `-`, empty and repeated names go; a version 2 prop version 3 names is kept under another
/// name ([`NAMED_IN_V3`]).
fn migrate_event_props_to_v3(root: &mut Map<String, Value>) {
    let Some(Value::Array(notes)) = root.get_mut("notes") else {
        return;
    };
    for note in notes {
        let kind = note
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let Some(Value::Object(props)) = note.get_mut("props") else {
            continue;
        };
        for (k, name) in NAMED_IN_V3 {
            if *k == kind {
                if let Some(value) = props.remove(*name) {
                    props.insert(format!("{name} (version 2)"), value);
                }
            }
        }
        if kind != "event" {
            continue;
        }
        if let Some(Value::Array(fields)) = props.get_mut("fields") {
            let mut seen: Vec<String> = Vec::new();
            fields.retain_mut(|f| {
                let Some(name) = f.as_str() else {
                    return true; // a wrong type stays a problem to report
                };
                let name = name.replace(':', "-").trim().to_string();
                if name.is_empty() || seen.contains(&name) {
                    return false;
                }
                seen.push(name.clone());
                *f = Value::String(name);
                true
            });
        }
    }
}

#[derive(Default)]
struct Validator {
    problems: Vec<Problem>,
    dropped: usize,
}

impl Validator {
    fn report(&mut self, path: impl Into<String>, kind: ProblemKind) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem {
                path: path.into(),
                kind,
            });
        } else {
            self.dropped += 1;
        }
    }

    fn board(mut self, mut root: Map<String, Value>) -> Result<Board, LoadError> {
        let mut board = Board::default();
        let mut ids: HashMap<String, String> = HashMap::default();

        board.name = self.opt_string(&mut root, "name", "$");
        for (i, item) in self.array(&mut root, "frames", "$").into_iter().enumerate() {
            let path = format!("$.frames[{i}]");
            if let Some(frame) = self.frame(item, &path) {
                self.claim_id(&mut ids, frame.id.as_str(), &path);
                board.frames.push(frame);
            }
        }
        let mut topic_names: HashSet<String> = HashSet::default();
        for (i, item) in self.array(&mut root, "topics", "$").into_iter().enumerate() {
            let path = format!("$.topics[{i}]");
            if let Some(topic) = self.topic(item, &path) {
                if !topic_names.insert(topic.name.clone()) {
                    self.report(
                        format!("{path}.name"),
                        ProblemKind::DuplicateTopic {
                            name: topic.name.clone(),
                        },
                    );
                }
                board.topics.push(topic);
            }
        }
        let frame_ids: HashSet<&str> = board.frames.iter().map(|f| f.id.as_str()).collect();
        let mut notes = Vec::new();
        for (i, item) in self.array(&mut root, "notes", "$").into_iter().enumerate() {
            let path = format!("$.notes[{i}]");
            if let Some(note) = self.note(item, &path) {
                self.claim_id(&mut ids, note.id.as_str(), &path);
                if let Some(frame) = &note.frame {
                    if !frame_ids.contains(frame.as_str()) {
                        self.report(
                            format!("{path}.frame"),
                            ProblemKind::MissingFrame {
                                frame: frame.0.clone(),
                            },
                        );
                    }
                }
                notes.push(note);
            }
        }
        board.notes = notes;
        let kinds: HashMap<&str, NoteKind> = board
            .notes
            .iter()
            .map(|n| (n.id.as_str(), n.kind))
            .collect();
        let mut links = Vec::new();
        for (i, item) in self.array(&mut root, "links", "$").into_iter().enumerate() {
            let path = format!("$.links[{i}]");
            if let Some(link) = self.link(item, &path) {
                self.claim_id(&mut ids, link.id.as_str(), &path);
                let from = kinds.get(link.from.as_str()).copied();
                let to = kinds.get(link.to.as_str()).copied();
                if from.is_none() {
                    self.report(
                        format!("{path}.from"),
                        ProblemKind::DanglingLink {
                            id: link.from.0.clone(),
                        },
                    );
                }
                if to.is_none() {
                    self.report(
                        format!("{path}.to"),
                        ProblemKind::DanglingLink {
                            id: link.to.0.clone(),
                        },
                    );
                }
                if let (Some(from), Some(to)) = (from, to) {
                    if link_meaning(from, to).is_none() {
                        self.report(path.clone(), ProblemKind::ForbiddenLink { from, to });
                    }
                }
                links.push(link);
            }
        }
        board.links = links;
        let names = story::Names {
            notes: board.notes.iter().map(|n| n.id.as_str()).collect(),
            frames: frame_ids,
        };
        if let Some(value) = root.remove("scenario") {
            board.scenario = self.scenario(value, "$.scenario", &names);
        }
        let storyline = self.storyline(&mut root, &names);
        drop(names);
        board.storyline = storyline;

        if self.problems.is_empty() {
            Ok(board)
        } else {
            if self.dropped > 0 {
                self.problems.push(Problem {
                    path: "$".into(),
                    kind: ProblemKind::MoreProblems {
                        count: self.dropped,
                    },
                });
            }
            Err(LoadError {
                problems: self.problems,
            })
        }
    }

    fn claim_id(&mut self, ids: &mut HashMap<String, String>, id: &str, path: &str) {
        if let Some(first) = ids.get(id) {
            let first = first.clone();
            self.report(
                format!("{path}.id"),
                ProblemKind::DuplicateId {
                    id: id.to_string(),
                    first,
                },
            );
        } else {
            ids.insert(id.to_string(), path.to_string());
        }
    }

    fn array(&mut self, obj: &mut Map<String, Value>, field: &str, path: &str) -> Vec<Value> {
        match obj.remove(field) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.report(
                    format!("{path}.{field}"),
                    ProblemKind::WrongType {
                        expected: "an array",
                    },
                );
                Vec::new()
            }
        }
    }

    fn object(&mut self, value: Value, path: &str) -> Option<Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            _ => {
                self.report(
                    path,
                    ProblemKind::WrongType {
                        expected: "an object",
                    },
                );
                None
            }
        }
    }

    fn opt_string(
        &mut self,
        obj: &mut Map<String, Value>,
        field: &str,
        path: &str,
    ) -> Option<String> {
        match obj.remove(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.report(
                    format!("{path}.{field}"),
                    ProblemKind::WrongType {
                        expected: "a string",
                    },
                );
                None
            }
        }
    }

    /// Takes the required `field` out of `obj`; its absence is a problem at `path`.
    fn required(
        &mut self,
        obj: &mut Map<String, Value>,
        field: &'static str,
        path: &str,
    ) -> Option<Value> {
        let value = obj.remove(field);
        if value.is_none() {
            self.report(path, ProblemKind::MissingField { field });
        }
        value
    }

    fn id(
        &mut self,
        obj: &mut Map<String, Value>,
        field: &'static str,
        path: &str,
    ) -> Option<String> {
        match self.required(obj, field, path)? {
            Value::String(s) if !s.is_empty() => Some(s),
            _ => {
                self.report(
                    format!("{path}.{field}"),
                    ProblemKind::WrongType {
                        expected: "a non-empty string",
                    },
                );
                None
            }
        }
    }

    fn coord(
        &mut self,
        obj: &mut Map<String, Value>,
        field: &'static str,
        path: &str,
    ) -> Option<f64> {
        let v = self.required(obj, field, path)?;
        self.number_in(v, &format!("{path}.{field}"), -MAX_COORD, MAX_COORD)
    }

    fn size(
        &mut self,
        obj: &mut Map<String, Value>,
        field: &'static str,
        path: &str,
    ) -> Option<f64> {
        match obj.remove(field) {
            None | Some(Value::Null) => None,
            Some(v) => self.size_value(v, field, path),
        }
    }

    /// A size (`field` of the object at `path`): a number greater than 0, at most [`MAX_COORD`].
    fn size_value(&mut self, v: Value, field: &'static str, path: &str) -> Option<f64> {
        let n = self.number_in(v, &format!("{path}.{field}"), 0.0, MAX_COORD)?;
        if n <= 0.0 {
            self.report(
                format!("{path}.{field}"),
                ProblemKind::OutOfRange {
                    reason: format!("{field} must be greater than 0"),
                },
            );
            return None;
        }
        Some(n)
    }

    fn number_in(&mut self, value: Value, path: &str, min: f64, max: f64) -> Option<f64> {
        match value.as_f64() {
            Some(n) if n >= min && n <= max => Some(n),
            Some(n) => {
                self.report(
                    path,
                    ProblemKind::OutOfRange {
                        reason: format!("{n} is not between {min} and {max}"),
                    },
                );
                None
            }
            None => {
                self.report(
                    path,
                    ProblemKind::WrongType {
                        expected: "a number",
                    },
                );
                None
            }
        }
    }

    fn uint(&mut self, value: Value, path: &str, min: u64) -> Option<u64> {
        match value.as_u64() {
            Some(n) if n >= min => Some(n),
            Some(n) => {
                self.report(
                    path,
                    ProblemKind::OutOfRange {
                        reason: format!("{n} is less than {min}"),
                    },
                );
                None
            }
            None if value.as_f64().is_some_and(|n| n < min as f64) => {
                self.report(
                    path,
                    ProblemKind::OutOfRange {
                        reason: format!("{} is less than {min}", json_text(&value)),
                    },
                );
                None
            }
            None => {
                self.report(
                    path,
                    ProblemKind::WrongType {
                        expected: "a whole number",
                    },
                );
                None
            }
        }
    }

    /// `n` if it is at most `max`; else an [`OverLimit`] problem naming `name`, `n` and `max`.
    fn at_most(
        &mut self,
        n: u64,
        path: &str,
        name: &'static str,
        max: u64,
        unit: &'static str,
    ) -> Option<u64> {
        if n <= max {
            return Some(n);
        }
        let over = OverLimit {
            name,
            found: n.to_string(),
            max: max as f64,
            unit,
        };
        self.report(path, ProblemKind::OverLimit(over));
        None
    }

    fn frame(&mut self, value: Value, path: &str) -> Option<Frame> {
        let mut obj = self.object(value, path)?;
        let id = self.id(&mut obj, "id", path);
        let kind = match obj.remove("kind") {
            None => Some(FrameKind::Context),
            Some(Value::String(s)) if s == "context" => Some(FrameKind::Context),
            Some(other) => {
                let found = other
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| json_text(&other));
                self.report(
                    format!("{path}.kind"),
                    ProblemKind::UnknownKind { kind: found },
                );
                None
            }
        };
        let name = self.opt_string(&mut obj, "name", path).unwrap_or_default();
        let x = self.coord(&mut obj, "x", path);
        let y = self.coord(&mut obj, "y", path);
        let w = self.size(&mut obj, "w", path);
        let h = self.size(&mut obj, "h", path);
        Some(Frame {
            id: FrameId(id?),
            kind: kind?,
            name,
            x: x?,
            y: y?,
            w,
            h,
        })
    }

    fn topic(&mut self, value: Value, path: &str) -> Option<Topic> {
        let mut obj = self.object(value, path)?;
        let name = self.id(&mut obj, "name", path);
        let partitions = match obj.remove("partitions") {
            None | Some(Value::Null) => Some(1),
            Some(v) => {
                let path = format!("{path}.partitions");
                self.uint(v, &path, 1)
                    .and_then(|n| {
                        self.at_most(n, &path, "partitions", MAX_PARTITIONS.into(), "partitions")
                    })
                    .map(|n| n as u32)
            }
        };
        let key = self.opt_string(&mut obj, "key", path);
        let retention_ms = match obj.remove("retention_ms") {
            None | Some(Value::Null) => None,
            Some(v) => Some(self.uint(v, &format!("{path}.retention_ms"), 0)?),
        };
        Some(Topic {
            name: name?,
            partitions: partitions?,
            key,
            retention_ms,
        })
    }

    fn note(&mut self, value: Value, path: &str) -> Option<Note> {
        let mut obj = self.object(value, path)?;
        let id = self.id(&mut obj, "id", path);
        let kind = match obj.remove("kind") {
            None => {
                self.report(path, ProblemKind::MissingField { field: "kind" });
                None
            }
            Some(Value::String(s)) => {
                let kind = NoteKind::parse(&s);
                if kind.is_none() {
                    self.report(format!("{path}.kind"), ProblemKind::UnknownKind { kind: s });
                }
                kind
            }
            Some(_) => {
                self.report(
                    format!("{path}.kind"),
                    ProblemKind::WrongType {
                        expected: "a string",
                    },
                );
                None
            }
        };
        let text = self.opt_string(&mut obj, "text", path).unwrap_or_default();
        let x = self.coord(&mut obj, "x", path);
        let y = self.coord(&mut obj, "y", path);
        let w = self.size(&mut obj, "w", path);
        let h = self.size(&mut obj, "h", path);
        let frame = self.opt_string(&mut obj, "frame", path).map(FrameId);
        let props = match obj.remove("props") {
            None | Some(Value::Null) => Props::new(),
            Some(Value::Object(map)) => map,
            Some(_) => {
                self.report(
                    format!("{path}.props"),
                    ProblemKind::WrongType {
                        expected: "an object",
                    },
                );
                Props::new()
            }
        };
        if let Some(kind) = kind {
            for (name, value) in &props {
                if let Some(spec) = spec_of(kind, name) {
                    let problem = match spec.check(value) {
                        Ok(()) => continue,
                        Err(PropError::OverLimit(over)) => ProblemKind::OverLimit(over),
                        Err(PropError::Invalid(reason)) => ProblemKind::BadProp {
                            name: name.clone(),
                            reason,
                        },
                    };
                    self.report(format!("{path}.props.{name}"), problem);
                }
            }
        }
        Some(Note {
            id: NoteId(id?),
            kind: kind?,
            text,
            x: x?,
            y: y?,
            w,
            h,
            frame,
            props,
        })
    }

    fn link(&mut self, value: Value, path: &str) -> Option<Link> {
        let mut obj = self.object(value, path)?;
        let id = self.id(&mut obj, "id", path);
        let from = self.id(&mut obj, "from", path);
        let to = self.id(&mut obj, "to", path);
        Some(Link {
            id: LinkId(id?),
            from: NoteId(from?),
            to: NoteId(to?),
        })
    }

    fn scenario(&mut self, value: Value, path: &str, names: &story::Names) -> Option<Scenario> {
        if value.is_null() {
            return None;
        }
        let mut obj = self.object(value, path)?;
        let defaults = Scenario::default();
        let seed = match obj.remove("seed") {
            None => Some(defaults.seed),
            Some(v) => self.uint(v, &format!("{path}.seed"), 0),
        };
        let duration_ms = match obj.remove("duration_ms") {
            None => Some(defaults.duration_ms),
            Some(v) => {
                let path = format!("{path}.duration_ms");
                self.uint(v, &path, 1)
                    .and_then(|n| self.at_most(n, &path, "duration_ms", MAX_SCENARIO_MS, "ms"))
            }
        };
        let faults = self.scheduled_faults(&mut obj, path, names);
        Some(Scenario {
            seed: seed?,
            duration_ms: duration_ms?,
            faults,
        })
    }
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    frames: &'a [Frame],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    topics: &'a [Topic],
    notes: &'a [Note],
    links: &'a [Link],
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario: Option<&'a Scenario>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    storyline: &'a [Step],
}

impl<'a> From<&'a Board> for FileOut<'a> {
    fn from(board: &'a Board) -> Self {
        FileOut {
            format: FORMAT,
            version: CURRENT_VERSION,
            name: board.name.as_deref(),
            frames: &board.frames,
            topics: &board.topics,
            notes: &board.notes,
            links: &board.links,
            scenario: board.scenario.as_ref(),
            storyline: &board.storyline,
        }
    }
}

/// Saves a board as pretty-printed JSON (the current format version).
pub fn save(board: &Board) -> String {
    indent(&save_compact(board))
}

/// Compact JSON laid out as serde_json's pretty printer lays it out (two spaces, `": "`, empty
/// arrays and objects on one line). Saving lays out the compact text rather than serializing
/// twice: the browser's download then carries one serializer of the board, not two.
pub fn indent(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                if matches!(chars.peek(), Some('}' | ']')) {
                    if let Some(close) = chars.next() {
                        out.push(close);
                    }
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

/// A JSON value as compact text, as `value.to_string()` writes it: through the serializer
/// that saving a board uses, so the browser's download carries no second one for display.
pub fn json_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Saves a board as compact JSON (for the clipboard and the browser's storage).
pub fn save_compact(board: &Board) -> String {
    serde_json::to_string(&FileOut::from(board)).unwrap_or_default()
}
