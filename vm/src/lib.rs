//! Weft's execution engine: contracts prepared by `weft-gas` are compiled by Wasmer's single-pass
//! compiler and run against the host functions of `weft-host`.
//!
//! - [`Vm::compile`] validates, instruments and compiles; modules are kept in an in-memory LRU
//!   (bounded by count and bytes, with [`CacheStats`]) and, when the VM has an artifact store,
//!   persisted in [`weft_state::Column::Artifacts`] keyed by (code hash, schedule hash, engine id)
//!   with an integrity check, so a restart loads instead of recompiling.
//! - [`Vm::instantiate`] deploys code at an address and runs its optional `deploy` constructor;
//!   [`Vm::call`] runs an entry point as the outermost frame of a transaction. Each frame is a
//!   fresh instance over the caller's [`World`](weft_host::World) overlay, with a checkpoint that
//!   is reverted unless the frame succeeds; nested calls from the `call` host function run
//!   through the same frame logic.
//! - Every deterministic failure of a contract is an [`Outcome`] status (revert, out of gas, trap
//!   with its kind and function name); only node faults are `Err` ([`VmFault`]).

mod artifact;
mod cache;
mod compiled;
mod engine;
mod error;
mod frame;
mod host;
mod lifecycle;
mod outcome;
mod shared;

pub use cache::{CacheConfig, CacheStats};
pub use compiled::{CONSTRUCTOR, CompiledContract, MIGRATE};
pub use engine::Vm;
pub use error::{DeployError, VmFault};
pub use outcome::Outcome;
pub use weft_host::{BlockContext, CallRequest, Frame, MAX_REGISTER_BYTES, World};
