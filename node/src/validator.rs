//! What a consensus engine drives on a validator's [`NodeHandle`] ([`MiningMode::Consensus`]):
//! a proposal from the pool, a peer's block verified, a finalized block committed. The node does
//! not know the engine; `weft-consensus` calls these.
//!
//! Version 1 builds and verifies only on the committed head: a proposal or a verification for a
//! child of a block not yet committed waits for that commit ([`NodeHandle::wait_for_height`]).

use std::sync::Arc;

use weft_chain::{InvalidBlock, PendingBlock, Produced};
use weft_primitives::{Block, VerifiedTx};

use crate::error::NodeError;
use crate::node::{Inner, MiningMode, NodeHandle};

/// What [`NodeHandle::commit_finalized`] did with a finalized block.
#[derive(Debug)]
pub enum Finalized {
    /// Written as the new head.
    Committed(Arc<Produced>),
    /// At or below the head already (a redelivery after a restart): nothing to do.
    Known,
}

impl NodeHandle {
    /// Whether a consensus engine makes this node's blocks.
    pub fn is_validator(&self) -> bool {
        self.mining() == MiningMode::Consensus
    }

    /// A block on the committed head from the pool's ready transactions, at `timestamp` (raised
    /// to the head's), of at most `max_bytes` of transactions; executed, not written. The
    /// transactions stay in the pool until a block with them is committed.
    pub fn propose(&self, timestamp: u64, max_bytes: usize) -> Result<PendingBlock, NodeError> {
        let inner = self.lock();
        if let Some(why) = &inner.halted {
            return Err(NodeError::Halted(why.clone()));
        }
        let state = inner.chain.state();
        let ready = inner
            .mempool
            .ready(|sender| state.account(sender).map_or(0, |a| a.nonce), usize::MAX);
        Ok(inner
            .chain
            .build_verified(within_bytes(ready, max_bytes), timestamp)?)
    }

    /// Re-executes a peer's `block` on the committed head in strict mode, writing nothing:
    /// `Ok(Err(_))` if the block is invalid (its proposer's doing).
    pub fn verify(&self, block: &Block) -> Result<Result<PendingBlock, InvalidBlock>, NodeError> {
        Ok(self.lock().chain.verify_block(block)?)
    }

    /// Writes a finalized block with its finalization `certificate` (the engine's encoding; none
    /// for a block finalized only through a descendant's certificate):
    /// `pending` if it is this block executed on the head (a proposal's or a verification's
    /// result), else it is executed again. A block at or below the head is [`Finalized::Known`].
    /// `Err` halts the node: a finalized block that does not execute to its header means this
    /// node's state differs from the network's.
    pub fn commit_finalized(
        &self,
        block: &Block,
        pending: Option<PendingBlock>,
        certificate: Option<Vec<u8>>,
    ) -> Result<Finalized, NodeError> {
        let produced = {
            let mut inner = self.lock();
            let Inner {
                chain,
                mempool,
                halted,
                ..
            } = &mut *inner;
            if let Some(why) = halted {
                return Err(NodeError::Halted(why.clone()));
            }
            if block.header.height <= chain.head().height {
                return Ok(Finalized::Known);
            }
            let hash = block.header.hash();
            let mut pending = match pending.filter(|p| p.block().header.hash() == hash) {
                Some(pending) => pending,
                None => match chain.verify_block(block)? {
                    Ok(pending) => pending,
                    Err(invalid) => {
                        let why = format!(
                            "finalized block {} ({hash}) does not execute here: {invalid}",
                            block.header.height
                        );
                        tracing::error!("{why}; block production stops (reads are still served)");
                        *halted = Some(why.clone());
                        return Err(NodeError::Halted(why));
                    }
                },
            };
            if let Some(certificate) = &certificate {
                pending.add_finalization(certificate.clone());
            }
            let built = chain.commit(pending).or_else(|stale| match stale {
                // Executed before another write: once more, on the head as it is now.
                weft_chain::ChainError::NotOnHead { .. } => match chain.verify_block(block)? {
                    Ok(mut pending) => {
                        if let Some(certificate) = certificate {
                            pending.add_finalization(certificate);
                        }
                        chain.commit(pending)
                    }
                    Err(invalid) => Err(weft_chain::ChainError::Corrupt(format!(
                        "finalized block {} no longer executes: {invalid}",
                        block.header.height
                    ))),
                },
                fault => Err(fault),
            });
            self.committed(chain, mempool, halted, built)?
        };
        Ok(Finalized::Committed(self.announce(produced)))
    }

    /// Waits until the committed head is at `height` or above; returns the head then.
    pub async fn wait_for_height(&self, height: u64) -> weft_primitives::BlockHeader {
        let mut blocks = self.blocks.subscribe();
        loop {
            let head = self.head();
            if head.height >= height {
                return head;
            }
            // A lagging receiver missed blocks but not the head: look again.
            if let Err(tokio::sync::broadcast::error::RecvError::Closed) = blocks.recv().await {
                return self.head();
            }
        }
    }
}

/// The longest prefix of `ready` whose encodings fit in `max_bytes` (nonces stay in order).
fn within_bytes(ready: Vec<VerifiedTx>, max_bytes: usize) -> Vec<VerifiedTx> {
    let mut total = 0usize;
    ready
        .into_iter()
        .take_while(|tx| {
            total = total.saturating_add(tx.size());
            total <= max_bytes
        })
        .collect()
}
