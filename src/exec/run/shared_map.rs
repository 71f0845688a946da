//! A hash map cheap to clone: the run's bookkeeping per entity and per flow (versions saved and
//! applied, passes through policies, compensations) grows with the run, and a checkpoint must
//! not copy it whole.
//!
//! The entries live in shards shared between a run and its checkpoints. A clone copies one
//! pointer per shard; a shared shard is copied the first time it is changed, so the cost of a
//! checkpoint is spread over the steps after it, a small shard at a time.

use std::{
    collections::HashMap,
    hash::{DefaultHasher, Hash, Hasher},
    sync::Arc,
};

/// Shards per map: enough that copying one after a checkpoint is a small step.
const SHARDS: usize = 64;

/// A hash map in shards shared between clones.
#[derive(Clone, Debug)]
pub(crate) struct SharedMap<K, V> {
    /// The shards; a key always lives in the shard its hash picks.
    shards: Vec<Arc<HashMap<K, V>>>,
}

impl<K: Hash + Eq + Clone, V: Clone> Default for SharedMap<K, V> {
    fn default() -> Self {
        SharedMap {
            shards: (0..SHARDS).map(|_| Arc::new(HashMap::new())).collect(),
        }
    }
}

impl<K: Hash + Eq + Clone, V: Clone> SharedMap<K, V> {
    /// The shard of a key (the same in every clone and every process).
    fn shard(key: &K) -> usize {
        let mut h = DefaultHasher::new();
        key.hash(&mut h);
        (h.finish() % SHARDS as u64) as usize
    }

    /// The value of a key.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        self.shards[Self::shard(key)].get(key)
    }

    /// True when the key has a value.
    pub(crate) fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    /// Sets a value; returns the one it replaces.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        Arc::make_mut(&mut self.shards[Self::shard(&key)]).insert(key, value)
    }

    /// The value of a key, set to `default` first when it has none.
    pub(crate) fn get_or_insert(&mut self, key: K, default: V) -> &mut V {
        Arc::make_mut(&mut self.shards[Self::shard(&key)])
            .entry(key)
            .or_insert(default)
    }

    /// Entries in all shards.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.shards.iter().map(|s| s.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_like_a_map() {
        let mut m = SharedMap::default();
        assert_eq!(m.insert((1u32, 7u64), 3u64), None);
        assert_eq!(m.insert((1, 7), 4), Some(3));
        *m.get_or_insert((2, 9), 0) += 5;
        *m.get_or_insert((2, 9), 0) += 1;
        assert_eq!(m.get(&(1, 7)), Some(&4));
        assert_eq!(m.get(&(2, 9)), Some(&6));
        assert!(!m.contains_key(&(3, 0)));
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn a_clone_keeps_its_values_while_the_original_changes() {
        let mut a = SharedMap::default();
        for i in 0..1_000u64 {
            a.insert(i, i);
        }
        let b = a.clone();
        for i in 0..1_000u64 {
            a.insert(i, i + 1);
        }
        a.insert(5_000, 1);
        assert!((0..1_000u64).all(|i| b.get(&i) == Some(&i) && a.get(&i) == Some(&(i + 1))));
        assert!(!b.contains_key(&5_000));
        assert_eq!(b.len(), 1_000);
        assert_eq!(a.len(), 1_001);
    }
}
