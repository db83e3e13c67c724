//! GeoReport v2 wire format: the form of a new request, and the JSON answers (a list of one
//! object, or the object alone from lenient servers).

use super::config::Open311Config;
use crate::forward::forwarder::{FetchedStatus, Outgoing, Receipt, SendError};
use crate::forward::http::{pointer_text, short};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Tracking ids that are still Open311 tokens (batch servers) start with this; `dengar sync`
/// resolves them to the request id.
pub const TOKEN_PREFIX: &str = "token:";

/// The form fields of `POST requests.json` (without `api_key`, added by the client).
pub fn form(cfg: &Open311Config, r: &Outgoing) -> Result<Vec<(&'static str, String)>, SendError> {
    let d = &r.draft;
    let code = cfg.service_code(&d.agency).ok_or_else(|| {
        SendError::Invalid(format!(
            "no Open311 service_code for agency `{}` (forward.open311.service_codes)",
            d.agency
        ))
    })?;
    let mut description = format!("{}\n\n{}", d.judul, d.isi);
    if description.chars().count() > cfg.max_description {
        description = description
            .chars()
            .take(cfg.max_description.saturating_sub(1))
            .collect::<String>()
            + "…";
    }
    let address = match &d.lokasi {
        Some(l) if !cfg.city.is_empty() => format!("{l}, {}", cfg.city),
        Some(l) => l.clone(),
        None => cfg.city.clone(),
    };
    let mut f = vec![("service_code", code.to_string())];
    if let Some(j) = &cfg.jurisdiction_id {
        f.push(("jurisdiction_id", j.clone()));
    }
    if !address.is_empty() {
        f.push(("address_string", address));
    }
    f.push(("description", description));
    if let Some(m) = r.media_urls.first() {
        f.push(("media_url", m.clone()));
    }
    Ok(f)
}

/// The first object of a GeoReport answer.
fn first(json: &Value) -> Option<&Value> {
    match json {
        Value::Array(a) => a.first(),
        Value::Object(_) => Some(json),
        _ => None,
    }
}

/// The receipt of `POST requests.json`: `service_request_id`, else `token`.
pub fn receipt(body: &str) -> Result<Receipt, SendError> {
    let json: Value = serde_json::from_str(body)
        .map_err(|_| SendError::NoReceipt(format!("the answer is not JSON: {}", short(body))))?;
    let obj = first(&json)
        .ok_or_else(|| SendError::NoReceipt(format!("empty answer: {}", short(body))))?;
    let notice = pointer_text(obj, "/service_notice");
    if let Some(id) = pointer_text(obj, "/service_request_id") {
        return Ok(Receipt {
            tracking_id: id,
            note: notice,
        });
    }
    if let Some(t) = pointer_text(obj, "/token") {
        return Ok(Receipt {
            tracking_id: format!("{TOKEN_PREFIX}{t}"),
            note: notice,
        });
    }
    Err(SendError::NoReceipt(format!(
        "neither service_request_id nor token in {}",
        short(body)
    )))
}

/// The request id a token stands for, once the server has one.
pub fn token_request_id(body: &str) -> Result<Option<String>, SendError> {
    let json: Value = serde_json::from_str(body)
        .map_err(|_| SendError::Transport(format!("token answer is not JSON: {}", short(body))))?;
    Ok(first(&json).and_then(|o| pointer_text(o, "/service_request_id")))
}

/// The status of `GET requests/{id}.json`.
pub fn status(body: &str) -> Result<FetchedStatus, SendError> {
    let json: Value = serde_json::from_str(body)
        .map_err(|_| SendError::Transport(format!("status answer is not JSON: {}", short(body))))?;
    let obj = first(&json)
        .ok_or_else(|| SendError::Transport(format!("empty status answer: {}", short(body))))?;
    let status = pointer_text(obj, "/status")
        .ok_or_else(|| SendError::Transport(format!("no status in {}", short(body))))?;
    let updated_at = pointer_text(obj, "/updated_datetime")
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc));
    Ok(FetchedStatus {
        status,
        note: pointer_text(obj, "/status_notes"),
        updated_at,
        resolved_id: None,
    })
}
