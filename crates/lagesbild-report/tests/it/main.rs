//! The report on a store: the partner version never carries a name, a phone number, a text or
//! an event of its own, whoever makes it; the police version does (so the search for them is
//! not blind); and every read goes to the audit log.

use std::sync::Arc;

use lagesbild_model::{
    Agreement, Context, Fragment, Handling, Policy, Principal, Purpose, Record, Role, SourceRef,
    SubjectCategory,
};
use lagesbild_report::{Lang, Options, gather, render_html};
use lagesbild_store::{AuditFilter, BatchMeta, Store};

/// What no partner may read: names, phone numbers, free text, a case number, entity ids.
const SECRETS: &[&str] = &[
    "Zlatan Hemligsson",
    "Hemligsson",
    "Vera Dolda",
    "+46701234567",
    "0701234567",
    "701234567",
    "leveransen vid tunneln",
    "5000-K4711-26",
    "pers-hemlig",
    "note-hemlig",
    "beslag-0",
];

fn fragment(id: &str, schema: &str, props: &[(&str, &str)]) -> Fragment {
    let ctx = Context::default();
    let mut f = Fragment::new(id.to_owned(), schema).unwrap();
    for (p, v) in props {
        f.add(p, v, &ctx).unwrap();
    }
    f
}

fn record(n: usize, policy: &Arc<Policy>, fragments: Vec<Fragment>) -> Record {
    Record {
        source: SourceRef {
            file: "material.csv".into(),
            line: n as u64 + 2,
            offset: 0,
        },
        raw: format!("rad {n}"),
        policy: policy.clone(),
        fragments,
    }
}

/// A store with two suspects (names, phones), an intelligence note about them (H2), and
/// seizures and observations in Östervång over two half-years: 40 seizures with the suspects
/// in a small cluster (so that hotspot cells pass k), a few scattered ones, observations.
fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::init(dir.path()).unwrap();
    let op = Principal::operator("op", "Polisen");
    let why = Purpose::new("test").unwrap();
    {
        let mut a = store.access(&op, &why);
        a.add_org("Polisen", "police").unwrap();
        a.add_org("Havsstads kommun", "municipality").unwrap();
        a.add_agreement(&Agreement {
            id: 0,
            from_org: "Polisen".into(),
            to_org: "Havsstads kommun".into(),
            datasets: vec![],
            h2_consent: false,
            aggregates_only: true,
        })
        .unwrap();
    }
    let mut p = Policy::new("Polisen", "beslag", "underrättelseverksamhet");
    p.subject_category = SubjectCategory::Suspect;
    let seizures = Arc::new(p);
    let mut p = Policy::new("Polisen", "underrättelser", "underrättelseverksamhet");
    p.handling = Handling::H2;
    p.subject_category = SubjectCategory::Suspect;
    let notes = Arc::new(p);
    let mut records = vec![
        record(
            0,
            &seizures,
            vec![fragment(
                "pers-hemlig",
                "Person",
                &[("name", "Zlatan Hemligsson"), ("phone", "+46701234567")],
            )],
        ),
        record(
            1,
            &seizures,
            vec![fragment("pers-dold", "Person", &[("name", "Vera Dolda")])],
        ),
    ];
    for i in 0..60 {
        // two months a half-year, cells of about 100 m; the first 40 in three neighbouring cells
        let month = [2, 3, 8, 9][i % 4];
        let (lat, lon) = if i < 40 {
            (55.5800 + (i % 3) as f64 * 0.0015, 13.0300)
        } else {
            (
                55.57 + (i % 7) as f64 * 0.004,
                13.01 + (i % 3) as f64 * 0.006,
            )
        };
        let suspect = if i % 2 == 0 {
            "pers-hemlig"
        } else {
            "pers-dold"
        };
        records.push(record(
            records.len(),
            &seizures,
            vec![fragment(
                &format!("beslag-{i}"),
                "Seizure",
                &[
                    ("name", &format!("kokain {i} g, Zlatan Hemligsson")),
                    ("date", &format!("2026-{month:02}-{:02}", 1 + i % 27)),
                    ("place", "Östervång, Havsstad"),
                    ("latitude", &format!("{lat:.5}")),
                    ("longitude", &format!("{lon:.5}")),
                    ("substance", "kokain"),
                    ("caseNumber", "5000-K4711-26"),
                    ("suspect", suspect),
                ],
            )],
        ));
    }
    for i in 0..24 {
        let month = [1, 2, 3, 7, 8, 9][i % 6];
        records.push(record(
            records.len(),
            &seizures,
            vec![fragment(
                &format!("obs-{i}"),
                "Observation",
                &[
                    ("name", "öppen försäljning vid tunneln"),
                    ("category", "öppen försäljning"),
                    ("date", &format!("2026-{month:02}-{:02}", 1 + i)),
                    ("place", "Östervång"),
                    ("latitude", "55.5801"),
                    ("longitude", "13.0301"),
                ],
            )],
        ));
    }
    let n = records.len();
    records.push(record(
        n,
        &notes,
        vec![fragment(
            "note-hemlig",
            "Note",
            &[
                ("name", "PM 17"),
                (
                    "description",
                    "Hemligsson tar emot leveransen vid tunneln, ring 070-123 45 67",
                ),
                ("entity", "pers-hemlig"),
                ("createdAt", "2026-08-02"),
            ],
        )],
    ));
    store
        .access(&op, &why)
        .ingest::<String, _>(
            BatchMeta {
                dataset: "material".into(),
                source: "material.csv".into(),
                sha256: "a".repeat(64),
                format: "csv".into(),
                org: "Polisen".into(),
            },
            records.into_iter().map(Ok),
        )
        .unwrap();
    (dir, store)
}

fn options(partner: bool) -> Options {
    Options {
        area: "Östervång".into(),
        from: "2026-07".into(),
        to: "2026-12".into(),
        areas: None,
        partner,
        generated_at: "2026-12-31T12:00:00Z".into(),
    }
}

fn report(store: &mut Store, who: &Principal, partner: bool, lang: Lang) -> String {
    let why = Purpose::new("samverkansmöte december").unwrap();
    let mut access = store.access(who, &why);
    let r = gather(&mut access, &options(partner)).unwrap();
    assert_eq!(r.meta.partner, partner || who.has_role(Role::Partner));
    render_html(&r, lang)
}

fn leaks(html: &str) -> Vec<&'static str> {
    SECRETS
        .iter()
        .copied()
        .filter(|s| html.contains(s))
        .collect()
}

#[test]
fn the_police_version_names_what_the_partner_version_never_shows() {
    let (_dir, mut store) = store();
    let analyst = Principal::operator("analytiker", "Polisen");
    let full = report(&mut store, &analyst, false, Lang::Sv);
    // the search is not blind: the police version has the names and the entity ids
    assert!(full.contains("Zlatan Hemligsson"), "the key member's name");
    assert!(full.contains("pers-hemlig"));
    assert!(full.contains("class=\"event\""), "event points on the map");
    assert!(
        full.contains("H2"),
        "the note's handling code classifies the report"
    );
    for lang in [Lang::Sv, Lang::En] {
        // an analyst asking for the partner version, and a partner of the municipality
        let forced = report(&mut store, &analyst, true, lang);
        let partner = Principal {
            user: "samordnare".into(),
            org: "Havsstads kommun".into(),
            roles: vec![Role::Partner],
            compartments: vec![],
        };
        let own = report(&mut store, &partner, false, lang);
        for html in [&forced, &own] {
            assert_eq!(leaks(html), Vec::<&str>::new(), "the partner version leaks");
            assert!(html.contains(if lang == Lang::Sv {
                "PARTNERVERSION"
            } else {
                "PARTNER VERSION"
            }));
            // no event points, no network drawing
            assert!(
                !html.contains("class=\"event\""),
                "event points in the partner version"
            );
            assert!(!html.contains("class=\"network\""));
            // but the counts it may show: 30 seizures in the period
            assert!(html.contains(">30<"), "the period's seizures");
        }
        // hotspot cells of at least k events, from the events the maker may see: the analyst
        // sees the police's seizures, the municipality's partner none of them
        assert!(
            forced.contains("891f"),
            "a hotspot cell of at least k events"
        );
        assert!(!own.contains("891f"));
    }
}

#[test]
fn every_read_of_the_report_is_in_the_audit_log_with_its_purpose() {
    let (_dir, mut store) = store();
    let analyst = Principal::operator("analytiker", "Polisen");
    let before = audit(&mut store).len();
    report(&mut store, &analyst, false, Lang::Sv);
    let entries = audit(&mut store);
    let new: Vec<_> = entries[before..]
        .iter()
        .filter(|e| e.purpose == "samverkansmöte december")
        .collect();
    let details: Vec<&str> = new.iter().map(|e| e.detail.as_str()).collect();
    assert!(
        details.iter().any(|d| d.starts_with("events:")),
        "{details:?}"
    );
    assert!(
        details.iter().any(|d| d.starts_with("graph:")),
        "{details:?}"
    );
    assert!(
        details.iter().any(|d| d.starts_with("labels of")),
        "key members' names: {details:?}"
    );
    assert!(
        details.iter().any(|d| d.starts_with("sources:")),
        "{details:?}"
    );
    assert!(new.iter().all(|e| e.user == "analytiker"));
}

fn audit(store: &mut Store) -> Vec<lagesbild_store::AuditEntry> {
    let op = Principal::operator("revisor", "Polisen");
    let why = Purpose::new("granskning").unwrap();
    store
        .access(&op, &why)
        .audit_log(&AuditFilter::default())
        .unwrap()
}

#[test]
fn an_unknown_area_names_the_areas_there_are() {
    let (_dir, mut store) = store();
    let analyst = Principal::operator("analytiker", "Polisen");
    let why = Purpose::new("test").unwrap();
    let mut access = store.access(&analyst, &why);
    let err = gather(
        &mut access,
        &Options {
            area: "Atlantis".into(),
            ..options(false)
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("Atlantis") && err.contains("Östervång"),
        "{err}"
    );
    let err = gather(
        &mut access,
        &Options {
            from: "2026-07-15".into(),
            ..options(true)
        },
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("whole months"), "{err}");
}
