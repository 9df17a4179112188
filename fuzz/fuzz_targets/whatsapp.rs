//! Fuzz target: the WhatsApp chat export reader.
#![no_main]

use std::sync::Arc;

use lagesbild_ingest::whatsapp;
use lagesbild_model::{Context, Policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let policy = Arc::new(Policy::new("fuzz", "fuzz", "fuzz"));
    let _ = whatsapp::read("WhatsApp Chat with X.txt", data, policy, &Context::default());
});
