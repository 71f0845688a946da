//! Limits on what a board may say, shared by editing, loading and running.

/// Most partitions a topic may declare. The broker refuses more (its own limit,
/// `broker::cluster::MAX_PARTITIONS`, must stay at least this).
pub const MAX_PARTITIONS: u32 = 10_000;
