//! Reading labeled datasets: the project's own corpus (`data/training/*.jsonl`) and any JSONL or
//! CSV file with `text` and `label` (complaint: 0/1) or `agency`, and an optional `split`.

use super::model::Task;
use super::train::Example;
use std::path::{Path, PathBuf};

/// Errors reading a dataset.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} line {line}: {message}")]
    Row {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}: no rows with a usable label for the {task} task{split}")]
    Empty {
        path: PathBuf,
        task: String,
        split: String,
    },
}

/// A labeled row with its split.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub split: Option<String>,
    pub example: Example,
}

fn label_of(task: Task, v: &serde_json::Value) -> Option<String> {
    let get = |k: &str| v.get(k).filter(|x| !x.is_null());
    match task {
        Task::Complaint => match get("label")? {
            serde_json::Value::Number(n) => Some(if n.as_f64()? >= 0.5 { "1" } else { "0" }.into()),
            serde_json::Value::Bool(b) => Some(if *b { "1" } else { "0" }.into()),
            serde_json::Value::String(s) => match s.trim() {
                "1" | "true" | "keluhan" => Some("1".into()),
                "0" | "false" | "bukan" | "respon" => Some("0".into()),
                _ => None,
            },
            _ => None,
        },
        Task::Agency => {
            // only complaints carry an agency
            if let Some(l) = get("label") {
                if l.as_i64() == Some(0) || l.as_str() == Some("0") {
                    return None;
                }
            }
            get("agency")?
                .as_str()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        }
    }
}

/// Reads `path` (JSONL, or CSV by extension) and returns the rows labeled for `task` whose split
/// is `split` (all rows when `split` is `None`; rows without a split column count as every split).
pub fn read(path: &Path, task: Task, split: Option<&str>) -> Result<Vec<Row>, DatasetError> {
    let is_csv = path.extension().and_then(|e| e.to_str()) == Some("csv");
    let mut rows = Vec::new();
    let read_err = |source| DatasetError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut push = |line: usize, v: serde_json::Value| -> Result<(), DatasetError> {
        let text = v
            .get("text")
            .and_then(|t| t.as_str())
            .ok_or_else(|| DatasetError::Row {
                path: path.to_path_buf(),
                line,
                message: "no `text` field".into(),
            })?;
        let row_split = v.get("split").and_then(|s| s.as_str()).map(str::to_string);
        if let (Some(want), Some(have)) = (split, row_split.as_deref()) {
            if want != have {
                return Ok(());
            }
        }
        let Some(label) = label_of(task, &v) else {
            return Ok(());
        };
        rows.push(Row {
            id: v
                .get("id")
                .map(|i| i.to_string().trim_matches('"').to_string())
                .unwrap_or_else(|| line.to_string()),
            split: row_split,
            example: Example {
                text: text.to_string(),
                account: v
                    .get("account")
                    .and_then(|a| a.as_str())
                    .map(str::to_string),
                label,
            },
        });
        Ok(())
    };
    if is_csv {
        let mut rdr = csv::Reader::from_path(path).map_err(|e| DatasetError::Row {
            path: path.to_path_buf(),
            line: 0,
            message: e.to_string(),
        })?;
        let headers = rdr
            .headers()
            .map_err(|e| DatasetError::Row {
                path: path.to_path_buf(),
                line: 1,
                message: e.to_string(),
            })?
            .clone();
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| DatasetError::Row {
                path: path.to_path_buf(),
                line: i + 2,
                message: e.to_string(),
            })?;
            let mut obj = serde_json::Map::new();
            for (h, v) in headers.iter().zip(rec.iter()) {
                obj.insert(h.to_string(), serde_json::Value::String(v.to_string()));
            }
            push(i + 2, serde_json::Value::Object(obj))?;
        }
    } else {
        let text = std::fs::read_to_string(path).map_err(read_err)?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value =
                serde_json::from_str(line).map_err(|e| DatasetError::Row {
                    path: path.to_path_buf(),
                    line: i + 1,
                    message: e.to_string(),
                })?;
            push(i + 1, v)?;
        }
    }
    if rows.is_empty() {
        return Err(DatasetError::Empty {
            path: path.to_path_buf(),
            task: format!("{task:?}").to_lowercase(),
            split: split
                .map(|s| format!(" in split `{s}`"))
                .unwrap_or_default(),
        });
    }
    Ok(rows)
}

/// Every `text` of a CSV or JSONL file, whatever its other columns (for negatives and proxy
/// sets, where every row is a non-complaint).
pub fn read_texts(path: &Path) -> Result<Vec<String>, DatasetError> {
    let is_csv = path.extension().and_then(|e| e.to_str()) == Some("csv");
    let row_err = |line: usize, message: String| DatasetError::Row {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut out = Vec::new();
    if is_csv {
        let mut rdr = csv::Reader::from_path(path).map_err(|e| row_err(0, e.to_string()))?;
        let col = rdr
            .headers()
            .map_err(|e| row_err(1, e.to_string()))?
            .iter()
            .position(|h| h == "text")
            .ok_or_else(|| row_err(1, "no `text` column".into()))?;
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| row_err(i + 2, e.to_string()))?;
            out.push(rec.get(col).unwrap_or_default().to_string());
        }
    } else {
        let text = std::fs::read_to_string(path).map_err(|source| DatasetError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value =
                serde_json::from_str(line).map_err(|e| row_err(i + 1, e.to_string()))?;
            let t = v
                .get("text")
                .and_then(|t| t.as_str())
                .ok_or_else(|| row_err(i + 1, "no `text` field".into()))?;
            out.push(t.to_string());
        }
    }
    if out.is_empty() {
        return Err(DatasetError::Empty {
            path: path.to_path_buf(),
            task: "any".into(),
            split: String::new(),
        });
    }
    Ok(out)
}

/// Reject reasons that make a reviewed item a negative example.
pub const NEGATIVE_REJECTS: &[&str] = &["not-a-complaint", "spam"];

/// The training examples a reviewed item gives: `(complaint example, agency example)`.
///
/// Accepted items (and those reported or forwarded since) are complaints with the reviewer's
/// agency (the predicted one if the reviewer kept it); items rejected as not a complaint or
/// spam are non-complaints. Everything else (unreviewed, dismissed by the model, rejected as a
/// duplicate or outside the city's authority) teaches nothing reliable and gives `None`.
pub fn from_reviewed(item: &crate::model::Item) -> Option<(Example, Option<Example>)> {
    use crate::model::Status;
    let post = &item.post;
    let example = |label: String| Example {
        text: post.text.clone(),
        account: post.account.clone(),
        label,
    };
    match item.status {
        Status::Accepted | Status::Reported | Status::Forwarded => {
            let agency = item
                .decision
                .as_ref()
                .and_then(|d| d.agency.clone())
                .or_else(|| item.prediction.as_ref().and_then(|p| p.agency.clone()));
            Some((example("1".into()), agency.map(example)))
        }
        Status::Rejected => {
            let reason = item
                .decision
                .as_ref()?
                .reason
                .as_deref()?
                .trim()
                .to_lowercase();
            let reason = reason.replace([' ', '_'], "-");
            NEGATIVE_REJECTS
                .contains(&reason.as_str())
                .then(|| (example("0".into()), None))
        }
        _ => None,
    }
}

/// The project's own corpus directory: `./data/training`, else the source tree's.
pub fn corpus_dir() -> PathBuf {
    let local = PathBuf::from("data/training");
    if local.is_dir() {
        local
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/training")
    }
}

/// Every labeled row of the project's corpus for `task`.
pub fn read_corpus(dir: &Path, task: Task) -> Result<Vec<Row>, DatasetError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| DatasetError::Read {
            path: dir.to_path_buf(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("jsonl"))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    for f in files {
        match read(&f, task, None) {
            Ok(r) => rows.extend(r),
            Err(DatasetError::Empty { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    if rows.is_empty() {
        return Err(DatasetError::Empty {
            path: dir.to_path_buf(),
            task: format!("{task:?}").to_lowercase(),
            split: String::new(),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_jsonl_and_csv_with_splits() {
        let dir = tempfile::tempdir().unwrap();
        let j = dir.path().join("d.jsonl");
        std::fs::write(
            &j,
            "{\"text\":\"jalan rusak\",\"label\":1,\"agency\":\"dinas-pupr\",\"split\":\"train\"}\n\n{\"text\":\"halo\",\"label\":0,\"agency\":null,\"split\":\"test\"}\n",
        )
        .unwrap();
        assert_eq!(read(&j, Task::Complaint, None).unwrap().len(), 2);
        assert_eq!(read(&j, Task::Complaint, Some("train")).unwrap().len(), 1);
        let a = read(&j, Task::Agency, None).unwrap();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].example.label, "dinas-pupr");
        let c = dir.path().join("d.csv");
        std::fs::write(
            &c,
            "id,split,text,label\n1,train,\"sampah, bau\",1\n2,test,ok,0\n",
        )
        .unwrap();
        let r = read(&c, Task::Complaint, Some("train")).unwrap();
        assert_eq!(r[0].example.text, "sampah, bau");
        assert_eq!(r[0].example.label, "1");
    }

    #[test]
    fn bad_line_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let j = dir.path().join("d.jsonl");
        std::fs::write(&j, "{\"text\":\"a\",\"label\":1}\n{oops\n").unwrap();
        let err = read(&j, Task::Complaint, None).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}

#[cfg(test)]
mod review_tests {
    use super::*;
    use crate::model::{Decision, Item, Platform, Post, Status};

    fn item(status: Status, decision: Option<Decision>) -> Item {
        Item {
            post: Post {
                platform: Platform::X,
                native_id: "1".into(),
                author_id: String::new(),
                author_handle: "warga".into(),
                text: "lampu jalan mati".into(),
                created_at: chrono::Utc::now(),
                url: None,
                reply_to: None,
                account: Some("pemkot_bjm".into()),
                raw: None,
            },
            status,
            updated_at: chrono::Utc::now(),
            prediction: None,
            decision,
        }
    }

    #[test]
    fn reviewed_items_become_examples() {
        let accepted = item(
            Status::Forwarded,
            Some(Decision {
                agency: Some("disperkim".into()),
                ..Decision::default()
            }),
        );
        let (c, a) = from_reviewed(&accepted).unwrap();
        assert_eq!(c.label, "1");
        assert_eq!(a.unwrap().label, "disperkim");
        let spam = item(
            Status::Rejected,
            Some(Decision {
                reason: Some("Not a complaint".into()),
                ..Decision::default()
            }),
        );
        let (c, a) = from_reviewed(&spam).unwrap();
        assert_eq!((c.label.as_str(), a.is_none()), ("0", true));
        let dup = item(
            Status::Rejected,
            Some(Decision {
                reason: Some("duplicate".into()),
                ..Decision::default()
            }),
        );
        assert!(from_reviewed(&dup).is_none());
        assert!(from_reviewed(&item(Status::Flagged, None)).is_none());
        assert!(from_reviewed(&item(Status::Dismissed, None)).is_none());
    }
}
