//! The Instagram harvest, per watched account: comments and replies on its media younger than
//! `lookback_days` (`instagram/<ig>/comments/<media>`, every page read and filtered by a time
//! watermark since the edge promises no order), tagged media (`instagram/<ig>/tags`, newest
//! first down to the watermark), and the webhook's pending @mentions (each forgotten in the
//! same commit that stores its post).

use super::client::Client;
use super::models::{parse_comment, parse_media, IgComment};
use crate::collect::config::Core;
use crate::collect::graph::{classify, Edge, EdgePass};
use crate::collect::http::{Auth, Fetcher, Secret};
use crate::collect::{settle, BuildError, CollectError, Collector, Mention, Page, RunStats, Sink};
use crate::model::{Platform, Post};
use chrono::Utc;
use serde_json::Value;

/// The Instagram collector.
#[derive(Debug)]
pub struct InstagramCollector {
    core: Core,
    client: Client,
    /// (handle, IG user id).
    accounts: Vec<(String, String)>,
    comments: bool,
    tags: bool,
    mentions: bool,
}

/// A media whose comments are harvested.
struct Target {
    id: String,
    permalink: Option<String>,
}

impl InstagramCollector {
    /// A collector over checked settings.
    pub fn new(
        core: Core,
        token: Secret,
        accounts: Vec<(String, String)>,
        comments: bool,
        tags: bool,
        mentions: bool,
    ) -> Result<InstagramCollector, BuildError> {
        let fetcher = Fetcher::new(
            Platform::Instagram,
            core.base_url.clone(),
            Auth::Query {
                name: "access_token",
                token,
            },
            core.policy.clone(),
            classify,
        )?;
        Ok(InstagramCollector {
            client: Client {
                fetcher,
                page_size: core.page_size,
            },
            core,
            accounts,
            comments,
            tags,
            mentions,
        })
    }

    /// The account's media younger than the lookback, newest first.
    async fn recent_media(
        &self,
        ig: &str,
        stats: &mut RunStats,
    ) -> Result<Vec<Target>, CollectError> {
        let floor = Utc::now() - self.core.lookback;
        let mut out = Vec::new();
        let mut edge = self.client.media(ig, "media", stats).await?;
        for page in 1.. {
            stats.pages += 1;
            for raw in &edge.data {
                match parse_media(raw) {
                    Ok(m) if m.timestamp < floor => return Ok(out),
                    Ok(m) if m.comments_count == Some(0) => {}
                    Ok(m) => out.push(Target {
                        id: m.id,
                        permalink: m.permalink,
                    }),
                    Err(e) => stats.error("instagram", e),
                }
            }
            match edge.next().map(str::to_string) {
                Some(next) if page < self.core.max_pages => {
                    edge = self.client.next(&next, stats).await?
                }
                _ => break,
            }
        }
        Ok(out)
    }

    /// A comment and its inline replies (following the replies' own paging) as posts.
    async fn thread(
        &self,
        handle: &str,
        media: &Target,
        c: IgComment,
        raw: &Value,
        stats: &mut RunStats,
    ) -> Result<Vec<(Post, bool)>, CollectError> {
        let mut out = Vec::new();
        let own = |c: &IgComment| {
            c.username
                .as_deref()
                .is_some_and(|u| u.eq_ignore_ascii_case(handle))
        };
        if let Some(p) = c.to_post(raw, &media.id, media.permalink.as_deref(), handle) {
            out.push((p, own(&c)));
        }
        let mut replies: Option<Edge> = c.replies.clone();
        let mut pages = 0;
        while let Some(edge) = replies.take() {
            for r in &edge.data {
                match parse_comment(r) {
                    Ok(mut rc) => {
                        rc.parent_id.get_or_insert_with(|| c.id.clone());
                        if let Some(p) =
                            rc.to_post(r, &media.id, media.permalink.as_deref(), handle)
                        {
                            out.push((p, own(&rc)));
                        }
                    }
                    Err(e) => stats.error("instagram", e),
                }
            }
            pages += 1;
            if let Some(next) = edge.next() {
                if pages < self.core.max_pages {
                    replies = Some(self.client.next(next, stats).await?);
                }
            }
        }
        Ok(out)
    }

    /// One media's comments and replies.
    async fn comments(
        &self,
        handle: &str,
        ig: &str,
        media: &Target,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), CollectError> {
        let key = format!("instagram/{ig}/comments/{}", media.id);
        let mut pass = EdgePass::resume("instagram", key, self.core.max_pages, sink, stats)?;
        let mut edge = self.client.comments(&media.id, stats).await?;
        loop {
            stats.pages += 1;
            let mut posts = Vec::new();
            for raw in &edge.data {
                let c = match parse_comment(raw) {
                    Ok(c) => c,
                    Err(e) => {
                        stats.error("instagram", format!("media {}: {e}", media.id));
                        continue;
                    }
                };
                for (p, own) in self.thread(handle, media, c, raw, stats).await? {
                    if !own && pass.wm().is_new(p.created_at, &p.native_id) {
                        pass.wm().see(p.created_at, &p.native_id);
                        posts.push(p);
                    }
                }
            }
            match pass.next(posts, edge.next(), sink, stats)? {
                Some(next) => edge = self.client.next(&next, stats).await?,
                None => return Ok(()),
            }
        }
    }

    /// Media the account is photo-tagged in, newest first down to the watermark.
    async fn tags(
        &self,
        handle: &str,
        ig: &str,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), CollectError> {
        let key = format!("instagram/{ig}/tags");
        let mut pass = EdgePass::resume("instagram", key, self.core.max_pages, sink, stats)?;
        let floor = Utc::now() - self.core.lookback;
        let mut edge = self.client.media(ig, "tags", stats).await?;
        loop {
            stats.pages += 1;
            let mut posts = Vec::new();
            let mut reached_end = false;
            for raw in &edge.data {
                let m = match parse_media(raw) {
                    Ok(m) => m,
                    Err(e) => {
                        stats.error("instagram", e);
                        continue;
                    }
                };
                if pass.wm().is_older(m.timestamp) || m.timestamp < floor {
                    reached_end = true;
                    break;
                }
                if pass.wm().is_new(m.timestamp, &m.id) {
                    if let Some(p) = m.to_post(raw, handle) {
                        pass.wm().see(p.created_at, &p.native_id);
                        posts.push(p);
                    }
                }
            }
            // newest first: past the watermark or the lookback, or after an empty page, nothing is left
            let next = edge
                .next()
                .filter(|_| !reached_end && !edge.data.is_empty());
            match pass.next(posts, next, sink, stats)? {
                Some(next) => edge = self.client.next(&next, stats).await?,
                None => return Ok(()),
            }
        }
    }

    /// Fetches one webhook mention: the post, or `None` when it has no text.
    async fn mention(
        &self,
        handle: &str,
        m: &Mention,
        stats: &mut RunStats,
    ) -> Result<Option<Post>, CollectError> {
        let ig = &m.ig_user_id;
        let bad = |why: String| CollectError::Malformed {
            path: format!("/{ig}"),
            why,
        };
        match &m.comment_id {
            Some(cid) => {
                let found = self.client.mentioned_comment(ig, cid, stats).await?;
                let raw = found
                    .mentioned_comment
                    .ok_or_else(|| bad(format!("no mentioned_comment for comment {cid}")))?;
                let c = parse_comment(&raw).map_err(bad)?;
                let (media_id, permalink) = match &c.media {
                    Some(mr) => (mr.id.clone(), mr.permalink.clone()),
                    None => (m.media_id.clone(), None),
                };
                Ok(c.to_post(&raw, &media_id, permalink.as_deref(), handle))
            }
            None => {
                let found = self.client.mentioned_media(ig, &m.media_id, stats).await?;
                let raw = found
                    .mentioned_media
                    .ok_or_else(|| bad(format!("no mentioned_media for media {}", m.media_id)))?;
                let media = parse_media(&raw).map_err(bad)?;
                Ok(media.to_post(&raw, handle))
            }
        }
    }

    /// Every pending webhook mention of this account.
    async fn mentions(
        &self,
        handle: &str,
        ig: &str,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), CollectError> {
        let pending: Vec<Mention> = sink
            .pending_mentions()?
            .into_iter()
            .filter(|m| m.ig_user_id == ig)
            .collect();
        for m in pending {
            match self.mention(handle, &m, stats).await {
                Ok(post) => {
                    stats.posts += post.is_some() as usize;
                    sink.commit(Page {
                        posts: post.into_iter().collect(),
                        cursors: Vec::new(),
                        done_mentions: vec![m],
                    })?;
                }
                Err(e @ CollectError::Refused { .. }) => {
                    // deleted, or no longer visible: it will never come; report and forget it
                    stats.error("instagram", format!("mention {}: {e}", m.key()));
                    sink.commit(Page {
                        done_mentions: vec![m],
                        ..Page::default()
                    })?;
                }
                Err(e) => settle(Err(e), "instagram", &format!("mention {}", m.key()), stats)?,
            }
        }
        Ok(())
    }

    async fn account(
        &self,
        handle: &str,
        ig: &str,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), CollectError> {
        let what = |s: &str| format!("@{handle} ({ig}) {s}");
        if self.comments {
            match self.recent_media(ig, stats).await {
                Ok(targets) => {
                    for t in &targets {
                        let r = self.comments(handle, ig, t, sink, stats).await;
                        settle(
                            r,
                            "instagram",
                            &what(&format!("comments of {}", t.id)),
                            stats,
                        )?;
                    }
                }
                Err(e) => settle(Err(e), "instagram", &what("media"), stats)?,
            }
        }
        if self.tags {
            let r = self.tags(handle, ig, sink, stats).await;
            settle(r, "instagram", &what("tags"), stats)?;
        }
        if self.mentions {
            let r = self.mentions(handle, ig, sink, stats).await;
            settle(r, "instagram", &what("mentions"), stats)?;
        }
        Ok(())
    }
}

impl Collector for InstagramCollector {
    fn platform(&self) -> Platform {
        Platform::Instagram
    }

    async fn run(
        &mut self,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), CollectError> {
        for (handle, ig) in &self.accounts {
            self.account(handle, ig, sink, stats).await?;
        }
        Ok(())
    }
}
