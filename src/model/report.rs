//! The SP4N-LAPOR! report draft made from one accepted post or a merged group.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// LAPOR's classification of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Klasifikasi {
    /// A complaint.
    Pengaduan,
    /// A suggestion.
    Aspirasi,
    /// A request for information.
    PermintaanInformasi,
}

impl Klasifikasi {
    /// The name LAPOR uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Klasifikasi::Pengaduan => "pengaduan",
            Klasifikasi::Aspirasi => "aspirasi",
            Klasifikasi::PermintaanInformasi => "permintaan_informasi",
        }
    }
}

/// A report draft: what staff check (and may edit) before it is forwarded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDraft {
    /// Title, at most 100 characters.
    pub judul: String,
    /// Body: the citizens' words with each source's platform, time and link.
    pub isi: String,
    pub klasifikasi: Klasifikasi,
    /// LAPOR category (from the agency).
    pub kategori: String,
    /// Agency code.
    pub agency: String,
    /// Target institution's LAPOR name.
    pub instansi: String,
    /// Where it happened, when the posts say.
    pub lokasi: Option<String>,
    /// When it happened, when the posts say (else the first post's date).
    pub tanggal_kejadian: Option<NaiveDate>,
    /// Hide the reporter's name (default true: public posters did not agree to be named).
    pub anonim: bool,
    /// Keep the report out of public view.
    pub rahasia: bool,
    /// Store ids of the source posts.
    pub sources: Vec<String>,
    /// When the draft was made.
    pub created_at: DateTime<Utc>,
}
