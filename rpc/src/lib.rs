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
    /// `weft_estimateGas`: the call fails whatever its gas; `data` holds its status and return data.
    pub const EXECUTION_FAILED: i32 = -32002;
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

/// A block header as served (hashes and roots as `0x` hex).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BlockView {
    /// The block's hash.
    pub hash: String,
    /// The parent's hash.
    pub parent_hash: String,
    /// Height.
    pub height: u64,
    /// Unix seconds.
    pub timestamp: u64,
    /// State root after the block.
    pub state_root: String,
    /// Merkle root of the transaction hashes.
    pub tx_root: String,
    /// Merkle root of the receipt hashes.
    pub receipt_root: String,
    /// Gas used by the block.
    pub gas_used: u64,
    /// The block gas limit.
    pub gas_limit: u64,
    /// The hashes of its transactions, in order.
    pub transactions: Vec<String>,
}

/// An event as served, with its block-wide log index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EventView {
    /// The emitting contract.
    pub address: String,
    /// Its topics.
    pub topics: Vec<String>,
    /// Its data.
    pub data: String,
    /// Its index among the block's events.
    pub log_index: u32,
}

/// A receipt as served.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReceiptView {
    /// The transaction.
    pub tx_hash: String,
    /// Its block.
    pub block_height: u64,
    /// Its index in the block.
    pub index: u32,
    /// `success`, `revert`, `out_of_gas` or `trap`.
    pub status: String,
    /// For a trap: its kind, function (if known) and message.
    pub trap: Option<String>,
    /// Gas charged.
    pub gas_used: u64,
    /// Return data on success, revert data on revert.
    pub return_data: String,
    /// Events (empty unless successful).
    pub events: Vec<EventView>,
    /// The created contract, for a successful deploy.
    pub contract_address: Option<String>,
    /// Debug log lines.
    pub logs: Vec<String>,
}

/// An included transaction as served.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TransactionView {
    /// Its hash.
    pub hash: String,
    /// The sender's address.
    pub from: String,
    /// Its nonce.
    pub nonce: u64,
    /// Its gas limit.
    pub gas_limit: u64,
    /// Its gas price, decimal.
    pub gas_price: String,
    /// The value sent, decimal.
    pub value: String,
    /// `deploy`, `call` or `transfer`.
    pub kind: String,
    /// The callee or recipient (absent for a deploy).
    pub to: Option<String>,
    /// The entry point, for a call.
    pub method: Option<String>,
    /// The block it is in.
    pub block_height: u64,
    /// Its index in the block.
    pub index: u32,
}

/// A dev account as served by `dev_accounts`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DevAccountView {
    /// Its name.
    pub name: String,
    /// Its address.
    pub address: String,
    /// Its secret key (devnet only: public knowledge).
    pub secret_key: String,
}

/// A call to run without a transaction (`weft_call`, `weft_estimateGas`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CallRequestView {
    /// The caller (default: the zero address, which holds nothing).
    pub from: Option<String>,
    /// The contract.
    pub to: String,
    /// The entry point.
    pub method: String,
    /// SCALE arguments as `0x` hex (default: none).
    pub args: Option<String>,
    /// Value sent, decimal (default 0); the caller must hold it.
    pub value: Option<String>,
    /// Gas limit for the call (default and maximum: the server's gas cap).
    pub gas: Option<u64>,
}

/// What a dry-run call did. Nothing of it is kept.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CallResultView {
    /// `success`, `revert`, `out_of_gas` or `trap`.
    pub status: String,
    /// For a trap: its kind, function (if known) and message.
    pub trap: Option<String>,
    /// Return data on success, revert data on revert.
    pub return_data: String,
    /// Gas the call used (without a transaction's intrinsic cost).
    pub gas_used: u64,
    /// Events it would emit (log indexes from 0).
    pub events: Vec<EventView>,
    /// Its debug log lines.
    pub logs: Vec<String>,
}

/// Read methods of the `weft_` namespace.
#[rpc(server, client, namespace = "weft")]
pub trait WeftReadApi {
    /// The block at `height` (`null` if there is none).
    #[method(name = "getBlockByNumber")]
    fn block_by_number(&self, height: u64) -> RpcResult<Option<BlockView>>;

    /// The block with `hash` (`null` if unknown).
    #[method(name = "getBlockByHash")]
    fn block_by_hash(&self, hash: String) -> RpcResult<Option<BlockView>>;

    /// The included transaction `hash` (`null` while pending or unknown).
    #[method(name = "getTransactionByHash")]
    fn transaction_by_hash(&self, hash: String) -> RpcResult<Option<TransactionView>>;

    /// The receipt of the transaction `hash` (`null` while pending or unknown).
    #[method(name = "getTransactionReceipt")]
    fn transaction_receipt(&self, hash: String) -> RpcResult<Option<ReceiptView>>;

    /// The balance of `address` at the head, as a decimal string (it may exceed JSON's safe integers).
    #[method(name = "getBalance")]
    fn balance(&self, address: String) -> RpcResult<String>;

    /// The next nonce of `address` at the head.
    #[method(name = "getNonce")]
    fn nonce(&self, address: String) -> RpcResult<u64>;

    /// The code (as deployed) of the contract at `address`, or `null`.
    #[method(name = "getCode")]
    fn code(&self, address: String) -> RpcResult<Option<String>>;

    /// The value of storage key `key` (hex) of the contract at `address`, or `null`.
    #[method(name = "getStorageAt")]
    fn storage_at(&self, address: String, key: String) -> RpcResult<Option<String>>;

    /// Runs a call against the head state and discards its effects.
    #[method(name = "call")]
    fn call(&self, request: CallRequestView) -> RpcResult<CallResultView>;

    /// The smallest gas limit with which a transaction making this call succeeds, its intrinsic
    /// cost included (at the head state; a later state may need more).
    #[method(name = "estimateGas")]
    fn estimate_gas(&self, request: CallRequestView) -> RpcResult<u64>;
}

/// The devnet's `dev_` namespace.
#[rpc(server, client, namespace = "dev")]
pub trait DevApi {
    /// Produces a block now with the ready transactions; returns its height.
    #[method(name = "mine")]
    fn mine(&self) -> RpcResult<u64>;

    /// The prefunded dev accounts with their keys.
    #[method(name = "accounts")]
    fn accounts(&self) -> RpcResult<Vec<DevAccountView>>;
}
