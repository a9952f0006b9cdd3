//! The `weft` binary's integration tests, one binary: the client commands, the contract lifecycle
//! (upload, create, upgrade, trace), the devnet under SIGKILL and replay, the crash test — each through the real binary and a real socket.
// Test helpers outside `#[test]` functions unwrap too: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

mod cli;
mod crashtest;
mod devnet;
mod lifecycle;
mod network;
mod support;
