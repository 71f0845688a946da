//! One side's chart: orders waiting and orders failed so far over the simulated time, on the
//! axis both sides share, drawn up to the comparison's clock.

use crate::exec::compare::{Axis, CompareFault, SideResult, DURATION_MS, FAULT_MS, FAULT_START_MS};
use leptos::prelude::*;

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

/// A side's chart, drawn up to `now` (ms of simulated time).
pub fn chart(
    id: &'static str,
    side: &SideResult,
    axis: Axis,
    fault: CompareFault,
    label: &'static str,
    now: Signal<u64>,
) -> impl IntoView {
    let clip = format!("compare-clip-{id}");
    let has_lag = side.samples.iter().any(|s| s.lag > 0);
    let lag = has_lag.then(|| path(side, axis, |s| s.lag, true));
    let waiting = path(side, axis, |s| s.waiting, true);
    let failed = path(side, axis, |s| s.failed, false);
    let (top, bottom) = (y(axis.top, axis), y(0, axis));
    let fault_label = match fault {
        CompareFault::LogisticsDown => "Logistics down",
        CompareFault::LogisticsSlow => "Logistics slow",
    };
    let grid = axis
        .ticks()
        .map(|v| {
            view! {
                <line class="grid" x1=LEFT x2=W - RIGHT y1=y(v, axis) y2=y(v, axis) />
                <text class="tick" x=LEFT - 6.0 y=y(v, axis) + 4.0 text-anchor="end">{v}</text>
            }
        })
        .collect_view();
    let times = (0..=DURATION_MS / TIME_STEP_MS)
        .map(|i| {
            let ms = i * TIME_STEP_MS;
            view! { <text class="tick" x=x(ms) y=H - 6.0 text-anchor="middle">{format!("{} s", ms / 1000)}</text> }
        })
        .collect_view();
    let now_x = move || x(now.get().min(DURATION_MS));
    view! {
        <svg class="compare-chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=label
            data-axis-top=axis.top.to_string() data-chart=id>
            <defs>
                <clipPath id=clip.clone()>
                    <rect x="0" y="0" width=now_x height=H />
                </clipPath>
            </defs>
            <rect class="fault-window" x=x(FAULT_START_MS) y=top width=x(FAULT_MS) - x(0) height=bottom - top />
            <text class="fault-label" x=x(FAULT_START_MS) + 4.0 y=top - 6.0>{fault_label}</text>
            {grid}
            <text class="axis-title" transform=format!("translate(14 {}) rotate(-90)", (top + bottom) / 2.0)
                text-anchor="middle">"orders"</text>
            {times}
            <g clip-path=format!("url(#{clip})")>
                {lag.map(|d| view! { <path class=format!("area {}", Series::Lag.class()) d=d /> })}
                <path class=format!("area {}", Series::Waiting.class()) d=waiting />
                <path class=format!("line {}", Series::Failed.class()) d=failed />
            </g>
            <line class="now" x1=now_x x2=now_x y1=top - 2.0 y2=bottom />
        </svg>
    }
}
