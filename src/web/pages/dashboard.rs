//! The dashboard (`/dashboard`): posts harvested, flagged, accepted and forwarded per day and per
//! agency, the backlog's age, the median time from post to forward, and the model's confidence
//! histogram — each as a server-rendered SVG chart with its numbers in a table beside it.
//!
//! Computed from the review index in one pass, so it costs milliseconds at 100,000 items.
//! "Harvested" counts classified posts by the day they were posted (WITA).

use super::{layout, Nav};
use crate::model::Status;
use crate::web::auth::Identity;
use crate::web::charts;
use crate::web::error::WebError;
use crate::web::index::Row;
use crate::web::render;
use crate::web::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// `?days=7|30|90`
#[derive(Debug, Deserialize)]
pub struct DashParams {
    pub days: Option<String>,
}

/// Per-agency numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgencyStats {
    pub backlog: usize,
    pub accepted: usize,
    pub forwarded: usize,
    forward_hours: Vec<f64>,
}

impl AgencyStats {
    /// Median hours from post to forward.
    pub fn median_hours(&self) -> Option<f64> {
        median(&self.forward_hours)
    }
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub days: Vec<NaiveDate>,
    pub harvested: Vec<usize>,
    pub flagged: Vec<usize>,
    pub accepted: Vec<usize>,
    pub forwarded: Vec<usize>,
    pub per_agency: BTreeMap<String, AgencyStats>,
    /// Flagged items by age: <1 day, 1–2 days, 3–6 days, ≥7 days.
    pub backlog_age: [usize; 4],
    pub backlog: usize,
    pub urgent_backlog: usize,
    pub oldest_hours: Option<f64>,
    /// Complaint probability of every classified item, in tenths.
    pub confidence: [usize; 10],
    forward_hours: Vec<f64>,
    pub by_status: BTreeMap<Status, usize>,
}

impl Stats {
    /// Median hours from post to forward, over the whole store.
    pub fn median_forward_hours(&self) -> Option<f64> {
        median(&self.forward_hours)
    }
}

fn median(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() / 2;
    Some(if s.len() % 2 == 0 {
        (s[m - 1] + s[m]) / 2.0
    } else {
        s[m]
    })
}

fn local_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&crate::report::wita()).date_naive()
}

fn hours_between(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    (b - a).num_seconds().max(0) as f64 / 3600.0
}

/// The WITA day number of a time (days since 1970-01-01 in UTC+8): cheaper than a calendar
/// conversion per row.
fn wita_day_number(t: DateTime<Utc>) -> i64 {
    (t.timestamp() + 8 * 3600).div_euclid(86_400)
}

/// Computes the dashboard over `rows` for the `n_days` days ending on `now`'s day.
pub fn compute<'a>(
    rows: &mut dyn Iterator<Item = &'a Row>,
    now: DateTime<Utc>,
    n_days: usize,
) -> Stats {
    let today = local_day(now);
    let first = today - Duration::days(n_days.saturating_sub(1) as i64);
    let days: Vec<NaiveDate> = (0..n_days)
        .map(|i| first + Duration::days(i as i64))
        .collect();
    let last_n = wita_day_number(now);
    let first_n = last_n - n_days.saturating_sub(1) as i64;
    let slot = |t: DateTime<Utc>| -> Option<usize> {
        let d = wita_day_number(t);
        (d >= first_n && d <= last_n).then(|| (d - first_n) as usize)
    };
    let mut s = Stats {
        harvested: vec![0; n_days],
        flagged: vec![0; n_days],
        accepted: vec![0; n_days],
        forwarded: vec![0; n_days],
        days,
        ..Stats::default()
    };
    let mut by_status = [0usize; Status::ALL.len()];
    // One hash lookup per row on borrowed codes; turned into the sorted map at the end.
    let mut per_agency: HashMap<&'a str, AgencyStats> = HashMap::new();
    for r in rows {
        by_status[r.status.code() as usize] += 1;
        let bin = ((r.score.clamp(0.0, 1.0) * 10.0) as usize).min(9);
        s.confidence[bin] += 1;
        if let Some(i) = slot(r.created_at) {
            s.harvested[i] += 1;
            if r.status != Status::Dismissed {
                s.flagged[i] += 1;
            }
        }
        let agency = r.agency.as_deref().unwrap_or("lainnya");
        match r.status {
            Status::Flagged => {
                s.backlog += 1;
                if r.urgent {
                    s.urgent_backlog += 1;
                }
                let h = hours_between(r.created_at, now);
                s.oldest_hours = Some(s.oldest_hours.map_or(h, |o| o.max(h)));
                let b = match h {
                    h if h < 24.0 => 0,
                    h if h < 72.0 => 1,
                    h if h < 168.0 => 2,
                    _ => 3,
                };
                s.backlog_age[b] += 1;
                per_agency.entry(agency).or_default().backlog += 1;
            }
            Status::Accepted | Status::Reported | Status::Forwarded => {
                if let Some(i) = r.decided_at.and_then(slot) {
                    s.accepted[i] += 1;
                }
                let forwarded = r.status == Status::Forwarded;
                let h = hours_between(r.created_at, r.updated_at);
                let a = per_agency.entry(agency).or_default();
                a.accepted += 1;
                if forwarded {
                    a.forwarded += 1;
                    a.forward_hours.push(h);
                }
                if forwarded {
                    s.forward_hours.push(h);
                    if let Some(i) = slot(r.updated_at) {
                        s.forwarded[i] += 1;
                    }
                }
            }
            _ => {}
        }
    }
    s.per_agency = per_agency
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    for st in Status::ALL {
        let n = by_status[st.code() as usize];
        if n > 0 {
            s.by_status.insert(st, n);
        }
    }
    s
}

/// `GET /dashboard`
pub async fn show(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Query(p): Query<DashParams>,
) -> Result<Response, WebError> {
    state.index.refresh()?;
    let n_days = match p.days.as_deref() {
        Some("7") => 7,
        Some("90") => 90,
        _ => 30,
    };
    let stats = state
        .index
        .with_rows(|rows| compute(rows, Utc::now(), n_days));
    Ok(render_page(&state, &who, &stats, n_days).into_response())
}

fn legend(names: &[&str]) -> Markup {
    html! {
        ul.legend {
            @for (i, n) in names.iter().enumerate() {
                li { span class=(format!("swatch {}", charts::color_class(i))) {} (n) }
            }
        }
    }
}

fn render_page(state: &AppState, who: &Identity, s: &Stats, n_days: usize) -> Markup {
    let labels: Vec<String> = s.days.iter().map(|d| render::day(*d)).collect();
    let sum = |v: &[usize]| v.iter().sum::<usize>();
    let daily_svg = charts::lines(
        &labels,
        &[
            ("Dipanen", s.harvested.clone()),
            ("Ditandai", s.flagged.clone()),
            ("Diterima", s.accepted.clone()),
            ("Diteruskan", s.forwarded.clone()),
        ],
        720,
        260,
    );
    let mut agencies: Vec<(&String, &AgencyStats)> = s.per_agency.iter().collect();
    agencies.sort_by(|a, b| {
        (b.1.backlog + b.1.accepted)
            .cmp(&(a.1.backlog + a.1.accepted))
            .then(a.0.cmp(b.0))
    });
    let agency_labels: Vec<String> = agencies
        .iter()
        .map(|(c, _)| state.agency_name(c).to_string())
        .collect();
    let agency_svg = charts::hbars(
        &agency_labels,
        &[
            agencies.iter().map(|(_, a)| a.backlog).collect(),
            agencies
                .iter()
                .map(|(_, a)| a.accepted - a.forwarded)
                .collect(),
            agencies.iter().map(|(_, a)| a.forwarded).collect(),
        ],
        560,
    );
    let age_labels = ["< 1 hari", "1–2 hari", "3–6 hari", "≥ 7 hari"].map(String::from);
    let age_svg = charts::bars(&age_labels, &s.backlog_age, 3, 420, 220);
    let conf_labels: Vec<String> = (0..10).map(|i| format!("{}", i * 10)).collect();
    let conf_svg = charts::bars(&conf_labels, &s.confidence, 1, 420, 220);
    let content = html! {
        div.page-head {
            h1 { "Dasbor" }
            nav.tabs {
                @for d in [7, 30, 90] {
                    a.active[d == n_days] href=(format!("/dashboard?days={d}")) { (d) " hari" }
                }
            }
        }
        div.kpis.wide {
            div.kpi { span.kpi-label { "Perlu ditinjau" } span.kpi-value { (render::int(s.backlog)) } }
            div.kpi.danger[s.urgent_backlog > 0] { span.kpi-label { "Darurat di antrean" } span.kpi-value { (render::int(s.urgent_backlog)) } }
            div.kpi { span.kpi-label { "Diterima (" (n_days) " hari)" } span.kpi-value { (render::int(sum(&s.accepted))) } }
            div.kpi { span.kpi-label { "Diteruskan (" (n_days) " hari)" } span.kpi-value { (render::int(sum(&s.forwarded))) } }
            div.kpi { span.kpi-label { "Median unggahan → LAPOR" } span.kpi-value { (s.median_forward_hours().map(render::hours).unwrap_or_else(|| "—".into())) } }
            div.kpi { span.kpi-label { "Antrean tertua" } span.kpi-value { (s.oldest_hours.map(render::hours).unwrap_or_else(|| "—".into())) } }
        }
        section.card.chart-card {
            h2 { "Per hari (" (n_days) " hari terakhir, WITA)" }
            div.chart-row {
                figure.chart { (PreEscaped(daily_svg)) (legend(&["Dipanen", "Ditandai", "Diterima", "Diteruskan"])) }
                div.numbers.scroll {
                    table.num {
                        thead { tr { th { "Tanggal" } th { "Dipanen" } th { "Ditandai" } th { "Diterima" } th { "Diteruskan" } } }
                        tbody {
                            @for i in (0..s.days.len()).rev() {
                                tr {
                                    td { (labels[i]) }
                                    td { (s.harvested[i]) } td { (s.flagged[i]) } td { (s.accepted[i]) } td { (s.forwarded[i]) }
                                }
                            }
                        }
                        tfoot { tr { th { "Jumlah" } th { (sum(&s.harvested)) } th { (sum(&s.flagged)) } th { (sum(&s.accepted)) } th { (sum(&s.forwarded)) } } }
                    }
                }
            }
        }
        section.card.chart-card {
            h2 { "Per instansi (seluruh data)" }
            div.chart-row {
                figure.chart { (PreEscaped(agency_svg)) (legend(&["Di antrean", "Diterima, belum diteruskan", "Diteruskan"])) }
                div.numbers {
                    table.num {
                        thead { tr { th { "Instansi" } th { "Antrean" } th { "Diterima" } th { "Diteruskan" } th { "Median ke LAPOR" } } }
                        tbody {
                            @for (code, a) in &agencies {
                                tr {
                                    td title=(code) { (state.agency_name(code)) }
                                    td { (a.backlog) } td { (a.accepted) } td { (a.forwarded) }
                                    td { (a.median_hours().map(render::hours).unwrap_or_else(|| "—".into())) }
                                }
                            }
                        }
                    }
                }
            }
        }
        div.two {
            section.card.chart-card {
                h2 { "Umur antrean" }
                figure.chart { (PreEscaped(age_svg)) }
                table.num {
                    tbody {
                        @for (l, v) in age_labels.iter().zip(s.backlog_age) {
                            tr { td { (l) } td { (v) } }
                        }
                    }
                }
            }
            section.card.chart-card {
                h2 { "Keyakinan model (peluang aduan, %)" }
                figure.chart { (PreEscaped(conf_svg)) }
                table.num.compact {
                    thead { tr { @for l in &conf_labels { th { (l) "–" } } } }
                    tbody { tr { @for v in s.confidence { td { (v) } } } }
                }
            }
        }
        section.card {
            h2 { "Menurut status" }
            table.num {
                tbody {
                    @for (st, n) in &s.by_status {
                        tr { td { (render::status_label(*st)) } td { (render::int(*n)) } }
                    }
                }
            }
        }
    };
    layout("Dasbor", who, Nav::Dashboard, "dashboard", content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_follow_wita_midnight() {
        use chrono::TimeZone;
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for (h, m) in [(15, 59), (16, 0), (0, 0), (23, 59)] {
            let t = Utc.with_ymd_and_hms(2026, 11, 20, h, m, 0).unwrap();
            assert_eq!(wita_day_number(t), (local_day(t) - epoch).num_days(), "{t}");
        }
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}
