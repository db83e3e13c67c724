//! A small word splitter for report extraction: alphanumeric runs with their byte spans in the
//! original text and a folded form for matching (lowercase, apostrophes dropped, a few spelling
//! variants of place words unified: `sei` → `sungai`, `mesjid` → `masjid`, `bjm` → `banjarmasin`).
//!
//! The analyzer in `text/` is the full pipeline for classification; this one only needs to find
//! place names and time phrases, and must keep spans into the post so the citizen's own spelling
//! can be quoted.

/// One word of a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Folded form used for matching.
    pub norm: String,
    /// Byte span in the original text.
    pub start: usize,
    pub end: usize,
    /// Whether the citizen wrote it with a capital first letter.
    pub capital: bool,
    /// Whether it is all digits.
    pub number: bool,
}

impl Word {
    /// The word as written.
    pub fn raw<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// Spelling variants folded to one form, on both the post and gazetteer side.
fn fold(word: &str) -> &str {
    match word {
        "sei" | "sui" | "sng" => "sungai",
        "mesjid" => "masjid",
        "bjm" | "bjrmsn" | "banjarmasin" | "bjrm" => "banjarmasin",
        "kmpl" | "kompleks" | "komplex" => "komplek",
        "jln" => "jl",
        "gng" => "gg",
        "jum'at" => "jumat",
        _ => word,
    }
}

/// Splits `text` into words. An apostrophe inside a word (`jum'at`) is kept in the word and
/// dropped from the folded form.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let inner_apostrophe = (c == '\'' || c == '’')
            && start.is_some()
            && iter.peek().is_some_and(|(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || inner_apostrophe {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(make(text, s, i));
        }
    }
    if let Some(s) = start {
        out.push(make(text, s, text.len()));
    }
    out
}

fn make(text: &str, start: usize, end: usize) -> Word {
    let raw = &text[start..end];
    let lower: String = raw
        .chars()
        .filter(|c| *c != '\'' && *c != '’')
        .flat_map(char::to_lowercase)
        .collect();
    let norm = fold(&lower).to_string();
    Word {
        capital: raw.chars().next().is_some_and(char::is_uppercase),
        number: raw.chars().all(|c| c.is_ascii_digit()),
        norm,
        start,
        end,
    }
}

/// The folded words of a name, for building match patterns.
pub fn folded(name: &str) -> Vec<String> {
    words(name).into_iter().map(|w| w.norm).collect()
}

/// Capitalises each word of a name written in lowercase (`kayu tangi` → `Kayu Tangi`); words the
/// citizen capitalised, numbers and all-caps abbreviations (`SDN`, `RSUD`) are kept.
pub fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            if w.chars().any(char::is_uppercase) {
                return w.to_string();
            }
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_into_the_text() {
        let t = "Banjir di Sei Andai, jum'at RT.05!";
        let ws = words(t);
        let norms: Vec<&str> = ws.iter().map(|w| w.norm.as_str()).collect();
        assert_eq!(
            norms,
            ["banjir", "di", "sungai", "andai", "jumat", "rt", "05"]
        );
        assert_eq!(ws[2].raw(t), "Sei");
        assert!(ws[2].capital && !ws[1].capital);
        assert!(ws[6].number);
        assert_eq!(ws[4].raw(t), "jum'at");
    }

    #[test]
    fn title_case_keeps_abbreviations() {
        assert_eq!(title_case("kayu tangi 2"), "Kayu Tangi 2");
        assert_eq!(title_case("SDN kuin utara"), "SDN Kuin Utara");
    }
}
