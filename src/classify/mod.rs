//! The classifier: is a post a public-service complaint, which agency should handle it, how
//! urgent is it, and which words pushed the decision.
//!
//! Linear models trained with linfa ([`train`]) and exported to our own versioned file
//! ([`model`]); inference is a sparse dot product over the post's features ([`features`]).
//! The shipped models (`models/complaint.json`, `models/agency.json`) are embedded in the binary;
//! a model directory can override either.

pub mod dataset;
pub mod eval;
pub mod features;
pub mod model;
pub mod train;
pub mod urgency;

use crate::model::{Prediction, Reason};
use features::Features;
use model::{LinearModel, ModelError, Scratch, Task};
use std::path::Path;

const SHIPPED_COMPLAINT: &str = include_str!("../../models/complaint.json");
const SHIPPED_AGENCY: &str = include_str!("../../models/agency.json");

/// How many reasons a prediction carries.
pub const REASONS: usize = 6;

/// Complaint + agency models with their feature extractor.
#[derive(Debug, Clone)]
pub struct Classifier {
    features: Features,
    pub complaint: LinearModel,
    pub agency: LinearModel,
    /// Probability at or above which a post is a complaint.
    pub threshold: f32,
}

impl Classifier {
    /// The shipped models.
    pub fn shipped(gov_handles: Vec<String>) -> Result<Classifier, ModelError> {
        Classifier::load(None, gov_handles)
    }

    /// Models from `dir` where present, the shipped ones for any task `dir` lacks.
    pub fn load(dir: Option<&Path>, gov_handles: Vec<String>) -> Result<Classifier, ModelError> {
        let pick = |task: Task, shipped: &str| -> Result<LinearModel, ModelError> {
            if let Some(d) = dir {
                let p = d.join(task.file_name());
                if p.exists() {
                    return LinearModel::load(&p);
                }
            }
            LinearModel::from_json(shipped, &format!("shipped models/{}", task.file_name()))
        };
        Ok(Classifier {
            features: Features::new(gov_handles),
            complaint: pick(Task::Complaint, SHIPPED_COMPLAINT)?,
            agency: pick(Task::Agency, SHIPPED_AGENCY)?,
            threshold: 0.5,
        })
    }

    /// The id recorded with predictions: both models' ids.
    pub fn model_id(&self) -> String {
        format!("{}+{}", self.complaint.id, self.agency.id)
    }

    /// Classifies one post.
    pub fn predict(&self, text: &str, account: Option<&str>, scratch: &mut Scratch) -> Prediction {
        let f = &self.features;
        self.complaint
            .collect_rows(scratch, |emit| f.for_each(text, account, emit));
        let logit = self.complaint.logits(scratch)[0];
        let complaint_score = self.complaint.probability(logit);
        let reasons: Vec<Reason> = self
            .complaint
            .contributions(scratch, 0)
            .into_iter()
            .filter(|(_, w)| w.abs() > 1e-4)
            .take(REASONS)
            .map(|(r, w)| Reason {
                feature: self.complaint.vocab[r as usize].clone(),
                weight: w,
                span: None,
            })
            .collect();
        self.agency
            .collect_rows(scratch, |emit| f.for_each(text, account, emit));
        let mut probs = self.agency.logits(scratch).to_vec();
        model::softmax(&mut probs);
        let mut ranked: Vec<(String, f32)> =
            self.agency.labels.iter().cloned().zip(probs).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        ranked.truncate(3);
        let complaint = complaint_score >= self.threshold;
        let urgency = urgency::score(f.analyzer(), text);
        Prediction {
            model_id: self.model_id(),
            complaint,
            complaint_score,
            agency: if complaint {
                ranked.first().map(|(c, _)| c.clone())
            } else {
                None
            },
            agency_scores: ranked,
            urgency,
            urgent: complaint && urgency >= urgency::URGENT_AT,
            dup_group: None,
            reasons,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_models_load_and_separate_obvious_cases() {
        let c = Classifier::shipped(vec!["pemkot_bjm".into()]).unwrap();
        let mut s = Scratch::default();
        let bad = c.predict(
            "jalan di kayu tangi berlubang parah sudah sebulan tolong diperbaiki pak",
            Some("pemkot_bjm"),
            &mut s,
        );
        let good = c.predict(
            "selamat pagi pak wali, semangat terus",
            Some("pemkot_bjm"),
            &mut s,
        );
        assert!(bad.complaint_score > good.complaint_score);
        assert!(bad.complaint, "{bad:?}");
        assert!(!good.complaint, "{good:?}");
        assert_eq!(bad.agency.as_deref(), Some("dinas-pupr"));
        assert_eq!(bad.agency_scores.len(), 3);
        assert!(!bad.reasons.is_empty());
    }
}
