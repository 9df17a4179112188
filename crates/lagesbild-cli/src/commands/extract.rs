//! `lagesbild extract`: the mentions in a text, one JSON object per mention with `--json`;
//! `--eval FILE` scores the extractor on annotated texts.
//!
//! It reads no store, so it needs no user or purpose and writes no audit entry.

use std::io::Read;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use serde_json::json;

use lagesbild_extract::{Extractor, Options, Ymd, eval};

use crate::cli::{ExtractArgs, Global};
use crate::context::user_error;
use crate::output;

fn options(a: &ExtractArgs) -> Result<Options> {
    let region = lagesbild_model::types::phone::known_region(&a.region.to_ascii_uppercase())
        .ok_or_else(|| {
            user_error(format!(
                "--region {:?} is not a region with a phone plan",
                a.region
            ))
        })?;
    let reference = match &a.date {
        None => Ymd::today(),
        Some(d) => {
            let parts: Vec<&str> = d.split('-').collect();
            match parts[..] {
                [y, m, dd] => Ymd {
                    year: y
                        .parse()
                        .map_err(|_| user_error(format!("--date {d:?}: not YYYY-MM-DD")))?,
                    month: m
                        .parse()
                        .map_err(|_| user_error(format!("--date {d:?}: not YYYY-MM-DD")))?,
                    day: dd
                        .parse()
                        .map_err(|_| user_error(format!("--date {d:?}: not YYYY-MM-DD")))?,
                },
                _ => return Err(user_error(format!("--date {d:?}: not YYYY-MM-DD"))),
            }
        }
    };
    Ok(Options {
        default_region: region,
        reference,
    })
}

pub fn run(g: &Global, a: ExtractArgs) -> Result<ExitCode> {
    let ex = Extractor::new(options(&a)?);
    if let Some(path) = &a.eval {
        let items = eval::read_fixture(path).map_err(|e| user_error(e.to_string()))?;
        let report = eval::score(&items, &ex);
        if g.json {
            let per_kind: serde_json::Map<String, serde_json::Value> = report
                .per_kind
                .iter()
                .map(|(k, c)| {
                    (
                        k.to_string(),
                        json!({"tp": c.tp, "fp": c.fp, "fn": c.fn_,
                               "precision": c.precision(), "recall": c.recall(), "f1": c.f1()}),
                    )
                })
                .collect();
            let ids = report.identifiers();
            output::json(&json!({
                "texts": report.texts,
                "bytes": report.bytes,
                "per_kind": per_kind,
                "identifiers": {"precision": ids.precision(), "recall": ids.recall(), "f1": ids.f1()},
                "misses": if a.misses { json!(report.misses) } else { json!(null) },
            }))?;
        } else {
            println!(
                "{} texts, {} bytes: {}",
                report.texts,
                report.bytes,
                path.display()
            );
            print!("{}", report.table());
            if a.misses {
                for m in &report.misses {
                    println!("{}\t{}\t{}\t{}", m.what, m.id, m.kind, m.value);
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut text = String::new();
    match a.file.as_deref() {
        None => std::io::stdin().read_to_string(&mut text),
        Some(p) if p.as_os_str() == "-" => std::io::stdin().read_to_string(&mut text),
        Some(p) => std::fs::File::open(p)
            .with_context(|| format!("cannot open {}", p.display()))?
            .read_to_string(&mut text),
    }
    .map_err(|e| user_error(format!("cannot read the text as UTF-8: {e}")))?;
    let texts: Vec<(usize, &str)> = if a.lines {
        text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect()
    } else {
        vec![(0, text.as_str())]
    };
    for (line, t) in texts {
        for m in ex.extract(t) {
            if g.json {
                let mut v = json!({"kind": m.kind, "value": m.value, "start": m.start,
                                   "end": m.end, "raw": m.raw(t)});
                if let Some(per) = &m.per {
                    v["per"] = json!(per);
                }
                if a.lines {
                    v["line"] = json!(line);
                }
                println!("{v}");
            } else {
                let at = if a.lines {
                    format!("{line}:{}-{}", m.start, m.end)
                } else {
                    format!("{}-{}", m.start, m.end)
                };
                let per = m
                    .per
                    .as_deref()
                    .map(|p| format!(" per {p}"))
                    .unwrap_or_default();
                println!(
                    "{:<17} {:<28} {at:<12} {:?}{per}",
                    m.kind,
                    m.value,
                    m.raw(t)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
