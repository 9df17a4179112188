//! `lagesbild link` and `lagesbild dedupe` on CSV files: columns recognised from Swedish and
//! English headers, matches and clusters written as CSV, explanations, and clear errors for bad
//! input (missing columns, an empty file, Latin-1 bytes).

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lagesbild"))
        .current_dir(dir)
        .args(args)
        .env_remove("LAGESBILD_DATA")
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Fails with exit code 1 and a message on stderr that contains every one of `needles`.
fn fails(dir: &Path, args: &[&str], needles: &[&str]) {
    let out = run(dir, args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: '{n}' not in: {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

const PEOPLE: &str = "\
löpnr;Förnamn;Efternamn;Född;Telefon;Adress;Postnummer;Ort
1;Yusuf;Jansson;1994-03-12;070-111 22 33;;;
2;JANSSON;YUSUF;12.03.1994;;;;
3;Amira;Karlsson;2001-05-04;08-123 456 78;Storgatan 12;123 45;Södertälje
4;Selma;Karlsson;2001-05-05;08-123 456 78;Storgatan 12;123 45;Södertälje
5;Anna;Andersson;1980-01-01;;;;
6;Anna;Andersson;1992-07-14;;;;
7;Åsa;Öberg;1975-12-24;;;;
8;ASA;OEBERG;1975-12-24;;;;
";

fn clusters(csv: &str) -> std::collections::HashMap<String, String> {
    csv.lines()
        .skip(1)
        .map(|l| {
            let (a, b) = l.split_once(',').unwrap();
            (a.to_owned(), b.to_owned())
        })
        .collect()
}

#[test]
fn dedupe_recognises_swedish_headers_and_clusters() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("people.csv"), PEOPLE).unwrap();
    ok(
        dir.path(),
        &[
            "dedupe",
            "people.csv",
            "--out",
            "clusters.csv",
            "--pairs",
            "pairs.csv",
        ],
    );
    let out = std::fs::read_to_string(dir.path().join("clusters.csv")).unwrap();
    assert!(out.starts_with("id,cluster_id\n"), "{out}");
    let c = clusters(&out);
    assert_eq!(c.len(), 8);
    assert_eq!(c["1"], c["2"], "{out}");
    assert_eq!(c["7"], c["8"], "{out}");
    assert_ne!(c["3"], c["4"], "twins: {out}");
    assert_ne!(c["5"], c["6"], "common name: {out}");
    let pairs = std::fs::read_to_string(dir.path().join("pairs.csv")).unwrap();
    assert!(
        pairs.starts_with("id_1,id_2,match_probability,match_weight,key\n"),
        "{pairs}"
    );
    assert!(pairs.contains("\n1,2,"), "{pairs}");
    // to standard output without --out
    let stdout = ok(dir.path(), &["dedupe", "people.csv", "-q"]);
    assert_eq!(clusters(&stdout), c);
}

#[test]
fn link_writes_pairs_across_two_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("left.csv"),
        "id,first_name,last_name,birth_date,phone\n\
         a1,Yusuf,Jansson,1994-03-12,0701112233\n\
         a2,Karin,Lind,1960-02-02,\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("right.csv"),
        "person_id,name,born\n\
         b1,JANSSON YUSUF,1994-03-12\n\
         b2,Erik Holm,1950-01-01\n",
    )
    .unwrap();
    ok(
        dir.path(),
        &["link", "left.csv", "right.csv", "--out", "pairs.csv"],
    );
    let pairs = std::fs::read_to_string(dir.path().join("pairs.csv")).unwrap();
    let lines: Vec<&str> = pairs.lines().collect();
    assert_eq!(
        lines[0],
        "left_id,right_id,match_probability,match_weight,key"
    );
    assert_eq!(lines.len(), 2, "{pairs}");
    assert!(lines[1].starts_with("a1,b1,"), "{pairs}");
}

#[test]
fn explain_prints_the_waterfall_and_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("people.csv"), PEOPLE).unwrap();
    let text = ok(dir.path(), &["dedupe", "people.csv", "--explain", "1", "2"]);
    assert!(text.contains("first and last name swapped"), "{text}");
    assert!(text.contains("birth_date"), "{text}");
    assert!(text.contains(": match"), "{text}");
    let text = ok(dir.path(), &["dedupe", "people.csv", "--explain", "3", "4"]);
    assert!(text.contains("no match"), "{text}");
    let json = ok(
        dir.path(),
        &["--json", "dedupe", "people.csv", "--explain", "1", "2"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["is_match"], true);
    let sum: f64 = v["prior_weight"].as_f64().unwrap()
        + v["contributions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["weight"].as_f64().unwrap())
            .sum::<f64>();
    assert!((sum - v["match_weight"].as_f64().unwrap()).abs() < 1e-9);
    fails(
        dir.path(),
        &["dedupe", "people.csv", "--explain", "1", "99"],
        &["no record with id '99'"],
    );
}

#[test]
fn a_mapping_names_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("odd.csv"),
        "nr,f,e,d\n1,Yusuf,Jansson,1994-03-12\n2,Yusuf,Janson,1994-03-12\n",
    )
    .unwrap();
    fails(
        dir.path(),
        &["dedupe", "odd.csv"],
        &[
            "odd.csv",
            "no column gives a name",
            "nr, f, e, d",
            "--mapping",
        ],
    );
    std::fs::write(
        dir.path().join("map.yml"),
        "id: nr\nfirst_name: f\nlast_name: e\nbirth_date: d\n",
    )
    .unwrap();
    let out = ok(dir.path(), &["dedupe", "odd.csv", "--mapping", "map.yml"]);
    let c = clusters(&out);
    assert_eq!(c["1"], c["2"], "{out}");
    std::fs::write(dir.path().join("bad.yml"), "first_name: förnamn\n").unwrap();
    fails(
        dir.path(),
        &["dedupe", "odd.csv", "--mapping", "bad.yml"],
        &["odd.csv", "förnamn", "no such column"],
    );
}

#[test]
fn bad_input_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.csv"), "").unwrap();
    fails(
        dir.path(),
        &["dedupe", "empty.csv"],
        &["empty.csv", "empty"],
    );
    std::fs::write(dir.path().join("header.csv"), "id,name\n").unwrap();
    fails(
        dir.path(),
        &["dedupe", "header.csv"],
        &["header.csv", "no records"],
    );
    // Latin-1 bytes: "Åsa Öberg" written by an old system
    let mut latin = b"id,name\n1,Erik Holm\n2,".to_vec();
    latin.extend_from_slice(&[0xC5, b's', b'a', b' ', 0xD6, b'b', b'e', b'r', b'g', b'\n']);
    std::fs::write(dir.path().join("latin.csv"), &latin).unwrap();
    fails(
        dir.path(),
        &["dedupe", "latin.csv"],
        &["latin.csv line 3", "not UTF-8", "--encoding latin-1"],
    );
    ok(
        dir.path(),
        &["dedupe", "latin.csv", "--encoding", "latin-1"],
    );
    std::fs::write(
        dir.path().join("ragged.csv"),
        "id,name\n1,Erik Holm\n2,Åsa,extra\n",
    )
    .unwrap();
    fails(
        dir.path(),
        &["dedupe", "ragged.csv"],
        &["ragged.csv line 3"],
    );
    fails(dir.path(), &["dedupe", "missing.csv"], &["missing.csv"]);
    fails(
        dir.path(),
        &["dedupe", "ragged.csv", "--threshold", "2"],
        &["--threshold"],
    );
}
