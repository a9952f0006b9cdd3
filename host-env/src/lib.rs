//! The host-function ABI of Weft contracts (module `env`), independent of the wasm engine.
//!
//! [`HOST_FUNCTIONS`] is the one table of what a contract may import: `weft-gas` checks imports
//! against it at deploy, and `weft-vm` binds each entry to its implementation here. Every
//! implementation takes a [`HostContext`] (guest memory, the gas counter and this call's
//! [`HostState`]), charges gas *before* doing any work, and checks every guest `(pointer, length)`
//! pair for overflow and bounds: a bad one is a deterministic [`HostError`] (a trap), never a panic.
//! Variable-length results go into host-side registers that the contract copies out with
//! [`read_register`]; the host never calls back into the guest.
//!
//! This is the first slice of the ABI (input and output, registers, logging, gas); storage,
//! context, value, events, crypto and cross-contract calls follow. `docs/ABI.md` documents each
//! function with its gas cost.

mod error;
mod functions;

pub use error::HostError;
pub use functions::{
    HOST_FUNCTIONS, HostContext, HostState, MAX_REGISTER_BYTES, abort, debug_log, gas_left, input,
    read_register, register_len, return_data, revert,
};
