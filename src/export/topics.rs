//! The Kafka topic plan of a board: its topics (partitions, key, retention, cleanup policy)
//! and consumer groups (offset reset, commits, isolation), as the run creates them on its
//! broker ([`crate::exec::compile`]), written as a `kafka-topics.sh` script or as Strimzi
//! `KafkaTopic` manifests.
//!
//! The model has no latest-state (compacted) topic: every topic is `cleanup.policy=delete`. A
//! topic without `retention_ms` keeps its records for ever (docs/FORMAT.md), which Kafka
//! writes `retention.ms=-1`.

use super::escape::{one_line, shell, Ids};
use crate::{
    exec::{compile, Plan},
    model::{
        index::BoardIndex,
        props::{Delivery, Start},
        Board, NoteKind,
    },
};
use std::fmt::Write;

/// `retention.ms` of a topic that keeps its records for ever.
const RETAIN_FOREVER: i64 = -1;
/// The cleanup policy of every topic (the model has no compacted, latest-state topic).
pub const CLEANUP_POLICY: &str = "delete";
/// Suffix of the retry topic the broker adds for `retry: "topic"` (as the run's broker does).
const RETRY_SUFFIX: &str = "-retry";
/// Suffix of the dead-letter topic the broker adds for `dlq` (as the run's broker does).
const DEAD_LETTER_SUFFIX: &str = "-dlt";
/// The Strimzi cluster label value: a placeholder for the user to edit.
const STRIMZI_CLUSTER: &str = "my-cluster";
/// Longest Kubernetes object name.
const MAX_K8S_NAME: usize = 253;

/// What a topic is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TopicRole {
    /// Carries the board's events.
    Events,
    /// Retries of the named topic's failed records (`retry: "topic"`).
    Retry(String),
    /// Records of the named topic that failed every attempt (`dlq`).
    DeadLetter(String),
}

/// A topic to create.
#[derive(Clone, Debug, PartialEq)]
pub struct TopicSpec {
    /// The name on Kafka (the board's name with characters Kafka refuses replaced).
    pub name: String,
    /// What it is for.
    pub role: TopicRole,
    /// Partitions.
    pub partitions: u32,
    /// The record fields its events are keyed by (none: keyless, round-robin).
    pub keys: Vec<String>,
    /// `retention.ms` (-1: kept for ever).
    pub retention_ms: i64,
    /// The events published on it, by their text.
    pub events: Vec<String>,
}

/// A consumer group and the settings its note's props ask for.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupSpec {
    /// `group.id`.
    pub name: String,
    /// The consuming note's text (its id when blank).
    pub note: String,
    /// The topics it subscribes to, by Kafka name (retry topics included).
    pub topics: Vec<String>,
    /// Consumers in the group.
    pub instances: u64,
    /// How it commits.
    pub delivery: Delivery,
    /// Attempts after a failure.
    pub retries: u64,
    /// Retries go through a retry topic.
    pub retry_topic: bool,
    /// Failed records go to a dead-letter topic.
    pub dead_letter: bool,
    /// Processing a record twice has no extra effect.
    pub idempotent: bool,
    /// Where it starts reading without a committed offset (the consumer's `start` prop).
    pub start: Start,
}

impl GroupSpec {
    /// The consumer properties the group's delivery asks for, in the order Kafka documents them.
    pub fn properties(&self) -> Vec<(&'static str, &'static str)> {
        let isolation = match self.delivery {
            Delivery::ExactlyOnce => "read_committed",
            _ => "read_uncommitted",
        };
        vec![
            ("group.id", ""),
            (
                "auto.offset.reset",
                match self.start {
                    Start::Earliest => "earliest",
                    Start::Latest => "latest",
                },
            ),
            ("enable.auto.commit", "false"),
            ("isolation.level", isolation),
        ]
    }

    /// When the group commits, in words.
    pub fn commit_rule(&self) -> &'static str {
        match self.delivery {
            Delivery::AtLeastOnce => {
                "at least once: process, then commit (a crash redelivers; effects must be idempotent)"
            }
            Delivery::AtMostOnce => {
                "at most once: commit, then process (a crash loses the records in hand)"
            }
            Delivery::ExactlyOnce => {
                "exactly once: process and commit the offsets in one producer transaction (transactional.id set, sendOffsetsToTransaction)"
            }
        }
    }
}

/// The board's topics and consumer groups.
#[derive(Clone, Debug, PartialEq)]
pub struct KafkaPlan {
    /// The board's name.
    pub board: String,
    /// Topics, in the order the run creates them, then retry and dead-letter topics.
    pub topics: Vec<TopicSpec>,
    /// Consumer groups, in board order of their notes.
    pub groups: Vec<GroupSpec>,
}

/// The topic plan of a board, read off its compiled plan.
pub fn kafka_plan(board: &Board) -> KafkaPlan {
    kafka_plan_of(board, &compile(board), &BoardIndex::new(board))
}

/// The topic plan of a board from its compiled plan and index.
pub(super) fn kafka_plan_of(board: &Board, plan: &Plan, ix: &BoardIndex) -> KafkaPlan {
    let mut topics: Vec<TopicSpec> = plan
        .topics
        .iter()
        .map(|t| TopicSpec {
            name: t.broker_name.clone(),
            role: TopicRole::Events,
            partitions: t.partitions,
            keys: t.key.iter().cloned().collect(),
            retention_ms: t
                .retention_ms
                .map_or(RETAIN_FOREVER, |ms| ms.min(i64::MAX as u64) as i64),
            events: Vec::new(),
        })
        .collect();
    for i in ix.notes().filter(|&i| ix.kind(i) == NoteKind::Event) {
        let Some(route) = ix.route(i) else { continue };
        let Some(t) = plan.topics.iter().position(|t| t.name == route.topic) else {
            continue;
        };
        let spec = &mut topics[t];
        if let Some(key) = &route.key {
            if !spec.keys.contains(key) {
                spec.keys.push(key.clone());
            }
        }
        spec.events.push(text_or_id(ix.note(i)));
    }
    let mut extra = Vec::new();
    let groups = plan
        .groups
        .iter()
        .map(|g| {
            let p = &g.props;
            let mut names = Vec::new();
            for t in &g.topics {
                let base = &topics[t.index()];
                names.push(base.name.clone());
                let mut derived = |suffix: &str, role: TopicRole| {
                    let name = format!("{}{suffix}", base.name);
                    if !extra.iter().any(|x: &TopicSpec| x.name == name) {
                        extra.push(TopicSpec {
                            name: name.clone(),
                            role,
                            partitions: base.partitions,
                            keys: base.keys.clone(),
                            retention_ms: base.retention_ms,
                            events: base.events.clone(),
                        });
                    }
                    name
                };
                if p.retry_topic && p.retries > 0 {
                    let retry = derived(RETRY_SUFFIX, TopicRole::Retry(base.name.clone()));
                    names.push(retry);
                }
                if p.dlq {
                    derived(DEAD_LETTER_SUFFIX, TopicRole::DeadLetter(base.name.clone()));
                }
            }
            GroupSpec {
                name: g.name.clone(),
                note: board.note(&g.note).map_or_else(String::new, text_or_id),
                topics: names,
                instances: p.instances,
                delivery: p.delivery,
                retries: p.retries,
                retry_topic: p.retry_topic && p.retries > 0,
                start: p.start,
                dead_letter: p.dlq,
                idempotent: p.idempotent,
            }
        })
        .collect();
    topics.extend(extra);
    KafkaPlan {
        board: board.name.clone().unwrap_or_else(|| "untitled".into()),
        topics,
        groups,
    }
}

/// A note's text on one line, or its id when the text is blank.
pub(super) fn text_or_id(note: &crate::model::Note) -> String {
    let text = one_line(&note.text);
    if text.is_empty() {
        note.id.to_string()
    } else {
        text
    }
}

/// What a topic carries, for a comment.
fn describe(t: &TopicSpec) -> String {
    let what = match &t.role {
        TopicRole::Events => format!("events: {}", t.events.join(", ")),
        TopicRole::Retry(of) => format!("retries of {of}"),
        TopicRole::DeadLetter(of) => format!("dead letters of {of}"),
    };
    let key = if t.keys.is_empty() {
        "no key (records spread round-robin)".to_string()
    } else {
        format!("key: {}", t.keys.join(", "))
    };
    one_line(&format!("{what}; {key}"))
}

/// The topic plan as a bash script: `kafka-topics.sh --create` per topic, then each consumer
/// group's settings as a properties block in comments.
pub fn kafka_sh(board: &Board) -> String {
    let plan = kafka_plan(board);
    let mut out = String::new();
    let _ = writeln!(out, "#!/usr/bin/env bash");
    let _ = writeln!(
        out,
        "# Kafka topics of the board \"{}\", written by flowstorm export.",
        one_line(&plan.board)
    );
    out.push_str(
        "# Set BOOTSTRAP (and REPLICATION) for your cluster; kafka-topics.sh and kafka-configs.sh\n\
         # must be on PATH (bin/ of a Kafka distribution).\n\
         set -euo pipefail\n\
         BOOTSTRAP=\"${BOOTSTRAP:-localhost:9092}\"\n\
         REPLICATION=\"${REPLICATION:-1}\"\n",
    );
    for t in &plan.topics {
        let _ = writeln!(out, "\n# {}", describe(t));
        let _ = writeln!(
            out,
            "kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --create --if-not-exists \\\n  --topic {} --partitions {} --replication-factor \"$REPLICATION\" \\\n  --config cleanup.policy={CLEANUP_POLICY} --config retention.ms={}",
            shell(&t.name),
            t.partitions,
            t.retention_ms
        );
        // Also for a topic that was there already (--if-not-exists left it as it was).
        let _ = writeln!(
            out,
            "kafka-configs.sh --bootstrap-server \"$BOOTSTRAP\" --alter --entity-type topics --entity-name {} \\\n  --add-config cleanup.policy={CLEANUP_POLICY},retention.ms={}",
            shell(&t.name),
            t.retention_ms
        );
    }
    out.push_str(&groups_comment(&plan.groups));
    out
}

/// Each consumer group's settings as commented properties blocks.
fn groups_comment(groups: &[GroupSpec]) -> String {
    let mut out = String::new();
    if groups.is_empty() {
        return out;
    }
    out.push_str("\n# Consumer groups: the consumer properties each needs.\n");
    for g in groups {
        let _ = writeln!(out, "#\n# {} ({})", one_line(&g.name), one_line(&g.note));
        let _ = writeln!(
            out,
            "#   reads {}; {} instance{}",
            g.topics.join(", "),
            g.instances,
            if g.instances == 1 { "" } else { "s" }
        );
        let _ = writeln!(out, "#   commits {}", g.commit_rule());
        if g.retries > 0 || g.dead_letter {
            let _ = writeln!(
                out,
                "#   {} retr{}{}{}",
                g.retries,
                if g.retries == 1 { "y" } else { "ies" },
                if g.retry_topic {
                    " through the retry topic (order lost)"
                } else {
                    " blocking the partition"
                },
                if g.dead_letter {
                    ", then the dead-letter topic"
                } else {
                    ""
                }
            );
        }
        if g.idempotent {
            let _ = writeln!(out, "#   processing is idempotent");
        }
        for (name, value) in g.properties() {
            let value = if name == "group.id" {
                one_line(&g.name)
            } else {
                value.to_string()
            };
            let _ = writeln!(out, "#   {name}={value}");
        }
    }
    out
}

/// A Kubernetes object name for a topic: lower case letters, digits, `-` and `.`, starting and
/// ending with a letter or digit, distinct.
fn k8s_name(topic: &str, ids: &mut Ids) -> String {
    let lower: String = topic
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .take(MAX_K8S_NAME - 8)
        .collect();
    let trimmed = lower.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    ids.make(if trimmed.is_empty() { "topic" } else { trimmed })
}

/// A YAML scalar: JSON's string syntax is YAML's double-quoted style.
fn yaml_str(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// The topic plan as Strimzi `KafkaTopic` manifests (one YAML document per topic), with the
/// consumer groups' settings as comments.
pub fn strimzi(board: &Board) -> String {
    let plan = kafka_plan(board);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Strimzi KafkaTopic manifests of the board \"{}\", written by flowstorm export.\n\
         # Set the strimzi.io/cluster label to your Kafka cluster's name; replicas default to\n\
         # the cluster's default.replication.factor.",
        one_line(&plan.board)
    );
    let mut ids = Ids::new("", |c| c == '-' || c == '.').separated_by('-');
    for t in &plan.topics {
        let name = k8s_name(&t.name, &mut ids);
        let _ = writeln!(out, "---\n# {}", describe(t));
        let _ = writeln!(
            out,
            "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: {}\n  labels:\n    strimzi.io/cluster: {STRIMZI_CLUSTER}\nspec:\n  topicName: {}\n  partitions: {}\n  config:\n    cleanup.policy: {CLEANUP_POLICY}\n    retention.ms: {}",
            yaml_str(&name),
            yaml_str(&t.name),
            t.partitions,
            t.retention_ms
        );
    }
    out.push_str(&groups_comment(&plan.groups));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample::sample;

    #[test]
    fn the_samples_topics_carry_their_partitions_keys_and_retention() {
        let plan = kafka_plan(&sample());
        let orders = plan.topics.iter().find(|t| t.name == "orders").unwrap();
        assert_eq!(orders.partitions, 3);
        assert_eq!(orders.keys, ["orderId"]);
        assert_eq!(orders.retention_ms, RETAIN_FOREVER);
        assert_eq!(orders.events, ["Order placed"]);
        let group = plan
            .groups
            .iter()
            .find(|g| g.name == "reserve-stock-policy")
            .unwrap();
        assert_eq!(group.topics, ["orders"]);
        assert_eq!(group.delivery, Delivery::AtLeastOnce);
    }

    #[test]
    fn retry_and_dead_letter_topics_follow_the_consumers_props() {
        let mut board = sample();
        let policy = board.note_mut(&"reserve-stock-policy".into()).unwrap();
        for (k, v) in [
            ("retry", serde_json::json!("topic")),
            ("retries", serde_json::json!(3)),
            ("dlq", serde_json::json!(true)),
            ("delivery", serde_json::json!("exactly_once")),
        ] {
            policy.props.insert(k.into(), v);
        }
        let plan = kafka_plan(&board);
        let names: Vec<&str> = plan.topics.iter().map(|t| t.name.as_str()).collect();
        assert!(
            names.contains(&"orders-retry") && names.contains(&"orders-dlt"),
            "{names:?}"
        );
        let group = &plan
            .groups
            .iter()
            .find(|g| g.name == "reserve-stock-policy")
            .unwrap();
        assert!(group
            .properties()
            .contains(&("isolation.level", "read_committed")));
        let script = kafka_sh(&board);
        assert!(
            script.contains("--topic orders-retry --partitions 3"),
            "{script}"
        );
        assert!(
            script.contains("#   isolation.level=read_committed"),
            "{script}"
        );
    }

    #[test]
    fn kubernetes_names_are_valid() {
        let mut ids = Ids::new("", |c| c == '-' || c == '.').separated_by('-');
        assert_eq!(k8s_name("Orders_V1", &mut ids), "orders-v1");
        assert_eq!(k8s_name("orders-v1", &mut ids), "orders-v1-2");
        assert_eq!(k8s_name("__", &mut ids), "topic");
    }
}
