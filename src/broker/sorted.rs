//! Small ordered maps and sets kept as sorted vectors.
//!
//! The broker's bookkeeping (positions, commits, owners, open transactions, ids by name) holds a
//! handful to a few hundred entries and is read far more often than it changes. A sorted vector
//! iterates in key order like `BTreeMap`, so runs stay deterministic, looks keys up by binary
//! search, and costs a fraction of a B-tree's code in the browser download (each `BTreeMap<K, V>`
//! brings its own node splitting, merging and stealing code; this is a search and a `Vec` edit).
//! Inserting or removing in the middle moves the entries after it: large, churning maps (work in
//! flight keyed by sequence number) belong in a hash map, with what is read in order sorted first.

use std::borrow::Borrow;
use std::ops::{Bound, RangeBounds};

/// A map ordered by key, stored as a vector of `(key, value)` sorted by key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap {
            entries: Vec::new(),
        }
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        SortedMap {
            entries: Vec::new(),
        }
    }

    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The value for `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    /// The value for `key`, to change it in place.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(move |i| &mut self.entries[i].1)
    }

    /// True if the map has an entry for `key`.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Sets the value for `key`; returns the value it replaced.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// Removes the entry for `key`; returns its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// The entry for `key`, to read or fill it.
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        let at = self.find(&key);
        Entry { map: self, key, at }
    }

    /// Keeps only the entries for which `keep` is true, in key order.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    /// The entries in key order, their values mutable.
    pub fn iter_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = (&K, &mut V)> + ExactSizeIterator {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The values in key order, taking the map apart.
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }

    /// The entries whose keys fall in `range`, in key order.
    pub fn range<R: RangeBounds<K>>(&self, range: R) -> impl DoubleEndedIterator<Item = (&K, &V)> {
        let start = match range.start_bound() {
            Bound::Included(k) => self.entries.partition_point(|(e, _)| e < k),
            Bound::Excluded(k) => self.entries.partition_point(|(e, _)| e <= k),
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(k) => self.entries.partition_point(|(e, _)| e <= k),
            Bound::Excluded(k) => self.entries.partition_point(|(e, _)| e < k),
            Bound::Unbounded => self.entries.len(),
        };
        self.entries[start..end.max(start)]
            .iter()
            .map(|(k, v)| (k, v))
    }
}

/// One key's place in a [`SortedMap`]: filled or not.
pub struct Entry<'a, K, V> {
    map: &'a mut SortedMap<K, V>,
    key: K,
    at: Result<usize, usize>,
}

impl<'a, K, V> Entry<'a, K, V> {
    /// The value, inserting `value` first if the key had none.
    pub fn or_insert(self, value: V) -> &'a mut V {
        self.or_insert_with(|| value)
    }

    /// The value, inserting `make()` first if the key had none.
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
        let i = match self.at {
            Ok(i) => i,
            Err(i) => {
                self.map.entries.insert(i, (self.key, make()));
                i
            }
        };
        &mut self.map.entries[i].1
    }

    /// The value, inserting the default first if the key had none.
    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }
}

impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> std::ops::Index<&Q> for SortedMap<K, V> {
    type Output = V;

    /// The value for `key`; panics if there is none (as `BTreeMap` does).
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry for the key")
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    /// Later pairs win over earlier ones with the same key, as with `BTreeMap`.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = SortedMap::new();
        map.extend(iter);
        map
    }
}

impl<K: Ord, V> Extend<(K, V)> for SortedMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

/// A set ordered by value, stored as a sorted vector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortedSet<K> {
    map: SortedMap<K, ()>,
}

impl<K> Default for SortedSet<K> {
    fn default() -> Self {
        SortedSet {
            map: SortedMap::default(),
        }
    }
}

impl<K: Ord> SortedSet<K> {
    /// An empty set.
    pub const fn new() -> Self {
        SortedSet {
            map: SortedMap::new(),
        }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True if the set has no members.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Removes every member.
    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// True if `value` is a member.
    pub fn contains<Q: Ord + ?Sized>(&self, value: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.map.contains_key(value)
    }

    /// Adds `value`; false if it was already a member.
    pub fn insert(&mut self, value: K) -> bool {
        self.map.insert(value, ()).is_none()
    }

    /// Removes `value`; false if it was not a member.
    pub fn remove<Q: Ord + ?Sized>(&mut self, value: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.map.remove(value).is_some()
    }

    /// Keeps only the members for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&K) -> bool) {
        self.map.retain(|k, _| keep(k));
    }

    /// The members in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + Clone {
        self.map.keys()
    }

    /// The members that fall in `range`, in order.
    pub fn range<R: RangeBounds<K>>(&self, range: R) -> impl DoubleEndedIterator<Item = &K> {
        self.map.range(range).map(|(k, _)| k)
    }
}

impl<K: Ord> FromIterator<K> for SortedSet<K> {
    fn from_iter<I: IntoIterator<Item = K>>(iter: I) -> Self {
        let mut set = SortedSet::new();
        set.extend(iter);
        set
    }
}

impl<K: Ord> Extend<K> for SortedSet<K> {
    fn extend<I: IntoIterator<Item = K>>(&mut self, iter: I) {
        for k in iter {
            self.insert(k);
        }
    }
}

impl<K> IntoIterator for SortedSet<K> {
    type Item = K;
    type IntoIter = std::iter::Map<std::vec::IntoIter<(K, ())>, fn((K, ())) -> K>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.entries.into_iter().map(|(k, _)| k)
    }
}

impl<'a, K> IntoIterator for &'a SortedSet<K> {
    type Item = &'a K;
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, ())>, fn(&'a (K, ())) -> &'a K>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.entries.iter().map(|(k, _)| k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// A little deterministic generator, so the comparison below covers many operation mixes.
    fn lcg(state: &mut u64) -> u64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *state >> 33
    }

    #[test]
    fn behaves_like_btreemap_under_random_edits() {
        for seed in 0..50u64 {
            let mut s = seed;
            let mut ours: SortedMap<(u32, u32), u64> = SortedMap::new();
            let mut model: BTreeMap<(u32, u32), u64> = BTreeMap::new();
            for step in 0..400 {
                let key = ((lcg(&mut s) % 4) as u32, (lcg(&mut s) % 16) as u32);
                match lcg(&mut s) % 6 {
                    0 | 1 => assert_eq!(ours.insert(key, step), model.insert(key, step)),
                    2 => assert_eq!(ours.remove(&key), model.remove(&key)),
                    3 => {
                        *ours.entry(key).or_insert(7) += 1;
                        *model.entry(key).or_insert(7) += 1;
                    }
                    4 => {
                        let limit = lcg(&mut s);
                        ours.retain(|_, v| *v % 3 != limit % 3);
                        model.retain(|_, v| *v % 3 != limit % 3);
                    }
                    _ => assert_eq!(ours.get(&key), model.get(&key)),
                }
                assert_eq!(ours.len(), model.len());
            }
            assert!(ours.iter().eq(model.iter()));
            assert!(ours.values().eq(model.values()));
        }
    }

    #[test]
    fn ranges_match_btreemap() {
        let keys = [(0u32, 1u64), (0, 5), (1, 0), (1, 3), (1, 9), (2, 2)];
        let ours: SortedMap<_, _> = keys.iter().map(|k| (*k, k.1)).collect();
        let model: BTreeMap<_, _> = keys.iter().map(|k| (*k, k.1)).collect();
        let probes = [(0u32, 0u64), (0, 5), (1, 3), (1, 4), (3, 0)];
        for a in probes {
            for b in probes.iter().copied().filter(|b| *b >= a) {
                assert!(ours
                    .range(a..b)
                    .map(|(k, _)| *k)
                    .eq(model.range(a..b).map(|(k, _)| *k)));
                assert!(ours
                    .range(a..=b)
                    .map(|(k, _)| *k)
                    .eq(model.range(a..=b).map(|(k, _)| *k)));
                assert!(ours
                    .range(..b)
                    .map(|(k, _)| *k)
                    .eq(model.range(..b).map(|(k, _)| *k)));
                assert!(ours
                    .range(a..)
                    .map(|(k, _)| *k)
                    .eq(model.range(a..).map(|(k, _)| *k)));
            }
        }
    }

    #[test]
    fn sets_keep_order_and_membership() {
        let mut ours = SortedSet::new();
        let mut model = BTreeSet::new();
        for v in [5u32, 1, 9, 1, 3, 9, 0] {
            assert_eq!(ours.insert(v), model.insert(v));
        }
        assert!(ours.remove(&9) && !ours.remove(&9));
        model.remove(&9);
        assert!(ours.iter().eq(model.iter()));
        assert!(ours.contains(&3) && !ours.contains(&4));
        ours.retain(|v| v % 3 != 0);
        model.retain(|v| v % 3 != 0);
        assert!(ours.iter().eq(model.iter()));
        let names: SortedMap<String, u32> = [("b".to_string(), 2), ("a".to_string(), 1)]
            .into_iter()
            .collect();
        assert_eq!(names.get("a"), Some(&1));
        assert_eq!(names.keys().cloned().collect::<Vec<_>>(), ["a", "b"]);
    }
}
