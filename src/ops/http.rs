//! Monitoring endpoints for `dengar serve`: `/healthz` (JSON: can the store be read, how old
//! is the last finished run) and `/metrics` (Prometheus text, see [`metrics`](super::metrics)).
//!
//! The review app merges [`router`] into its own and wraps the whole app in
//! [`LatencyLayer`](super::latency::LatencyLayer) with the same [`HttpMetrics`], so request
//! latencies of every page appear in `/metrics`:
//! ```no_run
//! # fn demo(store: dengar::store::Store, config: &dengar::config::Config, app: axum::Router) {
//! use dengar::ops::{http, latency::{HttpMetrics, LatencyLayer}};
//! let m = HttpMetrics::new();
//! let app = app.merge(http::router(store, config, m.clone())).layer(LatencyLayer::new(m));
//! # }
//! ```
//! `/healthz` answers 200 while the store can be read (the run's age is reported, and
//! `"status":"overdue"` when it passed `schedule.overdue_after_hours`) and 503 when it cannot.
//! Neither endpoint shows any post content; both are meant for the internal network (put them
//! behind the same access rules as the review app if that network is not trusted).

use super::latency::HttpMetrics;
use super::metrics;
use super::runs::Runs;
use crate::config::Config;
use crate::store::Store;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::sync::Arc;

#[derive(Clone)]
struct OpsState {
    store: Store,
    http: Arc<HttpMetrics>,
    overdue_after_hours: u32,
}

/// The `/healthz` and `/metrics` routes, ready to merge into an app of any state type.
pub fn router<S>(store: Store, config: &Config, http: Arc<HttpMetrics>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_handler))
        .with_state(OpsState {
            store,
            http,
            overdue_after_hours: config.schedule.overdue_after_hours,
        })
}

/// The health document and its HTTP status at time `now`.
pub fn health(
    store: &Store,
    overdue_after_hours: u32,
    now: DateTime<Utc>,
) -> (StatusCode, serde_json::Value) {
    let check = || -> Result<Option<super::runs::RunRecord>, crate::store::StoreError> {
        // a read through sled proves the store is open and answering
        store.tree("meta")?.get("schema")?;
        Runs::open(store)?.last_finished()
    };
    match check() {
        Ok(last) => {
            let age = last
                .as_ref()
                .map(|r| now.signed_duration_since(r.finished_at.unwrap_or(r.started_at)));
            let overdue =
                age.is_none_or(|a| a > chrono::Duration::hours(i64::from(overdue_after_hours)));
            let last_run = last.as_ref().map(|r| {
                json!({
                    "id": r.id,
                    "outcome": r.outcome(),
                    "finished_at": r.finished_at,
                    "age_seconds": age.map(|a| a.num_seconds().max(0)),
                    "errors": r.error_count(),
                })
            });
            (
                StatusCode::OK,
                json!({
                    "status": if overdue { "overdue" } else { "ok" },
                    "store": "ok",
                    "version": env!("CARGO_PKG_VERSION"),
                    "last_run": last_run,
                    "overdue_after_hours": overdue_after_hours,
                }),
            )
        }
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({
                "status": "error",
                "store": format!("error: {e}"),
                "version": env!("CARGO_PKG_VERSION"),
            }),
        ),
    }
}

async fn healthz(State(st): State<OpsState>) -> Response {
    let r =
        tokio::task::spawn_blocking(move || health(&st.store, st.overdue_after_hours, Utc::now()))
            .await;
    match r {
        Ok((code, body)) => (code, Json(body)).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"status": "error", "store": format!("health check failed: {e}")})),
        )
            .into_response(),
    }
}

async fn metrics_handler(State(st): State<OpsState>) -> Response {
    let r =
        tokio::task::spawn_blocking(move || metrics::render(&st.store, &st.http, Utc::now())).await;
    match r {
        Ok(Ok(text)) => ([(header::CONTENT_TYPE, metrics::CONTENT_TYPE)], text).into_response(),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "cannot render metrics");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("store error: {e}\n"),
            )
                .into_response()
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")).into_response(),
    }
}

/// Checks that `text` is valid Prometheus text exposition: every sample line is
/// `name{labels} value`, names and label names are legal, label values are properly quoted,
/// values are numbers, every sample belongs to a family whose `# TYPE` (and `# HELP`) came
/// before it, and a family is declared once. Returns the number of samples.
pub fn check_exposition(text: &str) -> Result<usize, String> {
    use std::collections::HashMap;
    fn legal_name(n: &str) -> bool {
        let mut chars = n.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    }
    let mut types: HashMap<String, String> = HashMap::new();
    let mut helps: HashMap<String, bool> = HashMap::new();
    let mut samples = 0;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            let kind = parts.next().unwrap_or_default();
            let name = parts.next().unwrap_or_default();
            let arg = parts.next().unwrap_or_default();
            match kind {
                "HELP" if !legal_name(name) || helps.insert(name.to_string(), true).is_some() => {
                    return Err(format!("line {n}: bad or repeated HELP for {name:?}"));
                }
                "TYPE" => {
                    if !["counter", "gauge", "histogram", "summary", "untyped"].contains(&arg) {
                        return Err(format!("line {n}: unknown type {arg:?}"));
                    }
                    if !legal_name(name)
                        || types.insert(name.to_string(), arg.to_string()).is_some()
                    {
                        return Err(format!("line {n}: bad or repeated TYPE for {name:?}"));
                    }
                }
                _ => {}
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        // name, optional {labels}, value
        let (name, after) = match line.find(['{', ' ']) {
            Some(p) => (&line[..p], &line[p..]),
            None => return Err(format!("line {n}: no value: {line:?}")),
        };
        if !legal_name(name) {
            return Err(format!("line {n}: illegal metric name {name:?}"));
        }
        let value_part = if let Some(labels) = after.strip_prefix('{') {
            // parse label pairs honouring escapes
            let mut chars = labels.char_indices().peekable();
            let mut end = None;
            loop {
                let start = match chars.peek() {
                    Some((_, '}')) => {
                        end = chars.next().map(|(p, _)| p);
                        break;
                    }
                    Some((p, _)) => *p,
                    None => break,
                };
                let mut eq = None;
                for (p, c) in chars.by_ref() {
                    if c == '=' {
                        eq = Some(p);
                        break;
                    }
                }
                let Some(eq) = eq else {
                    return Err(format!("line {n}: label without `=`"));
                };
                if !legal_name(&labels[start..eq]) || labels[start..eq].contains(':') {
                    return Err(format!(
                        "line {n}: illegal label name {:?}",
                        &labels[start..eq]
                    ));
                }
                if chars.next().map(|(_, c)| c) != Some('"') {
                    return Err(format!("line {n}: label value not quoted"));
                }
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some((_, '\\' | '"' | 'n')) => {}
                            _ => return Err(format!("line {n}: bad escape in label value")),
                        },
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\n' => return Err(format!("line {n}: newline in label value")),
                        _ => {}
                    }
                }
                if !closed {
                    return Err(format!("line {n}: unterminated label value"));
                }
                if let Some((_, ',')) = chars.peek() {
                    chars.next();
                }
            }
            let Some(end) = end else {
                return Err(format!("line {n}: labels not closed"));
            };
            &labels[end + 1..]
        } else {
            after
        };
        let mut fields = value_part.split_whitespace();
        let value = fields.next().ok_or(format!("line {n}: no value"))?;
        let ok_value = matches!(value, "+Inf" | "-Inf" | "NaN") || value.parse::<f64>().is_ok();
        if !ok_value {
            return Err(format!("line {n}: value {value:?} is not a number"));
        }
        if let Some(ts) = fields.next() {
            if ts.parse::<i64>().is_err() {
                return Err(format!("line {n}: bad timestamp {ts:?}"));
            }
        }
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| {
                name.strip_suffix(s).filter(|base| {
                    types
                        .get(*base)
                        .is_some_and(|t| t == "histogram" || t == "summary")
                })
            })
            .unwrap_or(name);
        if !types.contains_key(family) {
            return Err(format!("line {n}: sample {name:?} before its # TYPE line"));
        }
        if !helps.contains_key(family) {
            return Err(format!("line {n}: sample {name:?} before its # HELP line"));
        }
        samples += 1;
    }
    Ok(samples)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::latency::LatencyLayer;
    use crate::ops::runs::{RunState, Runs};
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    async fn get_text(app: &Router, path: &str) -> (StatusCode, String, Option<String>) {
        let res = app
            .clone()
            .oneshot(Request::builder().uri(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let ctype = res
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string());
        let body = res.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(body.to_vec()).unwrap(), ctype)
    }

    fn app(store: &Store) -> Router {
        let m = HttpMetrics::new();
        let review = Router::new().route("/items/{id}", get(|| async { "item" }));
        review
            .merge(router(store.clone(), &Config::default(), m.clone()))
            .layer(LatencyLayer::new(m))
    }

    #[tokio::test]
    async fn healthz_reports_store_and_last_run_age() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let app = app(&store);
        let (code, body, ctype) = get_text(&app, "/healthz").await;
        assert_eq!(code, StatusCode::OK);
        assert_eq!(ctype.as_deref(), Some("application/json"));
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["store"], "ok");
        assert_eq!(v["status"], "overdue", "no run yet");
        assert!(v["last_run"].is_null());

        let runs = Runs::open(&store).unwrap();
        let mut r = runs
            .start(Utc::now() - chrono::Duration::minutes(10), "h", 1)
            .unwrap();
        r.state = RunState::Finished;
        r.finished_at = Some(Utc::now() - chrono::Duration::minutes(5));
        r.ok = true;
        runs.save(&r).unwrap();
        let (_, body, _) = get_text(&app, "/healthz").await;
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["status"], "ok");
        assert_eq!(v["last_run"]["id"], 1);
        assert_eq!(v["last_run"]["outcome"], "ok");
        let age = v["last_run"]["age_seconds"].as_i64().unwrap();
        assert!((295..=400).contains(&age), "{age}");
    }

    #[tokio::test]
    async fn metrics_parse_as_prometheus_text_and_count_requests() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let runs = Runs::open(&store).unwrap();
        let mut r = runs.start(Utc::now(), "h", 1).unwrap();
        r.state = RunState::Finished;
        r.finished_at = Some(Utc::now());
        r.harvest.read = 12;
        r.classify.flagged = 4;
        r.push_error("harvest", Some("x:mentions"), Some("x"), "HTTP 503");
        runs.save(&r).unwrap();
        let app = app(&store);
        get_text(&app, "/items/instagram:1").await;
        get_text(&app, "/items/instagram:2").await;
        get_text(&app, "/no/such/page/%22evil").await;
        let (code, text, ctype) = get_text(&app, "/metrics").await;
        assert_eq!(code, StatusCode::OK);
        assert_eq!(ctype.as_deref(), Some(metrics::CONTENT_TYPE));
        let samples = check_exposition(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert!(samples > 20, "{samples}");
        assert!(
            text.contains("dengar_runs_total{outcome=\"partial\"} 1\n"),
            "{text}"
        );
        assert!(text.contains("dengar_posts_harvested_total 12\n"));
        assert!(text.contains("dengar_posts_flagged_total 4\n"));
        assert!(text.contains("dengar_run_errors_total{platform=\"x\"} 1\n"));
        assert!(text.contains("dengar_backlog_items 0\n"));
        // the route pattern, not the raw path; unknown paths collapse into one label
        assert!(text.contains(
            "dengar_http_request_duration_seconds_count{method=\"GET\",route=\"/items/{id}\",status=\"200\"} 2\n"
        ), "{text}");
        assert!(
            text.contains("route=\"unmatched\",status=\"404\""),
            "{text}"
        );
        assert!(!text.contains("evil"));
    }

    #[test]
    fn the_checker_rejects_broken_text() {
        let good = "# HELP a x\n# TYPE a counter\na{l=\"v\\\"\"} 1\n";
        assert_eq!(check_exposition(good), Ok(1));
        for bad in [
            "a 1\n",
            "# HELP a x\n# TYPE a counter\na{l=v} 1\n",
            "# HELP a x\n# TYPE a counter\na{l=\"v\"} one\n",
            "# HELP a x\n# TYPE a counter\na{l=\"v\" 1\n",
            "# HELP a x\n# TYPE a counter\n# TYPE a gauge\na 1\n",
            "# HELP a x\n# TYPE a counter\n1a 1\n",
            "# TYPE a counter\na 1\n",
        ] {
            assert!(check_exposition(bad).is_err(), "accepted {bad:?}");
        }
    }
}
