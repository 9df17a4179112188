//! Retention: after `retention_run`, the erased values appear nowhere — not in the SQLite file
//! or its write-ahead log (scanned byte by byte), not in the search index's files, not in any
//! derived table (keys, links, merges) — while records under review or about entities with a
//! newer relevant entry stay, and the erasure is logged without its content.

use std::path::Path;
use std::sync::Arc;

use lagesbild_model::{Context, Fragment, Policy, Principal, Purpose, Record, SourceRef};
use lagesbild_store::{BatchMeta, SearchQuery, Store, StoreError};

fn record(line: u64, frags: Vec<Fragment>, raw: &str, p: &Arc<Policy>) -> Record {
    Record {
        source: SourceRef {
            file: "tips.csv".into(),
            line,
            offset: 0,
        },
        raw: raw.into(),
        policy: p.clone(),
        fragments: frags,
    }
}

fn person(id: &str, name: &str, phone: &str) -> Fragment {
    let ctx = Context::default();
    let mut f = Fragment::new(id, "Person").unwrap();
    f.add("name", name, &ctx).unwrap();
    f.add("phone", phone, &ctx).unwrap();
    f
}

fn policy(category: &str) -> Arc<Policy> {
    let mut p = Policy::new("Polisen", "tips", "underrättelse");
    p.subject_category = category.parse().unwrap();
    Arc::new(p)
}

fn ingest(store: &mut Store, n: usize, records: Vec<Record>) {
    let who = Principal::operator("op", "Polisen");
    let why = Purpose::new("test").unwrap();
    store
        .access(&who, &why)
        .ingest::<String, _>(
            BatchMeta {
                dataset: "tips".into(),
                source: format!("tips{n}.csv"),
                sha256: format!("{n:064}"),
                format: "csv".into(),
                org: "Polisen".into(),
            },
            records.into_iter().map(Ok),
        )
        .unwrap();
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Which files under the store directory hold `needle`.
fn holders(dir: &Path, needle: &str) -> Vec<String> {
    let mut files = Vec::new();
    files_under(dir, &mut files);
    files
        .into_iter()
        .filter(|f| {
            let bytes = std::fs::read(f).unwrap();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
        .map(|f| f.display().to_string())
        .collect()
}

#[test]
fn erased_values_appear_nowhere() {
    let dir = tempfile::tempdir().unwrap();
    let who = Principal::operator("op", "Polisen");
    let why = Purpose::new("gallring").unwrap();
    {
        let mut store = Store::init(dir.path()).unwrap();
        // erased: a suspect nobody has written about since
        ingest(
            &mut store,
            1,
            vec![record(
                2,
                vec![person("gone", "Zyxwvuts Qwertyson", "070-911 22 33")],
                "Zyxwvuts Qwertyson;070-911 22 33;säljer vid torget",
                &policy("suspect"),
            )],
        );
        // kept: a witness (no period set: up for review only)
        ingest(
            &mut store,
            2,
            vec![record(
                2,
                vec![person("stays", "Vittne Kvarstad", "070-955 66 77")],
                "Vittne Kvarstad;070-955 66 77",
                &policy("witness"),
            )],
        );
        // the older of two records about the same suspect, and the newer
        ingest(
            &mut store,
            3,
            vec![record(
                2,
                vec![person("both", "Äldre Uppgift", "070-944 00 00")],
                "Äldre Uppgift",
                &policy("suspect"),
            )],
        );
        ingest(
            &mut store,
            4,
            vec![record(
                2,
                vec![person("both", "Nyare Uppgift", "070-944 00 00")],
                "Nyare Uppgift",
                &policy("suspect"),
            )],
        );
        let mut a = store.access(&who, &why);
        a.set_retention("suspect", 3).unwrap();
        // a merge the erased entity took part in
        a.merge("gone", "stays").unwrap();
        let plan = a.retention_plan("2026-01-01").unwrap();
        assert!(plan.is_empty(), "nothing due before three years: {plan:?}");
        let plan = a.retention_plan("2040-01-01").unwrap();
        let erase: Vec<i64> = plan
            .iter()
            .filter(|c| c.erase())
            .map(|c| c.record_id)
            .collect();
        assert_eq!(erase.len(), 3, "{plan:?}");
        assert!(plan.iter().any(|c| !c.erase() && c.category == "witness"));
        // the older record's clock runs from the newer one about the same person
        let older = plan.iter().find(|c| c.record_id == 3).unwrap();
        let newer = plan.iter().find(|c| c.record_id == 4).unwrap();
        assert_eq!(older.last_relevant, newer.registered_at);
        assert!(older.registered_at < older.last_relevant);
        assert!(
            !holders(dir.path(), "Zyxwvuts").is_empty(),
            "the marker was stored"
        );
        let report = a.retention_run("2040-01-01").unwrap();
        assert_eq!(report.records, 3);
        assert!(report.judgements >= 1, "{report:?}");
        assert_eq!(
            a.entity("gone").unwrap_err().to_string(),
            StoreError::NotFound {
                kind: "entity",
                id: "gone".into()
            }
            .to_string()
        );
        let stays = a.entity("stays").unwrap();
        assert_eq!(
            stays.members,
            vec!["stays".to_owned()],
            "the merge is undone"
        );
        assert!(stays.shared_keys.is_empty());
        // (searching for the erased name would put it into the audit log, which keeps what
        // users asked for; every document left is the witness's)
        let hits = a
            .search(&SearchQuery {
                text: "*".into(),
                limit: 10,
                ..SearchQuery::default()
            })
            .unwrap();
        let ids: Vec<&str> = hits.results.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["stays"]);
        let log = a
            .audit_log(&lagesbild_store::AuditFilter {
                op: Some("erase".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(log.len(), 1);
        assert!(log[0].ids.iter().all(|i| i.starts_with("record:")));
        assert!(!log[0].detail.contains("Zyxwvuts"));
    }
    // the store is closed: every byte of every file is scanned
    for needle in [
        "Zyxwvuts",
        "Qwertyson",
        "+46709112233",
        "070-911 22 33",
        "Uppgift",
        "säljer vid torget",
    ] {
        assert_eq!(
            holders(dir.path(), needle),
            Vec::<String>::new(),
            "{needle}"
        );
    }
    assert!(
        !holders(dir.path(), "Kvarstad").is_empty(),
        "the witness record was kept"
    );
    // no derived row is left of an erased entity (the entity table, its key hashes, key values)
    {
        let db = rusqlite::Connection::open(dir.path().join("lagesbild.sqlite")).unwrap();
        let count = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(count("SELECT count(*) FROM entity"), 1, "only the witness");
        assert_eq!(
            count("SELECT count(*) FROM entity_key k JOIN entity e USING (id) WHERE e.h = k.h"),
            1
        );
        assert_eq!(count("SELECT count(*) FROM entity_key"), 1);
        assert_eq!(
            count("SELECT count(*) FROM keyval WHERE entity NOT IN (SELECT id FROM entity)"),
            0
        );
    }
    // and the store opens and verifies as before
    let mut store = Store::open(dir.path()).unwrap();
    let report = store.access(&who, &why).audit_verify().unwrap();
    assert_eq!(report.broken, None);
}
