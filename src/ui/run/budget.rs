//! How long a frame of a playing run may spend advancing it: what is left of a frame's time once
//! drawing the frame is paid for, learnt from the frames before. Drawing a big board costs more
//! than half a frame; advancing for a fixed share of the frame would then miss every frame.

/// The frame time aimed at (ms): 60 frames a second.
const TARGET_FRAME_MS: f64 = 1000.0 / 60.0;
/// The least a frame advances the run (ms), however costly drawing is, so that it still moves.
const MIN_WORK_MS: f64 = 2.0;
/// Weight of the newest frame in the running estimate of what drawing costs.
const NEWEST_WEIGHT: f64 = 0.25;
/// A frame drawn in longer than this (ms) tells nothing about drawing (the tab was hidden, or
/// the machine busy elsewhere).
const MAX_DRAWING_MS: f64 = 100.0;

/// The running estimate of what drawing a frame costs, and the work budget it leaves.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct FrameBudget {
    /// Real time (ms) a frame takes besides advancing the run: the views' updates, style,
    /// layout, paint and handing the frame to the compositor.
    drawing_ms: f64,
}

impl FrameBudget {
    /// Real time (ms) the next frame may advance the run: what the frame time leaves after
    /// drawing, at most `cap`, at least [`MIN_WORK_MS`].
    pub(super) fn work_ms(&self, cap: f64) -> f64 {
        (TARGET_FRAME_MS - self.drawing_ms).clamp(MIN_WORK_MS, cap.max(MIN_WORK_MS))
    }

    /// Learns what drawing the last frame cost (ms).
    pub(super) fn learn(&mut self, drawing_ms: f64) {
        if (0.0..=MAX_DRAWING_MS).contains(&drawing_ms) {
            self.drawing_ms += NEWEST_WEIGHT * (drawing_ms - self.drawing_ms);
        }
    }
}
