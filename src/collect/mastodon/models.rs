//! Mastodon wire types (Notification, Status, Account) and their conversion to posts, with the
//! status HTML turned into plain text.

use crate::model::{Platform, Post};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashSet;

/// A notification (`/api/v1/notifications`).
#[derive(Debug, Clone, Deserialize)]
pub struct Notification {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub status: Option<Value>,
}

/// A status, the part we use.
#[derive(Debug, Clone, Deserialize)]
pub struct Status {
    pub id: String,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub uri: Option<String>,
    pub account: Account,
    #[serde(default)]
    pub in_reply_to_id: Option<String>,
    #[serde(default)]
    pub mentions: Vec<MentionEntity>,
    #[serde(default)]
    pub reblog: Option<Value>,
}

/// A status's author.
#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    pub id: String,
    pub username: String,
    /// `user` for local accounts, `user@domain` for remote ones.
    pub acct: String,
}

/// `mentions[]`.
#[derive(Debug, Clone, Deserialize)]
pub struct MentionEntity {
    pub username: String,
    #[serde(default)]
    pub acct: String,
}

/// Turns a raw status into a post. `account` is the watched account it concerns when known
/// (a notification); otherwise the first watched account it mentions, else `fallback`.
pub fn status_post(
    raw: &Value,
    account: Option<&str>,
    watched: &HashSet<String>,
    fallback: &str,
) -> Result<Post, String> {
    let s: Status = serde_json::from_value(raw.clone()).map_err(|e| {
        let id = raw.get("id").and_then(Value::as_str).unwrap_or("?");
        format!("status {id}: {e}")
    })?;
    let account = account.map(str::to_string).unwrap_or_else(|| {
        s.mentions
            .iter()
            .map(|m| m.username.to_lowercase())
            .find(|u| watched.contains(u))
            .unwrap_or_else(|| fallback.to_string())
    });
    Ok(Post {
        platform: Platform::Mastodon,
        native_id: s.id,
        author_id: s.account.id,
        author_handle: s.account.acct,
        text: html_to_text(&s.content),
        created_at: s.created_at,
        url: s.url.or(s.uri),
        reply_to: s.in_reply_to_id,
        account: Some(account),
        raw: Some(raw.clone()),
    })
}

/// Plain text of Mastodon's sanitised status HTML: paragraphs and `<br>` become line breaks,
/// other tags are dropped, entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        let Some(gt) = rest[lt..].find('>') else {
            out.push_str(&decode_entities(&rest[lt..]));
            rest = "";
            break;
        };
        let tag = rest[lt + 1..lt + gt].trim().to_ascii_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        if name == "br" || (tag.starts_with("/p") && name == "p") {
            out.push('\n');
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(&decode_entities(rest));
    out.trim_end_matches('\n').to_string()
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
