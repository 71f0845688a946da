//! One side's chart: orders waiting and orders failed so far over the simulated time, on the
//! axis both sides share, drawn up to the comparison's clock.

use crate::exec::compare::{Axis, CompareFault, SideResult, DURATION_MS, FAULT_MS, FAULT_START_MS};
use std::fmt::Write;

/// Width of the chart's drawing (SVG units; about CSS pixels at 1280 px wide).
const W: f64 = 540.0;
/// Height of the chart's drawing.
const H: f64 = 250.0;
/// Room on the left for the axis' title and numbers.
const LEFT: f64 = 52.0;
/// Room on the right, so that the last time label fits.
const RIGHT: f64 = 14.0;
/// Room above the plot for the fault's label.
const TOP: f64 = 22.0;
/// Room below the plot for the time labels.
const BOTTOM: f64 = 24.0;
/// Seconds between two time labels.
const TIME_STEP_MS: u64 = 5_000;

/// What a chart plots, with the colour its figure shares (CSS class `series-…`).
#[derive(Clone, Copy)]
pub enum Series {
    /// Orders whose customer waits for an answer.
    Waiting,
    /// Orders waiting in the topic for Logistics.
    Lag,
    /// Orders the customer has seen fail so far.
    Failed,
}

impl Series {
    /// The CSS class that colours it, in the chart and in its figure.
    pub fn class(self) -> &'static str {
        match self {
            Series::Waiting => "series-waiting",
            Series::Lag => "series-lag",
            Series::Failed => "series-failed",
        }
    }
}

fn x(ms: u64) -> f64 {
    LEFT + ms as f64 / DURATION_MS as f64 * (W - LEFT - RIGHT)
}

fn y(v: u64, axis: Axis) -> f64 {
    H - BOTTOM - v as f64 / axis.top.max(1) as f64 * (H - TOP - BOTTOM)
}

/// The SVG path of a series over the run: a filled area or an open line.
fn path(
    side: &SideResult,
    axis: Axis,
    value: impl Fn(&crate::exec::compare::Sample) -> u64,
    area: bool,
) -> String {
    let mut d = String::new();
    for (i, s) in side.samples.iter().enumerate() {
        let (px, py) = (x(s.at), y(value(s), axis));
        if i == 0 {
            if area {
                d.push_str(&format!("M{px:.1},{:.1} L{px:.1},{py:.1}", y(0, axis)));
            } else {
                d.push_str(&format!("M{px:.1},{py:.1}"));
            }
        } else {
            d.push_str(&format!(" L{px:.1},{py:.1}"));
        }
    }
    if area {
        if let Some(last) = side.samples.last() {
            d.push_str(&format!(" L{:.1},{:.1} Z", x(last.at), y(0, axis)));
        }
    }
    d
}

/// Where the clock's line is at `now` (ms of simulated time), in the chart's units.
pub fn now_x(now: u64) -> f64 {
    x(now.min(DURATION_MS))
}

/// Writes a side's chart, drawn up to the start: the clock moves its clip (`data-now-clip`) and
/// its line (`data-now-line`), see [`now_x`].
pub fn chart_html(
    out: &mut String,
    id: &str,
    side: &SideResult,
    axis: Axis,
    fault: CompareFault,
    label: &str,
) {
    let has_lag = side.samples.iter().any(|s| s.lag > 0);
    let (top, bottom) = (y(axis.top, axis), y(0, axis));
    let fault_label = match fault {
        CompareFault::LogisticsDown => "Logistics down",
        CompareFault::LogisticsSlow => "Logistics slow",
    };
    let x0 = x(0);
    let _ = write!(
        out,
        "<svg class=\"compare-chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{label}\" data-axis-top=\"{}\" data-chart=\"{id}\">\
         <defs><clipPath id=\"compare-clip-{id}\"><rect data-now-clip x=\"0\" y=\"0\" width=\"{x0:.1}\" height=\"{H}\"/></clipPath></defs>\
         <rect class=\"fault-window\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>\
         <text class=\"fault-label\" x=\"{:.1}\" y=\"{:.1}\">{fault_label}</text>",
        axis.top,
        x(FAULT_START_MS),
        x(FAULT_MS) - x0,
        bottom - top,
        x(FAULT_START_MS) + 4.0,
        top - 6.0,
    );
    for v in axis.ticks() {
        let yv = y(v, axis);
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{yv:.1}\" y2=\"{yv:.1}\"/><text class=\"tick\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{v}</text>",
            W - RIGHT,
            LEFT - 6.0,
            yv + 4.0
        );
    }
    let _ = write!(
        out,
        "<text class=\"axis-title\" transform=\"translate(14 {:.1}) rotate(-90)\" text-anchor=\"middle\">orders</text>",
        (top + bottom) / 2.0
    );
    for i in 0..=DURATION_MS / TIME_STEP_MS {
        let ms = i * TIME_STEP_MS;
        let _ = write!(
            out,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{} s</text>",
            x(ms),
            H - 6.0,
            ms / 1000
        );
    }
    let _ = write!(out, "<g clip-path=\"url(#compare-clip-{id})\">");
    if has_lag {
        let _ = write!(
            out,
            "<path class=\"area {}\" d=\"{}\"/>",
            Series::Lag.class(),
            path(side, axis, |s| s.lag, true)
        );
    }
    let _ = write!(
        out,
        "<path class=\"area {}\" d=\"{}\"/><path class=\"line {}\" d=\"{}\"/></g>\
         <line class=\"now\" data-now-line x1=\"{x0:.1}\" x2=\"{x0:.1}\" y1=\"{:.1}\" y2=\"{bottom:.1}\"/></svg>",
        Series::Waiting.class(),
        path(side, axis, |s| s.waiting, true),
        Series::Failed.class(),
        path(side, axis, |s| s.failed, false),
        top - 2.0
    );
}
