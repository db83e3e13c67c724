//! Urgency: does a post report danger to life or property right now (fire, flood, accident,
//! collapse, medical emergency, violence)? A small weighted lexicon over normalised words, so
//! reviewers see these first whatever the complaint model says.

use crate::text::{Analyzer, TokenKind};

/// Words (lowercase surface forms, Indonesian and Banjar) and their weight towards urgency; at
/// most 64 (the classifier tracks the cues seen in a post in one 64-bit mask).
pub const CUES: &[(&str, f32)] = &[
    ("kebakaran", 1.0),
    ("terbakar", 0.9),
    ("kobaran", 0.9),
    ("api", 0.4),
    ("asap", 0.3),
    ("banjir", 0.7),
    ("rob", 0.5),
    ("tenggelam", 0.9),
    ("hanyut", 0.8),
    ("kecelakaan", 0.9),
    ("tabrakan", 0.8),
    ("ditabrak", 0.8),
    ("roboh", 0.8),
    ("ambruk", 0.8),
    ("runtuh", 0.8),
    ("longsor", 0.8),
    ("tumbang", 0.6),
    ("puting", 0.6),
    ("beliung", 0.6),
    ("korban", 0.7),
    ("meninggal", 0.8),
    ("tewas", 0.9),
    ("pingsan", 0.8),
    ("darurat", 0.8),
    ("sekarat", 0.9),
    ("berdarah", 0.8),
    ("luka", 0.5),
    ("ambulans", 0.7),
    ("ambulan", 0.7),
    ("tersengat", 0.8),
    ("kesetrum", 0.8),
    ("korsleting", 0.6),
    ("ledakan", 0.9),
    ("meledak", 0.9),
    ("tawuran", 0.8),
    ("begal", 0.7),
    ("penusukan", 0.9),
    ("dibacok", 0.9),
    ("terjebak", 0.8),
    ("tabakar", 0.9),
    ("kebanjiran", 0.7),
    ("kabanjiran", 0.7),
    ("terendam", 0.6),
    ("evakuasi", 0.7),
    ("mengungsi", 0.6),
    ("tersetrum", 0.8),
    ("gawat", 0.5),
    ("ular", 0.4),
    ("tawon", 0.4),
    ("sekarang", 0.2),
    ("cepat", 0.2),
    ("segera", 0.2),
    ("tolong", 0.15),
];

/// Alert line: a post at or above it is `urgent`.
pub const URGENT_AT: f32 = 0.6;

/// Urgency score in 0..1: noisy-or of the cue weights found.
pub fn score(analyzer: &Analyzer, text: &str) -> f32 {
    let mut not_urgent = 1.0f32;
    analyzer.for_each_term(text, |t| {
        if t.kind != TokenKind::Word && t.kind != TokenKind::Hashtag {
            return;
        }
        let w = t.norm.trim_start_matches('#');
        if let Some((_, weight)) = CUES.iter().find(|(c, _)| *c == w) {
            not_urgent *= 1.0 - weight;
        }
    });
    1.0 - not_urgent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fire_is_urgent_potholes_are_not() {
        let a = Analyzer::new();
        assert!(score(&a, "Ada KEBAKARAN di Kelayan, tolong cepat!!") >= URGENT_AT);
        assert!(score(&a, "banjir setinggi lutut, ada korban hanyut") >= URGENT_AT);
        assert!(score(&a, "jalan berlubang di kayu tangi") < URGENT_AT);
        assert_eq!(score(&a, ""), 0.0);
        assert!(score(&a, "rumah tabakar di gang kenanga, api ganal") >= URGENT_AT);
        assert!(CUES.len() <= 64);
    }
}
