//! Colloquial Indonesian and Banjar → standard Indonesian, from `slang-id.tsv` and
//! `banjar-id.tsv` (`gak` → `tidak`, `yg` → `yang`, `kada` → `tidak`, `banyu` → `air`, `ulun` →
//! `saya`, `balubang` → `berlubang`).
//!
//! Phrases are tried first, longest first (`wayah ini` → `sekarang`, `kada kawa` → `tidak
//! bisa`): the first word takes the standard form and the other words of the phrase get an empty
//! norm (absorbed). Words are joined by one space token without a line break.
//!
//! Banjar forms that are also ordinary Indonesian words (`lawan` = dengan, `nyaman` = mudah,
//! `datang` = dari) are marked ambiguous in the list and only mapped when the post holds an
//! unambiguous Banjar form somewhere (`kada`, `ulun`, `pian` …); otherwise they stay Indonesian.

use super::{Context, KindSet, Normalizer};
use crate::text::lexicon::{BANJAR, BANJAR_AMBIGUOUS, PHRASE_HEAD, SLANG};
use crate::text::{Token, TokenKind};
use std::borrow::Cow;

/// Longest phrase key, in bytes, assembled on the stack.
const MAX_KEY: usize = 64;

/// See the module doc.
pub struct Slang;

impl Normalizer for Slang {
    fn name(&self) -> &'static str {
        "slang"
    }

    fn kinds(&self) -> KindSet {
        KindSet::of(&[TokenKind::Word])
    }

    fn normalize<'a>(&self, tokens: &mut [Token<'a>], i: usize, cx: &Context<'_>) {
        let Some(info) = cx.lookup(i, &tokens[i].norm) else {
            return;
        };
        if info.has(PHRASE_HEAD) && phrase(tokens, i, cx) {
            cx.forget();
            return;
        }
        let mapped =
            info.has(SLANG | BANJAR) || (info.has(BANJAR_AMBIGUOUS) && cx.is_banjar_post(tokens));
        if !mapped {
            return;
        }
        if let Some(std) = cx.lexicon.standard_of(info) {
            tokens[i].norm = Cow::Borrowed(std);
            cx.forget();
        }
    }
}

/// Tries the phrases starting at word `i`, longest first; on a match sets the norms and returns
/// true.
fn phrase(tokens: &mut [Token<'_>], i: usize, cx: &Context<'_>) -> bool {
    // indexes of the following words joined by single-line spaces
    let mut words = [i; 4];
    let mut n = 1;
    let mut j = i + 1;
    while n < cx.lexicon.max_phrase().min(words.len()) {
        let (Some(sp), Some(w)) = (tokens.get(j), tokens.get(j + 1)) else {
            break;
        };
        if sp.kind != TokenKind::Space
            || sp.text.contains('\n')
            || w.kind != TokenKind::Word
            || w.norm.is_empty()
        {
            break;
        }
        words[n] = j + 1;
        n += 1;
        j += 2;
    }
    for len in (2..=n).rev() {
        let mut key = [0u8; MAX_KEY];
        let mut k = 0;
        let mut fits = true;
        for (m, &w) in words[..len].iter().enumerate() {
            let part = tokens[w].norm.as_bytes();
            let need = part.len() + usize::from(m > 0);
            if k + need > MAX_KEY {
                fits = false;
                break;
            }
            if m > 0 {
                key[k] = b' ';
                k += 1;
            }
            key[k..k + part.len()].copy_from_slice(part);
            k += part.len();
        }
        if !fits {
            continue;
        }
        let Ok(key) = std::str::from_utf8(&key[..k]) else {
            continue;
        };
        let Some(info) = cx.lexicon.lookup(key) else {
            continue;
        };
        let mapped =
            info.has(SLANG | BANJAR) || (info.has(BANJAR_AMBIGUOUS) && cx.is_banjar_post(tokens));
        let Some(std) = cx.lexicon.standard_of(info).filter(|_| mapped) else {
            continue;
        };
        tokens[i].norm = Cow::Borrowed(std);
        for &w in &words[1..len] {
            tokens[w].norm = Cow::Borrowed("");
        }
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::text::Analyzer;

    fn norms(a: &Analyzer, t: &str) -> Vec<String> {
        a.tokens(t)
            .into_iter()
            .filter(|t| t.kind == crate::text::TokenKind::Word)
            .map(|t| t.norm.into_owned())
            .collect()
    }

    #[test]
    fn colloquial_and_banjar_to_standard() {
        let a = Analyzer::new();
        assert_eq!(
            norms(&a, "gak ada yg peduli"),
            ["tidak", "ada", "yang", "peduli"]
        );
        assert_eq!(
            norms(&a, "Kada ada banyu, ulun handak mandi"),
            ["tidak", "ada", "air", "saya", "ingin", "mandi"]
        );
        assert_eq!(
            norms(&a, "jalan balubang lakas"),
            ["jalan", "berlubang", "cepat"]
        );
    }

    #[test]
    fn phrases_absorb_their_words() {
        let a = Analyzer::new();
        assert_eq!(
            norms(&a, "wayah ini banyu pasang"),
            ["sekarang", "", "air pasang", ""]
        );
        // a line break ends a phrase
        assert_eq!(norms(&a, "wayah\nini")[0], "waktu");
        let terms: Vec<String> = a
            .terms("Wayah ini kada kawa")
            .into_iter()
            .map(|t| t.norm.into_owned())
            .collect();
        assert_eq!(terms[0], "sekarang");
        assert!(!terms.iter().any(String::is_empty));
    }

    #[test]
    fn ambiguous_banjar_needs_banjar_context() {
        let a = Analyzer::new();
        // "lawan" is Indonesian (opponent) unless the post is Banjar
        assert_eq!(norms(&a, "lawan politik")[0], "lawan");
        assert_eq!(norms(&a, "ulun tulak lawan abah")[2], "dengan");
    }
}
