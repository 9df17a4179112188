//! Fuzz target: the FtM mapping parser.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = lagesbild_ingest::parse_mapping("fuzz.yml", text);
    }
});
