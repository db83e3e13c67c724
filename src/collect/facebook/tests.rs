//! Unit tests of the Facebook collector on hand-written fixtures in the API's real shape.

use super::models::{parse_comment, parse_post};
use crate::collect::graph::Edge;
use crate::collect::http::parse_json;

const FEED: &str = r#"{"data":[
  {"id":"100000000000001_9007199254740993","message":"Pak, drainase di Jl. Sutoyo tersumbat",
   "created_time":"2026-11-20T01:02:03+0000","permalink_url":"https://www.facebook.com/100000000000001/posts/9007199254740993",
   "from":{"id":"3000000000000001","name":"Galuh Banjar"}},
  {"id":"100000000000001_9007199254740994","created_time":"2026-11-20T01:00:00+0000",
   "from":{"id":"100000000000001","name":"Pemko"}},
  {"id":"100000000000001_9007199254740995","message":"tanggal aneh","created_time":"20/11/2026"}
 ],
 "paging":{"cursors":{"before":"QVFIUk","after":"QVFIUl"},
  "next":"https://graph.facebook.com/v21.0/100000000000001/feed?access_token=EAAB&limit=3&after=QVFIUl"}}"#;

#[test]
fn feed_posts_parse_with_meta_timestamps() {
    let edge: Edge = parse_json(FEED.as_bytes()).unwrap();
    assert!(edge.next().unwrap().contains("after=QVFIUl"));
    let p = parse_post(&edge.data[0]).unwrap();
    let post = p.to_post(&edge.data[0], "pemkot_bjm").unwrap();
    assert_eq!(post.native_id, "100000000000001_9007199254740993");
    assert_eq!(post.author_handle, "Galuh Banjar");
    assert_eq!(post.created_at.to_rfc3339(), "2026-11-20T01:02:03+00:00");
    assert!(post.reply_to.is_none() && post.raw.is_some());
    // a photo without text is not a post to classify
    let p = parse_post(&edge.data[1]).unwrap();
    assert!(p.to_post(&edge.data[1], "pemkot_bjm").is_none());
    assert!(parse_post(&edge.data[2])
        .unwrap_err()
        .contains("20/11/2026"));
}

#[test]
fn comments_answer_the_post_or_their_parent() {
    let top = serde_json::json!({"id":"9100000000000000_9007199254740993","message":"PJU mati","created_time":"2026-11-20T01:02:03+0000","from":{"id":"3","name":"A"}});
    let reply = serde_json::json!({"id":"9100000000000000_9007199254740995","message":"sama","created_time":"2026-11-20T01:05:00+0000","parent":{"id":"9100000000000000_9007199254740993"}});
    let c = parse_comment(&top).unwrap();
    let p = c
        .to_post(
            c.id.as_deref().unwrap(),
            &top,
            "100_9100000000000000",
            "pemkot_bjm",
        )
        .unwrap();
    assert_eq!(p.reply_to.as_deref(), Some("100_9100000000000000"));
    assert_eq!(
        p.url.as_deref(),
        Some("https://www.facebook.com/100_9100000000000000?comment_id=9100000000000000_9007199254740993")
    );
    let c = parse_comment(&reply).unwrap();
    let p = c
        .to_post(
            c.id.as_deref().unwrap(),
            &reply,
            "100_9100000000000000",
            "pemkot_bjm",
        )
        .unwrap();
    assert_eq!(
        p.reply_to.as_deref(),
        Some("9100000000000000_9007199254740993")
    );
    assert_eq!(p.author_handle, "", "from is only returned to some tokens");
    // without the MODERATE task the id is absent: parsed, and the collector reports it
    let anon = serde_json::json!({"message":"x","created_time":"2026-11-20T01:02:03+0000"});
    assert!(parse_comment(&anon).unwrap().id.is_none());
}
