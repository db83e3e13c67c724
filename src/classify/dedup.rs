//! Near-duplicate groups: a 64-bit SimHash over a post's normalised words, and an index that
//! gives posts within a few bits of each other the same group id.
//!
//! What counts: distinct lowercased words (no mentions, URLs, numbers or the `RT` marker), so a
//! retweet (`RT @warga: ...`), a copy with another link or a few words added or cut still lands
//! near the original. Very short posts (under [`MIN_WORDS`] words) only group with identical
//! word sets, since a single changed word moves their hash too far to tell apart.
//!
//! The index uses the pigeonhole trick: two hashes within [`MAX_DISTANCE`] (3) bits agree
//! exactly on at least one of four 16-bit bands, so candidates are found by band lookups and
//! confirmed by Hamming distance. Only each group's first member is stored.

use super::model::FpMap;

/// Largest Hamming distance between two posts of one group.
pub const MAX_DISTANCE: u32 = 3;
/// Posts with fewer distinct words group only with identical word sets.
pub const MIN_WORDS: usize = 4;

/// Accumulates a SimHash from word fingerprints.
#[derive(Debug, Clone)]
pub struct SimHasher {
    counts: [i32; 64],
    words: usize,
    exact: u64,
}

impl Default for SimHasher {
    fn default() -> Self {
        SimHasher {
            counts: [0; 64],
            words: 0,
            exact: 0,
        }
    }
}

impl SimHasher {
    /// Starts a new post.
    pub fn clear(&mut self) {
        self.counts = [0; 64];
        self.words = 0;
        self.exact = 0;
    }

    /// Adds one distinct word's fingerprint.
    #[inline]
    pub fn add(&mut self, fp: u64) {
        self.words += 1;
        self.exact = self.exact.wrapping_add(fp.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        for (bit, c) in self.counts.iter_mut().enumerate() {
            *c += if fp >> bit & 1 == 1 { 1 } else { -1 };
        }
    }

    /// The post's hash and whether it is long enough for near matching.
    pub fn finish(&self) -> DupKey {
        if self.words < MIN_WORDS {
            // order-free hash of the exact word set, flagged by the low bit
            return DupKey {
                hash: self.exact | 1,
                near: false,
            };
        }
        let mut h = 0u64;
        for (bit, c) in self.counts.iter().enumerate() {
            if *c > 0 {
                h |= 1 << bit;
            }
        }
        DupKey { hash: h, near: true }
    }
}

/// A post's duplicate key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DupKey {
    pub hash: u64,
    /// Near matching (SimHash) or exact word-set matching.
    pub near: bool,
}

/// Whether `w` is a word that counts for duplicates.
pub fn counts_for_dup(name: &str) -> bool {
    name.starts_with("w:")
        && !matches!(name, "w:rt" | "w:@gov" | "w:@user" | "w:<num>")
}

/// Assigns group ids across a batch of posts.
#[derive(Debug, Default)]
pub struct DupIndex {
    reps: Vec<u64>,
    bands: FpMap<Vec<u32>>,
    exact: FpMap<u32>,
}

fn band_key(band: usize, hash: u64) -> u64 {
    // mixed so the pass-through hasher spreads it
    let v = (hash >> (16 * band)) & 0xffff;
    (v | ((band as u64) << 16)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl DupIndex {
    /// An empty index.
    pub fn new() -> DupIndex {
        DupIndex::default()
    }

    /// The representative of an existing group this key belongs to, if any.
    pub fn find(&self, key: DupKey) -> Option<u64> {
        if !key.near {
            return self.exact.get(&key.hash).map(|&i| self.reps[i as usize]);
        }
        for band in 0..4 {
            if let Some(cands) = self.bands.get(&band_key(band, key.hash)) {
                for &i in cands {
                    let r = self.reps[i as usize];
                    if (r ^ key.hash).count_ones() <= MAX_DISTANCE {
                        return Some(r);
                    }
                }
            }
        }
        None
    }

    /// Adds a key as a new group's representative (without checking for an existing group).
    pub fn insert(&mut self, key: DupKey) {
        let i = self.reps.len() as u32;
        self.reps.push(key.hash);
        if key.near {
            for band in 0..4 {
                self.bands
                    .entry(band_key(band, key.hash))
                    .or_default()
                    .push(i);
            }
        } else {
            self.exact.insert(key.hash, i);
        }
    }

    /// The group of a post: an existing one within reach, or a new group it starts.
    pub fn assign(&mut self, key: DupKey) -> u64 {
        match self.find(key) {
            Some(r) => r,
            None => {
                self.insert(key);
                key.hash
            }
        }
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.reps.len()
    }

    /// Whether no group exists yet.
    pub fn is_empty(&self) -> bool {
        self.reps.is_empty()
    }
}

/// The printable group id of a representative hash.
pub fn group_id(rep: u64) -> String {
    format!("g{rep:016x}")
}

/// The duplicate key of a text, computed with the feature extractor's words.
pub fn key_of(features: &super::features::Features, text: &str) -> DupKey {
    let mut h = SimHasher::default();
    let mut seen = super::model::FpSet::default();
    let mut buf = super::features::FeatureBuf::default();
    features.for_each(text, None, &mut buf, |name, kind, _, _| {
        if kind == super::features::Kind::Word && counts_for_dup(name) {
            let fp = super::features::fingerprint(name.as_bytes());
            if seen.insert(fp) {
                h.add(fp);
            }
        }
    });
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::features::Features;

    #[test]
    fn retweets_and_near_copies_share_a_group_different_complaints_do_not() {
        let f = Features::default();
        let original = "Banjir setinggi lutut di Jl. Veteran depan pasar, motor banyak yang \
                        mogok, saluran tersumbat sampah dari kemarin sore";
        let same = [
            format!("RT @warga_bjm: {original}"),
            format!("{original} https://t.co/abc123"),
            format!("@pemkot_bjm {original} tolong"),
            original.replace("kemarin sore", "kemarin"),
        ];
        let different = [
            "Lampu jalan di Jl. Veteran mati total sejak minggu lalu, gelap sekali kalau malam",
            "Sampah di TPS Kelayan tidak diangkut tiga hari, baunya sampai ke rumah warga",
            "Banjir lagi di Jl. Sutoyo, air masuk rumah, pompa di sungai tidak jalan",
        ];
        let mut idx = DupIndex::new();
        let g0 = idx.assign(key_of(&f, original));
        for s in &same {
            assert_eq!(idx.assign(key_of(&f, s)), g0, "{s}");
        }
        let mut groups = vec![g0];
        for d in different {
            let g = idx.assign(key_of(&f, d));
            assert!(!groups.contains(&g), "{d}");
            groups.push(g);
        }
        assert_eq!(idx.len(), 4);
        assert!(group_id(g0).starts_with('g') && group_id(g0).len() == 17);
    }

    #[test]
    fn short_posts_group_only_when_identical() {
        let f = Features::default();
        let mut idx = DupIndex::new();
        let a = idx.assign(key_of(&f, "lampu mati"));
        assert_eq!(idx.assign(key_of(&f, "RT @x: Lampu MATI!")), a);
        assert_ne!(idx.assign(key_of(&f, "air mati")), a);
        assert!(!key_of(&f, "air mati").near);
    }
}
