//! The policy engine seen from outside, as an attacker would probe it: every read path of the
//! store × every role × inside and outside a compartment × each handling code × each
//! data-subject category × own organisation, sharing agreement or none. What each principal
//! gets is compared with an oracle written plainly here, independently of the engine's code:
//! nothing more, nothing less, and no trace of the rest in counts, snippets, links, shared keys
//! or error messages.

use std::collections::BTreeSet;
use std::sync::Arc;

use proptest::prelude::*;

use lagesbild_model::{
    Agreement, Context, Fragment, Handling, Policy, Principal, Purpose, Record, Role, SourceRef,
    SubjectCategory,
};
use lagesbild_store::{BatchMeta, SearchQuery, Store, StoreError};

const ORGS: [&str; 3] = ["Polisen", "Tullverket", "Havsstads kommun"];
const HANDLING: [Handling; 4] = [Handling::H0, Handling::H1, Handling::H2, Handling::H3];
const CATEGORIES: [SubjectCategory; 6] = [
    SubjectCategory::Suspect,
    SubjectCategory::Witness,
    SubjectCategory::Informant,
    SubjectCategory::NotSuspected,
    SubjectCategory::Unknown,
    SubjectCategory::None,
];
const ROLES: [Role; 7] = [
    Role::Analyst,
    Role::Investigator,
    Role::AreaOfficer,
    Role::Partner,
    Role::Liaison,
    Role::Auditor,
    Role::Administrator,
];

fn dataset(org: &str) -> &'static str {
    match org {
        "Polisen" => "underrättelser",
        "Tullverket" => "tull",
        _ => "observationer",
    }
}

/// The rules as the issue and the handling codes state them, written out once more.
fn oracle(who: &Principal, p: &Policy, agreements: &[Agreement]) -> bool {
    use SubjectCategory as C;
    if who.roles.contains(&Role::Operator) {
        return true;
    }
    if let Some(c) = &p.compartment
        && !who.compartments.iter().any(|m| m == c)
    {
        return false;
    }
    let mut any = false;
    for role in &who.roles {
        let category_ok = match role {
            Role::Investigator | Role::Partner => true,
            Role::Analyst => !matches!(p.subject_category, C::Informant | C::Unknown),
            Role::AreaOfficer | Role::Liaison => {
                matches!(p.subject_category, C::Suspect | C::Convicted | C::None)
            }
            _ => false,
        };
        if !category_ok {
            continue;
        }
        if p.org == who.org {
            any = true;
            continue;
        }
        if *role == Role::Partner {
            continue;
        }
        if *role == Role::Liaison && (p.handling == Handling::H2 || p.handling == Handling::H3) {
            continue;
        }
        for a in agreements {
            let covers = a.from_org == p.org
                && a.to_org == who.org
                && (a.datasets.is_empty() || a.datasets.contains(&p.dataset));
            if covers && !a.aggregates_only && (p.handling != Handling::H2 || a.h2_consent) {
                any = true;
            }
        }
    }
    any
}

/// Whether the role may call entity reads at all (auditors and administrators may not).
fn reads_entities(who: &Principal) -> bool {
    who.roles
        .iter()
        .any(|r| !matches!(r, Role::Auditor | Role::Administrator))
}

struct World {
    _dir: tempfile::TempDir,
    store: Store,
    policies: Vec<Policy>,
    agreements: Vec<Agreement>,
}

fn person(n: usize, p: &Arc<Policy>) -> Record {
    let ctx = Context::default();
    let mut f = Fragment::new(format!("e{n}"), "Person").unwrap();
    f.add("name", &format!("Kod{n} Persson"), &ctx).unwrap();
    f.add("phone", "070-123 45 67", &ctx).unwrap();
    let mut acct = Fragment::new("acct", "BankAccount").unwrap();
    acct.add("iban", "SE4550000000058398257466", &ctx).unwrap();
    let mut own = Fragment::new(format!("own{n}"), "Ownership").unwrap();
    own.add("owner", &format!("e{n}"), &ctx).unwrap();
    own.add("asset", "acct", &ctx).unwrap();
    // an event with a place, for the statistics of place and time
    let mut seen = Fragment::new(format!("obs{n}"), "Incident").unwrap();
    seen.add("date", "2026-03-01", &ctx).unwrap();
    seen.add("latitude", "55.6", &ctx).unwrap();
    seen.add("longitude", "13.0", &ctx).unwrap();
    Record {
        source: SourceRef {
            file: format!("{}.csv", p.dataset),
            line: n as u64 + 2,
            offset: 0,
        },
        raw: format!("Kod{n} Persson;070-123 45 67"),
        policy: p.clone(),
        fragments: vec![f, acct, own, seen],
    }
}

fn operator() -> (Principal, Purpose) {
    (
        Principal::operator("op", "Polisen"),
        Purpose::new("test of the policy engine").unwrap(),
    )
}

/// A store with one record per policy, ingested by the operator one organisation's file at a
/// time, and the agreements recorded in the directory.
fn world(policies: Vec<Policy>, agreements: Vec<Agreement>) -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::init(dir.path()).unwrap();
    let (op, why) = operator();
    {
        let mut a = store.access(&op, &why);
        for org in ORGS {
            a.add_org(org, "test").unwrap();
        }
        for ag in &agreements {
            a.add_agreement(ag).unwrap();
        }
    }
    for (i, p) in policies.iter().enumerate() {
        let p = Arc::new(p.clone());
        let meta = BatchMeta {
            dataset: p.dataset.clone(),
            source: format!("file{i}.csv"),
            sha256: format!("{i:064x}"),
            format: "csv".into(),
            org: p.org.clone(),
        };
        store
            .access(&op, &why)
            .ingest::<String, _>(meta, [Ok(person(i, &p))])
            .unwrap();
    }
    World {
        _dir: dir,
        store,
        policies,
        agreements,
    }
}

fn policy(org: &str, h: Handling, c: SubjectCategory, comp: Option<&str>) -> Policy {
    let mut p = Policy::new(org, dataset(org), "underrättelseverksamhet");
    p.handling = h;
    if h == Handling::H3 {
        p.handling_note = Some("endast operation Gran".into());
    }
    p.subject_category = c;
    p.compartment = comp.map(str::to_owned);
    p
}

fn standard_agreements() -> Vec<Agreement> {
    vec![
        Agreement {
            id: 1,
            from_org: "Polisen".into(),
            to_org: "Tullverket".into(),
            datasets: vec![],
            h2_consent: false,
            aggregates_only: false,
        },
        Agreement {
            id: 2,
            from_org: "Polisen".into(),
            to_org: "Havsstads kommun".into(),
            datasets: vec![],
            h2_consent: false,
            aggregates_only: true,
        },
        Agreement {
            id: 3,
            from_org: "Tullverket".into(),
            to_org: "Polisen".into(),
            datasets: vec!["tull".into()],
            h2_consent: true,
            aggregates_only: false,
        },
    ]
}

fn search(
    store: &mut Store,
    who: &Principal,
    text: &str,
) -> Result<(usize, Vec<String>), StoreError> {
    let why = Purpose::new("test").unwrap();
    let r = store.access(who, &why).search(&SearchQuery {
        text: text.into(),
        limit: 500,
        ..SearchQuery::default()
    })?;
    Ok((
        r.total_documents,
        r.results.into_iter().map(|h| h.id).collect(),
    ))
}

/// Checks every read path for one principal against the oracle.
fn check(w: &mut World, who: &Principal) {
    let why = Purpose::new("test").unwrap();
    let expected: BTreeSet<usize> = (0..w.policies.len())
        .filter(|i| oracle(who, &w.policies[*i], &w.agreements))
        .collect();
    let label = format!(
        "{} of {} in {:?}",
        who.roles[0].as_str(),
        who.org,
        who.compartments
    );
    if !reads_entities(who) {
        assert!(expected.is_empty(), "{label}");
        assert!(matches!(
            w.store.access(who, &why).entity("e0"),
            Err(StoreError::Denied(_))
        ));
        assert!(w.store.access(who, &why).links().is_err());
        assert!(
            w.store
                .access(who, &why)
                .neighbourhood(&["e0".to_owned()])
                .is_err()
        );
        assert!(w.store.access(who, &why).events(&[]).is_err());
        assert!(search(&mut w.store, who, "persson").is_err());
        let s = w.store.access(who, &why).stats().unwrap();
        assert_eq!((s.records, s.entities), (0, 0), "{label}");
        return;
    }
    // the entity page
    let unknown = match w.store.access(who, &why).entity("nobody") {
        Err(e) => e.to_string().replace("nobody", "ID"),
        Ok(_) => panic!("an unknown id was found"),
    };
    for i in 0..w.policies.len() {
        let id = format!("e{i}");
        match w.store.access(who, &why).entity(&id) {
            Ok(v) => {
                assert!(
                    expected.contains(&i),
                    "{label} sees {id} ({:?})",
                    w.policies[i]
                );
                assert!(v.statements.iter().all(|s| s.record_id as usize == i + 1));
                // who else has this phone: only people the principal may see
                for r in &v.shared_keys {
                    if let Some(n) = r.entity_id.strip_prefix('e') {
                        let n: usize = n.parse().unwrap();
                        assert!(
                            expected.contains(&n),
                            "{label}: {id} shares with hidden {n}"
                        );
                    }
                }
                let shared: BTreeSet<usize> = v
                    .shared_keys
                    .iter()
                    .filter_map(|r| r.entity_id.strip_prefix('e')?.parse().ok())
                    .collect();
                let others: BTreeSet<usize> =
                    expected.iter().copied().filter(|n| *n != i).collect();
                assert_eq!(shared, others, "{label}: who else has the phone of {id}");
                for r in &v.referrers {
                    let n: usize = r.entity_id.trim_start_matches("own").parse().unwrap();
                    assert!(
                        expected.contains(&n),
                        "{label}: {id} referred to by hidden {n}"
                    );
                }
            }
            Err(e) => {
                assert!(!expected.contains(&i), "{label} cannot see {id}: {e}");
                // a hidden entity answers exactly as an unknown one
                assert_eq!(e.to_string().replace(&id, "ID"), unknown, "{label}");
            }
        }
    }
    // search: hits, counts and the one-word probe of every record
    let (total, ids) = search(&mut w.store, who, "persson").unwrap();
    let found: BTreeSet<usize> = ids
        .iter()
        .map(|id| id.trim_start_matches('e').parse().unwrap())
        .collect();
    assert_eq!(found, expected, "{label}: search results");
    assert_eq!(total, expected.len(), "{label}: search count");
    for i in [0, w.policies.len() / 2, w.policies.len() - 1] {
        let (n, _) = search(&mut w.store, who, &format!("kod{i}")).unwrap();
        assert_eq!(
            n,
            usize::from(expected.contains(&i)),
            "{label}: count for kod{i}"
        );
    }
    // the shared account: visible only through visible records
    let (n, _) = search(&mut w.store, who, "SE4550000000058398257466").unwrap();
    assert_eq!(n, expected.len(), "{label}: account documents");
    // links
    let links = w.store.access(who, &why).links().unwrap();
    let linked: BTreeSet<usize> = links
        .iter()
        .map(|l| l.src.trim_start_matches("own").parse().unwrap())
        .collect();
    assert_eq!(linked, expected, "{label}: links");
    // the neighbourhood of every record's entity: the same links, no more
    let all: Vec<String> = (0..w.policies.len()).map(|i| format!("e{i}")).collect();
    let around = w.store.access(who, &why).neighbourhood(&all).unwrap();
    let linked: BTreeSet<usize> = around
        .iter()
        .map(|l| l.src.trim_start_matches("own").parse().unwrap())
        .collect();
    assert_eq!(linked, expected, "{label}: neighbourhood");
    assert_eq!(around.len(), links.len(), "{label}: neighbourhood");
    // events with a place
    let events = w.store.access(who, &why).events(&[]).unwrap();
    let placed: BTreeSet<usize> = events
        .iter()
        .map(|e| e.entity_id.trim_start_matches("obs").parse().unwrap())
        .collect();
    assert_eq!(placed, expected, "{label}: events");
    // statistics
    let s = w.store.access(who, &why).stats().unwrap();
    assert_eq!(s.records as usize, expected.len(), "{label}: record count");
    assert_eq!(s.statements, None, "{label}: store-wide counts");
    let datasets: u64 = s.by_dataset.iter().map(|(_, n)| n).sum();
    assert_eq!(
        datasets as usize,
        expected.len(),
        "{label}: records by dataset"
    );
}

#[test]
fn authorisation_matrix() {
    let mut policies = Vec::new();
    for org in ORGS {
        for h in HANDLING {
            for c in CATEGORIES {
                for comp in [None, Some("Gran")] {
                    policies.push(policy(org, h, c, comp));
                }
            }
        }
    }
    let mut w = world(policies, standard_agreements());
    let mut seen_some = 0;
    for role in ROLES {
        for org in ORGS {
            for compartments in [vec![], vec!["Gran".to_owned()]] {
                let who = Principal {
                    user: "u".into(),
                    org: org.into(),
                    roles: vec![role],
                    compartments,
                };
                check(&mut w, &who);
                seen_some += usize::from(w.policies.iter().any(|p| oracle(&who, p, &w.agreements)));
            }
        }
    }
    // the matrix is not vacuous: most principals see something, and no one sees everything
    assert!(seen_some >= 20, "{seen_some}");
    // the operator sees all
    let (op, why) = operator();
    assert_eq!(
        w.store.access(&op, &why).stats().unwrap().records as usize,
        w.policies.len()
    );
}

#[test]
fn partners_and_others_cannot_file_records_for_another_organisation() {
    let mut w = world(vec![], vec![]);
    let partner = Principal {
        user: "k".into(),
        org: "Havsstads kommun".into(),
        roles: vec![Role::Partner],
        compartments: vec![],
    };
    let why = Purpose::new("observation").unwrap();
    let forged = Arc::new(policy("Polisen", Handling::H0, SubjectCategory::None, None));
    let meta = BatchMeta {
        dataset: "observationer".into(),
        source: "obs.csv".into(),
        sha256: "f".repeat(64),
        format: "csv".into(),
        org: "Havsstads kommun".into(),
    };
    let r = w
        .store
        .access(&partner, &why)
        .ingest::<String, _>(meta.clone(), [Ok(person(0, &forged))]);
    assert!(r.is_err());
    let own = Arc::new(policy(
        "Havsstads kommun",
        Handling::H0,
        SubjectCategory::None,
        None,
    ));
    w.store
        .access(&partner, &why)
        .ingest::<String, _>(meta, [Ok(person(0, &own))])
        .unwrap();
    assert!(w.store.access(&partner, &why).entity("e0").is_ok());
}

fn arb_policy() -> impl Strategy<Value = Policy> {
    (
        0..ORGS.len(),
        0..HANDLING.len(),
        0..CATEGORIES.len(),
        prop_oneof![Just(None), Just(Some("A")), Just(Some("B"))],
    )
        .prop_map(|(o, h, c, comp)| policy(ORGS[o], HANDLING[h], CATEGORIES[c], comp))
}

fn arb_principal() -> impl Strategy<Value = Principal> {
    (
        0..ORGS.len(),
        proptest::sample::subsequence(ROLES.to_vec(), 1..3),
        proptest::sample::subsequence(vec!["A".to_owned(), "B".to_owned()], 0..3),
    )
        .prop_map(|(o, roles, compartments)| Principal {
            user: "p".into(),
            org: ORGS[o].into(),
            roles,
            compartments,
        })
}

fn arb_agreement() -> impl Strategy<Value = Agreement> {
    (
        0..ORGS.len(),
        0..ORGS.len(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(f, t, all, h2, agg)| Agreement {
            id: 0,
            from_org: ORGS[f].into(),
            to_org: ORGS[t].into(),
            datasets: if all {
                vec![]
            } else {
                vec![dataset(ORGS[f]).to_owned()]
            },
            h2_consent: h2,
            aggregates_only: agg,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// For random data, agreements and principals, nothing returned to a principal violates
    /// the policy, and nothing it may see is missing.
    #[test]
    fn nothing_returned_violates_the_policy(
        policies in proptest::collection::vec(arb_policy(), 1..16),
        agreements in proptest::collection::vec(arb_agreement(), 0..4),
        principals in proptest::collection::vec(arb_principal(), 1..6),
    ) {
        let mut w = world(policies, agreements);
        for who in &principals {
            check(&mut w, who);
        }
    }
}

fn incident(n: usize, place: &str, month: u32, p: &Arc<Policy>) -> Record {
    let ctx = Context::default();
    let mut f = Fragment::new(format!("inc{n}"), "Incident").unwrap();
    f.add("name", &format!("skjutning {n}"), &ctx).unwrap();
    f.add("category", "skjutning", &ctx).unwrap();
    f.add("date", &format!("2026-{month:02}-1{}", n % 10), &ctx)
        .unwrap();
    f.add("latitude", "55.6", &ctx).unwrap();
    f.add("longitude", "13.0", &ctx).unwrap();
    f.add("place", &format!("{place}, Havsstad"), &ctx).unwrap();
    Record {
        source: SourceRef {
            file: "incidents.csv".into(),
            line: n as u64 + 2,
            offset: 0,
        },
        raw: format!("inc{n}"),
        policy: p.clone(),
        fragments: vec![f],
    }
}

#[test]
fn partners_see_suppressed_counts_and_never_the_records() {
    let police = Arc::new(policy("Polisen", Handling::H0, SubjectCategory::None, None));
    let secret = Arc::new(policy(
        "Polisen",
        Handling::H0,
        SubjectCategory::None,
        Some("Gran"),
    ));
    let mut w = world(
        vec![],
        vec![Agreement {
            id: 0,
            from_org: "Polisen".into(),
            to_org: "Havsstads kommun".into(),
            datasets: vec![],
            h2_consent: false,
            aggregates_only: true,
        }],
    );
    // per area and month: Östervång 9 and 8, Kvarnby 2 (small) and 7, Västerport 6 and 5
    let plan = [
        ("Östervång", 1, 9),
        ("Östervång", 2, 8),
        ("Kvarnby", 1, 2),
        ("Kvarnby", 2, 7),
        ("Västerport", 1, 6),
        ("Västerport", 2, 5),
    ];
    let mut records = Vec::new();
    for (place, month, count) in plan {
        for _ in 0..count {
            records.push(incident(records.len(), place, month, &police));
        }
    }
    // records in a compartment are not counted outside it
    records.push(incident(900, "Kvarnby", 1, &secret));
    let (op, why) = operator();
    w.store
        .access(&op, &why)
        .ingest::<String, _>(
            BatchMeta {
                dataset: "underrättelser".into(),
                source: "incidents.csv".into(),
                sha256: "e".repeat(64),
                format: "csv".into(),
                org: "Polisen".into(),
            },
            records.into_iter().map(Ok),
        )
        .unwrap();
    let partner = Principal {
        user: "k".into(),
        org: "Havsstads kommun".into(),
        roles: vec![Role::Partner],
        compartments: vec![],
    };
    let why = Purpose::new("samverkan").unwrap();
    let t = w
        .store
        .access(&partner, &why)
        .aggregate(&lagesbild_store::AggregateQuery {
            k: 1, // a partner cannot lower the floor
            ..Default::default()
        })
        .unwrap();
    assert_eq!(t.k, lagesbild_store::MIN_CELL);
    assert_eq!(t.areas, ["Kvarnby", "Västerport", "Östervång"]);
    assert_eq!(t.months, ["2026-01", "2026-02"]);
    assert_eq!(t.table.cells[0][0], None, "the small cell");
    assert_eq!(
        t.table.grand_total,
        Some(37),
        "the compartment's record is not counted"
    );
    let shown: u64 = t.table.cells.iter().flatten().flatten().sum();
    assert!(shown < 37);
    // no hidden cell follows from what is shown
    for (i, row) in t.table.cells.iter().enumerate() {
        let hidden = row.iter().filter(|c| c.is_none()).count();
        assert_ne!(
            hidden, 1,
            "row {i} would give its hidden cell away: {:?}",
            t.table
        );
    }
    // within one area, per category, with the sources of what was counted: Kvarnby has 2 in
    // January (hidden) and 7 in February; the compartment's record is neither counted nor a
    // source
    let (t, sources) = w
        .store
        .access(&partner, &why)
        .aggregate_in(
            &lagesbild_store::AggregateQuery {
                k: 1,
                ..Default::default()
            },
            &lagesbild_store::AggregateWithin {
                area: Some("kvarnby".into()),
                schema: Some("Incident".into()),
                rows: lagesbild_store::AggregateRows::Category,
                sources: true,
            },
        )
        .unwrap();
    assert_eq!(t.areas, ["skjutning"]);
    assert_eq!(t.table.cells[0][0], None);
    assert_eq!(t.table.row_totals[0], Some(9));
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0].org, "Polisen");
    assert_eq!(sources[0].records, Some(9));
    // a schema without events: an empty table, its sources none
    let (t, sources) = w
        .store
        .access(&partner, &why)
        .aggregate_in(
            &lagesbild_store::AggregateQuery::default(),
            &lagesbild_store::AggregateWithin {
                schema: Some("Seizure".into()),
                sources: true,
                ..Default::default()
            },
        )
        .unwrap();
    assert!(t.areas.is_empty() && sources.is_empty());
    // the sources of given records, as far as the reader may see them: the operator sees the
    // compartment's record too, the partner none of the police's records
    let ids: Vec<i64> = (1..=38).collect();
    let all = w.store.access(&op, &why).sources(&ids, &[]).unwrap();
    assert_eq!(all.iter().filter_map(|s| s.records).sum::<u64>(), 38);
    assert!(
        w.store
            .access(&partner, &why)
            .sources(&ids, &["inc0".to_owned()])
            .unwrap()
            .is_empty()
    );
    // and none of the records themselves
    assert!(w.store.access(&partner, &why).entity("inc0").is_err());
    assert_eq!(search(&mut w.store, &partner, "skjutning").unwrap().0, 0);
    // without an agreement: nothing
    let other = Principal {
        org: "Tullverket".into(),
        ..partner.clone()
    };
    let t = w
        .store
        .access(&other, &why)
        .aggregate(&lagesbild_store::AggregateQuery::default())
        .unwrap();
    assert!(t.areas.is_empty());
}

#[test]
fn court_exports_and_disclosures_follow_the_handling_codes() {
    let policies: Vec<Policy> = HANDLING
        .iter()
        .map(|h| policy("Polisen", *h, SubjectCategory::Suspect, None))
        .collect();
    let mut w = world(policies, standard_agreements());
    let analyst = Principal {
        user: "a".into(),
        org: "Polisen".into(),
        roles: vec![Role::Analyst],
        compartments: vec![],
    };
    let why = Purpose::new("export").unwrap();
    let owners = |rows: Vec<lagesbild_store::LinkRow>| -> BTreeSet<usize> {
        rows.iter()
            .map(|l| l.src.trim_start_matches("own").parse().unwrap())
            .collect()
    };
    let mut a = w.store.access(&analyst, &why);
    // records 0..4 are H0, H1, H2, H3
    assert_eq!(owners(a.links().unwrap()), BTreeSet::from([0, 1, 2, 3]));
    assert_eq!(
        owners(a.links_for(&lagesbild_model::Use::Court).unwrap()),
        BTreeSet::from([0, 2, 3])
    );
    let to_customs = lagesbild_model::Use::Disclosure {
        recipient: "Tullverket".into(),
    };
    // the agreement with customs has no H2 consent: H2 and H3 stay home
    assert_eq!(
        owners(a.links_for(&to_customs).unwrap()),
        BTreeSet::from([0, 1])
    );
    let log = a.audit_log(&lagesbild_store::AuditFilter {
        op: Some("disclose".into()),
        ..Default::default()
    });
    // an analyst may not read the log; the operator may
    assert!(log.is_err());
    let (op, why) = operator();
    let log = w
        .store
        .access(&op, &why)
        .audit_log(&lagesbild_store::AuditFilter {
            op: Some("disclose".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].recipients, ["Tullverket"]);
}
