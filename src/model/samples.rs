//! The gallery of sample boards that tell the story of event-driven architecture, each ready to
//! open, run and present.

use super::{board::Board, format::load};

/// A sample board of the gallery. The app lists the titles and fetches a board's file when
/// it is opened (`dist/samples/ID.json`), so the boards are not part of the app's download.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    /// A short id (its file is `ID.json`, and `?sample=ID` opens it).
    pub id: &'static str,
    /// Its title, as the Samples menu shows it.
    pub title: &'static str,
}

impl Sample {
    /// Its file text.
    pub fn json(&self) -> &'static str {
        match self.id {
            "event-pos" => include_str!("samples/event-pos.json"),
            "bank" => include_str!("samples/bank.json"),
            "request-pos" => include_str!("samples/request-pos.json"),
            "fraud" => include_str!("samples/fraud.json"),
            "topic-design" => include_str!("samples/topic-design.json"),
            "consistency" => include_str!("samples/consistency.json"),
            _ => "",
        }
    }

    /// The board (empty only if the shipped file were broken, which a test rules out).
    pub fn board(&self) -> Board {
        load(self.json()).unwrap_or_default()
    }
}

/// The gallery, in the order the talk tells the story: the event-based point of sale, an event
/// stream, the same shop as a request chain and what it costs to extend, then the hard parts
/// (topic design, eventual consistency).
pub const SAMPLES: &[Sample] = &[
    Sample {
        id: "event-pos",
        title: "Event-based point of sale",
    },
    Sample {
        id: "bank",
        title: "Bank account, event-sourced",
    },
    Sample {
        id: "request-pos",
        title: "Request-based point of sale",
    },
    Sample {
        id: "fraud",
        title: "Adding a Fraud service while it runs",
    },
    Sample {
        id: "topic-design",
        title: "Topic per aggregate vs topic per event",
    },
    Sample {
        id: "consistency",
        title: "Eventual consistency: a stale read, fixed",
    },
];

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
            load(s.json()).unwrap_or_else(|e| panic!("{} does not load: {e}", s.id));
            assert!(SAMPLES[..i].iter().all(|o| o.id != s.id));
        }
    }

    #[test]
    fn the_gallery_tells_the_talk_in_order_and_each_board_is_named_as_its_menu_entry() {
        let ids: Vec<&str> = SAMPLES.iter().map(|s| s.id).collect();
        assert_eq!(
            ids,
            [
                "event-pos",
                "bank",
                "request-pos",
                "fraud",
                "topic-design",
                "consistency"
            ]
        );
        for s in SAMPLES {
            assert_eq!(s.board().name.as_deref(), Some(s.title), "{}", s.id);
            assert!(!s.board().storyline.is_empty(), "{} has a storyline", s.id);
            assert_eq!(sample_by_id(s.id).map(|f| f.id), Some(s.id));
        }
        assert!(sample_by_id("nope").is_none());
    }
}
