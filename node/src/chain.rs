//! [`Chain`]: the store, the head, and block production: execute transactions, commit the block
//! with its state changes in one atomic, synced write.

use std::sync::Arc;

use weft_primitives::{Address, Block, BlockHeader, Hash, Receipt, SignedTransaction, Trace};
use weft_state::{Column, Durability, KvPair, KvStore, Overlay, SharedStore, WriteBatch};
use weft_vm::{BlockContext, Frame, Vm, World};

use crate::chain_store;
use crate::error::{NodeError, TxRejection};
use crate::executor::Executor;
use crate::genesis::Genesis;
use crate::pinned::PinnedState;
use crate::reader::ChainReader;

/// A block just produced, with its receipts and the transactions left out of it.
#[derive(Debug)]
pub struct Produced {
    /// The block.
    pub block: Block,
    /// Its receipts, in transaction order.
    pub receipts: Vec<Receipt>,
    /// The traces beside the receipts, in the same order (not consensus data).
    pub traces: Vec<Trace>,
    /// Transactions offered but not included, with why (their state was not touched).
    pub rejected: Vec<(SignedTransaction, TxRejection)>,
    /// Valid transactions left for a later block because this one's gas limit was reached.
    pub deferred: Vec<SignedTransaction>,
    /// Transactions whose execution met a node fault (an engine failure, a store read that
    /// failed): left out with everything they did undone, for the pool to evict, with the fault.
    pub faulted: Vec<(SignedTransaction, NodeError)>,
}

/// What became of one transaction offered to a block.
enum Fate {
    Included,
    Rejected(TxRejection),
    Deferred,
    Faulted(NodeError),
}

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
    reader: ChainReader,
    genesis: Genesis,
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
    pub fn open(store: SharedStore, vm: Vm, genesis: Genesis) -> Result<Self, NodeError> {
        let executor = Executor::new(vm, genesis.chain_id, genesis.block_gas_limit);
        match chain_store::genesis(&*store)? {
            Some(stored) if stored != genesis => Err(NodeError::GenesisMismatch {
                stored: stored.hash(),
                configured: genesis.hash(),
            }),
            Some(_) => {
                let height = chain_store::head_height(&*store)?
                    .ok_or_else(|| NodeError::Corrupt("a genesis but no head".into()))?;
                let head = chain_store::block(&*store, height)?
                    .ok_or_else(|| NodeError::Corrupt(format!("no block at the head height {height}")))?
                    .header;
                Ok(Self {
                    reader: ChainReader {
                        store,
                        executor,
                        head,
                    },
                    genesis,
                })
            }
            None => Self::init(store, executor, genesis),
        }
    }

    /// Writes block 0: the funded accounts and the pre-deployed contracts.
    fn init(store: SharedStore, executor: Executor, genesis: Genesis) -> Result<Self, NodeError> {
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
                return Err(NodeError::Genesis(format!(
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
        chain_store::put_block(&mut batch, &block, &[], &[]);
        chain_store::put_genesis(&mut batch, &genesis);
        store.write(&batch, Durability::Sync)?;
        Ok(Self {
            reader: ChainReader {
                store,
                executor,
                head: header,
            },
            genesis,
        })
    }

    /// The genesis configuration.
    pub fn genesis(&self) -> &Genesis {
        &self.genesis
    }

    /// A reader that stays at this head while the chain goes on: reads and dry runs through it
    /// need no lock on the chain ([`PinnedState`] says how). Call it with the writer excluded.
    pub fn pinned(&self) -> Result<ChainReader, NodeError> {
        let pinned = PinnedState::pin(self.store.clone(), self.head.height)?;
        Ok(ChainReader {
            store: Arc::new(pinned),
            executor: self.executor.clone(),
            head: self.head.clone(),
        })
    }

    /// Executes `transactions` in order at `timestamp` (raised to the parent's if earlier) and
    /// commits the block: state changes, block, receipts and the new head in one synced write.
    /// Transactions that fail their checks are rejected; those that no longer fit the block gas
    /// limit, and every later one, are deferred; one whose execution meets a node fault is left
    /// out with its effects undone (`faulted`), so that one bad transaction cannot stall the
    /// chain. `Err` only if the block cannot be committed: nothing of it is then written.
    pub fn produce_block(
        &mut self,
        transactions: Vec<SignedTransaction>,
        timestamp: u64,
    ) -> Result<Produced, NodeError> {
        let height = self.head.height + 1;
        let timestamp = timestamp.max(self.head.timestamp);
        let context = BlockContext {
            height,
            timestamp,
            chain_id: self.genesis.chain_id,
        };
        let mut world = self.state();
        let checks = self.executor.check_stateless_all(&transactions);
        let (mut receipts, mut traces) = (Vec::new(), Vec::new());
        let mut fates = Vec::with_capacity(transactions.len());
        let (mut gas_used, mut log_index, mut deferring) = (0u64, 0u32, false);
        let limit = self.genesis.block_gas_limit;
        for (tx, check) in transactions.iter().zip(checks) {
            // Once one does not fit, the rest wait too, so that each sender's nonces stay in order.
            // (A limit above the block's can never fit: the executor rejects it.)
            let fits = gas_used.saturating_add(tx.tx.gas_limit) <= limit;
            if tx.tx.gas_limit <= limit && (deferring || !fits) {
                deferring = true;
                fates.push(Fate::Deferred);
                continue;
            }
            let checkpoint = world.checkpoint();
            let applied = match check {
                Ok(checked) => match self.executor.apply(&mut world, context, checked) {
                    Ok(applied) => applied,
                    Err(fault) => {
                        world.revert_to(checkpoint);
                        fates.push(Fate::Faulted(fault));
                        continue;
                    }
                },
                Err(rejection) => Err(rejection),
            };
            match applied {
                Ok((mut receipt, trace)) => {
                    receipt.first_log_index = log_index;
                    let events = u32::try_from(receipt.events.len()).unwrap_or(u32::MAX);
                    log_index = log_index.saturating_add(events);
                    gas_used += receipt.gas_used;
                    receipts.push(receipt);
                    traces.push(trace);
                    fates.push(Fate::Included);
                }
                Err(rejection) => fates.push(Fate::Rejected(rejection)),
            }
        }
        let (mut included, mut rejected, mut deferred) = (Vec::new(), Vec::new(), Vec::new());
        let mut faulted = Vec::new();
        for (tx, fate) in transactions.into_iter().zip(fates) {
            match fate {
                Fate::Included => included.push(tx),
                Fate::Rejected(rejection) => rejected.push((tx, rejection)),
                Fate::Deferred => deferred.push(tx),
                Fate::Faulted(fault) => faulted.push((tx, fault)),
            }
        }
        let commit = world.commit_with_history(height)?;
        let header = BlockHeader {
            parent_hash: self.head.hash(),
            height,
            timestamp,
            state_root: commit.root,
            tx_root: Block::tx_root(&included),
            receipt_root: Block::receipt_root(&receipts),
            gas_used,
            gas_limit: self.genesis.block_gas_limit,
        };
        let block = Block {
            header: header.clone(),
            transactions: included,
        };
        let mut batch = commit.batch;
        chain_store::put_block(&mut batch, &block, &receipts, &traces);
        self.store.write(&batch, Durability::Sync)?;
        self.reader.head = header;
        Ok(Produced {
            block,
            receipts,
            traces,
            rejected,
            deferred,
            faulted,
        })
    }

    /// Applies `edit` to the head state outside any block and commits it with the state
    /// commitment: the devnet's and the test kit's state overrides (balances, storage). The next
    /// block's state root includes it, and its history is the next block's (reads at the head
    /// block still see the state without it); `weft replay` cannot reproduce such a chain.
    pub fn override_state(
        &mut self,
        edit: impl FnOnce(&mut World) -> Result<(), NodeError>,
    ) -> Result<(), NodeError> {
        let mut world = self.state();
        edit(&mut world)?;
        let commit = world.commit_with_history(self.head.height + 1)?;
        self.store.write(&commit.batch, Durability::Sync)?;
        Ok(())
    }

    /// A copy of the whole chain as it is now; `None` if it holds more than `max_bytes` of keys
    /// and values (the copy stops there).
    pub fn snapshot(&self, max_bytes: usize) -> Result<Option<ChainSnapshot>, NodeError> {
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
    pub fn revert(&mut self, snapshot: &ChainSnapshot) -> Result<(), NodeError> {
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
        self.reader.head = snapshot.head.clone();
        Ok(())
    }

    /// Re-executes every block of `self` on a fresh chain in `target` (opened with the same
    /// genesis and `vm`) and checks that each reproduces its header and receipts byte for byte.
    /// Returns the number of blocks replayed.
    pub fn replay_into(&self, target: SharedStore, vm: Vm) -> Result<u64, NodeError> {
        let mut fresh = Chain::open(target, vm, self.genesis.clone())?;
        let genesis_block = self
            .block(0)?
            .ok_or_else(|| NodeError::Corrupt("no block 0".into()))?;
        if fresh.head != genesis_block.header {
            return Err(NodeError::ReplayDiverged {
                height: 0,
                what: "genesis header".into(),
            });
        }
        for height in 1..=self.head.height {
            let block = self
                .block(height)?
                .ok_or_else(|| NodeError::Corrupt(format!("no block at height {height}")))?;
            let replayed = fresh.produce_block(block.transactions.clone(), block.header.timestamp)?;
            if let Some((tx, fault)) = replayed.faulted.first() {
                return Err(NodeError::ReplayDiverged {
                    height,
                    what: format!("transaction {} met a node fault: {fault}", tx.hash()),
                });
            }
            if !replayed.rejected.is_empty() || !replayed.deferred.is_empty() {
                return Err(NodeError::ReplayDiverged {
                    height,
                    what: "a transaction of the block was not included again".into(),
                });
            }
            for (tx, receipt) in block.transactions.iter().zip(&replayed.receipts) {
                if self.receipt(&tx.hash())?.as_ref() != Some(receipt) {
                    return Err(NodeError::ReplayDiverged {
                        height,
                        what: format!("receipt of {}", tx.hash()),
                    });
                }
            }
            if replayed.block.header != block.header {
                return Err(NodeError::ReplayDiverged {
                    height,
                    what: "header (state root, gas used or roots)".into(),
                });
            }
        }
        Ok(self.head.height)
    }
}
