//! The Mastodon harvest: the mention notifications of the token's account
//! (`mastodon/notifications`, a window over notification ids) and each hashtag timeline
//! (`mastodon/tag/<tag>`, a window over status ids), newest first, page by page.

use super::client::{classify, Client, Listing};
use super::models::{status_post, Notification};
use crate::collect::config::Core;
use crate::collect::http::{Auth, Fetcher};
use crate::collect::window::WindowPass;
use crate::collect::{settle, BuildError, CollectError, Collector, RunStats, Sink};
use crate::model::{Platform, Post};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::HashSet;

/// One Mastodon stream.
#[derive(Debug, Clone)]
enum Stream {
    Mentions,
    Tag(String),
}

/// The Mastodon collector.
#[derive(Debug)]
pub struct MastodonCollector {
    core: Core,
    client: Client,
    owner: String,
    notifications: bool,
    hashtags: Vec<String>,
    watched: HashSet<String>,
}

impl MastodonCollector {
    /// A collector over checked settings; `owner` is the handle of the token's account.
    pub fn new(
        core: Core,
        auth: Auth,
        owner: String,
        notifications: bool,
        hashtags: Vec<String>,
    ) -> Result<MastodonCollector, BuildError> {
        let fetcher = Fetcher::new(
            Platform::Mastodon,
            core.base_url.clone(),
            auth,
            core.policy.clone(),
            classify,
        )?;
        let watched = core.accounts.iter().map(|a| a.handle.clone()).collect();
        Ok(MastodonCollector {
            client: Client {
                fetcher,
                page_size: core.page_size,
            },
            core,
            owner,
            notifications,
            hashtags,
            watched,
        })
    }

    /// Posts of one page, the item ids the window moves over, and whether the page reached
    /// items older than the first run's lookback.
    fn convert(
        &self,
        stream: &Stream,
        listing: &Listing,
        floor: Option<DateTime<Utc>>,
        stats: &mut RunStats,
    ) -> (Vec<Post>, Vec<String>, bool) {
        let mut posts = Vec::new();
        let mut ids = Vec::new();
        let mut past_floor = false;
        for raw in &listing.items {
            let item_id = raw.get("id").and_then(Value::as_str).map(str::to_string);
            let Some(item_id) = item_id else {
                stats.error("mastodon", "an item without an id".to_string());
                continue;
            };
            ids.push(item_id.clone());
            let status = match stream {
                Stream::Mentions => match serde_json::from_value::<Notification>(raw.clone()) {
                    Ok(n) if n.kind == "mention" => {
                        if floor.is_some_and(|f| n.created_at < f) {
                            past_floor = true;
                            continue;
                        }
                        n.status
                    }
                    Ok(_) => None,
                    Err(e) => {
                        stats.error("mastodon", format!("notification {item_id}: {e}"));
                        None
                    }
                },
                Stream::Tag(_) => Some(raw.clone()),
            };
            let Some(status) = status else { continue };
            if status.get("reblog").is_some_and(|r| !r.is_null()) {
                continue;
            }
            let account = matches!(stream, Stream::Mentions).then_some(self.owner.as_str());
            match status_post(&status, account, &self.watched, &self.owner) {
                Ok(p) => {
                    if matches!(stream, Stream::Tag(_)) && floor.is_some_and(|f| p.created_at < f) {
                        past_floor = true;
                        continue;
                    }
                    posts.push(p)
                }
                Err(e) => stats.error("mastodon", e),
            }
        }
        (posts, ids, past_floor)
    }

    async fn stream(
        &self,
        stream: &Stream,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), CollectError> {
        let key = match stream {
            Stream::Mentions => "mastodon/notifications".to_string(),
            Stream::Tag(t) => format!("mastodon/tag/{}", t.to_lowercase()),
        };
        let mut pass = WindowPass::resume("mastodon", key, self.core.max_pages, sink, stats)?;
        loop {
            let since = pass.begin();
            let floor = since.is_none().then(|| Utc::now() - self.core.lookback);
            loop {
                if !pass.budget_left() {
                    return Ok(());
                }
                let max_id = pass.window().until().map(str::to_string);
                let listing = match stream {
                    Stream::Mentions => {
                        self.client
                            .mentions(since.as_deref(), max_id.as_deref(), stats)
                            .await?
                    }
                    Stream::Tag(t) => {
                        self.client
                            .tag(t, since.as_deref(), max_id.as_deref(), stats)
                            .await?
                    }
                };
                let (posts, ids, past_floor) = self.convert(stream, &listing, floor, stats);
                pass.page(ids.iter().map(String::as_str), posts, sink, stats)?;
                if listing.items.is_empty() || !listing.more || past_floor {
                    break;
                }
            }
            if !pass.finish(sink)? {
                return Ok(());
            }
        }
    }
}

impl Collector for MastodonCollector {
    fn platform(&self) -> Platform {
        Platform::Mastodon
    }

    async fn run(
        &mut self,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), CollectError> {
        let mut streams = Vec::new();
        if self.notifications {
            streams.push(Stream::Mentions);
        }
        streams.extend(self.hashtags.iter().cloned().map(Stream::Tag));
        for s in &streams {
            let what = match s {
                Stream::Mentions => "mention notifications".to_string(),
                Stream::Tag(t) => format!("#{t}"),
            };
            let r = self.stream(s, sink, stats).await;
            settle(r, "mastodon", &what, stats)?;
        }
        Ok(())
    }
}
