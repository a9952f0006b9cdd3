//! The node's JSON-RPC server: the `weft_rpc` API traits over a [`NodeHandle`], HTTP and
//! WebSocket on one port, with the limits of [`RpcLimits`].
//!
//! - `api`: `weft_` (transactions, reads, dry runs, gas estimates, JSON arguments via the ABI);
//! - `trace`: the call trees of `weft_traceTransaction` and `weft_traceCall`;
//! - `logs`: `weft_getLogs` and `weft_subscribe` (new heads, logs, pending transactions);
//! - `dev`: the devnet's `dev_` namespace;
//! - `discover`: `rpc_methods` and `rpc.discover` (OpenRPC);
//! - `explorer`: the devnet explorer page, answered to a plain `GET /`;
//! - `params`: parameters checked against the OpenRPC document;
//! - `transport`: the accept loop (a cap on connections, request ids checked).

mod api;
mod dev;
mod discover;
mod explorer;
mod logs;
mod params;
mod trace;
mod transport;

pub use transport::serve;

/// What the server's checks make of an untrusted request body, before jsonrpsee reads it: the
/// ids of its entries, and the parameters of each against the OpenRPC document. For fuzzing:
/// it must not panic, whatever the bytes.
pub fn check_untrusted_body(body: &[u8]) {
    let inspected = transport::inspect(body);
    let body = inspected.rewritten.as_deref().unwrap_or(body);
    static SIGNATURES: std::sync::OnceLock<params::Signatures> = std::sync::OnceLock::new();
    let signatures =
        SIGNATURES.get_or_init(|| params::Signatures::from_document(&weft_rpc::openrpc_document()));
    let entries: Vec<serde_json::Value> = match serde_json::from_slice(body) {
        Ok(serde_json::Value::Array(entries)) => entries,
        Ok(one) => vec![one],
        Err(_) => return,
    };
    for entry in entries {
        if let (Some(method), params) = (entry["method"].as_str(), entry.get("params")) {
            let _ = signatures.check(method, params.map(ToString::to_string).as_deref());
        }
    }
}

use std::sync::Arc;
use std::time::Duration;

use jsonrpsee::RpcModule;
use jsonrpsee::core::RpcResult;
use jsonrpsee::types::{ErrorObject, ErrorObjectOwned};
use tokio::sync::Semaphore;
use weft_rpc::{DevApiServer, WeftApiServer, WeftPubSubApiServer, WeftReadApiServer, codes};

use weft_chain::{MAX_TX_BYTES, TxRejection};

use crate::error::NodeError;
use crate::node::{NodeHandle, SubmitError};

/// The server's limits; exceeding one is an error for that request, and the server serves on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RpcLimits {
    /// Largest request body read, in bytes.
    pub max_request_bytes: u32,
    /// Largest response body sent, in bytes.
    pub max_response_bytes: u32,
    /// Connections served at once.
    pub max_connections: u32,
    /// Requests in one batch.
    pub max_batch: u32,
    /// Subscriptions per WebSocket connection.
    pub max_subscriptions: u32,
    /// The most gas a `weft_call` / `weft_estimateGas` may use.
    pub call_gas_cap: u64,
    /// Wall-clock bound of a `weft_call` / `weft_estimateGas`, waiting for a permit included (the
    /// gas cap bounds each run; an estimate stops at its next run past this).
    pub call_timeout: Duration,
    /// `weft_call`s and `weft_estimateGas`es run at once; more wait for a permit (within their
    /// timeout), so dry runs cannot take every core from the rest of the node.
    pub max_concurrent_calls: u32,
    /// Blocks one `weft_getLogs` may scan.
    pub max_log_blocks: u64,
    /// How far below the head a `weft_call` with `"block"` may run: it undoes the history of every
    /// newer block first.
    pub max_history_depth: u64,
}

impl Default for RpcLimits {
    fn default() -> Self {
        Self {
            // The largest transaction, hex-encoded, and its JSON envelope fit (so does a
            // `weft_sendTransaction` of the largest contract the code limit allows).
            max_request_bytes: (2 * MAX_TX_BYTES + (1 << 20)) as u32,
            max_response_bytes: 16 << 20,
            max_connections: 100,
            max_batch: 100,
            max_subscriptions: 64,
            call_gas_cap: 1_000_000_000,
            call_timeout: Duration::from_secs(5),
            max_concurrent_calls: 2,
            max_log_blocks: 10_000,
            max_history_depth: 1_024,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
struct Api {
    node: NodeHandle,
    limits: RpcLimits,
    /// Permits for dry runs, [`RpcLimits::max_concurrent_calls`] of them.
    dry_runs: Arc<Semaphore>,
}

/// `-32020`: the request ran past the server's timeout.
fn timed_out(timeout: Duration) -> ErrorObjectOwned {
    ErrorObject::owned(
        codes::TIMEOUT,
        format!(
            "the request ran past the server's {} ms timeout",
            timeout.as_millis()
        ),
        None::<()>,
    )
}

/// `-32602` invalid params.
fn invalid_params(message: String) -> ErrorObjectOwned {
    ErrorObject::owned(jsonrpsee::types::error::INVALID_PARAMS_CODE, message, None::<()>)
}

/// `-32042`: a request reaching over more blocks than the server allows.
fn range_too_wide(message: String) -> ErrorObjectOwned {
    ErrorObject::owned(codes::RANGE_TOO_WIDE, message, None::<()>)
}

/// A node fault, logged: not the request's doing.
fn fault(error: impl Into<NodeError>) -> ErrorObjectOwned {
    let error = error.into();
    tracing::error!("node fault while serving a request: {error}");
    ErrorObject::owned(codes::NODE_FAULT, error.to_string(), None::<()>)
}

/// A rejected transaction: its code, message and `{"reason", "message"}`.
fn rejected(why: &TxRejection) -> ErrorObjectOwned {
    use weft_primitives::TxError;
    let code = match why {
        TxRejection::Invalid(
            TxError::BadSignature | TxError::InvalidPublicKey | TxError::WrongChainId { .. },
        ) => codes::BAD_SIGNATURE,
        TxRejection::NonceTooLow { .. } => codes::NONCE_TOO_LOW,
        TxRejection::NonceTooHigh { .. } => codes::NONCE_TOO_HIGH,
        TxRejection::InsufficientBalance { .. } | TxRejection::CostOverflow => codes::INSUFFICIENT_FUNDS,
        TxRejection::IntrinsicGas { .. } | TxRejection::GasLimitAboveBlock { .. } => codes::GAS_LIMIT,
        TxRejection::PoolFull(_) => codes::POOL_FULL,
        TxRejection::TooLarge { .. }
        | TxRejection::InputTooLarge { .. }
        | TxRejection::InvalidCode(_)
        | TxRejection::Malformed(_)
        | TxRejection::Duplicate(_)
        | TxRejection::NonceTaken(_) => codes::TX_REJECTED,
    };
    let data = serde_json::json!({"reason": why.reason(), "message": why.to_string()});
    ErrorObject::owned(code, format!("transaction rejected: {why}"), Some(data))
}

fn submit_error(error: SubmitError) -> ErrorObjectOwned {
    match error {
        SubmitError::Rejected(why) => rejected(&why),
        SubmitError::Fault(error) => fault(error),
    }
}

/// Parses `text` as a `T`, or `-32602` naming `what`.
fn parse<T: std::str::FromStr>(what: &str, text: &str) -> Result<T, ErrorObjectOwned>
where
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|e| invalid_params(format!("{what} {text:?}: {e}")))
}

impl Api {
    /// The address in `text`: `0x` hex, or on a devnet the name of one of its dev accounts
    /// (`alice`, `bob`, ...) — everywhere a devnet takes an address; `-32602` naming `what` else.
    fn address(&self, what: &str, text: &str) -> Result<weft_primitives::Address, ErrorObjectOwned> {
        match self.dev_name(text) {
            Some(address) => Ok(address),
            None => parse(what, text),
        }
    }

    /// On a devnet, the address of the dev account named `name`.
    fn dev_name(&self, name: &str) -> Option<weft_primitives::Address> {
        if self.node.is_validator() {
            return None;
        }
        weft_chain::dev_accounts()
            .into_iter()
            .find(|account| account.name == name)
            .map(|account| account.address)
    }
}

/// `0x` hex (the prefix optional) to bytes, or `-32602` naming `what`.
fn parse_hex(what: &str, text: &str) -> Result<Vec<u8>, ErrorObjectOwned> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    hex::decode(digits).map_err(|e| invalid_params(format!("{what} is not hex: {e}")))
}

/// Bytes as `0x` hex.
fn hex(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// Every method the server serves, `rpc_methods` and `rpc.discover` included.
pub fn rpc_module(node: NodeHandle, limits: RpcLimits) -> Result<RpcModule<()>, std::io::Error> {
    let dry_runs = Arc::new(Semaphore::new(limits.max_concurrent_calls.max(1) as usize));
    let api = Api {
        node,
        limits,
        dry_runs,
    };
    let validator = api.node.is_validator();
    let mut module = RpcModule::new(());
    let dev = DevApiServer::into_rpc(api.clone());
    let merged = module
        .merge(WeftApiServer::into_rpc(api.clone()))
        .and_then(|()| module.merge(WeftReadApiServer::into_rpc(api.clone())))
        .and_then(|()| module.merge(WeftPubSubApiServer::into_rpc(api)))
        .and_then(|()| match validator {
            false => module.merge(dev),
            // The same names, each refused: a network's state changes only through blocks.
            true => dev.method_names().try_for_each(|name| {
                module
                    .register_method(name, move |_, _, _| -> RpcResult<()> {
                        Err(ErrorObject::owned(
                            codes::DEV_REFUSED,
                            format!("{name} is a devnet control: a validator of a network does not serve it"),
                            None::<()>,
                        ))
                    })
                    .map(|_| ())
            }),
        })
        .and_then(|()| discover::register(&mut module));
    merged.map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(module)
}
