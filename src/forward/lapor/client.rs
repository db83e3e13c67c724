//! The LAPOR HTTP client: one POST per attempt with the token header and the idempotency key.

use super::config::LaporConfig;
use super::models;
use crate::forward::config::{ForwardConfigError, Target};
use crate::forward::forwarder::{FetchedStatus, Forwarder, Outgoing, Receipt, SendError};
use crate::forward::http::{self, Secret};
use crate::forward::retry::RetryPolicy;
use reqwest::header::{HeaderName, HeaderValue, ACCEPT};
use reqwest::{Method, RequestBuilder, Response};

/// Sends reports to the LAPOR integration API.
#[derive(Debug)]
pub struct LaporForwarder {
    cfg: LaporConfig,
    token: Secret,
    http: reqwest::Client,
    policy: RetryPolicy,
}

impl LaporForwarder {
    /// Builds the client, reading the token from the configured environment variable.
    pub fn build(cfg: &LaporConfig, policy: RetryPolicy) -> Result<Self, ForwardConfigError> {
        let token = http::secret_from_env(&cfg.token_env).ok_or_else(|| {
            ForwardConfigError::MissingSecret {
                target: Target::Lapor,
                var: cfg.token_env.clone(),
                what: "LAPOR API token",
            }
        })?;
        Self::with_token(cfg, token, policy)
    }

    /// Builds the client with a given token.
    pub fn with_token(
        cfg: &LaporConfig,
        token: Secret,
        policy: RetryPolicy,
    ) -> Result<Self, ForwardConfigError> {
        let invalid = |message: String| ForwardConfigError::Invalid {
            target: Target::Lapor,
            message,
        };
        if let Some((k, m)) = cfg.problems().into_iter().next() {
            return Err(invalid(format!("{k}: {m}")));
        }
        Ok(LaporForwarder {
            http: http::client(cfg.timeout_ms).map_err(invalid)?,
            cfg: cfg.clone(),
            token,
            policy,
        })
    }

    fn auth(&self) -> Result<(HeaderName, HeaderValue), SendError> {
        let name = HeaderName::from_bytes(self.cfg.auth_header.as_bytes())
            .map_err(|_| SendError::Invalid("bad auth header name".into()))?;
        let mut value =
            HeaderValue::from_str(&format!("{}{}", self.cfg.auth_prefix, self.token.expose()))
                .map_err(|_| SendError::Invalid("the token is not a valid header value".into()))?;
        value.set_sensitive(true);
        Ok((name, value))
    }

    /// A request to `url` carrying the token header.
    fn authed(&self, method: Method, url: &str) -> Result<RequestBuilder, SendError> {
        let (name, value) = self.auth()?;
        Ok(self.http.request(method, url).header(name, value))
    }

    /// Sends a request; not reaching the API is a transport error.
    async fn dispatch(&self, req: RequestBuilder) -> Result<Response, SendError> {
        req.send()
            .await
            .map_err(|e| http::transport(e, self.cfg.timeout_ms))
    }

    /// Sends a request and reads the body of its successful answer; any other answer is an
    /// error carrying the API's message.
    async fn body(&self, req: RequestBuilder) -> Result<String, SendError> {
        let resp = self.dispatch(req).await?;
        if !resp.status().is_success() {
            return Err(http::error_response(resp, &self.messages()).await);
        }
        resp.text()
            .await
            .map_err(|e| http::transport(e, self.cfg.timeout_ms))
    }

    fn messages(&self) -> Vec<&str> {
        self.cfg
            .message_pointers
            .iter()
            .map(String::as_str)
            .collect()
    }
}

impl Forwarder for LaporForwarder {
    fn name(&self) -> &'static str {
        "lapor"
    }

    fn retry_policy(&self) -> &RetryPolicy {
        &self.policy
    }

    async fn send(&self, report: &Outgoing) -> Result<Receipt, SendError> {
        let req = self
            .authed(Method::POST, &self.cfg.url)?
            .header("Idempotency-Key", report.id.as_str())
            .header(ACCEPT, "application/json")
            .json(&models::payload(&self.cfg, report));
        let body = self.body(req).await?;
        models::receipt(&self.cfg, &body)
    }

    async fn healthcheck(&self) -> Result<(), SendError> {
        match &self.cfg.health_url {
            Some(url) => {
                let resp = self.dispatch(self.authed(Method::GET, url)?).await?;
                if resp.status().is_success() {
                    Ok(())
                } else {
                    Err(http::error_response(resp, &self.messages()).await)
                }
            }
            None => {
                // without a health endpoint, any answer below 500 shows the API is reachable
                let resp = self.dispatch(self.http.head(&self.cfg.url)).await?;
                if resp.status().is_server_error() {
                    Err(http::error_response(resp, &self.messages()).await)
                } else {
                    Ok(())
                }
            }
        }
    }

    fn supports_status(&self) -> bool {
        self.cfg.status_url.is_some()
    }

    async fn status(&self, tracking_id: &str) -> Result<FetchedStatus, SendError> {
        let Some(template) = &self.cfg.status_url else {
            return Err(SendError::Invalid(
                "forward.lapor.status_url is not configured".into(),
            ));
        };
        let id = http::url_segment(tracking_id);
        let url = template.replace("{tracking_id}", &id);
        let req = self
            .authed(Method::GET, &url)?
            .header(ACCEPT, "application/json");
        let body = self.body(req).await?;
        models::status(&self.cfg, &body)
    }

    fn preview(&self, report: &Outgoing) -> Result<String, SendError> {
        let body = serde_json::to_string_pretty(&models::payload(&self.cfg, report))
            .map_err(|e| SendError::Invalid(e.to_string()))?;
        Ok(format!(
            "POST {}\n{}: {}***\nIdempotency-Key: {}\n\n{body}",
            self.cfg.url, self.cfg.auth_header, self.cfg.auth_prefix, report.id
        ))
    }
}
