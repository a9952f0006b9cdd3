//! Weft's execution engine: contracts prepared by `weft-gas` are compiled by Wasmer's single-pass
//! compiler and run against the host functions of `weft-host`.
//!
//! [`Vm::deploy`] validates, instruments and compiles; [`Vm::execute`] runs one entry point in a
//! fresh instance and returns an [`Execution`]: its status (success, revert, out of gas, or a trap
//! with its kind and the wasm function's name), return data, gas used and debug logs. Every
//! deterministic failure of the contract is a status; only node faults are `Err` ([`VmFault`]).
//!
//! This is the first slice of the VM: engine, execution and trap classification. The module
//! cache, persisted artifacts and the storage / crypto / call host functions follow.

mod engine;
mod error;
mod host;

pub use engine::{CompiledContract, Execution, Vm};
pub use error::{DeployError, VmFault};
