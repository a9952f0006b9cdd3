//! Weft's end-to-end tests: one test binary, one module per topic.

// Test helpers outside `#[test]` functions unwrap too: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

mod author;
mod block_persistence;
mod simulation;
mod vm_restart;
