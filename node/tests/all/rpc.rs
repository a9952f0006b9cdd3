//! The JSON-RPC read methods over a real socket, against an in-process node on a `MemStore`.

use std::sync::Arc;

use jsonrpsee::http_client::HttpClientBuilder;
use parity_scale_codec::Encode;
use weft_chain::{DEV_BALANCE, DEV_CHAIN_ID, dev_accounts};
use weft_node::rpc::RpcLimits;
use weft_node::{NodeConfig, NodeHandle};
use weft_primitives::{Action, Hash, Transaction};
use weft_rpc::{
    BlockName, BlockTag, CallRequestView, DevApiClient, StatusView, WeftApiClient, WeftReadApiClient, codes,
};
use weft_state::MemStore;

/// Its constructor stores key 0x07 = 0x07, emits an event and returns 7; `ping` does the same
/// with another value; `spin` loops forever.
const EMITTER: &str = r#"(module
    (import "env" "emit_event" (func $emit_event (param i32 i32 i32 i32)))
    (import "env" "return_data" (func $return_data (param i32 i32)))
    (import "env" "storage_write" (func $storage_write (param i32 i32 i32 i32)))
    (memory (export "memory") 1)
    (data (i32.const 0) "\07")
    (func (export "deploy")
      (call $storage_write (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 1))
      (call $emit_event (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1))
      (call $return_data (i32.const 0) (i32.const 1)))
    (func (export "ping")
      (call $emit_event (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1))
      (call $storage_write (i32.const 0) (i32.const 1) (i32.const 1) (i32.const 1))
      (call $return_data (i32.const 0) (i32.const 1)))
    (func (export "spin") (loop $l br $l)))"#;

#[test]
fn blocks_receipts_balances_and_nonces_are_served() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let node = NodeHandle::open(Arc::new(MemStore::new()), NodeConfig::dev()).unwrap();
        let (addr, server) =
            weft_node::rpc::serve(node, "127.0.0.1:0".parse().unwrap(), RpcLimits::default())
                .await
                .unwrap();
        let client = HttpClientBuilder::default()
            .build(format!("http://{addr}"))
            .unwrap();

        let alice = &dev_accounts()[0];
        let deploy = Transaction {
            chain_id: DEV_CHAIN_ID,
            signer: Transaction::signer_of(&alice.key),
            nonce: 0,
            gas_limit: 10_000_000,
            gas_price: 1,
            value: 0,
            action: Action::Deploy {
                code: wat::parse_str(EMITTER).unwrap(),
                init_args: Vec::new(),
                salt: Hash::ZERO,
            },
        }
        .sign(&alice.key);
        let hash = client
            .send_raw_transaction(format!("0x{}", hex::encode(deploy.encode())))
            .await
            .unwrap();
        assert_eq!(hash, deploy.hash().to_string());

        let receipt = client.transaction_receipt(hash.clone()).await.unwrap().unwrap();
        assert_eq!(
            (receipt.status.as_str(), receipt.block_height, receipt.index),
            ("success", 1, 0)
        );
        assert_eq!(receipt.return_data, "0x07");
        let created = receipt.contract_address.clone().unwrap();
        assert_eq!(receipt.events.len(), 1);
        assert_eq!(
            (receipt.events[0].address.as_str(), receipt.events[0].log_index),
            (created.as_str(), 0)
        );

        let tx = client.transaction_by_hash(hash.clone()).await.unwrap().unwrap();
        assert_eq!(
            (tx.kind, tx.from.as_str(), tx.block_height),
            (
                weft_rpc::TxKindView::Deploy,
                alice.address.to_string().as_str(),
                1
            )
        );
        assert_eq!(
            client
                .transaction_by_hash(Hash([9; 32]).to_string())
                .await
                .unwrap(),
            None
        );

        let block = client.block_by_number(1.into(), None).await.unwrap().unwrap();
        assert_eq!(block.full_transactions, None);
        let full = client
            .block_by_number(1.into(), Some(true))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(full.full_transactions, Some(vec![tx.clone()]));
        assert_eq!(block.transactions, vec![hash.clone()]);
        assert_eq!(
            client.block_by_hash(block.hash.clone(), None).await.unwrap(),
            Some(block.clone())
        );
        assert_eq!(client.block_by_number(2.into(), None).await.unwrap(), None);
        // Tags: "latest" is the head, "earliest" genesis.
        assert_eq!(
            client.block_by_number(BlockTag::LATEST, None).await.unwrap(),
            Some(block.clone())
        );
        let genesis = client
            .block_by_number(BlockTag::Named(BlockName::Earliest), None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(genesis.height, 0);

        let alice_address = alice.address.to_string();
        let fee = u128::from(receipt.gas_used);
        assert_eq!(
            client.balance(alice_address.clone()).await.unwrap(),
            (DEV_BALANCE - fee).to_string()
        );
        assert_eq!(client.nonce(alice_address.clone()).await.unwrap(), 1);
        assert_eq!(
            client
                .transaction_receipt(Hash([9; 32]).to_string())
                .await
                .unwrap(),
            None
        );

        let code = client.code(created.clone()).await.unwrap().unwrap();
        assert_eq!(
            code,
            format!("0x{}", hex::encode(wat::parse_str(EMITTER).unwrap()))
        );
        assert_eq!(client.code(alice.address.to_string()).await.unwrap(), None);
        assert_eq!(
            client
                .storage_at(created.clone(), "0x07".into())
                .await
                .unwrap()
                .as_deref(),
            Some("0x07")
        );

        // A dry run: result, events and gas, and nothing kept.
        let request = |method: &str| CallRequestView {
            from: None,
            to: created.clone(),
            method: Some(method.into()),
            args: None,
            value: None,
            gas: None,
            block: None,
        };
        let ping = client.call(request("ping")).await.unwrap();
        assert_eq!(
            (ping.status.as_str(), ping.return_data.as_str(), ping.events.len()),
            ("success", "0x07", 1)
        );
        assert!(ping.gas_used > 0);
        assert_eq!(
            client
                .storage_at(created.clone(), "0x07".into())
                .await
                .unwrap()
                .as_deref(),
            Some("0x07")
        );
        assert_eq!(
            client.block_number().await.unwrap(),
            1,
            "no block, no state change"
        );
        // A call that loops forever stops at the gas cap.
        let spin = client.call(request("spin")).await.unwrap();
        assert_eq!(
            (spin.status.as_str(), spin.gas_used),
            ("out_of_gas", RpcLimits::default().call_gas_cap)
        );
        let missing = client.call(request("nope")).await.unwrap();
        assert_eq!(missing.status, StatusView::Trap);
        assert_eq!(missing.trap_kind, Some(weft_rpc::TrapKindView::HostError));

        // estimateGas: a transaction with exactly that limit succeeds, one gas less runs out.
        let estimate = client.estimate_gas(request("ping")).await.unwrap();
        let send_ping = |nonce: u64, gas_limit: u64| {
            let tx = Transaction {
                chain_id: DEV_CHAIN_ID,
                signer: Transaction::signer_of(&alice.key),
                nonce,
                gas_limit,
                gas_price: 1,
                value: 0,
                action: Action::Call {
                    to: created.parse().unwrap(),
                    method: "ping".into(),
                    args: Vec::new(),
                },
            };
            format!("0x{}", hex::encode(tx.sign(&alice.key).encode()))
        };
        let short = client
            .send_raw_transaction(send_ping(1, estimate - 1))
            .await
            .unwrap();
        let exact = client.send_raw_transaction(send_ping(2, estimate)).await.unwrap();
        let short = client.transaction_receipt(short).await.unwrap().unwrap();
        let exact = client.transaction_receipt(exact).await.unwrap().unwrap();
        assert_eq!(
            (short.status.as_str(), exact.status.as_str()),
            ("out_of_gas", "success")
        );
        assert_eq!(exact.gas_used, estimate);
        match client.estimate_gas(request("spin")).await.unwrap_err() {
            jsonrpsee::core::client::Error::Call(error) => {
                assert_eq!(error.code(), codes::OUT_OF_GAS, "{error}")
            }
            other => panic!("expected a call error, got {other}"),
        }

        // Bad parameters are JSON-RPC "invalid params", and the next request is served.
        let bad = client.balance("0x12".into()).await.unwrap_err();
        assert!(
            bad.to_string().contains("-32602") || bad.to_string().contains("address"),
            "{bad}"
        );
        assert_eq!(client.block_number().await.unwrap(), 3);
        assert_eq!(
            DevApiClient::mine(&client, None).await.unwrap(),
            4,
            "an empty block on request"
        );
        let accounts = DevApiClient::accounts(&client).await.unwrap();
        assert_eq!((accounts.len(), accounts[0].name.as_str()), (10, "alice"));
        assert_eq!(accounts[0].address, alice.address.to_string());
        server.stop().unwrap();
    });
}
