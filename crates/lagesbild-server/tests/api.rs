//! The API through `oneshot` requests on the router: every route with every role, the status
//! each gets, the shape of the answers, and that no answer carries a trace of a record the
//! policy engine keeps from the caller. Also sessions, CSRF, tokens, purposes, problems, body
//! and rate limits, and that the OpenAPI document matches the routes.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt as _;

use lagesbild_model::{
    Agreement, Context, Fragment, Grading, Handling, Policy, Principal, Purpose, Record, Role,
    SourceRef, SubjectCategory, visibility,
};
use lagesbild_server::{AppState, Config, ROUTES};
use lagesbild_store::{BatchMeta, Store};

const POLICE: &str = "Polisen Region Syd";
const TOWN: &str = "Malmö stad";
const CUSTOMS: &str = "Tullverket";

/// One record per way of being hidden, each with a marker that must not leak.
struct Secret {
    marker: &'static str,
    policy: Policy,
}

fn policy(org: &str, dataset: &str, cat: SubjectCategory) -> Policy {
    let mut p = Policy::new(org, dataset, "test");
    p.grading = Grading::from_str_lossy("B2");
    p.subject_category = cat;
    p
}

trait Lossy {
    fn from_str_lossy(s: &str) -> Self;
}

impl Lossy for Grading {
    fn from_str_lossy(s: &str) -> Grading {
        s.parse().expect("a grading")
    }
}

fn secrets() -> Vec<Secret> {
    let mut h3 = policy(POLICE, "intel", SubjectCategory::Suspect);
    h3.handling = Handling::H3;
    h3.handling_note = Some("only the case team".into());
    let mut comp = policy(POLICE, "operation", SubjectCategory::Suspect);
    comp.compartment = Some("op-falk".into());
    vec![
        Secret {
            marker: "Suspectsson",
            policy: policy(POLICE, "registers", SubjectCategory::Suspect),
        },
        Secret {
            marker: "Informantsson",
            policy: policy(POLICE, "sources", SubjectCategory::Informant),
        },
        Secret {
            marker: "Vittnesson",
            policy: policy(POLICE, "witnesses", SubjectCategory::Witness),
        },
        Secret {
            marker: "Tullsson",
            policy: policy(CUSTOMS, "customs", SubjectCategory::Suspect),
        },
        Secret {
            marker: "Kommunsson",
            policy: policy(TOWN, "observations", SubjectCategory::None),
        },
        Secret {
            marker: "Hemligsson",
            policy: h3,
        },
        Secret {
            marker: "Falksson",
            policy: comp,
        },
    ]
}

/// The records of a secret: a person with a phone, a payment from them to a shared account
/// holder, and an event with a place and a date in the month of `n`.
fn records(n: usize, s: &Secret) -> Vec<Record> {
    let ctx = Context::default();
    let p = Arc::new(s.policy.clone());
    let mut person = Fragment::new(format!("p{n}"), "Person").unwrap();
    person
        .add("name", &format!("Anna {}", s.marker), &ctx)
        .unwrap();
    person.add("phone", &format!("+4670{n:07}"), &ctx).unwrap();
    let mut pay = Fragment::new(format!("pay{n}"), "Payment").unwrap();
    pay.add("payer", &format!("p{n}"), &ctx).unwrap();
    pay.add("beneficiary", "hub", &ctx).unwrap();
    pay.add("date", &format!("2026-0{}-10", 1 + n % 6), &ctx)
        .unwrap();
    pay.add("description", &format!("swish {}", s.marker), &ctx)
        .unwrap();
    let mut hub = Fragment::new("hub", "Person").unwrap();
    hub.add("name", "Hubert Hubsson", &ctx).unwrap();
    let rec = |line: u64, f: Vec<Fragment>| Record {
        source: SourceRef {
            file: format!("{}.csv", s.marker),
            line,
            offset: line * 10,
        },
        raw: format!("raw {} {line}", s.marker),
        policy: p.clone(),
        fragments: f,
    };
    let mut out = vec![rec(1, vec![person]), rec(2, vec![pay, hub])];
    // events: five a month in one place, so that the aggregate has cells to show
    for k in 0..12 {
        let mut e = Fragment::new(format!("ev{n}-{k}"), "Seizure").unwrap();
        e.add("name", &format!("beslag {}", s.marker), &ctx)
            .unwrap();
        e.add("date", &format!("2026-0{}-{:02}", 1 + k % 3, 1 + k), &ctx)
            .unwrap();
        e.add("latitude", &format!("{}", 55.58 + 0.001 * k as f64), &ctx)
            .unwrap();
        e.add("longitude", "13.02", &ctx).unwrap();
        e.add("place", "Östervång", &ctx).unwrap();
        e.add("substance", "cannabis", &ctx).unwrap();
        out.push(rec(3 + k as u64, vec![e]));
    }
    out
}

struct World {
    _dir: tempfile::TempDir,
    app: Router,
    secrets: Vec<Secret>,
    agreements: Vec<Agreement>,
}

const USERS: [(&str, &str, Role); 8] = [
    ("analytiker", POLICE, Role::Analyst),
    ("utredare", POLICE, Role::Investigator),
    ("falk", POLICE, Role::Investigator),
    ("omrade", POLICE, Role::AreaOfficer),
    ("samband", POLICE, Role::Liaison),
    ("kommun", TOWN, Role::Partner),
    ("revisor", POLICE, Role::Auditor),
    ("admin", POLICE, Role::Administrator),
];

fn principal(name: &str) -> Principal {
    let (user, org, role) = USERS.iter().find(|u| u.0 == name).unwrap();
    Principal {
        user: (*user).to_owned(),
        org: (*org).to_owned(),
        roles: vec![*role],
        compartments: if *user == "falk" {
            vec!["op-falk".to_owned()]
        } else {
            Vec::new()
        },
    }
}

fn world(rate: u32) -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::init(dir.path()).unwrap();
    let op = Principal::operator("setup", POLICE);
    let why = Purpose::new("setup").unwrap();
    let secrets = secrets();
    {
        let mut a = store.access(&op, &why);
        for (n, s) in secrets.iter().enumerate() {
            let meta = BatchMeta {
                dataset: s.policy.dataset.clone(),
                source: format!("{}.csv", s.marker),
                sha256: format!("{n:064}"),
                format: "test".into(),
                org: s.policy.org.clone(),
            };
            a.ingest(
                meta,
                records(n, s)
                    .into_iter()
                    .map(Ok::<_, std::convert::Infallible>),
            )
            .unwrap();
        }
        for (org, kind) in [
            (POLICE, "police"),
            (TOWN, "municipality"),
            (CUSTOMS, "customs"),
        ] {
            a.add_org(org, kind).unwrap();
        }
        for (user, org, role) in USERS {
            a.add_user(user, org, &[role], &format!("pw-{user}-2026"))
                .unwrap();
        }
        a.add_compartment("op-falk", "an operation").unwrap();
        a.grant_compartment("op-falk", "falk").unwrap();
        a.add_agreement(&Agreement {
            id: 0,
            from_org: POLICE.into(),
            to_org: TOWN.into(),
            datasets: Vec::new(),
            h2_consent: false,
            aggregates_only: true,
        })
        .unwrap();
    }
    let agreements = store.access(&op, &why).agreements().unwrap();
    drop(store);
    let mut config = Config::new(dir.path().to_path_buf());
    config.rate = rate;
    config.pool = 2;
    let state = AppState::open(config).unwrap();
    World {
        app: lagesbild_server::app(state),
        _dir: dir,
        secrets,
        agreements,
    }
}

/// A logged-in browser: its cookie and CSRF token.
#[derive(Clone)]
struct Browser {
    cookie: String,
    csrf: String,
}

struct Answer {
    status: StatusCode,
    content_type: String,
    text: String,
    headers: axum::http::HeaderMap,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }
}

async fn send(app: &Router, req: Request<Body>) -> Answer {
    let r = app.clone().oneshot(req).await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = axum::body::to_bytes(r.into_body(), 64 << 20).await.unwrap();
    Answer {
        status,
        content_type,
        text: String::from_utf8_lossy(&bytes).into_owned(),
        headers,
    }
}

fn request(method: &str, uri: &str, who: Option<&Browser>, body: Option<&Value>) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header("x-purpose", "%C3%A4rende%201");
    if let Some(w) = who {
        b = b
            .header(header::COOKIE, format!("lgb_session={}", w.cookie))
            .header("x-csrf-token", &w.csrf);
    }
    match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    }
}

async fn login(app: &Router, user: &str) -> Browser {
    let body = json!({"user": user, "password": format!("pw-{user}-2026")});
    let a = send(app, request("POST", "/api/v1/session", None, Some(&body))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let cookie = a.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let id = cookie
        .trim_start_matches("lgb_session=")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    Browser {
        cookie: id,
        csrf: a.json()["csrf_token"].as_str().unwrap().to_owned(),
    }
}

fn reads_entities(r: Role) -> bool {
    matches!(
        r,
        Role::Analyst | Role::Investigator | Role::AreaOfficer | Role::Liaison | Role::Partner
    )
}

fn reads_stats(r: Role) -> bool {
    reads_entities(r) || matches!(r, Role::Auditor | Role::Administrator)
}

/// Every data route a role may or may not read, with what it should answer.
fn reads(r: Role) -> Vec<(String, StatusCode)> {
    let ok = |yes: bool| {
        if yes {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        }
    };
    let entities = ok(reads_entities(r));
    let combine = ok(matches!(r, Role::Analyst | Role::Investigator));
    vec![
        ("/api/v1/stats".into(), ok(reads_stats(r))),
        ("/api/v1/search?q=Anna".into(), entities),
        ("/api/v1/search?q=swish".into(), entities),
        (
            "/api/v1/search?q=beslag&schema=Seizure&limit=200".into(),
            entities,
        ),
        ("/api/v1/events".into(), entities),
        ("/api/v1/hotspots?h3=9".into(), entities),
        ("/api/v1/emerging?h3=9".into(), entities),
        ("/api/v1/areas".into(), entities),
        ("/api/v1/trends".into(), entities),
        ("/api/v1/aggregate".into(), ok(reads_stats(r))),
        (
            "/api/v1/report?area=%C3%96sterv%C3%A5ng&from=2026-01&to=2026-06".into(),
            entities,
        ),
        ("/api/v1/review".into(), combine),
        ("/api/v1/audit".into(), ok(matches!(r, Role::Auditor))),
        (
            "/api/v1/audit/verify".into(),
            ok(matches!(r, Role::Auditor)),
        ),
    ]
}

#[tokio::test]
async fn every_role_on_every_route_sees_only_what_the_policy_lets_through() {
    let w = world(0);
    for (user, _, role) in USERS {
        let who = principal(user);
        let b = login(&w.app, user).await;
        let hidden: Vec<&str> = w
            .secrets
            .iter()
            .filter(|s| visibility::decide(&who, &s.policy, &w.agreements).is_none())
            .map(|s| s.marker)
            .collect();
        let shown: Vec<&str> = w
            .secrets
            .iter()
            .filter(|s| visibility::decide(&who, &s.policy, &w.agreements).is_some())
            .map(|s| s.marker)
            .collect();
        let mut routes = reads(role);
        // entity pages, neighbourhoods, networks and paths of every secret's person
        for n in 0..w.secrets.len() {
            let yes = if reads_entities(role) {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            let visible = shown.contains(&w.secrets[n].marker);
            let page = if !reads_entities(role) {
                StatusCode::FORBIDDEN
            } else if visible {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            routes.push((format!("/api/v1/entities/p{n}"), page));
            routes.push((format!("/api/v1/entities/p{n}/neighbours"), page));
            routes.push((format!("/api/v1/entities/pay{n}"), page));
            let _ = yes;
        }
        let mut seen_text = String::new();
        for (uri, want) in &routes {
            let a = send(&w.app, request("GET", uri, Some(&b), None)).await;
            assert_eq!(a.status, *want, "{user} GET {uri}: {}", a.text);
            if a.status.is_success() {
                assert!(
                    a.content_type.starts_with("application/json")
                        || a.content_type.starts_with("text/html"),
                    "{uri}"
                );
                seen_text.push_str(&a.text);
            } else {
                assert_eq!(a.content_type, "application/problem+json", "{uri}");
                let p = a.json();
                assert_eq!(p["status"], a.status.as_u16(), "{uri}");
                assert!(p["type"].as_str().unwrap().starts_with("https://"));
            }
            for m in &hidden {
                assert!(
                    !a.text.contains(m),
                    "{user} GET {uri} leaks {m}: {}",
                    &a.text[..a.text.len().min(400)]
                );
            }
        }
        // a network of every person and a path through the hub: nothing hidden either
        let ids: Vec<String> = (0..w.secrets.len()).map(|n| format!("p{n}")).collect();
        let net = send(
            &w.app,
            request(
                "POST",
                "/api/v1/network",
                Some(&b),
                Some(&json!({"ids": ids})),
            ),
        )
        .await;
        let path = send(
            &w.app,
            request("GET", "/api/v1/path?from=p0&to=hub", Some(&b), None),
        )
        .await;
        for a in [&net, &path] {
            for m in &hidden {
                assert!(!a.text.contains(m), "{user}: network or path leaks {m}");
            }
        }
        if reads_entities(role) {
            assert_eq!(net.status, StatusCode::OK, "{user}: {}", net.text);
            seen_text.push_str(&net.text);
            // what one may see is there: in search, pages and events
            for m in &shown {
                assert!(seen_text.contains(m), "{user} never saw {m}");
            }
        } else {
            assert_eq!(net.status, StatusCode::FORBIDDEN, "{user}");
            assert_eq!(path.status, StatusCode::FORBIDDEN, "{user}");
        }
    }
}

#[tokio::test]
async fn the_partner_files_an_observation_and_sees_it_counted_never_the_records() {
    let w = world(0);
    let b = login(&w.app, "kommun").await;
    let before = send(&w.app, request("GET", "/api/v1/aggregate", Some(&b), None)).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.text);
    let total = |v: &Value| v["table"]["grand_total"].as_u64();
    let t0 = total(&before.json());
    let obs = json!({"category": "öppen försäljning", "lat": 55.5801, "lon": 13.0201,
        "observed_at": "2026-02-03T21:30", "certainty": "sure", "place": "Östervång",
        "description": "tre personer säljer vid busshållplatsen"});
    // without the CSRF token: refused
    let mut no_csrf = b.clone();
    no_csrf.csrf = "wrong".into();
    let a = send(
        &w.app,
        request("POST", "/api/v1/observations", Some(&no_csrf), Some(&obs)),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = send(
        &w.app,
        request("POST", "/api/v1/observations", Some(&b), Some(&obs)),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let id = a.json()["entity_id"].as_str().unwrap().to_owned();
    let after = send(&w.app, request("GET", "/api/v1/aggregate", Some(&b), None)).await;
    let t1 = total(&after.json());
    assert_eq!(
        t1.unwrap_or(0),
        t0.unwrap_or(0) + 1,
        "{} → {}",
        before.text,
        after.text
    );
    // its own observation it may open; the police's records it may not
    let own = send(
        &w.app,
        request("GET", &format!("/api/v1/entities/{id}"), Some(&b), None),
    )
    .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text);
    assert!(own.text.contains("busshållplatsen"));
    assert!(own.text.contains("\"org\":\"Malmö stad\""));
    let police = send(
        &w.app,
        request("GET", "/api/v1/entities/p0", Some(&b), None),
    )
    .await;
    assert_eq!(police.status, StatusCode::NOT_FOUND);
    // the analyst does not see the municipality's record (no records agreement), the auditor
    // sees that the partner filed it
    let r = login(&w.app, "revisor").await;
    let log = send(
        &w.app,
        request(
            "GET",
            "/api/v1/audit?user=kommun&op=collect",
            Some(&r),
            None,
        ),
    )
    .await;
    assert_eq!(log.status, StatusCode::OK);
    let entries = log.json()["entries"].as_array().unwrap().clone();
    assert!(
        entries
            .iter()
            .any(|e| e["user"] == "kommun" && e["op"] == "collect"),
        "{}",
        log.text
    );
    // bad observations are refused with the field named
    for (field, bad) in [
        (
            "lat",
            json!({"category": "x", "lat": 95.0, "lon": 13.0, "observed_at": "2026-02-03", "certainty": "sure"}),
        ),
        (
            "certainty",
            json!({"category": "x", "lat": 55.0, "lon": 13.0, "observed_at": "2026-02-03", "certainty": "maybe"}),
        ),
        (
            "observed_at",
            json!({"category": "x", "lat": 55.0, "lon": 13.0, "observed_at": "igår", "certainty": "sure"}),
        ),
        (
            "category",
            json!({"category": " ", "lat": 55.0, "lon": 13.0, "observed_at": "2026-02-03", "certainty": "sure"}),
        ),
    ] {
        let a = send(
            &w.app,
            request("POST", "/api/v1/observations", Some(&b), Some(&bad)),
        )
        .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{field}: {}", a.text);
        assert!(
            a.json()["detail"].as_str().unwrap().contains(field),
            "{}",
            a.text
        );
    }
}

#[tokio::test]
async fn an_auditor_sees_who_opened_an_entity_and_why() {
    let w = world(0);
    let b = login(&w.app, "analytiker").await;
    let a = send(
        &w.app,
        request("GET", "/api/v1/entities/p0", Some(&b), None),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    let e = a.json();
    assert_eq!(e["caption"], "Anna Suspectsson");
    assert_eq!(e["statements"][0]["policy"]["org"], POLICE);
    let r = login(&w.app, "revisor").await;
    let log = send(
        &w.app,
        request("GET", "/api/v1/audit?entity=p0", Some(&r), None),
    )
    .await;
    let entries = log.json()["entries"].as_array().unwrap().clone();
    let e = entries
        .iter()
        .find(|e| e["user"] == "analytiker" && e["op"] == "consult")
        .unwrap_or_else(|| panic!("{}", log.text));
    assert_eq!(e["purpose"], "ärende 1");
    let v = send(
        &w.app,
        request("GET", "/api/v1/audit/verify", Some(&r), None),
    )
    .await;
    assert_eq!(v.json()["ok"], true);
}

#[tokio::test]
async fn sessions_purposes_tokens_and_problems() {
    let w = world(0);
    // wrong password: 401 as a problem, no cookie
    let a = send(
        &w.app,
        request(
            "POST",
            "/api/v1/session",
            None,
            Some(&json!({"user": "analytiker", "password": "nej"})),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.content_type, "application/problem+json");
    assert!(a.headers.get(header::SET_COOKIE).is_none());
    // no login
    let a = send(&w.app, request("GET", "/api/v1/stats", None, None)).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    // no purpose: 428, then set for the session
    let b = login(&w.app, "analytiker").await;
    let bare = Request::builder()
        .uri("/api/v1/search?q=Anna")
        .header(header::COOKIE, format!("lgb_session={}", b.cookie))
        .body(Body::empty())
        .unwrap();
    let a = send(&w.app, bare).await;
    assert_eq!(a.status, StatusCode::PRECONDITION_REQUIRED);
    assert!(
        a.json()["type"]
            .as_str()
            .unwrap()
            .ends_with("purpose-required")
    );
    let a = send(
        &w.app,
        request(
            "PUT",
            "/api/v1/session/purpose",
            Some(&b),
            Some(&json!({"purpose": "ärende 2"})),
        ),
    )
    .await;
    assert_eq!(a.json()["purpose"], "ärende 2");
    let bare = Request::builder()
        .uri("/api/v1/search?q=Anna")
        .header(header::COOKIE, format!("lgb_session={}", b.cookie))
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&w.app, bare).await.status, StatusCode::OK);
    // logout ends the session
    let a = send(&w.app, request("DELETE", "/api/v1/session", Some(&b), None)).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    let a = send(&w.app, request("GET", "/api/v1/session", Some(&b), None)).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    // unknown routes and methods are problems too
    let a = send(&w.app, request("GET", "/api/v1/nothing", None, None)).await;
    assert_eq!(
        (a.status, a.content_type.as_str()),
        (StatusCode::NOT_FOUND, "application/problem+json")
    );
    let a = send(&w.app, request("PATCH", "/api/v1/stats", None, None)).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    // a malformed body and one too large
    let b = login(&w.app, "analytiker").await;
    let bad = Request::builder()
        .method("POST")
        .uri("/api/v1/network")
        .header(header::COOKIE, format!("lgb_session={}", b.cookie))
        .header("x-csrf-token", &b.csrf)
        .header("x-purpose", "test")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"ids\": [\"a\", "))
        .unwrap();
    let a = send(&w.app, bad).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text);
    assert_eq!(a.content_type, "application/problem+json");
    let huge = json!({"ids": vec!["x".repeat(1000); 2000]});
    let a = send(
        &w.app,
        request("POST", "/api/v1/network", Some(&b), Some(&huge)),
    )
    .await;
    assert_eq!(
        a.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        &a.text[..a.text.len().min(300)]
    );
    // the web app's pages carry a content security policy
    let a = send(&w.app, request("GET", "/", None, None)).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.headers.get(header::CONTENT_SECURITY_POLICY).is_some());
}

#[tokio::test]
async fn tokens_read_and_write_as_scoped() {
    let w = world(0);
    // tokens are made by an administrator through the store
    let dir = w._dir.path().to_path_buf();
    let mut store = Store::open(&dir).unwrap();
    let op = Principal::operator("setup", POLICE);
    let why = Purpose::new("setup").unwrap();
    let (read, _) = store
        .access(&op, &why)
        .create_token("kommun", "read", "2099-01-01T00:00:00Z")
        .unwrap();
    let (write, _) = store
        .access(&op, &why)
        .create_token("kommun", "read,write", "2099-01-01T00:00:00Z")
        .unwrap();
    drop(store);
    let obs = json!({"category": "langning", "lat": 55.58, "lon": 13.02,
        "observed_at": "2026-02-03T21:30", "certainty": "probable"});
    let with = |token: &str, method: &str, uri: &str, body: Option<&Value>| {
        let mut b = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header("x-purpose", "maskin");
        if body.is_some() {
            b = b.header(header::CONTENT_TYPE, "application/json");
        }
        b.body(body.map_or_else(Body::empty, |v| Body::from(v.to_string())))
            .unwrap()
    };
    let a = send(&w.app, with(&read, "GET", "/api/v1/aggregate", None)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let a = send(
        &w.app,
        with(&read, "POST", "/api/v1/observations", Some(&obs)),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text);
    let a = send(
        &w.app,
        with(&write, "POST", "/api/v1/observations", Some(&obs)),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let a = send(&w.app, with("lgb_0000", "GET", "/api/v1/aggregate", None)).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn requests_beyond_the_rate_wait() {
    let w = world(2);
    let b = login(&w.app, "analytiker").await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(send(&w.app, request("GET", "/api/v1/stats", Some(&b), None)).await);
    }
    let limited: Vec<&Answer> = statuses
        .iter()
        .filter(|a| a.status == StatusCode::TOO_MANY_REQUESTS)
        .collect();
    assert!(!limited.is_empty());
    assert!(limited[0].headers.get(header::RETRY_AFTER).is_some());
    assert!(statuses[0].status.is_success());
}

#[tokio::test]
async fn the_openapi_document_matches_the_routes() {
    let w = world(0);
    let a = send(&w.app, request("GET", "/api/v1/openapi.json", None, None)).await;
    assert_eq!(a.status, StatusCode::OK);
    let doc = a.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    let routed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_owned(), format!("/api/v1{}", r.path)))
        .collect();
    assert_eq!(documented, routed);
    // each documented operation reaches its handler: never the router's 404 or 405
    for (method, path) in &documented {
        let uri = path.replace("{id}", "1");
        let a = send(&w.app, request(&method.to_uppercase(), &uri, None, None)).await;
        assert!(
            a.status != StatusCode::METHOD_NOT_ALLOWED
                && !(a.status == StatusCode::NOT_FOUND && a.text.contains("no such route")),
            "{method} {path}: {} {}",
            a.status,
            a.text
        );
        // every $ref names a schema that exists
        let op = &doc["paths"][path][method];
        for r in op.to_string().split("#/components/schemas/").skip(1) {
            let name: String = r.chars().take_while(|c| c.is_alphanumeric()).collect();
            assert!(
                doc["components"]["schemas"].get(&name).is_some(),
                "{path}: {name}"
            );
        }
    }
    let page = send(&w.app, request("GET", "/api/v1/docs", None, None)).await;
    assert!(page.text.contains("/api/v1/entities/{id}/neighbours"));
    let health = send(&w.app, request("GET", "/api/v1/healthz", None, None)).await;
    assert_eq!(health.status, StatusCode::OK);
    let ready = send(&w.app, request("GET", "/api/v1/readyz", None, None)).await;
    assert_eq!(ready.status, StatusCode::OK);
}
