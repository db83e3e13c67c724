//! Instagram Graph wire types (media, comments, `mentioned_*` lookups) and their conversion to
//! posts.

use crate::collect::graph::{de_time, Edge, From};
use crate::model::{Platform, Post};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

/// Media (own, tagged or mentioning).
#[derive(Debug, Clone, Deserialize)]
pub struct IgMedia {
    pub id: String,
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(deserialize_with = "de_time")]
    pub timestamp: DateTime<Utc>,
    #[serde(default)]
    pub permalink: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub comments_count: Option<u64>,
}

/// A comment or reply.
#[derive(Debug, Clone, Deserialize)]
pub struct IgComment {
    pub id: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(deserialize_with = "de_time")]
    pub timestamp: DateTime<Utc>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub from: Option<From>,
    #[serde(default)]
    pub parent_id: Option<String>,
    /// Replies, expanded inline (`replies{…}`).
    #[serde(default)]
    pub replies: Option<Edge>,
    /// The media it is on (`media{id,permalink}`), in `mentioned_comment` lookups.
    #[serde(default)]
    pub media: Option<MediaRef>,
}

/// `media{id,permalink}`.
#[derive(Debug, Clone, Deserialize)]
pub struct MediaRef {
    pub id: String,
    #[serde(default)]
    pub permalink: Option<String>,
}

/// `GET /{ig-user-id}?fields=mentioned_comment…` / `mentioned_media…`.
#[derive(Debug, Clone, Deserialize)]
pub struct MentionLookup {
    #[serde(default)]
    pub mentioned_comment: Option<Value>,
    #[serde(default)]
    pub mentioned_media: Option<Value>,
}

fn parse<T: serde::de::DeserializeOwned>(raw: &Value, what: &str) -> Result<T, String> {
    serde_json::from_value(raw.clone()).map_err(|e| {
        let id = raw.get("id").and_then(Value::as_str).unwrap_or("?");
        format!("{what} {id}: {e}")
    })
}

/// Parses raw media.
pub fn parse_media(raw: &Value) -> Result<IgMedia, String> {
    parse(raw, "media")
}

/// Parses a raw comment.
pub fn parse_comment(raw: &Value) -> Result<IgComment, String> {
    parse(raw, "comment")
}

impl IgMedia {
    /// As a post about `account` (tagged or mentioning media); `None` without a caption.
    pub fn to_post(&self, raw: &Value, account: &str) -> Option<Post> {
        let text = self.caption.clone().filter(|c| !c.trim().is_empty())?;
        Some(Post {
            platform: Platform::Instagram,
            native_id: self.id.clone(),
            author_id: String::new(),
            author_handle: self.username.clone().unwrap_or_default(),
            text,
            created_at: self.timestamp,
            url: self.permalink.clone(),
            reply_to: None,
            account: Some(account.to_string()),
            raw: Some(raw.clone()),
        })
    }
}

impl IgComment {
    /// As a post about `account`, on the media `media_id` (whose permalink gives the URL).
    pub fn to_post(
        &self,
        raw: &Value,
        media_id: &str,
        permalink: Option<&str>,
        account: &str,
    ) -> Option<Post> {
        let text = self.text.clone().filter(|t| !t.trim().is_empty())?;
        let from = self.from.clone().unwrap_or_default();
        let url = permalink.map(|p| format!("{}/c/{}/", p.trim_end_matches('/'), self.id));
        let mut raw = raw.clone();
        if let Some(o) = raw.as_object_mut() {
            // replies are posts of their own; keeping them here would store them twice
            o.remove("replies");
        }
        Some(Post {
            platform: Platform::Instagram,
            native_id: self.id.clone(),
            author_id: from.id,
            author_handle: self.username.clone().or(from.username).unwrap_or_default(),
            text,
            created_at: self.timestamp,
            url,
            reply_to: Some(
                self.parent_id
                    .clone()
                    .unwrap_or_else(|| media_id.to_string()),
            ),
            account: Some(account.to_string()),
            raw: Some(raw),
        })
    }
}
