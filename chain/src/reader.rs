//! [`ChainReader`]: what is read from a chain (blocks, transactions, receipts, traces, state) and
//! dry runs against it, at one head. The [`crate::Chain`] reads through its own at the live head; a
//! pinned one ([`crate::Chain::pinned`]) serves the RPC without holding the chain's lock.

use weft_primitives::{Block, BlockHeader, Hash, Receipt, SignedTransaction, Trace};
use weft_state::{Overlay, SharedStore};
use weft_vm::{BlockContext, CallRequest, Outcome, World};

use crate::chain_store::{self, TxLocation};
use crate::error::ChainError;
use crate::executor::Executor;

/// Reads of a chain at one head, and dry runs against that head's state. Cheap to clone.
#[derive(Clone)]
pub struct ChainReader {
    pub(crate) store: SharedStore,
    pub(crate) executor: Executor,
    pub(crate) head: BlockHeader,
}

impl std::fmt::Debug for ChainReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChainReader")
            .field("head", &self.head.height)
            .finish_non_exhaustive()
    }
}

impl ChainReader {
    /// The head block's header.
    pub fn head(&self) -> &BlockHeader {
        &self.head
    }

    /// The executor.
    pub fn executor(&self) -> &Executor {
        &self.executor
    }

    /// The store.
    pub fn store(&self) -> &SharedStore {
        &self.store
    }

    /// A read view of the state at the head.
    pub fn state(&self) -> World {
        Overlay::new(self.store.clone())
    }

    /// Runs `request` against the head state as a block at `timestamp` (raised to the head's) on
    /// top of the head would, and discards every effect.
    pub fn dry_run(&self, request: CallRequest, timestamp: u64) -> Result<Outcome, ChainError> {
        let block = BlockContext {
            height: self.head.height + 1,
            timestamp: timestamp.max(self.head.timestamp),
            chain_id: self.executor.chain_id(),
        };
        let mut world = self.state();
        Ok(self.executor.vm().call(&mut world, block, request)?)
    }

    /// Runs `request` against the state after block `height`, with that block's context, and
    /// discards every effect; `None` if there is no such block.
    pub fn dry_run_at(&self, height: u64, request: CallRequest) -> Result<Option<Outcome>, ChainError> {
        if height > self.head.height {
            return Ok(None);
        }
        let Some(block) = self.block(height)? else {
            return Ok(None);
        };
        let context = BlockContext {
            height,
            timestamp: block.header.timestamp,
            chain_id: self.executor.chain_id(),
        };
        let mut world = weft_state::history::state_at(self.store.clone(), height, self.head.height + 1)?;
        Ok(Some(self.executor.vm().call(&mut world, context, request)?))
    }

    /// The block at `height`.
    pub fn block(&self, height: u64) -> Result<Option<Block>, ChainError> {
        chain_store::block(&*self.store, height)
    }

    /// The finalization certificate of the block at `height` (on a network; none on a devnet),
    /// in the consensus engine's encoding.
    pub fn finalization(&self, height: u64) -> Result<Option<Vec<u8>>, ChainError> {
        chain_store::finalization(&*self.store, height)
    }

    /// The block with `hash`.
    pub fn block_by_hash(&self, hash: &Hash) -> Result<Option<Block>, ChainError> {
        match chain_store::height_of(&*self.store, hash)? {
            Some(height) => self.block(height),
            None => Ok(None),
        }
    }

    /// The included transaction with `hash` and where it is.
    pub fn transaction(&self, hash: &Hash) -> Result<Option<(SignedTransaction, TxLocation)>, ChainError> {
        let Some(location) = chain_store::tx_location(&*self.store, hash)? else {
            return Ok(None);
        };
        let block = self.block(location.height)?.ok_or_else(|| {
            ChainError::Corrupt(format!("no block {} for transaction {hash}", location.height))
        })?;
        let tx = block
            .transactions
            .get(location.index as usize)
            .cloned()
            .ok_or_else(|| {
                ChainError::Corrupt(format!("transaction {hash} is not in block {}", location.height))
            })?;
        Ok(Some((tx, location)))
    }

    /// The receipt of the transaction with `hash`.
    pub fn receipt(&self, hash: &Hash) -> Result<Option<Receipt>, ChainError> {
        chain_store::receipt(&*self.store, hash)
    }

    /// The trace of the transaction with `hash`: its trap's words and debug logs.
    pub fn trace(&self, hash: &Hash) -> Result<Option<Trace>, ChainError> {
        chain_store::trace(&*self.store, hash)
    }
}
