//! `dengar train`: fit the complaint or agency model and write our model file.

use super::{Env, Outcome};
use crate::classify::dataset::{self, Row};
use crate::classify::features::Features;
use crate::classify::model::Task;
use crate::classify::train::{self, Example, TrainParams};
use crate::pipeline::watched_handles;
use anyhow::bail;
use std::path::PathBuf;

/// Options of `train`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labeled JSONL or CSV with `text` and `label` (complaint 0/1) or `agency`. Default: the
    /// project's own corpus in `data/training/`.
    #[arg(long)]
    pub dataset: Option<PathBuf>,
    /// Which model to train. Default with the project corpus: both.
    #[arg(long, value_parser = ["complaint", "agency"])]
    pub task: Option<String>,
    /// Only rows whose `split` column has this value.
    #[arg(long)]
    pub split: Option<String>,
    /// Output directory for the model file(s).
    #[arg(long, default_value = "models")]
    pub out: PathBuf,
    /// L2 regularisation (larger = simpler model).
    #[arg(long)]
    pub alpha: Option<f32>,
}

pub fn run(env: &Env, args: Args) -> anyhow::Result<Outcome> {
    let catalog = env.catalog()?;
    let features = Features::new(watched_handles(&catalog));
    let tasks: Vec<Task> = match (&args.task, &args.dataset) {
        (Some(t), _) => vec![Task::parse(t).expect("clap checked the value")],
        (None, None) => vec![Task::Complaint, Task::Agency],
        (None, Some(_)) => bail!("--task complaint|agency is required with --dataset"),
    };
    let mut params = TrainParams::default();
    if let Some(a) = args.alpha {
        params.alpha = a;
    }
    for task in tasks {
        let (rows, source): (Vec<Row>, String) = match &args.dataset {
            Some(p) => (
                dataset::read(p, task, args.split.as_deref())?,
                p.display().to_string(),
            ),
            None => {
                let dir = dataset::corpus_dir();
                (
                    dataset::read_corpus(&dir, task)?,
                    "dengar corpus data/training".to_string(),
                )
            }
        };
        let examples: Vec<Example> = rows.into_iter().map(|r| r.example).collect();
        let trained_on = format!(
            "{source}{} ({} rows)",
            args.split
                .as_deref()
                .map(|s| format!(" split={s}"))
                .unwrap_or_default(),
            examples.len()
        );
        eprintln!("training {task:?} on {trained_on} ...");
        let model = match task {
            Task::Complaint => {
                train::train_binary(&features, &examples, &params, &trained_on)?.model
            }
            Task::Agency => train::train_multi(&features, &examples, &params, &trained_on)?.model,
        };
        let path = args.out.join(task.file_name());
        model.save(&path)?;
        println!(
            "{}: {} features, {} outputs, id {}",
            path.display(),
            model.vocab.len(),
            model.outputs(),
            model.id
        );
    }
    Ok(Outcome::Ok)
}
