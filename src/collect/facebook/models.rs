//! Facebook Graph wire types (Page posts, comments) and their conversion to posts.

use crate::collect::graph::{de_time, From};
use crate::model::{Platform, Post};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

/// A Page feed or tagged post.
#[derive(Debug, Clone, Deserialize)]
pub struct FbPost {
    /// `{page-id}_{post-id}`.
    pub id: String,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(deserialize_with = "de_time")]
    pub created_time: DateTime<Utc>,
    #[serde(default)]
    pub permalink_url: Option<String>,
    #[serde(default)]
    pub from: Option<From>,
}

/// A comment (`filter=stream` flattens replies; `parent` says which comment they answer).
#[derive(Debug, Clone, Deserialize)]
pub struct FbComment {
    /// Absent when the token lacks the MODERATE task on the Page.
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(deserialize_with = "de_time")]
    pub created_time: DateTime<Utc>,
    #[serde(default)]
    pub from: Option<From>,
    #[serde(default)]
    pub parent: Option<Parent>,
    #[serde(default)]
    pub permalink_url: Option<String>,
}

/// `parent{id}`.
#[derive(Debug, Clone, Deserialize)]
pub struct Parent {
    pub id: String,
}

/// Parses a raw feed item.
pub fn parse_post(raw: &Value) -> Result<FbPost, String> {
    serde_json::from_value(raw.clone()).map_err(|e| {
        let id = raw.get("id").and_then(Value::as_str).unwrap_or("?");
        format!("post {id}: {e}")
    })
}

impl FbPost {
    /// As a post about the watched Page `account`; `None` when it has no text.
    pub fn to_post(&self, raw: &Value, account: &str) -> Option<Post> {
        let text = self.message.clone().filter(|m| !m.trim().is_empty())?;
        let from = self.from.clone().unwrap_or_default();
        Some(Post {
            platform: Platform::Facebook,
            native_id: self.id.clone(),
            author_id: from.id,
            author_handle: from.name.unwrap_or_default(),
            text,
            created_at: self.created_time,
            url: Some(
                self.permalink_url
                    .clone()
                    .unwrap_or_else(|| format!("https://www.facebook.com/{}", self.id)),
            ),
            reply_to: None,
            account: Some(account.to_string()),
            raw: Some(raw.clone()),
        })
    }
}

/// Parses a raw comment.
pub fn parse_comment(raw: &Value) -> Result<FbComment, String> {
    serde_json::from_value(raw.clone()).map_err(|e| format!("comment: {e}"))
}

impl FbComment {
    /// As a post replying to `post_id` (or to its parent comment); `None` without text.
    pub fn to_post(&self, id: &str, raw: &Value, post_id: &str, account: &str) -> Option<Post> {
        let text = self.message.clone().filter(|m| !m.trim().is_empty())?;
        let from = self.from.clone().unwrap_or_default();
        Some(Post {
            platform: Platform::Facebook,
            native_id: id.to_string(),
            author_id: from.id,
            author_handle: from.name.unwrap_or_default(),
            text,
            created_at: self.created_time,
            url: Some(
                self.permalink_url.clone().unwrap_or_else(|| {
                    format!("https://www.facebook.com/{post_id}?comment_id={id}")
                }),
            ),
            reply_to: Some(
                self.parent
                    .as_ref()
                    .map(|p| p.id.clone())
                    .unwrap_or_else(|| post_id.to_string()),
            ),
            account: Some(account.to_string()),
            raw: Some(raw.clone()),
        })
    }
}
