//! Tests of the store: the conformance suite every backend passes (today SQLite), migrations
//! from every version, atomicity of ingest, the audit trail of every access, and merges.

use std::path::Path;
use std::sync::Arc;

use lagesbild_model::{Context, Fragment, Policy, Principal, Purpose, Record, Role, SourceRef};

use crate::sqlite::{db_path, migrations};
use crate::{
    AuditFilter, BatchMeta, IngestFailure, IngestOutcome, LABEL_STATEMENTS, SearchQuery, Store,
    StoreError,
};

fn operator() -> (Principal, Purpose) {
    (
        Principal::operator("anna", "Polisen"),
        Purpose::new("ärende 5000-K123-26").unwrap(),
    )
}

fn policy(dataset: &str) -> Arc<Policy> {
    let mut p = Policy::new("Polisen Region Syd", dataset, "underrättelse");
    p.grading = "B2".parse().unwrap();
    Arc::new(p)
}

fn person(line: u64, id: &str, name: &str, phone: &str, born: &str, p: &Arc<Policy>) -> Record {
    let ctx = Context::default();
    let mut f = Fragment::new(id, "Person").unwrap();
    f.add("name", name, &ctx).unwrap();
    f.add("phone", phone, &ctx).unwrap();
    f.add("birthDate", born, &ctx).unwrap();
    people_row(line, format!("[{name:?},{phone:?},{born:?}]"), f, p)
}

/// A row of `people.csv` at `line` with one fragment.
fn people_row(line: u64, raw: String, f: Fragment, p: &Arc<Policy>) -> Record {
    Record {
        source: SourceRef {
            file: "people.csv".into(),
            line,
            offset: line * 40,
        },
        raw,
        policy: p.clone(),
        fragments: vec![f],
    }
}

fn people(p: &Arc<Policy>) -> Vec<Record> {
    vec![
        person(
            2,
            "p1",
            "Anders Johansson",
            "070-123 45 67",
            "1990-04-01",
            p,
        ),
        person(3, "p2", "Sara Lindqvist", "+46 73 555 12 12", "1985", p),
        person(4, "p3", "Ali Hassan", "0701234567", "2001-12-24", p),
        person(5, "p4", "Maja Öberg", "not a phone", "1999-02", p),
    ]
}

fn meta(sha: &str) -> BatchMeta {
    BatchMeta {
        dataset: "register".into(),
        source: "people.csv".into(),
        sha256: sha.into(),
        format: "csv".into(),
        org: "Polisen Region Syd".into(),
    }
}

fn ingest(store: &mut Store, sha: &str, records: Vec<Record>) -> IngestOutcome {
    let (who, why) = operator();
    store
        .access(&who, &why)
        .ingest::<String, _>(meta(sha), records.into_iter().map(Ok))
        .unwrap()
}

/// The contract every backend keeps; `open` makes a fresh store in the directory.
fn conformance(open: &dyn Fn(&Path) -> Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let (who, why) = operator();
    let p = policy("register");

    // ingest, and the same file again adds nothing
    let out = ingest(&mut store, "sha-a", people(&p));
    let IngestOutcome::Added(b) = out else {
        panic!("first ingest adds")
    };
    assert_eq!((b.records, b.statements), (4, 12));
    assert!(matches!(
        ingest(&mut store, "sha-a", people(&p)),
        IngestOutcome::AlreadyIngested(_)
    ));
    // a different file with the same rows adds no records either
    let IngestOutcome::Added(b2) = ingest(&mut store, "sha-b", people(&p)) else {
        panic!()
    };
    assert_eq!(b2.records, 0);

    let stats = store.access(&who, &why).stats().unwrap();
    assert_eq!(
        (stats.records, stats.entities, stats.statements),
        (4, 4, Some(12))
    );
    assert_eq!(stats.invalid_values, Some(1));

    // an entity with provenance and policy
    let e = store.access(&who, &why).entity("p1").unwrap();
    assert_eq!(e.schema, "Person");
    assert_eq!(e.caption(), "Anders Johansson");
    let phone = e.statements.iter().find(|s| s.prop == "phone").unwrap();
    assert_eq!(phone.value, "+46701234567");
    assert_eq!(phone.original.as_deref(), Some("070-123 45 67"));
    assert_eq!((phone.source.as_str(), phone.line), ("people.csv", 2));
    assert_eq!(phone.policy.grading.to_string(), "B2");
    assert_eq!(phone.policy.org, "Polisen Region Syd");
    // p3 has the same phone: "who else has this phone"
    assert_eq!(
        e.shared_keys
            .iter()
            .map(|r| r.entity_id.as_str())
            .collect::<Vec<_>>(),
        ["p3"]
    );
    assert!(matches!(
        store.access(&who, &why).entity("nobody"),
        Err(StoreError::NotFound { .. })
    ));
    // a page of it: the first statements, the same entity, and how many there are in all
    for limit in [0, 1, 2, e.statements.len(), e.statements.len() + 5] {
        let (page, total) = store.access(&who, &why).entity_page("p1", limit).unwrap();
        assert_eq!(total, e.statements.len());
        assert_eq!(page.statements.len(), limit.min(total));
        assert_eq!(page.statements[..], e.statements[..limit.min(total)]);
        assert_eq!(
            (&page.id, &page.schema, &page.members),
            (&e.id, &e.schema, &e.members)
        );
    }
    assert!(matches!(
        store.access(&who, &why).entity_page("nobody", 10),
        Err(StoreError::NotFound { .. })
    ));
    // the first statements without a count: the same rows as the page
    let scope = crate::backend::Scope::All;
    for limit in [0, 1, 2, e.statements.len() + 5] {
        let first = store
            .backend
            .first_statements(&["p1".to_owned()], &scope, limit)
            .unwrap();
        assert_eq!(first[..], e.statements[..limit.min(e.statements.len())]);
    }

    // search: words, folding of å/ä/ö, schema and date filters
    let search = |store: &mut Store, q: SearchQuery| {
        store
            .access(&who, &why)
            .search(&q)
            .unwrap()
            .results
            .into_iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };
    let q = |t: &str| SearchQuery {
        text: t.into(),
        limit: 10,
        ..SearchQuery::default()
    };
    assert_eq!(search(&mut store, q("johansson")), ["p1"]);
    assert_eq!(search(&mut store, q("oberg")), ["p4"]);
    assert_eq!(search(&mut store, q("46701234567")).len(), 2);
    assert!(
        search(
            &mut store,
            SearchQuery {
                schema: Some("LegalEntity".into()),
                ..q("sara")
            }
        )
        .contains(&"p2".to_owned())
    );
    assert!(
        search(
            &mut store,
            SearchQuery {
                schema: Some("Company".into()),
                ..q("sara")
            }
        )
        .is_empty()
    );
    let dated = search(
        &mut store,
        SearchQuery {
            date_from: Some("1995".into()),
            date_to: Some("2001-12-31".into()),
            ..q("*")
        },
    );
    assert_eq!(dated.len(), 2, "{dated:?}"); // 1999-02 and 2001-12-24; "1985" and 1990 are out
    // grading: the records are B2
    for (min, hits) in [
        ("A1", 0),
        ("B1", 0),
        ("A2", 0),
        ("B2", 1),
        ("C3", 1),
        ("X4", 1),
    ] {
        let found = search(
            &mut store,
            SearchQuery {
                min_grading: Some(min.parse().unwrap()),
                ..q("johansson")
            },
        );
        assert_eq!(found.len(), hits, "graded at least {min}");
    }
    assert!(
        store
            .access(&who, &why)
            .search(&SearchQuery {
                schema: Some("Dragon".into()),
                ..q("x")
            })
            .is_err()
    );

    // a failing input keeps nothing: store and index as before
    let before = store.access(&who, &why).stats().unwrap();
    let mut bad: Vec<Result<Record, String>> = vec![
        Ok(person(2, "q1", "Ny Person", "0709999999", "2000", &p)),
        Ok(person(3, "q2", "Annan Person", "0708888888", "2000", &p)),
    ];
    bad.push(Err("file.csv, line 4: broken".into()));
    let r = store.access(&who, &why).ingest(meta("sha-c"), bad);
    assert!(matches!(r, Err(IngestFailure::Input(ref m)) if m.contains("line 4")));
    let after = store.access(&who, &why).stats().unwrap();
    assert_eq!(
        (
            before.batches,
            before.records,
            before.entities,
            before.statements
        ),
        (
            after.batches,
            after.records,
            after.entities,
            after.statements
        )
    );
    assert!(search(&mut store, q("annan")).is_empty());
    // also when the failure comes after the index was handed records in groups (a group is
    // 1024 records)
    let many = |n: u64| -> Vec<Result<Record, String>> {
        (0..n)
            .map(|i| {
                Ok(person(
                    i + 2,
                    &format!("m{i}"),
                    "Mångfald Person",
                    "",
                    "",
                    &p,
                ))
            })
            .collect()
    };
    let mut bad = many(2500);
    bad.push(Err("many.csv, line 2502: broken".into()));
    let r = store.access(&who, &why).ingest(meta("sha-e"), bad);
    assert!(matches!(r, Err(IngestFailure::Input(_))));
    assert!(search(&mut store, q("mångfald")).is_empty());
    assert_eq!(
        store.access(&who, &why).stats().unwrap().records,
        before.records
    );
    // an invalid policy is refused the same way
    let mut h3 = (*p).clone();
    h3.handling = lagesbild_model::Handling::H3;
    let r = store.access(&who, &why).ingest::<String, _>(
        meta("sha-d"),
        vec![Ok(person(9, "z", "Z", "", "", &Arc::new(h3)))],
    );
    assert!(matches!(
        r,
        Err(IngestFailure::Store(StoreError::Policy(_)))
    ));

    // merge and undo through the resolver; statements are never rewritten
    let (j, canonical) = store.access(&who, &why).merge("p3", "p1").unwrap();
    assert_eq!(canonical, "p1");
    let merged = store.access(&who, &why).entity("p3").unwrap();
    assert_eq!(merged.id, "p1");
    assert_eq!(merged.members, ["p1", "p3"]);
    assert_eq!(merged.statements.len(), 6);
    assert_eq!(search(&mut store, q("hassan")), ["p1"]);
    store.access(&who, &why).undo(j).unwrap();
    assert_eq!(store.access(&who, &why).entity("p3").unwrap().id, "p3");
    assert!(
        store.access(&who, &why).undo(j).is_err(),
        "a judgement is undone once"
    );

    // every access above is in the log, with who and why, and the chain holds
    let log = store
        .access(&who, &why)
        .audit_log(&AuditFilter::default())
        .unwrap();
    assert!(
        log.iter()
            .all(|e| e.user == "anna" && e.purpose == "ärende 5000-K123-26")
    );
    let ops: Vec<&str> = log.iter().map(|e| e.op.as_str()).collect();
    for op in ["collect", "consult", "combine"] {
        assert!(ops.contains(&op), "{op} missing from {ops:?}");
    }
    let shown = store
        .access(&who, &why)
        .audit_log(&AuditFilter {
            id: Some("p1".into()),
            ..AuditFilter::default()
        })
        .unwrap();
    assert!(shown.iter().any(|e| e.detail == "show"));
    let report = store.access(&who, &why).audit_verify().unwrap();
    assert_eq!(report.broken, None);

    // roles: a partner sees only its own organisation's records (here none: the entity does
    // not exist for it), an auditor may read the log but not entities
    let partner = Principal {
        roles: vec![Role::Partner],
        ..Principal::operator("kommun", "Malmö stad")
    };
    assert!(matches!(
        store.access(&partner, &why).entity("p1"),
        Err(StoreError::NotFound { .. })
    ));
    let found = store.access(&partner, &why).search(&q("anders")).unwrap();
    assert_eq!((found.total_documents, found.results.len()), (0, 0));
    assert!(
        store
            .access(&partner, &why)
            .audit_log(&AuditFilter::default())
            .is_err()
    );
    let auditor = Principal {
        roles: vec![Role::Auditor],
        ..Principal::operator("dso", "Polisen")
    };
    assert!(
        store
            .access(&auditor, &why)
            .audit_log(&AuditFilter::default())
            .is_ok()
    );
    assert!(store.access(&auditor, &why).entity("p1").is_err());
}

#[test]
fn sqlite_backend_conforms() {
    conformance(&|dir| Store::init(dir).unwrap());
}

#[test]
fn init_twice_and_open_missing_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        Store::open(dir.path()),
        Err(StoreError::NotInitialised(_))
    ));
    Store::init(dir.path()).unwrap();
    assert!(matches!(
        Store::init(dir.path()),
        Err(StoreError::AlreadyExists(_))
    ));
    assert!(Store::open(dir.path()).is_ok());
}

fn schema_of(conn: &rusqlite::Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare(
            "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY 1",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn migrations_reach_the_same_schema_from_every_version() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = rusqlite::Connection::open(dir.path().join("fresh.sqlite")).unwrap();
    crate::sqlite::migrate(&fresh, Path::new("fresh"), migrations::LATEST).unwrap();
    let want = schema_of(&fresh);
    for v in 0..migrations::LATEST {
        let conn = rusqlite::Connection::open(dir.path().join(format!("v{v}.sqlite"))).unwrap();
        crate::sqlite::migrate(&conn, Path::new("old"), v).unwrap();
        let at: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(at, v);
        crate::sqlite::migrate(&conn, Path::new("old"), migrations::LATEST).unwrap();
        assert_eq!(schema_of(&conn), want, "from version {v}");
    }
}

#[test]
fn links_keys_and_places_survive_their_new_layout() {
    // migration 8 moves `link` and `keyval` into tables without row ids: every link is kept, and
    // a key value stated in two records becomes one row
    let dir = tempfile::tempdir().unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("v7.sqlite")).unwrap();
    crate::sqlite::migrate(&conn, Path::new("v7"), 7).unwrap();
    conn.execute_batch(
        // (the store turns the documenting REFERENCES clauses off, as here)
        "PRAGMA foreign_keys = OFF;
         INSERT INTO link (src, dst, prop, record, at) VALUES
             (1, 2, 'owner', 10, '2026-01-02'), (1, 3, 'asset', 10, NULL), (4, 2, 'owner', 11, NULL);
         INSERT INTO keyval (h, entity, prop) VALUES (-5, 2, 'phone'), (-5, 2, 'phone'), (7, 3, 'iban');
         INSERT INTO entity (id, h, eid, schema) VALUES (2, -9, 'p-1', 'Person'), (3, 8, 'a-1', 'BankAccount');
         INSERT INTO record (id, uid, batch_id, policy_id, line, byte_offset, raw, facts, registered_at)
         VALUES (5, x'05', 1, 1, 1, 0, '', '[[\"s\",\"Seizure\",[[\"latitude\",\"55.6\"]]]]', ''),
                (6, x'06', 1, 1, 2, 0, '', '[[\"p\",\"Person\",[[\"name\",\"Ek\"]]]]', '');",
    )
    .unwrap();
    crate::sqlite::migrate(&conn, Path::new("v7"), migrations::LATEST).unwrap();
    let rows = |sql: &str| -> Vec<String> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    assert_eq!(
        rows(
            "SELECT src || ' ' || dst || ' ' || prop || ' ' || record || ' ' || coalesce(at, '-')
              FROM link ORDER BY src, dst"
        ),
        [
            "1 2 owner 10 2026-01-02",
            "1 3 asset 10 -",
            "4 2 owner 11 -"
        ]
    );
    assert_eq!(
        rows("SELECT CAST(src AS TEXT) FROM link WHERE dst = 2 ORDER BY src"),
        ["1", "4"]
    );
    assert_eq!(
        rows("SELECT h || ' ' || entity || ' ' || prop FROM keyval ORDER BY h"),
        ["-5 2 phone", "7 3 iban"]
    );
    // migration 9 lists the records that state a place
    assert_eq!(rows("SELECT CAST(record AS TEXT) FROM placed"), ["5"]);
    // migration 10 finds entities by the hash of their id in a table of its own
    assert_eq!(
        rows("SELECT h || ' ' || id FROM entity_key ORDER BY h"),
        ["-9 2", "8 3"]
    );
}

#[test]
fn a_policy_read_back_from_the_store_has_the_index_key_it_was_indexed_under() {
    // documents carry the key of the policy as ingested; searches limit by the keys of the
    // policies as stored: the two must be the same for every field, set or not
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::init(dir.path()).unwrap();
    let mut full = Policy::new("Tullverket", "beslag", "brottsbekämpning");
    full.grading = "C3".parse().unwrap();
    full.handling = lagesbild_model::Handling::H3;
    full.handling_note = Some("endast för ärende 5000-K1-26; ej vidare".into());
    full.subject_category = "suspect".parse().unwrap();
    full.legal_basis = Some("BDL 2 kap. 7 §".into());
    full.compartment = Some("Operation Vinter".into());
    full.review_by = Some("2027-06-30".into());
    full.delete_by = Some("2031-12-31".into());
    let plain = policy("register");
    let mut records = people(&plain);
    records.push(person(
        9,
        "p9",
        "Eva Ek",
        "0705551234",
        "1970",
        &Arc::new(full.clone()),
    ));
    ingest(&mut store, "sha-keys", records);
    let stored = store.backend.policies().unwrap();
    assert_eq!(stored.len(), 2);
    for original in [&full, &*plain] {
        let (_, back) = stored
            .iter()
            .find(|(_, p)| p == original)
            .expect("stored as given");
        assert_eq!(
            crate::index::policy_key(back),
            crate::index::policy_key(original)
        );
    }
    // and a search limited by the stored keys finds the record
    let (who, why) = operator();
    let found = store
        .access(&who, &why)
        .search(&SearchQuery {
            dataset: Some("beslag".into()),
            min_grading: Some("C3".parse().unwrap()),
            text: "eva".into(),
            limit: 10,
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(found.results.len(), 1);
}

#[test]
fn a_newer_store_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::init(dir.path()).unwrap());
    let conn = rusqlite::Connection::open(db_path(dir.path())).unwrap();
    conn.pragma_update(None, "user_version", migrations::LATEST + 1)
        .unwrap();
    drop(conn);
    assert!(matches!(
        Store::open(dir.path()),
        Err(StoreError::TooNew { .. })
    ));
}

#[test]
fn changed_audit_rows_are_named_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::init(dir.path()).unwrap();
    let (who, why) = operator();
    ingest(&mut store, "sha-a", people(&policy("register")));
    for id in ["p1", "p2", "p3"] {
        store.access(&who, &why).entity(id).unwrap();
    }
    drop(store);
    let conn = rusqlite::Connection::open(db_path(dir.path())).unwrap();
    // the log refuses changes through SQL...
    assert!(
        conn.execute("UPDATE audit SET purpose = 'x' WHERE seq = 3", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM audit WHERE seq = 2", []).is_err());
    // ...and one who drops the guard is still caught
    conn.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;")
        .unwrap();
    conn.execute("UPDATE audit SET purpose = 'nyfikenhet' WHERE seq = 3", [])
        .unwrap();
    drop(conn);
    let mut store = Store::open(dir.path()).unwrap();
    let r = store.access(&who, &why).audit_verify().unwrap();
    assert_eq!(r.broken.as_ref().unwrap().seq, 3, "{r:?}");
    assert_eq!(r.entries, 2);
    drop(store);

    // deleting an entry in the middle is caught at the next one
    let conn = rusqlite::Connection::open(db_path(dir.path())).unwrap();
    conn.execute(
        "UPDATE audit SET purpose = (SELECT purpose FROM audit WHERE seq = 2) WHERE seq = 3",
        [],
    )
    .unwrap();
    conn.execute("DELETE FROM audit WHERE seq = 2", []).unwrap();
    drop(conn);
    let mut store = Store::open(dir.path()).unwrap();
    assert_eq!(
        store
            .access(&who, &why)
            .audit_verify()
            .unwrap()
            .broken
            .unwrap()
            .seq,
        3
    );
}

#[test]
fn the_index_catches_up_and_rebuilds() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::init(dir.path()).unwrap();
    let (who, why) = operator();
    ingest(&mut store, "sha-a", people(&policy("register")));
    drop(store);
    // as if the process died after the store's commit and before the index's
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let q = SearchQuery {
        text: "lindqvist".into(),
        limit: 5,
        ..SearchQuery::default()
    };
    assert_eq!(
        store.access(&who, &why).search(&q).unwrap().results.len(),
        1
    );
    assert_eq!(store.access(&who, &why).reindex(&mut |_| {}).unwrap(), 4);
    assert_eq!(
        store.access(&who, &why).search(&q).unwrap().results[0].id,
        "p2"
    );
}

/// A large batch of new people into a store that has some: once the look-ups that find nothing
/// have paid for it, a filter of the stored entities answers for the new ones, and the people
/// met again late in the batch are still found (one entity each, not two).
#[test]
fn entities_met_again_after_many_new_ones_stay_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::init(dir.path()).unwrap();
    let p = policy("register");
    let person_at = |line: u64, id: String| {
        person(
            line,
            &id,
            &format!("Person {id}"),
            "070-123 45 67",
            "1990-01-01",
            &p,
        )
    };
    let first: Vec<Record> = (0..2_000)
        .map(|i| person_at(i + 1, format!("a{i}")))
        .collect();
    let added = |o: IngestOutcome| match o {
        IngestOutcome::Added(b) => b.records,
        IngestOutcome::AlreadyIngested(_) => 0,
    };
    assert_eq!(added(ingest(&mut store, "sha-a", first)), 2_000);
    let second: Vec<Record> = (0..3_000)
        .map(|i| person_at(10_000 + i, format!("b{i}")))
        .chain((0..500).map(|i| person_at(20_000 + i, format!("a{}", i * 4))))
        .collect();
    assert_eq!(added(ingest(&mut store, "sha-b", second)), 3_500);
    let (who, why) = operator();
    let stats = store.access(&who, &why).stats().unwrap();
    assert_eq!(stats.entities, 5_000);
}

/// Links touching more ids than one statement may bind are read in groups: the same rows as
/// for the few ids that have links, each once, also a link whose two ends fall in two groups.
#[test]
fn links_touching_many_ids_are_read_in_groups_and_merged() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::init(dir.path()).unwrap();
    let p = policy("register");
    let ctx = Context::default();
    let mut pay = Fragment::new("pay", "Payment").unwrap();
    pay.add("payer", "p1", &ctx).unwrap();
    pay.add("beneficiary", "p2", &ctx).unwrap();
    pay.add("date", "2026-03-01", &ctx).unwrap();
    ingest(
        &mut store,
        "sha-pay",
        vec![people_row(1, "pay".into(), pay, &p)],
    );
    let scope = crate::backend::Scope::All;
    let few: Vec<String> = ["pay", "p1", "p2"].map(String::from).to_vec();
    let mut want = store.backend.links_touching(&few, &scope).unwrap();
    assert_eq!(want.len(), 2);
    // "pay" in the first group, its ends in the last
    let mut many = vec!["pay".to_owned()];
    many.extend((0..9_000).map(|i| format!("nobody{i}")));
    many.extend(["p1".to_owned(), "p2".to_owned()]);
    let mut got = store.backend.links_touching(&many, &scope).unwrap();
    let key = |r: &crate::LinkRow| r.key();
    want.sort_by_key(key);
    got.sort_by_key(key);
    assert_eq!(got, want);
}

/// A hub named in more records than a label reads is captioned by the name its first record
/// gives; an entity whose first statements hold no name-like value is captioned by its first
/// value; an unknown id gets no label; every call is logged.
#[test]
fn labels_come_from_the_first_statements() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::init(dir.path()).unwrap();
    let p = policy("register");
    let ctx = Context::default();
    // one fragment of `id` stating `prop`, in a record of its own at `line`
    let stating = |line: u64, id: &str, prop: &str, value: &str| {
        let mut f = Fragment::new(id, "Person").unwrap();
        f.add(prop, value, &ctx).unwrap();
        people_row(line, format!("{id} {line}"), f, &p)
    };
    let mut records = vec![person(1, "hub", "Kim Nilsson", "070-123 45 67", "1990", &p)];
    for line in 2..200u64 {
        let phone = format!("070-555 {:02} {:02}", line / 100, line % 100);
        records.push(stating(line, "hub", "phone", &phone));
    }
    // a name stated only after more statements than a label reads is not looked for
    let last = 300 + LABEL_STATEMENTS as u64;
    for line in 300..last {
        records.push(stating(
            line,
            "late",
            "email",
            &format!("late{line}@example.org"),
        ));
    }
    records.push(stating(last, "late", "name", "Named Late"));
    records.push(stating(500, "quiet", "birthDate", "1970-01-01"));
    ingest(&mut store, "sha-labels", records);
    let (who, why) = operator();
    let labels = store
        .access(&who, &why)
        .labels(&[
            "hub".into(),
            "quiet".into(),
            "nobody".into(),
            "hub".into(),
            "late".into(),
        ])
        .unwrap();
    let got: Vec<(&str, &str, &str)> = labels
        .iter()
        .map(|l| (l.id.as_str(), l.schema.as_str(), l.caption.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("hub", "Person", "Kim Nilsson"),
            ("quiet", "Person", "1970-01-01"),
            ("late", "Person", "late300@example.org")
        ]
    );
    let log = store
        .access(&who, &why)
        .audit_log(&Default::default())
        .unwrap();
    assert!(
        log.iter()
            .any(|e| e.detail == "labels of 3 entities" && e.ids == ["hub", "quiet", "late"]),
        "labels are logged with the ids named"
    );
}

/// Several processes (here threads with their own handles) opening one store at the same time
/// all succeed and leave the index as it was: none takes another's half-written files for an
/// index to rebuild.
#[test]
fn the_store_opens_many_times_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::init(dir.path()).unwrap();
    ingest(&mut store, "sha-a", people(&policy("register")));
    drop(store);
    let files = |d: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(d.join("index"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let before = files(dir.path());
    for _ in 0..20 {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| s.spawn(|| Store::open(dir.path()).map(drop)))
                .collect();
            for h in handles {
                h.join().unwrap().unwrap();
            }
        });
    }
    assert_eq!(files(dir.path()), before);
}

mod merges {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    /// The canonical mapping replayed plainly from the surviving judgements.
    fn oracle(ids: &[&str], judgements: &[(usize, usize, bool)]) -> BTreeMap<String, String> {
        let mut parent: Vec<usize> = (0..ids.len()).collect();
        fn find(p: &mut Vec<usize>, x: usize) -> usize {
            if p[x] != x {
                let r = find(p, p[x]);
                p[x] = r;
            }
            p[x]
        }
        for &(a, b, alive) in judgements {
            if alive {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                parent[ra] = rb;
            }
        }
        let mut out = BTreeMap::new();
        for i in 0..ids.len() {
            let r = find(&mut parent, i);
            let canonical = (0..ids.len())
                .filter(|j| find(&mut parent, *j) == r)
                .map(|j| ids[j])
                .min()
                .unwrap();
            out.insert(ids[i].to_owned(), canonical.to_owned());
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        #[test]
        fn judgements_and_undos_equal_replaying_the_survivors(
            steps in proptest::collection::vec((0usize..6, 0usize..6, 0usize..10), 1..14)
        ) {
            let ids = ["p1", "p2", "p3", "p4", "p5", "p6"];
            let dir = tempfile::tempdir().unwrap();
            let mut store = Store::init(dir.path()).unwrap();
            let p = policy("register");
            let recs = ids.iter().enumerate().map(|(i, id)| person(i as u64 + 2, id, id, "", "", &p)).collect();
            ingest(&mut store, "sha", recs);
            let (who, why) = operator();
            // (a, b, standing, id) of "same" judgements, and of "not the same" ones
            let mut judgements: Vec<(usize, usize, bool, i64)> = Vec::new();
            let mut apart: Vec<(usize, usize, bool, i64)> = Vec::new();
            for (a, b, action) in steps {
                let same_now = |judgements: &[(usize, usize, bool, i64)]| {
                    oracle(&ids, &judgements.iter().map(|j| (j.0, j.1, j.2)).collect::<Vec<_>>())
                };
                if action < 3 && !(judgements.is_empty() && apart.is_empty()) {
                    // undo an earlier judgement that still stands
                    let pick = judgements
                        .iter_mut()
                        .chain(apart.iter_mut())
                        .filter(|j| j.2)
                        .nth(action);
                    if let Some(j) = pick {
                        store.access(&who, &why).undo(j.3).unwrap();
                        j.2 = false;
                    }
                } else if a != b && action < 8 {
                    // "same": refused when a standing "not the same" is between the clusters
                    let now = same_now(&judgements);
                    let blocked = apart.iter().any(|j| {
                        j.2 && ((now[ids[j.0]] == now[ids[a]] && now[ids[j.1]] == now[ids[b]])
                            || (now[ids[j.0]] == now[ids[b]] && now[ids[j.1]] == now[ids[a]]))
                    });
                    let r = store.access(&who, &why).merge(ids[a], ids[b]);
                    prop_assert_eq!(r.is_err(), blocked, "same {} {}", ids[a], ids[b]);
                    if let Ok((id, _)) = r {
                        judgements.push((a, b, true, id));
                    }
                } else if a != b {
                    // "not the same": refused for two entities merged now
                    let now = same_now(&judgements);
                    let merged = now[ids[a]] == now[ids[b]];
                    let r = store.access(&who, &why).judge(ids[a], ids[b], "not_same");
                    prop_assert_eq!(r.is_err(), merged, "not same {} {}", ids[a], ids[b]);
                    if let Ok((id, _)) = r {
                        apart.push((a, b, true, id));
                    }
                }
            }
            let want = oracle(&ids, &judgements.iter().map(|j| (j.0, j.1, j.2)).collect::<Vec<_>>());
            for id in ids {
                prop_assert_eq!(&store.access(&who, &why).canonical(id).unwrap(), &want[id], "{}", id);
            }
            // statements are never rewritten
            let stats = store.access(&who, &why).stats().unwrap();
            prop_assert_eq!(stats.statements, Some(6));
        }
    }
}
