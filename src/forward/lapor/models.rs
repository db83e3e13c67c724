//! The LAPOR wire format: the JSON body built from a report by the configured field mapping,
//! and the receipt read back from a response.

use super::config::LaporConfig;
use crate::forward::forwarder::{FetchedStatus, Outgoing, Receipt, SendError};
use crate::forward::http::{pointer_text, short};
use crate::model::Klasifikasi;
use serde_json::{Map, Value};

/// Puts `value` at a dotted path (`laporan.judul`) in `obj`, creating nested objects.
fn put(obj: &mut Map<String, Value>, path: &str, value: Value) {
    let mut parts = path.split('.').filter(|p| !p.is_empty()).peekable();
    let mut cur = obj;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            cur.insert(part.to_string(), value);
            return;
        }
        let entry = cur
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(next) = entry else {
            return;
        };
        cur = next;
    }
}

/// The JSON body for a report.
pub fn payload(cfg: &LaporConfig, r: &Outgoing) -> Value {
    let d = &r.draft;
    let kv = &cfg.klasifikasi_values;
    let klasifikasi = match d.klasifikasi {
        Klasifikasi::Pengaduan => &kv.pengaduan,
        Klasifikasi::Aspirasi => &kv.aspirasi,
        Klasifikasi::PermintaanInformasi => &kv.permintaan_informasi,
    };
    let mut obj = Map::new();
    for (k, v) in &cfg.extra {
        put(&mut obj, k, v.clone());
    }
    for (ours, theirs) in cfg.fields.pairs() {
        if theirs.is_empty() {
            continue;
        }
        let value = match ours {
            "judul" => Value::from(d.judul.as_str()),
            "isi" => Value::from(d.isi.as_str()),
            "klasifikasi" => Value::from(klasifikasi.as_str()),
            "kategori" => Value::from(d.kategori.as_str()),
            "instansi" => Value::from(d.instansi.as_str()),
            "lokasi" => d.lokasi.as_deref().map(Value::from).unwrap_or(Value::Null),
            "tanggal_kejadian" => d
                .tanggal_kejadian
                .map(|t| Value::from(t.format(&cfg.date_format).to_string()))
                .unwrap_or(Value::Null),
            "anonim" => Value::from(d.anonim),
            "rahasia" => Value::from(d.rahasia),
            "sumber" => Value::from(r.source_urls.clone()),
            "lampiran" => Value::from(r.media_urls.clone()),
            "referensi" => Value::from(r.id.as_str()),
            _ => continue,
        };
        put(&mut obj, theirs, value);
    }
    Value::Object(obj)
}

/// The receipt in a 2xx body: the tracking id at the configured pointer, else no receipt.
pub fn receipt(cfg: &LaporConfig, body: &str) -> Result<Receipt, SendError> {
    let json: Value = serde_json::from_str(body)
        .map_err(|_| SendError::NoReceipt(format!("the answer is not JSON: {}", short(body))))?;
    match pointer_text(&json, &cfg.tracking_pointer) {
        Some(id) => Ok(Receipt {
            tracking_id: id,
            note: None,
        }),
        None => Err(SendError::NoReceipt(format!(
            "nothing at {} in {}",
            cfg.tracking_pointer,
            short(body)
        ))),
    }
}

/// A status response.
pub fn status(cfg: &LaporConfig, body: &str) -> Result<FetchedStatus, SendError> {
    let json: Value = serde_json::from_str(body)
        .map_err(|_| SendError::Transport(format!("status answer is not JSON: {}", short(body))))?;
    let status = pointer_text(&json, &cfg.status_pointer).ok_or_else(|| {
        SendError::Transport(format!(
            "no status at {} in {}",
            cfg.status_pointer,
            short(body)
        ))
    })?;
    Ok(FetchedStatus {
        status,
        note: pointer_text(&json, &cfg.status_note_pointer),
        updated_at: None,
        resolved_id: None,
    })
}
