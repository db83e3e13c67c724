//! The canonical post: what every collector and importer produces, whatever the platform.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a post was harvested. A closed list: adding a platform is a code change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    X,
    Instagram,
    Facebook,
    Youtube,
    Mastodon,
    /// Imported from a file whose rows do not say the platform.
    File,
}

impl Platform {
    /// Every platform, in display order.
    pub const ALL: [Platform; 6] = [
        Platform::X,
        Platform::Instagram,
        Platform::Facebook,
        Platform::Youtube,
        Platform::Mastodon,
        Platform::File,
    ];

    /// The lowercase name used in ids, config and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::X => "x",
            Platform::Instagram => "instagram",
            Platform::Facebook => "facebook",
            Platform::Youtube => "youtube",
            Platform::Mastodon => "mastodon",
            Platform::File => "file",
        }
    }

    /// Parses the lowercase name (also accepts `twitter` for X).
    pub fn parse(s: &str) -> Option<Platform> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "x" | "twitter" => Platform::X,
            "instagram" | "ig" => Platform::Instagram,
            "facebook" | "fb" => Platform::Facebook,
            "youtube" | "yt" => Platform::Youtube,
            "mastodon" => Platform::Mastodon,
            "file" => Platform::File,
            _ => return None,
        })
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A post's identity in the store: `platform:native_id`. Importing the same post twice maps to
/// the same id, which is what makes harvesting idempotent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PostId(pub String);

impl PostId {
    /// Builds the id of a post on a platform.
    pub fn new(platform: Platform, native_id: &str) -> PostId {
        PostId(format!("{}:{}", platform.as_str(), native_id))
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The platform part, when the id is well formed.
    pub fn platform(&self) -> Option<Platform> {
        self.0.split_once(':').and_then(|(p, _)| Platform::parse(p))
    }
}

impl fmt::Display for PostId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One citizen's (or anyone's) post, comment or reply, as harvested.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// Platform it came from.
    pub platform: Platform,
    /// The platform's own id, kept as a string (X and Instagram ids exceed 2^53).
    pub native_id: String,
    /// The platform's id of the author.
    #[serde(default)]
    pub author_id: String,
    /// The author's handle or display name, without `@`.
    #[serde(default)]
    pub author_handle: String,
    /// The text exactly as written.
    pub text: String,
    /// When it was posted, in UTC.
    pub created_at: DateTime<Utc>,
    /// Link to the original.
    #[serde(default)]
    pub url: Option<String>,
    /// Native id of the post this one replies to, when it is a reply or comment.
    #[serde(default)]
    pub reply_to: Option<String>,
    /// Handle of the watched account this post concerns (mentioned, replied to, commented on).
    #[serde(default)]
    pub account: Option<String>,
    /// The platform's raw JSON for this item, kept for audits and re-parsing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<serde_json::Value>,
}

impl Post {
    /// The store identity of this post.
    pub fn id(&self) -> PostId {
        PostId::new(self.platform, &self.native_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_platform_and_native_id() {
        let id = PostId::new(Platform::Instagram, "17950000000000001");
        assert_eq!(id.as_str(), "instagram:17950000000000001");
        assert_eq!(id.platform(), Some(Platform::Instagram));
    }

    #[test]
    fn platform_names_round_trip() {
        for p in Platform::ALL {
            assert_eq!(Platform::parse(p.as_str()), Some(p));
        }
        assert_eq!(Platform::parse("Twitter"), Some(Platform::X));
        assert_eq!(Platform::parse("myspace"), None);
    }

    #[test]
    fn post_json_keeps_big_ids_as_strings() {
        let json = r#"{"platform":"x","native_id":"1790000000000000001","author_id":"9","author_handle":"warga","text":"jalan rusak","created_at":"2026-11-20T01:02:03Z"}"#;
        let post: Post = serde_json::from_str(json).unwrap();
        assert_eq!(post.native_id, "1790000000000000001");
        assert_eq!(post.id().as_str(), "x:1790000000000000001");
        assert!(post.url.is_none() && post.raw.is_none());
    }
}
