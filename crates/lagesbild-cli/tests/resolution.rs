//! Entity resolution on the store from the command line: proposals from the people a user may
//! see, review with judgements, a "not the same" that keeps two entities apart, and undo.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn run(data: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lagesbild"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env("LAGESBILD_USER", "analytiker")
        .env("LAGESBILD_PURPOSE", "ärende 2026-5")
        .env_remove("LAGESBILD_DATA")
        .env_remove("LAGESBILD_TOKEN")
        .env_remove("LAGESBILD_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn ok(data: &Path, args: &[&str]) -> String {
    let out = run(data, args, "");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(data: &Path, args: &[&str]) -> serde_json::Value {
    let mut a = args.to_vec();
    a.push("--json");
    serde_json::from_str(&ok(data, &a)).unwrap()
}

#[test]
fn proposals_judgements_and_undo_on_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let csv = dir.path().join("people.csv");
    // the same man three times (one with the names swapped and a typo), and a namesake with
    // another birth date
    std::fs::write(
        &csv,
        "id,first_name,last_name,birth_date,phone\n\
         1,Yusuf,Jansson,1999-03-14,070-111 22 33\n\
         2,Yusuf,Jansson,1999-03-14,\n\
         3,Jansson,Yusuff,1999-03-14,\n\
         4,Yusuf,Jansson,1971-08-02,073-999 88 77\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("people.yml"),
        "people:\n  queries:\n    - csv_url: people.csv\n      entities:\n        p:\n          \
         schema: Person\n          keys: [id]\n          properties:\n            \
         firstName: {column: first_name}\n            lastName: {column: last_name}\n            \
         birthDate: {column: birth_date}\n            phone: {column: phone}\n",
    )
    .unwrap();
    ok(&data, &["init"]);
    ok(
        &data,
        &["ingest", "--org", "Polisen", csv.to_str().unwrap()],
    );
    let r = json(&data, &["resolve", "--propose-above", "0.3"]);
    assert_eq!(r["people"], 4, "{r}");
    let proposed = r["proposed"].as_u64().unwrap();
    assert!(proposed >= 2, "{r}");
    // resumable: a second run adds nothing new
    let again = json(&data, &["resolve", "--propose-above", "0.3"]);
    assert_eq!(again["new_proposals"], 0, "{again}");
    let open = json(&data, &["review", "-n", "50"]);
    let pairs = open.as_array().unwrap();
    assert_eq!(pairs.len() as u64, proposed);
    assert!(pairs[0]["explanation"]["contributions"].is_array());
    let ids = |p: &serde_json::Value| {
        (
            p["left_id"].as_str().unwrap().to_owned(),
            p["right_id"].as_str().unwrap().to_owned(),
        )
    };
    // judge the first pair "same" through the interactive review, the rest "not same"
    let mut answers = String::from("s\n");
    for _ in 1..pairs.len() {
        answers.push_str("n\n");
    }
    let out = run(&data, &["review", "-n", "50"], &answers);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("match weight"), "{text}");
    // everything judged: nothing left to ask
    assert_eq!(json(&data, &["review"]).as_array().unwrap().len(), 0);
    let judgements = json(&data, &["judgements"]);
    let list = judgements.as_array().unwrap();
    assert_eq!(list.len(), pairs.len());
    let same = list.iter().find(|j| j["verdict"] == "same").unwrap();
    let (a, b) = (
        same["left_id"].as_str().unwrap(),
        same["right_id"].as_str().unwrap(),
    );
    let shown = json(&data, &["show", a]);
    assert_eq!(shown["members"].as_array().unwrap().len(), 2);
    // a pair judged not the same cannot be merged
    if let Some(apart) = list.iter().find(|j| j["verdict"] == "not_same") {
        let out = run(
            &data,
            &[
                "judge",
                apart["left_id"].as_str().unwrap(),
                apart["right_id"].as_str().unwrap(),
                "same",
            ],
            "",
        );
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("not the same"));
    }
    // undo restores the earlier state exactly, and the pair comes up for review again
    ok(&data, &["undo", &same["id"].to_string()]);
    let shown = json(&data, &["show", a]);
    assert_eq!(shown["members"].as_array().unwrap().len(), 1);
    let open = json(&data, &["review"]);
    assert!(open.as_array().unwrap().iter().any(|p| {
        let (l, r) = ids(p);
        (l == a && r == b) || (l == b && r == a)
    }));
    // every judgement is in the audit log with who made it
    let log = ok(&data, &["audit", "log", "--op", "combine", "--json"]);
    assert!(
        log.contains("analytiker") && log.contains("judged not_same"),
        "{log}"
    );
}
