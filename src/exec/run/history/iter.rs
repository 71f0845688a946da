//! Walking a [`History`](super::History) forwards and backwards, chunk by chunk.

use super::Block;
use std::{iter::FusedIterator, slice, sync::Arc};

/// The elements of a [`History`](super::History), in order (also backwards).
pub struct Iter<'a, T> {
    /// Whole blocks between the front block and the back block.
    pub(super) blocks: slice::Iter<'a, Arc<Block<T>>>,
    /// Whole chunks left of the block at the front.
    pub(super) front_chunks: slice::Iter<'a, Arc<Vec<T>>>,
    /// Whole chunks left of the block at the back.
    pub(super) back_chunks: slice::Iter<'a, Arc<Vec<T>>>,
    /// What is left of the front chunk.
    pub(super) front: slice::Iter<'a, T>,
    /// What is left of the back chunk.
    pub(super) back: slice::Iter<'a, T>,
    /// Elements left.
    pub(super) left: usize,
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Iter {
            blocks: self.blocks.clone(),
            front_chunks: self.front_chunks.clone(),
            back_chunks: self.back_chunks.clone(),
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
            if let Some(c) = self.front_chunks.next() {
                self.front = c.iter();
            } else if let Some(b) = self.blocks.next() {
                self.front_chunks = b.chunks.iter();
            } else if let Some(c) = self.back_chunks.next() {
                self.front = c.iter();
            } else {
                let v = self.back.next()?;
                self.left -= 1;
                return Some(v);
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
            if let Some(c) = self.back_chunks.next_back() {
                self.back = c.iter();
            } else if let Some(b) = self.blocks.next_back() {
                self.back_chunks = b.chunks.iter();
            } else if let Some(c) = self.front_chunks.next_back() {
                self.back = c.iter();
            } else {
                let v = self.front.next_back()?;
                self.left -= 1;
                return Some(v);
            }
        }
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}
impl<T> FusedIterator for Iter<'_, T> {}
