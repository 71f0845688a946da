//! A hash map cheap to clone: the run's bookkeeping per entity and per flow (versions saved and
//! applied, passes through policies, compensations) grows with the run, and a checkpoint must
//! not copy it whole.
//!
//! The entries live in small shards shared between a run and its checkpoints, grouped in
//! shared groups. A clone copies one pointer per group; a shared shard (and its group's list
//! of shards) is copied the first time it is changed. Keys land on shards at random, so the
//! steps after a checkpoint copy about one small shard per write: the cost of a checkpoint is
//! spread evenly over many steps, however big the map has grown.

use std::{
    collections::HashMap,
    hash::{BuildHasher, BuildHasherDefault, Hash, Hasher},
    sync::Arc,
};

/// Groups of shards per map: what a clone copies.
const GROUPS: usize = 64;
/// Shards per group: a write after a clone copies a group's list of this many pointers, and
/// one shard, about 1/1024 of the map (more shards would spread the copies thinner, but
/// every lookup would miss the cache more often).
const SHARDS: usize = 16;

/// Where in a key's hash its shard is read: clear of the low bits a shard's table picks its
/// slot with and of the top bits it tags slots with, so a shard's keys still spread in it.
const PLACE_SHIFT: u32 = 40;
/// The odd constant a key's words are multiplied by (FxHash's).
const MIX: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// A hash for the maps' keys (ids, versions, counts: a few integers): a multiply per word,
/// several times cheaper than the standard hash, and the same in every process.
#[derive(Clone, Copy, Default)]
pub(crate) struct KeyHash(u64);

impl KeyHash {
    /// Mixes a word in.
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(MIX);
    }
}

impl Hasher for KeyHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.add(u64::from(*b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

/// One shard: a hash map with [`KeyHash`].
type Shard<K, V> = HashMap<K, V, BuildHasherDefault<KeyHash>>;
/// A group's shards, created on its first write (none before).
type Shards<K, V> = Vec<Arc<Shard<K, V>>>;

/// A hash map in shards shared between clones.
#[derive(Clone, Debug)]
pub(crate) struct SharedMap<K, V> {
    /// The groups of shards; a key always lives in the shard its hash picks.
    groups: Vec<Arc<Shards<K, V>>>,
}

impl<K: Hash + Eq + Clone, V: Clone> Default for SharedMap<K, V> {
    fn default() -> Self {
        SharedMap {
            groups: (0..GROUPS).map(|_| Arc::new(Vec::new())).collect(),
        }
    }
}

impl<K: Hash + Eq + Clone, V: Clone> SharedMap<K, V> {
    /// The group and shard of a key (the same in every clone and every process).
    fn place(key: &K) -> (usize, usize) {
        let h = BuildHasherDefault::<KeyHash>::default().hash_one(key);
        let shard = ((h >> PLACE_SHIFT) % (GROUPS * SHARDS) as u64) as usize;
        (shard / SHARDS, shard % SHARDS)
    }

    /// The value of a key.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        let (g, s) = Self::place(key);
        self.groups[g].get(s)?.get(key)
    }

    /// True when the key has a value.
    pub(crate) fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    /// The shard of a key, to change (copied first when shared, created on the group's first
    /// write).
    fn shard_mut(&mut self, key: &K) -> &mut Shard<K, V> {
        let (g, s) = Self::place(key);
        let group = Arc::make_mut(&mut self.groups[g]);
        if group.is_empty() {
            group.resize_with(SHARDS, || Arc::new(Shard::default()));
        }
        Arc::make_mut(&mut group[s])
    }

    /// Sets a value; returns the one it replaces.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.shard_mut(&key).insert(key, value)
    }

    /// The value of a key, set to `default` first when it has none.
    pub(crate) fn get_or_insert(&mut self, key: K, default: V) -> &mut V {
        self.shard_mut(&key).entry(key).or_insert(default)
    }

    /// The groups of shards, to free one at a time (what a clone still shares is not freed).
    pub(crate) fn into_groups(self) -> impl Iterator<Item = Arc<Shards<K, V>>> {
        self.groups.into_iter()
    }

    /// Entries in all shards.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.groups
            .iter()
            .flat_map(|g| g.iter())
            .map(|s| s.len())
            .sum()
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

    #[test]
    fn a_write_after_a_clone_copies_one_small_shard() {
        let mut a = SharedMap::default();
        for i in 0..10_000u64 {
            a.insert(i, i);
        }
        let b = a.clone();
        a.insert(7, 0);
        let (g, s) = SharedMap::<u64, u64>::place(&7);
        let copied: Vec<(usize, usize)> = (0..GROUPS)
            .flat_map(|g| (0..SHARDS).map(move |s| (g, s)))
            .filter(|&(g, s)| !Arc::ptr_eq(&a.groups[g][s], &b.groups[g][s]))
            .collect();
        assert_eq!(copied, vec![(g, s)]);
        assert!(a.groups[g][s].len() < 10_000 / (GROUPS * SHARDS) * 4);
    }
}
