//! Elongation: letters repeated for emphasis (`bangettt`, `tolonggg`, `maaaaf`, `kadaaa`).
//!
//! A run of three or more of the same letter is shortened to one or two letters, whichever
//! makes a word we know (a listed form, a root, or an inflected root); when neither is known it
//! becomes one letter (`kerennn` → `keren`). A run of exactly two is only shortened when the word
//! is unknown and the shorter form is known (`tolongg` → `tolong`), so real double letters stay
//! (`tunggu`, `saat`, `maaf`, `perbaikan`).

use super::{set_norm, Context, KindSet, Normalizer};
use crate::text::{Token, TokenKind};
use std::borrow::Cow;

/// Runs of 3+ beyond which candidates are not enumerated (all become one letter).
const MAX_LONG_RUNS: usize = 4;

/// See the module doc.
pub struct Elongation;

impl Normalizer for Elongation {
    fn name(&self) -> &'static str {
        "elongation"
    }

    fn kinds(&self) -> KindSet {
        KindSet::of(&[TokenKind::Word])
    }

    fn normalize<'a>(&self, tokens: &mut [Token<'a>], i: usize, cx: &Context<'_>) {
        let tok = &mut tokens[i];
        if !has_double_letter(&tok.norm) {
            return;
        }
        if let Some(n) = deelongate(&tok.norm, &|w| cx.knows(w), &|w| cx.lists(w)) {
            set_norm(tok, Cow::Owned(n));
        }
    }
}

/// Fast check: any letter directly repeated?
#[inline]
fn has_double_letter(s: &str) -> bool {
    let b = s.as_bytes();
    if s.is_ascii() {
        return b
            .windows(2)
            .any(|w| w[0] == w[1] && w[0].is_ascii_alphabetic());
    }
    let mut prev = None;
    for c in s.chars() {
        if Some(c) == prev && c.is_alphabetic() {
            return true;
        }
        prev = Some(c);
    }
    false
}

/// A run of one repeated letter.
#[derive(Debug, Clone, Copy)]
struct Run {
    c: char,
    len: usize,
}

fn runs(s: &str) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::with_capacity(s.len());
    for c in s.chars() {
        match out.last_mut() {
            Some(r) if r.c == c && c.is_alphabetic() => r.len += 1,
            _ => out.push(Run { c, len: 1 }),
        }
    }
    out
}

fn build(runs: &[Run], len_of: impl Fn(usize, &Run) -> usize) -> String {
    let mut s = String::new();
    for (i, r) in runs.iter().enumerate() {
        for _ in 0..len_of(i, r) {
            s.push(r.c);
        }
    }
    s
}

/// The de-elongated form of `s`, or `None` to keep it. `known` says whether a word is known
/// (listed, a root, or an inflected root); `listed` is the stricter test a shortened double
/// letter must pass (listed or a root), so unknown names keep their double letters
/// (`tenggilis` is not `tengilis` just because that would stem).
pub fn deelongate(
    s: &str,
    known: &dyn Fn(&str) -> bool,
    listed: &dyn Fn(&str) -> bool,
) -> Option<String> {
    // roman numerals (`iii`, `viii`) are not elongated words
    if s.bytes().all(|b| matches!(b, b'i' | b'v' | b'x')) {
        return None;
    }
    let runs = runs(s);
    let long: Vec<usize> = (0..runs.len()).filter(|&i| runs[i].len >= 3).collect();
    if long.is_empty() {
        // only double letters: keep a known word; else try dropping one double at a time
        if known(s) {
            return None;
        }
        let doubles: Vec<usize> = (0..runs.len()).filter(|&i| runs[i].len == 2).collect();
        for &d in doubles.iter().take(MAX_LONG_RUNS) {
            let cand = build(&runs, |i, r| if i == d { 1 } else { r.len });
            if listed(&cand) {
                return Some(cand);
            }
        }
        return None;
    }
    if long.len() <= MAX_LONG_RUNS {
        // every long run becomes 1 or 2 letters; a vowel prefers two (`maaaaf` → `maaf`, `saaaat`
        // → `saat`: Indonesian doubles vowels on purpose), a consonant one (`tolonggg`); bit k of
        // `mask` set = run k takes its other length
        let prefers_two = |r: &Run| matches!(r.c, 'a' | 'i' | 'u' | 'e' | 'o');
        for mask in 0u32..(1 << long.len()) {
            let cand = build(&runs, |i, r| match long.iter().position(|&l| l == i) {
                Some(k) => {
                    let two = prefers_two(r) != ((mask >> k) & 1 == 1);
                    1 + usize::from(two)
                }
                None => r.len,
            });
            if known(&cand) {
                return Some(cand);
            }
        }
    }
    // an unknown word without vowels is an acronym or a sound (`pppk`, `www`, `hmmm`): keep it
    if !s.chars().any(|c| matches!(c, 'a' | 'i' | 'u' | 'e' | 'o')) {
        return None;
    }
    let short = build(&runs, |_, r| if r.len >= 3 { 1 } else { r.len });
    // the shortened word may still carry an emphatic double (`tolongg` + `ggg` cases)
    Some(deelongate(&short, known, listed).unwrap_or(short))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Analyzer;

    #[test]
    fn shortens_runs_to_known_words() {
        let a = Analyzer::new();
        let n = |t: &str| a.terms(t)[0].norm.to_string();
        assert_eq!(n("bangettt"), "banget");
        assert_eq!(n("tolonggg"), "tolong");
        assert_eq!(n("TOLONGGGG"), "tolong");
        assert_eq!(n("maaaaf"), "maaf");
        assert_eq!(n("saaaat"), "saat");
        assert_eq!(n("tungguuu"), "tunggu");
        assert_eq!(n("tolongg"), "tolong");
        assert_eq!(n("kerennnn"), "keren");
        assert_eq!(n("cepaaaaat"), "cepat");
        // real double letters stay
        for w in [
            "tunggu",
            "saat",
            "maaf",
            "perbaikan",
            "taat",
            "jadwalnya",
            "tenggilis",
            "pppk",
        ] {
            assert_eq!(n(w), w);
        }
    }

    #[test]
    fn unknown_words_fall_back_to_single_letters() {
        let no = |_: &str| false;
        assert_eq!(deelongate("zzaxqqq", &no, &no).as_deref(), Some("zzaxq"));
        assert_eq!(deelongate("xyzz", &no, &no), None);
        // acronyms, sounds and roman numerals stay
        assert_eq!(deelongate("pppk", &no, &no), None);
        assert_eq!(deelongate("hmmm", &no, &no), None);
        assert_eq!(deelongate("viii", &no, &no), None);
    }
}
