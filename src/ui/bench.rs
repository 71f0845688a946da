//! Entry points the browser benchmarks call through `window.wasmBindings` (see benches/browser.rs).

use super::dom::performance_now as now_ms;
use wasm_bindgen::prelude::*;

/// Runs the broker's throughput workload on `records` records here, in the browser, and returns
/// records produced and consumed per second.
#[wasm_bindgen]
pub fn bench_broker_records_per_s(records: f64) -> f64 {
    let records = records.clamp(1.0, 1.0e8) as u64;
    let start = now_ms();
    let summary = crate::broker::workload::throughput_workload(records);
    let seconds = ((now_ms() - start) / 1000.0).max(1e-9);
    if summary.consumed < records {
        return 0.0;
    }
    records as f64 / seconds
}

/// Bytes of the app's memory (the WebAssembly heap: everything the run and the board hold).
#[wasm_bindgen]
pub fn bench_memory_bytes() -> f64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .unchecked_into::<js_sys::ArrayBuffer>()
                .byte_length() as f64
        })
        .unwrap_or(0.0)
}
