//! `contracts/escrow` on the test kit: payable deploys, time travel, value moving.

use serde_json::json;
use weft_testkit::{Address, Contract, Failure, TestAccount, TestChain, artifact};

type Status = (Address, Address, Address, u64, u128, bool);

struct Parties {
    alice: TestAccount,
    bob: TestAccount,
    carol: TestAccount,
}

/// An escrow of 1,000 from alice for bob, arbitrated by carol, releasable an hour from now.
fn setup(chain: &TestChain) -> (Contract<'_>, Parties, u64) {
    let parties = Parties {
        alice: chain.account("alice"),
        bob: chain.account("bob"),
        carol: chain.account("carol"),
    };
    let release_at = chain.next_timestamp() + 3_600;
    let (escrow, deployed) = chain
        .deploy(artifact("escrow"))
        .from(&parties.alice)
        .args((parties.bob.address(), parties.carol.address(), release_at))
        .value(1_000)
        .send_with_receipt()
        .expect("escrow deploys");
    deployed.assert_event("Deposited", json!({"from": parties.alice, "amount": 1_000}));
    (escrow, parties, release_at)
}

fn reverts_with(result: Result<weft_testkit::Called, Failure>, expected: &str) {
    match result {
        Err(Failure::Revert { message, .. }) => assert_eq!(message, expected),
        other => panic!("expected a revert with {expected:?}, got {other:?}"),
    }
}

#[test]
fn anyone_releases_after_the_release_time() {
    let chain = TestChain::new();
    let (escrow, p, release_at) = setup(&chain);
    escrow.call("deposit").from(&p.alice).value(500).send().unwrap();
    let status = escrow.view::<Status>("status").get();
    assert_eq!(
        status,
        (
            p.alice.address(),
            p.bob.address(),
            p.carol.address(),
            release_at,
            1_500,
            false
        )
    );

    // The struct and the enum come back as JSON through the ABI.
    let terms = escrow.call("terms").send().unwrap().json().cloned();
    assert_eq!(
        terms,
        Some(
            json!({"depositor": p.alice, "beneficiary": p.bob, "arbiter": p.carol, "release_after": release_at})
        )
    );
    let open = json!({"Open": {"held": "1500", "releasable": false}});
    assert_eq!(escrow.call("phase").send().unwrap().json(), Some(&open));

    reverts_with(escrow.call("release").from(&p.bob).send(), "not yet releasable");
    chain.set_next_timestamp(release_at);
    let bob_before = chain.balance(&p.bob);
    let released = escrow.call("release").from(&p.alice).send().unwrap();
    assert_eq!(released.decode::<u128>(), 1_500);
    released.assert_event("Settled", json!({"to": p.bob, "amount": 1_500, "released": true}));
    assert_eq!(chain.balance(&p.bob), bob_before + 1_500);
    assert_eq!(escrow.balance(), 0);

    assert_eq!(
        escrow.call("phase").send().unwrap().json(),
        Some(&json!("Settled"))
    );

    reverts_with(escrow.call("refund").from(&p.carol).send(), "escrow settled");
    reverts_with(escrow.call("deposit").value(1).send(), "escrow settled");
}

#[test]
fn the_arbiter_releases_early_or_refunds() {
    let chain = TestChain::new();
    let (escrow, p, _) = setup(&chain);
    let snapshot = chain.snapshot();
    escrow.call("release").from(&p.carol).send().unwrap();
    assert!(escrow.view::<Status>("status").get().5);

    chain.revert(&snapshot);
    assert!(
        !escrow.view::<Status>("status").get().5,
        "reverted to before the release"
    );
    reverts_with(
        escrow.call("refund").from(&p.bob).send(),
        "only the arbiter refunds",
    );
    let alice_before = chain.balance(&p.alice);
    let refunded = escrow.call("refund").from(&p.carol).send().unwrap();
    refunded.assert_event("Settled", json!({"to": p.alice, "released": false}));
    assert_eq!(chain.balance(&p.alice), alice_before + 1_000);
}

#[test]
fn an_empty_deposit_is_refused() {
    let chain = TestChain::new();
    let (escrow, _, _) = setup(&chain);
    reverts_with(escrow.call("deposit").send(), "nothing deposited");
}
