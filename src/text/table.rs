//! A compact, build-once string table: open addressing over one byte buffer.
//!
//! The analyzer looks words up several times per token (lexicon, stop words, root dictionary),
//! so lookups must be cheap: a multiply-rotate hash over 8-byte chunks, linear probing in a
//! power-of-two slot array kept at most half full, and one byte comparison per probe hit. Every
//! string lives in a single `String` and is identified by a `u32` id, so callers can keep an id
//! (e.g. in a stem cache) and get the `&str` back without allocating. The table never shrinks
//! and never removes; it is built once (from embedded data or a configured file) and then shared.

use std::fmt;

/// Sentinel for an empty slot.
const EMPTY: u32 = u32::MAX;

/// A slot: the id of a string (or [`EMPTY`]) and the high 32 bits of its hash.
#[derive(Clone, Copy)]
struct Slot {
    id: u32,
    fingerprint: u32,
}

const EMPTY_SLOT: Slot = Slot {
    id: EMPTY,
    fingerprint: 0,
};

/// A string set with stable `u32` ids and O(1) lookups.
#[derive(Clone, Default)]
pub struct StrTable {
    /// All strings, back to back.
    bytes: String,
    /// `(start, len)` of string `id` in `bytes`.
    spans: Vec<(u32, u32)>,
    /// Open-addressing slots.
    slots: Vec<Slot>,
}

impl fmt::Debug for StrTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StrTable")
            .field("len", &self.spans.len())
            .finish()
    }
}

/// The hash: FxHash-style multiply-rotate over little-endian 8-byte chunks. Not DoS-resistant,
/// which is fine: the table is built from trusted lists and only ever *queried* with post text.
#[inline]
pub fn hash(s: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = s.len() as u64;
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    // final avalanche so the low bits used for the slot index depend on every byte
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 32)
}

/// Byte equality without a libc call for the short strings words are.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() > 32 {
        return a == b;
    }
    a.iter().zip(b).all(|(x, y)| x == y)
}

impl StrTable {
    /// An empty table.
    pub fn new() -> StrTable {
        StrTable::default()
    }

    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether the table holds no string.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The string with id `id`. Panics on an id this table never returned.
    #[inline]
    pub fn get(&self, id: u32) -> &str {
        let (start, len) = self.spans[id as usize];
        &self.bytes[start as usize..(start + len) as usize]
    }

    /// The id of `s`, if present.
    #[inline]
    pub fn id(&self, s: &str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let h = hash(s.as_bytes());
        let fingerprint = (h >> 32) as u32;
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot.id == EMPTY {
                return None;
            }
            if slot.fingerprint == fingerprint && same(self.get(slot.id).as_bytes(), s.as_bytes()) {
                return Some(slot.id);
            }
            i = (i + 1) & mask;
        }
    }

    /// Whether `s` is present.
    #[inline]
    pub fn contains(&self, s: &str) -> bool {
        self.id(s).is_some()
    }

    /// Adds `s` (if absent) and returns its id.
    pub fn insert(&mut self, s: &str) -> u32 {
        if let Some(id) = self.id(s) {
            return id;
        }
        // grow at 5/8 full: fingerprints keep probes cheap, and a smaller slot array stays in
        // cache (the merged root table is ~38k words)
        if (self.spans.len() + 1) * 8 > self.slots.len() * 5 {
            self.grow();
        }
        let id = self.spans.len() as u32;
        self.spans.push((self.bytes.len() as u32, s.len() as u32));
        self.bytes.push_str(s);
        self.place(id);
        id
    }

    fn place(&mut self, id: u32) {
        let mask = self.slots.len() - 1;
        let h = hash(self.get(id).as_bytes());
        let mut i = h as usize & mask;
        while self.slots[i].id != EMPTY {
            i = (i + 1) & mask;
        }
        self.slots[i] = Slot {
            id,
            fingerprint: (h >> 32) as u32,
        };
    }

    fn grow(&mut self) {
        let cap = (self.slots.len() * 2).max(16);
        self.slots = vec![EMPTY_SLOT; cap];
        for id in 0..self.spans.len() as u32 {
            self.place(id);
        }
    }

    /// Iterates over all strings in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.spans.len() as u32).map(|id| self.get(id))
    }
}

impl<'s> FromIterator<&'s str> for StrTable {
    fn from_iter<I: IntoIterator<Item = &'s str>>(iter: I) -> Self {
        let mut t = StrTable::new();
        for s in iter {
            t.insert(s);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn insert_lookup_and_ids_are_stable() {
        let mut t = StrTable::new();
        assert!(!t.contains("jalan"));
        let a = t.insert("jalan");
        let b = t.insert("rusak");
        assert_eq!(t.insert("jalan"), a);
        assert_eq!(t.id("rusak"), Some(b));
        assert_eq!(t.get(a), "jalan");
        assert_eq!(t.len(), 2);
        assert!(!t.contains("jala"));
        assert!(!t.contains(""));
        t.insert("");
        assert!(t.contains(""));
    }

    proptest! {
        #[test]
        fn behaves_like_a_set(words in proptest::collection::vec("[a-z]{0,12}", 0..300)) {
            let t: StrTable = words.iter().map(String::as_str).collect();
            let set: std::collections::HashSet<&str> = words.iter().map(String::as_str).collect();
            prop_assert_eq!(t.len(), set.len());
            for w in &words {
                let id = t.id(w);
                prop_assert!(id.is_some());
                prop_assert_eq!(t.get(id.unwrap_or(0)), w.as_str());
            }
            for w in ["zzzzzzzzzzzzz", "a b"] {
                prop_assert_eq!(t.contains(w), set.contains(w));
            }
        }
    }
}
