//! The Weft devnet node: a [`weft_chain::Chain`] behind a [`NodeHandle`] — transaction intake, the
//! [`Mempool`], the [`MiningMode`], new-head notifications, devnet controls — and the JSON-RPC
//! server ([`rpc::serve`]) that serves `weft-rpc`'s API traits over HTTP and WebSocket.

mod error;
mod mempool;
mod node;
pub mod rpc;

pub use error::NodeError;
pub use mempool::{Mempool, MempoolLimits};
pub use node::{
    DevError, MAX_SNAPSHOT_BYTES, MAX_SNAPSHOTS, MiningMode, NodeConfig, NodeHandle, SubmitError,
};
