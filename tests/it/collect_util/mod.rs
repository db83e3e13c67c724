//! Helpers of the collector integration tests (`collect_*` modules): mock platform servers on
//! 127.0.0.1:0 (axum, on one background runtime shared by all tests), the generic fixture items
//! they serve, scheduled faults, and running the real `dengar` binary against them with a
//! temporary store.

pub mod mock_facebook;
pub mod mock_instagram;
pub mod mock_mastodon;
pub mod mock_x;
pub mod mock_youtube;

use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

/// The runtime every mock server runs on.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("test runtime")
    })
}

/// Serves a router on 127.0.0.1:0 and returns its address.
pub fn serve(router: Router) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let addr = listener.local_addr().expect("addr");
    runtime().spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
        let _ = axum::serve(listener, router).await;
    });
    addr
}

/// Serves the router `make` builds from the server's own base URL (`http://127.0.0.1:port`),
/// for mocks whose answers link back to themselves. Returns the base URL.
pub fn serve_with_base(make: impl FnOnce(String) -> Router) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let router = make(base.clone());
    runtime().spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
        let _ = axum::serve(listener, router).await;
    });
    base
}

/// One citizen item: a post, a comment or a reply, depending on the platform mock.
#[derive(Debug, Clone)]
pub struct Item {
    /// 1, 2, 3, … in creation order.
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub author: String,
    pub text: String,
    /// A reply to this earlier item, chosen by the test (mocks with replies honour it besides
    /// their own rules; YouTube: a late reply on an old thread).
    pub reply_to: Option<u64>,
}

/// Texts the fixtures cycle through (written for these tests).
const TEXTS: [&str; 6] = [
    "jalan di Jl. Veteran berlubang lagi, motor ulun nyaris jatuh",
    "lampu PJU di Gg. Sepakat mati sudah seminggu, gelap banar malam",
    "sampah di TPS Pasar Lama kada diangkut tiga hari, bau banar",
    "banyu PDAM di Kelayan mati dari subuh, kapan hidup lagi?",
    "terima kasih pemko, taman siring sudah rapi sekarang",
    "antrian KTP-el di Disdukcapil panjang banar, mohon ditambah loket",
];

/// A fault a mock answers one request with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The platform's rate limit with a reset within `max_wait_secs`.
    RateLimit,
    /// The platform's rate limit (or exhausted quota) with a reset far beyond it.
    RateLimitLong,
    /// A 5xx.
    ServerError,
    /// A 200 whose body is not JSON.
    Malformed,
}

/// What a mock knows and records.
#[derive(Debug, Default)]
pub struct MockState {
    pub items: Vec<Item>,
    /// Faults by 1-based request number (counting every request the mock gets).
    pub faults: Vec<(usize, Fault)>,
    /// Every request answered so far (path and query).
    pub requests: Vec<String>,
    /// Native ids of the posts served in listings.
    pub served: Vec<String>,
    /// Block the first request that asks for a further page, until `released`.
    pub hang_on_next_page: bool,
    pub hanging: bool,
    pub released: bool,
    /// Items of secondary listings (Instagram: tagged media).
    pub tagged: Vec<Item>,
    /// Items only reachable by id (Instagram: comments and media announced by the webhook).
    pub mentionable: Vec<Item>,
    /// When the fixtures start.
    pub base: Option<DateTime<Utc>>,
}

/// A mock's shared state.
pub type Shared = Arc<Mutex<MockState>>;

impl MockState {
    /// Adds `n` new items, newer than every earlier one.
    pub fn add(&mut self, n: usize) -> Vec<Item> {
        let base = *self
            .base
            .get_or_insert_with(|| Utc::now() - Duration::days(2));
        let mut out = Vec::new();
        for _ in 0..n {
            let seq = self.items.len() as u64 + 1;
            let item = make_item(base, seq);
            self.items.push(item.clone());
            out.push(item);
        }
        out
    }
}

/// The `seq`-th fixture item.
pub fn make_item(base: DateTime<Utc>, seq: u64) -> Item {
    Item {
        seq,
        at: base + Duration::minutes(seq as i64 * 7),
        author: format!("warga_bjm{}", seq % 7),
        text: TEXTS[(seq as usize) % TEXTS.len()].to_string(),
        reply_to: None,
    }
}

/// A request as the mock sees it.
pub struct Req {
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
}

impl Req {
    pub fn new(uri: &Uri, headers: HeaderMap) -> Req {
        let query = uri
            .query()
            .and_then(|q| reqwest::Url::parse(&format!("http://mock/?{q}")).ok())
            .map(|u| {
                u.query_pairs()
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Req {
            path: uri.path().to_string(),
            query,
            headers,
        }
    }

    pub fn param(&self, k: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    }

    pub fn count(&self, k: &str) -> usize {
        self.query.iter().filter(|(key, _)| key == k).count()
    }

    pub fn segments(&self) -> Vec<&str> {
        self.path.trim_matches('/').split('/').collect()
    }

    pub fn bearer(&self) -> Option<&str> {
        self.headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
    }
}

/// The common start of every mock request: record it, answer a scheduled fault, or hang when
/// asked to block on a further page. `Err` is the response to send instead.
pub async fn begin(
    state: &Shared,
    req: &Req,
    next_page: bool,
    fault: fn(Fault) -> Response,
) -> Result<(), Response> {
    let (n, scheduled, hang) = {
        let mut s = state.lock().unwrap();
        let mut line = req.path.clone();
        let q: Vec<String> = req.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if !q.is_empty() {
            line.push('?');
            line.push_str(&q.join("&"));
        }
        s.requests.push(line);
        let n = s.requests.len();
        let scheduled = s.faults.iter().find(|(at, _)| *at == n).map(|(_, f)| *f);
        let hang = next_page && s.hang_on_next_page && !s.hanging;
        if hang {
            s.hanging = true;
        }
        (n, scheduled, hang)
    };
    let _ = n;
    if let Some(f) = scheduled {
        return Err(fault(f));
    }
    if hang {
        loop {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            if state.lock().unwrap().released {
                break;
            }
        }
        return Err((StatusCode::SERVICE_UNAVAILABLE, "released").into_response());
    }
    Ok(())
}

/// A 200 whose body is cut off mid-way.
pub fn malformed() -> Response {
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        "{\"data\":[{\"id\":\"1\",\"text\":\"jalan rus",
    )
        .into_response()
}

/// A JSON response.
pub fn json(status: StatusCode, v: serde_json::Value) -> Response {
    (
        status,
        [("content-type", "application/json")],
        v.to_string(),
    )
        .into_response()
}

/// One platform's mock, as the compliance suite drives it.
pub trait MockPlatform {
    /// The platform's name in config and store ids.
    const NAME: &'static str;
    /// Environment variable and value of its token.
    const TOKEN: (&'static str, &'static str);
    /// Starts the mock; returns the base URL to configure.
    fn start(state: Shared) -> String;
    /// The `[collect.<name>]` section pointing at `base_url`.
    fn section(base_url: &str) -> String;
    /// Store ids of the posts these items become.
    fn expected(items: &[Item]) -> Vec<String>;
}

/// A running mock with its state.
pub struct Mock {
    pub state: Shared,
    pub base_url: String,
}

impl Mock {
    pub fn start<P: MockPlatform>() -> Mock {
        let state = Shared::default();
        let base_url = P::start(state.clone());
        Mock { state, base_url }
    }

    pub fn add(&self, n: usize) -> Vec<Item> {
        self.state.lock().unwrap().add(n)
    }

    /// Adds one new item that replies to the item `parent` (a mock that has replies honours it).
    pub fn add_reply_to(&self, parent: u64) -> Item {
        let mut s = self.state.lock().unwrap();
        s.add(1);
        let item = s.items.last_mut().expect("just added");
        item.reply_to = Some(parent);
        item.clone()
    }

    pub fn fault(&self, at_request: usize, f: Fault) {
        self.state.lock().unwrap().faults.push((at_request, f));
    }

    /// Requests answered so far.
    pub fn requests(&self) -> usize {
        self.state.lock().unwrap().requests.len()
    }

    pub fn served(&self) -> Vec<String> {
        self.state.lock().unwrap().served.clone()
    }
}

/// Retry settings that keep tests fast.
pub const FAST_RETRIES: &str =
    "[collect]\nmax_retries = 4\nretry_base_ms = 5\nretry_max_ms = 40\ntimeout_secs = 5\ntime_budget_secs = 60\n";

/// A temporary data directory and config for `dengar` runs.
pub struct Setup {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
    pub env: Vec<(String, String)>,
}

impl Setup {
    /// A config with `[harvest] demo = false`, fast retries and the given sections.
    pub fn new(sections: &[String], env: &[(&str, &str)]) -> Setup {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("dengar.toml");
        let mut text = String::from("[harvest]\ndemo = false\n\n");
        text.push_str(FAST_RETRIES);
        for s in sections {
            text.push('\n');
            text.push_str(s);
        }
        std::fs::write(&config, text).expect("write config");
        Setup {
            dir,
            config,
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `dengar <args>` with this setup.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(crate::util::bin());
        c.arg("--data-dir")
            .arg(self.data_dir())
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env_remove("RUST_LOG")
            .env("RUST_LOG", "dengar=debug")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c
    }

    /// Runs `dengar harvest --json [extra]` to completion.
    pub fn harvest(&self, extra: &[&str]) -> Run {
        let mut args = vec!["harvest", "--json"];
        args.extend_from_slice(extra);
        let out = self.command(&args).output().expect("run dengar");
        Run::from(out)
    }

    /// Every stored item, through `dengar export --format jsonl --reveal-authors` (the store
    /// is only ever opened by the binary, one process at a time; authors are pseudonymised
    /// unless revealed).
    pub fn exported(&self) -> Vec<serde_json::Value> {
        let out = self
            .command(&["export", "--format", "jsonl", "--reveal-authors"])
            .output()
            .expect("run dengar export");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("export line is JSON"))
            .collect()
    }

    /// The stored posts' ids (`platform:native_id`), sorted.
    pub fn stored(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .exported()
            .iter()
            .map(|i| {
                format!(
                    "{}:{}",
                    i["post"]["platform"].as_str().unwrap_or("?"),
                    i["post"]["native_id"].as_str().unwrap_or("?")
                )
            })
            .collect();
        ids.sort();
        ids
    }

    /// The stored post with this id.
    pub fn post(&self, id: &str) -> serde_json::Value {
        self.exported()
            .into_iter()
            .map(|i| i["post"].clone())
            .find(|p| {
                format!(
                    "{}:{}",
                    p["platform"].as_str().unwrap_or(""),
                    p["native_id"].as_str().unwrap_or("")
                ) == id
            })
            .unwrap_or_else(|| panic!("no stored post {id}"))
    }
}

/// The outcome of a `dengar harvest --json` run.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub reports: Vec<serde_json::Value>,
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let reports = serde_json::from_str(&stdout).unwrap_or_default();
        Run {
            code: out.status.code(),
            stdout,
            stderr,
            reports,
        }
    }
}

impl Run {
    /// The report of one platform.
    pub fn report(&self, platform: &str) -> &serde_json::Value {
        self.reports
            .iter()
            .find(|r| r["source"] == platform)
            .unwrap_or_else(|| panic!("no report for {platform}: {self:?}"))
    }

    pub fn count(&self, platform: &str, field: &str) -> u64 {
        self.report(platform)[field].as_u64().unwrap_or(0)
    }

    pub fn errors(&self, platform: &str) -> Vec<String> {
        self.report(platform)["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn failed(&self, platform: &str) -> Option<String> {
        self.report(platform)["failed"].as_str().map(String::from)
    }
}

/// Sorted, deduplicated.
pub fn set(ids: impl IntoIterator<Item = String>) -> Vec<String> {
    ids.into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Waits until `cond` holds (up to 20 s).
pub fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Meta's timestamp format.
pub fn meta_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+0000").to_string()
}
