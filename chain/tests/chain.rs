//! The executor, blocks, replay and store faults, in process on a `MemStore`.
// Test helpers outside `#[test]` functions unwrap too: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use parity_scale_codec::Encode;
use weft_chain::{
    Chain, ChainError, DEV_BALANCE, DEV_CHAIN_ID, Genesis, InvalidBlock, TxRejection, dev_accounts,
};
use weft_primitives::{
    Action, Address, ExecStatus, Hash, SignedTransaction, SigningKey, Transaction, TxError,
};
use weft_state::{Column, FailingStore, KvStore, MemStore, SharedStore, StateCommitment};
use weft_vm::Vm;

/// A counter contract: `bump` adds 1 to a stored u32, emits an event and returns the count;
/// `fail` writes then traps.
const COUNTER: &str = r#"(module
    (import "env" "storage_read" (func $storage_read (param i32 i32 i32) (result i32)))
    (import "env" "storage_write" (func $storage_write (param i32 i32 i32 i32)))
    (import "env" "read_register" (func $read_register (param i32 i32)))
    (import "env" "return_data" (func $return_data (param i32 i32)))
    (import "env" "emit_event" (func $emit_event (param i32 i32 i32 i32)))
    (memory (export "memory") 1)
    (data (i32.const 0) "count")
    (func (export "bump")
      (if (call $storage_read (i32.const 0) (i32.const 5) (i32.const 1))
        (then (call $read_register (i32.const 1) (i32.const 16))))
      (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (i32.const 1)))
      (call $storage_write (i32.const 0) (i32.const 5) (i32.const 16) (i32.const 4))
      (call $emit_event (i32.const 0) (i32.const 0) (i32.const 16) (i32.const 4))
      (call $return_data (i32.const 16) (i32.const 4)))
    (func (export "fail")
      (call $storage_write (i32.const 0) (i32.const 5) (i32.const 0) (i32.const 4))
      unreachable))"#;

fn key(i: usize) -> SigningKey {
    dev_accounts()[i].key.clone()
}

fn address(i: usize) -> Address {
    dev_accounts()[i].address
}

fn tx(from: usize, nonce: u64, action: Action, value: u128) -> SignedTransaction {
    let key = key(from);
    Transaction {
        chain_id: DEV_CHAIN_ID,
        signer: Transaction::signer_of(&key),
        nonce,
        gas_limit: 5_000_000,
        gas_price: 2,
        value,
        action,
    }
    .sign(&key)
}

fn transfer(from: usize, nonce: u64, to: Address, value: u128) -> SignedTransaction {
    tx(from, nonce, Action::Transfer { to }, value)
}

fn deploy(from: usize, nonce: u64) -> SignedTransaction {
    let code = wat::parse_str(COUNTER).unwrap();
    let action = Action::Deploy {
        code,
        init_args: Vec::new(),
        salt: Hash::ZERO,
    };
    tx(from, nonce, action, 0)
}

fn call(from: usize, nonce: u64, to: Address, method: &str, value: u128) -> SignedTransaction {
    let action = Action::Call {
        to,
        method: method.into(),
        args: Vec::new(),
    };
    tx(from, nonce, action, value)
}

fn store() -> SharedStore {
    Arc::new(MemStore::new())
}

fn chain(store: SharedStore) -> Chain {
    Chain::open(store, Vm::new(Default::default()), Genesis::dev()).unwrap()
}

fn balance(chain: &Chain, address: &Address) -> u128 {
    chain.state().account(address).unwrap().balance
}

#[test]
fn a_transfer_moves_value_burns_the_fee_and_uses_the_nonce() {
    let mut chain = chain(store());
    let produced = chain
        .produce_block(vec![transfer(0, 0, address(1), 1_000)], 100)
        .unwrap();
    let receipt = &produced.receipts[0];
    assert_eq!(receipt.status, ExecStatus::Success);
    let intrinsic = chain.executor().intrinsic_gas(&produced.block.transactions[0]);
    assert_eq!(receipt.gas_used, intrinsic);
    let fee = u128::from(receipt.gas_used) * 2;
    assert_eq!(balance(&chain, &address(0)), DEV_BALANCE - 1_000 - fee);
    assert_eq!(balance(&chain, &address(1)), DEV_BALANCE + 1_000);
    assert_eq!(chain.state().account(&address(0)).unwrap().nonce, 1);
    assert_eq!(chain.head().height, 1);
    assert_eq!(chain.head().gas_used, receipt.gas_used);
    assert_eq!(chain.head().timestamp, 100);
    assert_eq!(
        chain.head().state_root,
        StateCommitment::recompute(&**chain.store()).unwrap().root()
    );
}

#[test]
fn deploy_and_call_a_contract_with_receipts_events_and_failures() {
    let mut chain = chain(store());
    let produced = chain.produce_block(vec![deploy(0, 0)], 1).unwrap();
    let contract = produced.receipts[0].contract_address.unwrap();
    assert_eq!(contract, Address::for_contract(&address(0), 0, &Hash::ZERO));

    let produced = chain
        .produce_block(
            vec![call(0, 1, contract, "bump", 0), call(1, 0, contract, "bump", 0)],
            2,
        )
        .unwrap();
    assert_eq!(produced.receipts[1].return_data, 2u32.to_le_bytes());
    assert_eq!(produced.receipts[1].events[0].address, contract);
    assert_eq!(
        (
            produced.receipts[0].first_log_index,
            produced.receipts[1].first_log_index
        ),
        (0, 1)
    );
    assert_eq!(
        chain
            .receipt(&produced.block.transactions[1].hash())
            .unwrap()
            .unwrap(),
        produced.receipts[1]
    );
    let (found, location) = chain
        .transaction(&produced.block.transactions[1].hash())
        .unwrap()
        .unwrap();
    assert_eq!(
        (found, location.height, location.index),
        (produced.block.transactions[1].clone(), 2, 1)
    );
    assert_eq!(
        chain.block_by_hash(&produced.block.hash()).unwrap().unwrap(),
        produced.block
    );

    // A trap: the fee is paid and the nonce used; the write and the value are undone.
    let before = chain.state().storage(&contract, b"count").unwrap();
    let produced = chain
        .produce_block(vec![call(2, 0, contract, "fail", 500)], 3)
        .unwrap();
    let receipt = &produced.receipts[0];
    assert!(matches!(receipt.status, ExecStatus::Trap { .. }), "{receipt:?}");
    assert!(receipt.events.is_empty());
    assert_eq!(chain.state().storage(&contract, b"count").unwrap(), before);
    assert_eq!(balance(&chain, &contract), 0);
    assert_eq!(
        balance(&chain, &address(2)),
        DEV_BALANCE - u128::from(receipt.gas_used) * 2
    );
    assert_eq!(chain.state().account(&address(2)).unwrap().nonce, 1);

    // Out of gas: the whole limit is charged.
    let mut starved = call(3, 0, contract, "bump", 0);
    starved.tx.gas_limit = chain.executor().intrinsic_gas(&starved) + 10;
    let starved = {
        let key = key(3);
        starved.tx.sign(&key)
    };
    let produced = chain.produce_block(vec![starved.clone()], 4).unwrap();
    assert_eq!(produced.receipts[0].status, ExecStatus::OutOfGas);
    assert_eq!(produced.receipts[0].gas_used, starved.tx.gas_limit);
}

#[test]
fn rejected_transactions_touch_nothing_and_say_why() {
    let mut chain = chain(store());
    let root = chain.head().state_root;
    let mut wrong_chain = transfer(0, 0, address(1), 1);
    wrong_chain.tx.chain_id = 9;
    let wrong_chain = wrong_chain.tx.sign(&key(0));
    let mut forged = transfer(0, 0, address(1), 1);
    forged.tx.value = 2;
    let mut poor = transfer(0, 0, address(1), DEV_BALANCE);
    poor.tx.gas_price = 1;
    let poor = poor.tx.sign(&key(0));
    let mut tiny_gas = transfer(0, 0, address(1), 1);
    tiny_gas.tx.gas_limit = 10;
    let tiny_gas = tiny_gas.tx.sign(&key(0));
    let mut huge_gas = transfer(0, 0, address(1), 1);
    huge_gas.tx.gas_limit = u64::MAX;
    let huge_gas = huge_gas.tx.sign(&key(0));
    let ahead = transfer(0, 5, address(1), 1);
    let produced = chain
        .produce_block(vec![wrong_chain, forged, poor, tiny_gas, huge_gas, ahead], 1)
        .unwrap();
    let reasons: Vec<_> = produced.rejected.iter().map(|(_, why)| why.clone()).collect();
    assert!(
        matches!(reasons[0], TxRejection::Invalid(TxError::WrongChainId { .. })),
        "{reasons:?}"
    );
    assert!(
        matches!(reasons[1], TxRejection::Invalid(TxError::BadSignature)),
        "{reasons:?}"
    );
    assert!(
        matches!(reasons[2], TxRejection::InsufficientBalance { .. }),
        "{reasons:?}"
    );
    assert!(
        matches!(reasons[3], TxRejection::IntrinsicGas { .. }),
        "{reasons:?}"
    );
    assert!(
        matches!(reasons[4], TxRejection::GasLimitAboveBlock { .. }),
        "{reasons:?}"
    );
    assert!(
        matches!(reasons[5], TxRejection::NonceTooHigh { .. }),
        "{reasons:?}"
    );
    assert!(produced.block.transactions.is_empty());
    assert_eq!(
        chain.head().state_root,
        root,
        "nothing of a rejected transaction touches state"
    );

    chain
        .produce_block(vec![transfer(0, 0, address(1), 1)], 2)
        .unwrap();
    let replayed = chain
        .produce_block(vec![transfer(0, 0, address(1), 1)], 3)
        .unwrap();
    assert!(matches!(
        replayed.rejected[0].1,
        TxRejection::NonceTooLow { expected: 1, got: 0 }
    ));
}

#[test]
fn a_large_block_checks_in_parallel_with_the_outcome_of_checking_in_order() {
    // Enough transactions for every core to take a share; forgeries and wrong chain ids sit
    // before the real transaction of the same nonce, at positions in every share.
    let mut offered = Vec::new();
    let mut bad = Vec::new();
    for nonce in 0..300u64 {
        let real = transfer(0, nonce, address(1), 1);
        if nonce % 37 == 5 {
            let mut forged = real.clone();
            forged.tx.value = 1_000;
            bad.push((offered.len(), "forged"));
            offered.push(forged);
        }
        if nonce % 53 == 7 {
            let mut wrong_chain = real.tx.clone();
            wrong_chain.chain_id = DEV_CHAIN_ID + 1;
            bad.push((offered.len(), "wrong chain"));
            offered.push(wrong_chain.sign(&key(0)));
        }
        offered.push(real);
    }
    let mut chain = chain(store());
    let executor = chain.executor().clone();
    let one_by_one: Vec<_> = offered
        .iter()
        .map(|tx| executor.verify(tx.clone()).map(|v| v.hash()))
        .collect();
    let all: Vec<_> = executor
        .verify_all(offered.clone())
        .into_iter()
        .map(|check| check.map(|v| v.hash()))
        .collect();
    assert_eq!(all, one_by_one);
    let failing: Vec<usize> = (0..offered.len()).filter(|&i| all[i].is_err()).collect();
    assert_eq!(failing, bad.iter().map(|(i, _)| *i).collect::<Vec<_>>());

    let produced = chain.produce_block(offered.clone(), 1).unwrap();
    let nonces: Vec<u64> = produced.block.transactions.iter().map(|tx| tx.tx.nonce).collect();
    assert_eq!(
        nonces,
        (0..300).collect::<Vec<_>>(),
        "every real transfer, in order"
    );
    assert_eq!(produced.rejected.len(), bad.len());
    for ((tx, why), (at, kind)) in produced.rejected.iter().zip(&bad) {
        assert_eq!(tx, &offered[*at]);
        match *kind {
            "forged" => assert_eq!(why, &TxRejection::Invalid(TxError::BadSignature)),
            _ => assert!(
                matches!(why, TxRejection::Invalid(TxError::WrongChainId { .. })),
                "{why:?}"
            ),
        }
    }
    assert_eq!(chain.state().account(&address(0)).unwrap().nonce, 300);
}

#[test]
fn transactions_over_the_block_gas_limit_wait_for_the_next_block() {
    // Each transfer may use 5,000,000 gas (it uses far less): a block of 5,000,000 fits one, as
    // a transaction fits only if its limit is within what the block has left.
    let genesis = Genesis {
        block_gas_limit: 5_000_000,
        ..Genesis::dev()
    };
    let mut chain = Chain::open(store(), Vm::new(Default::default()), genesis).unwrap();
    let txs = vec![
        transfer(0, 0, address(1), 1),
        transfer(1, 0, address(2), 1),
        transfer(0, 1, address(1), 1),
    ];
    let mut pending = txs.clone();
    for (height, expected) in txs.iter().enumerate() {
        let produced = chain.produce_block(pending, height as u64).unwrap();
        assert_eq!(produced.block.transactions, vec![expected.clone()]);
        assert!(produced.rejected.is_empty());
        pending = produced.deferred;
    }
    assert!(pending.is_empty());
}

#[test]
fn same_blocks_same_bytes_and_replay_reproduces_everything() {
    let txs = |chain: &mut Chain| {
        chain
            .produce_block(vec![deploy(0, 0), transfer(1, 0, address(2), 7)], 10)
            .unwrap();
        let contract = Address::for_contract(&address(0), 0, &Hash::ZERO);
        chain
            .produce_block(
                vec![call(0, 1, contract, "bump", 3), call(2, 0, contract, "fail", 0)],
                20,
            )
            .unwrap();
    };
    let (a, b) = (store(), store());
    let mut first = chain(a.clone());
    let mut second = chain(b);
    txs(&mut first);
    txs(&mut second);
    for height in 0..=2 {
        let x = first.block(height).unwrap().unwrap();
        let y = second.block(height).unwrap().unwrap();
        assert_eq!(x.encode(), y.encode(), "block {height}");
        for tx in &x.transactions {
            let (rx, ry) = (
                first.receipt(&tx.hash()).unwrap(),
                second.receipt(&tx.hash()).unwrap(),
            );
            assert_eq!(rx.encode(), ry.encode());
        }
    }
    assert_eq!(
        first.replay_into(store(), Vm::new(Default::default())).unwrap(),
        2
    );

    // Reopen: the head and the state are back.
    let reopened = chain(a.clone());
    assert_eq!(reopened.head(), first.head());
    let other = Genesis {
        chain_id: 99,
        ..Genesis::dev()
    };
    assert!(matches!(
        Chain::open(a, Vm::new(Default::default()), other),
        Err(ChainError::GenesisMismatch { .. })
    ));
}

#[test]
fn a_tampered_chain_does_not_replay() {
    let store = store();
    let mut chain = chain(store.clone());
    chain.produce_block(vec![deploy(0, 0)], 1).unwrap();
    let contract = Address::for_contract(&address(0), 0, &Hash::ZERO);
    chain
        .produce_block(vec![call(0, 1, contract, "bump", 0)], 2)
        .unwrap();
    // Change the counter behind the chain's back: block 2's receipts and root no longer follow.
    let mut world = chain.state();
    world.set_storage(&contract, b"count", 41u32.to_le_bytes().to_vec());
    let commit = world.commit().unwrap();
    weft_state::KvStore::write(&*store, &commit.batch, weft_state::Durability::Sync).unwrap();
    chain
        .produce_block(vec![call(0, 2, contract, "bump", 0)], 3)
        .unwrap();
    let error = chain
        .replay_into(self::store(), Vm::new(Default::default()))
        .unwrap_err();
    assert!(
        matches!(error, ChainError::ReplayDiverged { height: 3, .. }),
        "{error}"
    );
}

fn talker(word: &str) -> Vec<u8> {
    assert_eq!(word.len(), 5, "the same length, so the same gas");
    wat::parse_str(format!(
        r#"(module
            (import "env" "debug_log" (func $debug_log (param i32 i32)))
            (import "env" "abort" (func $abort (param i32 i32)))
            (memory (export "memory") 1)
            (data (i32.const 0) "{word}")
            (func (export "talk") (call $debug_log (i32.const 0) (i32.const 5)))
            (func (export "die") (call $debug_log (i32.const 0) (i32.const 5))
              (call $abort (i32.const 0) (i32.const 5))))"#
    ))
    .unwrap()
}

#[test]
fn receipts_hold_typed_results_and_the_words_go_to_the_trace() {
    let run = |word: &str| {
        let mut chain = chain(store());
        let code = talker(word);
        let deploy = tx(
            0,
            0,
            Action::Deploy {
                code,
                init_args: Vec::new(),
                salt: Hash::ZERO,
            },
            0,
        );
        let contract = chain.produce_block(vec![deploy], 1).unwrap().receipts[0]
            .contract_address
            .unwrap();
        let calls = vec![call(1, 0, contract, "talk", 0), call(1, 1, contract, "die", 0)];
        let produced = chain.produce_block(calls, 2).unwrap();
        let stored: Vec<_> = produced
            .block
            .transactions
            .iter()
            .map(|tx| chain.trace(&tx.hash()).unwrap().unwrap())
            .collect();
        assert_eq!(
            stored, produced.traces,
            "the traces are stored beside the receipts"
        );
        produced
    };
    let (alpha, omega) = (run("alpha"), run("omega"));
    assert_eq!(alpha.receipts, omega.receipts, "receipts do not carry the words");
    assert_eq!(alpha.block.header.receipt_root, omega.block.header.receipt_root);
    assert_eq!(
        alpha.receipts[1].status,
        ExecStatus::Trap {
            kind: weft_primitives::TrapKind::Abort
        }
    );
    assert_ne!(alpha.traces, omega.traces);
    assert_eq!(alpha.traces[0].logs, ["alpha"]);
    assert_eq!(alpha.traces[1].logs, ["alpha"]);
    let detail = alpha.traces[1].trap.as_ref().unwrap();
    assert_eq!(detail.message, "alpha");
    assert_eq!(omega.traces[1].trap.as_ref().unwrap().message, "omega");
}

#[test]
fn a_faulting_transaction_is_left_out_and_the_chain_goes_on() {
    let failing = Arc::new(FailingStore::new());
    let mut chain = chain(failing.clone());
    failing.fail_reads_of(Some((Column::Accounts, address(2).as_bytes().to_vec())));
    let before = chain.state().account(&address(3)).unwrap();
    let txs = vec![transfer(2, 0, address(3), 5), transfer(0, 0, address(3), 7)];
    let produced = chain.produce_block(txs.clone(), 1).unwrap();
    assert_eq!(
        produced.block.transactions,
        [txs[1].clone()],
        "the other one is included"
    );
    let [(faulted, ChainError::Store(_))] = &produced.faulted[..] else {
        panic!(
            "one faulted transaction with its store error: {:?}",
            produced.faulted
        );
    };
    assert_eq!(faulted, &txs[0]);
    assert_eq!(balance(&chain, &address(3)), before.balance + 7);
    assert_eq!(chain.head().height, 1);

    // Once the account reads again, the same transaction goes in.
    failing.fail_reads_of(None);
    let produced = chain.produce_block(vec![txs[0].clone()], 2).unwrap();
    assert!(produced.faulted.is_empty() && produced.receipts[0].status == ExecStatus::Success);

    // A block that cannot be committed is an error, and nothing of it is kept.
    failing.fail_writes(true);
    let head = chain.head().clone();
    assert!(matches!(
        chain.produce_block(vec![transfer(0, 1, address(3), 1)], 3),
        Err(ChainError::Store(_))
    ));
    assert_eq!(chain.head(), &head);
    assert_eq!(chain.state().account(&address(0)).unwrap().nonce, 1);
}

/// Every entry of every column.
fn dump(store: &SharedStore) -> Vec<(Column, Vec<u8>, Vec<u8>)> {
    Column::ALL
        .into_iter()
        .flat_map(|col| {
            store
                .iter_prefix(col, b"")
                .map(move |pair| {
                    let (key, value) = pair.unwrap();
                    (col, key, value)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn a_block_is_executed_apart_from_its_commit_and_a_peer_verifies_it() {
    let (proposer_store, verifier_store) = (store(), store());
    let mut proposer = chain(proposer_store.clone());
    let mut verifier = chain(verifier_store.clone());
    let before = dump(&proposer_store);
    let pending = proposer
        .build_block(vec![deploy(0, 0), transfer(1, 0, address(2), 7)], 10)
        .unwrap();
    assert_eq!(dump(&proposer_store), before, "building writes nothing");
    assert_eq!(proposer.head().height, 0);
    let block = pending.block().clone();
    assert_eq!(block.transactions.len(), 2);

    // The peer re-executes it strictly, writing nothing, and gets the same block.
    let verified = verifier.verify_block(&block).unwrap().unwrap();
    assert_eq!(dump(&verifier_store), before, "verifying writes nothing");
    assert_eq!(verified.block().encode(), block.encode());
    assert_eq!(verified.produced().receipts, pending.produced().receipts);

    let committed = proposer.commit(pending).unwrap();
    verifier.commit(verified).unwrap();
    assert_eq!(proposer.head(), verifier.head());
    assert_eq!(proposer.head(), &committed.block.header);
    assert_eq!(
        dump(&proposer_store),
        dump(&verifier_store),
        "the same bytes on both"
    );
    assert_eq!(
        proposer.head().state_root,
        StateCommitment::recompute(&*proposer_store).unwrap().root()
    );
}

#[test]
fn a_pending_block_commits_only_onto_the_state_it_was_executed_on() {
    let store = store();
    let mut chain = chain(store.clone());
    let first = chain.build_block(vec![transfer(0, 0, address(1), 1)], 1).unwrap();
    let rival = chain.build_block(vec![transfer(1, 0, address(2), 1)], 1).unwrap();
    chain.commit(first).unwrap();
    let before = dump(&store);
    assert!(matches!(
        chain.commit(rival),
        Err(ChainError::NotOnHead { height: 1, head: 1 })
    ));
    // A state override in between makes a pending block stale too.
    let pending = chain.build_block(vec![transfer(0, 1, address(1), 1)], 2).unwrap();
    chain
        .override_state(|world| {
            let mut account = world.account(&address(5))?;
            account.balance = 1;
            world.set_account(&address(5), &account);
            Ok(())
        })
        .unwrap();
    let overridden = dump(&store);
    assert_ne!(overridden, before);
    assert!(matches!(chain.commit(pending), Err(ChainError::NotOnHead { .. })));
    assert_eq!(dump(&store), overridden, "a refused commit writes nothing");
}

#[test]
fn a_proposed_block_with_anything_wrong_is_invalid_and_changes_nothing() {
    let store = store();
    let mut chain = chain(store.clone());
    chain.produce_block(Vec::new(), 5).unwrap();
    let chain = chain;
    let before = dump(&store);
    let good = chain
        .build_block(
            vec![transfer(0, 0, address(1), 1), transfer(1, 0, address(2), 1)],
            10,
        )
        .unwrap()
        .block()
        .clone();
    let verdict = |block: &weft_primitives::Block| chain.verify_block(block).unwrap().err();
    assert_eq!(verdict(&good), None);

    let mut tampered = good.clone();
    tampered.header.state_root = Hash([7; 32]);
    assert_eq!(
        verdict(&tampered),
        Some(InvalidBlock::HeaderMismatch { field: "state_root" })
    );
    let mut tampered = good.clone();
    tampered.header.gas_used += 1;
    assert_eq!(
        verdict(&tampered),
        Some(InvalidBlock::HeaderMismatch { field: "gas_used" })
    );
    let mut tampered = good.clone();
    tampered.header.height = 3;
    assert_eq!(
        verdict(&tampered),
        Some(InvalidBlock::NotOnHead { height: 3, head: 1 })
    );
    let mut tampered = good.clone();
    tampered.header.parent_hash = Hash([1; 32]);
    assert!(matches!(verdict(&tampered), Some(InvalidBlock::NotOnHead { .. })));
    let mut tampered = good.clone();
    tampered.header.timestamp = 4;
    assert_eq!(
        verdict(&tampered),
        Some(InvalidBlock::TimestampBeforeParent {
            timestamp: 4,
            parent: 5
        })
    );
    let mut tampered = good.clone();
    tampered.header.timestamp = 11;
    assert_eq!(
        verdict(&tampered),
        None,
        "the proposer picks the timestamp (none of these transactions reads it)"
    );
    // A transaction the checks reject (nonce used twice) makes the block invalid, though a
    // builder would only have left it out.
    let mut tampered = good.clone();
    tampered.transactions.push(transfer(0, 0, address(3), 1));
    let replayed_nonce = tampered.transactions[2].hash();
    assert!(matches!(
        verdict(&tampered),
        Some(InvalidBlock::Rejected { tx, rejection: TxRejection::NonceTooLow { .. } }) if tx == replayed_nonce
    ));
    // So does a bad signature.
    let mut tampered = good.clone();
    tampered.transactions[1].tx.value += 1;
    assert!(matches!(
        verdict(&tampered),
        Some(InvalidBlock::Rejected {
            rejection: TxRejection::Invalid(TxError::BadSignature),
            ..
        })
    ));
    // And a transaction whose gas limit no longer fits what the block has left.
    let mut greedy = transfer(1, 0, address(4), 1).tx;
    greedy.gas_limit = chain.genesis().block_gas_limit;
    let mut tampered = good.clone();
    tampered.transactions = vec![transfer(0, 0, address(4), 1), greedy.sign(&key(1))];
    let second = tampered.transactions[1].hash();
    assert_eq!(
        verdict(&tampered),
        Some(InvalidBlock::OverGasLimit { tx: second })
    );
    assert_eq!(dump(&store), before, "no verdict wrote anything");
}

/// A chain exercising every kind of transaction and outcome: deploys (one with a constructor and
/// events), transfers, calls that succeed, revert, trap, abort with words and log; blocks with
/// several transactions and an empty one.
fn reference_chain(store: SharedStore) -> Chain {
    let mut chain = chain(store);
    // The token as it was built when the fixture was written: the artifact's bytes move with the
    // SDK, the inputs of this chain do not.
    let token_code = include_bytes!("fixtures/reference-token.wasm").to_vec();
    let token_args = ("Weft".to_string(), "WFT".to_string(), 0u8, 1_000u128).encode();
    let token = tx(
        1,
        0,
        Action::Deploy {
            code: token_code,
            init_args: token_args,
            salt: Hash([5; 32]),
        },
        0,
    );
    let token_address = Address::for_contract(&address(1), 0, &Hash([5; 32]));
    let talker_deploy = tx(
        2,
        0,
        Action::Deploy {
            code: talker("words"),
            init_args: Vec::new(),
            salt: Hash::ZERO,
        },
        0,
    );
    let talker_address = Address::for_contract(&address(2), 0, &Hash::ZERO);
    let counter = Address::for_contract(&address(0), 0, &Hash::ZERO);
    chain
        .produce_block(
            vec![deploy(0, 0), token, talker_deploy, transfer(3, 0, address(4), 77)],
            10,
        )
        .unwrap();
    let move_tokens = tx(
        1,
        1,
        Action::Call {
            to: token_address,
            method: "transfer".into(),
            args: (address(5), 400u128).encode(),
        },
        0,
    );
    let overdraw = tx(
        5,
        0,
        Action::Call {
            to: token_address,
            method: "transfer".into(),
            args: (address(6), 401u128).encode(),
        },
        0,
    );
    chain
        .produce_block(
            vec![
                call(0, 1, counter, "bump", 3),
                move_tokens,
                call(2, 1, talker_address, "talk", 0),
                call(2, 2, talker_address, "die", 0),
            ],
            20,
        )
        .unwrap();
    chain.produce_block(Vec::new(), 30).unwrap();
    chain
        .produce_block(
            vec![
                overdraw,
                call(4, 0, counter, "fail", 0),
                call(0, 2, counter, "bump", 0),
            ],
            40,
        )
        .unwrap();
    chain
}

/// Every entry of the chain's store but the node-local artifact cache and the traces (words for
/// people, whose form may change), SCALE-encoded as (column index in `Column::ALL`, key, value)
/// in column and key order.
fn chain_dump(store: &SharedStore) -> Vec<u8> {
    let entries: Vec<(u8, Vec<u8>, Vec<u8>)> = dump(store)
        .into_iter()
        .filter(|(col, _, _)| !matches!(col, Column::Artifacts | Column::Traces))
        .map(|(col, key, value)| {
            let index = Column::ALL.iter().position(|c| *c == col).unwrap();
            (u8::try_from(index).unwrap(), key, value)
        })
        .collect();
    entries.encode()
}

/// `chain/tests/fixtures/reference-chain.scale` was written by this same chain built with the
/// code before the chain library was split out of the node (commit 4f3ad8b, through
/// `weft_node::Chain`): today's code builds it byte for byte, traces aside (they are not
/// consensus data, and now hold the call tree), and replays it.
#[test]
fn a_chain_made_before_the_split_is_rebuilt_byte_for_byte_and_replays() {
    let store = store();
    let built = reference_chain(store.clone());
    assert_eq!(built.head().height, 4);
    let statuses: Vec<ExecStatus> = (1..=4)
        .flat_map(|height| built.block(height).unwrap().unwrap().transactions)
        .map(|tx| built.receipt(&tx.hash()).unwrap().unwrap().status)
        .collect();
    let abort = ExecStatus::Trap {
        kind: weft_primitives::TrapKind::Abort,
    };
    for wanted in [ExecStatus::Success, ExecStatus::Revert, abort] {
        assert!(statuses.contains(&wanted), "{wanted:?} in {statuses:?}");
    }
    assert_eq!(statuses.len(), 11, "every transaction is included");
    let path = format!(
        "{}/tests/fixtures/reference-chain.scale",
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for tests")
    );
    let dump = chain_dump(&store);
    let fixture = std::fs::read(path).unwrap();
    let entries: Vec<(u8, Vec<u8>, Vec<u8>)> = weft_primitives::decode_exact("dump", &fixture).unwrap();
    let traces = Column::ALL.iter().position(|c| *c == Column::Traces).unwrap();
    let consensus: Vec<_> = entries
        .iter()
        .filter(|(col, _, _)| usize::from(*col) != traces)
        .cloned()
        .collect();
    assert!(
        dump == consensus.encode(),
        "the same blocks, receipts, state and history, byte for byte"
    );

    // The stored chain, loaded as it was written, replays through today's strict path.
    let loaded = store_with(entries);
    let old = Chain::open(loaded, Vm::new(Default::default()), Genesis::dev()).unwrap();
    assert_eq!(old.head(), built.head());
    assert_eq!(
        old.replay_into(self::store(), Vm::new(Default::default()))
            .unwrap(),
        4
    );
}

fn store_with(entries: Vec<(u8, Vec<u8>, Vec<u8>)>) -> SharedStore {
    let mut batch = weft_state::WriteBatch::new();
    for (col, key, value) in entries {
        batch.put(Column::ALL[usize::from(col)], key, value);
    }
    let store = store();
    store.write(&batch, weft_state::Durability::Sync).unwrap();
    store
}

#[test]
fn code_is_uploaded_once_and_instantiated_from_its_hash() {
    let mut chain = chain(store());
    let code = wat::parse_str(COUNTER).unwrap();
    let code_hash = weft_primitives::keccak256(&code);
    let upload = tx(0, 0, Action::Upload { code: code.clone() }, 0);
    let instantiate = |nonce: u64, salt: Hash| {
        let action = Action::Instantiate {
            code_hash,
            init_args: Vec::new(),
            salt,
        };
        tx(0, nonce, action, 0)
    };
    let produced = chain
        .produce_block(
            vec![upload, instantiate(1, Hash::ZERO), instantiate(2, Hash([1; 32]))],
            1,
        )
        .unwrap();
    let [uploaded, first, second] = &produced.receipts[..] else {
        panic!("three receipts: {:?}", produced.receipts)
    };
    assert_eq!(
        (&uploaded.status, &uploaded.return_data),
        (&ExecStatus::Success, &code_hash.0.to_vec())
    );
    assert_eq!(uploaded.contract_address, None);
    let schedule = chain.executor().vm().schedule().clone();
    let upload_intrinsic = chain.executor().intrinsic_gas(&produced.block.transactions[0]);
    assert_eq!(
        uploaded.gas_used,
        upload_intrinsic + schedule.dynamic.deploy_byte * code.len() as u64,
        "the deployer pays per byte of code"
    );
    let addresses = [first, second].map(|receipt| {
        assert_eq!(receipt.status, ExecStatus::Success, "{receipt:?}");
        receipt.contract_address.unwrap()
    });
    assert_eq!(addresses[0], Address::for_contract(&address(0), 1, &Hash::ZERO));
    assert_ne!(addresses[0], addresses[1]);
    // An instantiate pays the create cost, not the code's bytes again.
    let intrinsic = chain.executor().intrinsic_gas(&produced.block.transactions[1]);
    assert!(first.gas_used >= intrinsic + schedule.dynamic.create);
    assert!(first.gas_used < uploaded.gas_used);
    // Two contracts, one copy of the code.
    let codes = chain.store().iter_prefix(Column::Code, &[]).count();
    assert_eq!(codes, 1);
    for contract in addresses {
        let produced = chain
            .produce_block(
                vec![call(
                    1,
                    chain.state().account(&address(1)).unwrap().nonce,
                    contract,
                    "bump",
                    0,
                )],
                2,
            )
            .unwrap();
        assert_eq!(produced.receipts[0].return_data, 1u32.to_le_bytes());
    }

    // Unknown code: included, a trap, nothing deployed; a value on an upload: rejected.
    let unknown = tx(
        1,
        2,
        Action::Instantiate {
            code_hash: Hash([9; 32]),
            init_args: Vec::new(),
            salt: Hash::ZERO,
        },
        0,
    );
    let paid_upload = tx(1, 3, Action::Upload { code }, 5);
    let produced = chain.produce_block(vec![unknown, paid_upload], 3).unwrap();
    assert_eq!(
        produced.receipts[0].status,
        ExecStatus::Trap {
            kind: weft_primitives::TrapKind::HostError
        }
    );
    assert_eq!(produced.receipts[0].contract_address, None);
    assert!(
        matches!(produced.rejected[..], [(_, TxRejection::Malformed(_))]),
        "{:?}",
        produced.rejected
    );
}

#[test]
fn traces_hold_the_call_tree_and_are_kept_for_the_latest_blocks_only() {
    let mut chain = chain(store());
    chain.keep_traces(2);
    let contract = chain.produce_block(vec![deploy(0, 0)], 1).unwrap().receipts[0]
        .contract_address
        .unwrap();
    let bumps: Vec<_> = (1..=3)
        .map(|nonce| {
            let produced = chain
                .produce_block(vec![call(0, nonce, contract, "bump", 0)], 1 + nonce)
                .unwrap();
            produced.block.transactions[0].hash()
        })
        .collect();
    // Heights 3 and 4 are the two latest: the bump at height 2 lost its trace, not its receipt.
    assert_eq!(chain.trace(&bumps[0]).unwrap(), None);
    assert!(chain.receipt(&bumps[0]).unwrap().is_some());
    let latest = chain.trace(&bumps[2]).unwrap().unwrap();
    let frame = latest.calls.unwrap();
    assert_eq!((frame.contract, frame.entry.as_str()), (contract, "bump"));
    assert!(frame.gas_used > 0);
    let names: Vec<_> = frame.host_calls.iter().map(|c| (&*c.name, c.count)).collect();
    // Each host function the frame called, once, in the order of the host ABI.
    assert_eq!(
        names,
        [
            ("read_register", 1),
            ("return_data", 1),
            ("storage_read", 1),
            ("storage_write", 1),
            ("emit_event", 1)
        ]
    );
    assert!(chain.trace(&bumps[1]).unwrap().is_some());
}
