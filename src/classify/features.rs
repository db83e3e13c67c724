//! Feature extraction: from a post's text (and the watched account it concerns) to the feature
//! names a model's vocabulary indexes.
//!
//! Features: normalised word unigrams (`w:`, after the analyzer's slang/Banjar normalisation;
//! numbers and amounts of money become `<num>` / `<amount>`), word bigrams (`b:`), the watched
//! account (`a:`), and the kind of each @mention (`m:gov` for a watched city account, `m:user` for anyone else),
//! so the model learns who is addressed without memorising every citizen's handle.
//! [`Features::for_each`] calls back with borrowed names through one reused buffer: inference
//! allocates nothing per feature.

use crate::text::{Analyzer, TokenKind};
use std::collections::HashSet;

/// Which handles count as the city's own accounts.
#[derive(Debug, Clone, Default)]
pub struct Features {
    analyzer: Analyzer,
    gov_handles: HashSet<String>,
}

impl Features {
    /// A feature extractor that knows the city's handles (lowercase, without `@`).
    pub fn new(gov_handles: impl IntoIterator<Item = String>) -> Features {
        Features {
            analyzer: Analyzer::new(),
            gov_handles: gov_handles.into_iter().map(|h| h.to_lowercase()).collect(),
        }
    }

    /// The analyzer the features are built on.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// Calls `f` with every feature of the post, in order (repeats possible).
    pub fn for_each(&self, text: &str, account: Option<&str>, mut f: impl FnMut(&str)) {
        let mut buf = String::with_capacity(64);
        // the previous unit, copied: a term's text only lives during its callback
        let mut prev = String::with_capacity(32);
        let mut has_prev = false;
        self.analyzer.for_each_term(text, |tok| {
            let unit: &str = match tok.kind {
                TokenKind::Mention => {
                    let h = tok.norm.trim_start_matches('@');
                    if self.gov_handles.contains(h) {
                        f("m:gov");
                        "@gov"
                    } else {
                        f("m:user");
                        "@user"
                    }
                }
                TokenKind::Url => {
                    f("u:url");
                    "<url>"
                }
                TokenKind::Number => "<num>",
                TokenKind::Amount => "<amount>",
                _ => tok.norm,
            };
            buf.clear();
            buf.push_str("w:");
            buf.push_str(unit);
            f(&buf);
            if has_prev {
                buf.clear();
                buf.push_str("b:");
                buf.push_str(&prev);
                buf.push(' ');
                buf.push_str(unit);
                f(&buf);
            }
            prev.clear();
            prev.push_str(unit);
            has_prev = true;
        });
        if let Some(a) = account {
            buf.clear();
            buf.push_str("a:");
            buf.push_str(&a.trim_start_matches('@').to_lowercase());
            f(&buf);
        }
    }

    /// The distinct features of a post, for training.
    pub fn distinct(&self, text: &str, account: Option<&str>) -> Vec<String> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        self.for_each(text, account, |name| {
            if seen.insert(name.to_string()) {
                out.push(name.to_string());
            }
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_bigrams_mentions_and_account() {
        let f = Features::new(["pupr_bjm".to_string()]);
        let feats = f.distinct("Jalan rusak @PUPR_bjm @budi", Some("pemkot_bjm"));
        for want in [
            "w:jalan",
            "w:rusak",
            "b:jalan rusak",
            "m:gov",
            "m:user",
            "w:@gov",
            "b:@gov @user",
            "a:pemkot_bjm",
        ] {
            assert!(
                feats.iter().any(|x| x == want),
                "missing {want} in {feats:?}"
            );
        }
        assert!(!feats.iter().any(|x| x.contains("budi")));
    }
}
