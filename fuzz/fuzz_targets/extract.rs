//! Fuzz target: text extraction on any UTF-8 text. No panic, and every mention's offsets are
//! inside the text on character boundaries. libFuzzer's timeout catches super-linear inputs;
//! the lexicon is compiled once before fuzzing starts, so its build is not counted.
#![no_main]

use std::sync::OnceLock;

use lagesbild_extract::Extractor;
use libfuzzer_sys::fuzz_target;

static EX: OnceLock<Extractor> = OnceLock::new();

fuzz_target!(
    init: {
        EX.get_or_init(Extractor::default);
    },
    |data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else { return };
        let ex = EX.get_or_init(Extractor::default);
        for m in ex.extract(text) {
            assert!(m.start < m.end && m.end <= text.len(), "{m:?}");
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end), "{m:?}");
            assert!(!m.value.is_empty(), "{m:?}");
        }
    }
);
