//! End-to-end tests of the `lagesbild` binary: exit codes, atomic ingest as the user sees it,
//! and an audit entry with principal and purpose for every command that reads entities.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/sample")
        .join(name)
}

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lagesbild"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env("LAGESBILD_USER", "testare")
        .env("LAGESBILD_PURPOSE", "ärende 1")
        .env_remove("LAGESBILD_DATA")
        .output()
        .unwrap()
}

fn ok(data: &Path, args: &[&str]) -> String {
    let out = run(data, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Ingests the sample FtM entities as the dataset `chats`; returns what the command printed.
fn ingest_chats(data: &Path) -> String {
    let file = sample("entities.ftm.jsonl");
    ok(
        data,
        &[
            "ingest",
            "--org",
            "Polisen",
            "--dataset",
            "chats",
            file.to_str().unwrap(),
        ],
    )
}

fn loaded() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    ok(&data, &["init"]);
    let csv = sample("seizures.csv");
    let map = sample("seizures.yml");
    ok(
        &data,
        &[
            "ingest",
            "--org",
            "Polisen",
            "--mapping",
            map.to_str().unwrap(),
            csv.to_str().unwrap(),
        ],
    );
    ingest_chats(&data);
    dir
}

fn audit(data: &Path) -> Vec<serde_json::Value> {
    let out = ok(data, &["--json", "audit", "log", "-n", "100000"]);
    serde_json::from_str(&out).unwrap()
}

#[test]
fn every_command_that_reads_entities_is_logged_with_who_and_why() {
    let dir = loaded();
    let data = dir.path().join("store");
    let commands: &[&[&str]] = &[
        &["search", "nilsson"],
        &["--json", "search", "kokain", "--schema", "Seizure"],
        &["show", "lina-ek"],
        &["--json", "show", "adam-tg"],
        &["stats"],
        &["audit", "log"],
        &["audit", "verify"],
        &["reindex"],
        &["graph", "metrics"],
        &["--json", "graph", "communities"],
        &["graph", "ego", "lina-ek"],
        &["graph", "disrupt", "--top", "1", "--trials", "2"],
    ];
    for cmd in commands {
        let before = audit(&data).len();
        ok(&data, cmd);
        let after = audit(&data);
        // the command's own entry (the `audit log` used to look adds one more)
        assert_eq!(after.len(), before + 2, "{cmd:?} left no entry");
        let entry = &after[after.len() - 2];
        assert_eq!(entry["user"], "testare", "{cmd:?}");
        assert_eq!(entry["purpose"], "ärende 1", "{cmd:?}");
    }
    let shown = audit(&data);
    assert!(
        shown.iter().any(|e| e["detail"] == "show"
            && e["ids"].as_array().unwrap().iter().any(|i| i == "lina-ek"))
    );
}

#[test]
fn graph_commands_on_an_edge_list_and_their_exports() {
    let dir = tempfile::tempdir().unwrap();
    let edges = dir.path().join("edges.csv");
    std::fs::write(
        &edges,
        "source,target,weight,time\na,b,1,2026-01-05\nb,c,1,2026-02-01\nc,a,1,2026-02-03\nc,d,2,2026-03-01\nd,e,1,2026-03-02\n",
    )
    .unwrap();
    let data = dir.path().join("store");
    let e = edges.to_str().unwrap();
    let out: serde_json::Value =
        serde_json::from_str(&ok(&data, &["--json", "graph", "metrics", "--edges", e])).unwrap();
    assert_eq!(out["nodes"], 5);
    assert_eq!(out["bridges"], 2);
    let paths: serde_json::Value = serde_json::from_str(&ok(
        &data,
        &["--json", "graph", "path", "a", "e", "--edges", e],
    ))
    .unwrap();
    assert_eq!(paths[0]["nodes"], serde_json::json!(["a", "c", "d", "e"]));
    // a time window keeps only March's edges
    let march: serde_json::Value = serde_json::from_str(&ok(
        &data,
        &[
            "--json",
            "graph",
            "metrics",
            "--edges",
            e,
            "--from",
            "2026-03-01",
        ],
    ))
    .unwrap();
    assert_eq!(march["components"], 3);
    for (format, needle) in [
        ("gexf", "<gexf"),
        ("graphml", "<graphml"),
        ("i2", "Entity1 ID"),
    ] {
        let file = dir.path().join(format!("out.{format}"));
        ok(
            &data,
            &[
                "graph",
                "export",
                "--edges",
                e,
                "--format",
                format,
                "--out",
                file.to_str().unwrap(),
            ],
        );
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(needle), "{format}");
        assert!(text.contains("community"), "{format}");
    }
    // two slices: what changed at March
    let change: serde_json::Value = serde_json::from_str(&ok(
        &data,
        &[
            "--json",
            "graph",
            "change",
            "--edges",
            e,
            "--split",
            "2026-03-01",
        ],
    ))
    .unwrap();
    assert_eq!(change["new_edges"], 2);
    assert_eq!(change["vanished_edges"], 3);
    assert_eq!(change["new_nodes"], 2);
    // a bad row names its line
    std::fs::write(&edges, "source,target,weight\na,b,x\n").unwrap();
    let bad = run(&data, &["graph", "metrics", "--edges", e]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("line 2"));
}

#[test]
fn reading_without_a_purpose_is_refused() {
    let dir = loaded();
    let data = dir.path().join("store");
    let out = Command::new(env!("CARGO_BIN_EXE_lagesbild"))
        .args([
            "--data",
            data.to_str().unwrap(),
            "--user",
            "x",
            "show",
            "lina-ek",
        ])
        .env_remove("LAGESBILD_PURPOSE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--purpose"));
}

#[test]
fn a_bad_line_fails_the_file_and_changes_nothing() {
    let dir = loaded();
    let data = dir.path().join("store");
    let stats = ok(&data, &["--json", "stats"]);
    let bad = dir.path().join("bad.jsonl");
    let good =
        "{\"id\": \"n1\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Ny Person\"]}}\n";
    std::fs::write(
        &bad,
        format!("{good}{good}{good}{{\"id\": \"n2\", \"schema\": \n{good}"),
    )
    .unwrap();
    let out = run(
        &data,
        &["ingest", "--org", "Polisen", bad.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.jsonl, line 4"), "{err}");
    let strip = |s: &str| {
        let mut v: serde_json::Value = serde_json::from_str(s).unwrap();
        v.as_object_mut().unwrap().remove("audit_entries");
        v
    };
    assert_eq!(strip(&ok(&data, &["--json", "stats"])), strip(&stats));
    assert!(ok(&data, &["--json", "search", "ny person"]).contains("\"results\": []"));
}

#[test]
fn the_same_file_twice_adds_nothing_and_unknown_ids_are_user_errors() {
    let dir = loaded();
    let data = dir.path().join("store");
    let out = ingest_chats(&data);
    assert!(out.contains("already ingested"), "{out}");
    assert_eq!(run(&data, &["show", "no-such-id"]).status.code(), Some(1));
    assert_eq!(
        run(&dir.path().join("nowhere"), &["stats"]).status.code(),
        Some(1)
    );
    assert_eq!(
        run(
            &data,
            &["ingest", "--org", "P", "--grading", "Q7", "x.jsonl"]
        )
        .status
        .code(),
        Some(1)
    );
}

#[test]
fn audit_verify_names_the_changed_entry() {
    let dir = loaded();
    let data = dir.path().join("store");
    ok(&data, &["show", "lina-ek"]);
    let conn = rusqlite::Connection::open(data.join("lagesbild.sqlite")).unwrap();
    conn.execute_batch("DROP TRIGGER audit_no_update").unwrap();
    conn.execute("UPDATE audit SET purpose = 'nyfikenhet' WHERE seq = 3", [])
        .unwrap();
    drop(conn);
    let out = run(&data, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken at entry 3"));
}

#[test]
fn a_simulated_world_round_trips_through_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world");
    let data = dir.path().join("store");
    let out = ok(
        &data,
        &[
            "--json",
            "simulate",
            "--seed",
            "3",
            "--months",
            "4",
            "--out",
            world.to_str().unwrap(),
        ],
    );
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    ok(&data, &["init"]);
    let mut files: Vec<String> = std::fs::read_dir(&world)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|p| {
            p.ends_with(".csv")
                || p.contains("telegram-")
                || p.contains("whatsapp-")
                || p.contains("statements-")
                || p.ends_with(".html")
        })
        .collect();
    files.sort();
    let mut args = vec!["--json", "ingest", "--org", "Polisen"];
    args.extend(files.iter().map(String::as_str));
    let reports: Vec<serde_json::Value> = serde_json::from_str(&ok(&data, &args)).unwrap();
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(world.join("truth.json")).unwrap()).unwrap();
    // the CSV files, the seized phones (a Telegram export per network, two in a town, and a
    // dealer's WhatsApp chats), the banks' camt.053 statements, and the markets' and the sales
    // channels' pages
    assert_eq!(reports.len(), files.len());
    assert!(files.len() > 7, "{files:?}");
    for r in &reports {
        let name = Path::new(r["file"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        // every row became a record, as many as the truth counts
        assert_eq!(r["records"], truth["files"][&name], "{name}");
        assert_eq!(r["records"], summary["files"][&name], "{name}");
    }
    // the store's network has times: the links of payments and calls are dated, so it can be
    // cut into slices and compared
    let change: serde_json::Value = serde_json::from_str(&ok(
        &data,
        &["--json", "graph", "change", "--split", "2026-03-01"],
    ))
    .unwrap();
    let before = change["before"]["edges"].as_u64().unwrap_or(0);
    let after = change["after"]["edges"].as_u64().unwrap_or(0);
    assert!(before > 0 && after > 0, "{change}");
    // the same seed writes the same world
    let again = dir.path().join("again");
    ok(
        &data,
        &[
            "simulate",
            "--seed",
            "3",
            "--months",
            "4",
            "--out",
            again.to_str().unwrap(),
        ],
    );
    for f in &files {
        let name = Path::new(f).file_name().unwrap();
        assert_eq!(
            std::fs::read(f).unwrap(),
            std::fs::read(again.join(name)).unwrap()
        );
    }
    // an IBAN written in a seized chat is an entity of its own, linked from the message, and it
    // shares its key with the account of the same IBAN in the bank's transfer register
    let texts = std::fs::read_to_string(world.join("texts.jsonl")).unwrap();
    let iban = texts
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|t| t["id"].as_str().unwrap().starts_with("telegram-"))
        .flat_map(|t| t["mentions"].as_array().unwrap().clone())
        .find(|m| m["kind"] == "iban")
        .expect("a chat mentions an IBAN")["value"]
        .as_str()
        .unwrap()
        .to_owned();
    let shown: serde_json::Value =
        serde_json::from_str(&ok(&data, &["--json", "show", &format!("iban-{iban}")])).unwrap();
    let text = shown.to_string();
    assert!(text.contains("\"Message\""), "{text}");
    assert!(text.contains("\"mentions\""), "{text}");
    assert!(
        shown["shared_keys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["schema"] == "BankAccount" && r["entity_id"] != format!("iban-{iban}")),
        "{text}"
    );
    assert_eq!(
        run(&data, &["simulate", "--scale", "planet", "--out", "x"])
            .status
            .code(),
        Some(1)
    );
}
