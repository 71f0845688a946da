//! Note kinds and which links between them mean something (docs/FORMAT.md).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of a sticky note on the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// A domain event, in the past tense.
    Event,
    /// An intention or action.
    Command,
    /// A consistent business rule that owns state.
    Aggregate,
    /// A "whenever X, then Y" reaction.
    Policy,
    /// A projection or view used to decide.
    ReadModel,
    /// A person or role issuing commands.
    Actor,
    /// A system outside our control.
    ExternalSystem,
    /// A problem, question or risk.
    Hotspot,
}

impl NoteKind {
    /// Every kind, in palette order.
    pub const ALL: [NoteKind; 8] = [
        NoteKind::Event,
        NoteKind::Command,
        NoteKind::Aggregate,
        NoteKind::Policy,
        NoteKind::ReadModel,
        NoteKind::Actor,
        NoteKind::ExternalSystem,
        NoteKind::Hotspot,
    ];

    /// The name used in the JSON format.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Event => "event",
            NoteKind::Command => "command",
            NoteKind::Aggregate => "aggregate",
            NoteKind::Policy => "policy",
            NoteKind::ReadModel => "read_model",
            NoteKind::Actor => "actor",
            NoteKind::ExternalSystem => "external_system",
            NoteKind::Hotspot => "hotspot",
        }
    }

    /// Parses the JSON name of a kind.
    pub fn parse(s: &str) -> Option<NoteKind> {
        NoteKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The label shown to people (legend, inspector).
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Event => "Domain event",
            NoteKind::Command => "Command",
            NoteKind::Aggregate => "Aggregate",
            NoteKind::Policy => "Policy",
            NoteKind::ReadModel => "Read model",
            NoteKind::Actor => "Actor",
            NoteKind::ExternalSystem => "External system",
            NoteKind::Hotspot => "Hotspot",
        }
    }

    /// The keyboard shortcut that creates this kind.
    pub fn shortcut(self) -> char {
        match self {
            NoteKind::Event => 'E',
            NoteKind::Command => 'C',
            NoteKind::Aggregate => 'A',
            NoteKind::Policy => 'P',
            NoteKind::ReadModel => 'R',
            NoteKind::Actor => 'U',
            NoteKind::ExternalSystem => 'X',
            NoteKind::Hotspot => 'H',
        }
    }

    /// The fill colour of this kind (fixed, whatever the facilitator calls it).
    pub fn colour(self) -> &'static str {
        match self {
            NoteKind::Event => "#ff9f43",
            NoteKind::Command => "#54a0ff",
            NoteKind::Aggregate => "#fff3b0",
            NoteKind::Policy => "#c8a2ff",
            NoteKind::ReadModel => "#7bd88f",
            NoteKind::Actor => "#ffe066",
            NoteKind::ExternalSystem => "#ff9ecf",
            NoteKind::Hotspot => "#ff2e63",
        }
    }

    /// The default size (width, height) of a note of this kind, in board units.
    pub fn default_size(self) -> (f64, f64) {
        match self {
            NoteKind::Aggregate => (180.0, 150.0),
            NoteKind::Actor => (100.0, 80.0),
            NoteKind::ExternalSystem => (220.0, 100.0),
            _ => (140.0, 100.0),
        }
    }

    /// True for kinds that subscribe to events as consumer groups.
    pub fn is_consumer(self) -> bool {
        matches!(
            self,
            NoteKind::Policy | NoteKind::ReadModel | NoteKind::ExternalSystem
        )
    }
}

impl fmt::Display for NoteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a directed link between two kinds means on the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkMeaning {
    /// An actor, policy or external system issues the command.
    Issues,
    /// The aggregate handles the command, in process and synchronously.
    Handles,
    /// The event is published by the source.
    Publishes,
    /// A consumer subscribes to the event.
    Subscribes,
    /// The view is read to decide.
    Reads,
    /// A synchronous call to an external system.
    Calls,
    /// A hotspot annotates a note (no execution meaning).
    Annotates,
}

impl LinkMeaning {
    /// The meaning in a word, as the inspector shows it ("publishes").
    pub fn label(self) -> &'static str {
        match self {
            LinkMeaning::Issues => "issues",
            LinkMeaning::Handles => "handles",
            LinkMeaning::Publishes => "publishes",
            LinkMeaning::Subscribes => "subscribes",
            LinkMeaning::Reads => "reads",
            LinkMeaning::Calls => "calls",
            LinkMeaning::Annotates => "annotates",
        }
    }
}

/// "a" or "an" before `word`, as it is spelt (a vowel letter first: "an").
pub fn indefinite_article(word: &str) -> &'static str {
    let vowel = word
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    if vowel {
        "an"
    } else {
        "a"
    }
}

/// Returns what a link `from → to` means, or `None` if the pair cannot be linked.
pub fn link_meaning(from: NoteKind, to: NoteKind) -> Option<LinkMeaning> {
    use NoteKind::*;
    if from == Hotspot || to == Hotspot {
        return Some(LinkMeaning::Annotates);
    }
    Some(match (from, to) {
        (Actor | Policy | ExternalSystem, Command) => LinkMeaning::Issues,
        (Command, Aggregate) => LinkMeaning::Handles,
        (Aggregate | Command | ExternalSystem, Event) => LinkMeaning::Publishes,
        (Event, Policy | ReadModel | ExternalSystem) => LinkMeaning::Subscribes,
        (ReadModel, Actor | Policy | Aggregate) => LinkMeaning::Reads,
        (Command | Aggregate | Policy, ExternalSystem) => LinkMeaning::Calls,
        _ => return None,
    })
}

/// Explains, in workshop language, why `from → to` cannot be linked.
pub fn link_refusal(from: NoteKind, to: NoteKind) -> String {
    use NoteKind::*;
    let hint = match (from, to) {
        (Actor, Event) | (Actor, Aggregate) => {
            "an actor issues a command; the command then reaches the aggregate"
        }
        (Event, Command) => {
            "an event triggers a command through a policy (event → policy → command)"
        }
        (Event, Aggregate) => {
            "an aggregate reacts to events through a policy that issues a command"
        }
        (Event, Event) => "one event leads to another through a policy and a command",
        (Command, Command) => "a command leads to another through an event and a policy",
        (Command, ReadModel) | (Aggregate, ReadModel) => {
            "a read model is fed by events (event → read model)"
        }
        (ReadModel, Command) => {
            "a read model is read by whoever decides (actor, policy or aggregate)"
        }
        (Policy, Event) => "a policy issues a command; the aggregate then publishes the event",
        (Policy, Policy) => "policies react to events, not to each other",
        _ => "",
    };
    let base = format!(
        "{} → {} is not a link in event storming",
        from.label(),
        to.label()
    );
    if hint.is_empty() {
        base
    } else {
        format!("{base}: {hint}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_article_follows_the_first_letter() {
        assert_eq!(indefinite_article("aggregate"), "an");
        assert_eq!(indefinite_article("External system"), "an");
        assert_eq!(indefinite_article("policy"), "a");
        assert_eq!(indefinite_article(""), "a");
    }

    use super::*;

    #[test]
    fn a_link_meaning_reads_as_its_name_in_lower_case() {
        use LinkMeaning::*;
        for m in [
            Issues, Handles, Publishes, Subscribes, Reads, Calls, Annotates,
        ] {
            assert_eq!(m.label(), format!("{m:?}").to_lowercase());
        }
    }

    #[test]
    fn every_pair_of_the_link_table_is_allowed() {
        use NoteKind::*;
        let allowed = [
            (Actor, Command),
            (Policy, Command),
            (ExternalSystem, Command),
            (Command, Aggregate),
            (Aggregate, Event),
            (Command, Event),
            (ExternalSystem, Event),
            (Event, Policy),
            (Event, ReadModel),
            (Event, ExternalSystem),
            (ReadModel, Actor),
            (ReadModel, Policy),
            (ReadModel, Aggregate),
            (Command, ExternalSystem),
            (Aggregate, ExternalSystem),
            (Policy, ExternalSystem),
        ];
        for from in NoteKind::ALL {
            for to in NoteKind::ALL {
                let expected = allowed.contains(&(from, to)) || from == Hotspot || to == Hotspot;
                assert_eq!(link_meaning(from, to).is_some(), expected, "{from} → {to}");
            }
        }
    }

    #[test]
    fn refusal_names_both_kinds() {
        let why = link_refusal(NoteKind::Event, NoteKind::Command);
        assert!(why.contains("Domain event → Command"), "{why}");
        assert!(why.contains("policy"), "{why}");
    }

    #[test]
    fn kind_names_round_trip() {
        for k in NoteKind::ALL {
            assert_eq!(NoteKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        assert_eq!(NoteKind::parse("Event"), None);
    }
}
