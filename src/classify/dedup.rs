//! Near-duplicate groups: a MinHash signature over a post's normalised words, and an index
//! that gives posts whose word sets overlap enough the same group id.
//!
//! What counts: distinct lowercased words (no mentions, URLs, numbers or the `RT` marker), so a
//! retweet (`RT @warga: ...`), a copy with another link, or one with a few words added or cut
//! lands with the original. Very short posts (under [`MIN_WORDS`] words) only group with
//! identical word sets: one changed word is most of their content.
//!
//! A signature is [`K`] minimum hashes (multiply-shift hashing of the words' 64-bit
//! fingerprints); the share of equal slots estimates the Jaccard similarity of two word sets.
//! The index bands the signature ([`BANDS`] bands of two slots) to find candidates in constant
//! time and confirms a candidate when the estimated similarity reaches [`MIN_SIMILARITY`].
//! Only each group's first member is stored, so memory grows with groups, not posts.
//! (SimHash was tried first: on tweets of 15–20 words one added word flips 5–8 of 64 bits, too
//! many to tell a copy from a different post.)

use super::model::FpMap;

/// Signature length.
pub const K: usize = 24;
/// Bands of the index (two slots each).
pub const BANDS: usize = K / 2;
/// Estimated Jaccard similarity at or above which two posts are one group.
pub const MIN_SIMILARITY: f32 = 0.5;
/// Posts with fewer distinct words group only with identical word sets.
pub const MIN_WORDS: usize = 4;

/// Odd multipliers of the K hash functions (SplitMix64 outputs, forced odd).
const MULT: [u64; K] = {
    let mut m = [0u64; K];
    let mut state: u64 = 0x5EED_0FD3_06A4;
    let mut i = 0;
    while i < K {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        m[i] = (z ^ (z >> 31)) | 1;
        i += 1;
    }
    m
};

/// Accumulates a post's duplicate key from its word fingerprints.
#[derive(Debug, Clone)]
pub struct DupHasher {
    sig: [u32; K],
    words: usize,
}

impl Default for DupHasher {
    fn default() -> Self {
        DupHasher {
            sig: [u32::MAX; K],
            words: 0,
        }
    }
}

impl DupHasher {
    /// Starts a new post.
    pub fn clear(&mut self) {
        *self = DupHasher::default();
    }

    /// Adds a word's fingerprint (adding a word twice changes nothing but the word count).
    #[inline]
    pub fn add(&mut self, fp: u64) {
        self.words += 1;
        for (s, m) in self.sig.iter_mut().zip(MULT) {
            let h = (fp.wrapping_mul(m) >> 32) as u32;
            if h < *s {
                *s = h;
            }
        }
    }

    /// The post's key.
    pub fn finish(&self) -> DupKey {
        // the signature is a function of the word *set*: its hash identifies the exact set
        let mut exact: u64 = 0xcbf2_9ce4_8422_2325;
        for &v in &self.sig {
            exact = (exact ^ v as u64).wrapping_mul(0x0000_0100_0000_01b3);
        }
        DupKey {
            sig: self.sig,
            exact: exact | 1,
            near: self.words >= MIN_WORDS,
        }
    }
}

/// A post's duplicate key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DupKey {
    /// MinHash signature.
    pub sig: [u32; K],
    /// Order-free hash of the exact word set.
    pub exact: u64,
    /// Long enough for near matching.
    pub near: bool,
}

impl DupKey {
    /// Estimated Jaccard similarity of two keys' word sets.
    pub fn similarity(&self, other: &DupKey) -> f32 {
        let same = self
            .sig
            .iter()
            .zip(&other.sig)
            .filter(|(a, b)| a == b)
            .count();
        same as f32 / K as f32
    }

    /// A 64-bit id of this key (used as the group id of a group it starts).
    pub fn id(&self) -> u64 {
        self.exact
    }
}

/// Whether a `w:` feature name is a word that counts for duplicates.
pub fn counts_for_dup(name: &str) -> bool {
    counts_for_dup_bytes(name.as_bytes())
}

/// [`counts_for_dup`] on a name's bytes.
#[inline]
pub fn counts_for_dup_bytes(name: &[u8]) -> bool {
    name.starts_with(b"w:") && !matches!(name, b"w:rt" | b"w:@gov" | b"w:@user" | b"w:<num>")
}

/// Assigns group ids across a batch of posts.
#[derive(Debug, Default)]
pub struct DupIndex {
    reps: Vec<(DupKey, u64)>,
    bands: FpMap<Vec<u32>>,
    exact: FpMap<u32>,
}

fn band_key(band: usize, sig: &[u32; K]) -> u64 {
    let a = sig[2 * band] as u64;
    let b = sig[2 * band + 1] as u64;
    ((a << 32 | b) ^ (band as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93))
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl DupIndex {
    /// An empty index.
    pub fn new() -> DupIndex {
        DupIndex::default()
    }

    /// The group id of an existing group this key belongs to, if any.
    pub fn find(&self, key: DupKey) -> Option<u64> {
        if !key.near {
            return self.exact.get(&key.exact).map(|&i| self.reps[i as usize].1);
        }
        for band in 0..BANDS {
            if let Some(cands) = self.bands.get(&band_key(band, &key.sig)) {
                for &i in cands {
                    let (rep, id) = &self.reps[i as usize];
                    if rep.similarity(&key) >= MIN_SIMILARITY {
                        return Some(*id);
                    }
                }
            }
        }
        None
    }

    /// Adds a key as a new group's first member (without checking for an existing group).
    pub fn insert(&mut self, key: DupKey) -> u64 {
        let i = self.reps.len() as u32;
        let id = key.id();
        self.reps.push((key, id));
        if key.near {
            for band in 0..BANDS {
                self.bands
                    .entry(band_key(band, &key.sig))
                    .or_default()
                    .push(i);
            }
        } else {
            self.exact.insert(key.exact, i);
        }
        id
    }

    /// The group of a post: an existing one within reach, or a new group it starts.
    pub fn assign(&mut self, key: DupKey) -> u64 {
        match self.find(key) {
            Some(id) => id,
            None => self.insert(key),
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

/// The printable group id.
pub fn group_id(id: u64) -> String {
    format!("g{id:016x}")
}

/// The duplicate key of a text, computed with the feature extractor's words.
pub fn key_of(features: &super::features::Features, text: &str) -> DupKey {
    let mut h = DupHasher::default();
    let mut buf = super::features::FeatureBuf::default();
    features.for_each(text, None, &mut buf, |name, kind, _, _| {
        if kind == super::features::Kind::Word && counts_for_dup(name) {
            h.add(super::features::fingerprint(name.as_bytes()));
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
        let k = key_of(&f, "jalan rusak parah sekali di sini");
        assert_eq!(k.similarity(&k), 1.0);
    }
}
