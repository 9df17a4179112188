//! `lagesbild ingest`: read files into the store, each file one atomic batch, with a progress
//! bar (rate and time left) on stderr when it is a terminal.

use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Instant;

use anyhow::{Context as _, Result};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use lagesbild_ingest::{Encoding, Format, IngestError, Options, parse_mapping};
use lagesbild_model::{Context, Grading, Handling, Policy, SubjectCategory};
use lagesbild_store::{IngestFailure, IngestOutcome};

use crate::cli::{Global, IngestArgs};
use crate::context::{purpose, session, user_error};
use crate::output::{self, count};

#[derive(Serialize)]
struct FileReport {
    file: String,
    #[serde(flatten)]
    outcome: Option<IngestOutcome>,
    error: Option<String>,
    seconds: f64,
    records_per_second: f64,
}

fn options(g: &Global, a: &IngestArgs) -> Result<Options> {
    let why = purpose(g)?;
    let bad = |e: &dyn std::fmt::Display| user_error(e.to_string());
    let mapping = match &a.mapping {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the mapping {}", path.display()))
                .map_err(|e| user_error(format!("{e:#}")))?;
            let name = path.display().to_string();
            Some((name.clone(), parse_mapping(&name, &text)?))
        }
    };
    let dataset = a.dataset.clone().unwrap_or_else(|| {
        a.files
            .first()
            .and_then(|f| f.file_stem())
            .map_or("default".into(), |s| s.to_string_lossy().into_owned())
    });
    let mut policy = Policy::new(
        &a.org,
        &dataset,
        a.record_purpose.as_deref().unwrap_or(why.as_str()),
    );
    policy.grading = a.grading.parse::<Grading>().map_err(|e| bad(&e))?;
    policy.handling = a.handling.parse::<Handling>().map_err(|e| bad(&e))?;
    policy.handling_note = a.handling_note.clone();
    policy.subject_category = a
        .subject_category
        .parse::<SubjectCategory>()
        .map_err(|e| bad(&e))?;
    policy.legal_basis = a.legal_basis.clone();
    policy.compartment = a.compartment.clone();
    let date = |d: &Option<String>, flag: &str| -> Result<Option<String>> {
        d.as_deref()
            .map(|v| {
                lagesbild_model::types::parse_date(v)
                    .map(|p| p.to_string())
                    .ok_or_else(|| user_error(format!("--{flag}: {v:?} is not a date")))
            })
            .transpose()
    };
    policy.review_by = date(&a.review_by, "review-by")?;
    policy.delete_by = date(&a.delete_by, "delete-by")?;
    policy.validate().map_err(|e| bad(&e))?;
    let delimiter = match a.delimiter {
        None => None,
        Some(c) if c.is_ascii() => Some(c as u8),
        Some(c) => {
            return Err(user_error(format!(
                "--delimiter must be one ASCII character, not {c:?}"
            )));
        }
    };
    let region = lagesbild_model::types::phone::known_region(&a.region).ok_or_else(|| {
        user_error(format!(
            "--region {:?} is not a region whose phone numbers lagesbild knows (e.g. SE, NO, DK, FI)",
            a.region
        ))
    })?;
    Ok(Options {
        format: a
            .format
            .as_deref()
            .map(str::parse::<Format>)
            .transpose()
            .map_err(user_error)?,
        mapping,
        encoding: a.encoding.parse::<Encoding>().map_err(user_error)?,
        delimiter,
        policy,
        dataset_given: a.dataset.is_some(),
        ctx: Context {
            default_region: region,
            ..Context::default()
        },
        extract: !a.no_extract,
    })
}

pub fn run(g: &Global, a: IngestArgs) -> Result<ExitCode> {
    let why = purpose(g)?;
    let opts = options(g, &a)?;
    let (mut store, who, writable) = session(g)?;
    if !writable {
        return Err(user_error(
            "the token may only read: adding data needs a read,write token",
        ));
    }
    let mut reports = Vec::new();
    let mut failed = 0;
    for path in &a.files {
        let start = Instant::now();
        let file = path.display().to_string();
        let result = ingest_one(g, &mut store, &who, &why, path, &opts);
        let seconds = start.elapsed().as_secs_f64();
        let (outcome, error) = match result {
            Ok(o) => (Some(o), None),
            Err(e) => {
                failed += 1;
                if !g.json {
                    eprintln!("error: {e:#}\n  nothing of {file} was kept");
                }
                (None, Some(format!("{e:#}")))
            }
        };
        let added = match &outcome {
            Some(IngestOutcome::Added(b)) => b.records,
            _ => 0,
        };
        if !g.json {
            match &outcome {
                Some(IngestOutcome::Added(b)) => println!(
                    "{file}: {} records, {} statements into {} in {seconds:.1} s ({} records/s)",
                    count(b.records),
                    count(b.statements),
                    b.dataset,
                    count((b.records as f64 / seconds.max(1e-9)) as u64)
                ),
                Some(IngestOutcome::AlreadyIngested(b)) => println!(
                    "{file}: already ingested into {} as batch {} on {}; nothing added",
                    b.dataset, b.id, b.finished_at
                ),
                None => {}
            }
        }
        reports.push(FileReport {
            file,
            outcome,
            error,
            seconds,
            records_per_second: added as f64 / seconds.max(1e-9),
        });
    }
    if g.json {
        output::json(&reports)?;
    }
    if failed > 0 {
        if !g.json {
            eprintln!("{failed} of {} files failed", a.files.len());
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn ingest_one(
    g: &Global,
    store: &mut lagesbild_store::Store,
    who: &lagesbild_model::Principal,
    why: &lagesbild_model::Purpose,
    path: &std::path::Path,
    opts: &Options,
) -> Result<IngestOutcome> {
    let opened = lagesbild_ingest::open(path, opts)?;
    let bar = if g.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(opened.size)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}",
        )?
        .progress_chars("=> "),
    );
    bar.set_message(
        path.file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned()),
    );
    let read = opened.read.clone();
    let mut n = 0u64;
    let records = lagesbild_ingest::prefetch(opened.records, 256).inspect(|_| {
        n += 1;
        if n.is_multiple_of(4096) {
            bar.set_position(read.load(Ordering::Relaxed));
        }
    });
    let result = store
        .access(who, why)
        .ingest::<IngestError, _>(opened.meta, records);
    bar.finish_and_clear();
    match result {
        Ok(o) => Ok(o),
        Err(IngestFailure::Input(e)) => Err(e.into()),
        Err(IngestFailure::Store(e)) => Err(e.into()),
    }
}
