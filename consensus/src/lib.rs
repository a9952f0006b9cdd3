//! Weft as the execution layer of a multi-validator network on Commonware's BFT consensus. This
//! is the only crate that knows Commonware: an engine upgrade touches it alone.
//!
//! - [`ConsensusBlock`]: a Weft block as consensus carries it; its digest is the block hash, so a
//!   finalization certificate signs the header and its post-state root.
//! - [`WeftApplication`] (`application`): **propose** = the pool's ready transactions executed on
//!   the committed head without writing, the result kept; **verify** = a peer's block executed
//!   in strict mode (state, transaction and receipt roots and gas used must match its header).
//! - `finalizer`: marshal's finalized blocks, in order, committed (the kept result, or executed
//!   again after a restart) in one synced write, acknowledged only after it.
//! - [`verify_finalization`]: a stored certificate checked against the validator set.
//! - `gossip`: transactions submitted to any node reach all.
//! - [`start`] (`engine`): one validator's engines over any runtime and network; [`run`]
//!   (`network`): on Tokio and the authenticated p2p network over TCP, as `weft node --validator`.
//!
//! Version 1 proposes and verifies only on the committed head (no speculative state): a child
//! waits for its parent's finalization. With `f` of `3f + 1` validators down the rest go on; with
//! more the chain halts until enough return.

mod application;
mod block;
mod engine;
mod finality;
mod finalizer;
mod gossip;
mod network;

use thiserror::Error;

pub use application::{BlockRules, PendingBlocks, WeftApplication};
pub use block::{ConsensusBlock, Digest, digest_of, hash_of};
pub use engine::{Channels, Timing, ValidatorConfig, max_message_bytes, start};
pub use finality::{FinalityError, verify_finalization};
pub use finalizer::Finalizer;
pub use network::{
    NetworkConfig, parse_private_key, private_key_hex, public_key, public_key_bytes, public_key_of, run,
};

/// The signature scheme of votes and certificates: ed25519, one vote per validator.
pub type Scheme = commonware_consensus::simplex::scheme::ed25519::Scheme;
/// A validator's public key.
pub type PublicKey = commonware_cryptography::ed25519::PublicKey;
/// A validator's signing key.
pub type PrivateKey = commonware_cryptography::ed25519::PrivateKey;

/// Dev validator `index`'s key, the same on every machine: for `weft testnet` and tests only
/// (anyone can compute it, as anyone can the dev accounts' keys).
pub fn dev_validator_key(index: u64) -> PrivateKey {
    use commonware_cryptography::Signer as _;
    PrivateKey::from_seed(index)
}

/// What signatures of chain `chain_id` are bound to, so that votes of one chain are no votes on
/// another.
pub fn namespace(chain_id: u64) -> Vec<u8> {
    format!("weft-{chain_id}").into_bytes()
}

/// Why a validator cannot start.
#[derive(Debug, Error)]
pub enum ConsensusError {
    /// The signing key is not in the validator set.
    #[error("this key is not one of the genesis validators")]
    NotAValidator,
    /// The node's store has no block 0.
    #[error("the chain has no genesis block")]
    NoGenesis,
    /// A validator key or set is malformed.
    #[error("bad validator key: {0}")]
    BadKey(String),
    /// The node failed.
    #[error(transparent)]
    Node(#[from] weft_node::NodeError),
    /// Consensus storage could not be opened.
    #[error("consensus storage: {0}")]
    Storage(String),
}
