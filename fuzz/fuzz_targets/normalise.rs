//! Fuzz target: every value type's normaliser, and idempotence of its output.
#![no_main]

use lagesbild_model::types::{PropType, normalise};
use lagesbild_model::Context;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ctx = Context::default();
    for t in PropType::ALL {
        if let Some(n) = normalise(t, text, &ctx) {
            if n.valid {
                let again = normalise(t, &n.value, &ctx).expect("a valid value is not empty");
                assert_eq!(again.value, n.value, "{t:?} is not idempotent on {text:?}");
            }
        }
    }
});
