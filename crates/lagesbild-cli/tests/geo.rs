//! End-to-end tests of the spatio-temporal commands: hotspots, emerging, nearrepeat, trends and
//! intervention on points files, their `--json` summaries, RFC 7946 GeoJSON (closed rings,
//! counter-clockwise exteriors, WGS84), and plain errors with file and line.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lagesbild"))
        .args(args)
        .env("LAGESBILD_USER", "testare")
        .env("LAGESBILD_PURPOSE", "ärende 1")
        .env_remove("LAGESBILD_DATA")
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(&all)).unwrap()
}

/// A deterministic generator for the test data.
struct Lcg(u64);
impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Background events over a 0.2° square near Havsstad for a year, a hot cluster growing over
/// the year, and a category per event.
fn write_points(path: &Path) {
    let mut r = Lcg(7);
    let mut s = String::from("lat,lon,occurred_at,category\n");
    for i in 0..1500 {
        let day = (r.unit() * 364.0) as i64;
        let (lat, lon) = (55.5 + r.unit() * 0.2, 12.9 + r.unit() * 0.2);
        let date = 20_454 + day; // 2026-01-01
        writeln!(
            s,
            "{lat:.5},{lon:.5},{},{}",
            iso(date),
            if i % 3 == 0 { "skjutning" } else { "narkotika" }
        )
        .unwrap();
    }
    for i in 0..600 {
        // more and more often near (55.60, 13.00)
        let day = (364.0 * r.unit().sqrt()) as i64;
        let (lat, lon) = (
            55.60 + (r.unit() - 0.5) * 0.006,
            13.00 + (r.unit() - 0.5) * 0.01,
        );
        writeln!(
            s,
            "{lat:.5},{lon:.5},{},{}",
            iso(20_454 + day),
            if i % 2 == 0 { "skjutning" } else { "narkotika" }
        )
        .unwrap();
    }
    std::fs::write(path, s).unwrap();
}

fn iso(days: i64) -> String {
    // civil from days (Hinnant)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T12:00:00")
}

/// Checks RFC 7946 polygons: WGS84 ranges, closed rings of four or more positions, exterior
/// counter-clockwise.
fn check_geojson(path: &Path) -> Vec<serde_json::Value> {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let features = v["features"].as_array().unwrap().clone();
    assert!(!features.is_empty());
    for f in &features {
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["geometry"]["type"], "Polygon");
        for (k, ring) in f["geometry"]["coordinates"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            let pts: Vec<(f64, f64)> = ring
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
                .collect();
            assert!(pts.len() >= 4 && pts.first() == pts.last());
            assert!(
                pts.iter()
                    .all(|p| (-180.0..=180.0).contains(&p.0) && (-90.0..=90.0).contains(&p.1))
            );
            let area2: f64 = pts
                .windows(2)
                .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
                .sum();
            assert_eq!(area2 > 0.0, k == 0, "right-hand rule");
        }
    }
    features
}

#[test]
fn hotspots_find_the_cluster_and_write_valid_geojson() {
    let dir = tempfile::tempdir().unwrap();
    let points = dir.path().join("p.csv");
    write_points(&points);
    let out = dir.path().join("hot.geojson");
    let p = points.to_str().unwrap();
    let v = json(&[
        "hotspots",
        "--points",
        p,
        "--h3",
        "8",
        "--fdr",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(v["events"], 2100);
    let top = &v["hot"][0];
    assert!((top["lat"].as_f64().unwrap() - 55.60).abs() < 0.01, "{top}");
    assert!((top["lon"].as_f64().unwrap() - 13.00).abs() < 0.01, "{top}");
    assert_eq!(top["bin"], 3);
    let features = check_geojson(&out);
    assert!(features.iter().any(|f| f["properties"]["bin"] == 3));
    // squares, a distance band, permutations, a category filter
    let v = json(&[
        "hotspots",
        "--points",
        p,
        "--grid",
        "500",
        "--distance",
        "750",
        "--permutations",
        "99",
        "--category",
        "skjutning",
    ]);
    assert!(v["events"].as_u64().unwrap() < 2100);
    assert!(v["bins"]["hot99"].as_u64().unwrap() + v["bins"]["hot95"].as_u64().unwrap() > 0);
    // a table for people
    let text = ok(&["hotspots", "--points", p, "--h3", "8", "--top", "3"]);
    assert!(text.contains("hot 99 %"), "{text}");
    // kernel density
    let kde = dir.path().join("kde.geojson");
    let v = json(&[
        "hotspots",
        "--points",
        p,
        "--density",
        "400",
        "--density-cell",
        "200",
        "--out",
        kde.to_str().unwrap(),
    ]);
    assert!((v["peaks"][0]["lat"].as_f64().unwrap() - 55.60).abs() < 0.01);
    check_geojson(&kde);
}

#[test]
fn emerging_sees_the_cluster_grow() {
    let dir = tempfile::tempdir().unwrap();
    let points = dir.path().join("p.csv");
    write_points(&points);
    let out = dir.path().join("em.geojson");
    let v = json(&[
        "emerging",
        "--points",
        points.to_str().unwrap(),
        "--h3",
        "8",
        "--step",
        "month",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(v["steps"], 12);
    let cells = v["cells_with_pattern"].as_array().unwrap();
    let near: Vec<&serde_json::Value> = cells
        .iter()
        .filter(|c| {
            (c["lat"].as_f64().unwrap() - 55.60).abs() < 0.005
                && (c["lon"].as_f64().unwrap() - 13.0).abs() < 0.008
        })
        .collect();
    assert!(!near.is_empty());
    assert!(
        near.iter().any(
            |c| ["intensifying_hot", "persistent_hot", "consecutive_hot"]
                .contains(&c["pattern"].as_str().unwrap())
        ),
        "{near:?}"
    );
    check_geojson(&out);
}

#[test]
fn nearrepeat_on_the_simulated_city() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world");
    ok(&[
        "simulate",
        "--seed",
        "1",
        "--scale",
        "city",
        "--months",
        "12",
        "--out",
        world.to_str().unwrap(),
    ]);
    let inc = world.join("incidents.csv");
    let v = json(&[
        "nearrepeat",
        "--points",
        inc.to_str().unwrap(),
        "--space",
        "200,400,800",
        "--time",
        "14,28",
        "--simulations",
        "999",
    ]);
    let close = &v["bands"][0];
    assert_eq!(close["space"][1], 200.0);
    assert_eq!(close["time"][1], 14.0);
    assert!(
        close["ratio"].as_f64().unwrap() > 2.0 && close["p"].as_f64().unwrap() < 0.05,
        "{close}"
    );
    let text = ok(&["nearrepeat", "--points", inc.to_str().unwrap()]);
    assert!(text.contains("Knox"), "{text}");
}

fn square(name: &str, lat: f64, lon: f64, d: f64) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{{"type":"Polygon","coordinates":[[[{lo0},{la0}],[{lo1},{la0}],[{lo1},{la1}],[{lo0},{la1}],[{lo0},{la0}]]]}}}}"#,
        lo0 = lon,
        lo1 = lon + d,
        la0 = lat,
        la1 = lat + d
    )
}

#[test]
fn intervention_recovers_a_known_effect_and_trends_alert() {
    let dir = tempfile::tempdir().unwrap();
    let areas = dir.path().join("areas.geojson");
    std::fs::write(
        &areas,
        format!(
            r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
            square("Målområdet", 55.60, 13.00, 0.01),
            square("Jämförelse", 55.70, 13.20, 0.01)
        ),
    )
    .unwrap();
    // target: 200 events in the 90 days before 2026-07-01, 100 after; comparison 200 and 200;
    // buffer (just north of the target): 40 before, 60 after
    let mut r = Lcg(3);
    let mut s = String::from("lat,lon,date\n");
    let start = 20_635; // 2026-07-01
    let mut put = |n: usize, lat: f64, lon: f64, before: bool, s: &mut String| {
        for _ in 0..n {
            let day = (r.unit() * 89.0) as i64;
            let d = if before { start - 1 - day } else { start + day };
            let (la, lo) = (lat + r.unit() * 0.01, lon + r.unit() * 0.01);
            writeln!(s, "{la:.6},{lo:.6},{}", &iso(d)[..10]).unwrap();
        }
    };
    put(200, 55.60, 13.00, true, &mut s);
    put(100, 55.60, 13.00, false, &mut s);
    put(200, 55.70, 13.20, true, &mut s);
    put(200, 55.70, 13.20, false, &mut s);
    // the buffer band: 0.002° (220 m) north of the target
    let mut b = Lcg(5);
    for (n, before) in [(40, true), (60, false)] {
        for _ in 0..n {
            let day = (b.unit() * 89.0) as i64;
            let d = if before { start - 1 - day } else { start + day };
            writeln!(
                s,
                "{:.6},{:.6},{}",
                55.6105 + b.unit() * 0.0015,
                13.0 + b.unit() * 0.01,
                &iso(d)[..10]
            )
            .unwrap();
        }
    }
    let points = dir.path().join("p.csv");
    std::fs::write(&points, s).unwrap();
    let p = points.to_str().unwrap();
    let a = areas.to_str().unwrap();
    let v = json(&[
        "intervention",
        "--points",
        p,
        "--areas",
        a,
        "--target",
        "målområdet",
        "--comparison",
        "Jämförelse",
        "--date",
        "2026-07-01",
        "--days",
        "90",
        "--buffer",
        "300",
    ]);
    let e = &v["effect"];
    assert_eq!(e["counts"]["target"], serde_json::json!([200.0, 100.0]));
    assert_eq!(e["counts"]["comparison"], serde_json::json!([200.0, 200.0]));
    assert_eq!(e["counts"]["buffer"], serde_json::json!([40.0, 60.0]));
    assert!((e["rr"].as_f64().unwrap() - 0.5).abs() < 1e-9);
    assert!(e["rr_ci"][1].as_f64().unwrap() < 1.0);
    assert!((e["did"].as_f64().unwrap() + 100.0).abs() < 1e-9);
    // success −0.5, displacement +0.1: WDQ −0.2 (some displacement)
    assert!((e["wdq"].as_f64().unwrap() + 0.2).abs() < 1e-9);
    let text = ok(&[
        "intervention",
        "--points",
        p,
        "--areas",
        a,
        "--target",
        "Målområdet",
        "--comparison",
        "Jämförelse",
        "--date",
        "2026-07-01",
    ]);
    assert!(text.contains("displacement"), "{text}");

    // trends per area: the target's drop after July is an alert below its band
    let v = json(&[
        "trends", "--points", p, "--areas", a, "--by", "month", "--window", "2",
    ]);
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    assert_eq!(groups[1]["group"], "Målområdet");
    let text = ok(&["trends", "--points", p, "--by", "week"]);
    assert!(text.contains("all"), "{text}");
}

#[test]
fn user_mistakes_are_plain_errors_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "lat,lon,date\n55.6,13.0,2026-01-01\n55.6,tretton,2026-01-02\n",
    )
    .unwrap();
    let out = run(&["hotspots", "--points", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.csv, line 3: longitude \"tretton\" is not a number"),
        "{err}"
    );
    let no_time = dir.path().join("nt.csv");
    std::fs::write(&no_time, "lat,lon\n55.6,13.0\n").unwrap();
    let out = run(&["nearrepeat", "--points", no_time.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no time column"));
    let areas = dir.path().join("a.geojson");
    std::fs::write(&areas, r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}}]}"#).unwrap();
    let out = run(&[
        "trends",
        "--points",
        bad.to_str().unwrap(),
        "--areas",
        areas.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let out = run(&[
        "hotspots",
        "--points",
        no_time.to_str().unwrap(),
        "--areas",
        areas.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("feature 1 (\"A\")"), "{err}");
    let out = run(&[
        "hotspots",
        "--points",
        no_time.to_str().unwrap(),
        "--h3",
        "16",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

/// The simulator halves the open scene in its busiest district from mid-year, and moves 30 %
/// of what no longer happens there round the corner; the intervention command, on the
/// partners' observations and the district areas, should find the halving (the true relative
/// effect 0.5 inside its confidence interval) and a displacement (a negative WDQ).
#[test]
fn the_intervention_estimate_finds_the_true_effect_the_simulator_applied() {
    let mut covered = 0;
    let mut report = String::new();
    for seed in ["1", "2", "3"] {
        let dir = tempfile::tempdir().unwrap();
        let world = dir.path().to_str().unwrap();
        ok(&[
            "simulate", "--seed", seed, "--scale", "city", "--months", "12", "--out", world,
        ]);
        let truth: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("truth.json")).unwrap())
                .unwrap();
        let t = &truth["intervention"];
        let mut args = vec![
            "intervention".to_owned(),
            "--points".into(),
            format!("{world}/observations.csv"),
            "--areas".into(),
            format!("{world}/districts.geojson"),
            "--target".into(),
            t["district"].as_str().unwrap().into(),
            "--date".into(),
            t["start"].as_str().unwrap().into(),
            "--days".into(),
            "180".into(),
            "--buffer".into(),
            "400".into(),
        ];
        for c in t["comparisons"].as_array().unwrap() {
            args.push("--comparison".into());
            args.push(c.as_str().unwrap().into());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let e = json(&args)["effect"].clone();
        let truth_rr = 1.0 - t["reduction"].as_f64().unwrap();
        let (rr, lo, hi) = (
            e["rr"].as_f64().unwrap(),
            e["rr_ci"][0].as_f64().unwrap(),
            e["rr_ci"][1].as_f64().unwrap(),
        );
        covered += usize::from(lo <= truth_rr && truth_rr <= hi);
        let wdq = e["wdq"].as_f64().unwrap();
        let _ = writeln!(
            report,
            "seed {seed}: RR {rr:.2} ({lo:.2}–{hi:.2}) against the true {truth_rr}, WDQ {wdq:.2}"
        );
        assert!((rr - truth_rr).abs() < 0.25, "{report}");
        assert!(wdq < 0.0, "displacement not seen: {report}");
    }
    eprintln!("{report}");
    assert!(covered >= 2, "{report}");
}
