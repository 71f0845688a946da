//! Compare mode: the point-of-sale domain as a synchronous request chain and as events, side
//! by side under the same load and the same Logistics fault, played on one clock so that the
//! audience watches the cascade on one side and the lag build and drain on the other.

mod chart;
mod player;

use super::state::Ctx;
use crate::exec::compare::{
    compare, Axis, CompareFault, CompareSettings, Sample, SideResult, DURATION_MS, FAULT_MS,
    FAULT_START_MS, PARTITIONS, SLOW_EXTRA_MS,
};
use chart::{chart_html, now_x, Series};
use leptos::prelude::*;
use player::Player;
use std::fmt::Write;
use wasm_bindgen::JsCast;

/// Whether the comparison is open.
#[derive(Clone, Copy)]
pub struct CompareOpen(pub RwSignal<bool>);

/// Lowest and highest orders per second the comparison accepts.
const ORDER_RATE: (f64, f64) = (1.0, 200.0);

/// The figures of a side: their key, label and the series they share a colour with.
const FIGURES: [(&str, &str, Option<Series>); 6] = [
    ("taken", "orders taken", None),
    ("failed", "failed so far", Some(Series::Failed)),
    ("waiting", "customers waiting", Some(Series::Waiting)),
    ("lag", "waiting for Logistics", Some(Series::Lag)),
    ("wait", "longest wait", None),
    ("shipped", "shipped", None),
];

/// A figure's value at a sample.
fn figure_value(key: &str, s: &Sample) -> String {
    match key {
        "taken" => s.taken.to_string(),
        "failed" => s.failed.to_string(),
        "waiting" => s.waiting.to_string(),
        "lag" => s.lag.to_string(),
        "wait" => format!("{} ms", s.worst_wait_ms),
        _ => s.shipped.to_string(),
    }
}

/// What a side shows: its title, its chain of parts and what its chart means.
struct Side {
    id: &'static str,
    title: &'static str,
    chain: &'static [&'static str],
    what: &'static str,
}

const REQUEST: Side = Side {
    id: "request",
    title: "Request-based: a synchronous chain",
    chain: &["Customer", "Order API", "Inventory", "Payment", "Logistics"],
    what: "The customer waits on every call: Logistics' trouble is the customer's.",
};

const EVENT: Side = Side {
    id: "event",
    title: "Event-based: a topic in between",
    chain: &[
        "Customer",
        "Order",
        "orders topic",
        "Reserve · Pay · Ship",
        "Logistics",
    ],
    what: "Orders are taken at once; Logistics' work waits in the topic as lag.",
};

/// Writes a side: its title, chain of parts, figures (at the start) and chart.
fn side_html(out: &mut String, s: &Side, result: &SideResult, axis: Axis, fault: CompareFault) {
    let _ = write!(
        out,
        "<section class=\"compare-side\" data-side=\"{}\" data-failed=\"{}\" data-peak=\"{}\" data-end-lag=\"{}\" data-worst-wait=\"{}\"><h3>{}</h3><div class=\"chain\">",
        s.id,
        result.failed,
        result.peak,
        result.at(DURATION_MS).lag,
        result.worst_wait_ms,
        s.title
    );
    for (i, step) in s.chain.iter().enumerate() {
        if i > 0 {
            out.push_str("<span class=\"arrow\">→</span>");
        }
        let logistics = if step.contains("Logistics") {
            " logistics"
        } else {
            ""
        };
        let _ = write!(out, "<span class=\"box{logistics}\">{step}</span>");
    }
    out.push_str("</div><dl class=\"figures\">");
    let start = result.at(0);
    for (key, label, series) in FIGURES {
        if key == "lag" && s.id != EVENT.id {
            continue;
        }
        let class = series.map_or("", Series::class);
        let _ = write!(
            out,
            "<div class=\"{class}\" data-figure=\"{key}\"><dt>{label}</dt><dd>{}</dd></div>",
            figure_value(key, &start)
        );
    }
    let _ = write!(out, "</dl><p class=\"muted what\">{}</p>", s.what);
    chart_html(out, s.id, result, axis, fault, s.what);
    out.push_str("</section>");
}

/// Moves a side's figures and chart to the clock's time.
fn show_side_at(root: &web_sys::Element, id: &str, result: &SideResult, now: u64) {
    let Ok(Some(side)) = root.query_selector(&format!("[data-side='{id}']")) else {
        return;
    };
    let at = result.at(now);
    if let Ok(figures) = side.query_selector_all("[data-figure]") {
        for el in (0..figures.length()).filter_map(|i| figures.item(i)) {
            let Ok(el) = el.dyn_into::<web_sys::Element>() else {
                continue;
            };
            let key = el.get_attribute("data-figure").unwrap_or_default();
            if let Ok(Some(dd)) = el.query_selector("dd") {
                dd.set_text_content(Some(&figure_value(&key, &at)));
            }
            let _ = el
                .class_list()
                .toggle_with_force("bad", key == "failed" && at.failed > 0);
        }
    }
    let x = format!("{:.1}", now_x(now));
    if let Ok(Some(clip)) = side.query_selector("[data-now-clip]") {
        let _ = clip.set_attribute("width", &x);
    }
    if let Ok(Some(line)) = side.query_selector("[data-now-line]") {
        let _ = line.set_attribute("x1", &x);
        let _ = line.set_attribute("x2", &x);
    }
}

/// The fault, the load and the Logistics group's size.
fn controls(settings: RwSignal<CompareSettings>, ctx: Ctx) -> impl IntoView {
    let set_fault = move |f: CompareFault| settings.update(|s| s.fault = f);
    let consumers = move || settings.get().logistics_consumers;
    let set_rate = move |text: String| match super::dom::parse_number(&text) {
        Some(v) if (ORDER_RATE.0..=ORDER_RATE.1).contains(&v) => {
            settings.update(|s| s.orders_per_s = v)
        }
        _ => ctx.status.set(format!(
            "Orders per second: a number from {} to {}",
            ORDER_RATE.0, ORDER_RATE.1
        )),
    };
    view! {
        <div class="compare-controls">
            <label><input type="radio" name="compare-fault" data-action="compare-down"
                prop:checked=move || settings.get().fault == CompareFault::LogisticsDown
                on:change=move |_| set_fault(CompareFault::LogisticsDown) />" Logistics down"</label>
            <label><input type="radio" name="compare-fault" data-action="compare-slow"
                prop:checked=move || settings.get().fault == CompareFault::LogisticsSlow
                on:change=move |_| set_fault(CompareFault::LogisticsSlow) />{format!(" Logistics slow (+{SLOW_EXTRA_MS} ms)")}</label>
            <label>"Orders per second "
                <input type="number" min=ORDER_RATE.0 max=ORDER_RATE.1 data-action="compare-load"
                    prop:value=move || settings.get().orders_per_s.to_string()
                    on:change=move |ev| set_rate(event_target_value(&ev)) />
            </label>
            <span class="consumers">
                <span data-consumers>{move || format!("Logistics consumers: {} of {PARTITIONS}", consumers())}</span>
                <button data-action="compare-remove-consumer" title="One consumer less in the Logistics group"
                    prop:disabled=move || { consumers() <= 1 }
                    on:click=move |_| settings.update(|s| s.logistics_consumers = s.logistics_consumers.saturating_sub(1).max(1))>
                    "−"
                </button>
                <button data-action="compare-add-consumer" title="One consumer more in the Logistics group (up to one per partition)"
                    prop:disabled=move || { consumers() >= PARTITIONS }
                    on:click=move |_| settings.update(|s| s.logistics_consumers = (s.logistics_consumers + 1).min(PARTITIONS))>
                    "+ Add a consumer"
                </button>
            </span>
        </div>
    }
}

/// The comparison, over the board.
#[component]
pub fn CompareView() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let open = expect_context::<CompareOpen>().0;
    let settings = RwSignal::new(CompareSettings::default());
    let result = Memo::new(move |_| compare(&settings.get()).map_err(|e| e.to_string()));
    let player = Player::stopped();
    // A new comparison (opened, or settings changed) plays from the start.
    Effect::new(move |_| {
        if open.get() && result.with(Result::is_ok) {
            player.replay();
        } else {
            player.pause();
        }
    });
    let now = player.now_signal();
    // Both sides are written once per comparison; the clock then moves their figures and the
    // charts' clip (a few attributes a frame, nothing drawn again).
    let sides_el = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let Some(el) = sides_el.get() else {
            return;
        };
        let fault = settings.get_untracked().fault;
        let html = result.with(|r| match r {
            Err(e) => {
                let mut out = String::from("<p class=\"run-problems\">");
                super::dom::escape_html(&mut out, e);
                out + "</p>"
            }
            Ok(c) => {
                let axis = c.axis();
                let mut out = String::new();
                side_html(&mut out, &REQUEST, &c.request, axis, fault);
                side_html(&mut out, &EVENT, &c.event, axis, fault);
                out
            }
        });
        el.set_inner_html(&html);
        let axis_top = result.with(|r| r.as_ref().map(|c| c.axis().top.to_string()).ok());
        match axis_top {
            Some(top) => {
                let _ = el.set_attribute("data-axis-top", &top);
            }
            None => {
                let _ = el.remove_attribute("data-axis-top");
            }
        }
    });
    Effect::new(move |_| {
        let t = now.get();
        let Some(el) = sides_el.get() else {
            return;
        };
        result.with(|r| {
            if let Ok(c) = r {
                show_side_at(&el, REQUEST.id, &c.request, t);
                show_side_at(&el, EVENT.id, &c.event, t);
            }
        });
    });
    view! {
        {move || open.get().then(|| view! {
            <div class="compare" role="dialog" aria-labelledby="compare-title" data-compare
                data-now=move || now.get().to_string()>
                <header>
                    <h2 id="compare-title">"Requests or events: the same orders, the same fault"</h2>
                    <button data-action="close-compare" on:click=move |_| open.set(false)>"Close"</button>
                </header>
                {controls(settings, ctx)}
                {player.view()}
                <div class="compare-sides" node_ref=sides_el />
                <p class="muted">{move || {
                    let s = settings.get();
                    format!(
                        "Both sides take the same {} orders/s with the same seed for {} s; Logistics takes {} ms an order and is {} from {} s to {} s. \
                         Both charts share one scale of orders. Events buffer what Logistics cannot take yet; more consumers in its group (up to one per partition) drain it sooner.",
                        s.orders_per_s, DURATION_MS / 1000, s.logistics_ms,
                        match s.fault { CompareFault::LogisticsDown => "down", CompareFault::LogisticsSlow => "slow" },
                        FAULT_START_MS / 1000, (FAULT_START_MS + FAULT_MS) / 1000
                    )
                }}</p>
            </div>
        })}
    }
}
