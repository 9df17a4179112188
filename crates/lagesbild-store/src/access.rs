//! The one access path. Every operation takes the principal (who) and the purpose (why),
//! is checked against what the principal's roles allow, and is appended to the audit log with
//! the ids it touched. Nothing else in the program reaches the records.

use std::collections::HashMap;

use serde::Serialize;

use lagesbild_model::{AuditOp, Principal, Purpose, Record, Role};

use crate::Store;
use crate::audit::{AuditDraft, AuditEntry, Verifier, VerifyReport};
use crate::backend::{
    Aborted, AuditFilter, BatchInfo, BatchMeta, LinkRow, Reference, StatementRow, Stats,
};
use crate::error::{Result, StoreError};
use crate::index::{Hit, SearchQuery};

/// What the principal wants to do, for the permission check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Collect,
    ReadEntities,
    ReadStats,
    ReadAudit,
    Combine,
    Maintain,
}

/// Which roles may do what. The policy engine refines this per record; here the access path
/// refuses whole operations to roles that never need them.
fn allowed(principal: &Principal, action: Action) -> bool {
    principal.roles.iter().any(|role| match role {
        Role::Operator | Role::Administrator => true,
        Role::Analyst | Role::Investigator => action != Action::ReadAudit,
        Role::AreaOfficer | Role::Liaison => {
            matches!(action, Action::ReadEntities | Action::ReadStats)
        }
        Role::Partner => matches!(action, Action::ReadStats),
        Role::Auditor => matches!(action, Action::ReadAudit | Action::ReadStats),
    })
}

/// The handle through which a principal reaches the store for one purpose.
pub struct Access<'a> {
    store: &'a mut Store,
    principal: &'a Principal,
    purpose: &'a Purpose,
}

impl std::fmt::Debug for Access<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Access")
            .field("principal", &self.principal.user)
            .field("purpose", &self.purpose.as_str())
            .finish_non_exhaustive()
    }
}

/// What an ingest did.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum IngestOutcome {
    Added(BatchInfo),
    /// The same file was ingested into the dataset before; nothing was added.
    AlreadyIngested(BatchInfo),
}

/// Why an ingest failed: the input (with the reader's own error) or the store.
#[derive(Debug, thiserror::Error)]
pub enum IngestFailure<E> {
    #[error(transparent)]
    Input(E),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An entity with every value, the provenance of each, and its links.
#[derive(Debug, Clone, Serialize)]
pub struct EntityView {
    /// The canonical id.
    pub id: String,
    /// Every id merged into it, itself included.
    pub members: Vec<String>,
    pub schema: String,
    pub statements: Vec<StatementRow>,
    /// Entities that point at this one (payments, ownerships, messages...).
    pub referrers: Vec<Reference>,
    /// Other entities with one of its identifying values (the same phone, account, wallet).
    pub shared_keys: Vec<Reference>,
}

impl EntityView {
    /// The first name-like value, for display.
    pub fn caption(&self) -> &str {
        self.statements
            .iter()
            .find(|s| s.prop == "name")
            .or_else(|| self.statements.first())
            .map_or(self.id.as_str(), |s| s.value.as_str())
    }
}

/// One entity found by a search, with its best document.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    /// The canonical entity id.
    pub id: String,
    #[serde(flatten)]
    pub hit: Hit,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Matching documents (fragments), before grouping by entity.
    pub total_documents: usize,
    pub results: Vec<SearchResult>,
}

impl<'a> Access<'a> {
    pub(crate) fn new(
        store: &'a mut Store,
        principal: &'a Principal,
        purpose: &'a Purpose,
    ) -> Self {
        Access {
            store,
            principal,
            purpose,
        }
    }

    pub fn principal(&self) -> &Principal {
        self.principal
    }

    fn require(&self, action: Action) -> Result<()> {
        if allowed(self.principal, action) {
            Ok(())
        } else {
            Err(StoreError::Denied(format!(
                "{} ({}) may not {}",
                self.principal.user,
                self.principal
                    .roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                match action {
                    Action::Collect => "add data",
                    Action::ReadEntities => "read entities",
                    Action::ReadStats => "read statistics",
                    Action::ReadAudit => "read the audit log",
                    Action::Combine => "merge entities",
                    Action::Maintain => "maintain the store",
                }
            )))
        }
    }

    fn draft(&self, op: AuditOp, detail: impl Into<String>) -> AuditDraft {
        AuditDraft::new(self.principal, self.purpose, op, detail.into())
    }

    fn log(
        &mut self,
        op: AuditOp,
        detail: impl Into<String>,
        ids: Vec<String>,
    ) -> Result<AuditEntry> {
        let mut d = self.draft(op, detail);
        d.ids = ids;
        self.store.backend.append_audit(d)
    }

    /// Adds one file's records as one batch, atomically: if the input fails anywhere, nothing
    /// of the file is kept, in the store or in the index. The same file twice into the same
    /// dataset adds nothing.
    pub fn ingest<E, I>(
        &mut self,
        meta: BatchMeta,
        records: I,
    ) -> Result<IngestOutcome, IngestFailure<E>>
    where
        I: IntoIterator<Item = Result<Record, E>>,
    {
        self.require(Action::Collect)?;
        if let Some(b) = self.store.backend.find_batch(&meta.dataset, &meta.sha256)? {
            return Ok(IngestOutcome::AlreadyIngested(b));
        }
        let started = std::time::Instant::now();
        let mut batch = self.store.index().writer()?;
        let mut failure: Option<E> = None;
        let mut policy_error: Option<StoreError> = None;
        let audit = self.draft(
            AuditOp::Collect,
            format!("ingest {} ({})", meta.source, meta.format),
        );
        let result = {
            let mut stream = records.into_iter().map(|r| match r {
                Ok(rec) => match rec.policy.validate() {
                    Ok(()) => Ok(rec),
                    Err(e) => {
                        policy_error = Some(e.into());
                        Err(Aborted)
                    }
                },
                Err(e) => {
                    failure = Some(e);
                    Err(Aborted)
                }
            });
            let mut sink = |id: i64, rec: Record| batch.add(id, rec);
            self.store
                .backend
                .write_batch(&meta, &mut stream, &mut sink, audit)
        };
        match result {
            Ok(Some(info)) => {
                tracing::info!(
                    records = info.records,
                    seconds = started.elapsed().as_secs_f64(),
                    "store committed; committing the index"
                );
                let max = self.store.backend.max_record_id()?;
                batch.commit(max)?;
                self.store.index().reload()?;
                tracing::info!(seconds = started.elapsed().as_secs_f64(), "index committed");
                Ok(IngestOutcome::Added(info))
            }
            Ok(None) => {
                batch.rollback()?;
                if let Some(e) = policy_error {
                    return Err(IngestFailure::Store(e));
                }
                Err(IngestFailure::Input(
                    failure.expect("an aborted stream leaves its error"),
                ))
            }
            Err(e) => {
                batch.rollback()?;
                Err(IngestFailure::Store(e))
            }
        }
    }

    /// An entity by any of its ids, with all its values and their provenance. Logged as a
    /// consultation of every id merged into it.
    pub fn entity(&mut self, id: &str) -> Result<EntityView> {
        self.require(Action::ReadEntities)?;
        let b = &self.store.backend;
        let canonical = b.canonical(id)?;
        let members = b.members(&canonical)?;
        let mut schema = None;
        for m in &members {
            if let Some(s) = b.entity_schema(m)? {
                schema = match schema {
                    None => Some(s),
                    Some(prev) => Some(
                        lagesbild_model::model()
                            .common_schema(&prev, &s)
                            .map_or(prev, |c| c.name.clone()),
                    ),
                };
            }
        }
        let Some(schema) = schema else {
            // an unknown id is logged too: asking is a consultation
            self.log(AuditOp::Consult, "show (not found)", vec![id.to_owned()])?;
            return Err(StoreError::NotFound {
                kind: "entity",
                id: id.to_owned(),
            });
        };
        let statements = b.statements(&members)?;
        let referrers = b.referrers(&members, 200)?;
        let shared_keys = b.sharing_keys(&members, 200)?;
        let mut ids = members.clone();
        ids.extend(referrers.iter().map(|r| r.entity_id.clone()));
        ids.extend(shared_keys.iter().map(|r| r.entity_id.clone()));
        ids.dedup();
        self.log(AuditOp::Consult, "show", ids)?;
        Ok(EntityView {
            id: canonical,
            members,
            schema,
            statements,
            referrers,
            shared_keys,
        })
    }

    /// Full-text search (BM25) with filters; hits grouped by canonical entity. Logged as a
    /// consultation of every entity returned.
    pub fn search(&mut self, q: &SearchQuery) -> Result<SearchResults> {
        self.require(Action::ReadEntities)?;
        let limit = if q.limit == 0 { 20 } else { q.limit };
        let fetch = limit * 4 + 16;
        let (total, hits) = self.store.index().search(q, fetch)?;
        let mut results: Vec<SearchResult> = Vec::new();
        let mut seen: HashMap<String, ()> = HashMap::new();
        for hit in hits {
            let id = self.store.backend.canonical(&hit.entity_id)?;
            if seen.insert(id.clone(), ()).is_some() {
                continue;
            }
            results.push(SearchResult { id, hit });
            if results.len() == limit {
                break;
            }
        }
        let ids = results.iter().map(|r| r.id.clone()).collect();
        self.log(AuditOp::Consult, format!("search {:?}", q.text), ids)?;
        Ok(SearchResults {
            total_documents: total,
            results,
        })
    }

    /// Every link between entities (canonical ids), for network analysis. Logged as one
    /// consultation of the whole network (`scope:links`), with how many links were read.
    pub fn links(&mut self) -> Result<Vec<LinkRow>> {
        self.require(Action::ReadEntities)?;
        let rows = self.store.backend.links()?;
        self.log(
            AuditOp::Consult,
            format!("graph: {} links", rows.len()),
            vec!["scope:links".to_owned()],
        )?;
        Ok(rows)
    }

    /// Counts over the whole store.
    pub fn stats(&mut self) -> Result<Stats> {
        self.require(Action::ReadStats)?;
        let s = self.store.backend.stats()?;
        self.log(AuditOp::Consult, "stats", Vec::new())?;
        Ok(s)
    }

    /// Entries of the audit log; reading the log is itself logged.
    pub fn audit_log(&mut self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        self.require(Action::ReadAudit)?;
        let entries = self.store.backend.audit_entries(filter)?;
        let mut ids = Vec::new();
        if let Some(id) = &filter.id {
            ids.push(id.clone());
        }
        self.log(AuditOp::Consult, "audit log", ids)?;
        Ok(entries)
    }

    /// Checks the hash chain of the audit log and names the first broken entry.
    pub fn audit_verify(&mut self) -> Result<VerifyReport> {
        self.require(Action::ReadAudit)?;
        let mut v = Verifier::default();
        self.store.backend.audit_scan(&mut |e| v.push(&e))?;
        let report = v.finish();
        // Only an intact log is extended; a broken one is left as found, for the investigation.
        if report.broken.is_none() {
            self.log(AuditOp::Consult, "audit verify", Vec::new())?;
        }
        Ok(report)
    }

    /// Rebuilds the search index from the store.
    pub fn reindex(&mut self, progress: &mut dyn FnMut(u64)) -> Result<u64> {
        self.require(Action::Maintain)?;
        let n = self.store.rebuild_index(progress)?;
        self.log(AuditOp::Alter, format!("reindex ({n} records)"), Vec::new())?;
        Ok(n)
    }

    /// Judges two entities the same: their clusters merge under one canonical id. Statements
    /// are never rewritten; [`Access::undo`] restores the earlier mapping.
    pub fn merge(&mut self, a: &str, b: &str) -> Result<(i64, String)> {
        self.require(Action::Combine)?;
        let draft = self.draft(AuditOp::Combine, "merge");
        let user = self.principal.user.clone();
        self.store.backend.merge(a, b, &user, draft)
    }

    /// Undoes a judgement; the clusters are rebuilt from the judgements that remain.
    pub fn undo(&mut self, judgement: i64) -> Result<()> {
        self.require(Action::Combine)?;
        let draft = self.draft(AuditOp::Combine, format!("undo judgement {judgement}"));
        self.store.backend.undo_judgement(judgement, draft)
    }

    /// The canonical id of an entity id.
    pub fn canonical(&mut self, id: &str) -> Result<String> {
        self.require(Action::ReadEntities)?;
        self.store.backend.canonical(id)
    }
}
