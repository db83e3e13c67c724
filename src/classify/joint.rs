//! The inference-side layout of the two models: one joint vocabulary index and a per-thread
//! cache of words' features, so that a post costs few cache misses.
//!
//! [`JointIndex`] maps a feature fingerprint to a joint row (the union of both vocabularies)
//! by open addressing over 8-byte slots (32 high bits of the fingerprint as a tag, the row),
//! kept at most half full so that most probes end in the first cache line, behind a
//! 128 KiB one-bit-per-hash filter that answers most unknown features by itself; the full
//! 64-bit fingerprint is verified beside the rows, so the index answers exactly what a
//! `HashMap<u64, _>` would. A [`Row`] holds everything the hot loop needs from both models (rows,
//! scales, blocks, complaint weight) in 24 bytes: one record per distinct feature of a post
//! instead of a probe plus five scattered arrays. Agency weight rows stay in the agency model.
//!
//! [`WordCache`] remembers, per word (its text and normalised form), the joint rows of its
//! word-level features (`w:`, `n:`, character n-grams: about 90% of a post's features) and
//! what urgency and near-duplicate hashing need from it, so a word seen before costs one hash
//! of its bytes and one probe instead of ~25 name fingerprints and vocabulary probes. Words
//! repeat heavily in any stream of posts (a few thousand word types make up most tokens); the
//! cache is bounded and simply starts over when full.

use super::features::fingerprint;
use super::model::{block_of, FpMap, LinearModel};

/// No row.
pub const NONE: u32 = u32::MAX;

/// Asks the CPU to start loading the cache line at `p` into all cache levels: a hint that
/// lets several random reads overlap, with no effect on any result.
#[inline(always)]
pub fn prefetch<T>(p: *const T) {
    // SAFETY: a prefetch is only a hint: it never faults and has no visible effect, whatever
    // the address (callers pass addresses inside live slices anyway). SSE is baseline on
    // x86_64, so the instruction always exists.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// What inference needs about one joint row.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// Complaint model row, or [`NONE`].
    pub c: u32,
    /// Agency model row, or [`NONE`].
    pub a: u32,
    /// Complaint scale and weight (unused without a complaint row).
    pub cs: f32,
    pub cw: f32,
    /// Agency scale.
    pub as_: f32,
    /// Bit 0: complaint normalisation block; bit 1: agency normalisation block.
    pub blocks: u32,
}

/// Fingerprint → joint row over both models' vocabularies.
#[derive(Debug, Clone)]
pub struct JointIndex {
    /// `(tag, row)`, `row == NONE` for an empty slot.
    slots: Vec<(u32, u32)>,
    mask: usize,
    /// Each row's full fingerprint (verifies an index hit).
    fps: Vec<u64>,
    /// One bit per fingerprint value of [`FILTER_BITS`] bits: set for the vocabulary's. Most
    /// features that are not word-level (bigrams above all) are unknown; the filter (128 KiB,
    /// stays in cache) turns them away without touching the slots (1 MiB, mostly not).
    filter: Vec<u64>,
    pub rows: Vec<Row>,
}

/// Bits of the filter (4% false positives for the shipped models' 44k features).
const FILTER_BITS: u32 = 20;

/// The filter bit of a fingerprint (bits the slot index does not use first).
#[inline]
fn filter_bit(fp: u64) -> usize {
    (fp >> (64 - FILTER_BITS)) as usize
}

impl JointIndex {
    /// The index of two models (read-only afterwards: rows copy their scales and weights).
    pub fn new(complaint: &LinearModel, agency: &LinearModel) -> JointIndex {
        let mut by_fp: FpMap<u32> = FpMap::default();
        let mut rows: Vec<Row> = Vec::with_capacity(complaint.vocab.len());
        let mut fps: Vec<u64> = Vec::with_capacity(complaint.vocab.len());
        let mut row_of = |fp: u64, rows: &mut Vec<Row>| -> usize {
            *by_fp.entry(fp).or_insert_with(|| {
                fps.push(fp);
                rows.push(Row {
                    c: NONE,
                    a: NONE,
                    cs: 1.0,
                    cw: 0.0,
                    as_: 1.0,
                    blocks: 0,
                });
                (rows.len() - 1) as u32
            }) as usize
        };
        let c_outs = complaint.outputs();
        for (i, v) in complaint.vocab.iter().enumerate() {
            let j = row_of(fingerprint(v.as_bytes()), &mut rows);
            let r = &mut rows[j];
            r.c = i as u32;
            r.cs = complaint.scale_of(i as u32);
            r.cw = complaint.weights[i * c_outs];
            if complaint.block_norm && block_of(v) == 1 {
                r.blocks |= 1;
            }
        }
        for (i, v) in agency.vocab.iter().enumerate() {
            let j = row_of(fingerprint(v.as_bytes()), &mut rows);
            let r = &mut rows[j];
            r.a = i as u32;
            r.as_ = agency.scale_of(i as u32);
            if agency.block_norm && block_of(v) == 1 {
                r.blocks |= 2;
            }
        }
        // at most half full (a third on average): 1 MiB of slots for the shipped models
        let size = (rows.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![(0u32, NONE); size];
        let mask = size - 1;
        for (j, &fp) in fps.iter().enumerate() {
            let mut i = fp as usize & mask;
            while slots[i].1 != NONE {
                i = (i + 1) & mask;
            }
            slots[i] = ((fp >> 32) as u32, j as u32);
        }
        let mut filter = vec![0u64; (1 << FILTER_BITS) / 64];
        for &fp in &fps {
            let b = filter_bit(fp);
            filter[b / 64] |= 1 << (b % 64);
        }
        JointIndex {
            slots,
            mask,
            fps,
            filter,
            rows,
        }
    }

    /// The joint row of a fingerprint.
    #[inline]
    pub fn get(&self, fp: u64) -> Option<u32> {
        let b = filter_bit(fp);
        if self.filter[b / 64] & (1 << (b % 64)) == 0 {
            return None;
        }
        let tag = (fp >> 32) as u32;
        let mut i = fp as usize & self.mask;
        loop {
            let (t, j) = self.slots[i];
            if j == NONE {
                return None;
            }
            if t == tag && self.fps[j as usize] == fp {
                return Some(j);
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// What a cached word contributes besides its rows.
#[derive(Debug, Clone, Copy, Default)]
pub struct WordInfo {
    /// Fingerprint of its `w:` feature (near-duplicate hashing).
    pub w_fp: u64,
    /// Whether it counts for near duplicates.
    pub dup: bool,
    /// Urgency cue: weight and cue number, or number [`NONE`].
    pub cue: (f32, u32),
}

/// Keys up to this many bytes (a word of up to 7 letters with its normalised form) are kept
/// in their entry, so the hit that confirms them reads no other memory.
const SHORT: usize = 16;

/// A slot of the cache's table: one cache line.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(64))]
struct Entry {
    /// Fingerprint of the key, 0 for an empty slot (keys' fingerprints are forced odd).
    h: u64,
    /// The key when it has at most [`SHORT`] bytes.
    short: [u8; SHORT],
    /// Start (in `keys`) and length of the key; longer keys only are stored in `keys`.
    key: (u32, u32),
    rows: (u32, u32),
    info: WordInfo,
}

/// Per-thread cache: a word's text and normalised form → its word-level joint rows with a
/// copy of their records, in feature order (unknown features dropped), and its [`WordInfo`].
/// Entries are the slots of an open-addressing table (one cache line each, at most half
/// full) and short keys live in their entry, so a hit costs one line of the table, which
/// [`prefetch`](Self::prefetch) can start loading while the previous word is summed, and one
/// sequential read of the row copies.
#[derive(Debug, Default)]
pub struct WordCache {
    /// Identity of the classifier whose joint rows the entries hold.
    owner: u64,
    slots: Vec<Entry>,
    /// Occupied slots.
    used: usize,
    keys: Vec<u8>,
    rows: Vec<(u32, Row)>,
    /// The entry being recorded (its key is still in `key`): key fingerprint, first row.
    open: Option<(u64, u32)>,
    key: Vec<u8>,
    /// Key buffer of [`prefetch`](Self::prefetch).
    ahead: Vec<u8>,
}

/// Words kept before the cache starts over.
const MAX_WORDS: usize = 1 << 17;
/// Rows kept before the cache starts over: 56 MiB of row copies at most (a few MiB in
/// practice, where words average about 20 known rows and a few thousand words recur).
const MAX_ROWS: usize = 1 << 21;

impl WordCache {
    /// Empties the cache when it was filled for another classifier.
    pub fn bind(&mut self, owner: u64) {
        if self.owner != owner {
            self.clear();
            self.owner = owner;
        }
    }

    fn clear(&mut self) {
        self.slots.iter_mut().for_each(|e| e.h = 0);
        self.used = 0;
        self.keys.clear();
        self.rows.clear();
        self.open = None;
    }

    /// The rows and info of a word seen before; otherwise starts recording it (the caller
    /// then feeds [`record`](Self::record) and [`close`](Self::close)).
    #[inline]
    pub fn lookup(&mut self, text: &str, norm: &str) -> Option<(&[(u32, Row)], WordInfo)> {
        self.key.clear();
        self.key.extend_from_slice(text.as_bytes());
        self.key.push(0xff); // never in UTF-8: separates text from norm
        self.key.extend_from_slice(norm.as_bytes());
        let h = fingerprint(&self.key) | 1;
        if let Some(e) = self.find(h) {
            let (ks, kl) = (e.key.0 as usize, e.key.1 as usize);
            let same = kl == self.key.len()
                && if kl <= SHORT {
                    e.short[..kl] == self.key[..]
                } else {
                    self.keys[ks..ks + kl] == self.key[..]
                };
            if same {
                let (rs, rl) = (e.rows.0 as usize, e.rows.1 as usize);
                return Some((&self.rows[rs..rs + rl], e.info));
            }
            // a fingerprint collision between two words: this one is not cached
            self.open = None;
            return None;
        }
        if self.used >= MAX_WORDS || self.rows.len() >= MAX_ROWS {
            self.clear();
        }
        self.open = Some((h, self.rows.len() as u32));
        None
    }

    /// Whether a word is being recorded (not so after a fingerprint collision).
    #[inline]
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// A known row of the word being recorded.
    #[inline]
    pub fn record(&mut self, j: u32, row: Row) {
        if self.open.is_some() {
            self.rows.push((j, row));
        }
    }

    /// The rows recorded so far for the word being recorded (empty when it is not cached).
    #[inline]
    pub fn recorded(&self) -> &[(u32, Row)] {
        match self.open {
            Some((_, rs)) => &self.rows[rs as usize..],
            None => &[],
        }
    }

    /// The word being recorded is complete.
    pub fn close(&mut self, info: WordInfo) {
        if let Some((h, rs)) = self.open.take() {
            let kl = self.key.len();
            let mut short = [0u8; SHORT];
            let ks = if kl <= SHORT {
                short[..kl].copy_from_slice(&self.key);
                0
            } else {
                let ks = self.keys.len() as u32;
                self.keys.extend_from_slice(&self.key);
                ks
            };
            let rl = self.rows.len() as u32 - rs;
            self.insert(Entry {
                h,
                short,
                key: (ks, kl as u32),
                rows: (rs, rl),
                info,
            });
        }
    }

    /// The slot holding fingerprint `h`, or the empty slot ending its probe (the table is
    /// never full; call with a non-empty table).
    #[inline]
    fn slot(&self, h: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        while self.slots[i].h != h && self.slots[i].h != 0 {
            i = (i + 1) & mask;
        }
        i
    }

    #[inline]
    fn find(&self, h: u64) -> Option<&Entry> {
        if self.slots.is_empty() {
            return None;
        }
        let e = &self.slots[self.slot(h)];
        (e.h == h).then_some(e)
    }

    fn insert(&mut self, e: Entry) {
        if (self.used + 1) * 2 > self.slots.len() {
            let old = std::mem::take(&mut self.slots);
            self.slots = vec![Entry::default(); (old.len() * 2).max(1024)];
            for o in old.into_iter().filter(|o| o.h != 0) {
                let i = self.slot(o.h);
                self.slots[i] = o;
            }
        }
        let i = self.slot(e.h);
        if self.slots[i].h == 0 {
            self.used += 1;
        }
        self.slots[i] = e;
    }

    /// Starts loading the table line of a word that comes soon (a hint: changes nothing).
    #[inline]
    pub fn prefetch(&mut self, text: &str, norm: &str) {
        if self.slots.is_empty() {
            return;
        }
        let key = &mut self.ahead;
        key.clear();
        key.extend_from_slice(text.as_bytes());
        key.push(0xff);
        key.extend_from_slice(norm.as_bytes());
        let h = fingerprint(key) | 1;
        prefetch(&self.slots[h as usize & (self.slots.len() - 1)]);
    }

    /// Words cached now.
    pub fn len(&self) -> usize {
        self.used
    }

    /// Whether no word is cached.
    pub fn is_empty(&self) -> bool {
        self.used == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::model::Task;

    #[test]
    fn joint_index_finds_every_feature_of_both_models_and_nothing_else() {
        let m = |vocab: &[&str], outs: usize| {
            LinearModel::new(
                "t".into(),
                if outs == 1 {
                    Task::Complaint
                } else {
                    Task::Agency
                },
                "test".into(),
                (0..outs).map(|i| format!("l{i}")).collect(),
                vocab.iter().map(|v| v.to_string()).collect(),
                (0..vocab.len() * outs).map(|i| i as f32).collect(),
                vec![0.0; outs],
                serde_json::Value::Null,
            )
        };
        let c = m(&["w:a", "c:ab", "b:a b"], 1);
        let a = m(&["c:ab", "w:z"], 2);
        let j = JointIndex::new(&c, &a);
        assert_eq!(j.rows.len(), 4);
        let row = |name: &str| {
            j.get(fingerprint(name.as_bytes()))
                .map(|r| j.rows[r as usize])
        };
        let ab = row("c:ab").unwrap();
        assert_eq!((ab.c, ab.a, ab.cw), (1, 0, 1.0));
        let z = row("w:z").unwrap();
        assert_eq!((z.c, z.a), (NONE, 1));
        assert_eq!(row("b:a b").unwrap().a, NONE);
        for missing in ["w:b", "", "c:a"] {
            assert!(row(missing).is_none());
        }
    }

    #[test]
    fn word_cache_records_and_answers_and_binds_to_one_owner() {
        let mut w = WordCache::default();
        w.bind(1);
        let info = WordInfo {
            w_fp: 7,
            dup: true,
            cue: (0.0, NONE),
        };
        let row = Row {
            c: 1,
            a: NONE,
            cs: 1.0,
            cw: 0.5,
            as_: 1.0,
            blocks: 0,
        };
        assert!(w.lookup("Jalan", "jalan").is_none());
        w.record(3, row);
        w.record(5, row);
        w.close(info);
        let (rows, got) = w.lookup("Jalan", "jalan").unwrap();
        let js: Vec<u32> = rows.iter().map(|r| r.0).collect();
        assert_eq!((js, got.w_fp), (vec![3, 5], 7));
        // the same bytes split differently are another word
        assert!(w.lookup("Jalanj", "alan").is_none());
        w.close(info);
        assert_eq!(w.len(), 2);
        // keys longer than an entry holds are kept aside
        assert!(w.lookup("Perbaikannya", "perbaikan").is_none());
        w.record(9, row);
        assert_eq!(w.recorded().len(), 1);
        w.close(info);
        assert_eq!(w.lookup("Perbaikannya", "perbaikan").unwrap().0[0].0, 9);
        assert!(w.lookup("Perbaikannya", "perbaikam").is_none());
        w.close(info);
        assert_eq!(w.len(), 4);
        w.bind(2);
        assert!(w.is_empty());
    }
}
