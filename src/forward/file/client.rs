//! Writes reports to the CSV and JSONL files, once each.

use super::config::{FileConfig, FileFormat};
use super::models::{FileRow, CSV_HEADER};
use crate::forward::forwarder::{FetchedStatus, Forwarder, Outgoing, Receipt, SendError};
use crate::forward::retry::RetryPolicy;
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// Writes reports to files.
#[derive(Debug)]
pub struct FileForwarder {
    dir: PathBuf,
    formats: Vec<FileFormat>,
    policy: RetryPolicy,
}

fn io(path: &Path, e: std::io::Error) -> SendError {
    SendError::Io(format!("{}: {e}", path.display()))
}

impl FileForwarder {
    /// The forwarder for a config; `data_dir/laporan` when no directory is set.
    pub fn build(cfg: &FileConfig, data_dir: &Path, policy: RetryPolicy) -> FileForwarder {
        let mut formats = cfg.formats.clone();
        if formats.is_empty() {
            formats = FileConfig::default().formats;
        }
        // JSONL last: it is the record that the report is complete
        formats.sort_by_key(|f| *f == FileFormat::Jsonl);
        formats.dedup();
        FileForwarder {
            dir: cfg.dir.clone().unwrap_or_else(|| data_dir.join("laporan")),
            formats,
            policy,
        }
    }

    /// The directory written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The 1-based data line of report `id` in a file, if it is there.
    fn find(&self, format: FileFormat, id: &str) -> Result<Option<usize>, SendError> {
        let path = self.dir.join(format.file_name());
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(&path, e)),
        };
        match format {
            FileFormat::Jsonl => {
                for (n, line) in BufReader::new(file).lines().enumerate() {
                    let line = line.map_err(|e| io(&path, e))?;
                    // a torn last line from a crash is not a report
                    if let Ok(row) = serde_json::from_str::<serde_json::Value>(&line) {
                        if row.get("id").and_then(|v| v.as_str()) == Some(id) {
                            return Ok(Some(n + 1));
                        }
                    }
                }
            }
            FileFormat::Csv => {
                let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(file);
                for (n, rec) in rdr.records().enumerate() {
                    let Ok(rec) = rec else { continue };
                    if rec.get(0) == Some(id) {
                        return Ok(Some(n + 1));
                    }
                }
            }
        }
        Ok(None)
    }

    /// Appends one row and syncs; returns its 1-based data line.
    fn append(&self, format: FileFormat, row: &FileRow) -> Result<usize, SendError> {
        let path = self.dir.join(format.file_name());
        let existing = match format {
            FileFormat::Jsonl => count_lines(&path)?,
            FileFormat::Csv => count_csv_records(&path)?,
        };
        let new_file = existing.is_none();
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| io(&path, e))?;
        let mut buf = Vec::new();
        match format {
            FileFormat::Jsonl => {
                serde_json::to_writer(&mut buf, row).map_err(|e| SendError::Io(e.to_string()))?;
                buf.push(b'\n');
            }
            FileFormat::Csv => {
                let mut w = csv::Writer::from_writer(&mut buf);
                if new_file {
                    w.write_record(CSV_HEADER)
                        .map_err(|e| SendError::Io(e.to_string()))?;
                }
                w.write_record(row.csv_record())
                    .map_err(|e| SendError::Io(e.to_string()))?;
                w.flush().map_err(|e| io(&path, e))?;
            }
        }
        file.write_all(&buf).map_err(|e| io(&path, e))?;
        file.sync_all().map_err(|e| io(&path, e))?;
        Ok(existing.unwrap_or(0) + 1)
    }
}

/// Complete lines in a file, `None` when it does not exist. A torn last line is cut off first,
/// so the next line starts clean.
fn count_lines(path: &Path) -> Result<Option<usize>, SendError> {
    let text = match fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(path, e)),
    };
    if !text.is_empty() && !text.ends_with(b"\n") {
        let keep = text.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let f = OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| io(path, e))?;
        f.set_len(keep as u64).map_err(|e| io(path, e))?;
        return Ok(Some(text[..keep].iter().filter(|b| **b == b'\n').count()));
    }
    Ok(Some(text.iter().filter(|b| **b == b'\n').count()))
}

/// Data records of a CSV file, `None` when it does not exist.
fn count_csv_records(path: &Path) -> Result<Option<usize>, SendError> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(path, e)),
    };
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(file);
    Ok(Some(rdr.records().count()))
}

impl Forwarder for FileForwarder {
    fn name(&self) -> &'static str {
        "file"
    }

    fn retry_policy(&self) -> &RetryPolicy {
        &self.policy
    }

    async fn send(&self, report: &Outgoing) -> Result<Receipt, SendError> {
        fs::create_dir_all(&self.dir).map_err(|e| io(&self.dir, e))?;
        let row = FileRow::from_outgoing(report);
        let mut receipt = None;
        for &format in &self.formats {
            let line = match self.find(format, &report.id)? {
                Some(line) => line,
                None => self.append(format, &row)?,
            };
            receipt = Some(format!("file:{}#{line}", format.file_name()));
        }
        let tracking_id = receipt.ok_or_else(|| SendError::Invalid("no file format".into()))?;
        Ok(Receipt {
            tracking_id,
            note: Some(format!("written to {}", self.dir.display())),
        })
    }

    async fn healthcheck(&self) -> Result<(), SendError> {
        fs::create_dir_all(&self.dir).map_err(|e| io(&self.dir, e))?;
        let probe = self.dir.join(".dengar-probe");
        fs::write(&probe, b"ok").map_err(|e| io(&probe, e))?;
        fs::remove_file(&probe).map_err(|e| io(&probe, e))
    }

    fn supports_status(&self) -> bool {
        false
    }

    async fn status(&self, _tracking_id: &str) -> Result<FetchedStatus, SendError> {
        Err(SendError::Invalid(
            "reports written to files have no status to follow".into(),
        ))
    }

    fn preview(&self, report: &Outgoing) -> Result<String, SendError> {
        let row = FileRow::from_outgoing(report);
        let json = serde_json::to_string_pretty(&row).map_err(|e| SendError::Io(e.to_string()))?;
        let files: Vec<String> = self
            .formats
            .iter()
            .map(|f| self.dir.join(f.file_name()).display().to_string())
            .collect();
        Ok(format!("append to {}\n\n{json}", files.join(", ")))
    }
}
