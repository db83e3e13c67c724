//! The Facebook harvest, per watched Page: the feed (`facebook/<page>/feed`; visitor posts and
//! posts tagging the Page, the Page's own posts only as comment targets), the tagged edge
//! (`facebook/<page>/tagged`), then the comments of every post younger than `lookback_days`
//! (`facebook/<page>/comments/<post>`), each newest first behind a time watermark.

use super::client::Client;
use super::models::{parse_comment, parse_post};
use crate::collect::config::Core;
use crate::collect::graph::{classify, Edge, EdgePass};
use crate::collect::http::{Auth, Fetcher, Secret};
use crate::collect::{settle, BuildError, CollectError, Collector, RunStats, Sink};
use crate::model::{Platform, Post};
use chrono::Utc;

/// The Facebook collector.
#[derive(Debug)]
pub struct FacebookCollector {
    core: Core,
    client: Client,
    /// (handle, Page id).
    pages: Vec<(String, String)>,
    tagged: bool,
    comments: bool,
}

impl FacebookCollector {
    /// A collector over checked settings.
    pub fn new(
        core: Core,
        token: Secret,
        pages: Vec<(String, String)>,
        tagged: bool,
        comments: bool,
    ) -> Result<FacebookCollector, BuildError> {
        let fetcher = Fetcher::new(
            Platform::Facebook,
            core.base_url.clone(),
            Auth::Query {
                name: "access_token",
                token,
            },
            core.policy.clone(),
            classify,
        )?;
        Ok(FacebookCollector {
            client: Client {
                fetcher,
                page_size: core.page_size,
            },
            core,
            pages,
            tagged,
            comments,
        })
    }

    /// Reads the feed or tagged edge; returns the ids of the recent posts (comment targets).
    async fn posts(
        &self,
        handle: &str,
        page_id: &str,
        edge_name: &str,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<Vec<String>, CollectError> {
        let key = format!("facebook/{page_id}/{edge_name}");
        let mut pass = EdgePass::resume("facebook", key, self.core.max_pages, sink, stats)?;
        let floor = Utc::now() - self.core.lookback;
        let mut recent = Vec::new();
        let mut edge = self.client.posts(page_id, edge_name, floor, stats).await?;
        loop {
            stats.pages += 1;
            let mut posts: Vec<Post> = Vec::new();
            for raw in &edge.data {
                let p = match parse_post(raw) {
                    Ok(p) => p,
                    Err(e) => {
                        stats.error("facebook", e);
                        continue;
                    }
                };
                if p.created_time < floor {
                    continue;
                }
                recent.push(p.id.clone());
                let own = p.from.as_ref().is_some_and(|f| f.id == page_id);
                if own || !pass.wm().is_new(p.created_time, &p.id) {
                    continue;
                }
                if let Some(post) = p.to_post(raw, handle) {
                    pass.wm().see(post.created_at, &post.native_id);
                    posts.push(post);
                }
            }
            match pass.next(posts, edge.next(), sink, stats)? {
                Some(next) => edge = self.client.next(&next, stats).await?,
                None => return Ok(recent),
            }
        }
    }

    /// Reads one post's comments, newest first, down to the watermark.
    async fn comments(
        &self,
        handle: &str,
        page_id: &str,
        post_id: &str,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), CollectError> {
        let key = format!("facebook/{page_id}/comments/{post_id}");
        let mut pass = EdgePass::resume("facebook", key, self.core.max_pages, sink, stats)?;
        let mut edge: Edge = self.client.comments(post_id, stats).await?;
        loop {
            stats.pages += 1;
            let mut posts: Vec<Post> = Vec::new();
            let mut reached_end = false;
            for raw in &edge.data {
                let c = match parse_comment(raw) {
                    Ok(c) => c,
                    Err(e) => {
                        stats.error("facebook", format!("post {post_id}: {e}"));
                        continue;
                    }
                };
                if pass.wm().is_older(c.created_time) {
                    reached_end = true;
                    break;
                }
                let Some(id) = c.id.clone() else {
                    stats.error(
                        "facebook",
                        format!("post {post_id}: a comment without an id (the token needs the MODERATE task on the Page)"),
                    );
                    continue;
                };
                let own = c.from.as_ref().is_some_and(|f| f.id == page_id);
                if own || !pass.wm().is_new(c.created_time, &id) {
                    continue;
                }
                if let Some(post) = c.to_post(&id, raw, post_id, handle) {
                    pass.wm().see(post.created_at, &post.native_id);
                    posts.push(post);
                }
            }
            // newest first: past the watermark, or after an empty page, the rest is already stored
            let next = edge
                .next()
                .filter(|_| !reached_end && !edge.data.is_empty());
            match pass.next(posts, next, sink, stats)? {
                Some(link) => edge = self.client.next(&link, stats).await?,
                None => return Ok(()),
            }
        }
    }

    async fn page(
        &self,
        handle: &str,
        page_id: &str,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), CollectError> {
        let what = |s: &str| format!("Page {page_id} (@{handle}) {s}");
        let recent = match self.posts(handle, page_id, "feed", sink, stats).await {
            Ok(r) => r,
            Err(e) => {
                settle(Err(e), "facebook", &what("feed"), stats)?;
                Vec::new()
            }
        };
        if self.tagged {
            let r = self.posts(handle, page_id, "tagged", sink, stats).await;
            settle(r.map(|_| ()), "facebook", &what("tagged"), stats)?;
        }
        if self.comments {
            for post_id in &recent {
                let r = self.comments(handle, page_id, post_id, sink, stats).await;
                settle(
                    r,
                    "facebook",
                    &what(&format!("comments of {post_id}")),
                    stats,
                )?;
            }
        }
        Ok(())
    }
}

impl Collector for FacebookCollector {
    fn platform(&self) -> Platform {
        Platform::Facebook
    }

    async fn run(
        &mut self,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), CollectError> {
        for (handle, page_id) in &self.pages {
            self.page(handle, page_id, sink, stats).await?;
        }
        Ok(())
    }
}
