//! The node handle: mining modes, submission errors, a halt on a failed commit, devnet snapshots.

use std::sync::Arc;

use parity_scale_codec::Encode;
use weft_chain::{DEV_BALANCE, DEV_CHAIN_ID, TxRejection, dev_accounts};
use weft_node::{MiningMode, NodeConfig, NodeError, NodeHandle, SubmitError};
use weft_primitives::{Action, Address, SignedTransaction, SigningKey, Transaction};
use weft_state::{FailingStore, MemStore};

use crate::support::{deploy_action, signed};

fn key(i: usize) -> SigningKey {
    dev_accounts()[i].key.clone()
}

fn address(i: usize) -> Address {
    dev_accounts()[i].address
}

fn transfer(from: usize, nonce: u64, to: Address, value: u128) -> SignedTransaction {
    let key = key(from);
    Transaction {
        chain_id: DEV_CHAIN_ID,
        signer: Transaction::signer_of(&key),
        nonce,
        gas_limit: 5_000_000,
        gas_price: 2,
        value,
        action: Action::Transfer { to },
    }
    .sign(&key)
}

fn node(mining: MiningMode) -> NodeHandle {
    let config = NodeConfig {
        mining,
        ..NodeConfig::dev()
    };
    NodeHandle::open(Arc::new(MemStore::new()), config).unwrap()
}

#[test]
fn instant_mining_makes_a_block_per_transaction_and_queues_future_nonces() {
    let node = node(MiningMode::Instant);
    let mut blocks = node.subscribe_blocks();
    node.submit(transfer(0, 0, address(1), 5)).unwrap();
    assert_eq!(node.head().height, 1);
    assert_eq!(blocks.try_recv().unwrap().block.header.height, 1);
    // Nonce 2 waits for nonce 1; an empty block is made meanwhile.
    node.submit(transfer(0, 2, address(1), 5)).unwrap();
    assert_eq!(node.head().height, 2);
    assert_eq!(
        node.with_chain(|c| c.block(2).unwrap().unwrap().transactions.len()),
        0
    );
    node.submit(transfer(0, 1, address(1), 5)).unwrap();
    let block = node.with_chain(|c| c.block(3).unwrap().unwrap());
    assert_eq!(
        block.transactions.iter().map(|t| t.tx.nonce).collect::<Vec<_>>(),
        vec![1, 2]
    );
}

#[test]
fn manual_mining_and_submission_errors() {
    let node = node(MiningMode::Manual);
    let hash = node.submit(transfer(0, 0, address(1), 5)).unwrap();
    assert_eq!(node.head().height, 0);
    assert!(matches!(
        node.submit(transfer(0, 0, address(1), 5)),
        Err(SubmitError::Rejected(TxRejection::Duplicate(h))) if h == hash
    ));
    let produced = node.mine().unwrap();
    assert_eq!(produced.block.transactions[0].hash(), hash);
    assert!(matches!(
        node.submit(transfer(0, 0, address(1), 5)),
        Err(SubmitError::Rejected(TxRejection::NonceTooLow { .. }))
    ));
    assert!(matches!(
        node.submit_raw(&[1, 2, 3]),
        Err(SubmitError::Rejected(TxRejection::Malformed(_)))
    ));
    assert!(matches!(
        node.submit_raw(&vec![0; weft_chain::MAX_TX_BYTES + 1]),
        Err(SubmitError::Rejected(TxRejection::TooLarge { .. }))
    ));
    let mut poor = transfer(9, 0, address(1), DEV_BALANCE);
    poor.tx.gas_price = 1;
    assert!(matches!(
        node.submit(poor.tx.sign(&key(9))),
        Err(SubmitError::Rejected(TxRejection::InsufficientBalance { .. }))
    ));
    let raw = transfer(0, 1, address(1), 5).encode();
    node.submit_raw(&raw).unwrap();
    assert_eq!(node.mine().unwrap().block.transactions.len(), 1);
}

/// A contract that logs `word` and returns (`talk`), or logs it and aborts with it (`die`).

#[test]
fn the_node_halts_with_a_clear_error_when_a_block_cannot_be_committed() {
    let failing = Arc::new(FailingStore::new());
    let config = NodeConfig {
        mining: MiningMode::Manual,
        ..NodeConfig::dev()
    };
    let node = NodeHandle::open(failing.clone(), config).unwrap();
    node.submit(transfer(0, 0, address(1), 1)).unwrap();
    failing.fail_writes(true);
    let Err(NodeError::Halted(why)) = node.mine() else {
        panic!("a failed commit halts block production");
    };
    assert!(why.contains("block 1 could not be committed"), "{why}");
    // It stays halted, with the same reason, even once the store writes again.
    failing.fail_writes(false);
    assert!(matches!(node.mine(), Err(NodeError::Halted(again)) if again == why));
    assert_eq!(node.with_chain(|chain| chain.head().height), 0);
}

#[test]
fn devnet_snapshots_are_bounded_in_number() {
    let node = NodeHandle::open(Arc::new(MemStore::new()), NodeConfig::dev()).unwrap();
    for id in 0..weft_node::MAX_SNAPSHOTS as u64 {
        assert_eq!(node.snapshot().unwrap(), id);
    }
    assert!(matches!(
        node.snapshot(),
        Err(weft_node::DevError::TooManySnapshots(n)) if n == weft_node::MAX_SNAPSHOTS
    ));
    // Reverting to one drops it and every later one: there is room again.
    node.revert(3).unwrap();
    assert_eq!(node.snapshot().unwrap(), 3);
}

/// A module of 10,000 empty functions (the most the limits allow; long to compile in a debug
/// build), one of them exported.
fn many_functions() -> Vec<u8> {
    let functions: String = (0..9_999).map(|_| "(func)").collect::<String>() + "(func (export \"f\"))";
    wat::parse_str(format!("(module (memory (export \"memory\") 1) {functions})")).unwrap()
}

#[test]
fn a_deploy_compiles_as_it_enters_the_pool_outside_the_lock_and_bad_code_never_enters() {
    let node = node(MiningMode::Manual);
    let compiles = || node.with_chain(|c| c.executor().vm().cache_stats().compiles);
    let deploy = |nonce, code| signed(0, nonce, 500_000_000, deploy_action(code));
    // While the compile runs, the chain's lock is free: another thread reads through it.
    let reader = node.clone();
    let compiling = std::thread::spawn({
        let node = node.clone();
        move || node.submit(deploy(0, many_functions()))
    });
    while !compiling.is_finished() {
        assert_eq!(reader.with_chain(|c| c.head().height), 0);
    }
    compiling.join().unwrap().unwrap();
    assert_eq!(compiles(), 1, "compiled at submission");
    let produced = node.mine().unwrap();
    assert!(produced.receipts[0].contract_address.is_some());
    assert_eq!(
        compiles(),
        1,
        "the block found it compiled, under the lock, in no time"
    );

    // Code that cannot be deployed is refused at the door: nothing is mined, no gas is burnt.
    let float =
        wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "f") (drop (f32.const 1))))"#)
            .unwrap();
    // The same for an upload of it.
    for code in [b"\0asm garbage".to_vec(), float] {
        assert!(matches!(
            node.submit(deploy(1, code.clone())),
            Err(SubmitError::Rejected(TxRejection::InvalidCode(_)))
        ));
        assert!(matches!(
            node.submit(signed(0, 1, 500_000_000, Action::Upload { code })),
            Err(SubmitError::Rejected(TxRejection::InvalidCode(_)))
        ));
    }
    assert_eq!(node.mine().unwrap().block.transactions.len(), 0);
}
