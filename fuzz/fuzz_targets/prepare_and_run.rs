//! libFuzzer on `weft_fuzz_targets::prepare_and_run`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| weft_fuzz_targets::prepare_and_run(data));
