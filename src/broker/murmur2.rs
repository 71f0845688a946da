//! Kafka's murmur2 hash and the default keyed partitioner built on it.

/// Hashes `data` exactly like Kafka's `Utils.murmur2` (signed 32-bit result, seed 0x9747b28c).
pub fn murmur2(data: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;
    let length = data.len();
    // Java uses the int length; wrapping mirrors that for any length.
    let mut h: u32 = SEED ^ (length as u32);
    let mut chunks = data.chunks_exact(4);
    for chunk in &mut chunks {
        let mut k = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let tail = chunks.remainder();
    if tail.len() >= 3 {
        h ^= u32::from(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        h ^= u32::from(tail[1]) << 8;
    }
    if let Some(first) = tail.first() {
        h ^= u32::from(*first);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// Kafka's `Utils.toPositive`: clears the sign bit.
pub fn to_positive(n: i32) -> u32 {
    (n as u32) & 0x7fff_ffff
}

/// The partition Kafka's default partitioner picks for a keyed record; `None` when `partitions` is 0.
pub fn partition_for_key(key: &[u8], partitions: u32) -> Option<u32> {
    if partitions == 0 {
        return None;
    }
    Some(to_positive(murmur2(key)) % partitions)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Kafka's `UtilsTest.testMurmur2` vectors are checked in tests/broker.rs.

    #[test]
    fn every_tail_length_is_hashed() {
        // Lengths 0..=4 exercise each remainder branch; all must differ.
        let hashes: Vec<i32> = ["", "a", "ab", "abc", "abcd"]
            .iter()
            .map(|s| murmur2(s.as_bytes()))
            .collect();
        for i in 0..hashes.len() {
            for j in (i + 1)..hashes.len() {
                assert_ne!(hashes[i], hashes[j]);
            }
        }
    }

    #[test]
    fn positive_partition_in_range() {
        assert_eq!(to_positive(-1), 0x7fff_ffff);
        assert_eq!(to_positive(i32::MIN), 0);
        for p in 1..20 {
            let part = partition_for_key(b"foobar", p).unwrap_or(u32::MAX);
            assert!(part < p);
        }
        assert_eq!(partition_for_key(b"x", 0), None);
        // "foobar": toPositive(-790332482) = 1357151166; 1357151166 % 3 = 0.
        assert_eq!(partition_for_key(b"foobar", 3), Some(1_357_151_166 % 3));
    }
}
