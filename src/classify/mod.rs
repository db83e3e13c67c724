//! The classifier: is a post a public-service complaint, which agency should handle it, how
//! urgent is it, which other posts is it a near copy of, and which words pushed the decision.
//!
//! Linear models trained with linfa ([`train`], model selection in [`select`]) and exported to
//! our own versioned file ([`model`]); inference is a sparse dot product over the post's
//! features ([`features`]). The shipped models (`models/complaint.json`, `models/agency.json`)
//! are embedded in the binary; a model directory can override either.
//!
//! One pass over a post's features serves everything: each feature name is fingerprinted once
//! and looked up once in a joint index (complaint row, agency row), the same fingerprints feed
//! the urgency lexicon and the near-duplicate SimHash. Nothing is allocated per post once the
//! [`Scratch`] buffers have warmed up, except the owned [`Prediction`] that [`Classifier::predict`]
//! returns; [`Classifier::analyse`] gives borrowed results for the bulk path.

pub mod calibrate;
pub mod dataset;
pub mod dedup;
pub mod eval;
pub mod features;
pub mod model;
pub mod select;
pub mod solver;
pub mod train;
pub mod urgency;

use crate::model::{Prediction, Reason};
use dedup::DupKey;
use features::{fingerprint, Features, Kind};
use model::{softmax, FpMap, LinearModel, ModelError, Task};
use std::path::Path;

pub use model::Scratch;

const SHIPPED_COMPLAINT: &str = include_str!("../../models/complaint.json");
const SHIPPED_AGENCY: &str = include_str!("../../models/agency.json");

/// How many reasons a prediction carries.
pub const REASONS: usize = 6;
/// How many agencies a prediction ranks.
pub const TOP_AGENCIES: usize = 3;

const NONE: u32 = u32::MAX;

/// Complaint + agency models with their feature extractor.
#[derive(Debug, Clone)]
pub struct Classifier {
    features: Features,
    pub complaint: LinearModel,
    pub agency: LinearModel,
    /// Calibrated probability at or above which a post is a complaint (the complaint model's
    /// own threshold unless overridden).
    pub threshold: f32,
    /// fingerprint -> (complaint row, agency row), `NONE` where a model lacks the feature.
    joint: FpMap<(u32, u32)>,
    /// fingerprint of `w:<cue>` -> (urgency weight, cue number < 64).
    urgency: FpMap<(f32, u32)>,
}

/// A reason before it is made owned: a span of the text (or a post-level feature name) and its
/// summed contribution to the complaint logit.
#[derive(Debug, Clone, Copy)]
pub struct RawReason {
    pub start: u32,
    pub end: u32,
    /// Row of the single feature when the reason has no span.
    pub row: u32,
    pub weight: f32,
}

/// Everything [`Classifier::analyse`] found, borrowing the scratch buffers.
#[derive(Debug)]
pub struct Analysis<'s> {
    pub complaint_score: f32,
    pub complaint: bool,
    /// Top agencies (label index, probability), best first.
    pub agencies: &'s [(u32, f32)],
    pub urgency: f32,
    pub dup: DupKey,
    pub reasons: &'s [RawReason],
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
        Ok(Classifier::new(
            Features::new(gov_handles),
            pick(Task::Complaint, SHIPPED_COMPLAINT)?,
            pick(Task::Agency, SHIPPED_AGENCY)?,
        ))
    }

    /// A classifier from two models.
    pub fn new(features: Features, complaint: LinearModel, agency: LinearModel) -> Classifier {
        let mut joint: FpMap<(u32, u32)> = FpMap::default();
        for (i, v) in complaint.vocab.iter().enumerate() {
            joint
                .entry(fingerprint(v.as_bytes()))
                .or_insert((NONE, NONE))
                .0 = i as u32;
        }
        for (i, v) in agency.vocab.iter().enumerate() {
            joint
                .entry(fingerprint(v.as_bytes()))
                .or_insert((NONE, NONE))
                .1 = i as u32;
        }
        let urgency = urgency::CUES
            .iter()
            .take(64)
            .enumerate()
            .map(|(i, (w, s))| (fingerprint(format!("w:{w}").as_bytes()), (*s, i as u32)))
            .collect();
        Classifier {
            features,
            threshold: complaint.decision_threshold(),
            complaint,
            agency,
            joint,
            urgency,
        }
    }

    /// The id recorded with predictions: both models' ids.
    pub fn model_id(&self) -> String {
        format!("{}+{}", self.complaint.id, self.agency.id)
    }

    /// The feature extractor.
    pub fn features(&self) -> &Features {
        &self.features
    }

    /// Classifies one post into borrowed results (the bulk path: no allocation once `w` has
    /// warmed up).
    pub fn analyse<'s>(
        &self,
        text: &str,
        account: Option<&str>,
        w: &'s mut Scratch,
    ) -> Analysis<'s> {
        let Scratch {
            rows: crow,
            spans,
            logits: alogits,
            feats,
            agency_rows: arow,
            ranked,
            reasons,
            sim,
            cstamp,
            astamp,
            generation,
            pending,
            ..
        } = w;
        crow.clear();
        arow.clear();
        spans.clear();
        sim.clear();
        // distinct features are told apart by stamping their model rows with the post's
        // generation number: no per-post set to clear or hash into
        if cstamp.len() < self.complaint.vocab.len() || astamp.len() < self.agency.vocab.len() {
            cstamp.resize(self.complaint.vocab.len(), 0);
            astamp.resize(self.agency.vocab.len(), 0);
        }
        *generation = generation.wrapping_add(1);
        if *generation == 0 {
            cstamp.iter_mut().for_each(|s| *s = 0);
            astamp.iter_mut().for_each(|s| *s = 0);
            *generation = 1;
        }
        let gen = *generation;
        let mut not_urgent = 1.0f32;
        let mut cues_seen = 0u64;
        let urg = &self.urgency;
        // first pass: fingerprints (with the urgency and duplicate work on words) into a
        // buffer; second pass: the vocabulary lookups, independent of each other so the CPU
        // overlaps their cache misses instead of waiting on each in turn
        pending.clear();
        self.features
            .for_each(text, account, feats, |name, kind, s, e| {
                let fp = fingerprint(name.as_bytes());
                if kind == Kind::Word {
                    if let Some(&(u, bit)) = urg.get(&fp) {
                        if cues_seen & (1 << bit) == 0 {
                            cues_seen |= 1 << bit;
                            not_urgent *= 1.0 - u;
                        }
                    }
                    // MinHash is idempotent: repeated words need no dedup
                    if dedup::counts_for_dup(name) {
                        sim.add(fp);
                    }
                }
                pending.push((fp, s, e));
            });
        for &(fp, s, e) in pending.iter() {
            if let Some(&(c, a)) = self.joint.get(&fp) {
                let stamp = if c != NONE {
                    &mut cstamp[c as usize]
                } else {
                    &mut astamp[a as usize]
                };
                if *stamp == gen {
                    continue;
                }
                *stamp = gen;
                if c != NONE {
                    crow.push(c);
                    spans.push((s, e));
                }
                if a != NONE {
                    arow.push(a);
                }
            }
        }
        // complaint
        self.complaint.logits_of(crow, alogits);
        let complaint_score = self.complaint.probability(alogits[0]);
        let complaint = complaint_score >= self.threshold;
        // reasons: contributions summed per span (a word with its character n-grams, a
        // bigram, a negation), post-level features on their own
        reasons.clear();
        for ((&r, &(s, e)), c) in crow
            .iter()
            .zip(spans.iter())
            .zip(self.complaint.contributions(crow, 0))
        {
            match reasons.last_mut() {
                Some(last) if e > s && last.start == s && last.end == e => last.weight += c,
                _ => reasons.push(RawReason {
                    start: s,
                    end: e,
                    row: r,
                    weight: c,
                }),
            }
        }
        // keep the REASONS largest by magnitude (merging runs may leave equal spans apart:
        // a repeated word; they stay separate entries of the same span)
        let keep = REASONS.min(reasons.len());
        if keep > 0 {
            reasons
                .select_nth_unstable_by(keep - 1, |a, b| b.weight.abs().total_cmp(&a.weight.abs()));
            reasons.truncate(keep);
            reasons.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
        }
        reasons.retain(|r| r.weight.abs() > 1e-4);
        // agency
        self.agency.logits_of(arow, alogits);
        softmax(alogits);
        ranked.clear();
        for (i, &p) in alogits.iter().enumerate() {
            ranked.push((i as u32, p));
            if ranked.len() > TOP_AGENCIES {
                ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
                ranked.truncate(TOP_AGENCIES);
            }
        }
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        Analysis {
            complaint_score,
            complaint,
            agencies: ranked,
            urgency: 1.0 - not_urgent,
            dup: sim.finish(),
            reasons,
        }
    }

    /// The text a reason shows: the span of the post, or the feature's name.
    pub fn reason_text<'a>(&'a self, text: &'a str, r: &RawReason) -> &'a str {
        if r.end > r.start {
            text.get(r.start as usize..r.end as usize).unwrap_or("")
        } else {
            self.complaint
                .vocab
                .get(r.row as usize)
                .map(String::as_str)
                .unwrap_or("")
        }
    }

    /// Classifies one post (`dup_group` is left empty: grouping needs a batch, see
    /// [`Classifier::predict_in`]).
    pub fn predict(&self, text: &str, account: Option<&str>, scratch: &mut Scratch) -> Prediction {
        self.predict_with(text, account, scratch, None)
    }

    /// Classifies one post of a batch whose near-duplicate groups `groups` keeps.
    pub fn predict_in(
        &self,
        text: &str,
        account: Option<&str>,
        scratch: &mut Scratch,
        groups: &mut dedup::DupIndex,
    ) -> Prediction {
        self.predict_with(text, account, scratch, Some(groups))
    }

    fn predict_with(
        &self,
        text: &str,
        account: Option<&str>,
        scratch: &mut Scratch,
        groups: Option<&mut dedup::DupIndex>,
    ) -> Prediction {
        let a = self.analyse(text, account, scratch);
        let dup_group = groups.map(|g| dedup::group_id(g.assign(a.dup)));
        let reasons = a
            .reasons
            .iter()
            .map(|r| Reason {
                feature: self.reason_text(text, r).to_string(),
                weight: r.weight,
                span: (r.end > r.start).then_some((r.start as usize, r.end as usize)),
            })
            .collect();
        let agency_scores: Vec<(String, f32)> = a
            .agencies
            .iter()
            .map(|&(i, p)| (self.agency.labels[i as usize].clone(), p))
            .collect();
        Prediction {
            model_id: self.model_id(),
            complaint: a.complaint,
            complaint_score: a.complaint_score,
            agency: if a.complaint {
                agency_scores.first().map(|(c, _)| c.clone())
            } else {
                None
            },
            agency_scores,
            urgency: a.urgency,
            urgent: a.complaint && a.urgency >= urgency::URGENT_AT,
            dup_group,
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
        let text = "jalan di kayu tangi berlubang parah sudah sebulan tolong diperbaiki pak";
        let bad = c.predict(text, Some("pemkot_bjm"), &mut s);
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
        // reasons point into the text and are sorted by magnitude
        for r in &bad.reasons {
            if let Some((s, e)) = r.span {
                assert_eq!(&text[s..e], r.feature);
            }
        }
        assert!(bad
            .reasons
            .windows(2)
            .all(|w| w[0].weight.abs() >= w[1].weight.abs()));
        assert!(bad
            .reasons
            .iter()
            .any(|r| r.weight > 0.0 && r.span.is_some()));
    }

    #[test]
    fn analyse_agrees_with_each_model_alone() {
        let c = Classifier::shipped(vec!["pemkot_bjm".into()]).unwrap();
        let mut w = Scratch::default();
        let mut s = Scratch::default();
        for text in [
            "Sampah di TPS Kelayan nda diangkut 3 hari!! bau banar @pemkot_bjm",
            "terima kasih pak wali atas bantuannya 🙏",
            "",
            "RT @dlh_bjm: jadwal angkut sampah minggu ini https://t.co/x",
        ] {
            let a = c.analyse(text, Some("pemkot_bjm"), &mut w);
            let (score, top) = (a.complaint_score, a.agencies[0]);
            c.complaint
                .collect(c.features(), text, Some("pemkot_bjm"), &mut s);
            let p = c.complaint.probability(c.complaint.logits(&mut s)[0]);
            assert!((p - score).abs() < 1e-6, "{text}: {p} vs {score}");
            c.agency
                .collect(c.features(), text, Some("pemkot_bjm"), &mut s);
            let mut probs = c.agency.logits(&mut s).to_vec();
            softmax(&mut probs);
            assert!((probs[top.0 as usize] - top.1).abs() < 1e-6);
            assert!(probs.iter().all(|p| *p <= top.1 + 1e-6));
        }
    }
}
