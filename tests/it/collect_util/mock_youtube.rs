//! A mock YouTube Data API v3: `commentThreads` for the watched channel, newest thread first
//! (`order=time` orders threads by when their top-level comment was written, not by their
//! latest reply) with `pageToken` paging and the newest reply inline per thread, and
//! `comments?parentId=` for every reply, in the real shape; 403 `rateLimitExceeded` /
//! `quotaExceeded` as the limits.
//!
//! Items with `seq % 5` in {3, 4} are replies to the latest top-level comment before them;
//! an item with `reply_to` set is a reply to that thread.

use super::*;
use axum::extract::State;
use serde_json::{json as j, Value};

/// The mock YouTube platform.
pub struct Youtube;

pub const CHANNEL: &str = "UCpemkotBJM0000000000001";
const PAGE: usize = 3;
const REPLY_PAGE: usize = 2;

fn is_reply(i: &Item) -> bool {
    i.reply_to.is_some() || matches!(i.seq % 5, 3 | 4)
}

fn top_id(seq: u64) -> String {
    format!("Ugz{seq:016}AaABAg")
}

/// The comment id of an item.
pub fn comment_id(items: &[Item], i: &Item) -> String {
    match parent_of(items, i) {
        Some(p) => format!("{}.9{:021}", top_id(p), i.seq),
        None => top_id(i.seq),
    }
}

fn parent_of(items: &[Item], i: &Item) -> Option<u64> {
    if !is_reply(i) {
        return None;
    }
    if i.reply_to.is_some() {
        return i.reply_to;
    }
    items
        .iter()
        .filter(|p| p.seq < i.seq && !is_reply(p))
        .map(|p| p.seq)
        .max()
}

fn video(seq: u64) -> String {
    format!("vidBJM{:05}", seq % 2)
}

fn comment(items: &[Item], i: &Item) -> Value {
    let parent = parent_of(items, i);
    let thread_seq = parent.unwrap_or(i.seq);
    let mut snippet = j!({
        "channelId": CHANNEL,
        "videoId": video(thread_seq),
        "textDisplay": html(&i.text),
        "textOriginal": i.text,
        "authorDisplayName": format!("@{}", i.author),
        "authorProfileImageUrl": "https://yt3.ggpht.com/a/default-user=s48-c-k-c0xffffffff-no-rj-mo",
        "authorChannelUrl": format!("http://www.youtube.com/@{}", i.author),
        "authorChannelId": {"value": format!("UCwarga{:017}", i.seq % 7)},
        "canRate": true,
        "viewerRating": "none",
        "likeCount": 0,
        "publishedAt": i.at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "updatedAt": i.at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    });
    if let Some(p) = parent {
        snippet["parentId"] = j!(top_id(p));
    }
    j!({"kind": "youtube#comment", "etag": format!("etag{}", i.seq), "id": comment_id(items, i), "snippet": snippet})
}

fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn error(code: u16, reason: &str, domain: &str, message: &str) -> Response {
    json(
        StatusCode::from_u16(code).unwrap(),
        j!({"error": {"code": code, "message": message, "errors": [{"message": message, "domain": domain, "reason": reason}]}}),
    )
}

fn fault(f: Fault) -> Response {
    match f {
        Fault::RateLimit => error(403, "rateLimitExceeded", "youtube.quota", "The request cannot be completed because you have exceeded your rate limit."),
        Fault::RateLimitLong => error(403, "quotaExceeded", "youtube.quota", "The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>."),
        Fault::ServerError => error(503, "backendError", "global", "Backend Error"),
        Fault::Malformed => malformed(),
    }
}

fn offset(req: &Req) -> usize {
    req.param("pageToken")
        .and_then(|t| t.strip_prefix('p'))
        .and_then(|o| o.parse().ok())
        .unwrap_or(0)
}

fn threads(state: &Shared, req: &Req) -> Response {
    assert_eq!(req.param("allThreadsRelatedToChannelId"), Some(CHANNEL));
    assert_eq!(req.param("order"), Some("time"));
    let mut s = state.lock().unwrap();
    let items = s.items.clone();
    // threads ordered by when their top-level comment was written, newest first (`order=time`)
    let mut tops: Vec<(DateTime<Utc>, &Item, Vec<&Item>)> = items
        .iter()
        .filter(|i| !is_reply(i))
        .map(|t| {
            let replies: Vec<&Item> = items
                .iter()
                .filter(|r| parent_of(&items, r) == Some(t.seq))
                .collect();
            let latest = replies.iter().map(|r| r.at).max().unwrap_or(t.at).max(t.at);
            (latest, t, replies)
        })
        .collect();
    tops.sort_by_key(|(_, t, _)| std::cmp::Reverse((t.at, t.seq)));
    let off = offset(req);
    let page = &tops[off.min(tops.len())..(off + PAGE).min(tops.len())];
    let mut served = Vec::new();
    let body: Vec<Value> = page
        .iter()
        .map(|(_, t, replies)| {
            served.push(format!("youtube:{}", comment_id(&items, t)));
            let mut thread = j!({
                "kind": "youtube#commentThread",
                "etag": format!("etag-t{}", t.seq),
                "id": top_id(t.seq),
                "snippet": {
                    "channelId": CHANNEL,
                    "videoId": video(t.seq),
                    "topLevelComment": comment(&items, t),
                    "canReply": true,
                    "totalReplyCount": replies.len(),
                    "isPublic": true
                }
            });
            if let Some(newest) = replies.iter().max_by_key(|r| r.seq) {
                served.push(format!("youtube:{}", comment_id(&items, newest)));
                thread["replies"] = j!({"comments": [comment(&items, newest)]});
            }
            thread
        })
        .collect();
    s.served.extend(served);
    let mut out = j!({
        "kind": "youtube#commentThreadListResponse",
        "etag": "etag-list",
        "pageInfo": {"totalResults": page.len(), "resultsPerPage": PAGE},
        "items": body,
    });
    if tops.len() > off + PAGE {
        out["nextPageToken"] = j!(format!("p{}", off + PAGE));
    }
    json(StatusCode::OK, out)
}

fn replies(state: &Shared, req: &Req) -> Response {
    let mut s = state.lock().unwrap();
    let items = s.items.clone();
    let parent = req.param("parentId").unwrap_or("");
    let mut all: Vec<&Item> = items
        .iter()
        .filter(|r| parent_of(&items, r).map(top_id).as_deref() == Some(parent))
        .collect();
    all.sort_by_key(|r| r.seq);
    let off = offset(req);
    let page = &all[off.min(all.len())..(off + REPLY_PAGE).min(all.len())];
    s.served.extend(
        page.iter()
            .map(|r| format!("youtube:{}", comment_id(&items, r))),
    );
    let mut out = j!({
        "kind": "youtube#commentListResponse",
        "etag": "etag-replies",
        "pageInfo": {"resultsPerPage": REPLY_PAGE},
        "items": page.iter().map(|r| comment(&items, r)).collect::<Vec<_>>(),
    });
    if all.len() > off + REPLY_PAGE {
        out["nextPageToken"] = j!(format!("p{}", off + REPLY_PAGE));
    }
    json(StatusCode::OK, out)
}

async fn handle(State(state): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    let req = Req::new(&uri, headers);
    if req.param("key") != Some(Youtube::TOKEN.1) || req.count("key") != 1 {
        return error(400, "keyInvalid", "usageLimits", "Bad Request");
    }
    let next_page = req.param("pageToken").is_some();
    if let Err(r) = begin(&state, &req, next_page, fault).await {
        return r;
    }
    match req.segments().as_slice() {
        ["youtube", "v3", "commentThreads"] => threads(&state, &req),
        ["youtube", "v3", "comments"] => replies(&state, &req),
        _ => error(404, "notFound", "global", "Not Found"),
    }
}

impl MockPlatform for Youtube {
    const NAME: &'static str = "youtube";
    const TOKEN: (&'static str, &'static str) = ("DENGAR_YOUTUBE_KEY", "test-yt-key-AIza42");

    fn start(state: Shared) -> String {
        let router = Router::new().fallback(handle).with_state(state);
        format!("http://{}/youtube/v3", serve(router))
    }

    fn section(base_url: &str) -> String {
        format!(
            "[collect.youtube]\nenabled = true\nbase_url = \"{base_url}\"\naccounts = {{ pemkot_bjm = \"{CHANNEL}\" }}\nmax_wait_secs = 5\n"
        )
    }

    fn expected(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|i| format!("youtube:{}", comment_id(items, i)))
            .collect()
    }
}
