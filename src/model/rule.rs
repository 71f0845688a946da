//! How an event changes the state of its entity (its `apply` prop): one rule per entry,
//! `target op source`, folded by event-sourced aggregates and read models alike
//! (docs/FORMAT.md, "Fold rules").

use super::{board::Note, field::parse_hundredths, kind::NoteKind};
use serde_json::Value;
use std::fmt;

/// The operators a rule may use, as written.
pub const RULE_OPS: &[&str] = &["=", "+=", "-=", "<<"];

/// What a rule does to its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `=`: the target takes the source's value.
    Set,
    /// `+=`: the source's number is added to the target.
    Add,
    /// `-=`: the source's number is subtracted from the target.
    Subtract,
    /// `<<`: the source's value is appended to the target's list.
    Append,
}

impl Op {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Set => "=",
            Op::Add => "+=",
            Op::Subtract => "-=",
            Op::Append => "<<",
        }
    }
}

/// Where a rule's value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A field of the event's payload.
    Field(String),
    /// A quoted text, e.g. a status: `"closed"`.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A decimal, in hundredths.
    Decimal(i64),
    /// true or false.
    Bool(bool),
}

/// One rule of an event's `apply` prop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The state field changed.
    pub target: String,
    /// How.
    pub op: Op,
    /// With what.
    pub source: Source,
}

impl Rule {
    /// Reads a rule: `balance += amount`, `status = "closed"`, `items << sku`, `count += 1`.
    pub fn parse(entry: &str) -> Result<Rule, RuleError> {
        // The longer operators first: `+=` is not `=` after a target ending in `+`.
        let (target, op, source) = [
            ("+=", Op::Add),
            ("-=", Op::Subtract),
            ("<<", Op::Append),
            ("=", Op::Set),
        ]
        .iter()
        .find_map(|&(symbol, op)| {
            entry
                .split_once(symbol)
                .map(|(t, s)| (t.trim(), op, s.trim()))
        })
        .ok_or(RuleError::NoOperator)?;
        if target.is_empty() || target.contains(['"', '=', '<', '+']) {
            return Err(RuleError::NoTarget);
        }
        let source = Source::parse(source)?;
        if matches!(op, Op::Add | Op::Subtract)
            && matches!(source, Source::Text(_) | Source::Bool(_))
        {
            return Err(RuleError::NotANumber(target.to_string()));
        }
        Ok(Rule {
            target: target.to_string(),
            op,
            source,
        })
    }
}

impl Source {
    /// Reads what follows the operator.
    fn parse(text: &str) -> Result<Source, RuleError> {
        if text.is_empty() {
            return Err(RuleError::NoSource);
        }
        if let Some(quoted) = text.strip_prefix('"') {
            return quoted
                .strip_suffix('"')
                .filter(|inner| !inner.contains('"'))
                .map(|inner| Source::Text(inner.to_string()))
                .ok_or_else(|| RuleError::BadSource(text.to_string()));
        }
        match text {
            "true" => return Ok(Source::Bool(true)),
            "false" => return Ok(Source::Bool(false)),
            _ => {}
        }
        let starts_numeric = text.starts_with(|c: char| c.is_ascii_digit() || c == '-');
        if starts_numeric {
            if let Ok(n) = text.parse::<i64>() {
                return Ok(Source::Int(n));
            }
            return parse_hundredths(text)
                .map(Source::Decimal)
                .ok_or_else(|| RuleError::BadSource(text.to_string()));
        }
        if text.contains(char::is_whitespace) || text.contains(['"', '=', '<', '+']) {
            return Err(RuleError::BadSource(text.to_string()));
        }
        Ok(Source::Field(text.to_string()))
    }
}

/// Why a rule cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleError {
    /// None of [`RULE_OPS`].
    NoOperator,
    /// Nothing (or something odd) before the operator.
    NoTarget,
    /// Nothing after the operator.
    NoSource,
    /// After the operator: not a field name, a quoted text, a number, true or false.
    BadSource(String),
    /// `+=` or `-=` with a text or true/false.
    NotANumber(String),
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleError::NoOperator => write!(
                f,
                "a rule is `state field op value` with op one of {}",
                RULE_OPS.join(" ")
            ),
            RuleError::NoTarget => f.write_str("a rule needs the state field it changes first"),
            RuleError::NoSource => f.write_str("a rule needs a value after its operator"),
            RuleError::BadSource(text) => write!(
                f,
                "\"{text}\" is not a field name, a quoted text, a number, true or false"
            ),
            RuleError::NotANumber(target) => {
                write!(f, "{target} can only add or subtract a number or a field")
            }
        }
    }
}

impl std::error::Error for RuleError {}

/// Reads an `apply` prop's value: the first entry that cannot be read says why, with its place.
pub fn check_rules(value: &Value) -> Result<Vec<Rule>, String> {
    let Value::Array(items) = value else {
        return Err("expected a list of rules".into());
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let entry = item.as_str().ok_or_else(|| {
                format!("apply[{i}]: expected a text such as \"balance += amount\"")
            })?;
            Rule::parse(entry).map_err(|e| format!("apply[{i}]: {e}"))
        })
        .collect()
}

/// The rules of an event note, or `None` when it has no `apply` prop (the fold then sets every
/// field of the payload). Entries that cannot be read are left out: loading refuses them.
pub fn event_rules(note: &Note) -> Option<Vec<Rule>> {
    if note.kind != NoteKind::Event {
        return None;
    }
    let items = note.props.get("apply")?.as_array()?;
    Some(
        items
            .iter()
            .filter_map(Value::as_str)
            .filter_map(|entry| Rule::parse(entry).ok())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(target: &str, op: Op, source: Source) -> Rule {
        Rule {
            target: target.into(),
            op,
            source,
        }
    }

    #[test]
    fn rules_read_target_operator_and_source() {
        let field = |f: &str| Source::Field(f.into());
        assert_eq!(
            Rule::parse("balance += amount"),
            Ok(rule("balance", Op::Add, field("amount")))
        );
        assert_eq!(
            Rule::parse("balance -= amount"),
            Ok(rule("balance", Op::Subtract, field("amount")))
        );
        assert_eq!(
            Rule::parse(" status = \"closed\" "),
            Ok(rule("status", Op::Set, Source::Text("closed".into())))
        );
        assert_eq!(
            Rule::parse("items << sku"),
            Ok(rule("items", Op::Append, field("sku")))
        );
        assert_eq!(
            Rule::parse("count += 1"),
            Ok(rule("count", Op::Add, Source::Int(1)))
        );
        assert_eq!(
            Rule::parse("fee = -2.5"),
            Ok(rule("fee", Op::Set, Source::Decimal(-250)))
        );
        assert_eq!(
            Rule::parse("open = false"),
            Ok(rule("open", Op::Set, Source::Bool(false)))
        );
    }

    #[test]
    fn bad_rules_say_why() {
        assert_eq!(Rule::parse("balance amount"), Err(RuleError::NoOperator));
        assert_eq!(Rule::parse(" = 3"), Err(RuleError::NoTarget));
        assert_eq!(Rule::parse("a ="), Err(RuleError::NoSource));
        assert_eq!(
            Rule::parse("a = two words"),
            Err(RuleError::BadSource("two words".into()))
        );
        assert_eq!(
            Rule::parse("a += \"x\""),
            Err(RuleError::NotANumber("a".into()))
        );
        assert_eq!(
            Rule::parse("a = 1.234"),
            Err(RuleError::BadSource("1.234".into()))
        );
        let err = check_rules(&json!(["a = b", "nonsense"])).unwrap_err();
        assert!(err.starts_with("apply[1]: a rule is"), "{err}");
    }
}
