//! Feature extraction: from a post's text (and the watched account it concerns) to named,
//! spanned features that a model's vocabulary indexes by 64-bit fingerprint.
//!
//! Feature set [`FEATURE_SET`] (every name starts with a one-letter namespace):
//! - `w:` surface word, lowercased (raw forms carry signal that slang normalisation loses);
//! - `n:` the analyzer's normalised form, when it differs from the surface word;
//! - `c:` character 2–5-grams inside ` word ` (space-padded, like scikit-learn's `char_wb`),
//!   for typos, elongations and affixes;
//! - `b:` word bigrams over units (words, with mentions as `@gov`/`@user`, URLs as `<url>` and
//!   numbers as `<num>`);
//! - `x:` a word in the scope of a negation (`tidak`, `gak`, `belum`, `kada`, ... + next word);
//! - `m:gov` / `m:user` the kind of each @mention (a watched city account or anyone else), and
//!   `h:` the mentioned handle itself (pruned by document frequency like everything else);
//! - `a:` the watched account the post concerns; `u:url` a link;
//! - `q:` cues: `q:?` question mark, `q:!` exclamation, `q:req` a request word (`tolong`,
//!   `mohon`, ...), `q:rt` a retweet; `e:` emoji and ASCII emoticons.
//!
//! Optional families, off by default ([`FeatureOptions`]; a model records the ones it was
//! trained with in `settings.feature_options`, and inference turns on the union of both
//! models'): `p:` a word among the first `lead_words` words of the post (long web-form
//! complaints tend to name the problem first); `t:` word trigrams and `s:` skip-bigrams
//! (word *i* and *i* + 2) over the same units as `b:`; `r:` every word's stem (inflections
//! of one root share it); `k:` bigrams of consecutive content words' stems (stop words
//! skipped), like a stemmed, stop-word-filtered word vectoriser.
//!
//! Deliberately absent: length buckets and other layout features. They separate the training
//! corpus's classes well and transfer badly to other kinds of text (false alarms on general
//! posts), which a complaint detector meets every night.
//!
//! [`Features::for_each`] calls back with each feature's name (borrowed from one reused buffer),
//! its kind and its byte span in the original text: extraction allocates nothing per feature
//! once the [`FeatureBuf`] has warmed up. Names are hashed with [`fingerprint`] (a fast,
//! non-cryptographic 64-bit hash); models index fingerprints, so inference never builds a
//! `String`.

use crate::text::{Analyzer, TokenKind};
use std::collections::HashSet;

/// Version tag of the feature set; stored in model files, checked on load.
pub const FEATURE_SET: &str = "dengar-features-2";

/// Longest word (in characters) whose character n-grams are extracted: longer "words" are
/// mostly glued junk, and capping bounds the work per token.
const MAX_NGRAM_WORD_CHARS: usize = 24;

/// Negators whose next word gets an `x:` feature.
pub const NEGATORS: &[&str] = &[
    "tidak", "tak", "gak", "ga", "nggak", "ngga", "enggak", "engga", "gk", "tdk", "belum", "blm",
    "blum", "blom", "bukan", "bkn", "jangan", "jgn", "kada", "kadada", "ndak", "nda", "teu",
    "henteu", "ora", "gag", "kagak", "ogah",
];

/// Request words (`q:req`).
pub const REQUESTS: &[&str] = &[
    "tolong",
    "tlg",
    "tolonglah",
    "mohon",
    "mhn",
    "minta",
    "mintak",
    "harap",
    "segera",
    "please",
    "pls",
    "plis",
    "lapor",
    "melapor",
    "mengadu",
    "nuhun",
];

/// Whether `w` is one of [`NEGATORS`] (a `match`, not a scan: this runs for every word).
fn is_negator(w: &str) -> bool {
    matches!(
        w,
        "tidak"
            | "tak"
            | "gak"
            | "ga"
            | "nggak"
            | "ngga"
            | "enggak"
            | "engga"
            | "gk"
            | "tdk"
            | "belum"
            | "blm"
            | "blum"
            | "blom"
            | "bukan"
            | "bkn"
            | "jangan"
            | "jgn"
            | "kada"
            | "kadada"
            | "ndak"
            | "nda"
            | "teu"
            | "henteu"
            | "ora"
            | "gag"
            | "kagak"
            | "ogah"
    )
}

/// Whether `w` is one of [`REQUESTS`].
fn is_request(w: &str) -> bool {
    matches!(
        w,
        "tolong"
            | "tlg"
            | "tolonglah"
            | "mohon"
            | "mhn"
            | "minta"
            | "mintak"
            | "harap"
            | "segera"
            | "please"
            | "pls"
            | "plis"
            | "lapor"
            | "melapor"
            | "mengadu"
            | "nuhun"
    )
}

/// ASCII emoticons recognised in the raw text (`e:` features).
const EMOTICONS: &[&str] = &[
    ":)", ":-)", ":(", ":-(", ":'(", ":D", ":-D", ":p", ":P", ";)", ":v", ":3", "-_-", "=))",
    ":))", ":((", "^_^", "T_T", ":/",
];

/// Optional feature families (all off by default, which is the feature set every model
/// before them was trained on).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FeatureOptions {
    /// `p:` + word for each of the first `lead_words` words (0 = none).
    #[serde(default)]
    pub lead_words: u32,
    /// `t:` word trigrams.
    #[serde(default)]
    pub trigrams: bool,
    /// `s:` skip-bigrams (a unit and the one two places after it).
    #[serde(default)]
    pub skip_bigrams: bool,
    /// `r:` the stem of every word.
    #[serde(default)]
    pub stems: bool,
    /// `k:` bigrams of the stems of consecutive words that are not stop words.
    #[serde(default)]
    pub stem_bigrams: bool,
}

impl FeatureOptions {
    /// The options that extract every feature either set extracts.
    pub fn union(self, other: FeatureOptions) -> FeatureOptions {
        FeatureOptions {
            lead_words: self.lead_words.max(other.lead_words),
            trigrams: self.trigrams || other.trigrams,
            skip_bigrams: self.skip_bigrams || other.skip_bigrams,
            stems: self.stems || other.stems,
            stem_bigrams: self.stem_bigrams || other.stem_bigrams,
        }
    }

    /// Reads the options a model's `settings` record (none recorded = all off).
    pub fn of_settings(settings: &serde_json::Value) -> FeatureOptions {
        settings
            .get("feature_options")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    }
}

/// What a feature is; lets consumers (urgency, near-duplicate hashing) pick the ones they need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Norm,
    Char,
    Bigram,
    Negated,
    MentionClass,
    Handle,
    Account,
    Url,
    Cue,
    Emoji,
    /// An optional family of [`FeatureOptions`]: `p:`, `t:`, `s:`, `r:`, `k:`.
    Extra,
}

/// A fast 64-bit hash of a feature name (word-at-a-time multiply-rotate, then a murmur3
/// finaliser). Deterministic across runs and platforms; not for untrusted-key hash tables
/// where flooding matters (feature vocabularies are fixed at training time).
#[inline]
pub fn fingerprint(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = 0x243F_6A88_85A3_08D3 ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let x = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ x).wrapping_mul(K).rotate_left(31);
    }
    let rem = chunks.remainder();
    if !rem.is_empty() {
        let mut t = [0u8; 8];
        t[..rem.len()].copy_from_slice(rem);
        h = (h ^ u64::from_le_bytes(t)).wrapping_mul(K).rotate_left(31);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Reusable buffers for [`Features::for_each`].
#[derive(Debug, Default)]
pub struct FeatureBuf {
    name: String,
    prev: String,
    /// The unit before `prev` (trigrams and skip-bigrams).
    prev2: String,
    /// The stem of the last content word (`k:` bigrams).
    prev_stem: String,
    lower: String,
    chars: Vec<usize>,
    tokens: crate::text::TokenBuf,
}

/// The feature extractor: the analyzer plus the handles of the city's watched accounts.
#[derive(Debug, Clone, Default)]
pub struct Features {
    analyzer: Analyzer,
    gov_handles: HashSet<String>,
    options: FeatureOptions,
}

/// Lowercases `s` into `out` (ASCII fast path).
fn lower_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        for c in s.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// The word-level features of a word whose lowercased text is `lower`: `w:`, `n:` when the
/// normalised form differs, and the character 2–5-grams of ` word `.
#[allow(clippy::too_many_arguments)]
fn word_features(
    norm: &str,
    lower: &str,
    name: &mut String,
    chars: &mut Vec<usize>,
    s: u32,
    e: u32,
    sink: &mut impl Sink,
) {
    name.clear();
    name.push_str("w:");
    name.push_str(lower);
    sink.feature(name, Kind::Word, s, e);
    let norm = norm.trim_start_matches('#');
    if norm != lower.trim_start_matches('#') {
        name.clear();
        name.push_str("n:");
        name.push_str(norm);
        sink.feature(name, Kind::Norm, s, e);
    }
    // character n-grams of " word " (hashtags without '#')
    let body = lower.trim_start_matches('#');
    chars.clear();
    chars.push(0); // the leading pad
    let mut body_end = body.len();
    for (nchars, (i, _)) in body.char_indices().enumerate() {
        if nchars == MAX_NGRAM_WORD_CHARS {
            body_end = i;
            break;
        }
        chars.push(1 + i);
    }
    // `padded` = " " + body[..body_end] + " ", offsets in `chars` (+ the end pad)
    chars.push(1 + body_end); // trailing pad
    chars.push(2 + body_end); // end
    name.clear();
    name.push(' ');
    name.push_str(&body[..body_end]);
    name.push(' ');
    let npad = chars.len() - 1; // characters in padded
                                // "c:" + gram in a stack buffer; a gram is at most 5 characters of 4 bytes
    let mut tmp = String::with_capacity(0);
    let mut stack = [0u8; 2 + 5 * 4];
    stack[0] = b'c';
    stack[1] = b':';
    for n in 2..=5usize {
        if n > npad {
            break;
        }
        for i in 0..=(npad - n) {
            let gram = &name[chars[i]..chars[i + n]];
            if gram.len() <= 5 * 4 {
                stack[2..2 + gram.len()].copy_from_slice(gram.as_bytes());
                sink.feature_bytes(&stack[..2 + gram.len()], Kind::Char, s, e);
            } else {
                tmp.clear();
                tmp.push_str("c:");
                tmp.push_str(gram);
                sink.feature(&tmp, Kind::Char, s, e);
            }
        }
    }
}

/// The `t:` trigram `a b c` and the `s:` skip-bigram `a c` of three consecutive units, as
/// `options` asks (nothing until there are three).
#[allow(clippy::too_many_arguments)]
fn extra_ngrams(
    options: FeatureOptions,
    a: &str,
    b: &str,
    c: &str,
    name: &mut String,
    start: u32,
    end: u32,
    sink: &mut impl Sink,
) {
    if a.is_empty() || b.is_empty() {
        return;
    }
    if options.trigrams {
        name.clear();
        name.push_str("t:");
        name.push_str(a);
        name.push(' ');
        name.push_str(b);
        name.push(' ');
        name.push_str(c);
        sink.feature(name, Kind::Extra, start, end);
    }
    if options.skip_bigrams {
        name.clear();
        name.push_str("s:");
        name.push_str(a);
        name.push(' ');
        name.push_str(c);
        sink.feature(name, Kind::Extra, start, end);
    }
}

/// Where [`Features::for_each_in`] sends a post's features.
pub trait Sink {
    /// A feature: its name, kind and byte span in the text (empty for post-level features).
    fn feature(&mut self, name: &str, kind: Kind, start: u32, end: u32);

    /// A feature whose name is given as bytes (valid UTF-8: "c:" and a substring of the text
    /// cut at character boundaries). Sinks that only hash names override it to skip the check.
    #[inline]
    fn feature_bytes(&mut self, name: &[u8], kind: Kind, start: u32, end: u32) {
        if let Ok(name) = std::str::from_utf8(name) {
            self.feature(name, kind, start, end);
        }
    }

    /// A word or hashtag token (its original text and normalised form) is about to produce its
    /// word-level features (`w:`, `n:`, `c:`, all spanning `start..end`), which depend on that
    /// pair alone. Return `true` to skip them (the sink knows them from an earlier word);
    /// otherwise they follow through [`feature`](Self::feature), then
    /// [`word_done`](Self::word_done).
    #[inline]
    fn word(&mut self, _text: &str, _norm: &str, _start: u32, _end: u32) -> bool {
        false
    }

    /// The word-level features announced by [`word`](Self::word) are complete.
    #[inline]
    fn word_done(&mut self) {}

    /// The next word or hashtag token after the current one (announced before the current
    /// one's [`word`](Self::word)): a hint to start loading what it will need.
    #[inline]
    fn upcoming_word(&mut self, _text: &str, _norm: &str) {}
}

/// A closure as a [`Sink`] that sees every feature.
struct Each<F>(F);

impl<F: FnMut(&str, Kind, u32, u32)> Sink for Each<F> {
    #[inline]
    fn feature(&mut self, name: &str, kind: Kind, start: u32, end: u32) {
        (self.0)(name, kind, start, end)
    }
}

impl Features {
    /// A feature extractor that knows the city's handles (any case, with or without `@`).
    pub fn new(gov_handles: impl IntoIterator<Item = String>) -> Features {
        Features {
            analyzer: Analyzer::new(),
            gov_handles: gov_handles
                .into_iter()
                .map(|h| h.trim_start_matches('@').to_lowercase())
                .collect(),
            options: FeatureOptions::default(),
        }
    }

    /// This extractor with the optional families of `options`.
    pub fn with_options(&self, options: FeatureOptions) -> Features {
        Features {
            options,
            ..self.clone()
        }
    }

    /// The optional families this extractor emits.
    pub fn options(&self) -> FeatureOptions {
        self.options
    }

    /// The analyzer the features are built on.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The watched handles (lowercase, without `@`).
    pub fn gov_handles(&self) -> &HashSet<String> {
        &self.gov_handles
    }

    /// Calls `f(name, kind, start, end)` for every feature of the post, in text order (repeats
    /// possible; `start..end` is the byte span in `text`, empty for post-level features).
    pub fn for_each(
        &self,
        text: &str,
        account: Option<&str>,
        buf: &mut FeatureBuf,
        f: impl FnMut(&str, Kind, u32, u32),
    ) {
        self.for_each_in(text, account, buf, &mut Each(f));
    }

    /// [`for_each`](Self::for_each) with a [`Sink`] that may supply the word-level features of
    /// words it has seen before (see [`Sink::word`]).
    pub fn for_each_in(
        &self,
        text: &str,
        account: Option<&str>,
        buf: &mut FeatureBuf,
        sink: &mut impl Sink,
    ) {
        let FeatureBuf {
            name,
            prev,
            prev2,
            prev_stem,
            lower,
            chars,
            tokens: token_buf,
        } = buf;
        prev.clear();
        prev2.clear();
        prev_stem.clear();
        let opts = self.options;
        let ngrams = opts.trigrams || opts.skip_bigrams;
        let mut words_seen = 0u32;
        let mut prev2_start = 0u32;
        let mut prev_start = 0u32;
        let mut prev_negator = false;
        let mut seen_q = false;
        let mut seen_bang = false;
        let mut seen_req = false;
        let mut first_term = true;
        let tokens = self.analyzer.tokens_into(text, token_buf);
        let mut it = tokens.iter().peekable();
        while let Some(tok) = it.next() {
            let (s, e) = (tok.start as u32, tok.end as u32);
            let unit: &str;
            match tok.kind {
                TokenKind::Space => continue,
                TokenKind::Punct => {
                    if !seen_q && tok.text.contains('?') {
                        seen_q = true;
                        sink.feature("q:?", Kind::Cue, s, e);
                    }
                    if !seen_bang && tok.text.contains('!') {
                        seen_bang = true;
                        sink.feature("q:!", Kind::Cue, s, e);
                    }
                    continue;
                }
                TokenKind::Emoji | TokenKind::Emoticon => {
                    name.clear();
                    name.push_str("e:");
                    name.push_str(tok.text.trim_end_matches(['\u{fe0f}', '\u{200d}']));
                    if name.len() > 2 {
                        sink.feature(name, Kind::Emoji, s, e);
                    }
                    continue;
                }
                TokenKind::Mention => {
                    let handle = tok.text.trim_start_matches('@');
                    lower_into(handle, lower);
                    let gov = self.gov_handles.contains(lower.as_str());
                    sink.feature(
                        if gov { "m:gov" } else { "m:user" },
                        Kind::MentionClass,
                        s,
                        e,
                    );
                    name.clear();
                    name.push_str("h:");
                    name.push_str(lower);
                    sink.feature(name, Kind::Handle, s, e);
                    unit = if gov { "@gov" } else { "@user" };
                    sink.feature(if gov { "w:@gov" } else { "w:@user" }, Kind::Word, s, e);
                    first_term = false;
                }
                TokenKind::Url => {
                    sink.feature("u:url", Kind::Url, s, e);
                    unit = "<url>";
                }
                TokenKind::Number => {
                    unit = "<num>";
                    sink.feature("w:<num>", Kind::Word, s, e);
                }
                TokenKind::Amount => {
                    unit = "<amount>";
                    sink.feature("w:<amount>", Kind::Word, s, e);
                }
                TokenKind::Word | TokenKind::Hashtag => {
                    lower_into(tok.text, lower);
                    if first_term
                        && lower == "rt"
                        && it
                            .clone()
                            .find(|t| t.kind != TokenKind::Space)
                            .map(|t| t.kind)
                            == Some(TokenKind::Mention)
                    {
                        sink.feature("q:rt", Kind::Cue, s, e);
                    }
                    first_term = false;
                    if let Some(next) = it
                        .clone()
                        .find(|t| matches!(t.kind, TokenKind::Word | TokenKind::Hashtag))
                    {
                        sink.upcoming_word(next.text, &next.norm);
                    }
                    // the word-level features (`w:`, `n:`, `c:`) depend on the token's text
                    // and normalised form only: a sink that has seen the pair may supply them
                    if !sink.word(tok.text, &tok.norm, s, e) {
                        word_features(&tok.norm, lower, name, chars, s, e, sink);
                        if opts.stems && tok.kind == TokenKind::Word {
                            name.clear();
                            name.push_str("r:");
                            name.push_str(self.analyzer.stem(&tok.norm));
                            sink.feature(name, Kind::Extra, s, e);
                        }
                        sink.word_done();
                    }
                    if opts.stem_bigrams
                        && tok.kind == TokenKind::Word
                        && !tok.norm.is_empty()
                        && !self.analyzer.is_stop(&tok.norm)
                    {
                        let stem = self.analyzer.stem(&tok.norm);
                        if !prev_stem.is_empty() {
                            name.clear();
                            name.push_str("k:");
                            name.push_str(prev_stem);
                            name.push(' ');
                            name.push_str(stem);
                            sink.feature(name, Kind::Extra, s, e);
                        }
                        prev_stem.clear();
                        prev_stem.push_str(stem);
                    }
                    // position-dependent: never part of the word-level features a sink caches
                    if words_seen < opts.lead_words {
                        words_seen += 1;
                        name.clear();
                        name.push_str("p:");
                        name.push_str(lower);
                        sink.feature(name, Kind::Extra, s, e);
                    }
                    if prev_negator {
                        name.clear();
                        name.push_str("x:");
                        name.push_str(lower);
                        sink.feature(name, Kind::Negated, prev_start, e);
                    }
                    if !seen_req && is_request(lower) {
                        seen_req = true;
                        sink.feature("q:req", Kind::Cue, s, e);
                    }
                    let is_neg = is_negator(lower);
                    if !prev.is_empty() {
                        name.clear();
                        name.push_str("b:");
                        name.push_str(prev);
                        name.push(' ');
                        name.push_str(lower);
                        sink.feature(name, Kind::Bigram, prev_start, e);
                    }
                    if ngrams {
                        extra_ngrams(opts, prev2, prev, lower, name, prev2_start, e, sink);
                        std::mem::swap(prev, prev2);
                        prev2_start = prev_start;
                    }
                    prev.clear();
                    prev.push_str(lower);
                    prev_start = s;
                    prev_negator = is_neg;
                    continue;
                }
            }
            if !prev.is_empty() {
                name.clear();
                name.push_str("b:");
                name.push_str(prev);
                name.push(' ');
                name.push_str(unit);
                sink.feature(name, Kind::Bigram, prev_start, e);
            }
            if ngrams {
                extra_ngrams(opts, prev2, prev, unit, name, prev2_start, e, sink);
                std::mem::swap(prev, prev2);
                prev2_start = prev_start;
            }
            prev.clear();
            prev.push_str(unit);
            prev_start = s;
            prev_negator = false;
        }
        // ASCII emoticons: scanned on the raw text (the segmenter splits them into punctuation)
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            if matches!(c, b':' | b';' | b'=' | b'-' | b'^' | b'T') {
                if let Some(emo) = EMOTICONS
                    .iter()
                    .find(|m| bytes[i..].starts_with(m.as_bytes()))
                {
                    // `T_T` only as a standalone token
                    let standalone = c != b'T'
                        || ((i == 0 || bytes[i - 1] == b' ')
                            && bytes
                                .get(i + emo.len())
                                .is_none_or(|b| b.is_ascii_whitespace()));
                    if standalone {
                        name.clear();
                        name.push_str("e:");
                        name.push_str(emo);
                        sink.feature(name, Kind::Emoji, i as u32, (i + emo.len()) as u32);
                        i += emo.len();
                        continue;
                    }
                }
            }
            i += 1;
        }
        if let Some(a) = account {
            lower_into(a.trim_start_matches('@'), lower);
            name.clear();
            name.push_str("a:");
            name.push_str(lower);
            sink.feature(name, Kind::Account, 0, 0);
        }
        token_buf.put(tokens);
    }

    /// The distinct feature names of a post (for training and tests).
    pub fn distinct(&self, text: &str, account: Option<&str>) -> Vec<String> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let mut buf = FeatureBuf::default();
        self.for_each(text, account, &mut buf, |name, _, _, _| {
            if seen.insert(fingerprint(name.as_bytes())) {
                out.push(name.to_string());
            }
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(feats: &[String], want: &str) -> bool {
        feats.iter().any(|x| x == want)
    }

    #[test]
    fn words_bigrams_mentions_handles_and_account() {
        let f = Features::new(["PUPR_bjm".to_string()]);
        let feats = f.distinct("Jalan rusak @PUPR_bjm @budi", Some("pemkot_bjm"));
        for want in [
            "w:jalan",
            "w:rusak",
            "b:jalan rusak",
            "m:gov",
            "m:user",
            "h:pupr_bjm",
            "h:budi",
            "w:@gov",
            "b:rusak @gov",
            "b:@gov @user",
            "a:pemkot_bjm",
        ] {
            assert!(has(&feats, want), "missing {want} in {feats:?}");
        }
        assert!(!feats
            .iter()
            .any(|x| x.starts_with("w:") && x.contains("budi")));
    }

    #[test]
    fn char_ngrams_are_padded_and_cover_2_to_5() {
        let f = Features::default();
        let feats = f.distinct("Rusak", None);
        for want in [
            "c: r", "c:ru", "c: rus", "c:rusak", "c:sak ", "c:k ", "c:usak ",
        ] {
            assert!(has(&feats, want), "missing {want:?} in {feats:?}");
        }
        // 6 + 5 + 4 + 3 grams of " rusak "
        assert_eq!(feats.iter().filter(|x| x.starts_with("c:")).count(), 18);
        // non-ASCII words are cut at character boundaries
        let feats = f.distinct("café", None);
        assert!(has(&feats, "c:fé "), "{feats:?}");
    }

    #[test]
    fn negation_request_question_retweet_and_emoticons() {
        let f = Features::default();
        let feats = f.distinct("RT @x: lampu gak nyala, tolong dicek ya? :( 😡", None);
        for want in [
            "x:nyala",
            "q:req",
            "q:?",
            "q:rt",
            "e::(",
            "e:😡",
            "b:gak nyala",
        ] {
            assert!(has(&feats, want), "missing {want} in {feats:?}");
        }
        assert!(!has(&f.distinct("lampu nyala", None), "x:nyala"));
        assert!(!has(&f.distinct("ini RT 05 @x", None), "q:rt"));
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let f = Features::default();
        let text = "Sampah   MENUMPUK di pasar";
        let mut buf = FeatureBuf::default();
        f.for_each(text, None, &mut buf, |name, kind, s, e| {
            let span = &text[s as usize..e as usize];
            match kind {
                Kind::Word => assert_eq!(format!("w:{}", span.to_lowercase()), name),
                Kind::Bigram => {
                    assert!(span.contains(' '), "{name} -> {span:?}");
                    let (a, b) = name[2..].split_once(' ').unwrap();
                    assert!(span.to_lowercase().starts_with(a) && span.to_lowercase().ends_with(b));
                }
                Kind::Char => assert!(
                    name[2..]
                        .trim()
                        .chars()
                        .all(|c| span.to_lowercase().contains(c)),
                    "{name} {span}"
                ),
                _ => {}
            }
        });
    }

    #[test]
    fn optional_families_are_off_by_default_and_follow_the_options() {
        let text = "Lampu PJU mati @budi sudah lama";
        let plain = Features::default().distinct(text, None);
        assert!(!plain
            .iter()
            .any(|x| x.starts_with("p:") || x.starts_with("t:") || x.starts_with("s:")));
        let o = FeatureOptions {
            lead_words: 2,
            trigrams: true,
            skip_bigrams: true,
            stems: true,
            stem_bigrams: true,
        };
        let f = Features::default().with_options(o);
        let feats = f.distinct(text, None);
        for want in [
            "p:lampu",
            "p:pju",
            "t:lampu pju mati",
            "t:mati @user sudah",
            "s:lampu mati",
            "s:@user lama",
            "r:lampu",
            "k:lampu pju",
        ] {
            assert!(has(&feats, want), "missing {want} in {feats:?}");
        }
        assert!(!has(&feats, "p:mati"));
        // inflections share a stem; stop words do not make stem bigrams
        let stemmed = f.distinct("jalannya diperbaiki dan dibersihkan", None);
        assert!(has(&stemmed, "r:baik"), "{stemmed:?}");
        assert!(has(&stemmed, "k:baik bersih"), "{stemmed:?}");
        // the rest of the feature set is unchanged
        assert!(plain.iter().all(|x| feats.contains(x)));
        assert_eq!(FeatureOptions::default().union(o), o);
        let settings = serde_json::json!({ "feature_options": { "lead_words": 2 } });
        assert_eq!(FeatureOptions::of_settings(&settings).lead_words, 2);
        assert_eq!(
            FeatureOptions::of_settings(&serde_json::Value::Null),
            FeatureOptions::default()
        );
    }

    #[test]
    fn word_lists_and_their_matchers_agree() {
        assert!(NEGATORS.iter().all(|w| is_negator(w)));
        assert!(REQUESTS.iter().all(|w| is_request(w)));
        assert!(!is_negator("tidaknya") && !is_request("tolongin"));
    }

    #[test]
    fn fingerprints_differ_and_are_stable() {
        assert_ne!(fingerprint(b"w:jalan"), fingerprint(b"w:jalan "));
        assert_ne!(fingerprint(b""), fingerprint(b"\0"));
        assert_eq!(fingerprint(b"c:rusak"), fingerprint("c:rusak".as_bytes()));
        let many: HashSet<u64> = (0..10_000)
            .map(|i| fingerprint(format!("w:{i}").as_bytes()))
            .collect();
        assert_eq!(many.len(), 10_000);
    }
}
