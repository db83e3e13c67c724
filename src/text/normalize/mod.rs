//! Normalisers: each one changes the `norm` of the tokens of the kinds it declares, and nothing
//! else — never a kind, never a span, never the original text.
//!
//! Order (the analyzer runs them in this order, [`all`] lists them in the same order):
//! 1. [`invisible`] — drop zero-width, bidi and control characters (and emoji variation
//!    selectors);
//! 2. [`decorative`] — fold decorative letters (mathematical bold/italic, fullwidth, circled,
//!    squared, small capitals, Cyrillic/Greek look-alikes in Latin words) to ASCII;
//! 3. [`nfkc`] — Unicode NFKC for what is left (ligatures, superscripts, compatibility forms);
//! 4. [`lowercase`] — lowercase (ASCII fast path);
//! 5. [`elongation`] — `bangettt` → `banget`, `tolonggg` → `tolong`, keeping real double letters
//!    (`tunggu`, `saat`, `maaf`) by checking candidates against the word lists;
//! 6. [`reduplication`] — `anak2` → `anak-anak`, `mudah2an` → `mudah-mudahan`;
//! 7. [`amount`] — `5rb`, `1,5 juta`, `Rp 50.000,-` → rupiah as plain digits;
//! 8. [`slang`] — colloquial Indonesian and Banjar → standard Indonesian, phrases first
//!    (`wayah ini` → `sekarang`), ambiguous Banjar forms only in posts that look Banjar;
//! 9. [`abbrev`] — complaint abbreviations (`jln`, `jl.`, `gg.`, `tlg`, `mhn`, `gmn`, `blm` …),
//!    which take precedence over the lists for the same form (the lexicon gives them priority;
//!    running after `slang` lets phrases see the words as written).
//!
//! Steps 1–7 look at one token; steps 8–9 may look at the tokens after it (phrases) and at the
//! whole post (is it Banjar?). A phrase's standard form goes on its first word; the other words
//! of the phrase get an empty `norm` (they are *absorbed*; terms skip them).
//!
//! `Cow`: a normaliser that changes nothing leaves the `norm` as it was (borrowed from the post
//! when no earlier step changed it), and a standard form from a word list is borrowed from the
//! embedded lexicon, so neither allocates.
//!
//! Every normaliser passes the shared compliance test in this module: on generated posts it
//! changes only the norms of its declared kinds and keeps every span, kind and text.

pub mod abbrev;
pub mod amount;
pub mod decorative;
pub mod elongation;
pub mod invisible;
pub mod lowercase;
pub mod nfkc;
pub mod reduplication;
pub mod slang;

use super::lexicon::{Info, Lexicon, LOOKED_UP};
use super::stem::Stemmer;
use super::{Token, TokenKind};
use std::borrow::Cow;
use std::cell::Cell;

/// A set of token kinds (bit set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindSet(u16);

impl KindSet {
    /// The set of `kinds`.
    pub const fn of(kinds: &[TokenKind]) -> KindSet {
        let mut bits = 0u16;
        let mut i = 0;
        while i < kinds.len() {
            bits |= 1 << kinds[i] as u16;
            i += 1;
        }
        KindSet(bits)
    }

    /// Whether `kind` is in the set.
    #[inline]
    pub const fn contains(self, kind: TokenKind) -> bool {
        self.0 & (1 << kind as u16) != 0
    }
}

/// What normalisers may consult: the word lists, the stemmer (to tell a known inflected word),
/// and facts about the whole post computed on demand.
pub struct Context<'r> {
    pub lexicon: &'static Lexicon,
    pub stemmer: &'r Stemmer,
    /// Whether the post looks Banjar; computed the first time an ambiguous form needs it.
    banjar: Cell<Option<bool>>,
    /// The last lexicon lookup of a token's norm: `(token index, result)`, so the lexicon
    /// steps look each word up once. A step that changes a norm calls [`Context::forget`].
    memo: Cell<Option<(usize, Option<Info>)>>,
}

impl<'r> Context<'r> {
    /// A context for one post.
    pub fn new(lexicon: &'static Lexicon, stemmer: &'r Stemmer) -> Context<'r> {
        Context {
            lexicon,
            stemmer,
            banjar: Cell::new(None),
            memo: Cell::new(None),
        }
    }

    /// The lexicon entry of `norm`, the current norm of token `i` (memoised per token).
    #[inline]
    pub fn lookup(&self, i: usize, norm: &str) -> Option<Info> {
        if let Some((j, info)) = self.memo.get() {
            if j == i {
                return info;
            }
        }
        let info = self.lexicon.lookup(norm);
        self.memo.set(Some((i, info)));
        info
    }

    /// Drops the memoised lookup (after changing a norm).
    #[inline]
    pub fn forget(&self) {
        self.memo.set(None);
    }

    /// Whether `w` (lowercase) is a word we know: listed in a lexicon, a root, or an inflected
    /// form of a root.
    pub fn knows(&self, w: &str) -> bool {
        self.lexicon.knows(w) || self.stemmer.roots().contains(w) || self.stemmer.stem(w) != w
    }

    /// Whether `w` is listed in a lexicon or is a root (no stemming).
    pub fn lists(&self, w: &str) -> bool {
        self.lexicon.knows(w) || self.stemmer.roots().contains(w)
    }

    /// Whether the post holds at least one unambiguous Banjar form (`kada`, `ulun`, `banyu`).
    pub fn is_banjar_post(&self, tokens: &[Token<'_>]) -> bool {
        if let Some(b) = self.banjar.get() {
            return b;
        }
        let b = tokens.iter().any(|t| {
            t.kind == TokenKind::Word
                && t.text.len() <= 32
                && with_ascii_lowercase(t.text, |w| {
                    self.lexicon
                        .lookup(w)
                        .is_some_and(|i| i.has(super::lexicon::BANJAR))
                })
        });
        self.banjar.set(Some(b));
        b
    }
}

/// Calls `f` with the ASCII-lowercased `s` (from a stack buffer; non-ASCII text gives false).
fn with_ascii_lowercase(s: &str, f: impl FnOnce(&str) -> bool) -> bool {
    let mut buf = [0u8; 32];
    let b = s.as_bytes();
    if b.len() > buf.len() || !s.is_ascii() {
        return false;
    }
    for (d, c) in buf.iter_mut().zip(b) {
        *d = c.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..b.len()]).is_ok_and(f)
}

/// A normalisation step.
pub trait Normalizer: Send + Sync {
    /// Short name, for docs and test messages.
    fn name(&self) -> &'static str;

    /// The kinds whose `norm` this step may change. It is only called on these kinds, and may
    /// only write the `norm` of tokens of these kinds.
    fn kinds(&self) -> KindSet;

    /// Normalises `tokens[i]` (its kind is in [`Normalizer::kinds`]); may read any token and,
    /// for phrases, set the `norm` of later tokens of its kinds.
    fn normalize<'a>(&self, tokens: &mut [Token<'a>], i: usize, cx: &Context<'_>);
}

/// Every normaliser, in pipeline order.
pub fn all() -> [&'static dyn Normalizer; 9] {
    [
        &invisible::Invisible,
        &decorative::Decorative,
        &nfkc::Nfkc,
        &lowercase::Lowercase,
        &elongation::Elongation,
        &reduplication::Reduplication,
        &amount::Amount,
        &slang::Slang,
        &abbrev::Abbrev,
    ]
}

#[inline(always)]
fn step<N: Normalizer>(n: &N, tokens: &mut [Token<'_>], i: usize, cx: &Context<'_>) {
    if n.kinds().contains(tokens[i].kind) {
        n.normalize(tokens, i, cx);
    }
}

/// Runs the whole pipeline over a post's tokens: the one-token steps on each token, then each
/// lexicon step over the post (a phrase sees its following words cleaned up but not yet mapped).
/// Static dispatch, because this runs for every token of every post.
pub fn run(tokens: &mut [Token<'_>], cx: &Context<'_>) {
    for i in 0..tokens.len() {
        if matches!(
            tokens[i].kind,
            TokenKind::Space | TokenKind::Punct | TokenKind::Emoticon
        ) {
            continue;
        }
        let bytes = tokens[i].norm.as_bytes();
        if bytes.is_ascii() {
            // ASCII fast path: one pass decides which steps can change anything (invisible,
            // decorative and NFKC never change ASCII; the others are called only when their
            // trigger is present — the compliance test checks this equals calling them all)
            let shape = AsciiShape::of(bytes);
            if shape.upper {
                step(&lowercase::Lowercase, tokens, i, cx);
            }
            if shape.double {
                step(&elongation::Elongation, tokens, i, cx);
            }
            if shape.two {
                step(&reduplication::Reduplication, tokens, i, cx);
            }
            step(&amount::Amount, tokens, i, cx);
            continue;
        }
        step(&invisible::Invisible, tokens, i, cx);
        step(&decorative::Decorative, tokens, i, cx);
        step(&nfkc::Nfkc, tokens, i, cx);
        step(&lowercase::Lowercase, tokens, i, cx);
        step(&elongation::Elongation, tokens, i, cx);
        step(&reduplication::Reduplication, tokens, i, cx);
        step(&amount::Amount, tokens, i, cx);
    }
    // token by token: the same result as step by step, because `slang` only looks ahead at
    // words neither step has touched yet, and `abbrev` only at its own token
    for i in 0..tokens.len() {
        if tokens[i].kind == TokenKind::Word && !tokens[i].norm.is_empty() {
            step(&slang::Slang, tokens, i, cx);
            if !tokens[i].norm.is_empty() {
                step(&abbrev::Abbrev, tokens, i, cx);
                // the flags of the final norm: the memo when no step changed it
                let info = cx.lookup(i, &tokens[i].norm);
                tokens[i].flags = LOOKED_UP | info.map_or(0, |x| x.flags);
            }
        }
    }
}

/// What one pass over an ASCII token says about it.
struct AsciiShape {
    /// Has a capital letter.
    upper: bool,
    /// Has a letter repeated, ignoring case (`tolongG` too).
    double: bool,
    /// Has the digit `2`.
    two: bool,
}

impl AsciiShape {
    #[inline]
    fn of(b: &[u8]) -> AsciiShape {
        let mut shape = AsciiShape {
            upper: false,
            double: false,
            two: false,
        };
        let mut prev = 0u8;
        for &c in b {
            shape.upper |= c.is_ascii_uppercase();
            shape.two |= c == b'2';
            let l = c.to_ascii_lowercase();
            shape.double |= l == prev && l.is_ascii_lowercase();
            prev = l;
        }
        shape
    }
}

/// Replaces a token's norm with `new` only when it differs (keeps the borrow otherwise).
#[inline]
pub(crate) fn set_norm<'a>(tok: &mut Token<'a>, new: Cow<'a, str>) {
    if new != tok.norm {
        tok.norm = new;
    }
}

#[cfg(test)]
mod compliance;
