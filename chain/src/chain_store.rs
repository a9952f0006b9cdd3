//! Where the chain's own data lives in the store, next to the state:
//!
//! - [`Column::Blocks`]: `b"n" ‖ height (u64 big-endian)` → SCALE [`Block`]; `b"h" ‖ block hash` → height;
//!   `b"f" ‖ height` → the block's finalization certificate on a network (the consensus engine's
//!   encoding, opaque here).
//! - [`Column::Txs`]: transaction hash → SCALE [`TxLocation`].
//! - [`Column::Receipts`]: transaction hash → SCALE [`Receipt`].
//! - [`Column::Traces`]: `b"t" ‖ height ‖ index (u32 big-endian)` → SCALE [`Trace`] (not
//!   consensus data; found through the transaction's location, kept for the last blocks only
//!   when the chain prunes them). Data directories of versions that keyed traces by transaction
//!   hash keep those entries unread: their transactions are served without a trace.
//! - [`Column::Meta`]: `b"head"` → head height; `b"genesis"` → SCALE [`Genesis`];
//!   `b"traces_from"` → the lowest height whose traces may still be stored.
//!
//! Everything of a block is added to the block's one [`WriteBatch`], with its state changes.

use parity_scale_codec::{Decode, Encode};
use weft_primitives::{Block, Hash, Receipt, Trace, decode_exact};
use weft_state::{Column, KvStore, WriteBatch};

use crate::error::ChainError;
use crate::genesis::Genesis;

const HEAD_KEY: &[u8] = b"head";
const GENESIS_KEY: &[u8] = b"genesis";
const TRACES_FROM_KEY: &[u8] = b"traces_from";
/// The most heights one commit prunes the traces of: lowering the retention catches up over
/// several blocks instead of stalling one.
const MAX_PRUNED_HEIGHTS: u64 = 64;

/// Where a transaction is: its block and its index in the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
pub struct TxLocation {
    /// Block height.
    pub height: u64,
    /// Index in the block.
    pub index: u32,
}

fn by_height(height: u64) -> Vec<u8> {
    [b"n".as_slice(), &height.to_be_bytes()].concat()
}

fn finalization_key(height: u64) -> Vec<u8> {
    [b"f".as_slice(), &height.to_be_bytes()].concat()
}

/// Adds the finalization certificate of the block at `height` to `batch`.
pub fn put_finalization(batch: &mut WriteBatch, height: u64, certificate: Vec<u8>) {
    batch.put(Column::Blocks, finalization_key(height), certificate);
}

/// The finalization certificate of the block at `height`, if it was finalized by a network.
pub fn finalization(store: &dyn KvStore, height: u64) -> Result<Option<Vec<u8>>, ChainError> {
    Ok(store.get(Column::Blocks, &finalization_key(height))?)
}

fn trace_key(location: TxLocation) -> Vec<u8> {
    [
        b"t".as_slice(),
        &location.height.to_be_bytes(),
        &location.index.to_be_bytes(),
    ]
    .concat()
}

fn by_hash(hash: &Hash) -> Vec<u8> {
    [b"h".as_slice(), hash.as_bytes()].concat()
}

fn height(bytes: &[u8]) -> Result<u64, ChainError> {
    let array: [u8; 8] = bytes
        .try_into()
        .map_err(|_| ChainError::Corrupt("a stored height is not 8 bytes".into()))?;
    Ok(u64::from_be_bytes(array))
}

fn decode<T: Decode>(what: &'static str, bytes: &[u8]) -> Result<T, ChainError> {
    decode_exact(what, bytes).map_err(|e| ChainError::Corrupt(e.to_string()))
}

/// Adds `block` (whose transactions hash to `tx_hashes`), its `receipts` and their `traces` to
/// `batch`, and makes it the head.
pub fn put_block(
    batch: &mut WriteBatch,
    block: &Block,
    tx_hashes: &[Hash],
    receipts: &[Receipt],
    traces: &[Trace],
) {
    let height = block.header.height;
    batch.put(Column::Blocks, by_height(height), block.encode());
    batch.put(
        Column::Blocks,
        by_hash(&block.hash()),
        height.to_be_bytes().to_vec(),
    );
    for (index, ((hash, receipt), trace)) in tx_hashes.iter().zip(receipts).zip(traces).enumerate() {
        let location = TxLocation {
            height,
            index: u32::try_from(index).unwrap_or(u32::MAX),
        };
        batch.put(Column::Txs, hash.as_bytes().to_vec(), location.encode());
        batch.put(Column::Receipts, hash.as_bytes().to_vec(), receipt.encode());
        batch.put(Column::Traces, trace_key(location), trace.encode());
    }
    put_head(batch, height);
}

/// Makes `height` the head.
pub fn put_head(batch: &mut WriteBatch, height: u64) {
    batch.put(Column::Meta, HEAD_KEY, height.to_be_bytes().to_vec());
}

/// Adds the genesis configuration to `batch`.
pub fn put_genesis(batch: &mut WriteBatch, genesis: &Genesis) {
    batch.put(Column::Meta, GENESIS_KEY, genesis.encode());
}

/// The stored genesis configuration, if the store holds a chain.
pub fn genesis(store: &dyn KvStore) -> Result<Option<Genesis>, ChainError> {
    store
        .get(Column::Meta, GENESIS_KEY)?
        .map(|bytes| decode("genesis", &bytes))
        .transpose()
}

/// The head height, if the store holds a chain.
pub fn head_height(store: &dyn KvStore) -> Result<Option<u64>, ChainError> {
    store
        .get(Column::Meta, HEAD_KEY)?
        .map(|bytes| height(&bytes))
        .transpose()
}

/// The block at `height`.
pub fn block(store: &dyn KvStore, height: u64) -> Result<Option<Block>, ChainError> {
    store
        .get(Column::Blocks, &by_height(height))?
        .map(|bytes| decode("block", &bytes))
        .transpose()
}

/// The height of the block with `hash`.
pub fn height_of(store: &dyn KvStore, hash: &Hash) -> Result<Option<u64>, ChainError> {
    store
        .get(Column::Blocks, &by_hash(hash))?
        .map(|bytes| height(&bytes))
        .transpose()
}

/// Where the transaction with `hash` is.
pub fn tx_location(store: &dyn KvStore, hash: &Hash) -> Result<Option<TxLocation>, ChainError> {
    store
        .get(Column::Txs, hash.as_bytes())?
        .map(|bytes| decode("transaction location", &bytes))
        .transpose()
}

/// The receipt of the transaction with `hash`.
pub fn receipt(store: &dyn KvStore, hash: &Hash) -> Result<Option<Receipt>, ChainError> {
    store
        .get(Column::Receipts, hash.as_bytes())?
        .map(|bytes| decode("receipt", &bytes))
        .transpose()
}

/// The trace of the transaction with `hash`, unless it was pruned.
pub fn trace(store: &dyn KvStore, hash: &Hash) -> Result<Option<Trace>, ChainError> {
    let Some(location) = tx_location(store, hash)? else {
        return Ok(None);
    };
    store
        .get(Column::Traces, &trace_key(location))?
        .map(|bytes| decode("trace", &bytes))
        .transpose()
}

/// Adds to `batch` the removal of the traces of the blocks below `keep_from` (at most
/// [`MAX_PRUNED_HEIGHTS`] heights of them, from the lowest not yet pruned).
pub fn prune_traces(store: &dyn KvStore, batch: &mut WriteBatch, keep_from: u64) -> Result<(), ChainError> {
    let from = match store.get(Column::Meta, TRACES_FROM_KEY)? {
        Some(bytes) => height(&bytes)?,
        None => 0,
    };
    let to = keep_from.min(from.saturating_add(MAX_PRUNED_HEIGHTS));
    if to <= from {
        return Ok(());
    }
    for pruned in from..to {
        let prefix = [b"t".as_slice(), &pruned.to_be_bytes()].concat();
        for pair in store.iter_prefix(Column::Traces, &prefix) {
            batch.delete(Column::Traces, pair?.0);
        }
    }
    batch.put(Column::Meta, TRACES_FROM_KEY, to.to_be_bytes().to_vec());
    Ok(())
}
