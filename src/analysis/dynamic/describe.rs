//! What a dynamic finding says for each sign: its severity, message and fix, naming notes by
//! their text, groups by their note and topics by their name (never internal ids).

use crate::{
    analysis::finding::Severity,
    exec::{Run, Sign, SignKind},
    model::{kind::indefinite_article, props::Delivery, NoteId},
};

/// Milliseconds per second, for times shown in seconds.
const MS_PER_SECOND: f64 = 1_000.0;
/// A hot partition's share is measured per mille and shown in percent.
const PER_MILLE_PER_PERCENT: f64 = 10.0;

/// A note's name: its text on one line, or its id when the text is empty.
pub(super) fn name(run: &Run, id: &NoteId) -> String {
    let text = run
        .board()
        .note(id)
        .map(|n| n.text.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    if text.is_empty() {
        id.to_string()
    } else {
        text
    }
}

/// A time in ms as seconds with one decimal ("12.4 s").
pub fn seconds(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / MS_PER_SECOND)
}

/// "once" or "N times".
fn times(count: u64) -> String {
    if count == 1 {
        "once".into()
    } else {
        format!("{count} times")
    }
}

/// The names of the topics an event is published on, or a consumer reads.
fn topics(run: &Run, note: &NoteId) -> String {
    let plan = run.plan();
    let mut names: Vec<&str> = match plan.group_of(note) {
        Some(g) => g
            .topics
            .iter()
            .map(|t| plan.topic_at(*t).name.as_str())
            .collect(),
        None => plan
            .ix(note)
            .and_then(|i| plan.event(i))
            .map(|e| vec![plan.topic_at(e.topic).name.as_str()])
            .unwrap_or_default(),
    };
    names.dedup();
    let named: Vec<String> = names.iter().map(|t| topic_name(run, t)).collect();
    match named.as_slice() {
        [] => "its topic".into(),
        [one] => one.clone(),
        many => many.join(" and "),
    }
}

/// A topic as people know it: "topic orders" when the board declares it, else (a topic the
/// run made for an aggregate, named by the aggregate's id) "Account's topic".
fn topic_name(run: &Run, topic: &str) -> String {
    let declared = run.board().topics.iter().any(|t| t.name == topic);
    let owner = NoteId::from(topic);
    match run.board().note(&owner) {
        Some(_) if !declared => format!("{}'s topic", name(run, &owner)),
        _ => format!("topic {topic}"),
    }
}

/// Severity, message and fix of a sign.
pub(super) fn describe(run: &Run, sign: &Sign) -> (Severity, String, String) {
    let names: Vec<String> = sign.notes.iter().map(|id| name(run, id)).collect();
    let first = names.first().map_or("?", String::as_str);
    let second = names.get(1).map_or("?", String::as_str);
    let times = times(sign.count);
    match sign.kind {
        SignKind::StaleRead => (
            Severity::Warning,
            format!("{first} read {second} before it showed {first}'s own earlier write ({times}; up to {} ms behind)", sign.worst),
            format!("Give {second} a version token so readers wait for their write, or read from the write side"),
        ),
        SignKind::DualWriteLost => (
            Severity::Error,
            format!("{first} saved its state and crashed before publishing {second}: the event is lost ({times})"),
            format!("Publish from {first} through a transactional outbox, or event-source it"),
        ),
        SignKind::OutOfOrder => (
            Severity::Warning,
            format!("{first} applied an older version of {} {second} after a newer one ({times}; up to {} versions back)", indefinite_article(second), sign.worst),
            format!("Key {second}'s events by its id on one topic, and keep retries blocking"),
        ),
        SignKind::DuplicateApply => (
            Severity::Warning,
            format!("{first} applied the same message twice ({times}) after a redelivery"),
            format!("Make {first} idempotent (remember processed message ids) or use exactly-once"),
        ),
        SignKind::EventLoop => (
            Severity::Error,
            format!("one flow passed {first} more than {} times: an event loop (cut {times})", sign.worst.saturating_sub(1)),
            format!("Give {first} a guard that stops the cycle"),
        ),
        SignKind::LostOnCrash => (
            Severity::Error,
            format!("{first} committed messages it never processed: lost with a crash ({times})"),
            format!("Switch {first} to at-least-once and make it idempotent"),
        ),
        SignKind::IdleConsumer => (
            Severity::Info,
            format!("{first} had {} instance(s) without any partition", sign.worst),
            format!("Give {} more partitions or {first} fewer instances", topics(run, &sign.notes[0])),
        ),
        SignKind::HotPartition => (
            Severity::Warning,
            format!(
                "one partition of {} took {:.0}% of its traffic ({})",
                sign.notes.first().map_or("its topic".into(), |e| topics(run, e)),
                sign.worst as f64 / PER_MILLE_PER_PERCENT,
                names.join(", ")
            ),
            "Key by a field with many distinct values, or use fewer partitions".to_string(),
        ),
        SignKind::SagaHalfDone => (
            Severity::Warning,
            format!("{first} happened in a flow across contexts and nothing compensated ({times})"),
            format!("Add a policy that compensates when {first} arrives"),
        ),
        SignKind::BlockedCallers => (
            Severity::Warning,
            format!("{first} was blocked or failed by {second} ({times}; up to {} ms per call)", sign.worst),
            format!("Call {second} asynchronously (command → event → policy), or add a timeout and fallback"),
        ),
        SignKind::StuckPartition => (
            Severity::Error,
            format!(
                "{first} failed on the same message again and again: a partition of {} stopped committing while messages kept arriving ({} behind)",
                topics(run, &sign.notes[0]),
                seconds(sign.worst)
            ),
            format!("Give {first} a dead-letter topic so one bad message cannot stop a partition"),
        ),
        SignKind::GrowingLag => falling_behind(run, sign, first),
        SignKind::CrashRedelivery => crash(run, sign, first),
    }
}

/// A group that cannot keep up: how its lag grew, and what would let it keep up (instances
/// up to its partitions, more partitions, faster processing).
fn falling_behind(run: &Run, sign: &Sign, first: &str) -> (Severity, String, String) {
    let series = run.lag_series(&sign.notes[0]);
    let (from, since) = series
        .iter()
        .find(|s| s.at >= sign.first_at)
        .map_or((0, sign.first_at), |s| (s.lag, s.at));
    let until = series
        .iter()
        .take_while(|s| s.at <= run.config().duration_ms)
        .last()
        .map_or(run.now(), |s| s.at);
    let message = format!(
        "{first} falls behind: its lag grew from {from} to {} messages between {} and {} of the run ({} behind at the end)",
        sign.count,
        seconds(since),
        seconds(until),
        seconds(sign.worst)
    );
    let plan = run.plan();
    let Some(group) = plan.group_of(&sign.notes[0]) else {
        return (
            Severity::Warning,
            message,
            format!("Run more instances of {first}, give it more partitions, or make it faster"),
        );
    };
    let partitions: u64 = group
        .topics
        .iter()
        .map(|&t| u64::from(plan.topic_at(t).partitions))
        .sum();
    let running = group.props.instances;
    let topics = topics(run, &sign.notes[0]);
    let more = if running < partitions {
        format!(
            "Run more instances of {first} (it runs {running}; {topics} {} {partitions} partitions, so up to {partitions} work at once), give {topics} more partitions",
            if topics.contains(" and ") { "have" } else { "has" }
        )
    } else {
        format!(
            "Give {topics} more partitions and run more instances of {first} (one instance per partition works; it runs {running})"
        )
    };
    (
        Severity::Warning,
        message,
        format!(
            "{more}, or make {first} faster (less processing_ms, quicker or asynchronous calls)"
        ),
    )
}

/// A crashed instance: the rebalance, the lag it built, what was redelivered and what that
/// means for this consumer.
fn crash(run: &Run, sign: &Sign, first: &str) -> (Severity, String, String) {
    let Some(group) = run.plan().group_of(&sign.notes[0]) else {
        return (
            Severity::Info,
            format!("an instance of {first} crashed"),
            String::new(),
        );
    };
    let props = &group.props;
    let (lag, lag_ms) = run
        .lag_series(&sign.notes[0])
        .iter()
        .filter(|s| s.at >= sign.first_at)
        .fold((0, 0), |(l, ms), s| (s.lag.max(l), s.lag_ms.max(ms)));
    let redelivered = match sign.worst {
        0 => "nothing was waiting to be committed".to_string(),
        1 => "the 1 message it had not committed was redelivered".to_string(),
        n => format!("up to {n} messages it had not committed were redelivered"),
    };
    let duplicates = props.delivery == Delivery::AtLeastOnce && !props.idempotent;
    let consequence = if duplicates && sign.worst > 0 {
        format!("{first} is not idempotent, so a redelivered message it had already applied is applied again")
    } else if duplicates {
        format!("{first} is not idempotent: a crash between applying a message and committing it would apply it twice")
    } else if props.idempotent {
        format!("{first} is idempotent, so redeliveries are not applied twice")
    } else {
        "exactly-once processing applies each message once".to_string()
    };
    let when = match sign.count {
        1 => format!("at {}", seconds(sign.first_at)),
        n => format!("{n} times, first at {}", seconds(sign.first_at)),
    };
    let message = format!(
        "an instance of {first} crashed {when}: the group rebalanced, lag built to {lag} messages ({} behind) and {redelivered}; {consequence}",
        seconds(lag_ms)
    );
    let spare = if props.instances > 1 {
        String::new()
    } else {
        format!("; run two or more instances of {first} so a survivor takes its partitions")
    };
    if duplicates && sign.worst > 0 {
        (
            Severity::Warning,
            message,
            format!("Make {first} idempotent (remember processed message ids) or use exactly-once{spare}"),
        )
    } else if spare.is_empty() {
        (
            Severity::Info,
            message,
            "Nothing to fix: the survivors took over and nothing was applied twice".into(),
        )
    } else {
        (
            Severity::Info,
            message,
            format!("Run two or more instances of {first} so a survivor takes its partitions while it restarts"),
        )
    }
}
