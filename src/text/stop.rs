//! Stop words that keep what complaints are made of.
//!
//! The list is `data/lexicons/stopwords-id.txt` (stopwords-iso, with the words that matter for
//! complaints already removed, see its header). Whatever list is shipped, the words in [`KEEP`]
//! are never stop words: negations (`tidak`, `belum`, `bukan`, `jangan`), complaint markers
//! (`kok`, `masih`, `tolong`, `mohon`, `kapan`, `kenapa`, `segera`, `harus`, `padahal`) and time
//! words a complaint hinges on (`sudah`, `lagi`, `sejak`). A stop word is decided on the
//! normalised form, so `gak`, `ga`, `nggak` and Banjar `kada` (all → `tidak`) are kept too.

/// Never stop words, whatever the list says.
pub const KEEP: &[&str] = &[
    "tidak",
    "tak",
    "enggak",
    "belum",
    "bukan",
    "jangan",
    "tiada",
    "kok",
    "masih",
    "tolong",
    "mohon",
    "kapan",
    "kenapa",
    "mengapa",
    "bagaimana",
    "segera",
    "harus",
    "padahal",
    "malah",
    "percuma",
    "sudah",
    "lagi",
    "sejak",
    "minta",
    "belum",
    "kurang",
    "lama",
    "terus",
    "selalu",
];

#[cfg(test)]
mod tests {
    use crate::text::lexicon::Lexicon;

    #[test]
    fn keep_list_overrides_any_stop_list() {
        let lex = Lexicon::build(
            "form\tstandard\tsource\n",
            "form\tstandard\tsource\tambiguous\n",
            "tidak\nyang\nkok\n",
        );
        assert!(lex.is_stop("yang"));
        assert!(!lex.is_stop("tidak"));
        assert!(!lex.is_stop("kok"));
    }
}
