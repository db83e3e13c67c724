//! Server time of the review page on a store of 100,000 flagged items (the worst case: all of
//! them in the queue), through the real `Router` (`oneshot`, no socket), with a logged-in
//! session. Prints p50 / p95 / p99 / max per scenario; the issue's target is p95 < 100 ms for
//! the queue page. Run with `cargo bench --bench web_queue` (set `DENGAR_BENCH_ITEMS` for
//! another size). Numbers are recorded in `docs/web-bench.md`.

use axum::body::Body;
use axum::http::{header, Request};
use axum::Router;
use chrono::{Duration, Utc};
use dengar::catalog::Catalog;
use dengar::config::WebConfig;
use dengar::model::{Platform, Post, Prediction, Status};
use dengar::store::{Store, Transition};
use dengar::web::users::Role;
use dengar::web::{router, AppState};
use http_body_util::BodyExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;
use tower::ServiceExt;

const PLACES: [&str; 12] = [
    "Jl. Kayu Tangi",
    "Jl. A. Yani km 3",
    "Gg. Sepakat",
    "Sungai Bilu",
    "Kelayan",
    "Teluk Dalam",
    "Pasar Lama",
    "Jl. Veteran",
    "Sungai Andai",
    "Pekapuran",
    "Basirih",
    "Alalak",
];
const ISSUES: [(&str, &str); 10] = [
    ("jalan berlubang dan rusak parah", "dinas-pupr"),
    ("sampah menumpuk di TPS dan bau", "dlh"),
    ("lampu PJU mati sudah seminggu", "disperkim"),
    ("air PDAM keruh dan berbau", "pdam"),
    ("drainase tersumbat, tergenang tiap hujan", "dinas-pupr"),
    ("banjir rob masuk rumah warga", "bpbd"),
    ("lampu lalu lintas mati, macet", "dishub"),
    ("pedagang kaki lima menutup trotoar", "satpolpp"),
    ("antrean puskesmas lama sekali", "dinkes"),
    ("KK dan KTP-el belum jadi", "disdukcapil"),
];

fn seed(store: &Store, n: usize) {
    let mut rng = StdRng::seed_from_u64(2026);
    let now = Utc::now();
    let mut group = 0usize;
    let mut group_left = 0usize;
    for i in 0..n {
        let (issue, agency) = ISSUES[rng.gen_range(0..ISSUES.len())];
        let place = PLACES[rng.gen_range(0..PLACES.len())];
        let platform = Platform::ALL[rng.gen_range(0..5)];
        let text = format!(
            "@pemkot_bjm {issue} di {place}, RT {:02}. Mohon ditindaklanjuti, sudah {} hari. #{}",
            rng.gen_range(1..30),
            rng.gen_range(1..15),
            i
        );
        let post = Post {
            platform,
            native_id: format!("{}", 1_790_000_000_000_000_000u64 + i as u64),
            author_id: format!("{}", rng.gen_range(0..20_000)),
            author_handle: format!("warga{}", rng.gen_range(0..20_000)),
            text,
            created_at: now - Duration::minutes(rng.gen_range(0..60 * 24 * 60)),
            url: Some(format!("https://x.com/i/status/{i}")),
            reply_to: None,
            account: Some("pemkot_bjm".into()),
            raw: None,
        };
        store.insert_post(&post).unwrap();
        if group_left == 0 && rng.gen_bool(0.08) {
            group += 1;
            group_left = rng.gen_range(2..6);
        }
        let dup_group = (group_left > 0).then(|| {
            group_left -= 1;
            format!("g{group}")
        });
        let urgent = rng.gen_bool(0.05);
        let p = Prediction {
            model_id: "bench".into(),
            complaint: true,
            complaint_score: rng.gen_range(0.5..1.0),
            agency: Some(agency.into()),
            agency_scores: vec![(agency.into(), 0.8), ("lainnya".into(), 0.1)],
            urgency: if urgent { 0.9 } else { 0.1 },
            urgent,
            dup_group,
            reasons: vec![],
        };
        store
            .transition(
                &post.id().0,
                Transition::new(Status::Flagged, "dengar", "classify").prediction(p),
            )
            .unwrap();
    }
    store.flush().unwrap();
}

async fn request(app: &Router, path: &str, cookie: &str) -> (u16, String) {
    let req = Request::builder()
        .uri(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status().as_u16();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

async fn accept(app: &Router, id: &str, token: &str) -> u16 {
    let req = Request::post(format!("/api/v1/items/{id}/accept"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status().as_u16();
    let _ = resp.into_body().collect().await.unwrap();
    status
}

fn row(name: &str, times: &mut [f64], size: usize) {
    times.sort_by(f64::total_cmp);
    println!(
        "| {name} | {:.2} | {:.2} | {:.2} | {:.2} | {} KB |",
        pct(times, 0.5),
        pct(times, 0.95),
        pct(times, 0.99),
        times[times.len() - 1],
        size / 1024
    );
}

async fn login(app: &Router) -> String {
    let page = app
        .clone()
        .oneshot(Request::get("/login").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let login_cookie = page.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let body = String::from_utf8(
        page.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    let token = body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let form = format!("user=rina&password=bench-password-123&csrf={token}&next=%2F");
    let resp = app
        .clone()
        .oneshot(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, login_cookie)
                .body(Body::from(form))
                .unwrap(),
        )
        .await
        .unwrap();
    resp.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("dengar_session="))
        .expect("logged in")
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let n: usize = std::env::var("DENGAR_BENCH_ITEMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let iters: usize = std::env::var("DENGAR_BENCH_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let t = Instant::now();
    seed(&store, n);
    println!(
        "seeded {n} flagged items in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let state = AppState::new(store.clone(), Catalog::embedded(), WebConfig::default()).unwrap();
    println!(
        "built the review index in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    state
        .users
        .add("rina", Role::Reviewer, "bench-password-123")
        .unwrap();
    let app = router(state.clone());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let cookie = rt.block_on(login(&app));
    let first = state
        .index
        .page(&dengar::web::index::Query::default())
        .entries
        .first()
        .map(|e| e.row.id.to_string())
        .expect("a flagged item");
    let some_item = format!("/item/{first}");
    let scenarios: Vec<(&str, String)> = vec![
        ("queue, first page", "/".into()),
        ("queue, page 500", "/?page=500".into()),
        ("queue, agency filter", "/?agency=dlh".into()),
        (
            "queue, platform + date range",
            format!(
                "/?platform=instagram&from={}&to={}",
                (Utc::now() - Duration::days(20)).format("%Y-%m-%d"),
                (Utc::now() - Duration::days(5)).format("%Y-%m-%d")
            ),
        ),
        ("queue, text search (common)", "/?q=sampah".into()),
        ("queue, text search (rare)", "/?q=warga1234".into()),
        (
            "queue, all filters",
            "/?agency=dinas-pupr&platform=x&q=kayu+tangi&page=2".into(),
        ),
        ("API queue (JSON)", "/api/v1/queue?agency=pdam".into()),
        ("item page", some_item),
        ("dashboard (30 days)", "/dashboard".into()),
    ];
    // DENGAR_BENCH_ONLY=dashboard runs only the scenarios whose name contains that text.
    let only = std::env::var("DENGAR_BENCH_ONLY").unwrap_or_default();
    let scenarios: Vec<(&str, String)> = scenarios
        .into_iter()
        .filter(|(name, _)| name.contains(only.as_str()))
        .collect();
    println!(
        "\n{} iterations each, server time per request (ms):\n",
        iters
    );
    println!("| scenario | p50 | p95 | p99 | max | body |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, path) in &scenarios {
        let mut times = Vec::with_capacity(iters);
        let mut size = 0;
        for i in 0..iters + 10 {
            let t = Instant::now();
            let (status, body) = rt.block_on(request(&app, path, &cookie));
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            assert_eq!(status, 200, "{path}");
            // each scenario renders what it claims: table rows, the item's forms, the charts
            let expect = match *name {
                "item page" => "id=\"accept-form\"",
                "dashboard (30 days)" => "<svg",
                "API queue (JSON)" => "\"rows\":[{",
                _ => "<tr class=",
            };
            assert!(
                body.contains(expect),
                "{name}: {}",
                &body[..body.len().min(500)]
            );
            size = body.len();
            if i >= 10 {
                times.push(ms);
            }
        }
        row(name, &mut times, size);
    }
    if !only.is_empty() && !"accept".contains(only.as_str()) {
        return;
    }
    // Decisions: accept the first flagged item through the API (one transaction + flush), then
    // load the queue, which first catches up with the change.
    let token = state.users.issue_token("rina").unwrap();
    let (mut decide, mut after) = (Vec::new(), Vec::new());
    let mut size = 0;
    for _ in 0..iters {
        let id = state
            .index
            .page(&dengar::web::index::Query::default())
            .entries
            .first()
            .map(|e| e.row.id.to_string())
            .expect("a flagged item");
        let t = Instant::now();
        assert_eq!(rt.block_on(accept(&app, &id, &token)), 200);
        decide.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let (status, body) = rt.block_on(request(&app, "/", &cookie));
        after.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(status, 200);
        assert!(
            !body.contains(&format!("data-id=\"{id}\"")),
            "{id} left the queue"
        );
        size = body.len();
    }
    row("accept (API, incl. flush)", &mut decide, 0);
    row("queue, right after a decision", &mut after, size);
}
