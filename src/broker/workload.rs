//! Deterministic workloads, timed by the benchmark natively and usable in a browser.

use super::cluster::{Cluster, ClusterConfig};
use super::group::GroupConfig;
use super::types::Produce;
use serde::{Deserialize, Serialize};

/// What a workload did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadSummary {
    /// Records produced.
    pub produced: u64,
    /// Records handled by the consumer group.
    pub consumed: u64,
    /// Offset commits.
    pub commits: u64,
    /// Hash of the trace.
    pub trace_hash: u64,
}

/// Writes the decimal digits of `n` into `buf` and returns them as text.
pub fn decimal(n: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    let mut v = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}

/// Produces `records` small records (short key, 16-byte value, two headers) to a topic of
/// 8 partitions and consumes them with one at-least-once group of 4 members, in chunks.
pub fn throughput_workload(records: u64) -> WorkloadSummary {
    let mut c = Cluster::new(ClusterConfig {
        seed: 7,
        keep_trace: false,
        ..ClusterConfig::default()
    });
    let _ = c.create_topic("orders", 8);
    let mut g = GroupConfig::new("billing", &["orders"])
        .earliest()
        .at_least_once();
    g.instances = 4;
    let _ = c.create_group(g);
    let mut key_buf = [0u8; 20];
    let mut corr_buf = [0u8; 20];
    let mut cause_buf = [0u8; 20];
    let mut value = [0u8; 16];
    let chunk = 2048u64;
    let mut produced = 0u64;
    let mut now = 0u64;
    while produced < records {
        let end = (produced + chunk).min(records);
        for i in produced..end {
            value[..8].copy_from_slice(&i.to_le_bytes());
            let key = decimal(i % 10_000, &mut key_buf);
            let corr = decimal(i, &mut corr_buf);
            let cause = decimal(i.wrapping_sub(1), &mut cause_buf);
            let headers = [("correlation-id", corr), ("causation-id", cause)];
            let _ = c.produce(
                Produce {
                    topic: "orders",
                    partition: None,
                    key: Some(key),
                    value: &value,
                    headers: &headers,
                },
                now,
            );
        }
        produced = end;
        c.run_until(now);
        now += 1;
    }
    c.run_until_idle(u64::MAX);
    let s = c.stats();
    WorkloadSummary {
        produced: s.produced,
        consumed: s.handled,
        commits: s.commits,
        trace_hash: c.trace_hash(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workload_consumes_everything_deterministically() {
        let a = throughput_workload(5_000);
        assert_eq!(a.produced, 5_000);
        assert_eq!(a.consumed, 5_000);
        assert_eq!(a.commits, 5_000);
        assert_eq!(a, throughput_workload(5_000));
        assert_ne!(a.trace_hash, throughput_workload(4_999).trace_hash);
    }

    #[test]
    fn decimal_formats() {
        let mut b = [0u8; 20];
        assert_eq!(decimal(0, &mut b), "0");
        assert_eq!(decimal(1234, &mut b), "1234");
        assert_eq!(decimal(u64::MAX, &mut b), "18446744073709551615");
    }
}
