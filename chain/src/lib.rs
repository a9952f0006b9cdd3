//! The Weft chain as a library: what every node, the test harness and a consensus engine share.
//! No server, no async runtime, no CLI.
//!
//! - [`Executor`] checks and applies one transaction: nonce, balance, gas bought up front and
//!   refunded, the action run through the VM, a receipt; fees are burned.
//! - [`Chain`] holds the store and the head. A block is executed apart from its commit:
//!   [`Chain::build_block`] (offered transactions, the bad ones left out) and
//!   [`Chain::verify_block`] (a proposed block, strict: any bad transaction makes it
//!   [`InvalidBlock`]) read the head and write nothing; [`Chain::commit`] writes a
//!   [`PendingBlock`] — state changes, block, receipts, head — in one atomic synced write.
//!   [`Chain::produce_block`] is both at once (the devnet); [`Chain::replay_into`] re-executes a
//!   chain on a fresh store through the strict path and checks every root and receipt.
//! - [`ChainReader`] reads blocks, receipts, traces and state and runs dry runs at one head; a
//!   pinned one ([`Chain::pinned`]) stays at its head while blocks are committed, so readers hold
//!   no lock.
//! - Simulation ([`ChainReader::simulate`], [`ChainReader::estimate_gas`],
//!   [`Executor::intrinsic_gas_for`]): the one implementation of dry runs and gas estimates under
//!   the RPC, the CLI and the test kit.
//! - [`Genesis`]: block 0's configuration; [`dev_accounts`]: the devnet's funded accounts.
//!
//! Where chain data lives in the store is documented in `chain_store`.

mod block;
mod chain;
mod chain_store;
mod dev;
mod error;
mod executor;
mod genesis;
mod pinned;
mod reader;
mod replay;
mod simulate;

pub use block::{PendingBlock, Produced};
pub use chain::{Chain, ChainSnapshot};
pub use chain_store::TxLocation;
pub use dev::{DEV_ACCOUNT_NAMES, DEV_SEED, DEV_TRANSFER_GAS_LIMIT, DevAccount, dev_accounts};
pub use error::{ChainError, InvalidBlock, TxRejection};
pub use executor::{Checked, Executor, MAX_TX_BYTES, Refused};
pub use genesis::{DEV_BALANCE, DEV_BLOCK_GAS_LIMIT, DEV_CHAIN_ID, Genesis, GenesisContract};
pub use reader::ChainReader;
pub use simulate::{Estimate, EstimateFailure, SimulateAt, Simulation};
