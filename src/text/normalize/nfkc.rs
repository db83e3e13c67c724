//! Unicode NFKC: composes `e` + combining acute into `é`, expands ligatures (`ﬁ` → `fi`) and
//! other compatibility characters (superscripts, fullwidth punctuation inside words). ASCII is
//! already NFKC, so only non-ASCII tokens are checked, with the quick check first.

use super::{set_norm, Context, KindSet, Normalizer};
use crate::text::{Token, TokenKind};
use std::borrow::Cow;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// See the module doc.
pub struct Nfkc;

impl Normalizer for Nfkc {
    fn name(&self) -> &'static str {
        "nfkc"
    }

    fn kinds(&self) -> KindSet {
        KindSet::of(&[
            TokenKind::Word,
            TokenKind::Number,
            TokenKind::Amount,
            TokenKind::Mention,
            TokenKind::Hashtag,
        ])
    }

    fn normalize<'a>(&self, tokens: &mut [Token<'a>], i: usize, _cx: &Context<'_>) {
        let tok = &mut tokens[i];
        if tok.norm.is_ascii() || is_nfkc_quick(tok.norm.chars()) == IsNormalized::Yes {
            return;
        }
        let n: String = tok.norm.nfkc().collect();
        set_norm(tok, Cow::Owned(n));
    }
}

#[cfg(test)]
mod tests {
    use crate::text::Analyzer;

    #[test]
    fn composes_and_expands() {
        let a = Analyzer::new();
        assert_eq!(a.terms("cafe\u{301}")[0].norm, "café");
        assert_eq!(a.terms("ﬁlm")[0].norm, "film");
        assert_eq!(a.terms("５０")[0].norm, "50");
    }
}
