//! weft-consensus's integration tests, one binary: validators on Commonware's deterministic
//! runtime and simulated network (simulated time, link faults, restarts).

mod network;
mod support;
