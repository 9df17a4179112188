//! `lagesbild report`: the lägesbild of an area and period as one self-contained HTML file
//! (and a PDF printed from it by headless Chromium), gathered through the audited access path
//! by `lagesbild-report`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::json;

use lagesbild_report::{Lang, Options, ReportError};

use crate::cli::Global;
use crate::context::{purpose, session, user_error};
use crate::output;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The area: a name in --areas (the events inside its polygon), or a place the events name
    #[arg(long)]
    pub area: String,
    /// The first day of the period (YYYY-MM-DD, or YYYY-MM for the first of the month)
    #[arg(long)]
    pub from: String,
    /// The last day of the period, included (YYYY-MM-DD, or YYYY-MM for the month's last)
    #[arg(long)]
    pub to: String,
    /// Where to write the HTML
    #[arg(long)]
    pub out: PathBuf,
    /// Areas as GeoJSON (Polygon/MultiPolygon features with a name): the area's outline and
    /// the districts on the map
    #[arg(long)]
    pub areas: Option<PathBuf>,
    /// Also print the report to this PDF with headless Chromium (/usr/bin/chromium or
    /// $CHROMIUM)
    #[arg(long)]
    pub pdf: Option<PathBuf>,
    /// sv (Swedish) or en (English)
    #[arg(long, default_value = "sv")]
    pub lang: String,
    /// The partner version (suppressed counts only, no names, events or networks), even for
    /// an analyst
    #[arg(long)]
    pub partner: bool,
}

fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

pub fn run(g: &Global, a: ReportArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let lang =
        Lang::parse(&a.lang).ok_or_else(|| user_error(format!("--lang {:?}: sv or en", a.lang)))?;
    let areas = match &a.areas {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))
                .map_err(|e| user_error(format!("{e:#}")))?;
            Some(
                lagesbild_geo::areas::parse(&path.display().to_string(), &text)
                    .map_err(|e| user_error(e.to_string()))?,
            )
        }
        None => None,
    };
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let opts = Options {
        area: a.area.clone(),
        from: a.from.clone(),
        to: a.to.clone(),
        areas,
        partner: a.partner,
        generated_at: now(),
    };
    let report = {
        let mut access = store.access(&who, &why);
        lagesbild_report::gather(&mut access, &opts).map_err(|e| match e {
            ReportError::Store(e) => anyhow::Error::from(e),
            other => user_error(other.to_string()),
        })?
    };
    let html = lagesbild_report::render_html(&report, lang);
    write_atomically(&a.out, html.as_bytes())?;
    if let Some(pdf) = &a.pdf {
        print_pdf(&a.out, pdf)?;
    }
    let seconds = started.elapsed().as_secs_f64();
    if g.json {
        output::json(&json!({
            "out": a.out, "bytes": html.len(), "pdf": a.pdf, "seconds": seconds,
            "partner": report.meta.partner, "classification": report.meta.classification,
            "meta": report.meta, "summary": report.summary,
            "observations": report.observations, "sources": report.sources,
        }))?;
    } else {
        eprintln!(
            "wrote {} ({} bytes{}) in {seconds:.1} s{}",
            a.out.display(),
            html.len(),
            if report.meta.partner {
                ", partner version"
            } else {
                ""
            },
            a.pdf
                .as_ref()
                .map(|p| format!(", and {}", p.display()))
                .unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes beside the target and renames, so that a reader never sees half a report.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| user_error(format!("--out {}: not a file name", path.display())))?;
    let tmp = dir.join(format!(".{}.tmp", name.to_string_lossy()));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Prints the HTML to PDF with headless Chromium.
fn print_pdf(html: &Path, pdf: &Path) -> Result<()> {
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.is_file() {
        return Err(user_error(format!(
            "--pdf needs Chromium, and there is none at {} (install it, or set CHROMIUM to its \
             path); the HTML report is written",
            chromium.display()
        )));
    }
    let html =
        std::fs::canonicalize(html).with_context(|| format!("cannot find {}", html.display()))?;
    let profile = tempfile::tempdir().context("cannot make a profile directory for Chromium")?;
    let out = std::process::Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .with_context(|| format!("cannot run {}", chromium.display()))?;
    if !out.status.success() || !pdf.is_file() {
        anyhow::bail!(
            "Chromium could not print {} to {}: {}",
            html.display(),
            pdf.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}
