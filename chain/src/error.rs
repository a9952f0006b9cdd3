//! The chain's errors: rejected transactions (typed, for the RPC layer and the test harness) and
//! chain faults.

use thiserror::Error;
use weft_primitives::{Balance, Gas, Hash, TxError};
use weft_state::StoreError;
use weft_vm::{DeployError, VmFault};

/// Why a transaction is not accepted, by the chain (stateless and account checks) or by a pool
/// (duplicates, bounds). Nothing of a rejected transaction touches state.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TxRejection {
    /// Its encoding is larger than the node accepts.
    #[error("transaction of {size} bytes exceeds the limit of {limit}")]
    TooLarge {
        /// Its encoded size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Its call input (a call's arguments, a deploy's constructor arguments) is larger than a
    /// register holds: the contract could never read it.
    #[error("call input of {size} bytes exceeds the limit of {limit} (what a register holds)")]
    InputTooLarge {
        /// The input's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A deploy whose code cannot be deployed (not wasm, outside the policy or the limits): the
    /// error its deploy would trap with.
    #[error("the deployed code is refused: {0}")]
    InvalidCode(DeployError),
    /// Its bytes are not a SCALE `SignedTransaction`.
    #[error("malformed transaction: {0}")]
    Malformed(String),
    /// Wrong chain id or a bad signature.
    #[error(transparent)]
    Invalid(#[from] TxError),
    /// Its nonce was already used.
    #[error("nonce too low: the account's next nonce is {expected}, the transaction has {got}")]
    NonceTooLow {
        /// The account's next nonce.
        expected: u64,
        /// The transaction's.
        got: u64,
    },
    /// Its nonce is too far ahead of the account's to be queued.
    #[error(
        "nonce too high: the account's next nonce is {expected}, the transaction has {got} (at most {max_ahead} ahead are queued)"
    )]
    NonceTooHigh {
        /// The account's next nonce.
        expected: u64,
        /// The transaction's.
        got: u64,
        /// How far ahead the pool queues.
        max_ahead: u64,
    },
    /// Its gas limit does not cover the intrinsic cost (base + per byte).
    #[error("gas limit {limit} is below the intrinsic cost {required}")]
    IntrinsicGas {
        /// The transaction's gas limit.
        limit: Gas,
        /// The intrinsic cost.
        required: Gas,
    },
    /// Its gas limit is above the block gas limit: it could never be included.
    #[error("gas limit {limit} exceeds the block gas limit {block_limit}")]
    GasLimitAboveBlock {
        /// The transaction's gas limit.
        limit: Gas,
        /// The block's.
        block_limit: Gas,
    },
    /// The sender cannot pay value + gas limit × gas price.
    #[error("insufficient balance: {balance} available, {required} required (value + gas limit × gas price)")]
    InsufficientBalance {
        /// The sender's balance.
        balance: Balance,
        /// What the transaction may cost.
        required: Balance,
    },
    /// value + gas limit × gas price overflows.
    #[error("value + gas limit × gas price overflows")]
    CostOverflow,
    /// The same transaction is already in the pool.
    #[error("transaction {0} is already known")]
    Duplicate(Hash),
    /// Another transaction with the same sender and nonce is in the pool.
    #[error("another transaction with nonce {0} from this sender is pending")]
    NonceTaken(u64),
    /// The pool is full.
    #[error("the transaction pool is full ({0} transactions)")]
    PoolFull(usize),
}

impl TxRejection {
    /// A stable snake_case name for the reason, as served in RPC errors' `data`.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "too_large",
            Self::InputTooLarge { .. } => "input_too_large",
            Self::InvalidCode(_) => "invalid_code",
            Self::Malformed(_) => "malformed",
            Self::Invalid(TxError::WrongChainId { .. }) => "wrong_chain_id",
            Self::Invalid(TxError::InvalidPublicKey) => "invalid_public_key",
            Self::Invalid(TxError::BadSignature) => "bad_signature",
            Self::NonceTooLow { .. } => "nonce_too_low",
            Self::NonceTooHigh { .. } => "nonce_too_high",
            Self::IntrinsicGas { .. } => "intrinsic_gas",
            Self::GasLimitAboveBlock { .. } => "gas_limit_above_block",
            Self::InsufficientBalance { .. } => "insufficient_balance",
            Self::CostOverflow => "cost_overflow",
            Self::Duplicate(_) => "duplicate",
            Self::NonceTaken(_) => "nonce_taken",
            Self::PoolFull(_) => "pool_full",
        }
    }
}

/// A chain fault: storage, a VM fault, a bad configuration, corrupt or diverging chain data.
/// Never a transaction's doing.
#[derive(Debug, Error)]
pub enum ChainError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The VM hit a node fault.
    #[error(transparent)]
    Vm(#[from] VmFault),
    /// The genesis configuration is invalid.
    #[error("invalid genesis: {0}")]
    Genesis(String),
    /// The data directory holds a chain with another genesis.
    #[error(
        "the data directory holds a chain with genesis {stored}, not {configured}: use another --data-dir"
    )]
    GenesisMismatch {
        /// The stored genesis hash.
        stored: Hash,
        /// The configured one.
        configured: Hash,
    },
    /// Stored chain data is not what this version of Weft wrote.
    #[error("corrupt chain data: {0}")]
    Corrupt(String),
    /// A pending block was executed on another head or state than the chain's now: execute it
    /// again.
    #[error("block {height} was executed on another head or state (the head is now {head})")]
    NotOnHead {
        /// The pending block's height.
        height: u64,
        /// The head's height now.
        head: u64,
    },
    /// A replayed block did not reproduce.
    #[error("replay diverged at block {height}: {what}")]
    ReplayDiverged {
        /// The block.
        height: u64,
        /// What differs.
        what: String,
    },
}

/// Why a proposed block is invalid: the proposer's doing, never a fault of this node. Typed, so
/// that every node's verdict on a block is the same data.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidBlock {
    /// It does not extend the head (height or parent hash).
    #[error("block {height} does not extend the head (height {head})")]
    NotOnHead {
        /// Its height.
        height: u64,
        /// The head's.
        head: u64,
    },
    /// Its timestamp is before its parent's.
    #[error("timestamp {timestamp} is before the parent's ({parent})")]
    TimestampBeforeParent {
        /// Its timestamp.
        timestamp: u64,
        /// The parent's.
        parent: u64,
    },
    /// One of its transactions is rejected by the checks.
    #[error("transaction {tx} is rejected: {rejection}")]
    Rejected {
        /// The transaction.
        tx: Hash,
        /// Why.
        rejection: TxRejection,
    },
    /// Its transactions' gas limits do not fit its gas limit from this one on.
    #[error("transaction {tx} does not fit the block gas limit")]
    OverGasLimit {
        /// The first that does not fit.
        tx: Hash,
    },
    /// Execution gives another header.
    #[error("its {field} is not the one execution gives")]
    HeaderMismatch {
        /// The first header field that differs.
        field: &'static str,
    },
}
