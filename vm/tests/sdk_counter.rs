//! `contracts/counter`, a Rust contract on `weft-sdk` built for wasm32, through the VM: the
//! constructor, SCALE arguments and results, events, and a panic that reverts with its message.

mod common;

use common::Chain;
use weft_primitives::{ExecStatus, keccak256, scale::Encode};

const COUNTER: &[u8] = include_bytes!("../../contracts/artifacts/counter.wasm");

#[test]
fn the_sdk_counter_counts_emits_and_reverts_on_panic() {
    let mut chain = Chain::new();
    let (counter, deployed) = chain.deploy_wasm(COUNTER, &41u64.encode(), 0);
    assert!(deployed.is_success(), "{deployed:?}");
    assert_eq!(
        chain.call(counter, "get", b"", 1_000_000).return_data,
        41u64.encode()
    );

    let r = chain.call(counter, "increment", b"", 1_000_000);
    assert!(r.is_success(), "{r:?}");
    assert_eq!(r.return_data, 42u64.encode());
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.events[0].topics, vec![keccak256(b"Incremented(u64)")]);
    assert_eq!(r.events[0].data, 42u64.encode());

    let boom = chain.call(counter, "boom", b"", 1_000_000);
    assert_eq!(boom.status, ExecStatus::Revert);
    let message = String::from_utf8(boom.return_data).unwrap();
    assert!(
        message.starts_with("panicked at ") && message.ends_with(": boom"),
        "{message}"
    );
    assert_eq!(
        chain.call(counter, "get", b"", 1_000_000).return_data,
        42u64.encode(),
        "the write before the panic is undone"
    );

    // A constructor argument that does not decode reverts the deploy.
    let (_, bad) = chain.deploy_wasm(COUNTER, b"\x01", 0);
    assert_eq!(
        (bad.status, bad.return_data),
        (ExecStatus::Revert, b"invalid arguments".to_vec())
    );
}
