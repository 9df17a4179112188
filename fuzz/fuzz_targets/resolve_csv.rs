//! Fuzz target: the person-CSV reader of lagesbild-resolve (header recognition, delimiters,
//! encodings), and deduplicating what it reads.
#![no_main]

use std::collections::BTreeMap;

use lagesbild_resolve::csvio::{Encoding, read_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for encoding in [Encoding::Utf8, Encoding::Latin1] {
        if let Ok((records, _)) = read_bytes("people.csv", data, &BTreeMap::new(), encoding)
            && records.len() <= 200
        {
            let _ = lagesbild_resolve::dedupe(&records, &lagesbild_resolve::Settings::default());
        }
    }
});
