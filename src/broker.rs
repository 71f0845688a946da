//! The Kafka-like engine: topics, partitions, logs, offsets, consumer groups and a
//! deterministic scheduler. It speaks only broker words.
//!
//! Everything is deterministic: time is passed in or simulated, randomness comes from a
//! seeded generator, and collections with observable order are ordered maps or vectors.

pub mod assignor;
pub mod checks;
pub mod cluster;
pub mod group;
pub mod log;
pub mod murmur2;
pub mod scheduler;
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
