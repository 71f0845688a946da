//! Append-only partition logs stored compactly in segments.
//!
//! Each segment keeps a dense index (`u32` position per offset) and byte arenas holding
//! records encoded with varints: flags, producer id (transactional and control records only),
//! zig-zag timestamp delta from the segment base, key, value and headers (interned name ids).
//! Index and arenas come in blocks of records, each shrunk to fit once full, so a
//! small record costs its payload plus a dozen bytes.
//! Retention drops whole sealed segments (advancing the log-start offset), as Kafka does.

mod segment;

use super::sorted::SortedMap;
use segment::Segment;
use std::{collections::VecDeque, sync::Arc};

/// Largest encoded record accepted (Kafka's default `message.max.bytes` is about 1 MiB).
pub const MAX_RECORD_BYTES: usize = 1 << 20;

const F_KEY: u8 = 1;
const F_TXN: u8 = 2;
const F_CONTROL: u8 = 4;
const F_COMMIT: u8 = 8;

/// Whether a consumer sees uncommitted transactional records.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Isolation {
    /// Sees every data record up to the log end, including open and aborted transactions.
    ReadUncommitted,
    /// Sees data records only up to the last stable offset, never aborted ones.
    ReadCommitted,
}

/// Metadata of one stored entry, decoded without touching the payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryMeta {
    /// Timestamp of the entry.
    pub timestamp: u64,
    /// Producer id for transactional data and control entries.
    pub producer: Option<u32>,
    /// True for transaction markers (they occupy an offset but are never delivered).
    pub control: bool,
    /// For markers: commit (true) or abort (false).
    pub commit: bool,
}

/// A decoded data record borrowing the log's bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordView<'a> {
    /// Entry metadata.
    pub meta: EntryMeta,
    /// Key bytes.
    pub key: Option<&'a [u8]>,
    /// Value bytes.
    pub value: &'a [u8],
    /// Headers as (interned name id, value bytes).
    pub headers: Vec<(u32, &'a [u8])>,
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(buf: &[u8], at: &mut usize) -> Option<u64> {
    let mut v: u64 = 0;
    let mut shift = 0u32;
    loop {
        let b = *buf.get(*at)?;
        *at += 1;
        if shift >= 64 {
            return None;
        }
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
        shift += 7;
    }
}

fn get_bytes<'a>(buf: &'a [u8], at: &mut usize) -> Option<&'a [u8]> {
    let len = usize::try_from(get_varint(buf, at)?).ok()?;
    let end = at.checked_add(len)?;
    let s = buf.get(*at..end)?;
    *at = end;
    Some(s)
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn decode_meta(buf: &[u8], base_ts: u64, at: &mut usize) -> Option<(u8, EntryMeta)> {
    let flags = *buf.first()?;
    *at = 1;
    let producer = if flags & (F_TXN | F_CONTROL) != 0 {
        Some(u32::try_from(get_varint(buf, at)?).ok()?)
    } else {
        None
    };
    let delta = unzigzag(get_varint(buf, at)?);
    let timestamp = base_ts.wrapping_add(delta as u64);
    Some((
        flags,
        EntryMeta {
            timestamp,
            producer,
            control: flags & F_CONTROL != 0,
            commit: flags & F_COMMIT != 0,
        },
    ))
}

/// One partition's log: segments, offsets and transaction state.
#[derive(Clone, Debug)]
pub struct PartitionLog {
    /// Segments are shared between clones of the log: a clone copies the active segment's list
    /// of blocks and its last block, and only when it is next appended to.
    segments: VecDeque<Arc<Segment>>,
    log_start: u64,
    next_offset: u64,
    segment_records: usize,
    open_txns: SortedMap<u32, u64>,
    aborted: SortedMap<(u32, u64), u64>,
    bytes: u64,
}

impl PartitionLog {
    /// An empty log that rolls a new segment every `segment_records` entries (at least 1).
    pub fn new(segment_records: u32) -> Self {
        PartitionLog {
            segments: VecDeque::new(),
            log_start: 0,
            next_offset: 0,
            segment_records: segment_records.max(1) as usize,
            open_txns: SortedMap::new(),
            aborted: SortedMap::new(),
            bytes: 0,
        }
    }

    /// First offset still in the log.
    pub fn log_start(&self) -> u64 {
        self.log_start
    }

    /// Offset the next append will get (Kafka's log-end offset / high watermark here).
    pub fn log_end(&self) -> u64 {
        self.next_offset
    }

    /// Last stable offset: the first offset of the oldest open transaction, else the log end.
    pub fn last_stable(&self) -> u64 {
        self.open_txns
            .values()
            .copied()
            .min()
            .unwrap_or(self.next_offset)
            .min(self.next_offset)
    }

    /// The fetch bound for an isolation level.
    pub fn fetch_bound(&self, isolation: Isolation) -> u64 {
        match isolation {
            Isolation::ReadUncommitted => self.next_offset,
            Isolation::ReadCommitted => self.last_stable(),
        }
    }

    /// Bytes held by retained entries (arena plus index).
    pub fn size_bytes(&self) -> u64 {
        self.bytes
    }

    /// Number of segments (sealed and active).
    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }

    fn segment_for_append(&mut self, ts: u64) -> &mut Segment {
        let roll = match self.segments.back() {
            None => true,
            Some(s) => {
                s.records() >= self.segment_records
                    || s.data_len() >= (u32::MAX as usize) - 2 * MAX_RECORD_BYTES
            }
        };
        if roll {
            // A segment shared with a clone keeps its spare capacity rather than being copied.
            if let Some(last) = self.segments.back_mut().and_then(Arc::get_mut) {
                last.seal();
            }
            self.segments
                .push_back(Arc::new(Segment::new(self.next_offset, ts)));
        }
        // A segment was just pushed if none existed.
        let idx = self.segments.len() - 1;
        Arc::make_mut(&mut self.segments[idx])
    }

    fn append_raw(&mut self, ts: u64, encode: impl FnOnce(&mut Vec<u8>, u64)) -> u64 {
        let offset = self.next_offset;
        let added = self.segment_for_append(ts).append(ts, encode) as u64 + 4;
        self.bytes = self.bytes.saturating_add(added);
        self.next_offset = self.next_offset.saturating_add(1);
        offset
    }

    /// Encoded size of a data record, to check it against [`MAX_RECORD_BYTES`] before appending.
    pub fn encoded_len(key: Option<&[u8]>, value: &[u8], headers: &[(u32, &[u8])]) -> usize {
        let mut n = 1 + 10 + 10 + key.map_or(0, |k| k.len() + 10) + value.len() + 10 + 10;
        for (_, v) in headers {
            n = n.saturating_add(v.len() + 15);
        }
        n
    }

    /// Appends a data record and returns its offset; `producer` marks a transactional record.
    pub fn append(
        &mut self,
        ts: u64,
        producer: Option<u32>,
        key: Option<&[u8]>,
        value: &[u8],
        headers: &[(u32, &[u8])],
    ) -> u64 {
        if let Some(pid) = producer {
            let next = self.next_offset;
            self.open_txns.entry(pid).or_insert(next);
        }
        self.append_raw(ts, |out, base_ts| {
            let mut flags = 0u8;
            if key.is_some() {
                flags |= F_KEY;
            }
            if producer.is_some() {
                flags |= F_TXN;
            }
            out.push(flags);
            if let Some(pid) = producer {
                put_varint(out, u64::from(pid));
            }
            put_varint(out, zigzag(ts.wrapping_sub(base_ts) as i64));
            if let Some(k) = key {
                put_varint(out, k.len() as u64);
                out.extend_from_slice(k);
            }
            put_varint(out, value.len() as u64);
            out.extend_from_slice(value);
            put_varint(out, headers.len() as u64);
            for (name, v) in headers {
                put_varint(out, u64::from(*name));
                put_varint(out, v.len() as u64);
                out.extend_from_slice(v);
            }
        })
    }

    /// Whether `producer` has an open transaction touching this partition.
    pub fn has_open_txn(&self, producer: u32) -> bool {
        self.open_txns.contains_key(&producer)
    }

    /// Writes a commit or abort marker for `producer`'s open transaction; returns the marker offset.
    pub fn append_marker(&mut self, ts: u64, producer: u32, commit: bool) -> Option<u64> {
        let first = self.open_txns.remove(&producer)?;
        let offset = self.append_raw(ts, |out, base_ts| {
            out.push(F_CONTROL | if commit { F_COMMIT } else { 0 });
            put_varint(out, u64::from(producer));
            put_varint(out, zigzag(ts.wrapping_sub(base_ts) as i64));
        });
        if !commit {
            self.aborted.insert((producer, first), offset);
        }
        Some(offset)
    }

    fn locate(&self, offset: u64) -> Option<&Segment> {
        if offset < self.log_start || offset >= self.next_offset {
            return None;
        }
        let idx = self.segments.partition_point(|s| s.base_offset <= offset);
        let seg = self.segments.get(idx.checked_sub(1)?)?;
        if offset < seg.end_offset() {
            Some(seg)
        } else {
            None
        }
    }

    /// Metadata of the entry at `offset`, if retained.
    pub fn meta(&self, offset: u64) -> Option<EntryMeta> {
        let seg = self.locate(offset)?;
        let buf = seg.slice(offset)?;
        let mut at = 0;
        decode_meta(buf, seg.base_ts, &mut at).map(|(_, m)| m)
    }

    /// Whether the data record at `offset` belongs to an aborted transaction.
    pub fn is_aborted(&self, producer: u32, offset: u64) -> bool {
        self.aborted
            .range((producer, 0)..=(producer, offset))
            .next_back()
            .is_some_and(|(_, marker)| offset < *marker)
    }

    /// Whether the entry at `offset` is a data record a consumer with `isolation` receives.
    pub fn visible(&self, offset: u64, isolation: Isolation) -> bool {
        match self.meta(offset) {
            None => false,
            Some(m) if m.control => false,
            Some(m) => match (isolation, m.producer) {
                (Isolation::ReadCommitted, Some(pid)) => !self.is_aborted(pid, offset),
                _ => true,
            },
        }
    }

    /// Decodes the record at `offset` (control markers yield `None`).
    pub fn read(&self, offset: u64) -> Option<RecordView<'_>> {
        let seg = self.locate(offset)?;
        let buf = seg.slice(offset)?;
        let mut at = 0;
        let (flags, meta) = decode_meta(buf, seg.base_ts, &mut at)?;
        if meta.control {
            return None;
        }
        let key = if flags & F_KEY != 0 {
            Some(get_bytes(buf, &mut at)?)
        } else {
            None
        };
        let value = get_bytes(buf, &mut at)?;
        let count = get_varint(buf, &mut at)?;
        let mut headers = Vec::with_capacity(count.min(16) as usize);
        for _ in 0..count {
            let name = u32::try_from(get_varint(buf, &mut at)?).ok()?;
            headers.push((name, get_bytes(buf, &mut at)?));
        }
        Some(RecordView {
            meta,
            key,
            value,
            headers,
        })
    }

    /// Kafka `offsetsForTimes`: the earliest retained data offset with timestamp >= `ts`.
    pub fn offset_for_time(&self, ts: u64) -> Option<u64> {
        for seg in &self.segments {
            if seg.max_ts < ts || seg.end_offset() <= self.log_start {
                continue;
            }
            let from = seg.base_offset.max(self.log_start);
            for offset in from..seg.end_offset() {
                if let Some(m) = self.meta(offset) {
                    if !m.control && m.timestamp >= ts {
                        return Some(offset);
                    }
                }
            }
        }
        None
    }

    /// Kafka `deleteRecords`: moves the log start to `offset` (clamped to the log end).
    /// Returns true when the log start moved.
    pub fn delete_before(&mut self, offset: u64) -> bool {
        let target = offset.min(self.next_offset);
        if target <= self.log_start {
            return false;
        }
        self.log_start = target;
        while let Some(first) = self.segments.front() {
            if first.end_offset() <= self.log_start && self.segments.len() > 1 {
                self.bytes = self.bytes.saturating_sub(first.bytes());
                self.segments.pop_front();
            } else {
                break;
            }
        }
        // Forget aborted ranges that ended before the new start.
        let start = self.log_start;
        self.aborted.retain(|_, marker| *marker >= start);
        true
    }

    /// Applies time and size retention to sealed segments; returns true when the log start moved.
    pub fn apply_retention(
        &mut self,
        now: u64,
        retention_ms: Option<u64>,
        retention_bytes: Option<u64>,
    ) -> bool {
        let start = self.retention_start(now, retention_ms, retention_bytes);
        self.delete_before(start)
    }

    /// The log start time and size retention would move to (the log start when it drops
    /// nothing).
    pub fn retention_start(
        &self,
        now: u64,
        retention_ms: Option<u64>,
        retention_bytes: Option<u64>,
    ) -> u64 {
        let mut new_start = self.log_start;
        let mut remaining = self.bytes;
        let sealed = self.segments.len().saturating_sub(1);
        for seg in self.segments.iter().take(sealed) {
            let expired = retention_ms.is_some_and(|ms| seg.max_ts.saturating_add(ms) < now);
            let oversize = retention_bytes.is_some_and(|max| remaining > max);
            if expired || oversize {
                remaining = remaining.saturating_sub(seg.bytes());
                new_start = new_start.max(seg.end_offset());
            } else {
                break;
            }
        }
        new_start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_dense_and_stable_across_segments() {
        let mut log = PartitionLog::new(3);
        for i in 0..10u64 {
            let key = format!("k{i}");
            let off = log.append(100 + i, None, Some(key.as_bytes()), b"v", &[(1, b"c")]);
            assert_eq!(off, i);
        }
        assert_eq!(log.log_end(), 10);
        assert_eq!(log.segment_count(), 4);
        for i in 0..10u64 {
            let r = log.read(i).expect("record");
            assert_eq!(r.key, Some(format!("k{i}").as_bytes()));
            assert_eq!(r.meta.timestamp, 100 + i);
            assert_eq!(r.headers, vec![(1, &b"c"[..])]);
        }
        assert!(log.read(10).is_none());
        assert!(log.read(u64::MAX).is_none());
    }

    #[test]
    fn timestamps_may_go_backwards() {
        let mut log = PartitionLog::new(10);
        log.append(1_000, None, None, b"a", &[]);
        log.append(5, None, None, b"b", &[]);
        log.append(u64::MAX, None, None, b"c", &[]);
        assert_eq!(log.meta(1).map(|m| m.timestamp), Some(5));
        assert_eq!(log.meta(2).map(|m| m.timestamp), Some(u64::MAX));
    }

    #[test]
    fn transactions_gate_read_committed() {
        let mut log = PartitionLog::new(100);
        log.append(0, None, None, b"plain", &[]);
        log.append(0, Some(7), None, b"t1", &[]);
        log.append(0, None, None, b"after", &[]);
        assert_eq!(log.last_stable(), 1);
        assert_eq!(log.fetch_bound(Isolation::ReadCommitted), 1);
        assert_eq!(log.fetch_bound(Isolation::ReadUncommitted), 3);
        let marker = log.append_marker(0, 7, false).expect("open txn");
        assert_eq!(marker, 3);
        assert_eq!(log.last_stable(), 4);
        assert!(!log.visible(1, Isolation::ReadCommitted));
        assert!(log.visible(1, Isolation::ReadUncommitted));
        assert!(log.visible(2, Isolation::ReadCommitted));
        assert!(
            !log.visible(3, Isolation::ReadUncommitted),
            "markers are never delivered"
        );
        // A later committed transaction of the same producer is visible.
        log.append(0, Some(7), None, b"t2", &[]);
        log.append_marker(0, 7, true);
        assert!(log.visible(4, Isolation::ReadCommitted));
        assert!(log.append_marker(0, 7, true).is_none());
    }

    #[test]
    fn retention_by_time_and_size_moves_log_start() {
        let mut log = PartitionLog::new(2);
        for i in 0..6u64 {
            log.append(i * 10, None, None, b"0123456789", &[]);
        }
        // Segments: [0,1] ts<=10, [2,3] ts<=30, [4,5] active.
        assert!(log.apply_retention(25, Some(10), None));
        assert_eq!(log.log_start(), 2);
        assert!(log.read(1).is_none());
        assert!(!log.apply_retention(25, Some(10), None));
        // Size: keep at most one segment's worth; the active segment is never dropped.
        assert!(log.apply_retention(0, None, Some(1)));
        assert_eq!(log.log_start(), 4);
        assert_eq!(log.log_end(), 6);
    }

    #[test]
    fn offsets_for_times_and_delete_records() {
        let mut log = PartitionLog::new(4);
        for ts in [5u64, 10, 20, 20, 30] {
            log.append(ts, None, None, b"x", &[]);
        }
        assert_eq!(log.offset_for_time(0), Some(0));
        assert_eq!(log.offset_for_time(11), Some(2));
        assert_eq!(log.offset_for_time(30), Some(4));
        assert_eq!(log.offset_for_time(31), None);
        assert!(log.delete_before(3));
        assert_eq!(log.offset_for_time(0), Some(3));
        assert!(!log.delete_before(2));
        assert!(log.delete_before(u64::MAX));
        assert_eq!(log.log_start(), 5);
    }

    #[test]
    fn varint_decoding_rejects_garbage() {
        let mut at = 0;
        assert_eq!(get_varint(&[0xff; 11], &mut at), None);
        let mut at = 0;
        assert_eq!(get_bytes(&[5, 1], &mut at), None);
        assert_eq!(unzigzag(zigzag(-5)), -5);
        assert_eq!(unzigzag(zigzag(i64::MIN)), i64::MIN);
    }
}
