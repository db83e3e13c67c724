//! Classify stage: every `new` item gets a prediction and moves to `flagged` (a complaint, for
//! review) or `dismissed`, one transaction per item. Near-duplicate groups span the run.

use super::{bar, Context};
use crate::classify::model::Scratch;
use crate::classify::Classifier;
use crate::model::Status;
use crate::store::Transition;
use std::collections::BTreeMap;

/// What the classify stage did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ClassifyReport {
    pub classified: usize,
    pub flagged: usize,
    pub dismissed: usize,
    pub urgent: usize,
    /// Flagged items per predicted agency.
    pub flagged_per_agency: BTreeMap<String, usize>,
    /// Flagged items per platform.
    pub flagged_per_platform: BTreeMap<String, usize>,
    /// Dismissed items per platform.
    pub dismissed_per_platform: BTreeMap<String, usize>,
    pub errors: Vec<String>,
}

/// Classifies every `new` item in the store.
pub fn run(ctx: &Context, classifier: &Classifier) -> ClassifyReport {
    let mut report = ClassifyReport::default();
    let ids = match ctx.store.ids_with_status(Status::New) {
        Ok(ids) => ids,
        Err(e) => {
            report.errors.push(format!("cannot list new items: {e}"));
            return report;
        }
    };
    let pb = bar(ctx.progress, ids.len() as u64, "classify");
    let mut scratch = Scratch::default();
    let mut groups = crate::classify::dedup::DupIndex::new();
    let actor = "dengar";
    for id in ids {
        pb.inc(1);
        let item = match ctx.store.get(&id) {
            Ok(Some(item)) => item,
            Ok(None) => continue,
            Err(e) => {
                report.errors.push(format!("{id}: {e}"));
                continue;
            }
        };
        let p = classifier.predict_in(
            &item.post.text,
            item.post.account.as_deref(),
            &mut scratch,
            &mut groups,
        );
        let to = if p.complaint {
            Status::Flagged
        } else {
            Status::Dismissed
        };
        let why = format!("model {} score {:.3}", p.model_id, p.complaint_score);
        let agency = p.agency.clone();
        let urgent = p.urgent;
        let platform = item.post.platform.to_string();
        match ctx.store.transition(
            &id,
            Transition::new(to, actor, "classify")
                .why(why)
                .prediction(p),
        ) {
            Ok(_) => {
                report.classified += 1;
                if to == Status::Flagged {
                    report.flagged += 1;
                    if urgent {
                        report.urgent += 1;
                    }
                    *report
                        .flagged_per_agency
                        .entry(agency.unwrap_or_else(|| "lainnya".into()))
                        .or_default() += 1;
                    *report.flagged_per_platform.entry(platform).or_default() += 1;
                } else {
                    report.dismissed += 1;
                    *report.dismissed_per_platform.entry(platform).or_default() += 1;
                }
            }
            Err(e) => report.errors.push(e.to_string()),
        }
    }
    pb.finish_and_clear();
    if let Err(e) = ctx.store.flush() {
        report.errors.push(format!("cannot flush the store: {e}"));
    }
    tracing::info!(
        classified = report.classified,
        flagged = report.flagged,
        dismissed = report.dismissed,
        "classified"
    );
    report
}
