//! `dengar train`: choose settings by cross-validation, fit the complaint and/or agency model
//! and write our model files.
//!
//! Data: a labeled dataset (`--dataset`; kept in its row order, taken as time order, when it
//! has a `split` column, else shuffled with `--seed`), or the project's own corpus in
//! `data/training/` (no time order: shuffled with `--seed`, so the folds are deterministic),
//! plus with `--from-reviews` the store's reviewed items (accepted = a complaint for the
//! reviewer's agency; rejected as not-a-complaint or spam = a non-complaint), oldest to newest
//! after the other rows. Once there are enough of them (`--review-folds-min`) the folds
//! validate on the reviewed posts only, everything else training each fold: the city's real
//! posts choose the settings and the threshold, the corpus still teaches (on Bandung's tweets
//! real posts beside the corpus beat either alone, see BENCHMARKS.md). `--extra-train` puts
//! more labeled rows (another file or directory of JSONL files) in front: they train every
//! fold and the final model and are never validated on.

use super::eval::{read_extra, read_proxy};
use super::{Env, Outcome};
use crate::classify::dataset::{self, Row};
use crate::classify::features::{FeatureOptions, Features};
use crate::classify::model::Task;
use crate::classify::select::{self, Grid, Options};
use crate::classify::train::{ClassWeight, Example, Linfa, TrainParams};
use crate::pipeline::watched_handles;
use anyhow::{bail, Context as _};
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
    /// Add the store's reviewed items (in --data-dir) to the training rows.
    #[arg(long)]
    pub from_reviews: bool,
    /// With --from-reviews: once at least this many reviewed posts teach a task (for the
    /// complaint task, at least a tenth of them of each class), cross-validation chooses the
    /// settings and the threshold on them, oldest to newest, and every other row trains each
    /// fold without being validated on: the city's own posts decide, the corpus still teaches.
    /// With fewer, the reviewed posts join the training rows.
    #[arg(long, default_value_t = 300)]
    pub review_folds_min: usize,
    /// More labeled training rows in front of the others (a JSONL/CSV file, or a directory of
    /// JSONL files such as `data/training`; may be given several times): they train every
    /// cross-validation fold and the final model and are never validated on.
    #[arg(long)]
    pub extra_train: Vec<PathBuf>,
    /// Output directory for the model file(s).
    #[arg(long, default_value = "models")]
    pub out: PathBuf,
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
    /// General texts, none a complaint, used for selection as a false-alarm proxy.
    #[arg(long = "proxy-negatives")]
    pub proxy_negatives: Vec<PathBuf>,
    /// Seed of the shuffle that orders the project corpus for cross-validation.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Cap of the vocabulary.
    #[arg(long, default_value_t = 1 << 17)]
    pub max_features: usize,
    /// Block normalisation settings to cross-validate (`false`, `true` or both): character
    /// n-grams and the other features normalised separately.
    #[arg(long, value_delimiter = ',')]
    pub block_norm: Vec<bool>,
    /// When linfa refits the final model: auto (if the dense matrix fits), always, never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub linfa: String,
    /// Let the complaint model learn from the watched account a post concerns (the `a:`
    /// feature). Off by default: in the project corpus the share of complaints under each
    /// account is an artifact of how the corpus was written, not a property of the city, and
    /// a model that leans on it misjudges posts with no or another account. The agency model
    /// always uses it (a post under @dishub_bjm is likelier a dishub matter).
    #[arg(long)]
    pub complaint_account: bool,
    /// Memory budget (MiB) for linfa's dense matrix.
    #[arg(long, default_value_t = 1024)]
    pub dense_budget_mb: usize,
    #[command(flatten)]
    pub recipe: RecipeArgs,
}

/// Feature and model options beyond the cross-validated grid (fixed for a run; the model
/// records them in its settings, and inference reproduces the features from there).
#[derive(Debug, Clone, clap::Args)]
pub struct RecipeArgs {
    /// Keep features seen in at least this many training posts.
    #[arg(long, default_value_t = 2)]
    pub min_df: usize,
    /// `p:` features for the first N words of a post (0 = none).
    #[arg(long, default_value_t = 0)]
    pub lead_words: u32,
    /// `t:` word trigrams.
    #[arg(long)]
    pub trigrams: bool,
    /// `s:` skip-bigrams (a word and the one two places after it).
    #[arg(long)]
    pub skip_bigrams: bool,
    /// `r:` the stem of every word.
    #[arg(long)]
    pub stems: bool,
    /// `k:` bigrams of the stems of consecutive words that are not stop words.
    #[arg(long)]
    pub stem_bigrams: bool,
    /// Shortest character n-gram kept (padding spaces count; the extractor makes 2–5).
    #[arg(long, default_value_t = 2)]
    pub char_min: usize,
    /// Longest character n-gram kept.
    #[arg(long, default_value_t = 5)]
    pub char_max: usize,
    /// Agency: one binary model per agency instead of one multinomial model.
    #[arg(long)]
    pub one_vs_rest: bool,
}

impl RecipeArgs {
    /// `base` with these options.
    pub fn apply(&self, base: TrainParams) -> TrainParams {
        TrainParams {
            min_df: self.min_df,
            feature_options: FeatureOptions {
                lead_words: self.lead_words,
                trigrams: self.trigrams,
                skip_bigrams: self.skip_bigrams,
                stems: self.stems,
                stem_bigrams: self.stem_bigrams,
            },
            char_min: self.char_min,
            char_max: self.char_max,
            one_vs_rest: self.one_vs_rest,
            ..base
        }
    }
}

/// The grid of a task with the command line's overrides.
pub(super) fn grid(
    task: Task,
    alpha: Option<f32>,
    alphas: &[f32],
    idf: &[bool],
    block_norm: &[bool],
    class_weight: &[String],
) -> Grid {
    let mut g = match task {
        Task::Complaint => Grid::complaint(),
        Task::Agency => Grid::agency(),
    };
    if let Some(a) = alpha {
        g.alphas = vec![a];
    } else if !alphas.is_empty() {
        g.alphas = alphas.to_vec();
    }
    if !idf.is_empty() {
        g.idf = idf.to_vec();
    }
    if !block_norm.is_empty() {
        g.block_norm = block_norm.to_vec();
    }
    if !class_weight.is_empty() {
        g.class_weight = class_weight
            .iter()
            .map(|c| {
                if c == "balanced" {
                    ClassWeight::Balanced
                } else {
                    ClassWeight::None
                }
            })
            .collect();
    }
    g
}

/// Parses `auto|always|never`.
pub(super) fn linfa_mode(s: &str) -> Linfa {
    match s {
        "always" => Linfa::Always,
        "never" => Linfa::Never,
        _ => Linfa::Auto,
    }
}

/// Whether the reviewed posts of a task are enough to choose the settings on: at least `min`
/// of them and, for the complaint task, at least a tenth of each class (a threshold chosen on
/// one class's posts means nothing); for the agency task, two agencies or more.
fn reviews_can_decide(task: Task, reviewed: &[Example], min: usize) -> bool {
    let n = reviewed.len();
    if n == 0 || n < min {
        return false;
    }
    match task {
        Task::Complaint => {
            let pos = reviewed.iter().filter(|e| e.label == "1").count();
            let tenth = n.div_ceil(10);
            pos >= tenth && n - pos >= tenth
        }
        Task::Agency => {
            let first = &reviewed[0].label;
            reviewed.iter().any(|e| &e.label != first)
        }
    }
}

pub fn run(env: &Env, args: Args) -> anyhow::Result<Outcome> {
    let catalog = env.catalog()?;
    let features = Features::new(watched_handles(&catalog));
    let tasks: Vec<Task> = match (&args.task, &args.dataset) {
        (Some(t), _) => vec![Task::parse(t).expect("clap checked the value")],
        (None, None) => vec![Task::Complaint, Task::Agency],
        (None, Some(_)) => bail!("--task complaint|agency is required with --dataset"),
    };
    let reviewed = if args.from_reviews {
        let store = env.store()?;
        let mut out = Vec::new();
        store
            .for_each_item(|item| {
                if let Some(ex) = dataset::from_reviewed(&item) {
                    out.push((item.post.created_at, ex));
                }
            })
            .context("reading reviewed items from the store")?;
        // in time order, for the time-forward folds
        out.sort_by_key(|(at, _)| *at);
        let out: Vec<_> = out.into_iter().map(|(_, ex)| ex).collect();
        eprintln!(
            "{} reviewed items from the store ({} complaints)",
            out.len(),
            out.iter().filter(|(c, _)| c.label == "1").count()
        );
        out
    } else {
        Vec::new()
    };
    let proxy = read_proxy(&args.proxy_negatives)?;
    let base = args.recipe.apply(TrainParams {
        max_features: args.max_features,
        linfa: linfa_mode(&args.linfa),
        dense_budget_mb: args.dense_budget_mb,
        ..TrainParams::default()
    });
    base.check()?;
    for task in tasks {
        let (rows, source): (Vec<Row>, String) = match &args.dataset {
            Some(p) => {
                let mut rows = dataset::read(p, task, args.split.as_deref())?;
                // a file with a split column is in time order (the evaluation files); any
                // other order means nothing, so shuffle it for the folds like the corpus
                if rows.iter().all(|r| r.split.is_none()) {
                    select::shuffle(&mut rows, args.seed);
                }
                (rows, p.display().to_string())
            }
            None => {
                let dir = dataset::corpus_dir();
                let mut rows = dataset::read_corpus(&dir, task)?;
                select::shuffle(&mut rows, args.seed);
                (rows, "dengar corpus data/training".to_string())
            }
        };
        let mut examples = read_extra(&args.extra_train, task)?;
        let n_extra = examples.len();
        examples.extend(rows.into_iter().map(|r| r.example));
        let account_feature = task == Task::Agency || args.complaint_account;
        let from_store = reviewed
            .iter()
            .filter_map(|(c, a)| match task {
                Task::Complaint => Some(c.clone()),
                Task::Agency => a.clone(),
            })
            .collect::<Vec<_>>();
        let n_reviewed = from_store.len();
        let reviews_decide = reviews_can_decide(task, &from_store, args.review_folds_min);
        // the rows every fold trains on and none validates: the extra rows, and with enough
        // reviewed posts the dataset's rows too
        let prefix = if reviews_decide {
            eprintln!(
                "choosing the settings on the {n_reviewed} reviewed posts, oldest to newest; the \
                 other {} rows train every fold",
                examples.len()
            );
            examples.len()
        } else {
            if n_reviewed > 0 {
                eprintln!(
                    "{n_reviewed} reviewed posts join the training rows (from {} on, the \
                     settings are chosen on them: --review-folds-min)",
                    args.review_folds_min
                );
            }
            n_extra
        };
        examples.extend(from_store);
        if !account_feature {
            for e in &mut examples {
                e.account = None;
            }
        }
        let trained_on = format!(
            "{source}{}{} ({} rows)",
            args.split
                .as_deref()
                .map(|s| format!(" split={s}"))
                .unwrap_or_default(),
            if n_reviewed > 0 {
                format!(" + {n_reviewed} reviewed items")
            } else {
                String::new()
            },
            examples.len() - n_extra
        );
        let mut trained_on = if n_extra > 0 {
            format!("{trained_on} + {n_extra} extra rows")
        } else {
            trained_on
        };
        if reviews_decide {
            trained_on.push_str("; settings chosen on the reviewed items");
        }
        eprintln!("training {task:?} on {trained_on} ...");
        let opts = Options {
            grid: grid(
                task,
                args.alpha,
                &args.alphas,
                &args.idf,
                &args.block_norm,
                &args.class_weight,
            ),
            cuts: match task {
                Task::Complaint => select::complaint_cuts(),
                Task::Agency => select::agency_cuts(),
            },
            false_alarm_target: 0.10,
            prefix,
        };
        let (mut model, _) = select::train_selected(
            task,
            &features,
            &examples,
            &base,
            &opts,
            (!proxy.is_empty()).then_some(proxy.as_slice()),
            &trained_on,
            |m| eprintln!("  {m}"),
        )?;
        if let Some(s) = model.settings.as_object_mut() {
            s.insert("account_feature".into(), account_feature.into());
            let chosen_on = if reviews_decide {
                "reviewed items"
            } else {
                "training rows"
            };
            s.insert("settings_chosen_on".into(), chosen_on.into());
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(label: &str) -> Example {
        Example {
            text: "jalan rusak".into(),
            account: None,
            label: label.into(),
        }
    }

    #[test]
    fn reviews_decide_only_when_there_are_enough_of_each_kind() {
        let mixed: Vec<Example> = (0..20)
            .map(|i| ex(if i % 4 == 0 { "1" } else { "0" }))
            .collect();
        assert!(reviews_can_decide(Task::Complaint, &mixed, 20));
        assert!(!reviews_can_decide(Task::Complaint, &mixed, 21));
        assert!(!reviews_can_decide(Task::Complaint, &[], 0));
        // one complaint in twenty is under a tenth
        let lopsided: Vec<Example> = (0..20)
            .map(|i| ex(if i == 0 { "1" } else { "0" }))
            .collect();
        assert!(!reviews_can_decide(Task::Complaint, &lopsided, 5));
        let one_agency = vec![ex("dlh"); 10];
        assert!(!reviews_can_decide(Task::Agency, &one_agency, 5));
        let two = [vec![ex("dlh"); 5], vec![ex("pdam"); 5]].concat();
        assert!(reviews_can_decide(Task::Agency, &two, 5));
    }
}
