//! One simulation service: the test kit's `dry_run` and the node's `weft_estimateGas` (over a
//! real socket) give the same gas for the same calls — including `contracts/caller`, whose
//! cross-contract call forwards all the gas it has left — and that gas is the smallest limit
//! with which the transaction succeeds.

use std::sync::Arc;

use jsonrpsee::http_client::{HttpClient, HttpClientBuilder};
use parity_scale_codec::Encode;
use serde_json::json;
use weft_chain::dev_accounts;
use weft_node::rpc::RpcLimits;
use weft_node::{NodeConfig, NodeHandle};
use weft_rpc::{ArgsView, CallRequestView, SendTransactionView, WeftApiClient, WeftReadApiClient};
use weft_state::MemStore;
use weft_testkit::{Failure, TestChain, artifact};

/// Sends a dev transaction from alice and returns its contract address (deploys) or nothing.
async fn send(client: &HttpClient, request: SendTransactionView) -> Option<String> {
    let hash = client.send_transaction(request).await.unwrap();
    let receipt = client.transaction_receipt(hash).await.unwrap().unwrap();
    assert_eq!(receipt.status, weft_rpc::StatusView::Success, "{receipt:?}");
    receipt.contract_address
}

fn from_alice() -> SendTransactionView {
    SendTransactionView {
        from: "alice".into(),
        to: None,
        method: None,
        code: None,
        args: None,
        salt: None,
        value: None,
        gas: None,
        gas_price: None,
    }
}

fn estimate_request(to: &str, method: Option<&str>, args: Vec<u8>) -> CallRequestView {
    CallRequestView {
        from: Some(dev_accounts()[0].address.to_string()),
        to: to.to_owned(),
        method: method.map(str::to_owned),
        args: Some(ArgsView::Hex(format!("0x{}", hex::encode(args)))),
        value: None,
        gas: None,
        block: None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_test_kit_and_weft_estimate_gas_agree() {
    // The test kit: a token, the caller holding 100 of it.
    let chain = TestChain::new();
    let bob = chain.account("bob");
    let token = chain
        .deploy(artifact("token"))
        .args(("Weft".to_string(), "WFT".to_string(), 0u8, 1_000u128))
        .send()
        .unwrap();
    let caller = chain
        .deploy(artifact("caller"))
        .args(token.address())
        .send()
        .unwrap();
    token
        .call("transfer")
        .args((caller.address(), 100u128))
        .send()
        .unwrap();

    // The node, the same contracts and steps, over JSON-RPC.
    let node = NodeHandle::open(Arc::new(MemStore::new()), NodeConfig::dev()).unwrap();
    let (addr, server) = weft_node::rpc::serve(node, "127.0.0.1:0".parse().unwrap(), RpcLimits::default())
        .await
        .unwrap();
    let client = HttpClientBuilder::default()
        .build(format!("http://{addr}"))
        .unwrap();
    let code = |name: &str| Some(format!("0x{}", hex::encode(artifact(name))));
    let node_token = send(
        &client,
        SendTransactionView {
            code: code("token"),
            args: Some(ArgsView::Json(vec![
                json!("Weft"),
                json!("WFT"),
                json!(0),
                json!("1000"),
            ])),
            ..from_alice()
        },
    )
    .await
    .unwrap();
    let node_caller = send(
        &client,
        SendTransactionView {
            code: code("caller"),
            args: Some(ArgsView::Json(vec![json!(node_token)])),
            ..from_alice()
        },
    )
    .await
    .unwrap();
    send(
        &client,
        SendTransactionView {
            to: Some(node_token.clone()),
            method: Some("transfer".into()),
            args: Some(ArgsView::Json(vec![json!(node_caller), json!("100")])),
            ..from_alice()
        },
    )
    .await;
    let node_bob = dev_accounts()[1].address;

    for (method, amount) in [
        ("try_transfer", 60u128),
        ("try_transfer", 101),
        ("token_balance", 0),
    ] {
        let (kit_args, node_args) = if method == "token_balance" {
            (
                caller.address().encode(),
                node_caller.parse::<weft_primitives::Address>().unwrap().encode(),
            )
        } else {
            ((bob.address(), amount).encode(), (node_bob, amount).encode())
        };
        let kit = caller.call(method).args_raw(kit_args).dry_run().unwrap();
        let rpc = client
            .estimate_gas(estimate_request(&node_caller, Some(method), node_args))
            .await
            .unwrap();
        assert_eq!(
            kit, rpc,
            "{method}({amount}): the test kit and weft_estimateGas agree"
        );
    }

    // The estimate is the smallest limit that works: one gas less fails.
    let args = (bob.address(), 60u128).encode();
    let needed = caller
        .call("try_transfer")
        .args_raw(args.clone())
        .dry_run()
        .unwrap();
    let short = caller
        .call("try_transfer")
        .args_raw(args.clone())
        .gas(needed - 1)
        .send();
    assert!(matches!(short, Err(Failure::OutOfGas { .. })), "{short:?}");
    let sent = caller
        .call("try_transfer")
        .args_raw(args)
        .gas(needed)
        .send()
        .unwrap();
    assert_eq!(
        sent.decode::<Result<(), String>>(),
        Ok(()),
        "with the estimate, the token moves"
    );

    // A call that fails whatever its gas fails on both sides, with the same status.
    let kit = caller
        .call("transfer_or_revert")
        .args((bob.address(), 1_000u128))
        .dry_run();
    assert!(matches!(kit, Err(Failure::Revert { .. })), "{kit:?}");
    let rpc = client
        .estimate_gas(estimate_request(
            &node_caller,
            Some("transfer_or_revert"),
            (node_bob, 1_000u128).encode(),
        ))
        .await
        .unwrap_err();
    assert!(rpc.to_string().contains("revert"), "{rpc}");

    // A plain transfer's estimate is its intrinsic gas, what a transfer uses.
    let transfer_gas = client
        .estimate_gas(estimate_request(&node_bob.to_string(), None, Vec::new()))
        .await
        .unwrap();
    let sent = client
        .send_transaction(SendTransactionView {
            to: Some(node_bob.to_string()),
            value: Some("5".into()),
            ..from_alice()
        })
        .await
        .unwrap();
    let receipt = client.transaction_receipt(sent).await.unwrap().unwrap();
    assert_eq!(receipt.gas_used, transfer_gas);
    server.stop().unwrap();
}
