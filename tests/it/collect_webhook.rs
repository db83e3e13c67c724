//! The Instagram mentions webhook: verification and signature checks through the axum Router
//! (`tower::ServiceExt::oneshot`, no socket) with the real sled-backed inbox, mounted the way
//! `dengar serve` mounts it; then a harvest that fetches the announced mentions
//! (`mentioned_comment` / `mentioned_media`) and the tagged media from the Instagram mock.

use crate::collect_util::mock_instagram::{self, Instagram, IG_USER};
use crate::collect_util::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use dengar::collect::http::Secret;
use dengar::collect::instagram::webhook::{router, WebhookSecrets};
use dengar::collect::Mention;
use dengar::pipeline::mentions::StoreInbox;
use dengar::store::Store;
use hmac::{Hmac, Mac};
use http_body_util::BodyExt;
use sha2::Sha256;
use std::sync::Arc;
use tower::ServiceExt;

const VERIFY: &str = "dengar-verify-7c1e";
const APP_SECRET: &str = "0f3b9c2d8e7a6b5c4d3e2f1a0b9c8d7e";

fn app(store: &Store) -> (Router, StoreInbox) {
    let inbox = StoreInbox::open(store).unwrap();
    let secrets = WebhookSecrets::new(Secret::new(VERIFY.into()), Secret::new(APP_SECRET.into()));
    let hook = router(secrets, Arc::new(inbox.clone()));
    (Router::new().nest("/webhooks/instagram", hook), inbox)
}

fn sign(body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(APP_SECRET.as_bytes()).unwrap();
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, String) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn get(query: &str) -> Request<Body> {
    Request::get(format!("/webhooks/instagram?{query}"))
        .body(Body::empty())
        .unwrap()
}

fn post(body: &str, signature: Option<&str>) -> Request<Body> {
    let mut r = Request::post("/webhooks/instagram").header("content-type", "application/json");
    if let Some(s) = signature {
        r = r.header("x-hub-signature-256", s);
    }
    r.body(Body::from(body.to_string())).unwrap()
}

fn delivery(changes: &[(&str, Option<&str>)]) -> String {
    let changes: Vec<String> = changes
        .iter()
        .map(|(media, comment)| match comment {
            Some(c) => format!(
                r#"{{"field":"mentions","value":{{"media_id":"{media}","comment_id":"{c}"}}}}"#
            ),
            None => format!(r#"{{"field":"mentions","value":{{"media_id":"{media}"}}}}"#),
        })
        .collect();
    format!(
        r#"{{"object":"instagram","entry":[{{"id":"{IG_USER}","time":1795000000,"changes":[{}]}}]}}"#,
        changes.join(",")
    )
}

#[tokio::test]
async fn verification_answers_the_challenge_only_with_the_verify_token() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (app, _) = app(&store);
    let ok = format!("hub.mode=subscribe&hub.verify_token={VERIFY}&hub.challenge=1158201444");
    assert_eq!(
        send(&app, get(&ok)).await,
        (StatusCode::OK, "1158201444".into())
    );
    let wrong = "hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444";
    assert_eq!(send(&app, get(wrong)).await.0, StatusCode::FORBIDDEN);
    let mode = format!("hub.mode=unsubscribe&hub.verify_token={VERIFY}&hub.challenge=1");
    assert_eq!(send(&app, get(&mode)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        send(&app, get("hub.mode=subscribe")).await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn signed_deliveries_are_recorded_and_unsigned_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (app, inbox) = app(&store);
    let body = delivery(&[
        ("18000000000000011", Some("17980000000000002")),
        ("18200000000000003", None),
    ]);

    // missing, malformed, wrong-key and other-body signatures: refused, nothing recorded
    for sig in [
        None,
        Some("sha1=abc".to_string()),
        Some("sha256=zz".to_string()),
        Some(sign(b"another body")),
        Some(sign(body.as_bytes()).replace("sha256=", "sha256=0")),
    ] {
        let (status, _) = send(&app, post(&body, sig.as_deref())).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{sig:?}");
    }
    assert!(inbox.pending().unwrap().is_empty());

    let (status, text) = send(&app, post(&body, Some(&sign(body.as_bytes())))).await;
    assert_eq!((status, text.as_str()), (StatusCode::OK, "EVENT_RECEIVED"));
    let pending = inbox.pending().unwrap();
    assert_eq!(pending.len(), 2);
    assert!(pending.contains(&Mention {
        ig_user_id: IG_USER.into(),
        media_id: "18000000000000011".into(),
        comment_id: Some("17980000000000002".into()),
    }));
    assert!(pending.contains(&Mention {
        ig_user_id: IG_USER.into(),
        media_id: "18200000000000003".into(),
        comment_id: None,
    }));
    // the same delivery again (Meta retries) records nothing new
    send(&app, post(&body, Some(&sign(body.as_bytes())))).await;
    assert_eq!(inbox.pending().unwrap().len(), 2);

    // a signed body that is not a delivery is a client error; other objects are ignored
    let junk = "{\"not\":\"a delivery\"";
    assert_eq!(
        send(&app, post(junk, Some(&sign(junk.as_bytes())))).await.0,
        StatusCode::BAD_REQUEST
    );
    let page = r#"{"object":"page","entry":[{"id":"1","changes":[{"field":"mentions","value":{"media_id":"5"}}]}]}"#;
    assert_eq!(
        send(&app, post(page, Some(&sign(page.as_bytes())))).await,
        (StatusCode::OK, "ignored".into())
    );
    assert_eq!(inbox.pending().unwrap().len(), 2);
}

#[test]
fn announced_mentions_and_tagged_media_are_harvested_then_forgotten() {
    let mock = Mock::start::<Instagram>();
    mock.add(3);
    let (mentionable, tagged) = {
        let mut st = mock.state.lock().unwrap();
        let base = st.base.unwrap();
        st.mentionable = (100..103).map(|seq| make_item(base, seq)).collect();
        st.tagged = (200..205).map(|seq| make_item(base, seq)).collect();
        (st.mentionable.clone(), st.tagged.clone())
    };
    let s = Setup::new(&[Instagram::section(&mock.base_url)], &[Instagram::TOKEN]);
    {
        // the webhook, in this process, records three mentions and one that was deleted since
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let store = Store::open(&s.data_dir()).unwrap();
        let (app, inbox) = app(&store);
        let body = delivery(&[
            (
                "18000000000000011",
                Some(&mock_instagram::mention_comment_id(&mentionable[0])),
            ),
            (
                "18000000000000012",
                Some(&mock_instagram::mention_comment_id(&mentionable[1])),
            ),
            (&mock_instagram::mention_media_id(&mentionable[2]), None),
            ("18000000000000013", Some("17000000000000404")),
        ]);
        let (status, _) = rt.block_on(send(&app, post(&body, Some(&sign(body.as_bytes())))));
        assert_eq!(status, StatusCode::OK);
        assert_eq!(inbox.pending().unwrap().len(), 4);
        store.flush().unwrap();
    }
    // the store is released once this process has dropped it
    wait_for("the store to be free", || {
        s.command(&["stats"]).output().unwrap().status.code() == Some(0)
    });

    let run = s.harvest(&["--platform", "instagram"]);
    assert_eq!(
        run.code,
        Some(2),
        "the deleted mention is reported: {run:?}"
    );
    let errors = run.errors("instagram").join("\n");
    assert!(errors.contains("17000000000000404"), "{errors}");
    let stored = s.stored();
    let mut expected = Instagram::expected(&mock.state.lock().unwrap().items.clone());
    expected.push(format!(
        "instagram:{}",
        mock_instagram::mention_comment_id(&mentionable[0])
    ));
    expected.push(format!(
        "instagram:{}",
        mock_instagram::mention_comment_id(&mentionable[1])
    ));
    expected.push(format!(
        "instagram:{}",
        mock_instagram::mention_media_id(&mentionable[2])
    ));
    expected.extend(
        tagged
            .iter()
            .map(|t| format!("instagram:{}", mock_instagram::tagged_id(t))),
    );
    assert_eq!(stored, set(expected));
    let c = s.post(&format!(
        "instagram:{}",
        mock_instagram::mention_comment_id(&mentionable[0])
    ));
    assert_eq!(c["text"], format!("@pemkot_bjm {}", mentionable[0].text));
    assert_eq!(c["reply_to"], "17999999999999999");
    assert_eq!(c["account"], "pemkot_bjm");
    let t = s.post(&format!(
        "instagram:{}",
        mock_instagram::tagged_id(&tagged[0])
    ));
    assert_eq!(t["author_handle"], tagged[0].author.as_str());

    // every mention was forgotten (the deleted one too): the next run asks for none
    let lookups = |m: &Mock| {
        m.state
            .lock()
            .unwrap()
            .requests
            .iter()
            .filter(|r| r.contains("fields=mentioned_"))
            .count()
    };
    let before = lookups(&mock);
    assert_eq!(before, 4);
    let again = s.harvest(&["--platform", "instagram"]);
    assert_eq!(again.code, Some(0), "{again:?}");
    assert_eq!(lookups(&mock), before);
    assert_eq!(again.count("instagram", "read"), 0);
}
