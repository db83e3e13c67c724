//! `dengar eval`: train on the train rows of a labeled dataset and score the test rows, the way
//! `../shared/eval/README.md` fixes the metrics. Hyper-parameters are chosen by time-forward
//! cross-validation inside the train rows (see `classify::select`), never on test. With
//! `--shipped`, score the shipped (or `--model`) models without training, to see how the
//! project's own corpus transfers.

use super::{Env, Outcome};
use crate::classify::dataset::{self, Row};
use crate::classify::eval::{self, Calibration};
use crate::classify::features::{FeatureOptions, Features};
use crate::classify::model::{softmax, LinearModel, Scratch, Task};
use crate::classify::select::{self, Options, Selection};
use crate::classify::train::{Example, TrainParams};
use crate::classify::Classifier;
use crate::pipeline::watched_handles;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

/// The rows of every `--extra-train` path (a file, or a directory of JSONL files), in order.
pub(super) fn read_extra(paths: &[PathBuf], task: Task) -> anyhow::Result<Vec<Example>> {
    let mut out = Vec::new();
    for p in paths {
        let rows = if p.is_dir() {
            dataset::read_corpus(p, task)?
        } else {
            dataset::read(p, task, None)?
        };
        out.extend(rows.into_iter().map(|r| r.example));
    }
    Ok(out)
}

/// Options of `eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labeled CSV or JSONL with `text`, `split` and `label` (complaint) or `agency`.
    #[arg(long)]
    pub dataset: PathBuf,
    /// Which task to evaluate.
    #[arg(long, value_parser = ["complaint", "agency"])]
    pub task: String,
    /// Rows to train on (in time order).
    #[arg(long, default_value = "train")]
    pub train_split: String,
    /// Rows to score.
    #[arg(long, default_value = "test")]
    pub test_split: String,
    /// General texts that are all non-complaints: reports the false-alarm rate (never used
    /// for any choice).
    #[arg(long)]
    pub negatives: Option<PathBuf>,
    /// More labeled training rows from another source (a JSONL/CSV file, or a directory of
    /// JSONL files such as the project corpus `data/training`; may be given several times).
    /// They join the training part of every cross-validation fold and the final model, and
    /// are never validated or scored on: the test rows stay the dataset's.
    #[arg(long, conflicts_with = "shipped")]
    pub extra_train: Vec<PathBuf>,
    /// General texts, none a complaint, used *for selection* as a false-alarm proxy (CSV or
    /// JSONL with `text`; may be given several times). Keep them distinct from --negatives.
    #[arg(long = "proxy-negatives")]
    pub proxy_negatives: Vec<PathBuf>,
    /// Score the shipped models (or those in --model) instead of training.
    #[arg(long)]
    pub shipped: bool,
    /// Model directory for --shipped.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Fix the L2 regularisation instead of cross-validating it.
    #[arg(long)]
    pub alpha: Option<f32>,
    /// Regularisation values to cross-validate (comma-separated; default per task).
    #[arg(long, value_delimiter = ',')]
    pub alphas: Vec<f32>,
    /// IDF settings to cross-validate (`false`, `true` or both).
    #[arg(long, value_delimiter = ',')]
    pub idf: Vec<bool>,
    /// Class weightings to cross-validate (`none`, `balanced` or both).
    #[arg(long, value_delimiter = ',', value_parser = ["none", "balanced"])]
    pub class_weight: Vec<String>,
    /// Cap of the vocabulary.
    #[arg(long, default_value_t = 1 << 17)]
    pub max_features: usize,
    /// Largest replication count of a balanced class weight.
    #[arg(long, default_value_t = 16)]
    pub weight_cap: u32,
    /// Block normalisation settings to cross-validate (`false`, `true` or both): character
    /// n-grams and the other features normalised separately.
    #[arg(long, value_delimiter = ',')]
    pub block_norm: Vec<bool>,
    /// Accounts mentioned in at least this share of the train rows count as watched (the
    /// harvest's own accounts), besides the catalog's.
    #[arg(long, default_value_t = 0.01)]
    pub watched_share: f64,
    /// With --shipped: also count the accounts mentioned in at least --watched-share of the
    /// dataset's train rows (texts only, labels unused) as watched, as that city's own
    /// `accounts.toml` would list its government accounts.
    #[arg(long, requires = "shipped")]
    pub local_accounts: bool,
    /// When linfa refits the final model: auto (if the dense matrix fits), always, never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub linfa: String,
    /// Memory budget (MiB) for linfa's dense matrix.
    #[arg(long, default_value_t = 1024)]
    pub dense_budget_mb: usize,
    /// Write the trained model here (`complaint.json` or `agency.json`).
    #[arg(long)]
    pub save_model: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Cross-validate inside the train rows and stop: no final model, the test rows are not
    /// read. For comparing ideas without looking at test.
    #[arg(long, conflicts_with_all = ["shipped", "save_model"])]
    pub cv_only: bool,
    #[command(flatten)]
    pub recipe: super::train::RecipeArgs,
}

#[derive(serde::Serialize)]
struct Report {
    task: String,
    dataset: String,
    trained_on: String,
    model_id: String,
    train_rows: usize,
    test_rows: usize,
    features: usize,
    settings: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    selection: Option<Selection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    threshold: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    complaint: Option<eval::BinaryMetrics>,
    #[serde(skip_serializing_if = "Option::is_none")]
    calibration: Option<Calibration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    false_alarm_rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agency: Option<eval::MultiMetrics>,
    train_seconds: f64,
    texts_per_sec: f64,
}

/// Handles mentioned in at least `share` of `rows` (lowercase, without `@`).
pub fn frequent_mentions(rows: &[Example], share: f64) -> Vec<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in rows {
        let mut seen = HashSet::new();
        for w in r
            .text
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '@'))
        {
            if let Some(h) = w.strip_prefix('@') {
                let h = h.trim_end_matches('.').to_lowercase();
                if !h.is_empty() && seen.insert(h.clone()) {
                    *counts.entry(h).or_default() += 1;
                }
            }
        }
    }
    let min = (share * rows.len() as f64).ceil().max(1.0) as usize;
    counts
        .into_iter()
        .filter(|(_, n)| *n >= min)
        .map(|(h, _)| h)
        .collect()
}

pub(super) fn read_proxy(paths: &[PathBuf]) -> anyhow::Result<Vec<Example>> {
    let mut out = Vec::new();
    for p in paths {
        let rows = dataset::read_texts(p)?;
        out.extend(rows.into_iter().map(|text| Example {
            text,
            account: None,
            label: "0".into(),
        }));
    }
    Ok(out)
}

pub fn run(env: &Env, a: Args) -> anyhow::Result<Outcome> {
    let task = Task::parse(&a.task).expect("clap checked the value");
    let catalog = env.catalog()?;
    let mut handles: Vec<String> = watched_handles(&catalog).into_iter().collect();
    let started = Instant::now();
    let mut selection = None;
    let (model, trained_on, train_rows) = if a.shipped {
        let own = a
            .model
            .as_ref()
            .map(|d| d.join(task.file_name()))
            .filter(|p| p.exists());
        let m = match own {
            Some(p) => LinearModel::load(&p)?,
            None => {
                let c = Classifier::load(a.model.as_deref(), handles.clone())?;
                match task {
                    Task::Complaint => c.complaint,
                    Task::Agency => c.agency,
                }
            }
        };
        if let Some(w) = m.settings.get("watched_handles").and_then(|w| w.as_array()) {
            handles.extend(w.iter().filter_map(|h| h.as_str().map(str::to_string)));
        }
        if a.local_accounts {
            let rows = dataset::read(&a.dataset, task, Some(&a.train_split))?;
            let examples: Vec<Example> = rows.into_iter().map(|r| r.example).collect();
            let local = frequent_mentions(&examples, a.watched_share);
            eprintln!("local accounts counted as watched: {}", local.join(", "));
            handles.extend(local);
        }
        let t = m.trained_on.clone();
        (m, t, 0)
    } else {
        let rows = dataset::read(&a.dataset, task, Some(&a.train_split))?;
        let own: Vec<Example> = rows.into_iter().map(|r| r.example).collect();
        handles.extend(frequent_mentions(&own, a.watched_share));
        let mut examples = read_extra(&a.extra_train, task)?;
        let prefix = examples.len();
        examples.extend(own);
        let features = Features::new(handles.clone());
        let base = a.recipe.apply(TrainParams {
            max_features: a.max_features,
            weight_cap: a.weight_cap,
            linfa: super::train::linfa_mode(&a.linfa),
            dense_budget_mb: a.dense_budget_mb,
            ..TrainParams::default()
        });
        let proxy = read_proxy(&a.proxy_negatives)?;
        let mut on = format!(
            "{} split={} ({} rows)",
            a.dataset
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            a.train_split,
            examples.len() - prefix
        );
        if prefix > 0 {
            on.push_str(&format!(" + {prefix} extra rows"));
        }
        let grid = super::train::grid(
            task,
            a.alpha,
            &a.alphas,
            &a.idf,
            &a.block_norm,
            &a.class_weight,
        );
        let opts = Options {
            grid,
            cuts: match task {
                Task::Complaint => select::complaint_cuts(),
                Task::Agency => select::agency_cuts(),
            },
            false_alarm_target: 0.10,
            prefix,
        };
        eprintln!("cross-validating {task:?} on {on} ...");
        if a.cv_only {
            let proxy = (!proxy.is_empty()).then_some(proxy.as_slice());
            let log = |m: &str| eprintln!("  {m}");
            let sel = match task {
                Task::Complaint => {
                    select::select_binary(&features, &examples, &base, &opts, proxy, log)
                }
                Task::Agency => select::select_multi(&features, &examples, &base, &opts, log),
            };
            if a.json {
                println!("{}", serde_json::to_string_pretty(&sel)?);
            } else {
                println!("cross-validation only ({on}; test rows not read):");
                print_selection(&sel);
                println!("CV seconds {:.1}", started.elapsed().as_secs_f64());
            }
            return Ok(Outcome::Ok);
        }
        let (m, sel) = select::train_selected(
            task,
            &features,
            &examples,
            &base,
            &opts,
            (!proxy.is_empty()).then_some(proxy.as_slice()),
            &on,
            |m| eprintln!("  {m}"),
        )?;
        selection = Some(sel);
        let n = examples.len();
        (m, on, n)
    };
    let train_seconds = started.elapsed().as_secs_f64();
    let test: Vec<Row> = dataset::read(&a.dataset, task, Some(&a.test_split))?;
    if let Some(dir) = &a.save_model {
        model.save(&dir.join(task.file_name()))?;
    }
    let features =
        Features::new(handles).with_options(FeatureOptions::of_settings(&model.settings));
    let mut scratch = Scratch::default();
    let mut report = Report {
        task: a.task.clone(),
        dataset: a.dataset.display().to_string(),
        trained_on,
        model_id: model.id.clone(),
        train_rows,
        test_rows: test.len(),
        features: model.vocab.len(),
        settings: model.settings.clone(),
        selection,
        threshold: None,
        complaint: None,
        calibration: None,
        false_alarm_rate: None,
        agency: None,
        train_seconds,
        texts_per_sec: 0.0,
    };
    let score = |m: &LinearModel, text: &str, account: Option<&str>, s: &mut Scratch| -> f32 {
        m.collect(&features, text, account, s);
        m.probability(m.logits(s)[0])
    };
    let started = Instant::now();
    match task {
        Task::Complaint => {
            let probs: Vec<f32> = test
                .iter()
                .map(|r| {
                    score(
                        &model,
                        &r.example.text,
                        r.example.account.as_deref(),
                        &mut scratch,
                    )
                })
                .collect();
            let elapsed = started.elapsed().as_secs_f64();
            report.texts_per_sec = test.len() as f64 / elapsed.max(1e-9);
            let t = model.decision_threshold();
            report.threshold = Some(t);
            let gold: Vec<bool> = test.iter().map(|r| r.example.label == "1").collect();
            let pred: Vec<bool> = probs.iter().map(|p| *p >= t).collect();
            report.complaint = Some(eval::binary(&gold, &pred));
            report.calibration = Some(eval::calibration(&gold, &probs, 10));
            if let Some(neg) = &a.negatives {
                let texts = dataset::read_texts(neg)?;
                let alarms = texts
                    .iter()
                    .filter(|text| score(&model, text, None, &mut scratch) >= t)
                    .count();
                report.false_alarm_rate = Some(alarms as f64 / texts.len().max(1) as f64);
            }
        }
        Task::Agency => {
            let mut ranked = Vec::with_capacity(test.len());
            let mut probs = Vec::new();
            for r in &test {
                model.collect(
                    &features,
                    &r.example.text,
                    r.example.account.as_deref(),
                    &mut scratch,
                );
                probs.clear();
                probs.extend_from_slice(model.logits(&mut scratch));
                softmax(&mut probs);
                let mut order: Vec<usize> = (0..probs.len()).collect();
                order.sort_by(|x, y| probs[*y].total_cmp(&probs[*x]));
                ranked.push(
                    order
                        .into_iter()
                        .take(3)
                        .map(|i| model.labels[i].clone())
                        .collect::<Vec<_>>(),
                );
            }
            let elapsed = started.elapsed().as_secs_f64();
            report.texts_per_sec = test.len() as f64 / elapsed.max(1e-9);
            let gold: Vec<String> = test.iter().map(|r| r.example.label.clone()).collect();
            report.agency = Some(eval::multiclass(&gold, &ranked));
        }
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report);
    }
    Ok(Outcome::Ok)
}

fn print_report(r: &Report) {
    println!(
        "task {}  dataset {}  test rows {}",
        r.task, r.dataset, r.test_rows
    );
    println!(
        "model {}  trained on {}  ({} features, {:.1}s)",
        r.model_id, r.trained_on, r.features, r.train_seconds
    );
    if let Some(s) = &r.selection {
        println!("cross-validation (time-forward inside train):");
        print_selection(s);
    }
    if let Some(m) = &r.complaint {
        println!(
            "complaint  P {:.3}  R {:.3}  F1 {:.3}  macro-F1 {:.3}  accuracy {:.3}  (threshold {:.2})",
            m.precision,
            m.recall,
            m.f1,
            m.macro_f1,
            m.accuracy,
            r.threshold.unwrap_or(0.5)
        );
        println!(
            "confusion  tp {}  fp {}  tn {}  fn {}",
            m.tp, m.fp, m.tn, m.r#fn
        );
    }
    if let Some(c) = &r.calibration {
        println!("calibration  ECE {:.3}", c.ece);
        println!("  bin        n   mean p   observed");
        for b in &c.bins {
            println!(
                "  {:.1}-{:.1} {:>6}   {:.3}    {:.3}",
                b.lo, b.hi, b.n, b.mean_p, b.observed
            );
        }
    }
    if let Some(f) = r.false_alarm_rate {
        println!("false alarms on negatives {:.3}", f);
    }
    if let Some(m) = &r.agency {
        println!(
            "agency  accuracy {:.3}  macro-F1 {:.3}  top-3 {:.3}",
            m.accuracy, m.macro_f1, m.top3
        );
        for (c, f) in &m.per_class_f1 {
            println!("  {c:<22} F1 {f:.3}");
        }
    }
    println!(
        "throughput {:.0} texts/s (features + model, one thread)",
        r.texts_per_sec
    );
}

/// The folds and every candidate's cross-validated scores, the selected one marked `*`.
fn print_selection(s: &Selection) {
    for f in &s.folds {
        println!(
            "  fold: train {:>6}  validate {:>5}  (dropped {} near duplicates)",
            f.train_rows, f.validate_rows, f.dropped_near_duplicates
        );
    }
    for c in &s.candidates {
        let mark = if c.alpha == s.best.alpha
            && c.idf == s.best.idf
            && c.block_norm == s.best.block_norm
            && c.class_weight == s.best.class_weight
        {
            "*"
        } else {
            " "
        };
        let extra = match (c.proxy_false_alarms, c.accuracy, c.top3) {
            (Some(fa), _, _) => format!(
                "  threshold {:.2}  proxy false alarms {fa:.3}",
                c.threshold.unwrap_or(0.5)
            ),
            (None, Some(acc), Some(t3)) => format!("  accuracy {acc:.3}  top-3 {t3:.3}"),
            _ => format!("  threshold {:.2}", c.threshold.unwrap_or(0.5)),
        };
        println!(
            " {mark} alpha {:<6} idf {:<5} blocks {:<5} class weight {:<8} F1 {:.4}{extra}  \
             score {:.4}",
            c.alpha,
            c.idf,
            c.block_norm,
            format!("{:?}", c.class_weight).to_lowercase(),
            c.f1,
            c.score
        );
    }
}
