//! Reduplication written with `2`: `anak2` → `anak-anak`, `hati2` → `hati-hati`, `jalan2` →
//! `jalan-jalan`, with a suffix after the `2` (`mudah2an` → `mudah-mudahan`, `anak2nya` →
//! `anak-anaknya`) and a plain prefix before a root (`bermain2` → `bermain-main`). Listed slang
//! forms (`ke2`) are left to the lexicon.

use super::{set_norm, Context, KindSet, Normalizer};
use crate::text::{Token, TokenKind};
use std::borrow::Cow;

/// Suffixes that may follow the `2`.
const SUFFIXES: &[&str] = &["", "an", "nya", "lah", "kah", "ku", "mu", "i", "kan"];

/// Prefixes that are not repeated (`bermain2` repeats `main`).
const PREFIXES: &[&str] = &["ber", "ter", "di", "ke", "se"];

/// See the module doc.
pub struct Reduplication;

impl Normalizer for Reduplication {
    fn name(&self) -> &'static str {
        "reduplication"
    }

    fn kinds(&self) -> KindSet {
        KindSet::of(&[TokenKind::Word])
    }

    fn normalize<'a>(&self, tokens: &mut [Token<'a>], i: usize, cx: &Context<'_>) {
        let tok = &mut tokens[i];
        if !tok.norm.as_bytes().contains(&b'2') {
            return;
        }
        if let Some(r) = expand(&tok.norm, cx) {
            set_norm(tok, Cow::Owned(r));
        }
    }
}

fn expand(s: &str, cx: &Context<'_>) -> Option<String> {
    let p = s.find('2')?;
    let (base, suffix) = (&s[..p], &s[p + 1..]);
    if base.len() < 3
        || !base.bytes().all(|b| b.is_ascii_lowercase())
        || !SUFFIXES.contains(&suffix)
    {
        return None;
    }
    if cx.lexicon.knows(s) {
        return None;
    }
    let roots = cx.stemmer.roots();
    let repeated = if roots.contains(base) {
        base
    } else {
        PREFIXES
            .iter()
            .filter_map(|pre| base.strip_prefix(pre))
            .find(|rest| rest.len() >= 3 && roots.contains(rest))
            .unwrap_or(base)
    };
    Some(format!("{base}-{repeated}{suffix}"))
}

#[cfg(test)]
mod tests {
    use crate::text::Analyzer;

    #[test]
    fn expands_number_two() {
        let a = Analyzer::new();
        let n = |t: &str| a.terms(t)[0].norm.to_string();
        assert_eq!(n("anak2"), "anak-anak");
        assert_eq!(n("hati2"), "hati-hati");
        assert_eq!(n("jalan2"), "jalan-jalan");
        assert_eq!(n("mudah2an"), "mudah-mudahan");
        assert_eq!(n("anak2nya"), "anak-anaknya");
        #[cfg(feature = "kateglo")]
        assert_eq!(n("bermain2"), "bermain-main");
        // not reduplication
        assert_eq!(n("covid19"), "covid19");
        assert_eq!(n("ab2"), "ab2");
        assert_eq!(n("b2b"), "b2b");
        assert_eq!(n("mp3"), "mp3");
    }
}
