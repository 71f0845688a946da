//! Broker benchmark: prints `name value unit` lines only.

use flowstorm::broker::workload::decimal;
use flowstorm::broker::{throughput_workload, Cluster, ClusterConfig, Produce};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;

/// Counts live heap bytes.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn records_per_second() -> f64 {
    let records = 1_000_000u64;
    // Warm-up, then best of three.
    let _ = throughput_workload(records / 10);
    let mut best = f64::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let summary = throughput_workload(records);
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(
            summary.consumed, records,
            "workload must consume every record"
        );
        best = best.min(secs);
    }
    records as f64 / best
}

fn bytes_per_record() -> f64 {
    let n = 500_000u64;
    let mut c = Cluster::new(ClusterConfig {
        seed: 1,
        keep_trace: false,
        ..ClusterConfig::default()
    });
    c.create_topic("orders", 8).expect("topic");
    // Intern the header names before measuring: they are shared by every record.
    let warm = [("correlation-id", "x"), ("causation-id", "y")];
    c.produce(Produce::new("orders", b"").headers(&warm), 0)
        .expect("produce");
    let (mut kb, mut cb, mut zb) = ([0u8; 20], [0u8; 20], [0u8; 20]);
    let mut value = [0u8; 16];
    let before = LIVE.load(Ordering::Relaxed);
    for i in 0..n {
        value[..8].copy_from_slice(&i.to_le_bytes());
        let key = format!("user-{}", decimal(i % 10_000, &mut kb));
        let corr = decimal(1_000_000 + i, &mut cb);
        let cause = decimal(2_000_000 + i, &mut zb);
        let headers = [("correlation-id", corr), ("causation-id", cause)];
        c.produce(
            Produce {
                topic: "orders",
                partition: None,
                key: Some(&key),
                value: &value,
                headers: &headers,
            },
            i,
        )
        .expect("produce");
    }
    let after = LIVE.load(Ordering::Relaxed);
    let per = (after - before) as f64 / n as f64;
    drop(c);
    per
}

fn main() {
    let bytes = bytes_per_record();
    let rate = records_per_second();
    println!("broker_records_per_s {rate:.0} records/s");
    println!("broker_bytes_per_record {bytes:.1} bytes");
}
