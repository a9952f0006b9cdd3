//! `contracts/caller` on the test kit: cross-contract calls and a callee's revert, with events
//! decoded by each emitting contract's ABI.

use serde_json::json;
use weft_testkit::{Contract, TestChain, artifact};

/// A token with a supply of 1,000 held by `alice`, and a caller of it.
pub(crate) fn token_and_caller(chain: &TestChain) -> (Contract<'_>, Contract<'_>) {
    let token = chain
        .deploy(artifact("token"))
        .args(("Weft".to_string(), "WFT".to_string(), 0u8, 1_000u128))
        .send()
        .expect("the token deploys");
    let caller = chain
        .deploy(artifact("caller"))
        .args(token.address())
        .send()
        .expect("the caller deploys");
    (token, caller)
}

#[test]
fn the_caller_survives_the_tokens_revert() {
    let chain = TestChain::new();
    let (alice, bob) = (chain.account("alice"), chain.account("bob"));
    let (token, caller) = token_and_caller(&chain);
    token
        .call("transfer")
        .args((caller.address(), 100u128))
        .from(&alice)
        .send()
        .unwrap();
    assert_eq!(
        caller.view::<u128>("token_balance").args(caller.address()).get(),
        100
    );

    let ok = caller
        .call("try_transfer")
        .args((bob.address(), 60u128))
        .send()
        .unwrap();
    assert_eq!(ok.decode::<Result<(), String>>(), Ok(()));
    ok.assert_event("Transfer", json!({"from": caller, "to": bob, "amount": 60}));
    assert_eq!(ok.events()[0].address, token.address());

    let refused = caller
        .call("try_transfer")
        .args((bob.address(), 41u128))
        .send()
        .unwrap();
    assert_eq!(refused.json(), Some(&json!({"Err": "insufficient balance"})));
    refused.assert_event(
        "TransferFailed",
        json!({"to": bob, "reason": format!("0x{}", hex_of(b"insufficient balance"))}),
    );
    assert_eq!(caller.view::<u32>("failures").get(), 1);
    assert_eq!(token.view::<u128>("balance_of").args(caller.address()).get(), 40);

    let propagated = caller
        .call("transfer_or_revert")
        .args((bob.address(), 41u128))
        .send();
    assert!(
        matches!(propagated, Err(weft_testkit::Failure::Revert { message, .. }) if message == "insufficient balance")
    );
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
