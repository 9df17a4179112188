//! The SQLite backend: one file in WAL mode (a batch written alone goes through a rollback
//! journal, `bulk.rs`), numbered migrations, all SQL of the embedded store.

mod bulk;
mod directory;
mod facts;
mod known;
pub(crate) mod migrations;
mod retention;

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use lagesbild_model::{
    Agreement, Fragment, Grading, Handling, InfoGrade, Policy, PropType, Record, SourceGrade,
    SourceRef, SubjectCategory, model,
};

use self::known::Known;
use crate::audit::{AuditDraft, AuditEntry, GENESIS};
use crate::backend::{
    Aborted, AuditFilter, Backend, BatchInfo, BatchMeta, EventRow, Judgement, LinkRow, PersonFacts,
    Proposal, Reference, Scope, StatementPage, StatementRow, Stats, StoredRecord,
};
use crate::directory::{
    Change, CompartmentInfo, Credentials, LoginEvent, OrgInfo, TokenInfo, UserInfo,
};
use crate::error::{Result, StoreError};
use crate::now_rfc3339;
use crate::retention::{Candidate, ErasureReport, RetentionRule};

pub(crate) struct SqliteBackend {
    conn: Connection,
}

/// Opens (creating when `create`) the database file and brings it to the latest version.
pub(crate) fn open(path: &Path, create: bool) -> Result<SqliteBackend> {
    if !create && !path.exists() {
        return Err(StoreError::NotInitialised(
            path.parent().unwrap_or(path).to_path_buf(),
        ));
    }
    let conn = Connection::open(path)?;
    configure(&conn)?;
    migrate(&conn, path, migrations::LATEST)?;
    Ok(SqliteBackend { conn })
}

const PAGE_SIZE: i64 = 32768;
/// How WAL mode syncs: at checkpoints, not at every commit (safe from corruption in WAL mode;
/// a power cut may lose the last commits).
const SYNCHRONOUS: &str = "NORMAL";
/// How long a connection waits for another to let go of the database.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

fn configure(conn: &Connection) -> Result<()> {
    // Records of about a kilobyte fill 4 KiB pages to three quarters. Large pages waste less,
    // and a large ingest writes and checkpoints far fewer of them: 32 KiB pages took a million
    // mapped rows from about 30 s to about 27 s (the checkpoint alone from 4.7 s to 3.4 s).
    // (Takes effect only when the file is created.)
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", SYNCHRONOUS)?;
    // The REFERENCES clauses document the schema; the store's code keeps them (checking them per
    // row would make every insert a look-up).
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    // 128 MiB, in pages of any size: on the 1M-row ingest faster than 256 MiB (25.6–27.2 s
    // against 27.0–29.3 s, and 690–753 MiB peak against 834–995 MiB) and than 64 MiB
    // (28.6–30.0 s): the tables written at random are written sorted, so little is re-read.
    conn.pragma_update(None, "cache_size", -131_072)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(())
}

/// Runs the migrations from the stored version up to `target`, each in its own transaction.
pub(crate) fn migrate(conn: &Connection, path: &Path, target: u32) -> Result<()> {
    let found: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > migrations::LATEST {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            known: migrations::LATEST,
        });
    }
    for v in found..target {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(migrations::MIGRATIONS[v as usize])?;
        tx.pragma_update(None, "user_version", v + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// The properties that date a fragment's links, in order of preference.
const LINK_DATES: [&str; 5] = ["date", "startDate", "authoredAt", "publishedAt", "endDate"];

/// Whether values of the type identify their holder (the same phone, account, wallet).
fn is_key(t: PropType) -> bool {
    matches!(
        t,
        PropType::Phone
            | PropType::Email
            | PropType::Iban
            | PropType::Crypto
            | PropType::Identifier
    )
}

/// FNV-1a, 64 bits, folded into SQLite's signed integers: the stable hash of key values.
fn key_hash(value: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in value.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h as i64
}

fn record_uid(dataset: &str, record: &Record) -> [u8; 16] {
    let mut h = Sha256::new();
    for part in [
        dataset,
        record.source.file.as_str(),
        &record.source.line.to_string(),
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.update(record.raw.as_bytes());
    let d = h.finalize();
    let mut uid = [0u8; 16];
    uid.copy_from_slice(&d[..16]);
    uid
}

/// Hashes a key that is already a 64-bit hash (of an entity id) with one multiply-xorshift
/// round, so that the map of entities met in a batch spends no SipHash on it and keeps its
/// buckets spread even where FNV leaves the bits uneven.
#[derive(Default, Clone, Copy)]
struct MixedKey;

impl std::hash::BuildHasher for MixedKey {
    type Hasher = MixedKeyHasher;
    fn build_hasher(&self) -> MixedKeyHasher {
        MixedKeyHasher(0)
    }
}

struct MixedKeyHasher(u64);

impl Hasher for MixedKeyHasher {
    fn finish(&self) -> u64 {
        let mut x = self.0.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        x ^= x >> 32;
        x
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_i64(&mut self, i: i64) {
        self.0 ^= i as u64;
    }
}

fn id_hash(id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

fn policy_id(
    tx: &Transaction<'_>,
    cache: &mut HashMap<Arc<Policy>, i64>,
    p: &Arc<Policy>,
) -> Result<i64> {
    if let Some(id) = cache.get(p) {
        return Ok(*id);
    }
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM policy WHERE org = ?1 AND dataset = ?2 AND source_grade = ?3
             AND info_grade = ?4 AND handling = ?5 AND handling_note IS ?6
             AND subject_category = ?7 AND purpose = ?8 AND legal_basis IS ?9
             AND compartment IS ?10 AND review_by IS ?11 AND delete_by IS ?12",
            policy_params(p),
            |r| r.get(0),
        )
        .optional()?;
    let id = match existing {
        Some(id) => id,
        None => {
            tx.execute(
                "INSERT INTO policy (org, dataset, source_grade, info_grade, handling,
                 handling_note, subject_category, purpose, legal_basis, compartment, review_by,
                 delete_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                policy_params(p),
            )?;
            tx.last_insert_rowid()
        }
    };
    cache.insert(p.clone(), id);
    Ok(id)
}

type PolicyParams<'a> = (
    &'a str,
    &'a str,
    String,
    u8,
    String,
    Option<&'a str>,
    &'static str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

fn policy_params(p: &Policy) -> PolicyParams<'_> {
    (
        &p.org,
        &p.dataset,
        format!("{:?}", p.grading.source),
        p.grading.info as u8,
        p.handling.to_string(),
        p.handling_note.as_deref(),
        p.subject_category.as_str(),
        &p.purpose,
        p.legal_basis.as_deref(),
        p.compartment.as_deref(),
        p.review_by.as_deref(),
        p.delete_by.as_deref(),
    )
}

const POLICY_COLUMNS: &str = "p.org, p.dataset, p.source_grade, p.info_grade, p.handling, \
    p.handling_note, p.subject_category, p.purpose, p.legal_basis, p.compartment, p.review_by, \
    p.delete_by";

/// Reads the policy columns starting at column `i`.
fn read_policy(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Policy> {
    let source: String = r.get(i + 2)?;
    let info: u8 = r.get(i + 3)?;
    let handling: String = r.get(i + 4)?;
    let category: String = r.get(i + 6)?;
    let bad = |what: &str, v: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("stored {what} {v:?} is invalid").into(),
        )
    };
    let source = match source.as_str() {
        "A" => SourceGrade::A,
        "B" => SourceGrade::B,
        "C" => SourceGrade::C,
        "X" => SourceGrade::X,
        other => return Err(bad("source grade", other)),
    };
    Ok(Policy {
        org: r.get(i)?,
        dataset: r.get(i + 1)?,
        grading: Grading {
            source,
            info: InfoGrade::try_from(info).map_err(|_| bad("information grade", "?"))?,
        },
        handling: handling
            .parse::<Handling>()
            .map_err(|_| bad("handling", &handling))?,
        handling_note: r.get(i + 5)?,
        subject_category: category
            .parse::<SubjectCategory>()
            .map_err(|_| bad("subject category", &category))?,
        purpose: r.get(i + 7)?,
        legal_basis: r.get(i + 8)?,
        compartment: r.get(i + 9)?,
        review_by: r.get(i + 10)?,
        delete_by: r.get(i + 11)?,
    })
}

fn read_audit(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    let list = |i: usize| -> rusqlite::Result<Vec<String>> {
        let s: String = r.get(i)?;
        serde_json::from_str(&s).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
        })
    };
    Ok(AuditEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        user: r.get(2)?,
        org: r.get(3)?,
        roles: list(4)?,
        purpose: r.get(5)?,
        op: r.get(6)?,
        ids: list(7)?,
        recipients: list(8)?,
        detail: r.get(9)?,
        prev_hash: r.get(10)?,
        hash: r.get(11)?,
    })
}

const AUDIT_COLUMNS: &str =
    "seq, at, user_name, org, roles, purpose, op, ids, recipients, detail, prev_hash, hash";

fn append_audit_tx(conn: &Connection, draft: AuditDraft) -> Result<AuditEntry> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (prev_seq, prev_hash) = last.unwrap_or((0, GENESIS.to_owned()));
    let mut e = AuditEntry {
        seq: prev_seq + 1,
        at: now_rfc3339(),
        user: draft.user,
        org: draft.org,
        roles: draft.roles,
        purpose: draft.purpose,
        op: draft.op.as_str().to_owned(),
        ids: draft.ids,
        recipients: draft.recipients,
        detail: draft.detail,
        prev_hash,
        hash: String::new(),
    };
    e.hash = e.compute_hash();
    conn.execute(
        &format!("INSERT INTO audit ({AUDIT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
        params![
            e.seq,
            e.at,
            e.user,
            e.org,
            serde_json::to_string(&e.roles).expect("strings serialise"),
            e.purpose,
            e.op,
            serde_json::to_string(&e.ids).expect("strings serialise"),
            serde_json::to_string(&e.recipients).expect("strings serialise"),
            e.detail,
            e.prev_hash,
            e.hash
        ],
    )?;
    Ok(e)
}

/// The condition that selects the entities with the given ids (bound as parameters, in order)
/// through the hashes of their ids; the hashes are integers and go into the text.
fn entity_filter(alias: &str, ids: &[String]) -> String {
    let hashes: Vec<String> = ids.iter().map(|i| key_hash(i).to_string()).collect();
    format!(
        "{alias}.id IN (SELECT id FROM entity_key WHERE h IN ({})) AND {alias}.eid IN ({})",
        hashes.join(","),
        placeholders(ids.len())
    )
}

/// The row and schema of the entity with an id (`?2`) and that id's hash (`?1`).
const ENTITY_BY_KEY: &str = "SELECT e.id, e.schema FROM entity_key k JOIN entity e ON e.id = k.id
     WHERE k.h = ?1 AND e.eid = ?2";

fn placeholders(n: usize) -> String {
    let mut s = String::with_capacity(n * 3);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push('?');
    }
    s
}

/// Rows for one table, written in groups with one multi-row INSERT: far fewer statement
/// executions than a row at a time.
struct Rows<'t> {
    tx: &'t Transaction<'t>,
    full: rusqlite::Statement<'t>,
    table: &'static str,
    columns: &'static str,
    width: usize,
    group: usize,
    values: Vec<rusqlite::types::Value>,
}

fn insert_sql(table: &str, columns: &str, width: usize, rows: usize) -> String {
    let one = format!("({})", placeholders(width));
    let all = vec![one; rows].join(",");
    // OR IGNORE: no row of a group can fail, so SQLite needs no statement journal for it
    format!("INSERT OR IGNORE INTO {table} ({columns}) VALUES {all}")
}

impl<'t> Rows<'t> {
    fn new(
        tx: &'t Transaction<'t>,
        table: &'static str,
        columns: &'static str,
        width: usize,
        group: usize,
    ) -> Result<Self> {
        let full = tx.prepare(&insert_sql(table, columns, width, group))?;
        Ok(Rows {
            tx,
            full,
            table,
            columns,
            width,
            group,
            values: Vec::with_capacity(width * group),
        })
    }

    fn push<const N: usize>(&mut self, row: [rusqlite::types::Value; N]) -> Result<()> {
        debug_assert_eq!(N, self.width);
        self.values.extend(row);
        if self.values.len() == self.width * self.group {
            self.full
                .execute(rusqlite::params_from_iter(self.values.drain(..)))?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.values.is_empty() {
            return Ok(());
        }
        let rows = self.values.len() / self.width;
        let mut stmt = self
            .tx
            .prepare(&insert_sql(self.table, self.columns, self.width, rows))?;
        stmt.execute(rusqlite::params_from_iter(self.values.drain(..)))?;
        Ok(())
    }
}

/// Rows of a table clustered by a hash, gathered and written in the key's order in runs of up
/// to `SORTED_RUN` rows, so that each run visits a page of the table once where rows written as
/// they come would land all over it.
struct SortedRows<T: Ord, const N: usize> {
    table: &'static str,
    columns: &'static str,
    values: fn(T) -> [rusqlite::types::Value; N],
    rows: Vec<T>,
}

/// Rows of one sorted run: a few tens of MiB at most.
const SORTED_RUN: usize = 1 << 20;

impl<T: Ord, const N: usize> SortedRows<T, N> {
    fn new(
        table: &'static str,
        columns: &'static str,
        values: fn(T) -> [rusqlite::types::Value; N],
    ) -> Self {
        SortedRows {
            table,
            columns,
            values,
            rows: Vec::new(),
        }
    }

    fn push(&mut self, tx: &Transaction<'_>, row: T) -> Result<()> {
        self.rows.push(row);
        if self.rows.len() >= SORTED_RUN {
            self.flush(tx)?;
        }
        Ok(())
    }

    fn flush(&mut self, tx: &Transaction<'_>) -> Result<()> {
        let mut rows = std::mem::take(&mut self.rows);
        rows.sort_unstable();
        rows.dedup();
        if rows.is_empty() {
            return Ok(());
        }
        let mut out = Rows::new(tx, self.table, self.columns, N, 256)?;
        for row in rows {
            out.push((self.values)(row))?;
        }
        out.flush()
    }
}

impl SqliteBackend {
    /// Writes one batch in one transaction (see [`Backend::write_batch`]).
    fn write_batch_now(
        &mut self,
        meta: &BatchMeta,
        records: &mut dyn Iterator<Item = Result<Record, Aborted>>,
        sink: &mut dyn FnMut(i64, Record) -> Result<()>,
        mut audit: AuditDraft,
    ) -> Result<Option<BatchInfo>> {
        let started_at = now_rfc3339();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Records of this file can only repeat records of an earlier batch of the same file
        // name in the same dataset (the uid covers both); only then is each record looked up.
        let earlier: Vec<i64> = {
            let mut stmt = tx.prepare("SELECT id FROM batch WHERE dataset = ?1 AND source = ?2")?;
            stmt.query_map(params![meta.dataset, meta.source], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        tx.execute(
            "INSERT INTO batch (dataset, source, sha256, format, org, started_at, finished_at,
             records, statements, invalid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', 0, 0, 0)",
            params![
                meta.dataset,
                meta.source,
                meta.sha256,
                meta.format,
                meta.org,
                started_at
            ],
        )?;
        let batch_id = tx.last_insert_rowid();
        // The transaction holds the write lock, so ids can be handed out here and the rows
        // written in groups.
        let mut next_record: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM record", [], |r| {
                r.get(0)
            })?;
        let mut next_entity: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM entity", [], |r| {
                r.get(0)
            })?;
        // Which entities the table may hold, so that new ones need no look-up: nothing in an
        // empty store; otherwise a filter built once the batch's misses have paid for it.
        let existing = (next_entity - 1).max(0) as u64;
        let mut known: Option<Known> = (existing == 0).then(Known::empty);
        let mut misses = 0u64;
        let mut policies: HashMap<Arc<Policy>, i64> = HashMap::new();
        let mut last_policy: Option<(Arc<Policy>, i64)> = None;
        // entities met in this batch: id hash → (a second hash, row id, schema), to skip repeated
        // look-ups; the second hash makes a collision of the two as good as impossible, and a
        // mismatch falls back to the exact look-up in the table.
        let mut seen: HashMap<i64, (u64, i64, &'static str), MixedKey> = HashMap::default();
        let (mut n_records, mut n_statements, mut n_invalid) = (0u64, 0u64, 0u64);
        let (mut first_record, mut last_record) = (None, 0i64);
        let mut records_buf = Rows::new(
            &tx,
            "record",
            "id, uid, batch_id, policy_id, line, byte_offset, raw, facts, registered_at",
            9,
            64,
        )?;
        let mut entities_buf = Rows::new(&tx, "entity", "id, h, eid, schema", 4, 256)?;
        let mut mentions_buf = Rows::new(&tx, "mention", "entity, record", 2, 256)?;
        let mut links_buf = Rows::new(&tx, "link", "src, dst, prop, record, at", 5, 256)?;
        // Rows keyed by hashes land all over their tables: they are gathered and written sorted
        // at the end, where each page is then visited once (the batch's own entities are found
        // in `seen` meanwhile).
        let mut new_keys = SortedRows::new("entity_key", "h, id", |(h, id): (i64, i64)| {
            [h.into(), id.into()]
        });
        let mut key_values = SortedRows::new(
            "keyval",
            "h, entity, prop",
            |(h, e, p): (i64, i64, &'static str)| [h.into(), e.into(), p.to_owned().into()],
        );
        let mut placed_buf = Rows::new(&tx, "placed", "record", 1, 256)?;
        // all but the records' rows, unless bench/floor.sh leaves them out (`bench-floor` only)
        let tables = !crate::floor_skip("tables");
        {
            let mut has_uid = tx.prepare(&format!(
                "SELECT EXISTS (SELECT 1 FROM record WHERE batch_id IN ({}) AND line = ?1 AND uid = ?2)",
                earlier.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
            ))?;
            let mut get_entity = tx.prepare(ENTITY_BY_KEY)?;
            let mut set_schema = tx.prepare("UPDATE entity SET schema = ?2 WHERE id = ?1")?;
            let mut entity_row = |eid: &str,
                                  schema: &'static str,
                                  entities: &mut Rows<'_>|
             -> Result<i64> {
                let key = key_hash(eid);
                let check = id_hash(eid);
                let entry = seen.get(&key);
                let met = entry.filter(|(c, _, _)| *c == check);
                if let Some((_, row, known)) = met
                    && (*known == schema || model().get(known).is_some_and(|k| k.is_a(schema)))
                {
                    return Ok(*row);
                }
                let stored: Option<(i64, String)> = match met {
                    Some((_, row, known)) => Some((*row, (*known).to_owned())),
                    None if entry.is_none()
                        && known.as_ref().is_some_and(|k| !k.may_contain(key)) =>
                    {
                        None
                    }
                    None => {
                        if entry.is_some() {
                            // another id of this batch has the same hash (as good as never):
                            // the table must answer for both, so it gets the rows still waiting
                            entities.flush()?;
                            new_keys.flush(&tx)?;
                        }
                        let found = get_entity
                            .query_row(params![key, eid], |r| Ok((r.get(0)?, r.get(1)?)))
                            .optional()?;
                        if found.is_none() && entry.is_none() {
                            misses += 1;
                            if known.is_none() && known::worth_building(misses, existing) {
                                known = Some(Known::build(&tx, existing as usize)?);
                            }
                        }
                        found
                    }
                };
                let (row, effective) = match stored {
                    None => {
                        let row = next_entity;
                        next_entity += 1;
                        if tables {
                            new_keys.push(&tx, (key, row))?;
                            entities.push([
                                row.into(),
                                key.into(),
                                eid.to_owned().into(),
                                schema.to_owned().into(),
                            ])?;
                        }
                        (row, schema)
                    }
                    Some((row, stored)) => match model().common_schema(&stored, schema) {
                        Some(c) => {
                            if c.name != stored {
                                // the row may still wait in the buffer: write it first
                                entities.flush()?;
                                set_schema.execute(params![row, c.name])?;
                            }
                            (row, c.name.as_str())
                        }
                        None => {
                            tracing::warn!(
                                entity = %eid,
                                "the entity is a {stored} elsewhere and a {schema} here; keeping {stored}"
                            );
                            (
                                row,
                                model().get(&stored).map_or(schema, |s| s.name.as_str()),
                            )
                        }
                    },
                };
                seen.insert(key, (check, row, effective));
                Ok(row)
            };
            for item in records {
                let Ok(record) = item else { return Ok(None) };
                // readers share one policy between rows unless a row overrides it
                let pid = match &last_policy {
                    Some((p, id)) if Arc::ptr_eq(p, &record.policy) => *id,
                    _ => {
                        let id = policy_id(&tx, &mut policies, &record.policy)?;
                        last_policy = Some((record.policy.clone(), id));
                        id
                    }
                };
                let uid = record_uid(&meta.dataset, &record);
                if !earlier.is_empty()
                    && has_uid.query_row(params![record.source.line, &uid[..]], |r| {
                        r.get::<_, bool>(0)
                    })?
                {
                    continue;
                }
                let record_id = next_record;
                next_record += 1;
                first_record.get_or_insert(record_id);
                last_record = record_id;
                n_records += 1;
                let mut mentioned: Vec<i64> = Vec::with_capacity(record.fragments.len());
                // whether the record states a place (for the map's list of such records)
                let mut placed = false;
                for frag in &record.fragments {
                    let schema = frag.schema();
                    let row = entity_row(&frag.id, schema.name.as_str(), &mut entities_buf)?;
                    // when the fragment's links were stated (a payment's date, a call's)
                    let at: Option<&str> = LINK_DATES.iter().find_map(|p| {
                        frag.values
                            .iter()
                            .find(|v| v.valid && v.prop == *p)
                            .map(|v| v.value.as_str())
                    });
                    if !mentioned.contains(&row) {
                        mentioned.push(row);
                        if tables {
                            mentions_buf.push([row.into(), record_id.into()])?;
                        }
                    }
                    for v in &frag.values {
                        n_statements += 1;
                        placed |= v.prop == "latitude";
                        if !v.valid {
                            n_invalid += 1;
                            continue;
                        }
                        let Some(prop) = schema.property(v.prop) else {
                            continue;
                        };
                        if prop.kind == PropType::Entity {
                            let target = model()
                                .get(prop.range.as_deref().unwrap_or("Thing"))
                                .map_or("Thing", |s| s.name.as_str());
                            let dst = entity_row(&v.value, target, &mut entities_buf)?;
                            if tables {
                                links_buf.push([
                                    row.into(),
                                    dst.into(),
                                    v.prop.to_owned().into(),
                                    record_id.into(),
                                    at.map(str::to_owned).into(),
                                ])?;
                            }
                        } else if is_key(prop.kind) && tables {
                            key_values.push(&tx, (key_hash(&v.value), row, prop.name.as_str()))?;
                        }
                    }
                }
                if placed {
                    placed_buf.push([record_id.into()])?;
                }
                let facts = facts::encode(&record.fragments);
                let Record {
                    source,
                    raw,
                    policy,
                    fragments,
                } = record;
                records_buf.push([
                    record_id.into(),
                    uid.to_vec().into(),
                    batch_id.into(),
                    pid.into(),
                    (source.line as i64).into(),
                    (source.offset as i64).into(),
                    raw.into(),
                    facts.into(),
                    started_at.clone().into(),
                ])?;
                // the raw text has moved into the row; the rest goes on to the index
                sink(
                    record_id,
                    Record {
                        source,
                        raw: String::new(),
                        policy,
                        fragments,
                    },
                )?;
            }
        }
        records_buf.flush()?;
        entities_buf.flush()?;
        mentions_buf.flush()?;
        links_buf.flush()?;
        placed_buf.flush()?;
        drop((
            records_buf,
            entities_buf,
            mentions_buf,
            links_buf,
            placed_buf,
        ));
        new_keys.flush(&tx)?;
        key_values.flush(&tx)?;
        let finished_at = now_rfc3339();
        tx.execute(
            "UPDATE batch SET finished_at = ?2, records = ?3, statements = ?4, invalid = ?5
             WHERE id = ?1",
            params![batch_id, finished_at, n_records, n_statements, n_invalid],
        )?;
        audit.ids.insert(0, format!("batch:{batch_id}"));
        if let Some(first) = first_record {
            audit
                .ids
                .insert(1, format!("records:{first}-{last_record}"));
        }
        append_audit_tx(&tx, audit)?;
        tx.commit()?;
        Ok(Some(BatchInfo {
            id: batch_id,
            dataset: meta.dataset.clone(),
            source: meta.source.clone(),
            sha256: meta.sha256.clone(),
            format: meta.format.clone(),
            org: meta.org.clone(),
            started_at,
            finished_at,
            records: n_records,
            statements: n_statements,
        }))
    }

    /// The links touching any of `ids` (few enough to bind each twice).
    fn links_touching_group(&self, ids: &[String], scope: &Scope) -> Result<Vec<LinkRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // Each end through its own index, as two queries: as one (`src IN … OR dst IN …`)
        // SQLite 3.50 chose to scan the whole link table with a Bloom filter, 1.4 s a call on
        // the city instead of 0.1 s. The second leaves out what the first found, and a group of
        // links_where (by source) falls wholly into one of the two.
        let ends = entity_filter("e", ids);
        let from = format!("l.src IN (SELECT e.id FROM entity e WHERE {ends})");
        let to = format!(
            "l.dst IN (SELECT e.id FROM entity e WHERE {ends}) AND NOT (l.src IN (SELECT e.id FROM entity e WHERE {ends}))"
        );
        let params: Vec<&str> = ids.iter().map(String::as_str).collect();
        let twice: Vec<&str> = params.iter().chain(&params).copied().collect();
        let mut rows = self.links_where(&from, &params, scope)?;
        rows.extend(self.links_where(&to, &twice, scope)?);
        Ok(rows)
    }

    /// The statements about the given ids in record order: the first `limit` as rows, and,
    /// when `count_rest`, how many there are in all (which reads every record of the ids).
    fn read_statements(
        &self,
        ids: &[String],
        scope: &Scope,
        limit: usize,
        count_rest: bool,
    ) -> Result<StatementPage> {
        let mut page = StatementPage {
            rows: Vec::new(),
            total: 0,
            stated_as: Vec::new(),
        };
        if ids.is_empty() {
            return Ok(page);
        }
        // the records as a set of ids first: a record that mentions two of the ids is read once,
        // without comparing whole rows to drop the repeat
        let sql = format!(
            "SELECT r.id, r.facts, b.source, r.line, r.byte_offset, r.batch_id,
                    r.registered_at, {POLICY_COLUMNS}
             FROM record r JOIN batch b ON b.id = r.batch_id JOIN policy p ON p.id = r.policy_id
             WHERE r.id IN (SELECT m.record FROM entity e JOIN mention m ON m.entity = e.id
                            WHERE {}) AND {}
             ORDER BY r.id",
            entity_filter("e", ids),
            scope.sql("r.policy_id")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(ids))?;
        while let Some(r) = rows.next()? {
            let (record_id, facts): (i64, String) = (r.get(0)?, r.get(1)?);
            let unreadable = |e: String| {
                StoreError::Other(format!("record {record_id} has unreadable facts: {e}"))
            };
            let outline = facts::outline(&facts).map_err(unreadable)?;
            let all: Vec<&str> = outline.iter().map(|(id, _, _)| id.as_str()).collect();
            let mut policy: Option<Policy> = None;
            for (id, schema, values) in outline.iter().filter(|(id, _, _)| ids.contains(id)) {
                if !page.stated_as.iter().any(|(e, s)| e == id && s == schema) {
                    page.stated_as.push((id.clone(), schema.clone()));
                }
                // past the page only the count is wanted: the statements are not read
                if page.rows.len() >= limit {
                    if !count_rest {
                        return Ok(page);
                    }
                    page.total += facts::count(values).map_err(unreadable)?;
                    continue;
                }
                let values = facts::values(values, &all).map_err(unreadable)?;
                page.total += values.len();
                if policy.is_none() {
                    policy = Some(read_policy(r, 7)?);
                }
                let policy = policy.as_ref().expect("read above");
                for v in values {
                    if page.rows.len() >= limit {
                        break;
                    }
                    page.rows.push(StatementRow {
                        entity_id: id.clone(),
                        schema: schema.clone(),
                        prop: v.prop.to_owned(),
                        value: v.value,
                        original: v.original,
                        valid: v.valid,
                        record_id,
                        source: r.get(2)?,
                        line: r.get(3)?,
                        offset: r.get(4)?,
                        batch_id: r.get(5)?,
                        registered_at: r.get(6)?,
                        policy: policy.clone(),
                    });
                }
            }
        }
        Ok(page)
    }

    /// Rebuilds the canonical mapping of the clusters touching `ids` from the surviving
    /// judgements "same" (connected components; the smallest id is canonical).
    fn rebuild_clusters(tx: &Transaction<'_>, ids: &[String]) -> Result<()> {
        // Gather the whole component over the judgements that remain, starting from `ids`
        // and every id that shared a cluster with them before.
        let mut seen: Vec<String> = Vec::new();
        let mut queue: Vec<String> = ids.to_vec();
        {
            let mut cluster = tx.prepare(
                "SELECT entity_id FROM resolver WHERE canonical_id =
                 (SELECT canonical_id FROM resolver WHERE entity_id = ?1)",
            )?;
            for id in ids {
                let rows = cluster.query_map([id], |r| r.get::<_, String>(0))?;
                for r in rows {
                    queue.push(r?);
                }
            }
        }
        let mut adjacent = tx.prepare(
            "SELECT right_id FROM judgement WHERE left_id = ?1 AND verdict = 'same' AND undone_at IS NULL
             UNION SELECT left_id FROM judgement WHERE right_id = ?1 AND verdict = 'same' AND undone_at IS NULL",
        )?;
        let mut all: Vec<String> = Vec::new();
        while let Some(id) = queue.pop() {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id.clone());
            all.push(id.clone());
            let rows = adjacent.query_map([&id], |r| r.get::<_, String>(0))?;
            for r in rows {
                queue.push(r?);
            }
        }
        // Components among `all`.
        let mut components: Vec<Vec<String>> = Vec::new();
        let mut assigned: HashMap<String, usize> = HashMap::new();
        for id in &all {
            if assigned.contains_key(id) {
                continue;
            }
            let c = components.len();
            let mut comp = Vec::new();
            let mut stack = vec![id.clone()];
            while let Some(x) = stack.pop() {
                if assigned.contains_key(&x) {
                    continue;
                }
                assigned.insert(x.clone(), c);
                let rows = adjacent.query_map([&x], |r| r.get::<_, String>(0))?;
                for r in rows {
                    stack.push(r?);
                }
                comp.push(x);
            }
            components.push(comp);
        }
        let mut del = tx.prepare("DELETE FROM resolver WHERE entity_id = ?1")?;
        let mut ins =
            tx.prepare("INSERT INTO resolver (entity_id, canonical_id) VALUES (?1, ?2)")?;
        for comp in components {
            let canonical = comp.iter().min().expect("components are not empty").clone();
            for id in &comp {
                del.execute([id])?;
                if comp.len() > 1 {
                    ins.execute(params![id, canonical])?;
                }
            }
        }
        Ok(())
    }
}

impl Backend for SqliteBackend {
    fn version(&self) -> Result<u32> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    fn find_batch(&self, dataset: &str, sha256: &str) -> Result<Option<BatchInfo>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, dataset, source, sha256, format, org, started_at, finished_at, records,
                 statements FROM batch WHERE dataset = ?1 AND sha256 = ?2",
                params![dataset, sha256],
                |r| {
                    Ok(BatchInfo {
                        id: r.get(0)?,
                        dataset: r.get(1)?,
                        source: r.get(2)?,
                        sha256: r.get(3)?,
                        format: r.get(4)?,
                        org: r.get(5)?,
                        started_at: r.get(6)?,
                        finished_at: r.get(7)?,
                        records: r.get(8)?,
                        statements: r.get(9)?,
                    })
                },
            )
            .optional()?)
    }

    fn write_batch(
        &mut self,
        meta: &BatchMeta,
        records: &mut dyn Iterator<Item = Result<Record, Aborted>>,
        sink: &mut dyn FnMut(i64, Record) -> Result<()>,
        audit: AuditDraft,
    ) -> Result<Option<BatchInfo>> {
        let alone = bulk::enter(&self.conn);
        let written = self.write_batch_now(meta, records, sink, audit);
        if alone {
            bulk::leave(&self.conn);
        }
        written
    }

    fn canonical(&self, id: &str) -> Result<String> {
        let c: Option<String> = self
            .conn
            .query_row(
                "SELECT canonical_id FROM resolver WHERE entity_id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(c.unwrap_or_else(|| id.to_owned()))
    }

    fn members(&self, canonical: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT entity_id FROM resolver WHERE canonical_id = ?1 ORDER BY entity_id",
        )?;
        let mut ids: Vec<String> = stmt
            .query_map([canonical], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !ids.iter().any(|i| i == canonical) {
            ids.insert(0, canonical.to_owned());
        }
        Ok(ids)
    }

    fn statement_page(&self, ids: &[String], scope: &Scope, limit: usize) -> Result<StatementPage> {
        self.read_statements(ids, scope, limit, true)
    }

    fn first_statements(
        &self,
        ids: &[String],
        scope: &Scope,
        limit: usize,
    ) -> Result<Vec<StatementRow>> {
        Ok(self.read_statements(ids, scope, limit, false)?.rows)
    }

    fn visible(&self, id: &str, scope: &Scope) -> Result<bool> {
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM entity e JOIN mention m ON m.entity = e.id
                            JOIN record r ON r.id = m.record
                            WHERE e.id IN (SELECT id FROM entity_key WHERE h = ?1)
                            AND e.eid = ?2 AND {})",
            scope.sql("r.policy_id")
        );
        Ok(self
            .conn
            .query_row(&sql, params![key_hash(id), id], |r| r.get(0))?)
    }

    fn referrers(&self, ids: &[String], limit: u64, scope: &Scope) -> Result<Vec<Reference>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT DISTINCT s.eid, s.schema, l.prop, d.eid FROM entity d
             JOIN link l ON l.dst = d.id JOIN entity s ON s.id = l.src
             JOIN record r ON r.id = l.record
             WHERE {} AND {} ORDER BY s.eid LIMIT {limit}",
            entity_filter("d", ids),
            scope.sql("r.policy_id")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(ids), |r| {
            Ok(Reference {
                entity_id: r.get(0)?,
                schema: r.get(1)?,
                prop: r.get(2)?,
                target: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn links(&self, scope: &Scope) -> Result<Vec<LinkRow>> {
        self.links_where("1", &[], scope)
    }

    fn links_touching(&self, ids: &[String], scope: &Scope) -> Result<Vec<LinkRow>> {
        // in groups that stay below SQLite's bound on a statement's parameters (each id is
        // bound twice): a path search's frontier can hold thousands of ids
        const GROUP: usize = 4_000;
        if ids.len() <= GROUP {
            return self.links_touching_group(ids, scope);
        }
        let mut seen = std::collections::HashSet::new();
        let mut rows = Vec::new();
        for group in ids.chunks(GROUP) {
            for r in self.links_touching_group(group, scope)? {
                if seen.insert(r.key()) {
                    rows.push(r);
                }
            }
        }
        Ok(rows)
    }

    fn sharing_keys(&self, ids: &[String], limit: u64, scope: &Scope) -> Result<Vec<Reference>> {
        let mut keys: Vec<(String, String)> = Vec::new();
        for s in self.statements(ids, scope)? {
            let kind = model()
                .get(&s.schema)
                .and_then(|sc| sc.property(&s.prop))
                .map(|p| p.kind);
            if s.valid && kind.is_some_and(is_key) && !keys.iter().any(|k| k.1 == s.value) {
                keys.push((s.prop, s.value));
            }
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT e.eid, e.schema, k.prop FROM keyval k JOIN entity e ON e.id = k.entity
             WHERE k.h = ?1 ORDER BY e.eid",
        )?;
        let mut out = Vec::new();
        for (_, value) in keys {
            let rows = stmt.query_map([key_hash(&value)], |r| {
                Ok(Reference {
                    entity_id: r.get(0)?,
                    schema: r.get(1)?,
                    prop: r.get(2)?,
                    target: value.clone(),
                })
            })?;
            let candidates: Vec<Reference> = rows.collect::<rusqlite::Result<_>>()?;
            for r in candidates {
                if ids.contains(&r.entity_id) || out.len() >= limit as usize {
                    continue;
                }
                // the other entity's value must come from a record the reader may see
                if *scope != Scope::All
                    && !self
                        .statements(std::slice::from_ref(&r.entity_id), scope)?
                        .iter()
                        .any(|s| s.valid && s.value == r.target)
                {
                    continue;
                }
                out.push(r);
            }
        }
        Ok(out)
    }

    fn stats(&self, scope: &Scope) -> Result<Stats> {
        let count = |sql: &str| -> Result<u64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let pairs = |sql: &str| -> Result<Vec<(String, u64)>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        if *scope == Scope::All {
            return Ok(Stats {
                batches: count("SELECT count(*) FROM batch")?,
                records: count("SELECT count(*) FROM record")?,
                entities: count("SELECT count(*) FROM entity")?,
                statements: Some(count("SELECT coalesce(sum(statements), 0) FROM batch")?),
                invalid_values: Some(count("SELECT coalesce(sum(invalid), 0) FROM batch")?),
                merged_ids: count("SELECT count(*) FROM resolver WHERE entity_id <> canonical_id")?,
                audit_entries: Some(count("SELECT count(*) FROM audit")?),
                by_schema: pairs(
                    "SELECT schema, count(*) FROM entity GROUP BY schema ORDER BY 2 DESC, 1",
                )?,
                by_dataset: pairs(
                    "SELECT dataset, sum(records) FROM batch GROUP BY dataset ORDER BY 2 DESC, 1",
                )?,
            });
        }
        let within = scope.sql("r.policy_id");
        let visible_entities = format!(
            "SELECT DISTINCT m.entity FROM mention m JOIN record r ON r.id = m.record
             WHERE {within}"
        );
        Ok(Stats {
            batches: count(&format!(
                "SELECT count(DISTINCT r.batch_id) FROM record r WHERE {within}"
            ))?,
            records: count(&format!("SELECT count(*) FROM record r WHERE {within}"))?,
            entities: count(&format!("SELECT count(*) FROM ({visible_entities})"))?,
            statements: None,
            invalid_values: None,
            merged_ids: count(&format!(
                "SELECT count(*) FROM resolver v JOIN entity e ON e.eid = v.entity_id
                 WHERE v.entity_id <> v.canonical_id AND e.id IN ({visible_entities})"
            ))?,
            audit_entries: None,
            by_schema: pairs(&format!(
                "SELECT schema, count(*) FROM entity WHERE id IN ({visible_entities})
                 GROUP BY schema ORDER BY 2 DESC, 1"
            ))?,
            by_dataset: pairs(&format!(
                "SELECT p.dataset, count(*) FROM record r JOIN policy p ON p.id = r.policy_id
                 WHERE {within} GROUP BY p.dataset ORDER BY 2 DESC, 1"
            ))?,
        })
    }

    fn events(&self, scope: &Scope) -> Result<Vec<EventRow>> {
        let mut stmt = self.conn.prepare(&format!(
            // only the records that state a place, not every record
            "SELECT r.id, r.facts FROM placed p JOIN record r ON r.id = p.record
             WHERE {} ORDER BY r.id",
            scope.sql("r.policy_id")
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let (record_id, facts): (i64, String) = (r.get(0)?, r.get(1)?);
            let fragments = facts::decode(&facts).map_err(|e| {
                StoreError::Other(format!("record {record_id} has unreadable facts: {e}"))
            })?;
            for f in fragments {
                let first = |props: &[&str]| {
                    props.iter().find_map(|p| {
                        f.values
                            .iter()
                            .find(|v| v.valid && v.prop == *p)
                            .map(|v| v.value.clone())
                    })
                };
                let number = |p: &str| first(&[p]).and_then(|v| v.parse::<f64>().ok());
                let (Some(lat), Some(lon)) = (number("latitude"), number("longitude")) else {
                    continue;
                };
                if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                    continue;
                }
                out.push(EventRow {
                    entity_id: f.id.clone(),
                    schema: f.schema.to_owned(),
                    lat,
                    lon,
                    date: first(&["date", "startDate", "observedAt", "seizedDate", "sampledAt"]),
                    category: first(&["substance", "category"])
                        .unwrap_or_else(|| f.schema.to_owned()),
                    place: first(&["place", "address"]),
                    record_id,
                });
            }
        }
        Ok(out)
    }

    fn policies(&self) -> Result<Vec<(i64, Policy)>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT p.id, {POLICY_COLUMNS} FROM policy p ORDER BY p.id"
        ))?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, read_policy(r, 1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn policy_counts(
        &self,
        records: &[i64],
        entities: &[String],
        scope: &Scope,
    ) -> Result<Vec<(i64, u64)>> {
        let mut ids: std::collections::BTreeSet<i64> = records.iter().copied().collect();
        for chunk in entities.chunks(400) {
            let sql = format!(
                "SELECT m.record FROM entity e JOIN mention m ON m.entity = e.id WHERE {}",
                entity_filter("e", chunk)
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(chunk), |r| r.get::<_, i64>(0))?;
            for id in rows {
                ids.insert(id?);
            }
        }
        let ids: Vec<i64> = ids.into_iter().collect();
        let mut counts: BTreeMap<i64, u64> = BTreeMap::new();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT r.policy_id, count(*) FROM record r WHERE r.id IN ({}) AND {}
                 GROUP BY r.policy_id",
                chunk
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
                scope.sql("r.policy_id")
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (policy, n) = row?;
                *counts.entry(policy).or_default() += n as u64;
            }
        }
        Ok(counts.into_iter().collect())
    }

    fn change_directory(&mut self, change: &Change, audit: AuditDraft) -> Result<AuditEntry> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        directory::apply(&tx, change)?;
        let entry = append_audit_tx(&tx, audit)?;
        tx.commit()?;
        Ok(entry)
    }

    fn record_login(&mut self, event: &LoginEvent) -> Result<()> {
        directory::record_login(&self.conn, event)
    }

    fn orgs(&self) -> Result<Vec<OrgInfo>> {
        directory::orgs(&self.conn)
    }

    fn users(&self) -> Result<Vec<UserInfo>> {
        directory::users(&self.conn)
    }

    fn credentials(&self, user: &str) -> Result<Option<Credentials>> {
        directory::credentials(&self.conn, user)
    }

    fn compartments(&self) -> Result<Vec<CompartmentInfo>> {
        directory::compartments(&self.conn)
    }

    fn agreements(&self) -> Result<Vec<Agreement>> {
        directory::agreements(&self.conn)
    }

    fn tokens(&self) -> Result<Vec<TokenInfo>> {
        directory::tokens(&self.conn)
    }

    fn token_by_hash(&self, hash: &str) -> Result<Option<TokenInfo>> {
        directory::token_by_hash(&self.conn, hash)
    }

    fn retention_rules(&self) -> Result<Vec<RetentionRule>> {
        retention::rules(&self.conn)
    }

    fn set_retention_rule(
        &mut self,
        rule: &RetentionRule,
        audit: AuditDraft,
    ) -> Result<AuditEntry> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        retention::set_rule(&tx, rule)?;
        let entry = append_audit_tx(&tx, audit)?;
        tx.commit()?;
        Ok(entry)
    }

    fn retention_candidates(&self, as_of: &str) -> Result<Vec<Candidate>> {
        retention::candidates(&self.conn, as_of)
    }

    fn erase(&mut self, records: &[i64], audit: AuditDraft) -> Result<ErasureReport> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (report, erased_ids) = retention::erase(&tx, records)?;
        Self::rebuild_clusters(&tx, &erased_ids)?;
        append_audit_tx(&tx, audit)?;
        tx.commit()?;
        // the erased bytes out of the file's free pages and out of the write-ahead log
        self.conn.execute_batch("VACUUM")?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(report)
    }

    fn append_audit(&mut self, draft: AuditDraft) -> Result<AuditEntry> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let e = append_audit_tx(&tx, draft)?;
        tx.commit()?;
        Ok(e)
    }

    fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut sql = format!("SELECT {AUDIT_COLUMNS} FROM audit WHERE 1 = 1");
        let mut args: Vec<String> = Vec::new();
        if let Some(u) = &filter.user {
            args.push(u.clone());
            sql.push_str(&format!(" AND user_name = ?{}", args.len()));
        }
        if let Some(op) = &filter.op {
            args.push(op.clone());
            sql.push_str(&format!(" AND op = ?{}", args.len()));
        }
        if let Some(id) = &filter.id {
            args.push(id.clone());
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM json_each(audit.ids) WHERE value = ?{})",
                args.len()
            ));
        }
        if let Some(s) = &filter.since {
            args.push(s.clone());
            sql.push_str(&format!(" AND at >= ?{}", args.len()));
        }
        if let Some(u) = &filter.until {
            args.push(u.clone());
            sql.push_str(&format!(" AND at <= ?{}", args.len()));
        }
        sql.push_str(" ORDER BY seq DESC");
        if let Some(l) = filter.limit {
            sql.push_str(&format!(" LIMIT {l}"));
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(&args), read_audit)?;
        let mut v: Vec<AuditEntry> = rows.collect::<rusqlite::Result<_>>()?;
        v.reverse();
        Ok(v)
    }

    fn audit_scan(&self, f: &mut dyn FnMut(AuditEntry) -> bool) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {AUDIT_COLUMNS} FROM audit ORDER BY seq"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if !f(read_audit(r)?) {
                break;
            }
        }
        Ok(())
    }

    fn max_record_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM record", [], |r| r.get(0))?)
    }

    fn records_after(
        &self,
        after: i64,
        f: &mut dyn FnMut(StoredRecord) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT r.id, b.source, r.line, r.byte_offset, r.raw, r.facts, r.policy_id, {POLICY_COLUMNS}
             FROM record r JOIN batch b ON b.id = r.batch_id JOIN policy p ON p.id = r.policy_id
             WHERE r.id > ?1 ORDER BY r.id"
        ))?;
        let mut rows = stmt.query([after])?;
        let mut policies: HashMap<i64, Arc<Policy>> = HashMap::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let pid: i64 = r.get(6)?;
            let policy = match policies.get(&pid) {
                Some(p) => p.clone(),
                None => {
                    let p = Arc::new(read_policy(r, 7)?);
                    policies.insert(pid, p.clone());
                    p
                }
            };
            let facts: String = r.get(5)?;
            let fragments: Vec<Fragment> = facts::decode(&facts)
                .map_err(|e| StoreError::Other(format!("record {id} has unreadable facts: {e}")))?;
            f(StoredRecord {
                id,
                record: Record {
                    source: SourceRef {
                        file: r.get(1)?,
                        line: r.get(2)?,
                        offset: r.get(3)?,
                    },
                    raw: r.get(4)?,
                    policy,
                    fragments,
                },
            })?;
        }
        Ok(())
    }

    fn judge(
        &mut self,
        a: &str,
        b: &str,
        verdict: &str,
        user: &str,
        mut audit: AuditDraft,
    ) -> Result<(i64, String)> {
        if !matches!(verdict, "same" | "not_same" | "unsure") {
            return Err(StoreError::Query(format!(
                "unknown verdict {verdict:?}: same, not_same or unsure"
            )));
        }
        if a == b {
            return Err(StoreError::Query(
                "an entity is judged against another".into(),
            ));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for id in [a, b] {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM entity WHERE id IN (SELECT id FROM entity_key WHERE h = ?1)
                 AND eid = ?2)",
                params![key_hash(id), id],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(StoreError::NotFound {
                    kind: "entity",
                    id: id.to_owned(),
                });
            }
        }
        let cluster = |id: &str| -> Result<Vec<String>> {
            let c: String = tx
                .query_row(
                    "SELECT canonical_id FROM resolver WHERE entity_id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or_else(|| id.to_owned());
            let mut stmt =
                tx.prepare_cached("SELECT entity_id FROM resolver WHERE canonical_id = ?1")?;
            let mut ids: Vec<String> = stmt
                .query_map([&c], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if !ids.iter().any(|i| i == id) {
                ids.push(id.to_owned());
            }
            Ok(ids)
        };
        let (ca, cb) = (cluster(a)?, cluster(b)?);
        if verdict == "same" {
            // a standing "not the same" between the two clusters keeps them apart
            let mut stmt = tx.prepare_cached(
                "SELECT user_name, at FROM judgement WHERE verdict = 'not_same' AND undone_at IS NULL
                 AND ((left_id = ?1 AND right_id = ?2) OR (left_id = ?2 AND right_id = ?1))",
            )?;
            for x in &ca {
                for y in &cb {
                    if let Some((who, at)) = stmt
                        .query_row([x, y], |r| {
                            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                        })
                        .optional()?
                    {
                        return Err(StoreError::Denied(format!(
                            "{x} and {y} were judged not the same by {who} at {at}; undo that \
                             judgement first"
                        )));
                    }
                }
            }
        } else if ca.iter().any(|x| x == b) {
            return Err(StoreError::Denied(format!(
                "{a} and {b} are merged; undo the merge before judging them otherwise"
            )));
        }
        let (l, r) = if a <= b { (a, b) } else { (b, a) };
        tx.execute(
            "INSERT INTO judgement (left_id, right_id, verdict, user_name, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![l, r, verdict, user, now_rfc3339()],
        )?;
        let judgement = tx.last_insert_rowid();
        Self::rebuild_clusters(&tx, &[a.to_owned(), b.to_owned()])?;
        let canonical: String = tx
            .query_row(
                "SELECT canonical_id FROM resolver WHERE entity_id = ?1",
                [a],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| a.to_owned());
        audit.ids = vec![a.to_owned(), b.to_owned(), format!("judgement:{judgement}")];
        append_audit_tx(&tx, audit)?;
        tx.commit()?;
        Ok((judgement, canonical))
    }

    fn judgements(&self, limit: u64) -> Result<Vec<Judgement>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, left_id, right_id, verdict, user_name, at, undone_at FROM judgement
             ORDER BY id DESC LIMIT {limit}"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(Judgement {
                id: r.get(0)?,
                left_id: r.get(1)?,
                right_id: r.get(2)?,
                verdict: r.get(3)?,
                user: r.get(4)?,
                at: r.get(5)?,
                undone_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn add_proposals(&mut self, rows: &[Proposal], audit: AuditDraft) -> Result<u64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut added = 0;
        {
            let mut ins = tx.prepare(
                "INSERT OR IGNORE INTO proposal (left_id, right_id, probability, weight, explanation,
                                                 created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let now = now_rfc3339();
            for p in rows {
                let (l, r) = if p.left_id <= p.right_id {
                    (&p.left_id, &p.right_id)
                } else {
                    (&p.right_id, &p.left_id)
                };
                added +=
                    ins.execute(params![l, r, p.probability, p.weight, p.explanation, now])? as u64;
            }
        }
        append_audit_tx(&tx, audit)?;
        tx.commit()?;
        Ok(added)
    }

    fn open_proposals(&self, limit: u64) -> Result<Vec<Proposal>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT p.id, p.left_id, p.right_id, p.probability, p.weight, p.explanation, p.created_at
             FROM proposal p
             WHERE NOT EXISTS (SELECT 1 FROM judgement j WHERE j.undone_at IS NULL
                               AND j.left_id = p.left_id AND j.right_id = p.right_id)
               AND NOT EXISTS (SELECT 1 FROM resolver a JOIN resolver b
                               ON a.canonical_id = b.canonical_id
                               WHERE a.entity_id = p.left_id AND b.entity_id = p.right_id)
             ORDER BY abs(p.probability - 0.5), p.id LIMIT {limit}"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(Proposal {
                id: r.get(0)?,
                left_id: r.get(1)?,
                right_id: r.get(2)?,
                probability: r.get(3)?,
                weight: r.get(4)?,
                explanation: r.get(5)?,
                created_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn person_facts(&self, scope: &Scope) -> Result<Vec<PersonFacts>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT r.id, r.facts FROM record r WHERE {} ORDER BY r.id",
            scope.sql("r.policy_id")
        ))?;
        let mut rows = stmt.query([])?;
        let mut at: HashMap<String, usize> = HashMap::new();
        let mut out: Vec<PersonFacts> = Vec::new();
        while let Some(r) = rows.next()? {
            let (record_id, facts): (i64, String) = (r.get(0)?, r.get(1)?);
            if !facts.contains("Person") {
                continue;
            }
            let fragments = facts::decode(&facts).map_err(|e| {
                StoreError::Other(format!("record {record_id} has unreadable facts: {e}"))
            })?;
            for f in fragments.into_iter().filter(|f| f.schema == "Person") {
                let i = *at.entry(f.id.clone()).or_insert_with(|| {
                    out.push(PersonFacts {
                        id: f.id.clone(),
                        ..PersonFacts::default()
                    });
                    out.len() - 1
                });
                let p = &mut out[i];
                for v in f.values.into_iter().filter(|v| v.valid) {
                    let list = match v.prop {
                        "name" => &mut p.names,
                        "firstName" => &mut p.first_names,
                        "lastName" => &mut p.last_names,
                        "birthDate" => &mut p.birth_dates,
                        "idNumber" | "nationalId" => &mut p.id_numbers,
                        "phone" | "phoneMentioned" => &mut p.phones,
                        "email" | "emailMentioned" => &mut p.emails,
                        "address" => &mut p.addresses,
                        _ => continue,
                    };
                    if !list.contains(&v.value) {
                        list.push(v.value);
                    }
                }
            }
        }
        Ok(out)
    }

    fn undo_judgement(&mut self, judgement: i64, mut audit: AuditDraft) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let pair: Option<(String, String)> = tx
            .query_row(
                "SELECT left_id, right_id FROM judgement WHERE id = ?1 AND undone_at IS NULL",
                [judgement],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((l, r)) = pair else {
            return Err(StoreError::NotFound {
                kind: "judgement",
                id: judgement.to_string(),
            });
        };
        tx.execute(
            "UPDATE judgement SET undone_at = ?2 WHERE id = ?1",
            params![judgement, now_rfc3339()],
        )?;
        Self::rebuild_clusters(&tx, &[l.clone(), r.clone()])?;
        audit.ids = vec![l, r, format!("judgement:{judgement}")];
        append_audit_tx(&tx, audit)?;
        tx.commit()?;
        Ok(())
    }
}

/// The path of the database file inside a store directory.
pub(crate) fn db_path(dir: &Path) -> PathBuf {
    dir.join("lagesbild.sqlite")
}

impl SqliteBackend {
    /// The links stated by records in scope that pass `filter` (SQL over `l`, the link, with
    /// `params` for its placeholders), grouped by month, with canonical ids.
    fn links_where(&self, filter: &str, params: &[&str], scope: &Scope) -> Result<Vec<LinkRow>> {
        let sql = match scope {
            Scope::All => format!(
                "SELECT coalesce(rs.canonical_id, s.eid), s.schema, l.prop,
                    coalesce(rd.canonical_id, d.eid), count(*), s.eid, d.eid, min(l.at)
             FROM link l
             JOIN entity s ON s.id = l.src JOIN entity d ON d.id = l.dst
             LEFT JOIN resolver rs ON rs.entity_id = s.eid
             LEFT JOIN resolver rd ON rd.entity_id = d.eid
             WHERE {filter}
             GROUP BY l.src, l.dst, l.prop, substr(l.at, 1, 7)"
            ),
            Scope::Policies(_) => format!(
                "SELECT coalesce(rs.canonical_id, s.eid), s.schema, l.prop,
                    coalesce(rd.canonical_id, d.eid), count(*), s.eid, d.eid, min(l.at)
             FROM link l JOIN record r ON r.id = l.record
             JOIN entity s ON s.id = l.src JOIN entity d ON d.id = l.dst
             LEFT JOIN resolver rs ON rs.entity_id = s.eid
             LEFT JOIN resolver rd ON rd.entity_id = d.eid
             WHERE {filter} AND {}
             GROUP BY l.src, l.dst, l.prop, substr(l.at, 1, 7)",
                scope.sql("r.policy_id")
            ),
        };
        // a canonical id is itself an entity's id: one the reader may not see stays hidden
        let mut canonical_ok: HashMap<String, bool> = HashMap::new();
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut ends: [String; 2] = [r.get(0)?, r.get(3)?];
            let own: [String; 2] = [r.get(5)?, r.get(6)?];
            if *scope != Scope::All {
                for (end, own) in ends.iter_mut().zip(own) {
                    if *end == own {
                        continue;
                    }
                    let ok = match canonical_ok.get(end.as_str()) {
                        Some(ok) => *ok,
                        None => {
                            let ok = self.visible(end, scope)?;
                            canonical_ok.insert(end.clone(), ok);
                            ok
                        }
                    };
                    if !ok {
                        *end = own;
                    }
                }
            }
            let [src, dst] = ends;
            out.push(LinkRow {
                src,
                src_schema: r.get(1)?,
                prop: r.get(2)?,
                dst,
                count: r.get::<_, i64>(4)? as u64,
                at: r.get(7)?,
            });
        }
        Ok(out)
    }
}
