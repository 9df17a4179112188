//! Integration tests of the readers: FtM compatibility, the quirks of real files, and errors
//! that name the file, line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use lagesbild_ingest::{Encoding, IngestError, Options, open, parse_mapping};
use lagesbild_model::{Context, Fragment, Policy, Record, model};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn options(mapping: Option<&str>) -> Options {
    Options {
        format: None,
        mapping: mapping.map(|m| {
            (
                "mapping.yml".to_owned(),
                parse_mapping("mapping.yml", m).unwrap(),
            )
        }),
        encoding: Encoding::Utf8,
        delimiter: None,
        policy: Policy::new("Polisen", "test", "test"),
        dataset_given: false,
        ctx: Context::default(),
        extract: true,
    }
}

fn read(path: &Path, opts: &Options) -> Result<Vec<Record>, IngestError> {
    open(path, opts)?.records.collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Entity id → (schema, property → values with their validity).
type Merged = BTreeMap<String, (String, BTreeMap<String, BTreeSet<(String, bool)>>)>;

fn merged(records: &[Record]) -> Merged {
    let mut out: Merged = BTreeMap::new();
    for f in records.iter().flat_map(|r| &r.fragments) {
        let e = out
            .entry(f.id.clone())
            .or_insert_with(|| (f.schema.clone(), BTreeMap::new()));
        for v in &f.values {
            e.1.entry(v.prop.clone())
                .or_default()
                .insert((v.value.clone(), v.valid));
        }
    }
    out
}

/// The same CSV and mapping as `ftm map` (followthemoney 4.11, output committed as a fixture):
/// the same ids (signed with the dataset namespace), schemata and values, except what we keep
/// more of (values ftm discards: national phone numbers, invalid dates and IBANs, kept flagged).
#[test]
fn same_entities_as_ftm_map() {
    let mapping = std::fs::read_to_string(fixtures().join("payments.yml")).unwrap();
    let records = read(&fixtures().join("payments.csv"), &options(Some(&mapping))).unwrap();
    let ours = merged(&records);
    let mut theirs: BTreeMap<String, (String, BTreeMap<String, BTreeSet<String>>)> =
        BTreeMap::new();
    for line in std::fs::read_to_string(fixtures().join("payments.ftm.jsonl"))
        .unwrap()
        .lines()
    {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let e = theirs
            .entry(v["id"].as_str().unwrap().to_owned())
            .or_insert_with(|| (v["schema"].as_str().unwrap().to_owned(), BTreeMap::new()));
        for (prop, values) in v["properties"].as_object().unwrap() {
            // ftm derives namesMentioned from the linked entities; it is not in the source
            if prop == "namesMentioned" {
                continue;
            }
            for value in values.as_array().unwrap() {
                e.1.entry(prop.clone())
                    .or_default()
                    .insert(value.as_str().unwrap().to_owned());
            }
        }
    }
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>(),
        "the same ids"
    );
    let mut kept_more = 0;
    for (id, (schema, props)) in &theirs {
        let (our_schema, our_props) = &ours[id];
        assert_eq!(our_schema, schema, "{id}");
        for (prop, values) in props {
            let ours: BTreeSet<String> = our_props[prop].iter().map(|v| v.0.clone()).collect();
            assert!(
                values.is_subset(&ours),
                "{id} {prop}: ftm {values:?}, ours {ours:?}"
            );
        }
        for (prop, values) in our_props {
            for (value, valid) in values {
                if !props.get(prop).is_some_and(|t| t.contains(value)) {
                    let kind = model().get(schema).unwrap().property(prop).unwrap().kind;
                    assert!(
                        !valid || kind == lagesbild_model::PropType::Phone,
                        "{id} {prop}: we add {value:?}, which ftm does not have"
                    );
                    kept_more += 1;
                }
            }
        }
    }
    // the national phone numbers ftm drops for lack of a country, an impossible date, a bad IBAN
    assert!(kept_more >= 30, "{kept_more}");
}

#[test]
fn ftm_lines_with_quirks() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\u{feff}{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {\"name\": \"Anna Ek\", \"height\": [172], \"phone\": [\"0701234567\", null], \"favouriteColour\": [\"blå\"]}}\r\n\
                \n\
                {\"id\": \"b\", \"schema\": \"Company\", \"properties\": {\"name\": [\"Ek AB\"], \"country\": [\"Sverige\"]}, \"datasets\": [\"x\"]}\n";
    let p = write(dir.path(), "e.jsonl", text.as_bytes());
    let records = read(&p, &options(None)).unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!((records[0].source.line, records[1].source.line), (1, 3));
    let a = &records[0].fragments[0];
    assert_eq!(a.get("name").collect::<Vec<_>>(), ["Anna Ek"]);
    assert_eq!(a.get("height").collect::<Vec<_>>(), ["172"]);
    assert_eq!(a.get("phone").collect::<Vec<_>>(), ["+46701234567"]);
    assert_eq!(
        records[1].fragments[0].get("country").collect::<Vec<_>>(),
        ["se"]
    );
    // the raw line is kept, unknown property included
    assert!(records[0].raw.contains("favouriteColour"));
}

fn check_error(file: &str, bytes: &[u8], mapping: Option<&str>, line: Option<u64>, needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), file, bytes);
    let opts = options(mapping);
    let err = match open(&p, &opts) {
        Err(e) => e,
        Ok(o) => o
            .records
            .collect::<Result<Vec<_>, _>>()
            .expect_err("the file is bad"),
    };
    assert_eq!(err.line, line, "{err}");
    assert!(
        err.to_string().contains(needle),
        "{err} should say {needle}"
    );
    assert!(err.to_string().contains(file), "{err} should name the file");
}

const MAP: &str = "d:\n  queries:\n    - entities:\n        p:\n          schema: Person\n          keys: [id]\n          properties:\n            name: {column: name}\n            height: {column: height, strict: true}\n";

#[test]
fn errors_name_the_file_line_and_column() {
    check_error(
        "bad.jsonl",
        b"{\"id\": \"a\", \"schema\": \"Person\"}\n{\"id\": \"b\", \"schema\": \"Person\"\n",
        None,
        Some(2),
        "malformed JSON",
    );
    check_error(
        "bad.jsonl",
        b"{\"id\": \"a\", \"schema\": \"Dragon\"}\n",
        None,
        Some(1),
        "unknown schema",
    );
    check_error(
        "bad.jsonl",
        b"{\"schema\": \"Person\"}\n",
        None,
        Some(1),
        "no id",
    );
    check_error(
        "trunc.jsonl",
        b"{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {\"name\": [\"\xc3\"]}}\n",
        None,
        Some(1),
        "invalid UTF-8",
    );
    check_error(
        "bad.csv",
        b"id,name,height\n1,Anna,170\n2,Bo,lang\n",
        Some(MAP),
        Some(3),
        "not a valid number",
    );
    check_error(
        "bad.csv",
        b"id,name,height\n1,Anna,170\n2,Bo\n",
        Some(MAP),
        Some(3),
        "2 fields where the header has 3",
    );
    check_error(
        "bad.csv",
        b"id,height\n1,170\n",
        Some(MAP),
        Some(1),
        "column \"name\"",
    );
    check_error("empty.csv", b"", Some(MAP), Some(1), "empty");
    check_error(
        "latin.csv",
        b"id,name,height\n1,J\xf6rgen,180\n",
        Some(MAP),
        Some(2),
        "--encoding latin-1",
    );
    check_error(
        "nomap.csv",
        b"id,name\n1,A\n",
        None,
        None,
        "needs a mapping",
    );
    let policy_map = format!("{MAP}      policy:\n        grading: {{column: grade}}\n");
    // a bad literal is found before any row, even beside column-fed fields
    let literal_map = format!("{policy_map}        handling: H9\n");
    check_error(
        "lit.csv",
        b"id,name,height,grade\n1,A,1,B2\n",
        Some(&literal_map),
        None,
        "H9",
    );
    check_error(
        "grade.csv",
        b"id,name,height,grade\n1,A,1,B2\n2,B,2,Q9\n",
        Some(&policy_map),
        Some(3),
        "column \"grade\"",
    );
}

#[test]
fn latin1_semicolons_policy_columns_filters_and_templates() {
    let dir = tempfile::tempdir().unwrap();
    let csv = b"id;name;grade;kategori;status;ort\n1;J\xf6rgen \xc5berg;B2;vittne;ok;Malm\xf6\n2;Skip Me;A1;suspect;draft;Lund\n3;Ida;;;ok;\n";
    let p = write(dir.path(), "reg.csv", csv);
    let mapping = "reg:\n  queries:\n    - csv_url: reg.csv\n      filters:\n        status: ok\n      entities:\n        p:\n          schema: Person\n          keys: [id]\n          properties:\n            name: {column: name}\n            address: {template: \"{{ort}}, Sverige\"}\n      policy:\n        grading: {column: grade}\n        subject_category: {column: kategori}\n";
    let mut opts = options(Some(mapping));
    opts.encoding = Encoding::Windows1252;
    let records = read(&p, &opts).unwrap();
    assert_eq!(records.len(), 2, "the draft row is filtered out");
    let first = &records[0];
    assert_eq!(
        first.fragments[0].get("name").collect::<Vec<_>>(),
        ["Jörgen Åberg"]
    );
    assert_eq!(
        first.fragments[0].get("address").collect::<Vec<_>>(),
        ["Malmö, Sverige"]
    );
    assert_eq!(first.policy.grading.to_string(), "B2");
    assert_eq!(first.policy.subject_category.as_str(), "witness");
    assert_eq!(first.policy.dataset, "reg");
    // empty policy cells keep the defaults
    assert_eq!(records[1].policy.grading.to_string(), "X4");
    assert_eq!(records[1].source.line, 4);
}

#[test]
fn fragments_link_entities_of_a_row() {
    let mapping = std::fs::read_to_string(fixtures().join("payments.yml")).unwrap();
    let records = read(&fixtures().join("payments.csv"), &options(Some(&mapping))).unwrap();
    let r = &records[0];
    let ids: Vec<&Fragment> = r.fragments.iter().collect();
    assert_eq!(
        ids.iter().map(|f| f.schema.as_str()).collect::<Vec<_>>(),
        ["Person", "BankAccount", "Ownership"]
    );
    let own = ids[2];
    assert_eq!(own.get("owner").collect::<Vec<_>>(), [ids[0].id.as_str()]);
    assert_eq!(own.get("asset").collect::<Vec<_>>(), [ids[1].id.as_str()]);
}

#[test]
fn telegram_exports_single_chat_and_full() {
    let records = read(&fixtures().join("telegram_personal.json"), &options(None)).unwrap();
    assert_eq!(records.len(), 4, "three messages and a service message");
    let msg = |r: &Record| r.fragments.iter().find(|f| f.schema == "Message").cloned();
    let first = msg(&records[0]).unwrap();
    assert_eq!(first.id, "tg-5550001111-101");
    assert_eq!(
        first.get("bodyText").collect::<Vec<_>>(),
        ["har du grönt? 5g/1000"]
    );
    assert_eq!(
        first.get("senderAccount").collect::<Vec<_>>(),
        ["tg-user5550001111"]
    );
    // the peer wrote it, so it went to the owner of the exported phone
    assert_eq!(
        first.get("recipientAccount").collect::<Vec<_>>(),
        ["tg-user7770002222"]
    );
    assert_eq!(
        first.get("date").collect::<Vec<_>>(),
        ["2026-02-03T21:14:05"]
    );
    let second = msg(&records[1]).unwrap();
    assert_eq!(
        second.get("bodyText").collect::<Vec<_>>(),
        ["ja, swisha till 070-123 45 67 så levererar vi ikväll 🍁"]
    );
    assert_eq!(
        second.get("recipientAccount").collect::<Vec<_>>(),
        ["tg-user5550001111"]
    );
    assert_eq!(
        second.get("inReplyToMessage").collect::<Vec<_>>(),
        ["tg-5550001111-101"]
    );
    assert_eq!(
        second.get("modifiedAt").collect::<Vec<_>>(),
        ["2026-02-03T21:16:02"]
    );
    let forwarded = msg(&records[2]).unwrap();
    assert_eq!(
        forwarded.get("namesMentioned").collect::<Vec<_>>(),
        ["Leverans Syd"]
    );
    // the media placeholder and the service message are kept as read
    assert!(records[2].raw.contains("File not included"));
    assert!(records[3].fragments.is_empty() && records[3].raw.contains("phone_call"));
    assert_eq!((records[1].source.line, records[1].source.offset), (2, 102));

    let full = read(&fixtures().join("telegram_export.json"), &options(None)).unwrap();
    assert_eq!(full.len(), 3);
    let group = msg(&full[1]).unwrap();
    assert_eq!(
        group.get("recipientAccount").collect::<Vec<_>>(),
        ["tg-chat1234567890"]
    );
    let chat = full[1]
        .fragments
        .iter()
        .find(|f| f.id == "tg-chat1234567890")
        .unwrap();
    assert_eq!(chat.get("name").collect::<Vec<_>>(), ["Norra gänget"]);
}

#[test]
fn telegram_errors_name_the_place() {
    check_error("result.json", b"{\"about\": \"x\", \"chats\": {\"list\": [{\"id\": 1, \"messages\": [{\"type\": \"message\"}]}]}}", None, Some(1), "without an id");
    check_error(
        "result.json",
        b"{\n\"about\": \"x\",\n\"chats\": {\"list\": [\n",
        None,
        Some(4),
        "malformed JSON",
    );
    check_error(
        "result.json",
        b"{\"about\": \"x\", \"name\": 2}",
        None,
        None,
        "not a Telegram Desktop export",
    );
}

#[test]
fn whatsapp_exports_swedish_android_and_english_iphone() {
    let records = read(
        &fixtures().join("WhatsApp-chatt med Kusin.txt"),
        &options(None),
    )
    .unwrap();
    assert_eq!(records.len(), 5, "a notice and four messages");
    assert!(
        records[0].fragments.is_empty(),
        "the encryption notice has no sender"
    );
    let msg = |r: &Record| {
        r.fragments
            .iter()
            .find(|f| f.schema == "Message")
            .cloned()
            .unwrap()
    };
    let answer = msg(&records[2]);
    assert_eq!(
        answer.get("bodyText").collect::<Vec<_>>(),
        ["ja 5g/1000\nswisha till 123 456 78 90\nsen ses vi vid parkeringen"]
    );
    assert_eq!(
        answer.get("date").collect::<Vec<_>>(),
        ["2026-02-03T21:15:00"]
    );
    assert_eq!(
        answer.get("senderAccount").collect::<Vec<_>>(),
        ["wa-46701234567"]
    );
    assert_eq!(
        answer.get("recipientAccount").collect::<Vec<_>>(),
        ["wa-kusin-kusin"]
    );
    let sender = records[2]
        .fragments
        .iter()
        .find(|f| f.id == "wa-46701234567")
        .unwrap();
    assert_eq!(sender.get("number").collect::<Vec<_>>(), ["+46701234567"]);
    assert_eq!((records[2].source.line, records[3].source.line), (3, 6));
    assert!(records[3].raw.contains("<Media utelämnad>"));

    let group = read(
        &fixtures().join("WhatsApp Chat - Nattklubben.txt"),
        &options(None),
    )
    .unwrap();
    assert_eq!(group.len(), 4);
    let first = msg(&group[0]);
    assert_eq!(
        first.get("date").collect::<Vec<_>>(),
        ["2026-02-13T21:14:05"]
    );
    assert_eq!(
        first.get("recipientAccount").collect::<Vec<_>>(),
        ["wa-chat-nattklubben"]
    );
    // 12:01 AM is just after midnight
    assert_eq!(
        msg(&group[3]).get("date").collect::<Vec<_>>(),
        ["2026-02-14T00:01:00"]
    );
}

#[test]
fn whatsapp_errors_name_the_line() {
    check_error(
        "chat.txt",
        b"hej\n2026-02-03 21:14 - A: b\n",
        None,
        Some(1),
        "no date and time",
    );
    check_error(
        "chat.txt",
        b"2026-02-03 21:14 - A: b\n2026-02-30 21:15 - B: c\n",
        None,
        Some(2),
        "not a date",
    );
    check_error(
        "chat.txt",
        b"2026-02-03 21:14 - A: \xff\n",
        None,
        Some(1),
        "invalid UTF-8",
    );
}

mod no_panics {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        /// Any bytes give records or an error naming the file, never a panic.
        #[test]
        fn readers_take_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400), kind in 0u8..4) {
            let dir = tempfile::tempdir().unwrap();
            let (name, mapping) = match kind {
                0 => ("x.csv", Some(MAP)),
                1 => ("x.jsonl", None),
                2 => ("x.txt", None),
                _ => ("x.json", None),
            };
            let p = write(dir.path(), name, &bytes);
            if let Err(e) = read(&p, &options(mapping)) {
                prop_assert!(e.to_string().contains(name));
            }
        }
    }
}
