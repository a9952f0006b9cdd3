//! weft-consensus's integration tests, one binary: validators on Commonware's deterministic
//! runtime and simulated network (simulated time, link faults, restarts).
// Test helpers outside `#[test]` functions unwrap too: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

mod network;
mod support;
