//! Weft's benchmarks live in `benches/`; this library is empty. Run them with
//! `cargo bench -p weft-benches`.
