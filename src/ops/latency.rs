//! A small tower middleware that times every HTTP request into a Prometheus histogram,
//! labelled by method, route and status code.
//!
//! The route label is axum's [`MatchedPath`] (the route pattern, `/items/{id}`), never the raw
//! path: paths are chosen by whoever sends the request, and would otherwise let anyone grow the
//! metric without bound. Requests no route matched are labelled `unmatched`; methods outside the
//! standard set are labelled `other`. Apply it to the whole app with `Router::layer`, so the
//! matched path is known when it runs.

use super::metrics::Exposition;
use axum::extract::MatchedPath;
use axum::http::{Method, Request, Response};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Instant;
use tower::{Layer, Service};

/// Upper bounds of the latency buckets, in seconds.
pub const BUCKETS: [f64; 12] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

const NAME: &str = "dengar_http_request_duration_seconds";

#[derive(Debug, Clone, Default)]
struct Histogram {
    /// Non-cumulative counts per bucket; the last slot is +Inf.
    counts: [u64; BUCKETS.len() + 1],
    sum: f64,
    count: u64,
}

/// Request latencies per (method, route, status).
#[derive(Debug, Default)]
pub struct HttpMetrics {
    hist: Mutex<BTreeMap<(String, String, String), Histogram>>,
}

impl HttpMetrics {
    /// An empty registry, shared between the layer and the `/metrics` handler.
    pub fn new() -> Arc<HttpMetrics> {
        Arc::new(HttpMetrics::default())
    }

    /// Records one request.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut map = match self.hist.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        let h = map
            .entry((method.to_string(), route.to_string(), status.to_string()))
            .or_default();
        let slot = BUCKETS
            .iter()
            .position(|b| seconds <= *b)
            .unwrap_or(BUCKETS.len());
        h.counts[slot] += 1;
        h.sum += seconds;
        h.count += 1;
    }

    /// Number of requests recorded.
    pub fn requests(&self) -> u64 {
        let map = match self.hist.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        map.values().map(|h| h.count).sum()
    }

    /// Writes the histogram family.
    pub fn render(&self, e: &mut Exposition) {
        let map = match self.hist.lock() {
            Ok(m) => m.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        e.family(
            NAME,
            "histogram",
            "HTTP request latency by method, route and status.",
        );
        let bucket = format!("{NAME}_bucket");
        for ((method, route, status), h) in &map {
            let mut cumulative = 0;
            for (i, le) in BUCKETS.iter().enumerate() {
                cumulative += h.counts[i];
                let le = format!("{le}");
                e.sample(
                    &bucket,
                    &[
                        ("method", method),
                        ("route", route),
                        ("status", status),
                        ("le", &le),
                    ],
                    cumulative as f64,
                );
            }
            e.sample(
                &bucket,
                &[
                    ("method", method),
                    ("route", route),
                    ("status", status),
                    ("le", "+Inf"),
                ],
                h.count as f64,
            );
            let labels = [
                ("method", method.as_str()),
                ("route", route),
                ("status", status),
            ];
            e.sample(&format!("{NAME}_sum"), &labels, h.sum);
            e.sample(&format!("{NAME}_count"), &labels, h.count as f64);
        }
    }
}

/// The layer: `app.layer(LatencyLayer::new(metrics))`.
#[derive(Debug, Clone)]
pub struct LatencyLayer {
    metrics: Arc<HttpMetrics>,
}

impl LatencyLayer {
    /// A layer recording into `metrics`.
    pub fn new(metrics: Arc<HttpMetrics>) -> LatencyLayer {
        LatencyLayer { metrics }
    }
}

impl<S> Layer<S> for LatencyLayer {
    type Service = Latency<S>;

    fn layer(&self, inner: S) -> Latency<S> {
        Latency {
            inner,
            metrics: self.metrics.clone(),
        }
    }
}

/// The service the layer wraps around the app.
#[derive(Debug, Clone)]
pub struct Latency<S> {
    inner: S,
    metrics: Arc<HttpMetrics>,
}

fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

impl<S, B, RB> Service<Request<B>> for Latency<S>
where
    S: Service<Request<B>, Response = Response<RB>>,
    S::Future: Send + 'static,
    S::Error: 'static,
    RB: 'static,
{
    type Response = Response<RB>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<RB>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        let route = req
            .extensions()
            .get::<MatchedPath>()
            .map(|m| m.as_str().to_string())
            .unwrap_or_else(|| "unmatched".to_string());
        let method = method_label(req.method());
        let metrics = self.metrics.clone();
        let start = Instant::now();
        let fut = self.inner.call(req);
        Box::pin(async move {
            let res = fut.await;
            let status = res.as_ref().map_or(500, |r| r.status().as_u16());
            metrics.observe(method, &route, status, start.elapsed().as_secs_f64());
            res
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_end_with_inf() {
        let m = HttpMetrics::default();
        m.observe("GET", "/a", 200, 0.0005);
        m.observe("GET", "/a", 200, 0.2);
        m.observe("GET", "/a", 200, 60.0);
        let mut e = Exposition::default();
        m.render(&mut e);
        let t = e.finish();
        assert!(t.contains(r#"dengar_http_request_duration_seconds_bucket{method="GET",route="/a",status="200",le="0.001"} 1"#), "{t}");
        assert!(t.contains(r#"le="0.25"} 2"#), "{t}");
        assert!(t.contains(r#"le="10"} 2"#), "{t}");
        assert!(t.contains(r#"le="+Inf"} 3"#), "{t}");
        assert!(t.contains(r#"dengar_http_request_duration_seconds_count{method="GET",route="/a",status="200"} 3"#), "{t}");
        assert_eq!(m.requests(), 3);
    }
}
