//! Queue filters as they travel in URLs: parsed from the query string into an index
//! [`Query`], and written back (validated values only) into links, so the item page, its
//! "next item" and the decision forms keep the reviewer's filter.

use super::index::Query;
use crate::catalog::Catalog;
use crate::model::{Platform, Status};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Deserialize;

/// The raw filter parameters (`?status=&agency=&platform=&from=&to=&q=&page=`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FilterParams {
    pub status: Option<String>,
    pub agency: Option<String>,
    pub platform: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub q: Option<String>,
    pub page: Option<String>,
}

/// A parsed filter: the index query, the values to echo into the form, and what was wrong.
#[derive(Debug, Clone)]
pub struct Filter {
    pub query: Query,
    pub from_date: Option<NaiveDate>,
    pub to_date: Option<NaiveDate>,
    /// Messages about ignored values (shown above the table).
    pub errors: Vec<String>,
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Start of a WITA day, in UTC.
fn day_start(d: NaiveDate) -> Option<DateTime<Utc>> {
    crate::report::wita()
        .from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// Longest search text accepted, in characters.
pub const MAX_SEARCH: usize = 200;

impl Filter {
    /// Parses the parameters; unknown values are ignored with a message, never an error page.
    pub fn parse(p: &FilterParams, catalog: &Catalog, page_size: usize) -> Filter {
        let mut errors = Vec::new();
        let mut q = Query {
            page_size,
            ..Query::default()
        };
        if let Some(s) = nonempty(&p.status) {
            match Status::parse(s).filter(|s| *s != Status::New) {
                Some(st) => q.status = st,
                None => {
                    errors.push("Status tidak dikenal; menampilkan yang perlu ditinjau.".into())
                }
            }
        }
        if let Some(a) = nonempty(&p.agency) {
            if catalog.agency(a).is_some() {
                q.agency = Some(a.to_string());
            } else {
                errors.push("Instansi tidak dikenal; filter instansi diabaikan.".into());
            }
        }
        if let Some(pl) = nonempty(&p.platform) {
            match Platform::parse(pl) {
                Some(pl) => q.platform = Some(pl),
                None => errors.push("Platform tidak dikenal; filter platform diabaikan.".into()),
            }
        }
        let date = |v: &Option<String>, what: &str, errors: &mut Vec<String>| {
            nonempty(v).and_then(|s| match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(format!(
                        "Tanggal {what} tidak sah (pakai TTTT-BB-HH); diabaikan."
                    ));
                    None
                }
            })
        };
        let from_date = date(&p.from, "awal", &mut errors);
        let to_date = date(&p.to, "akhir", &mut errors);
        q.from = from_date.and_then(day_start);
        q.to = to_date.and_then(|d| d.succ_opt()).and_then(day_start);
        if let Some(text) = nonempty(&p.q) {
            let t: String = text.chars().take(MAX_SEARCH).collect();
            q.text = Some(t.to_lowercase());
        }
        if let Some(page) = nonempty(&p.page) {
            q.page = page.parse::<usize>().ok().filter(|n| *n >= 1).unwrap_or(1);
        }
        Filter {
            query: q,
            from_date,
            to_date,
            errors,
        }
    }

    /// The filter as query-string pairs (validated values only, no page).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let q = &self.query;
        let mut out = Vec::new();
        if q.status != Status::Flagged {
            out.push(("status", q.status.as_str().to_string()));
        }
        if let Some(a) = &q.agency {
            out.push(("agency", a.clone()));
        }
        if let Some(p) = q.platform {
            out.push(("platform", p.as_str().to_string()));
        }
        if let Some(d) = self.from_date {
            out.push(("from", d.format("%Y-%m-%d").to_string()));
        }
        if let Some(d) = self.to_date {
            out.push(("to", d.format("%Y-%m-%d").to_string()));
        }
        if let Some(t) = &q.text {
            out.push(("q", t.clone()));
        }
        out
    }

    /// `a=1&b=2` for the filter plus extra pairs (empty when there is nothing).
    pub fn query_string(&self, extra: &[(&str, String)]) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.pairs() {
            s.append_pair(k, &v);
        }
        for (k, v) in extra {
            s.append_pair(k, v);
        }
        s.finish()
    }

    /// `path` plus `?query` when there is one.
    pub fn url(&self, path: &str, extra: &[(&str, String)]) -> String {
        let qs = self.query_string(extra);
        if qs.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{qs}")
        }
    }

    /// Whether any filter besides the default status is set.
    pub fn is_narrowed(&self) -> bool {
        !self.pairs().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> FilterParams {
        let qs = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        serde_json::from_value(serde_json::Value::Object(
            form_urlencoded::parse(qs.as_bytes())
                .map(|(k, v)| (k.into_owned(), serde_json::Value::String(v.into_owned())))
                .collect(),
        ))
        .unwrap()
    }

    #[test]
    fn valid_values_round_trip_and_bad_ones_are_reported() {
        let c = Catalog::embedded();
        let f = Filter::parse(
            &params(&[
                ("status", "accepted"),
                ("agency", "dlh"),
                ("platform", "instagram"),
                ("from", "2026-11-01"),
                ("to", "2026-11-30"),
                ("q", "Sampah & Banjir"),
                ("page", "3"),
            ]),
            &c,
            50,
        );
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        assert_eq!(f.query.status, Status::Accepted);
        assert_eq!(f.query.page, 3);
        assert_eq!(f.query.text.as_deref(), Some("sampah & banjir"));
        assert_eq!(
            f.query.from.unwrap().to_rfc3339(),
            "2026-10-31T16:00:00+00:00",
            "WITA midnight"
        );
        let qs = f.query_string(&[]);
        assert!(qs.contains("q=sampah+%26+banjir"), "{qs}");
        let bad = Filter::parse(
            &params(&[
                ("status", "x"),
                ("agency", "<b>"),
                ("from", "kemarin"),
                ("page", "-1"),
            ]),
            &c,
            50,
        );
        assert_eq!(bad.errors.len(), 3);
        assert_eq!(bad.query.status, Status::Flagged);
        assert_eq!(bad.query.page, 1);
        assert!(!bad.is_narrowed());
    }
}
