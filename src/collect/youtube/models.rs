//! YouTube Data API v3 wire types (comment thread and comment lists) and their conversion to
//! posts.

use crate::model::{Platform, Post};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

/// `commentThreads.list`: items kept raw so one odd thread is skipped alone.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreadList {
    #[serde(default)]
    pub items: Vec<Value>,
    #[serde(default)]
    pub next_page_token: Option<String>,
}

/// `comments.list`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentList {
    #[serde(default)]
    pub items: Vec<Value>,
    #[serde(default)]
    pub next_page_token: Option<String>,
}

/// A comment thread.
#[derive(Debug, Clone, Deserialize)]
pub struct Thread {
    pub id: String,
    pub snippet: ThreadSnippet,
    #[serde(default)]
    pub replies: Option<Replies>,
}

/// `snippet` of a thread.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreadSnippet {
    #[serde(default)]
    pub channel_id: Option<String>,
    #[serde(default)]
    pub video_id: Option<String>,
    pub top_level_comment: Value,
    #[serde(default)]
    pub total_reply_count: u64,
}

/// `replies` of a thread: a subset of them.
#[derive(Debug, Clone, Deserialize)]
pub struct Replies {
    #[serde(default)]
    pub comments: Vec<Value>,
}

/// A comment (top level or reply).
#[derive(Debug, Clone, Deserialize)]
pub struct Comment {
    pub id: String,
    pub snippet: CommentSnippet,
}

/// `snippet` of a comment.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentSnippet {
    #[serde(default)]
    pub author_display_name: String,
    #[serde(default)]
    pub author_channel_id: Option<ChannelRef>,
    #[serde(default)]
    pub text_original: Option<String>,
    #[serde(default)]
    pub text_display: Option<String>,
    #[serde(default)]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub video_id: Option<String>,
    #[serde(default)]
    pub channel_id: Option<String>,
    pub published_at: DateTime<Utc>,
}

/// `authorChannelId`.
#[derive(Debug, Clone, Deserialize)]
pub struct ChannelRef {
    pub value: String,
}

/// A raw comment as a post about the watched channel `account`.
pub fn comment_post(
    raw: &Value,
    account: &str,
    video_id: Option<&str>,
    channel_id: Option<&str>,
) -> Result<Post, String> {
    let c: Comment = serde_json::from_value(raw.clone()).map_err(|e| {
        let id = raw.get("id").and_then(Value::as_str).unwrap_or("?");
        format!("comment {id}: {e}")
    })?;
    let s = c.snippet;
    let text = s
        .text_original
        .or(s.text_display)
        .ok_or_else(|| format!("comment {} has no text", c.id))?;
    let video = s.video_id.as_deref().or(video_id);
    let channel = s.channel_id.as_deref().or(channel_id).unwrap_or("");
    let url = match video {
        Some(v) => format!("https://www.youtube.com/watch?v={v}&lc={}", c.id),
        None => format!("https://www.youtube.com/channel/{channel}?lc={}", c.id),
    };
    Ok(Post {
        platform: Platform::Youtube,
        native_id: c.id,
        author_id: s.author_channel_id.map(|a| a.value).unwrap_or_default(),
        author_handle: s.author_display_name.trim_start_matches('@').to_string(),
        text,
        created_at: s.published_at,
        url: Some(url),
        reply_to: s.parent_id,
        account: Some(account.to_string()),
        raw: Some(raw.clone()),
    })
}
