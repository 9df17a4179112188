//! Numbered schema migrations of the SQLite store. The version is kept in `PRAGMA user_version`;
//! each migration runs in its own transaction, and every version can be reached from empty and
//! from each earlier version (tested).
//!
//! Layout: a record keeps its raw text and its statements (`facts`, the fragments as JSON), so
//! one row is written per source row; `mention` finds an entity's records, `link` its references
//! to other entities, and `keyval` the entities sharing an identifying value (by a 64-bit hash
//! of the normalised value; one row per entity, property and value); `placed` lists the records
//! that state a place. Entities are found by a
//! 64-bit hash of their id in `entity_key` (small integers instead of an index on long text
//! ids), and the id is compared to rule out collisions.

/// The migrations, in order; migration `i` brings the store from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: the foundation: batches, policies, records, entities, resolver, audit log.
    r#"
    CREATE TABLE batch (
        id           INTEGER PRIMARY KEY,
        dataset      TEXT NOT NULL,
        source       TEXT NOT NULL,
        sha256       TEXT NOT NULL,
        format       TEXT NOT NULL,
        org          TEXT NOT NULL,
        started_at   TEXT NOT NULL,
        finished_at  TEXT NOT NULL,
        records      INTEGER NOT NULL,
        statements   INTEGER NOT NULL,
        invalid      INTEGER NOT NULL,
        UNIQUE (dataset, sha256)
    );
    CREATE TABLE policy (
        id               INTEGER PRIMARY KEY,
        org              TEXT NOT NULL,
        dataset          TEXT NOT NULL,
        source_grade     TEXT NOT NULL,
        info_grade       INTEGER NOT NULL,
        handling         TEXT NOT NULL,
        handling_note    TEXT,
        subject_category TEXT NOT NULL,
        purpose          TEXT NOT NULL,
        legal_basis      TEXT,
        compartment      TEXT,
        review_by        TEXT,
        delete_by        TEXT
    );
    CREATE TABLE record (
        id            INTEGER PRIMARY KEY,
        -- a hash of dataset, file name, line and raw text: the same row of the same file again
        uid           BLOB NOT NULL,
        batch_id      INTEGER NOT NULL REFERENCES batch (id),
        policy_id     INTEGER NOT NULL REFERENCES policy (id),
        line          INTEGER NOT NULL,
        byte_offset   INTEGER NOT NULL,
        raw           TEXT NOT NULL,
        facts         TEXT NOT NULL,
        registered_at TEXT NOT NULL
    );
    CREATE INDEX record_batch_line ON record (batch_id, line);
    CREATE TABLE entity (
        id     INTEGER PRIMARY KEY,
        -- the entity id as given (FtM ids are long), found through `h`, its 64-bit hash
        h      INTEGER NOT NULL,
        eid    TEXT NOT NULL,
        schema TEXT NOT NULL
    );
    CREATE INDEX entity_h ON entity (h);
    CREATE TABLE mention (
        entity INTEGER NOT NULL,
        record INTEGER NOT NULL,
        PRIMARY KEY (entity, record)
    ) WITHOUT ROWID;
    CREATE TABLE link (
        src    INTEGER NOT NULL,
        dst    INTEGER NOT NULL,
        prop   TEXT NOT NULL,
        record INTEGER NOT NULL
    );
    CREATE INDEX link_dst ON link (dst);
    CREATE TABLE keyval (
        h      INTEGER NOT NULL,
        entity INTEGER NOT NULL,
        prop   TEXT NOT NULL
    );
    CREATE INDEX keyval_h ON keyval (h);
    CREATE TABLE resolver (
        entity_id    TEXT PRIMARY KEY,
        canonical_id TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX resolver_canonical ON resolver (canonical_id);
    CREATE TABLE audit (
        seq        INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        user_name  TEXT NOT NULL,
        org        TEXT NOT NULL,
        roles      TEXT NOT NULL,
        purpose    TEXT NOT NULL,
        op         TEXT NOT NULL,
        ids        TEXT NOT NULL,
        recipients TEXT NOT NULL,
        detail     TEXT NOT NULL,
        prev_hash  TEXT NOT NULL,
        hash       TEXT NOT NULL
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    "#,
    // 2: the judgements behind merges, so that any merge can be undone.
    r#"
    CREATE TABLE judgement (
        id        INTEGER PRIMARY KEY,
        left_id   TEXT NOT NULL,
        right_id  TEXT NOT NULL,
        verdict   TEXT NOT NULL CHECK (verdict IN ('same', 'not_same', 'unsure')),
        user_name TEXT NOT NULL,
        at        TEXT NOT NULL,
        undone_at TEXT
    );
    CREATE INDEX judgement_left ON judgement (left_id);
    CREATE INDEX judgement_right ON judgement (right_id);
    "#,
    // 3: the directory of the policy engine: organisations, users with roles, compartments and
    // their members, sharing agreements between organisations, API tokens.
    r#"
    CREATE TABLE org (
        name       TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        created_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE user (
        name          TEXT PRIMARY KEY,
        org           TEXT NOT NULL REFERENCES org (name),
        roles         TEXT NOT NULL,
        -- Argon2id in the PHC string format; never the password
        password_hash TEXT NOT NULL,
        failed        INTEGER NOT NULL DEFAULT 0,
        locked_until  TEXT,
        disabled      INTEGER NOT NULL DEFAULT 0,
        created_at    TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE compartment (
        name        TEXT PRIMARY KEY,
        description TEXT NOT NULL,
        created_at  TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE member (
        compartment TEXT NOT NULL REFERENCES compartment (name),
        user_name   TEXT NOT NULL REFERENCES user (name),
        PRIMARY KEY (compartment, user_name)
    ) WITHOUT ROWID;
    CREATE TABLE agreement (
        id              INTEGER PRIMARY KEY,
        from_org        TEXT NOT NULL,
        to_org          TEXT NOT NULL,
        datasets        TEXT NOT NULL,
        h2_consent      INTEGER NOT NULL,
        aggregates_only INTEGER NOT NULL,
        created_by      TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        revoked_at      TEXT
    );
    CREATE TABLE token (
        id          INTEGER PRIMARY KEY,
        user_name   TEXT NOT NULL REFERENCES user (name),
        -- SHA-256 of the token; the token itself is shown once and never stored
        hash        TEXT NOT NULL UNIQUE,
        scope       TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        expires_at  TEXT NOT NULL,
        revoked_at  TEXT
    );
    "#,
    // 4: retention periods per data-subject category.
    r#"
    CREATE TABLE retention_rule (
        category   TEXT PRIMARY KEY,
        years      INTEGER NOT NULL,
        created_at TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 5: the resolver's proposals: pairs of entities it found alike, for review.
    r#"
    CREATE TABLE proposal (
        id          INTEGER PRIMARY KEY,
        left_id     TEXT NOT NULL,
        right_id    TEXT NOT NULL,
        probability REAL NOT NULL,
        weight      REAL NOT NULL,
        explanation TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        UNIQUE (left_id, right_id)
    );
    "#,
    // 6: when a link was stated: the date of the fragment that states it (a payment's,
    // a call's, a message's), so that networks can be cut into time slices. Links of older
    // stores have none.
    r#"
    ALTER TABLE link ADD COLUMN at TEXT;
    "#,
    // 7: links by their source, so that an entity's neighbourhood is found without reading
    // every link (the network canvas expands one entity at a time).
    r#"
    CREATE INDEX link_src ON link (src);
    "#,
    // 8: links and key values kept in the order they are looked up in, without row ids of their
    // own: a link is found by its source in the table itself (no `link_src` beside it), and a key
    // value by its hash; an entity's value stated in many records is one row, not one a record.
    r#"
    CREATE TABLE link_new (
        src    INTEGER NOT NULL,
        record INTEGER NOT NULL,
        prop   TEXT NOT NULL,
        dst    INTEGER NOT NULL,
        at     TEXT,
        PRIMARY KEY (src, record, prop, dst)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO link_new (src, record, prop, dst, at)
        SELECT src, record, prop, dst, at FROM link ORDER BY src, record, prop, dst;
    DROP TABLE link;
    ALTER TABLE link_new RENAME TO link;
    CREATE INDEX link_dst ON link (dst);
    CREATE TABLE keyval_new (
        h      INTEGER NOT NULL,
        entity INTEGER NOT NULL,
        prop   TEXT NOT NULL,
        PRIMARY KEY (h, entity, prop)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO keyval_new (h, entity, prop)
        SELECT h, entity, prop FROM keyval ORDER BY h, entity, prop;
    DROP TABLE keyval;
    ALTER TABLE keyval_new RENAME TO keyval;
    "#,
    // 9: the records that state a place (a fragment with a latitude), so that the map and the
    // hotspots read those and not every record of the store.
    r#"
    CREATE TABLE placed (record INTEGER PRIMARY KEY);
    INSERT INTO placed (record) SELECT id FROM record WHERE facts LIKE '%"latitude"%';
    "#,
    // 10: entities found by the hash of their id through a table of its own, clustered by the
    // hash, in place of an index on `entity`: an ingest writes the hashes of its new entities
    // sorted, once, at the end, where the index took one random insert per entity.
    r#"
    CREATE TABLE entity_key (
        h  INTEGER NOT NULL,
        id INTEGER NOT NULL,
        PRIMARY KEY (h, id)
    ) WITHOUT ROWID;
    INSERT INTO entity_key (h, id) SELECT h, id FROM entity ORDER BY h, id;
    DROP INDEX entity_h;
    "#,
];

/// The version a fully migrated store has.
pub(crate) const LATEST: u32 = MIGRATIONS.len() as u32;
