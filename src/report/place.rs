//! Where is it? The place a complaint is about, from street and place patterns (`Jl.`/`Jalan`,
//! `Gg.`/`Gang`, `Komplek`/`Komp.`, `Perumahan`, `RT`/`RW`, `depan`/`dekat` + a landmark) and the
//! gazetteer of Banjarmasin's kelurahan, kecamatan, streets and landmarks.
//!
//! Street names keep the citizen's words, tidied (`jl kayu tangi 2` → `Jl. Kayu Tangi 2`), or
//! take the gazetteer's spelling when the gazetteer knows the street. A full word `jalan` or
//! `gang` in lowercase is usually the common noun ("jalan rusak"), so it starts a street name
//! only before a capitalised word, a number or a street the gazetteer knows; the abbreviations
//! (`jl`, `gg`, `komp`) always do. A kelurahan name inside a street name (`Jl. Pangeran
//! Antasari`) is not the kelurahan, unless the street is named exactly after it (`Jl. Sungai
//! Andai` runs through Sungai Andai). The kecamatan comes from the kelurahan, else from a
//! kecamatan named in the post, else from the street or landmark the gazetteer places in one.

use super::gazetteer::{EntryKind, Gazetteer, Hit};
use super::words::{title_case, words, Word};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

static RT_RW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\bRT\s*\.?\s*:?\s*0*(\d{1,3})(?:\s*[/,]?\s*(?:RW\s*\.?\s*:?\s*)?0*(\d{1,3}))?\b",
    )
    .expect("valid RT regex")
});

/// Words that start a street name in any case (abbreviations), with the head they print as.
const ABBREVIATED_HEADS: &[(&str, &str)] = &[
    ("jl", "Jl."),
    ("gg", "Gg."),
    ("komp", "Komp."),
    ("perum", "Perum."),
];

/// Full words that start a street name only before a name.
const FULL_HEADS: &[(&str, &str)] = &[
    ("jalan", "Jl."),
    ("gang", "Gg."),
    ("komplek", "Komp."),
    ("perumahan", "Perum."),
    ("lorong", "Lorong"),
    ("handil", "Handil"),
];

/// Words after which a landmark's position is given, with the word printed.
const RELATIONS: &[(&str, &str)] = &[
    ("depan", "depan"),
    ("didepan", "depan"),
    ("hadapan", "depan"),
    ("muka", "depan"),
    ("dekat", "dekat"),
    ("dkt", "dekat"),
    ("parak", "dekat"),
    ("samping", "samping"),
    ("disamping", "samping"),
    ("higa", "samping"),
    ("sebelah", "sebelah"),
    ("disebelah", "sebelah"),
    ("belakang", "belakang"),
    ("dibelakang", "belakang"),
    ("seberang", "seberang"),
    ("diseberang", "seberang"),
    ("sekitar", "sekitar"),
    ("sekitaran", "sekitar"),
];

/// Nouns that start a landmark name (one or two words), printed as written or as given.
const LANDMARK_HEADS: &[&[&str]] = &[
    &["masjid"],
    &["langgar"],
    &["musholla"],
    &["mushola"],
    &["musala"],
    &["surau"],
    &["gereja"],
    &["pasar"],
    &["sd"],
    &["sdn"],
    &["smp"],
    &["smpn"],
    &["sma"],
    &["sman"],
    &["smk"],
    &["smkn"],
    &["mts"],
    &["min"],
    &["man"],
    &["sekolah"],
    &["puskesmas"],
    &["pustu"],
    &["posyandu"],
    &["rs"],
    &["rsud"],
    &["rumah", "sakit"],
    &["klinik"],
    &["apotek"],
    &["kantor"],
    &["jembatan"],
    &["titian"],
    &["taman"],
    &["lapangan"],
    &["bundaran"],
    &["terminal"],
    &["pelabuhan"],
    &["dermaga"],
    &["siring"],
    &["mall"],
    &["hotel"],
    &["bank"],
    &["indomaret"],
    &["alfamart"],
    &["spbu"],
    &["pom", "bensin"],
    &["kampus"],
    &["universitas"],
    &["polsek"],
    &["polresta"],
    &["koramil"],
    &["tps"],
    &["stadion"],
    &["gor"],
    &["museum"],
    &["makam"],
    &["pemakaman"],
    &["kuburan"],
    &["balai"],
    &["halte"],
    &["menara"],
    &["simpang", "empat"],
    &["simpang", "tiga"],
    &["simpang", "lima"],
    &["simpang"],
    &["perempatan"],
    &["pertigaan"],
    &["toko"],
    &["warung"],
    &["rumah", "makan"],
    &["kafe"],
    &["cafe"],
];

/// Words that end a name written in lowercase: complaint vocabulary and function words.
const STOP: &[&str] = &[
    "rusak",
    "berlubang",
    "lubang",
    "bolong",
    "mati",
    "padam",
    "banjir",
    "tergenang",
    "genangan",
    "macet",
    "sampah",
    "menumpuk",
    "numpuk",
    "gelap",
    "becek",
    "licin",
    "parah",
    "banget",
    "bgt",
    "sekali",
    "sangat",
    "sudah",
    "udah",
    "udh",
    "sdh",
    "dah",
    "belum",
    "blm",
    "tidak",
    "tdk",
    "gak",
    "ga",
    "nggak",
    "kada",
    "ada",
    "ini",
    "itu",
    "nih",
    "tuh",
    "pak",
    "bu",
    "min",
    "mohon",
    "tolong",
    "dan",
    "yang",
    "yg",
    "nang",
    "di",
    "ke",
    "dari",
    "dekat",
    "depan",
    "samping",
    "arah",
    "sampai",
    "sampe",
    "kok",
    "lagi",
    "lg",
    "juga",
    "jg",
    "sejak",
    "selama",
    "tiap",
    "setiap",
    "kalau",
    "kalo",
    "klo",
    "karena",
    "krn",
    "sering",
    "selalu",
    "terus",
    "trus",
    "masih",
    "mulai",
    "tadi",
    "kemarin",
    "semalam",
    "bau",
    "airnya",
    "air",
    "lampu",
    "jalan",
    "jalannya",
    "gang",
    "rt",
    "rw",
    "kel",
    "kelurahan",
    "kec",
    "kecamatan",
    "kota",
    "banjarmasin",
    "bjm",
    "sebelah",
    "belakang",
    "seberang",
    "sekitar",
    "dekat",
    "tepat",
    "persis",
    "pas",
    "mana",
    "kapan",
    "gimana",
    "bagaimana",
    "kenapa",
    "knp",
    "ya",
    "yah",
    "dong",
    "deh",
    "sih",
    "lho",
    "loh",
    "nah",
    "wah",
    "aja",
    "saja",
    "haja",
    "kah",
    "pun",
    "para",
    "warga",
    "kami",
    "kita",
    "saya",
    "ulun",
    "aku",
    "pian",
    "bapak",
    "ibu",
    "dinas",
    "pemkot",
    "pemko",
    "dishub",
    "pupr",
    "dlh",
    "pdam",
    "pln",
    "sejak",
    "hari",
    "minggu",
    "bulan",
    "tahun",
    "jam",
    "pagi",
    "siang",
    "sore",
    "malam",
    "subuh",
    "seminggu",
    "sebulan",
    "lama",
    "jadi",
    "bikin",
    "buat",
    "karna",
    "akibat",
    "gara",
    "hingga",
    "sehingga",
    "dgn",
    "dengan",
    "atau",
    "tapi",
    "tp",
    "namun",
    "padahal",
    "sedangkan",
    "ketika",
    "waktu",
    "saat",
];

/// Words before an office someone went to or came from.
const MOTION: &[&str] = &[
    "ke",
    "dari",
    "lewat",
    "melalui",
    "menuju",
    "via",
    "kepada",
    "datang",
    "mendatangi",
    "mengunjungi",
];

/// Stop words that end a name even when capitalised.
const CAPITAL_STOP: &[&str] = &[
    "di",
    "dan",
    "yang",
    "yg",
    "ke",
    "dari",
    "sudah",
    "udah",
    "tolong",
    "mohon",
    "pak",
    "bu",
    "min",
    "rt",
    "rw",
    "kel",
    "kec",
    "kelurahan",
    "kecamatan",
    "sejak",
    "ini",
    "itu",
    "ada",
];

/// Where a complaint is about; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lokasi {
    /// Street, alley or housing estate (`Jl. Kayu Tangi 2`, `Gg. Sepakat`, `Komp. Bumi Mas`).
    pub street: Option<String>,
    /// `RT 05 RW 02`.
    pub rt_rw: Option<String>,
    /// A landmark with its relation (`depan Masjid Al-Jihad`, `Pasar Antasari`).
    pub landmark: Option<String>,
    /// A named area that is not one kelurahan (`Kayu Tangi`, or `Kelayan` for six of them).
    pub kawasan: Option<String>,
    pub kelurahan: Option<String>,
    pub kecamatan: Option<String>,
    /// Words of the post the street was read from, to recognise it in the title.
    pub street_words: Option<String>,
    /// Words of the post the landmark was read from.
    pub landmark_words: Option<String>,
}

impl Lokasi {
    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.street.is_none()
            && self.rt_rw.is_none()
            && self.landmark.is_none()
            && self.kawasan.is_none()
            && self.kelurahan.is_none()
            && self.kecamatan.is_none()
    }

    /// The full place for the report's `lokasi`: street, RT/RW, landmark, kelurahan, kecamatan.
    pub fn render(&self) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(self.street.clone());
        parts.extend(self.rt_rw.clone());
        if let Some(l) = &self.landmark {
            parts.push(if parts.is_empty() {
                capitalise(l)
            } else {
                l.clone()
            });
        }
        if let Some(k) = &self.kawasan {
            // "Perum. Kayu Tangi Ujung" already says Kayu Tangi
            let said = parts.iter().any(|p| super::contains_words(p, k));
            if !said && self.kelurahan.is_none() {
                parts.push(k.clone());
            }
        }
        parts.extend(self.kelurahan.as_ref().map(|k| format!("Kel. {k}")));
        parts.extend(self.kecamatan.as_ref().map(|k| format!("Kec. {k}")));
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    /// The short place for a title: the street, else the landmark, else the kelurahan, else the
    /// kecamatan.
    pub fn short(&self) -> Option<String> {
        self.street
            .clone()
            .or_else(|| self.landmark.clone())
            .or_else(|| self.kelurahan.as_ref().map(|k| format!("Kel. {k}")))
            .or_else(|| self.kawasan.clone())
            .or_else(|| self.kecamatan.as_ref().map(|k| format!("Kec. {k}")))
    }

    /// Fills what this one lacks from `other` (a merged post may name the kelurahan the main one
    /// left out).
    pub fn fill_from(&mut self, other: &Lokasi) {
        if self.street.is_none() {
            self.street.clone_from(&other.street);
            self.street_words.clone_from(&other.street_words);
        }
        if self.rt_rw.is_none() {
            self.rt_rw.clone_from(&other.rt_rw);
        }
        if self.landmark.is_none() {
            self.landmark.clone_from(&other.landmark);
            self.landmark_words.clone_from(&other.landmark_words);
        }
        if self.kawasan.is_none() {
            self.kawasan.clone_from(&other.kawasan);
        }
        if self.kelurahan.is_none() {
            self.kelurahan.clone_from(&other.kelurahan);
            if other.kelurahan.is_some() {
                self.kecamatan.clone_from(&other.kecamatan);
            }
        }
        if self.kecamatan.is_none() {
            self.kecamatan.clone_from(&other.kecamatan);
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The first street or place named in `text`, with RT/RW, as one line (embedded gazetteer).
pub fn find_place(text: &str) -> Option<String> {
    find_location(text, Gazetteer::embedded()).render()
}

/// Reads every part of the place from `text`.
pub fn find_location(text: &str, g: &Gazetteer) -> Lokasi {
    let ws = words(text);
    let hits = g.find(&ws);
    let mut areas = vec![false; ws.len()];
    for h in &hits {
        if h.entries.iter().any(|e| g.entry(*e).kind.is_area()) {
            areas[h.first] = true;
        }
    }
    let mut lok = Lokasi::default();
    let mut street_span: Option<(usize, usize, String)> = None;
    let mut landmark_span: Option<(usize, usize)> = None;
    let mut place_kecamatan: Option<String> = None;

    let mut i = 0;
    while i < ws.len() && (street_span.is_none() || landmark_span.is_none()) {
        if street_span.is_none() {
            if let Some((end, name, from_gaz)) = street_at(&ws, i, text, g, &hits, &areas) {
                if let Some(k) = from_gaz.and_then(|e| g.entry(e).kecamatan.clone()) {
                    place_kecamatan.get_or_insert(k);
                }
                street_span = Some((i, end, name));
                i = end;
                continue;
            }
        }
        if landmark_span.is_none() {
            if let Some((start, end, name, entry)) = landmark_at(&ws, i, text, g, &hits, &areas) {
                if let Some(k) = entry.and_then(|e| g.entry(e).kecamatan.clone()) {
                    place_kecamatan.get_or_insert(k);
                }
                lok.landmark = Some(name);
                lok.landmark_words = Some(text[ws[start].start..ws[end - 1].end].to_string());
                landmark_span = Some((start, end));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if let Some((a, b, name)) = &street_span {
        lok.street_words = Some(text[ws[*a].start..ws[*b - 1].end].to_string());
        lok.street = Some(name.clone());
    }

    // RT / RW
    if let Some(c) = RT_RW.captures(text) {
        let rt: u32 = c[1].parse().unwrap_or(0);
        lok.rt_rw = Some(match c.get(2) {
            Some(rw) => format!(
                "RT {rt:02} RW {:02}",
                rw.as_str().parse::<u32>().unwrap_or(0)
            ),
            None => format!("RT {rt:02}"),
        });
    }

    // kelurahan, kecamatan and kawasan
    let mut named_kecamatan = None;
    let mut shared: Option<(String, Option<String>)> = None;
    let mut kawasan: Option<(String, Option<String>)> = None;
    for h in &hits {
        let in_street = street_span
            .as_ref()
            .is_some_and(|(a, b, _)| h.first >= *a && h.last <= *b);
        // a street named exactly after the kelurahan: head word + the name
        let street_named_after = street_span
            .as_ref()
            .is_some_and(|(a, b, _)| h.first == a + 1 && h.last == *b);
        let area: Vec<usize> = h
            .entries
            .iter()
            .copied()
            .filter(|e| g.entry(*e).kind.is_area())
            .collect();
        if area.is_empty() {
            if let Some(e) = h
                .entries
                .iter()
                .find(|e| g.entry(**e).kind == EntryKind::Kawasan)
            {
                let e = g.entry(*e);
                kawasan.get_or_insert((e.name.clone(), e.kecamatan.clone()));
            }
            continue;
        }
        if in_street && !street_named_after {
            continue;
        }
        if area.len() > 1 {
            // one name for several kelurahan ("Kelayan"): the area, and its kecamatan when
            // they all lie in one
            let kecs: HashSet<Option<&String>> = area
                .iter()
                .map(|e| g.entry(*e).kecamatan.as_ref())
                .collect();
            let kec = if kecs.len() == 1 {
                kecs.into_iter().next().flatten().cloned()
            } else {
                None
            };
            let written = title_case(&text[ws[h.first].start..ws[h.last - 1].end].to_lowercase());
            shared.get_or_insert((written, kec));
            continue;
        }
        let e = g.entry(area[0]);
        match e.kind {
            EntryKind::Kelurahan if lok.kelurahan.is_none() => {
                lok.kelurahan = Some(e.name.clone());
                lok.kecamatan.clone_from(&e.kecamatan);
            }
            EntryKind::Kecamatan if named_kecamatan.is_none() => {
                named_kecamatan = Some(e.name.clone());
            }
            _ => {}
        }
    }
    let (kawasan_name, kawasan_kec) = match (kawasan, shared) {
        (Some((n, k)), _) => (Some(n), k),
        (None, Some((n, k))) => (Some(n), k),
        (None, None) => (None, None),
    };
    if lok.kelurahan.is_none() {
        lok.kawasan = kawasan_name;
    }
    if lok.kecamatan.is_none() {
        lok.kecamatan = named_kecamatan.or(kawasan_kec).or(place_kecamatan);
    }
    lok
}

fn head_of(w: &str, heads: &[(&str, &'static str)]) -> Option<&'static str> {
    heads.iter().find(|(h, _)| *h == w).map(|(_, p)| *p)
}

/// What lies between two words ends a name: a comma, a sentence stop, a bracket, a newline.
fn breaks(text: &str, prev: &Word, next: &Word) -> bool {
    let between = &text[prev.end..next.start];
    if between.contains([',', ';', '!', '?', '(', ')', '\n', ':', '"']) {
        return true;
    }
    if between.contains('.') {
        // a dot after an initial or an abbreviation does not end the name (A. Yani, Km. 6)
        let short = prev.norm.chars().count() <= 2;
        let abbrev = matches!(
            prev.norm.as_str(),
            "no" | "km" | "jl" | "gg" | "komp" | "blok" | "kh" | "hj" | "dr" | "ir" | "h" | "st"
        );
        return !(short || abbrev);
    }
    false
}

fn is_roman(w: &str) -> bool {
    matches!(
        w,
        "ii" | "iii" | "iv" | "vi" | "vii" | "viii" | "ix" | "x" | "xi" | "xii"
    )
}

/// Whether a word starts something else: a street head, a relation word or (`area`) a
/// kelurahan or kecamatan name.
fn starts_other(ws: &[Word], j: usize, areas: &[bool]) -> bool {
    let n = ws[j].norm.as_str();
    head_of(n, ABBREVIATED_HEADS).is_some()
        || head_of(n, FULL_HEADS).is_some()
        || head_of(n, RELATIONS).is_some()
        || areas.get(j).copied().unwrap_or(false)
}

/// Name words from `i`: returns the index after the name and the name as printed.
/// `lowercase_ok`: lowercase words that are not stop words may be part of the name, unless the
/// name starts with a capital (then it ends at the first lowercase word).
fn name_words(
    ws: &[Word],
    i: usize,
    text: &str,
    lowercase_ok: bool,
    max: usize,
    areas: &[bool],
) -> (usize, String) {
    let mut j = i;
    let mut out: Vec<String> = Vec::new();
    let lowercase_ok = lowercase_ok && !ws.get(i).is_some_and(|w| w.capital);
    while j < ws.len() && out.len() < max {
        let w = &ws[j];
        if j > i && breaks(text, &ws[j - 1], w) {
            break;
        }
        // a kelurahan may open a name ("Jl. Sungai Andai"), a street head or relation may not
        if starts_other(ws, j, if j > i { areas } else { &[] }) {
            break;
        }
        let n = w.norm.as_str();
        // numbered parts: km 6, no 12, blok C; RT ends the name
        if matches!(n, "km" | "no" | "nomor" | "blok") && j + 1 < ws.len() {
            let next = &ws[j + 1];
            if next.number || next.norm.chars().count() <= 2 {
                let label = match n {
                    "km" => "Km.",
                    "blok" => "Blok",
                    _ => "No.",
                };
                out.push(format!("{label} {}", next.raw(text).to_uppercase()));
                j += 2;
                continue;
            }
            break;
        }
        if n == "rt" || n == "rw" {
            break;
        }
        if w.number || is_roman(n) {
            out.push(if w.number {
                w.raw(text).to_string()
            } else {
                n.to_uppercase()
            });
            j += 1;
            continue;
        }
        // a capital keeps a word in the name ("Pasar Lama"), except function words
        if STOP.contains(&n) && (!w.capital || CAPITAL_STOP.contains(&n)) {
            break;
        }
        if w.capital || lowercase_ok {
            out.push(title_case(w.raw(text)));
            j += 1;
            continue;
        }
        break;
    }
    (j, out.join(" "))
}

/// The hit starting at word `i`, with its first entry of `kind`.
fn hit_at<'h>(
    hits: &'h [Hit],
    g: &Gazetteer,
    i: usize,
    kind: EntryKind,
) -> Option<(&'h Hit, usize)> {
    let h = hits.iter().find(|h| h.first == i)?;
    let e = h
        .entries
        .iter()
        .copied()
        .find(|e| g.entry(*e).kind == kind)?;
    Some((h, e))
}

/// The gazetteer's street name without its head (`Jl. Kayu Tangi` → `Kayu Tangi`).
fn without_head(name: &str) -> &str {
    for h in [
        "Jl.", "Jln.", "Jl", "Jalan", "Gg.", "Gg", "Gang", "Komp.", "Komplek", "Perum.",
    ] {
        if let Some(rest) = name.strip_prefix(h) {
            if rest.starts_with(' ') {
                return rest.trim_start();
            }
        }
    }
    name
}

fn head_of_entry(name: &str) -> &'static str {
    let lower = name.to_lowercase();
    if lower.starts_with("gg") || lower.starts_with("gang") {
        "Gg."
    } else if lower.starts_with("komp") {
        "Komp."
    } else if lower.starts_with("perum") {
        "Perum."
    } else {
        "Jl."
    }
}

/// A street starting at word `i`: (index after it, printed name, gazetteer entry).
fn street_at(
    ws: &[Word],
    i: usize,
    text: &str,
    g: &Gazetteer,
    hits: &[Hit],
    areas: &[bool],
) -> Option<(usize, String, Option<usize>)> {
    let n = ws[i].norm.as_str();
    let abbr = head_of(n, ABBREVIATED_HEADS);
    let full = head_of(n, FULL_HEADS);
    if let Some(head) = abbr.or(full) {
        if i + 1 >= ws.len()
            || breaks(text, &ws[i], &ws[i + 1]) && !text[ws[i].end..ws[i + 1].start].contains('.')
        {
            return None;
        }
        // the gazetteer knows the street: its spelling, then any number after it
        if let Some((h, entry)) = hit_at(hits, g, i + 1, EntryKind::Street) {
            let base = without_head(&g.entry(entry).name).to_string();
            let (end, rest) = name_words(ws, h.last, text, false, 3, areas);
            let rest = if end > h.last && !breaks(text, &ws[h.last - 1], &ws[h.last]) {
                rest
            } else {
                String::new()
            };
            let name = [head, &base, &rest]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            let end = if rest.is_empty() { h.last } else { end };
            return Some((end, name, Some(entry)));
        }
        let next = &ws[i + 1];
        let starts_name = abbr.is_some() || next.capital || next.number;
        if !starts_name || STOP.contains(&next.norm.as_str()) && !next.capital {
            return None;
        }
        let (end, name) = name_words(ws, i + 1, text, abbr.is_some(), 5, areas);
        if name.is_empty() {
            return None;
        }
        return Some((end, format!("{head} {name}"), None));
    }
    // a known street named without a head ("macet di a yani")
    // ... unless the name is also an area ("banjir di Kayu Tangi" is the area, not the road)
    let (h, entry) = hit_at(hits, g, i, EntryKind::Street)?;
    if h.entries
        .iter()
        .any(|e| g.entry(*e).kind != EntryKind::Street)
    {
        return None;
    }
    let name = g.entry(entry).name.clone();
    let head = head_of_entry(&name);
    let base = without_head(&name);
    let (end, rest) = name_words(ws, h.last, text, false, 3, areas);
    let printed = if rest.is_empty() || end == h.last || breaks(text, &ws[h.last - 1], &ws[h.last])
    {
        format!("{head} {base}")
    } else {
        format!("{head} {base} {rest}")
    };
    let end = if printed.ends_with(base) { h.last } else { end };
    Some((end, printed, Some(entry)))
}

/// A landmark at word `i`: (first word, index after it, printed phrase, gazetteer entry).
fn landmark_at(
    ws: &[Word],
    i: usize,
    text: &str,
    g: &Gazetteer,
    hits: &[Hit],
    areas: &[bool],
) -> Option<(usize, usize, String, Option<usize>)> {
    let rel = head_of(ws[i].norm.as_str(), RELATIONS);
    let mut j = if rel.is_some() { i + 1 } else { i };
    // "depan di", "dekat nang", "depan pas"
    while rel.is_some()
        && j < ws.len()
        && matches!(
            ws[j].norm.as_str(),
            "di" | "nang" | "pas" | "persis" | "tepat"
        )
    {
        j += 1;
    }
    if j >= ws.len() {
        return None;
    }
    // "datang ke kantor Dinas PUPR": an office someone went to about the problem, not where
    // the problem is
    let office = |is_office: bool| {
        is_office && rel.is_none() && i > 0 && MOTION.contains(&ws[i - 1].norm.as_str())
    };
    let with_rel = |s: String| match rel {
        Some(r) => format!("{r} {s}"),
        None => s,
    };
    if let Some((h, entry)) = hit_at(hits, g, j, EntryKind::Landmark) {
        // a river or bridge named like a kelurahan is read as the kelurahan
        if g.entry(h.entry()).kind == EntryKind::Landmark {
            if office(g.entry(entry).detail == "kantor") {
                return None;
            }
            let name = g.entry(entry).name.clone();
            return Some((i, h.last, with_rel(name), Some(entry)));
        }
    }
    // "depan Komplek Mandiri": an estate or alley as the landmark
    if rel.is_some() {
        let n = ws[j].norm.as_str();
        if let Some(head) = head_of(n, ABBREVIATED_HEADS).or(head_of(n, FULL_HEADS)) {
            if j + 1 < ws.len() && ws[j + 1].capital {
                let (end, name) = name_words(ws, j + 1, text, false, 4, areas);
                if !name.is_empty() {
                    return Some((i, end, with_rel(format!("{head} {name}")), None));
                }
            }
        }
    }
    let head = LANDMARK_HEADS
        .iter()
        .find(|h| j + h.len() <= ws.len() && h.iter().zip(&ws[j..]).all(|(a, w)| w.norm == *a))?;
    if office(head[0] == "kantor") {
        return None;
    }
    let after = j + head.len();
    let head_text = ws[j..after]
        .iter()
        .map(|w| {
            let raw = w.raw(text);
            if raw.chars().count() <= 5
                && raw.chars().all(|c| c.is_ascii_alphabetic())
                && !w.capital
                && matches!(
                    w.norm.as_str(),
                    "sd" | "sdn"
                        | "smp"
                        | "smpn"
                        | "sma"
                        | "sman"
                        | "smk"
                        | "smkn"
                        | "mts"
                        | "rs"
                        | "rsud"
                        | "tps"
                        | "spbu"
                        | "gor"
                        | "min"
                        | "man"
                )
            {
                raw.to_uppercase()
            } else {
                title_case(raw)
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let (end, name) = if after < ws.len() && !breaks(text, &ws[after - 1], &ws[after]) {
        // after a relation word lowercase names are fine ("depan masjid al jihad");
        // without one, only a capitalised name makes the noun a place
        name_words(ws, after, text, rel.is_some(), 4, areas)
    } else {
        (after, String::new())
    };
    if rel.is_none() && name.is_empty() {
        return None;
    }
    // "min" and "man" are also "admin" and "man": only with a name
    if matches!(head[0], "min" | "man") && name.is_empty() {
        return None;
    }
    let phrase = if name.is_empty() {
        head_text
    } else {
        format!("{head_text} {name}")
    };
    Some((i, end, with_rel(phrase), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(text: &str) -> Option<String> {
        find_place(text)
    }

    #[test]
    fn streets_alleys_and_rt() {
        assert_eq!(
            place("jalan berlubang di Jl. Kayu Tangi 2 pak").as_deref(),
            Some("Jl. Kayu Tangi 2, Kec. Banjarmasin Utara")
        );
        assert_eq!(
            place("gelap di Gg. Sepakat RT 05 RW 02").as_deref(),
            Some("Gg. Sepakat, RT 05 RW 02")
        );
        assert_eq!(
            place("lampu mati di jl pramuka km 6").as_deref(),
            Some("Jl. Pramuka Km. 6, Kec. Banjarmasin Timur")
        );
        assert_eq!(place("jalan rusak parah"), None);
        assert_eq!(place("banjir di rt 12").as_deref(), Some("RT 12"));
        assert_eq!(place("selamat pagi pak wali"), None);
    }

    #[test]
    fn landmark_with_relation() {
        assert_eq!(
            place("lampu jalan mati depan masjid al jihad").as_deref(),
            Some("Depan Masjid Al Jihad")
        );
        assert_eq!(
            place("sampah numpuk dekat SDN Kuin Utara 5, bau").as_deref(),
            Some("Dekat SDN Kuin Utara 5, Kel. Kuin Utara, Kec. Banjarmasin Utara")
        );
    }

    #[test]
    fn kelurahan_inside_a_street_name_is_not_the_kelurahan() {
        let l = find_location("macet di Jl. Pangeran Antasari", Gazetteer::embedded());
        assert_eq!(l.kelurahan, None);
        let l = find_location("banjir di Jl. Sungai Andai", Gazetteer::embedded());
        assert_eq!(l.kelurahan.as_deref(), Some("Sungai Andai"));
        assert_eq!(l.kecamatan.as_deref(), Some("Banjarmasin Utara"));
    }
}
