//! Lowercasing, with an ASCII fast path: an ASCII word without capitals is left borrowed, an
//! ASCII word with capitals is lowercased byte by byte; other text uses Unicode lowercase.
//! URLs keep their case (paths are case-sensitive); emoticons keep theirs (`:D` is not `:d`).

use super::{set_norm, Context, KindSet, Normalizer};
use crate::text::{Token, TokenKind};
use std::borrow::Cow;

/// See the module doc.
pub struct Lowercase;

impl Normalizer for Lowercase {
    fn name(&self) -> &'static str {
        "lowercase"
    }

    fn kinds(&self) -> KindSet {
        KindSet::of(&[TokenKind::Word, TokenKind::Mention, TokenKind::Hashtag])
    }

    fn normalize<'a>(&self, tokens: &mut [Token<'a>], i: usize, _cx: &Context<'_>) {
        let tok = &mut tokens[i];
        if let Some(l) = lowercase_changed(&tok.norm) {
            set_norm(tok, Cow::Owned(l));
        }
    }
}

/// The lowercase form of `s`, or `None` when `s` is already lowercase.
#[inline]
pub fn lowercase_changed(s: &str) -> Option<String> {
    if s.is_ascii() {
        return s
            .bytes()
            .any(|b| b.is_ascii_uppercase())
            .then(|| s.to_ascii_lowercase());
    }
    s.chars()
        .any(|c| c.is_uppercase())
        .then(|| s.to_lowercase())
}

/// Lowercases without allocating when the text is already lowercase.
pub fn lowercase(s: &str) -> Cow<'_, str> {
    match lowercase_changed(s) {
        Some(l) => Cow::Owned(l),
        None => Cow::Borrowed(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_without_allocating_when_unchanged() {
        assert!(matches!(lowercase("jalan"), Cow::Borrowed("jalan")));
        assert_eq!(lowercase("JaLaN"), "jalan");
        assert_eq!(lowercase("ÉCOLE"), "école");
        assert!(matches!(lowercase("école"), Cow::Borrowed(_)));
    }
}
