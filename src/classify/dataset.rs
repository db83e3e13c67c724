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
