//! Tokens paced for the eye: each hop of a message along a link is shown for at least a
//! minimum time (a hop of 0 ms of simulated time still travels visibly), a flow's next hop
//! leaves a note only once its previous hop has arrived there (so a token goes hop after hop),
//! and many tokens on one link become one token with a count. The simulated clock is not
//! touched: only when and how long each hop is shown.

use super::Run;
use crate::{
    exec::{Hop, MessageId, MessageKind},
    model::{LinkId, NoteId},
};

/// Real time (ms) a hop is shown at least, whatever the speed.
pub const MIN_SHOW_REAL_MS: f64 = 700.0;
/// How many minimum shows a flow's display may fall behind the simulated clock, waiting for
/// its earlier hops: beyond it, a hop is shown at its own time even if the previous one is
/// still travelling.
pub const MAX_CHAINED_HOPS: u64 = 4;
/// Hops looked at per frame at most (the latest ones), whatever the speed: the cost of a
/// frame stays bounded on the heaviest board (about half a millisecond in the browser). A
/// small board at 100× has a few hundred hops on screen, well within it.
pub const MAX_SCANNED_HOPS: usize = 2_500;
/// The speeds pacing snaps to when the run cannot keep the speed asked (a 1-2-5 ladder): the
/// pace measured wavers, and tokens would jump at every change of their display time.
const PACE_LADDER: [f64; 10] = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0];

/// The per-frame maps keyed by short note and link ids: the crate's hasher is several times
/// cheaper than the standard one, which cost more than the rest of a frame's token work.
type FastMap<K, V> = crate::collections::HashMap<K, V>;

/// How hops are stretched and chained for display, in simulated ms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pacing {
    /// Shortest time a hop is shown (simulated ms).
    pub min_show_ms: u64,
    /// Longest a hop's display may wait for the previous hop of its flow (simulated ms).
    pub max_delay_ms: u64,
    /// Hops looked at at most (the latest before the moment shown).
    pub max_scan: usize,
}

impl Pacing {
    /// The pacing for a speed (simulated ms per real ms): a hop is on screen at least
    /// [`MIN_SHOW_REAL_MS`] of real time.
    pub fn for_speed(speed: f64) -> Pacing {
        let min_show_ms = (MIN_SHOW_REAL_MS * speed.max(0.0)).round().max(1.0) as u64;
        Pacing {
            min_show_ms,
            max_delay_ms: min_show_ms * MAX_CHAINED_HOPS,
            max_scan: MAX_SCANNED_HOPS,
        }
    }

    /// The pacing for a run asked to go at `asked` that really keeps `kept` when it cannot
    /// keep up: tokens are paced for the eye at the speed seen on screen, snapped down to a
    /// step of a 1-2-5 ladder so that a wavering pace does not make them jump.
    pub fn for_run(asked: f64, kept: Option<f64>) -> Pacing {
        let speed = match kept {
            Some(k) if k < asked => PACE_LADDER
                .iter()
                .rev()
                .copied()
                .find(|&s| s <= k)
                .unwrap_or(PACE_LADDER[0]),
            _ => asked,
        };
        Pacing::for_speed(speed)
    }
}

/// A token on a link at the moment shown, or several aggregated into one.
#[derive(Clone, Debug, PartialEq)]
pub struct Token<'a> {
    /// The hop (the first one when aggregated).
    pub hop: &'a Hop,
    /// The command or event note of its message (for its colour).
    pub note: &'a NoteId,
    /// Command or event.
    pub kind: MessageKind,
    /// How far along the link it is, from 0 (leaving) to 1 (arriving).
    pub fraction: f64,
    /// How many tokens it stands for (1 unless aggregated).
    pub count: usize,
}

impl Run {
    /// The tokens to show at `t` (ms), paced by `pacing` (see the module): in order of
    /// departure, the same for the same run, moment and pacing.
    pub fn paced_tokens(&self, t: u64, pacing: Pacing) -> Vec<Token<'_>> {
        let upto = self.hops.partition_point(|h| h.start <= t);
        let reach = self
            .longest_hop
            .saturating_add(pacing.min_show_ms)
            .saturating_add(pacing.max_delay_ms);
        let from = self
            .hops
            .partition_point(|h| h.start.saturating_add(reach) < t)
            .max(upto.saturating_sub(pacing.max_scan));
        // When the last hop of each flow that reached a note arrives there, on screen.
        let mut arrivals: FastMap<(&NoteId, MessageId), u64> =
            FastMap::with_capacity_and_hasher(upto.saturating_sub(from), Default::default());
        let mut out = Vec::new();
        for hop in self.hops.range(from..upto) {
            let Some(msg) = self.msgs.get(hop.message.0 as usize) else {
                continue;
            };
            let ready = arrivals
                .get(&(&hop.from, msg.corr))
                .copied()
                .unwrap_or(hop.start);
            let (start, end) = shown(hop, ready, pacing);
            arrivals.insert((&hop.to, msg.corr), end);
            if start <= t && t < end {
                out.push(Token {
                    hop,
                    note: self.plan.id(msg.note),
                    kind: if msg.event {
                        MessageKind::Event
                    } else {
                        MessageKind::Command
                    },
                    fraction: (t - start) as f64 / (end - start) as f64,
                    count: 1,
                });
            }
        }
        out
    }
}

/// When a hop is shown: from when it left, or when the previous hop of its flow arrived on
/// screen (`ready`) if later, by at most `max_delay_ms`; for its own duration, or the
/// minimum show if longer.
pub fn shown(hop: &Hop, ready: u64, pacing: Pacing) -> (u64, u64) {
    let start = ready.clamp(hop.start, hop.start.saturating_add(pacing.max_delay_ms));
    let span = hop
        .end
        .saturating_sub(hop.start)
        .max(pacing.min_show_ms)
        .max(1);
    (start, start.saturating_add(span))
}

/// The tokens with those of a link that has more than `threshold` of them replaced by one
/// token with their count, at their mean position (the first's hop and colour).
pub fn aggregate(tokens: Vec<Token<'_>>, threshold: usize) -> Vec<Token<'_>> {
    let mut per_link: FastMap<&LinkId, usize> = FastMap::default();
    for t in &tokens {
        *per_link.entry(&t.hop.link).or_default() += 1;
    }
    if per_link.values().all(|&n| n <= threshold) {
        return tokens;
    }
    let mut out: Vec<Token<'_>> = Vec::new();
    let mut merged: FastMap<&LinkId, usize> = FastMap::default();
    for t in tokens {
        if per_link.get(&t.hop.link).is_none_or(|&n| n <= threshold) {
            out.push(t);
            continue;
        }
        match merged.get(&t.hop.link) {
            Some(&i) => {
                let m = &mut out[i];
                m.fraction += t.fraction;
                m.count += 1;
            }
            None => {
                merged.insert(&t.hop.link, out.len());
                out.push(t);
            }
        }
    }
    for &i in merged.values() {
        let m = &mut out[i];
        m.fraction /= m.count as f64;
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::{
        exec::{RunConfig, Timeline},
        model::{Board, Link, Note, NoteKind},
    };

    /// The board built by hand in a workshop: Teller → Deposit → Account → Funds deposited →
    /// Account balance, every hop but the last taking 0 ms of simulated time.
    pub(in crate::exec::run) fn teller_board() -> Board {
        let mut b = Board::default();
        let notes = [
            ("teller", NoteKind::Actor, "Teller"),
            ("deposit", NoteKind::Command, "Deposit"),
            ("account", NoteKind::Aggregate, "Account"),
            ("funds-deposited", NoteKind::Event, "Funds deposited"),
            ("account-balance", NoteKind::ReadModel, "Account balance"),
        ];
        for (i, (id, kind, text)) in notes.into_iter().enumerate() {
            b.notes
                .push(Note::new(id, kind, text, i as f64 * 200.0, 0.0));
        }
        for (i, w) in notes.windows(2).enumerate() {
            b.links.push(Link {
                id: LinkId(format!("l{i}")),
                from: NoteId(w[0].0.into()),
                to: NoteId(w[1].0.into()),
            });
        }
        b
    }

    fn hop(link: &str, start: u64, end: u64) -> Hop {
        Hop {
            link: LinkId(link.into()),
            from: NoteId("a".into()),
            to: NoteId("b".into()),
            message: MessageId(0),
            start,
            end,
        }
    }

    #[test]
    fn a_hop_of_no_time_is_shown_for_the_minimum_real_time_at_every_speed() {
        for speed in [0.1, 1.0, 100.0] {
            let p = Pacing::for_speed(speed);
            let (start, end) = shown(&hop("l", 500, 500), 500, p);
            let real_ms = (end - start) as f64 / speed;
            assert!(
                (real_ms - MIN_SHOW_REAL_MS).abs() < 1.0,
                "{speed}×: shown {real_ms} ms of real time"
            );
        }
        // A long hop keeps its own duration; a late previous hop delays it, within the cap.
        let p = Pacing::for_speed(1.0);
        assert_eq!(shown(&hop("l", 0, 5_000), 0, p), (0, 5_000));
        assert_eq!(shown(&hop("l", 0, 0), 300, p), (300, 300 + p.min_show_ms));
        assert_eq!(shown(&hop("l", 0, 0), u64::MAX, p).0, p.max_delay_ms);
    }

    #[test]
    fn a_token_travels_hop_after_hop_along_the_flow() {
        let mut t = Timeline::new(&teller_board(), RunConfig::default()).unwrap();
        t.seek(3_000);
        let run = t.run();
        let first = run.hops().first().unwrap().clone();
        let p = Pacing::for_speed(1.0);
        let at = |ms: u64| -> Vec<(String, f64)> {
            run.paced_tokens(first.start + ms, p)
                .iter()
                .filter(|k| run.correlation(k.hop.message) == Some(first.message))
                .map(|k| (k.hop.link.0.clone(), k.fraction))
                .collect()
        };
        // The first hop is alone on screen, and moves.
        let (a, b) = (at(100), at(300));
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].0, first.link.0);
        assert!(b[0].1 > a[0].1 + 0.2, "{a:?} then {b:?}");
        // Then the next link, then the one after: one hop at a time.
        let second = at(p.min_show_ms + 100);
        assert_eq!(second.len(), 1, "{second:?}");
        assert_ne!(second[0].0, first.link.0);
        let third = at(2 * p.min_show_ms + 100);
        assert_eq!(third.len(), 1, "{third:?}");
        assert_ne!(third[0].0, second[0].0);
    }

    #[test]
    fn a_run_that_cannot_keep_up_is_paced_at_the_speed_seen_snapped_to_a_step() {
        assert_eq!(Pacing::for_run(100.0, None), Pacing::for_speed(100.0));
        // Asked 100×, keeping 7.3× then 6.1×: paced at 5× both times, no jump between.
        assert_eq!(Pacing::for_run(100.0, Some(7.3)), Pacing::for_speed(5.0));
        assert_eq!(Pacing::for_run(100.0, Some(6.1)), Pacing::for_speed(5.0));
        assert_eq!(Pacing::for_run(100.0, Some(0.01)), Pacing::for_speed(0.1));
        // Keeping up (or faster, a measuring blip): the speed asked.
        assert_eq!(Pacing::for_run(2.0, Some(2.4)), Pacing::for_speed(2.0));
    }

    #[test]
    fn a_frame_looks_at_no_more_than_the_latest_hops_allowed() {
        let mut t = Timeline::new(&teller_board(), RunConfig::default()).unwrap();
        t.seek(20_000);
        let run = t.run();
        let wide = Pacing::for_speed(100.0);
        let all = run.paced_tokens(20_000, wide).len();
        assert!(all > 4, "{all} tokens at 100×");
        let capped = Pacing {
            max_scan: 4,
            ..wide
        };
        let few = run.paced_tokens(20_000, capped);
        assert!(!few.is_empty() && few.len() <= 4, "{}", few.len());
        // Only the latest hops are looked at.
        let upto = run.hops().partition_point(|h| h.start <= 20_000);
        let latest: Vec<&Hop> = run.hops().range(upto - 4..upto).collect();
        assert!(few
            .iter()
            .all(|k| latest.iter().any(|h| std::ptr::eq(*h, k.hop))));
    }

    #[test]
    fn many_tokens_on_one_link_become_one_with_their_count() {
        let hops: Vec<Hop> = (0..6)
            .map(|i| hop(if i < 5 { "busy" } else { "quiet" }, i, i))
            .collect();
        let note = NoteId("e".into());
        let tokens: Vec<Token<'_>> = hops
            .iter()
            .enumerate()
            .map(|(i, h)| Token {
                hop: h,
                note: &note,
                kind: MessageKind::Event,
                fraction: i as f64 / 10.0,
                count: 1,
            })
            .collect();
        assert_eq!(
            aggregate(tokens.clone(), 5).len(),
            6,
            "five are not too many"
        );
        let merged = aggregate(tokens, 4);
        assert_eq!(merged.len(), 2);
        let busy = merged.iter().find(|t| t.hop.link.0 == "busy").unwrap();
        assert_eq!(busy.count, 5);
        assert!((busy.fraction - 0.2).abs() < 1e-9);
        assert_eq!(
            merged
                .iter()
                .find(|t| t.hop.link.0 == "quiet")
                .unwrap()
                .count,
            1
        );
    }
}
