//! A run of consecutive chunks of a [`History`](super::History), shared between clones as a
//! whole.

use super::{BLOCK, CHUNK};
use std::sync::Arc;

/// Consecutive chunks of a [`History`](super::History).
pub(super) struct Block<T> {
    /// The chunks, in order; none is empty.
    pub(super) chunks: Vec<Arc<Vec<T>>>,
    /// Per chunk: the index one past its last element, counted from the block's start.
    pub(super) ends: Vec<usize>,
}

impl<T> Clone for Block<T> {
    fn clone(&self) -> Self {
        Block {
            chunks: self.chunks.clone(),
            ends: self.ends.clone(),
        }
    }
}

impl<T> Block<T> {
    /// An empty block.
    pub(super) const fn new() -> Self {
        Block {
            chunks: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// Number of elements.
    pub(super) fn len(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    /// True when a push fits in (its last chunk or a new one).
    pub(super) fn has_room(&self) -> bool {
        self.chunks.len() < BLOCK || self.chunks.last().is_some_and(|c| c.len() < CHUNK)
    }

    /// The chunk holding element `i` of the block, and where in it.
    pub(super) fn locate(&self, i: usize) -> (usize, usize) {
        let c = self.ends.partition_point(|&end| end <= i);
        let start = if c == 0 { 0 } else { self.ends[c - 1] };
        (c, i - start)
    }

    /// Adds an element at the end.
    pub(super) fn push(&mut self, value: T)
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

    /// Approximate bytes held by the chunks no clone shares, and the chunk index.
    pub(super) fn unshared_bytes(&self) -> usize {
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
