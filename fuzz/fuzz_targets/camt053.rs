//! Fuzz target: the ISO 20022 camt.053 bank statement reader.
#![no_main]

use std::sync::Arc;

use lagesbild_ingest::camt053;
use lagesbild_model::{Context, Policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let policy = Arc::new(Policy::new("fuzz", "fuzz", "fuzz"));
    let _ = camt053::read("statement.xml", data, policy, &Context::default());
});
