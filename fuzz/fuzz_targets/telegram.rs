//! Fuzz target: the Telegram Desktop export reader.
#![no_main]

use std::sync::Arc;

use lagesbild_ingest::telegram;
use lagesbild_model::{Context, Policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let policy = Arc::new(Policy::new("fuzz", "fuzz", "fuzz"));
    let _ = telegram::read("result.json", data, policy, &Context::default());
});
