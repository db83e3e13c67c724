//! Rendering helpers for hostile text and small formats.
//!
//! Post text, handles and URLs are attacker-controlled. maud escapes every interpolated string
//! (so `<script>` and `"><img onerror=…>` stay text); on top of that this module
//! - links only `http://` and `https://` URLs ([`safe_href`]) — `javascript:`, `data:` and
//!   anything else is shown as text, never put in an `href`;
//! - shows bidirectional control characters (RTL/LTR overrides, embeddings, isolates) as visible
//!   `U+202E` markers instead of letting them reorder the page ([`is_bidi_control`]);
//! - highlights the classifier's reasons only on valid, non-overlapping spans.

use crate::model::{Platform, Reason, Status};
use chrono::{DateTime, NaiveDate, Utc};
use maud::{html, Markup};
use regex::Regex;
use std::sync::OnceLock;

/// Whether `c` changes text direction (and could disguise text or flip the page).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// `text` without bidi control characters.
pub fn strip_bidi(text: &str) -> String {
    text.chars().filter(|c| !is_bidi_control(*c)).collect()
}

/// `text` with bidi controls replaced by visible `[U+202E]`-style markers (for plain-text places:
/// snippets, handles, attributes).
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_bidi_control(c) {
            out.push_str(&format!("[U+{:04X}]", c as u32));
        } else if c.is_control() && c != '\n' && c != '\t' {
            out.push('\u{FFFD}');
        } else {
            out.push(c);
        }
    }
    out
}

/// Text as markup: escaped, bidi controls shown as `span.ctl` markers.
pub fn text_markup(text: &str) -> Markup {
    if !text.chars().any(is_bidi_control) {
        return html! { (text) };
    }
    let mut parts: Vec<(bool, String)> = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if is_bidi_control(c) {
            if !cur.is_empty() {
                parts.push((false, std::mem::take(&mut cur)));
            }
            parts.push((true, format!("U+{:04X}", c as u32)));
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        parts.push((false, cur));
    }
    html! {
        @for (ctl, s) in &parts {
            @if *ctl {
                span.ctl title="Karakter pengatur arah teks (disembunyikan)" { (s) }
            } @else {
                (s)
            }
        }
    }
}

/// The URL if it may be linked: `http` or `https`, no whitespace, quotes or control characters.
pub fn safe_href(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    let scheme_ok = lower.starts_with("http://") || lower.starts_with("https://");
    let clean = !u.chars().any(|c| {
        c.is_whitespace()
            || c.is_control()
            || is_bidi_control(c)
            || matches!(c, '"' | '\'' | '<' | '>' | '`')
    });
    (scheme_ok && clean && u.len() > 8 && u.len() <= 2048).then_some(u)
}

fn url_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"(?i)\bhttps?://[^\s<>"'`]+"#).expect("valid URL regex"))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    Link,
    Up,
    Down,
}

/// The post text with http(s) URLs linked and reason spans highlighted.
pub fn post_body(text: &str, reasons: &[Reason]) -> Markup {
    let mut marks: Vec<(usize, usize, Mark)> = url_regex()
        .find_iter(text)
        .map(|m| {
            let s = m.as_str();
            let trimmed = s.trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
            (m.start(), m.start() + trimmed.len(), Mark::Link)
        })
        .filter(|(a, b, _)| b > a)
        .collect();
    for r in reasons {
        if let Some((a, b)) = r.span {
            if a < b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b) {
                let kind = if r.weight >= 0.0 {
                    Mark::Up
                } else {
                    Mark::Down
                };
                marks.push((a, b, kind));
            }
        }
    }
    marks.sort_by_key(|m| (m.0, m.1));
    let mut kept: Vec<(usize, usize, Mark)> = Vec::with_capacity(marks.len());
    for m in marks {
        if kept.last().is_none_or(|last| m.0 >= last.1) {
            kept.push(m);
        }
    }
    let mut pos = 0;
    let mut pieces: Vec<(Option<Mark>, &str)> = Vec::new();
    for (a, b, kind) in kept {
        if a > pos {
            pieces.push((None, &text[pos..a]));
        }
        pieces.push((Some(kind), &text[a..b]));
        pos = b;
    }
    if pos < text.len() {
        pieces.push((None, &text[pos..]));
    }
    html! {
        @for (kind, s) in pieces {
            @match kind {
                None => (text_markup(s)),
                Some(Mark::Link) => {
                    @if let Some(href) = safe_href(s) {
                        a href=(href) rel="noopener noreferrer nofollow" target="_blank" { (text_markup(s)) }
                    } @else {
                        (text_markup(s))
                    }
                }
                Some(Mark::Up) => mark.up title="Mendorong ke aduan" { (text_markup(s)) },
                Some(Mark::Down) => mark.down title="Menjauhkan dari aduan" { (text_markup(s)) },
            }
        }
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
];

/// `20 Nov 2026 09:02` in WITA.
pub fn time(t: DateTime<Utc>) -> String {
    let l = t.with_timezone(&crate::report::wita());
    use chrono::{Datelike, Timelike};
    format!(
        "{} {} {} {:02}:{:02}",
        l.day(),
        MONTHS[l.month0() as usize],
        l.year(),
        l.hour(),
        l.minute()
    )
}

/// `20 Nov` for chart axes and tables.
pub fn day(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {}", d.day(), MONTHS[d.month0() as usize])
}

/// `12.345` (Indonesian thousands separator).
pub fn int(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `87%`.
pub fn pct(p: f32) -> String {
    format!("{:.0}%", (p * 100.0).clamp(0.0, 100.0))
}

/// A duration in hours as `3 jam` / `2,5 hari`.
pub fn hours(h: f64) -> String {
    if h < 48.0 {
        format!("{:.0} jam", h.max(0.0))
    } else {
        format!("{:.1} hari", h / 24.0).replace('.', ",")
    }
}

/// An id as a URL path segment (percent-encoded except unreserved characters and `:`).
pub fn path_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `/item/{id}`.
pub fn item_url(id: &str) -> String {
    format!("/item/{}", path_id(id))
}

/// The Indonesian name of a status.
pub fn status_label(s: Status) -> &'static str {
    match s {
        Status::New => "Baru",
        Status::Flagged => "Perlu ditinjau",
        Status::Dismissed => "Diabaikan",
        Status::Accepted => "Diterima",
        Status::Rejected => "Ditolak",
        Status::Reported => "Dilaporkan",
        Status::Forwarded => "Diteruskan",
    }
}

/// The platform's display name.
pub fn platform_label(p: Platform) -> &'static str {
    match p {
        Platform::X => "X",
        Platform::Instagram => "Instagram",
        Platform::Facebook => "Facebook",
        Platform::Youtube => "YouTube",
        Platform::Mastodon => "Mastodon",
        Platform::File => "Berkas",
    }
}

/// Reject reasons: code (as in the CLI) and label.
pub const REJECT_REASONS: [(&str, &str); 4] = [
    ("not-a-complaint", "Bukan aduan"),
    ("spam", "Spam"),
    ("duplicate", "Duplikat"),
    ("outside-authority", "Di luar kewenangan Pemko"),
];

/// The label of a reject reason code (the code itself when unknown).
pub fn reason_label(code: &str) -> &str {
    REJECT_REASONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(m: Markup) -> String {
        m.into_string()
    }

    #[test]
    fn only_http_links_are_linked() {
        assert_eq!(safe_href("https://x.com/a/1"), Some("https://x.com/a/1"));
        assert_eq!(
            safe_href(" HTTP://example.org "),
            Some("HTTP://example.org")
        );
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>",
            "//evil.example",
            "https://a\" onmouseover=\"x",
            "https://a\u{202E}b",
            "http://",
        ] {
            assert_eq!(safe_href(bad), None, "{bad}");
        }
    }

    #[test]
    fn hostile_text_is_inert() {
        let html = s(post_body(
            "<script>alert(1)</script> \"><img src=x onerror=alert(1)> javascript:alert(1) lihat https://ok.example/p?a=1&b=2.",
            &[],
        ));
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(
            html.contains("href=\"https://ok.example/p?a=1&amp;b=2\""),
            "{html}"
        );
    }

    #[test]
    fn bidi_overrides_become_visible_markers() {
        let html = s(post_body("abc\u{202E}fdp.exe", &[]));
        assert!(!html.contains('\u{202E}'));
        assert!(html.contains("U+202E"));
        assert_eq!(visible("a\u{2066}b"), "a[U+2066]b");
    }

    #[test]
    fn reason_spans_are_highlighted_and_bad_spans_ignored() {
        let text = "jalan rusak parah";
        let reasons = vec![
            Reason {
                feature: "rusak".into(),
                weight: 1.2,
                span: Some((6, 11)),
            },
            Reason {
                feature: "x".into(),
                weight: 1.0,
                span: Some((8, 40)),
            },
            Reason {
                feature: "y".into(),
                weight: 1.0,
                span: Some((7, 9)),
            },
        ];
        let html = s(post_body(text, &reasons));
        assert!(
            html.contains("<mark class=\"up\" title=\"Mendorong ke aduan\">rusak</mark>"),
            "{html}"
        );
        assert_eq!(html.matches("<mark").count(), 1);
        let multibyte = s(post_body(
            "é rusak",
            &[Reason {
                feature: "x".into(),
                weight: 1.0,
                span: Some((1, 3)),
            }],
        ));
        assert!(!multibyte.contains("<mark"));
    }

    #[test]
    fn formats() {
        assert_eq!(int(1234567), "1.234.567");
        assert_eq!(int(12), "12");
        assert_eq!(path_id("x:1/2?a"), "x:1%2F2%3Fa");
        let t = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 20, 1, 2, 3).unwrap();
        assert_eq!(time(t), "20 Nov 2026 09:02");
        assert_eq!(hours(5.2), "5 jam");
        assert_eq!(hours(60.0), "2,5 hari");
    }
}
