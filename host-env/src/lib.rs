//! The host-function ABI of Weft contracts (module `env`), independent of the wasm engine.
//!
//! [`for_each_host_function!`] declares the ABI once; [`HOST_FUNCTIONS`] is the table expanded
//! from it: `weft-gas` checks imports against it at deploy, and `weft-vm` binds each entry to its
//! implementation here through the same declaration. Every
//! implementation takes a [`HostContext`] (guest memory, the gas counter, this call's
//! [`HostState`] and a way to run nested calls), checks sizes against the limits, charges gas
//! *before* doing the work, and checks every guest `(pointer, length)` pair for overflow and
//! bounds: a bad one is a deterministic [`HostError`] (a trap), never a panic. Variable-length
//! results go into host-side registers that the contract copies out with [`read_register`]; the
//! host never calls back into the guest.
//!
//! Groups: input and output (registers, return data, revert, abort, debug log), storage (through
//! the call's [`World`] overlay), context (caller, self, origin, block, value, balances, gas),
//! value transfers, events, crypto (keccak256, sha256, ed25519, secp256k1), synchronous
//! cross-contract calls, and the contract lifecycle (`create` from stored code, `upgrade`). `docs/ABI.md` documents each function with its gas cost.

mod context;
mod error;
mod functions;
mod table;

pub use context::{
    BlockContext, CallRequest, CallResult, CallStatus, DeployRequest, Frame, HostContext, HostState, World,
};
pub use error::{HostError, HostFault};
pub use functions::*;
pub use table::{HOST_FUNCTIONS, HOST_SIGNATURES, HostSignature};
