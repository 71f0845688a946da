//! A vector cheap to clone, for the cluster's state kept per partition: a caller may keep many
//! clones of a cluster (to go back in time), and a topic may have thousands of partitions.
//!
//! The elements live in shards of [`SHARD`] shared between a vector and its clones. A clone
//! copies one pointer per shard; a shared shard is copied the first time one of its elements
//! is changed, so the cost of a clone is spread over the steps after it, a small shard at a
//! time.

use std::{
    ops::{Index, IndexMut},
    sync::Arc,
};

/// Elements per shard: a clone of a thousand partitions copies a few dozen pointers, and
/// changing one partition afterwards copies this many.
pub const SHARD: usize = 16;

/// A vector in shards shared between clones; reads like a slice (`len`, `get`, `iter`, `[i]`).
#[derive(Debug)]
pub struct SharedVec<T> {
    /// The shards, in order; every one holds [`SHARD`] elements but the last, which is not
    /// empty.
    shards: Vec<Arc<Vec<T>>>,
    /// Number of elements.
    len: usize,
}

impl<T> Clone for SharedVec<T> {
    fn clone(&self) -> Self {
        SharedVec {
            shards: self.shards.clone(),
            len: self.len,
        }
    }
}

impl<T> Default for SharedVec<T> {
    fn default() -> Self {
        SharedVec::new()
    }
}

impl<T> SharedVec<T> {
    /// An empty vector.
    pub const fn new() -> Self {
        SharedVec {
            shards: Vec::new(),
            len: 0,
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is no element.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The element at `i`.
    pub fn get(&self, i: usize) -> Option<&T> {
        self.shards.get(i / SHARD)?.get(i % SHARD)
    }

    /// Every element, in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + Clone {
        self.shards.iter().flat_map(|s| s.iter())
    }

    /// Adds an element at the end.
    pub fn push(&mut self, value: T)
    where
        T: Clone,
    {
        match self.shards.last_mut() {
            Some(last) if last.len() < SHARD => Arc::make_mut(last).push(value),
            _ => {
                let mut shard = Vec::with_capacity(SHARD);
                shard.push(value);
                self.shards.push(Arc::new(shard));
            }
        }
        self.len += 1;
    }

    /// The element at `i`, to change (its shard is copied first when shared).
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T>
    where
        T: Clone,
    {
        Arc::make_mut(self.shards.get_mut(i / SHARD)?).get_mut(i % SHARD)
    }

    /// The shards, to free one at a time (a shard still shared with a clone is not freed).
    pub fn into_shards(self) -> impl Iterator<Item = Arc<Vec<T>>> {
        self.shards.into_iter()
    }
}

impl<T: Clone> Extend<T> for SharedVec<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for v in iter {
            self.push(v);
        }
    }
}

impl<T: Clone> FromIterator<T> for SharedVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut v = SharedVec::new();
        v.extend(iter);
        v
    }
}

impl<T> Index<usize> for SharedVec<T> {
    type Output = T;

    /// The element at `i`; like a slice, panics when `i` is out of range.
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(v) => v,
            None => panic!("index {i} out of range for {} elements", self.len),
        }
    }
}

impl<T: Clone> IndexMut<usize> for SharedVec<T> {
    /// The element at `i`, to change (its shard is copied first when shared); panics when `i`
    /// is out of range.
    fn index_mut(&mut self, i: usize) -> &mut T {
        let len = self.len;
        match self.get_mut(i) {
            Some(v) => v,
            None => panic!("index {i} out of range for {len} elements"),
        }
    }
}

impl<'a, T> IntoIterator for &'a SharedVec<T> {
    type Item = &'a T;
    type IntoIter = std::iter::FlatMap<
        std::slice::Iter<'a, Arc<Vec<T>>>,
        std::slice::Iter<'a, T>,
        fn(&'a Arc<Vec<T>>) -> std::slice::Iter<'a, T>,
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.shards.iter().flat_map(|s| s.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_like_a_vector_across_shards() {
        let n = SHARD * 3 + 5;
        let mut v: SharedVec<usize> = (0..n).collect();
        assert_eq!(v.len(), n);
        assert_eq!(
            v.iter().copied().collect::<Vec<_>>(),
            (0..n).collect::<Vec<_>>()
        );
        assert_eq!(v.iter().next_back(), Some(&(n - 1)));
        assert_eq!(v[SHARD], SHARD);
        assert_eq!(v.get(n), None);
        v[SHARD + 1] = 7;
        *v.get_mut(2).unwrap() += 10;
        v.extend([1, 2]);
        assert_eq!((v[SHARD + 1], v[2], v.len()), (7, 12, n + 2));
        assert_eq!(v[n + 1], 2);
        assert_eq!((&v).into_iter().count(), n + 2);
    }

    #[test]
    fn a_clone_shares_shards_and_changes_stay_apart() {
        let mut a: SharedVec<u32> = (0..(SHARD as u32 * 4)).collect();
        let b = a.clone();
        a[1] = 100;
        a.push(9);
        assert_eq!((b[1], a[1]), (1, 100));
        assert_eq!((b.len(), a.len()), (SHARD * 4, SHARD * 4 + 1));
        // Only the shard changed was copied; the others are still shared.
        let shared = (0..4)
            .filter(|&s| Arc::ptr_eq(&a.shards[s], &b.shards[s]))
            .count();
        assert_eq!(shared, 3);
    }
}
