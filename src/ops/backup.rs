//! Backups: the whole store as gzip-compressed JSON lines, and a restore into an empty directory.
//!
//! Format `dengar-backup` version 1:
//! 1. a header `{"format":"dengar-backup","version":1,"created_at":…,"dengar_version":…,
//!    "id_floor":N}`;
//! 2. one line per record of *every* sled tree (`db.tree_names()`, so trees that other modules
//!    create later are included without code changes): `{"tree":name,"key":base64,"value":base64}`;
//! 3. a trailer `{"end":true,"records":N,"trees":{name:count,…},"quiescent":bool}`. A file without
//!    it is truncated and is refused.
//!
//! Consistency. sled has no snapshots: a tree iterator reads each record atomically (never a torn
//! value; it takes sled's concurrency-control read lock per step, so a transaction is never seen
//! half-written *within a record*), but records written while the pass runs may appear old or
//! new. So every pass is validated optimistically: after writing, the backup reads every tree
//! again and compares a SHA-256 over all (tree, key, value) with the pass it wrote; if anything
//! differs the pass is repeated (up to [`ATTEMPTS`] passes). A pass that reads back identical
//! is a point-in-time copy (`"quiescent":true`): a write landing during it would show up as a
//! difference, except a value changed and changed back, which still leaves a state that
//! existed. `dengar backup` from the command line is always quiescent: sled's own
//! process lock keeps every other dengar process out of the store, and the run lock keeps out a
//! nightly run; the watch matters when the library is called inside a running process (such as
//! `serve`), where a busy store may yield `"quiescent":false` — still a valid, restorable backup
//! in which every record is a committed value.
//!
//! `id_floor` carries sled's ID generator (used for audit sequence numbers) across a restore, so
//! entries appended after a restore never reuse a restored key.

use crate::store::{open_retrying, Store, StoreError};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The format name in the header.
pub const FORMAT: &str = "dengar-backup";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;
/// Passes tried before a backup of a busy store is kept non-quiescent.
pub const ATTEMPTS: usize = 3;
/// Records per write batch on restore.
const BATCH: usize = 10_000;

/// Errors of backup and restore.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("store error: {0}")]
    Store(#[from] StoreError),
    #[error("sled error: {0}")]
    Sled(#[from] sled::Error),
    #[error("tree name {0:?} is not UTF-8 and cannot be written to a backup")]
    TreeName(Vec<u8>),
    #[error("{path} line {line}: {message}")]
    Format {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path} is not a dengar backup (format {found:?}, version {version})")]
    NotABackup {
        path: PathBuf,
        found: String,
        version: u32,
    },
    #[error("{path} ends before its trailer: the backup is truncated")]
    Truncated { path: PathBuf },
    #[error("{path}: the trailer counts {expected} records but the file holds {found}")]
    Count {
        path: PathBuf,
        expected: u64,
        found: u64,
    },
    #[error("{0} is not empty: restore only into a new or empty directory")]
    NotEmpty(PathBuf),
}

/// The header line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub dengar_version: String,
    /// Lowest value sled's ID generator must give after a restore.
    #[serde(default)]
    pub id_floor: u64,
}

/// One record line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub tree: String,
    pub key: String,
    pub value: String,
}

/// The trailer line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trailer {
    pub end: bool,
    pub records: u64,
    pub trees: BTreeMap<String, u64>,
    pub quiescent: bool,
}

/// What a backup or restore did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackupSummary {
    pub records: u64,
    pub trees: BTreeMap<String, u64>,
    /// Whether no write happened during the pass that was kept.
    pub quiescent: bool,
    /// Passes made.
    pub passes: usize,
    pub bytes: u64,
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn tree_names(db: &sled::Db) -> Result<Vec<String>, BackupError> {
    let mut names = Vec::new();
    for n in db.tree_names() {
        names.push(String::from_utf8(n.to_vec()).map_err(|_| BackupError::TreeName(n.to_vec()))?);
    }
    names.sort();
    Ok(names)
}

fn digest_record(h: &mut Sha256, tree: &str, k: &[u8], v: &[u8]) {
    for part in [tree.as_bytes(), k, v] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
}

/// Reads every tree once more and hashes it, to compare with the pass that was written.
fn verify_pass(db: &sled::Db, names: &[String]) -> Result<Vec<u8>, BackupError> {
    let mut h = Sha256::new();
    for name in names {
        for kv in db.open_tree(name)?.iter() {
            let (k, v) = kv?;
            digest_record(&mut h, name, &k, &v);
        }
    }
    Ok(h.finalize().to_vec())
}

fn write_pass(
    db: &sled::Db,
    out: &mut impl Write,
    created_at: DateTime<Utc>,
) -> Result<(Trailer, bool), BackupError> {
    let names = tree_names(db)?;
    let header = Header {
        format: FORMAT.to_string(),
        version: VERSION,
        created_at,
        dengar_version: env!("CARGO_PKG_VERSION").to_string(),
        id_floor: db.generate_id()?,
    };
    let line_err = |e: serde_json::Error| BackupError::Format {
        path: PathBuf::from("(backup)"),
        line: 0,
        message: e.to_string(),
    };
    let io = |e: std::io::Error| BackupError::Io {
        path: PathBuf::from("(backup)"),
        source: e,
    };
    serde_json::to_writer(&mut *out, &header).map_err(line_err)?;
    out.write_all(b"\n").map_err(io)?;
    let mut trees = BTreeMap::new();
    let mut records = 0u64;
    let mut h = Sha256::new();
    for name in &names {
        let tree = db.open_tree(name)?;
        let mut n = 0u64;
        for kv in tree.iter() {
            let (k, v) = kv?;
            digest_record(&mut h, name, &k, &v);
            let rec = Record {
                tree: name.clone(),
                key: B64.encode(&k),
                value: B64.encode(&v),
            };
            serde_json::to_writer(&mut *out, &rec).map_err(line_err)?;
            out.write_all(b"\n").map_err(io)?;
            n += 1;
        }
        trees.insert(name.clone(), n);
        records += n;
    }
    // optimistic validation: a second read that sees exactly the same records (and trees)
    // proves nothing was written in between, so the first pass is a point-in-time copy
    let written = h.finalize().to_vec();
    let quiescent = tree_names(db)? == names && verify_pass(db, &names)? == written;
    Ok((
        Trailer {
            end: true,
            records,
            trees,
            quiescent,
        },
        quiescent,
    ))
}

/// Writes a backup of `store` to `path` (through `path.partial`, renamed at the end, so a
/// failed backup never leaves a file that looks complete). `now` is the header's time.
pub fn backup(
    store: &Store,
    path: &Path,
    now: DateTime<Utc>,
) -> Result<BackupSummary, BackupError> {
    let partial = PathBuf::from(format!("{}.partial", path.display()));
    let io = io_err(&partial);
    let mut passes = 0;
    loop {
        passes += 1;
        let file = std::fs::File::create(&partial).map_err(&io)?;
        let mut gz = GzEncoder::new(BufWriter::new(file), flate2::Compression::default());
        let (trailer, quiescent) = match write_pass(store.db(), &mut gz, now) {
            Ok(r) => r,
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        };
        if !quiescent && passes < ATTEMPTS {
            tracing::info!(
                pass = passes,
                "store changed during the backup pass; starting again"
            );
            continue;
        }
        serde_json::to_writer(&mut gz, &trailer).map_err(|e| BackupError::Format {
            path: partial.clone(),
            line: 0,
            message: e.to_string(),
        })?;
        gz.write_all(b"\n").map_err(&io)?;
        let file = gz
            .finish()
            .map_err(&io)?
            .into_inner()
            .map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(&io)?;
        drop(file);
        std::fs::rename(&partial, path).map_err(io_err(path))?;
        let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        return Ok(BackupSummary {
            records: trailer.records,
            trees: trailer.trees,
            quiescent,
            passes,
            bytes,
        });
    }
}

/// Whether `dir` is missing or an empty directory.
fn is_empty_dir(dir: &Path) -> Result<bool, BackupError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(io_err(dir)(e)),
    }
}

/// Restores a backup into data directory `dir`, which must be missing or empty. On failure the
/// directory is left empty again.
pub fn restore(path: &Path, dir: &Path) -> Result<BackupSummary, BackupError> {
    if !is_empty_dir(dir)? {
        return Err(BackupError::NotEmpty(dir.to_path_buf()));
    }
    let result = restore_into(path, dir);
    if result.is_err() {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let p = e.path();
                let _ = if p.is_dir() {
                    std::fs::remove_dir_all(&p)
                } else {
                    std::fs::remove_file(&p)
                };
            }
        }
    }
    result
}

fn restore_into(path: &Path, dir: &Path) -> Result<BackupSummary, BackupError> {
    let file = std::fs::File::open(path).map_err(io_err(path))?;
    let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let reader = BufReader::new(GzDecoder::new(BufReader::new(file)));
    let bad = |line: usize, message: String| BackupError::Format {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut lines = reader.lines().enumerate();
    let header: Header = match lines.next() {
        Some((_, Ok(l))) => serde_json::from_str(&l).map_err(|e| BackupError::NotABackup {
            path: path.to_path_buf(),
            found: format!("unreadable header: {e}"),
            version: 0,
        })?,
        Some((_, Err(e))) => return Err(io_err(path)(e)),
        None => {
            return Err(BackupError::Truncated {
                path: path.to_path_buf(),
            })
        }
    };
    if header.format != FORMAT || header.version != VERSION {
        return Err(BackupError::NotABackup {
            path: path.to_path_buf(),
            found: header.format,
            version: header.version,
        });
    }
    let db_path = dir.join("db");
    {
        let db = open_retrying(sled::Config::new().path(&db_path))?;
        let mut trees: BTreeMap<String, u64> = BTreeMap::new();
        let mut records = 0u64;
        let mut trailer: Option<Trailer> = None;
        let mut batch: Option<(String, sled::Batch, usize)> = None;
        let flush_batch =
            |db: &sled::Db, b: Option<(String, sled::Batch, usize)>| -> Result<(), BackupError> {
                if let Some((name, batch, _)) = b {
                    db.open_tree(name)?.apply_batch(batch)?;
                }
                Ok(())
            };
        for (i, line) in lines {
            let line = line.map_err(io_err(path))?;
            let n = i + 1;
            if trailer.is_some() {
                return Err(bad(n, "data after the trailer".into()));
            }
            let v: serde_json::Value =
                serde_json::from_str(&line).map_err(|e| bad(n, e.to_string()))?;
            if v.get("end").is_some() {
                trailer = Some(serde_json::from_value(v).map_err(|e| bad(n, e.to_string()))?);
                continue;
            }
            let rec: Record = serde_json::from_value(v).map_err(|e| bad(n, e.to_string()))?;
            let key = B64
                .decode(&rec.key)
                .map_err(|e| bad(n, format!("key: {e}")))?;
            let value = B64
                .decode(&rec.value)
                .map_err(|e| bad(n, format!("value: {e}")))?;
            let same_tree = batch
                .as_ref()
                .is_some_and(|(t, _, c)| *t == rec.tree && *c < BATCH);
            if !same_tree {
                flush_batch(&db, batch.take())?;
                batch = Some((rec.tree.clone(), sled::Batch::default(), 0));
            }
            if let Some((_, b, c)) = batch.as_mut() {
                b.insert(key, value);
                *c += 1;
            }
            *trees.entry(rec.tree).or_default() += 1;
            records += 1;
        }
        flush_batch(&db, batch.take())?;
        let Some(trailer) = trailer else {
            return Err(BackupError::Truncated {
                path: path.to_path_buf(),
            });
        };
        if trailer.records != records {
            return Err(BackupError::Count {
                path: path.to_path_buf(),
                expected: trailer.records,
                found: records,
            });
        }
        // trees that were empty in the backup exist again, empty
        for name in trailer.trees.keys() {
            db.open_tree(name)?;
        }
        // the restored store must carry this build's schema
        let schema = db.open_tree("meta")?.get("schema")?;
        let found = schema
            .as_deref()
            .and_then(|v| v.try_into().ok())
            .map(u32::from_be_bytes);
        if found != Some(crate::store::SCHEMA_VERSION) {
            return Err(BackupError::Store(StoreError::Schema {
                found: found.unwrap_or(0),
                expected: crate::store::SCHEMA_VERSION,
            }));
        }
        db.flush()?;
        drop(db);
        raise_id_floor(&db_path, header.id_floor)?;
        Ok(BackupSummary {
            records,
            trees: trailer.trees,
            quiescent: trailer.quiescent,
            passes: 1,
            bytes,
        })
    }
}

/// sled's default ID-generator persist interval.
const SLED_IDGEN_INTERVAL: u64 = 1_000_000;

/// Makes sled's ID generator give at least `floor` from now on. sled recovers its generator as
/// "last persisted value + 2 × persist interval" when a database is reopened, and expects the
/// persisted value to be a multiple of the interval in use. So the freshly restored database
/// (whose generator never moved) is reopened once with an interval `k` × the default, chosen so
/// that 2k × 1 000 000 ≥ `floor`, and one id is drawn: that persists 2k × 1 000 000, a multiple
/// of the default interval every later open uses.
fn raise_id_floor(db_path: &Path, floor: u64) -> Result<(), BackupError> {
    if floor == 0 {
        return Ok(());
    }
    let k = floor.div_ceil(2 * SLED_IDGEN_INTERVAL).max(1);
    let db = open_retrying(
        sled::Config::new()
            .path(db_path)
            .idgen_persist_interval(k * SLED_IDGEN_INTERVAL),
    )?;
    let id = db.generate_id()?;
    debug_assert!(id >= floor);
    db.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
    use std::sync::Arc;

    /// Opens a store this process had open a moment ago (`Store::open` waits for the lock).
    fn open_store(dir: &Path) -> Store {
        Store::open(dir).unwrap()
    }

    type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

    fn dump(db: &sled::Db) -> BTreeMap<Vec<u8>, Pairs> {
        let mut out = BTreeMap::new();
        for name in db.tree_names() {
            let t = db.open_tree(&name).unwrap();
            let kvs = t
                .iter()
                .map(|kv| {
                    let (k, v) = kv.unwrap();
                    (k.to_vec(), v.to_vec())
                })
                .collect();
            out.insert(name.to_vec(), kvs);
        }
        out
    }

    #[test]
    fn round_trip_is_byte_for_byte_and_ids_continue() {
        let src = tempfile::tempdir().unwrap();
        // every reopen moves sled's id generator 2 000 000 ahead: audit keys get large
        for _ in 0..3 {
            let s = Store::open(src.path()).unwrap();
            s.audit_note("rina", "login", None, Some("x")).unwrap();
            s.flush().unwrap();
        }
        let store = Store::open(src.path()).unwrap();
        let extra = store.tree("outbox").unwrap();
        extra
            .insert(b"\x00\xffbinary", &[0u8, 1, 2, 255][..])
            .unwrap();
        store.tree("empty-tree").unwrap();
        store.flush().unwrap();
        let before = dump(store.db());
        let file = src.path().join("b.jsonl.gz");
        let s = backup(&store, &file, Utc::now()).unwrap();
        assert!(s.quiescent);
        assert_eq!(s.passes, 1);
        let max_seq = store.audit(None).unwrap().last().unwrap().seq;
        drop(store);

        let dst = tempfile::tempdir().unwrap();
        let target = dst.path().join("restored");
        let r = restore(&file, &target).unwrap();
        assert_eq!(r.records, s.records);
        let restored = open_store(&target);
        assert_eq!(dump(restored.db()), before);
        restored.audit_note("rina", "after", None, None).unwrap();
        let audit = restored.audit(None).unwrap();
        assert!(max_seq >= 4_000_000, "{max_seq}");
        assert_eq!(
            audit.len(),
            4,
            "the new entry must not overwrite a restored one"
        );
        assert!(audit[3].seq > max_seq);
        drop(restored);
        // and the restored store keeps working across reopens
        let again = open_store(&target);
        again.audit_note("rina", "again", None, None).unwrap();
        assert_eq!(again.audit(None).unwrap().len(), 5);
    }

    #[test]
    fn restore_refuses_a_non_empty_directory_and_truncated_files() {
        let src = tempfile::tempdir().unwrap();
        let store = Store::open(src.path()).unwrap();
        let file = src.path().join("b.gz");
        backup(&store, &file, Utc::now()).unwrap();
        let err = restore(&file, src.path()).unwrap_err();
        assert!(matches!(err, BackupError::NotEmpty(_)), "{err}");

        // a backup cut before its trailer
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut GzDecoder::new(std::fs::File::open(&file).unwrap()),
            &mut text,
        )
        .unwrap();
        let cut: Vec<&str> = text.lines().collect();
        let cut = cut[..cut.len() - 1].join("\n") + "\n";
        let cut_file = src.path().join("cut.gz");
        let mut gz = GzEncoder::new(
            std::fs::File::create(&cut_file).unwrap(),
            Default::default(),
        );
        gz.write_all(cut.as_bytes()).unwrap();
        gz.finish().unwrap();
        let dst = tempfile::tempdir().unwrap();
        let err = restore(&cut_file, dst.path()).unwrap_err();
        assert!(matches!(err, BackupError::Truncated { .. }), "{err}");
        assert!(
            is_empty_dir(dst.path()).unwrap(),
            "a failed restore leaves the directory empty"
        );

        let not_gz = src.path().join("plain.txt");
        std::fs::write(&not_gz, b"hello").unwrap();
        assert!(restore(&not_gz, dst.path()).is_err());
        assert!(is_empty_dir(dst.path()).unwrap());
    }

    #[test]
    fn backup_during_writes_is_valid_and_restorable() {
        let src = tempfile::tempdir().unwrap();
        let store = Store::open(src.path()).unwrap();
        let tree = store.tree("busy").unwrap();
        for i in 0u32..2000 {
            tree.insert(i.to_be_bytes(), &b"v0"[..]).unwrap();
        }
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(AtomicU32::new(0));
        let writer = {
            let tree = tree.clone();
            let stop = stop.clone();
            let written = written.clone();
            std::thread::spawn(move || {
                let mut i = 0u32;
                while !stop.load(Ordering::Acquire) {
                    // every write changes a value
                    let v = [b"v1".as_slice(), &i.to_be_bytes()].concat();
                    tree.insert((i % 2000).to_be_bytes(), v).unwrap();
                    i += 1;
                    written.store(i, Ordering::Release);
                }
            })
        };
        while written.load(Ordering::Acquire) < 100 {
            std::thread::yield_now();
        }
        let file = src.path().join("busy.gz");
        let s = backup(&store, &file, Utc::now()).unwrap();
        stop.store(true, Ordering::Release);
        writer.join().unwrap();
        assert!(!s.quiescent, "writes during every pass are noticed");
        assert_eq!(s.passes, ATTEMPTS);
        let dst = tempfile::tempdir().unwrap();
        let r = restore(&file, dst.path()).unwrap();
        assert_eq!(r.trees["busy"], 2000);
        let restored = open_store(dst.path());
        for kv in restored.tree("busy").unwrap().iter() {
            let (_, v) = kv.unwrap();
            assert!(v.as_ref() == b"v0" || (v.len() == 6 && v.starts_with(b"v1")));
        }
    }
}
