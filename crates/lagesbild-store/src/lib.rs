//! The embedded store of Lägesbild: records and statements in SQLite, a tantivy full-text index
//! derived from them, a resolver of entity ids to canonical ids, and a hash-chained audit log.
//!
//! There is one way to the data: [`Store::access`] takes the principal and the purpose and
//! returns an [`Access`], whose every read and write is checked and appended to the audit log.
//! Only this crate knows SQL.

mod access;
pub mod audit;
mod backend;
pub mod directory;
mod error;
mod index;
pub mod retention;
mod sqlite;

use std::path::{Path, PathBuf};

use lagesbild_model::{Principal, Purpose};

pub use access::{
    Access, AggregateQuery, AggregateRows, AggregateTable, AggregateWithin, EntityView,
    IngestFailure, IngestOutcome, LABEL_STATEMENTS, Label, MIN_CELL, SearchResult, SearchResults,
    SourceCount,
};
pub use audit::{Anchor, AuditEntry, Broken, VerifyReport};
pub use backend::{
    AuditFilter, BatchInfo, BatchMeta, EventRow, Judgement, LinkRow, PersonFacts, Proposal,
    Reference, StatementRow, Stats,
};
pub use error::{Result, StoreError};
pub use index::{Hit, SearchQuery};

use backend::Backend;
use index::TextIndex;

/// The current time in RFC 3339, UTC, to the microsecond.
pub(crate) fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    let now = now
        .replace_nanosecond(now.nanosecond() / 1000 * 1000)
        .unwrap_or(now);
    now.format(&time::format_description::well_known::Rfc3339)
        .expect("UTC times format")
}

/// An Argon2id hash of a random password, verified against when the user does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Fj4n5xk3vJ0pX8jZ6gKfGv0uNQ0wKk1zZ2w3b3l2dXQ";

fn principal_of(u: directory::UserInfo) -> Principal {
    Principal {
        user: u.name,
        org: u.org,
        roles: u.roles,
        compartments: u.compartments,
    }
}

/// A store directory: `lagesbild.sqlite` and the `index/` beside it.
pub struct Store {
    dir: PathBuf,
    backend: Box<dyn Backend>,
    index: Option<TextIndex>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Creates a new, empty store in `dir` (the directory may exist but must hold no store).
    pub fn init(dir: &Path) -> Result<Store> {
        let db = sqlite::db_path(dir);
        if db.exists() {
            return Err(StoreError::AlreadyExists(dir.to_path_buf()));
        }
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            context: format!("cannot create {}", dir.display()),
            source,
        })?;
        let backend = sqlite::open(&db, true)?;
        Store::assemble(dir, Box::new(backend))
    }

    /// Opens the store in `dir`, migrating it to the latest version and bringing the search
    /// index up to date with the records.
    pub fn open(dir: &Path) -> Result<Store> {
        let db = sqlite::db_path(dir);
        if !db.exists() {
            return Err(StoreError::NotInitialised(dir.to_path_buf()));
        }
        let backend = sqlite::open(&db, false)?;
        Store::assemble(dir, Box::new(backend))
    }

    fn assemble(dir: &Path, backend: Box<dyn Backend>) -> Result<Store> {
        let mut store = Store {
            dir: dir.to_path_buf(),
            backend,
            index: None,
        };
        let index = TextIndex::open(&store.index_dir())?;
        store.index = Some(index);
        store.catch_up_index()?;
        Ok(store)
    }

    fn index_dir(&self) -> PathBuf {
        self.dir.join("index")
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The schema version of the store.
    pub fn version(&self) -> Result<u32> {
        self.backend.version()
    }

    /// The one access path: every operation on the data goes through the returned handle,
    /// which checks the principal and logs the operation with the purpose.
    pub fn access<'a>(&'a mut self, principal: &'a Principal, purpose: &'a Purpose) -> Access<'a> {
        Access::new(self, principal, purpose)
    }

    /// Logs a user of the directory in by password. A wrong user name and a wrong password
    /// give the same answer; after [`directory::FREE_ATTEMPTS`] failures the user is locked
    /// for a time that doubles with each further failure. The password is never logged.
    pub fn login(&mut self, user: &str, password: &str) -> Result<Principal> {
        const REFUSED: &str = "wrong user name or password";
        let now = time::OffsetDateTime::now_utc();
        let Some(c) = self.backend.credentials(user)? else {
            // the same work as for a real user, so that timing does not tell who exists
            let _ = directory::verify_password(password, DUMMY_HASH);
            return Err(StoreError::Denied(REFUSED.into()));
        };
        if c.info.disabled {
            return Err(StoreError::Denied(REFUSED.into()));
        }
        if let Some(until) = &c.info.locked_until
            && let Ok(t) =
                time::OffsetDateTime::parse(until, &time::format_description::well_known::Rfc3339)
            && t > now
        {
            return Err(StoreError::Denied(format!(
                "too many failed logins for {user:?}; try again after {until}"
            )));
        }
        if !directory::verify_password(password, &c.password_hash) {
            let failed = c.failed + 1;
            let secs = directory::lock_seconds(failed);
            let locked_until = (secs > 0).then(|| {
                (now + time::Duration::seconds(secs))
                    .format(&time::format_description::well_known::Rfc3339)
                    .expect("UTC times format")
            });
            tracing::warn!(user, failed, "failed login");
            self.backend.record_login(&directory::LoginEvent::Failed {
                user: user.to_owned(),
                failed,
                locked_until,
            })?;
            return Err(StoreError::Denied(REFUSED.into()));
        }
        self.backend
            .record_login(&directory::LoginEvent::Succeeded {
                user: user.to_owned(),
            })?;
        Ok(principal_of(c.info))
    }

    /// Logs in with an API token: its principal and scope (`read` or `read,write`).
    pub fn login_token(&mut self, token: &str) -> Result<(Principal, String)> {
        const REFUSED: &str = "invalid, expired or revoked token";
        let hash = directory::token_hash(token);
        let Some(t) = self.backend.token_by_hash(&hash)? else {
            return Err(StoreError::Denied(REFUSED.into()));
        };
        let now = time::OffsetDateTime::now_utc();
        let expired = time::OffsetDateTime::parse(
            &t.expires_at,
            &time::format_description::well_known::Rfc3339,
        )
        .map_or(true, |e| e <= now);
        if expired || t.revoked_at.is_some() {
            return Err(StoreError::Denied(REFUSED.into()));
        }
        let Some(c) = self.backend.credentials(&t.user)? else {
            return Err(StoreError::Denied(REFUSED.into()));
        };
        if c.info.disabled {
            return Err(StoreError::Denied(REFUSED.into()));
        }
        Ok((principal_of(c.info), t.scope))
    }

    /// Whether the directory has a user of this name.
    pub fn is_user(&self, name: &str) -> Result<bool> {
        Ok(self.backend.credentials(name)?.is_some())
    }

    fn index(&self) -> &TextIndex {
        self.index
            .as_ref()
            .expect("the index is open while the store is")
    }

    /// Indexes records the store has and the index lacks (after a crash between the store's
    /// commit and the index's). An index ahead of the store is rebuilt.
    fn catch_up_index(&mut self) -> Result<u64> {
        let upto = self.index().indexed_up_to()?;
        let max = self.backend.max_record_id()?;
        if upto == max {
            return Ok(0);
        }
        if upto > max {
            tracing::warn!("the search index is ahead of the store; rebuilding it");
            return self.rebuild_index(&mut |_| {});
        }
        tracing::info!(
            "bringing the search index up to date (records {}..={max})",
            upto + 1
        );
        self.index_records_after(upto, &mut |_| {})
    }

    fn rebuild_index(&mut self, progress: &mut dyn FnMut(u64)) -> Result<u64> {
        let index = self
            .index
            .take()
            .expect("the index is open while the store is");
        self.index = Some(index.recreate()?);
        self.index_records_after(0, progress)
    }

    fn index_records_after(&mut self, after: i64, progress: &mut dyn FnMut(u64)) -> Result<u64> {
        let mut batch = self.index().writer()?;
        let mut n = 0u64;
        let result = self.backend.records_after(after, &mut |r| {
            batch.add(r.id, r.record)?;
            n += 1;
            if n.is_multiple_of(10_000) {
                progress(n);
            }
            Ok(())
        });
        match result {
            Ok(()) => {
                let max = self.backend.max_record_id()?;
                batch.commit(max)?;
                self.index().reload()?;
                progress(n);
                Ok(n)
            }
            Err(e) => {
                batch.rollback()?;
                Err(e)
            }
        }
    }
}

/// Whether `FLOOR_SKIP` (a comma-separated list) names this part of the ingest, which is then
/// left out (`index`: the index's documents; `tables`: the rows of entities, their keys,
/// mentions, links and key values). Only in a build with the `bench-floor` feature, which
/// bench/floor.sh makes to show where an ingest's time goes; the product is built without it.
#[cfg(feature = "bench-floor")]
pub(crate) fn floor_skip(part: &str) -> bool {
    static SKIP: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SKIP.get_or_init(|| std::env::var("FLOOR_SKIP").unwrap_or_default())
        .split(',')
        .any(|p| p == part)
}

/// Without the `bench-floor` feature nothing is left out.
#[cfg(not(feature = "bench-floor"))]
#[inline(always)]
pub(crate) const fn floor_skip(_part: &str) -> bool {
    false
}

#[cfg(test)]
mod tests;
