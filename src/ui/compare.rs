//! Compare mode: the point-of-sale domain as a synchronous request chain and as events, side
//! by side under the same load and the same Logistics fault, played on one clock so that the
//! audience watches the cascade on one side and the lag build and drain on the other.

mod chart;
mod player;

use super::state::Ctx;
use crate::exec::compare::{
    compare, Axis, CompareFault, CompareSettings, Comparison, SideResult, DURATION_MS, FAULT_MS,
    FAULT_START_MS, PARTITIONS, SLOW_EXTRA_MS,
};
use chart::{chart, Series};
use leptos::prelude::*;
use player::Player;

/// Whether the comparison is open.
#[derive(Clone, Copy)]
pub struct CompareOpen(pub RwSignal<bool>);

/// Lowest and highest orders per second the comparison accepts.
const ORDER_RATE: (f64, f64) = (1.0, 200.0);

/// One figure of a side at the clock's time, coloured like its series when it has one.
fn figure(
    label: &'static str,
    series: Option<Series>,
    bad: impl Fn() -> bool + Send + Sync + 'static,
    value: impl Fn() -> String + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class=series.map_or("", Series::class) class:bad=bad>
            <dt>{label}</dt><dd>{value}</dd>
        </div>
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

fn side(
    s: &'static Side,
    result: SideResult,
    axis: Axis,
    fault: CompareFault,
    now: Signal<u64>,
) -> impl IntoView {
    let end_lag = result.at(DURATION_MS).lag;
    let has_topic = s.id == EVENT.id;
    let r = StoredValue::new(result.clone());
    let at = move || r.with_value(|r| r.at(now.get()));
    view! {
        <section class="compare-side" data-side=s.id data-failed=result.failed.to_string()
            data-peak=result.peak.to_string() data-end-lag=end_lag.to_string()
            data-worst-wait=result.worst_wait_ms.to_string()>
            <h3>{s.title}</h3>
            <div class="chain">
                {s.chain.iter().enumerate().map(|(i, step)| view! {
                    {(i > 0).then(|| view! { <span class="arrow">"→"</span> })}
                    <span class="box" class:logistics=step.contains("Logistics")>{*step}</span>
                }).collect_view()}
            </div>
            <dl class="figures">
                {figure("orders taken", None, || false, move || at().taken.to_string())}
                {figure("failed so far", Some(Series::Failed), move || at().failed > 0, move || at().failed.to_string())}
                {figure("customers waiting", Some(Series::Waiting), || false, move || at().waiting.to_string())}
                {has_topic.then(|| figure("waiting for Logistics", Some(Series::Lag), || false, move || at().lag.to_string()))}
                {figure("longest wait", None, || false, move || format!("{} ms", at().worst_wait_ms))}
                {figure("shipped", None, || false, move || at().shipped.to_string())}
            </dl>
            <p class="muted what">{s.what}</p>
            {chart(s.id, &result, axis, fault, s.what, now)}
        </section>
    }
}

fn sides(c: Comparison, fault: CompareFault, now: Signal<u64>) -> impl IntoView {
    let axis = c.axis();
    view! {
        <div class="compare-sides" data-axis-top=axis.top.to_string()>
            {side(&REQUEST, c.request, axis, fault, now)}
            {side(&EVENT, c.event, axis, fault, now)}
        </div>
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
                {move || match result.get() {
                    Err(e) => view! { <p class="run-problems">{e}</p> }.into_any(),
                    Ok(c) => sides(c, settings.get_untracked().fault, now).into_any(),
                }}
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
