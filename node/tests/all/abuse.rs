//! The node under abuse, over a real socket: each case a hostile user found, with the behaviour it
//! must have — no sender locks itself out, a timed-out estimate stops, every receipt can be read,
//! inputs and code at their limits get through and one byte more is refused by that limit,
//! connections are capped for HTTP and WebSocket alike, and JSON-RPC 2.0's rules on ids and
//! parameters hold for every method.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use jsonrpsee::ws_client::WsClientBuilder;
use parity_scale_codec::Encode;
use serde_json::{Value, json};
use weft_chain::{DEV_CHAIN_ID, dev_accounts};
use weft_node::rpc::RpcLimits;
use weft_primitives::{Action, Address};
use weft_rpc::{WeftApiClient, codes};

use crate::support::{code_of, deploy_action, post, rpc, send, signed, start};

/// A raw transaction from dev account `from`, hex-encoded for `weft_sendRawTransaction`.
fn raw(from: usize, nonce: u64, gas_limit: u64, action: Action) -> String {
    format!(
        "0x{}",
        hex::encode(signed(from, nonce, gas_limit, action).encode())
    )
}

/// Deploys `wat` from bob with `weft_sendTransaction`; the contract's address.
fn deploy_wat(addr: SocketAddr, wat: &str) -> String {
    let code = wat::parse_str(wat).unwrap();
    let receipt = send(
        addr,
        json!({"from": "bob", "code": format!("0x{}", hex::encode(code))}),
    );
    assert_eq!(receipt["status"], "success", "{receipt}");
    receipt["contract_address"].as_str().unwrap().to_owned()
}

fn nonce(addr: SocketAddr, account: usize) -> u64 {
    let address = dev_accounts()[account].address.to_string();
    rpc(addr, "weft_getNonce", json!([address]))
        .unwrap()
        .as_u64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sender_with_a_full_future_queue_can_still_fill_its_gap() {
    let (addr, server) = start(RpcLimits::default()).await;
    tokio::task::spawn_blocking(move || {
        let carol = dev_accounts()[2].address;
        let transfer = |nonce| raw(2, nonce, 100_000, Action::Transfer { to: carol });
        // Nonces 1..=64: as far ahead as the pool queues, all waiting for nonce 0.
        let hashes: Vec<Value> = (1..=64)
            .map(|nonce| rpc(addr, "weft_sendRawTransaction", json!([transfer(nonce)])).unwrap())
            .collect();
        let too_far = rpc(addr, "weft_sendRawTransaction", json!([transfer(65)])).unwrap_err();
        assert_eq!(code_of(&too_far), i64::from(codes::NONCE_TOO_HIGH), "{too_far}");
        assert_eq!(nonce(addr, 2), 0, "nothing ran yet");
        // The transaction that fills the gap is taken, and then all 65 run.
        rpc(addr, "weft_sendRawTransaction", json!([transfer(0)])).unwrap();
        assert_eq!(nonce(addr, 2), 65);
        for hash in hashes {
            let receipt = rpc(addr, "weft_getTransactionReceipt", json!([hash])).unwrap();
            assert_eq!(receipt["status"], "success", "{receipt}");
        }
    })
    .await
    .unwrap();
    server.stop().unwrap();
}

/// A contract whose `needy` burns about 1.7 G gas, then reverts unless 500 M are left: an
/// estimate of it bisects over some thirty runs, every one of them long.
const NEEDY: &str = r#"(module
  (import "env" "gas_left" (func $gas_left (result i64)))
  (import "env" "revert" (func $revert (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "needy") (local $i i64)
    (local.set $i (i64.const 48000000))
    (loop $burn
      (local.set $i (i64.sub (local.get $i) (i64.const 1)))
      (br_if $burn (i64.ne (local.get $i) (i64.const 0))))
    (if (i64.lt_u (call $gas_left) (i64.const 500000000))
      (then (call $revert (i32.const 0) (i32.const 0))))))"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_timed_out_estimate_stops_its_work_and_frees_its_permit() {
    let limits = RpcLimits {
        call_gas_cap: 4_000_000_000,
        call_timeout: Duration::from_millis(300),
        max_concurrent_calls: 1,
        ..RpcLimits::default()
    };
    let (addr, server) = start(limits).await;
    tokio::task::spawn_blocking(move || {
        let needy = deploy_wat(addr, NEEDY);
        let request = json!([{"to": needy, "method": "needy"}]);
        let estimate = rpc(addr, "weft_estimateGas", request).unwrap_err();
        assert_eq!(code_of(&estimate), i64::from(codes::TIMEOUT), "{estimate}");
        // The one dry-run permit comes back within a run, not at the end of the search (seconds):
        // the next dry run is served within its own timeout.
        let call = rpc(
            addr,
            "weft_call",
            json!([{"to": needy, "method": "needy", "gas": 100_000}]),
        );
        assert_eq!(call.unwrap()["status"], "out_of_gas");
        assert_eq!(rpc(addr, "weft_chainId", json!([])).unwrap(), json!(DEV_CHAIN_ID));
    })
    .await
    .unwrap();
    server.stop().unwrap();
}

/// `big` makes the largest receipt the limits allow: 1,024 events of 1 KiB (1 MiB of event
/// bytes), 1 MiB of return data and 16 KiB of debug logs, all of bytes JSON escapes (0x01).
const BIG: &str = r#"(module
  (import "env" "emit_event" (func $emit (param i32 i32 i32 i32)))
  (import "env" "return_data" (func $return (param i32 i32)))
  (import "env" "debug_log" (func $log (param i32 i32)))
  (memory (export "memory") 17)
  (func (export "big") (local $i i32)
    (memory.fill (i32.const 0) (i32.const 1) (i32.const 1048576))
    (local.set $i (i32.const 1024))
    (loop $events
      (call $emit (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1024))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $events (local.get $i)))
    (local.set $i (i32.const 128))
    (loop $logs
      (call $log (i32.const 0) (i32.const 128))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $logs (local.get $i)))
    (call $return (i32.const 0) (i32.const 1048576))))"#;

#[tokio::test(flavor = "multi_thread")]
async fn the_largest_receipt_the_limits_allow_is_served_by_default() {
    let (addr, server) = start(RpcLimits::default()).await;
    tokio::task::spawn_blocking(move || {
        let big = deploy_wat(addr, BIG);
        let receipt = send(
            addr,
            json!({"from": "bob", "to": big, "method": "big", "gas": 200_000_000}),
        );
        assert_eq!(receipt["status"], "success", "{}", receipt["trap"]);
        assert_eq!(receipt["events"].as_array().unwrap().len(), 1024);
        assert_eq!(receipt["return_data"].as_str().unwrap().len(), 2 + 2 * 1_048_576);
        assert_eq!(receipt["logs"].as_array().unwrap().len(), 128);
        let size = receipt.to_string().len();
        assert!(
            size < RpcLimits::default().max_response_bytes as usize / 2,
            "{size} bytes"
        );
    })
    .await
    .unwrap();
    server.stop().unwrap();
}

/// `size` returns the length of its input, as a little-endian `u64`, read through a register.
const SIZE: &str = r#"(module
  (import "env" "input" (func $input (param i32)))
  (import "env" "register_len" (func $len (param i32) (result i64)))
  (import "env" "return_data" (func $return (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "size")
    (call $input (i32.const 0))
    (i64.store (i32.const 0) (call $len (i32.const 0)))
    (call $return (i32.const 0) (i32.const 8))))"#;

#[tokio::test(flavor = "multi_thread")]
async fn call_input_is_bounded_by_what_a_register_holds() {
    let (addr, server) = start(RpcLimits::default()).await;
    tokio::task::spawn_blocking(move || {
        let size: Address = deploy_wat(addr, SIZE).parse().unwrap();
        let call = |nonce, len| {
            let action = Action::Call {
                to: size,
                method: "size".into(),
                args: vec![7; len],
            };
            rpc(
                addr,
                "weft_sendRawTransaction",
                json!([raw(3, nonce, 100_000_000, action)]),
            )
        };
        let over = call(0, (1 << 20) + 1).unwrap_err();
        assert_eq!(over["data"]["reason"], "input_too_large", "{over}");
        let hash = call(0, 1 << 20).unwrap();
        let receipt = rpc(addr, "weft_getTransactionReceipt", json!([hash])).unwrap();
        assert_eq!(receipt["status"], "success", "{receipt}");
        let len = hex::encode((1u64 << 20).to_le_bytes());
        assert_eq!(receipt["return_data"], format!("0x{len}"));
    })
    .await
    .unwrap();
    server.stop().unwrap();
}

/// A valid module of exactly `total` bytes: a memory and a custom section of padding.
fn module_of_size(total: usize) -> Vec<u8> {
    let base = wat::parse_str(r#"(module (memory (export "memory") 1))"#).unwrap();
    let leb = |mut value: usize| {
        let mut bytes = Vec::new();
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                bytes.push(byte);
                return bytes;
            }
            bytes.push(byte | 0x80);
        }
    };
    let name = b"pad";
    for size_len in 1..=5 {
        let section = total - base.len() - 1 - size_len;
        let size = leb(section);
        if size.len() == size_len {
            let mut module = base.clone();
            module.push(0);
            module.extend(size);
            module.push(name.len() as u8);
            module.extend(name);
            module.resize(total, 0);
            return module;
        }
    }
    unreachable!("a section size fits in 5 LEB bytes")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_contract_at_the_code_limit_deploys_over_rpc_and_one_byte_more_is_refused_by_that_limit() {
    let (addr, server) = start(RpcLimits::default()).await;
    tokio::task::spawn_blocking(move || {
        let limit = weft_gas::GasSchedule::default().limits.max_code_size as usize;
        let at_limit = module_of_size(limit);
        assert_eq!(at_limit.len(), limit);

        let hash = rpc(
            addr,
            "weft_sendRawTransaction",
            json!([raw(4, 0, 900_000_000, deploy_action(at_limit.clone()))]),
        );
        let receipt = rpc(addr, "weft_getTransactionReceipt", json!([hash.unwrap()])).unwrap();
        assert_eq!(receipt["status"], "success", "{receipt}");

        let request =
            json!({"from": "alice", "code": format!("0x{}", hex::encode(&at_limit)), "gas": 900_000_000});
        assert!(
            request.to_string().len() > 4 << 20,
            "over the old 4 MiB request limit"
        );
        assert_eq!(send(addr, request)["status"], "success");

        let over = rpc(
            addr,
            "weft_sendRawTransaction",
            json!([raw(4, 1, 900_000_000, deploy_action(module_of_size(limit + 1)))]),
        )
        .unwrap_err();
        assert_eq!(over["data"]["reason"], "invalid_code", "{over}");
        let message = over["message"].as_str().unwrap();
        assert!(
            message.contains("code size in bytes is 2097153, over the limit of 2097152"),
            "{message}"
        );
    })
    .await
    .unwrap();
    server.stop().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_code_gets_one_clear_line_before_anything_is_mined() {
    let (addr, server) = start(RpcLimits::default()).await;
    tokio::task::spawn_blocking(move || {
        let height = rpc(addr, "weft_blockNumber", json!([])).unwrap();
        // Garbage of 2.5 MiB, WAT text, a float: each refused at intake, in one line.
        let garbage: Vec<u8> = (0..5u32 << 19).map(|i| (i % 251) as u8).collect();
        let request = json!([{"from": "alice", "code": format!("0x{}", hex::encode(&garbage))}]);
        let refused = rpc(addr, "weft_sendTransaction", request).unwrap_err();
        let wat_text = rpc(
            addr,
            "weft_sendRawTransaction",
            json!([raw(5, 0, 100_000_000, deploy_action(b"(module)".to_vec()))]),
        )
        .unwrap_err();
        assert_eq!(wat_text["data"]["reason"], "invalid_code");
        assert!(
            wat_text["message"]
                .as_str()
                .unwrap()
                .contains("not a wasm module"),
            "{wat_text}"
        );
        let float = wat::parse_str(
            r#"(module (memory (export "memory") 1) (func (export "f") (drop (f32.const 1))))"#,
        )
        .unwrap();
        let float = rpc(
            addr,
            "weft_sendRawTransaction",
            json!([raw(5, 0, 100_000_000, deploy_action(float))]),
        )
        .unwrap_err();
        assert_eq!(float["data"]["reason"], "invalid_code");
        assert!(
            float["message"].as_str().unwrap().contains("floating-point"),
            "{float}"
        );
        for error in [refused, wat_text, float] {
            let message = error["message"].as_str().unwrap();
            assert!(
                !message.contains('\n') && message.len() < 400,
                "one clear line: {message:?}"
            );
        }
        assert_eq!(
            rpc(addr, "weft_blockNumber", json!([])).unwrap(),
            height,
            "nothing was mined"
        );
        assert_eq!(nonce(addr, 5), 0, "no gas was burnt");
    })
    .await
    .unwrap();
    server.stop().unwrap();
}

/// A keep-alive HTTP connection that has been served one request.
fn served_connection(addr: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"weft_chainId","params":[]}"#;
    let request = format!(
        "POST / HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let mut chunk = [0; 4096];
    while !String::from_utf8_lossy(&answer).contains("\"result\"") {
        let read = stream.read(&mut chunk).unwrap();
        assert!(read > 0, "closed: {}", String::from_utf8_lossy(&answer));
        answer.extend_from_slice(&chunk[..read]);
    }
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    stream
}

/// What the server says to a new connection before it has sent anything.
fn greeting(addr: SocketAddr) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

#[tokio::test(flavor = "multi_thread")]
async fn idle_keep_alive_and_websocket_connections_count_against_the_limit() {
    let limits = RpcLimits {
        max_connections: 3,
        ..RpcLimits::default()
    };
    let (addr, server) = start(limits).await;
    let websocket = WsClientBuilder::default()
        .build(format!("ws://{addr}"))
        .await
        .unwrap();
    assert_eq!(websocket.chain_id().await.unwrap(), DEV_CHAIN_ID);
    tokio::task::spawn_blocking(move || {
        let first = served_connection(addr);
        let _second = served_connection(addr);
        // Two idle keep-alive connections and a WebSocket: a fourth is refused at once.
        assert!(greeting(addr).starts_with("HTTP/1.1 503"), "refused");
        drop(first);
        // The freed slot is served again (the server notices the close asynchronously).
        let served = (0..100).any(|_| {
            std::thread::sleep(Duration::from_millis(50));
            !greeting_refused(addr)
        });
        assert!(served, "a connection after one closed is served");
    })
    .await
    .unwrap();
    assert_eq!(websocket.chain_id().await.unwrap(), DEV_CHAIN_ID);
    server.stop().unwrap();
}

/// Whether a new connection is refused: a refused one is answered 503 at once; one that is
/// taken waits for its request (and is dropped unanswered here).
fn greeting_refused(addr: SocketAddr) -> bool {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
    let mut answer = [0; 12];
    matches!(stream.read(&mut answer), Ok(n) if n > 0 && answer.starts_with(b"HTTP/1.1 503"))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_method_keeps_json_rpc_rules_on_ids_and_parameters() {
    let (addr, server) = start(RpcLimits::default()).await;
    tokio::task::spawn_blocking(move || {
        let answer = |body: Value| post(addr, &body.to_string()).1;

        // Ids: strings and numbers are echoed, null is answered with null; anything else is an
        // invalid request answered with a null id; a notification gets no answer.
        for id in [json!("a"), json!(7), Value::Null] {
            let ok = answer(json!({"jsonrpc": "2.0", "id": id, "method": "weft_chainId"}));
            assert_eq!((&ok["id"], &ok["result"]), (&id, &json!(DEV_CHAIN_ID)), "{ok}");
        }
        for id in [json!({}), json!({"a": 1}), json!([1]), json!(true), json!(-1), json!(1.5)] {
            let bad = answer(json!({"jsonrpc": "2.0", "id": id, "method": "weft_chainId"}));
            assert_eq!((code_of(&bad["error"]), &bad["id"]), (-32600, &Value::Null), "id {id}: {bad}");
        }
        let notified = post(addr, &json!({"jsonrpc": "2.0", "method": "weft_chainId"}).to_string());
        assert_eq!(notified.1, json!(""), "a notification gets no answer");
        let wrong_version = answer(json!({"jsonrpc": "1.0", "id": 1, "method": "weft_chainId"}));
        assert_eq!(code_of(&wrong_version["error"]), -32600, "{wrong_version}");
        // In a batch, each entry is answered on its own.
        let batch = answer(json!([
            {"jsonrpc": "2.0", "id": 1, "method": "weft_chainId"},
            {"jsonrpc": "2.0", "id": {"a": 1}, "method": "weft_chainId"},
            {"jsonrpc": "2.0", "id": 2, "method": "weft_blockNumber", "params": [1]},
        ]));
        let batch = batch.as_array().unwrap();
        assert_eq!(batch.len(), 3, "{batch:?}");
        let by_id = |id: Value| batch.iter().find(|entry| entry["id"] == id).unwrap();
        assert_eq!(by_id(json!(1))["result"], json!(DEV_CHAIN_ID));
        assert_eq!(code_of(&by_id(Value::Null)["error"]), -32600);
        assert_eq!(code_of(&by_id(json!(2))["error"]), -32602);

        // Parameters, for every method of the OpenRPC document: one positional parameter too
        // many, or a name the method does not take, is -32602 before anything runs.
        let document = weft_rpc::openrpc_document();
        let methods = document["methods"].as_array().unwrap();
        assert!(methods.len() > 20);
        for method in methods {
            let name = method["name"].as_str().unwrap();
            let count = method["params"].as_array().unwrap().len();
            let extra = answer(json!({"jsonrpc": "2.0", "id": 1, "method": name, "params": vec![Value::Null; count + 1]}));
            assert_eq!(code_of(&extra["error"]), -32602, "{name} with {} params: {extra}", count + 1);
            let unknown = answer(json!({"jsonrpc": "2.0", "id": 1, "method": name, "params": {"no_such_param": 1}}));
            assert_eq!(code_of(&unknown["error"]), -32602, "{name} by an unknown name: {unknown}");
        }
        // By name, as the document names them.
        let alice = dev_accounts()[0].address.to_string();
        let by_name = answer(json!({"jsonrpc": "2.0", "id": 1, "method": "weft_getBlockByNumber", "params": {"height": 0, "full": true}}));
        assert_eq!(by_name["result"]["height"], 0, "{by_name}");
        let by_name = answer(json!({"jsonrpc": "2.0", "id": 1, "method": "weft_getNonce", "params": {"address": alice}}));
        assert_eq!(by_name["result"], 0, "{by_name}");
    })
    .await
    .unwrap();
    server.stop().unwrap();
}
