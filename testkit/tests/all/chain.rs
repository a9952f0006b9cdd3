//! The test chain itself: accounts, blocks and time, snapshots, balances, RocksDB, gas reports,
//! and that it runs the node's pipeline (signed transactions, nonces, fees).

use weft_testkit::{Failure, TestChain, TrapKind, TxRejection, artifact};

#[test]
fn named_accounts_are_funded_once_and_stable() {
    let chain = TestChain::new();
    let alice = chain.account("alice");
    assert_eq!(chain.account("alice").address(), alice.address());
    assert_eq!(
        TestChain::new().account("alice").address(),
        alice.address(),
        "same name, same key"
    );
    assert_ne!(chain.account("bob").address(), alice.address());
    assert_eq!(chain.balance(&alice), weft_testkit::DEFAULT_FUNDS);
}

#[test]
fn blocks_time_and_snapshots() {
    let chain = TestChain::new();
    let start = chain.height();
    chain.advance_blocks(3);
    assert_eq!(chain.height(), start + 3);
    let t = chain.next_timestamp();
    chain.advance_time(100);
    assert_eq!(chain.next_timestamp(), t + 100);

    let counter = chain.deploy(artifact("counter")).args(0u64).send().unwrap();
    let snapshot = chain.snapshot();
    let height = chain.height();
    counter.call("increment").send().unwrap();
    chain.set_balance(&counter, 77);
    assert_eq!((counter.view::<u64>("get").get(), counter.balance()), (1, 77));
    chain.revert(&snapshot);
    assert_eq!(
        (
            counter.view::<u64>("get").get(),
            counter.balance(),
            chain.height()
        ),
        (0, 0, height)
    );
    // The chain goes on from the snapshot: the same nonce is usable again.
    counter.call("increment").send().unwrap();
    assert_eq!(counter.view::<u64>("get").get(), 1);
}

#[test]
fn transactions_pay_fees_and_use_nonces() {
    let chain = TestChain::new();
    let alice = chain.account("alice");
    let before = chain.balance(&alice);
    let (counter, deployed) = chain
        .deploy(artifact("counter"))
        .args(0u64)
        .from(&alice)
        .send_with_receipt()
        .unwrap();
    let sent = counter.call("increment").from(&alice).send().unwrap();
    assert_eq!(chain.nonce(&alice), 2);
    let paid = u128::from(deployed.gas_used() + sent.gas_used()) * weft_testkit::GAS_PRICE;
    assert_eq!(
        chain.balance(&alice),
        before - paid,
        "gas used is paid, the rest refunded"
    );

    let poor = chain.account("poor");
    chain.set_balance(&poor, 10);
    let refused = counter.call("increment").from(&poor).send();
    assert!(
        matches!(
            refused,
            Err(Failure::Rejected(TxRejection::InsufficientBalance { .. }))
        ),
        "{refused:?}"
    );
    assert_eq!(chain.nonce(&poor), 0, "a rejected transaction touches nothing");
}

#[test]
fn the_same_test_on_rocksdb_gives_the_same_gas() {
    let run = |chain: TestChain| {
        let counter = chain.deploy(artifact("counter")).args(5u64).send().unwrap();
        let gas = counter.call("increment").send().unwrap().gas_used();
        (counter.view::<u64>("get").get(), gas)
    };
    assert_eq!(run(TestChain::on_rocksdb()), run(TestChain::new()));
}

#[test]
fn the_gas_report_counts_calls_per_method() {
    let chain = TestChain::new();
    let counter = chain.deploy(artifact("counter")).args(0u64).send().unwrap();
    let gas: Vec<u64> = (0..3)
        .map(|_| counter.call("increment").send().unwrap().gas_used())
        .collect();
    let report = chain.gas_report();
    let increment = report.get("Counter", "increment").unwrap();
    assert_eq!(increment.calls, 3);
    assert_eq!(
        (increment.min, increment.max),
        (*gas.iter().min().unwrap(), *gas.iter().max().unwrap())
    );
    assert_eq!(report.get("Counter", "deploy").unwrap().calls, 1);
    assert!(report.to_string().contains("| Counter | increment | 3 |"));
}

#[test]
fn deploy_arguments_without_a_constructor_are_refused() {
    let chain = TestChain::new();
    // `bench_host` has no #[init]: arguments given to its deploy would go nowhere.
    let refused = chain.deploy(artifact("bench_host")).args(5u64).send();
    assert!(
        matches!(&refused, Err(Failure::Trap { kind: TrapKind::HostError, message, .. }) if message.contains("no `deploy` export")),
        "{refused:?}"
    );
    chain.deploy(artifact("bench_host")).send().unwrap();
}
