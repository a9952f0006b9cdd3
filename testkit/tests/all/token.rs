//! `contracts/token` on the test kit: the example to copy for testing a contract.

use serde_json::json;
use weft_testkit::{Contract, Failure, TestAccount, TestChain, artifact};

const SUPPLY: u128 = 1_000_000;

/// A chain with the token deployed by alice, who holds the whole supply.
fn setup(chain: &TestChain) -> (Contract<'_>, TestAccount, TestAccount) {
    let (alice, bob) = (chain.account("alice"), chain.account("bob"));
    let (token, deployed) = chain
        .deploy(artifact("token"))
        .from(&alice)
        .args(("Weft Token".to_string(), "WFT".to_string(), 6u8, SUPPLY))
        .send_with_receipt()
        .expect("token deploys");
    deployed.assert_event(
        "Transfer",
        json!({"from": weft_testkit::Address::ZERO.to_string(), "to": alice, "amount": SUPPLY.to_string()}),
    );
    (token, alice, bob)
}

#[test]
fn metadata_and_supply() {
    let chain = TestChain::new();
    let (token, alice, bob) = setup(&chain);
    assert_eq!(token.view::<String>("name").get(), "Weft Token");
    assert_eq!(token.view::<String>("symbol").get(), "WFT");
    assert_eq!(token.view::<u8>("decimals").get(), 6);
    assert_eq!(token.view::<u128>("total_supply").get(), SUPPLY);
    assert_eq!(
        token.view::<u128>("balance_of").args(alice.address()).get(),
        SUPPLY
    );
    assert_eq!(token.view::<u128>("balance_of").args(bob.address()).get(), 0);
    assert_eq!(token.abi().and_then(|abi| abi.contract.as_deref()), Some("Token"));
}

#[test]
fn transfer_moves_balances_and_emits() {
    let chain = TestChain::new();
    let (token, alice, bob) = setup(&chain);
    let sent = token
        .call("transfer")
        .args((bob.address(), 250u128))
        .from(&alice)
        .send()
        .unwrap();
    assert!(sent.decode::<bool>());
    assert_eq!(sent.json(), Some(&json!(true)));
    sent.assert_event("Transfer", json!({"from": alice, "to": bob, "amount": 250}));
    assert_eq!(
        token.view::<u128>("balance_of").args(alice.address()).get(),
        SUPPLY - 250
    );
    assert_eq!(token.view::<u128>("balance_of").args(bob.address()).get(), 250);
}

#[test]
fn overdrafts_and_bad_calls_fail_with_typed_failures() {
    let chain = TestChain::new();
    let (token, alice, bob) = setup(&chain);
    let carol = chain.account("carol");
    match token
        .call("transfer")
        .args((carol.address(), 1u128))
        .from(&bob)
        .send()
    {
        Err(Failure::Revert { message, .. }) => assert_eq!(message, "insufficient balance"),
        other => panic!("expected a revert, got {other:?}"),
    }
    let paid = token
        .call("transfer")
        .args((bob.address(), 1u128))
        .value(5)
        .send();
    assert!(matches!(paid, Err(Failure::Revert { message, .. }) if message == "method is not payable"));
    let garbled = token.call("transfer").args_raw(vec![1, 2, 3]).send();
    assert!(matches!(garbled, Err(Failure::Revert { message, .. }) if message == "invalid arguments"));
    let starved = token
        .call("transfer")
        .args((bob.address(), 1u128))
        .gas(60_000)
        .send();
    assert!(
        matches!(starved, Err(Failure::OutOfGas { gas_used: 60_000 })),
        "{starved:?}"
    );
    // Nothing moved; the failed transactions still used their senders' nonces.
    assert_eq!(
        token.view::<u128>("balance_of").args(alice.address()).get(),
        SUPPLY
    );
    assert_eq!(chain.nonce(&bob), 1);
}

#[test]
fn allowances_gate_transfer_from() {
    let chain = TestChain::new();
    let (token, alice, bob) = setup(&chain);
    let carol = chain.account("carol");
    token
        .call("approve")
        .args((bob.address(), 300u128))
        .from(&alice)
        .send()
        .unwrap()
        .assert_event("Approval", json!({"owner": alice, "spender": bob, "amount": 300}));
    let spend = |amount: u128| {
        token
            .call("transfer_from")
            .args((alice.address(), carol.address(), amount))
            .from(&bob)
            .send()
    };
    spend(200)
        .unwrap()
        .assert_event("Transfer", json!({"from": alice, "to": carol, "amount": 200}));
    assert_eq!(
        token
            .view::<u128>("allowance")
            .args((alice.address(), bob.address()))
            .get(),
        100
    );
    assert!(
        matches!(spend(101), Err(Failure::Revert { message, .. }) if message == "insufficient allowance")
    );

    token
        .call("approve")
        .args((bob.address(), u128::MAX))
        .from(&alice)
        .send()
        .unwrap();
    spend(1_000).unwrap();
    assert_eq!(
        token
            .view::<u128>("allowance")
            .args((alice.address(), bob.address()))
            .get(),
        u128::MAX
    );
    assert!(
        matches!(spend(SUPPLY), Err(Failure::Revert { message, .. }) if message == "insufficient balance")
    );
}

#[test]
fn dry_run_says_the_gas_a_transfer_needs() {
    let chain = TestChain::new();
    let (token, alice, bob) = setup(&chain);
    let transfer = || token.call("transfer").args((bob.address(), 1u128)).from(&alice);
    let needed = transfer().dry_run().unwrap();
    assert_eq!(chain.nonce(&alice), 1, "a dry run sends nothing");
    let sent = transfer().gas(needed).send().unwrap();
    assert_eq!(sent.gas_used(), needed);
    assert!(matches!(
        transfer().gas(needed - 1).send(),
        Err(Failure::OutOfGas { .. })
    ));
    sent.snapshot_gas("token transfer");
}
