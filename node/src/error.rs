//! The node's faults: the chain's, and block production halted.

use thiserror::Error;
use weft_chain::ChainError;
use weft_state::StoreError;

/// A node fault. Never a transaction's doing.
#[derive(Debug, Error)]
pub enum NodeError {
    /// The chain failed.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// Block production stopped after a block could not be committed (the store is broken):
    /// restart the node once the store is fixed.
    #[error("block production halted: {0}; restart the node once the store is fixed")]
    Halted(String),
    /// A request handler panicked (a bug in Weft); the request failed, the node goes on.
    #[error("a request handler panicked: {0}")]
    HandlerPanicked(String),
}

impl From<StoreError> for NodeError {
    fn from(error: StoreError) -> Self {
        Self::Chain(error.into())
    }
}
