//! What version 2 added: the scenario's scheduled faults and the storyline. Like the rest of
//! the loader, every problem is reported with its path and nothing is half-read.

use super::{ProblemKind, Validator};
use crate::collections::HashSet;
use crate::model::{
    fault::{Fault, ResetTo, ScheduledFault},
    limits::{
        OverLimit, MAX_INSTANCES, MAX_PARTITIONS, MAX_PROCESSING_MS, MAX_SCENARIO_MS,
        MAX_SCHEDULED_FAULTS, MAX_STEPS, SPEED_RANGE,
    },
    story::{Camera, Step, StepAction},
    FrameId, NoteId, Rect,
};
use serde_json::{Map, Value};

/// The notes and frames a scheduled fault or a step may name.
pub(super) struct Names<'a> {
    /// Note ids on the board.
    pub notes: HashSet<&'a str>,
    /// Frame ids on the board.
    pub frames: HashSet<&'a str>,
}

/// The fault names a file may use.
const FAULTS: &str = "crash_consumer, restart_consumer, slow_consumer, system_down, slow_system, system_up, crash_aggregate, poison, add_partitions, reset_offsets, rebuild_view, start_consumer";
/// Where a group's offsets can be reset to (`"to"`).
const RESETS: &str = "earliest, latest, offset, time";
/// The step actions a file may use.
const ACTIONS: &str = "play, pause, reset, jump, fault";
/// The cameras a file may use.
const CAMERAS: &str = "board, frame, notes, area";

impl Validator {
    /// The scenario's `faults`.
    pub(super) fn scheduled_faults(
        &mut self,
        scenario: &mut Map<String, Value>,
        path: &str,
        names: &Names,
    ) -> Vec<ScheduledFault> {
        let items = self.array(scenario, "faults", path);
        let path = format!("{path}.faults");
        if !self.within_count(items.len(), MAX_SCHEDULED_FAULTS, &path, "faults") {
            return Vec::new();
        }
        let mut faults = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let path = format!("{path}[{i}]");
            let Some(mut obj) = self.object(item, &path) else {
                continue;
            };
            let at_ms = self.required_ms(&mut obj, "at_ms", &path, MAX_SCENARIO_MS);
            let fault = self.fault(&mut obj, &path, names);
            if let (Some(at_ms), Some(fault)) = (at_ms, fault) {
                faults.push(ScheduledFault { at_ms, fault });
            }
        }
        faults
    }

    /// The board's `storyline`.
    pub(super) fn storyline(&mut self, root: &mut Map<String, Value>, names: &Names) -> Vec<Step> {
        let items = self.array(root, "storyline", "$");
        if !self.within_count(items.len(), MAX_STEPS, "$.storyline", "steps") {
            return Vec::new();
        }
        let mut steps = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let path = format!("$.storyline[{i}]");
            if let Some(step) = self.step(item, &path, names) {
                steps.push(step);
            }
        }
        steps
    }

    /// False (with the problem reported) when a list is longer than its limit.
    fn within_count(&mut self, n: usize, max: usize, path: &str, unit: &'static str) -> bool {
        if n <= max {
            return true;
        }
        let over = OverLimit {
            name: "the list's length",
            found: n.to_string(),
            max: max as f64,
            unit,
        };
        self.report(path, ProblemKind::OverLimit(over));
        false
    }

    fn step(&mut self, value: Value, path: &str, names: &Names) -> Option<Step> {
        let mut obj = self.object(value, path)?;
        let caption = self
            .opt_string(&mut obj, "caption", path)
            .unwrap_or_default();
        let camera = match obj.remove("camera") {
            None | Some(Value::Null) => Some(Camera::Board),
            Some(v) => self.camera(v, &format!("{path}.camera"), names),
        };
        let mut ok = true;
        let mut actions = Vec::new();
        for (i, item) in self
            .array(&mut obj, "actions", path)
            .into_iter()
            .enumerate()
        {
            match self.action(item, &format!("{path}.actions[{i}]"), names) {
                Some(a) => actions.push(a),
                None => ok = false,
            }
        }
        Some(Step {
            caption,
            camera: camera?,
            actions,
        })
        .filter(|_| ok)
    }

    fn camera(&mut self, value: Value, path: &str, names: &Names) -> Option<Camera> {
        let mut obj = self.object(value, path)?;
        if let Some(v) = obj.remove("frame") {
            let Some(id) = v.as_str().filter(|s| !s.is_empty()) else {
                self.report(
                    format!("{path}.frame"),
                    ProblemKind::WrongType {
                        expected: "a frame id",
                    },
                );
                return None;
            };
            if !names.frames.contains(id) {
                let frame = id.to_string();
                self.report(format!("{path}.frame"), ProblemKind::MissingFrame { frame });
                return None;
            }
            return Some(Camera::Frame(FrameId(id.to_string())));
        }
        if obj.contains_key("notes") {
            let items = self.array(&mut obj, "notes", path);
            let path = format!("{path}.notes");
            if items.is_empty() {
                let reason = "a camera on notes names at least one".to_string();
                self.report(path, ProblemKind::OutOfRange { reason });
                return None;
            }
            let mut ids = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                ids.push(self.note_id(item, &format!("{path}[{i}]"), names));
            }
            return ids
                .into_iter()
                .collect::<Option<Vec<_>>>()
                .map(Camera::Notes);
        }
        if let Some(v) = obj.remove("area") {
            let path = format!("{path}.area");
            let mut area = self.object(v, &path)?;
            let x = self.coord(&mut area, "x", &path);
            let y = self.coord(&mut area, "y", &path);
            let w = self.positive(&mut area, "w", &path);
            let h = self.positive(&mut area, "h", &path);
            return Some(Camera::Area(Rect::new(x?, y?, w?, h?)));
        }
        match obj.remove("board") {
            Some(Value::Bool(true)) => Some(Camera::Board),
            _ => {
                let found = obj.keys().next().cloned().unwrap_or_default();
                self.report(
                    path,
                    ProblemKind::UnknownName {
                        what: "camera",
                        found,
                        expected: CAMERAS,
                    },
                );
                None
            }
        }
    }

    /// A required size greater than 0.
    fn positive(
        &mut self,
        obj: &mut Map<String, Value>,
        field: &'static str,
        path: &str,
    ) -> Option<f64> {
        let v = self.required(obj, field, path)?;
        self.size_value(v, field, path)
    }

    fn action(&mut self, value: Value, path: &str, names: &Names) -> Option<StepAction> {
        let mut obj = self.object(value, path)?;
        let name = self.id(&mut obj, "do", path)?;
        match name.as_str() {
            "play" => {
                let speed = match obj.remove("speed") {
                    None => Some(1.0),
                    Some(v) => {
                        self.number_in(v, &format!("{path}.speed"), SPEED_RANGE.0, SPEED_RANGE.1)
                    }
                };
                Some(StepAction::Play { speed: speed? })
            }
            "pause" => Some(StepAction::Pause),
            "reset" => Some(StepAction::Reset),
            "jump" => {
                let at_ms = self.required_ms(&mut obj, "at_ms", path, MAX_SCENARIO_MS)?;
                Some(StepAction::Jump { at_ms })
            }
            "fault" => self.fault(&mut obj, path, names).map(StepAction::Fault),
            _ => {
                self.report(
                    format!("{path}.do"),
                    ProblemKind::UnknownName {
                        what: "step action",
                        found: name,
                        expected: ACTIONS,
                    },
                );
                None
            }
        }
    }

    /// The fault named by `fault` in `obj`, with its fields.
    fn fault(&mut self, obj: &mut Map<String, Value>, path: &str, names: &Names) -> Option<Fault> {
        let name = self.id(obj, "fault", path)?;
        let extra_max = MAX_PROCESSING_MS as u64;
        let fault = match name.as_str() {
            "crash_consumer" => {
                let note = self.note_field(obj, path, names);
                let instance = self.instance(obj, path);
                let restart = self.optional_ms(obj, "restart_after_ms", path, MAX_SCENARIO_MS);
                Fault::CrashConsumer {
                    note: note?,
                    instance: instance?,
                    restart_after_ms: restart?,
                }
            }
            "restart_consumer" => Fault::RestartConsumer {
                note: self.note_field(obj, path, names)?,
            },
            "slow_consumer" => {
                let note = self.note_field(obj, path, names);
                let instance = self.instance(obj, path);
                let extra = self.required_ms(obj, "extra_ms", path, extra_max);
                Fault::SlowConsumer {
                    note: note?,
                    instance: instance?,
                    extra_ms: extra?,
                }
            }
            "system_down" => {
                let note = self.note_field(obj, path, names);
                let for_ms = self.optional_ms(obj, "for_ms", path, MAX_SCENARIO_MS);
                Fault::SystemDown {
                    note: note?,
                    for_ms: for_ms?,
                }
            }
            "slow_system" => {
                let note = self.note_field(obj, path, names);
                let extra = self.required_ms(obj, "extra_ms", path, extra_max);
                let for_ms = self.optional_ms(obj, "for_ms", path, MAX_SCENARIO_MS);
                Fault::SlowSystem {
                    note: note?,
                    extra_ms: extra?,
                    for_ms: for_ms?,
                }
            }
            "system_up" => Fault::SystemUp {
                note: self.note_field(obj, path, names)?,
            },
            "crash_aggregate" => Fault::CrashAggregate {
                note: self.note_field(obj, path, names)?,
            },
            "poison" => Fault::Poison {
                note: self.note_field(obj, path, names)?,
            },
            "add_partitions" => {
                let topic = self.id(obj, "topic", path);
                let p = format!("{path}.total");
                let total = self.required(obj, "total", path).and_then(|v| {
                    let n = self.uint(v, &p, 1)?;
                    self.at_most(n, &p, "total", u64::from(MAX_PARTITIONS), "partitions")
                });
                Fault::AddPartitions {
                    topic: topic?,
                    total: u32::try_from(total?).ok()?,
                }
            }
            "reset_offsets" => {
                let note = self.note_field(obj, path, names);
                let to = self.reset_to(obj, path);
                Fault::ResetOffsets {
                    note: note?,
                    to: to?,
                }
            }
            "rebuild_view" => Fault::RebuildView {
                note: self.note_field(obj, path, names)?,
            },
            "start_consumer" => Fault::StartConsumer {
                note: self.note_field(obj, path, names)?,
            },
            _ => {
                self.report(
                    format!("{path}.fault"),
                    ProblemKind::UnknownName {
                        what: "fault",
                        found: name,
                        expected: FAULTS,
                    },
                );
                return None;
            }
        };
        Some(fault)
    }

    /// The required `note` of a fault, a note on the board.
    fn note_field(
        &mut self,
        obj: &mut Map<String, Value>,
        path: &str,
        names: &Names,
    ) -> Option<NoteId> {
        let v = self.required(obj, "note", path)?;
        self.note_id(v, &format!("{path}.note"), names)
    }

    /// A note id that names a note on the board.
    fn note_id(&mut self, value: Value, path: &str, names: &Names) -> Option<NoteId> {
        let Value::String(id) = value else {
            self.report(
                path,
                ProblemKind::WrongType {
                    expected: "a note id",
                },
            );
            return None;
        };
        if names.notes.contains(id.as_str()) {
            Some(NoteId(id))
        } else {
            self.report(path, ProblemKind::UnknownNote { id });
            None
        }
    }

    /// Where `reset_offsets` moves the offsets: `"to"`, with its `offset` or `time_ms`.
    fn reset_to(&mut self, obj: &mut Map<String, Value>, path: &str) -> Option<ResetTo> {
        let to = self.id(obj, "to", path)?;
        Some(match to.as_str() {
            "earliest" => ResetTo::Earliest,
            "latest" => ResetTo::Latest,
            "offset" => {
                let v = self.required(obj, "offset", path)?;
                ResetTo::Offset(self.uint(v, &format!("{path}.offset"), 0)?)
            }
            "time" => ResetTo::Time(self.required_ms(obj, "time_ms", path, MAX_SCENARIO_MS)?),
            _ => {
                self.report(
                    format!("{path}.to"),
                    ProblemKind::UnknownName {
                        what: "offset reset",
                        found: to,
                        expected: RESETS,
                    },
                );
                return None;
            }
        })
    }

    /// A consumer's `instance` (0, the first to join, when omitted).
    fn instance(&mut self, obj: &mut Map<String, Value>, path: &str) -> Option<u32> {
        let Some(v) = obj.remove("instance") else {
            return Some(0);
        };
        let p = format!("{path}.instance");
        let n = self.uint(v, &p, 0)?;
        let n = self.at_most(
            n,
            &p,
            "instance",
            MAX_INSTANCES - 1,
            "(instances count from 0)",
        )?;
        u32::try_from(n).ok()
    }

    /// A required time in ms, at most `max`.
    fn required_ms(
        &mut self,
        obj: &mut Map<String, Value>,
        field: &'static str,
        path: &str,
        max: u64,
    ) -> Option<u64> {
        let v = self.required(obj, field, path)?;
        let p = format!("{path}.{field}");
        let n = self.uint(v, &p, 0)?;
        self.at_most(n, &p, field, max, "ms")
    }

    /// An optional time in ms, at most `max`: `Some(None)` when absent, `None` on a problem.
    fn optional_ms(
        &mut self,
        obj: &mut Map<String, Value>,
        field: &'static str,
        path: &str,
        max: u64,
    ) -> Option<Option<u64>> {
        match obj.get(field) {
            None | Some(Value::Null) => Some(None),
            Some(_) => self.required_ms(obj, field, path, max).map(Some),
        }
    }
}
