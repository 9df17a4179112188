//! Fuzz target: the FtM JSON Lines reader must return records or an error, never panic.
#![no_main]

use std::io::Cursor;
use std::sync::Arc;

use lagesbild_ingest::ftm::FtmReader;
use lagesbild_model::{Context, Policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let policy = Arc::new(Policy::new("fuzz", "fuzz", "fuzz"));
    for r in FtmReader::new("fuzz.jsonl", Cursor::new(data), policy, Context::default()) {
        if r.is_err() {
            break;
        }
    }
});
