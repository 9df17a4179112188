//! A batch written while no other connection has the store open goes through a rollback journal
//! instead of the write-ahead log. In WAL mode every page of a large ingest is written twice, to
//! the log and then into the database by the checkpoint; with a rollback journal a new page is
//! written once, into the database, and only the few pages the batch changes are journaled. On
//! the 1M-row benchmark this took about 4 s of 24 s (and half the system time).
//!
//! The switch is only tried, never waited for: leaving WAL needs the database to itself, so
//! while another connection (the server's pool, another command) has the store open the batch
//! is written through the log as before. A connection opened while the batch is written waits
//! for it (as it waits for any writer to let go of the database). The store is put back in WAL
//! mode when the batch is done, committed or not; should that fail, the next connection to open
//! the store does it.

use rusqlite::Connection;

use super::{BUSY_TIMEOUT, SYNCHRONOUS};

/// Tries to leave WAL mode for a rollback journal; whether it did.
pub(super) fn enter(conn: &Connection) -> bool {
    // not waiting: a busy database means another connection, and then WAL stays
    if conn.busy_timeout(std::time::Duration::ZERO).is_err() {
        return false;
    }
    let mode = conn
        .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))
        .unwrap_or_default();
    let restored = conn.busy_timeout(BUSY_TIMEOUT).is_ok();
    let entered = mode.eq_ignore_ascii_case("delete");
    // `NORMAL` is safe from corruption in WAL mode only; with a rollback journal a power cut
    // at the wrong moment could corrupt the file unless the journal is synced fully
    let synced = entered && conn.pragma_update(None, "synchronous", "FULL").is_ok();
    if entered && !(restored && synced) {
        leave(conn);
        return false;
    }
    entered
}

/// Goes back to WAL mode (and the store's `synchronous` setting for it).
pub(super) fn leave(conn: &Connection) {
    let mode = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
        .unwrap_or_default();
    if let Err(e) = conn.pragma_update(None, "synchronous", SYNCHRONOUS) {
        tracing::warn!(error = %e, "the store's synchronous setting could not be restored");
    }
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(
            mode,
            "the store could not be put back in WAL mode after an ingest; the next connection will"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(conn: &Connection) -> String {
        conn.pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap()
    }

    /// 1 is NORMAL, 2 FULL.
    fn synchronous(conn: &Connection) -> i64 {
        conn.pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn the_journal_changes_only_while_the_store_is_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        let a = Connection::open(&path).unwrap();
        super::super::configure(&a).unwrap();
        a.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        assert_eq!(mode(&a), "wal");
        // another connection that has read (and so holds the database open in WAL mode)
        let b = Connection::open(&path).unwrap();
        super::super::configure(&b).unwrap();
        let n: i64 = b
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
        let started = std::time::Instant::now();
        assert!(!enter(&a), "another connection is open");
        assert!(started.elapsed() < BUSY_TIMEOUT / 2, "it did not wait");
        assert_eq!(mode(&a), "wal");
        drop(b);
        assert_eq!(synchronous(&a), 1);
        assert!(enter(&a));
        assert_eq!(mode(&a), "delete");
        assert_eq!(synchronous(&a), 2, "a rollback journal is synced fully");
        a.execute_batch("INSERT INTO t VALUES (2)").unwrap();
        leave(&a);
        assert_eq!(mode(&a), "wal");
        assert_eq!(synchronous(&a), 1);
        // the busy timeout is back: a writer still waits for a busy database
        let b = Connection::open(&path).unwrap();
        let n: i64 = b
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
    }
}
