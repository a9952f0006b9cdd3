//! [`NodeHandle`]: the running chain behind a lock — transaction intake, the pool, mining modes,
//! and new-head notifications — shared by the RPC server, the miner task and the test harness.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use thiserror::Error;
use tokio::sync::broadcast;
use weft_primitives::{
    Account, Action, Address, Balance, BlockHeader, ExecStatus, Hash, SignedTransaction, SigningKey,
    Transaction, VerifiedTx, decode_exact,
};
use weft_state::SharedStore;
use weft_vm::Vm;

use weft_chain::{
    Chain, ChainError, ChainReader, ChainSnapshot, Executor, Genesis, MAX_TX_BYTES, Produced, TxRejection,
};

use crate::error::NodeError;
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
    /// By a consensus engine, through [`NodeHandle::propose`], [`NodeHandle::verify`] and
    /// [`NodeHandle::commit_finalized`]: a validator of a network. Devnet controls are refused.
    Consensus,
}

impl std::fmt::Display for MiningMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Instant => write!(f, "instant (a block per transaction)"),
            Self::Interval(every) => write!(f, "interval (a block every {}s)", every.as_secs_f64()),
            Self::Manual => write!(f, "manual"),
            Self::Consensus => write!(f, "by consensus (a validator)"),
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
    /// Keep the call traces of this many latest blocks (older ones are pruned as blocks commit).
    pub trace_blocks: u64,
}

/// How many latest blocks' traces a node keeps unless told otherwise.
pub const DEFAULT_TRACE_BLOCKS: u64 = 10_000;

impl NodeConfig {
    /// The devnet: [`Genesis::dev`], instant mining, default pool bounds, the traces of the
    /// latest [`DEFAULT_TRACE_BLOCKS`] blocks.
    pub fn dev() -> Self {
        Self {
            genesis: Genesis::dev(),
            mining: MiningMode::Instant,
            mempool: MempoolLimits::default(),
            trace_blocks: DEFAULT_TRACE_BLOCKS,
        }
    }
}

pub(crate) struct Inner {
    pub(crate) chain: Chain,
    pub(crate) mempool: Mempool,
    clock: DevClock,
    /// Each with the clock as it was.
    snapshots: Vec<(ChainSnapshot, DevClock)>,
    /// Why block production stopped, once a block could not be committed.
    pub(crate) halted: Option<String>,
}

/// The devnet's clock: wall time moved forward by `offset` seconds, or a timestamp fixed for the
/// next block.
#[derive(Debug, Default, Clone)]
struct DevClock {
    offset: u64,
    next: Option<u64>,
}

impl DevClock {
    /// The timestamp the next block gets.
    fn peek(&self) -> u64 {
        self.next.unwrap_or_else(|| now().saturating_add(self.offset))
    }

    /// The next block's timestamp, used up.
    fn take(&mut self) -> u64 {
        let timestamp = self.peek();
        self.next = None;
        timestamp
    }
}

/// Why a devnet control was refused.
#[derive(Debug, Error)]
pub enum DevError {
    /// A block cannot be older than its parent.
    #[error("timestamp {requested} is before the head's ({head})")]
    TimestampInPast {
        /// The timestamp asked for.
        requested: u64,
        /// The head's timestamp.
        head: u64,
    },
    /// No snapshot has this id (never taken, or already reverted to).
    #[error("no snapshot {0}")]
    UnknownSnapshot(u64),
    /// The node holds as many snapshots as it keeps: revert to one (which drops it and every
    /// later one) before taking another.
    #[error("{0} snapshots are held, the most the node keeps: revert to one first")]
    TooManySnapshots(usize),
    /// The chain is larger than a snapshot may copy.
    #[error("the chain's store holds more than the {limit} bytes a snapshot may copy")]
    SnapshotTooLarge {
        /// The bound, in bytes.
        limit: usize,
    },
    /// The node failed.
    #[error(transparent)]
    Fault(#[from] NodeError),
}

impl From<ChainError> for DevError {
    fn from(error: ChainError) -> Self {
        Self::Fault(error.into())
    }
}

/// The most devnet snapshots held at once.
pub const MAX_SNAPSHOTS: usize = 16;

/// The most bytes of store one devnet snapshot may copy (keys and values).
pub const MAX_SNAPSHOT_BYTES: usize = 256 << 20;

/// A running node. Cheap to clone; every clone is the same node.
#[derive(Clone)]
pub struct NodeHandle {
    inner: Arc<Mutex<Inner>>,
    /// The head, readable without the chain's lock (written under it, after each commit).
    head: Arc<RwLock<BlockHeader>>,
    pub(crate) blocks: broadcast::Sender<Arc<Produced>>,
    pending: broadcast::Sender<Hash>,
    /// Transactions this node's own clients submitted, as the pool admits them (for gossip).
    admitted: broadcast::Sender<Arc<SignedTransaction>>,
    mining: MiningMode,
    /// The chain's executor, for the stateless checks of a submission outside the lock.
    executor: Executor,
}

impl std::fmt::Debug for NodeHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NodeHandle")
            .field("chain_id", &self.executor.chain_id())
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
        let mut chain = Chain::open(store, vm, config.genesis)?;
        chain.keep_traces(config.trace_blocks);
        let executor = chain.executor().clone();
        let head = Arc::new(RwLock::new(chain.head().clone()));
        let (blocks, _) = broadcast::channel(256);
        let (pending, _) = broadcast::channel(1024);
        let (admitted, _) = broadcast::channel(1024);
        Ok(Self {
            inner: Arc::new(Mutex::new(Inner {
                chain,
                mempool: Mempool::new(config.mempool),
                clock: DevClock::default(),
                snapshots: Vec::new(),
                halted: None,
            })),
            head,
            blocks,
            pending,
            admitted,
            mining: config.mining,
            executor,
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The chain id.
    pub fn chain_id(&self) -> u64 {
        self.executor.chain_id()
    }

    /// The mining mode.
    pub fn mining(&self) -> MiningMode {
        self.mining
    }

    /// The head block's header (without waiting for the miner).
    pub fn head(&self) -> BlockHeader {
        self.head.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Publishes `head` for [`NodeHandle::head`]; called with the chain's lock held.
    pub(crate) fn publish_head(&self, head: &BlockHeader) {
        *self.head.write().unwrap_or_else(PoisonError::into_inner) = head.clone();
    }

    /// A reader pinned at the head: its reads and dry runs hold no lock, so they neither wait for
    /// the miner nor make it wait, and they see this head whatever is committed meanwhile.
    pub fn reader(&self) -> Result<ChainReader, NodeError> {
        Ok(self.lock().chain.pinned()?)
    }

    /// Runs `f` on the chain under its lock (for short reads; long ones go through
    /// [`NodeHandle::reader`]).
    pub fn with_chain<R>(&self, f: impl FnOnce(&Chain) -> R) -> R {
        f(&self.lock().chain)
    }

    /// New blocks with their receipts, as they are committed.
    pub fn subscribe_blocks(&self) -> broadcast::Receiver<Arc<Produced>> {
        self.blocks.subscribe()
    }

    /// Hashes of transactions as the pool admits them.
    pub fn subscribe_pending(&self) -> broadcast::Receiver<Hash> {
        self.pending.subscribe()
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

    /// Transactions this node's own clients submit, as the pool admits them: what a validator
    /// gossips to its peers (those it receives from peers, [`NodeHandle::submit_gossiped`], are
    /// not repeated here).
    pub fn subscribe_admitted(&self) -> broadcast::Receiver<Arc<SignedTransaction>> {
        self.admitted.subscribe()
    }

    /// Checks `tx` and admits it to the pool; in instant mode, mines it (and anything else ready)
    /// at once.
    pub fn submit(&self, tx: SignedTransaction) -> Result<Hash, SubmitError> {
        let gossip = (self.admitted.receiver_count() > 0).then(|| Arc::new(tx.clone()));
        let hash = self.admit(tx)?;
        if let Some(tx) = gossip {
            // Nobody listening is fine.
            let _ = self.admitted.send(tx);
        }
        Ok(hash)
    }

    /// [`NodeHandle::submit`] of a transaction a peer gossiped: checked the same way, not
    /// gossiped again.
    pub fn submit_gossiped(&self, tx: SignedTransaction) -> Result<Hash, SubmitError> {
        self.admit(tx)
    }

    fn admit(&self, tx: SignedTransaction) -> Result<Hash, SubmitError> {
        // The signature check, the costly part, runs before the lock: submissions check in
        // parallel. It is the only one: the pool and the block take the verified form.
        let tx = self.executor.verify(tx).map_err(|refused| refused.1)?;
        self.executor.check_stateless(&tx)?;
        if matches!(
            tx.signed().tx.action,
            Action::Deploy { .. } | Action::Upload { .. }
        ) {
            // A deploy's or upload's code compiles outside the lock (a large module takes seconds in a debug
            // build), once its sender is known to pay; its execution then finds it in the cache.
            check_funds(&self.lock().chain, &tx)?;
            self.executor.precompile(&tx)?;
        }
        let hash = {
            let mut inner = self.lock();
            let Inner { chain, mempool, .. } = &mut *inner;
            let (sender, account) = (tx.sender(), check_funds(chain, &tx)?);
            let state = chain.state();
            mempool.insert(tx, |address| {
                if *address == sender {
                    account.nonce
                } else {
                    state.account(address).map_or(0, |a| a.nonce)
                }
            })?
        };
        // Nobody listening is fine.
        let _ = self.pending.send(hash);
        if self.mining == MiningMode::Instant {
            // Blocks until nothing ready is left over (a full block defers the rest).
            while !self.mine()?.deferred.is_empty() {}
        }
        Ok(hash)
    }

    /// A reader pinned at the head and the timestamp the next block gets: what simulations
    /// ([`ChainReader::simulate`], [`ChainReader::estimate_gas`]) run against, with no lock held.
    pub fn simulator(&self) -> Result<(ChainReader, u64), NodeError> {
        let inner = self.lock();
        Ok((inner.chain.pinned()?, inner.clock.peek()))
    }

    /// Signs a transaction from `key`'s account with its next free nonce (after the ones waiting
    /// in the pool) and submits it: the devnet's `weft_sendTransaction`.
    pub fn sign_and_submit(
        &self,
        key: &SigningKey,
        build: impl FnOnce(u64) -> Transaction,
    ) -> Result<Hash, SubmitError> {
        let tx = {
            let inner = self.lock();
            let sender = Address::from_public_key(&Transaction::signer_of(key));
            build(Self::next_free_nonce(&inner, &sender)?).sign(key)
        };
        self.submit(tx)
    }

    /// The nonce a new transaction from `sender` takes: after its transactions in the pool.
    pub fn pending_nonce(&self, sender: &Address) -> Result<u64, NodeError> {
        Self::next_free_nonce(&self.lock(), sender)
    }

    fn next_free_nonce(inner: &Inner, sender: &Address) -> Result<u64, NodeError> {
        let next = inner.chain.state().account(sender)?.nonce;
        Ok(inner.mempool.next_free_nonce(sender, next))
    }

    /// Produces one block with the ready transactions (possibly none) at the current time.
    pub fn mine(&self) -> Result<Arc<Produced>, NodeError> {
        let produced = {
            let mut inner = self.lock();
            let Inner {
                chain,
                mempool,
                clock,
                halted,
                ..
            } = &mut *inner;
            if let Some(why) = halted {
                return Err(NodeError::Halted(why.clone()));
            }
            let state = chain.state();
            let next_nonce = |sender: &_| state.account(sender).map_or(0, |a| a.nonce);
            let ready = mempool.ready(next_nonce, usize::MAX);
            let built = chain
                .build_verified(ready, clock.take())
                .and_then(|pending| chain.commit(pending));
            self.committed(chain, mempool, halted, built)?
        };
        Ok(self.announce(produced))
    }

    /// After a block's commit: on success the head is published and the pool loses what the
    /// block included or turned away; a failed commit halts block production.
    pub(crate) fn committed(
        &self,
        chain: &Chain,
        mempool: &mut Mempool,
        halted: &mut Option<String>,
        built: Result<Produced, ChainError>,
    ) -> Result<Produced, NodeError> {
        let produced = match built {
            Ok(produced) => produced,
            Err(fault) => {
                let why = format!(
                    "block {} could not be committed: {fault}",
                    chain.head().height + 1
                );
                tracing::error!("{why}; block production stops (reads are still served)");
                *halted = Some(why.clone());
                return Err(NodeError::Halted(why));
            }
        };
        self.publish_head(chain.head());
        let evicted = produced.rejected.iter().map(|(tx, _)| tx);
        for tx in evicted.chain(produced.faulted.iter().map(|(tx, _)| tx)) {
            mempool.remove(&tx.hash());
        }
        let state = chain.state();
        mempool.prune(|sender| state.account(sender).map_or(0, |a| a.nonce));
        Ok(produced)
    }

    /// Logs a committed block and sends it to the subscribers, outside the lock.
    pub(crate) fn announce(&self, produced: Produced) -> Arc<Produced> {
        log_block(&produced);
        let produced = Arc::new(produced);
        // Nobody listening is fine.
        let _ = self.blocks.send(produced.clone());
        produced
    }

    /// Produces a block every `every` (the first one `every` from now) until the returned task is
    /// aborted: the loop behind [`MiningMode::Interval`]. Needs a Tokio runtime; a block that
    /// cannot be produced is logged and the next tick tries again.
    pub fn mine_every(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let node = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.tick().await;
            loop {
                ticks.tick().await;
                let miner = node.clone();
                match tokio::task::spawn_blocking(move || miner.mine()).await {
                    Ok(Ok(_)) => {}
                    Ok(Err(fault)) => tracing::error!("cannot produce a block: {fault}"),
                    Err(panic) => tracing::error!("the miner panicked: {panic}"),
                }
            }
        })
    }
}

/// Devnet controls: time travel, snapshots and state overrides.
impl NodeHandle {
    /// Moves the clock forward by `seconds` for every later block; returns the total shift.
    pub fn increase_time(&self, seconds: u64) -> u64 {
        let mut inner = self.lock();
        inner.clock.offset = inner.clock.offset.saturating_add(seconds);
        inner.clock.offset
    }

    /// Gives the next block `timestamp` (not before the head's); the clock runs on from there.
    pub fn set_next_block_timestamp(&self, timestamp: u64) -> Result<(), DevError> {
        let mut inner = self.lock();
        let head = inner.chain.head().timestamp;
        if timestamp < head {
            return Err(DevError::TimestampInPast {
                requested: timestamp,
                head,
            });
        }
        inner.clock.offset = inner.clock.offset.max(timestamp.saturating_sub(now()));
        inner.clock.next = Some(timestamp);
        Ok(())
    }

    /// Records the whole chain as it is now; returns the id [`NodeHandle::revert`] takes. At most
    /// [`MAX_SNAPSHOTS`] are held, each a copy of at most [`MAX_SNAPSHOT_BYTES`].
    pub fn snapshot(&self) -> Result<u64, DevError> {
        let mut inner = self.lock();
        if inner.snapshots.len() >= MAX_SNAPSHOTS {
            return Err(DevError::TooManySnapshots(MAX_SNAPSHOTS));
        }
        let snapshot = inner
            .chain
            .snapshot(MAX_SNAPSHOT_BYTES)?
            .ok_or(DevError::SnapshotTooLarge {
                limit: MAX_SNAPSHOT_BYTES,
            })?;
        let clock = inner.clock.clone();
        inner.snapshots.push((snapshot, clock));
        Ok(inner.snapshots.len() as u64 - 1)
    }

    /// Returns the chain to snapshot `id`: blocks, receipts and state written since are gone, the
    /// clock is as it was (`increaseTime` since undone), the pool is emptied, and that snapshot
    /// and every later one are used up.
    pub fn revert(&self, id: u64) -> Result<BlockHeader, DevError> {
        let mut inner = self.lock();
        let index = usize::try_from(id).map_err(|_| DevError::UnknownSnapshot(id))?;
        if index >= inner.snapshots.len() {
            return Err(DevError::UnknownSnapshot(id));
        }
        let (snapshot, clock) = inner.snapshots.swap_remove(index);
        inner.snapshots.truncate(index);
        inner.chain.revert(&snapshot)?;
        inner.clock = clock;
        self.publish_head(inner.chain.head());
        let limits = inner.mempool.limits();
        inner.mempool = Mempool::new(limits);
        Ok(snapshot.head().clone())
    }

    /// Sets the balance of `address` (outside any block; the next block's state root has it).
    pub fn set_balance(&self, address: Address, balance: Balance) -> Result<(), NodeError> {
        Ok(self.lock().chain.override_state(|world| {
            let mut account = world.account(&address)?;
            account.balance = balance;
            world.set_account(&address, &account);
            Ok(())
        })?)
    }

    /// Sets (or with `None`, removes) storage `key` of the contract at `address`.
    pub fn set_storage(&self, address: Address, key: &[u8], value: Option<Vec<u8>>) -> Result<(), NodeError> {
        Ok(self.lock().chain.override_state(|world| {
            match value {
                Some(value) => world.set_storage(&address, key, value),
                None => world.remove_storage(&address, key),
            }
            Ok(())
        })?)
    }
}

/// The sender's account at the head, if it can pay the most `tx` may cost.
fn check_funds(chain: &Chain, tx: &VerifiedTx) -> Result<Account, SubmitError> {
    let account = chain.state().account(&tx.sender()).map_err(NodeError::from)?;
    let required = Executor::max_cost(tx.signed())?;
    if account.balance < required {
        return Err(TxRejection::InsufficientBalance {
            balance: account.balance,
            required,
        }
        .into());
    }
    Ok(account)
}

/// Revert data for a log line: as quoted text when it is printable UTF-8 (the SDK's `require`
/// and panics revert with text), else as hex.
fn revert_reason(data: &[u8]) -> String {
    match std::str::from_utf8(data) {
        Ok(text) if !text.is_empty() && !text.chars().any(char::is_control) => format!("{text:?}"),
        _ => format!("0x{}", hex::encode(data)),
    }
}

/// One log line per transaction and one per block.
fn log_block(produced: &Produced) {
    let executed = produced.receipts.iter().zip(&produced.traces);
    for (tx, (receipt, trace)) in produced.block.transactions.iter().zip(executed) {
        let kind = tx.tx.action.kind();
        let status = match &receipt.status {
            ExecStatus::Success => "success".to_string(),
            ExecStatus::Revert => format!("revert {}", revert_reason(&receipt.return_data)),
            ExecStatus::OutOfGas => "out of gas".to_string(),
            ExecStatus::Trap { kind } => format!("trap {}", trace.describe_trap(*kind)),
        };
        let created = receipt
            .contract_address
            .map(|a| a.to_string())
            .unwrap_or_default();
        tracing::info!(tx = %receipt.tx_hash, kind, created, gas_used = receipt.gas_used, status, "transaction");
        for line in &trace.logs {
            tracing::debug!(tx = %receipt.tx_hash, "contract log: {line}");
        }
    }
    for (tx, why) in &produced.rejected {
        tracing::warn!(tx = %tx.hash(), "left out of the block: {why}");
    }
    for (tx, fault) in &produced.faulted {
        tracing::error!(tx = %tx.hash(), "evicted: its execution met a node fault: {fault}");
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

#[cfg(test)]
mod tests {
    use super::revert_reason;

    #[test]
    fn revert_reasons_are_quoted_text_or_hex() {
        assert_eq!(revert_reason(b"insufficient balance"), "\"insufficient balance\"");
        assert_eq!(revert_reason(&[0xff, 0x00]), "0xff00");
        assert_eq!(revert_reason(b"a\nb"), "0x610a62");
        assert_eq!(revert_reason(b""), "0x");
    }
}
