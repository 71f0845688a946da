//! Escaping text for the formats exports write: XML/HTML, Markdown, Mermaid labels, shell
//! words, and identifiers made from note ids.

use crate::collections::HashSet;

/// Text as XML/HTML character data or an attribute value (quotes included); characters XML
/// 1.0 forbids (control characters other than tab and line breaks) are dropped.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Text for a Markdown paragraph or table cell: one line, with the characters Markdown or
/// HTML would read as markup escaped.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// Text inside a Markdown code span: one line, backticks swapped for a look-alike (a code
/// span cannot hold its own delimiter without a longer fence).
pub fn code_span(text: &str) -> String {
    format!("`{}`", one_line(text).replace('`', "ʼ").replace('|', "\\|"))
}

/// Text as a quoted Mermaid label (`"…"`): quotes, `#`, `<` and `>` as Mermaid's entity codes,
/// line breaks as `<br/>`, so that GitHub and mermaid.live render it as written.
pub fn mermaid_label(text: &str) -> String {
    let mut out = String::from("\"");
    let mut first = true;
    for line in text.lines() {
        if !first {
            out.push_str("<br/>");
        }
        first = false;
        for c in line.chars() {
            match c {
                '"' => out.push_str("#quot;"),
                '#' => out.push_str("#35;"),
                '<' => out.push_str("#lt;"),
                '>' => out.push_str("#gt;"),
                '&' => out.push_str("#amp;"),
                '`' => out.push_str("#96;"),
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
    }
    out.push('"');
    out
}

/// A word for bash, single-quoted unless it is plainly safe.
pub fn shell(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-=/:,@+".contains(c));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// A comment's text on one line (a line break in it would end the comment).
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Gives distinct identifiers made only of the characters an identifier allows.
pub struct Ids {
    used: HashSet<String>,
    allowed: fn(char) -> bool,
    prefix: &'static str,
    separator: char,
}

impl Ids {
    /// Identifiers of letters, digits and the extra characters `allowed` accepts, each
    /// starting with `prefix`.
    pub fn new(prefix: &'static str, allowed: fn(char) -> bool) -> Ids {
        Ids {
            used: HashSet::default(),
            allowed,
            prefix,
            separator: '_',
        }
    }

    /// The same, with `separator` before the suffix that makes a repeated name distinct.
    pub fn separated_by(mut self, separator: char) -> Ids {
        self.separator = separator;
        self
    }

    /// A new identifier for `name`: its allowed characters kept, the others as `_`, made
    /// distinct from every earlier one with a `_2`, `_3`… suffix (or the separator chosen).
    pub fn make(&mut self, name: &str) -> String {
        let body: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || (self.allowed)(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let base = format!("{}{body}", self.prefix);
        let base = if base.is_empty() { "_".into() } else { base };
        let mut candidate = base.clone();
        let mut n = 1;
        while !self.used.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{base}{}{n}", self.separator);
        }
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(
            xml("a<b & \"c\" 'd'\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;"
        );
    }

    #[test]
    fn mermaid_labels_are_quoted_with_entity_codes() {
        assert_eq!(
            mermaid_label("Say \"hi\" #1\n<b>"),
            "\"Say #quot;hi#quot; #35;1<br/>#lt;b#gt;\""
        );
    }

    #[test]
    fn markdown_escapes_markup_on_one_line() {
        assert_eq!(markdown("a|b *c*\n<x>"), "a\\|b \\*c\\* &lt;x&gt;");
    }

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(shell("orders.v1"), "orders.v1");
        assert_eq!(shell("it's"), "'it'\\''s'");
        assert_eq!(shell(""), "''");
    }

    #[test]
    fn ids_are_distinct_and_safe() {
        let mut ids = Ids::new("n_", |c| c == '_');
        assert_eq!(ids.make("place-order"), "n_place_order");
        assert_eq!(ids.make("place_order"), "n_place_order_2");
        assert_eq!(ids.make("é"), "n__");
    }
}
