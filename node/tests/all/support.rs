//! Helpers the node's tests share: transactions signed by dev accounts, a node served on a free
//! loopback port, and plain HTTP requests to it.

use std::net::SocketAddr;
use std::sync::Arc;

use jsonrpsee::server::ServerHandle;
use serde_json::{Value, json};
use weft_chain::{DEV_CHAIN_ID, dev_accounts};
use weft_node::rpc::RpcLimits;
use weft_node::{NodeConfig, NodeHandle};
use weft_primitives::{Action, Hash, SignedTransaction, Transaction};
use weft_state::MemStore;

/// A node on a `MemStore` served on a free loopback port.
pub async fn start(limits: RpcLimits) -> (SocketAddr, ServerHandle) {
    let node = NodeHandle::open(Arc::new(MemStore::new()), NodeConfig::dev()).unwrap();
    weft_node::rpc::serve(node, "127.0.0.1:0".parse().unwrap(), limits)
        .await
        .unwrap()
}

/// A plain HTTP POST of `body`: the status and the JSON answer.
pub fn post(addr: SocketAddr, body: &str) -> (u16, Value) {
    let response = ureq::post(&format!("http://{addr}"))
        .set("content-type", "application/json")
        .send_string(body);
    let response = match response {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(other) => panic!("transport error: {other}"),
    };
    let status = response.status();
    let text = response.into_string().unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// A JSON-RPC request by plain HTTP: `Ok(result)` or `Err(error object)`.
pub fn rpc(addr: SocketAddr, method: &str, params: Value) -> Result<Value, Value> {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let (_, answer) = post(addr, &body.to_string());
    match answer.get("error") {
        Some(error) => Err(error.clone()),
        None => Ok(answer["result"].clone()),
    }
}

pub fn code_of(error: &Value) -> i64 {
    error["code"].as_i64().unwrap()
}

/// Sends with `weft_sendTransaction` and returns the receipt (instant mining: already mined).
pub fn send(addr: SocketAddr, request: Value) -> Value {
    let hash = rpc(addr, "weft_sendTransaction", json!([request])).unwrap();
    rpc(addr, "weft_getTransactionReceipt", json!([hash])).unwrap()
}

/// A transaction from dev account `from` at gas price 1, no value, signed.
pub fn signed(from: usize, nonce: u64, gas_limit: u64, action: Action) -> SignedTransaction {
    let key = &dev_accounts()[from].key;
    Transaction {
        chain_id: DEV_CHAIN_ID,
        signer: Transaction::signer_of(key),
        nonce,
        gas_limit,
        gas_price: 1,
        value: 0,
        action,
    }
    .sign(key)
}

/// A deploy of `code` with no constructor arguments and a zero salt.
pub fn deploy_action(code: Vec<u8>) -> Action {
    Action::Deploy {
        code,
        init_args: Vec::new(),
        salt: Hash::ZERO,
    }
}
