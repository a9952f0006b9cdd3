//! The Weft chain: executor, blocks, mempool, mining modes, genesis, the JSON-RPC server wiring,
//! and the `weft` binary (node and CLI).
//!
//! - [`Executor`] checks and applies one transaction: nonce, balance, gas bought up front and
//!   refunded, the action run through the VM, a receipt; fees are burned.
//! - [`Chain`] holds the store and the head: [`Chain::produce_block`] executes transactions and
//!   commits the block, its receipts and its state changes in one atomic synced write;
//!   [`Chain::replay_into`] re-executes a chain on a fresh store and checks every root and receipt.
//! - [`ChainReader`] reads blocks, receipts, traces and state and runs dry runs at one head; a
//!   pinned one ([`Chain::pinned`]) stays at its head while blocks are committed, so the RPC's
//!   reads and dry runs hold no lock.
//! - [`Mempool`] orders pending transactions by sender and nonce; [`NodeHandle`] ties the chain,
//!   the pool and the [`MiningMode`] together for the RPC server and the test harness.
//! - [`Genesis`]: block 0's configuration; [`dev_accounts`]: the devnet's funded accounts.
//!
//! Where chain data lives in the store is documented in `chain_store`.

mod chain;
mod chain_store;
mod dev;
mod error;
mod executor;
mod genesis;
mod mempool;
mod node;
mod pinned;
mod reader;
pub mod rpc;

pub use chain::{Chain, ChainSnapshot, Produced};
pub use chain_store::TxLocation;
pub use dev::{DEV_ACCOUNT_NAMES, DEV_SEED, DevAccount, dev_accounts};
pub use error::{NodeError, TxRejection};
pub use executor::{Checked, Executor, MAX_TX_BYTES};
pub use genesis::{DEV_BALANCE, DEV_BLOCK_GAS_LIMIT, DEV_CHAIN_ID, Genesis, GenesisContract};
pub use mempool::{Mempool, MempoolLimits};
pub use node::{
    DevError, MAX_SNAPSHOT_BYTES, MAX_SNAPSHOTS, MiningMode, NodeConfig, NodeHandle, SubmitError,
};
pub use reader::ChainReader;
