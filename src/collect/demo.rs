//! The embedded demo feed (`data/demo/feed.jsonl`): posts the project wrote, in our Post shape,
//! so `dengar nightly` does something real on a fresh machine with no tokens and no config.

use super::file::{parse_lines, Format, LineError};
use crate::model::Post;
use std::collections::HashSet;

/// The demo feed text.
pub const FEED: &str = include_str!("../../data/demo/feed.jsonl");

/// The demo posts. The feed is compiled in and tested, so every line parses.
pub fn posts(watched: &HashSet<String>) -> (Vec<Post>, Vec<LineError>) {
    let mut posts = Vec::new();
    let mut errors = Vec::new();
    parse_lines(FEED.as_bytes(), Format::Auto, watched, |r| match r {
        Ok(p) => posts.push(p),
        Err(e) => errors.push(e),
    });
    (posts, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Platform;

    #[test]
    fn demo_feed_is_large_varied_and_clean() {
        let (posts, errors) = posts(&HashSet::new());
        assert!(errors.is_empty(), "{errors:?}");
        assert!(posts.len() >= 300, "{}", posts.len());
        let ids: HashSet<_> = posts.iter().map(|p| p.id()).collect();
        assert_eq!(ids.len(), posts.len(), "duplicate ids in the demo feed");
        for platform in [
            Platform::X,
            Platform::Instagram,
            Platform::Facebook,
            Platform::Youtube,
        ] {
            assert!(
                posts.iter().any(|p| p.platform == platform),
                "no {platform} posts"
            );
        }
    }
}
