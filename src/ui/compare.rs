//! Compare mode: the point-of-sale domain as a synchronous request chain and as events, side
//! by side under the same load and the same Logistics fault.

use super::state::Ctx;
use crate::exec::compare::{
    compare, CompareFault, CompareSettings, SideResult, BUCKET_MS, DURATION_MS, FAULT_MS,
    FAULT_START_MS, PARTITIONS,
};
use leptos::prelude::*;

/// Whether the comparison is open.
#[derive(Clone, Copy)]
pub struct CompareOpen(pub RwSignal<bool>);

const W: f64 = 360.0;
const H: f64 = 110.0;

/// A bar chart of one side's series over the run, with the fault's window shaded.
fn chart(series: &[u64], colour: &'static str, label: &'static str) -> impl IntoView {
    let max = series.iter().copied().max().unwrap_or(0).max(5) as f64;
    let n = series.len().max(1) as f64;
    let bar = W / n;
    let x = |ms: u64| ms as f64 / DURATION_MS as f64 * W;
    let bars = series
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let h = *v as f64 / max * (H - 14.0);
            view! { <rect x=i as f64 * bar + 1.0 y=H - h width=(bar - 2.0).max(1.0) height=h fill=colour /> }
        })
        .collect_view();
    view! {
        <svg class="compare-chart" viewBox=format!("0 0 {W} {H}") width=W height=H role="img" aria-label=label>
            <rect class="fault-window" x=x(FAULT_START_MS) y="0" width=x(FAULT_MS) height=H />
            <text x=x(FAULT_START_MS) + 4.0 y="12" class="fault-label">"Logistics fault"</text>
            {bars}
            <text x=W - 4.0 y="12" text-anchor="end" class="scale">{format!("max {max:.0}")}</text>
        </svg>
    }
}

fn side(
    title: &'static str,
    kind: &'static str,
    chain: &'static [&'static str],
    result: SideResult,
    colour: &'static str,
    what: &'static str,
) -> impl IntoView {
    view! {
        <section class="compare-side" data-side=kind data-failed=result.failed.to_string() data-peak=result.peak.to_string()
            data-worst-wait=result.worst_wait_ms.to_string()>
            <h3>{title}</h3>
            <div class="chain">
                {chain.iter().enumerate().map(|(i, step)| view! {
                    {(i > 0).then(|| view! { <span class="arrow">"→"</span> })}
                    <span class="box" class:logistics=step.contains("Logistics")>{*step}</span>
                }).collect_view()}
            </div>
            <dl class="figures">
                <div><dt>"orders taken"</dt><dd>{result.accepted}</dd></div>
                <div class:bad={result.failed > 0}><dt>"orders failed"</dt><dd>{result.failed}</dd></div>
                <div><dt>"longest wait"</dt><dd>{format!("{} ms", result.worst_wait_ms)}</dd></div>
                <div><dt>"shipped"</dt><dd>{result.shipped}</dd></div>
            </dl>
            <p class="muted">{what}</p>
            {chart(&result.series, colour, what)}
        </section>
    }
}

/// The comparison, over the board.
#[component]
pub fn CompareView() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let open = expect_context::<CompareOpen>().0;
    let settings = RwSignal::new(CompareSettings::default());
    let result = Memo::new(move |_| compare(&settings.get()).map_err(|e| e.to_string()));
    let set_fault = move |f: CompareFault| settings.update(|s| s.fault = f);
    view! {
        <Show when=move || open.get()>
            <div class="compare" role="dialog" aria-labelledby="compare-title" data-compare>
                <header>
                    <h2 id="compare-title">"Requests or events: the same orders, the same fault"</h2>
                    <button data-action="close-compare" on:click=move |_| open.set(false)>"Close"</button>
                </header>
                <div class="compare-controls">
                    <label><input type="radio" name="compare-fault" data-action="compare-down"
                        prop:checked=move || settings.get().fault == CompareFault::LogisticsDown
                        on:change=move |_| set_fault(CompareFault::LogisticsDown) />" Logistics down"</label>
                    <label><input type="radio" name="compare-fault" data-action="compare-slow"
                        prop:checked=move || settings.get().fault == CompareFault::LogisticsSlow
                        on:change=move |_| set_fault(CompareFault::LogisticsSlow) />" Logistics slow (+800 ms)"</label>
                    <label>"Orders per second "
                        <input type="number" min="1" max="200" data-action="compare-load" prop:value=move || settings.get().orders_per_s.to_string()
                            on:change=move |ev| {
                                match event_target_value(&ev).parse::<f64>() {
                                    Ok(v) if (1.0..=200.0).contains(&v) => settings.update(|s| s.orders_per_s = v),
                                    _ => ctx.status.set("Orders per second: a number from 1 to 200".into()),
                                }
                            } />
                    </label>
                    <span data-consumers>{move || format!("Logistics consumers: {} of {PARTITIONS} partitions", settings.get().logistics_consumers)}</span>
                    <button data-action="compare-add-consumer" prop:disabled=move || { settings.get().logistics_consumers >= PARTITIONS }
                        on:click=move |_| settings.update(|s| s.logistics_consumers = (s.logistics_consumers + 1).min(PARTITIONS))>
                        "Add a consumer"
                    </button>
                    <button data-action="compare-remove-consumer" prop:disabled=move || { settings.get().logistics_consumers <= 1 }
                        on:click=move |_| settings.update(|s| s.logistics_consumers = s.logistics_consumers.saturating_sub(1).max(1))>
                        "Remove one"
                    </button>
                </div>
                {move || match result.get() {
                    Err(e) => view! { <p class="run-problems">{e}</p> }.into_any(),
                    Ok(c) => view! {
                        <div class="compare-sides">
                            {side("Request-based: a synchronous chain", "request",
                                &["Customer", "Order API", "Inventory", "Payment", "Logistics"], c.request, "#d32f2f",
                                "Failed orders per half second: the customer waits on every call, so Logistics' trouble is the customer's.")}
                            {side("Event-based: a topic in between", "event",
                                &["Customer", "Order", "orders topic", "Reserve · Pay · Ship", "Logistics"], c.event, "#2f6feb",
                                "Logistics' lag in messages: orders are taken at once; shipping waits in the topic and catches up.")}
                        </div>
                    }.into_any(),
                }}
                <p class="muted">{format!(
                    "Both sides take the same orders with the same seed for {} s; the fault lasts from {} s to {} s. \
                     Events buffer what the failing part cannot take yet, and more consumers in its group (up to one per partition) drain it sooner.",
                    DURATION_MS / 1000, FAULT_START_MS / 1000, (FAULT_START_MS + FAULT_MS) / 1000
                )}</p>
                <p class="muted">{format!("Bars are {BUCKET_MS} ms wide.")}</p>
            </div>
        </Show>
    }
}
