//! Helpers the JSON-RPC tests share: a node served on a free loopback port, and plain HTTP
//! requests to it.

use std::net::SocketAddr;
use std::sync::Arc;

use jsonrpsee::server::ServerHandle;
use serde_json::{Value, json};
use weft_node::rpc::RpcLimits;
use weft_node::{NodeConfig, NodeHandle};
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
