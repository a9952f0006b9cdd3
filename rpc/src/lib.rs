//! Weft's JSON-RPC API: the jsonrpsee API traits (server and client features), the server, its
//! limits and subscriptions.
//!
//! Contents arrive with the JSON-RPC issue; this crate exports nothing yet.
