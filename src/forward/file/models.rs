//! One report as a file row: the same fields in the CSV (Indonesian headers, as staff type them
//! into LAPOR) and the JSONL line. Cells that a spreadsheet would run as a formula (`=`, `+`,
//! `-`, `@` first) are prefixed with `'`: post text is written by anyone.

use crate::forward::forwarder::Outgoing;
use serde::{Deserialize, Serialize};

/// CSV header, in the order of LAPOR's form.
pub const CSV_HEADER: [&str; 13] = [
    "id",
    "judul",
    "isi",
    "klasifikasi",
    "kategori",
    "instansi",
    "lokasi",
    "tanggal_kejadian",
    "anonim",
    "rahasia",
    "sumber",
    "lampiran",
    "dibuat",
];

/// A report as written to the files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRow {
    pub id: String,
    pub judul: String,
    pub isi: String,
    pub klasifikasi: String,
    pub kategori: String,
    pub instansi: String,
    pub lokasi: Option<String>,
    pub tanggal_kejadian: Option<String>,
    pub anonim: bool,
    pub rahasia: bool,
    pub sumber: Vec<String>,
    pub lampiran: Vec<String>,
    /// When the draft was made (RFC 3339).
    pub dibuat: String,
}

impl FileRow {
    pub fn from_outgoing(r: &Outgoing) -> FileRow {
        let d = &r.draft;
        FileRow {
            id: r.id.clone(),
            judul: d.judul.clone(),
            isi: d.isi.clone(),
            klasifikasi: d.klasifikasi.as_str().to_string(),
            kategori: d.kategori.clone(),
            instansi: d.instansi.clone(),
            lokasi: d.lokasi.clone(),
            tanggal_kejadian: d.tanggal_kejadian.map(|t| t.format("%Y-%m-%d").to_string()),
            anonim: d.anonim,
            rahasia: d.rahasia,
            sumber: r.source_urls.clone(),
            lampiran: r.media_urls.clone(),
            dibuat: d.created_at.to_rfc3339(),
        }
    }

    /// The CSV cells, formula-safe.
    pub fn csv_record(&self) -> [String; 13] {
        let yes_no = |b: bool| if b { "ya" } else { "tidak" }.to_string();
        [
            self.id.clone(),
            self.judul.clone(),
            self.isi.clone(),
            self.klasifikasi.clone(),
            self.kategori.clone(),
            self.instansi.clone(),
            self.lokasi.clone().unwrap_or_default(),
            self.tanggal_kejadian.clone().unwrap_or_default(),
            yes_no(self.anonim),
            yes_no(self.rahasia),
            self.sumber.join(" "),
            self.lampiran.join(" "),
            self.dibuat.clone(),
        ]
        .map(|c| formula_safe(&c))
    }
}

/// Prefixes a cell a spreadsheet would evaluate.
pub fn formula_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}
