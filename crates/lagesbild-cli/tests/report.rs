//! `lagesbild report` on a simulated town: the sections are there, the figures agree with
//! `lagesbild aggregate`, the partner version holds none of the people, and --pdf without
//! Chromium is a plain error.

use std::path::Path;
use std::process::{Command, Output};

fn run(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lagesbild"));
    c.arg("--data")
        .arg(data)
        .args(args)
        .env("LAGESBILD_USER", "analytiker")
        .env("LAGESBILD_PURPOSE", "samverkansmöte")
        .env_remove("LAGESBILD_DATA")
        .env_remove("CHROMIUM");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn ok(data: &Path, args: &[&str]) -> String {
    let out = run(data, args, &[]);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A simulated town, ingested; entity resolution merges what shares an identifier, so that
/// the seizures' suspects join their phones and payments in the network.
fn town(dir: &Path) -> std::path::PathBuf {
    let world = dir.join("world");
    let data = dir.join("store");
    let w = world.to_str().unwrap();
    ok(
        &data,
        &[
            "simulate", "--seed", "1", "--scale", "town", "--months", "12", "--out", w,
        ],
    );
    ok(&data, &["init"]);
    let mut args = vec![
        "-q",
        "ingest",
        "--org",
        "Polisen Region Syd",
        "--grading",
        "B2",
    ];
    let files: Vec<String> = std::fs::read_dir(&world)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .map(|p| p.display().to_string())
        .collect();
    args.extend(files.iter().map(String::as_str));
    ok(&data, &args);
    ok(&data, &["-q", "resolve", "--merge-above", "0.9"]);
    world
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap()
}

#[test]
fn report_on_a_simulated_town() {
    let dir = tempfile::tempdir().unwrap();
    let world = town(dir.path());
    let data = dir.path().join("store");
    let areas = world.join("districts.geojson");
    let html_path = dir.path().join("lägesbild.html");
    let out = json(&ok(
        &data,
        &[
            "--json",
            "report",
            "--area",
            "östervång",
            "--from",
            "2026-07",
            "--to",
            "2026-12",
            "--areas",
            areas.to_str().unwrap(),
            "--out",
            html_path.to_str().unwrap(),
        ],
    ));
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert_eq!(out["bytes"].as_u64().unwrap() as usize, html.len());
    for section in [
        "id=\"summary\"",
        "id=\"map\"",
        "id=\"trends\"",
        "id=\"networks\"",
        "id=\"hotspots\"",
        "id=\"observations\"",
        "id=\"estimates\"",
        "id=\"sources\"",
    ] {
        assert!(html.contains(section), "{section}");
    }
    for label in [
        "Sammanfattning",
        "Karta",
        "Brännpunkter",
        "Källor och bedömning",
    ] {
        assert!(html.contains(label), "{label}");
    }
    assert!(html.contains("Östervång (polygon i områdesfilen)"));
    assert!(html.contains("class=\"event\""), "events on the map");
    assert!(html.contains("class=\"network\""), "a network drawing");
    assert!(!html.contains("<script"));
    assert_eq!(out["meta"]["from"], "2026-07-01");
    assert_eq!(out["meta"]["previous_from"], "2026-01-01");
    assert_eq!(out["meta"]["user"], "analytiker");
    assert_eq!(out["meta"]["purpose"], "samverkansmöte");
    // the simulator's reports carry H2 material; the seizures' suspects are in them
    assert_eq!(out["classification"], "H2");

    // the figures of the place agree with `lagesbild aggregate` (which counts by place)
    let agg = |from: &str, to: &str| -> u64 {
        let t = json(&ok(
            &data,
            &[
                "--json",
                "aggregate",
                "--from",
                from,
                "--to",
                to,
                "--k",
                "1",
            ],
        ));
        let row = t["areas"]
            .as_array()
            .unwrap()
            .iter()
            .position(|a| a == "Östervång")
            .unwrap();
        t["table"]["row_totals"][row].as_u64().unwrap()
    };
    let by_place = json(&ok(
        &data,
        &[
            "--json",
            "report",
            "--area",
            "Östervång",
            "--from",
            "2026-07",
            "--to",
            "2026-12",
            "--out",
            dir.path().join("plats.html").to_str().unwrap(),
        ],
    ));
    let total = &by_place["summary"]["total"];
    let current = agg("2026-07", "2026-12");
    assert!(current > 50, "the busiest district has events: {current}");
    assert_eq!(total["current"].as_u64().unwrap(), current);
    assert_eq!(
        total["previous"].as_u64().unwrap(),
        agg("2026-01", "2026-06")
    );
    let kinds: u64 = by_place["summary"]["by_schema"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["current"].as_u64().unwrap())
        .sum();
    assert_eq!(kinds, current);
    // the observations table holds the period's observations, and its total is theirs
    let obs = &by_place["observations"];
    let observed = by_place["summary"]["by_schema"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["label"] == "Observation")
        .unwrap()["current"]
        .clone();
    assert_eq!(obs["grand_total"], observed);
    assert_eq!(obs["months"].as_array().unwrap().len(), 6);

    // the partner version: the same total where it is published, none of the people
    let partner_path = dir.path().join("partner.html");
    let partner = json(&ok(
        &data,
        &[
            "--json",
            "report",
            "--partner",
            "--area",
            "Östervång",
            "--from",
            "2026-07",
            "--to",
            "2026-12",
            "--areas",
            areas.to_str().unwrap(),
            "--lang",
            "en",
            "--out",
            partner_path.to_str().unwrap(),
        ],
    ));
    assert_eq!(partner["partner"], true);
    let observed_partner = partner["summary"]["by_schema"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["label"] == "Observation")
        .unwrap()["current"]
        .clone();
    assert_eq!(observed_partner, observed, "≥ k, so published and equal");
    let html = std::fs::read_to_string(&partner_path).unwrap();
    assert!(html.contains("PARTNER VERSION"));
    assert!(!html.contains("class=\"event\"") && !html.contains("class=\"network\""));
    let seizures = std::fs::read_to_string(world.join("seizures.csv")).unwrap();
    let mut people = 0;
    for line in seizures.lines().skip(1).filter(|l| l.contains("Östervång")) {
        // suspect_name, born, personnummer, phone are the last four columns
        let cols: Vec<&str> = line.rsplitn(5, ',').collect();
        for value in &cols[..4] {
            if value.len() > 5 {
                assert!(!html.contains(value), "{value} in the partner version");
                people += 1;
            }
        }
    }
    assert!(people > 10, "the search had something to look for");
}

#[test]
fn report_errors_are_plain() {
    let dir = tempfile::tempdir().unwrap();
    let world = town(dir.path());
    let data = dir.path().join("store");
    let out = run(
        &data,
        &[
            "report", "--area", "Atlantis", "--from", "2026-07", "--to", "2026-12", "--out",
            "x.html",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no area \"Atlantis\"") && err.contains("Kvarnby"),
        "{err}"
    );
    let html = dir.path().join("r.html");
    let pdf = dir.path().join("r.pdf");
    let out = run(
        &data,
        &[
            "report",
            "--area",
            "Kvarnby",
            "--from",
            "2026-10",
            "--to",
            "2026-12",
            "--areas",
            world.join("districts.geojson").to_str().unwrap(),
            "--out",
            html.to_str().unwrap(),
            "--pdf",
            pdf.to_str().unwrap(),
        ],
        &[("CHROMIUM", "/nonexistent/chromium")],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--pdf needs Chromium"), "{err}");
    assert!(html.is_file(), "the HTML is written all the same");
    // with Chromium on the machine, a PDF
    if Path::new("/usr/bin/chromium").is_file() {
        let out = run(
            &data,
            &[
                "report",
                "--area",
                "Kvarnby",
                "--from",
                "2026-10",
                "--to",
                "2026-12",
                "--out",
                html.to_str().unwrap(),
                "--pdf",
                pdf.to_str().unwrap(),
            ],
            &[],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF"));
    }
}
