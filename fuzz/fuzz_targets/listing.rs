//! Fuzz target: the reader of drug-listing pages (microdata, JSON-LD, Telegram previews).
#![no_main]

use std::sync::Arc;

use lagesbild_ingest::listing;
use lagesbild_model::{Context, Policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let policy = Arc::new(Policy::new("fuzz", "fuzz", "fuzz"));
    let _ = listing::read("page.html", data, policy, &Context::default());
});
