//! The node's intake path, in process: transactions submitted to a [`NodeHandle`] (decode-free:
//! already signed), pooled and mined into a block on a `MemStore` — where a transaction used to be
//! verified twice and re-encoded and re-hashed at every step. Two workloads: 999 value
//! transfers from nine senders, and one deploy of a 2 MiB contract (a data segment).
//!
//! `cargo bench -p weft-node --bench intake`

use std::sync::Arc;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use weft_chain::{DEV_CHAIN_ID, dev_accounts};
use weft_node::{MempoolLimits, MiningMode, NodeConfig, NodeHandle};
use weft_primitives::{Action, Hash, SignedTransaction, Transaction};
use weft_state::MemStore;

const SENDERS: usize = 9;
const PER_SENDER: u64 = 111;

fn node() -> NodeHandle {
    let config = NodeConfig {
        mining: MiningMode::Manual,
        mempool: MempoolLimits {
            max_transactions: 10_000,
            max_nonce_ahead: PER_SENDER,
        },
        ..NodeConfig::dev()
    };
    NodeHandle::open(Arc::new(MemStore::new()), config).expect("node")
}

fn signed(from: usize, nonce: u64, gas_limit: u64, action: Action) -> SignedTransaction {
    let key = &dev_accounts()[from].key;
    Transaction {
        chain_id: DEV_CHAIN_ID,
        signer: Transaction::signer_of(key),
        nonce,
        gas_limit,
        gas_price: 1,
        value: 1,
        action,
    }
    .sign(key)
}

fn transfers() -> Vec<SignedTransaction> {
    let to = dev_accounts()[SENDERS].address;
    (0..PER_SENDER)
        .flat_map(|nonce| (0..SENDERS).map(move |from| signed(from, nonce, 100_000, Action::Transfer { to })))
        .collect()
}

/// A valid contract of about 2 MiB: a 2 MiB - 4 KiB data segment and one function.
fn large_contract() -> Vec<u8> {
    let data = "\\2a".repeat((2 << 20) - 4096);
    wat::parse_str(format!(
        r#"(module (memory (export "memory") 40) (data (i32.const 0) "{data}") (func (export "ping")))"#
    ))
    .expect("wat")
}

fn intake(c: &mut Criterion) {
    let mut group = c.benchmark_group("intake");
    group.sample_size(10);
    let txs = transfers();
    group.throughput(Throughput::Elements(txs.len() as u64));
    group.bench_function("999_transfers_submit_and_mine", |b| {
        b.iter_batched(
            || (node(), txs.clone()),
            |(node, txs)| {
                for tx in txs {
                    node.submit(tx).expect("accepted");
                }
                let produced = node.mine().expect("block");
                assert_eq!(produced.receipts.len(), SENDERS * PER_SENDER as usize);
            },
            BatchSize::PerIteration,
        );
    });
    let code = large_contract();
    assert!(code.len() > 2_000_000, "{} bytes", code.len());
    let deploy = signed(
        0,
        0,
        1_000_000_000,
        Action::Deploy {
            code,
            init_args: Vec::new(),
            salt: Hash::ZERO,
        },
    );
    group.throughput(Throughput::Elements(1));
    group.bench_function("2mib_deploy_submit_and_mine", |b| {
        b.iter_batched(
            || (node(), deploy.clone()),
            |(node, deploy)| {
                node.submit(deploy).expect("accepted");
                let produced = node.mine().expect("block");
                assert!(
                    produced.receipts[0].contract_address.is_some(),
                    "{:?}",
                    produced.receipts[0].status
                );
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, intake);
criterion_main!(benches);
