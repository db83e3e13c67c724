//! LAPOR forwarder tests: the payload mapping, receipts by JSON pointer, and the shared
//! compliance checks against a real local HTTP receiver.

use super::*;
use crate::forward::forwarder::Forwarder;
use crate::forward::http::Secret;
use crate::forward::testing::{compliance, outgoing, quick_policy, Answer, Receiver};
use axum::http::Method;

fn cfg(url: &str) -> LaporConfig {
    LaporConfig::with_url(url)
}

#[test]
fn default_mapping_sends_every_field() {
    let v = payload(&cfg("http://x/api"), &outgoing("dgr-1"));
    assert_eq!(v["judul"], "Jalan berlubang di Jl. Kayu Tangi 2");
    assert_eq!(v["klasifikasi"], "pengaduan");
    assert_eq!(
        v["instansi_tujuan"],
        "Dinas Pekerjaan Umum dan Penataan Ruang Kota Banjarmasin"
    );
    assert_eq!(v["tanggal_kejadian"], "2026-11-13");
    assert_eq!(v["anonim"], true);
    assert_eq!(v["rahasia"], false);
    assert_eq!(v["sumber"][0], "https://x.com/warga/status/1");
    assert_eq!(v["lampiran"][0], "https://pbs.example/foto.jpg");
    assert_eq!(v["referensi"], "dgr-1");
}

#[test]
fn mapping_renames_nests_omits_and_adds() {
    let toml_text = r#"
        url = "http://x/api"
        date_format = "%d/%m/%Y"
        [fields]
        judul = "laporan.title"
        isi = "laporan.content"
        lampiran = ""
        [klasifikasi_values]
        pengaduan = "1"
        [extra]
        kanal = "media sosial"
        "laporan.sumber_kanal" = 7
    "#;
    let c: LaporConfig = toml::from_str(toml_text).unwrap();
    assert!(c.problems().is_empty(), "{:?}", c.problems());
    let v = payload(&c, &outgoing("dgr-1"));
    assert_eq!(v["laporan"]["title"], "Jalan berlubang di Jl. Kayu Tangi 2");
    assert!(v["laporan"]["content"]
        .as_str()
        .unwrap()
        .contains("jalan berlubang"));
    assert_eq!(v["laporan"]["sumber_kanal"], 7);
    assert_eq!(v["klasifikasi"], "1");
    assert_eq!(v["tanggal_kejadian"], "13/11/2026");
    assert_eq!(v["kanal"], "media sosial");
    assert!(v.get("lampiran").is_none());
    assert!(v.get("judul").is_none());
}

#[test]
fn config_problems_name_the_key() {
    let mut c = cfg("not a url");
    c.tracking_pointer = "data.id".into();
    c.status_url = Some("http://x/status".into());
    c.auth_header = "Bad Header".into();
    c.date_format = "%Q".into();
    let keys: Vec<String> = c.problems().into_iter().map(|(k, _)| k).collect();
    for k in [
        "url",
        "tracking_pointer",
        "status_url",
        "auth_header",
        "date_format",
    ] {
        assert!(keys.iter().any(|x| x == k), "{k} missing in {keys:?}");
    }
}

#[test]
fn missing_token_is_named_and_never_printed() {
    let mut c = cfg("http://127.0.0.1:9/api");
    c.token_env = "DENGAR_TEST_TOKEN_THAT_IS_NOT_SET".into();
    let err = LaporForwarder::build(&c, quick_policy(1)).unwrap_err();
    assert!(
        err.to_string()
            .contains("DENGAR_TEST_TOKEN_THAT_IS_NOT_SET"),
        "{err}"
    );
    let f = LaporForwarder::with_token(
        &cfg("http://x/api"),
        Secret::new("s3cret-token"),
        quick_policy(1),
    )
    .unwrap();
    let shown = format!("{f:?} {}", f.preview(&outgoing("dgr-1")).unwrap());
    assert!(!shown.contains("s3cret-token"), "{shown}");
}

fn make(r: &Receiver, timeout_ms: u64, attempts: u32) -> LaporForwarder {
    let mut c = cfg(&r.url("/api/laporan"));
    c.timeout_ms = timeout_ms;
    LaporForwarder::with_token(&c, Secret::new("tok-123"), quick_policy(attempts)).unwrap()
}

#[tokio::test]
async fn compliance_with_a_local_receiver() {
    compliance(
        make,
        r#"{"data":{"tracking_id":"LAP-2026-0001"}}"#,
        "LAP-2026-0001",
        Answer::json(422, r#"{"message":"kategori tidak dikenal"}"#),
        "kategori tidak dikenal",
    )
    .await;
}

#[tokio::test]
async fn request_carries_token_key_and_json() {
    let r = Receiver::start(
        vec![],
        Answer::json(201, r#"{"data":{"tracking_id":12345}}"#),
    )
    .await;
    let f = make(&r, 5_000, 1);
    let receipt = f.send(&outgoing("dgr-77")).await.unwrap();
    assert_eq!(receipt.tracking_id, "12345");
    let seen = r.seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.method, Method::POST);
    assert_eq!(s.path, "/api/laporan");
    assert_eq!(s.headers["authorization"], "Bearer tok-123");
    assert_eq!(s.headers["idempotency-key"], "dgr-77");
    let body: serde_json::Value = serde_json::from_str(&s.body).unwrap();
    assert_eq!(body["referensi"], "dgr-77");
}

#[tokio::test]
async fn status_and_health() {
    let r = Receiver::start(
        vec![Answer::json(
            200,
            r#"{"data":{"status":"proses","tindak_lanjut":"sudah diteruskan ke bidang jalan"}}"#,
        )],
        Answer::json(200, "{}"),
    )
    .await;
    let mut c = cfg(&r.url("/api/laporan"));
    c.status_url = Some(r.url("/api/laporan/{tracking_id}"));
    c.health_url = Some(r.url("/api/ping"));
    let f = LaporForwarder::with_token(&c, Secret::new("t"), quick_policy(1)).unwrap();
    assert!(f.supports_status());
    let st = f.status("LAP/1").await.unwrap();
    assert_eq!(st.status, "proses");
    assert_eq!(st.note.as_deref(), Some("sudah diteruskan ke bidang jalan"));
    f.healthcheck().await.unwrap();
    let seen = r.seen();
    assert_eq!(seen[0].path, "/api/laporan/LAP%2F1");
    assert_eq!(seen[1].path, "/api/ping");
}

#[tokio::test]
async fn retry_after_is_read_and_429_is_retried() {
    let r = Receiver::start(
        vec![Answer::json(429, r#"{"message":"terlalu banyak permintaan"}"#).retry_after(0)],
        Answer::json(200, r#"{"data":{"tracking_id":"LAP-9"}}"#),
    )
    .await;
    let f = make(&r, 5_000, 1);
    let err = f.send(&outgoing("dgr-9")).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(std::time::Duration::ZERO));
    assert!(err.retryable() && err.stops_run());
    assert!(
        err.to_string().contains("terlalu banyak permintaan"),
        "{err}"
    );
    let f = make(&r, 5_000, 2);
    let d = crate::forward::deliver(&f, &outgoing("dgr-9"), |_| {}).await;
    assert_eq!(d.result.unwrap().tracking_id, "LAP-9");
}
