//! The Kafka-like engine: topics, partitions, logs, offsets, consumer groups and a
//! deterministic scheduler. It speaks only broker words.
