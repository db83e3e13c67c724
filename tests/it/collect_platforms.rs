//! The five collectors together through `dengar harvest` and `dengar nightly`: every platform's
//! mock server at once, the stored posts compared field by field with what the fixtures say,
//! platforms running concurrently, `--platform`, handle resolution remembered, and the nightly
//! exit code when one platform fails.

use crate::collect_util::mock_facebook::{self, Facebook};
use crate::collect_util::mock_instagram::{self, Instagram};
use crate::collect_util::mock_mastodon::{self, Mastodon};
use crate::collect_util::mock_x::{self, X};
use crate::collect_util::mock_youtube::{self, Youtube};
use crate::collect_util::*;
use serde_json::Value;

struct All {
    x: Mock,
    ig: Mock,
    fb: Mock,
    yt: Mock,
    md: Mock,
}

fn all(n: usize) -> (All, Setup) {
    let a = All {
        x: Mock::start::<X>(),
        ig: Mock::start::<Instagram>(),
        fb: Mock::start::<Facebook>(),
        yt: Mock::start::<Youtube>(),
        md: Mock::start::<Mastodon>(),
    };
    for m in [&a.x, &a.ig, &a.fb, &a.yt, &a.md] {
        m.add(n);
    }
    let s = Setup::new(
        &[
            X::section(&a.x.base_url),
            Instagram::section(&a.ig.base_url),
            Facebook::section(&a.fb.base_url),
            Youtube::section(&a.yt.base_url),
            Mastodon::section(&a.md.base_url),
        ],
        &[
            X::TOKEN,
            Instagram::TOKEN,
            Facebook::TOKEN,
            Youtube::TOKEN,
            Mastodon::TOKEN,
        ],
    );
    (a, s)
}

fn items(m: &Mock) -> Vec<Item> {
    m.state.lock().unwrap().items.clone()
}

fn post<'a>(posts: &'a [Value], id: &str) -> &'a Value {
    posts
        .iter()
        .find(|p| {
            format!(
                "{}:{}",
                p["platform"].as_str().unwrap(),
                p["native_id"].as_str().unwrap()
            ) == id
        })
        .unwrap_or_else(|| panic!("{id} not stored"))
}

fn time(p: &Value) -> chrono::DateTime<chrono::Utc> {
    p["created_at"].as_str().unwrap().parse().unwrap()
}

fn same_second(a: chrono::DateTime<chrono::Utc>, b: chrono::DateTime<chrono::Utc>) -> bool {
    a.timestamp() == b.timestamp()
}

#[test]
fn all_five_platforms_store_exactly_the_expected_posts() {
    let (a, s) = all(8);
    let run = s.harvest(&[]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.reports.len(), 5);
    let mut expected = Vec::new();
    expected.extend(X::expected(&items(&a.x)));
    expected.extend(Instagram::expected(&items(&a.ig)));
    expected.extend(Facebook::expected(&items(&a.fb)));
    expected.extend(Youtube::expected(&items(&a.yt)));
    expected.extend(Mastodon::expected(&items(&a.md)));
    assert_eq!(s.stored(), set(expected.clone()));
    assert_eq!(s.stored().len(), 40);

    let posts: Vec<Value> = s
        .exported()
        .into_iter()
        .map(|i| i["post"].clone())
        .collect();
    for p in &posts {
        assert_eq!(p["account"], "pemkot_bjm", "{p}");
        let url = p["url"].as_str().unwrap_or("");
        // a Mastodon status lives on its instance (the mock here)
        let home = if p["platform"] == "mastodon" {
            a.md.base_url.as_str()
        } else {
            "https://"
        };
        assert!(url.starts_with(home), "{p}");
    }
    // X: note_tweet's full text, authors from includes.users, reply parents
    for i in items(&a.x) {
        let p = post(&posts, &format!("x:{}", mock_x::tweet_id(&i)));
        assert_eq!(p["text"], mock_x::expected_text(&i));
        assert_eq!(p["author_handle"], i.author.as_str());
        assert_eq!(
            p["url"],
            format!("https://x.com/{}/status/{}", i.author, mock_x::tweet_id(&i))
        );
        assert_eq!(time(p).timestamp_millis(), i.at.timestamp_millis());
        let parent = (i.seq % 4 == 0).then_some("1860000000000000001");
        assert_eq!(p["reply_to"].as_str(), parent);
    }
    // Mastodon: HTML to text, remote-safe handles
    for i in items(&a.md) {
        let p = post(
            &posts,
            &format!("mastodon:{}", mock_mastodon::status_id(&i)),
        );
        assert_eq!(p["text"], mock_mastodon::expected_text(&i));
        assert_eq!(p["author_handle"], i.author.as_str());
        assert_eq!(time(p).timestamp_millis(), i.at.timestamp_millis());
    }
    // YouTube: replies point at their thread, handles without @
    let yt = items(&a.yt);
    for i in &yt {
        let id = mock_youtube::comment_id(&yt, i);
        let p = post(&posts, &format!("youtube:{id}"));
        assert_eq!(p["text"], i.text.as_str());
        assert_eq!(p["author_handle"], i.author.as_str());
        assert!(same_second(time(p), i.at));
        match id.split_once('.') {
            Some((parent, _)) => assert_eq!(p["reply_to"], parent),
            None => assert!(p["reply_to"].is_null()),
        }
        assert!(p["url"].as_str().unwrap().contains(&format!("lc={id}")));
    }
    // Facebook: visitor posts and comments (on the Page's post or on a comment), Meta times
    for i in items(&a.fb) {
        let id = mock_facebook::native_id(&i);
        let p = post(&posts, &format!("facebook:{id}"));
        assert!(same_second(time(p), i.at));
        assert_eq!(p["author_handle"], i.author.as_str());
        if i.seq % 2 == 0 {
            assert_eq!(p["text"], format!("@Pemkot Banjarmasin {}", i.text));
            assert!(p["reply_to"].is_null());
        } else {
            assert_eq!(p["text"], i.text.as_str());
            let parent = p["reply_to"].as_str().unwrap();
            if i.seq % 4 == 3 {
                assert!(parent.starts_with("9100000000000000_"), "{parent}");
            } else {
                assert_eq!(parent, mock_facebook::OWN_POST);
            }
        }
    }
    // the Page's own post is a comment target, not a harvested post
    assert!(!s
        .stored()
        .contains(&format!("facebook:{}", mock_facebook::OWN_POST)));
    // Instagram: comments and inline replies on the account's media
    let ig = items(&a.ig);
    for i in &ig {
        let id = mock_instagram::comment_id(i);
        let p = post(&posts, &format!("instagram:{id}"));
        assert_eq!(p["text"], i.text.as_str());
        assert_eq!(p["author_handle"], i.author.as_str());
        assert_eq!(p["url"], format!("{}c/{id}/", mock_instagram::PERMALINK));
        let parent = p["reply_to"].as_str().unwrap();
        if i.seq % 3 == 0 {
            assert_ne!(parent, mock_instagram::MEDIA);
        } else {
            assert_eq!(parent, mock_instagram::MEDIA);
        }
    }
}

#[test]
fn platforms_run_concurrently() {
    let (a, s) = all(6);
    // X, the first platform, hangs on its second page; Mastodon, the last, must finish anyway
    a.x.state.lock().unwrap().hang_on_next_page = true;
    let mut child = s.command(&["harvest", "--json"]).spawn().expect("spawn");
    wait_for("X to hang", || a.x.state.lock().unwrap().hanging);
    let expected = set(Mastodon::expected(&items(&a.md)));
    wait_for("Mastodon to be served completely", || {
        set(a.md.served()) == expected
    });
    child.kill().expect("kill");
    child.wait().expect("wait");
    a.x.state.lock().unwrap().released = true;
}

#[test]
fn platform_flag_runs_only_that_platform_and_handles_are_resolved_once() {
    let x = Mock::start::<X>();
    let md = Mock::start::<Mastodon>();
    x.add(4);
    md.add(4);
    let s = Setup::new(
        &[X::section(&x.base_url), Mastodon::section(&md.base_url)],
        &[X::TOKEN, Mastodon::TOKEN],
    );
    let run = s.harvest(&["--platform", "x"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.reports.len(), 1);
    assert_eq!(md.requests(), 0);
    let run = s.harvest(&["--platform", "twitter"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let lookups = x
        .state
        .lock()
        .unwrap()
        .requests
        .iter()
        .filter(|r| r.contains("/2/users/by/username/"))
        .count();
    assert_eq!(lookups, 1, "the handle's id is remembered");

    let out = s
        .command(&["harvest", "--platform", "youtube"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[collect.youtube]"));
    let out = s
        .command(&["harvest", "--platform", "myspace"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "clap usage error");
}

#[test]
fn harvest_without_an_enabled_platform_says_how_to_enable_one() {
    let s = Setup::new(&[], &[]);
    let out = s.command(&["harvest"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no platform is enabled"));
}

#[test]
fn nightly_harvests_the_platforms_and_its_exit_code_says_one_failed() {
    let x = Mock::start::<X>();
    let yt = Mock::start::<Youtube>();
    x.add(5);
    yt.add(5);
    yt.fault(1, Fault::RateLimitLong); // quotaExceeded: YouTube stops for this run
    let s = Setup::new(
        &[X::section(&x.base_url), Youtube::section(&yt.base_url)],
        &[X::TOKEN, Youtube::TOKEN],
    );
    let out = s.command(&["nightly", "--json"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_str(&stdout).unwrap();
    let sources = summary["sources"].as_array().unwrap();
    let by = |name: &str| {
        sources
            .iter()
            .find(|r| r["source"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(by("x")["new"], 5);
    assert!(by("x")["failed"].is_null());
    assert!(by("youtube")["failed"].as_str().unwrap().contains("quota"));
    assert_eq!(
        summary["classify"]["classified"], 5,
        "the harvested posts were classified"
    );
    // the next night, the quota is back and nothing is missing
    let out = s.command(&["nightly", "--json"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(s.stored().len(), 10);
    // the text summary lists each platform
    let out = s.command(&["nightly"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("x ") && text.contains("youtube"), "{text}");
}

/// YouTube lists threads by when their top-level comment was written, so a new reply on an
/// old thread sits below threads older than the watermark: the next harvest must still find it.
#[test]
fn youtube_finds_a_late_reply_on_an_old_thread() {
    let yt = Mock::start::<Youtube>();
    yt.add(12);
    let s = Setup::new(&[Youtube::section(&yt.base_url)], &[Youtube::TOKEN]);
    let first = s.harvest(&[]);
    assert_eq!(first.code, Some(0), "{first:?}");
    assert_eq!(s.stored(), set(Youtube::expected(&items(&yt))));
    // a reply to the oldest thread, then one to the newest (item 14, by the mock's rule)
    let late = yt.add_reply_to(1);
    yt.add(1);
    let second = s.harvest(&[]);
    assert_eq!(second.code, Some(0), "{second:?}");
    let all = items(&yt);
    let stored = s.stored();
    let id = format!("youtube:{}", mock_youtube::comment_id(&all, &late));
    assert!(stored.contains(&id), "{id} missing: {stored:?}");
    assert_eq!(stored, set(Youtube::expected(&all)));
    assert_eq!(second.count(Youtube::NAME, "new"), 2, "{second:?}");
}
