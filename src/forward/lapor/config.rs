//! `[forward.lapor]`: where and how reports reach the LAPOR integration API.
//!
//! The API's exact shape is given to each agency's developer account, so every name is
//! configuration: the URL, the auth header, the JSON field names (dotted for nesting:
//! `laporan.judul`), how klasifikasi values are spelled, where the tracking id and error message
//! sit in the response. The defaults describe a plain JSON API:
//!
//! ```text
//! POST {url}   Authorization: Bearer $DENGAR_LAPOR_TOKEN   Idempotency-Key: dgr-…
//! {"judul": …, "isi": …, "klasifikasi": "pengaduan", "kategori": …, "instansi_tujuan": …,
//!  "lokasi": …, "tanggal_kejadian": "2026-11-19", "anonim": true, "rahasia": false,
//!  "sumber": [links], "lampiran": [media], "referensi": "dgr-…"}
//! → 2xx {"data": {"tracking_id": "…"}}      4xx {"message": "…"}
//! ```

use super::super::config::check_url;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The LAPOR receiver.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LaporConfig {
    /// URL reports are POSTed to. Required.
    pub url: String,
    /// Header that carries the token. Default `Authorization`.
    #[serde(default = "default_auth_header")]
    pub auth_header: String,
    /// Text put before the token in that header. Default `Bearer ` (empty for a bare token).
    #[serde(default = "default_auth_prefix")]
    pub auth_prefix: String,
    /// Environment variable that holds the token (never the file). Default
    /// `DENGAR_LAPOR_TOKEN`.
    #[serde(default = "default_token_env")]
    pub token_env: String,
    /// JSON pointer to the tracking id in a 2xx response. Default `/data/tracking_id`.
    #[serde(default = "default_tracking_pointer")]
    pub tracking_pointer: String,
    /// JSON pointers tried, in order, for the receiver's message in an error response. Default
    /// `/message`, `/error`, `/errors/0/message`.
    #[serde(default = "default_message_pointers")]
    pub message_pointers: Vec<String>,
    /// Request timeout. Default 30000 ms.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// URL checked before a batch (GET, 2xx = up). Default none: any HTTP answer from `url`'s
    /// host counts as up, a connection failure as down.
    #[serde(default)]
    pub health_url: Option<String>,
    /// Status endpoint for `dengar sync`, with `{tracking_id}` in it. Default none (no
    /// follow-up).
    #[serde(default)]
    pub status_url: Option<String>,
    /// JSON pointer to the status word in a status response. Default `/data/status`.
    #[serde(default = "default_status_pointer")]
    pub status_pointer: String,
    /// JSON pointer to the follow-up text in a status response. Default `/data/tindak_lanjut`.
    #[serde(default = "default_status_note_pointer")]
    pub status_note_pointer: String,
    /// strftime format of `tanggal_kejadian`. Default `%Y-%m-%d`.
    #[serde(default = "default_date_format")]
    pub date_format: String,
    /// JSON field names.
    #[serde(default)]
    pub fields: LaporFields,
    /// How the receiver spells each klasifikasi.
    #[serde(default)]
    pub klasifikasi_values: KlasifikasiValues,
    /// Fixed fields added to every report (`kanal = "media sosial"`). Default none.
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// The receiver's name for each report field; dotted names nest (`laporan.judul`), an empty
/// name leaves the field out.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LaporFields {
    /// Title. Default `judul`.
    pub judul: String,
    /// Body. Default `isi`.
    pub isi: String,
    /// Klasifikasi. Default `klasifikasi`.
    pub klasifikasi: String,
    /// Category. Default `kategori`.
    pub kategori: String,
    /// Target institution. Default `instansi_tujuan`.
    pub instansi: String,
    /// Place. Default `lokasi`.
    pub lokasi: String,
    /// Event date. Default `tanggal_kejadian`.
    pub tanggal_kejadian: String,
    /// Hide the reporter. Default `anonim`.
    pub anonim: String,
    /// Keep the report private. Default `rahasia`.
    pub rahasia: String,
    /// Links to the source posts (array). Default `sumber`.
    pub sumber: String,
    /// Media links (array). Default `lampiran`.
    pub lampiran: String,
    /// Our report id. Default `referensi`.
    pub referensi: String,
}

impl Default for LaporFields {
    fn default() -> Self {
        LaporFields {
            judul: "judul".into(),
            isi: "isi".into(),
            klasifikasi: "klasifikasi".into(),
            kategori: "kategori".into(),
            instansi: "instansi_tujuan".into(),
            lokasi: "lokasi".into(),
            tanggal_kejadian: "tanggal_kejadian".into(),
            anonim: "anonim".into(),
            rahasia: "rahasia".into(),
            sumber: "sumber".into(),
            lampiran: "lampiran".into(),
            referensi: "referensi".into(),
        }
    }
}

impl LaporFields {
    /// (our name, receiver's name) for every field.
    pub fn pairs(&self) -> [(&'static str, &str); 12] {
        [
            ("judul", &self.judul),
            ("isi", &self.isi),
            ("klasifikasi", &self.klasifikasi),
            ("kategori", &self.kategori),
            ("instansi", &self.instansi),
            ("lokasi", &self.lokasi),
            ("tanggal_kejadian", &self.tanggal_kejadian),
            ("anonim", &self.anonim),
            ("rahasia", &self.rahasia),
            ("sumber", &self.sumber),
            ("lampiran", &self.lampiran),
            ("referensi", &self.referensi),
        ]
    }
}

/// How the receiver spells each klasifikasi (strings; some APIs use codes such as `"1"`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KlasifikasiValues {
    /// Default `pengaduan`.
    pub pengaduan: String,
    /// Default `aspirasi`.
    pub aspirasi: String,
    /// Default `permintaan_informasi`.
    pub permintaan_informasi: String,
}

impl Default for KlasifikasiValues {
    fn default() -> Self {
        KlasifikasiValues {
            pengaduan: "pengaduan".into(),
            aspirasi: "aspirasi".into(),
            permintaan_informasi: "permintaan_informasi".into(),
        }
    }
}

fn default_auth_header() -> String {
    "Authorization".into()
}
fn default_auth_prefix() -> String {
    "Bearer ".into()
}
fn default_token_env() -> String {
    "DENGAR_LAPOR_TOKEN".into()
}
fn default_tracking_pointer() -> String {
    "/data/tracking_id".into()
}
fn default_message_pointers() -> Vec<String> {
    vec![
        "/message".into(),
        "/error".into(),
        "/errors/0/message".into(),
    ]
}
fn default_timeout_ms() -> u64 {
    30_000
}
fn default_status_pointer() -> String {
    "/data/status".into()
}
fn default_status_note_pointer() -> String {
    "/data/tindak_lanjut".into()
}
fn default_date_format() -> String {
    "%Y-%m-%d".into()
}

fn check_pointer(p: &str) -> Result<(), String> {
    if p.is_empty() || p.starts_with('/') {
        Ok(())
    } else {
        Err(format!(
            "`{p}` is not a JSON pointer (it must start with `/`)"
        ))
    }
}

impl LaporConfig {
    /// A config with every default and this URL.
    pub fn with_url(url: &str) -> LaporConfig {
        LaporConfig {
            url: url.to_string(),
            auth_header: default_auth_header(),
            auth_prefix: default_auth_prefix(),
            token_env: default_token_env(),
            tracking_pointer: default_tracking_pointer(),
            message_pointers: default_message_pointers(),
            timeout_ms: default_timeout_ms(),
            health_url: None,
            status_url: None,
            status_pointer: default_status_pointer(),
            status_note_pointer: default_status_note_pointer(),
            date_format: default_date_format(),
            fields: LaporFields::default(),
            klasifikasi_values: KlasifikasiValues::default(),
            extra: BTreeMap::new(),
        }
    }

    /// Problems as (key, message).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut bad = |k: &str, m: String| out.push((k.to_string(), m));
        if let Err(m) = check_url(&self.url) {
            bad("url", m);
        }
        for (k, u) in [
            ("health_url", &self.health_url),
            ("status_url", &self.status_url),
        ] {
            if let Some(u) = u {
                if let Err(m) = check_url(&u.replace("{tracking_id}", "x")) {
                    bad(k, m);
                }
            }
        }
        if let Some(u) = &self.status_url {
            if !u.contains("{tracking_id}") {
                bad(
                    "status_url",
                    format!("`{u}` must contain `{{tracking_id}}`"),
                );
            }
        }
        if reqwest::header::HeaderName::from_bytes(self.auth_header.as_bytes()).is_err() {
            bad(
                "auth_header",
                format!("`{}` is not a valid header name", self.auth_header),
            );
        }
        if self.token_env.trim().is_empty() {
            bad("token_env", "must name an environment variable".into());
        }
        if self.tracking_pointer.is_empty() {
            bad(
                "tracking_pointer",
                "must point at the tracking id: without it nothing can be confirmed".into(),
            );
        }
        for (k, p) in [
            ("tracking_pointer", &self.tracking_pointer),
            ("status_pointer", &self.status_pointer),
            ("status_note_pointer", &self.status_note_pointer),
        ] {
            if let Err(m) = check_pointer(p) {
                bad(k, m);
            }
        }
        for (i, p) in self.message_pointers.iter().enumerate() {
            if let Err(m) = check_pointer(p) {
                bad(&format!("message_pointers[{i}]"), m);
            }
        }
        if !(100..=600_000).contains(&self.timeout_ms) {
            bad(
                "timeout_ms",
                format!("must be between 100 and 600000, got {}", self.timeout_ms),
            );
        }
        // an invalid format would make formatting fail later: refuse it here
        if chrono::format::StrftimeItems::new(&self.date_format)
            .any(|i| matches!(i, chrono::format::Item::Error))
        {
            bad(
                "date_format",
                format!("`{}` is not a strftime format", self.date_format),
            );
        }
        if self.fields.judul.is_empty() || self.fields.isi.is_empty() {
            bad(
                "fields",
                "judul and isi must be sent: give them a name".into(),
            );
        }
        out
    }
}
