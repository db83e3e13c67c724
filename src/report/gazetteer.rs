//! The gazetteer: Banjarmasin's kecamatan and kelurahan (from the redistributable `wilayah`
//! list) and well-known streets and landmarks, with the aliases people write, embedded from
//! `data/gazetteer/` (provenance in `data/gazetteer/PROVENANCE.md`).
//!
//! Files:
//! - `banjarmasin-wilayah.csv`: `kode,nama,level,kecamatan,aliases` — one row per kecamatan or
//!   kelurahan; `kecamatan` names the parent of a kelurahan; `aliases` are separated by `;` or
//!   `|`;
//! - `banjarmasin-places.tsv`: `name<TAB>kind<TAB>kecamatan<TAB>aliases` — streets (`kind`
//!   `jalan`, `gang`, `komplek`) and landmarks (anything else: `pasar`, `masjid`, `jembatan`, ...).
//!
//! Matching works on folded words ([`super::words`]), longest name first, never overlapping. One
//! name may belong to several entries: a shared alias (`Kelayan` is six kelurahan), or a river,
//! street and kelurahan of the same name (`Sungai Andai`); a [`Hit`] lists them all, best kind
//! first (kecamatan/kelurahan, street, kawasan, landmark), and the caller decides by context. A
//! few kelurahan names are ordinary words or parts of street names (`Mawar`, `Melayu`,
//! `Pangeran`, `Sungai Baru`); those count only when capitalised or after a cue word
//! (`kel.`, `kelurahan`, `kampung`, `daerah`, `wilayah`, `warga`).

use super::words::{folded, title_case, Word};
use std::collections::HashMap;
use std::sync::LazyLock;

const WILAYAH_CSV: &str = include_str!("../../data/gazetteer/banjarmasin-wilayah.csv");
const PLACES_TSV: &str = include_str!("../../data/gazetteer/banjarmasin-places.tsv");

/// Kelurahan names that are also ordinary words or parts of other names.
const AMBIGUOUS: &[&str] = &[
    "mawar",
    "melayu",
    "gadang",
    "pangeran",
    "kebun bunga",
    "sungai baru",
    "teluk dalam",
    "pasar lama",
    "karang mekar",
    "banua anyar",
];

/// Words that announce an administrative area right after them.
pub const AREA_CUES: &[&str] = &[
    "kel",
    "kelurahan",
    "kampung",
    "kampong",
    "daerah",
    "wilayah",
    "warga",
    "kec",
    "kecamatan",
    "desa",
];

/// What a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Kecamatan,
    Kelurahan,
    /// A street, alley or housing estate.
    Street,
    /// A named area that is not a kelurahan (`Kayu Tangi`, `Pulau Bromo`).
    Kawasan,
    /// A landmark: market, mosque, bridge, school, mall, river...
    Landmark,
}

impl EntryKind {
    /// Which reading of a shared name is preferred when nothing else decides.
    fn rank(self) -> u8 {
        match self {
            EntryKind::Kecamatan | EntryKind::Kelurahan => 0,
            EntryKind::Street => 1,
            EntryKind::Kawasan => 2,
            EntryKind::Landmark => 3,
        }
    }

    /// Whether it is an administrative area.
    pub fn is_area(self) -> bool {
        matches!(self, EntryKind::Kecamatan | EntryKind::Kelurahan)
    }
}

/// One named place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Display name (`Sungai Miai`, `Jl. Kayu Tangi`, `Pasar Antasari`).
    pub name: String,
    pub kind: EntryKind,
    /// The kecamatan it lies in, when it lies in exactly one.
    pub kecamatan: Option<String>,
    /// The kind column of the places file (`pasar`, `jalan`, ...), empty for areas.
    pub detail: String,
}

/// A gazetteer name found in a post: words `first..last` name `entries` (best kind first;
/// several when the name is shared).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub entries: Vec<usize>,
    pub first: usize,
    pub last: usize,
}

impl Hit {
    /// The preferred entry.
    pub fn entry(&self) -> usize {
        self.entries[0]
    }
}

/// One way of writing a name.
#[derive(Debug, Clone)]
struct Pattern {
    words: Vec<String>,
    entry: usize,
    /// Needs a capital letter or a cue word to count.
    ambiguous: bool,
}

/// A malformed gazetteer file.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{file} line {line}: {message}")]
    Row {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}: {source}")]
    Csv { file: String, source: csv::Error },
}

/// The loaded gazetteer with its match index.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    entries: Vec<Entry>,
    /// First folded word → patterns, longest first.
    index: HashMap<String, Vec<Pattern>>,
}

static EMBEDDED: LazyLock<Gazetteer> = LazyLock::new(|| {
    Gazetteer::parse(WILAYAH_CSV, PLACES_TSV).expect("the shipped gazetteer files are valid")
});

impl Gazetteer {
    /// The shipped Banjarmasin gazetteer.
    pub fn embedded() -> &'static Gazetteer {
        &EMBEDDED
    }

    /// Parses the two files.
    pub fn parse(wilayah_csv: &str, places_tsv: &str) -> Result<Gazetteer, GazetteerError> {
        let mut g = Gazetteer::default();
        g.parse_wilayah(wilayah_csv)?;
        g.parse_places(places_tsv)?;
        Ok(g)
    }

    fn parse_wilayah(&mut self, text: &str) -> Result<(), GazetteerError> {
        let file = "banjarmasin-wilayah.csv";
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|source| GazetteerError::Csv {
                file: file.into(),
                source,
            })?
            .clone();
        let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        let (Some(c_nama), Some(c_level)) = (col("nama"), col("level")) else {
            return Err(GazetteerError::Row {
                file: file.into(),
                line: 1,
                message: "header must name the columns `nama` and `level`".into(),
            });
        };
        let c_kec = col("kecamatan");
        let c_alias = col("aliases");
        for (n, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|source| GazetteerError::Csv {
                file: file.into(),
                source,
            })?;
            let line = n + 2;
            let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim();
            let nama = get(Some(c_nama));
            if nama.is_empty() {
                return Err(GazetteerError::Row {
                    file: file.into(),
                    line,
                    message: "empty `nama`".into(),
                });
            }
            let kind = match get(Some(c_level)).to_ascii_lowercase().as_str() {
                "kecamatan" | "kec" | "district" | "3" => EntryKind::Kecamatan,
                "kelurahan" | "kel" | "desa" | "village" | "4" => EntryKind::Kelurahan,
                // the city or province rows of a wilayah extract carry nothing to match
                "kota" | "kabupaten" | "provinsi" | "1" | "2" => continue,
                other => {
                    return Err(GazetteerError::Row {
                        file: file.into(),
                        line,
                        message: format!("unknown level `{other}`"),
                    })
                }
            };
            let name = display_name(nama);
            let kecamatan = match kind {
                EntryKind::Kecamatan => Some(name.clone()),
                _ => Some(get(c_kec)).filter(|k| !k.is_empty()).map(display_name),
            };
            let aliases = split_aliases(get(c_alias));
            self.add(
                Entry {
                    name,
                    kind,
                    kecamatan,
                    detail: String::new(),
                },
                &aliases,
            );
        }
        Ok(())
    }

    fn parse_places(&mut self, text: &str) -> Result<(), GazetteerError> {
        let file = "banjarmasin-places.tsv";
        let mut header_seen = false;
        for (n, line) in text.lines().enumerate() {
            let t = line.trim_end_matches('\r');
            if t.trim().is_empty() || t.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = t.split('\t').map(str::trim).collect();
            if !header_seen {
                header_seen = true;
                if cols.first().is_some_and(|c| c.eq_ignore_ascii_case("name")) {
                    continue;
                }
            }
            let name = cols.first().copied().unwrap_or("");
            let detail = cols.get(1).copied().unwrap_or("").to_ascii_lowercase();
            if name.is_empty() || detail.is_empty() {
                return Err(GazetteerError::Row {
                    file: file.into(),
                    line: n + 1,
                    message: "each row needs a name and a kind".into(),
                });
            }
            let kind = match detail.as_str() {
                "jalan" | "jl" | "gang" | "gg" | "komplek" | "perumahan" | "street" | "road" => {
                    EntryKind::Street
                }
                "kawasan" | "area" => EntryKind::Kawasan,
                _ => EntryKind::Landmark,
            };
            let kec = cols.get(2).copied().unwrap_or("");
            // a street through several kecamatan says nothing about which one
            let kecamatan = if kec.is_empty() || kec.contains([';', '|', ',']) {
                None
            } else {
                Some(display_name(kec))
            };
            let aliases = split_aliases(cols.get(3).copied().unwrap_or(""));
            self.add(
                Entry {
                    name: name.to_string(),
                    kind,
                    kecamatan,
                    detail,
                },
                &aliases,
            );
        }
        Ok(())
    }

    fn add(&mut self, entry: Entry, aliases: &[String]) {
        let i = self.entries.len();
        let street = entry.kind == EntryKind::Street;
        let area = entry.kind == EntryKind::Kelurahan;
        let mut names = vec![folded(&entry.name)];
        names.extend(aliases.iter().map(|a| folded(a)));
        self.entries.push(entry);
        for mut words in names {
            if street {
                strip_head(&mut words);
            }
            let Some(first) = words.first().cloned() else {
                continue;
            };
            let ambiguous = area && AMBIGUOUS.contains(&words.join(" ").as_str());
            let list = self.index.entry(first).or_default();
            if !list.iter().any(|p| p.words == words && p.entry == i) {
                list.push(Pattern {
                    words,
                    entry: i,
                    ambiguous,
                });
                list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
            }
        }
    }

    /// Every entry.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry behind a hit.
    pub fn entry(&self, i: usize) -> &Entry {
        &self.entries[i]
    }

    /// The kelurahan and kecamatan entries.
    pub fn areas(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Kecamatan | EntryKind::Kelurahan))
    }

    /// Every name found in `words`, left to right, longest first, not overlapping. Ambiguous
    /// kelurahan names are kept only when capitalised or after a cue word.
    pub fn find(&self, words: &[Word]) -> Vec<Hit> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let mut best: Option<Hit> = None;
            for p in self.index.get(&words[i].norm).into_iter().flatten() {
                let end = i + p.words.len();
                if end > words.len()
                    || !p
                        .words
                        .iter()
                        .zip(&words[i..end])
                        .all(|(a, w)| *a == w.norm)
                {
                    continue;
                }
                if p.ambiguous {
                    let capital = words[i..end].iter().all(|w| w.capital || w.number);
                    let cued = i > 0 && AREA_CUES.contains(&words[i - 1].norm.as_str());
                    if !capital && !cued {
                        continue;
                    }
                }
                match &mut best {
                    // patterns come longest first: a shorter one is never better
                    Some(h) if h.last > end => break,
                    Some(h) => {
                        if !h.entries.contains(&p.entry) {
                            h.entries.push(p.entry);
                        }
                    }
                    None => {
                        best = Some(Hit {
                            entries: vec![p.entry],
                            first: i,
                            last: end,
                        })
                    }
                }
            }
            match best {
                Some(mut h) => {
                    h.entries
                        .sort_by_key(|e| (self.entries[*e].kind.rank(), *e));
                    i = h.last;
                    out.push(h);
                }
                None => i += 1,
            }
        }
        out
    }
}

/// Street head words at the start of a folded name.
const STREET_HEADS: &[&str] = &[
    "jl",
    "jalan",
    "gg",
    "gang",
    "komplek",
    "komp",
    "perumahan",
    "perum",
];

/// Drops a street head (`jl`, `jalan`, `komplek`...) from folded words that have more after it,
/// since posts write the head in many ways (or not at all).
fn strip_head(w: &mut Vec<String>) {
    if w.len() > 1 && STREET_HEADS.contains(&w[0].as_str()) {
        w.remove(0);
    }
}

fn split_aliases(s: &str) -> Vec<String> {
    s.split([';', '|'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect()
}

/// Official lists write names in capitals (`BANJARMASIN UTARA`); reports use title case.
fn display_name(s: &str) -> String {
    let s = s.trim();
    if s.chars().any(char::is_lowercase) {
        s.to_string()
    } else {
        title_case(&s.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::super::words::words;
    use super::*;

    const CSV: &str = "kode,nama,level,kecamatan,aliases\n\
        63.71.04,BANJARMASIN UTARA,kecamatan,,bjm utara;banjar utara\n\
        63.71.04.1005,SUNGAI MIAI,kelurahan,BANJARMASIN UTARA,sei miai|sungai miyai\n\
        63.71.05.1010,Mawar,kelurahan,Banjarmasin Tengah,\n\
        63.71.05,Banjarmasin Tengah,kecamatan,,\n";
    const TSV: &str = "name\tkind\tkecamatan\taliases\n\
        Jl. Kayu Tangi\tjalan\tBanjarmasin Utara\tkayutangi\n\
        Pasar Antasari\tpasar\tBanjarmasin Tengah\tpasar sentra antasari\n\
        Jl. A. Yani\tjalan\tBanjarmasin Tengah;Banjarmasin Timur\tjalan ahmad yani\n";

    fn g() -> Gazetteer {
        Gazetteer::parse(CSV, TSV).unwrap()
    }

    fn names(g: &Gazetteer, text: &str) -> Vec<String> {
        g.find(&words(text))
            .into_iter()
            .map(|h| g.entry(h.entry()).name.clone())
            .collect()
    }

    #[test]
    fn areas_and_aliases_match_in_any_case() {
        let g = g();
        assert_eq!(names(&g, "banjir di sei miai pak"), ["Sungai Miai"]);
        assert_eq!(
            names(&g, "warga SUNGAI MIAI, Bjm Utara"),
            ["Sungai Miai", "Banjarmasin Utara"]
        );
        let e = g
            .entries()
            .iter()
            .find(|e| e.name == "Sungai Miai")
            .unwrap();
        assert_eq!(e.kecamatan.as_deref(), Some("Banjarmasin Utara"));
        assert_eq!(e.kind, EntryKind::Kelurahan);
    }

    #[test]
    fn ambiguous_names_need_a_capital_or_a_cue() {
        let g = g();
        assert!(names(&g, "bunga mawar di taman layu").is_empty());
        assert_eq!(names(&g, "di kel. mawar ada genangan"), ["Mawar"]);
        assert_eq!(names(&g, "genangan di Mawar"), ["Mawar"]);
    }

    #[test]
    fn streets_match_without_their_head_and_multi_kecamatan_has_none() {
        let g = g();
        assert_eq!(names(&g, "jalan kayu tangi rusak"), ["Jl. Kayu Tangi"]);
        assert_eq!(names(&g, "macet di jalan ahmad yani"), ["Jl. A. Yani"]);
        assert_eq!(names(&g, "macet di Jl. Kayutangi"), ["Jl. Kayu Tangi"]);
        let yani = g
            .entries()
            .iter()
            .find(|e| e.name == "Jl. A. Yani")
            .unwrap();
        assert_eq!(yani.kecamatan, None);
        assert_eq!(yani.kind, EntryKind::Street);
        let pasar = g
            .entries()
            .iter()
            .find(|e| e.name == "Pasar Antasari")
            .unwrap();
        assert_eq!(pasar.kind, EntryKind::Landmark);
    }

    #[test]
    fn shared_names_list_every_entry_best_kind_first() {
        let csv = "kode,nama,level,kecamatan,aliases\n\
            1,Kelayan Dalam,kelurahan,Banjarmasin Selatan,Kelayan\n\
            2,Kelayan Barat,kelurahan,Banjarmasin Selatan,Kelayan\n\
            3,Sungai Andai,kelurahan,Banjarmasin Utara,Sei Andai\n";
        let tsv = "name\tkind\tkecamatan\taliases\n\
            Sungai Andai\tsungai\t\tSei Andai\n\
            Jl. Sungai Andai\tjalan\tBanjarmasin Utara\tJl. Sei Andai\n";
        let g = Gazetteer::parse(csv, tsv).unwrap();
        let hits = g.find(&words("banjir di kelayan, juga di sei andai"));
        assert_eq!(hits.len(), 2);
        let kinds = |h: &Hit| {
            h.entries
                .iter()
                .map(|e| g.entry(*e).kind)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            kinds(&hits[0]),
            [EntryKind::Kelurahan, EntryKind::Kelurahan]
        );
        assert_eq!(
            kinds(&hits[1]),
            [EntryKind::Kelurahan, EntryKind::Street, EntryKind::Landmark]
        );
    }

    #[test]
    fn bad_rows_are_named() {
        let err = Gazetteer::parse("kode,nama,level\n1,X,planet\n", "").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        let err = Gazetteer::parse("kode,name\n", "").unwrap_err();
        assert!(err.to_string().contains("`nama`"), "{err}");
        let err = Gazetteer::parse(CSV, "Pasar Baru\n").unwrap_err();
        assert!(err.to_string().contains("kind"), "{err}");
    }

    #[test]
    fn embedded_gazetteer_has_five_kecamatan_and_52_kelurahan() {
        let g = Gazetteer::embedded();
        let kec = g.areas().filter(|e| e.kind == EntryKind::Kecamatan).count();
        let kel = g.areas().filter(|e| e.kind == EntryKind::Kelurahan).count();
        assert_eq!(kec, 5);
        assert_eq!(kel, 52);
        assert!(g
            .areas()
            .filter(|e| e.kind == EntryKind::Kelurahan)
            .all(|e| e.kecamatan.is_some()));
    }
}
