//! The Open311 HTTP client.

use super::config::Open311Config;
use super::models::{self, TOKEN_PREFIX};
use crate::forward::config::{ForwardConfigError, Target};
use crate::forward::forwarder::{FetchedStatus, Forwarder, Outgoing, Receipt, SendError};
use crate::forward::http::{self, Secret};
use crate::forward::retry::RetryPolicy;
use reqwest::header::ACCEPT;

/// Where GeoReport servers put their error text.
const MESSAGES: &[&str] = &["/0/description", "/description", "/message", "/error"];

/// Sends reports to an Open311 GeoReport v2 endpoint.
#[derive(Debug)]
pub struct Open311Forwarder {
    cfg: Open311Config,
    api_key: Option<Secret>,
    http: reqwest::Client,
    policy: RetryPolicy,
}

impl Open311Forwarder {
    /// Builds the client, reading the API key from the configured environment variable.
    pub fn build(cfg: &Open311Config, policy: RetryPolicy) -> Result<Self, ForwardConfigError> {
        let api_key = if cfg.api_key_env.trim().is_empty() {
            None
        } else {
            Some(http::secret_from_env(&cfg.api_key_env).ok_or_else(|| {
                ForwardConfigError::MissingSecret {
                    target: Target::Open311,
                    var: cfg.api_key_env.clone(),
                    what: "Open311 api_key",
                }
            })?)
        };
        Self::with_key(cfg, api_key, policy)
    }

    /// Builds the client with a given key (or none).
    pub fn with_key(
        cfg: &Open311Config,
        api_key: Option<Secret>,
        policy: RetryPolicy,
    ) -> Result<Self, ForwardConfigError> {
        let invalid = |message: String| ForwardConfigError::Invalid {
            target: Target::Open311,
            message,
        };
        if let Some((k, m)) = cfg.problems().into_iter().next() {
            return Err(invalid(format!("{k}: {m}")));
        }
        Ok(Open311Forwarder {
            http: http::client(cfg.timeout_ms).map_err(invalid)?,
            cfg: cfg.clone(),
            api_key,
            policy,
        })
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        self.cfg
            .jurisdiction_id
            .iter()
            .map(|j| ("jurisdiction_id", j.clone()))
            .collect()
    }

    async fn get(&self, path: &str) -> Result<String, SendError> {
        let url = format!("{}/{path}", self.cfg.base());
        let resp = self
            .http
            .get(url)
            .query(&self.query())
            .header(ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| http::transport(e, self.cfg.timeout_ms))?;
        if !resp.status().is_success() {
            return Err(http::error_response(resp, MESSAGES).await);
        }
        resp.text()
            .await
            .map_err(|e| http::transport(e, self.cfg.timeout_ms))
    }
}

impl Forwarder for Open311Forwarder {
    fn name(&self) -> &'static str {
        "open311"
    }

    fn retry_policy(&self) -> &RetryPolicy {
        &self.policy
    }

    async fn send(&self, report: &Outgoing) -> Result<Receipt, SendError> {
        let mut form = models::form(&self.cfg, report)?;
        if let Some(k) = &self.api_key {
            form.push(("api_key", k.expose().to_string()));
        }
        let resp = self
            .http
            .post(format!("{}/requests.json", self.cfg.base()))
            .header("Idempotency-Key", report.id.as_str())
            .header(ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|e| http::transport(e, self.cfg.timeout_ms))?;
        if !resp.status().is_success() {
            return Err(http::error_response(resp, MESSAGES).await);
        }
        let body = resp
            .text()
            .await
            .map_err(|e| http::transport(e, self.cfg.timeout_ms))?;
        models::receipt(&body)
    }

    async fn healthcheck(&self) -> Result<(), SendError> {
        self.get("services.json").await.map(|_| ())
    }

    fn supports_status(&self) -> bool {
        true
    }

    async fn status(&self, tracking_id: &str) -> Result<FetchedStatus, SendError> {
        let (request_id, resolved) = match tracking_id.strip_prefix(TOKEN_PREFIX) {
            Some(token) => {
                let body = self
                    .get(&format!("tokens/{}.json", http::url_segment(token)))
                    .await?;
                match models::token_request_id(&body)? {
                    Some(id) => (id.clone(), Some(id)),
                    None => {
                        return Ok(FetchedStatus {
                            status: "pending".into(),
                            note: Some(
                                "the server has not turned the token into a request yet".into(),
                            ),
                            updated_at: None,
                            resolved_id: None,
                        })
                    }
                }
            }
            None => (tracking_id.to_string(), None),
        };
        let body = self
            .get(&format!("requests/{}.json", http::url_segment(&request_id)))
            .await?;
        let mut st = models::status(&body)?;
        st.resolved_id = resolved;
        Ok(st)
    }

    fn preview(&self, report: &Outgoing) -> Result<String, SendError> {
        let form = models::form(&self.cfg, report)?;
        let mut out = format!(
            "POST {}/requests.json\nIdempotency-Key: {}\n",
            self.cfg.base(),
            report.id
        );
        for (k, v) in form {
            out.push_str(&format!("\n{k} = {v}"));
        }
        if self.api_key.is_some() {
            out.push_str("\napi_key = ***");
        }
        Ok(out)
    }
}
