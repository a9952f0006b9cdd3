//! Weft's JSON-RPC API: the jsonrpsee API traits (server and client), their wire types and limits.
//!
//! The node implements [`WeftApiServer`] (and the other `*Server` traits) over its handle and
//! serves them over HTTP and WebSocket on one port; with the `client` feature, Rust clients (the
//! CLI, tests) get `WeftApiClient`, `WeftReadApiClient`, `WeftPubSubApiClient` and `DevApiClient`
//! on any jsonrpsee client, generated from the same traits.
//!
//! Methods that touch the chain (reads of blocks, receipts, state and logs; submissions; devnet
//! controls) are `blocking`: the server runs them on Tokio's blocking pool, so a slow one never
//! holds up an async worker, and `chainId` or `blockNumber` answer meanwhile.
//!
//! Wire conventions: `u64` quantities (chain id, heights, gas) are JSON numbers; hashes, addresses
//! and byte strings are `0x`-prefixed hex strings.

mod block_tag;
mod openrpc;

pub use block_tag::{BlockName, BlockTag};
pub use openrpc::openrpc_document;

use jsonrpsee::core::RpcResult;
use jsonrpsee::proc_macros::rpc;

/// JSON-RPC error codes of Weft's domain errors. JSON-RPC's own: `-32700` parse error, `-32600`
/// invalid request, `-32601` method not found, `-32602` invalid params. The server's limits
/// (jsonrpsee's codes): `-32006` too many subscriptions, `-32007` request too large (WebSocket;
/// over HTTP the status is 413), `-32008` response too large, `-32009` server busy, `-32010` batch
/// too large.
///
/// A rejected transaction's `data` is `{"reason": REASON, "message": TEXT}` with `REASON` the
/// snake_case name of the rejection (`nonce_too_low`, `bad_signature`, ...); a failed execution's
/// `data` is [`CallResultView`].
pub mod codes {
    /// A transaction was rejected for a reason without a code of its own (malformed, too large,
    /// duplicate, nonce taken).
    pub const TX_REJECTED: i32 = -32000;
    /// The node failed (storage, a bug): not the request's fault.
    pub const NODE_FAULT: i32 = -32001;
    /// The call trapped whatever its gas (`weft_estimateGas`, `weft_sendTransaction` estimates).
    pub const EXECUTION_TRAPPED: i32 = -32002;
    /// The call reverted; `data.return_data` holds the revert data.
    pub const EXECUTION_REVERTED: i32 = -32003;
    /// The call ran out of gas even at the server's gas cap.
    pub const OUT_OF_GAS: i32 = -32004;
    /// A `call` or `estimateGas` ran past the server's wall-clock timeout.
    pub const TIMEOUT: i32 = -32020;
    /// Bad signature, invalid signer key or wrong chain id.
    pub const BAD_SIGNATURE: i32 = -32030;
    /// The nonce was already used.
    pub const NONCE_TOO_LOW: i32 = -32031;
    /// The nonce is too far ahead to be queued.
    pub const NONCE_TOO_HIGH: i32 = -32032;
    /// The sender cannot pay value + gas limit × gas price.
    pub const INSUFFICIENT_FUNDS: i32 = -32033;
    /// The gas limit is below the intrinsic cost or above the block gas limit.
    pub const GAS_LIMIT: i32 = -32034;
    /// The pool (or the sender's queue in it) is full.
    pub const POOL_FULL: i32 = -32035;
    /// A devnet control was refused (unknown snapshot, timestamp in the past, unknown dev account).
    pub const DEV_REFUSED: i32 = -32040;
    /// Arguments given as JSON do not match the contract's ABI, or it has none.
    pub const ABI_MISMATCH: i32 = -32041;
    /// A `getLogs` range is wider than the server serves.
    pub const RANGE_TOO_WIDE: i32 = -32042;
}

/// The most blocks one `dev_mine` produces.
pub const MAX_MINED_BLOCKS: u64 = 10_000;

/// The `weft_` namespace.
#[cfg_attr(feature = "client", rpc(server, client, namespace = "weft"))]
#[cfg_attr(not(feature = "client"), rpc(server, namespace = "weft"))]
pub trait WeftApi {
    /// The chain id transactions must carry.
    #[method(name = "chainId")]
    fn chain_id(&self) -> RpcResult<u64>;

    /// The head block's height.
    #[method(name = "blockNumber")]
    fn block_number(&self) -> RpcResult<u64>;

    /// Submits a SCALE-encoded `SignedTransaction` (`0x` hex); returns its hash.
    #[method(name = "sendRawTransaction", blocking)]
    fn send_raw_transaction(&self, transaction: String) -> RpcResult<String>;

    /// Devnet: the node signs for one of its dev accounts (by name or address) with its next free
    /// nonce and submits; returns the hash.
    #[method(name = "sendTransaction")]
    async fn send_transaction(&self, request: SendTransactionView) -> RpcResult<String>;
}

/// Contract arguments: a `0x` hex string is the SCALE bytes as they are; a JSON array is encoded
/// through the contract's ABI (the `weft_abi` section), one element per argument.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum ArgsView {
    /// SCALE bytes as `0x` hex.
    Hex(String),
    /// Arguments as JSON values, in order.
    Json(Vec<serde_json::Value>),
}

/// A transaction for the node to sign (`weft_sendTransaction`, devnet only). With `code` it is a
/// deploy (`args` for the constructor); with `to` and `method` a call; with `to` alone a transfer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct SendTransactionView {
    /// A dev account: its name (`alice`) or address.
    pub from: String,
    /// The callee or recipient.
    pub to: Option<String>,
    /// The entry point of a call.
    pub method: Option<String>,
    /// Wasm code (`0x` hex) to deploy.
    pub code: Option<String>,
    /// Arguments (hex SCALE or a JSON array).
    pub args: Option<ArgsView>,
    /// Salt of a deploy (`0x` + 64 hex; default zero).
    pub salt: Option<String>,
    /// Value, decimal (default 0).
    pub value: Option<String>,
    /// Gas limit (default: estimated for calls, 10⁸ for deploys).
    pub gas: Option<u64>,
    /// Gas price, decimal (default 1).
    pub gas_price: Option<String>,
}

/// A log (event) with where it was emitted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct LogView {
    /// The emitting contract.
    pub address: String,
    /// Its topics.
    pub topics: Vec<String>,
    /// Its data.
    pub data: String,
    /// Its index among the block's events.
    pub log_index: u32,
    /// The block's height.
    pub block_height: u64,
    /// The block's hash.
    pub block_hash: String,
    /// The transaction's hash.
    pub tx_hash: String,
    /// The transaction's index in the block.
    pub tx_index: u32,
}

/// One address or several.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One.
    One(String),
    /// Any of these.
    Many(Vec<String>),
}

/// Which logs `weft_getLogs` and the `logs` subscription select. Topics match by position: `null`
/// is any, a string that topic, an array any of those; a log with fewer topics than the filter's
/// non-null positions does not match.
#[derive(
    Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct LogFilterView {
    /// First block: a height, `"latest"` or `"earliest"` (default: the head). Ignored by
    /// subscriptions.
    pub from_block: Option<BlockTag>,
    /// Last block (default: the head). Ignored by subscriptions.
    pub to_block: Option<BlockTag>,
    /// Emitting contract(s) (default: any).
    pub address: Option<OneOrMany>,
    /// Topics by position.
    #[serde(default)]
    pub topics: Vec<Option<OneOrMany>>,
}

/// What a `weft_subscribe` subscription sends.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum SubscriptionItem {
    /// `newHeads`: each new block's header.
    Head(BlockView),
    /// `logs`: each matching log of each new block.
    Log(LogView),
    /// `pendingTransactions`: the hash of each transaction the pool admits.
    Pending(String),
}

/// A block header as served (hashes and roots as `0x` hex).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
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
    /// The transactions themselves, when asked for with `full`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_transactions: Option<Vec<TransactionView>>,
    /// On a network, the certificate of the validators' quorum that finalized this block
    /// (Commonware Simplex's ed25519 finalization, `0x` hex: the round, the block hash, the
    /// signers and their signatures); absent on a devnet, and for a block a node learnt as the
    /// ancestor of a finalized one (the descendant's certificate covers it through the parent
    /// hashes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finalization: Option<String>,
}

/// An event as served, with its block-wide log index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ReceiptView {
    /// The transaction.
    pub tx_hash: String,
    /// Its block.
    pub block_height: u64,
    /// Its index in the block.
    pub index: u32,
    /// How it ended.
    pub status: StatusView,
    /// For a trap: its kind.
    pub trap_kind: Option<TrapKindView>,
    /// For a trap: its kind, function (if known) and message, in words (not consensus data).
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

/// How a transaction or a dry run ended, as served: `success`, `revert`, `out_of_gas` or `trap`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum StatusView {
    /// The entry point returned; its state changes stay.
    Success,
    /// The contract reverted; its state changes are undone.
    Revert,
    /// The gas ran out.
    OutOfGas,
    /// The call trapped (see `trap_kind`).
    Trap,
}

impl StatusView {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Revert => "revert",
            Self::OutOfGas => "out_of_gas",
            Self::Trap => "trap",
        }
    }
}

/// Why a call trapped, as served (the receipt's typed trap kind).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TrapKindView {
    /// `unreachable` ran.
    Unreachable,
    /// A memory access out of bounds.
    MemoryOutOfBounds,
    /// A table access out of bounds.
    TableOutOfBounds,
    /// An indirect call to a null entry.
    IndirectCallToNull,
    /// An indirect call with the wrong signature.
    BadSignature,
    /// An integer overflow.
    IntegerOverflow,
    /// A division by zero.
    IntegerDivisionByZero,
    /// A float-to-integer conversion out of range.
    BadConversionToInteger,
    /// The stack-height limit.
    StackOverflow,
    /// A host function refused the call.
    HostError,
    /// The contract called `abort`.
    Abort,
    /// Nested calls went deeper than the limit.
    CallDepthExceeded,
}

/// What a transaction does, as served: `deploy`, `call` or `transfer`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TxKindView {
    /// A contract deploy.
    Deploy,
    /// A contract call.
    Call,
    /// A value transfer.
    Transfer,
    /// Code stored for later deploys.
    Upload,
    /// A deploy of stored code.
    Instantiate,
}

/// An included transaction as served.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
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
    /// What it does.
    pub kind: TxKindView,
    /// The callee or recipient (absent for a deploy, an upload or an instantiate).
    pub to: Option<String>,
    /// The entry point, for a call.
    pub method: Option<String>,
    /// The code deployed, for an instantiate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_hash: Option<String>,
    /// The block it is in.
    pub block_height: u64,
    /// Its index in the block.
    pub index: u32,
}

/// A dev account as served by `dev_accounts`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct DevAccountView {
    /// Its name.
    pub name: String,
    /// Its address.
    pub address: String,
    /// Its secret key (devnet only: public knowledge).
    pub secret_key: String,
}

/// A call to run without a transaction (`weft_call`, `weft_estimateGas`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct CallRequestView {
    /// The caller (default: the zero address, which holds nothing).
    pub from: Option<String>,
    /// The contract.
    pub to: String,
    /// The entry point (the ABI's method name or the export). Absent: a plain value transfer,
    /// which only `weft_estimateGas` takes (its intrinsic gas).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Arguments (hex SCALE or a JSON array; default: none).
    pub args: Option<ArgsView>,
    /// Value sent, decimal (default 0); the caller must hold it.
    pub value: Option<String>,
    /// Gas limit for the call (default and maximum: the server's gas cap).
    pub gas: Option<u64>,
    /// Run against the state after this block (a height, `"latest"` for the head, `"earliest"`),
    /// with its height and timestamp (default: the head state, as the next block would run it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<BlockTag>,
}

/// What a dry-run call did. Nothing of it is kept.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct CallResultView {
    /// How it ended.
    pub status: StatusView,
    /// For a trap: its kind.
    pub trap_kind: Option<TrapKindView>,
    /// For a trap: its kind, function (if known) and message, in words (not consensus data).
    pub trap: Option<String>,
    /// Return data on success, revert data on revert.
    pub return_data: String,
    /// Gas the call used (without a transaction's intrinsic cost).
    pub gas_used: u64,
    /// Events it would emit (log indexes from 0).
    pub events: Vec<EventView>,
    /// Its debug log lines.
    pub logs: Vec<String>,
    /// The return value decoded through the contract's ABI, when it has one.
    pub decoded: Option<serde_json::Value>,
}

/// Read methods of the `weft_` namespace.
#[cfg_attr(feature = "client", rpc(server, client, namespace = "weft"))]
#[cfg_attr(not(feature = "client"), rpc(server, namespace = "weft"))]
pub trait WeftReadApi {
    /// The block at `height` (`"latest"`: the head, `"earliest"`: genesis; `null` if there is
    /// none); with `full`, its transactions too.
    #[method(name = "getBlockByNumber", blocking)]
    fn block_by_number(&self, height: BlockTag, full: Option<bool>) -> RpcResult<Option<BlockView>>;

    /// The block with `hash` (`null` if unknown); with `full`, its transactions too.
    #[method(name = "getBlockByHash", blocking)]
    fn block_by_hash(&self, hash: String, full: Option<bool>) -> RpcResult<Option<BlockView>>;

    /// The included transaction `hash` (`null` while pending or unknown).
    #[method(name = "getTransactionByHash", blocking)]
    fn transaction_by_hash(&self, hash: String) -> RpcResult<Option<TransactionView>>;

    /// The receipt of the transaction `hash` (`null` while pending or unknown).
    #[method(name = "getTransactionReceipt", blocking)]
    fn transaction_receipt(&self, hash: String) -> RpcResult<Option<ReceiptView>>;

    /// The balance of `address` at the head, as a decimal string (it may exceed JSON's safe integers).
    #[method(name = "getBalance", blocking)]
    fn balance(&self, address: String) -> RpcResult<String>;

    /// The next nonce of `address` at the head.
    #[method(name = "getNonce", blocking)]
    fn nonce(&self, address: String) -> RpcResult<u64>;

    /// The nonce a new transaction from `address` takes: after its transactions waiting in the
    /// pool (what a client signs with when it sends several before they are mined).
    #[method(name = "getPendingNonce", blocking)]
    fn pending_nonce(&self, address: String) -> RpcResult<u64>;

    /// The code (as deployed) of the contract at `address`, or `null`.
    #[method(name = "getCode", blocking)]
    fn code(&self, address: String) -> RpcResult<Option<String>>;

    /// The value of storage key `key` (hex) of the contract at `address`, or `null`.
    #[method(name = "getStorageAt", blocking)]
    fn storage_at(&self, address: String, key: String) -> RpcResult<Option<String>>;

    /// Runs a call against the head state and discards its effects.
    #[method(name = "call")]
    async fn call(&self, request: CallRequestView) -> RpcResult<CallResultView>;

    /// The smallest gas limit with which a transaction making this call succeeds, its intrinsic
    /// cost included (at the head state; a later state may need more).
    #[method(name = "estimateGas")]
    async fn estimate_gas(&self, request: CallRequestView) -> RpcResult<u64>;

    /// The logs of the blocks `from_block..=to_block` that match the filter, in chain order.
    #[method(name = "getLogs", blocking)]
    fn logs(&self, filter: LogFilterView) -> RpcResult<Vec<LogView>>;

    /// The trace of the included transaction `hash`: its call tree with gas per frame (`null`
    /// while pending or unknown, and once the node pruned it: nodes keep the traces of their
    /// latest blocks only). Traces are not consensus data.
    #[method(name = "traceTransaction", blocking)]
    fn trace_transaction(&self, hash: String) -> RpcResult<Option<TraceView>>;

    /// Runs a call as `weft_call` does and returns its trace; nothing of it is kept.
    #[method(name = "traceCall")]
    async fn trace_call(&self, request: CallRequestView) -> RpcResult<TraceView>;
}

/// What an execution wrote for people: how it ended, its debug log lines and its call tree.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct TraceView {
    /// The transaction (absent for `weft_traceCall`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx_hash: Option<String>,
    /// How it ended.
    pub status: StatusView,
    /// Gas used (for a transaction, its intrinsic cost included).
    pub gas_used: u64,
    /// Debug log lines of every frame, in order.
    pub logs: Vec<String>,
    /// The outermost frame (absent for a transfer or an upload, which run no code).
    pub calls: Option<CallTraceView>,
}

/// Why a frame ran, as served.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FrameKindView {
    /// A call of an entry point.
    Call,
    /// A transaction's deploy or instantiate: the constructor.
    Deploy,
    /// A contract's `create`: the constructor.
    Create,
    /// A contract's `upgrade`: the new code's `migrate`.
    Migrate,
}

/// How a frame ended, as served.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FrameStatusView {
    /// It returned.
    Success,
    /// It reverted; its changes were undone.
    Revert,
    /// It ran out of gas; its changes were undone.
    OutOfGas,
    /// It trapped (see `trap_kind`); its changes were undone.
    Trap,
    /// It did not start (see `trap` for why); it used no gas.
    Refused,
}

/// One frame of a call tree, as served.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct CallTraceView {
    /// Why it ran.
    pub kind: FrameKindView,
    /// Who started it.
    pub caller: String,
    /// The contract that ran.
    pub contract: String,
    /// The entry point.
    pub entry: String,
    /// The value sent, decimal.
    pub value: String,
    /// Bytes of input.
    pub input_len: u32,
    /// Bytes of return or revert data.
    pub output_len: u32,
    /// The most gas it could use.
    pub gas_limit: u64,
    /// The gas it used, its callees' included.
    pub gas_used: u64,
    /// How it ended.
    pub status: FrameStatusView,
    /// For a trap: its kind.
    pub trap_kind: Option<TrapKindView>,
    /// For a trap or a refusal: why, in words.
    pub trap: Option<String>,
    /// For a trap: the wasm function, when known.
    pub trap_function: Option<String>,
    /// The host functions it called (not its callees), with how many times, in ABI order.
    pub host_calls: Vec<HostCallView>,
    /// What it did, in order.
    pub steps: Vec<TraceStepView>,
}

/// A host function and how many times a frame called it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct HostCallView {
    /// Its name.
    pub name: String,
    /// Calls.
    pub count: u32,
}

/// One thing a frame did: `{"type": "log", "line": ..}`, `{"type": "event", ..event}` or
/// `{"type": "frame", ..frame}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TraceStepView {
    /// A debug log line.
    Log {
        /// The line.
        line: String,
    },
    /// An event it emitted (`log_index` counts the trace's events from 0; the receipt keeps only
    /// those of frames that succeeded).
    Event(EventView),
    /// A frame it started.
    Frame(CallTraceView),
}

/// Live subscriptions (WebSocket): `weft_subscribe(kind, filter?)` with `kind` one of `newHeads`,
/// `logs` (with a [`LogFilterView`]) or `pendingTransactions`; notifications are
/// `weft_subscription`; `weft_unsubscribe(id)` ends one.
#[cfg_attr(feature = "client", rpc(server, client, namespace = "weft"))]
#[cfg_attr(not(feature = "client"), rpc(server, namespace = "weft"))]
pub trait WeftPubSubApi {
    /// Subscribes to `kind`.
    #[subscription(name = "subscribe" => "subscription", unsubscribe = "unsubscribe", item = SubscriptionItem)]
    async fn subscribe_to(
        &self,
        kind: String,
        filter: Option<LogFilterView>,
    ) -> jsonrpsee::core::SubscriptionResult;
}

/// The devnet's `dev_` namespace.
#[cfg_attr(feature = "client", rpc(server, client, namespace = "dev"))]
#[cfg_attr(not(feature = "client"), rpc(server, namespace = "dev"))]
pub trait DevApi {
    /// Produces `count` blocks now (default 1, at most [`MAX_MINED_BLOCKS`]), the first with the
    /// ready transactions; returns the last one's height.
    #[method(name = "mine", blocking)]
    fn mine(&self, count: Option<u64>) -> RpcResult<u64>;

    /// The prefunded dev accounts with their keys.
    #[method(name = "accounts")]
    fn accounts(&self) -> RpcResult<Vec<DevAccountView>>;

    /// Records the chain as it is; returns the id `dev_revert` takes.
    #[method(name = "snapshot", blocking)]
    fn snapshot(&self) -> RpcResult<u64>;

    /// Returns the chain to snapshot `id` (used up, with every later one; the pool is emptied);
    /// returns the head height after it.
    #[method(name = "revert", blocking)]
    fn revert(&self, id: u64) -> RpcResult<u64>;

    /// Moves the clock forward `seconds` for later blocks; returns the total shift.
    #[method(name = "increaseTime")]
    fn increase_time(&self, seconds: u64) -> RpcResult<u64>;

    /// Gives the next block `timestamp` (Unix seconds, not before the head's).
    #[method(name = "setNextBlockTimestamp")]
    fn set_next_block_timestamp(&self, timestamp: u64) -> RpcResult<()>;

    /// Sets the balance (decimal) of `address`.
    #[method(name = "setBalance", blocking)]
    fn set_balance(&self, address: String, balance: String) -> RpcResult<()>;

    /// Sets storage `key` (hex) of the contract at `address` to `value` (hex), or removes it with
    /// `null`.
    #[method(name = "setStorageAt", blocking)]
    fn set_storage_at(&self, address: String, key: String, value: Option<String>) -> RpcResult<()>;
}
