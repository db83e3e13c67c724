//! Folds decorative letters to ASCII: mathematical bold/italic/script (`𝐉𝐀𝐋𝐀𝐍`), fullwidth
//! (`ＪＡＬＡＮ`), circled (`ⓙⓐⓛⓐⓝ`), parenthesized and squared letters, the negative circled
//! and squared letters NFKC leaves alone (`🅹🅰🅻🅰🅽`), small capitals (`ᴊᴀʟᴀɴ`), and
//! Cyrillic/Greek look-alikes inside otherwise Latin words (`jаlan` with a Cyrillic `а`).
//!
//! Runs before NFKC so that enclosed letters become bare letters (NFKC would turn `⒜` into
//! `(a)`, putting parentheses inside a word). Case is kept; [`super::lowercase`] comes later.

use super::{set_norm, Context, KindSet, Normalizer};
use crate::text::{Token, TokenKind};
use std::borrow::Cow;
use unicode_normalization::char::decompose_compatible;

/// See the module doc.
pub struct Decorative;

impl Normalizer for Decorative {
    fn name(&self) -> &'static str {
        "decorative"
    }

    fn kinds(&self) -> KindSet {
        KindSet::of(&[TokenKind::Word, TokenKind::Mention, TokenKind::Hashtag])
    }

    fn normalize<'a>(&self, tokens: &mut [Token<'a>], i: usize, _cx: &Context<'_>) {
        let tok = &mut tokens[i];
        let s: &str = &tok.norm;
        if s.is_ascii() {
            return;
        }
        let latin = s
            .chars()
            .any(|c| c.is_ascii_alphabetic() || is_enclosed_or_styled(c));
        let touched = |c: char| {
            is_enclosed_or_styled(c)
                || small_capital(c).is_some()
                || (latin && lookalike(c).is_some())
        };
        if !s.chars().any(touched) {
            return;
        }
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if let Some(a) = small_capital(c) {
                out.push(a);
            } else if latin && lookalike(c).is_some() {
                out.push(lookalike(c).unwrap_or(c));
            } else if is_enclosed_or_styled(c) {
                fold_styled(c, &mut out);
            } else {
                out.push(c);
            }
        }
        if !out.is_empty() {
            set_norm(tok, Cow::Owned(out));
        }
    }
}

/// Styled or enclosed letters and digits with an ASCII reading.
fn is_enclosed_or_styled(c: char) -> bool {
    matches!(c as u32, 0x1D400..=0x1D7FF | 0x2460..=0x24FF | 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A | 0x1F110..=0x1F189)
}

/// Pushes the ASCII letters/digits a styled character stands for (or the character itself).
fn fold_styled(c: char, out: &mut String) {
    let u = c as u32;
    // negative circled / negative squared capitals have no compatibility decomposition
    if let 0x1F150..=0x1F169 | 0x1F170..=0x1F189 = u {
        let base = if u >= 0x1F170 { 0x1F170 } else { 0x1F150 };
        out.push(char::from(b'A' + (u - base) as u8));
        return;
    }
    let before = out.len();
    decompose_compatible(c, |d| {
        if d.is_ascii_alphanumeric() {
            out.push(d);
        }
    });
    if out.len() == before {
        out.push(c);
    }
}

/// Small capitals (IPA / phonetic extensions) used as fancy text.
fn small_capital(c: char) -> Option<char> {
    Some(match c {
        'ᴀ' => 'a',
        'ʙ' => 'b',
        'ᴄ' => 'c',
        'ᴅ' => 'd',
        'ᴇ' => 'e',
        'ꜰ' => 'f',
        'ɢ' => 'g',
        'ʜ' => 'h',
        'ɪ' => 'i',
        'ᴊ' => 'j',
        'ᴋ' => 'k',
        'ʟ' => 'l',
        'ᴍ' => 'm',
        'ɴ' => 'n',
        'ᴏ' => 'o',
        'ᴘ' => 'p',
        'ǫ' => 'q',
        'ʀ' => 'r',
        'ꜱ' => 's',
        'ᴛ' => 't',
        'ᴜ' => 'u',
        'ᴠ' => 'v',
        'ᴡ' => 'w',
        'ʏ' => 'y',
        'ᴢ' => 'z',
        _ => return None,
    })
}

/// Cyrillic and Greek letters that look like Latin ones.
fn lookalike(c: char) -> Option<char> {
    Some(match c {
        'а' | 'α' => 'a',
        'е' => 'e',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'ԁ' => 'd',
        'һ' => 'h',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'κ' => 'k',
        'ν' => 'v',
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'Е' | 'Ε' => 'E',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Н' | 'Η' => 'H',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'С' => 'C',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'У' | 'Υ' => 'Y',
        'Ι' | 'І' => 'I',
        'Ν' => 'N',
        'Ζ' => 'Z',
        'Ѕ' => 'S',
        'Ј' => 'J',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::text::Analyzer;

    #[test]
    fn folds_fancy_letters() {
        let a = Analyzer::new();
        for t in [
            "𝐉𝐀𝐋𝐀𝐍",
            "𝑱𝒂𝒍𝒂𝒏",
            "ⓙⓐⓛⓐⓝ",
            "ＪＡＬＡＮ",
            "🅹🅰🅻🅰🅽",
            "🅙🅐🅛🅐🅝",
            "ᴊᴀʟᴀɴ",
            "jаlan",
            "🄹🄰🄻🄰🄽",
        ] {
            let terms = a.terms(t);
            assert_eq!(terms.len(), 1, "{t:?}");
            assert_eq!(terms[0].norm, "jalan", "{t:?}");
        }
        // a Russian word stays Russian
        assert_eq!(a.terms("дорога")[0].norm, "дорога");
    }
}
