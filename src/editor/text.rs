//! Cheap wording hints: domain events are named in the past tense.

/// Irregular verbs: (present, past participle).
const IRREGULAR: &[(&str, &str)] = &[
    ("begin", "begun"),
    ("break", "broken"),
    ("bring", "brought"),
    ("build", "built"),
    ("buy", "bought"),
    ("choose", "chosen"),
    ("do", "done"),
    ("draw", "drawn"),
    ("drive", "driven"),
    ("find", "found"),
    ("forget", "forgotten"),
    ("freeze", "frozen"),
    ("get", "got"),
    ("give", "given"),
    ("grow", "grown"),
    ("hide", "hidden"),
    ("hold", "held"),
    ("keep", "kept"),
    ("know", "known"),
    ("lay", "laid"),
    ("leave", "left"),
    ("lend", "lent"),
    ("lose", "lost"),
    ("make", "made"),
    ("meet", "met"),
    ("pay", "paid"),
    ("put", "put"),
    ("read", "read"),
    ("rebuild", "rebuilt"),
    ("resend", "resent"),
    ("run", "run"),
    ("say", "said"),
    ("see", "seen"),
    ("sell", "sold"),
    ("send", "sent"),
    ("set", "set"),
    ("show", "shown"),
    ("shut", "shut"),
    ("speak", "spoken"),
    ("spend", "spent"),
    ("split", "split"),
    ("steal", "stolen"),
    ("take", "taken"),
    ("teach", "taught"),
    ("tell", "told"),
    ("think", "thought"),
    ("throw", "thrown"),
    ("undo", "undone"),
    ("understand", "understood"),
    ("upset", "upset"),
    ("win", "won"),
    ("withdraw", "withdrawn"),
    ("write", "written"),
];

/// Endings of words that are nouns rather than verbs ("Payment", "Registration").
const NOUN_ENDINGS: &[&str] = &[
    "tion", "sion", "ment", "ance", "ence", "ness", "ity", "ship", "er", "or", "al",
];

fn is_past(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    (w.len() > 3 && w.ends_with("ed"))
        || IRREGULAR
            .iter()
            .any(|(present, past)| *past == w && *present != w)
}

/// True for an irregular verb whose past participle is the verb itself ("shut", "put").
fn same_form_past(word: &str) -> bool {
    IRREGULAR
        .iter()
        .any(|(present, past)| present == past && *past == word)
}

/// The past participle of a verb, by the usual English rules and a list of irregulars.
pub fn past_participle(verb: &str) -> String {
    let v = verb.to_ascii_lowercase();
    if let Some((_, past)) = IRREGULAR.iter().find(|(present, _)| *present == v) {
        return past.to_string();
    }
    let chars: Vec<char> = v.chars().collect();
    let vowel = |c: char| "aeiou".contains(c);
    match chars.as_slice() {
        [.., 'e'] => format!("{v}d"),
        [.., c, 'y'] if !vowel(*c) => format!("{}ied", &v[..v.len() - 1]),
        // Short consonant-vowel-consonant verbs double the last letter: ship → shipped.
        [a, b, c] | [_, a, b, c]
            if !vowel(chars[0]) && !vowel(*a) && vowel(*b) && !vowel(*c) && !"wxy".contains(*c) =>
        {
            format!("{v}{c}ed")
        }
        _ => format!("{v}ed"),
    }
}

/// `s` with its first letter upper case. The wording hints follow English rules, so ASCII case
/// is enough (and the browser build carries no Unicode case tables for them).
fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// The present form behind a gerund ("placing" → "place"), if `word` is one.
fn gerund_stem(word: &str) -> Option<String> {
    let stem = word.strip_suffix("ing").filter(|s| s.len() >= 2)?;
    if IRREGULAR.iter().any(|(p, _)| *p == stem) {
        return Some(stem.to_string());
    }
    let bytes = stem.as_bytes();
    let doubled = bytes.len() >= 2 && bytes[bytes.len() - 1] == bytes[bytes.len() - 2];
    Some(
        if doubled || stem.ends_with(['a', 'e', 'i', 'o', 'u', 'y', 'w']) {
            stem.to_string()
        } else {
            format!("{stem}e")
        },
    )
}

/// Suggests a past-tense wording for an event's text, or `None` if it already reads as past.
///
/// "Place order" → "Order placed"; "Customer places order" → "Customer placed order";
/// "Shipping parcel" → "Parcel shipped"; a lone noun such as "Payment" → "Payment …ed".
/// Heuristics only: words ending in "-ed" (and known irregular participles) count as past.
pub fn event_tense_hint(text: &str) -> Option<String> {
    // A verb whose past is itself ("shut", "put") would be suggested back to the user.
    suggest_past(text).filter(|hint| !hint.eq_ignore_ascii_case(text.trim()))
}

/// The past-tense wording of `text`, if it does not read as past (see [`event_tense_hint`]).
fn suggest_past(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let clean = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_ascii_lowercase()
    };
    // A verb whose past is itself ("shut") reads as past after the noun ("Door shut"), not
    // before it ("Shut door").
    let past_at = |i: usize, w: &str| is_past(w) || (i > 0 && same_form_past(w));
    if words.is_empty() || words.iter().enumerate().any(|(i, w)| past_at(i, &clean(w))) {
        return None;
    }
    let first = clean(words[0]);
    if first.is_empty() {
        return None;
    }
    if words.len() == 1 {
        return Some(if NOUN_ENDINGS.iter().any(|e| first.ends_with(e)) {
            format!("{} …ed", words[0])
        } else {
            capitalise(&past_participle(&gerund_stem(&first).unwrap_or(first)))
        });
    }
    // "Customer places order": a third-person verb in second place.
    let second = clean(words[1]);
    if words.len() >= 3 && second.len() > 3 && second.ends_with('s') && !second.ends_with("ss") {
        let verb =
            if second.ends_with("ches") || second.ends_with("shes") || second.ends_with("xes") {
                &second[..second.len() - 2]
            } else {
                &second[..second.len() - 1]
            };
        let mut out = vec![words[0].to_string(), past_participle(verb)];
        out.extend(words[2..].iter().map(|w| w.to_string()));
        return Some(out.join(" "));
    }
    // Imperative or gerund first ("Place order", "Shipping parcel"): the object, then the verb.
    let verb = gerund_stem(&first).unwrap_or(first);
    let object = words[1..].join(" ");
    Some(format!(
        "{} {}",
        capitalise(&object),
        past_participle(&verb)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_participles() {
        assert_eq!(past_participle("place"), "placed");
        assert_eq!(past_participle("ship"), "shipped");
        assert_eq!(past_participle("stop"), "stopped");
        assert_eq!(past_participle("carry"), "carried");
        assert_eq!(past_participle("pay"), "paid");
        assert_eq!(past_participle("reserve"), "reserved");
        assert_eq!(past_participle("cancel"), "canceled");
        assert_eq!(past_participle("open"), "opened");
        assert_eq!(past_participle("edit"), "edited");
        assert_eq!(past_participle("register"), "registered");
    }
}
