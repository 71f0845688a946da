//! Identifiers, records, produce requests and the typed error of the broker.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Index of a topic inside a [`crate::broker::Cluster`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TopicId(pub u32);

/// Index of a consumer group inside a cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GroupId(pub u32);

/// Cluster-wide identifier of a consumer group member (one consumer instance).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct MemberId(pub u32);

/// Identifier of a transactional producer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ProducerId(pub u32);

/// Identifier of one delivery of a record to a member (acknowledged with `ack_processed`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DeliveryId(pub u64);

/// A topic name and partition number.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TopicPartition {
    /// Topic name.
    pub topic: String,
    /// Partition number.
    pub partition: u32,
}

impl TopicPartition {
    /// Builds a topic-partition from a name and number.
    pub fn new(topic: &str, partition: u32) -> Self {
        TopicPartition {
            topic: topic.to_string(),
            partition,
        }
    }
}

/// One record header (for example `correlation-id` or `causation-id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Header name.
    pub name: String,
    /// Header value.
    pub value: String,
}

/// A record as read back from a partition log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Offset of the record in its partition.
    pub offset: u64,
    /// Timestamp (create time, milliseconds).
    pub timestamp: u64,
    /// Optional key.
    pub key: Option<String>,
    /// Payload bytes.
    pub value: Vec<u8>,
    /// Headers in produce order.
    pub headers: Vec<Header>,
    /// Producer id when the record was written inside a transaction.
    pub producer: Option<ProducerId>,
}

impl Record {
    /// The value of the first header called `name`, if any.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| h.value.as_str())
    }
}

/// A borrowed produce request: cheap to build, nothing is copied until the append.
#[derive(Clone, Copy, Debug)]
pub struct Produce<'a> {
    /// Target topic.
    pub topic: &'a str,
    /// Explicit partition; `None` lets the partitioner choose.
    pub partition: Option<u32>,
    /// Optional key (keyed records are partitioned with murmur2).
    pub key: Option<&'a str>,
    /// Payload bytes.
    pub value: &'a [u8],
    /// Headers as `(name, value)` pairs.
    pub headers: &'a [(&'a str, &'a str)],
}

impl<'a> Produce<'a> {
    /// A keyless record with no headers for `topic`.
    pub fn new(topic: &'a str, value: &'a [u8]) -> Self {
        Produce {
            topic,
            partition: None,
            key: None,
            value,
            headers: &[],
        }
    }
    /// Sets the key.
    pub fn key(mut self, key: &'a str) -> Self {
        self.key = Some(key);
        self
    }
    /// Sets the headers.
    pub fn headers(mut self, headers: &'a [(&'a str, &'a str)]) -> Self {
        self.headers = headers;
        self
    }
    /// Forces the partition.
    pub fn partition(mut self, partition: u32) -> Self {
        self.partition = Some(partition);
        self
    }
}

/// An owned produce request, for produces scheduled at a later simulated time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProduceRequest {
    /// Target topic.
    pub topic: String,
    /// Explicit partition; `None` lets the partitioner choose.
    pub partition: Option<u32>,
    /// Optional key.
    pub key: Option<String>,
    /// Payload bytes.
    pub value: Vec<u8>,
    /// Headers in order.
    pub headers: Vec<Header>,
}

/// Where an appended record landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordMetadata {
    /// Topic the record was appended to.
    pub topic: TopicId,
    /// Partition number.
    pub partition: u32,
    /// Offset assigned by the log.
    pub offset: u64,
    /// Record timestamp.
    pub timestamp: u64,
}

/// Where a member should move its position (Kafka `seek`, `seekToBeginning`, `offsetsForTimes`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SeekTo {
    /// The log-start offset.
    Earliest,
    /// The log-end offset (the last stable offset for read_committed).
    Latest,
    /// An explicit offset (out-of-range offsets are reset on the next fetch, as Kafka does).
    Offset(u64),
    /// The earliest offset whose timestamp is at or after the given time; log end if none.
    Timestamp(u64),
}

/// Every error the broker returns; nothing in the broker panics on bad input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BrokerError {
    /// The topic does not exist.
    UnknownTopic {
        /// The requested name.
        topic: String,
    },
    /// A topic with this name already exists.
    TopicExists {
        /// The requested name.
        topic: String,
    },
    /// The name differs from an existing topic's only by `.` versus `_`; Kafka rejects it
    /// (InvalidTopicException) because the two would share metric names.
    TopicCollision {
        /// The requested name.
        topic: String,
        /// The existing topic it collides with.
        existing: String,
    },
    /// Names must be 1..=249 characters of `[A-Za-z0-9._-]` and not `.` or `..`.
    InvalidName {
        /// The rejected name.
        name: String,
    },
    /// Partition counts must be in 1..=MAX_PARTITIONS and only grow.
    InvalidPartitionCount {
        /// Topic concerned.
        topic: String,
        /// The rejected count.
        partitions: u32,
    },
    /// The partition does not exist.
    UnknownPartition {
        /// Topic concerned.
        topic: String,
        /// The requested partition.
        partition: u32,
    },
    /// The consumer group does not exist.
    UnknownGroup {
        /// The requested group name.
        group: String,
    },
    /// A consumer group with this name already exists.
    GroupExists {
        /// The requested group name.
        group: String,
    },
    /// The group configuration is not usable.
    InvalidGroupConfig {
        /// Group name.
        group: String,
        /// Why it was rejected.
        reason: String,
    },
    /// No member has this id.
    UnknownMember {
        /// The requested member.
        member: MemberId,
    },
    /// The member has crashed or left.
    MemberNotActive {
        /// The member.
        member: MemberId,
    },
    /// The member does not own the partition.
    NotAssigned {
        /// The member.
        member: MemberId,
        /// Topic concerned.
        topic: String,
        /// Partition concerned.
        partition: u32,
    },
    /// The delivery is unknown, already acknowledged, or its member crashed.
    UnknownDelivery {
        /// The delivery.
        delivery: DeliveryId,
    },
    /// No producer has this id.
    UnknownProducer {
        /// The producer.
        producer: ProducerId,
    },
    /// The producer has no open transaction.
    NoOpenTransaction {
        /// The producer.
        producer: ProducerId,
    },
    /// The producer already has an open transaction.
    TransactionAlreadyOpen {
        /// The producer.
        producer: ProducerId,
    },
    /// The record is larger than the broker accepts.
    RecordTooLarge {
        /// Encoded size in bytes.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// The offset is outside the log.
    OffsetOutOfRange {
        /// Topic concerned.
        topic: String,
        /// Partition concerned.
        partition: u32,
        /// The requested offset.
        offset: u64,
    },
}

impl fmt::Display for BrokerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BrokerError::UnknownTopic { topic } => write!(f, "unknown topic {topic:?}"),
            BrokerError::TopicExists { topic } => write!(f, "topic {topic:?} already exists"),
            BrokerError::TopicCollision { topic, existing } => write!(
                f,
                "topic {topic:?} collides with existing topic {existing:?} \
                 ('.' and '_' are the same in topic metric names)"
            ),
            BrokerError::InvalidName { name } => write!(f, "invalid name {name:?}"),
            BrokerError::InvalidPartitionCount { topic, partitions } => {
                write!(
                    f,
                    "invalid partition count {partitions} for topic {topic:?}"
                )
            }
            BrokerError::UnknownPartition { topic, partition } => {
                write!(f, "unknown partition {topic}-{partition}")
            }
            BrokerError::UnknownGroup { group } => write!(f, "unknown consumer group {group:?}"),
            BrokerError::GroupExists { group } => {
                write!(f, "consumer group {group:?} already exists")
            }
            BrokerError::InvalidGroupConfig { group, reason } => {
                write!(f, "invalid config for group {group:?}: {reason}")
            }
            BrokerError::UnknownMember { member } => write!(f, "unknown member {}", member.0),
            BrokerError::MemberNotActive { member } => {
                write!(f, "member {} is not active", member.0)
            }
            BrokerError::NotAssigned {
                member,
                topic,
                partition,
            } => {
                write!(f, "member {} is not assigned {topic}-{partition}", member.0)
            }
            BrokerError::UnknownDelivery { delivery } => {
                write!(f, "unknown delivery {}", delivery.0)
            }
            BrokerError::UnknownProducer { producer } => {
                write!(f, "unknown producer {}", producer.0)
            }
            BrokerError::NoOpenTransaction { producer } => {
                write!(f, "producer {} has no open transaction", producer.0)
            }
            BrokerError::TransactionAlreadyOpen { producer } => {
                write!(f, "producer {} already has an open transaction", producer.0)
            }
            BrokerError::RecordTooLarge { size, max } => {
                write!(f, "record of {size} bytes exceeds {max}")
            }
            BrokerError::OffsetOutOfRange {
                topic,
                partition,
                offset,
            } => {
                write!(f, "offset {offset} out of range for {topic}-{partition}")
            }
        }
    }
}

impl std::error::Error for BrokerError {}

/// Checks a topic or group name the way Kafka checks topic names.
pub fn validate_name(name: &str) -> Result<(), BrokerError> {
    let ok = !name.is_empty()
        && name.len() <= 249
        && name != "."
        && name != ".."
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(BrokerError::InvalidName {
            name: name.to_string(),
        })
    }
}

/// Kafka's topic collision rule: two names collide when they are equal once every `.` is
/// read as `_` (metric names use `_` for both).
pub fn topic_names_collide(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .all(|(x, y)| x == y || matches!((x, y), (b'.', b'_') | (b'_', b'.')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_kafka_rules() {
        assert!(validate_name("orders.v1_x-y").is_ok());
        for bad in ["", ".", "..", "a b", "é", &"x".repeat(250)] {
            assert_eq!(
                validate_name(bad),
                Err(BrokerError::InvalidName {
                    name: bad.to_string()
                })
            );
        }
        assert!(validate_name(&"x".repeat(249)).is_ok());
    }

    #[test]
    fn dot_and_underscore_collide() {
        assert!(topic_names_collide("orders.v1", "orders_v1"));
        assert!(topic_names_collide("a_b.c", "a.b_c"));
        assert!(topic_names_collide("same", "same"));
        assert!(!topic_names_collide("orders-v1", "orders_v1"));
        assert!(!topic_names_collide("orders.v1", "orders.v2"));
        assert!(!topic_names_collide("orders.v1", "orders.v1x"));
    }

    #[test]
    fn errors_display_their_data() {
        let e = BrokerError::UnknownPartition {
            topic: "t".into(),
            partition: 7,
        };
        assert_eq!(e.to_string(), "unknown partition t-7");
    }

    #[test]
    fn record_header_lookup() {
        let r = Record {
            offset: 0,
            timestamp: 0,
            key: None,
            value: vec![],
            headers: vec![Header {
                name: "a".into(),
                value: "1".into(),
            }],
            producer: None,
        };
        assert_eq!(r.header("a"), Some("1"));
        assert_eq!(r.header("b"), None);
    }
}
