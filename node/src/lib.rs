//! The Weft devnet node: a [`weft_chain::Chain`] behind a [`NodeHandle`] — transaction intake, the
//! [`Mempool`], the [`MiningMode`], new-head notifications, devnet controls — and the JSON-RPC
//! server ([`rpc::serve`]) that serves `weft-rpc`'s API traits over HTTP and WebSocket. In
//! [`MiningMode::Consensus`] a consensus engine proposes, verifies and commits through the
//! handle (`validator`), and the `dev_` namespace is refused.

mod error;
mod mempool;
mod node;
pub mod rpc;
mod validator;

pub use error::NodeError;
pub use mempool::{Mempool, MempoolLimits};
pub use node::{
    DEFAULT_TRACE_BLOCKS, DevError, MAX_SNAPSHOT_BYTES, MAX_SNAPSHOTS, MiningMode, NodeConfig, NodeHandle,
    SubmitError,
};
pub use validator::Finalized;
