//! Report drafting: one accepted post (or a merged group) becomes a SP4N-LAPOR! report draft.
//!
//! The title is the complaint's first clause with the place when one is found; the body quotes
//! every citizen's words with platform, time and link, and says the report was taken from public
//! social media. Reports are anonymous by default: people posting publicly did not agree to be
//! named in an official report.

mod place;

pub use place::find_place;

use crate::catalog::Agency;
use crate::model::{Item, Klasifikasi, ReportDraft};
use chrono::{FixedOffset, Utc};
use std::fmt::Write as _;

/// Longest title LAPOR takes.
pub const MAX_TITLE: usize = 100;

/// Banjarmasin local time (WITA, UTC+8), used for dates shown in reports.
pub fn wita() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// Drafts a report from `items` (the first is the main post) for `agency`.
pub fn draft(items: &[&Item], agency: &Agency) -> ReportDraft {
    let main = items.first().map(|i| i.post.text.as_str()).unwrap_or("");
    let lokasi = items.iter().find_map(|i| find_place(&i.post.text));
    let judul = title(main, lokasi.as_deref());
    let mut isi = String::new();
    for (n, item) in items.iter().enumerate() {
        let p = &item.post;
        let _ = writeln!(
            isi,
            "[{}] warga via {}, {} WITA{}:",
            n + 1,
            p.platform,
            p.created_at.with_timezone(&wita()).format("%d-%m-%Y %H:%M"),
            p.url
                .as_deref()
                .map(|u| format!(" ({u})"))
                .unwrap_or_default()
        );
        let _ = writeln!(isi, "\"{}\"", clean_text(&p.text));
        isi.push('\n');
    }
    isi.push_str(
        "Laporan ini diambil dari unggahan publik di media sosial yang ditujukan kepada \
         Pemerintah Kota Banjarmasin, dan diteruskan oleh Diskominfotik untuk ditindaklanjuti.",
    );
    let tanggal_kejadian = items
        .iter()
        .map(|i| i.post.created_at)
        .min()
        .map(|t| t.with_timezone(&wita()).date_naive());
    ReportDraft {
        judul,
        isi,
        klasifikasi: Klasifikasi::Pengaduan,
        kategori: agency.lapor_category.clone(),
        agency: agency.code.clone(),
        instansi: agency.lapor_instansi.clone(),
        lokasi,
        tanggal_kejadian,
        anonim: true,
        rahasia: false,
        sources: items.iter().map(|i| i.post.id().0).collect(),
        created_at: Utc::now(),
    }
}

/// The post text without @mentions, URLs and runs of whitespace.
pub fn clean_text(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !w.starts_with('@') && !w.starts_with("http://") && !w.starts_with("https://"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first clause of the complaint (with the place appended when it is not in it), at most
/// [`MAX_TITLE`] characters, first letter capitalised.
pub fn title(text: &str, place: Option<&str>) -> String {
    let clean = clean_text(text);
    let clause = sentences(&clean)
        .into_iter()
        .map(str::trim)
        .find(|c| c.chars().filter(|ch| ch.is_alphabetic()).count() >= 3)
        .unwrap_or(clean.trim());
    let mut t = clause
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    if let Some(p) = place {
        if !t.to_lowercase().contains(&p.to_lowercase()) {
            t = format!("{t} di {p}");
        }
    }
    let mut t = capitalise(&t);
    if t.chars().count() > MAX_TITLE {
        let cut: String = t.chars().take(MAX_TITLE - 1).collect();
        let cut = match cut.rfind(' ') {
            Some(i) if i > 40 => cut[..i].to_string(),
            _ => cut,
        };
        t = format!("{cut}…");
    }
    if t.is_empty() {
        "Pengaduan warga dari media sosial".to_string()
    } else {
        t
    }
}

/// Abbreviations whose dot does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "jl", "jln", "gg", "no", "komp", "kel", "kec", "rt", "rw", "dr", "h", "hj", "kh", "st", "yth",
    "bpk", "pak", "sdr",
];

/// Splits text into sentences at `!`, `?`, `;`, newlines and dots that do not close an
/// abbreviation such as `Jl.`.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let end = match c {
            '!' | '?' | ';' | '\n' => true,
            '.' => {
                let word = text[start..i]
                    .rsplit(|ch: char| !ch.is_alphanumeric())
                    .next()
                    .unwrap_or("")
                    .to_lowercase();
                let next_is_digit = text[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_ascii_digit());
                !ABBREVIATIONS.contains(&word.as_str()) && !next_is_digit
            }
            _ => false,
        };
        if end {
            out.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_first_clause_with_place() {
        let t = title(
            "@pupr_bjm jalan berlubang di Jl. Kayu Tangi 2. Sudah sebulan!!",
            Some("Jl. Kayu Tangi 2"),
        );
        assert_eq!(t, "Jalan berlubang di Jl. Kayu Tangi 2");
        let t = title("lampu PJU mati total, gelap banget", Some("Gg. Sepakat"));
        assert_eq!(t, "Lampu PJU mati total, gelap banget di Gg. Sepakat");
    }

    #[test]
    fn title_is_at_most_100_chars() {
        let long = "sampah ".repeat(50);
        let t = title(&long, None);
        assert!(t.chars().count() <= MAX_TITLE);
        assert_eq!(title("!!! ???", None), "Pengaduan warga dari media sosial");
    }
}
