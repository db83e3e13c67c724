//! The text analyzer: turns a post written in informal Indonesian or Banjar into tokens whose
//! spans point into the original text, each with a normalised form and, on demand, a stem.
//!
//! # Pipeline
//! 1. **Segment** ([`segment`]): the post is cut losslessly into spans of one [`TokenKind`] —
//!    words, numbers, amounts (`5rb`, `Rp 50.000,-`), URLs and e-mail addresses, @mentions,
//!    #hashtags, emoji sequences, ASCII emoticons, punctuation, space.
//! 2. **Normalise** ([`normalize`], in this order): invisible characters dropped, decorative
//!    letters folded, NFKC, lowercase, elongation (`bangettt`), reduplication (`anak2`), amounts
//!    to rupiah digits, colloquial/Banjar → standard Indonesian with phrases (`wayah ini` →
//!    `sekarang`), complaint abbreviations (`jln`, `tlg`).
//! 3. **Stop words** ([`stop`]): [`Term::is_stop`] on the normalised form; negations and
//!    complaint markers are never stop words.
//! 4. **Stem** ([`stem`]): confix-stripping stemmer over a root dictionary, computed lazily by
//!    [`Term::stem`] / [`Analyzer::stem`] (`perbaikan` → `baik`).
//!
//! # Invariants (tested)
//! - Lossless: the spans of [`Analyzer::tokens`] are contiguous, non-empty, on character
//!   boundaries, and concatenating them gives the input back byte for byte, for any input
//!   (property tests, and the fuzz target in `fuzz/` running [`fuzz_check`]).
//! - Spans never move: normalisers write `norm` only; `kind`, `start`, `end` and `text` are what
//!   segmentation produced, and `text == &input[start..end]`.
//! - Declared kinds: each normaliser changes only tokens of the kinds it declares (shared
//!   compliance test in [`normalize`]).
//! - No allocation for unchanged tokens: a `norm` nobody changed borrows the post, a standard
//!   form borrows the embedded lexicon, and a stem borrows the word or the root dictionary.
//! - A token absorbed into a phrase has an empty `norm`; [`Analyzer::terms`] and
//!   [`Analyzer::for_each_term`] skip it.
//!
//! Sharing: [`Analyzer::new`] clones a process-wide analyzer built once (`LazyLock`); the word
//! tables are immutable and shared, so an analyzer is cheap to clone and to use from many
//! threads. Stems of words that need the full algorithm are cached per thread.

pub mod lexicon;
pub mod normalize;
pub mod segment;
pub mod stem;
pub mod stop;
pub mod table;

pub use segment::{segment, Span, TokenKind};

use crate::config::TextConfig;
use lexicon::Lexicon;
use normalize::Context;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use stem::Stemmer;

/// A token of a post: its kind, its byte span in the original text and its normalised form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
    /// The original text of the span (`&post[start..end]`).
    pub text: &'a str,
    /// The normalised form used for features; empty when absorbed into a preceding phrase.
    pub norm: Cow<'a, str>,
    /// Lexicon flags of the final `norm` of a word (slang, stop word, root …), recorded by the
    /// pipeline's one lookup per word so terms answer `is_stop` and the stem fast path without
    /// another; [`lexicon::LOOKED_UP`] marks tokens that were looked up.
    pub(crate) flags: u16,
}

/// Errors building an analyzer from configuration.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("cannot read the root-word list {path}: {source}")]
    ReadRoots {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the root-word list {path} holds no words")]
    EmptyRoots { path: PathBuf },
}

/// The analyzer. Cheap to clone and to share between threads.
#[derive(Clone)]
pub struct Analyzer {
    lexicon: &'static Lexicon,
    stemmer: Stemmer,
    /// The lexicon's [`lexicon::ROOT`] flags describe this stemmer's dictionary (true for the
    /// embedded roots, false for a configured list).
    roots_in_lexicon: bool,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("roots", &self.stemmer.roots().len())
            .finish()
    }
}

static ROOTS: LazyLock<table::StrTable> =
    LazyLock::new(|| lexicon::parse_roots(lexicon::KATEGLO_ROOTS));
static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::embedded().with_roots(&ROOTS));
static DEFAULT: LazyLock<Analyzer> = LazyLock::new(|| Analyzer {
    lexicon: &LEXICON,
    stemmer: Stemmer::new(ROOTS.clone()),
    roots_in_lexicon: true,
});

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new()
    }
}

impl Analyzer {
    /// The analyzer with the shipped word lists (and the Kateglo roots when built with the
    /// `kateglo` feature).
    pub fn new() -> Analyzer {
        DEFAULT.clone()
    }

    /// The analyzer the `[text]` configuration asks for.
    pub fn from_config(config: &TextConfig) -> Result<Analyzer, TextError> {
        match &config.root_words {
            Some(path) => Analyzer::with_root_words(path),
            None => Ok(Analyzer::new()),
        }
    }

    /// The shipped word lists with the stemmer's roots read from `path` (one word per line).
    pub fn with_root_words(path: &Path) -> Result<Analyzer, TextError> {
        let text = std::fs::read_to_string(path).map_err(|source| TextError::ReadRoots {
            path: path.to_path_buf(),
            source,
        })?;
        let roots = lexicon::parse_roots(&text);
        if roots.is_empty() {
            return Err(TextError::EmptyRoots {
                path: path.to_path_buf(),
            });
        }
        Ok(Analyzer {
            lexicon: &LEXICON,
            stemmer: Stemmer::new(roots),
            roots_in_lexicon: false,
        })
    }

    /// The word lists.
    pub fn lexicon(&self) -> &'static Lexicon {
        self.lexicon
    }

    /// The stemmer.
    pub fn stemmer(&self) -> &Stemmer {
        &self.stemmer
    }

    /// All tokens of `text`, spaces included (lossless), normalised.
    pub fn tokens<'a>(&self, text: &'a str) -> Vec<Token<'a>> {
        // posts average 3–5 bytes per token (words and the spaces between); half the length covers
        // them without a second allocation
        let tokens: Vec<Token<'a>> = Vec::with_capacity(text.len() / 2 + 4);
        self.fill(text, tokens)
    }

    /// [`tokens`](Self::tokens) into the allocation `buf` keeps between posts; hand the vector
    /// back with [`TokenBuf::put`] when done with it.
    pub fn tokens_into<'a>(&self, text: &'a str, buf: &mut TokenBuf) -> Vec<Token<'a>> {
        let mut tokens = buf.take();
        tokens.reserve(text.len() / 2 + 4);
        self.fill(text, tokens)
    }

    fn fill<'a>(&self, text: &'a str, mut tokens: Vec<Token<'a>>) -> Vec<Token<'a>> {
        tokens.extend(segment::Segments::new(text).map(|s| {
            let raw = &text[s.start..s.end];
            Token {
                kind: s.kind,
                start: s.start,
                end: s.end,
                text: raw,
                norm: Cow::Borrowed(raw),
                flags: 0,
            }
        }));
        normalize::run(&mut tokens, &Context::new(self.lexicon, &self.stemmer));
        tokens
    }

    /// The tokens that carry meaning: no spaces, no punctuation, no absorbed words.
    pub fn terms<'a>(&self, text: &'a str) -> Vec<Token<'a>> {
        let mut t = self.tokens(text);
        t.retain(is_term);
        t
    }

    /// Calls `f` with every term of `text`, in order. The cheap way to consume a post: one
    /// token buffer, nothing else allocated for unchanged words, stems only when asked for.
    pub fn for_each_term(&self, text: &str, mut f: impl FnMut(&Term<'_>)) {
        let tokens = self.tokens(text);
        for t in tokens.iter().filter(|t| is_term(t)) {
            f(&Term {
                kind: t.kind,
                start: t.start,
                end: t.end,
                text: t.text,
                norm: &t.norm,
                flags: t.flags,
                analyzer: self,
            });
        }
    }

    /// The stem of a normalised word (the word itself when it has none).
    pub fn stem<'s>(&'s self, norm: &'s str) -> &'s str {
        self.stemmer.stem(norm)
    }

    /// Whether a normalised word is a stop word.
    pub fn is_stop(&self, norm: &str) -> bool {
        self.lexicon.is_stop(norm)
    }
}

/// A token vector's allocation kept between posts (see [`Analyzer::tokens_into`]).
#[derive(Debug, Default)]
pub struct TokenBuf {
    spare: Vec<Token<'static>>,
}

impl TokenBuf {
    /// The kept allocation as an empty vector of tokens of any lifetime. (Collecting an empty
    /// vector's `into_iter` through `map` into a vector of a same-layout type reuses the
    /// allocation in place; no token is ever converted.)
    fn take<'a>(&mut self) -> Vec<Token<'a>> {
        let mut v = std::mem::take(&mut self.spare);
        v.clear();
        v.into_iter().map(|_| unreachable!("emptied")).collect()
    }

    /// Gives a vector back for the next post.
    pub fn put(&mut self, mut tokens: Vec<Token<'_>>) {
        tokens.clear();
        self.spare = tokens
            .into_iter()
            .map(|_| unreachable!("emptied"))
            .collect();
    }
}

fn is_term(t: &Token<'_>) -> bool {
    !matches!(t.kind, TokenKind::Space | TokenKind::Punct) && !t.norm.is_empty()
}

/// A term handed to [`Analyzer::for_each_term`]: borrowed views, stem and stop-word status on
/// demand.
#[derive(Debug, Clone, Copy)]
pub struct Term<'t> {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
    /// The original text of the span.
    pub text: &'t str,
    /// The normalised form.
    pub norm: &'t str,
    flags: u16,
    analyzer: &'t Analyzer,
}

impl<'t> Term<'t> {
    /// The stem of a word (other kinds, and phrases' multi-word forms, return `norm`).
    #[inline]
    pub fn stem(&self) -> &'t str {
        if self.kind != TokenKind::Word {
            return self.norm;
        }
        let stemmer = &self.analyzer.stemmer;
        if self.analyzer.roots_in_lexicon && self.flags & lexicon::LOOKED_UP != 0 {
            // the pipeline's lookup already said whether the word is a root
            if self.flags & lexicon::ROOT != 0 {
                return self.norm;
            }
            return stemmer.resolve(self.norm, stemmer.stem_ref_not_root(self.norm));
        }
        stemmer.stem(self.norm)
    }

    /// Whether the normalised form is a stop word.
    #[inline]
    pub fn is_stop(&self) -> bool {
        if self.kind != TokenKind::Word {
            return false;
        }
        if self.flags & lexicon::LOOKED_UP != 0 {
            return self.flags & lexicon::STOP != 0;
        }
        self.analyzer.is_stop(self.norm)
    }
}

/// The invariants, checked on arbitrary bytes (decoded lossily): segmentation is lossless and
/// the analyzer keeps spans, texts and terms consistent, and stemming any term terminates. The
/// fuzz target and the property tests both call this.
pub fn fuzz_check(bytes: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(bytes);
    check_invariants(&text)
}

/// See [`fuzz_check`].
pub fn check_invariants(text: &str) -> Result<(), String> {
    let mut pos = 0;
    let mut rebuilt = String::with_capacity(text.len());
    for s in segment::Segments::new(text) {
        if s.start != pos || s.end <= s.start {
            return Err(format!(
                "bad span {}..{} at {pos} in {text:?}",
                s.start, s.end
            ));
        }
        let piece = text.get(s.start..s.end).ok_or_else(|| {
            format!(
                "span {}..{} off char boundaries in {text:?}",
                s.start, s.end
            )
        })?;
        rebuilt.push_str(piece);
        pos = s.end;
    }
    if rebuilt != text {
        return Err(format!("segments do not rebuild {text:?}"));
    }
    let analyzer = Analyzer::new();
    let tokens = analyzer.tokens(text);
    let spans = segment(text);
    if tokens.len() != spans.len() {
        return Err(format!("analyzer changed the token count of {text:?}"));
    }
    for (t, s) in tokens.iter().zip(&spans) {
        if (t.kind, t.start, t.end) != (s.kind, s.start, s.end) || t.text != &text[s.start..s.end] {
            return Err(format!("analyzer moved a span in {text:?}"));
        }
    }
    let mut n = 0;
    analyzer.for_each_term(text, |t| {
        n += 1;
        let _ = t.stem();
        let _ = t.is_stop();
    });
    if n != analyzer.terms(text).len() {
        return Err(format!("for_each_term and terms disagree on {text:?}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
