//! The full-text index (tantivy): one document per fragment (what one record says about one
//! entity) with its searchable values. The index is derived from the store and never the other
//! way round: each commit records the highest record id it covers, a store that is ahead is
//! caught up when opened, and `reindex` rebuilds it from scratch.

use std::collections::HashMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{Count, FilterCollector, TopDocs};
use tantivy::indexer::UserOperation;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermSetQuery};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

use lagesbild_model::{Policy, PropType, Record, model};

use crate::error::{Result, StoreError};

const TOKENIZER: &str = "lagesbild";
/// The version of the index's layout; an index of another version is rebuilt when opened.
/// (5: term dictionaries as sorted string tables, tantivy's `quickwit` feature.)
const LAYOUT: &str = "5";
const LAYOUT_FILE: &str = "LAYOUT";

/// The key of a policy in the index: a 64-bit digest of all its fields. Filters by who may see,
/// by dataset and by grading become one set of policy keys, worked out from the store's few
/// policies at search time, instead of half a dozen terms on every document. The digest covers
/// the policy as serialised: a change to `Policy`'s fields changes every key, so it must come
/// with a new `LAYOUT` (the index is then rebuilt when opened).
pub(crate) fn policy_key(p: &Policy) -> u64 {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_vec(p).expect("a policy serialises");
    let d = Sha256::digest(&json);
    u64::from_le_bytes(d[..8].try_into().expect("eight bytes"))
}
/// The index writer's memory, for its one thread. On the 1M-row benchmark one thread with
/// 64 MiB took 27.0–29.3 s where two threads sharing 128 MiB took 37–38 s (on a slower machine
/// than the one that measured 26.2–26.8 s for the latter): the store's writer, the reader and the
/// documents' builder already keep both cores busy, and one thread sets up no second segment.
/// One thread with 128 MiB was slower (30.7–33.4 s) and peaked at 1.13–1.22 GiB.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

#[derive(Clone, Copy)]
struct Fields {
    entity: Field,
    schema: Field,
    dataset: Field,
    org: Field,
    policy: Field,
    record: Field,
    date: Field,
    title: Field,
    text: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_opts = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let f = Fields {
        entity: b.add_text_field("entity", STORED),
        schema: b.add_text_field("schema", STRING | STORED),
        dataset: b.add_text_field("dataset", STORED),
        org: b.add_text_field("org", STORED),
        // a column, not terms: read for the documents that match the text only
        policy: b.add_u64_field("policy", FAST),
        record: b.add_i64_field("record", STORED),
        date: b.add_text_field("date", STRING),
        title: b.add_text_field("title", STORED),
        text: b.add_text_field("text", text_opts),
    };
    (b.build(), f)
}

/// A filter and query for the index.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: String,
    /// Only entities of this schema or one descending from it.
    pub schema: Option<String>,
    pub dataset: Option<String>,
    /// ISO dates (or prefixes): only fragments with a date value in the range.
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    /// Only records graded at least this well (`B2`: source A or B, information 1 or 2).
    pub min_grading: Option<lagesbild_model::Grading>,
    pub limit: usize,
}

/// One document that matched.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub entity_id: String,
    pub schema: String,
    pub dataset: String,
    pub org: String,
    pub record_id: i64,
    pub title: String,
    pub score: f32,
    /// A piece of the matching text with the matched terms' byte ranges.
    pub snippet: String,
    pub highlights: Vec<(usize, usize)>,
}

pub(crate) struct TextIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

impl TextIndex {
    /// Opens the index in `dir`, creating an empty one where there is none.
    pub(crate) fn open(dir: &Path) -> Result<TextIndex> {
        let io = |context: String| move |source| StoreError::Io { context, source };
        let marker = dir.join(LAYOUT_FILE);
        let layout = std::fs::read_to_string(&marker).ok();
        if layout.as_deref().map(str::trim) != Some(LAYOUT) && dir.join("meta.json").exists() {
            tracing::warn!("the search index has an older layout; rebuilding it");
            std::fs::remove_dir_all(dir).map_err(io(format!("cannot remove {}", dir.display())))?;
        }
        std::fs::create_dir_all(dir).map_err(io(format!("cannot create {}", dir.display())))?;
        // Written only when it is not already right, and by renaming a whole file into place:
        // another process opening the same index at the same moment must never read a marker
        // cut short (it would take the index for an older layout and rebuild it under us).
        if layout.as_deref().map(str::trim) != Some(LAYOUT) {
            let part = dir.join(format!("{LAYOUT_FILE}.{}.part", std::process::id()));
            std::fs::write(&part, LAYOUT)
                .map_err(io(format!("cannot write {}", part.display())))?;
            std::fs::rename(&part, &marker)
                .map_err(io(format!("cannot write {}", marker.display())))?;
        }
        let (schema, fields) = schema();
        let mmap = tantivy::directory::MmapDirectory::open(dir)?;
        let index = Index::open_or_create(mmap, schema)?;
        index.tokenizers().register(TOKENIZER, analyzer());
        let reader = index
            .reader_builder()
            // other handles on the same index (the server's pool) see a commit shortly after it
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(TextIndex {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
        })
    }

    /// Deletes the index files and starts empty.
    pub(crate) fn recreate(self) -> Result<TextIndex> {
        let dir = self.dir.clone();
        drop(self);
        std::fs::remove_dir_all(&dir).map_err(|source| StoreError::Io {
            context: format!("cannot remove {}", dir.display()),
            source,
        })?;
        TextIndex::open(&dir)
    }

    /// The highest record id the last commit covers.
    pub(crate) fn indexed_up_to(&self) -> Result<i64> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| p.strip_prefix("record:"))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0))
    }

    pub(crate) fn writer(&self) -> Result<IndexBatch> {
        let writer: IndexWriter = self.index.writer_with_num_threads(1, WRITER_MEMORY)?;
        IndexBatch::start(writer, self.fields)
    }

    pub(crate) fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }

    /// Searches; `policies` limits the hits to records under these policy keys
    /// ([`policy_key`]), and covers what the reader may see, the dataset and the grading asked
    /// for (none: no limit).
    pub(crate) fn search(
        &self,
        q: &SearchQuery,
        policies: Option<&[u64]>,
        fetch: usize,
    ) -> Result<(usize, Vec<Hit>)> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let mut parser = QueryParser::for_index(&self.index, vec![f.text]);
        parser.set_conjunction_by_default();
        let text_query: Box<dyn Query> = if q.text.trim().is_empty() || q.text.trim() == "*" {
            Box::new(AllQuery)
        } else {
            let (query, _errors) = parser.parse_query_lenient(&q.text);
            query
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
        if let Some(s) = &q.schema {
            if model().get(s).is_none() {
                return Err(StoreError::Query(format!("unknown schema {s:?}")));
            }
            let names = model()
                .schemata()
                .filter(|x| x.is_a(s))
                .map(|x| Term::from_field_text(f.schema, &x.name));
            clauses.push((Occur::Must, Box::new(TermSetQuery::new(names))));
        }
        if policies.is_some_and(<[u64]>::is_empty) {
            return Ok((0, Vec::new()));
        }
        if q.date_from.is_some() || q.date_to.is_some() {
            let bound = |v: &Option<String>, upper: bool| match v {
                None => Bound::Unbounded,
                Some(d) if upper => {
                    // an upper bound given as a date covers the whole of that day
                    Bound::Included(Term::from_field_text(f.date, &format!("{d}\u{10ffff}")))
                }
                Some(d) => Bound::Included(Term::from_field_text(f.date, d)),
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    bound(&q.date_from, false),
                    bound(&q.date_to, true),
                )),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let collect = (Count, TopDocs::with_limit(fetch.max(1)));
        // What the reader may not see is not counted, ranked or quoted either. The policy key
        // is read from its column for the documents the query matches: as a term filter (a
        // set of terms) it built a bit set over every document of the index for each search,
        // about half the CPU of a search on the city.
        let (total, top) = match policies {
            None => searcher.search(&query, &collect)?,
            Some(keys) => {
                let keys: Arc<[u64]> = keys.into();
                let allowed = move |k: u64| keys.binary_search(&k).is_ok();
                searcher.search(
                    &query,
                    &FilterCollector::new("policy".to_owned(), allowed, collect),
                )?
            }
        };
        let snippets = SnippetGenerator::create(&searcher, &*text_query, f.text)
            .ok()
            .map(|mut g| {
                g.set_max_num_chars(160);
                g
            });
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let (snippet, highlights) = match &snippets {
                Some(g) => {
                    let s = g.snippet_from_doc(&doc);
                    let hl = s.highlighted().iter().map(|r| (r.start, r.end)).collect();
                    (s.fragment().to_owned(), hl)
                }
                None => (String::new(), Vec::new()),
            };
            let snippet = if snippet.is_empty() {
                text(f.text).chars().take(160).collect()
            } else {
                snippet
            };
            hits.push(Hit {
                entity_id: text(f.entity),
                schema: text(f.schema),
                dataset: text(f.dataset),
                org: text(f.org),
                record_id: doc
                    .get_first(f.record)
                    .and_then(|v| v.as_i64())
                    .unwrap_or_default(),
                title: text(f.title),
                score,
                snippet,
                highlights,
            });
        }
        Ok((total, hits))
    }
}

/// The documents of one ingest, committed after the store commits or rolled back with it.
/// Documents are built on a thread of their own from the records handed over in groups, so that
/// the store's writer does not wait for them; once the last record is handed over
/// ([`IndexBatch::close`]) that thread writes the segments out (tantivy's prepared commit) while
/// the store finishes its own transaction, and commits or aborts when told which.
pub(crate) struct IndexBatch {
    max_record: i64,
    pending: Vec<(i64, Record)>,
    to_builder: Option<std::sync::mpsc::SyncSender<Vec<(i64, Record)>>>,
    /// The outcome: `Some(payload)` to commit, `None` to abort.
    decide: std::sync::mpsc::SyncSender<Option<String>>,
    abort: Arc<std::sync::atomic::AtomicBool>,
    builder: Option<std::thread::JoinHandle<Result<()>>>,
}

const SEND_EVERY: usize = 1024;

impl IndexBatch {
    fn start(mut writer: IndexWriter, fields: Fields) -> Result<IndexBatch> {
        use std::sync::atomic::Ordering::Relaxed;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(i64, Record)>>(4);
        let (decide, decision) = std::sync::mpsc::sync_channel::<Option<String>>(1);
        let abort = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let aborted = abort.clone();
        let builder = std::thread::Builder::new()
            .name("index-docs".into())
            .spawn(move || -> Result<()> {
                let mut keys = PolicyKeys::default();
                for group in rx {
                    if aborted.load(Relaxed) {
                        continue;
                    }
                    let mut ops = Vec::with_capacity(group.len() * 2);
                    for (id, record) in &group {
                        let key = keys.get(&record.policy);
                        documents(fields, *id, key, record, &mut ops);
                    }
                    writer.run(ops)?;
                }
                if aborted.load(Relaxed) {
                    writer.rollback()?;
                    return Ok(());
                }
                let mut prepared = writer.prepare_commit()?;
                match decision.recv() {
                    Ok(Some(payload)) => {
                        prepared.set_payload(&payload);
                        prepared.commit()?;
                    }
                    _ => {
                        prepared.abort()?;
                        return Ok(());
                    }
                }
                writer.wait_merging_threads()?;
                Ok(())
            })
            .map_err(|e| StoreError::Io {
                context: "cannot start the indexing thread".into(),
                source: e,
            })?;
        Ok(IndexBatch {
            max_record: 0,
            pending: Vec::with_capacity(SEND_EVERY),
            to_builder: Some(tx),
            decide,
            abort,
            builder: Some(builder),
        })
    }

    /// Hands a record over for indexing: one document per fragment with searchable values.
    pub(crate) fn add(&mut self, record_id: i64, record: Record) -> Result<()> {
        self.max_record = self.max_record.max(record_id);
        self.pending.push((record_id, record));
        if self.pending.len() >= SEND_EVERY {
            self.send()?;
        }
        Ok(())
    }

    fn send(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let group = std::mem::replace(&mut self.pending, Vec::with_capacity(SEND_EVERY));
        let sent = self
            .to_builder
            .as_ref()
            .is_some_and(|tx| tx.send(group).is_ok());
        if !sent {
            // the builder stopped on an error; finishing it reports the error
            return self.finish();
        }
        Ok(())
    }

    /// Says that every record has been handed over: the segments are written out from here on,
    /// beside whatever the caller does next. Adding after this is an error.
    pub(crate) fn close(&mut self) -> Result<()> {
        if self.to_builder.is_some() {
            self.send()?;
            self.to_builder = None;
        }
        Ok(())
    }

    /// Waits for the builder to finish.
    fn finish(&mut self) -> Result<()> {
        self.to_builder = None;
        let builder = self
            .builder
            .take()
            .ok_or_else(|| StoreError::Other("the index batch is finished".into()))?;
        builder
            .join()
            .map_err(|_| StoreError::Other("the indexing thread panicked".into()))?
    }

    /// Commits, recording the highest record id covered (never lowering it).
    pub(crate) fn commit(mut self, at_least: i64) -> Result<()> {
        self.close()?;
        let upto = self.max_record.max(at_least);
        // (a builder that stopped on an error no longer listens; finishing reports the error)
        let _ = self.decide.send(Some(format!("record:{upto}")));
        self.finish()
    }

    pub(crate) fn rollback(mut self) -> Result<()> {
        self.abort.store(true, std::sync::atomic::Ordering::Relaxed);
        self.pending.clear();
        self.to_builder = None;
        let _ = self.decide.send(None);
        self.finish()
    }
}

/// The keys of the policies met, computed once each: records of one file share a policy.
#[derive(Default)]
struct PolicyKeys {
    last: Option<(Arc<Policy>, u64)>,
    all: HashMap<Arc<Policy>, u64>,
}

impl PolicyKeys {
    fn get(&mut self, p: &Arc<Policy>) -> u64 {
        if let Some((last, key)) = &self.last
            && Arc::ptr_eq(last, p)
        {
            return *key;
        }
        let key = *self.all.entry(p.clone()).or_insert_with(|| policy_key(p));
        self.last = Some((p.clone(), key));
        key
    }
}

/// Adds a value to a document's text unless (when `check`) the text already holds it as whole
/// words (a first name beside the full name, an alias repeated): its tokens would only be
/// indexed again.
fn push_value(text: &mut String, value: &str, check: bool) {
    if value.is_empty() || (check && holds_words(text, value)) {
        return;
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(value);
}

fn holds_words(text: &str, value: &str) -> bool {
    text.match_indices(value).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + value.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The documents of one record: one per fragment that has searchable values.
fn documents(
    f: Fields,
    record_id: i64,
    policy: u64,
    record: &Record,
    out: &mut Vec<UserOperation>,
) {
    let p = &record.policy;
    if crate::floor_skip("index") {
        return;
    }
    for frag in &record.fragments {
        let Some(schema) = model().get(frag.schema) else {
            continue;
        };
        let mut text = String::new();
        // the display title: the `name`, else another name-typed value, else the first line
        let mut name: Option<&str> = None;
        let mut title: Option<&str> = None;
        let mut dates: Vec<&str> = Vec::new();
        for v in &frag.values {
            let Some(prop) = schema.property(v.prop) else {
                continue;
            };
            match prop.kind {
                PropType::Date => dates.push(&v.value),
                k if k.is_text_searchable() => {
                    if v.prop == "name" && name.is_none() {
                        name = Some(&v.value);
                    } else if k == PropType::Name && title.is_none() {
                        title = Some(&v.value);
                    }
                    // names repeat as words of other names (a first name beside the full
                    // name, an alias); other values are rarely worth the look
                    let words = k == PropType::Name;
                    push_value(&mut text, &v.value, words);
                    if let Some(o) = &v.original {
                        push_value(&mut text, o, words);
                    }
                }
                _ => {}
            }
        }
        if text.is_empty() {
            continue;
        }
        let title = name
            .or(title)
            .unwrap_or_else(|| text.lines().next().unwrap_or_default());
        let mut d = doc!(
            f.entity => frag.id.as_str(),
            f.schema => frag.schema,
            f.dataset => p.dataset.as_str(),
            f.org => p.org.as_str(),
            f.policy => policy,
            f.record => record_id,
            f.title => title,
            f.text => text.as_str(),
        );
        for date in dates {
            d.add_text(f.date, date);
        }
        out.push(UserOperation::Add(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_the_text_holds_as_whole_words_is_not_added_again() {
        let mut text = String::new();
        for v in [
            "Anna Åberg",
            "Anna",
            "Åberg",
            "Ann",
            "berg",
            "Anna Åberg",
            "",
            "+46701234567",
        ] {
            push_value(&mut text, v, true);
        }
        assert_eq!(text, "Anna Åberg\nAnn\nberg\n+46701234567");
        push_value(&mut text, "070-123 45 67", true);
        assert!(text.ends_with("\n070-123 45 67"));
        // values other than names are added without the look
        push_value(&mut text, "Anna", false);
        assert!(text.ends_with("\nAnna"));
    }
}
