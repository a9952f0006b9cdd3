//! [`Chain`]: the store, the head, genesis, and the writes: a block executed on the head committed in
//! one atomic, synced write; the devnet's state overrides and snapshots.

use std::sync::Arc;

use weft_primitives::{Address, Block, BlockHeader, Hash, SignedTransaction};
use weft_state::{Column, Durability, KvPair, KvStore, Overlay, SharedStore, WriteBatch};
use weft_vm::{BlockContext, Frame, Vm, World};

use crate::block::{PendingBlock, Produced};
use crate::chain_store;
use crate::error::ChainError;
use crate::executor::Executor;
use crate::genesis::Genesis;
use crate::pinned::PinnedState;
use crate::reader::ChainReader;

/// A copy of a chain's whole store (blocks, receipts, state; not the compiled-artifact cache), to
/// return to with [`Chain::revert`].
#[derive(Debug, Clone)]
pub struct ChainSnapshot {
    head: BlockHeader,
    columns: Vec<(Column, Vec<KvPair>)>,
}

impl ChainSnapshot {
    /// The head when the snapshot was taken.
    pub fn head(&self) -> &BlockHeader {
        &self.head
    }
}

/// The columns a snapshot holds: all but the node-local artifact cache.
fn snapshot_columns() -> impl Iterator<Item = Column> {
    Column::ALL.into_iter().filter(|col| *col != Column::Artifacts)
}

/// The chain in a store: genesis, head, and the executor that extends it. It reads as its
/// [`ChainReader`] at the head (`Deref`); [`Chain::pinned`] hands out one that stays at this head
/// while the chain goes on.
pub struct Chain {
    pub(crate) reader: ChainReader,
    pub(crate) genesis: Genesis,
    /// Counts this chain's writes (blocks, overrides, reverts): a pending block commits only
    /// onto the state it was executed on.
    pub(crate) writes: u64,
    /// Keep the traces of this many latest blocks (`None`: all).
    pub(crate) trace_blocks: Option<u64>,
}

impl std::ops::Deref for Chain {
    type Target = ChainReader;

    fn deref(&self) -> &ChainReader {
        &self.reader
    }
}

impl std::fmt::Debug for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chain")
            .field("chain_id", &self.genesis.chain_id)
            .field("head", &self.reader.head.height)
            .finish_non_exhaustive()
    }
}

impl Chain {
    /// Opens the chain in `store`: resumes at its head, or writes `genesis` if the store is empty.
    /// A store holding another genesis is refused.
    pub fn open(store: SharedStore, vm: Vm, genesis: Genesis) -> Result<Self, ChainError> {
        let executor = Executor::new(vm, genesis.chain_id, genesis.block_gas_limit);
        match chain_store::genesis(&*store)? {
            Some(stored) if stored != genesis => Err(ChainError::GenesisMismatch {
                stored: stored.hash(),
                configured: genesis.hash(),
            }),
            Some(_) => {
                let height = chain_store::head_height(&*store)?
                    .ok_or_else(|| ChainError::Corrupt("a genesis but no head".into()))?;
                let head = chain_store::block(&*store, height)?
                    .ok_or_else(|| ChainError::Corrupt(format!("no block at the head height {height}")))?
                    .header;
                Ok(Self {
                    reader: ChainReader {
                        store,
                        executor,
                        head,
                    },
                    genesis,
                    writes: 0,
                    trace_blocks: None,
                })
            }
            None => Self::init(store, executor, genesis),
        }
    }

    /// Writes block 0: the funded accounts and the pre-deployed contracts.
    fn init(store: SharedStore, executor: Executor, genesis: Genesis) -> Result<Self, ChainError> {
        let mut world: World = Overlay::new(store.clone());
        for (address, balance) in &genesis.accounts {
            let mut account = world.account(address)?;
            account.balance = *balance;
            world.set_account(address, &account);
        }
        let context = BlockContext {
            height: 0,
            timestamp: genesis.timestamp,
            chain_id: genesis.chain_id,
        };
        for contract in &genesis.contracts {
            let frame = Frame::outermost(Address::ZERO, contract.address, 0);
            let outcome = executor.vm().instantiate(
                &mut world,
                context,
                frame,
                &contract.code,
                contract.init_args.clone(),
                genesis.block_gas_limit,
            )?;
            if !outcome.is_success() {
                return Err(ChainError::Genesis(format!(
                    "contract {} does not deploy: {:?}",
                    contract.address, outcome.status
                )));
            }
            let mut account = world.account(&contract.address)?;
            account.balance = contract.balance;
            world.set_account(&contract.address, &account);
        }
        let commit = world.commit()?;
        let header = BlockHeader {
            parent_hash: Hash::ZERO,
            height: 0,
            timestamp: genesis.timestamp,
            state_root: commit.root,
            tx_root: Block::tx_root(&[]),
            receipt_root: Block::receipt_root(&[]),
            gas_used: 0,
            gas_limit: genesis.block_gas_limit,
        };
        let block = Block {
            header: header.clone(),
            transactions: Vec::new(),
        };
        let mut batch = commit.batch;
        chain_store::put_block(&mut batch, &block, &[], &[], &[]);
        chain_store::put_genesis(&mut batch, &genesis);
        store.write(&batch, Durability::Sync)?;
        Ok(Self {
            reader: ChainReader {
                store,
                executor,
                head: header,
            },
            genesis,
            writes: 0,
            trace_blocks: None,
        })
    }

    /// The genesis configuration.
    pub fn genesis(&self) -> &Genesis {
        &self.genesis
    }

    /// A reader that stays at this head while the chain goes on: reads and dry runs through it
    /// need no lock on the chain ([`PinnedState`] says how). Call it with the writer excluded.
    pub fn pinned(&self) -> Result<ChainReader, ChainError> {
        let pinned = PinnedState::pin(self.store.clone(), self.head.height)?;
        Ok(ChainReader {
            store: Arc::new(pinned),
            executor: self.executor.clone(),
            head: self.head.clone(),
        })
    }

    /// Executes `transactions` in order at `timestamp` and commits the block at once:
    /// [`Chain::build_block`] then [`Chain::commit`], as the devnet does.
    pub fn produce_block(
        &mut self,
        transactions: Vec<SignedTransaction>,
        timestamp: u64,
    ) -> Result<Produced, ChainError> {
        let pending = self.build_block(transactions, timestamp)?;
        self.commit(pending)
    }

    /// Keeps the traces of only the `blocks` latest blocks (at least 1): each commit removes
    /// older ones. Traces are not consensus data, so nodes may keep different numbers.
    pub fn keep_traces(&mut self, blocks: u64) {
        self.trace_blocks = Some(blocks.max(1));
    }

    /// Writes a block executed on this head ([`Chain::build_block`], [`Chain::verify_block`]):
    /// its state changes, the block, its receipts and traces and the new head, in one synced
    /// write, with the removal of traces past the retention ([`Chain::keep_traces`]). A block
    /// executed on another head is refused ([`ChainError::NotOnHead`]); `Err` means nothing of
    /// it was written.
    pub fn commit(&mut self, pending: PendingBlock) -> Result<Produced, ChainError> {
        let header = &pending.produced.block.header;
        if pending.base != self.writes || header.parent_hash != self.head.hash() {
            return Err(ChainError::NotOnHead {
                height: header.height,
                head: self.head.height,
            });
        }
        let mut batch = pending.batch;
        if let Some(blocks) = self.trace_blocks {
            let keep_from = (header.height + 1).saturating_sub(blocks);
            chain_store::prune_traces(&*self.store, &mut batch, keep_from)?;
        }
        self.store.write(&batch, Durability::Sync)?;
        self.writes += 1;
        self.reader.head = header.clone();
        Ok(pending.produced)
    }

    /// Applies `edit` to the head state outside any block and commits it with the state
    /// commitment: the devnet's and the test kit's state overrides (balances, storage). The next
    /// block's state root includes it, and its history is the next block's (reads at the head
    /// block still see the state without it); `weft replay` cannot reproduce such a chain.
    pub fn override_state(
        &mut self,
        edit: impl FnOnce(&mut World) -> Result<(), ChainError>,
    ) -> Result<(), ChainError> {
        let mut world = self.state();
        edit(&mut world)?;
        let commit = world.commit_with_history(self.head.height + 1)?;
        self.store.write(&commit.batch, Durability::Sync)?;
        self.writes += 1;
        Ok(())
    }

    /// A copy of the whole chain as it is now; `None` if it holds more than `max_bytes` of keys
    /// and values (the copy stops there).
    pub fn snapshot(&self, max_bytes: usize) -> Result<Option<ChainSnapshot>, ChainError> {
        let mut bytes = 0usize;
        let mut columns = Vec::new();
        for col in snapshot_columns() {
            let mut pairs = Vec::new();
            for pair in self.store.iter_prefix(col, b"") {
                let (key, value) = pair?;
                bytes = bytes.saturating_add(key.len() + value.len());
                if bytes > max_bytes {
                    return Ok(None);
                }
                pairs.push((key, value));
            }
            columns.push((col, pairs));
        }
        Ok(Some(ChainSnapshot {
            head: self.head.clone(),
            columns,
        }))
    }

    /// Returns the chain to `snapshot`: everything written since is gone, in one atomic write.
    pub fn revert(&mut self, snapshot: &ChainSnapshot) -> Result<(), ChainError> {
        let mut batch = WriteBatch::new();
        for col in snapshot_columns() {
            for pair in self.store.iter_prefix(col, b"") {
                batch.delete(col, pair?.0);
            }
        }
        for (col, pairs) in &snapshot.columns {
            for (key, value) in pairs {
                batch.put(*col, key.clone(), value.clone());
            }
        }
        self.store.write(&batch, Durability::Sync)?;
        self.writes += 1;
        self.reader.head = snapshot.head.clone();
        Ok(())
    }
}
