//! Open311 forwarder tests: the form, receipts by request id or token, status follow-up, and
//! the shared compliance checks against a real local HTTP receiver.

use super::*;
use crate::forward::forwarder::Forwarder;
use crate::forward::http::Secret;
use crate::forward::testing::{compliance, outgoing, quick_policy, Answer, Receiver};

fn cfg(base: &str) -> Open311Config {
    let mut c = Open311Config::with_base_url(base, "umum");
    c.service_codes
        .insert("dinas-pupr".into(), "jalan-rusak".into());
    c
}

fn form_map(body: &str) -> std::collections::BTreeMap<String, String> {
    url_pairs(body).into_iter().collect()
}

fn url_pairs(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn form_maps_the_agency_and_the_place() {
    let f = form(&cfg("http://x"), &outgoing("dgr-1")).unwrap();
    let m: std::collections::BTreeMap<_, _> = f.into_iter().collect();
    assert_eq!(m["service_code"], "jalan-rusak");
    assert_eq!(
        m["address_string"],
        "Jl. Kayu Tangi 2, Kec. Banjarmasin Utara, Kota Banjarmasin"
    );
    assert!(m["description"].starts_with("Jalan berlubang di Jl. Kayu Tangi 2\n\n"));
    assert_eq!(m["media_url"], "https://pbs.example/foto.jpg");
    let mut o = outgoing("dgr-2");
    o.draft.agency = "dlh".into();
    let m: std::collections::BTreeMap<_, _> =
        form(&cfg("http://x"), &o).unwrap().into_iter().collect();
    assert_eq!(m["service_code"], "umum");
    let mut c = cfg("http://x");
    c.default_service_code = None;
    let err = form(&c, &o).unwrap_err();
    assert!(err.to_string().contains("agency `dlh`"), "{err}");
    assert!(!err.retryable());
}

#[test]
fn long_descriptions_are_cut() {
    let mut o = outgoing("dgr-1");
    o.draft.isi = "x".repeat(10_000);
    let m: std::collections::BTreeMap<_, _> =
        form(&cfg("http://x"), &o).unwrap().into_iter().collect();
    assert_eq!(m["description"].chars().count(), 4000);
}

fn make(r: &Receiver, timeout_ms: u64, attempts: u32) -> Open311Forwarder {
    let mut c = cfg(&r.url("/georeport/v2/"));
    c.timeout_ms = timeout_ms;
    Open311Forwarder::with_key(&c, Some(Secret::new("key-9")), quick_policy(attempts)).unwrap()
}

#[tokio::test]
async fn compliance_with_a_local_receiver() {
    compliance(
        make,
        r#"[{"service_request_id":"638344","service_notice":"akan ditindaklanjuti"}]"#,
        "638344",
        Answer::json(
            400,
            r#"[{"code":400,"description":"service_code not found"}]"#,
        ),
        "service_code not found",
    )
    .await;
}

#[tokio::test]
async fn posts_a_form_with_the_key_and_reads_a_token() {
    let r = Receiver::start(vec![], Answer::json(201, r#"[{"token":"12345"}]"#)).await;
    let f = make(&r, 5_000, 1);
    let receipt = f.send(&outgoing("dgr-5")).await.unwrap();
    assert_eq!(receipt.tracking_id, "token:12345");
    let s = &r.seen()[0];
    assert_eq!(s.path, "/georeport/v2/requests.json");
    assert_eq!(s.headers["idempotency-key"], "dgr-5");
    let m = form_map(&s.body);
    assert_eq!(m["api_key"], "key-9");
    assert_eq!(m["service_code"], "jalan-rusak");
    let shown = format!("{f:?} {}", f.preview(&outgoing("dgr-5")).unwrap());
    assert!(!shown.contains("key-9"), "{shown}");
}

#[tokio::test]
async fn status_resolves_tokens_then_reads_the_request() {
    let r = Receiver::start(
        vec![
            Answer::json(200, r#"[{"service_request_id":"638344","token":"12345"}]"#),
            Answer::json(
                200,
                r#"[{"service_request_id":"638344","status":"closed","status_notes":"lubang sudah ditambal","updated_datetime":"2026-11-25T10:00:00+08:00"}]"#,
            ),
        ],
        Answer::json(200, "[]"),
    )
    .await;
    let mut c = cfg(&r.url("/georeport/v2"));
    c.jurisdiction_id = Some("banjarmasin.go.id".into());
    let f = Open311Forwarder::with_key(&c, None, quick_policy(1)).unwrap();
    let st = f.status("token:12345").await.unwrap();
    assert_eq!(st.status, "closed");
    assert_eq!(st.note.as_deref(), Some("lubang sudah ditambal"));
    assert_eq!(st.resolved_id.as_deref(), Some("638344"));
    assert_eq!(
        st.updated_at.unwrap().to_rfc3339(),
        "2026-11-25T02:00:00+00:00"
    );
    let seen = r.seen();
    assert_eq!(seen[0].path, "/georeport/v2/tokens/12345.json");
    assert_eq!(seen[0].query, "jurisdiction_id=banjarmasin.go.id");
    assert_eq!(seen[1].path, "/georeport/v2/requests/638344.json");
    // healthcheck reads services.json
    f.healthcheck().await.unwrap();
    assert_eq!(r.seen()[2].path, "/georeport/v2/services.json");
}
