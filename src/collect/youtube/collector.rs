//! The YouTube harvest: for each watched channel (`youtube/channel/<id>`), read comment threads
//! newest first and hand over the comments and replies above the watermark.
//!
//! `commentThreads?order=time` orders threads by when their top-level comment was written, not
//! by their latest reply, and has no "changed since" filter. So a pass does not stop at the
//! first thread with nothing new: it reads every thread written within `lookback_days` before
//! the watermark (on the first run: before now), skips those whose newest activity is older
//! than the watermark, and stops at the first thread written before that window. A reply to a
//! thread older than the window is not seen (like the comments of Facebook and Instagram posts
//! older than the lookback). A thread with more replies than it carries inline has them all
//! read when `all_replies` is on, since the inline ones need not be the newest.

use super::client::{classify, Client};
use super::models::{comment_post, Thread};
use crate::collect::config::Core;
use crate::collect::cursor::Keyed;
use crate::collect::http::{Auth, Fetcher};
use crate::collect::watermark::Watermark;
use crate::collect::{settle, BuildError, CollectError, Collector, RunStats, Sink};
use crate::model::{Platform, Post};
use chrono::Utc;
use serde_json::Value;

/// The YouTube collector.
#[derive(Debug)]
pub struct YoutubeCollector {
    core: Core,
    client: Client,
    /// (handle, channel id).
    channels: Vec<(String, String)>,
    all_replies: bool,
}

impl YoutubeCollector {
    /// A collector over checked settings.
    pub fn new(
        core: Core,
        auth: Auth,
        channels: Vec<(String, String)>,
        all_replies: bool,
    ) -> Result<YoutubeCollector, BuildError> {
        let fetcher = Fetcher::new(
            Platform::Youtube,
            core.base_url.clone(),
            auth,
            core.policy.clone(),
            classify,
        )?;
        Ok(YoutubeCollector {
            client: Client {
                fetcher,
                page_size: core.page_size,
            },
            core,
            channels,
            all_replies,
        })
    }

    /// Every reply of a thread: the included ones, or all pages of `comments.list`.
    async fn replies(
        &self,
        thread: &Thread,
        stats: &mut RunStats,
    ) -> Result<Vec<Value>, CollectError> {
        let included: Vec<Value> = thread
            .replies
            .as_ref()
            .map(|r| r.comments.clone())
            .unwrap_or_default();
        if !self.all_replies || thread.snippet.total_reply_count <= included.len() as u64 {
            return Ok(included);
        }
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..self.core.max_pages {
            let list = self
                .client
                .replies(&thread.id, token.as_deref(), stats)
                .await?;
            all.extend(list.items);
            match list.next_page_token {
                Some(t) => token = Some(t),
                None => return Ok(all),
            }
        }
        Ok(all)
    }

    async fn channel(
        &self,
        handle: &str,
        channel_id: &str,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), CollectError> {
        let key = format!("youtube/channel/{channel_id}");
        let mut stream = Keyed::<Watermark>::resume("youtube", key, sink, stats)?;
        // threads written before this cannot be reached (see the module documentation)
        let floor = stream
            .cursor
            .high
            .as_ref()
            .map(|h| h.at)
            .unwrap_or_else(Utc::now)
            - self.core.lookback;
        let mut token: Option<String> = None;
        for _ in 0..self.core.max_pages {
            let list = self
                .client
                .threads(channel_id, token.as_deref(), stats)
                .await?;
            stats.pages += 1;
            let mut posts: Vec<Post> = Vec::new();
            let mut reached_end = false;
            for raw in &list.items {
                let thread: Thread = match serde_json::from_value(raw.clone()) {
                    Ok(t) => t,
                    Err(e) => {
                        let id = raw.get("id").and_then(Value::as_str).unwrap_or("?");
                        stats.error("youtube", format!("thread {id}: {e}"));
                        continue;
                    }
                };
                let video = thread.snippet.video_id.clone();
                let chan = thread.snippet.channel_id.clone();
                let top = match comment_post(
                    &thread.snippet.top_level_comment,
                    handle,
                    video.as_deref(),
                    chan.as_deref(),
                ) {
                    Ok(p) => p,
                    Err(e) => {
                        stats.error("youtube", e);
                        continue;
                    }
                };
                // a thread's latest activity: its comment or the newest reply it carries
                let latest = thread
                    .replies
                    .iter()
                    .flat_map(|r| r.comments.iter())
                    .filter_map(|c| c.pointer("/snippet/publishedAt").and_then(Value::as_str))
                    .filter_map(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| t.with_timezone(&Utc))
                    .fold(top.created_at, |a, b| a.max(b));
                if top.created_at < floor {
                    reached_end = true;
                    break;
                }
                let carried = thread.replies.as_ref().map_or(0, |r| r.comments.len());
                let more = self.all_replies && thread.snippet.total_reply_count > carried as u64;
                if stream.cursor.is_older(latest) && !more {
                    continue;
                }
                let replies = self.replies(&thread, stats).await?;
                let mut items = vec![top];
                for r in &replies {
                    match comment_post(r, handle, video.as_deref(), chan.as_deref()) {
                        Ok(mut p) => {
                            if p.reply_to.is_none() {
                                p.reply_to = Some(thread.id.clone());
                            }
                            items.push(p)
                        }
                        Err(e) => stats.error("youtube", e),
                    }
                }
                for p in items {
                    if stream.cursor.is_new(p.created_at, &p.native_id) {
                        stream.cursor.see(p.created_at, &p.native_id);
                        posts.push(p);
                    }
                }
            }
            stream.commit(posts, sink, stats)?;
            match list.next_page_token {
                Some(t) if !reached_end && !list.items.is_empty() => token = Some(t),
                _ => {
                    stream.finish(sink)?;
                    return Ok(());
                }
            }
        }
        tracing::info!(channel = %channel_id, "page budget used; the pass starts again next run");
        Ok(())
    }
}

impl Collector for YoutubeCollector {
    fn platform(&self) -> Platform {
        Platform::Youtube
    }

    async fn run(
        &mut self,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), CollectError> {
        for (handle, id) in &self.channels {
            let r = self.channel(handle, id, sink, stats).await;
            settle(r, "youtube", &format!("channel {id} (@{handle})"), stats)?;
        }
        Ok(())
    }
}
