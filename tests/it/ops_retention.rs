//! Retention through the real store: after `retention_days` (the clock is the test's: the purge
//! is called with an explicit `now`), dismissed and rejected posts lose text, author, link and
//! raw JSON while every count stays; flagged and accepted posts are untouched; the purge is in
//! the audit log without content. The binary's `purge` and `nightly` apply the same policy.

use crate::ops_util::*;
use chrono::{Duration, Utc};
use dengar::model::Status;
use dengar::ops::retention;

#[test]
fn purge_after_retention_keeps_counts_and_removes_text() {
    let inst = Install::harvested(18, "[retention]\nretention_days = 30\n");

    // reviewers reject one flagged post and accept another
    let all = inst.exported();
    let flagged: Vec<&str> = all
        .iter()
        .filter(|i| i["status"] == "flagged")
        .map(|i| i["post"]["platform"].as_str().unwrap())
        .collect();
    assert!(flagged.len() >= 3, "{all:?}");
    let ids = ids_with_status(&all, "flagged");
    inst.run_ok(&["review", &ids[0], "--reject", "spam", "--by", "rina"], 0);
    inst.run_ok(&["review", &ids[1], "--accept", "--by", "rina"], 0);

    let stats_before = stdout(&inst.run_ok(&["stats"], 0));
    let nightly_purge = inst.run_ok(&["purge", "--dry-run"], 0);
    assert!(stdout(&nightly_purge).contains("content of 0 dismissed + 0 rejected"));

    // 31 days later, with the test's clock
    let store = open_store(&inst.data_dir());
    let counts_before = store.count_by_status().unwrap();
    let later = Utc::now() + Duration::days(31);
    let r = retention::purge(&store, 30, later, false, "test").unwrap();
    let dismissed = counts_before[&Status::Dismissed];
    assert_eq!(r.dismissed, dismissed);
    assert_eq!(r.rejected, 1);
    assert_eq!(store.count_by_status().unwrap(), counts_before);
    let audit = store.audit(None).unwrap();
    let note = audit.last().unwrap();
    assert_eq!(
        (note.actor.as_str(), note.action.as_str()),
        ("test", "purge")
    );
    let why = note.why.as_deref().unwrap();
    assert!(
        why.contains(&format!("{dismissed} dismissed and 1 rejected")),
        "{why}"
    );
    assert!(
        !why.contains("warga_uji") && !why.contains("jalan"),
        "{why}"
    );
    drop(store);

    // the binary sees the same counts, and no words or names of the purged posts
    assert_eq!(stdout(&inst.run_ok(&["stats"], 0)), stats_before);
    for i in inst.exported() {
        let p = &i["post"];
        match i["status"].as_str().unwrap() {
            "dismissed" | "rejected" => {
                assert_eq!(p["text"], "", "{i}");
                assert_eq!(p["author_handle"], "", "{i}");
                assert_eq!(p["author_id"], "", "{i}");
                assert!(p["url"].is_null(), "{i}");
                assert!(i["prediction"]["complaint_score"].is_number(), "{i}");
                assert_eq!(p["created_at"], "2026-11-20T01:02:03Z");
            }
            _ => {
                assert!(p["text"].as_str().unwrap().len() > 10, "{i}");
                assert!(
                    p["author_handle"]
                        .as_str()
                        .unwrap()
                        .starts_with("warga_uji"),
                    "{i}"
                );
            }
        }
    }
    let rejected = stdout(&inst.run_ok(&["queue", "show", &ids[0]], 0));
    assert!(rejected.contains("\"reason\": \"spam\""), "{rejected}");
}

#[test]
fn nightly_purges_at_its_end_and_logs_it() {
    let inst = Install::harvested(6, "[retention]\nretention_days = 1\n");
    let runs = inst.runs();
    assert_eq!(
        runs[0]["purge"]["content_purged"], 0,
        "decided just now: kept"
    );
    let store = open_store(&inst.data_dir());
    let purges: Vec<_> = store
        .audit(None)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "purge")
        .collect();
    assert_eq!(purges.len(), 1);
    assert_eq!(purges[0].actor, "dengar");
    assert!(purges[0]
        .why
        .as_deref()
        .unwrap()
        .starts_with("retention 1 days"));
    // the same store two days on: the dismissed posts are due
    assert!(retention::overdue(&store, 1, Utc::now() + Duration::days(2)).unwrap() > 0);
}
