//! Fuzz target: text extraction on any UTF-8 text. No panic, and every mention's offsets are
//! inside the text on character boundaries. libFuzzer's timeout catches super-linear inputs.
#![no_main]

use lagesbild_extract::Extractor;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    thread_local! {
        static EX: Extractor = Extractor::default();
    }
    EX.with(|ex| {
        for m in ex.extract(text) {
            assert!(m.start < m.end && m.end <= text.len(), "{m:?}");
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end), "{m:?}");
            assert!(!m.value.is_empty(), "{m:?}");
        }
    });
});
