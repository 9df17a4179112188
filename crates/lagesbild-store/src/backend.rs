//! The contract between the access path and a storage backend. SQLite implements it today; a
//! PostgreSQL backend for many users and machines implements the same trait, and the same
//! conformance suite (`tests::conformance`) runs against every backend.
//!
//! The trait is crate-private: nothing outside the store reaches data except through
//! [`crate::Access`], which checks who is asking and why and writes the audit entry.

use serde::Serialize;

use lagesbild_model::{Agreement, Policy, Record};

use crate::audit::{AuditDraft, AuditEntry};
use crate::directory::{
    Change, CompartmentInfo, Credentials, LoginEvent, OrgInfo, TokenInfo, UserInfo,
};
use crate::error::Result;
use crate::retention::{Candidate, ErasureReport, RetentionRule};

/// Which records a reader may see: all (the local operator), or those whose policy row is one
/// of a sorted list. Every read of records, statements and links takes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scope {
    All,
    Policies(Vec<i64>),
}

impl Scope {
    /// The SQL condition (to follow `AND`) on a column holding policy ids; the ids are integers
    /// and go into the text.
    pub(crate) fn sql(&self, column: &str) -> String {
        match self {
            Scope::All => "1".to_owned(),
            Scope::Policies(ids) if ids.is_empty() => "0".to_owned(),
            Scope::Policies(ids) => format!(
                "{column} IN ({})",
                ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
            ),
        }
    }
}

/// What identifies a batch: one file ingested into one dataset.
#[derive(Debug, Clone)]
pub struct BatchMeta {
    pub dataset: String,
    /// The file as named to the reader.
    pub source: String,
    /// SHA-256 of the file's bytes; the same file twice into one dataset is one batch.
    pub sha256: String,
    pub format: String,
    pub org: String,
}

/// A batch as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchInfo {
    pub id: i64,
    pub dataset: String,
    pub source: String,
    pub sha256: String,
    pub format: String,
    pub org: String,
    pub started_at: String,
    pub finished_at: String,
    /// Records added (records already present from an earlier batch are not counted).
    pub records: u64,
    pub statements: u64,
}

/// One statement with the provenance of the record it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementRow {
    pub entity_id: String,
    pub schema: String,
    pub prop: String,
    pub value: String,
    pub original: Option<String>,
    pub valid: bool,
    pub record_id: i64,
    pub source: String,
    pub line: u64,
    pub offset: u64,
    pub batch_id: i64,
    pub registered_at: String,
    pub policy: Policy,
}

/// A page of an entity's statements ([`Backend::statement_page`]).
#[derive(Debug, Clone)]
pub struct StatementPage {
    pub rows: Vec<StatementRow>,
    /// How many statements there are in all.
    pub total: usize,
    /// Each (entity id, schema) pair the statements state, in the order first met.
    pub stated_as: Vec<(String, String)>,
}

/// An entity that refers to another through an entity-typed property (a Payment's `payer`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    pub entity_id: String,
    pub schema: String,
    pub prop: String,
    pub target: String,
}

/// One link between entities, as the network sees it: ids resolved to canonical entities,
/// `count` the records that state it in one month (links are grouped by the month they were
/// stated in, so that networks can be cut into time slices).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkRow {
    pub src: String,
    pub src_schema: String,
    pub prop: String,
    pub dst: String,
    pub count: u64,
    /// The first date in that month the link was stated (the payment's, the call's); `None`
    /// for links without a date.
    pub at: Option<String>,
}

impl LinkRow {
    /// What makes two rows the same link: its ends, its kind and its date. Rows read in parts
    /// (a neighbourhood and the other ends of its payments, groups of ids) are merged by it.
    pub fn key(&self) -> (String, String, String, Option<String>) {
        (
            self.src.clone(),
            self.prop.clone(),
            self.dst.clone(),
            self.at.clone(),
        )
    }
}

/// An event with a place: a fragment of a record in scope with a latitude and a longitude
/// (seizures, incidents, observations), for the statistics of place and time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRow {
    pub entity_id: String,
    pub schema: String,
    pub lat: f64,
    pub lon: f64,
    /// The first date-like value (`date`, `startDate`, `observedAt`...), as written.
    pub date: Option<String>,
    /// The substance, else the category, else the schema.
    pub category: String,
    /// The place as written (`place`, else `address`).
    pub place: Option<String>,
    pub record_id: i64,
}

/// A judgement on two entities: the same, not the same, or unsure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judgement {
    pub id: i64,
    pub left_id: String,
    pub right_id: String,
    /// `same`, `not_same` or `unsure`.
    pub verdict: String,
    pub user: String,
    pub at: String,
    pub undone_at: Option<String>,
}

/// A pair the resolver found alike, waiting for a judgement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub id: i64,
    pub left_id: String,
    pub right_id: String,
    pub probability: f64,
    pub weight: f64,
    /// The resolver's explanation (JSON).
    pub explanation: String,
    pub created_at: String,
}

/// What the records in scope say about one person, for entity resolution.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PersonFacts {
    pub id: String,
    pub names: Vec<String>,
    pub first_names: Vec<String>,
    pub last_names: Vec<String>,
    pub birth_dates: Vec<String>,
    pub id_numbers: Vec<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub addresses: Vec<String>,
}

/// Counts over what the reader may see (the whole store for the operator). Counts that cannot be
/// limited to what a reader sees are given to the operator only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub batches: u64,
    pub records: u64,
    pub entities: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statements: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid_values: Option<u64>,
    pub merged_ids: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_entries: Option<u64>,
    pub by_schema: Vec<(String, u64)>,
    pub by_dataset: Vec<(String, u64)>,
}

/// Which audit entries to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub user: Option<String>,
    pub op: Option<String>,
    /// Entries that touched this id.
    pub id: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub limit: Option<u64>,
}

/// A record of the index's source: a record's id with the fragments it yields, as stored.
#[derive(Debug, Clone)]
pub struct StoredRecord {
    pub id: i64,
    pub record: Record,
}

/// Marks that the input stream failed; the caller holds the real error.
#[derive(Debug, Clone, Copy)]
pub struct Aborted;

pub(crate) trait Backend: Send {
    /// The schema version of the store.
    fn version(&self) -> Result<u32>;

    fn find_batch(&self, dataset: &str, sha256: &str) -> Result<Option<BatchInfo>>;

    /// Writes a batch in one transaction, with `audit` appended to the log in the same
    /// transaction. `sink` is given each record that was new (without its raw text, which the
    /// store keeps). If the stream yields
    /// `Err(Aborted)` or the sink fails, nothing is kept and `Ok(None)` or the error returns.
    fn write_batch(
        &mut self,
        meta: &BatchMeta,
        records: &mut dyn Iterator<Item = Result<Record, Aborted>>,
        sink: &mut dyn FnMut(i64, Record) -> Result<()>,
        audit: AuditDraft,
    ) -> Result<Option<BatchInfo>>;

    /// The canonical id of an entity id (itself when never merged).
    fn canonical(&self, id: &str) -> Result<String>;

    /// Every id that maps to the canonical id, itself included.
    fn members(&self, canonical: &str) -> Result<Vec<String>>;

    /// The statements about the given entity ids, with provenance, in record order.
    fn statements(&self, ids: &[String], scope: &Scope) -> Result<Vec<StatementRow>> {
        Ok(self.statement_page(ids, scope, usize::MAX)?.rows)
    }

    /// The first `limit` statements about the given entity ids (in record order), how many
    /// there are in all, and the schemata each id is stated as: an account named by thousands of
    /// payments is counted without building a row for each.
    fn statement_page(&self, ids: &[String], scope: &Scope, limit: usize) -> Result<StatementPage>;

    /// The first `limit` statements about the given entity ids (in record order), without
    /// counting the rest: enough for a caption, and the records past the first few are not
    /// read at all.
    fn first_statements(
        &self,
        ids: &[String],
        scope: &Scope,
        limit: usize,
    ) -> Result<Vec<StatementRow>> {
        Ok(self.statement_page(ids, scope, limit)?.rows)
    }

    /// Whether a record in scope mentions the entity id.
    fn visible(&self, id: &str, scope: &Scope) -> Result<bool>;

    /// Entities whose entity-typed properties point at any of `ids`.
    fn referrers(&self, ids: &[String], limit: u64, scope: &Scope) -> Result<Vec<Reference>>;

    /// Other entities with the same identifying key value (phone, e-mail, IBAN, wallet...).
    fn sharing_keys(&self, ids: &[String], limit: u64, scope: &Scope) -> Result<Vec<Reference>>;

    /// Every link stated by a record in scope, with canonical ids (a canonical id outside the
    /// scope is replaced by the entity's own id).
    fn links(&self, scope: &Scope) -> Result<Vec<LinkRow>>;
    /// The links in scope that start or end at one of the entities `ids` (as given, not
    /// canonical), as [`Backend::links`] gives them.
    fn links_touching(&self, ids: &[String], scope: &Scope) -> Result<Vec<LinkRow>>;

    fn stats(&self, scope: &Scope) -> Result<Stats>;

    /// Every fragment with a place in the records in scope.
    fn events(&self, scope: &Scope) -> Result<Vec<EventRow>>;

    /// Every policy row, with its id.
    fn policies(&self) -> Result<Vec<(i64, Policy)>>;

    /// How many distinct records in scope each policy row has among `records` and the records
    /// that mention any of `entities` (entity ids as stored, not canonical ids).
    fn policy_counts(
        &self,
        records: &[i64],
        entities: &[String],
        scope: &Scope,
    ) -> Result<Vec<(i64, u64)>>;

    /// Changes the directory, with the audit entry in the same transaction.
    fn change_directory(&mut self, change: &Change, audit: AuditDraft) -> Result<AuditEntry>;

    /// Records a login attempt's outcome (never the password).
    fn record_login(&mut self, event: &LoginEvent) -> Result<()>;

    fn orgs(&self) -> Result<Vec<OrgInfo>>;

    fn users(&self) -> Result<Vec<UserInfo>>;

    fn credentials(&self, user: &str) -> Result<Option<Credentials>>;

    fn compartments(&self) -> Result<Vec<CompartmentInfo>>;

    /// The sharing agreements in force.
    fn agreements(&self) -> Result<Vec<Agreement>>;

    fn tokens(&self) -> Result<Vec<TokenInfo>>;

    fn token_by_hash(&self, hash: &str) -> Result<Option<TokenInfo>>;

    fn retention_rules(&self) -> Result<Vec<RetentionRule>>;

    fn set_retention_rule(&mut self, rule: &RetentionRule, audit: AuditDraft)
    -> Result<AuditEntry>;

    /// The records due for erasure or review on `as_of` (an ISO date).
    fn retention_candidates(&self, as_of: &str) -> Result<Vec<Candidate>>;

    /// Erases records and everything derived from them in one transaction with its audit
    /// entry (which names record ids, never content); then compacts the file so that the
    /// erased bytes are gone from it and from the write-ahead log.
    fn erase(&mut self, records: &[i64], audit: AuditDraft) -> Result<ErasureReport>;

    /// Appends one entry to the audit log, chained to the last.
    fn append_audit(&mut self, draft: AuditDraft) -> Result<AuditEntry>;

    fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>>;

    /// Every audit entry in sequence order, for verification.
    fn audit_scan(&self, f: &mut dyn FnMut(AuditEntry) -> bool) -> Result<()>;

    /// The highest record id.
    fn max_record_id(&self) -> Result<i64>;

    /// Records with id above `after`, in id order, rebuilt from their statements.
    fn records_after(
        &self,
        after: i64,
        f: &mut dyn FnMut(StoredRecord) -> Result<()>,
    ) -> Result<()>;

    /// Records a judgement on two entities. "same" merges their clusters (refused when a
    /// judgement "not the same" stands between them); "not_same" and "unsure" are kept so
    /// that the pair is not proposed again (and "not_same" so that no merge joins them).
    /// Returns the judgement id and the canonical id of `a` afterwards.
    fn judge(
        &mut self,
        a: &str,
        b: &str,
        verdict: &str,
        user: &str,
        audit: AuditDraft,
    ) -> Result<(i64, String)>;

    /// The judgements, newest first.
    fn judgements(&self, limit: u64) -> Result<Vec<Judgement>>;

    /// Stores proposals (a pair already proposed is left as it is); how many were new.
    fn add_proposals(&mut self, rows: &[Proposal], audit: AuditDraft) -> Result<u64>;

    /// Proposals with no standing judgement on their pair and not already in one cluster,
    /// the most uncertain first.
    fn open_proposals(&self, limit: u64) -> Result<Vec<Proposal>>;

    /// Every person in the records in scope, with what those records say about them.
    fn person_facts(&self, scope: &Scope) -> Result<Vec<PersonFacts>>;

    /// Undoes a judgement and rebuilds the affected clusters from the judgements that remain.
    fn undo_judgement(&mut self, judgement: i64, audit: AuditDraft) -> Result<()>;
}
