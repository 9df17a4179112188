//! Entity resolution against the simulator's truth. A simulated city (a town under `cargo
//! test`) is written to files; every mention of a person in them becomes a record — the
//! suspect of a seizure (name, birth date, personnummer, phone), the subject of an
//! intelligence report (name, phone, alias), the payer and the payee of a Swish payment (name,
//! number), the sender and the receiver of a bank transfer (name, IBAN) — and the records are
//! deduplicated together. Pairwise precision, recall and F1 of the clusters per kind of mention
//! (pairs within the kind) and across kinds.
//!
//! The truth of a row is traced through its identifiers (personnummer, phone, Swish number,
//! IBAN, handle) to `truth.json`; a row without one is traced by inverting the simulator's
//! name noise (the same birth date and the name within one edit, either order), and left out
//! when that does not single out one person. The tracing uses what the simulator wrote, not
//! the resolver.
//!
//! cargo bench -p lagesbild-resolve --bench sim [-- --dir DIR]   (DIR: files already simulated)

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use lagesbild_resolve::record::{THIS_YEAR, account_key, handle_key, personnummer, phone_digits};
use lagesbild_resolve::text::{fold_name, within_one_edit};
use lagesbild_resolve::{Record, Settings, dedupe, eval};

struct Person {
    joined: (String, String),
}

struct Truth {
    people: Vec<Person>,
    by_key: HashMap<String, usize>,
    by_birth: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
}

fn letters(s: &str) -> String {
    fold_name(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

impl Truth {
    fn load(dir: &Path) -> Truth {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("truth.json")).expect("truth.json"))
                .expect("JSON");
        let mut t = Truth {
            people: Vec::new(),
            by_key: HashMap::new(),
            by_birth: HashMap::new(),
            by_name: HashMap::new(),
        };
        for p in v["people"].as_array().expect("people") {
            let i = t.people.len();
            let s = |k: &str| p[k].as_str().unwrap_or("").to_owned();
            let (f, l) = (letters(&s("first_name")), letters(&s("last_name")));
            t.people.push(Person {
                joined: (format!("{f}{l}"), format!("{l}{f}")),
            });
            t.by_birth.entry(s("birth_date")).or_default().push(i);
            t.by_name.entry(format!("{f}{l}")).or_default().push(i);
            if let Some(pnr) = personnummer(&s("personnummer"), THIS_YEAR) {
                t.by_key.insert(format!("pnr:{pnr}"), i);
            }
            for ph in p["phones"].as_array().into_iter().flatten() {
                if let Some(d) = phone_digits(ph.as_str().unwrap_or("")) {
                    t.by_key.insert(format!("phone:{d}"), i);
                }
            }
            for a in p["accounts"]
                .as_array()
                .into_iter()
                .flatten()
                .chain(p.get("swish_business"))
            {
                if let Some(k) = a.as_str().and_then(account_key) {
                    t.by_key.insert(format!("account:{k}"), i);
                }
            }
            for h in p["handles"].as_array().into_iter().flatten() {
                if let Some(k) = h.as_str().and_then(handle_key) {
                    t.by_key.insert(format!("handle:{k}"), i);
                }
            }
        }
        t
    }

    /// The person a record is about: through an identifier, else through the name.
    fn trace(&self, r: &Record) -> Option<usize> {
        let pnr = personnummer(&r.personnummer, THIS_YEAR).map(|p| format!("pnr:{p}"));
        let keys = pnr
            .into_iter()
            .chain(
                r.phones
                    .iter()
                    .filter_map(|p| phone_digits(p))
                    .map(|d| format!("phone:{d}")),
            )
            .chain(
                r.accounts
                    .iter()
                    .filter_map(|a| account_key(a))
                    .map(|k| format!("account:{k}")),
            )
            .chain(
                r.handles
                    .iter()
                    .filter_map(|h| handle_key(h))
                    .map(|k| format!("handle:{k}")),
            );
        for k in keys {
            if let Some(p) = self.by_key.get(&k) {
                return Some(*p);
            }
        }
        let name = letters(&r.full_name);
        let near = |p: &Person| {
            within_one_edit(name.as_bytes(), p.joined.0.as_bytes())
                || within_one_edit(name.as_bytes(), p.joined.1.as_bytes())
        };
        let candidates: Vec<usize> = if r.birth_date.is_empty() {
            // no birth date: only a name written without noise that one person has
            self.by_name.get(&name).cloned().unwrap_or_default()
        } else {
            self.by_birth
                .get(&r.birth_date)
                .into_iter()
                .flatten()
                .copied()
                .filter(|i| near(&self.people[*i]))
                .collect()
        };
        (candidates.len() == 1).then(|| candidates[0])
    }
}

fn rows(path: &Path, delimiter: u8) -> Vec<HashMap<String, String>> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_path(path)
        .expect("a CSV file");
    let header: Vec<String> = r
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    r.records()
        .map(|row| {
            let row = row.expect("a row");
            header
                .iter()
                .cloned()
                .zip(row.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn non_empty(s: &str) -> Vec<String> {
    if s.trim().is_empty() {
        Vec::new()
    } else {
        vec![s.to_owned()]
    }
}

/// Every mention of a person, with its kind.
fn mentions(dir: &Path) -> Vec<(Record, &'static str)> {
    let mut out = Vec::new();
    for r in rows(&dir.join("seizures.csv"), b',') {
        out.push((
            Record {
                id: format!("seizure:{}", r["seizure_id"]),
                full_name: r["suspect_name"].clone(),
                birth_date: r["born"].clone(),
                personnummer: r["personnummer"].clone(),
                phones: non_empty(&r["phone"]),
                ..Record::default()
            },
            "seizure suspect",
        ));
    }
    for r in rows(&dir.join("reports.csv"), b',') {
        out.push((
            Record {
                id: format!("report:{}", r["report_id"]),
                full_name: r["subject_name"].clone(),
                phones: non_empty(&r["subject_phone"]),
                handles: non_empty(&r["subject_alias"]),
                ..Record::default()
            },
            "report subject",
        ));
    }
    for r in rows(&dir.join("swish.csv"), b';') {
        let reference = &r["Referens"];
        out.push((
            Record {
                id: format!("swish:{reference}:payer"),
                full_name: r["Betalarens namn"].clone(),
                phones: non_empty(&r["Betalarens nummer"]),
                ..Record::default()
            },
            "swish payer",
        ));
        let number = r["Mottagarens nummer"].clone();
        let business = number.starts_with("123") && number.len() == 10;
        out.push((
            Record {
                id: format!("swish:{reference}:payee"),
                full_name: r["Mottagarens namn"].clone(),
                phones: if business {
                    Vec::new()
                } else {
                    non_empty(&number)
                },
                accounts: if business { vec![number] } else { Vec::new() },
                ..Record::default()
            },
            "swish payee",
        ));
    }
    for r in rows(&dir.join("transfers.csv"), b',') {
        for (side, kind) in [("from", "transfer sender"), ("to", "transfer receiver")] {
            out.push((
                Record {
                    id: format!("transfer:{}:{side}", r["transfer_id"]),
                    full_name: r[&format!("{side}_name")].clone(),
                    accounts: non_empty(&r[&format!("{side}_iban")]),
                    ..Record::default()
                },
                kind,
            ));
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let full = args.iter().any(|a| a == "--bench");
    let given = args
        .iter()
        .position(|a| a == "--dir")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = given.unwrap_or_else(|| {
        let cfg = lagesbild_sim::Config {
            seed: 1,
            scale: if full {
                lagesbild_sim::Scale::City
            } else {
                lagesbild_sim::Scale::Town
            },
            months: 12,
            start: (2026, 1),
        };
        lagesbild_sim::simulate(&cfg, tmp.path()).expect("the simulation runs");
        tmp.path().to_path_buf()
    });
    let truth = Truth::load(&dir);
    let found = mentions(&dir);
    let (records, kinds): (Vec<Record>, Vec<&str>) = found.into_iter().unzip();
    let traced: Vec<Option<usize>> = records.iter().map(|r| truth.trace(r)).collect();
    println!(
        "{} mentions of people, {} traced to {} people of truth.json",
        records.len(),
        traced.iter().flatten().count(),
        {
            let mut p: Vec<usize> = traced.iter().flatten().copied().collect();
            p.sort_unstable();
            p.dedup();
            p.len()
        }
    );
    let t = Instant::now();
    let res = dedupe(&records, &Settings::default());
    println!(
        "dedupe: {:.2} s, {} pairs compared, model trained {}",
        t.elapsed().as_secs_f64(),
        res.blocking.pairs,
        res.params.trained
    );
    let all = eval::clusters(&res.clusters, &traced);
    let mut names: Vec<&str> = kinds.clone();
    names.sort_unstable();
    names.dedup();
    let (mut tp, mut pred, mut act) = (0, 0, 0);
    println!("{:<20} {:>8} {:>8}  score", "kind", "mentions", "traced");
    for k in &names {
        let only: Vec<Option<usize>> = traced
            .iter()
            .zip(&kinds)
            .map(|(t, kind)| if kind == k { *t } else { None })
            .collect();
        let s = eval::clusters(&res.clusters, &only);
        tp += s.true_positives;
        pred += s.predicted;
        act += s.actual;
        println!(
            "{:<20} {:>8} {:>8}  {s}",
            k,
            kinds.iter().filter(|x| *x == k).count(),
            only.iter().flatten().count()
        );
    }
    let across = eval::Score::new(
        all.true_positives - tp,
        all.predicted - pred,
        all.actual - act,
    );
    println!("{:<20} {:>8} {:>8}  {across}", "across kinds", "", "");
    println!(
        "{:<20} {:>8} {:>8}  {all}",
        "all",
        records.len(),
        traced.iter().flatten().count()
    );
}
