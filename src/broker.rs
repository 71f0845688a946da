//! The Kafka-like engine: topics, partitions, logs, offsets, consumer groups and a
//! deterministic scheduler. It speaks only broker words.
//!
//! Everything is deterministic: time is passed in or simulated, randomness comes from a
//! seeded generator, and collections with observable order are ordered maps or vectors.
//!
//! Driving a simulation step by step, acknowledging deliveries by hand:
//!
//! ```
//! use flowstorm::broker::{check_trace, Cluster, GroupConfig, Produce, TraceEvent};
//!
//! let mut cluster = Cluster::with_seed(42);
//! cluster.create_topic("orders", 3).unwrap();
//! let mut group = GroupConfig::new("billing", &["orders"]).earliest().at_least_once();
//! group.auto_ack = false;
//! cluster.create_group(group).unwrap();
//! let headers = [("correlation-id", "c-1"), ("causation-id", "c-0")];
//! cluster.produce(Produce::new("orders", b"placed").key("order-1").headers(&headers), 0).unwrap();
//! while let Some(entry) = cluster.step() {
//!     if let TraceEvent::Delivered { delivery, topic, partition, offset, .. } = entry.event {
//!         let topic = cluster.topic_name(topic).unwrap().to_string();
//!         let record = cluster.record(&topic, partition, offset).unwrap();
//!         assert_eq!(record.header("correlation-id"), Some("c-1"));
//!         cluster.ack_processed(delivery).unwrap();
//!     }
//! }
//! assert_eq!(cluster.lag("billing").unwrap().total, 0);
//! assert!(check_trace(cluster.trace()).is_clean());
//! ```

pub mod assignor;
pub mod checks;
pub mod cluster;
pub mod group;
pub mod log;
pub mod murmur2;
pub mod scheduler;
pub mod shared_vec;
pub mod sorted;
pub mod trace;
pub mod types;
pub mod workload;

mod consumer;

pub use assignor::{assign, AssignorKind, MemberSubscription};
pub use checks::{check_trace, Anomaly, AnomalyKind, CheckReport};
pub use cluster::{Cluster, ClusterConfig, GroupLag, PartitionLag, Stats, TopicConfig};
pub use group::{DeliveryMode, GroupConfig, OffsetReset, RetryMode, RetryPolicy};
pub use log::Isolation;
pub use murmur2::{murmur2, partition_for_key, to_positive};
pub use trace::{Outcome, TraceEntry, TraceEvent};
pub use types::{
    BrokerError, DeliveryId, GroupId, Header, MemberId, Produce, ProduceRequest, ProducerId,
    Record, RecordMetadata, SeekTo, TopicId, TopicPartition,
};
pub use workload::{throughput_workload, WorkloadSummary};
