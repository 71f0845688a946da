//! An append-mostly list cheap to clone: the run's records (event log, hops, messages, lag
//! samples) are kept in chunks shared between a run and its checkpoints.
//!
//! Full blocks of chunks are shared too: a clone copies one pointer per full block and per
//! chunk of the block being filled, so a checkpoint costs about the same early in a run as an
//! hour into it. A chunk or block shared with a clone is copied the first time it is changed
//! (the last chunk on the next push, earlier ones when something is inserted into them), so a
//! checkpoint of a long run costs about a chunk per list instead of the whole history.

mod block;
mod iter;

use block::Block;
pub use iter::Iter;
use std::{
    fmt,
    ops::{Index, Range},
    sync::Arc,
};

/// Elements per chunk: big enough that a long run has few chunks, small enough that copying
/// the one shared chunk a clone changes is cheap.
const CHUNK: usize = 256;
/// Chunks per block: a clone copies a pointer per block, and its next push copies a block's
/// list of chunks.
const BLOCK: usize = 256;

/// A list kept in shared chunks; reads like a slice (`len`, `get`, `iter`, `range`).
pub struct History<T> {
    /// The full blocks, in order, shared between clones.
    sealed: Vec<Arc<Block<T>>>,
    /// Per sealed block: the index one past its last element.
    ends: Vec<usize>,
    /// The chunks after the sealed blocks, fewer than a block's worth: the list's own (a clone
    /// copies its pointers), so a push changes no shared block, only the last chunk.
    open: Block<T>,
    /// True while nothing was inserted: every chunk but the last holds [`CHUNK`] elements and
    /// every block [`BLOCK`] chunks, so an element is found by arithmetic.
    dense: bool,
}

impl<T> Default for History<T> {
    fn default() -> Self {
        History::new()
    }
}

impl<T> Clone for History<T> {
    fn clone(&self) -> Self {
        History {
            sealed: self.sealed.clone(),
            ends: self.ends.clone(),
            open: self.open.clone(),
            dense: self.dense,
        }
    }
}

impl<T> History<T> {
    /// An empty list.
    pub const fn new() -> Self {
        History {
            sealed: Vec::new(),
            ends: Vec::new(),
            open: Block::new(),
            dense: true,
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.sealed_len() + self.open.len()
    }

    /// True when there is no element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Elements in the sealed blocks.
    fn sealed_len(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    /// Block `b`: a sealed one, or the open one after them.
    fn block(&self, b: usize) -> &Block<T> {
        self.sealed.get(b).map_or(&self.open, |block| block)
    }

    /// Block `b`, to change (a sealed one is copied first when shared).
    fn block_mut(&mut self, b: usize) -> &mut Block<T>
    where
        T: Clone,
    {
        match self.sealed.get_mut(b) {
            Some(block) => Arc::make_mut(block),
            None => &mut self.open,
        }
    }

    /// The block, chunk and place in the chunk of element `i`.
    fn locate(&self, i: usize) -> Option<(usize, usize, usize)> {
        if i >= self.len() {
            return None;
        }
        if self.dense {
            let within = i % (CHUNK * BLOCK);
            return Some((i / (CHUNK * BLOCK), within / CHUNK, within % CHUNK));
        }
        let b = self.ends.partition_point(|&end| end <= i);
        let start = if b == 0 { 0 } else { self.ends[b - 1] };
        let (c, k) = self.block(b).locate(i - start);
        Some((b, c, k))
    }

    /// The element at `i`.
    pub fn get(&self, i: usize) -> Option<&T> {
        let (b, c, k) = self.locate(i)?;
        self.block(b).chunks.get(c)?.get(k)
    }

    /// The first element.
    pub fn first(&self) -> Option<&T> {
        self.block(0).chunks.first()?.first()
    }

    /// The last element.
    pub fn last(&self) -> Option<&T> {
        match self.open.chunks.last() {
            Some(chunk) => chunk.last(),
            None => self.sealed.last()?.chunks.last()?.last(),
        }
    }

    /// Every element, in order.
    pub fn iter(&self) -> Iter<'_, T> {
        self.range(0..self.len())
    }

    /// The elements at `range` (clamped to the list).
    pub fn range(&self, range: Range<usize>) -> Iter<'_, T> {
        let end = range.end.min(self.len());
        let start = range.start.min(end);
        let mut it = Iter {
            blocks: [].iter(),
            front_chunks: [].iter(),
            back_chunks: [].iter(),
            front: [].iter(),
            back: [].iter(),
            left: end - start,
        };
        let (Some((fb, fc, fk)), Some((bb, bc, bk))) =
            (self.locate(start), self.locate(end.max(1) - 1))
        else {
            return it;
        };
        if start == end {
            return it;
        }
        let (first, last) = (self.block(fb), self.block(bb));
        if (fb, fc) == (bb, bc) {
            it.front = first.chunks[fc][fk..=bk].iter();
        } else if fb == bb {
            it.front = first.chunks[fc][fk..].iter();
            it.front_chunks = first.chunks[fc + 1..bc].iter();
            it.back = first.chunks[bc][..=bk].iter();
        } else {
            // Blocks between two others are sealed ones: the open block is the last.
            it.front = first.chunks[fc][fk..].iter();
            it.front_chunks = first.chunks[fc + 1..].iter();
            it.blocks = self.sealed[fb + 1..bb].iter();
            it.back_chunks = last.chunks[..bc].iter();
            it.back = last.chunks[bc][..=bk].iter();
        }
        it
    }

    /// The index of the first element for which `pred` is false, the list being partitioned
    /// by it (all true, then all false), as [`slice::partition_point`].
    pub fn partition_point(&self, mut pred: impl FnMut(&T) -> bool) -> usize {
        let b = self.sealed.partition_point(|block| {
            block
                .chunks
                .last()
                .and_then(|c| c.last())
                .is_some_and(&mut pred)
        });
        let block = self.block(b);
        let c = block
            .chunks
            .partition_point(|chunk| chunk.last().is_some_and(&mut pred));
        let start = if b == 0 { 0 } else { self.ends[b - 1] };
        let within = if c == 0 { 0 } else { block.ends[c - 1] };
        start
            + within
            + block
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
        if !self.open.has_room() {
            let full = std::mem::replace(&mut self.open, Block::new());
            self.ends.push(self.sealed_len() + full.len());
            self.sealed.push(Arc::new(full));
        }
        self.open.push(value);
    }

    /// Inserts an element at `i` (clamped to the end); only the chunk it lands in (and its
    /// block) is changed, which may grow past [`CHUNK`] elements.
    pub fn insert(&mut self, i: usize, value: T)
    where
        T: Clone,
    {
        let Some((b, c, k)) = self.locate(i) else {
            self.push(value);
            return;
        };
        self.dense = false;
        let block = self.block_mut(b);
        Arc::make_mut(&mut block.chunks[c]).insert(k, value);
        for end in &mut block.ends[c..] {
            *end += 1;
        }
        for end in self.ends.iter_mut().skip(b) {
            *end += 1;
        }
    }

    /// The element at `i`, to change (its chunk and a sealed block are copied first when
    /// shared).
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T>
    where
        T: Clone,
    {
        let (b, c, k) = self.locate(i)?;
        Arc::make_mut(self.block_mut(b).chunks.get_mut(c)?).get_mut(k)
    }

    /// The list as its chunks, for freeing a chunk at a time: a block a clone shares goes as
    /// a whole (dropping it only lets go of the share).
    pub fn into_chunks(self) -> Vec<Arc<Vec<T>>> {
        let mut chunks = Vec::new();
        for block in self.sealed {
            if let Ok(block) = Arc::try_unwrap(block) {
                chunks.extend(block.chunks);
            }
        }
        chunks.extend(self.open.chunks);
        chunks
    }

    /// Approximate bytes this list holds on its own: the chunks no clone shares, plus the
    /// chunk and block indexes (a shared chunk or block is counted by none of its holders).
    pub fn unshared_bytes(&self) -> usize {
        let own: usize = self
            .sealed
            .iter()
            .filter(|b| Arc::strong_count(b) == 1)
            .map(|b| b.unshared_bytes())
            .sum();
        own + self.open.unshared_bytes()
            + self.sealed.capacity() * std::mem::size_of::<Arc<Block<T>>>()
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
    fn reads_and_inserts_across_blocks() {
        let n = CHUNK * BLOCK * 2 + CHUNK + 9;
        let mut h: History<usize> = (0..n).collect();
        assert_eq!(h.sealed.len(), 2);
        let span = CHUNK * BLOCK;
        for (a, b) in [
            (span - 3, span + 3),
            (5, span * 2 + 4),
            (span, span * 2),
            (n - 2, n + 5),
        ] {
            let want: Vec<usize> = (a..b.min(n)).collect();
            assert_eq!(h.range(a..b).copied().collect::<Vec<_>>(), want, "{a}..{b}");
            let mut back: Vec<usize> = h.range(a..b).rev().copied().collect();
            back.reverse();
            assert_eq!(back, want, "{a}..{b} backwards");
        }
        let mut both = h.range(span - 2..span + 2);
        assert_eq!(
            (both.next(), both.next_back(), both.next(), both.next_back()),
            (
                Some(&(span - 2)),
                Some(&(span + 1)),
                Some(&(span - 1)),
                Some(&span)
            )
        );
        assert_eq!(both.next(), None);
        assert_eq!(h.partition_point(|&x| x < span + 7), span + 7);
        assert_eq!(h.partition_point(|&x| x < span), span);
        let copy = h.clone();
        h.insert(span + 1, 0);
        *h.get_mut(span * 2 + 1).unwrap() = 1;
        h.push(2);
        assert_eq!(
            (h.get(span + 1), h.get(span + 2)),
            (Some(&0), Some(&(span + 1)))
        );
        assert_eq!(h.get(span * 2 + 1), Some(&1));
        assert_eq!((h.len(), h.last()), (n + 2, Some(&2)));
        assert_eq!(copy.to_vec(), (0..n).collect::<Vec<_>>());
        let mut want: Vec<usize> = (0..n).collect();
        want.insert(span + 1, 0);
        want[span * 2 + 1] = 1;
        want.push(2);
        assert_eq!(h.to_vec(), want);
        for (a, b) in [(span - 3, span + 3), (5, span * 2 + 4), (n - 2, n + 5)] {
            let got: Vec<usize> = h.range(a..b).copied().collect();
            assert_eq!(got, want[a..b.min(want.len())], "{a}..{b} after an insert");
        }
        // The first block is still shared, its chunks counted by neither list.
        assert!(Arc::ptr_eq(&h.sealed[0], &copy.sealed[0]));
        assert!(h.unshared_bytes() < (n / 2) * std::mem::size_of::<usize>());
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
