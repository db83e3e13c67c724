//! The X harvest: resolve handles to ids (once, remembered under `x/user/<handle>`), then for
//! each stream — every watched account's mentions (`x/mentions/<id>`) and every search query
//! (`x/search/<query>`) — run id-window passes ([`Window`]) page by page.

use super::client::{classify, Client, Query};
use super::config::default_queries;
use super::models::{TweetPage, WatchedIds};
use crate::collect::config::Core;
use crate::collect::http::{Auth, Fetcher, Secret};
use crate::collect::window::{Window, WindowPass};
use crate::collect::{settle, BuildError, CollectError, Collector, Page, RunStats, Sink};
use crate::model::{Platform, Post};
use chrono::{DateTime, Utc};
use std::collections::HashSet;

/// Milliseconds of the X snowflake epoch (2010-11-04).
const SNOWFLAKE_EPOCH_MS: i64 = 1_288_834_974_657;

/// When an X id was minted (ids are snowflakes: milliseconds since 2010 in the high bits).
pub fn snowflake_time(id: &str) -> Option<DateTime<Utc>> {
    let n: u64 = id.parse().ok()?;
    DateTime::from_timestamp_millis((n >> 22) as i64 + SNOWFLAKE_EPOCH_MS)
}

/// One X stream.
#[derive(Debug, Clone)]
enum Stream {
    Mentions { user_id: String, handle: String },
    Search { query: String },
}

/// The X collector.
#[derive(Debug)]
pub struct XCollector {
    core: Core,
    client: Client,
    mentions: bool,
    search: bool,
    queries: Vec<String>,
    watched: WatchedIds,
}

impl XCollector {
    /// A collector over checked settings.
    pub fn new(
        core: Core,
        token: Secret,
        mentions: bool,
        search: bool,
        query: Option<String>,
    ) -> Result<XCollector, BuildError> {
        let fetcher = Fetcher::new(
            Platform::X,
            core.base_url.clone(),
            Auth::Bearer(token),
            core.policy.clone(),
            classify,
        )?;
        let handles: Vec<String> = core.accounts.iter().map(|a| a.handle.clone()).collect();
        let queries = match query {
            Some(q) => vec![q],
            None => default_queries(&handles),
        };
        let watched = WatchedIds {
            handles: handles.iter().cloned().collect(),
            by_id: Default::default(),
        };
        Ok(XCollector {
            client: Client {
                fetcher,
                page_size: core.page_size,
            },
            core,
            mentions,
            search,
            queries,
            watched,
        })
    }

    /// The user id of a handle: remembered, or looked up once and remembered.
    async fn resolve(
        &self,
        handle: &str,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<String, CollectError> {
        let key = format!("x/user/{handle}");
        if let Some(id) = sink.cursor(&key)? {
            return Ok(id);
        }
        let found = self.client.user(handle, stats).await?;
        match found.data {
            Some(u) if u.id.chars().all(|c| c.is_ascii_digit()) && !u.id.is_empty() => {
                sink.commit(Page {
                    cursors: vec![(key, u.id.clone())],
                    ..Page::default()
                })?;
                Ok(u.id)
            }
            _ => Err(CollectError::Refused {
                path: format!("/2/users/by/username/{handle}"),
                status: 200,
                why: format!("no X user @{handle}"),
            }),
        }
    }

    async fn fetch(
        &self,
        stream: &Stream,
        q: &Query<'_>,
        stats: &mut RunStats,
    ) -> Result<TweetPage, CollectError> {
        match stream {
            Stream::Mentions { user_id, .. } => self.client.mentions(user_id, q, stats).await,
            Stream::Search { query } => self.client.search(query, q, stats).await,
        }
    }

    /// Runs one stream: resumes an interrupted pass, then (or otherwise) a fresh pass.
    async fn stream(
        &self,
        stream: &Stream,
        seen: &mut HashSet<String>,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), CollectError> {
        let (key, account) = match stream {
            Stream::Mentions { user_id, handle } => {
                (format!("x/mentions/{user_id}"), Some(handle.as_str()))
            }
            Stream::Search { query } => (format!("x/search/{query}"), None),
        };
        let mut pass = WindowPass::resume("x", key, self.core.max_pages, sink, stats)?;
        let now = Utc::now();
        let is_search = matches!(stream, Stream::Search { .. });
        // recent search reaches 7 days back at most, and refuses older since_id / until_id
        let floor = if is_search {
            now - self.core.lookback.min(chrono::Duration::days(7)) + chrono::Duration::minutes(1)
        } else {
            now - self.core.lookback
        };
        if is_search {
            let too_old = |id: &str| snowflake_time(id).is_some_and(|t| t < floor);
            let w = pass.window();
            if w.since.as_deref().is_some_and(too_old) || w.until().is_some_and(too_old) {
                tracing::info!(stream = %pass.stream.key, "cursor older than recent search allows; restarting from the last 7 days");
                pass.stream.cursor = Window::default();
            }
        }
        loop {
            let since = pass.begin();
            let until = pass.window().until().map(str::to_string);
            let mut token: Option<String> = None;
            loop {
                if !pass.budget_left() {
                    return Ok(());
                }
                let q = Query {
                    since_id: since.as_deref(),
                    until_id: until.as_deref(),
                    start_time: since.is_none().then_some(floor),
                    token: token.as_deref(),
                };
                let page = self.fetch(stream, &q, stats).await?;
                if !page.errors.is_empty() {
                    stats.partial_errors += page.errors.len();
                    tracing::info!(stream = %pass.stream.key, count = page.errors.len(), "X reported partial errors");
                }
                let mut posts: Vec<Post> = Vec::new();
                for r in page.posts(account, &self.watched) {
                    match r {
                        Ok(p)
                            if seen.insert(p.native_id.clone())
                                && pass.window().is_new(&p.native_id) =>
                        {
                            posts.push(p)
                        }
                        Ok(_) => {}
                        Err(e) => stats.error("x", e),
                    }
                }
                let ids = page
                    .data
                    .iter()
                    .filter_map(|t| t.get("id").and_then(|i| i.as_str()));
                pass.page(ids, posts, sink, stats)?;
                match page.meta.next_token {
                    Some(t) if !page.data.is_empty() => token = Some(t),
                    _ => break,
                }
            }
            if !pass.finish(sink)? {
                return Ok(());
            }
        }
    }
}

impl Collector for XCollector {
    fn platform(&self) -> Platform {
        Platform::X
    }

    async fn run(
        &mut self,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), CollectError> {
        let mut streams = Vec::new();
        for a in self.core.accounts.clone() {
            let id = match &a.id {
                Some(id) => Ok(id.clone()),
                None => self.resolve(&a.handle, sink, stats).await,
            };
            match id {
                Ok(id) => {
                    self.watched.by_id.insert(id.clone(), a.handle.clone());
                    if self.mentions {
                        streams.push(Stream::Mentions {
                            user_id: id,
                            handle: a.handle.clone(),
                        });
                    }
                }
                Err(e) => settle(Err(e), "x", &format!("@{}", a.handle), stats)?,
            }
        }
        if self.search {
            for q in &self.queries {
                streams.push(Stream::Search { query: q.clone() });
            }
        }
        let mut seen = HashSet::new();
        for s in &streams {
            let what = match s {
                Stream::Mentions { handle, .. } => format!("mentions of @{handle}"),
                Stream::Search { query } => format!("search `{query}`"),
            };
            let r = self.stream(s, &mut seen, sink, stats).await;
            settle(r, "x", &what, stats)?;
        }
        Ok(())
    }
}
