//! Readers of outside data: FollowTheMoney JSON Lines, CSV through FollowTheMoney mapping
//! files, Telegram and WhatsApp chat exports, ISO 20022 camt.053 bank statements, and online
//! drug-listing pages as HTML (schema.org microdata or JSON-LD, Telegram channel previews).
//! Each reader streams records (one per source row, with file, line and offset) carrying
//! the policy fields, and stops at the first error with the file, line and column or property.
//! Atomicity is the store's: a reader's error aborts the whole file's batch.

pub mod camt053;
pub mod csvmap;
pub mod enrich;
mod error;
pub mod ftm;
pub mod listing;
pub mod mapping;
mod policy;
pub mod strptime;
pub mod telegram;
pub mod whatsapp;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use lagesbild_model::{Context, Policy, Record};
use lagesbild_store::BatchMeta;

pub use csvmap::Encoding;
pub use error::IngestError;
pub use mapping::{Mapping, parse_mapping};

/// The formats the readers know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// FollowTheMoney entities as JSON Lines.
    Ftm,
    /// CSV through a mapping file.
    Csv,
    /// A Telegram Desktop chat export (`result.json`).
    Telegram,
    /// A WhatsApp chat export (`.txt`).
    WhatsApp,
    /// An ISO 20022 camt.053 bank statement (`.xml`).
    Camt053,
    /// An online drug-listing page (`.html`): schema.org Products as microdata or JSON-LD, or
    /// a Telegram channel's web preview.
    Listing,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Ftm => "ftm",
            Format::Csv => "csv",
            Format::Telegram => "telegram",
            Format::WhatsApp => "whatsapp",
            Format::Camt053 => "camt053",
            Format::Listing => "listing",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "ftm" | "jsonl" | "ndjson" => Ok(Format::Ftm),
            "csv" | "tsv" => Ok(Format::Csv),
            "telegram" => Ok(Format::Telegram),
            "whatsapp" => Ok(Format::WhatsApp),
            "camt053" | "camt.053" | "camt" => Ok(Format::Camt053),
            "listing" | "html" | "htm" => Ok(Format::Listing),
            _ => Err(format!(
                "unknown format {s:?} (known: ftm, csv, telegram, whatsapp, camt053, listing)"
            )),
        }
    }
}

/// How to read files.
#[derive(Debug, Clone)]
pub struct Options {
    /// Forced format; detected from the name and content otherwise.
    pub format: Option<Format>,
    /// The mapping for CSV files, with the name of its file for messages.
    pub mapping: Option<(String, Mapping)>,
    pub encoding: Encoding,
    pub delimiter: Option<u8>,
    /// The policy every record gets unless a mapping overrides a field per row. Its dataset
    /// is replaced by the mapping's dataset name when `dataset_given` is false.
    pub policy: Policy,
    pub dataset_given: bool,
    pub ctx: Context,
    /// Read the free text of every record for identifiers, drug terms, amounts and places
    /// (see `enrich`).
    pub extract: bool,
}

/// Counts the bytes read through it, for progress.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An opened file: the batch it will be, and its records as a stream.
pub struct Opened {
    pub meta: BatchMeta,
    pub records: Box<dyn Iterator<Item = Result<Record, IngestError>> + Send>,
    /// The file's size and the bytes read so far, for a progress bar.
    pub size: u64,
    pub read: Arc<AtomicU64>,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened")
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

/// SHA-256 of a file's bytes.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

fn detect(path: &Path, head: &[u8], opts: &Options) -> Format {
    if let Some(f) = opts.format {
        return f;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let text = String::from_utf8_lossy(head);
    // A Telegram export is one JSON document whose first keys are about the chat or the export;
    // FtM JSON Lines name a schema on the first line.
    let telegram = !text
        .lines()
        .next()
        .unwrap_or_default()
        .contains("\"schema\"")
        && [
            "\"messages\"",
            "\"chats\"",
            "\"personal_information\"",
            "\"about\"",
        ]
        .iter()
        .any(|k| text.contains(k));
    // A camt.053 statement is an XML `Document` holding a `BkToCstmrStmt`, its namespace
    // prefixed or not.
    let camt = text.contains("BkToCstmrStmt")
        && xml_root(&text).is_some_and(|r| r.rsplit(':').next() == Some("Document"));
    match ext.as_str() {
        _ if camt => Format::Camt053,
        "html" | "htm" => Format::Listing,
        _ if listing::looks_like_html(head) => Format::Listing,
        // any other XML is read as a statement too, so that the error says what is wrong
        "xml" => Format::Camt053,
        "json" if telegram => Format::Telegram,
        "jsonl" | "ndjson" | "ftm" | "json" => Format::Ftm,
        "csv" | "tsv" => Format::Csv,
        "txt" => Format::WhatsApp,
        _ if head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') => Format::Ftm,
        _ => Format::Csv,
    }
}

/// The name of the first element of an XML text: after the declaration, comments and
/// processing instructions.
fn xml_root(text: &str) -> Option<&str> {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = &r[r.find("?>")? + 2..];
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->")? + 3..];
        } else if let Some(r) = rest.strip_prefix("<!") {
            rest = &r[r.find('>')? + 1..];
        } else {
            let r = rest.strip_prefix('<')?;
            let end = r.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
            return Some(&r[..end]);
        }
    }
}

/// The queries of a mapping that apply to `path`: those whose `csv_url` names the file, or
/// all of them when none names it.
fn queries_for(path: &Path, mapping: &Mapping) -> (String, Vec<mapping::QueryMapping>) {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let mut named = Vec::new();
    let mut all = Vec::new();
    let mut dataset = mapping.datasets[0].0.clone();
    for (ds, queries) in &mapping.datasets {
        for q in queries {
            all.push(q.clone());
            if q.csv_urls
                .iter()
                .any(|u| u.rsplit('/').next() == Some(name))
            {
                if named.is_empty() {
                    dataset = ds.clone();
                }
                named.push(q.clone());
            }
        }
    }
    (dataset, if named.is_empty() { all } else { named })
}

/// The mapping beside a CSV file (`x.csv` → `x.yml` or `x.yaml`), if there is one.
fn mapping_beside(path: &Path) -> Result<Option<(String, Mapping)>, IngestError> {
    for ext in ["yml", "yaml"] {
        let candidate = path.with_extension(ext);
        if candidate.is_file() {
            let name = candidate.display().to_string();
            let text = std::fs::read_to_string(&candidate)
                .map_err(|e| IngestError::new(&name, format!("cannot read: {e}")))?;
            return Ok(Some((name.clone(), parse_mapping(&name, &text)?)));
        }
    }
    Ok(None)
}

/// Opens a file for ingest: hashes it, detects the format, reads the header, and returns the
/// stream of its records.
pub fn open(path: &Path, opts: &Options) -> Result<Opened, IngestError> {
    let file = path.display().to_string();
    let io = |e: std::io::Error| IngestError::new(&file, format!("cannot read: {e}"));
    let size = std::fs::metadata(path).map_err(io)?.len();
    let sha256 = sha256_file(path).map_err(io)?;
    let mut head = vec![0u8; 4096];
    let n = File::open(path).map_err(io)?.read(&mut head).map_err(io)?;
    head.truncate(n);
    let format = detect(path, &head, opts);
    let read = Arc::new(AtomicU64::new(0));
    let input = BufReader::with_capacity(
        256 * 1024,
        Counting {
            inner: File::open(path).map_err(io)?,
            count: read.clone(),
        },
    );
    let mut policy = opts.policy.clone();
    let records: Box<dyn Iterator<Item = Result<Record, IngestError>> + Send> = match format {
        Format::Ftm => {
            let policy = Arc::new(policy.clone());
            Box::new(ftm::FtmReader::new(&file, input, policy, opts.ctx.clone()))
        }
        Format::Telegram => {
            let records = telegram::read(&file, input, Arc::new(policy.clone()), &opts.ctx)?;
            Box::new(records.into_iter().map(Ok))
        }
        Format::WhatsApp => {
            let records = whatsapp::read(&file, input, Arc::new(policy.clone()), &opts.ctx)?;
            Box::new(records.into_iter().map(Ok))
        }
        Format::Camt053 => {
            let records = camt053::read(&file, input, Arc::new(policy.clone()), &opts.ctx)?;
            Box::new(records.into_iter().map(Ok))
        }
        Format::Listing => {
            let records = listing::read(&file, input, Arc::new(policy.clone()), &opts.ctx)?;
            Box::new(records.into_iter().map(Ok))
        }
        Format::Csv => {
            let beside = match &opts.mapping {
                Some(_) => None,
                None => mapping_beside(path)?,
            };
            let Some((_, mapping)) = opts.mapping.as_ref().or(beside.as_ref()) else {
                return Err(IngestError::new(
                    &file,
                    "a CSV file needs a mapping: pass --mapping FILE.yml (FollowTheMoney mapping \
                     format), or put one beside it with the same name",
                ));
            };
            let (dataset, queries) = queries_for(path, mapping);
            if !opts.dataset_given {
                policy.dataset = dataset;
            }
            let delimiter = opts.delimiter.unwrap_or_else(|| {
                if path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
                {
                    b'\t'
                } else {
                    csvmap::sniff_delimiter(&head)
                }
            });
            // ids are keyed and signed with the dataset, as `ftm map --dataset` does
            Box::new(csvmap::CsvReader::new(
                &file,
                input,
                &policy.dataset,
                delimiter,
                opts.encoding,
                &queries,
                Arc::new(policy.clone()),
                opts.ctx.clone(),
            )?)
        }
    };
    let records: Box<dyn Iterator<Item = Result<Record, IngestError>> + Send> = if opts.extract {
        let ex = lagesbild_extract::Extractor::new(lagesbild_extract::Options {
            default_region: if opts.ctx.default_region.is_empty() {
                "SE"
            } else {
                opts.ctx.default_region
            },
            reference: lagesbild_extract::Ymd::today(),
        });
        let ctx = opts.ctx.clone();
        Box::new(records.map(move |r| {
            r.map(|mut rec| {
                enrich::enrich(&mut rec, &ex, &ctx);
                rec
            })
        }))
    } else {
        records
    };
    Ok(Opened {
        meta: BatchMeta {
            dataset: policy.dataset.clone(),
            source: file,
            sha256,
            format: format.as_str().to_owned(),
            org: policy.org.clone(),
        },
        records,
        size,
        read,
    })
}

/// Runs a reader on a thread of its own, handing its items over in groups, so that reading
/// and normalising overlap with writing. The order is kept; the reader stops at its first
/// error like any other, and dropping the returned iterator stops the thread.
pub fn prefetch<T: Send + 'static>(
    items: impl Iterator<Item = T> + Send + 'static,
    group: usize,
) -> impl Iterator<Item = T> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<T>>(4);
    std::thread::Builder::new()
        .name("reader".into())
        .spawn(move || {
            let mut buf = Vec::with_capacity(group);
            for item in items {
                buf.push(item);
                if buf.len() == group {
                    let full = std::mem::replace(&mut buf, Vec::with_capacity(group));
                    if tx.send(full).is_err() {
                        return; // the consumer is gone
                    }
                }
            }
            if !buf.is_empty() {
                let _ = tx.send(buf);
            }
        })
        .expect("a thread can be started");
    rx.into_iter().flatten()
}

#[cfg(test)]
mod tests {
    use super::prefetch;

    #[test]
    fn prefetch_keeps_order_and_stops_early() {
        let got: Vec<u32> = prefetch(0..10_000u32, 64).collect();
        assert_eq!(got, (0..10_000).collect::<Vec<_>>());
        let first: Vec<u32> = prefetch(0..u32::MAX, 16).take(5).collect();
        assert_eq!(first, [0, 1, 2, 3, 4]);
    }
}
