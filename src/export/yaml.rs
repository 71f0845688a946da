//! YAML that every reader takes the same way. The serialiser (`serde_norway`) writes YAML 1.2,
//! where `yes`, `2026-01-06T13:10:00Z` or `1:20` are plain strings; YAML 1.1 readers, still
//! common (PyYAML, and js-yaml's default schema reads timestamps), take them for a boolean, a
//! date or a number. Such plain strings are written double-quoted here; nothing else changes.

/// The serialiser's output with every plain string a YAML 1.1 reader would misread quoted.
pub fn quote_ambiguous(yaml: &str) -> String {
    let mut out = String::with_capacity(yaml.len() + yaml.len() / 16);
    // The indentation of the line that opened a block scalar (`|-`), whose lines are text.
    let mut block: Option<usize> = None;
    for line in yaml.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(opened) = block {
            if line.trim().is_empty() || indent > opened {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            block = None;
        }
        let (fixed, opens_block) = fix_line(line, indent);
        if opens_block {
            block = Some(indent);
        }
        out.push_str(&fixed);
        out.push('\n');
    }
    out
}

/// One line with its key and value quoted where needed; true when it opens a block scalar.
fn fix_line(line: &str, indent: usize) -> (String, bool) {
    let mut out = String::from(&line[..indent]);
    let mut rest = &line[indent..];
    // Sequence entries, possibly nested on one line (`- - x`).
    while let Some(after) = rest.strip_prefix("- ") {
        out.push_str("- ");
        rest = after;
    }
    if rest == "-" {
        out.push('-');
        return (out, false);
    }
    let Some((key, value)) = split_key(rest) else {
        // A lone scalar (a sequence entry).
        let opens = is_block_indicator(rest);
        out.push_str(&quote_if_ambiguous(rest));
        return (out, opens);
    };
    out.push_str(&quote_if_ambiguous(key));
    out.push(':');
    if value.is_empty() {
        return (out, false);
    }
    out.push(' ');
    out.push_str(&quote_if_ambiguous(value));
    (out, is_block_indicator(value))
}

/// Splits `key: value` (or `key:`) when the line is a mapping entry; quoted keys kept whole.
fn split_key(s: &str) -> Option<(&str, &str)> {
    let end_of_key = match s.chars().next()? {
        '\'' => closing_single(s)?,
        '"' => closing_double(s)?,
        _ => {
            let at = s
                .find(": ")
                .or_else(|| s.strip_suffix(':').map(|k| k.len()))?;
            return Some((&s[..at], s[at + 1..].trim_start()));
        }
    };
    let after = &s[end_of_key..];
    let value = after.strip_prefix(':')?;
    Some((&s[..end_of_key], value.trim_start()))
}

/// The end (exclusive) of a single-quoted scalar at the start of `s` (`''` is a quote in it).
fn closing_single(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// The end (exclusive) of a double-quoted scalar at the start of `s`.
fn closing_double(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// True for `|`, `|-`, `>`… : the value's text follows on the next lines.
fn is_block_indicator(v: &str) -> bool {
    v.starts_with('|') || v.starts_with('>')
}

/// The scalar as written, or double-quoted when it is a plain string a YAML 1.1 reader would
/// take for something else.
fn quote_if_ambiguous(v: &str) -> String {
    if ambiguous_plain(v) {
        serde_json::Value::from(v).to_string()
    } else {
        v.to_string()
    }
}

/// True for a plain scalar the serialiser left unquoted (so a string in YAML 1.2, or a real
/// number or boolean) that YAML 1.1 reads otherwise: its booleans (`yes`, `off`, `y`…), the merge and
/// value keys, and anything starting like a number that is not one (dates, times, `1_000`,
/// `1:20`).
fn ambiguous_plain(v: &str) -> bool {
    // `true` and `false` are booleans in both versions: the serialiser quotes them as strings.
    const WORDS: [&str; 6] = ["y", "yes", "n", "no", "on", "off"];
    let Some(first) = v.chars().next() else {
        return false;
    };
    if matches!(first, '\'' | '"' | '|' | '>' | '[' | '{' | '&' | '*' | '!') {
        return false;
    }
    let numberish = first.is_ascii_digit() || matches!(first, '-' | '+' | '.');
    WORDS.contains(&v.to_ascii_lowercase().as_str())
        || v == "<<"
        || v == "="
        || (numberish && v.parse::<f64>().is_err())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_yaml_1_1_misreads_are_quoted_and_the_rest_kept() {
        let yaml = "t: true\na: yes\nb: 2026-01-06T13:10:00.000Z\nc:\n- 1:20\n- 12\n- -1\n- 8.91\nd: 'x: y'\n'e: f': 1_000\ng: |-\n  yes\n  no\nh: Off\n";
        assert_eq!(
            quote_ambiguous(yaml),
            "t: true\na: \"yes\"\nb: \"2026-01-06T13:10:00.000Z\"\nc:\n- \"1:20\"\n- 12\n- -1\n- 8.91\nd: 'x: y'\n'e: f': \"1_000\"\ng: |-\n  yes\n  no\nh: \"Off\"\n"
        );
    }

    #[test]
    fn keys_and_nested_entries_are_quoted_too() {
        assert_eq!(
            quote_ambiguous("- - on\n- yes: 1\n  n: 2026-01-06\n"),
            "- - \"on\"\n- \"yes\": 1\n  \"n\": \"2026-01-06\"\n"
        );
    }
}
