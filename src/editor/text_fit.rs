//! Fitting a note's text to its note, as sticky notes in Miro do: the font shrinks until the
//! text fits, down to a minimum; below that the text is cut at a word with an ellipsis (the
//! note keeps its whole text for its label and tooltip). Measured from an estimate of the
//! font's width, so the board never needs to measure text in the page and never clips it.

/// The smallest font a note's text shrinks to, board units.
pub const MIN_FONT_PX: f64 = 10.0;
/// Average advance of a character, as a share of the font size (a little wide on purpose:
/// text estimated to fit then fits in the page).
const CHAR_EM: f64 = 0.58;
/// Line height, as a share of the font size (the stylesheet's `line-height`).
pub const LINE_HEIGHT: f64 = 1.25;
/// Each step the font shrinks by, board units.
const FONT_STEP_PX: f64 = 1.0;
/// What ends a cut text.
const ELLIPSIS: char = '…';

/// A note's text as drawn: its font size and the text shown.
#[derive(Clone, Debug, PartialEq)]
pub struct FittedText {
    /// Font size, board units.
    pub font_px: f64,
    /// The text shown: the whole text, or its beginning and an ellipsis.
    pub shown: String,
    /// True when the text was cut.
    pub cut: bool,
}

/// The lines `text` wraps into at `per_line` characters a line: at spaces, a word longer than a
/// line broken anywhere, explicit line breaks kept.
fn wrap(text: &str, per_line: usize) -> Vec<String> {
    let per_line = per_line.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut len = 0;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let mut chars: Vec<char> = word.chars().collect();
            let need = if len == 0 {
                chars.len()
            } else {
                len + 1 + chars.len()
            };
            if need <= per_line {
                if len > 0 {
                    line.push(' ');
                }
                line.extend(&chars);
                len = need;
                continue;
            }
            if len > 0 {
                lines.push(std::mem::take(&mut line));
            }
            while chars.len() > per_line {
                lines.push(chars.drain(..per_line).collect());
            }
            len = chars.len();
            line = chars.into_iter().collect();
        }
        lines.push(line);
    }
    lines
}

/// Characters that fit on one line of `width` at `font_px`.
fn per_line(width: f64, font_px: f64) -> usize {
    (width / (font_px * CHAR_EM)).floor().max(1.0) as usize
}

/// Lines that fit in `height` at `font_px`.
fn lines_in(height: f64, font_px: f64) -> usize {
    (height / (font_px * LINE_HEIGHT)).floor().max(1.0) as usize
}

/// The lines a fitted text is drawn in, for a box `width` wide at `font_px` (what the page's
/// wrapping gives, by the same estimate [`fit_text`] fits by): for drawings that place each
/// line themselves, such as an SVG export.
pub fn fitted_lines(shown: &str, width: f64, font_px: f64) -> Vec<String> {
    wrap(shown, per_line(width, font_px))
}

/// Fits `text` in a box of `width` × `height` (the note's inside), starting at `base_px`.
pub fn fit_text(text: &str, width: f64, height: f64, base_px: f64) -> FittedText {
    let text = text.trim_end();
    let mut font = base_px.max(MIN_FONT_PX);
    loop {
        if wrap(text, per_line(width, font)).len() <= lines_in(height, font) {
            return FittedText {
                font_px: font,
                shown: text.to_string(),
                cut: false,
            };
        }
        if font - FONT_STEP_PX < MIN_FONT_PX {
            break;
        }
        font -= FONT_STEP_PX;
    }
    let lines = wrap(text, per_line(width, font));
    let keep = lines_in(height, font);
    let mut shown = lines[..keep.min(lines.len())].join(" ");
    // Room for the ellipsis on the last line, then cut back to a word when there is one.
    let last_len = lines[keep.min(lines.len()) - 1].chars().count();
    if last_len + 1 > per_line(width, font) {
        shown.pop();
    }
    if let Some(space) = shown.rfind(' ').filter(|&i| i > shown.len() / 2) {
        shown.truncate(space);
    }
    shown.push(ELLIPSIS);
    FittedText {
        font_px: font,
        shown,
        cut: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_keeps_the_base_font() {
        let f = fit_text("Order placed", 140.0, 80.0, 15.0);
        assert_eq!(f.font_px, 15.0);
        assert_eq!(f.shown, "Order placed");
        assert!(!f.cut);
    }

    #[test]
    fn longer_text_shrinks_until_it_fits() {
        let text = "Customer asked to change the delivery address of an order already shipped";
        let f = fit_text(text, 140.0, 80.0, 15.0);
        assert!(f.font_px < 15.0 && f.font_px >= MIN_FONT_PX, "{f:?}");
        assert_eq!(f.shown, text);
        let lines = wrap(text, per_line(140.0, f.font_px)).len();
        assert!(lines as f64 * f.font_px * LINE_HEIGHT <= 80.0);
    }

    #[test]
    fn text_too_long_for_the_smallest_font_is_cut_at_a_word_with_an_ellipsis() {
        let text = "word ".repeat(200);
        let f = fit_text(&text, 140.0, 80.0, 15.0);
        assert_eq!(f.font_px, MIN_FONT_PX);
        assert!(f.cut);
        assert!(f.shown.ends_with('…'));
        assert!(
            f.shown.trim_end_matches('…').ends_with("word"),
            "{}",
            f.shown
        );
        let lines = wrap(&f.shown, per_line(140.0, MIN_FONT_PX)).len();
        assert!(lines <= lines_in(80.0, MIN_FONT_PX), "{lines} lines");
    }

    #[test]
    fn a_word_longer_than_a_line_breaks_anywhere_and_line_breaks_are_kept() {
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("a b\ncd", 10), vec!["a b", "cd"]);
        assert_eq!(wrap("", 10), vec![""]);
    }
}
