//! Lossless segmentation: every byte of the input belongs to exactly one span, spans are in
//! order and never empty, so concatenating them gives the input back byte for byte.
//!
//! A hand-written scanner (not UAX #29) because posts need kinds UAX #29 does not know: URLs and
//! bare domains, e-mail addresses, @mentions, #hashtags, amounts of money (`5rb`, `1,5 juta`,
//! `Rp 50.000,-`), ASCII emoticons (`:(`, `:v`, `T_T`) and emoji sequences (ZWJ, skin tones,
//! flags, keycaps). Words keep their inner hyphens, apostrophes and underscores (`anak-anak`,
//! `jum'at`), digits (`anak2`, `covid19`), combining marks and zero-width characters, so the
//! normalisers see them whole. Each step consumes at least one character, which is what makes
//! the scanner total: it cannot stall or skip on any input.

mod chars;
mod emoticon;
mod number;
mod url;

#[cfg(test)]
mod tests;

pub use chars::{is_emoji_base, is_invisible, is_word_char};

use chars::{is_emoji_modifier, is_regional_indicator, ZWJ};
use number::{currency_amount_len, numeric, Numeric};

/// What a span holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Letters, possibly with digits, inner hyphens and apostrophes (`jalan`, `anak2`, `jum'at`).
    Word,
    /// A number (`50.000`, `1,5`, `08:30`).
    Number,
    /// An amount of money (`5rb`, `1,5 juta`, `Rp 50.000,-`).
    Amount,
    /// A web or e-mail address.
    Url,
    /// `@handle`.
    Mention,
    /// `#tag`.
    Hashtag,
    /// One emoji sequence (with its modifiers and ZWJ parts).
    Emoji,
    /// An ASCII emoticon (`:(`, `:')`, `T_T`).
    Emoticon,
    /// Punctuation and symbols; a run of the same character is one span (`!!!`).
    Punct,
    /// Whitespace and invisible characters between tokens.
    Space,
}

impl TokenKind {
    /// Every kind, for exhaustive tests.
    pub const ALL: [TokenKind; 10] = [
        TokenKind::Word,
        TokenKind::Number,
        TokenKind::Amount,
        TokenKind::Url,
        TokenKind::Mention,
        TokenKind::Hashtag,
        TokenKind::Emoji,
        TokenKind::Emoticon,
        TokenKind::Punct,
        TokenKind::Space,
    ];

    /// The lowercase name used in JSON and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            TokenKind::Word => "word",
            TokenKind::Number => "number",
            TokenKind::Amount => "amount",
            TokenKind::Url => "url",
            TokenKind::Mention => "mention",
            TokenKind::Hashtag => "hashtag",
            TokenKind::Emoji => "emoji",
            TokenKind::Emoticon => "emoticon",
            TokenKind::Punct => "punct",
            TokenKind::Space => "space",
        }
    }
}

/// A span of the input with its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

/// Cuts `text` into spans that cover it exactly.
pub fn segment(text: &str) -> Vec<Span> {
    let mut out = Vec::with_capacity(text.len() / 3 + 1);
    out.extend(Segments::new(text));
    out
}

/// An iterator over the spans of a text, in order.
#[derive(Debug, Clone)]
pub struct Segments<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Segments<'a> {
    /// Spans of `text`, from its start.
    pub fn new(text: &'a str) -> Segments<'a> {
        Segments { text, pos: 0 }
    }
}

impl Iterator for Segments<'_> {
    type Item = Span;

    #[inline]
    fn next(&mut self) -> Option<Span> {
        if self.pos >= self.text.len() {
            return None;
        }
        let (kind, len) = scan(self.text, self.pos);
        // a zero length would loop forever; `scan` always consumes the first character
        let len = if len == 0 {
            first_char_len(&self.text[self.pos..])
        } else {
            len
        };
        let start = self.pos;
        self.pos += len;
        Some(Span {
            kind,
            start,
            end: self.pos,
        })
    }
}

fn first_char_len(s: &str) -> usize {
    s.chars().next().map_or(1, char::len_utf8)
}

/// The kind and byte length of the span starting at `pos` (> 0 for any non-empty rest).
fn scan(text: &str, pos: usize) -> (TokenKind, usize) {
    let rest = &text[pos..];
    let bytes = rest.as_bytes();
    let b = bytes[0];
    if b < 0x80 {
        return scan_ascii(text, pos, b);
    }
    let c = rest.chars().next().unwrap_or(' ');
    if c.is_whitespace() || is_invisible(c) {
        return (TokenKind::Space, space_len(rest));
    }
    if is_emoji_base(c) {
        return (TokenKind::Emoji, emoji_len(rest));
    }
    if is_word_char(c) && !unicode_normalization::char::is_combining_mark(c) {
        let n = word_len(rest);
        let kind = if rest[..n].chars().any(char::is_alphabetic)
            || rest[..n].chars().any(chars::is_decorative_symbol_letter)
        {
            TokenKind::Word
        } else {
            TokenKind::Number
        };
        return (kind, n);
    }
    (TokenKind::Punct, punct_run_len(rest))
}

fn scan_ascii(text: &str, pos: usize, b: u8) -> (TokenKind, usize) {
    let rest = &text[pos..];
    let bytes = rest.as_bytes();
    let prev = || text[..pos].chars().next_back();
    match b {
        b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C | 0x00..=0x1F | 0x7F => {
            (TokenKind::Space, space_len(rest))
        }
        b'0'..=b'9' => {
            if let Some(n) = keycap_len(rest) {
                return (TokenKind::Emoji, n);
            }
            match numeric(bytes) {
                Some(Numeric::Amount(n)) => (TokenKind::Amount, n),
                Some(Numeric::Number(n)) => {
                    // digits running into letters make a word: `2x`, `10menit`, `4g`
                    if rest[n..].chars().next().is_some_and(|c| c.is_alphabetic()) {
                        (TokenKind::Word, n + word_len(&rest[n..]))
                    } else {
                        (TokenKind::Number, n)
                    }
                }
                None => (TokenKind::Number, 1),
            }
        }
        b'a'..=b'z' | b'A'..=b'Z' => {
            // addresses need a `.`, `:` or `@` (or an e-mail local-part character) right after
            // the first alphanumeric run; checking that first keeps plain words on the fast path
            let k = bytes
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            if matches!(
                bytes.get(k),
                Some(b'.' | b':' | b'@' | b'-' | b'_' | b'+' | b'%')
            ) {
                let n = url::url_len(rest);
                if n > 0 {
                    return (TokenKind::Url, n);
                }
                let n = url::email_len(rest);
                if n > 0 {
                    return (TokenKind::Url, n);
                }
            }
            if matches!(b, b'r' | b'R' | b'i' | b'I') {
                let n = currency_amount_len(bytes);
                if n > 0 && !prev().is_some_and(char::is_alphanumeric) {
                    return (TokenKind::Amount, n);
                }
            }
            if matches!(b, b'x' | b'X' | b'T' | b'o' | b'O') {
                let n = emoticon::emoticon_len(bytes, prev());
                if n > 0 {
                    return (TokenKind::Emoticon, n);
                }
            }
            (TokenKind::Word, word_len(rest))
        }
        b'@' => {
            let n = handle_len(&bytes[1..]);
            if n > 0 && !prev().is_some_and(char::is_alphanumeric) {
                (TokenKind::Mention, 1 + n)
            } else {
                punct_or_emoticon(rest, prev())
            }
        }
        b'#' | b'*' => {
            if let Some(n) = keycap_len(rest) {
                return (TokenKind::Emoji, n);
            }
            if b == b'#' {
                let n = hashtag_len(&rest[1..]);
                if n > 0 {
                    return (TokenKind::Hashtag, 1 + n);
                }
            }
            (TokenKind::Punct, punct_run_len(rest))
        }
        _ => punct_or_emoticon(rest, prev()),
    }
}

fn punct_or_emoticon(rest: &str, prev: Option<char>) -> (TokenKind, usize) {
    let n = emoticon::emoticon_len(rest.as_bytes(), prev);
    if n > 0 {
        (TokenKind::Emoticon, n)
    } else {
        (TokenKind::Punct, punct_run_len(rest))
    }
}

/// A run of whitespace and invisible characters.
fn space_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut n = 0;
    while n < bytes.len() {
        let b = bytes[n];
        if b < 0x80 {
            if b.is_ascii_whitespace() || b < 0x20 || b == 0x7F {
                n += 1;
                continue;
            }
            break;
        }
        let c = s[n..].chars().next().unwrap_or('x');
        if c.is_whitespace()
            || (is_invisible(c) && c != ZWJ)
            || (c == ZWJ && !next_is_emoji(&s[n..]))
        {
            n += c.len_utf8();
        } else {
            break;
        }
    }
    n.max(first_char_len(s))
}

fn next_is_emoji(s: &str) -> bool {
    let mut it = s.chars();
    it.next();
    it.next().is_some_and(is_emoji_base)
}

/// A run of the same punctuation character (`!!!`, `...`), or one character.
fn punct_run_len(s: &str) -> usize {
    let mut it = s.chars();
    let Some(c) = it.next() else { return 0 };
    let mut n = c.len_utf8();
    for d in it {
        if d != c {
            break;
        }
        n += d.len_utf8();
    }
    n
}

/// A word: word characters, joined by inner `-`, `_`, `'`, `’` or invisible characters when a
/// word character follows.
fn word_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut n = 0;
    // ASCII fast path
    loop {
        while n < bytes.len() && bytes[n].is_ascii_alphanumeric() {
            n += 1;
        }
        if n >= bytes.len() {
            return n;
        }
        let b = bytes[n];
        if b < 0x80 {
            if matches!(b, b'-' | b'_' | b'\'') && n > 0 && joins(&s[n + 1..], b == b'\'') {
                n += 1;
                continue;
            }
            return n.max(first_char_len(s));
        }
        // non-ASCII: one character at a time
        let c = s[n..].chars().next().unwrap_or(' ');
        if is_word_char(c) {
            n += c.len_utf8();
            continue;
        }
        if n > 0 && (c == '\u{2019}' || is_invisible(c)) {
            // skip a run of joiners if a word character follows
            let mut m = n + c.len_utf8();
            while let Some(d) = s[m..].chars().next() {
                if is_invisible(d) {
                    m += d.len_utf8();
                } else {
                    break;
                }
            }
            if joins(&s[m..], c == '\u{2019}') {
                n = m;
                continue;
            }
        }
        return n.max(first_char_len(s));
    }
}

/// Whether the text after a joiner continues the word (a letter after an apostrophe, any word
/// character after the others).
fn joins(after: &str, letter_only: bool) -> bool {
    match after.chars().next() {
        Some(c) if letter_only => c.is_alphabetic(),
        Some(c) => is_word_char(c) && !unicode_normalization::char::is_combining_mark(c),
        None => false,
    }
}

/// The handle after `@`: ASCII letters, digits, `_` and inner dots (Instagram), trailing dots
/// trimmed.
fn handle_len(s: &[u8]) -> usize {
    let mut n = 0;
    while n < s.len() && (s[n].is_ascii_alphanumeric() || s[n] == b'_' || s[n] == b'.') {
        n += 1;
    }
    while n > 0 && s[n - 1] == b'.' {
        n -= 1;
    }
    n
}

/// The tag after `#`: word characters and `_`, at least one not a digit.
fn hashtag_len(s: &str) -> usize {
    let mut n = 0;
    let mut has_non_digit = false;
    for c in s.chars() {
        if is_word_char(c) || c == '_' {
            has_non_digit |= !c.is_ascii_digit();
            n += c.len_utf8();
        } else {
            break;
        }
    }
    if has_non_digit {
        n
    } else {
        0
    }
}

/// A keycap emoji: `1️⃣`, `#⃣` (digit, `#` or `*`, optional VS16, U+20E3).
fn keycap_len(s: &str) -> Option<usize> {
    let rest = &s[1..];
    let rest_vs = rest.strip_prefix('\u{FE0F}').unwrap_or(rest);
    rest_vs
        .starts_with('\u{20E3}')
        .then(|| s.len() - rest_vs.len() + '\u{20E3}'.len_utf8())
}

/// One emoji sequence: a base with modifiers, ZWJ-joined bases, or a pair of regional
/// indicators.
fn emoji_len(s: &str) -> usize {
    let mut it = s.char_indices().peekable();
    let Some((_, first)) = it.next() else {
        return 0;
    };
    let mut n = first.len_utf8();
    if is_regional_indicator(first) {
        if let Some(&(i, c)) = it.peek() {
            if is_regional_indicator(c) {
                return i + c.len_utf8();
            }
        }
        return n;
    }
    while let Some(&(i, c)) = it.peek() {
        if is_emoji_modifier(c) {
            it.next();
            n = i + c.len_utf8();
        } else if c == ZWJ {
            it.next();
            match it.peek() {
                Some(&(j, d)) if is_emoji_base(d) => {
                    it.next();
                    n = j + d.len_utf8();
                }
                _ => return n,
            }
        } else {
            break;
        }
    }
    n
}
