//! What a hazard check reports: codes, severities, findings and one-click fixes.

use crate::model::{Edit, NoteId};
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::{cmp::Ordering, fmt};

/// A hazard of the catalogue (docs/HAZARDS.md), serialised as "FS001" … "FS014".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HazardCode {
    /// Stale read after write.
    FS001,
    /// Dual write.
    FS002,
    /// Out-of-order processing.
    FS003,
    /// Duplicate effect.
    FS004,
    /// Event loop.
    FS005,
    /// Lost on crash.
    FS006,
    /// Idle consumers.
    FS007,
    /// Hot partition.
    FS008,
    /// Uncompensated failure.
    FS009,
    /// Synchronous chain.
    FS010,
    /// Dead end.
    FS011,
    /// Poison message.
    FS012,
    /// Unclear outcome: the board does not say which event a command results in.
    FS013,
    /// Falling behind: a consumer group cannot keep up with the rate it is offered.
    FS014,
}

impl HazardCode {
    /// Every code, in catalogue order.
    pub const ALL: [HazardCode; 14] = [
        HazardCode::FS001,
        HazardCode::FS002,
        HazardCode::FS003,
        HazardCode::FS004,
        HazardCode::FS005,
        HazardCode::FS006,
        HazardCode::FS007,
        HazardCode::FS008,
        HazardCode::FS009,
        HazardCode::FS010,
        HazardCode::FS011,
        HazardCode::FS012,
        HazardCode::FS013,
        HazardCode::FS014,
    ];

    /// The code as written in reports, e.g. "FS001".
    pub fn as_str(self) -> &'static str {
        match self {
            HazardCode::FS001 => "FS001",
            HazardCode::FS002 => "FS002",
            HazardCode::FS003 => "FS003",
            HazardCode::FS004 => "FS004",
            HazardCode::FS005 => "FS005",
            HazardCode::FS006 => "FS006",
            HazardCode::FS007 => "FS007",
            HazardCode::FS008 => "FS008",
            HazardCode::FS009 => "FS009",
            HazardCode::FS010 => "FS010",
            HazardCode::FS011 => "FS011",
            HazardCode::FS012 => "FS012",
            HazardCode::FS013 => "FS013",
            HazardCode::FS014 => "FS014",
        }
    }

    /// Parses "FS001" … "FS014".
    pub fn parse(s: &str) -> Option<HazardCode> {
        HazardCode::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The hazard's name in the catalogue.
    pub fn title(self) -> &'static str {
        match self {
            HazardCode::FS001 => "stale read after write",
            HazardCode::FS002 => "dual write",
            HazardCode::FS003 => "out-of-order processing",
            HazardCode::FS004 => "duplicate effect",
            HazardCode::FS005 => "event loop",
            HazardCode::FS006 => "lost on crash",
            HazardCode::FS007 => "idle consumers",
            HazardCode::FS008 => "hot partition",
            HazardCode::FS009 => "uncompensated failure",
            HazardCode::FS010 => "synchronous chain",
            HazardCode::FS011 => "dead end",
            HazardCode::FS012 => "poison message",
            HazardCode::FS013 => "unclear outcome",
            HazardCode::FS014 => "falling behind",
        }
    }
}

impl fmt::Display for HazardCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for HazardCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// How bad a finding is; ordered `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look; never fails a check.
    Info,
    /// Likely to bite in production; fails `flowstorm check`.
    Warning,
    /// Certain to bite; fails `flowstorm check`.
    Error,
}

impl Severity {
    /// The word used in reports: "info", "warning" or "error".
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// True for warnings and errors, which make `flowstorm check` exit 1.
    pub fn fails_check(self) -> bool {
        self >= Severity::Warning
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Read off the board by a static rule.
    Static,
    /// Seen while a run played.
    Dynamic,
}

/// One prop change of a one-click fix.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PropChange {
    /// The note whose prop changes.
    pub note: NoteId,
    /// The prop's name.
    pub name: String,
    /// Its new value.
    pub value: Value,
}

/// A one-click fix: prop changes applied together as one undoable step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FixAction {
    /// The button label, e.g. "Enable the outbox".
    pub label: String,
    /// The prop changes, in order.
    pub changes: Vec<PropChange>,
}

impl FixAction {
    /// A fix that sets one prop of one note.
    pub fn set(label: impl Into<String>, note: &NoteId, name: &str, value: Value) -> FixAction {
        FixAction {
            label: label.into(),
            changes: vec![PropChange {
                note: note.clone(),
                name: name.into(),
                value,
            }],
        }
    }

    /// Adds another prop change to the fix.
    pub fn and(mut self, note: &NoteId, name: &str, value: Value) -> FixAction {
        self.changes.push(PropChange {
            note: note.clone(),
            name: name.into(),
            value,
        });
        self
    }

    /// The edits that apply the fix; wrap them in `Edit::Batch` for one undo step.
    pub fn edits(&self) -> Vec<Edit> {
        self.changes
            .iter()
            .map(|c| Edit::SetProp {
                id: c.note.clone(),
                name: c.name.clone(),
                value: Some(c.value.clone()),
                index: None,
            })
            .collect()
    }

    /// The fix as one undoable edit.
    pub fn batch(&self) -> Edit {
        Edit::Batch(self.edits())
    }
}

/// A hazard found on a board, pointing at the notes where it arises.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Which hazard.
    pub code: HazardCode,
    /// How bad it is.
    pub severity: Severity,
    /// The notes involved; the first is where the badge goes.
    pub notes: Vec<NoteId>,
    /// What goes wrong, in workshop language.
    pub message: String,
    /// How to fix it.
    pub fix: String,
    /// Static rule or live run.
    pub source: Source,
    /// The fix as prop changes, when it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix_action: Option<FixAction>,
    /// Other one-click fixes, each another way out (offered after `fix_action`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_fixes: Vec<FixAction>,
    /// For a finding seen in a run: the simulated time it was first seen (ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen_ms: Option<u64>,
}

impl Finding {
    /// A static finding without a one-click fix.
    pub fn new(
        code: HazardCode,
        severity: Severity,
        notes: Vec<NoteId>,
        message: String,
        fix: String,
    ) -> Finding {
        Finding {
            code,
            severity,
            notes,
            message,
            fix,
            source: Source::Static,
            fix_action: None,
            other_fixes: Vec::new(),
            first_seen_ms: None,
        }
    }

    /// Attaches a one-click fix.
    pub fn with_fix(mut self, action: FixAction) -> Finding {
        self.fix_action = Some(action);
        self
    }

    /// Attaches another one-click fix, another way out.
    pub fn with_other_fix(mut self, action: FixAction) -> Finding {
        self.other_fixes.push(action);
        self
    }

    /// Every one-click fix, the first the usual one.
    pub fn fixes(&self) -> impl Iterator<Item = &FixAction> {
        self.fix_action.iter().chain(&self.other_fixes)
    }

    /// The report order: errors, then warnings, then infos, static and dynamic alike; within a
    /// severity by code, then by first note id (then the rest), so the order is stable.
    pub fn report_order(&self, other: &Finding) -> Ordering {
        other
            .severity
            .cmp(&self.severity)
            .then(self.code.cmp(&other.code))
            .then_with(|| self.notes.first().cmp(&other.notes.first()))
            .then_with(|| self.notes.cmp(&other.notes))
            .then_with(|| self.message.cmp(&other.message))
            .then_with(|| self.source.cmp(&other.source))
    }
}

/// Sorts findings into report order (see [`Finding::report_order`]).
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(Finding::report_order);
}

/// The board's findings and a run's together, in report order (what the Hazards tab lists).
pub fn merged(statics: Vec<Finding>, dynamic: impl IntoIterator<Item = Finding>) -> Vec<Finding> {
    let mut all = statics;
    all.extend(dynamic);
    sort_findings(&mut all);
    all
}

/// A summary such as "1 error, 3 warnings, 1 info" ("no hazards" when empty).
pub fn summary(findings: &[Finding]) -> String {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let parts: Vec<String> = [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "info", "infos"),
    ]
    .into_iter()
    .filter_map(|(s, one, many)| match count(s) {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    })
    .collect();
    if parts.is_empty() {
        "no hazards".into()
    } else {
        parts.join(", ")
    }
}
