//! Why a host function stopped the contract.

use thiserror::Error;
use weft_state::StoreError;

/// Why a host function stopped the contract. Every variant but [`HostError::Fault`] is a
/// deterministic outcome of the contract's own doing.
#[derive(Debug, Error)]
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
    /// A value larger than the ABI or the schedule allows.
    #[error("{what} ({len}) exceeds the limit of {limit}")]
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// Its length.
        len: u64,
        /// The limit.
        limit: u64,
    },
    /// An argument that is not what the function takes (e.g. an entry-point name that is not UTF-8).
    #[error("invalid argument: {0}")]
    InvalidArgument(&'static str),
    /// The contract called `revert`: its state changes are undone and the data goes to the caller.
    #[error("reverted")]
    Revert(Vec<u8>),
    /// The contract called `abort` (e.g. from its panic handler).
    #[error("aborted: {0}")]
    Abort(String),
    /// A node fault met while serving the call (storage I/O, corrupt data): never a contract
    /// result; the engine reports it as an error and nothing of the call is kept.
    #[error("node fault: {0}")]
    Fault(HostFault),
}

/// A node fault met by a host function, typed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HostFault {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The world state was asked for while a nested call holds it (a bug in the engine).
    #[error("the world state is lent to a nested call")]
    WorldLent,
    /// A nested call met an engine fault; the engine keeps the fault itself.
    #[error("a nested call met an engine fault")]
    Nested,
}

impl HostError {
    /// [`HostError::TooLarge`] if `len` is over `limit`.
    pub fn check_limit(what: &'static str, len: u64, limit: u64) -> Result<(), Self> {
        if len > limit {
            return Err(Self::TooLarge { what, len, limit });
        }
        Ok(())
    }
}

impl From<StoreError> for HostError {
    fn from(error: StoreError) -> Self {
        Self::Fault(HostFault::Store(error))
    }
}
