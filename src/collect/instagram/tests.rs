//! Unit tests of the Instagram collector and its webhook's pure parts on hand-written fixtures
//! in the API's real shape (the Router itself is tested in `tests/it/collect_webhook.rs`).

use super::models::{parse_comment, parse_media, MentionLookup};
use super::webhook::signature_ok;
use crate::collect::graph::Edge;
use crate::collect::http::parse_json;

const COMMENTS: &str = r#"{"data":[
  {"id":"17950000000000001","text":"Tolong lampu di Gg. Sepakat","timestamp":"2026-11-20T01:02:03+0000",
   "username":"warga_bjm1","from":{"id":"17841450000000001","username":"warga_bjm1"},
   "replies":{"data":[
     {"id":"17950000000000002","text":"betul, gelap banar","timestamp":"2026-11-20T01:10:00+0000",
      "username":"warga_bjm2","parent_id":"17950000000000001"}]}}],
 "paging":{"cursors":{"after":"QVFI"},"next":"https://graph.facebook.com/v21.0/17900000000000000/comments?access_token=EAAB&after=QVFI"}}"#;

#[test]
fn comments_with_inline_replies_become_posts() {
    let edge: Edge = parse_json(COMMENTS.as_bytes()).unwrap();
    let raw = &edge.data[0];
    let c = parse_comment(raw).unwrap();
    let p = c
        .to_post(
            raw,
            "17900000000000000",
            Some("https://www.instagram.com/p/Cabc/"),
            "pemkot_bjm",
        )
        .unwrap();
    assert_eq!(p.native_id, "17950000000000001");
    assert_eq!(p.reply_to.as_deref(), Some("17900000000000000"));
    assert_eq!(
        p.url.as_deref(),
        Some("https://www.instagram.com/p/Cabc/c/17950000000000001/")
    );
    assert_eq!(p.author_id, "17841450000000001");
    assert!(
        p.raw.as_ref().unwrap().get("replies").is_none(),
        "replies are posts of their own"
    );
    let replies = c.replies.as_ref().unwrap();
    let r = parse_comment(&replies.data[0]).unwrap();
    let rp = r
        .to_post(&replies.data[0], "17900000000000000", None, "pemkot_bjm")
        .unwrap();
    assert_eq!(rp.reply_to.as_deref(), Some("17950000000000001"));
    assert!(rp.url.is_none());
}

#[test]
fn mention_lookups_and_media() {
    let m: MentionLookup = parse_json(br#"{"mentioned_media":{"id":"18200000000000001","caption":"@pemkot_bjm banjir lagi","timestamp":"2026-11-20T01:02:03+0000","permalink":"https://www.instagram.com/p/Cm/","username":"galuh"},"id":"17841400000000001"}"#).unwrap();
    let raw = m.mentioned_media.unwrap();
    let media = parse_media(&raw).unwrap();
    let p = media.to_post(&raw, "pemkot_bjm").unwrap();
    assert_eq!(p.author_handle, "galuh");
    assert_eq!(p.text, "@pemkot_bjm banjir lagi");
    let no_caption = serde_json::json!({"id":"1","timestamp":"2026-11-20T01:02:03+0000"});
    assert!(parse_media(&no_caption)
        .unwrap()
        .to_post(&no_caption, "a")
        .is_none());
}

#[test]
fn signatures_are_hmac_sha256_of_the_raw_body() {
    // HMAC-SHA256("It's a secret to everybody", "Hello, World!") from GitHub's webhook docs
    let secret = b"It's a Secret to Everybody";
    let body = b"Hello, World!";
    let good = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    assert!(signature_ok(secret, body, good));
    assert!(!signature_ok(secret, b"Hello, World?", good));
    assert!(!signature_ok(b"other", body, good));
    assert!(!signature_ok(
        secret,
        body,
        &good.replace("sha256=", "sha1=")
    ));
    assert!(!signature_ok(secret, body, "sha256=757107"));
    assert!(!signature_ok(secret, body, ""));
}
