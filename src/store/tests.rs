//! Store unit tests on a temporary sled directory.

use super::*;
use crate::model::{Decision, Platform, Post, Prediction, Status};
use chrono::TimeZone;

fn post(id: &str, text: &str) -> Post {
    Post {
        platform: Platform::Instagram,
        native_id: id.to_string(),
        author_id: "a1".into(),
        author_handle: "warga_bjm".into(),
        text: text.into(),
        created_at: chrono::Utc.with_ymd_and_hms(2026, 11, 20, 1, 2, 3).unwrap(),
        url: None,
        reply_to: None,
        account: Some("pemkot_bjm".into()),
        raw: None,
    }
}

fn prediction(score: f32, urgent: bool) -> Prediction {
    Prediction {
        model_id: "test".into(),
        complaint: score >= 0.5,
        complaint_score: score,
        agency: Some("dinas-pupr".into()),
        agency_scores: vec![("dinas-pupr".into(), 0.9)],
        urgency: if urgent { 0.9 } else { 0.0 },
        urgent,
        dup_group: None,
        reasons: vec![],
    }
}

#[test]
fn inserting_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert!(s.insert_post(&post("1", "jalan rusak")).unwrap());
    assert!(!s.insert_post(&post("1", "jalan rusak parah")).unwrap());
    assert_eq!(s.len(), 1);
    assert_eq!(
        s.get("instagram:1").unwrap().unwrap().post.text,
        "jalan rusak"
    );
    assert_eq!(s.ids_with_status(Status::New).unwrap(), vec!["instagram:1"]);
}

#[test]
fn transitions_update_index_and_audit() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    s.insert_post(&post("1", "a")).unwrap();
    s.insert_post(&post("2", "b")).unwrap();
    s.insert_post(&post("3", "c")).unwrap();
    s.transition(
        "instagram:1",
        Transition::new(Status::Flagged, "dengar", "classify").prediction(prediction(0.7, false)),
    )
    .unwrap();
    s.transition(
        "instagram:2",
        Transition::new(Status::Flagged, "dengar", "classify").prediction(prediction(0.6, true)),
    )
    .unwrap();
    s.transition(
        "instagram:3",
        Transition::new(Status::Flagged, "dengar", "classify").prediction(prediction(0.9, false)),
    )
    .unwrap();
    // urgent first, then by score
    assert_eq!(
        s.ids_with_status(Status::Flagged).unwrap(),
        vec!["instagram:2", "instagram:3", "instagram:1"]
    );
    let item = s
        .transition(
            "instagram:3",
            Transition::new(Status::Accepted, "rina", "accept").decision(Decision {
                by: "rina".into(),
                agency: Some("dlh".into()),
                ..Decision::default()
            }),
        )
        .unwrap();
    assert_eq!(item.status, Status::Accepted);
    assert_eq!(item.decision.unwrap().agency.as_deref(), Some("dlh"));
    let counts = s.count_by_status().unwrap();
    assert_eq!(counts[&Status::Flagged], 2);
    assert_eq!(counts[&Status::Accepted], 1);
    let audit = s.audit(Some("instagram:3")).unwrap();
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[1].actor, "rina");
    assert_eq!(audit[1].from, Some(Status::Flagged));
    assert_eq!(audit[1].to, Some(Status::Accepted));
    let dlh = s
        .list(&ListFilter {
            agency: Some("dlh".into()),
            ..ListFilter::default()
        })
        .unwrap();
    assert_eq!(dlh.len(), 1);
}

#[test]
fn illegal_transition_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    s.insert_post(&post("1", "a")).unwrap();
    let err = s
        .transition(
            "instagram:1",
            Transition::new(Status::Accepted, "rina", "accept"),
        )
        .unwrap_err();
    assert!(err.to_string().contains("`new` to `accepted`"), "{err}");
    assert_eq!(s.get("instagram:1").unwrap().unwrap().status, Status::New);
    assert!(s.audit(None).unwrap().is_empty());
    let err = s
        .transition("instagram:9", Transition::new(Status::Flagged, "rina", "x"))
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)));
}

#[test]
fn cursors_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let s = Store::open(dir.path()).unwrap();
        s.set_cursor("x:mentions:pemkot_bjm", "1790000000000000001")
            .unwrap();
        s.insert_post(&post("1", "a")).unwrap();
        s.flush().unwrap();
    }
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(
        s.cursor("x:mentions:pemkot_bjm").unwrap().as_deref(),
        Some("1790000000000000001")
    );
    assert_eq!(s.len(), 1);
}
