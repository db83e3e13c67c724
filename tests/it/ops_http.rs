//! `/healthz` and `/metrics` over real HTTP: the ops router merged into an app and served on
//! 127.0.0.1:0, read with reqwest; the metrics parse as Prometheus text and count what the
//! binary's nightly runs recorded and what the server answered.

use crate::ops_util::*;
use dengar::config::Config;
use dengar::ops::http::{check_exposition, router};
use dengar::ops::latency::{HttpMetrics, LatencyLayer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_metrics_over_http() {
    let inst = Install::new();
    let mut posts = posts_jsonl(9, 0);
    posts.push_str("not json\n");
    let file = inst.write("posts.jsonl", posts);
    inst.config(&[&file], "");
    inst.run_ok(&["nightly"], 2);
    inst.run_ok(&["nightly"], 2);

    let store = open_store(&inst.data_dir());
    let metrics = HttpMetrics::new();
    let app = axum::Router::new()
        .route("/", axum::routing::get(|| async { "review app" }))
        .merge(router(store, &Config::default(), metrics.clone()))
        .layer(LatencyLayer::new(metrics));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let base = format!("http://{addr}");
    let client = reqwest::Client::new();

    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let h: serde_json::Value = health.json().await.unwrap();
    assert_eq!(h["status"], "ok");
    assert_eq!(h["store"], "ok");
    assert_eq!(h["last_run"]["id"], 2);
    assert_eq!(h["last_run"]["outcome"], "partial");
    assert!(h["last_run"]["age_seconds"].as_i64().unwrap() < 600);

    for _ in 0..3 {
        assert_eq!(
            client
                .get(format!("{base}/"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    assert_eq!(
        client
            .get(format!("{base}/nope"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    let m = client.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(m.status(), 200);
    assert!(m.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = m.text().await.unwrap();
    check_exposition(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert!(
        text.contains("dengar_runs_total{outcome=\"partial\"} 2\n"),
        "{text}"
    );
    assert!(text.contains("dengar_posts_harvested_total 18\n"), "{text}");
    assert!(text.contains("dengar_posts_new_total 9\n"), "{text}");
    assert!(
        text.contains("dengar_run_errors_total{platform=\"file\"} 2\n"),
        "{text}"
    );
    assert!(text.contains("dengar_last_run_id 2\n"), "{text}");
    assert!(text.contains("dengar_last_run_success 0\n"), "{text}");
    let flagged = text
        .lines()
        .find_map(|l| l.strip_prefix("dengar_items{status=\"flagged\"} "))
        .unwrap();
    assert!(
        text.contains(&format!("dengar_backlog_items {flagged}\n")),
        "{text}"
    );
    assert!(text.contains(
        "dengar_http_request_duration_seconds_count{method=\"GET\",route=\"/\",status=\"200\"} 3\n"
    ), "{text}");
    assert!(text.contains("route=\"/healthz\",status=\"200\""), "{text}");
    assert!(
        text.contains("route=\"unmatched\",status=\"404\""),
        "{text}"
    );
    server.abort();
}
