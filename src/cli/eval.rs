//! `dengar eval`: train on the train rows of a labeled dataset and score the test rows, the way
//! `../shared/eval/README.md` fixes the metrics. With `--shipped`, score the shipped (or
//! `--model`) models without training, to see how the project's own corpus transfers.

use super::{Env, Outcome};
use crate::classify::dataset::{self, Row};
use crate::classify::eval::{self, Calibration};
use crate::classify::features::Features;
use crate::classify::model::{LinearModel, Scratch, Task};
use crate::classify::train::{self, Example, TrainParams};
use crate::classify::Classifier;
use crate::pipeline::watched_handles;
use std::path::PathBuf;
use std::time::Instant;

/// Options of `eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labeled CSV or JSONL with `text`, `split` and `label` (complaint) or `agency`.
    #[arg(long)]
    pub dataset: PathBuf,
    /// Which task to evaluate.
    #[arg(long, value_parser = ["complaint", "agency"])]
    pub task: String,
    /// Rows to train on.
    #[arg(long, default_value = "train")]
    pub train_split: String,
    /// Rows to score.
    #[arg(long, default_value = "test")]
    pub test_split: String,
    /// General texts that are all non-complaints: reports the false-alarm rate.
    #[arg(long)]
    pub negatives: Option<PathBuf>,
    /// Score the shipped models (or those in --model) instead of training.
    #[arg(long)]
    pub shipped: bool,
    /// Model directory for --shipped.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// L2 regularisation for training (default: the training default).
    #[arg(long)]
    pub alpha: Option<f32>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(serde::Serialize)]
struct Report {
    task: String,
    dataset: String,
    trained_on: String,
    model_id: String,
    test_rows: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    complaint: Option<eval::BinaryMetrics>,
    #[serde(skip_serializing_if = "Option::is_none")]
    calibration: Option<Calibration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    false_alarm_rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agency: Option<eval::MultiMetrics>,
    texts_per_sec: f64,
}

pub fn run(env: &Env, a: Args) -> anyhow::Result<Outcome> {
    let task = Task::parse(&a.task).expect("clap checked the value");
    let catalog = env.catalog()?;
    let handles: Vec<String> = watched_handles(&catalog).into_iter().collect();
    let features = Features::new(handles.clone());
    let test: Vec<Row> = dataset::read(&a.dataset, task, Some(&a.test_split))?;
    let (model, trained_on) = if a.shipped {
        let c = Classifier::load(a.model.as_deref(), handles)?;
        let m = match task {
            Task::Complaint => c.complaint,
            Task::Agency => c.agency,
        };
        let t = m.trained_on.clone();
        (m, t)
    } else {
        let rows = dataset::read(&a.dataset, task, Some(&a.train_split))?;
        let examples: Vec<Example> = rows.into_iter().map(|r| r.example).collect();
        let mut p = TrainParams::default();
        if let Some(al) = a.alpha {
            p.alpha = al;
        }
        let on = format!(
            "{} split={} ({} rows)",
            a.dataset.display(),
            a.train_split,
            examples.len()
        );
        eprintln!("training {task:?} on {on} ...");
        let m = match task {
            Task::Complaint => train::train_binary(&features, &examples, &p, &on)?.model,
            Task::Agency => train::train_multi(&features, &examples, &p, &on)?.model,
        };
        (m, on)
    };
    let mut scratch = Scratch::default();
    let started = Instant::now();
    let mut report = Report {
        task: a.task.clone(),
        dataset: a.dataset.display().to_string(),
        trained_on,
        model_id: model.id.clone(),
        test_rows: test.len(),
        complaint: None,
        calibration: None,
        false_alarm_rate: None,
        agency: None,
        texts_per_sec: 0.0,
    };
    let score = |m: &LinearModel, text: &str, account: Option<&str>, s: &mut Scratch| -> f32 {
        m.collect_rows(s, |emit| features.for_each(text, account, emit));
        m.probability(m.logits(s)[0])
    };
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
            let gold: Vec<bool> = test.iter().map(|r| r.example.label == "1").collect();
            let pred: Vec<bool> = probs.iter().map(|p| *p >= 0.5).collect();
            report.complaint = Some(eval::binary(&gold, &pred));
            report.calibration = Some(eval::calibration(&gold, &probs, 10));
            if let Some(neg) = &a.negatives {
                let rows = dataset::read(neg, Task::Complaint, None)?;
                let alarms = rows
                    .iter()
                    .filter(|r| {
                        score(
                            &model,
                            &r.example.text,
                            r.example.account.as_deref(),
                            &mut scratch,
                        ) >= 0.5
                    })
                    .count();
                report.false_alarm_rate = Some(alarms as f64 / rows.len().max(1) as f64);
            }
        }
        Task::Agency => {
            let mut ranked = Vec::with_capacity(test.len());
            for r in &test {
                model.collect_rows(&mut scratch, |emit| {
                    features.for_each(&r.example.text, r.example.account.as_deref(), emit)
                });
                let logits = model.logits(&mut scratch).to_vec();
                let mut order: Vec<usize> = (0..logits.len()).collect();
                order.sort_by(|x, y| logits[*y].total_cmp(&logits[*x]));
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
    println!("model {}  trained on {}", r.model_id, r.trained_on);
    if let Some(m) = &r.complaint {
        println!(
            "complaint  P {:.3}  R {:.3}  F1 {:.3}  macro-F1 {:.3}  accuracy {:.3}",
            m.precision, m.recall, m.f1, m.macro_f1, m.accuracy
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
