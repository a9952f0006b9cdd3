//! Weft's storage boundary.
//!
//! This crate owns everything between the executor and the disk:
//!
//! - [`KvStore`], the only storage trait: point reads, atomic batch writes and prefix iteration over
//!   typed [`Column`]s. Two implementations pass one conformance suite: [`MemStore`] (a `BTreeMap`,
//!   for tests) and [`RocksStore`] (embedded RocksDB, one column family per [`Column`], WAL on; behind
//!   the default `rocksdb` feature so that crates needing only the trait never compile RocksDB).
//! - [`Overlay`], a write buffer over a store with a journal of nested checkpoints: a failing contract
//!   call frame [`reverts`](Overlay::revert_to) only its own writes, and a block [`commits`](Overlay::commit)
//!   as one [`WriteBatch`].
//! - [`StateCommitment`], the deterministic 32-byte state root.
//! - [`FailingStore`], a [`MemStore`] that fails on demand, for tests of store faults above this crate.
//! - The world state's layout (accounts, code, contract storage) as typed accessors on [`Overlay`]
//!   ([`Overlay::account`], [`Overlay::storage`], ...); see [`storage_key`].
//!
//! # The state commitment
//!
//! The root commits to the set of (column, key, value) entries of the *state* columns
//! ([`Column::is_state`]: accounts, code, storage). It is a homomorphic multiset hash, LtHash
//! (Bellare–Micciancio's lattice hash as deployed by Facebook for database integrity): each entry
//! is expanded by SHAKE256 into 1,024 lanes of 16 bits, and the commitment is the lane-wise sum
//! modulo 2¹⁶ over all entries. Adding an entry adds its lanes; removing one subtracts them; so a
//! block updates the commitment with two expansions per changed key (old value out, new value in),
//! at a cost that grows with the block's changes and not with the size of the state. The
//! 2,048-byte sum is persisted in [`Column::Meta`] in the same batch as the changes, and the root
//! is `keccak256` of it. The sum does not depend on the order of updates, so every node agrees.
//!
//! Limits, chosen knowingly: it is not a Merkle tree, so it gives no inclusion or exclusion proofs
//! for single keys (light clients would need a tree later); it commits to a set, so a root proves
//! nothing about history; its collision resistance rests on the lattice (SIS) assumption with
//! parameters (n = 1024, 16-bit lanes) for which the LtHash authors estimate over 200 bits of
//! security. [`StateCommitment::recompute`] rebuilds the root from a full scan, and tests check that
//! it always equals the incremental one.

mod column;
mod commitment;
mod error;
mod failing;
pub mod history;
mod mem;
mod overlay;
#[cfg(feature = "rocksdb")]
mod rocks;
mod store;
mod world;

pub use column::Column;
pub use commitment::{STATE_COMMITMENT_KEY, StateCommitment};
pub use error::StoreError;
pub use failing::FailingStore;
pub use mem::MemStore;
pub use overlay::{Checkpoint, Overlay, StateCommit};
#[cfg(feature = "rocksdb")]
pub use rocks::RocksStore;
pub use store::{BatchOp, Durability, KvIter, KvPair, KvStore, SharedStore, WriteBatch};
pub use world::storage_key;
