//! Weft's JSON-RPC API: the jsonrpsee API traits (server and client), their wire types and limits.
//!
//! The node implements [`WeftApiServer`] over its handle and serves it over HTTP and WebSocket on
//! one port; Rust clients (the CLI, tests) use [`WeftApiClient`] on any jsonrpsee client.
//!
//! Wire conventions: `u64` quantities (chain id, heights, gas) are JSON numbers; hashes, addresses
//! and byte strings are `0x`-prefixed hex strings.

use jsonrpsee::core::RpcResult;
use jsonrpsee::proc_macros::rpc;

/// JSON-RPC error codes of Weft's domain errors (`-32602` is JSON-RPC's own "invalid params").
pub mod codes {
    /// A transaction was rejected (bad signature, nonce, balance, pool limits); `data` says why.
    pub const TX_REJECTED: i32 = -32000;
    /// The node failed (storage, a bug): not the request's fault.
    pub const NODE_FAULT: i32 = -32001;
}

/// The `weft_` namespace.
#[rpc(server, client, namespace = "weft")]
pub trait WeftApi {
    /// The chain id transactions must carry.
    #[method(name = "chainId")]
    fn chain_id(&self) -> RpcResult<u64>;

    /// The head block's height.
    #[method(name = "blockNumber")]
    fn block_number(&self) -> RpcResult<u64>;

    /// Submits a SCALE-encoded `SignedTransaction` (`0x` hex); returns its hash.
    #[method(name = "sendRawTransaction")]
    fn send_raw_transaction(&self, transaction: String) -> RpcResult<String>;
}
