//! Unit tests of the Mastodon collector on hand-written fixtures in the API's real shape.

use super::client::{classify, has_next};
use super::config::MastodonConfig;
use super::models::{html_to_text, status_post, Notification};
use crate::collect::retry::Verdict;
use reqwest::header::HeaderMap;
use std::collections::HashSet;

const NOTIFICATION: &str = r#"{"id":"34975861","type":"mention","created_at":"2026-11-20T01:02:03.458Z",
 "group_key":"ungrouped-34975861",
 "account":{"id":"109302","username":"urang_banua","acct":"urang_banua@banua.social"},
 "status":{"id":"113500000000000123","created_at":"2026-11-20T01:02:03.000Z","in_reply_to_id":"113499999999999999",
  "content":"<p><span class=\"h-card\"><a href=\"https://kota.example/@pemkot_bjm\" class=\"u-url mention\">@<span>pemkot_bjm</span></a></span> lampu jalan mati &amp; gelap<br />tolong dicek ya</p><p>makasih</p>",
  "url":"https://banua.social/@urang_banua/113500000000000123","uri":"https://banua.social/users/urang_banua/statuses/1",
  "account":{"id":"109302","username":"urang_banua","acct":"urang_banua@banua.social"},
  "mentions":[{"id":"1","username":"pemkot_bjm","acct":"pemkot_bjm","url":"https://kota.example/@pemkot_bjm"}],
  "reblog":null}}"#;

#[test]
fn a_mention_notification_becomes_a_post() {
    let raw: serde_json::Value = serde_json::from_str(NOTIFICATION).unwrap();
    let n: Notification = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(n.kind, "mention");
    let p = status_post(
        n.status.as_ref().unwrap(),
        Some("pemkot_bjm"),
        &HashSet::new(),
        "x",
    )
    .unwrap();
    assert_eq!(p.native_id, "113500000000000123");
    assert_eq!(p.author_handle, "urang_banua@banua.social");
    assert_eq!(
        p.text,
        "@pemkot_bjm lampu jalan mati & gelap\ntolong dicek ya\nmakasih"
    );
    assert_eq!(p.reply_to.as_deref(), Some("113499999999999999"));
    assert_eq!(p.account.as_deref(), Some("pemkot_bjm"));
    // on a hashtag timeline the account is the watched one it mentions, else the fallback
    let watched: HashSet<String> = ["pemkot_bjm".to_string()].into();
    let p = status_post(n.status.as_ref().unwrap(), None, &watched, "fallback").unwrap();
    assert_eq!(p.account.as_deref(), Some("pemkot_bjm"));
    let p = status_post(
        n.status.as_ref().unwrap(),
        None,
        &HashSet::new(),
        "fallback",
    )
    .unwrap();
    assert_eq!(p.account.as_deref(), Some("fallback"));
}

#[test]
fn html_becomes_plain_text() {
    assert_eq!(html_to_text("<p>satu</p><p>dua</p>"), "satu\ndua");
    assert_eq!(html_to_text("a<br>b<br/>c<br />d"), "a\nb\nc\nd");
    assert_eq!(
        html_to_text("&lt;b&gt; &amp; &quot;x&quot; &#39;y&#39; &#x1F30A; &#127754;"),
        "<b> & \"x\" 'y' 🌊 🌊"
    );
    assert_eq!(
        html_to_text("R&D & co &unknown; 5 < 6"),
        "R&D & co &unknown; 5 < 6"
    );
    assert_eq!(html_to_text("<p>tanpa penutup"), "tanpa penutup");
}

#[test]
fn link_headers_and_rate_limits() {
    let mut h = HeaderMap::new();
    h.insert(
        "link",
        "<https://k.example/api/v1/notifications?max_id=7>; rel=\"next\", <https://k.example/api/v1/notifications?min_id=9>; rel=\"prev\""
            .parse()
            .unwrap(),
    );
    assert!(has_next(&h));
    let mut h = HeaderMap::new();
    h.insert(
        "link",
        "<https://k.example/x?min_id=9>; rel=\"prev\""
            .parse()
            .unwrap(),
    );
    assert!(!has_next(&h));
    assert!(!has_next(&HeaderMap::new()));

    let mut h = HeaderMap::new();
    let reset = (chrono::Utc::now() + chrono::Duration::seconds(90)).to_rfc3339();
    h.insert("x-ratelimit-reset", reset.parse().unwrap());
    match classify(429, &h, br#"{"error":"Too many requests"}"#) {
        Verdict::RateLimited { after: Some(d), .. } => {
            assert!(d.as_secs() >= 85 && d.as_secs() <= 90)
        }
        v => panic!("{v:?}"),
    }
    assert!(matches!(
        classify(401, &HeaderMap::new(), b"{}"),
        Verdict::Unauthorized { .. }
    ));
}

#[test]
fn hashtags_are_checked() {
    let c = MastodonConfig {
        hashtags: vec!["#banjir_bjm".into(), "bad tag".into()],
        ..MastodonConfig::default()
    };
    assert_eq!(c.validate().unwrap_err().0, "collect.mastodon.hashtags[1]");
}
