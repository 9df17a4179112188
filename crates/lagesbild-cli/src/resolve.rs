//! `lagesbild link` and `lagesbild dedupe`: entity resolution on CSV files, without a store,
//! for data cleaning. Columns are recognised from their header names (or named by a mapping),
//! the model is trained on the files themselves, and the result is written as CSV: matched pairs
//! with probability and weight (`link`), or each record's cluster (`dedupe`). `--explain ID1 ID2`
//! prints why two records match or not.

use std::collections::{BTreeMap, HashMap};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use lagesbild_resolve::csvio::{self, Encoding};
use lagesbild_resolve::{Progress, Record, Resolution, Settings, resolve};
use serde::Serialize;

use crate::cli::Global;
use crate::context::user_error;

/// Options both commands share.
#[derive(Debug, Args)]
pub struct Common {
    /// Where to write the result (CSV); standard output when omitted
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Pairs with a match probability at or above this are matches
    #[arg(long, default_value_t = 0.9)]
    pub threshold: f64,
    /// Explain the pair of these two record ids (comparison by comparison) instead of writing
    /// the result to standard output
    #[arg(long, num_args = 2, value_names = ["ID1", "ID2"])]
    pub explain: Vec<String>,
    /// A YAML file naming the columns: `first_name: Förnamn`, `phone: [Tel1, Tel2]`
    /// (with `left:` and `right:` sections for two files that differ)
    #[arg(long, short)]
    pub mapping: Option<PathBuf>,
    /// The text encoding of the files (utf-8, latin-1)
    #[arg(long, default_value = "utf-8")]
    pub encoding: String,
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    pub left: PathBuf,
    pub right: PathBuf,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct DedupeArgs {
    pub file: PathBuf,
    #[command(flatten)]
    pub common: Common,
    /// Also write the matched pairs (id, id, probability, weight) to this CSV file
    #[arg(long)]
    pub pairs: Option<PathBuf>,
}

/// A progress bar on a terminal, nothing otherwise.
pub(crate) struct Bar(Option<ProgressBar>);

impl Bar {
    pub(crate) fn new(quiet: bool) -> Bar {
        if quiet || !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg:<20} [{bar:30}] {pos}/{len} {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Bar(Some(bar))
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        if let Some(b) = &self.0 {
            b.set_message(name.to_owned());
            b.set_length(total);
            b.set_position(0);
        }
    }
    fn advance(&self, n: u64) {
        if let Some(b) = &self.0 {
            b.inc(n);
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

fn encoding(name: &str) -> Result<Encoding> {
    match name.to_lowercase().replace('_', "-").as_str() {
        "utf-8" | "utf8" => Ok(Encoding::Utf8),
        "latin-1" | "latin1" | "iso-8859-1" | "windows-1252" | "cp1252" => Ok(Encoding::Latin1),
        other => Err(user_error(format!(
            "unknown encoding '{other}' (utf-8 or latin-1)"
        ))),
    }
}

type Mapping = BTreeMap<String, Vec<String>>;

/// The mapping file: field → column or columns, optionally per side.
fn mapping(path: Option<&Path>) -> Result<(Mapping, Mapping)> {
    let Some(path) = path else {
        return Ok((Mapping::new(), Mapping::new()));
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the mapping {}", path.display()))?;
    let value: serde_norway::Value = serde_norway::from_str(&text)
        .map_err(|e| user_error(format!("{}: not a YAML mapping: {e}", path.display())))?;
    let read = |v: &serde_norway::Value| -> Result<Mapping> {
        let mut m = Mapping::new();
        let Some(map) = v.as_mapping() else {
            return Err(user_error(format!(
                "{}: expected `field: column` lines",
                path.display()
            )));
        };
        for (k, v) in map {
            let Some(field) = k.as_str() else { continue };
            if field == "left" || field == "right" {
                continue;
            }
            let cols = match v {
                serde_norway::Value::String(s) => vec![s.clone()],
                serde_norway::Value::Sequence(seq) => seq
                    .iter()
                    .filter_map(|c| c.as_str().map(str::to_owned))
                    .collect(),
                _ => {
                    return Err(user_error(format!(
                        "{}: {field} must name a column or a list of columns",
                        path.display()
                    )));
                }
            };
            m.insert(field.to_owned(), cols);
        }
        Ok(m)
    };
    let both = read(&value)?;
    let side = |name: &str| -> Result<Mapping> {
        let mut m = both.clone();
        if let Some(v) = value.get(name) {
            m.extend(read(v)?);
        }
        Ok(m)
    };
    Ok((side("left")?, side("right")?))
}

fn load(path: &Path, mapping: &Mapping, enc: Encoding) -> Result<Vec<Record>> {
    let (records, cols) = csvio::read(path, mapping, enc).map_err(|e| user_error(e.to_string()))?;
    tracing::info!(
        "{}: {} records; columns {}",
        path.display(),
        records.len(),
        cols.describe()
    );
    Ok(records)
}

fn settings(c: &Common) -> Result<Settings> {
    if !(0.0..=1.0).contains(&c.threshold) {
        return Err(user_error("--threshold is a probability, between 0 and 1"));
    }
    Ok(Settings {
        threshold: c.threshold,
        keep: c.threshold.min(Settings::default().keep),
        ..Settings::default()
    })
}

fn index(records: &[Record], file: &Path) -> Result<HashMap<String, usize>> {
    let mut ids = HashMap::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        if ids.insert(r.id.clone(), i).is_some() {
            return Err(user_error(format!(
                "{}: the id '{}' is on more than one record; ids must be unique",
                file.display(),
                r.id
            )));
        }
    }
    Ok(ids)
}

fn output(out: Option<&Path>) -> Result<Box<dyn Write>> {
    Ok(match out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot write {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

fn write_pairs(
    res: &Resolution,
    ids: &dyn Fn(u32) -> String,
    header: [&str; 2],
    w: Box<dyn Write>,
) -> Result<u64> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record([
        header[0],
        header[1],
        "match_probability",
        "match_weight",
        "key",
    ])?;
    let mut n = 0;
    for p in res.matches() {
        csv.write_record([
            ids(p.a),
            ids(p.b),
            format!("{:.6}", p.probability),
            format!("{:.3}", p.weight),
            p.key.map_or(String::new(), |k| k.as_str().to_owned()),
        ])?;
        n += 1;
    }
    csv.flush()?;
    Ok(n)
}

#[derive(Serialize)]
struct Summary<'a> {
    records: usize,
    matches: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    clusters: Option<usize>,
    out: Option<&'a Path>,
    blocking: &'a lagesbild_resolve::BlockingReport,
    model: &'a lagesbild_resolve::Params,
    seconds: Vec<(&'static str, f64)>,
}

fn explain(
    g: &Global,
    res: &Resolution,
    pair: &[String],
    find: &dyn Fn(&str, usize) -> Result<usize>,
) -> Result<()> {
    let (i, j) = (find(&pair[0], 0)?, find(&pair[1], 1)?);
    let e = res.explain(i, j, (&pair[0], &pair[1]));
    if g.json {
        crate::output::json(&e)
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{e}")?;
        Ok(())
    }
}

fn summarise(g: &Global, summary: &Summary<'_>) -> Result<()> {
    if g.json && summary.out.is_some() {
        return crate::output::json(summary);
    }
    if !g.quiet {
        let b = summary.blocking;
        eprintln!(
            "{} records, {} pairs compared ({:.1} per record), {} matches{}",
            summary.records,
            b.pairs,
            b.pairs_per_record,
            summary.matches,
            summary
                .clusters
                .map_or(String::new(), |c| format!(", {c} clusters"))
        );
    }
    Ok(())
}

pub fn link(g: &Global, a: LinkArgs) -> Result<std::process::ExitCode> {
    let started = std::time::Instant::now();
    let settings = settings(&a.common)?;
    let enc = encoding(&a.common.encoding)?;
    let (lm, rm) = mapping(a.common.mapping.as_deref())?;
    let left = load(&a.left, &lm, enc)?;
    let right = load(&a.right, &rm, enc)?;
    let (li, ri) = (index(&left, &a.left)?, index(&right, &a.right)?);
    let n_left = left.len();
    let mut all = left;
    all.extend(right);
    let mut sides = vec![0u8; n_left];
    sides.resize(all.len(), 1);
    let res = {
        let bar = Bar::new(g.quiet);
        resolve(&all, Some(&sides), &settings, &bar)
    };
    let id = |i: u32| all[i as usize].id.clone();
    if !a.common.explain.is_empty() {
        if let Some(out) = &a.common.out {
            write_pairs(&res, &id, ["left_id", "right_id"], output(Some(out))?)?;
        }
        let find = |s: &str, side: usize| -> Result<usize> {
            let (map, file) = if side == 0 {
                (&li, &a.left)
            } else {
                (&ri, &a.right)
            };
            map.get(s)
                .map(|i| if side == 0 { *i } else { n_left + *i })
                .ok_or_else(|| user_error(format!("no record with id '{s}' in {}", file.display())))
        };
        return explain(g, &res, &a.common.explain, &find)
            .map(|()| std::process::ExitCode::SUCCESS);
    }
    let matches = write_pairs(
        &res,
        &id,
        ["left_id", "right_id"],
        output(a.common.out.as_deref())?,
    )?;
    let mut seconds = res.timings.clone();
    seconds.push(("total", started.elapsed().as_secs_f64()));
    summarise(
        g,
        &Summary {
            records: all.len(),
            matches,
            clusters: None,
            out: a.common.out.as_deref(),
            blocking: &res.blocking,
            model: &res.params,
            seconds,
        },
    )?;
    Ok(std::process::ExitCode::SUCCESS)
}

pub fn dedupe(g: &Global, a: DedupeArgs) -> Result<std::process::ExitCode> {
    let started = std::time::Instant::now();
    let settings = settings(&a.common)?;
    let enc = encoding(&a.common.encoding)?;
    let (m, _) = mapping(a.common.mapping.as_deref())?;
    let records = load(&a.file, &m, enc)?;
    let ids = index(&records, &a.file)?;
    let res = {
        let bar = Bar::new(g.quiet);
        resolve(&records, None, &settings, &bar)
    };
    let id = |i: u32| records[i as usize].id.clone();
    let mut matches = 0;
    if let Some(p) = &a.pairs {
        matches = write_pairs(&res, &id, ["id_1", "id_2"], output(Some(p))?)?;
    }
    let write_clusters = |w: Box<dyn Write>| -> Result<()> {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["id", "cluster_id"])?;
        for (r, c) in records.iter().zip(&res.clusters) {
            csv.write_record([r.id.as_str(), records[*c as usize].id.as_str()])?;
        }
        csv.flush()?;
        Ok(())
    };
    if !a.common.explain.is_empty() {
        if let Some(out) = &a.common.out {
            write_clusters(output(Some(out))?)?;
        }
        let find = |s: &str, _: usize| -> Result<usize> {
            ids.get(s).copied().ok_or_else(|| {
                user_error(format!("no record with id '{s}' in {}", a.file.display()))
            })
        };
        return explain(g, &res, &a.common.explain, &find)
            .map(|()| std::process::ExitCode::SUCCESS);
    }
    write_clusters(output(a.common.out.as_deref())?)?;
    if a.pairs.is_none() {
        matches = res.matches().count() as u64;
    }
    let clusters = {
        let mut c = res.clusters.clone();
        c.sort_unstable();
        c.dedup();
        c.len()
    };
    let mut seconds = res.timings.clone();
    seconds.push(("total", started.elapsed().as_secs_f64()));
    summarise(
        g,
        &Summary {
            records: records.len(),
            matches,
            clusters: Some(clusters),
            out: a.common.out.as_deref(),
            blocking: &res.blocking,
            model: &res.params,
            seconds,
        },
    )?;
    Ok(std::process::ExitCode::SUCCESS)
}
