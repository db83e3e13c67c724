//! The HTML report of one run (`reports/run-<id>.html` in the data directory): stage counts,
//! per-platform results, errors, and four server-rendered SVG charts — flagged posts per agency,
//! new posts per platform, flagged vs dismissed, errors per platform. In Bahasa Indonesia, like
//! the review page. Everything that came from outside (error messages, source names) is escaped
//! by maud; the charts' labels by the SVG backend.

use super::charts::{self, ChartError, BLUE, GREY, ORANGE, RED};
use super::runs::RunRecord;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::path::{Path, PathBuf};

/// Directory of reports inside the data directory.
pub const REPORTS_DIR: &str = "reports";

/// Errors writing a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Chart(#[from] ChartError),
    #[error("cannot write report {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Where the report of run `id` lives.
pub fn report_path(data_dir: &Path, id: u64) -> PathBuf {
    data_dir.join(REPORTS_DIR).join(format!("run-{id}.html"))
}

fn outcome_id(outcome: &str) -> &'static str {
    match outcome {
        "ok" => "berhasil",
        "partial" => "selesai dengan galat",
        "running" => "sedang berjalan",
        _ => "terputus",
    }
}

fn chart(svg: Result<String, ChartError>) -> Result<Markup, ChartError> {
    Ok(html! { figure.chart { (PreEscaped(svg?)) } })
}

/// The report page of a run.
pub fn render(r: &RunRecord) -> Result<String, ChartError> {
    let per_agency: Vec<_> = {
        let mut v: Vec<_> = r.flagged_per_agency.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.into_iter()
            .map(|(a, n)| (a.clone(), *n, ORANGE))
            .collect()
    };
    let per_platform: Vec<_> = r
        .platforms
        .iter()
        .filter(|(_, res)| res.new > 0)
        .map(|(p, res)| (p.clone(), res.new, BLUE))
        .collect();
    let fvd = vec![
        ("ditandai (aduan)".to_string(), r.classify.flagged, ORANGE),
        ("diabaikan".to_string(), r.classify.dismissed, GREY),
        ("mendesak".to_string(), r.classify.urgent, RED),
    ];
    let mut errors: Vec<_> = r
        .platforms
        .iter()
        .filter(|(_, res)| res.errors > 0)
        .map(|(p, res)| (p.clone(), res.errors, RED))
        .collect();
    let unattributed = r
        .error_count()
        .saturating_sub(errors.iter().map(|e| e.1).sum::<usize>());
    if unattributed > 0 {
        errors.push(("tanpa platform".to_string(), unattributed, RED));
    }
    let charts = [
        chart(charts::bars("Aduan ditandai per SKPD", &per_agency))?,
        chart(charts::bars("Postingan baru per platform", &per_platform))?,
        chart(charts::bars("Ditandai vs diabaikan", &fvd))?,
        chart(charts::bars("Galat per platform", &errors))?,
    ];
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    let page = html! {
        (DOCTYPE)
        html lang="id" {
            head {
                meta charset="utf-8";
                title { "dengar — laporan run #" (r.id) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { "Laporan run #" (r.id) " — " (outcome_id(r.outcome())) }
                table.meta {
                    tr { th { "Mulai" } td { (fmt(r.started_at)) } }
                    tr { th { "Selesai" } td { (r.finished_at.map(fmt).unwrap_or_else(|| "—".into())) } }
                    tr { th { "Durasi" } td { (r.duration().map(super::status::human_duration).unwrap_or_else(|| "—".into())) } }
                    tr { th { "Model" } td { (r.model_id.as_deref().unwrap_or("—")) } }
                    tr { th { "Host / pid" } td { (r.host) " / " (r.pid) } }
                    tr { th { "Versi dengar" } td { (r.version) } }
                    @if let Some(t) = &r.took_over {
                        tr { th { "Kunci lama diambil alih" } td { (t) } }
                    }
                }
                h2 { "Tahapan" }
                table.stages {
                    tr { th { "Tahap" } th { "Hitungan" } }
                    tr { td { "Panen" } td { "dibaca " (r.harvest.read) ", baru " (r.harvest.new) ", sudah ada " (r.harvest.known) ", galat " (r.harvest.errors) } }
                    tr { td { "Klasifikasi" } td { "diproses " (r.classify.classified) ", ditandai " (r.classify.flagged) ", diabaikan " (r.classify.dismissed) ", mendesak " (r.classify.urgent) ", galat " (r.classify.errors) } }
                    @if let Some(f) = &r.forward {
                        tr { td { "Penerusan (" (f.target) ")" } td { "diteruskan " (f.forwarded) ", ditolak permanen " (f.failed_permanent) ", gagal sementara " (f.failed_retryable) ", tertunda " (f.not_attempted) } }
                    }
                    @if let Some(p) = &r.purge {
                        tr { td { "Retensi" } td { "isi dihapus " (p.content_purged) ", JSON mentah dihapus " (p.raw_purged) ", galat " (p.errors) } }
                    }
                }
                h2 { "Grafik" }
                div.charts { @for c in &charts { (c) } }
                h2 { "Per platform" }
                table.platforms {
                    tr { th { "Platform" } th { "Baru" } th { "Ditandai" } th { "Diabaikan" } th { "Galat" } }
                    @for (p, res) in &r.platforms {
                        tr { td { (p) } td { (res.new) } td { (res.flagged) } td { (res.dismissed) } td { (res.errors) } }
                    }
                }
                h2 { "Sumber" }
                table.sources {
                    tr { th { "Sumber" } th { "Dibaca" } th { "Baru" } th { "Sudah ada" } th { "Galat" } th { "Gagal" } }
                    @for s in &r.sources {
                        tr { td { (s.source) } td { (s.read) } td { (s.new) } td { (s.known) } td { (s.errors) } td { (s.failed.as_deref().unwrap_or("")) } }
                    }
                }
                h2 { "Galat (" (r.error_count()) ")" }
                @if r.errors.is_empty() {
                    p { "Tidak ada galat." }
                } @else {
                    ul.errors {
                        @for e in &r.errors {
                            li { b { (e.stage) } @if let Some(p) = &e.platform { " [" (p) "]" } @if let Some(s) = &e.source { " " (s) } ": " (e.message) }
                        }
                    }
                    @if r.errors_dropped > 0 { p { "… dan " (r.errors_dropped) " galat lain tidak disimpan." } }
                }
            }
        }
    };
    Ok(page.into_string())
}

const STYLE: &str = "body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}\
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}\
.charts{display:flex;flex-wrap:wrap;gap:1em}figure.chart{margin:0}ul.errors li{font-family:monospace;white-space:pre-wrap}";

/// Writes the report of a run into the data directory (atomically) and returns its path.
pub fn write(data_dir: &Path, r: &RunRecord) -> Result<PathBuf, ReportError> {
    let html = render(r)?;
    let path = report_path(data_dir, r.id);
    let io = |source| ReportError::Io {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(data_dir.join(REPORTS_DIR)).map_err(io)?;
    let tmp = path.with_extension("html.tmp");
    std::fs::write(&tmp, html)
        .and_then(|_| std::fs::rename(&tmp, &path))
        .map_err(io)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_escapes_messages_and_embeds_four_charts() {
        let mut r: RunRecord = serde_json::from_value(serde_json::json!({
            "id": 7, "state": "finished", "started_at": "2026-11-20T18:00:00Z",
            "finished_at": "2026-11-20T18:02:30Z", "ok": false, "model_id": "complaint-v1",
            "flagged_per_agency": {"dlh": 4, "dinas-pupr": 9},
            "classify": {"classified": 20, "flagged": 13, "dismissed": 7, "urgent": 1, "errors": 0}
        }))
        .unwrap();
        r.platforms.entry("x".into()).or_default().new = 20;
        r.push_error(
            "harvest",
            Some("x:mentions"),
            Some("x"),
            "<script>alert(1)</script>",
        );
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), &r).unwrap();
        assert_eq!(path, dir.path().join("reports/run-7.html"));
        let html = std::fs::read_to_string(&path).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert_eq!(html.matches("<svg").count(), 4);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("Laporan run #7 — selesai dengan galat"));
        assert!(html.contains("dinas-pupr"));
        assert!(html.contains("2 min"), "duration shown");
    }
}
