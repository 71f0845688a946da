//! The sample board the app opens on: a small event-based point-of-sale flow.

use super::{board::Board, format::load};

/// The sample board's file text.
pub const SAMPLE_JSON: &str = include_str!("sample.json");

/// The sample board (empty only if the shipped file were broken, which a test rules out).
pub fn sample() -> Board {
    load(SAMPLE_JSON).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kind::NoteKind;

    #[test]
    fn sample_loads_and_shows_every_kind() {
        let board = load(SAMPLE_JSON).expect("the sample board loads");
        for kind in NoteKind::ALL {
            assert!(
                board.notes.iter().any(|n| n.kind == kind),
                "sample lacks a {kind}"
            );
        }
        assert_eq!(board.frames.len(), 2);
    }
}
