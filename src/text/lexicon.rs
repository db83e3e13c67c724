//! The word lists, embedded in the binary, and the one table the analyzer looks words up in.
//!
//! Sources (provenance and licences in `data/lexicons/PROVENANCE.md`):
//! - `slang-id.tsv`: colloquial Indonesian → standard (`form\tstandard\tsource`);
//! - `banjar-id.tsv`: Banjar → Indonesian (`form\tstandard\tsource\tambiguous`); an ambiguous
//!   form is also a common Indonesian word and is only mapped in posts that look Banjar;
//! - `stopwords-id.txt`: stop words (`#` comments), minus [`super::stop::KEEP`];
//! - the complaint abbreviations of [`super::normalize::abbrev::ABBREVIATIONS`];
//! - `kata-dasar-kateglo.txt`: the stemmer's root words (CC BY-NC-SA 3.0, a separate work with
//!   its own licence file), embedded only with the `kateglo` cargo feature (default on) and
//!   replaceable at run time with `[text] root_words`.
//!
//! Every form, standard form and stop word (and, in the analyzer's shared lexicon, every
//! embedded root word) gets one id in a [`StrTable`] with an [`Info`] record, so one lookup
//! answers "is this slang / Banjar / a stop word / a root". Forms
//! with spaces (`wayah ini`, `mati lampu`) are phrases: their first word is flagged
//! [`PHRASE_HEAD`] so the slang normaliser only looks ahead when a phrase can start.

use super::normalize::abbrev::ABBREVIATIONS;
use super::stop::KEEP;
use super::table::StrTable;

/// Colloquial Indonesian → standard.
pub const SLANG_TSV: &str = include_str!("../../data/lexicons/slang-id.tsv");
/// Banjar → Indonesian.
pub const BANJAR_TSV: &str = include_str!("../../data/lexicons/banjar-id.tsv");
/// Indonesian stop words (stopwords-iso, with complaint words removed).
pub const STOPWORDS_TXT: &str = include_str!("../../data/lexicons/stopwords-id.txt");
/// Kateglo root words (CC BY-NC-SA 3.0), when built with the `kateglo` feature.
#[cfg(feature = "kateglo")]
pub const KATEGLO_ROOTS: &str = include_str!("../../data/lexicons/kata-dasar-kateglo.txt");
/// Built without the `kateglo` feature: no embedded root words (configure `[text] root_words`).
#[cfg(not(feature = "kateglo"))]
pub const KATEGLO_ROOTS: &str = "";

/// The form is colloquial Indonesian (from `slang-id.tsv`).
pub const SLANG: u16 = 1;
/// The form is Banjar and not ambiguous with Indonesian: evidence that a post is in Banjar.
pub const BANJAR: u16 = 1 << 1;
/// The form is Banjar but also common Indonesian: mapped only in Banjar posts.
pub const BANJAR_AMBIGUOUS: u16 = 1 << 2;
/// The form is a complaint abbreviation (`jln`, `tlg`).
pub const ABBREV: u16 = 1 << 3;
/// A stop word.
pub const STOP: u16 = 1 << 4;
/// The first word of a phrase form.
pub const PHRASE_HEAD: u16 = 1 << 5;
/// A standard (target) form.
pub const STANDARD: u16 = 1 << 6;
/// A root word of the embedded root list (set only in the lexicon built with
/// [`Lexicon::with_roots`]).
pub const ROOT: u16 = 1 << 7;

/// Not a lexicon flag: marks a token whose final norm the analyzer looked up (its other flags
/// are then that lookup's answer, all clear when the word is in no list).
pub const LOOKED_UP: u16 = 1 << 15;

/// No standard form.
pub const NONE: u32 = u32::MAX;

/// What the lexicon knows about a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    /// Id of the standard form this form maps to, or [`NONE`].
    pub standard: u32,
    /// Bit flags ([`SLANG`], [`BANJAR`], …).
    pub flags: u16,
}

impl Info {
    /// Whether any of `flags` is set.
    #[inline]
    pub fn has(&self, flags: u16) -> bool {
        self.flags & flags != 0
    }
}

/// All word lists but the roots, in one table.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    words: StrTable,
    info: Vec<Info>,
    /// Most words in a phrase form.
    max_phrase: usize,
}

/// Counts of what was loaded, for tests and docs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub slang: usize,
    pub banjar: usize,
    pub banjar_ambiguous: usize,
    pub phrases: usize,
    pub stop: usize,
    pub abbreviations: usize,
}

impl Lexicon {
    /// The lexicon from the embedded lists.
    pub fn embedded() -> Lexicon {
        Lexicon::build(SLANG_TSV, BANJAR_TSV, STOPWORDS_TXT)
    }

    /// Builds the table from list texts. Malformed lines (fewer than two fields, empty form
    /// or standard, a form equal to its standard) are skipped: the shipped lists are checked by
    /// tests, and a skipped line only loses that one mapping.
    pub fn build(slang: &str, banjar: &str, stopwords: &str) -> Lexicon {
        let mut lex = Lexicon::default();
        for (form, standard) in ABBREVIATIONS {
            lex.map(form, standard, ABBREV);
        }
        for (form, standard, _) in tsv_rows(slang) {
            lex.map(form, standard, SLANG);
        }
        for (form, standard, rest) in tsv_rows(banjar) {
            let ambiguous = rest.split('\t').nth(1).is_some_and(|f| f.trim() == "1");
            lex.map(
                form,
                standard,
                if ambiguous { BANJAR_AMBIGUOUS } else { BANJAR },
            );
        }
        for line in stopwords.lines() {
            let w = line.trim();
            if w.is_empty() || w.starts_with('#') || KEEP.contains(&w) {
                continue;
            }
            let id = lex.intern(w);
            lex.info[id as usize].flags |= STOP;
        }
        lex
    }

    /// Also records every word of a root list with the [`ROOT`] flag, so one lookup tells the
    /// analyzer whether a word is slang, a stop word and a root.
    pub fn with_roots(mut self, roots: &StrTable) -> Lexicon {
        for r in roots.iter() {
            let id = self.intern(r);
            self.info[id as usize].flags |= ROOT;
        }
        self
    }

    fn intern(&mut self, s: &str) -> u32 {
        let id = self.words.insert(s);
        if id as usize == self.info.len() {
            self.info.push(Info {
                standard: NONE,
                flags: 0,
            });
        }
        id
    }

    /// Records `form → standard` unless the form already has a mapping (earlier lists win:
    /// abbreviations, then slang, then Banjar).
    fn map(&mut self, form: &str, standard: &str, flag: u16) {
        if form.is_empty() || standard.is_empty() || form == standard {
            return;
        }
        let s = self.intern(standard);
        self.info[s as usize].flags |= STANDARD;
        let f = self.intern(form);
        let info = &mut self.info[f as usize];
        if info.standard != NONE {
            // a Banjar form already known as Indonesian slang is no evidence of Banjar
            return;
        }
        info.standard = s;
        info.flags |= flag;
        let words = form.split(' ').count();
        if words > 1 {
            self.max_phrase = self.max_phrase.max(words);
            let head = form.split(' ').next().unwrap_or(form);
            let h = self.intern(head);
            self.info[h as usize].flags |= PHRASE_HEAD;
        }
    }

    /// What the lexicon knows about `w`.
    #[inline]
    pub fn lookup(&self, w: &str) -> Option<Info> {
        self.words.id(w).map(|id| self.info[id as usize])
    }

    /// The standard form of `w`, if `w` is a listed form.
    #[inline]
    pub fn standard_of(&self, info: Info) -> Option<&str> {
        (info.standard != NONE).then(|| self.words.get(info.standard))
    }

    /// Whether `w` is any listed string (form, standard form, stop word or merged root).
    #[inline]
    pub fn knows(&self, w: &str) -> bool {
        self.words.contains(w)
    }

    /// Whether `w` is a stop word.
    #[inline]
    pub fn is_stop(&self, w: &str) -> bool {
        self.lookup(w).is_some_and(|i| i.has(STOP))
    }

    /// Most words in a phrase form (0 when there is none).
    pub fn max_phrase(&self) -> usize {
        self.max_phrase
    }

    /// Counts of forms per list.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for (id, info) in self.info.iter().enumerate() {
            let w = self.words.get(id as u32);
            if info.standard != NONE && w.contains(' ') {
                c.phrases += 1;
            }
            c.slang += info.has(SLANG) as usize;
            c.banjar += info.has(BANJAR) as usize;
            c.banjar_ambiguous += info.has(BANJAR_AMBIGUOUS) as usize;
            c.stop += info.has(STOP) as usize;
            c.abbreviations += info.has(ABBREV) as usize;
        }
        c
    }
}

/// `(form, standard, rest)` of each data row of a TSV with a header line.
fn tsv_rows(text: &str) -> impl Iterator<Item = (&str, &str, &str)> {
    text.lines().skip(1).filter_map(|line| {
        let mut it = line.splitn(3, '\t');
        let form = it.next()?.trim();
        let standard = it.next()?.trim();
        let rest = it.next().unwrap_or("");
        (!form.is_empty() && !form.starts_with('#')).then_some((form, standard, rest))
    })
}

/// Root words from a list: one per line, trimmed and lowercased; empty lines and `#` comments
/// skipped.
pub fn parse_roots(text: &str) -> StrTable {
    let mut t = StrTable::new();
    for line in text.lines() {
        let w = line.trim();
        if w.is_empty() || w.starts_with('#') {
            continue;
        }
        if w.bytes().any(|b| b.is_ascii_uppercase()) || !w.is_ascii() {
            t.insert(&w.to_lowercase());
        } else {
            t.insert(w);
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lists_are_big_enough_and_well_formed() {
        let lex = Lexicon::embedded();
        let c = lex.counts();
        assert!(
            c.slang + c.banjar + c.banjar_ambiguous + c.abbreviations >= 4000,
            "{c:?}"
        );
        assert!(c.banjar + c.banjar_ambiguous >= 700, "{c:?}");
        assert!(c.banjar_ambiguous > 0 && c.phrases > 50, "{c:?}");
        assert!(c.stop > 400, "{c:?}");
        assert!(lex.max_phrase() >= 2);
        // every data line of the TSVs parses into a mapping (nothing silently skipped)
        for (name, text) in [("slang", SLANG_TSV), ("banjar", BANJAR_TSV)] {
            for (n, line) in text.lines().enumerate().skip(1) {
                let f: Vec<&str> = line.split('\t').collect();
                assert!(
                    f.len() >= 3 && !f[0].is_empty() && !f[1].is_empty(),
                    "{name}:{}: {line:?}",
                    n + 1
                );
                assert_eq!(f[0], f[0].to_lowercase(), "{name}:{}", n + 1);
            }
        }
    }

    #[test]
    fn lookups() {
        let lex = Lexicon::embedded();
        let std = |w: &str| {
            lex.lookup(w)
                .and_then(|i| lex.standard_of(i))
                .map(str::to_string)
        };
        assert_eq!(std("yg").as_deref(), Some("yang"));
        assert_eq!(std("kada").as_deref(), Some("tidak"));
        assert_eq!(std("banyu").as_deref(), Some("air"));
        assert_eq!(std("wayah ini").as_deref(), Some("sekarang"));
        assert!(lex.lookup("wayah").is_some_and(|i| i.has(PHRASE_HEAD)));
        assert!(lex.lookup("kada").is_some_and(|i| i.has(BANJAR)));
        // an ambiguous Banjar form
        assert!(lex.lookup("lawan").is_some_and(|i| i.has(BANJAR_AMBIGUOUS)));
        assert!(lex.is_stop("yang"));
        for kept in ["tidak", "belum", "kok", "masih", "tolong", "mohon", "kapan"] {
            assert!(!lex.is_stop(kept), "{kept} must not be a stop word");
        }
    }

    #[test]
    fn root_lists_parse() {
        let t = parse_roots("# komentar\nJalan\n\n  rusak \nair");
        assert_eq!(t.len(), 3);
        assert!(t.contains("jalan") && t.contains("rusak") && t.contains("air"));
    }
}
