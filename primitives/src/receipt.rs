//! Receipts, execution statuses and events.
//!
//! A [`Receipt`] is consensus data: it is hashed into the block's `receipt_root`, so it holds only
//! typed results that are the same on every machine and every engine version (a status with a
//! [`TrapKind`], return or revert data, gas, events). What is written for people (a trap's message
//! and function, `debug_log` lines, the call tree) goes into the [`Trace`](crate::Trace) kept
//! beside it, which nothing hashes.

use parity_scale_codec::{Decode, Encode};

use crate::Gas;
use crate::bytes::{Address, Hash};
use crate::hash::keccak256;

/// The most topics an [`Event`] may carry.
pub const MAX_EVENT_TOPICS: usize = 4;

/// An event emitted by a contract.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct Event {
    /// The emitting contract.
    pub address: Address,
    /// Up to [`MAX_EVENT_TOPICS`] indexed topics.
    pub topics: Vec<Hash>,
    /// Unindexed payload.
    pub data: Vec<u8>,
}

impl Event {
    /// Bytes of its topics (32 each) and data: what the run-time limits on events count.
    pub fn counted_bytes(&self) -> usize {
        self.topics.len() * 32 + self.data.len()
    }
}

/// Why wasm execution trapped. Deterministic: the same code and input trap with the same kind on
/// every node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
pub enum TrapKind {
    /// An `unreachable` instruction.
    #[codec(index = 0)]
    Unreachable,
    /// A load or store outside linear memory.
    #[codec(index = 1)]
    MemoryOutOfBounds,
    /// A table access outside the table.
    #[codec(index = 2)]
    TableOutOfBounds,
    /// `call_indirect` to an empty table slot.
    #[codec(index = 3)]
    IndirectCallToNull,
    /// `call_indirect` to a function of another type.
    #[codec(index = 4)]
    BadSignature,
    /// Signed integer overflow (`i32.div_s` of `MIN / -1`).
    #[codec(index = 5)]
    IntegerOverflow,
    /// Integer division or remainder by zero.
    #[codec(index = 6)]
    IntegerDivisionByZero,
    /// A float-to-int conversion out of range or of NaN.
    #[codec(index = 7)]
    BadConversionToInteger,
    /// The deterministic stack-height limit was exceeded.
    #[codec(index = 8)]
    StackOverflow,
    /// A host function refused its arguments (bad pointer, oversized key, ...).
    #[codec(index = 9)]
    HostError,
    /// The contract aborted (e.g. a panic) with a message.
    #[codec(index = 10)]
    Abort,
    /// The call-depth limit for cross-contract calls was exceeded.
    #[codec(index = 11)]
    CallDepthExceeded,
}

/// How a transaction's execution ended. Every variant is a *result* that goes into a receipt; node
/// faults never do. Typed data only: the words of a trap are in its [`Trace`].
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub enum ExecStatus {
    /// Completed; state changes kept.
    #[codec(index = 0)]
    Success,
    /// The contract reverted; state changes undone, revert data in [`Receipt::return_data`].
    #[codec(index = 1)]
    Revert,
    /// Ran out of gas; state changes undone, all gas charged.
    #[codec(index = 2)]
    OutOfGas,
    /// Trapped; state changes undone. The trace says where and why in words.
    #[codec(index = 3)]
    Trap {
        /// What went wrong.
        kind: TrapKind,
    },
}

/// The outcome of one transaction in a block.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct Receipt {
    /// The transaction.
    pub tx_hash: Hash,
    /// How execution ended.
    pub status: ExecStatus,
    /// Gas charged.
    pub gas_used: Gas,
    /// Return data on success, revert data on revert, empty otherwise.
    pub return_data: Vec<u8>,
    /// Events emitted (empty unless the status is [`ExecStatus::Success`]).
    pub events: Vec<Event>,
    /// The block-wide log index of `events[0]`: the number of events of the block's earlier
    /// receipts. Event `i` of this receipt has log index `first_log_index + i`.
    pub first_log_index: u32,
    /// The new contract's address, for a successful deploy.
    pub contract_address: Option<Address>,
}

impl Receipt {
    /// `keccak256(SCALE(receipt))`.
    pub fn hash(&self) -> Hash {
        keccak256(&self.encode())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode_exact;

    #[test]
    fn receipt_round_trip() {
        let receipt = Receipt {
            tx_hash: Hash([1; 32]),
            status: ExecStatus::Trap {
                kind: TrapKind::MemoryOutOfBounds,
            },
            gas_used: 1234,
            return_data: vec![],
            events: vec![Event {
                address: Address([2; 32]),
                topics: vec![Hash([3; 32])],
                data: vec![4, 5],
            }],
            contract_address: None,
            first_log_index: 0,
        };
        let bytes = receipt.encode();
        assert_eq!(decode_exact::<Receipt>("receipt", &bytes).unwrap(), receipt);
        // Byte-for-byte stable: same value, same bytes, same hash.
        assert_eq!(receipt.clone().encode(), bytes);
        assert_eq!(receipt.hash(), keccak256(&bytes));
        // An unknown trap kind is a decode error.
        let mut bad = ExecStatus::Trap {
            kind: TrapKind::Abort,
        }
        .encode();
        bad[1] = 200;
        assert!(decode_exact::<ExecStatus>("status", &bad).is_err());
    }
}
