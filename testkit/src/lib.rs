//! `weft-testkit`: an in-process chain for contract unit tests in plain `cargo test`, running the
//! node's own validate → instrument → compile → execute pipeline.
//!
//! Contents arrive with the test-harness issue; this crate exports nothing yet.
