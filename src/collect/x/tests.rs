//! Unit tests of the X collector on hand-written fixtures in the API's real shape.

use super::client::classify;
use super::collector::snowflake_time;
use super::config::{default_queries, XConfig, MAX_QUERY_CHARS};
use super::models::{TweetPage, WatchedIds};
use crate::collect::http::parse_json;
use crate::collect::retry::Verdict;
use reqwest::header::HeaderMap;
use std::time::Duration;

const PAGE: &str = r#"{
  "data": [
    {"id": "1862000000000000003", "text": "@pemkot_bjm jalan di Jl. Veteran berlubang",
     "author_id": "1500000000000000001", "created_at": "2026-11-20T01:02:03.000Z",
     "conversation_id": "1862000000000000003", "lang": "in",
     "entities": {"mentions": [{"start": 0, "end": 11, "username": "pemkot_bjm", "id": "2244994945"}]}},
    {"id": "1862000000000000002", "text": "banyu mati lagi… https://t.co/x",
     "author_id": "1500000000000000002", "created_at": "2026-11-20T01:00:00.000Z",
     "in_reply_to_user_id": "2244994945",
     "referenced_tweets": [{"type": "replied_to", "id": "1861999999999999999"}],
     "note_tweet": {"text": "banyu mati lagi di Kelayan dari subuh, sudah tiga hari berturut-turut, mohon PDAM turun tangan"}},
    {"id": "1862000000000000001", "text": "tanpa waktu"},
    {"id": 1862000000000000000, "text": "id sebagai angka", "created_at": "2026-11-20T00:00:00.000Z"}
  ],
  "includes": {"users": [
    {"id": "1500000000000000001", "username": "warga_bjm1", "name": "Warga Satu"},
    {"id": "1500000000000000002", "username": "acil_kelayan", "name": "Acil"}
  ]},
  "errors": [{"value": "x", "detail": "Could not find user", "title": "Not Found Error",
              "type": "https://api.twitter.com/2/problems/resource-not-found"}],
  "meta": {"result_count": 4, "newest_id": "1862000000000000003", "oldest_id": "1862000000000000000",
           "next_token": "b26v89c19zqg8o3fpzbkk"}
}"#;

fn watched() -> WatchedIds {
    let mut w = WatchedIds::default();
    w.handles.insert("pemkot_bjm".into());
    w.by_id.insert("2244994945".into(), "pemkot_bjm".into());
    w
}

#[test]
fn a_page_becomes_posts_and_odd_tweets_are_reported_alone() {
    let page: TweetPage = parse_json(PAGE.as_bytes()).unwrap();
    assert_eq!(page.errors.len(), 1);
    assert_eq!(
        page.meta.next_token.as_deref(),
        Some("b26v89c19zqg8o3fpzbkk")
    );
    let results = page.posts(None, &watched());
    assert_eq!(results.len(), 4);
    let a = results[0].as_ref().unwrap();
    assert_eq!(a.native_id, "1862000000000000003");
    assert_eq!(a.author_handle, "warga_bjm1");
    assert_eq!(a.account.as_deref(), Some("pemkot_bjm"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://x.com/warga_bjm1/status/1862000000000000003")
    );
    assert_eq!(a.created_at.to_rfc3339(), "2026-11-20T01:02:03+00:00");
    assert!(a.raw.is_some());
    let b = results[1].as_ref().unwrap();
    assert!(
        b.text.starts_with("banyu mati lagi di Kelayan"),
        "note_tweet is the full text"
    );
    assert_eq!(b.reply_to.as_deref(), Some("1861999999999999999"));
    assert_eq!(
        b.account.as_deref(),
        Some("pemkot_bjm"),
        "found through in_reply_to_user_id"
    );
    assert!(results[2].as_ref().unwrap_err().contains("created_at"));
    assert!(
        results[3].is_err(),
        "a numeric id is refused, never rounded"
    );
    // a mentions timeline knows its account
    let mine = page.posts(Some("dishub_bjm"), &watched());
    assert_eq!(
        mine[0].as_ref().unwrap().account.as_deref(),
        Some("dishub_bjm")
    );
}

#[test]
fn an_empty_answer_has_no_data() {
    let page: TweetPage = parse_json(br#"{"meta":{"result_count":0}}"#).unwrap();
    assert!(page.data.is_empty() && page.meta.next_token.is_none());
}

#[test]
fn answers_are_classified() {
    let mut h = HeaderMap::new();
    let reset = chrono::Utc::now().timestamp() + 120;
    h.insert("x-rate-limit-reset", reset.to_string().parse().unwrap());
    match classify(
        429,
        &h,
        br#"{"title":"Too Many Requests","type":"about:blank","status":429}"#,
    ) {
        Verdict::RateLimited { after: Some(d), .. } => {
            assert!(
                d <= Duration::from_secs(120) && d >= Duration::from_secs(115),
                "{d:?}"
            )
        }
        v => panic!("{v:?}"),
    }
    let capped = br#"{"title":"UsageCapExceeded","type":"https://api.x.com/2/problems/usage-capped","period":"Monthly","scope":"Product","status":429}"#;
    assert!(matches!(
        classify(429, &HeaderMap::new(), capped),
        Verdict::Quota { .. }
    ));
    assert!(matches!(
        classify(401, &HeaderMap::new(), b"{}"),
        Verdict::Unauthorized { .. }
    ));
    assert!(matches!(
        classify(503, &HeaderMap::new(), b""),
        Verdict::Retry { .. }
    ));
    assert_eq!(classify(200, &HeaderMap::new(), b"{}"), Verdict::Done);
}

#[test]
fn default_queries_cover_every_handle_within_the_length_limit() {
    let handles: Vec<String> = (0..60).map(|i| format!("akun_kota_nomor_{i}")).collect();
    let queries = default_queries(&handles);
    assert!(queries.len() > 1);
    for q in &queries {
        assert!(q.chars().count() <= MAX_QUERY_CHARS, "{q}");
        assert!(q.ends_with(" -is:retweet"));
    }
    for h in &handles {
        assert!(
            queries
                .iter()
                .any(|q| q.contains(&format!("@{h} OR to:{h}"))),
            "{h}"
        );
    }
    assert_eq!(
        default_queries(&["pemkot_bjm".into()]),
        ["(@pemkot_bjm OR to:pemkot_bjm) -is:retweet"]
    );
}

#[test]
fn snowflakes_tell_their_time() {
    // a tweet recorded on 2022-10-07
    let t = snowflake_time("1578516295611748353").unwrap();
    assert_eq!(t.format("%Y-%m-%d").to_string(), "2022-10-07");
    assert!(snowflake_time("not-a-number").is_none());
}

#[test]
fn x_specific_settings_are_checked() {
    let c = XConfig {
        query: Some("x".repeat(600)),
        ..XConfig::default()
    };
    assert_eq!(c.validate().unwrap_err().0, "collect.x.query");
    let mut c = XConfig::default();
    c.accounts.insert("pemkot_bjm".into(), "@pemkot".into());
    assert_eq!(c.validate().unwrap_err().0, "collect.x.accounts.pemkot_bjm");
    c.accounts.insert("pemkot_bjm".into(), String::new());
    c.validate().unwrap();
}
