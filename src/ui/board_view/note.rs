//! What a note on the board looks like: its kind, place and text fitted to it
//! ([`super::drawn_notes`] draws it).

use crate::{
    editor::text_fit::fit_text,
    model::{NoteKind, Rect},
};

/// Space between a note's edge and its text, board units (the stylesheet's `.note` padding).
const NOTE_PADDING: f64 = 10.0;

/// The font a note's text starts from before it shrinks to fit, board units.
fn base_font_px(kind: NoteKind) -> f64 {
    match kind {
        NoteKind::Aggregate => 17.0,
        NoteKind::Policy => 14.0,
        _ => 15.0,
    }
}

/// What a note looks like.
#[derive(Clone, Debug, PartialEq)]
pub struct NoteLook {
    /// The kind (colour, class, label).
    pub kind: NoteKind,
    /// The whole text.
    pub text: String,
    /// Where it is, board units.
    pub rect: Rect,
    /// The font size its text fits at, board units.
    pub font_px: f64,
    /// The text shown: the whole text, or its beginning and an ellipsis.
    pub shown: String,
    /// True when the note is selected (kept here, so that a note's element follows its own
    /// signal only and no drag step has every note's views check the selection).
    pub selected: bool,
}

impl NoteLook {
    /// The look of a note that looked `before`: its fitted text is kept when only its place
    /// changed (a drag moves notes without changing what fits in them).
    pub fn refit(before: Option<&NoteLook>, kind: NoteKind, text: &str, rect: Rect) -> NoteLook {
        match before {
            Some(b)
                if b.kind == kind && b.text == text && b.rect.w == rect.w && b.rect.h == rect.h =>
            {
                NoteLook { rect, ..b.clone() }
            }
            _ => NoteLook::new(kind, text, rect),
        }
    }

    /// The same look, selected or not.
    pub fn selected(self, selected: bool) -> NoteLook {
        NoteLook { selected, ..self }
    }

    /// How a note of `kind` with `text` in `rect` looks, its text fitted to it.
    pub fn new(kind: NoteKind, text: &str, rect: Rect) -> NoteLook {
        let shown = if text.is_empty() { kind.label() } else { text };
        let fit = fit_text(
            shown,
            rect.w - 2.0 * NOTE_PADDING,
            rect.h - 2.0 * NOTE_PADDING,
            base_font_px(kind),
        );
        NoteLook {
            kind,
            text: text.to_string(),
            rect,
            font_px: fit.font_px,
            shown: fit.shown,
            selected: false,
        }
    }
}

/// What a note is drawn from: its kind, text, place and whether it is selected.
pub type Drawn<'a> = (NoteKind, &'a str, Rect, bool);
