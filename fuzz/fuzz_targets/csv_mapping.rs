//! Fuzz target: CSV through a fixed FtM mapping, in both encodings.
#![no_main]

use std::io::Cursor;
use std::sync::Arc;

use lagesbild_ingest::csvmap::{CsvReader, Encoding};
use lagesbild_ingest::parse_mapping;
use lagesbild_model::{Context, Policy};
use libfuzzer_sys::fuzz_target;

const MAPPING: &str = "d:\n  queries:\n    - entities:\n        p:\n          schema: Person\n          keys: [id, name]\n          properties:\n            name: {column: name}\n            phone: {column: phone}\n            birthDate: {column: born, format: \"%d.%m.%Y\"}\n        a:\n          schema: BankAccount\n          keys: [iban]\n          properties:\n            iban: {column: iban, strict: true}\n        o:\n          schema: Ownership\n          keys: [id]\n          properties:\n            owner: {entity: p}\n            asset: {entity: a}\n      policy:\n        grading: {column: grade}\n";

fuzz_target!(|data: &[u8]| {
    let mapping = parse_mapping("m.yml", MAPPING).expect("the fixed mapping parses");
    let queries = &mapping.datasets[0].1;
    let policy = Arc::new(Policy::new("fuzz", "fuzz", "fuzz"));
    for (delimiter, encoding) in [(b',', Encoding::Utf8), (b';', Encoding::Windows1252)] {
        let Ok(reader) = CsvReader::new(
            "fuzz.csv",
            Cursor::new(data),
            "d",
            delimiter,
            encoding,
            queries,
            policy.clone(),
            Context::default(),
        ) else {
            continue;
        };
        for r in reader {
            if r.is_err() {
                break;
            }
        }
    }
});
