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
            .or_insert_with(|| (f.schema.to_owned(), BTreeMap::new()));
        for v in &f.values {
            e.1.entry(v.prop.to_owned())
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
        ids.iter().map(|f| f.schema).collect::<Vec<_>>(),
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

/// The fragment of `schema` in a record, and the one with an id.
fn of<'a>(r: &'a Record, schema: &str) -> &'a Fragment {
    r.fragments
        .iter()
        .find(|f| f.schema == schema)
        .unwrap_or_else(|| panic!("no {schema} in {:?}", r.fragments))
}

fn by_id<'a>(r: &'a Record, id: &str) -> &'a Fragment {
    r.fragments
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no {id} in {:?}", r.fragments))
}

fn one<'a>(f: &'a Fragment, prop: &'a str) -> Vec<&'a str> {
    f.get(prop).collect()
}

/// Every value of a record's fragments is a property of its schema, and every entity it names
/// is a fragment of the same record.
fn well_formed(r: &Record) {
    for f in &r.fragments {
        let schema = model().get(f.schema).unwrap();
        for v in &f.values {
            let prop = schema
                .property(v.prop)
                .unwrap_or_else(|| panic!("{} has no {}", f.schema, v.prop));
            assert!(v.valid, "{} {} {:?} is not valid", f.id, v.prop, v.value);
            if prop.kind == lagesbild_model::PropType::Entity {
                assert!(
                    r.fragments.iter().any(|g| g.id == v.value),
                    "{} {} names {} that the record lacks",
                    f.id,
                    v.prop,
                    v.value
                );
            }
        }
    }
}

#[test]
fn camt053_v02_statement_with_a_batch_booking() {
    let path = fixtures().join("camt053_v02.xml");
    let opened = open(&path, &options(None)).unwrap();
    assert_eq!(opened.meta.format, "camt053");
    let records: Vec<Record> = opened.records.collect::<Result<_, _>>().unwrap();
    assert_eq!(
        records.len(),
        4,
        "a credit, a batch of two, an entry without details"
    );
    let own = "camt-iban-SE4550000000058398257466";

    // a credit: the debtor pays the statement's account
    let r = &records[0];
    let pay = of(r, "Payment");
    assert_eq!(
        pay.id,
        "camt-payment-iban-SE7280000810340009783242-E2E-7781"
    );
    assert_eq!(one(pay, "amount"), ["4500"]);
    assert_eq!(one(pay, "currency"), ["SEK"]);
    assert_eq!(one(pay, "date"), ["2026-03-02"]);
    assert_eq!(one(pay, "purpose"), ["lån\nåterbetalning mars"]);
    assert_eq!(
        one(pay, "payerAccount"),
        ["camt-iban-SE7280000810340009783242"]
    );
    assert_eq!(one(pay, "beneficiaryAccount"), [own]);
    let payer = by_id(r, one(pay, "payer")[0]);
    assert_eq!(
        (payer.schema, one(payer, "name")),
        ("LegalEntity", vec!["Örjan Bäckström"])
    );
    assert_eq!(
        payer.id,
        "camt-holder-iban-SE7280000810340009783242-örjan-bäckström"
    );
    // the statement's own words mention no account: extraction finds none in them
    assert_eq!(pay.get("ibanMentioned").count(), 0);
    let owner = by_id(r, one(pay, "beneficiary")[0]);
    assert_eq!(one(owner, "name"), ["Åsa Lindström"]);
    assert_eq!(
        one(by_id(r, "camt-iban-SE7280000810340009783242"), "iban"),
        ["SE7280000810340009783242"],
        "the IBAN written with spaces"
    );
    assert_eq!(one(by_id(r, own), "bic"), ["ESSESESS"]);
    assert!(
        one(pay, "transactionNumber").contains(&"E2E-7781")
            && one(pay, "transactionNumber").contains(&"SEB-0302-0001")
    );
    // the place: the line of <Ntry>, the byte offset of the transaction (after the BOM)
    assert_eq!((r.source.line, r.source.offset), (38, 1685));
    assert!(r.raw.starts_with("<Ntry>") && r.raw.ends_with("</Ntry>"));
    assert!(r.raw.contains("Örjan Bäckström"));

    // the batch: two debits of one entry, each with its own amount and creditor
    let (a, b) = (&records[1], &records[2]);
    assert_eq!((a.source.line, b.source.line), (75, 75));
    assert_eq!((a.source.offset, b.source.offset), (2605, 3285));
    let (pa, pb) = (of(a, "Payment"), of(b, "Payment"));
    assert_eq!(
        (one(pa, "amount"), one(pb, "amount")),
        (vec!["7000"], vec!["5000"])
    );
    assert_eq!(one(pa, "payerAccount"), [own]);
    assert_eq!(
        one(pa, "beneficiaryAccount"),
        ["camt-iban-SE4730000000031231234567"]
    );
    assert_eq!(
        one(by_id(a, one(pa, "beneficiary")[0]), "name"),
        ["Kalle Öberg"]
    );
    // an account under <Othr>, and an end-to-end id that was not provided
    assert_eq!(one(pb, "beneficiaryAccount"), ["camt-account-5050-1055"]);
    assert_eq!(
        one(by_id(b, "camt-account-5050-1055"), "accountNumber"),
        ["5050-1055"]
    );
    assert_eq!(
        pb.id,
        "camt-payment-iban-SE4550000000058398257466-SEB-0305-0002-B"
    );
    assert!(!one(pb, "transactionNumber").contains(&"NOTPROVIDED"));
    // each raw text holds the entry with its own transaction only
    assert!(a.raw.contains("Kalle Öberg") && !a.raw.contains("Bilhandel"));
    assert!(b.raw.contains("Bilhandel") && !b.raw.contains("Kalle Öberg"));
    assert!(a.raw.contains("<Amt Ccy=\"SEK\">12000.00</Amt>"));

    // an entry without details is a transaction of its own: no counterparty
    let r = &records[3];
    let pay = of(r, "Payment");
    assert_eq!(one(pay, "amount"), ["250"]);
    assert_eq!(one(pay, "beneficiaryAccount"), [own]);
    assert_eq!(one(pay, "payerAccount"), Vec::<&str>::new());
    assert_eq!(one(pay, "summary"), ["Ränta"]);
    assert_eq!((r.source.line, r.source.offset), (141, 4089));
}

#[test]
fn camt053_v08_prefixed_namespace_reversal_and_structured_remittance() {
    let records = read(&fixtures().join("camt053_v08.xml"), &options(None)).unwrap();
    assert_eq!(records.len(), 4);
    records.iter().for_each(well_formed);
    let own = "camt-account-1234-5678901";
    let r = &records[0];
    let pay = of(r, "Payment");
    assert_eq!(one(pay, "amount"), ["950.5"]);
    assert_eq!(one(pay, "date"), ["2026-04-01T10:15:00"]);
    assert_eq!(one(pay, "purpose"), ["RF18539007547034\nfaktura 77"]);
    assert_eq!(
        one(pay, "payerAccount"),
        ["camt-iban-SE8312000000012345678901"]
    );
    assert_eq!(
        one(by_id(r, one(pay, "payer")[0]), "name"),
        ["Märta Ångström"]
    );
    assert_eq!(one(pay, "beneficiaryAccount"), [own]);
    assert_eq!(
        one(by_id(r, one(pay, "beneficiary")[0]), "name"),
        ["Kiosken i Malmö AB"]
    );
    let acct = by_id(r, own);
    assert_eq!(one(acct, "accountNumber"), ["1234-5678901"]);
    assert_eq!(one(acct, "bic"), ["HANDSESS"]);
    assert_eq!(one(acct, "bankName"), ["Handelsbanken"]);
    assert_eq!((r.source.line, r.source.offset), (29, 1274));
    assert!(r.raw.starts_with("<camt:Ntry>"));

    // a reversed credit: the money goes back to the original debtor
    let pay = of(&records[1], "Payment");
    assert_eq!(
        (one(pay, "amount"), one(pay, "currency")),
        (vec!["300"], vec!["EUR"])
    );
    assert_eq!(one(pay, "payerAccount"), [own]);
    assert_eq!(
        one(pay, "beneficiaryAccount"),
        ["camt-iban-DE89370400440532013000"]
    );
    assert_eq!(
        one(by_id(&records[1], one(pay, "beneficiary")[0]), "name"),
        ["Jürgen Müller"]
    );
    assert!(one(pay, "description")[0].contains("reversal"));

    // a batch of two debits; an escaped ampersand in a name
    let (a, b) = (&records[2], &records[3]);
    assert_eq!((a.source.line, b.source.line), (90, 90));
    assert_eq!(one(of(a, "Payment"), "amount"), ["1500"]);
    assert_eq!(one(of(b, "Payment"), "amount"), ["2500"]);
    let pb = of(b, "Payment");
    assert_eq!(one(pb, "beneficiaryAccount"), ["camt-account-5050-1055"]);
    assert_eq!(
        one(by_id(b, one(pb, "beneficiary")[0]), "name"),
        ["Ödegaard & Söner Åkeri"]
    );
    // the payer's account and end-to-end id make the payment's id
    assert_eq!(pb.id, "camt-payment-account-1234-5678901-LEV-2");
}

#[test]
fn camt053_errors_name_the_line_and_element() {
    let good = std::fs::read_to_string(fixtures().join("camt053_v08.xml")).unwrap();
    // cut short inside the second entry
    let cut = &good[..good.find("<camt:RvslInd>").unwrap()];
    check_error(
        "cut.xml",
        cut.as_bytes(),
        None,
        Some(67),
        "Ntry: the document ends before <Ntry> is closed",
    );
    check_error(
        "amount.xml",
        good.replacen(">950.50</camt:Amt>", ">950,50</camt:Amt>", 1)
            .as_bytes(),
        None,
        Some(30),
        "Ntry/Amt: \"950,50\" is not an amount",
    );
    check_error(
        "txamount.xml",
        good.replacen(">2500.00<", ">tjugofem<", 1).as_bytes(),
        None,
        Some(110),
        "TxDtls/Amt",
    );
    check_error(
        "noamount.xml",
        good.replacen("<camt:Amt Ccy=\"EUR\">300.00</camt:Amt>", "", 1)
            .as_bytes(),
        None,
        Some(64),
        "Ntry/Amt: an entry without <Amt>",
    );
    check_error(
        "noind.xml",
        good.replacen("<camt:CdtDbtInd>DBIT</camt:CdtDbtInd>", "", 1)
            .as_bytes(),
        None,
        Some(64),
        "Ntry/CdtDbtInd",
    );
    check_error(
        "wrongind.xml",
        good.replacen("<camt:CdtDbtInd>DBIT<", "<camt:CdtDbtInd>DEBIT<", 1)
            .as_bytes(),
        None,
        Some(66),
        "neither CRDT nor DBIT",
    );
    check_error(
        "mismatch.xml",
        good.replacen("</camt:Refs>", "</camt:Ref>", 1).as_bytes(),
        None,
        Some(40),
        "Refs: malformed XML",
    );
    let deep = good.replacen(
        "<camt:AddtlRmtInf>",
        &format!("{}<camt:AddtlRmtInf>", "<x>".repeat(100_000)),
        1,
    );
    check_error(
        "deep.xml",
        deep.as_bytes(),
        None,
        Some(58),
        "x: elements nested more than 64 deep",
    );
    check_error(
        "root.xml",
        b"<?xml version=\"1.0\"?>\n<Invoice><Id>1</Id></Invoice>\n",
        None,
        Some(2),
        "Invoice: not a camt.053 statement",
    );
    check_error(
        "camt052.xml",
        b"<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.02\">\n  <BkToCstmrAcctRpt/>\n</Document>\n",
        None,
        Some(2),
        "BkToCstmrAcctRpt",
    );
}

/// A file that fails is not read in part: the reader returns nothing but the error.
#[test]
fn camt053_a_bad_entry_fails_the_whole_file() {
    let good = std::fs::read_to_string(fixtures().join("camt053_v02.xml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bad = good.replacen(">250.00<", ">-250.00<", 1);
    let p = write(dir.path(), "s.xml", bad.as_bytes());
    let opened = open(&p, &options(None));
    let all: Result<Vec<Record>, IngestError> = match opened {
        Err(e) => Err(e),
        Ok(o) => o.records.collect(),
    };
    let e = all.unwrap_err();
    assert_eq!(e.line, Some(143), "{e}");
    assert!(e.to_string().contains("Ntry/Amt"), "{e}");
}

/// The simulator's bank statements read back: as many transactions as the truth counts, and
/// a transfer seen on both its payer's and its payee's statement is one payment.
#[test]
fn simulated_statements_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    lagesbild_sim::simulate(
        &lagesbild_sim::Config {
            seed: 5,
            scale: lagesbild_sim::Scale::Town,
            months: 3,
            start: (2026, 1),
        },
        dir.path(),
    )
    .unwrap();
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("truth.json")).unwrap()).unwrap();
    let mut payments = BTreeSet::new();
    let mut reversals = 0u64;
    let mut files = 0;
    let mut opts = options(None);
    opts.extract = false;
    for (name, count) in truth["files"].as_object().unwrap() {
        if !name.starts_with("statements-") {
            continue;
        }
        files += 1;
        let records = read(&dir.path().join(name), &opts).unwrap();
        assert_eq!(records.len() as u64, count.as_u64().unwrap(), "{name}");
        for r in &records {
            well_formed(r);
            let pay = of(r, "Payment");
            assert_eq!(one(pay, "currency"), ["SEK"]);
            assert_eq!(pay.get("amount").count(), 1);
            assert_eq!(pay.get("payerAccount").count(), 1, "{}", r.raw);
            assert_eq!(pay.get("beneficiaryAccount").count(), 1, "{}", r.raw);
            payments.insert(pay.id.clone());
            if r.raw.contains("<RvslInd>true</RvslInd>") {
                reversals += 1;
            }
        }
    }
    assert!(files >= 2, "{truth}");
    // every layering transfer has a money mule on one side; a reversal sends money back, from
    // the mule to the street dealer, as a payment of its own
    assert!(reversals > 0);
    assert_eq!(
        payments.len() as u64,
        truth["files"]["transfers.csv"].as_u64().unwrap() + reversals
    );
}

fn listings(name: &str) -> Vec<Record> {
    let records = read(&fixtures().join(name), &options(None)).unwrap();
    for r in &records {
        well_formed(r);
        assert_eq!(r.fragments[0].schema, "Listing", "{:?}", r.fragments);
    }
    records
}

/// The listing of a record and the values of its properties.
fn listing_values(r: &Record, prop: &str) -> Vec<String> {
    of(r, "Listing").get(prop).map(str::to_owned).collect()
}

/// A dark-web market's category page with schema.org microdata: offers and aggregate offers,
/// quantities, shipping regions and a rating reached through itemref, a product without
/// offers; each record placed at the line of its product's start tag, past a commented-out
/// and a scripted copy of that tag.
#[test]
fn listing_microdata_market_page() {
    let path = fixtures().join("listing_microdata.html");
    let opened = open(&path, &options(None)).unwrap();
    assert_eq!(opened.meta.format, "listing");
    let records: Vec<Record> = opened.records.collect::<Result<_, _>>().unwrap();
    assert_eq!(
        records.iter().map(|r| r.source.line).collect::<Vec<_>>(),
        [19, 37, 67, 82, 93]
    );
    let text = std::fs::read_to_string(&path).unwrap();
    for r in &records {
        assert!(text[r.source.offset as usize..].starts_with("<div class=\"product\""));
        well_formed(r);
    }
    let onion = "http://nordmujzdegxdncf32epf3dhodzdocis2jhtlgmxgedn73u55xtplpft.onion";
    let check = |r: &Record, prop: &str, want: &[&str]| {
        assert_eq!(listing_values(r, prop), want, "{prop} of {}", r.raw);
    };

    let haze = &records[0];
    check(haze, "title", &["Amnesia Haze 5 g"]);
    check(haze, "market", &["Nordmarknaden"]);
    check(haze, "substance", &["Cannabis"]);
    check(
        haze,
        "description",
        &["Färsk skörd, vakuumförpackad.\nSkickas diskret från Göteborg."],
    );
    check(haze, "url", &[&format!("{onion}/listing/1043")]);
    check(haze, "priceAmount", &["600"]);
    check(haze, "currency", &["SEK"]);
    check(haze, "price", &["600.00 SEK"]);
    check(haze, "quantity", &["5"]);
    check(haze, "unit", &["g"]);
    check(haze, "shipsFrom", &["se"]);
    check(haze, "shipsTo", &["se", "no", "dk"]);
    check(haze, "feedback", &["4.8/5 (212 reviews)"]);
    check(haze, "vendorName", &["NordicBlooms"]);
    // the raw text: the product's outer HTML, then the rating its itemref names
    assert!(
        haze.raw.starts_with("<div class=\"product\""),
        "{}",
        haze.raw
    );
    assert!(haze.raw.contains("Amnesia Haze 5 g"));
    assert!(haze.raw.contains("id=\"rating-1043\""), "{}", haze.raw);
    let nordic = of(haze, "UserAccount");
    assert_eq!(one(nordic, "service"), ["Nordmarknaden"]);
    assert_eq!(one(nordic, "username"), ["NordicBlooms"]);
    assert_eq!(one(nordic, "name"), ["NordicBlooms"]);
    assert_eq!(
        one(nordic, "sourceUrl"),
        [format!("{onion}/vendor/nordicblooms").as_str()]
    );
    check(haze, "vendor", &[nordic.id.as_str()]);
    assert_eq!(
        nordic.id,
        lagesbild_ingest::listing::account_id("Nordmarknaden", "NordicBlooms")
    );

    let coke = &records[1];
    check(coke, "title", &["Kokain 1 g, 92 %"]);
    check(coke, "priceAmount", &["1200.5", "4500"]);
    check(coke, "price", &["1200.50 SEK", "4500.00 SEK"]);
    check(coke, "quantity", &["1"]);
    check(coke, "unit", &["g"]);
    check(coke, "shipsFrom", &["nl"]);
    check(coke, "shipsTo", &["se"]);
    check(coke, "startDate", &["2026-02-01"]);
    check(coke, "feedback", &["4.6/5 (88 ratings)"]);
    check(coke, "vendorName", &["Snöflingan"]);

    // the same vendor twice on the page: one account
    let hash = &records[2];
    check(hash, "title", &["Hasch Marocko 10 g"]);
    check(hash, "price", &["1000.00 SEK"]);
    check(hash, "quantity", &["10"]);
    check(hash, "shipsTo", &["se", "no", "dk"]);
    assert_eq!(of(hash, "UserAccount").id, nordic.id);

    // a price as text ("450 kr"), a plain-text seller and quantity, a place that is no country
    let xanor = &records[3];
    check(xanor, "url", &[&format!("{onion}/listing/1060")]);
    check(xanor, "priceAmount", &["450"]);
    check(xanor, "price", &["450.00 SEK"]);
    check(xanor, "quantity", &["30"]);
    check(xanor, "unit", &["st"]);
    check(xanor, "notes", &["areaServed: Stockholm"]);
    check(xanor, "vendorName", &["apoteket_99"]);

    // no offers: still a listing, without vendor or price
    let shrooms = &records[4];
    assert_eq!(shrooms.fragments.len(), 1);
    check(shrooms, "title", &["Psilocybinsvamp 3,5 g"]);
    check(shrooms, "substance", &["Psykedelika"]);
    check(shrooms, "price", &[]);

    let accounts: BTreeSet<&str> = records
        .iter()
        .flat_map(|r| &r.fragments)
        .filter(|f| f.schema == "UserAccount")
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(accounts.len(), 3);
    let ids: BTreeSet<&str> = records
        .iter()
        .map(|r| of(r, "Listing").id.as_str())
        .collect();
    assert_eq!(ids.len(), 5);
}

/// Another market's page with JSON-LD: an @graph whose ItemList holds the products, sellers
/// by reference, several offers and destinations; a block holding one product is its raw text.
#[test]
fn listing_json_ld_market_page() {
    let records = listings("listing_jsonld.html");
    assert_eq!(
        records.iter().map(|r| r.source.line).collect::<Vec<_>>(),
        [21, 21, 105]
    );
    let onion = "http://baltb7v4seh2kvj72ceuvw75efr6edt4sywb5wkh7dnsipzz7fk4zri3.onion";
    let haze = &records[0];
    assert_eq!(listing_values(haze, "title"), ["Amnesia Haze – 1 g or 5 g"]);
    assert_eq!(listing_values(haze, "market"), ["Baltic Bazaar"]);
    assert_eq!(listing_values(haze, "url"), [format!("{onion}/item/77")]);
    assert_eq!(listing_values(haze, "priceAmount"), ["9.5", "42"]);
    assert_eq!(listing_values(haze, "currency"), ["EUR"]);
    assert_eq!(listing_values(haze, "price"), ["9.50 EUR", "42.00 EUR"]);
    assert_eq!(listing_values(haze, "quantity"), ["1", "5"]);
    assert_eq!(listing_values(haze, "unit"), ["g"]);
    assert_eq!(listing_values(haze, "shipsFrom"), ["se"]);
    assert_eq!(listing_values(haze, "shipsTo"), ["se", "fi"]);
    assert_eq!(listing_values(haze, "feedback"), ["4.9/5 (57 reviews)"]);
    assert_eq!(listing_values(haze, "vendorName"), ["Nordic_Blooms"]);
    let raw: serde_json::Value = serde_json::from_str(&haze.raw).unwrap();
    assert_eq!(raw["name"], "Amnesia Haze – 1 g or 5 g");

    let coke = &records[1];
    assert_eq!(listing_values(coke, "title"), ["Kokain 2 g"]);
    assert_eq!(listing_values(coke, "recordId"), ["KK-2G"]);
    assert_eq!(listing_values(coke, "priceAmount"), ["1200.5"]);
    assert_eq!(listing_values(coke, "price"), ["1200.50 SEK"]);
    assert_eq!(listing_values(coke, "shipsFrom"), ["de"]);
    assert_eq!(listing_values(coke, "shipsTo"), ["se", "no"]);
    assert_eq!(listing_values(coke, "endDate"), ["2026-04-30"]);
    assert_eq!(listing_values(coke, "vendorName"), ["KungKoks"]);

    let mdma = &records[2];
    assert_eq!(listing_values(mdma, "price"), ["250.00 SEK", "2000.00 SEK"]);
    assert_eq!(listing_values(mdma, "vendorName"), ["Kemisten"]);
    let text = std::fs::read_to_string(fixtures().join("listing_jsonld.html")).unwrap();
    assert!(
        text.contains(&mdma.raw),
        "the block as written: {}",
        mdma.raw
    );
    assert!(mdma.raw.starts_with('{') && mdma.raw.ends_with('}'));
}

/// Vendors are one account across pages of one market, in either layout, and two accounts
/// across markets, even where the names look alike.
#[test]
fn listing_vendor_accounts_by_market() {
    let account = |r: &Record| of(r, "UserAccount").id.clone();
    let micro = listings("listing_microdata.html");
    let jsonld = listings("listing_jsonld.html");
    let nordic_here = account(&micro[0]);
    let nordic_there = account(&jsonld[0]);
    assert_ne!(nordic_here, nordic_there, "NordicBlooms and Nordic_Blooms");
    // the same name on another market is another account too
    assert_ne!(
        lagesbild_ingest::listing::account_id("Baltic Bazaar", "NordicBlooms"),
        nordic_here
    );
    // a second page of Nordmarknaden, as JSON-LD, with the name in other case and spacing
    let dir = tempfile::tempdir().unwrap();
    let page2 = r#"<!DOCTYPE html><html><head>
<meta property="og:site_name" content="Nordmarknaden">
<link rel="canonical" href="http://nordmujzdegxdncf32epf3dhodzdocis2jhtlgmxgedn73u55xtplpft.onion/kategori/cannabis?sida=2">
<script type="application/ld+json">{"@type": "Product", "name": "Gelato 5 g", "url": "/listing/1102",
 "offers": {"@type": "Offer", "price": "650", "priceCurrency": "SEK", "seller": {"@type": "Organization", "name": " nordicblooms "}}}</script>
</head><body></body></html>"#;
    let p = write(dir.path(), "sida2.html", page2.as_bytes());
    let r = read(&p, &options(None)).unwrap();
    assert_eq!(account(&r[0]), nordic_here);
    assert_eq!(r[0].source.line, 4);
    // a product without url, sku: its id keeps to the title, vendor and place in the file
    let page3 = page2.replace(r#" "url": "/listing/1102","#, "");
    let p3 = write(dir.path(), "sida3.html", page3.as_bytes());
    let a = read(&p3, &options(None)).unwrap();
    let b = read(&p3, &options(None)).unwrap();
    assert_eq!(of(&a[0], "Listing").id, of(&b[0], "Listing").id);
    assert_ne!(of(&a[0], "Listing").id, of(&r[0], "Listing").id);
}

/// A Telegram channel's web preview: a post per listing, `<br>` as line breaks, the emoji
/// kept, a forwarded post, a photo without text, a reply whose quote is not its text.
#[test]
fn listing_telegram_channel_preview() {
    let path = fixtures().join("listing_telegram.html");
    let records = listings("listing_telegram.html");
    assert_eq!(
        records.iter().map(|r| r.source.line).collect::<Vec<_>>(),
        [17, 30, 44, 59]
    );
    let channel = of(&records[0], "UserAccount");
    assert_eq!(one(channel, "service"), ["Telegram"]);
    assert_eq!(one(channel, "username"), ["norrsken_leverans"]);
    assert_eq!(one(channel, "name"), ["Norrsken 🌌 Leverans"]);
    for r in &records {
        assert_eq!(of(r, "UserAccount").id, channel.id);
        assert_eq!(listing_values(r, "market"), ["t.me"]);
        assert_eq!(listing_values(r, "vendor"), [channel.id.as_str()]);
        assert_eq!(listing_values(r, "vendorName"), ["Norrsken 🌌 Leverans"]);
        assert!(
            r.raw.starts_with("<div class=\"tgme_widget_message"),
            "{}",
            r.raw
        );
    }
    let menu = &records[0];
    assert_eq!(listing_values(menu, "title"), ["🍁 Haze 5g 600kr"]);
    assert_eq!(
        listing_values(menu, "description"),
        ["🍁 Haze 5g 600kr\n❄\u{fe0f} Kokain 1g 900kr\nLeverans Malmö"]
    );
    assert_eq!(
        listing_values(menu, "url"),
        ["https://t.me/norrsken_leverans/101"]
    );
    assert_eq!(listing_values(menu, "date"), ["2026-03-02T18:04:11"]);
    assert_eq!(listing_values(menu, "feedback"), ["1.2K views"]);
    // the extractor reads the menu's prices and drugs
    assert!(!listing_values(menu, "substanceMentioned").is_empty());
    assert!(!listing_values(menu, "priceMentioned").is_empty());

    let forwarded = &records[1];
    assert_eq!(listing_values(forwarded, "title"), ["NYTT i lager!"]);
    assert_eq!(
        listing_values(forwarded, "notes"),
        ["forwarded from Snabba Paket (https://t.me/snabba_paket/55)"]
    );
    let photo = &records[2];
    assert!(listing_values(photo, "title").is_empty());
    assert!(listing_values(photo, "description").is_empty());
    assert_eq!(
        listing_values(photo, "notes"),
        ["photo: https://cdn.example.org/file/norrsken-103.jpg"]
    );
    let reply = &records[3];
    assert_eq!(listing_values(reply, "title"), ["Slutsålt på Haze."]);
    assert_eq!(
        listing_values(reply, "description"),
        ["Slutsålt på Haze.\nNy leverans fredag, Göteborg & Borås."]
    );
    assert_eq!(
        listing_values(reply, "notes"),
        ["in reply to https://t.me/norrsken_leverans/101"]
    );
    let ids: BTreeSet<&str> = records
        .iter()
        .map(|r| of(r, "Listing").id.as_str())
        .collect();
    assert_eq!(ids.len(), 4);
    assert_eq!(path.extension().unwrap(), "html");
}

/// Found by content as well as by name, and by `--format html`.
#[test]
fn listing_detected_by_name_and_content() {
    let dir = tempfile::tempdir().unwrap();
    let page = std::fs::read(fixtures().join("listing_telegram.html")).unwrap();
    let p = write(dir.path(), "sparad_sida", &page);
    assert_eq!(open(&p, &options(None)).unwrap().meta.format, "listing");
    let p = write(dir.path(), "sida.htm", &page);
    assert_eq!(open(&p, &options(None)).unwrap().meta.format, "listing");
    let mut opts = options(None);
    opts.format = Some("html".parse().unwrap());
    let p = write(
        dir.path(),
        "sida.dat",
        b"<div itemscope itemtype=https://schema.org/Product><b itemprop=name>X</b></div>",
    );
    let r = read(&p, &opts).unwrap();
    assert_eq!(listing_values(&r[0], "title"), ["X"]);
    // without og:site_name or a canonical URL, the market is the file's name
    assert_eq!(listing_values(&r[0], "market"), ["sida"]);
}

#[test]
fn listing_errors_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixtures().join("listing_jsonld.html")).unwrap();
    // malformed JSON-LD: the line of its block, and what is wrong in it
    let bad = good.replacen(r#""name": "Kokain 2 g","#, r#""name": "Kokain 2 g""#, 1);
    let p = write(dir.path(), "bad.html", bad.as_bytes());
    let e = read(&p, &options(None)).unwrap_err();
    assert!(e.file.ends_with("bad.html"), "{e}");
    assert_eq!(e.line, Some(21), "{e}");
    assert!(e.message.contains("malformed JSON-LD"), "{e}");
    assert!(e.message.contains("expected `,` or `}`"), "{e}");

    // a page without listings
    let p = write(
        dir.path(),
        "tom.html",
        b"<!DOCTYPE html><html><body><p>Inget h\xC3\xA4r</p></body></html>",
    );
    let e = read(&p, &options(None)).unwrap_err();
    assert_eq!(e.message, lagesbild_ingest::listing::NO_LISTING);
    assert!(e.to_string().starts_with(&p.display().to_string()));

    // not UTF-8 and no charset declared: the byte and its line
    let p = write(
        dir.path(),
        "latin.html",
        b"<!DOCTYPE html>\n<html><body>\n<p>Sm\xF6rg\xE5s</p>",
    );
    let e = read(&p, &options(None)).unwrap_err();
    assert_eq!(e.line, Some(3), "{e}");
    assert!(e.message.contains("byte offset 34"), "{e}");

    // declared windows-1252: read in it, offsets of the file's bytes
    let page = b"<!DOCTYPE html>\n<html><head><meta charset=windows-1252></head><body>\n\
                 <div itemscope itemtype=\"https://schema.org/Product\"><h2 itemprop=name>Sm\xF6rg\xE5s \x80 5 g</h2></div>";
    let p = write(dir.path(), "cp1252.html", page);
    let r = read(&p, &options(None)).unwrap();
    assert_eq!(listing_values(&r[0], "title"), ["Smörgås € 5 g"]);
    assert_eq!(r[0].source.line, 3);
    assert_eq!(
        r[0].source.offset as usize,
        page.windows(4).position(|w| w == b"<div").unwrap()
    );
}

/// Each page into a fresh store: a record per listing, the listings and their vendors as
/// entities; a malformed page leaves the store as it was.
#[test]
fn listing_pages_through_the_store() {
    use lagesbild_model::{Principal, Purpose};
    use lagesbild_store::{IngestFailure, Store};

    let who = Principal::operator("anna", "Polisen");
    let why = Purpose::new("ärende 5000-K123-26").unwrap();
    let mut opts = options(None);
    opts.extract = false;
    let ingest = |store: &mut Store, path: &Path| -> Result<(), IngestError> {
        let opened = open(path, &opts)?;
        match store.access(&who, &why).ingest(opened.meta, opened.records) {
            Ok(_) => Ok(()),
            Err(IngestFailure::Input(e)) => Err(e),
            Err(IngestFailure::Store(e)) => panic!("{e}"),
        }
    };
    for (name, records, listings, accounts) in [
        ("listing_microdata.html", 5, 5, 3),
        ("listing_jsonld.html", 3, 3, 3),
        ("listing_telegram.html", 4, 4, 1),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::init(dir.path()).unwrap();
        ingest(&mut store, &fixtures().join(name)).unwrap();
        let stats = store.access(&who, &why).stats().unwrap();
        assert_eq!(
            (stats.batches, stats.records, stats.entities),
            (1, records, listings + accounts),
            "{name}"
        );
        let by_schema: BTreeMap<String, u64> = stats.by_schema.into_iter().collect();
        assert_eq!(by_schema.get("Listing"), Some(&listings), "{name}");
        assert_eq!(by_schema.get("UserAccount"), Some(&accounts), "{name}");

        // a malformed page: nothing of it is kept, and the error says where
        let good = std::fs::read_to_string(fixtures().join("listing_jsonld.html")).unwrap();
        let bad = good.replacen("\"offers\": {", "\"offers\": {{", 1);
        let bad_path = write(dir.path(), "trasig.html", bad.as_bytes());
        let before = store.access(&who, &why).stats().unwrap();
        let e = ingest(&mut store, &bad_path).unwrap_err();
        assert!(e.file.ends_with("trasig.html"), "{e}");
        assert_eq!(e.line, Some(21), "{e}");
        let after = store.access(&who, &why).stats().unwrap();
        assert_eq!(
            (
                before.batches,
                before.records,
                before.entities,
                before.statements
            ),
            (
                after.batches,
                after.records,
                after.entities,
                after.statements
            )
        );
    }
}

mod no_panics {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        /// Any bytes give records or an error naming the file, never a panic.
        #[test]
        fn readers_take_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400), kind in 0u8..6) {
            let dir = tempfile::tempdir().unwrap();
            let (name, mapping) = match kind {
                0 => ("x.csv", Some(MAP)),
                1 => ("x.jsonl", None),
                2 => ("x.txt", None),
                3 => ("x.xml", None),
                4 => ("x.html", None),
                _ => ("x.json", None),
            };
            let p = write(dir.path(), name, &bytes);
            if let Err(e) = read(&p, &options(mapping)) {
                prop_assert!(e.to_string().contains(name));
            }
        }

        /// Pages stitched from pieces of the three layouts, closed or not, nested or not: records
        /// placed on a line of the page, or an error, never a panic.
        #[test]
        fn listing_pages_of_pieces(pieces in proptest::collection::vec(0usize..PIECES.len(), 0..60)) {
            let page: String = pieces.iter().map(|k| PIECES[*k]).collect();
            let policy = std::sync::Arc::new(Policy::new("Polisen", "test", "test"));
            let lines = page.lines().count().max(1) as u64;
            match lagesbild_ingest::listing::read("p.html", page.as_bytes(), policy, &Context::default()) {
                Ok(records) => {
                    for r in records {
                        prop_assert!(r.source.line >= 1 && r.source.line <= lines + 1);
                        prop_assert!((r.source.offset as usize) < page.len().max(1));
                        prop_assert!(!r.raw.is_empty());
                    }
                }
                Err(e) => prop_assert!(e.to_string().starts_with("p.html")),
            }
        }
    }

    const PIECES: &[&str] = &[
        "<div itemscope itemtype=\"https://schema.org/Product\">",
        "<div itemscope itemtype=\"https://schema.org/Product\" itemref=\"a b\">",
        "<div id=a itemprop=offers itemscope itemtype=https://schema.org/AggregateOffer itemref=b>",
        "<span id=b itemprop=\"name price\" content=\"1 200,50\">",
        "<meta itemprop=priceCurrency content=SEK>",
        "<div itemprop=seller itemscope><b itemprop=name>Säljare</b></div>",
        "<a itemprop=url href=/x>",
        "</div>",
        "</span>\n",
        "<!--",
        "-->",
        "<script type=\"application/ld+json\">",
        "</script>",
        "{\"@type\": \"Product\", \"name\": \"x\", \"offers\": {\"@id\": \"#o\"}}",
        "{\"@graph\": [{\"@id\": \"#o\", \"@type\": \"AggregateOffer\", \"offers\": {\"@id\": \"#o\"}, \"lowPrice\": 5}]}",
        "<div class=\"tgme_widget_message\" data-post=\"kanal/1\">",
        "<div class=\"tgme_widget_message_text\">🍁 5g<br>",
        "<table>",
        "<p>åäö\n",
        "<title>",
        "<base href=\"http://h.onion/a/\">",
    ];
}

#[test]
fn a_csv_row_is_kept_as_a_json_object_of_its_columns() {
    // a column named twice keeps its first place and its last value (as a JSON map of the row
    // would); quotes, backslashes, line breaks and non-ASCII text are escaped as JSON
    let dir = tempfile::tempdir().unwrap();
    let csv = write(
        dir.path(),
        "rows.csv",
        "namn,not,namn,ort\n\"Åsa \"\"Ek\"\"\",\"a\\b\nc\",Åsa Ek,Malmö\n".as_bytes(),
    );
    let mapping = "q:\n  queries:\n    - entities:\n        p:\n          schema: Person\n          keys: [namn]\n          properties:\n            name:\n              column: namn\n";
    let records = read(&csv, &options(Some(mapping))).unwrap();
    assert_eq!(records.len(), 1);
    let raw: serde_json::Value = serde_json::from_str(&records[0].raw).unwrap();
    assert_eq!(
        records[0].raw,
        r#"{"namn":"Åsa Ek","not":"a\\b\nc","ort":"Malmö"}"#
    );
    assert_eq!(raw["not"], "a\\b\nc");
}
