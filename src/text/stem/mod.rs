//! Indonesian stemmer of the confix-stripping family (Nazief & Adriani 1996; Asian 2007 "CS";
//! Arifin, Mahendra & Ciptaningtyas 2009 "ECS"), with a root-word dictionary.
//!
//! The control flow is the one Sastrawi implements (and most Indonesian projects use through
//! PySastrawi), so our stems can be compared with theirs word for word:
//! 1. a word in the dictionary is its own root;
//! 2. words shaped like `be…lah`, `be…an`, `me…i`, `di…i`, `pe…i`, `ter…i` try prefixes before
//!    suffixes (the CS precedence adjustment), then fall back to suffixes first;
//! 3. suffixes: particles (`-lah -kah -tah -pun`), possessives (`-ku -mu -nya`), derivational
//!    (`-i -kan -an`, and `-is -isme -isasi`);
//! 4. up to three rounds of prefix removal (`di- ke- se-`, then the disambiguation rules of
//!    [`rules`], which recode nasal prefixes: `menyapu` → `sapu`);
//! 5. ECS "loop pengembalian akhiran": put suffixes back one by one (trying `-k` for `-kan`) and
//!    retry the prefixes;
//! 6. the result is the current word if the dictionary has it, else the word unchanged.
//!
//! dengar departs from Sastrawi in one place, words ending in `-kan` inside `ke-`, `pe-`, `be-`
//! and `te-` forms, where the `-an` reading or the plain root is tried first (`kerusakan` →
//! `rusak` not `rusa`, `berikan` → `beri` not `ikan`; see `k_an_reading`). Everywhere else
//! the stems are Sastrawi's, word for word (measured: `benches/compare_sastrawi.py`).
//!
//! Reduplicated words (`anak-anak`, `berbalas-balasan`) stem both halves and keep the root when
//! they agree. Only ASCII lowercase words are stemmed (others come back unchanged): the
//! dictionary is ASCII, so nothing else could reach a root.
//!
//! Speed: a stem is either the word itself, a prefix of it, or a dictionary entry, so a result
//! is a [`Stem`] of a few bytes and borrowing it never allocates. [`Stemmer::stem`] answers
//! dictionary words and words no affix rule can touch without any cache (the fast path); other
//! words go through a per-thread cache keyed by word, cleared when it grows past
//! [`CACHE_LIMIT`] entries (no LRU bookkeeping).

mod buf;
mod rules;

use super::table::StrTable;
use buf::{Buf, MAX_WORD};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Entries kept in each thread's stem cache before it is cleared.
pub const CACHE_LIMIT: usize = 50_000;

/// The stem of a word, relative to the word and the dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stem {
    /// The word is its own stem (a root, or nothing could be stripped).
    Unchanged,
    /// The root with this id in the dictionary.
    Root(u32),
    /// The first `n` bytes of the word (the left half of a reduplication that is not a root).
    Prefix(u32),
}

/// A stemmer over one root dictionary. Cheap to clone (the dictionary is shared).
#[derive(Debug, Clone)]
pub struct Stemmer {
    roots: Arc<StrTable>,
    /// Identifies the dictionary in the per-thread caches.
    id: u64,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Affix type of a removal, as in the CS papers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Affix {
    /// Derivational prefix.
    Prefix,
    /// Derivational suffix.
    Suffix,
    /// Possessive pronoun.
    Possessive,
    /// Particle.
    Particle,
}

#[derive(Debug, Clone, Copy)]
struct Removal {
    affix: Affix,
    subject: Buf,
    result: Buf,
    /// The removed suffix was exactly `kan`.
    kan: bool,
}

impl Stemmer {
    /// A stemmer over `roots` (lowercase root words).
    pub fn new(roots: StrTable) -> Stemmer {
        Stemmer {
            roots: Arc::new(roots),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// The root dictionary.
    pub fn roots(&self) -> &StrTable {
        &self.roots
    }

    /// The stem of `word` (lowercase), borrowing from `word` or from the dictionary.
    #[inline]
    pub fn stem<'s>(&'s self, word: &'s str) -> &'s str {
        let s = self.stem_ref(word);
        self.resolve(word, s)
    }

    /// Turns a [`Stem`] of `word` into text.
    #[inline]
    pub fn resolve<'s>(&'s self, word: &'s str, stem: Stem) -> &'s str {
        match stem {
            Stem::Unchanged => word,
            Stem::Root(id) => self.roots.get(id),
            Stem::Prefix(n) => word.get(..n as usize).unwrap_or(word),
        }
    }

    /// The stem of `word` as a [`Stem`]: the fast path, then the per-thread cache.
    #[inline]
    pub fn stem_ref(&self, word: &str) -> Stem {
        if let Some(id) = self.roots.id(word) {
            return Stem::Root(id);
        }
        self.stem_ref_not_root(word)
    }

    /// [`Stemmer::stem_ref`] for a word the caller already knows is not in the dictionary
    /// (the analyzer knows it from its one lexicon lookup per word).
    #[inline]
    pub fn stem_ref_not_root(&self, word: &str) -> Stem {
        if let Some(fast) = self.fast_path(word) {
            return fast;
        }
        CACHE.with(|cell| {
            let mut cache = cell.borrow_mut();
            if cache.owner != self.id {
                cache.map.clear();
                cache.owner = self.id;
            }
            if let Some(&s) = cache.map.get(word) {
                return s;
            }
            let s = self.stem_uncached(word);
            if cache.map.len() >= CACHE_LIMIT {
                cache.map.clear();
            }
            cache.map.insert(word.into(), s);
            s
        })
    }

    /// Answers without the cache when the answer is cheap: roots, too-long or non-letter words,
    /// and words no affix rule can touch.
    #[inline]
    fn fast_path(&self, word: &str) -> Option<Stem> {
        let w = word.as_bytes();
        if w.len() > MAX_WORD || w.len() < 2 {
            return Some(Stem::Unchanged);
        }
        // any byte outside [a-z-] (digit, apostrophe, non-ASCII, space) can never reach a root
        if !w.iter().all(|b| b.is_ascii_lowercase() || *b == b'-') {
            return Some(Stem::Unchanged);
        }
        if w.contains(&b'-') {
            return None;
        }
        if !rules::may_have_prefix(w) && !may_have_suffix(w) {
            return Some(Stem::Unchanged);
        }
        None
    }

    /// The full algorithm, without fast path or cache (exposed for benchmarks and the
    /// comparison with PySastrawi).
    pub fn stem_uncached(&self, word: &str) -> Stem {
        let w = word.as_bytes();
        if w.len() > MAX_WORD
            || !w
                .iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        {
            return Stem::Unchanged;
        }
        if is_plural(w) {
            self.stem_plural(w)
        } else {
            self.stem_singular(w)
        }
    }

    fn lookup(&self, b: &[u8]) -> Option<u32> {
        std::str::from_utf8(b).ok().and_then(|s| self.roots.id(s))
    }

    fn singular_result(&self, w: &[u8]) -> Option<Buf> {
        if let Some(r) = self.k_an_reading(w) {
            return Some(r);
        }
        self.ecs(w)
    }

    /// dengar's departures from Sastrawi, both for words ending in `-kan` (after any particle
    /// or possessive) that start with `ke-`, `pe-`, `be-` or `te-`:
    /// 1. a `be…kan` word whose part before `-kan` is a root is that root (`berikan` → `beri`,
    ///    `bersihkan` → `bersih`, `beratkan` → `berat`), where Sastrawi's `be…an` precedence
    ///    rule strips `ber-` first and lands on `ikan`, `sih`, `rat`;
    /// 2. the word is read as prefix + root ending in `k` + `-an` (`kerusakan` → `rusak`,
    ///    `penarikan` → `tarik`, `berserakan` → `serak`, `keretakan` → `retak`; Sastrawi: `rusa`,
    ///    `tari`, `sera`, `kereta`), because `ke-…-kan` and `pe-…-kan` are not Indonesian
    ///    confixes and the nominal `-an` is the usual reading after `ber-`/`ter-`. The reading is
    ///    kept only if it strips a prefix and reaches a root of four letters or more ending in
    ///    `k`; otherwise ECS decides (`perhatikan` → `hati`, `kenakan` → `kena`).
    ///
    /// `di-` and `me-` words (where `-kan` verbs live) and bare words (`carikan`, `tumpukan`:
    /// imperative or noun) are left to ECS.
    fn k_an_reading(&self, w: &[u8]) -> Option<Buf> {
        if !matches!(w.get(..2), Some(b"ke" | b"pe" | b"be" | b"te"))
            || self.roots.contains(std::str::from_utf8(w).ok()?)
        {
            return None;
        }
        let mut core = w;
        if let Some((r, _)) = strip_particle(core) {
            core = &w[..r.len()];
        }
        if let Some((r, _)) = strip_possessive(core) {
            core = &w[..r.len()];
        }
        if core.len() < 6 || !core.ends_with(b"kan") {
            return None;
        }
        let before_kan = &core[..core.len() - 3];
        if core.starts_with(b"be") && self.lookup(before_kan).is_some() {
            return Buf::new(before_kan);
        }
        let base = &core[..core.len() - 2];
        let r = self.ecs(base)?;
        (r.len() >= 4
            && r.as_bytes() != base
            && r.as_bytes().ends_with(b"k")
            && self.roots.contains(r.as_str()))
        .then_some(r)
    }

    /// The ECS flow as Sastrawi runs it.
    fn ecs(&self, w: &[u8]) -> Option<Buf> {
        let orig = Buf::new(w)?;
        let mut cx = Context {
            dict: &self.roots,
            original: orig,
            current: orig,
            stopped: false,
            removals: Vec::new(),
        };
        cx.run();
        Some(if cx.contains(&cx.current) {
            cx.current
        } else {
            orig
        })
    }

    fn stem_singular(&self, w: &[u8]) -> Stem {
        match self.singular_result(w) {
            Some(r) if r.as_bytes() != w => self
                .lookup(r.as_bytes())
                .map_or(Stem::Unchanged, Stem::Root),
            _ => Stem::Unchanged,
        }
    }

    /// Reduplication: `anak-anak`, `berbalas-balasan`, `meniru-nirukan`, `malaikat-malaikatnya`.
    fn stem_plural(&self, w: &[u8]) -> Stem {
        let Some(dash) = w.iter().rposition(|&b| b == b'-') else {
            return self.stem_singular(w);
        };
        let (mut left, mut right): (&[u8], Buf) = match Buf::new(&w[dash + 1..]) {
            Some(r) => (&w[..dash], r),
            None => return Stem::Unchanged,
        };
        const SUFFIXES: [&[u8]; 7] = [b"ku", b"mu", b"nya", b"lah", b"kah", b"tah", b"pun"];
        if SUFFIXES.contains(&right.as_bytes()) {
            if let Some(d2) = left.iter().rposition(|&b| b == b'-') {
                let suffix = right;
                match Buf::concat(&left[d2 + 1..], b"-")
                    .and_then(|b| Buf::concat(b.as_bytes(), suffix.as_bytes()))
                {
                    Some(r) => right = r,
                    None => return Stem::Unchanged,
                }
                left = &left[..d2];
            }
        }
        let (Some(root1), Some(mut root2)) = (
            self.singular_result(left),
            self.singular_result(right.as_bytes()),
        ) else {
            return Stem::Unchanged;
        };
        if !self.roots.contains(right.as_str()) && root2 == right {
            if let Some(me) = Buf::concat(b"me", right.as_bytes())
                .and_then(|m| self.singular_result(m.as_bytes()))
            {
                root2 = me;
            }
        }
        if root1 != root2 {
            return Stem::Unchanged;
        }
        match self.lookup(root1.as_bytes()) {
            Some(id) => Stem::Root(id),
            // not a root: root1 is the left half unchanged, a prefix of the word
            None if root1.as_bytes() == left => Stem::Prefix(left.len() as u32),
            None => Stem::Unchanged,
        }
    }
}

/// Whether a suffix rule could apply (the fast path skips words that end in none).
#[inline]
fn may_have_suffix(w: &[u8]) -> bool {
    const ENDS: [&[u8]; 11] = [
        b"lah", b"kah", b"tah", b"pun", b"ku", b"mu", b"nya", b"i", b"kan", b"an", b"is",
    ];
    ENDS.iter().any(|e| w.ends_with(e)) || w.ends_with(b"isme")
}

/// Sastrawi's plural test: a hyphen, except a single one before a particle or possessive
/// (`nikmat-ku` is singular).
fn is_plural(w: &[u8]) -> bool {
    let Some(dash) = w.iter().rposition(|&b| b == b'-') else {
        return false;
    };
    let after = &w[dash + 1..];
    if matches!(
        after,
        b"ku" | b"mu" | b"nya" | b"lah" | b"kah" | b"tah" | b"pun"
    ) {
        return w[..dash].contains(&b'-');
    }
    true
}

struct Context<'d> {
    dict: &'d StrTable,
    original: Buf,
    current: Buf,
    /// Set for words of three letters or fewer: each visitor list then runs only its first
    /// visitor (Sastrawi's `DontStemShortWord` semantics).
    stopped: bool,
    removals: Vec<Removal>,
}

impl Context<'_> {
    #[inline]
    fn contains(&self, b: &Buf) -> bool {
        self.dict.contains(b.as_str())
    }

    fn done(&self) -> bool {
        self.contains(&self.current)
    }

    fn run(&mut self) {
        if self.done() {
            return;
        }
        if self.original.len() <= 3 {
            self.stopped = true;
        }
        if precedence_adjustment(self.original.as_bytes()) {
            self.remove_prefixes();
            if self.done() {
                return;
            }
            self.remove_suffixes();
            if self.done() {
                return;
            }
            self.current = self.original;
            self.removals.clear();
        }
        self.remove_suffixes();
        if self.done() {
            return;
        }
        self.remove_prefixes();
        if self.done() {
            return;
        }
        self.restore_suffixes_loop();
    }

    fn record(&mut self, affix: Affix, result: Buf, kan: bool) {
        self.removals.push(Removal {
            affix,
            subject: self.current,
            result,
            kan,
        });
        self.current = result;
    }

    fn remove_suffixes(&mut self) {
        let visitors: [SuffixVisitor; 3] = [strip_particle, strip_possessive, strip_derivational];
        let affixes = [Affix::Particle, Affix::Possessive, Affix::Suffix];
        for (visit, affix) in visitors.into_iter().zip(affixes) {
            if let Some((r, kan)) = visit(self.current.as_bytes()) {
                self.record(affix, r, kan);
            }
            if self.done() || self.stopped {
                return;
            }
        }
    }

    fn remove_prefixes(&mut self) {
        for _ in 0..3 {
            self.prefix_round();
            if self.done() {
                return;
            }
        }
    }

    /// One round: the first prefix visitor that removes something ends the round.
    fn prefix_round(&mut self) {
        // plain prefixes di-, ke-, se-
        let w = self.current.as_bytes();
        if matches!(w.get(..2), Some(b"di" | b"ke" | b"se")) {
            if let Some(r) = Buf::new(&w[2..]) {
                self.record(Affix::Prefix, r, false);
                return;
            }
        }
        if self.done() || self.stopped {
            return;
        }
        for group in rules::GROUPS {
            let w = self.current.as_bytes();
            let mut result = None;
            for rule in group.iter() {
                result = rule(w);
                if result.is_some_and(|r| self.contains(&r)) {
                    break;
                }
            }
            if let Some(r) = result {
                self.record(Affix::Prefix, r, false);
                return;
            }
            if self.done() {
                return;
            }
        }
    }

    /// ECS: restore the word before prefix removal, then give back suffixes one at a time
    /// (last removed first) and retry the prefixes.
    fn restore_suffixes_loop(&mut self) {
        if let Some(first) = self.removals.first() {
            self.current = first.subject;
        }
        self.removals.retain(|r| r.affix != Affix::Prefix);
        let saved = self.removals.clone();
        let current = self.current;
        for removal in saved.iter().rev() {
            if removal.kan {
                if let Some(k) = Buf::concat(removal.result.as_bytes(), b"k") {
                    self.current = k;
                    self.remove_prefixes();
                    if self.done() {
                        return;
                    }
                }
            }
            self.current = removal.subject;
            self.remove_prefixes();
            if self.done() {
                return;
            }
            self.removals.clone_from(&saved);
            self.current = current;
        }
    }
}

/// Sastrawi's precedence adjustment: these confixes try prefixes first.
fn precedence_adjustment(w: &[u8]) -> bool {
    let n = w.len();
    (w.starts_with(b"be") && ((n >= 5 && w.ends_with(b"lah")) || (n >= 4 && w.ends_with(b"an"))))
        || (n >= 3
            && (w.starts_with(b"me") || w.starts_with(b"di") || w.starts_with(b"pe"))
            && w.ends_with(b"i"))
        || (n >= 4 && w.starts_with(b"ter") && w.ends_with(b"i"))
}

/// A suffix rule: the word without the suffix, and whether the suffix was exactly `kan`.
type SuffixVisitor = fn(&[u8]) -> Option<(Buf, bool)>;

/// `-lah -kah -tah -pun`, with any hyphens before them.
fn strip_particle(w: &[u8]) -> Option<(Buf, bool)> {
    strip_with_hyphens(w, &[b"lah", b"kah", b"tah", b"pun"])
}

/// `-ku -mu -nya`, with any hyphens before them.
fn strip_possessive(w: &[u8]) -> Option<(Buf, bool)> {
    strip_with_hyphens(w, &[b"ku", b"mu", b"nya"])
}

fn strip_with_hyphens(w: &[u8], ends: &[&[u8]]) -> Option<(Buf, bool)> {
    let e = ends.iter().find(|e| w.ends_with(e))?;
    let mut n = w.len() - e.len();
    while n > 0 && w[n - 1] == b'-' {
        n -= 1;
    }
    Some((Buf::new(&w[..n])?, false))
}

/// `-is -isme -isasi -i -kan -an`: the longest that matches (a regex alternation anchored at
/// the end finds the leftmost, i.e. longest, match).
fn strip_derivational(w: &[u8]) -> Option<(Buf, bool)> {
    const ENDS: [&[u8]; 6] = [b"isasi", b"isme", b"kan", b"is", b"an", b"i"];
    let e = ENDS.iter().find(|e| w.ends_with(e))?;
    Some((Buf::new(&w[..w.len() - e.len()])?, *e == b"kan"))
}

/// The per-thread stem cache.
struct Cache {
    owner: u64,
    map: HashMap<Box<str>, Stem, BuildHasherDefault<WordHasher>>,
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache { owner: 0, map: HashMap::default() });
}

/// `Hasher` over [`super::table::hash`] for the cache's word keys.
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = self.0.rotate_left(7) ^ super::table::hash(bytes);
    }
}

#[cfg(test)]
mod tests;
