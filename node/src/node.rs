//! [`NodeHandle`]: the running chain behind a lock — transaction intake, the pool, mining modes,
//! and new-head notifications — shared by the RPC server, the miner task and the test harness.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use thiserror::Error;
use tokio::sync::broadcast;
use weft_primitives::{
    Address, Balance, BlockHeader, ExecStatus, Gas, Hash, SignedTransaction, decode_exact,
};
use weft_state::SharedStore;
use weft_vm::{CallRequest, Frame, Outcome, Vm};

use crate::chain::{Chain, Produced};
use crate::error::{NodeError, TxRejection};
use crate::executor::{Executor, MAX_TX_BYTES};
use crate::genesis::Genesis;
use crate::mempool::{Mempool, MempoolLimits};

/// When blocks are produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MiningMode {
    /// One block per accepted transaction, at once (the default).
    Instant,
    /// A block every interval, with whatever is ready (possibly none).
    Interval(Duration),
    /// Only when [`NodeHandle::mine`] is called.
    Manual,
}

impl std::fmt::Display for MiningMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Instant => write!(f, "instant (a block per transaction)"),
            Self::Interval(every) => write!(f, "interval (a block every {}s)", every.as_secs_f64()),
            Self::Manual => write!(f, "manual"),
        }
    }
}

/// Why a submitted transaction was not accepted.
#[derive(Debug, Error)]
pub enum SubmitError {
    /// The transaction is refused; nothing changed.
    #[error(transparent)]
    Rejected(#[from] TxRejection),
    /// The node failed.
    #[error(transparent)]
    Fault(#[from] NodeError),
}

/// How a node is set up.
#[derive(Debug, Clone)]
pub struct NodeConfig {
    /// Block 0.
    pub genesis: Genesis,
    /// When to produce blocks.
    pub mining: MiningMode,
    /// Pool bounds.
    pub mempool: MempoolLimits,
}

impl NodeConfig {
    /// The devnet: [`Genesis::dev`], instant mining, default pool bounds.
    pub fn dev() -> Self {
        Self {
            genesis: Genesis::dev(),
            mining: MiningMode::Instant,
            mempool: MempoolLimits::default(),
        }
    }
}

struct Inner {
    chain: Chain,
    mempool: Mempool,
}

/// A running node. Cheap to clone; every clone is the same node.
#[derive(Clone)]
pub struct NodeHandle {
    inner: Arc<Mutex<Inner>>,
    heads: broadcast::Sender<BlockHeader>,
    mining: MiningMode,
    chain_id: u64,
}

impl std::fmt::Debug for NodeHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NodeHandle")
            .field("chain_id", &self.chain_id)
            .field("mining", &self.mining)
            .finish_non_exhaustive()
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

impl NodeHandle {
    /// Opens (or creates) the chain in `store` and starts a node over it. The VM persists compiled
    /// artifacts in the same store.
    pub fn open(store: SharedStore, config: NodeConfig) -> Result<Self, NodeError> {
        let vm = Vm::with_cache(
            weft_gas::GasSchedule::default(),
            weft_vm::CacheConfig::default(),
            Some(store.clone()),
        );
        let chain_id = config.genesis.chain_id;
        let chain = Chain::open(store, vm, config.genesis)?;
        let (heads, _) = broadcast::channel(256);
        Ok(Self {
            inner: Arc::new(Mutex::new(Inner {
                chain,
                mempool: Mempool::new(config.mempool),
            })),
            heads,
            mining: config.mining,
            chain_id,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The chain id.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// The mining mode.
    pub fn mining(&self) -> MiningMode {
        self.mining
    }

    /// The head block's header.
    pub fn head(&self) -> BlockHeader {
        self.lock().chain.head().clone()
    }

    /// Runs `f` on the chain (for reads: blocks, receipts, state).
    pub fn with_chain<R>(&self, f: impl FnOnce(&Chain) -> R) -> R {
        f(&self.lock().chain)
    }

    /// New heads, as they are committed.
    pub fn subscribe_heads(&self) -> broadcast::Receiver<BlockHeader> {
        self.heads.subscribe()
    }

    /// Decodes and submits a SCALE-encoded signed transaction.
    pub fn submit_raw(&self, bytes: &[u8]) -> Result<Hash, SubmitError> {
        if bytes.len() > MAX_TX_BYTES {
            return Err(TxRejection::TooLarge {
                size: bytes.len(),
                limit: MAX_TX_BYTES,
            }
            .into());
        }
        let tx: SignedTransaction =
            decode_exact("signed transaction", bytes).map_err(|e| TxRejection::Malformed(e.to_string()))?;
        self.submit(tx)
    }

    /// Checks `tx` and admits it to the pool; in instant mode, mines it (and anything else ready)
    /// at once.
    pub fn submit(&self, tx: SignedTransaction) -> Result<Hash, SubmitError> {
        let hash = {
            let mut inner = self.lock();
            let Inner { chain, mempool } = &mut *inner;
            chain.executor().check_stateless(&tx)?;
            let account = chain.state().account(&tx.tx.sender()).map_err(NodeError::from)?;
            let required = Executor::max_cost(&tx)?;
            if account.balance < required {
                return Err(TxRejection::InsufficientBalance {
                    balance: account.balance,
                    required,
                }
                .into());
            }
            mempool.insert(tx, account.nonce)?
        };
        if self.mining == MiningMode::Instant {
            // Blocks until nothing ready is left over (a full block defers the rest).
            while !self.mine()?.deferred.is_empty() {}
        }
        Ok(hash)
    }

    /// Runs `entry` of `to` from `from` with `input`, `value` and at most `gas_limit` gas against
    /// the head state, as the next block would, and discards every effect.
    pub fn dry_run(
        &self,
        from: Address,
        to: Address,
        entry: String,
        input: Vec<u8>,
        value: Balance,
        gas_limit: Gas,
    ) -> Result<Outcome, NodeError> {
        let request = CallRequest {
            frame: Frame::outermost(from, to, value),
            entry,
            input,
            gas_limit,
        };
        self.lock().chain.dry_run(request, now())
    }

    /// Produces one block with the ready transactions (possibly none) at the current time.
    pub fn mine(&self) -> Result<Produced, NodeError> {
        let produced = {
            let mut inner = self.lock();
            let Inner { chain, mempool } = &mut *inner;
            let state = chain.state();
            let next_nonce = |sender: &_| state.account(sender).map_or(0, |a| a.nonce);
            let ready = mempool.ready(next_nonce, usize::MAX);
            let produced = chain.produce_block(ready, now())?;
            for (tx, _) in &produced.rejected {
                mempool.remove(&tx.hash());
            }
            let state = chain.state();
            mempool.prune(|sender| state.account(sender).map_or(0, |a| a.nonce));
            produced
        };
        log_block(&produced);
        // Nobody listening is fine.
        let _ = self.heads.send(produced.block.header.clone());
        Ok(produced)
    }
}

/// One log line per transaction and one per block.
fn log_block(produced: &Produced) {
    for (tx, receipt) in produced.block.transactions.iter().zip(&produced.receipts) {
        let kind = tx.tx.action.kind();
        let status = match &receipt.status {
            ExecStatus::Success => "success".to_string(),
            ExecStatus::Revert => format!("revert 0x{}", hex::encode(&receipt.return_data)),
            ExecStatus::OutOfGas => "out of gas".to_string(),
            ExecStatus::Trap {
                kind,
                function,
                message,
            } => format!(
                "trap {kind:?} in {}: {message}",
                function.as_deref().unwrap_or("?")
            ),
        };
        let created = receipt
            .contract_address
            .map(|a| a.to_string())
            .unwrap_or_default();
        tracing::info!(tx = %tx.hash(), kind, created, gas_used = receipt.gas_used, status, "transaction");
        for line in &receipt.logs {
            tracing::debug!(tx = %tx.hash(), "contract log: {line}");
        }
    }
    for (tx, why) in &produced.rejected {
        tracing::warn!(tx = %tx.hash(), "left out of the block: {why}");
    }
    let header = &produced.block.header;
    tracing::info!(
        height = header.height,
        hash = %header.hash(),
        txs = produced.block.transactions.len(),
        gas_used = header.gas_used,
        state_root = %header.state_root,
        "block"
    );
}
