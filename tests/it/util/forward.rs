//! Forward test helpers: a mock LAPOR / Open311 receiver on
//! `127.0.0.1:0` that honours the idempotency key and counts what it received, a store seeded
//! with accepted items, and running the `dengar` binary.

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::TimeZone;
use dengar::model::{Decision, Platform, Post, Status};
use dengar::store::{Store, Transition};
use std::collections::HashMap;
use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How the receiver behaves for the next POSTs.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// Record and confirm.
    Ok,
    /// Answer this status this many times (without recording), then behave as `Ok`.
    FailNext(u32, u16),
    /// Refuse with this status and message (without recording).
    Reject(u16, String),
    /// Record the report, then never answer (until the client gives up or is killed).
    Stall,
    /// Record the report, then answer after this long.
    Slow(Duration),
}

/// Which protocol the receiver speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Lapor,
    Open311 { tokens: bool },
}

#[derive(Debug, Default)]
pub struct Seen {
    /// Every POST: (idempotency key, body).
    pub posts: Vec<(String, String)>,
    /// Reports recorded: idempotency key → tracking id, in arrival order.
    pub recorded: Vec<(String, String)>,
    /// Status per tracking id (for follow-up).
    pub status: HashMap<String, (String, String)>,
    /// Auth headers seen.
    pub auth: Vec<String>,
}

struct Shared {
    protocol: Protocol,
    mode: Mutex<Mode>,
    seen: Mutex<Seen>,
}

/// A running mock receiver.
#[derive(Clone)]
pub struct Receiver {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
}

impl Receiver {
    /// Starts a receiver on its own thread and runtime.
    pub fn start(protocol: Protocol) -> Receiver {
        let shared = Arc::new(Shared {
            protocol,
            mode: Mutex::new(Mode::Ok),
            seen: Mutex::new(Seen::default()),
        });
        let (tx, rx) = std::sync::mpsc::channel();
        let s = shared.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let app = axum::Router::new()
                    .route("/api/laporan", post(create).get(health))
                    .route("/api/laporan/{id}", get(lapor_status))
                    .route("/v2/requests.json", post(create))
                    .route("/v2/services.json", get(services))
                    .route("/v2/requests/{file}", get(open311_status))
                    .route("/v2/tokens/{file}", get(open311_token))
                    .with_state(s);
                let l = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                tx.send(l.local_addr().expect("addr")).expect("send addr");
                axum::serve(l, app).await.expect("serve");
            });
        });
        let addr = rx.recv().expect("receiver started");
        Receiver { addr, shared }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn set_mode(&self, m: Mode) {
        *self.shared.mode.lock().unwrap() = m;
    }

    /// Number of POSTs received.
    pub fn posts(&self) -> usize {
        self.shared.seen.lock().unwrap().posts.len()
    }

    /// Idempotency keys of every POST, in order.
    pub fn keys(&self) -> Vec<String> {
        self.shared
            .seen
            .lock()
            .unwrap()
            .posts
            .iter()
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Bodies of every POST.
    pub fn bodies(&self) -> Vec<String> {
        self.shared
            .seen
            .lock()
            .unwrap()
            .posts
            .iter()
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// Reports recorded on the receiver's side: (key, tracking id).
    pub fn recorded(&self) -> Vec<(String, String)> {
        self.shared.seen.lock().unwrap().recorded.clone()
    }

    pub fn auth_headers(&self) -> Vec<String> {
        self.shared.seen.lock().unwrap().auth.clone()
    }

    /// Sets the status the receiver reports for a tracking id.
    pub fn set_status(&self, tracking: &str, status: &str, note: &str) {
        self.shared
            .seen
            .lock()
            .unwrap()
            .status
            .insert(tracking.to_string(), (status.to_string(), note.to_string()));
    }
}

fn json(status: u16, v: serde_json::Value) -> Response {
    (
        StatusCode::from_u16(status).unwrap(),
        [("content-type", "application/json")],
        v.to_string(),
    )
        .into_response()
}

fn receipt_body(p: Protocol, tracking: &str) -> serde_json::Value {
    match p {
        Protocol::Lapor => serde_json::json!({"success": true, "data": {"tracking_id": tracking}}),
        Protocol::Open311 { tokens: false } => {
            serde_json::json!([{"service_request_id": tracking, "service_notice": "diterima"}])
        }
        Protocol::Open311 { tokens: true } => {
            serde_json::json!([{"token": format!("tok-{tracking}")}])
        }
    }
}

async fn create(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = String::from_utf8_lossy(&body).into_owned();
    let mode = {
        let mut seen = s.seen.lock().unwrap();
        seen.posts.push((key.clone(), body));
        if let Some(a) = headers.get("authorization").and_then(|v| v.to_str().ok()) {
            seen.auth.push(a.to_string());
        }
        let mut m = s.mode.lock().unwrap();
        let now = m.clone();
        if let Mode::FailNext(n, st) = &*m {
            *m = if *n <= 1 {
                Mode::Ok
            } else {
                Mode::FailNext(n - 1, *st)
            };
        }
        now
    };
    match mode {
        Mode::FailNext(_, st) => {
            return json(st, serde_json::json!({"message": "server sedang sibuk"}));
        }
        Mode::Reject(st, msg) => {
            return match s.protocol {
                Protocol::Lapor => json(st, serde_json::json!({"message": msg})),
                Protocol::Open311 { .. } => {
                    json(st, serde_json::json!([{"code": st, "description": msg}]))
                }
            };
        }
        _ => {}
    }
    // honour the idempotency key: the same key is the same report
    let tracking = {
        let mut seen = s.seen.lock().unwrap();
        match seen
            .recorded
            .iter()
            .find(|(k, _)| *k == key && !key.is_empty())
        {
            Some((_, t)) => t.clone(),
            None => {
                let t = format!("LAP-{:04}", seen.recorded.len() + 1);
                seen.recorded.push((key.clone(), t.clone()));
                t
            }
        }
    };
    match mode {
        Mode::Stall => tokio::time::sleep(Duration::from_secs(600)).await,
        Mode::Slow(d) => tokio::time::sleep(d).await,
        _ => {}
    }
    json(201, receipt_body(s.protocol, &tracking))
}

async fn health() -> Response {
    json(200, serde_json::json!({"ok": true}))
}

async fn services() -> Response {
    json(
        200,
        serde_json::json!([{"service_code": "jalan-rusak", "service_name": "Jalan rusak"}]),
    )
}

async fn lapor_status(State(s): State<Arc<Shared>>, UrlPath(id): UrlPath<String>) -> Response {
    let seen = s.seen.lock().unwrap();
    match seen.status.get(&id) {
        Some((st, note)) => json(
            200,
            serde_json::json!({"data": {"status": st, "tindak_lanjut": note}}),
        ),
        None => json(
            404,
            serde_json::json!({"message": "laporan tidak ditemukan"}),
        ),
    }
}

async fn open311_status(State(s): State<Arc<Shared>>, UrlPath(file): UrlPath<String>) -> Response {
    let id = file.trim_end_matches(".json");
    let seen = s.seen.lock().unwrap();
    match seen.status.get(id) {
        Some((st, note)) => json(
            200,
            serde_json::json!([{"service_request_id": id, "status": st, "status_notes": note,
                "updated_datetime": "2026-11-25T10:00:00+08:00"}]),
        ),
        None => json(
            404,
            serde_json::json!([{"code": 404, "description": "not found"}]),
        ),
    }
}

async fn open311_token(UrlPath(file): UrlPath<String>) -> Response {
    let token = file.trim_end_matches(".json");
    let id = token.trim_start_matches("tok-");
    json(
        200,
        serde_json::json!([{"service_request_id": id, "token": token}]),
    )
}

/// A port nobody listens on.
pub fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// One post to seed: id, text, agency, and the item it is merged into.
pub struct Seed {
    pub id: &'static str,
    pub text: &'static str,
    pub agency: &'static str,
    pub merged_into: Option<&'static str>,
}

/// Stores posts and walks them to `accepted` as a reviewer would; returns their item ids.
pub fn seed(data_dir: &Path, seeds: &[Seed]) -> Vec<String> {
    let store = Store::open(data_dir).unwrap();
    let mut ids = Vec::new();
    for (n, s) in seeds.iter().enumerate() {
        let post = Post {
            platform: Platform::X,
            native_id: s.id.to_string(),
            author_id: format!("a{n}"),
            author_handle: format!("warga{n}"),
            text: s.text.to_string(),
            created_at: chrono::Utc
                .with_ymd_and_hms(2026, 11, 20, 1, 30 + n as u32, 0)
                .unwrap(),
            url: Some(format!("https://x.com/warga{n}/status/{}", s.id)),
            reply_to: None,
            account: Some("pemkot_bjm".into()),
            raw: None,
        };
        store.insert_post(&post).unwrap();
        let id = post.id().0;
        store
            .transition(&id, Transition::new(Status::Flagged, "dengar", "classify"))
            .unwrap();
        store
            .transition(
                &id,
                Transition::new(Status::Accepted, "rina", "accept").decision(Decision {
                    by: "rina".into(),
                    agency: Some(s.agency.to_string()),
                    merged_into: s.merged_into.map(|m| format!("x:{m}")),
                    ..Decision::default()
                }),
            )
            .unwrap();
        ids.push(id);
    }
    store.flush().unwrap();
    ids
}

/// A temporary data directory with a config file.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
}

impl Env {
    pub fn new(config_toml: &str) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("dengar.toml");
        std::fs::write(&config, format!("[harvest]\ndemo = false\n\n{config_toml}")).unwrap();
        Env { dir, config }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A `dengar` command with this data dir and config, and the test token.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(crate::util::bin());
        c.arg("--data-dir")
            .arg(self.data())
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env("DENGAR_LAPOR_TOKEN", "rahasia-token-uji")
            .env("DENGAR_OPEN311_API_KEY", "kunci-uji")
            .env_remove("DENGAR_DATA_DIR")
            .env_remove("DENGAR_CONFIG")
            .env("RUST_LOG", "warn");
        c
    }

    /// Runs `dengar` to the end.
    pub fn run(&self, args: &[&str]) -> Output {
        output(&mut self.cmd(args))
    }

    /// Opens the store in the test process (see [`LOCKED`]).
    pub fn store(&self) -> Store {
        let start = Instant::now();
        loop {
            match Store::open(&self.data()) {
                Ok(s) => return s,
                Err(e) if e.to_string().contains(LOCKED) && start.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => panic!("cannot open the store: {e}"),
            }
        }
    }

    /// Spawns `dengar ARGS` and returns once `rx` has received `posts` requests from it.
    pub fn spawn_until_posted(&self, args: &[&str], rx: &Receiver, posts: usize) -> Child {
        let start = Instant::now();
        loop {
            let mut child = self
                .cmd(args)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            loop {
                if rx.posts() >= posts {
                    return child;
                }
                if let Some(status) = child.try_wait().unwrap() {
                    let mut err = String::new();
                    if let Some(mut e) = child.stderr.take() {
                        let _ = e.read_to_string(&mut err);
                    }
                    assert!(
                        err.contains(LOCKED) && start.elapsed() < LOCK_WAIT,
                        "dengar {args:?} ended ({status}) before sending: {err}"
                    );
                    break;
                }
                assert!(
                    start.elapsed() < Duration::from_secs(60),
                    "no request arrived"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// sled releases its directory lock from background threads a moment after the last handle is
/// dropped, so a store the test process just closed can still be locked for a child (or a
/// reopen) on a busy machine. The helpers wait for the lock instead of failing.
pub const LOCKED: &str = "could not acquire lock";
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Runs a `dengar` command to the end, again while the store is still locked (see [`LOCKED`]).
pub fn output(cmd: &mut Command) -> Output {
    let start = Instant::now();
    loop {
        let o = cmd.output().unwrap();
        let locked =
            o.status.code() == Some(1) && String::from_utf8_lossy(&o.stderr).contains(LOCKED);
        if !locked || start.elapsed() > LOCK_WAIT {
            return o;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// stdout + stderr, for assertion messages.
pub fn text(o: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A LAPOR config section pointing at a receiver.
pub fn lapor_config(url: &str, extra: &str) -> String {
    format!(
        "[forward]\ntarget = \"lapor\"\n\n[forward.retry]\nmax_attempts = 3\ninitial_backoff_ms = 10\nmax_backoff_ms = 50\n\n[forward.lapor]\nurl = \"{url}\"\n{extra}\n"
    )
}
