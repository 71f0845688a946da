//! The gallery of sample boards that tell the story of event-driven architecture, each ready to
//! open, run and present.

use super::{board::Board, format::load};

/// A sample board of the gallery.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    /// A short id (for `?sample=` and tests).
    pub id: &'static str,
    /// Its title, as the Samples menu shows it.
    pub title: &'static str,
    /// Its file text.
    pub json: &'static str,
}

impl Sample {
    /// The board (empty only if the shipped file were broken, which a test rules out).
    pub fn board(&self) -> Board {
        load(self.json).unwrap_or_default()
    }
}

/// The gallery, in the order the story is told.
pub const SAMPLES: &[Sample] = &[Sample {
    id: "bank",
    title: "Bank account, event-sourced",
    json: include_str!("samples/bank.json"),
}];

/// The sample with an id.
pub fn sample_by_id(id: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_loads_and_has_a_distinct_id() {
        for (i, s) in SAMPLES.iter().enumerate() {
            load(s.json).unwrap_or_else(|e| panic!("{} does not load: {e}", s.id));
            assert!(SAMPLES[..i].iter().all(|o| o.id != s.id));
        }
    }
}
