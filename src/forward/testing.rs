//! Test harness for forwarders: a scripted HTTP receiver on `127.0.0.1:0` (axum) that answers
//! from a script, remembers every request, and the same compliance checks run against the LAPOR
//! and Open311 clients.

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One scripted answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub retry_after: Option<u64>,
    /// Wait this long before answering (to trigger client timeouts).
    pub delay: Duration,
}

impl Answer {
    pub fn json(status: u16, body: &str) -> Answer {
        Answer {
            status,
            body: body.to_string(),
            retry_after: None,
            delay: Duration::ZERO,
        }
    }

    pub fn slow(mut self, d: Duration) -> Answer {
        self.delay = d;
        self
    }

    pub fn retry_after(mut self, secs: u64) -> Answer {
        self.retry_after = Some(secs);
        self
    }
}

/// A request the receiver saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: Method,
    pub path: String,
    pub query: String,
    pub headers: HeaderMap,
    pub body: String,
}

#[derive(Default)]
struct State {
    script: Mutex<VecDeque<Answer>>,
    fallback: Mutex<Option<Answer>>,
    seen: Mutex<Vec<Seen>>,
}

/// The running receiver.
pub struct Receiver {
    pub addr: SocketAddr,
    state: Arc<State>,
}

impl Receiver {
    /// Starts a receiver that answers `script` in order, then `fallback` forever.
    pub async fn start(script: Vec<Answer>, fallback: Answer) -> Receiver {
        let state = Arc::new(State {
            script: Mutex::new(script.into()),
            fallback: Mutex::new(Some(fallback)),
            seen: Mutex::new(Vec::new()),
        });
        let s = state.clone();
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let s = s.clone();
                async move { answer(s, method, uri, headers, body).await }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { addr, state }
    }

    /// `http://127.0.0.1:port` + path.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().expect("lock").clone()
    }
}

async fn answer(
    state: Arc<State>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    state.seen.lock().expect("lock").push(Seen {
        method,
        path: uri.path().to_string(),
        query: uri.query().unwrap_or("").to_string(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let a = state
        .script
        .lock()
        .expect("lock")
        .pop_front()
        .or_else(|| state.fallback.lock().expect("lock").clone())
        .unwrap_or_else(|| Answer::json(500, "{}"));
    if !a.delay.is_zero() {
        tokio::time::sleep(a.delay).await;
    }
    let mut resp = (
        StatusCode::from_u16(a.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        a.body,
    )
        .into_response();
    if let Some(r) = a.retry_after {
        resp.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            r.to_string().parse().expect("header"),
        );
    }
    resp
}

/// A report to send in tests.
pub fn outgoing(id: &str) -> super::Outgoing {
    use crate::model::{Klasifikasi, ReportDraft};
    super::Outgoing {
        id: id.to_string(),
        draft: ReportDraft {
            judul: "Jalan berlubang di Jl. Kayu Tangi 2".into(),
            isi: "[1] Warga via x, 20-11-2026 09:30 WITA:\n\"jalan berlubang\"\n".into(),
            klasifikasi: Klasifikasi::Pengaduan,
            kategori: "Infrastruktur".into(),
            agency: "dinas-pupr".into(),
            instansi: "Dinas Pekerjaan Umum dan Penataan Ruang Kota Banjarmasin".into(),
            lokasi: Some("Jl. Kayu Tangi 2, Kec. Banjarmasin Utara".into()),
            tanggal_kejadian: chrono::NaiveDate::from_ymd_opt(2026, 11, 13),
            anonim: true,
            rahasia: false,
            sources: vec!["x:1".into()],
            created_at: chrono::Utc::now(),
        },
        source_urls: vec!["https://x.com/warga/status/1".into()],
        media_urls: vec!["https://pbs.example/foto.jpg".into()],
    }
}

/// A quick retry policy for tests (real sockets: no paused clock).
pub fn quick_policy(max_attempts: u32) -> super::RetryPolicy {
    super::RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        jitter: true,
    }
}

/// The compliance checks every HTTP forwarder passes. `make` builds the forwarder for a
/// receiver; `ok_body` is a success answer whose receipt is `want_id`; `rejected` a 4xx answer
/// whose message must reach the error.
pub async fn compliance<F, M>(
    make: M,
    ok_body: &str,
    want_id: &str,
    rejected: Answer,
    message: &str,
) where
    F: super::Forwarder,
    M: Fn(&Receiver, u64, u32) -> F,
{
    use super::deliver;

    // 500 then 200: delivered on the second attempt with the same idempotency key
    let r = Receiver::start(
        vec![Answer::json(500, "{\"message\":\"sibuk\"}")],
        Answer::json(200, ok_body),
    )
    .await;
    let f = make(&r, 5_000, 3);
    let d = deliver(&f, &outgoing("dgr-aaa"), |_| {}).await;
    assert_eq!(d.result.as_ref().expect("delivered").tracking_id, want_id);
    assert_eq!(d.attempts, 2);
    let keys: Vec<String> = r
        .seen()
        .iter()
        .filter(|s| s.method == Method::POST)
        .map(|s| {
            s.headers
                .get("idempotency-key")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(keys, ["dgr-aaa", "dgr-aaa"]);

    // a 4xx is permanent, not retried, and carries the receiver's message
    let r = Receiver::start(vec![rejected], Answer::json(200, ok_body)).await;
    let f = make(&r, 5_000, 3);
    let d = deliver(&f, &outgoing("dgr-bbb"), |_| {}).await;
    let err = d.result.expect_err("refused");
    assert_eq!(d.attempts, 1);
    assert!(!err.retryable(), "{err}");
    assert!(err.to_string().contains(message), "{err}");

    // a 2xx without a receipt is not a success
    let r = Receiver::start(vec![], Answer::json(200, "{\"ok\":true}")).await;
    let f = make(&r, 5_000, 3);
    let d = deliver(&f, &outgoing("dgr-ccc"), |_| {}).await;
    assert!(
        matches!(d.result, Err(super::SendError::NoReceipt(_))),
        "{:?}",
        d.result
    );
    assert_eq!(d.attempts, 1);

    // a receiver that does not answer in time: a timeout, retried, then left for the next run
    let r = Receiver::start(
        vec![],
        Answer::json(200, ok_body).slow(Duration::from_secs(5)),
    )
    .await;
    let f = make(&r, 200, 2);
    let d = deliver(&f, &outgoing("dgr-ddd"), |_| {}).await;
    let err = d.result.expect_err("timed out");
    assert!(matches!(err, super::SendError::Timeout(200)), "{err}");
    assert!(err.retryable() && err.stops_run());
    assert_eq!(d.attempts, 2);

    // nobody listening: a connection error, retryable, and the healthcheck says so
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    drop(l);
    let nobody = Receiver {
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
        state: Arc::new(State::default()),
    };
    let f_dead = make(&nobody, 1_000, 1);
    let d = deliver(&f_dead, &outgoing("dgr-eee"), |_| {}).await;
    let err = d.result.expect_err("no one there");
    assert!(err.retryable(), "{err}");
    assert!(f_dead.healthcheck().await.is_err());
}
