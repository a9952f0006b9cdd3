//! `weft-testkit`: contract unit tests in plain `cargo test`, in-process, on the node's own
//! pipeline — the same validation, instrumentation, singlepass compilation, host functions and
//! executor (signed transactions, nonces, gas bought and refunded) as `weft node`, so what passes
//! here behaves the same on chain.
//!
//! ```no_run
//! use weft_testkit::{Failure, TestChain, artifact};
//!
//! let chain = TestChain::new();
//! let (alice, bob) = (chain.account("alice"), chain.account("bob"));
//! let token = chain
//!     .deploy(artifact("token"))
//!     .from(&alice)
//!     .args(("Weft".to_string(), "WFT".to_string(), 6u8, 1_000u128))
//!     .send()
//!     .unwrap();
//! let sent = token.call("transfer").args((bob.address(), 250u128)).from(&alice).send().unwrap();
//! sent.assert_event("Transfer", serde_json::json!({"to": bob, "amount": 250}));
//! assert_eq!(token.view::<u128>("balance_of").args(bob.address()).get(), 250);
//! let overdraft = token.call("transfer").args((alice.address(), 251u128)).from(&bob).send();
//! assert!(matches!(overdraft, Err(Failure::Revert { message, .. }) if message == "insufficient balance"));
//! ```
//!
//! - [`TestChain`]: a chain on a `MemStore` ([`TestChain::new`]) or a temporary RocksDB
//!   ([`TestChain::on_rocksdb`], feature `rocksdb`); named accounts funded on first use; blocks,
//!   time, snapshots and balances under the test's control.
//! - [`DeployBuilder`], [`CallBuilder`], [`ViewBuilder`]: SCALE arguments from Rust values
//!   (tuples for several), results decoded to `T`, dry runs that say how much gas a call needs.
//! - [`Called`] and [`Failure`]: status, return value, events (decoded through the contract's ABI,
//!   matched by [`Called::assert_event`]), gas, debug logs; failures typed for `match`.
//! - [`gas`]: a per-method gas report (`WEFT_GAS_REPORT=1`) and a gas snapshot file checked for
//!   drift (`WEFT_UPDATE_SNAPSHOTS=1` to update it).
//! - [`artifact`]: the committed contracts of `contracts/artifacts/` by name.

mod artifacts;
mod chain;
mod contract;
pub mod gas;
mod outcome;

pub use artifacts::{artifact, artifact_path};
pub use chain::{
    DEFAULT_FUNDS, GAS_PRICE, GENESIS_TIMESTAMP, Snapshot, TEST_CHAIN_ID, TestAccount, TestChain,
};
pub use contract::{CallBuilder, Contract, DEFAULT_GAS, DeployBuilder, VIEW_GAS, ViewBuilder};
pub use outcome::{Called, Failure};
pub use weft_chain::TxRejection;
pub use weft_primitives::{Address, Event, Hash, TrapKind};
