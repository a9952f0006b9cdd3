//! [`WeftApplication`]: Weft's side of Commonware's marshal [`Application`] — **propose** takes
//! the pool's ready transactions and executes them on the committed head without writing,
//! **verify** re-executes a peer's block in strict mode; both keep the executed result
//! ([`PendingBlocks`]) for the commit when the block is finalized ([`crate::finalizer`]).
//!
//! Version 1 builds only on the committed head: a proposal or a verification on a parent not yet
//! finalized waits for its commit, and one on a parent that lost (another block was finalized at
//! its height) is declined or refused.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use commonware_consensus::Application;
use commonware_consensus::marshal::ancestry::Ancestry;
use commonware_consensus::simplex::types::Context;
use commonware_cryptography::{Digested, Digestible as _};
use commonware_runtime::Clock;
use futures::StreamExt as _;
use weft_chain::PendingBlock;
use weft_node::NodeHandle;
use weft_primitives::Hash;

use crate::block::{ConsensusBlock, Digest};
use crate::{PublicKey, Scheme};

/// Blocks executed by propose or verify and not yet finalized, by height and hash.
#[derive(Clone, Default)]
pub struct PendingBlocks {
    blocks: Arc<Mutex<BTreeMap<(u64, Hash), PendingBlock>>>,
}

impl PendingBlocks {
    fn insert(&self, pending: PendingBlock) {
        let header = &pending.block().header;
        let key = (header.height, header.hash());
        self.lock().insert(key, pending);
    }

    /// Takes the executed form of the finalized block `hash` at `height`, and forgets every
    /// other one at or below that height (they can never be finalized now).
    pub fn take_finalized(&self, height: u64, hash: Hash) -> Option<PendingBlock> {
        let mut blocks = self.lock();
        let found = blocks.remove(&(height, hash));
        *blocks = blocks.split_off(&(height + 1, Hash::ZERO));
        found
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<(u64, Hash), PendingBlock>> {
        self.blocks.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How blocks are made.
#[derive(Debug, Clone, Copy)]
pub struct BlockRules {
    /// The most bytes of transactions in one block (the network's message limit bounds a block).
    pub max_block_bytes: usize,
    /// A proposer waits this long after its parent's timestamp (whole seconds; 0 for none).
    pub block_time: Duration,
    /// A block's timestamp may be this far ahead of a verifier's clock; one further ahead is
    /// verified once the verifier's clock gets there.
    pub max_clock_drift: Duration,
}

/// The Weft chain as the application Commonware's marshal drives.
#[derive(Clone)]
pub struct WeftApplication {
    node: NodeHandle,
    pending: PendingBlocks,
    rules: BlockRules,
}

impl WeftApplication {
    /// The application over `node`, keeping executed blocks in `pending`.
    pub fn new(node: NodeHandle, pending: PendingBlocks, rules: BlockRules) -> Self {
        Self { node, pending, rules }
    }
}

/// Whole Unix seconds of `time`.
pub(crate) fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

impl<E: Clock> Application<E> for WeftApplication {
    type SigningScheme = Scheme;
    type Context = Context<Digest, PublicKey>;
    type Block = ConsensusBlock;
    type Input = ();

    async fn propose(
        &mut self,
        (runtime, _context): (E, Self::Context),
        mut ancestry: impl Ancestry<Self::Block>,
        _input: (),
    ) -> Option<Digested<Self::Block>> {
        let parent = ancestry.next().await?;
        let parent = parent.inner();
        let parent_header = &parent.block().header;
        let head = self.node.wait_for_height(parent_header.height).await;
        if head.hash() != parent.hash() {
            return None;
        }
        let earliest = parent_header
            .timestamp
            .saturating_add(self.rules.block_time.as_secs());
        let now = unix_seconds(runtime.current());
        if now < earliest {
            runtime.sleep(Duration::from_secs(earliest - now)).await;
        }
        let timestamp = unix_seconds(runtime.current()).max(parent_header.timestamp);
        let pending = match self.node.propose(timestamp, self.rules.max_block_bytes) {
            Ok(pending) => pending,
            Err(fault) => {
                tracing::error!("cannot propose a block: {fault}");
                return None;
            }
        };
        if pending.block().header.parent_hash != parent.hash() {
            // The head moved while this waited: not this parent's child any more.
            return None;
        }
        let block = ConsensusBlock::new(pending.block().clone());
        let digest = block.digest();
        tracing::debug!(height = block.block().header.height, hash = %block.hash(), "proposed");
        self.pending.insert(pending);
        Some(Digested::precomputed(block, digest))
    }

    async fn verify(
        &mut self,
        (runtime, _context): (E, Self::Context),
        ancestry: impl Ancestry<Self::Block>,
    ) -> bool {
        let Some(block) = ancestry.peek().cloned() else {
            return false;
        };
        let block = block.inner();
        let header = &block.block().header;
        let Some(parent_height) = header.height.checked_sub(1) else {
            return false;
        };
        let ahead = Duration::from_secs(header.timestamp.saturating_sub(unix_seconds(runtime.current())));
        if ahead > self.rules.max_clock_drift {
            runtime.sleep(ahead - self.rules.max_clock_drift).await;
        }
        let head = self.node.wait_for_height(parent_height).await;
        if head.height >= header.height {
            // A block at this height is finalized already: valid only if it is this one.
            let finalized = self.node.with_chain(|chain| chain.block(header.height));
            return matches!(finalized, Ok(Some(known)) if known.header.hash() == block.hash());
        }
        if head.hash() != header.parent_hash {
            return false;
        }
        match self.node.verify(block.block()) {
            Ok(Ok(pending)) => {
                self.pending.insert(pending);
                true
            }
            Ok(Err(invalid)) => {
                tracing::warn!(height = header.height, hash = %block.hash(), "refused a proposed block: {invalid}");
                false
            }
            Err(fault) => {
                // Nothing can be said of the block: abstain (consensus goes on without this vote).
                tracing::error!(height = header.height, "cannot verify a proposed block: {fault}");
                futures::future::pending::<bool>().await
            }
        }
    }
}
