//! Compare mode: the point-of-sale domain as a synchronous request chain and as events, side
//! by side under the same load and the same Logistics fault, played on one clock so that the
//! audience watches the cascade on one side and the lag build and drain on the other.

mod chart;
mod player;

use super::{
    dom::{escape_html, event_action, find, parse_number, set_text, set_value},
    state::Ctx,
};
use crate::exec::compare::{
    compare, Axis, CompareFault, CompareSettings, Comparison, Sample, SideResult, DURATION_MS,
    FAULT_MS, FAULT_START_MS, PARTITIONS, SAMPLE_MS, SLOW_EXTRA_MS,
};
use crate::ui::watch::{watch, watch_with};
use chart::{chart_html, now_x, Series};
use leptos::prelude::*;
use player::Player;
use std::fmt::Write;
use wasm_bindgen::JsCast;

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

/// The dialog's controls (the fault, the load, the Logistics group's size), the player (play,
/// replay, the scrubber and the clock), the place of the sides and the footnote, as HTML: what
/// changes is set on them by [`CompareView`].
fn dialog_html() -> String {
    format!(
        "<header><h2 id=\"compare-title\">Requests or events: the same orders, the same fault</h2>\
         <button data-action=\"close-compare\">Close</button></header>\
         <div class=\"compare-controls\">\
         <label><input type=\"radio\" name=\"compare-fault\" data-action=\"compare-down\"> Logistics down</label>\
         <label><input type=\"radio\" name=\"compare-fault\" data-action=\"compare-slow\"> Logistics slow (+{SLOW_EXTRA_MS} ms)</label>\
         <label>Orders per second <input type=\"number\" min=\"{}\" max=\"{}\" data-action=\"compare-load\"></label>\
         <span class=\"consumers\"><span data-consumers></span>\
         <button data-action=\"compare-remove-consumer\" title=\"One consumer less in the Logistics group\">−</button>\
         <button data-action=\"compare-add-consumer\" title=\"One consumer more in the Logistics group (up to one per partition)\">+ Add a consumer</button>\
         </span></div>\
         <div class=\"compare-player\"><button data-action=\"compare-play\" class=\"primary\"></button>\
         <button data-action=\"compare-replay\" title=\"Back to the start and play\">Replay</button>\
         <input type=\"range\" data-action=\"compare-scrub\" aria-label=\"Simulated time\" min=\"0\" max=\"{DURATION_MS}\" step=\"{SAMPLE_MS}\">\
         <span class=\"clock\" data-clock></span></div>\
         <div class=\"compare-sides\"></div><p class=\"muted\"></p>",
        ORDER_RATE.0, ORDER_RATE.1
    )
}

/// What the footnote says of the settings.
fn footnote(s: &CompareSettings) -> String {
    format!(
        "Both sides take the same {} orders/s with the same seed for {} s; Logistics takes {} ms an order and is {} from {} s to {} s. \
         Both charts share one scale of orders. Events buffer what Logistics cannot take yet; more consumers in its group (up to one per partition) drain it sooner.",
        s.orders_per_s,
        DURATION_MS / 1000,
        s.logistics_ms,
        match s.fault {
            CompareFault::LogisticsDown => "down",
            CompareFault::LogisticsSlow => "slow",
        },
        FAULT_START_MS / 1000,
        (FAULT_START_MS + FAULT_MS) / 1000
    )
}

/// Writes both sides of the comparison (or why it failed) into `el`.
fn write_sides(el: &web_sys::Element, result: &Result<Comparison, String>, fault: CompareFault) {
    let html = match result {
        Err(e) => {
            let mut out = String::from("<p class=\"run-problems\">");
            escape_html(&mut out, e);
            out + "</p>"
        }
        Ok(c) => {
            let axis = c.axis();
            let mut out = String::new();
            side_html(&mut out, &REQUEST, &c.request, axis, fault);
            side_html(&mut out, &EVENT, &c.event, axis, fault);
            out
        }
    };
    el.set_inner_html(&html);
    match result {
        Ok(c) => {
            let _ = el.set_attribute("data-axis-top", &c.axis().top.to_string());
        }
        Err(_) => {
            let _ = el.remove_attribute("data-axis-top");
        }
    }
}

/// What the dialog was last written for: its element, the settings, the clock and whether it
/// played.
type Shown = (web_sys::Element, CompareSettings, u64, bool);

/// The comparison, over the board: written as HTML when it opens, its controls answered by one
/// listener per kind of event (`data-action`). Both sides are written once per comparison; the
/// clock then moves their figures and the charts' clip (a few attributes a frame, nothing
/// drawn again).
#[component]
pub fn CompareView(
    /// Whether the comparison is open.
    open: RwSignal<bool>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let settings = RwSignal::new(CompareSettings::default());
    let result = Memo::new(move |_| compare(&settings.get()).map_err(|e| e.to_string()));
    let player = Player::stopped();
    // A new comparison (opened, or settings changed) plays from the start.
    watch(move || {
        if open.get() && result.with(Result::is_ok) {
            player.replay();
        } else {
            player.pause();
        }
    });
    let now = player.now_signal();
    let slot = NodeRef::<leptos::html::Div>::new();
    watch_with(move |last: Option<Option<Shown>>| {
        let (s, t, playing) = (settings.get(), now.get(), player.playing());
        let slot = slot.get()?;
        if !open.get() {
            slot.set_inner_html("");
            return None;
        }
        if slot.child_element_count() == 0 {
            slot.set_inner_html(&format!(
                "<div class=\"compare\" role=\"dialog\" aria-labelledby=\"compare-title\" data-compare>{}</div>",
                dialog_html()
            ));
        }
        let el = slot.first_element_child()?;
        let was = last.flatten().filter(|w| w.0 == el);
        let new_settings = was.as_ref().map(|w| w.1) != Some(s);
        if new_settings {
            for (action, on) in [
                ("compare-down", s.fault == CompareFault::LogisticsDown),
                ("compare-slow", s.fault == CompareFault::LogisticsSlow),
            ] {
                if let Some(radio) = find(&el, &format!("[data-action='{action}']")) {
                    radio
                        .unchecked_ref::<web_sys::HtmlInputElement>()
                        .set_checked(on);
                }
            }
            set_value(
                find(&el, "[data-action='compare-load']"),
                &s.orders_per_s.to_string(),
            );
            let consumers = s.logistics_consumers;
            set_text(
                &el,
                "[data-consumers]",
                &format!("Logistics consumers: {consumers} of {PARTITIONS}"),
            );
            for (action, off) in [
                ("compare-remove-consumer", consumers <= 1),
                ("compare-add-consumer", consumers >= PARTITIONS),
            ] {
                if let Some(button) = find(&el, &format!("[data-action='{action}']")) {
                    let _ = button.toggle_attribute_with_force("disabled", off);
                }
            }
            if let Some(note) = el.last_element_child() {
                note.set_text_content(Some(&footnote(&s)));
            }
            if let Some(sides) = find(&el, ".compare-sides") {
                result.with(|r| write_sides(&sides, r, s.fault));
            }
        }
        if was.as_ref().map(|w| (w.2, w.3)) != Some((t, playing)) {
            let label = if playing {
                "Pause"
            } else if t >= DURATION_MS {
                "Play again"
            } else {
                "Play"
            };
            set_text(&el, "[data-action='compare-play']", label);
        }
        if new_settings || was.as_ref().map(|w| w.2) != Some(t) {
            let _ = el.set_attribute("data-now", &t.to_string());
            set_value(find(&el, "[data-action='compare-scrub']"), &t.to_string());
            let clock = format!("{:.1} s of {} s", t as f64 / 1000.0, DURATION_MS / 1000);
            set_text(&el, "[data-clock]", &clock);
            result.with(|r| {
                if let Ok(c) = r {
                    show_side_at(&el, REQUEST.id, &c.request, t);
                    show_side_at(&el, EVENT.id, &c.event, t);
                }
            });
        }
        Some((el, s, t, playing))
    });
    let on_click = move |ev: leptos::ev::MouseEvent| match event_action(&ev).as_deref() {
        Some("close-compare") => open.set(false),
        Some("compare-remove-consumer") => settings
            .update(|s| s.logistics_consumers = s.logistics_consumers.saturating_sub(1).max(1)),
        Some("compare-add-consumer") => {
            settings.update(|s| s.logistics_consumers = (s.logistics_consumers + 1).min(PARTITIONS))
        }
        Some("compare-play") => player.toggle(),
        Some("compare-replay") => player.replay(),
        _ => {}
    };
    let on_change = move |ev: leptos::ev::Event| match event_action(&ev).as_deref() {
        Some("compare-down") => settings.update(|s| s.fault = CompareFault::LogisticsDown),
        Some("compare-slow") => settings.update(|s| s.fault = CompareFault::LogisticsSlow),
        Some("compare-load") => match parse_number(&event_target_value(&ev)) {
            Some(v) if (ORDER_RATE.0..=ORDER_RATE.1).contains(&v) => {
                settings.update(|s| s.orders_per_s = v)
            }
            _ => ctx.status.set(format!(
                "Orders per second: a number from {} to {}",
                ORDER_RATE.0, ORDER_RATE.1
            )),
        },
        _ => {}
    };
    let on_input = move |ev: leptos::ev::Event| {
        if event_action(&ev).as_deref() == Some("compare-scrub") {
            if let Ok(ms) = event_target_value(&ev).parse::<u64>() {
                player.seek(ms);
            }
        }
    };
    // Fields are listened to in the capture phase: a `change` or `input` that a script sends
    // without bubbling (the tests', the benchmarks') reaches the panel as a person's does.
    // Written into a place with no box of its own in the app's grid: the dialog is placed over
    // the board.
    view! {
        <div data-compare-slot style="display:contents" node_ref=slot
            on:click=on_click on:change:capture=on_change on:input:capture=on_input />
    }
}
