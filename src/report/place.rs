//! Finding the place a complaint is about: street and place patterns (`Jl.`/`Jalan`, `Gg.`/`Gang`,
//! `Komplek`/`Komp.`, `RT`/`RW`), kept as the citizen wrote them.

use regex::Regex;
use std::sync::LazyLock;

static PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:(?i:jl\.?|jln\.?|gg\.?|komp\.?)\s*[A-Za-z0-9]|(?:[Jj]alan|[Gg]ang|[Kk]omplek|[Pp]erumahan)\s+[A-Z0-9])[\w.]*(?:\s+(?:[A-Z0-9][\w.]*|(?i:km)\s*\d+|(?i:no)\.?\s*\d+|\d+[a-z]?))*",
    )
    .expect("valid place regex")
});

static RT_RW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bRT\.?\s*0*(\d{1,3})(?:\s*/?\s*RW\.?\s*0*(\d{1,3}))?")
        .expect("valid RT regex")
});

/// The first street or place named in `text`, with RT/RW when given.
pub fn find_place(text: &str) -> Option<String> {
    let street = PLACE.find(text).map(|m| {
        let s = m.as_str();
        // RT/RW numbers are reported separately
        let cut = s
            .split_whitespace()
            .take_while(|w| !matches!(w.to_ascii_lowercase().trim_end_matches('.'), "rt" | "rw"))
            .collect::<Vec<_>>()
            .join(" ");
        cut.trim_end_matches(|c: char| c == '.' || c == ',' || c.is_whitespace())
            .to_string()
    });
    let rt = RT_RW.captures(text).map(|c| match c.get(2) {
        Some(rw) => format!("RT {} RW {}", &c[1], rw.as_str()),
        None => format!("RT {}", &c[1]),
    });
    match (street, rt) {
        (Some(s), Some(r)) => Some(format!("{s}, {r}")),
        (Some(s), None) => Some(s),
        (None, Some(r)) => Some(r),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streets_alleys_and_rt() {
        assert_eq!(
            find_place("jalan berlubang di Jl. Kayu Tangi 2 pak").as_deref(),
            Some("Jl. Kayu Tangi 2")
        );
        assert_eq!(
            find_place("gelap di Gg. Sepakat RT 05 RW 02").as_deref(),
            Some("Gg. Sepakat, RT 5 RW 2")
        );
        assert_eq!(
            find_place("lampu mati di jl pramuka km 6").as_deref(),
            Some("jl pramuka km 6")
        );
        assert_eq!(find_place("jalan rusak parah"), None);
        assert_eq!(find_place("banjir di rt 12").as_deref(), Some("RT 12"));
        assert_eq!(find_place("selamat pagi pak wali"), None);
    }
}
