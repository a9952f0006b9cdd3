//! Errors of the VM: deploy refusals and node faults.

use thiserror::Error;
use weft_gas::PrepareError;
use weft_primitives::Hash;
use weft_state::StoreError;

/// Why a contract cannot be deployed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DeployError {
    /// The module fails the feature policy or the limits.
    #[error(transparent)]
    Prepare(#[from] PrepareError),
    /// Singlepass refused (or panicked on) the prepared module.
    #[error("compilation failed: {0}")]
    Compile(String),
}

/// A node fault: a bug or an environment failure, never a contract's doing. It never goes on chain.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VmFault {
    /// Instantiation failed for a reason other than a trap (e.g. a CPU feature missing).
    #[error("cannot instantiate the contract: {0}")]
    Instantiate(String),
    /// The instrumented module lacks a global that instrumentation adds.
    #[error("instrumented module has no `{0}` global")]
    MissingGlobal(&'static str),
    /// A storage fault while running a call.
    #[error("storage fault: {0}")]
    Store(#[from] StoreError),
    /// The world state was asked for while a nested call holds it (a bug in the engine).
    #[error("the world state is lent to a nested call")]
    WorldLent,
    /// An account names code that the state does not hold: the state is corrupt.
    #[error("the state has no code for code hash {0}")]
    MissingCode(Hash),
}
