//! The hash maps and sets of the crate: the standard library's, with a small deterministic
//! hasher instead of the default one. Keys are the board's own ids and indices, not input an
//! attacker picks to collide, and the browser build carries one hasher, not SipHash per map.

/// A hash map with the crate's hasher.
pub type HashMap<K, V> = std::collections::HashMap<K, V, rustc_hash::FxBuildHasher>;
/// A hash set with the crate's hasher.
pub type HashSet<T> = std::collections::HashSet<T, rustc_hash::FxBuildHasher>;
