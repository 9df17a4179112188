//! The hand-annotated fixtures (docs/extraction.md): precision and recall per kind must stay at
//! or above the bar, ≥ 0.95 for identifiers and ≥ 0.90 for substances (and for
//! quantities, prices and places). `annotated.jsonl` is the set the extractor was developed
//! against; `holdout.jsonl`, when present, was written apart and is only measured.

use std::path::Path;

use lagesbild_extract::eval::{read_fixture, score};
use lagesbild_extract::{Extractor, Kind, Options, Ymd};

fn extractor() -> Extractor {
    Extractor::new(Options {
        default_region: "SE",
        reference: Ymd {
            year: 2026,
            month: 6,
            day: 1,
        },
    })
}

fn check(name: &str, bar_ids: f64, bar_terms: f64) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    if name == "holdout.jsonl" && !path.exists() {
        return;
    }
    let items = read_fixture(&path).unwrap();
    assert!(items.len() >= 100, "{name}: only {} texts", items.len());
    for a in &items {
        for m in &a.mentions {
            if let Some(raw) = &m.raw {
                assert!(
                    a.text.contains(raw.as_str()),
                    "{}: {raw:?} is not in the text",
                    a.id
                );
            }
        }
    }
    let report = score(&items, &extractor());
    println!("{name}\n{}", report.table());
    for (kind, c) in &report.per_kind {
        let bar = if kind.is_identifier() {
            bar_ids
        } else {
            bar_terms
        };
        assert!(
            c.precision() >= bar && c.recall() >= bar,
            "{name}: {kind} precision {:.3} recall {:.3} below {bar}\n{}\n{:#?}",
            c.precision(),
            c.recall(),
            report.table(),
            report
                .misses
                .iter()
                .filter(|m| m.kind == *kind)
                .collect::<Vec<_>>()
        );
    }
    // every kind of the contract is exercised
    if name == "annotated.jsonl" {
        for kind in Kind::ALL {
            assert!(
                report.per_kind.get(&kind).is_some_and(|c| c.tp >= 20),
                "{name}: too few {kind} mentions"
            );
        }
    }
}

#[test]
fn the_annotated_set_meets_the_bar() {
    check("annotated.jsonl", 0.95, 0.90);
}

#[test]
fn the_held_out_set_meets_the_bar() {
    check("holdout.jsonl", 0.95, 0.90);
}
