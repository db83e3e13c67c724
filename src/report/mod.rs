//! Report drafting: one accepted post (or a merged group) becomes a SP4N-LAPOR! report draft.
//!
//! - [`title`]: the complaint's first clause (greetings and vocatives dropped) with the place
//!   when the clause does not name it, at most [`MAX_TITLE`] characters;
//! - [`place`]: the location from street and landmark patterns and the [`gazetteer`];
//! - [`when`]: the event date from time expressions relative to the post (WITA);
//! - [`klasifikasi`]: pengaduan / aspirasi / permintaan informasi from cue words;
//! - [`draft`]: all of it together, with a body that quotes every citizen's words with
//!   platform, time and link, and says the report was taken from public social media.
//!
//! Reports are anonymous by default: people posting publicly did not agree to be named in an
//! official report, so the body never names the author.

pub mod gazetteer;
pub mod klasifikasi;
pub mod place;
pub mod when;
mod words;

#[cfg(test)]
mod examples;

pub use gazetteer::Gazetteer;
pub use klasifikasi::klasifikasi;
pub use place::{find_location, find_place, Lokasi};
pub use when::{event_date, EventDate};

use crate::catalog::Agency;
use crate::model::{Item, ReportDraft};
use chrono::{FixedOffset, Utc};
use std::fmt::Write as _;

/// Longest title LAPOR takes.
pub const MAX_TITLE: usize = 100;

/// Banjarmasin local time (WITA, UTC+8), used for dates shown in reports.
pub fn wita() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// The closing note of every body.
pub const SOURCE_NOTE: &str = "Laporan ini diambil dari unggahan publik di media sosial yang \
    ditujukan kepada Pemerintah Kota Banjarmasin, dan diteruskan oleh Diskominfotik untuk \
    ditindaklanjuti.";

/// Drafts a report from `items` (the first is the main post) for `agency`, with the embedded
/// gazetteer.
pub fn draft(items: &[&Item], agency: &Agency) -> ReportDraft {
    draft_with(items, agency, Gazetteer::embedded())
}

/// Drafts a report with a given gazetteer.
pub fn draft_with(items: &[&Item], agency: &Agency, g: &Gazetteer) -> ReportDraft {
    let main = items.first().map(|i| i.post.text.as_str()).unwrap_or("");
    let mut lokasi = find_location(main, g);
    for item in items.iter().skip(1) {
        lokasi.fill_from(&find_location(&item.post.text, g));
    }
    let judul = title_for(main, &lokasi);
    let mut isi = String::new();
    for (n, item) in items.iter().enumerate() {
        push_source(&mut isi, n + 1, item);
    }
    isi.push_str(SOURCE_NOTE);
    let tanggal_kejadian = items
        .iter()
        .filter_map(|i| event_date(&i.post.text, i.post.created_at).map(|e| e.date))
        .min()
        .or_else(|| {
            items
                .iter()
                .map(|i| i.post.created_at)
                .min()
                .map(|t| t.with_timezone(&wita()).date_naive())
        });
    ReportDraft {
        judul,
        isi,
        klasifikasi: klasifikasi(main),
        kategori: agency.lapor_category.clone(),
        agency: agency.code.clone(),
        instansi: agency.lapor_instansi.clone(),
        lokasi: lokasi.render(),
        tanggal_kejadian,
        anonim: true,
        rahasia: false,
        sources: items.iter().map(|i| i.post.id().0).collect(),
        created_at: Utc::now(),
    }
}

/// Appends one source's quote to a body: `[n] warga via platform, time WITA (link):` and the
/// text.
pub fn push_source(isi: &mut String, n: usize, item: &Item) {
    let p = &item.post;
    let _ = writeln!(
        isi,
        "[{n}] warga via {}, {} WITA{}:",
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

/// The post text without @mentions, URLs and runs of whitespace.
pub fn clean_text(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !w.starts_with('@') && !w.starts_with("http://") && !w.starts_with("https://"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words that open a post without saying anything about the complaint.
const GREETING: &[&str] = &[
    "assalamualaikum",
    "assalamu",
    "alaikum",
    "assalammualaikum",
    "asw",
    "ass",
    "wr",
    "wb",
    "selamat",
    "pagi",
    "siang",
    "sore",
    "malam",
    "pak",
    "bu",
    "bapak",
    "ibu",
    "wali",
    "walikota",
    "wakil",
    "kota",
    "min",
    "admin",
    "mimin",
    "halo",
    "hallo",
    "hai",
    "hi",
    "permisi",
    "maaf",
    "mohon",
    "izin",
    "ijin",
    "yth",
    "kepada",
    "dinas",
    "pemkot",
    "pemko",
    "sanak",
    "dangsanak",
    "pian",
    "kak",
    "gan",
    "om",
    "tante",
    "tuan",
    "lurah",
    "camat",
    "banjarmasin",
    "bjm",
    "tabe",
    "punten",
];

/// Words of requests and preambles that say nothing about the complaint ("tolong dibantu",
/// "ulun handak batakun", "mohon ditindaklanjuti").
const FILLER: &[&str] = &[
    "tolong",
    "mohon",
    "segera",
    "diperbaiki",
    "ditindaklanjuti",
    "dibantu",
    "diperhatikan",
    "dicek",
    "ditangani",
    "bantu",
    "lah",
    "ya",
    "yah",
    "dong",
    "terima",
    "kasih",
    "makasih",
    "tq",
    "thanks",
    "please",
    "pls",
    "plis",
    "cepat",
    "lakas",
    "dibaiki",
    "ditindak",
    "respon",
    "perhatian",
    "nya",
    "atas",
    "kami",
    "sangat",
    "berharap",
    "minta",
    "ditolong",
    "ulun",
    "handak",
    "batakun",
    "mau",
    "tanya",
    "numpang",
    "bertanya",
    "ingin",
    "saya",
    "aku",
    "melapor",
    "lapor",
    "bubuhan",
    "kaya",
    "apa",
    "nih",
    "aja",
    "saja",
    "haja",
    "sih",
    "diusut",
    "ditertibkan",
    "dievakuasi",
    "pak",
    "bu",
    "min",
];

/// Call words that may open a clause without a comma ("min tolong ...").
const CALLS: &[&str] = &[
    "min", "mimin", "admin", "halo", "hallo", "hai", "permisi", "pak", "bu", "kak", "gan", "om",
    "pian", "yth",
];

/// Words that may close a clause without adding to it ("... pak", "... ya min").
const TRAILING: &[&str] = &[
    "min", "mimin", "admin", "pak", "bu", "kak", "gan", "om", "pian", "wali", "walikota", "ya",
    "yah", "dong", "lah", "nih", "sih", "aja", "saja", "haja", "lho", "loh", "deh", "nah", "tuh",
];

fn is_filler(part: &str) -> bool {
    let ws = words::words(part);
    ws.iter()
        .all(|w| GREETING.contains(&w.norm.as_str()) || FILLER.contains(&w.norm.as_str()))
}

/// Drops call words at the start and filler words at the end of a clause.
fn trim_calls(part: &str) -> &str {
    let ws = words::words(part);
    let mut a = 0;
    for w in &ws {
        if CALLS.contains(&w.norm.as_str()) {
            a = w.end;
        } else {
            break;
        }
    }
    let mut b = part.len();
    for w in ws.iter().rev() {
        if w.start < a || !TRAILING.contains(&w.norm.as_str()) {
            break;
        }
        b = w.start;
    }
    if a >= b {
        return "";
    }
    part[a..b].trim_matches(|c: char| c.is_whitespace() || c == ',')
}

/// Keeps letters, digits, spaces and ordinary punctuation; drops emoji, hashtags and symbols.
fn plain(text: &str) -> String {
    let no_tags = text
        .split_whitespace()
        .filter(|w| !w.starts_with('#'))
        .collect::<Vec<_>>()
        .join(" ");
    let kept: String = no_tags
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || ".,-/()'&:%+\"".contains(*c))
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The title for a post with its place found.
pub fn title_for(text: &str, lokasi: &Lokasi) -> String {
    let short = lokasi.short();
    let clause = first_clause(text);
    // the place is in the clause as the citizen wrote it: nothing to add
    let said = [&lokasi.street_words, &lokasi.landmark_words]
        .into_iter()
        .flatten()
        .any(|w| contains_words(&clause, w));
    // the citizen's spelling of the street becomes the tidy one ("jl kayu tangi 2")
    let clause = match (&lokasi.street, &lokasi.street_words) {
        (Some(street), Some(raw)) => replace_words(&clause, raw, street),
        _ => clause,
    };
    finish_title(clause, if said { None } else { short.as_deref() })
}

/// The first clause of the complaint (with the place appended when it is not in it), at most
/// [`MAX_TITLE`] characters, first letter capitalised.
pub fn title(text: &str, place: Option<&str>) -> String {
    finish_title(first_clause(text), place)
}

/// The first clause that names a problem ("the complaint's first clause"), else the first
/// clause that is not a greeting or a request.
fn first_clause(text: &str) -> String {
    let clean = clean_text(text);
    let mut first: Option<String> = None;
    for sentence in sentences(&clean) {
        let sentence = plain(sentence);
        let mut acc = String::new();
        for part in sentence.split(',') {
            let p = trim_calls(part.trim());
            let alphabetic = p.chars().filter(|c| c.is_alphabetic()).count();
            if alphabetic < 3 || is_filler(p) {
                continue;
            }
            if !acc.is_empty() {
                acc.push_str(", ");
            }
            acc.push_str(p);
            if words::words(&acc).len() >= 3 {
                break;
            }
        }
        let acc = acc.trim_matches(|c: char| !c.is_alphanumeric() && c != ')');
        if acc.is_empty() {
            continue;
        }
        if klasifikasi::names_problem(acc) {
            return acc.to_string();
        }
        first.get_or_insert_with(|| acc.to_string());
    }
    first.unwrap_or_else(|| {
        plain(&clean)
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_string()
    })
}

/// The name part of a place, for "is it already in the title": without `Kel.`, `Kec.` or the
/// relation word.
fn place_core(p: &str) -> &str {
    for prefix in [
        "Kel. ",
        "Kec. ",
        "depan ",
        "dekat ",
        "samping ",
        "sebelah ",
        "belakang ",
        "seberang ",
        "sekitar ",
    ] {
        if let Some(rest) = p.strip_prefix(prefix) {
            return rest;
        }
    }
    p
}

fn finish_title(mut t: String, place: Option<&str>) -> String {
    if let Some(p) = place {
        if !contains_words(&t, p) && !contains_words(&t, place_core(p)) {
            let starts_with_relation = p.split_whitespace().next().is_some_and(|w| {
                matches!(
                    w,
                    "depan"
                        | "dekat"
                        | "samping"
                        | "sebelah"
                        | "belakang"
                        | "seberang"
                        | "sekitar"
                        | "simpang"
                )
            });
            t = if starts_with_relation {
                format!("{t} {p}")
            } else {
                format!("{t} di {p}")
            };
        }
    }
    let mut t = capitalise(&t);
    if t.chars().count() > MAX_TITLE {
        let cut: String = t.chars().take(MAX_TITLE - 1).collect();
        let cut = match cut.rfind(' ') {
            Some(i) if i > 40 => cut[..i].to_string(),
            _ => cut,
        };
        t = format!("{}…", cut.trim_end_matches(|c: char| !c.is_alphanumeric()));
    }
    if t.is_empty() {
        "Pengaduan warga dari media sosial".to_string()
    } else {
        t
    }
}

/// Whether `hay` contains the words of `needle` in order (case, punctuation and spelling
/// variants ignored).
pub(crate) fn contains_words(hay: &str, needle: &str) -> bool {
    let h: Vec<String> = words::words(hay).into_iter().map(|w| w.norm).collect();
    let n: Vec<String> = words::words(needle).into_iter().map(|w| w.norm).collect();
    !n.is_empty() && h.windows(n.len()).any(|w| w == n.as_slice())
}

/// Replaces the words of `raw` in `text` by `with` (first occurrence, word-wise match).
fn replace_words(text: &str, raw: &str, with: &str) -> String {
    let h = words::words(text);
    let n: Vec<String> = words::words(raw).into_iter().map(|w| w.norm).collect();
    if n.is_empty() || h.len() < n.len() {
        return text.to_string();
    }
    for k in 0..=h.len() - n.len() {
        if h[k..k + n.len()].iter().zip(&n).all(|(a, b)| a.norm == *b) {
            let (a, b) = (h[k].start, h[k + n.len() - 1].end);
            // keep a dot that closes the abbreviation in the replacement, not twice
            let after = &text[b..];
            let after = if with.ends_with('.') {
                after.strip_prefix('.').unwrap_or(after)
            } else {
                after
            };
            return format!("{}{}{}", &text[..a], with, after);
        }
    }
    text.to_string()
}

/// Abbreviations whose dot does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "jl", "jln", "gg", "no", "komp", "kel", "kec", "rt", "rw", "dr", "h", "hj", "kh", "st", "yth",
    "bpk", "pak", "sdr", "km", "perum", "a", "m", "s", "ir", "tgl",
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
        assert_eq!(t, "Lampu PJU mati total di Gg. Sepakat");
        let t = title("banjir lagi, air masuk rumah", Some("Kel. Kuin Utara"));
        assert_eq!(t, "Banjir lagi, air masuk rumah di Kel. Kuin Utara");
    }

    #[test]
    fn title_is_at_most_100_chars() {
        let long = "sampah ".repeat(50);
        let t = title(&long, None);
        assert!(t.chars().count() <= MAX_TITLE);
        assert_eq!(title("!!! ???", None), "Pengaduan warga dari media sosial");
    }

    #[test]
    fn greetings_and_vocatives_are_dropped() {
        assert_eq!(
            title("Assalamualaikum pak wali. Pak, lampu jalan mati", None),
            "Lampu jalan mati"
        );
        assert_eq!(
            title("min tolong jalan rusak 🙏🙏 #bjm", None),
            "Tolong jalan rusak"
        );
    }

    #[test]
    fn street_in_the_citizens_spelling_is_tidied_in_the_title() {
        let lok = find_location(
            "jalan berlubang di jl kayu tangi 2 pak",
            Gazetteer::embedded(),
        );
        assert_eq!(
            title_for("jalan berlubang di jl kayu tangi 2 pak", &lok),
            "Jalan berlubang di Jl. Kayu Tangi 2"
        );
    }
}
