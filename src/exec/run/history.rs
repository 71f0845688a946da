//! An append-mostly list cheap to clone: the run's records (event log, hops, messages, lag
//! samples) are kept in chunks shared between a run and its checkpoints.
//!
//! A clone copies one pointer per chunk, not the elements. A chunk shared with a clone is
//! copied the first time it is changed (the last chunk on the next push, an earlier one when
//! something is inserted into it), so a checkpoint of a long run costs about one chunk per
//! list instead of the whole history.

use std::{
    fmt,
    iter::FusedIterator,
    ops::{Index, Range},
    slice,
    sync::Arc,
};

/// Elements per chunk: big enough that a long run has few chunks, small enough that copying
/// the one shared chunk a clone changes is cheap.
const CHUNK: usize = 256;

/// A list kept in shared chunks; reads like a slice (`len`, `get`, `iter`, `range`).
pub struct History<T> {
    /// The chunks, in order; none is empty.
    chunks: Vec<Arc<Vec<T>>>,
    /// Per chunk: the index one past its last element.
    ends: Vec<usize>,
}

impl<T> Default for History<T> {
    fn default() -> Self {
        History::new()
    }
}

impl<T> Clone for History<T> {
    fn clone(&self) -> Self {
        History {
            chunks: self.chunks.clone(),
            ends: self.ends.clone(),
        }
    }
}

impl<T> History<T> {
    /// An empty list.
    pub const fn new() -> Self {
        History {
            chunks: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    /// True when there is no element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The chunk holding element `i`, and where in it.
    fn locate(&self, i: usize) -> Option<(usize, usize)> {
        if i >= self.len() {
            return None;
        }
        let c = self.ends.partition_point(|&end| end <= i);
        let start = if c == 0 { 0 } else { self.ends[c - 1] };
        Some((c, i - start))
    }

    /// The element at `i`.
    pub fn get(&self, i: usize) -> Option<&T> {
        let (c, k) = self.locate(i)?;
        self.chunks.get(c)?.get(k)
    }

    /// The first element.
    pub fn first(&self) -> Option<&T> {
        self.chunks.first().and_then(|c| c.first())
    }

    /// The last element.
    pub fn last(&self) -> Option<&T> {
        self.chunks.last().and_then(|c| c.last())
    }

    /// Every element, in order.
    pub fn iter(&self) -> Iter<'_, T> {
        self.range(0..self.len())
    }

    /// The elements at `range` (clamped to the list).
    pub fn range(&self, range: Range<usize>) -> Iter<'_, T> {
        let end = range.end.min(self.len());
        let start = range.start.min(end);
        let empty = Iter {
            chunks: [].iter(),
            front: [].iter(),
            back: [].iter(),
            left: 0,
        };
        let (Some((fc, fk)), Some((bc, bk))) = (self.locate(start), self.locate(end.max(1) - 1))
        else {
            return empty;
        };
        if start == end {
            return empty;
        }
        let left = end - start;
        if fc == bc {
            return Iter {
                chunks: [].iter(),
                front: self.chunks[fc][fk..=bk].iter(),
                back: [].iter(),
                left,
            };
        }
        Iter {
            chunks: self.chunks[fc + 1..bc].iter(),
            front: self.chunks[fc][fk..].iter(),
            back: self.chunks[bc][..=bk].iter(),
            left,
        }
    }

    /// The index of the first element for which `pred` is false, the list being partitioned
    /// by it (all true, then all false), as [`slice::partition_point`].
    pub fn partition_point(&self, mut pred: impl FnMut(&T) -> bool) -> usize {
        let c = self
            .chunks
            .partition_point(|chunk| chunk.last().is_some_and(&mut pred));
        let start = if c == 0 { 0 } else { self.ends[c - 1] };
        start
            + self
                .chunks
                .get(c)
                .map_or(0, |chunk| chunk.partition_point(pred))
    }

    /// The elements copied into a vector.
    pub fn to_vec(&self) -> Vec<T>
    where
        T: Clone,
    {
        self.iter().cloned().collect()
    }

    /// Adds an element at the end.
    pub fn push(&mut self, value: T)
    where
        T: Clone,
    {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => Arc::make_mut(last).push(value),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(value);
                self.chunks.push(Arc::new(chunk));
                self.ends.push(self.len());
            }
        }
        if let Some(end) = self.ends.last_mut() {
            *end += 1;
        }
    }

    /// Inserts an element at `i` (clamped to the end); only the chunk it lands in is changed,
    /// which may grow past [`CHUNK`] elements.
    pub fn insert(&mut self, i: usize, value: T)
    where
        T: Clone,
    {
        let Some((c, k)) = self.locate(i) else {
            self.push(value);
            return;
        };
        Arc::make_mut(&mut self.chunks[c]).insert(k, value);
        for end in &mut self.ends[c..] {
            *end += 1;
        }
    }

    /// The element at `i`, to change (its chunk is copied first when shared).
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T>
    where
        T: Clone,
    {
        let (c, k) = self.locate(i)?;
        Arc::make_mut(self.chunks.get_mut(c)?).get_mut(k)
    }

    /// Approximate bytes this list holds on its own: the chunks no clone shares, plus the
    /// chunk index (a shared chunk is counted by none of its holders).
    pub fn unshared_bytes(&self) -> usize {
        let own: usize = self
            .chunks
            .iter()
            .filter(|c| Arc::strong_count(c) == 1)
            .map(|c| c.capacity() * std::mem::size_of::<T>())
            .sum();
        own + self.chunks.capacity() * std::mem::size_of::<Arc<Vec<T>>>()
            + self.ends.capacity() * std::mem::size_of::<usize>()
    }
}

impl<T> Index<usize> for History<T> {
    type Output = T;

    /// The element at `i`; like a slice, panics when `i` is out of range (use [`History::get`]
    /// when it may be).
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(v) => v,
            None => panic!("index {i} out of range for a history of {}", self.len()),
        }
    }
}

impl<T: PartialEq> PartialEq for History<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: PartialEq> PartialEq<[T]> for History<T> {
    fn eq(&self, other: &[T]) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: fmt::Debug> fmt::Debug for History<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Clone> FromIterator<T> for History<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut h = History::new();
        for v in iter {
            h.push(v);
        }
        h
    }
}

impl<'a, T> IntoIterator for &'a History<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

/// The elements of a [`History`], in order (also backwards).
pub struct Iter<'a, T> {
    /// Whole chunks between the front and the back.
    chunks: slice::Iter<'a, Arc<Vec<T>>>,
    /// What is left of the front chunk.
    front: slice::Iter<'a, T>,
    /// What is left of the back chunk.
    back: slice::Iter<'a, T>,
    /// Elements left.
    left: usize,
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Iter {
            chunks: self.chunks.clone(),
            front: self.front.clone(),
            back: self.back.clone(),
            left: self.left,
        }
    }
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        loop {
            if let Some(v) = self.front.next() {
                self.left -= 1;
                return Some(v);
            }
            match self.chunks.next() {
                Some(c) => self.front = c.iter(),
                None => {
                    let v = self.back.next()?;
                    self.left -= 1;
                    return Some(v);
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(v) = self.back.next_back() {
                self.left -= 1;
                return Some(v);
            }
            match self.chunks.next_back() {
                Some(c) => self.back = c.iter(),
                None => {
                    let v = self.front.next_back()?;
                    self.left -= 1;
                    return Some(v);
                }
            }
        }
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}
impl<T> FusedIterator for Iter<'_, T> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_a_vector_across_chunks() {
        let n = CHUNK * 3 + 17;
        let h: History<usize> = (0..n).collect();
        let v: Vec<usize> = (0..n).collect();
        assert_eq!(h.len(), n);
        assert_eq!(h.to_vec(), v);
        assert_eq!(h.iter().rev().copied().collect::<Vec<_>>(), {
            let mut r = v.clone();
            r.reverse();
            r
        });
        for (a, b) in [
            (0, 0),
            (5, 9),
            (CHUNK - 1, CHUNK + 1),
            (3, n),
            (n, n + 4),
            (9, 2),
        ] {
            let want: Vec<usize> = v[a.min(n)..b.min(n).max(a.min(n))].to_vec();
            assert_eq!(h.range(a..b).copied().collect::<Vec<_>>(), want, "{a}..{b}");
            assert_eq!(h.range(a..b).len(), want.len());
        }
        assert_eq!(h.get(CHUNK), Some(&CHUNK));
        assert_eq!(h.get(n), None);
        assert_eq!(h.last(), Some(&(n - 1)));
        assert_eq!(h.partition_point(|&x| x < n / 2), n / 2);
        assert_eq!(h.partition_point(|_| true), n);
        assert_eq!(h.partition_point(|_| false), 0);
    }

    #[test]
    fn a_clone_shares_chunks_and_changes_stay_apart() {
        let mut a: History<u32> = (0..(CHUNK as u32 * 2 + 5)).collect();
        let b = a.clone();
        a.push(7);
        a.insert(3, 99);
        if let Some(x) = a.get_mut(CHUNK + 1) {
            *x = 1;
        }
        assert_eq!(b.len(), CHUNK * 2 + 5);
        assert_eq!(b.get(3), Some(&3));
        assert_eq!(b.get(CHUNK + 1), Some(&(CHUNK as u32 + 1)));
        assert_eq!(a.get(3), Some(&99));
        assert_eq!(a.get(4), Some(&3));
        assert_eq!(a.get(CHUNK + 1), Some(&1));
        assert_eq!(a.last(), Some(&7));
        assert_eq!(a.len(), CHUNK * 2 + 7);
    }
}
