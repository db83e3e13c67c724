//! Fuzz target: arbitrary bytes, decoded lossily, through segmentation and the whole analyzer;
//! panics when an invariant breaks (lossless spans, spans unmoved by normalisers, terms
//! consistent, stemming terminates). `cargo +nightly fuzz run analyze`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = dengar::text::fuzz_check(data) {
        panic!("{e}");
    }
});
