//! CSV and JSONL files for manual entry into LAPOR's admin panel: `laporan.csv` (opens in a
//! spreadsheet) and `laporan.jsonl` (one report per line), appended and synced to disk. The
//! receipt is the line written; a report already in the files is not written again, so a resend
//! after a crash does not duplicate it.

mod client;
mod config;
mod models;
#[cfg(test)]
mod tests;

pub use client::FileForwarder;
pub use config::{FileConfig, FileFormat};
pub use models::{FileRow, CSV_HEADER};
