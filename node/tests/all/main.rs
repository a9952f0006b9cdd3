//! The node's integration tests, one binary: the handle in process, the JSON-RPC server over a
//! real socket.
// Test helpers outside `#[test]` functions unwrap too: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

mod abuse;
mod handle;
mod rpc;
mod rpc_api;
mod support;
mod validator;
