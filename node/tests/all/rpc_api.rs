//! The JSON-RPC API end to end over a real socket: the token deployed and used with plain JSON
//! (no Weft code on the client side), logs and subscriptions, devnet controls, the OpenRPC
//! document, and the bad-input set — each bad request gets its error code and the next is served.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use jsonrpsee::core::client::Subscription;
use jsonrpsee::ws_client::WsClientBuilder;
use parity_scale_codec::Encode;
use serde_json::{Value, json};
use weft_chain::{DEV_CHAIN_ID, dev_accounts};
use weft_node::rpc::RpcLimits;
use weft_node::{NodeConfig, NodeHandle};
use weft_primitives::{Action, Transaction};
use weft_rpc::{
    LogFilterView, OneOrMany, StatusView, SubscriptionItem, WeftApiClient, WeftPubSubApiClient,
    WeftReadApiClient, codes,
};
use weft_state::MemStore;

use crate::support::{code_of, deploy_action, post, rpc, send, signed, start};

fn token_code() -> Vec<u8> {
    let path = format!(
        "{}/../contracts/artifacts/token.wasm",
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for tests")
    );
    std::fs::read(path).unwrap()
}

fn deploy_token(addr: SocketAddr) -> String {
    let receipt = send(
        addr,
        json!({"from": "alice", "code": format!("0x{}", hex::encode(token_code())),
               "args": ["Weft", "WFT", 6, "1000000"]}),
    );
    assert_eq!(receipt["status"], "success", "{receipt}");
    receipt["contract_address"].as_str().unwrap().to_owned()
}

/// The next item of a subscription (within 10 s).
async fn next(subscription: &mut Subscription<SubscriptionItem>) -> SubscriptionItem {
    let item = tokio::time::timeout(Duration::from_secs(10), subscription.next()).await;
    item.unwrap().unwrap().unwrap()
}

fn transfer_topic() -> String {
    let abi = weft_abi::Abi::from_wasm(&token_code()).unwrap().unwrap();
    abi.event("Transfer").unwrap().topic().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_with_plain_json_and_its_logs() {
    let (addr, server) = start(RpcLimits::default()).await;
    let result = tokio::task::spawn_blocking(move || {
        let (alice, bob) = (
            dev_accounts()[0].address.to_string(),
            dev_accounts()[1].address.to_string(),
        );
        let token = deploy_token(addr);
        let sent = send(
            addr,
            json!({"from": "alice", "to": token, "method": "transfer", "args": [bob, "250"]}),
        );
        assert_eq!(
            (sent["status"].as_str(), sent["return_data"].as_str()),
            (Some("success"), Some("0x01"))
        );
        assert_eq!(sent["events"][0]["topics"][0], transfer_topic());

        // A view, decoded through the ABI; the same with hex SCALE arguments.
        let view = rpc(
            addr,
            "weft_call",
            json!([{"to": token, "method": "balance_of", "args": [bob]}]),
        )
        .unwrap();
        assert_eq!(
            (view["status"].as_str(), &view["decoded"]),
            (Some("success"), &json!("250"))
        );
        let bob_hex = format!("0x{}", &bob[2..]);
        let raw = rpc(
            addr,
            "weft_call",
            json!([{"to": token, "method": "balance_of", "args": bob_hex}]),
        )
        .unwrap();
        assert_eq!(raw["return_data"], view["return_data"]);

        // Logs: the mint and the transfer; by recipient (topic 2) only the transfer.
        let all = rpc(addr, "weft_getLogs", json!([{"from_block": 0, "address": token}])).unwrap();
        assert_eq!(all.as_array().unwrap().len(), 2, "{all}");
        assert_eq!(
            (all[0]["block_height"].as_u64(), all[1]["block_height"].as_u64()),
            (Some(1), Some(2))
        );
        assert_eq!(all[1]["tx_hash"], sent["tx_hash"]);
        let to_bob = json!([{"from_block": 0, "topics": [transfer_topic(), null, [bob, alice]]}]);
        let to_bob = rpc(addr, "weft_getLogs", to_bob).unwrap();
        assert_eq!(
            to_bob.as_array().unwrap().len(),
            2,
            "alice (mint) or bob (transfer)"
        );
        let only_bob = json!([{"from_block": 0, "topics": [null, null, bob]}]);
        assert_eq!(
            rpc(addr, "weft_getLogs", only_bob)
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let later = json!([{"from_block": 3, "to_block": 9}]);
        assert_eq!(rpc(addr, "weft_getLogs", later).unwrap(), json!([]));
        // Block tags as Ethereum clients send them.
        let tagged = json!([{"from_block": "earliest", "to_block": "latest", "address": token}]);
        assert_eq!(
            rpc(addr, "weft_getLogs", tagged).unwrap(),
            rpc(addr, "weft_getLogs", json!([{"from_block": 0, "address": token}])).unwrap()
        );
        let at_head = json!([{"to": token, "method": "balance_of", "args": [bob], "block": "latest"}]);
        assert_eq!(
            rpc(addr, "weft_call", at_head).unwrap()["decoded"],
            rpc(
                addr,
                "weft_call",
                json!([{"to": token, "method": "balance_of", "args": [bob]}])
            )
            .unwrap()["decoded"]
        );
        let head = rpc(addr, "weft_blockNumber", json!([])).unwrap();
        assert_eq!(
            rpc(addr, "weft_getBlockByNumber", json!(["latest"])).unwrap()["height"],
            head
        );
        for bad in [json!(["pending"]), json!(["newest"]), json!([-1])] {
            let error = rpc(addr, "weft_getBlockByNumber", bad.clone()).unwrap_err();
            assert_eq!(code_of(&error), -32602, "{bad}: {error}");
        }

        // JSON arguments that do not fit the ABI, and a method it lacks.
        let wrong = json!([{"to": token, "method": "balance_of", "args": [5]}]);
        assert_eq!(
            code_of(&rpc(addr, "weft_call", wrong).unwrap_err()),
            i64::from(codes::ABI_MISMATCH)
        );
        let unknown = json!([{"from": "alice", "to": token, "method": "mint", "args": []}]);
        assert_eq!(
            code_of(&rpc(addr, "weft_sendTransaction", unknown).unwrap_err()),
            i64::from(codes::ABI_MISMATCH)
        );
        // A transfer that would revert is refused at its estimate, with the revert message.
        let overdraft = json!([{"from": "bob", "to": token, "method": "transfer", "args": [alice, "251"]}]);
        let error = rpc(addr, "weft_sendTransaction", overdraft).unwrap_err();
        assert_eq!(code_of(&error), i64::from(codes::EXECUTION_REVERTED), "{error}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("insufficient balance"),
            "{error}"
        );
        // Someone who is not a dev account.
        let stranger = json!([{"from": "mallory", "to": bob}]);
        assert_eq!(
            code_of(&rpc(addr, "weft_sendTransaction", stranger).unwrap_err()),
            i64::from(codes::DEV_REFUSED)
        );
        rpc(addr, "weft_blockNumber", json!([])).unwrap()
    })
    .await
    .unwrap();
    assert_eq!(result, json!(2));
    server.stop().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn subscriptions_deliver_heads_logs_and_pending_transactions() {
    let (addr, server) = start(RpcLimits::default()).await;
    let client = WsClientBuilder::default()
        .build(format!("ws://{addr}"))
        .await
        .unwrap();
    let token = tokio::task::spawn_blocking(move || deploy_token(addr))
        .await
        .unwrap();
    let mut heads = client.subscribe_to("newHeads".into(), None).await.unwrap();
    let filter = LogFilterView {
        address: Some(OneOrMany::One(token.clone())),
        topics: vec![Some(OneOrMany::One(transfer_topic()))],
        ..LogFilterView::default()
    };
    let mut logs = client.subscribe_to("logs".into(), Some(filter)).await.unwrap();
    let mut pending = client
        .subscribe_to("pendingTransactions".into(), None)
        .await
        .unwrap();
    let unknown = client.subscribe_to("blocks".into(), None).await;
    assert!(unknown.is_err(), "an unknown kind is refused");

    let bob = dev_accounts()[1].address.to_string();
    let request: weft_rpc::SendTransactionView = serde_json::from_value(
        json!({"from": "alice", "to": token, "method": "transfer", "args": [bob, "5"]}),
    )
    .unwrap();
    let hash = client.send_transaction(request).await.unwrap();

    match next(&mut pending).await {
        SubscriptionItem::Pending(h) => assert_eq!(h, hash),
        other => panic!("expected a pending hash, got {other:?}"),
    }
    match next(&mut heads).await {
        SubscriptionItem::Head(block) => {
            assert_eq!(
                (block.height, block.transactions.clone()),
                (2, vec![hash.clone()])
            );
        }
        other => panic!("expected a head, got {other:?}"),
    }
    match next(&mut logs).await {
        SubscriptionItem::Log(log) => {
            assert_eq!(
                (log.tx_hash.as_str(), log.address.as_str(), log.block_height),
                (hash.as_str(), token.as_str(), 2)
            );
        }
        other => panic!("expected a log, got {other:?}"),
    }
    server.stop().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn snapshots_time_travel_and_state_overrides() {
    let (addr, server) = start(RpcLimits::default()).await;
    tokio::task::spawn_blocking(move || {
        let bob = dev_accounts()[1].address.to_string();
        let balance = |who: &str| rpc(addr, "weft_getBalance", json!([who])).unwrap();
        let before = balance(&bob);
        let id = rpc(addr, "dev_snapshot", json!([])).unwrap();
        let receipt = send(addr, json!({"from": "alice", "to": bob, "value": "1000"}));
        assert_eq!(receipt["status"], "success", "{receipt}");
        assert_ne!(balance(&bob), before);
        assert_eq!(
            rpc(addr, "dev_revert", json!([id])).unwrap(),
            json!(0),
            "back to block 0"
        );
        assert_eq!(
            (balance(&bob), rpc(addr, "weft_blockNumber", json!([])).unwrap()),
            (before.clone(), json!(0))
        );
        let used = rpc(addr, "dev_revert", json!([id])).unwrap_err();
        assert_eq!(
            code_of(&used),
            i64::from(codes::DEV_REFUSED),
            "a snapshot is used up"
        );

        // Time: a fixed next timestamp, then an hour later.
        let head_time = |height: u64| {
            rpc(addr, "weft_getBlockByNumber", json!([height])).unwrap()["timestamp"]
                .as_u64()
                .unwrap()
        };
        let start = head_time(0).max(1_900_000_000);
        rpc(addr, "dev_setNextBlockTimestamp", json!([start])).unwrap();
        assert_eq!(rpc(addr, "dev_mine", json!([])).unwrap(), json!(1));
        assert_eq!(head_time(1), start);
        rpc(addr, "dev_increaseTime", json!([3_600])).unwrap();
        rpc(addr, "dev_mine", json!([])).unwrap();
        assert!(
            head_time(2) >= start + 3_600,
            "{} < {}",
            head_time(2),
            start + 3_600
        );
        let past = rpc(addr, "dev_setNextBlockTimestamp", json!([start - 1])).unwrap_err();
        assert_eq!(code_of(&past), i64::from(codes::DEV_REFUSED));
        // Several blocks at once, within a bound.
        assert_eq!(rpc(addr, "dev_mine", json!([3])).unwrap(), json!(5));
        for count in [json!(0), json!(10_001)] {
            let refused = rpc(addr, "dev_mine", json!([count])).unwrap_err();
            assert_eq!(code_of(&refused), i64::from(codes::DEV_REFUSED));
        }
        // A revert brings the clock back too: the hour added after the snapshot is undone.
        let id = rpc(addr, "dev_snapshot", json!([])).unwrap();
        let shift = rpc(addr, "dev_increaseTime", json!([86_400]))
            .unwrap()
            .as_u64()
            .unwrap();
        rpc(addr, "dev_revert", json!([id])).unwrap();
        assert_eq!(
            rpc(addr, "dev_increaseTime", json!([0]))
                .unwrap()
                .as_u64()
                .unwrap(),
            shift - 86_400
        );

        // Overrides.
        rpc(addr, "dev_setBalance", json!([bob, "42"])).unwrap();
        assert_eq!(balance(&bob), json!("42"));
        let token = deploy_token(addr);
        rpc(addr, "dev_setStorageAt", json!([token, "0xabcd", "0x0102"])).unwrap();
        assert_eq!(
            rpc(addr, "weft_getStorageAt", json!([token, "0xabcd"])).unwrap(),
            json!("0x0102")
        );
        rpc(addr, "dev_setStorageAt", json!([token, "0xabcd", null])).unwrap();
        assert_eq!(
            rpc(addr, "weft_getStorageAt", json!([token, "0xabcd"])).unwrap(),
            Value::Null
        );
        let bad = rpc(addr, "dev_setBalance", json!([bob, "-1"])).unwrap_err();
        assert_eq!(
            code_of(&bad),
            i64::from(jsonrpsee::types::error::INVALID_PARAMS_CODE)
        );
    })
    .await
    .unwrap();
    server.stop().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn methods_and_the_openrpc_document_agree() {
    let (addr, server) = start(RpcLimits::default()).await;
    let (methods, document) = tokio::task::spawn_blocking(move || {
        (
            rpc(addr, "rpc_methods", json!([])).unwrap(),
            rpc(addr, "rpc.discover", json!([])).unwrap(),
        )
    })
    .await
    .unwrap();
    let mut documented: Vec<&str> = document["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    documented.sort_unstable();
    let served: Vec<&str> = methods
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert_eq!(
        served, documented,
        "every method served is documented, and only those"
    );
    assert_eq!(document, weft_rpc::openrpc_document());
    // Optional parameters are documented as optional (a subscription without a filter is valid).
    let method = |name: &str| {
        document["methods"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .unwrap()
            .clone()
    };
    let required = |name: &str, param: &str| {
        let method = method(name);
        let params = method["params"].as_array().unwrap().clone();
        params.iter().find(|p| p["name"] == param).unwrap()["required"].clone()
    };
    assert_eq!(required("weft_subscribe", "filter"), json!(false));
    assert_eq!(required("weft_subscribe", "kind"), json!(true));
    assert_eq!(required("dev_mine", "count"), json!(false));
    // The API surface is a snapshot: a change to it shows in review (WEFT_UPDATE_SNAPSHOTS=1).
    let path = format!(
        "{}/../docs/openrpc.json",
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for tests")
    );
    let text = format!("{}\n", serde_json::to_string_pretty(&document).unwrap());
    if std::env::var_os("WEFT_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "docs/openrpc.json is stale: run with WEFT_UPDATE_SNAPSHOTS=1"
    );
    server.stop().unwrap();
}

fn signed_transfer(nonce: u64, tamper: bool) -> String {
    let accounts = dev_accounts();
    let mut tx = accounts[0].transfer(accounts[1].address, 1, nonce);
    if tamper {
        tx.tx.value = 1_000;
    }
    format!("0x{}", hex::encode(tx.encode()))
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_gets_its_error_and_the_next_request_is_served() {
    let limits = RpcLimits {
        max_request_bytes: 64 << 10,
        max_response_bytes: 16 << 10,
        max_batch: 4,
        call_timeout: Duration::from_secs(30),
        ..RpcLimits::default()
    };
    let (addr, server) = start(limits).await;
    tokio::task::spawn_blocking(move || {
        let served = || assert_eq!(rpc(addr, "weft_chainId", json!([])).unwrap(), json!(DEV_CHAIN_ID));
        let error_code = |body: &str| {
            let (_, answer) = post(addr, body);
            code_of(&answer["error"])
        };
        assert_eq!(error_code("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\""), -32700, "malformed JSON");
        served();
        assert_eq!(code_of(&rpc(addr, "weft_nope", json!([])).unwrap_err()), -32601, "unknown method");
        served();
        assert_eq!(code_of(&rpc(addr, "weft_getNonce", json!([7])).unwrap_err()), -32602, "wrong params");
        assert_eq!(code_of(&rpc(addr, "weft_getNonce", json!([])).unwrap_err()), -32602, "missing params");
        served();
        let bad_hex = rpc(addr, "weft_sendRawTransaction", json!(["0xzz"])).unwrap_err();
        assert_eq!(code_of(&bad_hex), -32602);
        let garbage = rpc(addr, "weft_sendRawTransaction", json!(["0x0102"])).unwrap_err();
        assert_eq!((code_of(&garbage), garbage["data"]["reason"].as_str()), (i64::from(codes::TX_REJECTED), Some("malformed")));
        served();
        let forged = rpc(addr, "weft_sendRawTransaction", json!([signed_transfer(0, true)])).unwrap_err();
        assert_eq!((code_of(&forged), forged["data"]["reason"].as_str()), (i64::from(codes::BAD_SIGNATURE), Some("bad_signature")));
        let first = signed_transfer(0, false);
        rpc(addr, "weft_sendRawTransaction", json!([first])).unwrap();
        let replay = rpc(addr, "weft_sendRawTransaction", json!([first])).unwrap_err();
        assert_eq!(code_of(&replay), i64::from(codes::NONCE_TOO_LOW), "{replay}");
        served();
        let to = dev_accounts()[1].address.to_string();
        let no_method = rpc(addr, "weft_call", json!([{"to": to}])).unwrap_err();
        assert_eq!(code_of(&no_method), -32602, "a call without a method: {no_method}");
        served();

        // An oversized body is refused before it is read in full; an oversized batch is refused.
        let big = json!({"jsonrpc": "2.0", "id": 1, "method": "weft_sendRawTransaction", "params": ["0x".to_owned() + &"00".repeat(32 << 10)]});
        let response = ureq::post(&format!("http://{addr}"))
            .set("content-type", "application/json")
            .send_string(&big.to_string());
        match response {
            Err(ureq::Error::Status(status, _)) => assert_eq!(status, 413, "payload too large"),
            // The server may answer 413 and close before the client has written the whole body.
            Err(ureq::Error::Transport(cut)) => assert!(cut.to_string().contains("Broken pipe") || cut.to_string().contains("reset"), "{cut}"),
            Ok(response) => panic!("an oversized body was served: {}", response.status()),
        }
        served();
        let call = json!({"jsonrpc": "2.0", "id": 1, "method": "weft_chainId", "params": []});
        let (_, answer) = post(addr, &Value::Array(vec![call.clone(); 5]).to_string());
        assert_eq!(code_of(&answer["error"]), -32010, "batch too large: {answer}");
        let (_, answer) = post(addr, &Value::Array(vec![call; 4]).to_string());
        assert_eq!(answer.as_array().map(Vec::len), Some(4), "a batch within the limit is served");

        // A response over the limit (the token's code as hex is ~31 KiB) is an error, not a cut.
        let token = deploy_token(addr);
        let too_big = rpc(addr, "weft_getCode", json!([token])).unwrap_err();
        assert_eq!(code_of(&too_big), -32008, "response too large: {too_big}");
        served();

        // A call that loops forever ends at the gas cap, as a result.
        let spin = wat::parse_str("(module (memory (export \"memory\") 1) (func (export \"spin\") (loop $l br $l)))").unwrap();
        let receipt = send(addr, json!({"from": "bob", "code": format!("0x{}", hex::encode(spin))}));
        let looping = json!([{"to": receipt["contract_address"], "method": "spin"}]);
        let result = rpc(addr, "weft_call", looping.clone()).unwrap();
        assert_eq!(result["status"], "out_of_gas");
        let estimate = rpc(addr, "weft_estimateGas", looping).unwrap_err();
        assert_eq!(code_of(&estimate), i64::from(codes::OUT_OF_GAS));
        served();
    })
    .await
    .unwrap();
    server.stop().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_past_the_timeout_is_an_error_and_the_server_serves_on() {
    let limits = RpcLimits {
        call_timeout: Duration::from_millis(1),
        ..RpcLimits::default()
    };
    let (addr, server) = start(limits).await;
    tokio::task::spawn_blocking(move || {
        let spin = wat::parse_str(
            "(module (memory (export \"memory\") 1) (func (export \"spin\") (loop $l br $l)))",
        )
        .unwrap();
        let hash = rpc(
            addr,
            "weft_sendTransaction",
            json!([{"from": "bob", "code": format!("0x{}", hex::encode(spin))}]),
        )
        .unwrap();
        let receipt = rpc(addr, "weft_getTransactionReceipt", json!([hash])).unwrap();
        let error = rpc(
            addr,
            "weft_call",
            json!([{"to": receipt["contract_address"], "method": "spin"}]),
        )
        .unwrap_err();
        assert_eq!(code_of(&error), i64::from(codes::TIMEOUT), "{error}");
        assert_eq!(rpc(addr, "weft_chainId", json!([])).unwrap(), json!(DEV_CHAIN_ID));
    })
    .await
    .unwrap();
    server.stop().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_counter_with_the_rust_client_and_the_subscription_limit() {
    let limits = RpcLimits {
        max_subscriptions: 2,
        ..RpcLimits::default()
    };
    let (addr, server) = start(limits).await;
    let http = jsonrpsee::http_client::HttpClientBuilder::default()
        .build(format!("http://{addr}"))
        .unwrap();
    let alice = &dev_accounts()[0];
    let signed = |nonce: u64, action: Action| {
        let tx = Transaction {
            chain_id: DEV_CHAIN_ID,
            signer: Transaction::signer_of(&alice.key),
            nonce,
            gas_limit: 50_000_000,
            gas_price: 1,
            value: 0,
            action,
        };
        format!("0x{}", hex::encode(tx.sign(&alice.key).encode()))
    };
    let code = std::fs::read(format!(
        "{}/../contracts/artifacts/counter.wasm",
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for tests")
    ))
    .unwrap();
    let deploy = Action::Deploy {
        code,
        init_args: 41u64.encode(),
        salt: weft_primitives::Hash::ZERO,
    };
    let hash = http.send_raw_transaction(signed(0, deploy)).await.unwrap();
    let receipt = http.transaction_receipt(hash).await.unwrap().unwrap();
    assert_eq!(receipt.status, StatusView::Success, "{receipt:?}");
    let counter = receipt.contract_address.unwrap();

    let increment = Action::Call {
        to: counter.parse().unwrap(),
        method: "increment".into(),
        args: Vec::new(),
    };
    let hash = http.send_raw_transaction(signed(1, increment)).await.unwrap();
    let receipt = http.transaction_receipt(hash.clone()).await.unwrap().unwrap();
    assert_eq!(receipt.return_data, format!("0x{}", hex::encode(42u64.encode())));
    assert_eq!(receipt.events.len(), 1);

    let view = weft_rpc::CallRequestView {
        from: None,
        to: counter.clone(),
        method: Some("get".into()),
        args: None,
        value: None,
        gas: None,
        block: None,
    };
    assert_eq!(http.call(view).await.unwrap().decoded, Some(json!(42)));
    let filter = LogFilterView {
        from_block: Some(0.into()),
        address: Some(OneOrMany::One(counter)),
        ..LogFilterView::default()
    };
    let logs = WeftReadApiClient::logs(&http, filter).await.unwrap();
    assert_eq!((logs.len(), logs[0].tx_hash.as_str()), (1, hash.as_str()));

    // Two subscriptions per connection here; a third is refused and the connection serves on.
    let ws = WsClientBuilder::default()
        .build(format!("ws://{addr}"))
        .await
        .unwrap();
    let _heads = ws.subscribe_to("newHeads".into(), None).await.unwrap();
    let _pending = ws.subscribe_to("pendingTransactions".into(), None).await.unwrap();
    match ws.subscribe_to("newHeads".into(), None).await {
        Err(jsonrpsee::core::client::Error::Call(error)) => assert_eq!(error.code(), -32006, "{error}"),
        other => panic!("expected too many subscriptions, got {other:?}"),
    }
    assert_eq!(ws.chain_id().await.unwrap(), DEV_CHAIN_ID);
    server.stop().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn calls_at_past_blocks_see_the_state_of_then() {
    let (addr, server) = start(RpcLimits::default()).await;
    tokio::task::spawn_blocking(move || {
        let code = std::fs::read(format!(
            "{}/../contracts/artifacts/counter.wasm",
            std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for tests")
        ))
        .unwrap();
        let deployed = send(
            addr,
            json!({"from": "alice", "code": format!("0x{}", hex::encode(code)), "args": [41]}),
        );
        let counter = deployed["contract_address"].clone();
        for _ in 0..2 {
            let receipt = send(addr, json!({"from": "bob", "to": counter, "method": "increment"}));
            assert_eq!(receipt["status"], "success", "{receipt}");
        }
        // An override after block 3 is the next block's history: block 3 still reads without it.
        rpc(
            addr,
            "dev_setStorageAt",
            json!([
                counter,
                format!("0x{}", hex::encode("count")),
                "0x0700000000000000"
            ]),
        )
        .unwrap();
        let get = |block: Value| {
            rpc(
                addr,
                "weft_call",
                json!([{"to": counter, "method": "get", "block": block}]),
            )
        };
        for (block, count) in [(1, 41), (2, 42), (3, 43)] {
            assert_eq!(
                get(json!(block)).unwrap()["decoded"],
                json!(count),
                "at block {block}"
            );
        }
        assert_eq!(
            get(Value::Null).unwrap()["decoded"],
            json!(7),
            "the head has the override"
        );
        let before = get(json!(0)).unwrap();
        assert_ne!(before["status"], "success", "no counter before block 1: {before}");
        let missing = get(json!(9)).unwrap_err();
        assert_eq!(code_of(&missing), -32602, "{missing}");
        assert_eq!(rpc(addr, "weft_blockNumber", json!([])).unwrap(), json!(3));
    })
    .await
    .unwrap();
    server.stop().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_over_the_limit_are_refused_and_later_ones_served() {
    let limits = RpcLimits {
        max_connections: 2,
        ..RpcLimits::default()
    };
    let (addr, server) = start(limits).await;
    let url = format!("ws://{addr}");
    let first = WsClientBuilder::default().build(&url).await.unwrap();
    let second = WsClientBuilder::default().build(&url).await.unwrap();
    assert_eq!(first.chain_id().await.unwrap(), DEV_CHAIN_ID);
    let third = WsClientBuilder::default().build(&url).await;
    let refused = match third {
        Err(_) => true,
        Ok(client) => client.chain_id().await.is_err(),
    };
    assert!(refused, "a third connection is refused");
    drop(first);
    // The freed slot is served again (the server notices the close asynchronously).
    let mut served = false;
    for _ in 0..50 {
        if let Ok(client) = WsClientBuilder::default().build(&url).await
            && client.chain_id().await.is_ok()
        {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(served, "a connection after one closed is served");
    assert_eq!(second.chain_id().await.unwrap(), DEV_CHAIN_ID);
    server.stop().unwrap();
}

/// A contract whose `weft_abi` section declares method `f` with argument type `arg` and return
/// type `returns`, and whose `f` returns the bytes `data`.
fn contract_with_abi(arg: &str, returns: &str, data: &[u8]) -> Vec<u8> {
    let abi = json!({"contract": "Hostile", "methods": [
        {"name": "f", "args": [{"name": "x", "type": arg}], "returns": returns}
    ]})
    .to_string();
    let escape = |bytes: &[u8]| bytes.iter().map(|b| format!("\\{b:02x}")).collect::<String>();
    let wat = format!(
        r#"(module
             (@custom "weft_abi" "{abi}")
             (import "env" "return_data" (func $return_data (param i32 i32)))
             (memory (export "memory") 1)
             (data (i32.const 0) "{data}")
             (func (export "f") (call $return_data (i32.const 0) (i32.const {len}))))"#,
        abi = escape(abi.as_bytes()),
        data = escape(data),
        len = data.len(),
    );
    wat::parse_str(&wat).unwrap()
}

/// Deploys `code` from alice by a signed raw transaction; the new contract's address.
fn deploy_raw(addr: SocketAddr, code: Vec<u8>) -> String {
    let alice = dev_accounts()[0].address.to_string();
    let nonce = rpc(addr, "weft_getNonce", json!([alice]))
        .unwrap()
        .as_u64()
        .unwrap();
    let tx = signed(0, nonce, 500_000_000, deploy_action(code));
    let raw = format!("0x{}", hex::encode(tx.encode()));
    let hash = rpc(addr, "weft_sendRawTransaction", json!([raw])).unwrap();
    let receipt = rpc(addr, "weft_getTransactionReceipt", json!([hash])).unwrap();
    assert_eq!(receipt["status"], "success", "{receipt}");
    receipt["contract_address"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_abi_sections_get_typed_errors_and_the_node_serves_on() {
    let (addr, server) = start(RpcLimits::default()).await;
    tokio::task::spawn_blocking(move || {
        let served = || assert_eq!(rpc(addr, "weft_chainId", json!([])).unwrap(), json!(DEV_CHAIN_ID));
        // ~7,000 levels in 14 KB once overflowed the thread's stack and aborted the process on the
        // first request that read the ABI; 40 levels in a short text are over the depth limit.
        let deep = format!("{}u8{}", "Option<".repeat(7000), ">".repeat(7000));
        let nested = format!("{}u8{}", "Vec<".repeat(40), ">".repeat(40));
        for (ty, expected) in [(deep, "longer than the limit"), (nested, "nests deeper")] {
            let contract = deploy_raw(addr, contract_with_abi(&ty, "()", b""));
            let call = json!([{"to": contract, "method": "f", "args": [1]}]);
            for method in ["weft_call", "weft_estimateGas"] {
                let error = rpc(addr, method, call.clone()).unwrap_err();
                assert_eq!(
                    code_of(&error),
                    i64::from(codes::ABI_MISMATCH),
                    "{method}: {error}"
                );
                assert!(error["message"].as_str().unwrap().contains(expected), "{error}");
                served();
            }
            let send = json!([{"from": "bob", "to": contract, "method": "f", "args": [1]}]);
            let error = rpc(addr, "weft_sendTransaction", send).unwrap_err();
            assert_eq!(code_of(&error), i64::from(codes::ABI_MISMATCH), "{error}");
            served();
        }

        // Return data of 256 bytes that claims 64 × (2^24 - 1) empty tuples (a billion JSON values
        // before the budget): the call is served, its result undecoded.
        let claim = ((1u32 << 24) - 1) << 2 | 0b10;
        let data: Vec<u8> = (0..64).flat_map(|_| claim.to_le_bytes()).collect();
        let returns = format!("({})", vec!["Vec<()>"; 64].join(","));
        let contract = deploy_raw(addr, contract_with_abi("u8", &returns, &data));
        let call = json!([{"to": contract, "method": "f", "args": [1]}]);
        let result = rpc(addr, "weft_call", call).unwrap();
        assert_eq!(result["status"], "success", "{result}");
        assert_eq!(result["return_data"], format!("0x{}", hex::encode(&data)));
        assert_eq!(result["decoded"], Value::Null, "{result}");
        served();
    })
    .await
    .unwrap();
    server.stop().unwrap();
}

/// The `p`-th percentile of `samples` (sorted in place).
fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let rank = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[rank]
}

#[tokio::test(flavor = "multi_thread")]
async fn long_reads_and_dry_runs_neither_stall_the_head_nor_the_miner() {
    let node = NodeHandle::open(Arc::new(MemStore::new()), NodeConfig::dev()).unwrap();
    for _ in 0..10_000 {
        node.mine().unwrap();
    }
    let (addr, server) = weft_node::rpc::serve(node, "127.0.0.1:0".parse().unwrap(), RpcLimits::default())
        .await
        .unwrap();
    tokio::task::spawn_blocking(move || {
        let spin = wat::parse_str("(module (memory (export \"memory\") 1) (func (export \"spin\") (loop $l br $l)))").unwrap();
        let receipt = send(addr, json!({"from": "bob", "code": format!("0x{}", hex::encode(spin))}));
        let spin_call = json!([{"to": receipt["contract_address"], "method": "spin", "gas": 1_000_000_000u64}]);
        let busy = Duration::from_secs(3);
        std::thread::scope(|scope| {
            let start = std::time::Instant::now();
            let until = move || start.elapsed() < busy;
            // Two readers that keep the node busy: 10^9-gas dry runs, and 10,000-block log scans.
            let dry_runs = scope.spawn(move || {
                let mut done = 0;
                while until() {
                    let result = rpc(addr, "weft_call", spin_call.clone()).unwrap();
                    assert_eq!(result["status"], "out_of_gas", "{result}");
                    done += 1;
                }
                done
            });
            let scans = scope.spawn(move || {
                let mut done = 0;
                while until() {
                    let logs = rpc(addr, "weft_getLogs", json!([{"from_block": 1, "to_block": 10_000}])).unwrap();
                    assert_eq!(logs, json!([]));
                    done += 1;
                }
                done
            });
            // A sender whose transfers are mined meanwhile (instant mining: each in its own block).
            let sender = scope.spawn(move || {
                let mut mined = 0;
                while until() {
                    let receipt = send(addr, json!({"from": "carol", "to": dev_accounts()[3].address.to_string(), "value": "1"}));
                    assert_eq!(receipt["status"], "success", "{receipt}");
                    mined += 1;
                }
                mined
            });
            let mut latencies = Vec::new();
            while until() {
                let asked = std::time::Instant::now();
                let height = rpc(addr, "weft_blockNumber", json!([])).unwrap();
                latencies.push(asked.elapsed());
                assert!(height.as_u64().unwrap() >= 10_001);
                std::thread::sleep(Duration::from_millis(5));
            }
            let (dry_runs, scans, mined) = (dry_runs.join().unwrap(), scans.join().unwrap(), sender.join().unwrap());
            let p99 = percentile(&mut latencies, 0.99);
            eprintln!(
                "{} weft_blockNumber answers, p99 {p99:?}; meanwhile {dry_runs} 10^9-gas calls, {scans} 10,000-block scans, {mined} transfers mined",
                latencies.len()
            );
            assert!(dry_runs >= 1 && scans >= 1, "the readers ran: {dry_runs} calls, {scans} scans");
            assert!(p99 < Duration::from_millis(100), "weft_blockNumber p99 {p99:?}");
            assert!(mined >= 10, "only {mined} transfers were mined in {busy:?}");
        });
    })
    .await
    .unwrap();
    server.stop().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn calls_at_past_blocks_are_bounded_in_depth() {
    let limits = RpcLimits {
        max_history_depth: 2,
        ..RpcLimits::default()
    };
    let (addr, server) = start(limits).await;
    tokio::task::spawn_blocking(move || {
        let token = deploy_token(addr);
        for _ in 0..4 {
            rpc(addr, "dev_mine", json!([])).unwrap();
        }
        let head = rpc(addr, "weft_blockNumber", json!([]))
            .unwrap()
            .as_u64()
            .unwrap();
        let at = |block: u64| {
            rpc(
                addr,
                "weft_call",
                json!([{"to": token, "method": "total_supply", "block": block}]),
            )
        };
        assert_eq!(at(head - 2).unwrap()["decoded"], json!("1000000"));
        let too_deep = at(head - 3).unwrap_err();
        assert_eq!(code_of(&too_deep), i64::from(codes::RANGE_TOO_WIDE), "{too_deep}");
        assert!(
            too_deep["message"]
                .as_str()
                .unwrap()
                .contains("3 blocks below the head"),
            "{too_deep}"
        );
    })
    .await
    .unwrap();
    server.stop().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn dev_names_stand_for_addresses_everywhere_on_a_devnet_and_nowhere_on_a_network() {
    let (addr, server) = start(RpcLimits::default()).await;
    let validator = NodeHandle::open(
        Arc::new(MemStore::new()),
        NodeConfig {
            mining: weft_node::MiningMode::Consensus,
            ..NodeConfig::dev()
        },
    )
    .unwrap();
    let (network, network_server) =
        weft_node::rpc::serve(validator, "127.0.0.1:0".parse().unwrap(), RpcLimits::default())
            .await
            .unwrap();
    tokio::task::spawn_blocking(move || {
        let bob = dev_accounts()[1].address.to_string();
        let balance = |who: &str| rpc(addr, "weft_getBalance", json!([who])).unwrap();
        assert_eq!(balance("bob"), balance(&bob));
        // A transfer `to` a name, a balance set by name, a call's `Address` argument by name.
        let before: u128 = balance("bob").as_str().unwrap().parse().unwrap();
        send(addr, json!({"from": "alice", "to": "bob", "value": "7"}));
        let after: u128 = balance("bob").as_str().unwrap().parse().unwrap();
        assert_eq!(after - before, 7);
        rpc(addr, "dev_setBalance", json!(["carol", "1234"])).unwrap();
        assert_eq!(balance("carol"), json!("1234"));
        let token = deploy_token(addr);
        send(
            addr,
            json!({"from": "alice", "to": token, "method": "transfer", "args": ["bob", "250"]}),
        );
        let view = rpc(
            addr,
            "weft_call",
            json!([{"to": token, "method": "balance_of", "args": ["bob"], "from": "carol"}]),
        );
        assert_eq!(view.unwrap()["decoded"], json!("250"));
        let logs = rpc(addr, "weft_getLogs", json!([{"from_block": 0, "address": token}])).unwrap();
        assert_eq!(logs.as_array().unwrap().len(), 2);
        assert_eq!(
            rpc(addr, "weft_getPendingNonce", json!(["alice"])).unwrap(),
            json!(3)
        );
        // A name no dev account has is not an address.
        let mallory = rpc(addr, "weft_getBalance", json!(["mallory"])).unwrap_err();
        assert_eq!(code_of(&mallory), -32602);
        // On a network, names are not addresses.
        let named = rpc(network, "weft_getBalance", json!(["bob"])).unwrap_err();
        assert_eq!(code_of(&named), -32602, "{named}");
        assert!(rpc(network, "weft_getBalance", json!([bob])).is_ok());
    })
    .await
    .unwrap();
    server.stop().unwrap();
    network_server.stop().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_explorer_page_is_served_beside_json_rpc() {
    let (addr, server) = start(RpcLimits::default()).await;
    tokio::task::spawn_blocking(move || {
        let get = |path: &str| match ureq::get(&format!("http://{addr}{path}")).call() {
            Ok(response) | Err(ureq::Error::Status(_, response)) => response,
            Err(other) => panic!("transport error: {other}"),
        };
        let page = get("/");
        assert_eq!(page.status(), 200);
        assert_eq!(page.content_type(), "text/html");
        assert!(
            page.header("content-security-policy")
                .unwrap()
                .contains("default-src 'self'")
        );
        let html = page.into_string().unwrap();
        assert!(html.contains("<title>Weft explorer</title>"), "{html}");
        let script = get("/explorer.js");
        assert_eq!(script.content_type(), "text/javascript");
        assert!(script.into_string().unwrap().contains("weft_blockNumber"));
        assert_eq!(get("/explorer.css").content_type(), "text/css");
        // Any other GET is JSON-RPC's, which takes none.
        let other = get("/wallet.js");
        assert_ne!(other.status(), 200);
        // The same port still answers JSON-RPC over POST.
        assert_eq!(rpc(addr, "weft_blockNumber", json!([])).unwrap(), json!(0));
    })
    .await
    .unwrap();
    // And WebSocket upgrades at `/`, which are GETs too.
    let ws = WsClientBuilder::default()
        .build(format!("ws://{addr}"))
        .await
        .unwrap();
    assert_eq!(ws.block_number().await.unwrap(), 0);
    server.stop().unwrap();
}
