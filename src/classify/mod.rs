//! The classifier: is a post a public-service complaint, which agency should handle it, how
//! urgent is it, which other posts is it a near copy of, and which words pushed the decision.
//!
//! Linear models trained with linfa ([`train`], model selection in [`select`]) and exported to
//! our own versioned file ([`model`]); inference is a sparse dot product over the post's
//! features ([`features`]). The shipped models (`models/complaint.json`, `models/agency.json`)
//! are embedded in the binary; a model directory can override either.
//!
//! One pass over a post's features serves everything: each feature name is fingerprinted once
//! and looked up once in a joint index of both models ([`joint`]), the same fingerprints feed
//! the urgency lexicon and the near-duplicate MinHash, and a word seen before brings its
//! word-level rows from the per-thread word cache without generating its features. Nothing is allocated per post once the
//! [`Scratch`] buffers have warmed up, except the owned [`Prediction`] that [`Classifier::predict`]
//! returns; [`Classifier::analyse`] gives borrowed results for the bulk path.

pub mod calibrate;
pub mod dataset;
pub mod dedup;
pub mod eval;
pub mod features;
pub mod joint;
pub mod model;
pub mod select;
pub mod solver;
pub mod train;
pub mod urgency;

use crate::model::{Prediction, Reason};
use dedup::DupKey;
use features::{fingerprint, FeatureOptions, Features, Kind, Sink};
use joint::{prefetch, JointIndex, Row, WordCache, WordInfo, NONE};
use model::{softmax, FpMap, LinearModel, ModelError, Task};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

pub use model::Scratch;

const SHIPPED_COMPLAINT: &str = include_str!("../../models/complaint.json");
const SHIPPED_AGENCY: &str = include_str!("../../models/agency.json");

/// How many reasons a prediction carries.
pub const REASONS: usize = 6;
/// How many agencies a prediction ranks.
pub const TOP_AGENCIES: usize = 3;

/// Complaint + agency models with their feature extractor.
#[derive(Debug, Clone)]
pub struct Classifier {
    features: Features,
    pub complaint: LinearModel,
    pub agency: LinearModel,
    /// Calibrated probability at or above which a post is a complaint (the complaint model's
    /// own threshold unless overridden).
    pub threshold: f32,
    /// Both vocabularies: fingerprint -> joint row.
    joint: JointIndex,
    /// Identity of this classifier's joint rows, for the word caches of [`Scratch`]es.
    uid: u64,
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

/// The feature sink of [`Classifier::analyse`]: both models' sums over the distinct known
/// features (in first occurrence order, as [`LinearModel::logits_of`] sums them), the
/// complaint rows with their spans for the reasons, urgency cues and near-duplicate hashing
/// of words; word-level features are taken from (and recorded into) the word cache.
struct Collect<'a> {
    joint: &'a JointIndex,
    urgency: &'a FpMap<(f32, u32)>,
    words: &'a mut WordCache,
    stamp: &'a mut [u32],
    gen: u32,
    acc: Acc<'a>,
    sim: &'a mut dedup::DupHasher,
    not_urgent: f32,
    cues_seen: u64,
    /// A word's features are being recorded into the cache.
    recording: bool,
    info: WordInfo,
    /// Span of the word being recorded.
    span: (u32, u32),
}

/// The running sums of one post.
struct Acc<'a> {
    /// Complaint: per block, sum of squared scales and of scale × weight.
    css: [f32; 2],
    csum: [f32; 2],
    /// Complaint rows, their spans and (scale, weight, block).
    crow: &'a mut Vec<u32>,
    spans: &'a mut Vec<(u32, u32)>,
    cvals: &'a mut Vec<(f32, f32, u32)>,
    /// Agency: per block, sum of squared scales, and the scale-weighted rows (block-major).
    ass: [f32; 2],
    aacc: &'a mut [f32],
    aweights: &'a [f32],
    outs: usize,
}

impl Acc<'_> {
    /// Starts loading agency weight row `a` (76 bytes for 19 agencies: two or three lines).
    #[inline]
    fn prefetch_agency(&self, a: u32) {
        let outs = self.outs;
        let a = a as usize;
        if outs == 0 {
            return;
        }
        if let Some(row) = self.aweights.get(a * outs..(a + 1) * outs) {
            let mut k = 0;
            while k < outs {
                prefetch(&row[k]);
                k += 16;
            }
            prefetch(&row[outs - 1]);
        }
    }

    /// Adds a distinct row.
    #[inline]
    fn add(&mut self, r: &Row, s: u32, e: u32) {
        if r.c != NONE {
            let b = (r.blocks & 1) as usize;
            self.css[b] += r.cs * r.cs;
            self.csum[b] += r.cs * r.cw;
            self.crow.push(r.c);
            self.spans.push((s, e));
            self.cvals.push((r.cs, r.cw, b as u32));
        }
        if r.a != NONE {
            let b = (r.blocks >> 1) as usize;
            let sc = r.as_;
            self.ass[b] += sc * sc;
            let outs = self.outs;
            let a = r.a as usize;
            let row = &self.aweights[a * outs..(a + 1) * outs];
            for (x, w) in self.aacc[b * outs..(b + 1) * outs].iter_mut().zip(row) {
                *x += sc * w;
            }
        }
    }
}

impl Collect<'_> {
    /// A `w:` feature: urgency cue and near-duplicate hashing.
    #[inline]
    fn word_info(&mut self, info: WordInfo) {
        let (u, bit) = info.cue;
        if bit != NONE && self.cues_seen & (1 << bit) == 0 {
            self.cues_seen |= 1 << bit;
            self.not_urgent *= 1.0 - u;
        }
        // MinHash is idempotent: repeated words need no dedup
        if info.dup {
            self.sim.add(info.w_fp);
        }
    }
}

impl Sink for Collect<'_> {
    #[inline]
    fn feature(&mut self, name: &str, kind: Kind, s: u32, e: u32) {
        self.feature_bytes(name.as_bytes(), kind, s, e);
    }

    #[inline]
    fn feature_bytes(&mut self, name: &[u8], kind: Kind, s: u32, e: u32) {
        let fp = fingerprint(name);
        if kind == Kind::Word {
            let info = WordInfo {
                w_fp: fp,
                dup: dedup::counts_for_dup_bytes(name),
                cue: self.urgency.get(&fp).copied().unwrap_or((0.0, NONE)),
            };
            self.word_info(info);
            if self.recording {
                self.info = info;
            }
        }
        if let Some(j) = self.joint.get(fp) {
            let row = self.joint.rows[j as usize];
            if self.recording && self.words.is_open() {
                // summed when the word is complete (its rows then are the cache's copies),
                // in this same order; meanwhile their random reads are under way
                self.words.record(j, row);
                prefetch(self.stamp.as_ptr().wrapping_add(j as usize));
                if row.a != NONE {
                    self.acc.prefetch_agency(row.a);
                }
                return;
            }
            // distinct features are told apart by stamping their joint rows with the post's
            // generation number: no per-post set to clear or hash into
            let st = &mut self.stamp[j as usize];
            if *st != self.gen {
                *st = self.gen;
                self.acc.add(&row, s, e);
            }
        }
    }

    #[inline]
    fn word(&mut self, text: &str, norm: &str, s: u32, e: u32) -> bool {
        match self.words.lookup(text, norm) {
            Some((rows, info)) => {
                // all of the word's rows are known at once: start the random reads of their
                // stamps (0.3 MB) and agency weight rows (2.8 MB) together, so that their
                // cache misses overlap instead of stalling the sums one row at a time
                for (j, row) in rows {
                    prefetch(self.stamp.as_ptr().wrapping_add(*j as usize));
                    if row.a != NONE {
                        self.acc.prefetch_agency(row.a);
                    }
                }
                for (j, row) in rows {
                    let st = &mut self.stamp[*j as usize];
                    if *st != self.gen {
                        *st = self.gen;
                        self.acc.add(row, s, e);
                    }
                }
                self.word_info(info);
                true
            }
            None => {
                self.recording = true;
                self.span = (s, e);
                false
            }
        }
    }

    #[inline]
    fn upcoming_word(&mut self, text: &str, norm: &str) {
        self.words.prefetch(text, norm);
    }

    #[inline]
    fn word_done(&mut self) {
        self.recording = false;
        let (s, e) = self.span;
        for (j, row) in self.words.recorded() {
            let st = &mut self.stamp[*j as usize];
            if *st != self.gen {
                *st = self.gen;
                self.acc.add(row, s, e);
            }
        }
        self.words.close(self.info);
    }
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

    /// A classifier from two models (read-only afterwards: the joint index copies their
    /// scales and complaint weights).
    pub fn new(features: Features, complaint: LinearModel, agency: LinearModel) -> Classifier {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let urgency = urgency::CUES
            .iter()
            .take(64)
            .enumerate()
            .map(|(i, (w, s))| (fingerprint(format!("w:{w}").as_bytes()), (*s, i as u32)))
            .collect();
        // the extractor emits every optional family either model was trained with
        let options = features
            .options()
            .union(FeatureOptions::of_settings(&complaint.settings))
            .union(FeatureOptions::of_settings(&agency.settings));
        Classifier {
            features: features.with_options(options),
            threshold: complaint.decision_threshold(),
            joint: JointIndex::new(&complaint, &agency),
            uid: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            complaint,
            agency,
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
    ///
    /// The results are the ones [`LinearModel::logits_of`] gives for each model alone, to the
    /// bit: the same products summed in the same order (each model's distinct rows in first
    /// occurrence order), from the joint rows' copies of the same numbers.
    pub fn analyse<'s>(
        &self,
        text: &str,
        account: Option<&str>,
        w: &'s mut Scratch,
    ) -> Analysis<'s> {
        let Scratch {
            rows: crow,
            spans,
            logits,
            feats,
            ranked,
            reasons,
            sim,
            cvals,
            aacc,
            stamp,
            generation,
            words,
            ..
        } = w;
        crow.clear();
        spans.clear();
        cvals.clear();
        sim.clear();
        words.bind(self.uid);
        if stamp.len() < self.joint.rows.len() {
            stamp.resize(self.joint.rows.len(), 0);
        }
        *generation = generation.wrapping_add(1);
        if *generation == 0 {
            stamp.iter_mut().for_each(|s| *s = 0);
            *generation = 1;
        }
        let outs = self.agency.outputs();
        aacc.clear();
        aacc.resize(2 * outs, 0.0);
        let mut sink = Collect {
            joint: &self.joint,
            urgency: &self.urgency,
            words,
            stamp,
            gen: *generation,
            acc: Acc {
                css: [0.0; 2],
                csum: [0.0; 2],
                crow,
                spans,
                cvals,
                ass: [0.0; 2],
                aacc,
                aweights: &self.agency.weights,
                outs,
            },
            sim,
            not_urgent: 1.0,
            cues_seen: 0,
            recording: false,
            span: (0, 0),
            info: WordInfo {
                w_fp: 0,
                dup: false,
                cue: (0.0, NONE),
            },
        };
        self.features.for_each_in(text, account, feats, &mut sink);
        let not_urgent = sink.not_urgent;
        let Acc { css, csum, ass, .. } = sink.acc;
        // complaint: as `logits_of` with one output
        let v = self.complaint.normalisers(css);
        let mut logit = self.complaint.intercepts[0];
        logit += v[0] * csum[0] + v[1] * csum[1];
        let complaint_score = self.complaint.probability(logit);
        let complaint = complaint_score >= self.threshold;
        // reasons: contributions summed per span (a word with its character n-grams, a
        // bigram, a negation), post-level features on their own
        reasons.clear();
        for ((&r, &(s, e)), &(cs, cw, b)) in crow.iter().zip(spans.iter()).zip(cvals.iter()) {
            let c = v[b as usize] * cs * cw;
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
        // agency: as `logits_of`
        let v = self.agency.normalisers(ass);
        logits.clear();
        logits.extend_from_slice(&self.agency.intercepts);
        for (k, l) in logits.iter_mut().enumerate() {
            *l += v[0] * aacc[k] + v[1] * aacc[outs + k];
        }
        softmax(logits);
        ranked.clear();
        for (i, &p) in logits.iter().enumerate() {
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

    #[test]
    fn optional_features_of_a_model_reach_inference() {
        use train::{Example, Linfa, TrainParams};
        let ex = |text: &str, label: &str| Example {
            text: text.into(),
            account: None,
            label: label.into(),
        };
        let rows = vec![
            ex("jalan rusak berlubang di depan pasar", "dinas-pupr"),
            ex("jalan berlubang parah dekat sekolah", "dinas-pupr"),
            ex("sampah menumpuk di pinggir jalan", "dlh"),
            ex("sampah tidak diangkut sudah seminggu", "dlh"),
        ];
        let options = features::FeatureOptions {
            lead_words: 2,
            trigrams: true,
            skip_bigrams: false,
            stems: true,
            stem_bigrams: true,
        };
        let p = TrainParams {
            min_df: 1,
            feature_options: options,
            linfa: Linfa::Never,
            ..TrainParams::default()
        };
        let agency = train::train_multi(&Features::default(), &rows, &p, "test")
            .unwrap()
            .model;
        assert!(agency.row("p:sampah").is_some());
        assert!(agency.row("t:sampah menumpuk di").is_some());
        assert_eq!(
            features::FeatureOptions::of_settings(&agency.settings),
            options
        );
        let shipped = Classifier::shipped(Vec::new()).unwrap();
        let c = Classifier::new(Features::default(), shipped.complaint.clone(), agency);
        assert_eq!(c.features().options(), options);
        let mut w = Scratch::default();
        let mut s = Scratch::default();
        for text in ["sampah menumpuk lagi di jalan", "jalan rusak, sampah juga"] {
            let a = c.analyse(text, None, &mut w);
            let top = a.agencies[0];
            c.agency.collect(c.features(), text, None, &mut s);
            let lead = c.agency.row("p:sampah").unwrap();
            assert_eq!(s.rows.contains(&lead), text.starts_with("sampah"));
            let mut probs = c.agency.logits(&mut s).to_vec();
            softmax(&mut probs);
            assert!((probs[top.0 as usize] - top.1).abs() < 1e-6, "{text}");
            assert!(probs.iter().all(|p| *p <= top.1 + 1e-6));
            // the complaint model is untouched by the agency model's extra features
            c.complaint.collect(shipped.features(), text, None, &mut s);
            let q = c.complaint.probability(c.complaint.logits(&mut s)[0]);
            assert!((a.complaint_score - q).abs() < 1e-6, "{text}");
        }
    }
}
