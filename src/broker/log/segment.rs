//! One segment of a partition log: a dense index (`u32` position per offset) and the encoded
//! records, kept in blocks of [`BLOCK_RECORDS`] shared between clones of the log.
//!
//! A clone of a log shares its segments; the active one is copied when it is next appended to.
//! That copy is of the segment's list of full blocks and of the block being filled only, so a
//! clone costs each partition written afterwards a block, not the records of its whole active
//! segment.

use std::sync::Arc;

/// Records per block: the most a clone's next append to a partition copies.
const BLOCK_RECORDS: usize = 64;

/// Consecutive records of a segment.
#[derive(Clone, Debug, Default)]
struct Block {
    /// Per record: where it starts in `data`.
    pos: Vec<u32>,
    /// The records, encoded one after the other.
    data: Vec<u8>,
}

impl Block {
    /// An empty block with room for a block's worth of records of about `bytes` bytes in all.
    fn with_room(bytes: usize) -> Self {
        Block {
            pos: Vec::with_capacity(BLOCK_RECORDS),
            data: Vec::with_capacity(bytes),
        }
    }

    /// Gives back the room no record will take.
    fn shrink(&mut self) {
        self.data.shrink_to_fit();
        self.pos.shrink_to_fit();
    }

    /// The encoded record at `k`.
    fn slice(&self, k: usize) -> Option<&[u8]> {
        let start = *self.pos.get(k)? as usize;
        let end = self.pos.get(k + 1).map_or(self.data.len(), |p| *p as usize);
        self.data.get(start..end)
    }
}

/// Records from a base offset on, with the timestamps retention looks at.
#[derive(Clone, Debug)]
pub(super) struct Segment {
    /// Offset of the first record.
    pub base_offset: u64,
    /// Timestamp records' timestamps are encoded relative to.
    pub base_ts: u64,
    /// Newest timestamp of the segment.
    pub max_ts: u64,
    /// The full blocks, in order, of [`BLOCK_RECORDS`] records each.
    blocks: Vec<Arc<Block>>,
    /// The records after them, fewer than a block's worth: the segment's own, so an append
    /// changes no shared block.
    open: Block,
    /// Records held.
    records: usize,
    /// Bytes of encoded records held.
    data_len: usize,
}

impl Segment {
    /// An empty segment starting at `base_offset`.
    pub fn new(base_offset: u64, base_ts: u64) -> Self {
        Segment {
            base_offset,
            base_ts,
            max_ts: base_ts,
            blocks: Vec::new(),
            open: Block::with_room(0),
            records: 0,
            data_len: 0,
        }
    }

    /// Records held.
    pub fn records(&self) -> usize {
        self.records
    }

    /// Bytes of encoded records held.
    pub fn data_len(&self) -> usize {
        self.data_len
    }

    /// One past the offset of the last record.
    pub fn end_offset(&self) -> u64 {
        self.base_offset.saturating_add(self.records as u64)
    }

    /// Bytes held: the records and their index.
    pub fn bytes(&self) -> u64 {
        (self.data_len + 4 * self.records) as u64
    }

    /// The encoded record at `offset`.
    pub fn slice(&self, offset: u64) -> Option<&[u8]> {
        let idx = usize::try_from(offset.checked_sub(self.base_offset)?).ok()?;
        let (b, k) = (idx / BLOCK_RECORDS, idx % BLOCK_RECORDS);
        match self.blocks.get(b) {
            Some(full) => full.slice(k),
            None if b == self.blocks.len() => self.open.slice(k),
            None => None,
        }
    }

    /// Appends a record `encode` writes (given the segment's base timestamp) at timestamp
    /// `ts`; returns its encoded size.
    pub fn append(&mut self, ts: u64, encode: impl FnOnce(&mut Vec<u8>, u64)) -> usize {
        if self.open.pos.len() >= BLOCK_RECORDS {
            // Records of a partition are about the same size: room for as many bytes as the
            // block before took saves growing the next one step by step.
            let next = Block::with_room(self.open.data.len());
            let mut full = std::mem::replace(&mut self.open, next);
            full.shrink();
            self.blocks.push(Arc::new(full));
        }
        let block = &mut self.open;
        let start = block.data.len();
        block.pos.push(start as u32);
        encode(&mut block.data, self.base_ts);
        let added = block.data.len() - start;
        self.max_ts = self.max_ts.max(ts);
        self.records += 1;
        self.data_len += added;
        added
    }

    /// Shrinks the block being filled to fit: nothing is appended to the segment again.
    pub fn seal(&mut self) {
        self.open.shrink();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_across_blocks_and_a_clone_keeps_its_own() {
        let mut seg = Segment::new(10, 0);
        let n = BLOCK_RECORDS * 2 + 3;
        for i in 0..n {
            seg.append(i as u64, |out, _| out.extend_from_slice(&[i as u8; 3]));
        }
        let copy = seg.clone();
        seg.append(999, |out, _| out.push(1));
        assert_eq!((copy.records(), seg.records()), (n, n + 1));
        assert_eq!(copy.end_offset(), 10 + n as u64);
        assert_eq!(seg.bytes(), (3 * n + 1 + 4 * (n + 1)) as u64);
        for i in 0..n {
            assert_eq!(seg.slice(10 + i as u64), Some(&[i as u8; 3][..]));
        }
        assert_eq!(seg.slice(10 + n as u64), Some(&[1][..]));
        assert_eq!(copy.slice(10 + n as u64), None);
        assert_eq!(seg.slice(9), None);
        assert_eq!((copy.max_ts, seg.max_ts), (n as u64 - 1, 999));
    }
}
