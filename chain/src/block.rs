//! Block execution apart from the commit: [`Chain::build_block`] makes a block from offered
//! transactions, [`Chain::verify_block`] re-executes a proposed block in strict mode; both read
//! the head state and write nothing, and hand back a [`PendingBlock`] (the block, its receipts
//! and traces, and the write batch) for [`Chain::commit`]. The devnet builds and commits at
//! once; a consensus engine builds when it proposes, verifies when a peer proposes, and commits
//! what is finalized.

use weft_primitives::{Block, BlockHeader, Hash, Receipt, SignedTransaction, Trace, VerifiedTx, merkle_root};
use weft_state::WriteBatch;
use weft_vm::BlockContext;

use crate::chain::Chain;
use crate::chain_store;
use crate::error::{ChainError, InvalidBlock, TxRejection};
use crate::executor::Refused;

/// A block with its receipts and the transactions offered to it but left out.
#[derive(Debug)]
pub struct Produced {
    /// The block.
    pub block: Block,
    /// The hashes of its transactions, in order.
    pub tx_hashes: Vec<Hash>,
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
    pub faulted: Vec<(SignedTransaction, ChainError)>,
}

/// A block executed on the head and not yet written: [`Chain::commit`] writes it.
#[derive(Debug)]
pub struct PendingBlock {
    pub(crate) produced: Produced,
    /// State changes with their history, the block, its receipts and traces, the new head.
    pub(crate) batch: WriteBatch,
    /// The chain's write count it was executed after ([`Chain::commit`] checks it).
    pub(crate) base: u64,
}

impl PendingBlock {
    /// The block, its receipts and what was left out of it.
    pub fn produced(&self) -> &Produced {
        &self.produced
    }

    /// The block.
    pub fn block(&self) -> &Block {
        &self.produced.block
    }

    /// Writes `certificate`, the block's finalization by a network, with the block.
    pub fn add_finalization(&mut self, certificate: Vec<u8>) {
        chain_store::put_finalization(&mut self.batch, self.produced.block.header.height, certificate);
    }
}

/// A transaction offered to a block: verified, or refused by the verification.
type Offered = Result<VerifiedTx, Refused>;

impl Chain {
    /// Executes `transactions` in order on the head at `timestamp` (raised to the parent's if
    /// earlier), writing nothing. Transactions that fail their checks are rejected; those that
    /// no longer fit the block gas limit, and every later one, are deferred; one whose execution
    /// meets a node fault is left out with its effects undone (`faulted`), so that one bad
    /// transaction cannot stall the chain. `Err` only if the block cannot be assembled (the
    /// store failed while committing the state to a batch).
    pub fn build_block(
        &self,
        transactions: Vec<SignedTransaction>,
        timestamp: u64,
    ) -> Result<PendingBlock, ChainError> {
        let offered = self.executor.verify_all(transactions);
        self.execute(offered, timestamp.max(self.head.timestamp))
    }

    /// [`Chain::build_block`] of transactions verified already (a pool's): their signatures are
    /// not checked again, nor are they re-encoded or re-hashed.
    pub fn build_verified(
        &self,
        transactions: Vec<VerifiedTx>,
        timestamp: u64,
    ) -> Result<PendingBlock, ChainError> {
        let offered = transactions.into_iter().map(Ok).collect();
        self.execute(offered, timestamp.max(self.head.timestamp))
    }

    /// Re-executes a proposed (or replayed) block on the head in strict mode, writing nothing:
    /// the block is invalid if it does not extend the head, if any of its transactions would be
    /// rejected or not fit its gas limit, or if its header is not the one execution gives.
    /// `Ok(Err(_))`: the block is invalid (the proposer's doing); `Err`: a node fault, including
    /// one met by a transaction (nothing can be said of the block then).
    pub fn verify_block(&self, block: &Block) -> Result<Result<PendingBlock, InvalidBlock>, ChainError> {
        let header = &block.header;
        let head = &self.head;
        if header.height != head.height + 1 || header.parent_hash != head.hash() {
            return Ok(Err(InvalidBlock::NotOnHead {
                height: header.height,
                head: head.height,
            }));
        }
        if header.timestamp < head.timestamp {
            return Ok(Err(InvalidBlock::TimestampBeforeParent {
                timestamp: header.timestamp,
                parent: head.timestamp,
            }));
        }
        let offered = self.executor.verify_all(block.transactions.clone());
        if let Some(Err(refused)) = offered.iter().find(|offered| offered.is_err()) {
            let (tx, rejection) = &**refused;
            return Ok(Err(InvalidBlock::Rejected {
                tx: tx.hash(),
                rejection: rejection.clone(),
            }));
        }
        let mut pending = self.execute(offered, header.timestamp)?;
        let produced = &mut pending.produced;
        if let Some((_, fault)) = produced.faulted.pop() {
            return Err(fault);
        }
        if let Some((tx, rejection)) = produced.rejected.first() {
            return Ok(Err(InvalidBlock::Rejected {
                tx: tx.hash(),
                rejection: rejection.clone(),
            }));
        }
        if let Some(tx) = produced.deferred.first() {
            return Ok(Err(InvalidBlock::OverGasLimit { tx: tx.hash() }));
        }
        if let Some(field) = header_mismatch(header, &produced.block.header) {
            return Ok(Err(InvalidBlock::HeaderMismatch { field }));
        }
        Ok(Ok(pending))
    }

    /// Executes `offered` on the head in a block at `timestamp`, into a pending block.
    fn execute(&self, offered: Vec<Offered>, timestamp: u64) -> Result<PendingBlock, ChainError> {
        let height = self.head.height + 1;
        let context = BlockContext {
            height,
            timestamp,
            chain_id: self.genesis.chain_id,
        };
        let mut world = self.state();
        let (mut included, mut receipts, mut traces) = (Vec::new(), Vec::new(), Vec::new());
        let (mut rejected, mut deferred, mut faulted) = (Vec::new(), Vec::new(), Vec::new());
        let (mut gas_used, mut log_index) = (0u64, 0u32);
        let limit = self.genesis.block_gas_limit;
        for offer in offered {
            let tx = match offer {
                Ok(tx) => tx,
                Err(refused) => {
                    rejected.push(*refused);
                    continue;
                }
            };
            // Once one does not fit, the rest wait too, so that each sender's nonces stay in order.
            // (A limit above the block's can never fit: the checks reject it.)
            let gas_limit = tx.signed().tx.gas_limit;
            let fits = gas_used.saturating_add(gas_limit) <= limit;
            if gas_limit <= limit && (!deferred.is_empty() || !fits) {
                deferred.push(tx.into_signed());
                continue;
            }
            let checked = match self.executor.check_stateless(&tx) {
                Ok(checked) => checked,
                Err(rejection) => {
                    rejected.push((tx.into_signed(), rejection));
                    continue;
                }
            };
            let checkpoint = world.checkpoint();
            match self.executor.apply(&mut world, context, checked) {
                Ok(Ok((mut receipt, trace))) => {
                    receipt.first_log_index = log_index;
                    let events = u32::try_from(receipt.events.len()).unwrap_or(u32::MAX);
                    log_index = log_index.saturating_add(events);
                    gas_used += receipt.gas_used;
                    receipts.push(receipt);
                    traces.push(trace);
                    included.push(tx);
                }
                Ok(Err(rejection)) => rejected.push((tx.into_signed(), rejection)),
                Err(fault) => {
                    world.revert_to(checkpoint);
                    faulted.push((tx.into_signed(), fault));
                }
            }
        }
        let tx_hashes: Vec<Hash> = included.iter().map(VerifiedTx::hash).collect();
        let commit = world.commit_with_history(height)?;
        let header = BlockHeader {
            parent_hash: self.head.hash(),
            height,
            timestamp,
            state_root: commit.root,
            tx_root: merkle_root(&tx_hashes),
            receipt_root: Block::receipt_root(&receipts),
            gas_used,
            gas_limit: limit,
        };
        let block = Block {
            header,
            transactions: included.into_iter().map(VerifiedTx::into_signed).collect(),
        };
        let mut batch = commit.batch;
        chain_store::put_block(&mut batch, &block, &tx_hashes, &receipts, &traces);
        Ok(PendingBlock {
            produced: Produced {
                block,
                tx_hashes,
                receipts,
                traces,
                rejected,
                deferred,
                faulted,
            },
            batch,
            base: self.writes,
        })
    }
}

/// The first field in which a proposed header differs from the executed one.
fn header_mismatch(proposed: &BlockHeader, executed: &BlockHeader) -> Option<&'static str> {
    // Destructured, so that a field added to the header cannot be left out of the comparison.
    let BlockHeader {
        parent_hash,
        height,
        timestamp,
        state_root,
        tx_root,
        receipt_root,
        gas_used,
        gas_limit,
    } = proposed;
    [
        ("parent_hash", *parent_hash == executed.parent_hash),
        ("height", *height == executed.height),
        ("timestamp", *timestamp == executed.timestamp),
        ("state_root", *state_root == executed.state_root),
        ("tx_root", *tx_root == executed.tx_root),
        ("receipt_root", *receipt_root == executed.receipt_root),
        ("gas_used", *gas_used == executed.gas_used),
        ("gas_limit", *gas_limit == executed.gas_limit),
    ]
    .into_iter()
    .find(|(_, same)| !same)
    .map(|(field, _)| field)
}
