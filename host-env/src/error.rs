//! Deterministic host-call failures: each ends the call as a result, never as a node fault.

use thiserror::Error;

/// Why a host function stopped the contract. All of these are deterministic outcomes.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HostError {
    /// The gas counter went below zero.
    #[error("out of gas")]
    OutOfGas,
    /// A `(pointer, length)` pair outside linear memory, or whose end overflows.
    #[error("memory access out of bounds: pointer {ptr}, length {len}")]
    MemoryOutOfBounds {
        /// The guest pointer.
        ptr: u32,
        /// The length.
        len: u32,
    },
    /// `read_register` of a register that holds nothing.
    #[error("register {0} is empty")]
    EmptyRegister(u32),
    /// A value larger than the ABI allows.
    #[error("{what} of {len} bytes exceeds the limit of {limit}")]
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// Its length.
        len: u64,
        /// The limit.
        limit: u64,
    },
    /// The contract called `revert`: its state changes are undone and the data goes to the caller.
    #[error("reverted")]
    Revert(Vec<u8>),
    /// The contract called `abort` (e.g. from its panic handler).
    #[error("aborted: {0}")]
    Abort(String),
}
