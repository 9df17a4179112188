//! The directory from the command line: organisations, users, compartments, agreements and
//! tokens; logging in; what each user then sees; lockout after failed logins; and passwords and
//! tokens never shown back, logged or stored.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/sample")
        .join(name)
}

fn run_as(data: &Path, user: &str, env: &[(&str, &str)], args: &[&str], stdin: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lagesbild"));
    cmd.arg("--data")
        .arg(data)
        .args(args)
        .env("LAGESBILD_USER", user)
        .env("LAGESBILD_PURPOSE", "ärende 2026-77")
        .env_remove("LAGESBILD_DATA")
        .env_remove("LAGESBILD_TOKEN")
        .env_remove("LAGESBILD_PASSWORD")
        .env_remove("LAGESBILD_NEW_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn both(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const OP: &str = "operatör";
const PW: &str = "Tullens hemliga lösen 42";

#[test]
fn directory_users_see_what_the_policy_allows_and_secrets_stay_secret() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let op = |args: &[&str]| ok(run_as(&data, OP, &[], args, ""), &args.join(" "));
    op(&["init"]);
    op(&["org", "add", "Polisen"]);
    op(&["org", "add", "Tullverket", "--kind", "customs"]);
    op(&["org", "add", "Havsstads kommun", "--kind", "municipality"]);
    // the password from standard input, never from the command line
    ok(
        run_as(
            &data,
            OP,
            &[],
            &[
                "user",
                "add",
                "tove",
                "--org",
                "Tullverket",
                "--role",
                "analyst",
            ],
            &format!("{PW}\n"),
        ),
        "user add",
    );
    ok(
        run_as(
            &data,
            OP,
            &[("LAGESBILD_NEW_PASSWORD", "Kommunens lösenord 7")],
            &[
                "user",
                "add",
                "kim",
                "--org",
                "Havsstads kommun",
                "--role",
                "partner",
            ],
            "",
        ),
        "user add kim",
    );
    let weak = run_as(
        &data,
        OP,
        &[("LAGESBILD_NEW_PASSWORD", "kort")],
        &["user", "add", "x", "--org", "Polisen", "--role", "analyst"],
        "",
    );
    assert!(!weak.status.success());
    assert!(!both(&weak).contains("kort\""), "{}", both(&weak));
    let csv = sample("seizures.csv");
    let map = sample("seizures.yml");
    op(&[
        "ingest",
        "--org",
        "Polisen",
        "--subject-category",
        "suspect",
        "--mapping",
        map.to_str().unwrap(),
        csv.to_str().unwrap(),
    ]);
    let users = op(&["user", "list", "--json"]);
    assert!(users.contains("tove") && !users.contains(PW) && !users.contains("argon2"));

    let tove = [("LAGESBILD_PASSWORD", PW)];
    let stats = |env: &[(&str, &str)], user: &str| {
        let out = ok(run_as(&data, user, env, &["stats", "--json"], ""), "stats");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["records"].as_u64().unwrap()
    };
    let all = stats(&[], OP);
    assert!(all > 0);
    // no agreement yet: the customs analyst sees none of the police's records
    assert_eq!(stats(&tove, "tove"), 0);
    let hits = ok(
        run_as(&data, "tove", &tove, &["search", "kokain", "--json"], ""),
        "search",
    );
    assert!(hits.contains("\"total_documents\": 0"), "{hits}");
    op(&[
        "agreement",
        "add",
        "--from",
        "Polisen",
        "--to",
        "Tullverket",
    ]);
    assert_eq!(stats(&tove, "tove"), all);
    // the municipality's partner sees nothing of the police's, even with an agreement on counts
    op(&[
        "agreement",
        "add",
        "--from",
        "Polisen",
        "--to",
        "Havsstads kommun",
        "--aggregates-only",
    ]);
    assert_eq!(
        stats(&[("LAGESBILD_PASSWORD", "Kommunens lösenord 7")], "kim"),
        0
    );
    // a partner cannot administer
    let denied = run_as(
        &data,
        "kim",
        &[("LAGESBILD_PASSWORD", "Kommunens lösenord 7")],
        &["user", "list"],
        "",
    );
    assert!(!denied.status.success());
    assert!(both(&denied).contains("not allowed"), "{}", both(&denied));

    // wrong passwords: the same answer as an unknown user, never the password, then a lockout
    for i in 0..5 {
        let guess = format!("gissning nummer {i}");
        let out = run_as(
            &data,
            "tove",
            &[("LAGESBILD_PASSWORD", &guess)],
            &["stats"],
            "",
        );
        assert!(!out.status.success());
        let text = both(&out);
        assert!(!text.contains(&guess), "{text}");
        assert!(text.contains("wrong user name or password"), "{text}");
    }
    let locked = run_as(&data, "tove", &tove, &["stats"], "");
    assert!(!locked.status.success());
    assert!(
        both(&locked).contains("too many failed logins"),
        "{}",
        both(&locked)
    );
    // an administrator's new password lifts the lockout
    ok(
        run_as(
            &data,
            OP,
            &[],
            &["user", "passwd", "tove"],
            &format!("{PW}\n"),
        ),
        "passwd",
    );
    assert_eq!(stats(&tove, "tove"), all);

    // tokens: shown once, stored hashed, scoped, revocable
    let token = op(&[
        "token",
        "create",
        "tove",
        "--scope",
        "read",
        "--expires",
        "2099-01-01T00:00:00Z",
    ])
    .trim()
    .to_owned();
    assert!(token.starts_with("lgb_"));
    let tok = [("LAGESBILD_TOKEN", token.as_str())];
    assert_eq!(stats(&tok, "någon"), all);
    let write = run_as(
        &data,
        "någon",
        &tok,
        &["ingest", "--org", "Tullverket", csv.to_str().unwrap()],
        "",
    );
    assert!(!write.status.success());
    assert!(!both(&write).contains(&token));
    let listed = op(&["token", "list"]);
    assert!(!listed.contains(&token[4..]), "{listed}");
    op(&["token", "revoke", "1"]);
    let revoked = run_as(&data, "någon", &tok, &["stats"], "");
    assert!(!revoked.status.success());
    assert!(!both(&revoked).contains(&token));
    let expired = op(&[
        "token",
        "create",
        "tove",
        "--expires",
        "2020-01-01T00:00:00Z",
    ]);
    assert!(
        !run_as(
            &data,
            "någon",
            &[("LAGESBILD_TOKEN", expired.trim())],
            &["stats"],
            ""
        )
        .status
        .success()
    );

    // compartments: a record filed in one is invisible to a non-member
    op(&[
        "compartment",
        "add",
        "Gran",
        "--description",
        "operation Gran",
    ]);
    let before = stats(&tove, "tove");
    op(&[
        "ingest",
        "--org",
        "Polisen",
        "--dataset",
        "gran",
        "--compartment",
        "Gran",
        "--subject-category",
        "suspect",
        sample("entities.ftm.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(stats(&tove, "tove"), before);
    op(&["compartment", "grant", "Gran", "tove"]);
    assert!(stats(&tove, "tove") > before);

    // every directory change is in the audit log, and no secret is anywhere in the store
    let log = op(&["audit", "log", "--json"]);
    assert!(
        log.contains("directory: add user \\\"tove\\\"") || log.contains("add user"),
        "{log}"
    );
    for f in std::fs::read_dir(&data).unwrap() {
        let path = f.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            for secret in [PW.as_bytes(), token.as_bytes(), &token.as_bytes()[4..]] {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret),
                    "a secret in {}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn an_anchored_log_shows_truncation_that_the_chain_alone_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let op = |args: &[&str]| ok(run_as(&data, OP, &[], args, ""), &args.join(" "));
    op(&["init"]);
    op(&["org", "add", "Polisen"]);
    op(&["org", "add", "Tullverket"]);
    let key = dir.path().join("anchor.key");
    let public = op(&["audit", "keygen", "--out", key.to_str().unwrap()]);
    let public = public.trim();
    assert_eq!(public.len(), 64);
    let anchor = op(&["audit", "anchor", "--key", key.to_str().unwrap()]);
    let anchor_file = dir.path().join("anchor.json");
    std::fs::write(&anchor_file, &anchor).unwrap();
    let anchored: serde_json::Value = serde_json::from_str(&anchor).unwrap();
    let seq = anchored["seq"].as_i64().unwrap();
    assert!(seq >= 2);
    let verify = |extra: &[&str]| {
        let mut args = vec!["audit", "verify"];
        args.extend_from_slice(extra);
        run_as(&data, OP, &[], &args, "")
    };
    let af = anchor_file.to_str().unwrap();
    // the log for a supervisory authority: every entry, then the chain's summary
    let export = dir.path().join("audit.jsonl");
    op(&["audit", "export", "--out", export.to_str().unwrap()]);
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&export)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() >= 4);
    assert!(lines[0]["hash"].is_string() && lines[0]["purpose"].is_string());
    let last = lines.last().unwrap();
    assert!(last["summary"]["chain"]["broken"].is_null(), "{last}");
    assert!(
        verify(&["--anchor", af, "--public-key", public])
            .status
            .success()
    );
    // another key's anchor is refused
    let wrong = verify(&["--anchor", af, "--public-key", &"ab".repeat(32)]);
    assert!(!wrong.status.success());
    // someone with the file cuts the log back to before the anchor
    let db = rusqlite::Connection::open(data.join("lagesbild.sqlite")).unwrap();
    db.execute_batch(&format!(
        "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq >= {seq};"
    ))
    .unwrap();
    drop(db);
    // the anchor finds the cut at once ...
    let cut = verify(&["--anchor", af, "--public-key", public]);
    assert!(!cut.status.success());
    assert!(both(&cut).contains("truncated"), "{}", both(&cut));
    // ... the chain alone is intact (a cut tail leaves no gap), and once new entries follow
    // the cut, the anchor still shows the log was cut back
    assert!(verify(&[]).status.success());
    let later = verify(&["--anchor", af, "--public-key", public]);
    assert!(!later.status.success());
    assert!(both(&later).contains("cut back"), "{}", both(&later));
}
