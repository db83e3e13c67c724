//! Drops characters that render as nothing: zero-width spaces and joiners, bidi controls, soft
//! hyphens, control characters and variation selectors (`to\u{200b}long` → `tolong`). In emoji
//! only the variation selectors go (`❤️` → `❤`); the zero-width joiner is part of the sequence.

use super::{set_norm, Context, KindSet, Normalizer};
use crate::text::segment::is_invisible;
use crate::text::{Token, TokenKind};
use std::borrow::Cow;

/// See the module doc.
pub struct Invisible;

impl Normalizer for Invisible {
    fn name(&self) -> &'static str {
        "invisible"
    }

    fn kinds(&self) -> KindSet {
        KindSet::of(&[
            TokenKind::Word,
            TokenKind::Number,
            TokenKind::Amount,
            TokenKind::Url,
            TokenKind::Mention,
            TokenKind::Hashtag,
            TokenKind::Emoji,
        ])
    }

    fn normalize<'a>(&self, tokens: &mut [Token<'a>], i: usize, _cx: &Context<'_>) {
        let tok = &mut tokens[i];
        let s: &str = &tok.norm;
        // ASCII has only control characters to drop, and the segmenter never puts them in a
        // token: skip the char walk
        if s.is_ascii() {
            return;
        }
        let emoji = tok.kind == TokenKind::Emoji;
        let drop = |c: char| {
            if emoji {
                matches!(c, '\u{FE0E}' | '\u{FE0F}')
            } else {
                is_invisible(c)
            }
        };
        if !s.chars().any(drop) {
            return;
        }
        let cleaned: String = s.chars().filter(|&c| !drop(c)).collect();
        if !cleaned.is_empty() {
            set_norm(tok, Cow::Owned(cleaned));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::text::Analyzer;

    #[test]
    fn drops_invisible_characters() {
        let a = Analyzer::new();
        let norms: Vec<String> = a
            .terms("to\u{200b}long ma\u{00ad}af ❤\u{fe0f}")
            .into_iter()
            .map(|t| t.norm.into_owned())
            .collect();
        assert_eq!(norms, ["tolong", "maaf", "❤"]);
    }
}
