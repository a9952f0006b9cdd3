//! libFuzzer on `weft_fuzz_targets::chain_data`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| weft_fuzz_targets::chain_data(data));
