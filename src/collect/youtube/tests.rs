//! Unit tests of the YouTube collector on hand-written fixtures in the API's real shape.

use super::client::classify;
use super::models::{comment_post, Thread, ThreadList};
use crate::collect::http::parse_json;
use crate::collect::retry::Verdict;
use reqwest::header::HeaderMap;

const THREADS: &str = r#"{
 "kind": "youtube#commentThreadListResponse", "etag": "e1",
 "nextPageToken": "QURTSl9pM2",
 "pageInfo": {"totalResults": 2, "resultsPerPage": 20},
 "items": [
  {"kind": "youtube#commentThread", "etag": "e2", "id": "UgzKota0001AaABAg",
   "snippet": {"channelId": "UCkotaBJM", "videoId": "vidSiring01",
    "topLevelComment": {"kind": "youtube#comment", "etag": "e3", "id": "UgzKota0001AaABAg",
     "snippet": {"channelId": "UCkotaBJM", "videoId": "vidSiring01",
      "textDisplay": "Jalan &amp; trotoar rusak", "textOriginal": "Jalan & trotoar rusak",
      "authorDisplayName": "@urangbanjar", "authorChannelId": {"value": "UCwarga1"},
      "likeCount": 0, "publishedAt": "2026-11-20T01:02:03Z", "updatedAt": "2026-11-20T01:02:03Z"}},
    "canReply": true, "totalReplyCount": 1, "isPublic": true},
   "replies": {"comments": [
     {"kind": "youtube#comment", "etag": "e4", "id": "UgzKota0001AaABAg.9xYz",
      "snippet": {"channelId": "UCkotaBJM", "videoId": "vidSiring01", "textOriginal": "sudah dilaporkan",
       "authorDisplayName": "Diskominfotik", "parentId": "UgzKota0001AaABAg",
       "publishedAt": "2026-11-20T02:00:00.000Z", "updatedAt": "2026-11-20T02:00:00.000Z"}}]}},
  {"kind": "youtube#commentThread", "etag": "e5", "id": "UgyChannel01",
   "snippet": {"channelId": "UCkotaBJM",
    "topLevelComment": {"id": "UgyChannel01",
     "snippet": {"channelId": "UCkotaBJM", "textOriginal": "komentar di kanal",
      "authorDisplayName": "warga", "publishedAt": "2026-11-19T01:00:00Z"}},
    "totalReplyCount": 0}}
 ]}"#;

#[test]
fn threads_and_replies_become_posts() {
    let list: ThreadList = parse_json(THREADS.as_bytes()).unwrap();
    assert_eq!(list.next_page_token.as_deref(), Some("QURTSl9pM2"));
    let t: Thread = serde_json::from_value(list.items[0].clone()).unwrap();
    let top = comment_post(
        &t.snippet.top_level_comment,
        "pemkot_bjm",
        t.snippet.video_id.as_deref(),
        None,
    )
    .unwrap();
    assert_eq!(
        top.text, "Jalan & trotoar rusak",
        "textOriginal, not the HTML"
    );
    assert_eq!(top.author_handle, "urangbanjar");
    assert_eq!(top.author_id, "UCwarga1");
    assert_eq!(
        top.url.as_deref(),
        Some("https://www.youtube.com/watch?v=vidSiring01&lc=UgzKota0001AaABAg")
    );
    assert!(top.reply_to.is_none());
    let reply = comment_post(
        &t.replies.as_ref().unwrap().comments[0],
        "pemkot_bjm",
        None,
        None,
    )
    .unwrap();
    assert_eq!(reply.reply_to.as_deref(), Some("UgzKota0001AaABAg"));
    assert_eq!(reply.created_at.to_rfc3339(), "2026-11-20T02:00:00+00:00");
    // a channel comment has no video
    let t: Thread = serde_json::from_value(list.items[1].clone()).unwrap();
    let c = comment_post(
        &t.snippet.top_level_comment,
        "pemkot_bjm",
        None,
        t.snippet.channel_id.as_deref(),
    )
    .unwrap();
    assert_eq!(
        c.url.as_deref(),
        Some("https://www.youtube.com/channel/UCkotaBJM?lc=UgyChannel01")
    );
    // no time, no post
    let bad = serde_json::json!({"id": "x", "snippet": {"textOriginal": "t"}});
    assert!(comment_post(&bad, "a", None, None).is_err());
}

fn error(reason: &str) -> Vec<u8> {
    format!(r#"{{"error":{{"code":403,"message":"m","errors":[{{"message":"m","domain":"youtube.quota","reason":"{reason}"}}]}}}}"#).into_bytes()
}

#[test]
fn quota_rate_limits_and_refusals_are_told_apart() {
    let h = HeaderMap::new();
    assert!(matches!(
        classify(403, &h, &error("quotaExceeded")),
        Verdict::Quota { .. }
    ));
    assert!(matches!(
        classify(403, &h, &error("rateLimitExceeded")),
        Verdict::RateLimited { .. }
    ));
    assert!(matches!(
        classify(403, &h, &error("commentsDisabled")),
        Verdict::Refused { .. }
    ));
    assert!(matches!(
        classify(400, &h, &error("keyInvalid")),
        Verdict::Refused { .. }
    ));
    assert!(matches!(
        classify(500, &h, &error("backendError")),
        Verdict::Retry { .. }
    ));
}
