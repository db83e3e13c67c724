//! X API v2 wire types (`data`, `includes`, `errors`, `meta`) and their conversion to posts.
//!
//! Ids stay strings. Each tweet is kept as raw JSON first and converted on its own, so one odd
//! tweet is reported and skipped while the rest of the page comes through.

use crate::collect::file::mentioned_account;
use crate::model::{Platform, Post};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// One page of `/2/users/{id}/mentions` or `/2/tweets/search/recent`.
#[derive(Debug, Clone, Deserialize)]
pub struct TweetPage {
    /// The tweets, raw; absent when there is no result.
    #[serde(default)]
    pub data: Vec<Value>,
    #[serde(default)]
    pub includes: Includes,
    /// Partial failures inside a 200 (a suspended user, a deleted referenced tweet).
    #[serde(default)]
    pub errors: Vec<Value>,
    #[serde(default)]
    pub meta: Meta,
}

/// Expansions.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Includes {
    #[serde(default)]
    pub users: Vec<User>,
}

/// An expanded user.
#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: String,
    pub username: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// Paging and counts.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Meta {
    #[serde(default)]
    pub result_count: Option<u64>,
    #[serde(default)]
    pub newest_id: Option<String>,
    #[serde(default)]
    pub oldest_id: Option<String>,
    #[serde(default)]
    pub next_token: Option<String>,
}

/// `/2/users/by/username/{username}`.
#[derive(Debug, Clone, Deserialize)]
pub struct UserLookup {
    #[serde(default)]
    pub data: Option<User>,
    #[serde(default)]
    pub errors: Vec<Value>,
}

/// The typed part of a tweet we use.
#[derive(Debug, Clone, Deserialize)]
pub struct Tweet {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub author_id: Option<String>,
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub in_reply_to_user_id: Option<String>,
    #[serde(default)]
    pub referenced_tweets: Vec<Reference>,
    #[serde(default)]
    pub entities: Option<Entities>,
    #[serde(default)]
    pub note_tweet: Option<NoteTweet>,
}

/// `referenced_tweets[]`.
#[derive(Debug, Clone, Deserialize)]
pub struct Reference {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

/// `entities`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Entities {
    #[serde(default)]
    pub mentions: Vec<MentionEntity>,
}

/// `entities.mentions[]`.
#[derive(Debug, Clone, Deserialize)]
pub struct MentionEntity {
    pub username: String,
    #[serde(default)]
    pub id: Option<String>,
}

/// `note_tweet`: the full text of a post over 280 characters.
#[derive(Debug, Clone, Deserialize)]
pub struct NoteTweet {
    pub text: String,
}

/// What a conversion needs to know about the watched accounts.
#[derive(Debug, Clone, Default)]
pub struct WatchedIds {
    /// Lowercase handles.
    pub handles: HashSet<String>,
    /// Numeric user id → lowercase handle.
    pub by_id: HashMap<String, String>,
}

impl TweetPage {
    /// Every tweet as a post (or the reason it could not be one). `account` is the watched
    /// account of a mentions timeline; for a search it is found in the tweet.
    pub fn posts(&self, account: Option<&str>, watched: &WatchedIds) -> Vec<Result<Post, String>> {
        let users: HashMap<&str, &str> = self
            .includes
            .users
            .iter()
            .map(|u| (u.id.as_str(), u.username.as_str()))
            .collect();
        self.data
            .iter()
            .map(|raw| to_post(raw, &users, account, watched))
            .collect()
    }
}

fn to_post(
    raw: &Value,
    users: &HashMap<&str, &str>,
    account: Option<&str>,
    watched: &WatchedIds,
) -> Result<Post, String> {
    let t: Tweet = serde_json::from_value(raw.clone()).map_err(|e| {
        let id = raw.get("id").and_then(Value::as_str).unwrap_or("?");
        format!("tweet {id}: {e}")
    })?;
    let created_at = t.created_at.ok_or_else(|| {
        format!(
            "tweet {}: no created_at (request tweet.fields=created_at)",
            t.id
        )
    })?;
    if t.id.is_empty() || !t.id.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("tweet id `{}` is not numeric", t.id));
    }
    let text = t.note_tweet.map(|n| n.text).unwrap_or(t.text);
    let author_id = t.author_id.unwrap_or_default();
    let handle = users
        .get(author_id.as_str())
        .map(|s| s.to_string())
        .unwrap_or_default();
    let reply_to = t
        .referenced_tweets
        .iter()
        .find(|r| r.kind == "replied_to")
        .map(|r| r.id.clone());
    let account = account.map(str::to_string).or_else(|| {
        t.entities
            .iter()
            .flat_map(|e| e.mentions.iter())
            .map(|m| m.username.to_lowercase())
            .find(|u| watched.handles.contains(u))
            .or_else(|| {
                t.in_reply_to_user_id
                    .as_ref()
                    .and_then(|id| watched.by_id.get(id).cloned())
            })
            .or_else(|| mentioned_account(&text, &watched.handles))
    });
    let url = if handle.is_empty() {
        format!("https://x.com/i/web/status/{}", t.id)
    } else {
        format!("https://x.com/{handle}/status/{}", t.id)
    };
    Ok(Post {
        platform: Platform::X,
        native_id: t.id,
        author_id,
        author_handle: handle,
        text,
        created_at,
        url: Some(url),
        reply_to,
        account,
        raw: Some(raw.clone()),
    })
}
