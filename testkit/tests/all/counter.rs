//! `contracts/counter` on the test kit.

use serde_json::json;
use weft_testkit::{Failure, TestChain, artifact};

#[test]
fn counts_emits_and_reverts_on_panic() {
    let chain = TestChain::new();
    let counter = chain.deploy(artifact("counter")).args(41u64).send().unwrap();
    assert_eq!(counter.view::<u64>("get").get(), 41);

    let incremented = counter.call("increment").send().unwrap();
    assert_eq!(incremented.decode::<u64>(), 42);
    incremented.assert_event("Incremented", json!({"count": 42}));

    match counter.call("boom").send() {
        Err(Failure::Revert { message, .. }) => {
            assert!(
                // A formatted message, written out (the SDK's default `panic-fmt`).
                message.starts_with("panicked at ") && message.ends_with(": boom at 142"),
                "{message}"
            );
        }
        other => panic!("expected a revert, got {other:?}"),
    }
    assert_eq!(
        counter.view::<u64>("get").get(),
        42,
        "the write before the panic is undone"
    );

    // A constructor argument that does not decode fails the deploy.
    let bad = chain.deploy(artifact("counter")).args_raw(vec![1]).send();
    assert!(matches!(bad, Err(Failure::Revert { message, .. }) if message == "invalid arguments"));
}

#[test]
fn an_overflow_reverts_instead_of_wrapping() {
    let chain = TestChain::new();
    let counter = chain.deploy(artifact("counter")).args(u64::MAX).send().unwrap();
    // The example workspace builds with `overflow-checks = true`: `u64::MAX + 1` panics.
    match counter.call("increment").send() {
        Err(Failure::Revert { message, .. }) => {
            assert!(message.contains("overflow"), "{message}");
        }
        other => panic!("expected the overflow to revert, got {other:?}"),
    }
    assert_eq!(counter.view::<u64>("get").get(), u64::MAX, "nothing wrapped to 0");
}
