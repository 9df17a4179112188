//! The one access path. Every operation takes the principal (who) and the purpose (why),
//! is checked against what the principal's roles allow, and is appended to the audit log with
//! the ids it touched. Nothing else in the program reaches the records.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;

use lagesbild_model::{
    Agreement, AuditOp, Grading, Handling, Principal, Purpose, Record, Role, visibility,
};

use crate::Store;
use crate::audit::{AuditDraft, AuditEntry, Verifier, VerifyReport};
use crate::backend::{
    Aborted, AuditFilter, BatchInfo, BatchMeta, EventRow, LinkRow, Reference, Scope, StatementRow,
    Stats,
};
use crate::directory::{
    self, Change, CompartmentInfo, OrgInfo, TokenInfo, UserInfo, check_name, hash_password,
};
use crate::error::{Result, StoreError};
use crate::index::{Hit, SearchQuery, policy_key};

/// What the principal wants to do, for the permission check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Collect,
    ReadEntities,
    ReadStats,
    ReadAudit,
    Combine,
    Maintain,
    Administer,
}

/// Which roles may do what. The policy engine ([`visibility::decide`]) then decides per record
/// what each read returns; here the access path refuses whole operations to roles that never
/// need them.
fn allowed(principal: &Principal, action: Action) -> bool {
    principal.roles.iter().any(|role| match role {
        Role::Operator => true,
        Role::Administrator => matches!(
            action,
            Action::Administer | Action::Maintain | Action::ReadStats
        ),
        Role::Analyst | Role::Investigator => !matches!(
            action,
            Action::ReadAudit | Action::Administer | Action::Maintain
        ),
        Role::AreaOfficer | Role::Liaison => {
            matches!(action, Action::ReadEntities | Action::ReadStats)
        }
        // partners submit observations and see what their organisation submitted
        Role::Partner => matches!(
            action,
            Action::Collect | Action::ReadEntities | Action::ReadStats
        ),
        Role::Auditor => matches!(action, Action::ReadAudit | Action::ReadStats),
    })
}

/// The handle through which a principal reaches the store for one purpose.
pub struct Access<'a> {
    store: &'a mut Store,
    principal: &'a Principal,
    purpose: &'a Purpose,
    /// What the principal may see, worked out at the first read.
    scope: Option<Scope>,
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

/// The smallest count partners may see (below it, a cell is suppressed).
pub const MIN_CELL: u64 = 5;

/// Which counts: events of one category (all when `None`) in a period of months.
#[derive(Debug, Clone, Default)]
pub struct AggregateQuery {
    pub category: Option<String>,
    /// First and last month (`YYYY-MM` or a date), inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Cells below this are suppressed (at least [`MIN_CELL`] for partners).
    pub k: u64,
}

/// Counts per area (rows) and month (columns), suppressed.
#[derive(Debug, Clone, Serialize)]
pub struct AggregateTable {
    pub k: u64,
    pub category: Option<String>,
    pub areas: Vec<String>,
    pub months: Vec<String>,
    #[serde(serialize_with = "serialize_suppressed")]
    pub table: lagesbild_model::suppress::Suppressed,
}

fn serialize_suppressed<S: serde::Serializer>(
    t: &lagesbild_model::suppress::Suppressed,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut st = s.serialize_struct("Suppressed", 6)?;
    st.serialize_field("cells", &t.cells)?;
    st.serialize_field("row_totals", &t.row_totals)?;
    st.serialize_field("col_totals", &t.col_totals)?;
    st.serialize_field("grand_total", &t.grand_total)?;
    st.serialize_field("primary_suppressed", &t.primary)?;
    st.serialize_field("complementary_suppressed", &t.complementary)?;
    st.end()
}

/// Which events an aggregate counts and how its rows are cut.
#[derive(Debug, Clone, Default)]
pub struct AggregateWithin {
    /// Only events whose area (the first part of their place) is this one.
    pub area: Option<String>,
    /// Only entities of this schema (or one descending from it).
    pub schema: Option<String>,
    pub rows: AggregateRows,
    /// Also the sources of the counted records.
    pub sources: bool,
}

/// The rows of an aggregate table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AggregateRows {
    /// One row per area (the first part of the place).
    #[default]
    Area,
    /// One row per category (substance, the incident's or observation's category).
    Category,
}

/// Records of one organisation's dataset with one grading and handling code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceCount {
    pub org: String,
    pub dataset: String,
    pub grading: Grading,
    pub handling: Handling,
    /// The restriction in words (H3).
    pub handling_note: Option<String>,
    /// How many records; `None` when suppressed (fewer than k, in a partner's aggregate).
    pub records: Option<u64>,
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

/// How many of an entity's first statements its label is chosen from: a name is stated with
/// the entity's first record as a rule, and a hub named in thousands of records is not read
/// whole for a caption.
pub const LABEL_STATEMENTS: usize = 64;

/// What an entity is called on screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// The canonical id.
    pub id: String,
    pub schema: String,
    pub caption: String,
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
            scope: None,
        }
    }

    pub fn principal(&self) -> &Principal {
        self.principal
    }

    /// Why the principal reads (as every audit entry of this access records it).
    pub fn purpose(&self) -> &Purpose {
        self.purpose
    }

    /// The records the principal may see: the policy rows the policy engine lets through.
    fn scope(&mut self) -> Result<&Scope> {
        if self.scope.is_none() {
            let scope = if self.principal.has_role(Role::Operator) {
                Scope::All
            } else {
                let agreements: Vec<Agreement> = self.store.backend.agreements()?;
                let mut ids: Vec<i64> = self
                    .store
                    .backend
                    .policies()?
                    .into_iter()
                    .filter(|(_, p)| visibility::decide(self.principal, p, &agreements).is_some())
                    .map(|(id, _)| id)
                    .collect();
                ids.sort_unstable();
                Scope::Policies(ids)
            };
            self.scope = Some(scope);
        }
        Ok(self.scope.as_ref().expect("set above"))
    }

    fn record_scope(&mut self) -> Result<Scope> {
        Ok(self.scope()?.clone())
    }

    /// The index keys of the policies a search may return: those the principal may see, of the
    /// dataset and at least the grading asked for; `None` when nothing limits them.
    fn search_policies(&mut self, q: &SearchQuery) -> Result<Option<Vec<u64>>> {
        let scope = self.record_scope()?;
        if matches!(scope, Scope::All) && q.dataset.is_none() && q.min_grading.is_none() {
            return Ok(None);
        }
        let visible = |id: i64| match &scope {
            Scope::All => true,
            Scope::Policies(ids) => ids.binary_search(&id).is_ok(),
        };
        let mut keys: Vec<u64> = self
            .store
            .backend
            .policies()?
            .into_iter()
            .filter(|(id, p)| {
                visible(*id)
                    && q.dataset.as_ref().is_none_or(|d| p.dataset == *d)
                    && q.min_grading.is_none_or(|min| p.grading.at_least(min))
            })
            .map(|(_, p)| policy_key(&p))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        Ok(Some(keys))
    }

    /// The policy rows that `keep` lets through (given each row's id, its policy and the
    /// agreements in force), as a scope.
    fn policy_scope(
        &self,
        keep: impl Fn(i64, &lagesbild_model::Policy, &[Agreement]) -> bool,
    ) -> Result<Scope> {
        let agreements = self.store.backend.agreements()?;
        let mut ids: Vec<i64> = self
            .store
            .backend
            .policies()?
            .into_iter()
            .filter(|(id, p)| keep(*id, p, &agreements))
            .map(|(id, _)| id)
            .collect();
        ids.sort_unstable();
        Ok(Scope::Policies(ids))
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
                    Action::Administer => "administer users and organisations",
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
        // shared by the records' stream, which closes it after the last record, and the sink
        let batch = std::cell::RefCell::new(self.store.index().writer()?);
        let mut failure: Option<E> = None;
        let mut policy_error: Option<StoreError> = None;
        let mut close_error: Option<StoreError> = None;
        let audit = self.draft(
            AuditOp::Collect,
            format!("ingest {} ({})", meta.source, meta.format),
        );
        // only the local operator may file records in another organisation's name
        let own_org =
            (!self.principal.has_role(Role::Operator)).then(|| self.principal.org.clone());
        let result = {
            let mut stream = records.into_iter().map(|r| match r {
                Ok(rec) => match rec.policy.validate() {
                    Ok(()) if own_org.as_ref().is_some_and(|o| *o != rec.policy.org) => {
                        policy_error = Some(StoreError::Denied(format!(
                            "records of {} cannot be added by a user of {}",
                            rec.policy.org,
                            own_org.as_deref().unwrap_or_default()
                        )));
                        Err(Aborted)
                    }
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
            // after the last record the index writes its segments while the store commits; an
            // index that fails there aborts the store's transaction as any record's failure does
            let mut stream =
                (&mut stream).chain(std::iter::from_fn(|| match batch.borrow_mut().close() {
                    Ok(()) => None,
                    Err(e) => {
                        close_error.get_or_insert(e);
                        Some(Err(Aborted))
                    }
                }));
            let mut sink = |id: i64, rec: Record| batch.borrow_mut().add(id, rec);
            self.store
                .backend
                .write_batch(&meta, &mut stream, &mut sink, audit)
        };
        let batch = batch.into_inner();
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
                if let Some(e) = policy_error.or(close_error) {
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
        Ok(self.entity_page(id, usize::MAX)?.0)
    }

    /// An entity with at most `limit` of its statements (in record order), and how many it has
    /// in all: an account named by thousands of payments is shown without reading them all
    /// into rows. Logged as [`Access::entity`] is.
    pub fn entity_page(&mut self, id: &str, limit: usize) -> Result<(EntityView, usize)> {
        self.require(Action::ReadEntities)?;
        let scope = self.record_scope()?;
        let b = &self.store.backend;
        let canonical = b.canonical(id)?;
        let all_members = b.members(&canonical)?;
        // only what the principal may see: an entity none of whose records it may see does not
        // exist for it, and answers exactly as an unknown id does
        let page = b.statement_page(&all_members, &scope, limit)?;
        let members: Vec<String> = all_members
            .into_iter()
            .filter(|m| page.stated_as.iter().any(|(e, _)| e == m))
            .collect();
        let mut schema: Option<String> = None;
        for (_, s) in &page.stated_as {
            schema = match schema {
                None => Some(s.clone()),
                Some(prev) => Some(
                    lagesbild_model::model()
                        .common_schema(&prev, s)
                        .map_or(prev, |c| c.name.clone()),
                ),
            };
        }
        let total = page.total;
        let statements = page.rows;
        let Some(schema) = schema else {
            // an unknown id is logged too: asking is a consultation
            self.log(AuditOp::Consult, "show (not found)", vec![id.to_owned()])?;
            return Err(StoreError::NotFound {
                kind: "entity",
                id: id.to_owned(),
            });
        };
        let shown_id = if members.contains(&canonical) {
            canonical
        } else {
            members[0].clone()
        };
        let referrers = b.referrers(&members, 200, &scope)?;
        let shared_keys = b.sharing_keys(&members, 200, &scope)?;
        let mut ids = members.clone();
        ids.extend(referrers.iter().map(|r| r.entity_id.clone()));
        ids.extend(shared_keys.iter().map(|r| r.entity_id.clone()));
        ids.dedup();
        self.log(AuditOp::Consult, "show", ids)?;
        Ok((
            EntityView {
                id: shown_id,
                members,
                schema,
                statements,
                referrers,
                shared_keys,
            },
            total,
        ))
    }

    /// The canonical id of an entity the principal sees, as the principal may see it: a
    /// canonical id from outside its scope is not shown, the entity's own id is.
    fn visible_canonical(&mut self, id: &str) -> Result<String> {
        let scope = self.record_scope()?;
        let canonical = self.store.backend.canonical(id)?;
        if canonical == id || self.store.backend.visible(&canonical, &scope)? {
            Ok(canonical)
        } else {
            Ok(id.to_owned())
        }
    }

    /// Full-text search (BM25) with filters; hits grouped by canonical entity. Logged as a
    /// consultation of every entity returned.
    pub fn search(&mut self, q: &SearchQuery) -> Result<SearchResults> {
        self.require(Action::ReadEntities)?;
        let limit = if q.limit == 0 { 20 } else { q.limit };
        let fetch = limit * 4 + 16;
        let policies = self.search_policies(q)?;
        let (total, hits) = self.store.index().search(q, policies.as_deref(), fetch)?;
        let mut results: Vec<SearchResult> = Vec::new();
        let mut seen: HashMap<String, ()> = HashMap::new();
        for hit in hits {
            let id = self.visible_canonical(&hit.entity_id)?;
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
        self.links_for(&visibility::Use::Analysis)
    }

    /// The links the principal may see and may use for `purpose_use`: for a court export
    /// without H1 records, for a disclosure without what the handling codes keep from that
    /// recipient. A disclosure is logged as one (with the recipient).
    pub fn links_for(&mut self, purpose_use: &visibility::Use) -> Result<Vec<LinkRow>> {
        self.require(Action::ReadEntities)?;
        let scope = match (self.record_scope()?, purpose_use) {
            (scope, visibility::Use::Analysis) => scope,
            (scope, u) => self.policy_scope(|id, p, agreements| {
                let visible = match &scope {
                    Scope::All => true,
                    Scope::Policies(v) => v.binary_search(&id).is_ok(),
                };
                visible && visibility::use_allowed(p, u, agreements)
            })?,
        };
        let rows = self.store.backend.links(&scope)?;
        let (op, what, recipients) = match purpose_use {
            visibility::Use::Analysis => (AuditOp::Consult, "graph", Vec::new()),
            visibility::Use::Court => (AuditOp::Consult, "graph for court (no H1)", Vec::new()),
            visibility::Use::Disclosure { recipient } => (
                AuditOp::Disclose,
                "graph disclosed",
                vec![recipient.clone()],
            ),
        };
        let mut d = self.draft(op, format!("{what}: {} links", rows.len()));
        d.ids = vec!["scope:links".to_owned()];
        d.recipients = recipients;
        self.store.backend.append_audit(d)?;
        Ok(rows)
    }

    /// What to call some entities on screen: the schema and a name-like value of each the
    /// principal may see (entities with no record in scope are left out), taken from its first
    /// [`LABEL_STATEMENTS`] statements in record order. Logged as one consultation naming them.
    pub fn labels(&mut self, ids: &[String]) -> Result<Vec<Label>> {
        self.require(Action::ReadEntities)?;
        let scope = self.record_scope()?;
        // each entity's caption from its first statements: a hub named in thousands of
        // records is not read whole for a label
        let mut found: Vec<(String, Vec<StatementRow>)> = Vec::new();
        let mut asked: HashSet<String> = HashSet::new();
        for id in ids {
            let canonical = self.store.backend.canonical(id)?;
            if !asked.insert(canonical.clone()) {
                continue;
            }
            let members = self.store.backend.members(&canonical)?;
            let rows = self
                .store
                .backend
                .first_statements(&members, &scope, LABEL_STATEMENTS)?;
            found.push((canonical, rows));
        }
        const NAMES: [&str; 9] = [
            "name",
            "title",
            "alias",
            "number",
            "accountNumber",
            "iban",
            "phone",
            "email",
            "publicKey",
        ];
        let labels: Vec<Label> = found
            .into_iter()
            .filter(|(_, st)| !st.is_empty())
            .map(|(id, st)| {
                let caption = NAMES
                    .iter()
                    .find_map(|p| st.iter().find(|s| s.prop == *p))
                    .or_else(|| st.first())
                    .map_or_else(|| id.clone(), |s| s.value.clone());
                Label {
                    schema: st[0].schema.clone(),
                    id,
                    caption,
                }
            })
            .collect();
        self.log(
            AuditOp::Consult,
            format!("labels of {} entities", labels.len()),
            labels.iter().map(|l| l.id.clone()).collect(),
        )?;
        Ok(labels)
    }

    /// The links around some entities: those that start or end at one of them (or at an id
    /// merged into one of them) and, through the link entities among those (payments,
    /// messages, calls), the links to their other ends, so that the network's edges between
    /// the entities and their neighbours are complete. Logged as one consultation naming the
    /// entities.
    pub fn neighbourhood(&mut self, ids: &[String]) -> Result<Vec<LinkRow>> {
        self.require(Action::ReadEntities)?;
        let scope = self.record_scope()?;
        let mut members: Vec<String> = Vec::new();
        let mut is_member: HashSet<String> = HashSet::new();
        for id in ids {
            let canonical = self.store.backend.canonical(id)?;
            for m in self.store.backend.members(&canonical)? {
                if is_member.insert(m.clone()) {
                    members.push(m);
                }
            }
        }
        let mut rows = self.store.backend.links_touching(&members, &scope)?;
        let mut via: Vec<String> = rows
            .iter()
            .filter(|r| {
                !is_member.contains(&r.src)
                    && lagesbild_model::model()
                        .get(&r.src_schema)
                        .is_some_and(|s| s.edge.is_some())
            })
            .map(|r| r.src.clone())
            .collect();
        via.sort_unstable();
        via.dedup();
        if !via.is_empty() {
            let mut seen: HashSet<_> = rows.iter().map(LinkRow::key).collect();
            for r in self.store.backend.links_touching(&via, &scope)? {
                if seen.insert(r.key()) {
                    rows.push(r);
                }
            }
        }
        self.log(
            AuditOp::Consult,
            format!("neighbourhood: {} links", rows.len()),
            ids.to_vec(),
        )?;
        Ok(rows)
    }

    /// Every event with a place the principal may see (of the given schemata and their
    /// descendants; all when none are given), for hotspots, trends and near-repeat analysis.
    /// Logged as one consultation (`scope:events`) with how many events were read.
    pub fn events(&mut self, schemata: &[String]) -> Result<Vec<EventRow>> {
        self.require(Action::ReadEntities)?;
        for s in schemata {
            if lagesbild_model::model().get(s).is_none() {
                return Err(StoreError::Query(format!("unknown schema {s:?}")));
            }
        }
        let scope = self.record_scope()?;
        let mut rows = self.store.backend.events(&scope)?;
        if !schemata.is_empty() {
            rows.retain(|r| {
                lagesbild_model::model()
                    .get(&r.schema)
                    .is_some_and(|s| schemata.iter().any(|want| s.is_a(want)))
            });
        }
        self.log(
            AuditOp::Consult,
            format!("events: {} with a place", rows.len()),
            vec!["scope:events".to_owned()],
        )?;
        Ok(rows)
    }

    /// Counts of events (records with a place and a date) per area and month, with small
    /// cells suppressed: what partners see. A partner counts its own organisation's records
    /// and those of organisations that share aggregates with it (never records in a
    /// compartment); everyone else what they may see. No record leaves: only the suppressed
    /// table. `k` is at least the store's floor of 5 for partners.
    pub fn aggregate(&mut self, q: &AggregateQuery) -> Result<AggregateTable> {
        Ok(self.aggregate_in(q, &AggregateWithin::default())?.0)
    }

    /// [`Access::aggregate`] within one area and/or schema, with rows per area or per
    /// category, and the sources of the counted records (organisation, dataset, grading,
    /// handling code) with their record counts suppressed below `k` as the cells are. One
    /// audit entry (`scope:aggregate`), as for `aggregate`.
    pub fn aggregate_in(
        &mut self,
        q: &AggregateQuery,
        within: &AggregateWithin,
    ) -> Result<(AggregateTable, Vec<SourceCount>)> {
        self.require(Action::ReadStats)?;
        if let Some(s) = &within.schema
            && lagesbild_model::model().get(s).is_none()
        {
            return Err(StoreError::Query(format!("unknown schema {s:?}")));
        }
        let k = if self.principal.has_role(Role::Partner) {
            q.k.max(MIN_CELL)
        } else {
            q.k.max(1)
        };
        let scope = if self.principal.has_role(Role::Operator) {
            Scope::All
        } else {
            let principal = self.principal;
            self.policy_scope(|_, p, agreements| {
                visibility::counts_in_aggregates(principal, p, agreements)
            })?
        };
        let rows = self.store.backend.events(&scope)?;
        let mut areas: BTreeSet<String> = BTreeSet::new();
        let mut months: BTreeSet<String> = BTreeSet::new();
        let mut counts: HashMap<(String, String), u64> = HashMap::new();
        let mut records: Vec<i64> = Vec::new();
        for r in rows {
            if q.category
                .as_ref()
                .is_some_and(|c| !c.eq_ignore_ascii_case(&r.category))
            {
                continue;
            }
            if within.schema.as_ref().is_some_and(|want| {
                !lagesbild_model::model()
                    .get(&r.schema)
                    .is_some_and(|s| s.is_a(want))
            }) {
                continue;
            }
            let Some(month) = r.date.as_deref().and_then(|d| d.get(..7)) else {
                continue;
            };
            if q.from
                .as_deref()
                .is_some_and(|f| month < &f[..f.len().min(7)])
                || q.to
                    .as_deref()
                    .is_some_and(|t| month > &t[..t.len().min(7)])
            {
                continue;
            }
            let area = r
                .place
                .as_deref()
                .and_then(|p| p.split(',').next())
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .unwrap_or("okänt område")
                .to_owned();
            if within
                .area
                .as_ref()
                .is_some_and(|a| !a.trim().eq_ignore_ascii_case(&area))
            {
                continue;
            }
            let row = match within.rows {
                AggregateRows::Area => area,
                AggregateRows::Category => r.category.clone(),
            };
            areas.insert(row.clone());
            months.insert(month.to_owned());
            *counts.entry((row, month.to_owned())).or_default() += 1;
            records.push(r.record_id);
        }
        let areas: Vec<String> = areas.into_iter().collect();
        let months: Vec<String> = months.into_iter().collect();
        let table: Vec<Vec<u64>> = areas
            .iter()
            .map(|a| {
                months
                    .iter()
                    .map(|m| counts.get(&(a.clone(), m.clone())).copied().unwrap_or(0))
                    .collect()
            })
            .collect();
        let suppressed = lagesbild_model::suppress::suppress(&table, k);
        let sources = if within.sources {
            let per_policy = self.store.backend.policy_counts(&records, &[], &scope)?;
            self.source_counts(per_policy, Some(k))?
        } else {
            Vec::new()
        };
        let mut detail = format!(
            "aggregate: {} {} × {} months, k = {k}, {} cells suppressed",
            areas.len(),
            match within.rows {
                AggregateRows::Area => "areas",
                AggregateRows::Category => "categories",
            },
            months.len(),
            suppressed.primary + suppressed.complementary
        );
        if let Some(a) = &within.area {
            detail.push_str(&format!(", area {a:?}"));
        }
        if let Some(s) = &within.schema {
            detail.push_str(&format!(", schema {s}"));
        }
        self.log(AuditOp::Consult, detail, vec!["scope:aggregate".to_owned()])?;
        Ok((
            AggregateTable {
                k,
                category: q.category.clone(),
                areas,
                months,
                table: suppressed,
            },
            sources,
        ))
    }

    /// Where the material comes from: the organisation, dataset, 4x4 grading and handling
    /// code of `records` and of the records that mention any of `entities` (canonical ids;
    /// every id merged into one counts), as far as the principal may see them, with how many
    /// records each. Logged as one consultation (`scope:sources`).
    pub fn sources(&mut self, records: &[i64], entities: &[String]) -> Result<Vec<SourceCount>> {
        self.require(Action::ReadStats)?;
        let scope = self.record_scope()?;
        let mut ids: Vec<String> = Vec::new();
        for e in entities {
            let canonical = self.store.backend.canonical(e)?;
            ids.extend(self.store.backend.members(&canonical)?);
        }
        ids.sort_unstable();
        ids.dedup();
        let per_policy = self.store.backend.policy_counts(records, &ids, &scope)?;
        let out = self.source_counts(per_policy, None)?;
        let total: u64 = out.iter().filter_map(|s| s.records).sum();
        self.log(
            AuditOp::Consult,
            format!("sources: {total} records in {} groups", out.len()),
            vec!["scope:sources".to_owned()],
        )?;
        Ok(out)
    }

    /// Record counts per policy row folded into organisation, dataset, grading and handling
    /// code; with `k`, counts below it are `None`.
    fn source_counts(
        &self,
        per_policy: Vec<(i64, u64)>,
        k: Option<u64>,
    ) -> Result<Vec<SourceCount>> {
        let policies: HashMap<i64, lagesbild_model::Policy> =
            self.store.backend.policies()?.into_iter().collect();
        // (organisation, dataset, grading, handling, note) → (grading, handling, records)
        type Key = (String, String, String, String, Option<String>);
        let mut folded: std::collections::BTreeMap<Key, (Grading, Handling, u64)> =
            std::collections::BTreeMap::new();
        for (id, n) in per_policy {
            let Some(p) = policies.get(&id) else { continue };
            let key = (
                p.org.clone(),
                p.dataset.clone(),
                p.grading.to_string(),
                p.handling.to_string(),
                p.handling_note.clone(),
            );
            folded.entry(key).or_insert((p.grading, p.handling, 0)).2 += n;
        }
        Ok(folded
            .into_iter()
            .map(
                |((org, dataset, _, _, note), (grading, handling, n))| SourceCount {
                    org,
                    dataset,
                    grading,
                    handling,
                    handling_note: note,
                    records: match k {
                        Some(k) if n < k => None,
                        _ => Some(n),
                    },
                },
            )
            .collect())
    }

    /// Counts over the whole store.
    pub fn stats(&mut self) -> Result<Stats> {
        self.require(Action::ReadStats)?;
        let scope = self.record_scope()?;
        let s = self.store.backend.stats(&scope)?;
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

    /// Verifies the chain and signs its head with the Ed25519 secret key `seed` (kept away
    /// from the store). Logged.
    pub fn audit_anchor(&mut self, seed: &[u8; 32]) -> Result<crate::audit::Anchor> {
        self.require(Action::ReadAudit)?;
        let mut v = Verifier::default();
        let mut last_seq = 0;
        self.store.backend.audit_scan(&mut |e| {
            last_seq = e.seq;
            v.push(&e)
        })?;
        let report = v.finish();
        if let Some(b) = report.broken {
            return Err(StoreError::Other(format!(
                "the audit log is broken at entry {}: {}; not anchoring it",
                b.seq, b.reason
            )));
        }
        let anchor =
            crate::audit::Anchor::sign(last_seq, &report.head, &crate::now_rfc3339(), seed);
        self.log(
            AuditOp::Consult,
            format!("audit anchor at entry {last_seq}"),
            Vec::new(),
        )?;
        Ok(anchor)
    }

    /// Verifies the chain and that it still holds the anchored entry unchanged; the anchor's
    /// problem, if any, in words.
    pub fn audit_verify_anchor(
        &mut self,
        anchor: &crate::audit::Anchor,
        expected_key: Option<&str>,
    ) -> Result<(VerifyReport, Option<String>)> {
        self.require(Action::ReadAudit)?;
        let mut v = Verifier::default();
        let mut at_anchor: Option<String> = None;
        self.store.backend.audit_scan(&mut |e| {
            if e.seq == anchor.seq {
                at_anchor = Some(e.hash.clone());
            }
            v.push(&e)
        })?;
        let report = v.finish();
        let problem = crate::audit::check_anchor(anchor, at_anchor.as_deref(), expected_key);
        if report.broken.is_none() && problem.is_none() {
            self.log(AuditOp::Consult, "audit verify (anchored)", Vec::new())?;
        }
        Ok((report, problem))
    }

    /// The retention periods per data-subject category.
    pub fn retention_rules(&mut self) -> Result<Vec<crate::retention::RetentionRule>> {
        self.require(Action::Maintain)?;
        self.store.backend.retention_rules()
    }

    /// Sets the retention period of a data-subject category, in years.
    pub fn set_retention(&mut self, category: &str, years: u32) -> Result<AuditEntry> {
        self.require(Action::Administer)?;
        let category: lagesbild_model::SubjectCategory = category.parse()?;
        if years == 0 {
            return Err(StoreError::Query(
                "a retention period is at least a year".into(),
            ));
        }
        let rule = crate::retention::RetentionRule {
            category: category.as_str().to_owned(),
            years,
        };
        let draft = self.draft(
            AuditOp::Alter,
            format!("retention: {} kept {years} years", rule.category),
        );
        self.store.backend.set_retention_rule(&rule, draft)
    }

    /// What retention would erase (or bring up for review) on `as_of` (an ISO date), and why.
    pub fn retention_plan(&mut self, as_of: &str) -> Result<Vec<crate::retention::Candidate>> {
        self.require(Action::Maintain)?;
        check_date(as_of)?;
        let plan = self.store.backend.retention_candidates(as_of)?;
        self.log(
            AuditOp::Consult,
            format!("retention plan as of {as_of}: {} records", plan.len()),
            Vec::new(),
        )?;
        Ok(plan)
    }

    /// Erases what retention makes due on `as_of`: the records, their statements, links and
    /// keys, entities left with nothing, the judgements only they supported, and their index
    /// entries (the index is rebuilt). The erasure is logged with record ids, not content.
    pub fn retention_run(&mut self, as_of: &str) -> Result<crate::retention::ErasureReport> {
        self.require(Action::Maintain)?;
        check_date(as_of)?;
        let due: Vec<i64> = self
            .store
            .backend
            .retention_candidates(as_of)?
            .into_iter()
            .filter(|c| c.erase())
            .map(|c| c.record_id)
            .collect();
        let mut draft = self.draft(
            AuditOp::Erase,
            format!("retention as of {as_of}: {} records erased", due.len()),
        );
        draft.ids = due.iter().map(|r| format!("record:{r}")).collect();
        let report = self.store.backend.erase(&due, draft)?;
        if report.records > 0 {
            self.store.rebuild_index(&mut |_| {})?;
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
        // one cannot merge what one cannot see
        let scope = self.record_scope()?;
        for id in [a, b] {
            if !self.store.backend.visible(id, &scope)? {
                return Err(StoreError::NotFound {
                    kind: "entity",
                    id: id.to_owned(),
                });
            }
        }
        let draft = self.draft(AuditOp::Combine, "merge");
        let user = self.principal.user.clone();
        self.store.backend.judge(a, b, "same", &user, draft)
    }

    /// Judges two entities: `same` merges them (as [`Access::merge`]), `not_same` keeps them
    /// apart for good (no merge will join them until it is undone), `unsure` only records that
    /// the pair was looked at. A judgement is not asked for again.
    pub fn judge(&mut self, a: &str, b: &str, verdict: &str) -> Result<(i64, String)> {
        if verdict == "same" {
            return self.merge(a, b);
        }
        self.require(Action::Combine)?;
        let scope = self.record_scope()?;
        for id in [a, b] {
            if !self.store.backend.visible(id, &scope)? {
                return Err(StoreError::NotFound {
                    kind: "entity",
                    id: id.to_owned(),
                });
            }
        }
        let draft = self.draft(AuditOp::Combine, format!("judged {verdict}"));
        let user = self.principal.user.clone();
        self.store.backend.judge(a, b, verdict, &user, draft)
    }

    /// The judgements, newest first.
    pub fn judgements(&mut self, limit: u64) -> Result<Vec<crate::backend::Judgement>> {
        self.require(Action::Combine)?;
        let rows = self.store.backend.judgements(limit)?;
        self.log(
            AuditOp::Consult,
            format!("judgements: {}", rows.len()),
            Vec::new(),
        )?;
        Ok(rows)
    }

    /// What the records the principal may see say about each person, for the resolver.
    /// Logged as one consultation (`scope:people`).
    pub fn people(&mut self) -> Result<Vec<crate::backend::PersonFacts>> {
        self.require(Action::Combine)?;
        let scope = self.record_scope()?;
        let rows = self.store.backend.person_facts(&scope)?;
        self.log(
            AuditOp::Consult,
            format!("resolution: {} people read", rows.len()),
            vec!["scope:people".to_owned()],
        )?;
        Ok(rows)
    }

    /// Stores the resolver's proposals for review; how many were new.
    pub fn propose(&mut self, rows: &[crate::backend::Proposal]) -> Result<u64> {
        self.require(Action::Combine)?;
        let draft = self.draft(
            AuditOp::Alter,
            format!("resolution: {} pairs proposed", rows.len()),
        );
        self.store.backend.add_proposals(rows, draft)
    }

    /// The proposals still waiting for a judgement, the most uncertain first; those about
    /// entities the principal may not see are left out.
    pub fn proposals(&mut self, limit: u64) -> Result<Vec<crate::backend::Proposal>> {
        self.require(Action::Combine)?;
        let scope = self.record_scope()?;
        let mut out = Vec::new();
        for p in self
            .store
            .backend
            .open_proposals(limit.saturating_mul(4).max(limit))?
        {
            if out.len() as u64 >= limit {
                break;
            }
            if self.store.backend.visible(&p.left_id, &scope)?
                && self.store.backend.visible(&p.right_id, &scope)?
            {
                out.push(p);
            }
        }
        self.log(
            AuditOp::Consult,
            format!("review: {} proposals", out.len()),
            out.iter()
                .flat_map(|p| [p.left_id.clone(), p.right_id.clone()])
                .collect(),
        )?;
        Ok(out)
    }

    /// Undoes a judgement; the clusters are rebuilt from the judgements that remain.
    pub fn undo(&mut self, judgement: i64) -> Result<()> {
        self.require(Action::Combine)?;
        let draft = self.draft(AuditOp::Combine, format!("undo judgement {judgement}"));
        self.store.backend.undo_judgement(judgement, draft)
    }

    /// The canonical id of an entity id, as the principal may see it.
    pub fn canonical(&mut self, id: &str) -> Result<String> {
        self.require(Action::ReadEntities)?;
        self.visible_canonical(id)
    }

    fn change(&mut self, change: Change, detail: String) -> Result<AuditEntry> {
        self.require(Action::Administer)?;
        let draft = self.draft(AuditOp::Alter, format!("directory: {detail}"));
        self.store.backend.change_directory(&change, draft)
    }

    /// Adds an organisation (police region, customs, a municipality, a school...).
    pub fn add_org(&mut self, name: &str, kind: &str) -> Result<AuditEntry> {
        check_name("organisation", name)?;
        self.change(
            Change::AddOrg {
                name: name.to_owned(),
                kind: kind.to_owned(),
            },
            format!("add organisation {name:?} ({kind})"),
        )
    }

    /// Adds a user of an organisation with roles and a password (kept as its Argon2id hash).
    pub fn add_user(
        &mut self,
        name: &str,
        org: &str,
        roles: &[Role],
        password: &str,
    ) -> Result<AuditEntry> {
        self.require(Action::Administer)?;
        check_name("user", name)?;
        if roles.contains(&Role::Operator) {
            return Err(StoreError::Denied(
                "the operator is the local holder of the store, not a user of the directory".into(),
            ));
        }
        let password_hash = hash_password(password)?;
        self.change(
            Change::AddUser {
                name: name.to_owned(),
                org: org.to_owned(),
                roles: roles.to_vec(),
                password_hash,
            },
            format!(
                "add user {name:?} of {org:?} ({})",
                directory::roles_text(roles)
            ),
        )
    }

    /// Sets a user's roles.
    pub fn set_roles(&mut self, user: &str, roles: &[Role]) -> Result<AuditEntry> {
        if roles.contains(&Role::Operator) {
            return Err(StoreError::Denied(
                "the operator role cannot be granted".into(),
            ));
        }
        self.change(
            Change::SetRoles {
                user: user.to_owned(),
                roles: roles.to_vec(),
            },
            format!("roles of {user:?}: {}", directory::roles_text(roles)),
        )
    }

    /// Sets a user's password (and lifts a lockout).
    pub fn set_password(&mut self, user: &str, password: &str) -> Result<AuditEntry> {
        self.require(Action::Administer)?;
        let password_hash = hash_password(password)?;
        self.change(
            Change::SetPassword {
                user: user.to_owned(),
                password_hash,
            },
            format!("new password for {user:?}"),
        )
    }

    pub fn set_disabled(&mut self, user: &str, disabled: bool) -> Result<AuditEntry> {
        self.change(
            Change::SetDisabled {
                user: user.to_owned(),
                disabled,
            },
            format!("{} {user:?}", if disabled { "disable" } else { "enable" }),
        )
    }

    /// Adds a compartment (an operation or case); its data is invisible outside it.
    pub fn add_compartment(&mut self, name: &str, description: &str) -> Result<AuditEntry> {
        check_name("compartment", name)?;
        self.change(
            Change::AddCompartment {
                name: name.to_owned(),
                description: description.to_owned(),
            },
            format!("add compartment {name:?}"),
        )
    }

    pub fn grant_compartment(&mut self, compartment: &str, user: &str) -> Result<AuditEntry> {
        self.change(
            Change::Grant {
                compartment: compartment.to_owned(),
                user: user.to_owned(),
            },
            format!("grant {user:?} compartment {compartment:?}"),
        )
    }

    pub fn revoke_compartment(&mut self, compartment: &str, user: &str) -> Result<AuditEntry> {
        self.change(
            Change::Revoke {
                compartment: compartment.to_owned(),
                user: user.to_owned(),
            },
            format!("revoke {user:?} compartment {compartment:?}"),
        )
    }

    /// Records an organisation's agreement to share records (or only aggregates) with another.
    pub fn add_agreement(&mut self, a: &Agreement) -> Result<AuditEntry> {
        self.change(
            Change::AddAgreement(a.clone()),
            format!(
                "agreement {:?} → {:?} (datasets {}, H2 consent {}, aggregates only {})",
                a.from_org,
                a.to_org,
                if a.datasets.is_empty() {
                    "all".to_owned()
                } else {
                    a.datasets.join(", ")
                },
                a.h2_consent,
                a.aggregates_only
            ),
        )
    }

    pub fn revoke_agreement(&mut self, id: i64) -> Result<AuditEntry> {
        self.change(
            Change::RevokeAgreement(id),
            format!("revoke agreement {id}"),
        )
    }

    /// Creates an API token for a user; the token is returned once and only its hash is kept.
    pub fn create_token(
        &mut self,
        user: &str,
        scope: &str,
        expires_at: &str,
    ) -> Result<(String, AuditEntry)> {
        self.require(Action::Administer)?;
        if !matches!(scope, "read" | "read,write") {
            return Err(StoreError::Query(format!(
                "invalid token scope {scope:?}: read or read,write"
            )));
        }
        time::OffsetDateTime::parse(expires_at, &time::format_description::well_known::Rfc3339)
            .map_err(|_| {
                StoreError::Query(format!(
                    "invalid expiry {expires_at:?}: an RFC 3339 time such as 2027-01-31T00:00:00Z"
                ))
            })?;
        let (token, hash) = directory::new_token()?;
        let entry = self.change(
            Change::AddToken {
                user: user.to_owned(),
                hash,
                scope: scope.to_owned(),
                expires_at: expires_at.to_owned(),
            },
            format!("token for {user:?} ({scope}, until {expires_at})"),
        )?;
        Ok((token, entry))
    }

    pub fn revoke_token(&mut self, id: i64) -> Result<AuditEntry> {
        self.change(Change::RevokeToken(id), format!("revoke token {id}"))
    }

    pub fn orgs(&mut self) -> Result<Vec<OrgInfo>> {
        self.require(Action::Administer)?;
        self.store.backend.orgs()
    }

    pub fn users(&mut self) -> Result<Vec<UserInfo>> {
        self.require(Action::Administer)?;
        self.store.backend.users()
    }

    pub fn compartments(&mut self) -> Result<Vec<CompartmentInfo>> {
        self.require(Action::Administer)?;
        self.store.backend.compartments()
    }

    pub fn agreements(&mut self) -> Result<Vec<Agreement>> {
        self.require(Action::Administer)?;
        self.store.backend.agreements()
    }

    pub fn tokens(&mut self) -> Result<Vec<TokenInfo>> {
        self.require(Action::Administer)?;
        self.store.backend.tokens()
    }
}

/// An ISO date (`YYYY-MM-DD`).
fn check_date(d: &str) -> Result<()> {
    let ok = d.len() == 10
        && time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).is_ok();
    if ok {
        Ok(())
    } else {
        Err(StoreError::Query(format!(
            "invalid date {d:?}: expected YYYY-MM-DD"
        )))
    }
}
