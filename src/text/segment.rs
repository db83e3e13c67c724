//! Lossless segmentation: every byte of the input belongs to exactly one span, in order.
//!
//! Word boundaries come from `unicode-segmentation` (UAX #29); URLs, @mentions and #hashtags are
//! then kept whole by merging the pieces the word splitter would cut them into.

use unicode_segmentation::UnicodeSegmentation;

/// What a span holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    Word,
    Number,
    Url,
    Mention,
    Hashtag,
    Emoji,
    Punct,
    Space,
}

/// A span of the input with its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

fn url_len(s: &str) -> usize {
    let lower_start = s
        .get(..8)
        .map(|p| p.to_ascii_lowercase())
        .unwrap_or_default();
    let has_scheme = lower_start.starts_with("http://") || lower_start.starts_with("https://");
    let has_www = lower_start.starts_with("www.");
    if !has_scheme && !has_www {
        return 0;
    }
    let n = s
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '`'))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    // trailing punctuation usually ends the sentence, not the URL
    let trimmed = s[..n].trim_end_matches(['.', ',', '!', '?', ')', ';', ':']);
    trimmed.len()
}

fn handle_len(s: &str) -> usize {
    s.char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '.'))
        .map(|(i, _)| i)
        .unwrap_or(s.len())
        .min(s.len())
}

fn kind_of(piece: &str) -> TokenKind {
    let mut chars = piece.chars();
    let Some(c) = chars.next() else {
        return TokenKind::Punct;
    };
    if c.is_whitespace() {
        TokenKind::Space
    } else if piece.chars().any(|c| c.is_alphabetic()) {
        TokenKind::Word
    } else if piece
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        TokenKind::Number
    } else if is_emoji(c) {
        TokenKind::Emoji
    } else {
        TokenKind::Punct
    }
}

/// Whether a character is a pictograph or emoji component.
pub fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE0F | 0x200D)
}

/// Cuts `text` into spans that cover it exactly.
pub fn segment(text: &str) -> Vec<Span> {
    let mut out = Vec::with_capacity(text.len() / 3 + 1);
    let mut pieces = text.split_word_bound_indices().peekable();
    while let Some((start, piece)) = pieces.next() {
        let rest = &text[start..];
        let first = piece.chars().next().unwrap_or(' ');
        let special = if first.is_ascii_alphabetic() {
            let n = url_len(rest);
            (n > piece.len()).then_some((TokenKind::Url, n))
        } else if first == '@' || first == '#' {
            let n = handle_len(&rest[1..]);
            let n = if n > 0 { 1 + n } else { 0 };
            let n = trim_trailing_dots(rest, n);
            (n > 1).then_some((
                if first == '@' {
                    TokenKind::Mention
                } else {
                    TokenKind::Hashtag
                },
                n,
            ))
        } else {
            None
        };
        if let Some((kind, n)) = special {
            let end = start + n;
            out.push(Span { kind, start, end });
            // skip the pieces the special token swallowed; split a piece that straddles the end
            while let Some(&(s, p)) = pieces.peek() {
                if s >= end {
                    break;
                }
                pieces.next();
                if s + p.len() > end {
                    let tail = &text[end..s + p.len()];
                    push_piece(&mut out, end, tail);
                    break;
                }
            }
            continue;
        }
        push_piece(&mut out, start, piece);
    }
    out
}

fn trim_trailing_dots(rest: &str, n: usize) -> usize {
    let mut n = n;
    while n > 1 && rest.as_bytes()[n - 1] == b'.' {
        n -= 1;
    }
    n
}

fn push_piece(out: &mut Vec<Span>, start: usize, piece: &str) {
    if piece.is_empty() {
        return;
    }
    out.push(Span {
        kind: kind_of(piece),
        start,
        end: start + piece.len(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        segment(text)
            .into_iter()
            .filter(|s| s.kind != TokenKind::Space)
            .map(|s| (s.kind, &text[s.start..s.end]))
            .collect()
    }

    fn lossless(text: &str) {
        let spans = segment(text);
        let mut pos = 0;
        for s in &spans {
            assert_eq!(s.start, pos, "gap in {text:?}");
            pos = s.end;
        }
        assert_eq!(pos, text.len());
    }

    #[test]
    fn keeps_urls_mentions_hashtags_whole() {
        let t = "Lapor @pupr_bjm: jalan rusak https://x.com/a/b?c=1. #banjarmasin";
        let k = kinds(t);
        assert!(k.contains(&(TokenKind::Mention, "@pupr_bjm")));
        assert!(k.contains(&(TokenKind::Url, "https://x.com/a/b?c=1")));
        assert!(k.contains(&(TokenKind::Hashtag, "#banjarmasin")));
        lossless(t);
    }

    #[test]
    fn lossless_on_awkward_text() {
        for t in [
            "",
            " ",
            "@",
            "#",
            "@@a",
            "a@b.c",
            "https://",
            "www.",
            "😡😡 tolong!!",
            "\u{200b}x\u{0301}",
            "Rp 50.000,-",
        ] {
            lossless(t);
        }
    }
}
