//! The text analyzer: turns a post into tokens whose spans point into the original text.
//!
//! Pipeline: [`segment`] cuts the text losslessly into kinds (words, URLs, @mentions, #hashtags,
//! numbers, emoji, punctuation, space), then normalisation lowercases words. Invariants:
//! - concatenating the spans of all tokens gives back the input byte for byte;
//! - spans always index the original text: normalisation changes `norm`, never `start..end`;
//! - a token that normalisation does not change borrows its text (`Cow::Borrowed`).

pub mod segment;

pub use segment::{segment, Span, TokenKind};

use std::borrow::Cow;

/// A token of a post: its kind, its byte span in the original text and its normalised form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
    /// The original text of the span.
    pub text: &'a str,
    /// The normalised form used for features.
    pub norm: Cow<'a, str>,
}

/// The analyzer. Cheap to share between threads.
#[derive(Debug, Clone, Default)]
pub struct Analyzer {}

impl Analyzer {
    /// An analyzer with the shipped resources.
    pub fn new() -> Analyzer {
        Analyzer {}
    }

    /// All tokens of `text`, spaces included (lossless).
    pub fn tokens<'a>(&self, text: &'a str) -> Vec<Token<'a>> {
        segment(text)
            .into_iter()
            .map(|s| {
                let raw = &text[s.start..s.end];
                let norm = match s.kind {
                    TokenKind::Word | TokenKind::Mention | TokenKind::Hashtag | TokenKind::Url => {
                        lowercase(raw)
                    }
                    _ => Cow::Borrowed(raw),
                };
                Token {
                    kind: s.kind,
                    start: s.start,
                    end: s.end,
                    text: raw,
                    norm,
                }
            })
            .collect()
    }

    /// The tokens that carry meaning (no spaces, no punctuation).
    pub fn terms<'a>(&self, text: &'a str) -> Vec<Token<'a>> {
        self.tokens(text)
            .into_iter()
            .filter(|t| !matches!(t.kind, TokenKind::Space | TokenKind::Punct))
            .collect()
    }
}

/// Lowercases without allocating when the text is already lowercase.
pub fn lowercase(s: &str) -> Cow<'_, str> {
    if s.chars().any(|c| c.is_uppercase()) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_and_borrowed_when_unchanged() {
        let a = Analyzer::new();
        let t = a.terms("Jalan RUSAK di @PUPR_bjm");
        let norms: Vec<&str> = t.iter().map(|t| t.norm.as_ref()).collect();
        assert_eq!(norms, ["jalan", "rusak", "di", "@pupr_bjm"]);
        assert!(matches!(t[2].norm, Cow::Borrowed(_)));
        assert!(matches!(t[1].norm, Cow::Owned(_)));
    }
}
