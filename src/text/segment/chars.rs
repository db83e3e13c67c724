//! Character classes the segmenter and the normalisers share: word characters, invisible
//! characters, emoji components and decorative letters.
//!
//! All checks are `#[inline]` with an ASCII branch first, because almost every byte of a post is
//! ASCII and the segmenter classifies every character once.

use unicode_normalization::char::is_combining_mark;

/// Whether `c` can be part of a word: a letter, a digit, a combining mark, or a decorative
/// letter that NFKC leaves alone (negative circled/squared letters are symbols, not letters,
/// in Unicode, but people write words with them).
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || is_combining_mark(c) || is_decorative_symbol_letter(c)
}

/// Enclosed alphanumeric supplement letters: parenthesized, squared, negative circled and
/// negative squared A–Z (U+1F110–U+1F189).
#[inline]
pub fn is_decorative_symbol_letter(c: char) -> bool {
    matches!(c as u32, 0x1F110..=0x1F189)
}

/// Characters that render as nothing: controls (other than whitespace), zero-width and bidi
/// format characters, soft hyphen, variation selectors, tags, the combining grapheme joiner.
#[inline]
pub fn is_invisible(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return (u < 0x20 && !c.is_ascii_whitespace()) || u == 0x7F;
    }
    matches!(u,
        0x80..=0x9F
        | 0xAD
        | 0x34F
        | 0x61C
        | 0x180E
        | 0x200B..=0x200F
        | 0x202A..=0x202E
        | 0x2060..=0x2064
        | 0x2066..=0x206F
        | 0xFE00..=0xFE0F
        | 0xFEFF
        | 0xE0000..=0xE007F
        | 0xE0100..=0xE01EF)
}

/// Whether `c` starts an emoji: pictographs, dingbats, symbols and arrows that have emoji
/// presentations, regional indicators (flags). Decorative letters are excluded (they are words).
#[inline]
pub fn is_emoji_base(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return false;
    }
    if is_decorative_symbol_letter(c) {
        return false;
    }
    matches!(u,
        0xA9 | 0xAE
        | 0x203C | 0x2049 | 0x2122 | 0x2139
        | 0x2194..=0x21AA
        | 0x2300..=0x23FF
        | 0x24C2
        | 0x25A0..=0x25FF
        | 0x2600..=0x27BF
        | 0x2900..=0x297F
        | 0x2B00..=0x2BFF
        | 0x3030 | 0x303D | 0x3297 | 0x3299
        | 0x1F000..=0x1FAFF)
}

/// Emoji modifiers that extend the preceding emoji: variation selectors, skin tones, the keycap
/// mark and tag characters (subdivision flags).
#[inline]
pub fn is_emoji_modifier(c: char) -> bool {
    matches!(c as u32, 0xFE0E | 0xFE0F | 0x1F3FB..=0x1F3FF | 0x20E3 | 0xE0020..=0xE007F)
}

/// Regional indicator symbols (two make a flag).
#[inline]
pub fn is_regional_indicator(c: char) -> bool {
    matches!(c as u32, 0x1F1E6..=0x1F1FF)
}

/// Zero width joiner, which glues emoji into one sequence.
pub const ZWJ: char = '\u{200D}';

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        for c in ['a', 'Z', '7', 'é', '𝐁', 'Ⓑ', 'Ｂ', '🅑', '🅱', '\u{0301}'] {
            assert!(is_word_char(c), "{c:?} should be a word char");
        }
        for c in [' ', '-', '@', '😡', '\u{200b}'] {
            assert!(!is_word_char(c), "{c:?} should not be a word char");
        }
        for c in [
            '\u{200b}', '\u{feff}', '\u{0000}', '\u{00ad}', '\u{fe0f}', '\u{202e}',
        ] {
            assert!(is_invisible(c), "{c:?} should be invisible");
        }
        for c in [' ', '\n', 'a', '\u{a0}'] {
            assert!(!is_invisible(c), "{c:?} should be visible");
        }
        for c in ['😡', '🔥', '❤', '⭐', '🇮'] {
            assert!(is_emoji_base(c), "{c:?} should be an emoji");
        }
        assert!(!is_emoji_base('🅑'));
    }
}
