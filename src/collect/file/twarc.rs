//! twarc2 output: one raw X API v2 response page per line (`data`, `includes`, `meta`,
//! `__twarc`), or one flattened tweet per line.

use super::mentioned_account;
use crate::model::{Platform, Post};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Whether a JSON line is a v2 response page.
pub fn is_page(v: &Value) -> bool {
    v.get("data").is_some_and(|d| d.is_array())
        && (v.get("includes").is_some() || v.get("meta").is_some() || v.get("__twarc").is_some())
}

/// Whether a JSON line is a single v2 tweet object.
pub fn is_tweet(v: &Value) -> bool {
    v.get("id").is_some() && v.get("text").is_some() && v.get("platform").is_none()
}

/// Every tweet of a page as a post, with authors resolved from `includes.users`.
pub fn page_posts(
    page: &Value,
    watched: &HashSet<String>,
    each: &mut dyn FnMut(Result<Post, String>),
) {
    let users: HashMap<&str, &str> = page
        .pointer("/includes/users")
        .and_then(|u| u.as_array())
        .map(|users| {
            users
                .iter()
                .filter_map(|u| Some((u.get("id")?.as_str()?, u.get("username")?.as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    for tweet in page
        .get("data")
        .and_then(|d| d.as_array())
        .into_iter()
        .flatten()
    {
        each(tweet_post(tweet, Some(&users), watched));
    }
}

fn id_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// One v2 tweet as a post.
pub fn tweet_post(
    t: &Value,
    users: Option<&HashMap<&str, &str>>,
    watched: &HashSet<String>,
) -> Result<Post, String> {
    let id = id_string(t.get("id")).ok_or("tweet without an id")?;
    // long posts carry their full text in note_tweet
    let text = t
        .pointer("/note_tweet/text")
        .and_then(|x| x.as_str())
        .or_else(|| t.get("text").and_then(|x| x.as_str()))
        .ok_or_else(|| format!("tweet {id} has no text"))?
        .to_string();
    let created = t
        .get("created_at")
        .and_then(|c| c.as_str())
        .ok_or_else(|| format!("tweet {id} has no created_at (request tweet.fields=created_at)"))?;
    let created_at = super::parse_time(created)
        .ok_or_else(|| format!("tweet {id}: bad created_at `{created}`"))?;
    let author_id = id_string(t.get("author_id")).unwrap_or_default();
    let handle = users
        .and_then(|u| u.get(author_id.as_str()).map(|s| s.to_string()))
        .or_else(|| {
            t.pointer("/author/username")
                .and_then(|u| u.as_str())
                .map(str::to_string)
        })
        .unwrap_or_default();
    let reply_to = t
        .get("referenced_tweets")
        .and_then(|r| r.as_array())
        .and_then(|refs| {
            refs.iter()
                .find(|r| r.get("type").and_then(|x| x.as_str()) == Some("replied_to"))
                .and_then(|r| id_string(r.get("id")))
        });
    let account = t
        .pointer("/entities/mentions")
        .and_then(|m| m.as_array())
        .and_then(|ms| {
            ms.iter()
                .filter_map(|m| m.get("username").and_then(|u| u.as_str()))
                .map(|u| u.to_lowercase())
                .find(|u| watched.contains(u))
        })
        .or_else(|| mentioned_account(&text, watched));
    let url = if handle.is_empty() {
        format!("https://x.com/i/web/status/{id}")
    } else {
        format!("https://x.com/{handle}/status/{id}")
    };
    Ok(Post {
        platform: Platform::X,
        native_id: id,
        author_id,
        author_handle: handle,
        text,
        created_at,
        url: Some(url),
        reply_to,
        account,
        raw: Some(t.clone()),
    })
}
