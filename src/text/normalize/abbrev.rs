//! Abbreviations of complaint posts: street and place words (`jln`, `jl.`, `gg.`, `kec`, `kel`),
//! requests (`tlg`, `mhn`), questions (`gmn`, `knp`, `kpn`) and function words (`blm`, `sdh`,
//! `krn`, `utk`, `dgn`, `yg`, `tdk`). The dot of `jl.` is its own token; the word before it is
//! what gets expanded. These win over the slang lists when both have a form.

use super::{set_norm, Context, KindSet, Normalizer};
use crate::text::lexicon::ABBREV;
use crate::text::{Token, TokenKind};
use std::borrow::Cow;

/// `(abbreviation, standard form)`.
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("jln", "jalan"),
    ("jl", "jalan"),
    ("gg", "gang"),
    ("kec", "kecamatan"),
    ("kel", "kelurahan"),
    ("kab", "kabupaten"),
    ("prov", "provinsi"),
    ("komp", "kompleks"),
    ("perum", "perumahan"),
    ("tlg", "tolong"),
    ("tlng", "tolong"),
    ("mhn", "mohon"),
    ("gmn", "bagaimana"),
    ("gmna", "bagaimana"),
    ("bgmn", "bagaimana"),
    ("knp", "kenapa"),
    ("kpn", "kapan"),
    ("dmn", "di mana"),
    ("blm", "belum"),
    ("blom", "belum"),
    ("sdh", "sudah"),
    ("udh", "sudah"),
    ("krn", "karena"),
    ("krna", "karena"),
    ("utk", "untuk"),
    ("dgn", "dengan"),
    ("dg", "dengan"),
    ("yg", "yang"),
    ("tdk", "tidak"),
    ("tsb", "tersebut"),
    ("dpn", "depan"),
    ("blkg", "belakang"),
    ("skrg", "sekarang"),
    ("kmrn", "kemarin"),
    ("sblm", "sebelum"),
    ("stlh", "setelah"),
    ("hrs", "harus"),
    ("sgr", "segera"),
    ("bbrp", "beberapa"),
    ("pdhl", "padahal"),
    ("ttg", "tentang"),
    ("spt", "seperti"),
    ("rmh", "rumah"),
    ("sklh", "sekolah"),
    ("dll", "dan lain-lain"),
    ("dsb", "dan sebagainya"),
];

/// See the module doc.
pub struct Abbrev;

impl Normalizer for Abbrev {
    fn name(&self) -> &'static str {
        "abbrev"
    }

    fn kinds(&self) -> KindSet {
        KindSet::of(&[TokenKind::Word])
    }

    fn normalize<'a>(&self, tokens: &mut [Token<'a>], i: usize, cx: &Context<'_>) {
        let Some(info) = cx.lookup(i, &tokens[i].norm) else {
            return;
        };
        let tok = &mut tokens[i];
        if !info.has(ABBREV) {
            return;
        }
        if let Some(std) = cx.lexicon.standard_of(info) {
            set_norm(tok, Cow::Borrowed(std));
            cx.forget();
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::text::Analyzer;

    #[test]
    fn expands_the_issue_list() {
        let a = Analyzer::new();
        let norms: Vec<String> = a
            .terms("Jln rusak di jl. A. Yani gg. Mawar tlg mhn gmn blm sdh krn utk dgn")
            .into_iter()
            .map(|t| t.norm.into_owned())
            .collect();
        assert_eq!(
            norms,
            [
                "jalan",
                "rusak",
                "di",
                "jalan",
                "a",
                "yani",
                "gang",
                "mawar",
                "tolong",
                "mohon",
                "bagaimana",
                "belum",
                "sudah",
                "karena",
                "untuk",
                "dengan"
            ]
        );
    }
}
