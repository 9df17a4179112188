//! The synthetic data against its truth (the figures the benchmark reports at scale).

use lagesbild_resolve::{Settings, dedupe, eval, link, synth};

#[test]
fn deduplicates_synthetic_records_well() {
    let data = synth::dedupe(&synth::Config {
        records: 20_000,
        ..synth::Config::default()
    });
    let res = dedupe(&data.records, &Settings::default());
    assert!(res.params.trained);
    let truth: Vec<Option<u64>> = data.truth.iter().map(|t| Some(*t)).collect();
    let score = eval::clusters(&res.clusters, &truth);
    assert!(score.f1 > 0.97, "{score}");
    assert!(res.blocking.pairs_per_record < 10.0, "{:?}", res.blocking);
}

#[test]
fn links_two_synthetic_files_well() {
    let (l, r) = synth::linkage(3_000, 3);
    let res = link(&l.records, &r.records, &Settings::default());
    let truth: Vec<Option<u64>> = l.truth.iter().chain(&r.truth).map(|t| Some(*t)).collect();
    let sides: Vec<u8> = res.data.records.iter().map(|r| r.side).collect();
    let matched: Vec<(u32, u32)> = res.matches().map(|p| (p.a, p.b)).collect();
    // only pairs across the files
    assert!(
        matched
            .iter()
            .all(|(a, b)| sides[*a as usize] != sides[*b as usize])
    );
    let score = eval::pair_list(&matched, &truth, Some(&sides));
    assert!(score.f1 > 0.95, "{score}");
}

#[test]
fn the_generator_is_seeded() {
    let cfg = synth::Config {
        records: 500,
        ..synth::Config::default()
    };
    assert_eq!(synth::dedupe(&cfg).records, synth::dedupe(&cfg).records);
    let other = synth::dedupe(&synth::Config {
        seed: 2,
        ..cfg.clone()
    });
    assert_ne!(synth::dedupe(&cfg).records, other.records);
}

#[test]
fn csv_round_trip_keeps_the_records() {
    let data = synth::dedupe(&synth::Config {
        records: 200,
        ..synth::Config::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.csv");
    lagesbild_resolve::csvio::write(&path, &data.records, Some(&data.truth)).unwrap();
    let (back, cols) = lagesbild_resolve::csvio::read(
        &path,
        &Default::default(),
        lagesbild_resolve::csvio::Encoding::Utf8,
    )
    .unwrap();
    assert_eq!(back.len(), data.records.len());
    assert!(cols.fields.contains_key("first_name") && cols.fields.contains_key("phone"));
    assert_eq!(back[0].first_name, data.records[0].first_name);
    assert_eq!(back[5].phones, data.records[5].phones);
}
