//! Hand-made cases an analyst would check: what must merge and what must not. Small files use
//! the model's default parameters (too few pairs to train on).

use lagesbild_resolve::{Record, Settings, dedupe};

fn person(id: &str, first: &str, last: &str, born: &str) -> Record {
    Record {
        id: id.into(),
        first_name: first.into(),
        last_name: last.into(),
        birth_date: born.into(),
        ..Record::default()
    }
}

fn full(id: &str, name: &str, born: &str) -> Record {
    Record {
        id: id.into(),
        full_name: name.into(),
        birth_date: born.into(),
        ..Record::default()
    }
}

/// A little population around the cases, so that names are not all alike.
fn with_background(mut records: Vec<Record>) -> Vec<Record> {
    let others = [
        ("Erik", "Lindqvist", "1971-02-03"),
        ("Sara", "Holm", "1990-11-30"),
        ("Omar", "Hassan", "1985-06-01"),
        ("Karin", "Berglund", "1962-09-09"),
        ("Nils", "Sjöberg", "2001-01-15"),
    ];
    for (i, (f, l, b)) in others.iter().enumerate() {
        records.push(person(&format!("bg{i}"), f, l, b));
    }
    records
}

/// Whether the records with ids `a` and `b` end up in one cluster.
fn merged(records: &[Record], a: &str, b: &str) -> bool {
    let res = dedupe(records, &Settings::default());
    let i = records.iter().position(|r| r.id == a).unwrap();
    let j = records.iter().position(|r| r.id == b).unwrap();
    let same = res.clusters[i] == res.clusters[j];
    if !same {
        // show why, when a test fails
        eprintln!("{}", res.explain(i, j, (a, b)));
    }
    same
}

#[test]
fn name_order_swapped_with_the_same_birth_date_merges() {
    let r = with_background(vec![
        full("a", "JANSSON YUSUF", "1994-03-12"),
        person("b", "Yusuf", "Jansson", "1994-03-12"),
    ]);
    assert!(merged(&r, "a", "b"));
    let r = with_background(vec![
        full("a", "Jansson, Yusuf", "12.03.1994"),
        person("b", "Yusuf", "Jansson", "19940312"),
    ]);
    assert!(merged(&r, "a", "b"));
}

#[test]
fn twins_sharing_surname_address_and_phone_do_not_merge() {
    let twin = |id: &str, first: &str, born: &str| Record {
        phones: vec!["08-123 456 78".into()],
        street: "Storgatan 12".into(),
        postcode: "123 45".into(),
        city: "Södertälje".into(),
        ..person(id, first, "Karlsson", born)
    };
    let r = with_background(vec![
        twin("a", "Amira", "2001-05-04"),
        twin("b", "Selma", "2001-05-05"),
    ]);
    assert!(!merged(&r, "a", "b"));
    // twins born the same day
    let r = with_background(vec![
        twin("a", "Anton", "2001-05-04"),
        twin("b", "Axel", "2001-05-04"),
    ]);
    assert!(!merged(&r, "a", "b"));
}

#[test]
fn a_common_name_with_different_birth_dates_does_not_merge() {
    let r = with_background(vec![
        person("a", "Anna", "Andersson", "1980-01-01"),
        person("b", "Anna", "Andersson", "1992-07-14"),
        person("c", "Anna", "Andersson", ""),
    ]);
    assert!(!merged(&r, "a", "b"));
}

#[test]
fn a_space_slipped_inside_the_name_merges() {
    let r = with_background(vec![
        person("a", "Mohamme", "dPersson", "1988-08-08"),
        person("b", "Mohammed", "Persson", "1988-08-08"),
    ]);
    assert!(merged(&r, "a", "b"));
}

#[test]
fn swedish_letters_lost_or_transliterated_merge() {
    let r = with_background(vec![
        person("a", "Åsa", "Öberg", "1975-12-24"),
        person("b", "ASA", "OEBERG", "1975-12-24"),
        person("c", "Asa", "Oberg", "24.12.1975"),
    ]);
    assert!(merged(&r, "a", "b"));
    assert!(merged(&r, "a", "c"));
}

#[test]
fn day_and_month_swapped_with_the_same_phone_merges() {
    let r = with_background(vec![
        Record {
            phones: vec!["070-123 45 67".into()],
            ..person("a", "Hanna", "Lindgren", "1990-04-06")
        },
        Record {
            phones: vec!["+46701234567".into()],
            ..person("b", "Hanna", "Lindgren", "1990-06-04")
        },
    ]);
    assert!(merged(&r, "a", "b"));
}

#[test]
fn the_same_personnummer_links_at_once_and_different_ones_never() {
    let r = with_background(vec![
        Record {
            personnummer: "19870514-9386".into(),
            ..person("a", "Lina", "Ek", "")
        },
        Record {
            personnummer: "870514-9386".into(),
            ..person("b", "Linna", "Ekh", "")
        },
    ]);
    assert!(merged(&r, "a", "b"));
    let r = with_background(vec![
        Record {
            personnummer: "19870514-9386".into(),
            ..person("a", "Lina", "Ek", "1987-05-14")
        },
        Record {
            // a valid personnummer of someone else born the same day
            personnummer: "19870514-9543".into(),
            ..person("b", "Lina", "Ek", "1987-05-14")
        },
    ]);
    assert!(!merged(&r, "a", "b"));
}

#[test]
fn a_phone_shared_by_many_names_is_weak_evidence() {
    // a switchboard number on twenty different people
    let first = [
        "Adam", "Bertil", "Cecilia", "David", "Eva", "Fredrik", "Gustav", "Helena", "Ivar",
        "Jonas", "Kalle", "Lisa", "Maja", "Nora", "Olle", "Pia", "Rut", "Sten", "Tove", "Ulf",
    ];
    let last = [
        "Berg", "Dahl", "Ek", "Fors", "Grahn", "Holm", "Ivarsson", "Jonsson", "Kvist", "Lund",
        "Malm", "Nord", "Ohlsson", "Palm", "Ros", "Sund", "Tell", "Ulfsson", "Wall", "Åström",
    ];
    let r: Vec<Record> = (0..20)
        .map(|i| Record {
            phones: vec!["020-123 123".into()],
            ..person(&format!("p{i}"), first[i], last[i], "")
        })
        .collect();
    let res = dedupe(&r, &Settings::default());
    let mut clusters = res.clusters.clone();
    clusters.sort_unstable();
    clusters.dedup();
    assert_eq!(clusters.len(), 20, "{:?}", res.clusters);
    let e = res.explain(0, 1, ("p0", "p1"));
    assert_eq!(e.key, None);
    assert!(!e.weak_keys.is_empty());
}

#[test]
fn explanations_read_as_a_waterfall() {
    let r = with_background(vec![
        full("a", "JANSSON YUSUF", "1994-03-12"),
        person("b", "Yusuf", "Jansson", "1994-03-12"),
    ]);
    let res = dedupe(&r, &Settings::default());
    let e = res.explain(0, 1, ("a", "b"));
    let text = e.to_string();
    assert!(text.contains("first and last name swapped"), "{text}");
    assert!(text.contains("birth_date"), "{text}");
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["orientation"], "swapped");
    assert!(json["contributions"].as_array().unwrap().len() >= 8);
    assert!(e.is_match);
}
