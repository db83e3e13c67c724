//! `[forward.file]`: where the report files go.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    /// `laporan.csv`, for a spreadsheet.
    Csv,
    /// `laporan.jsonl`, one JSON report per line.
    Jsonl,
}

impl FileFormat {
    /// The file name in the directory.
    pub fn file_name(self) -> &'static str {
        match self {
            FileFormat::Csv => "laporan.csv",
            FileFormat::Jsonl => "laporan.jsonl",
        }
    }
}

/// The file receiver.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FileConfig {
    /// Directory of the files. Default: `laporan/` in the data directory.
    pub dir: Option<PathBuf>,
    /// Formats written. Default both, `["csv", "jsonl"]`.
    pub formats: Vec<FileFormat>,
}

impl Default for FileConfig {
    fn default() -> Self {
        FileConfig {
            dir: None,
            formats: vec![FileFormat::Csv, FileFormat::Jsonl],
        }
    }
}

impl FileConfig {
    /// Problems as (key, message).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if self.formats.is_empty() {
            out.push(("formats".into(), "name at least one of csv, jsonl".into()));
        }
        if let Some(d) = &self.dir {
            if d.exists() && !d.is_dir() {
                out.push(("dir".into(), format!("{} is not a directory", d.display())));
            }
        }
        out
    }
}
