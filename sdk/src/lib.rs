//! `weft-sdk`: the `no_std` contract-side library for Weft.
//!
//! - [`env`]: a safe wrapper for every host function of `docs/ABI.md` (input and output, storage,
//!   context, value, events, crypto, cross-contract calls);
//! - [`StorageValue`] / [`StorageMap`]: typed storage, SCALE-encoded under per-field prefixes;
//! - [`args`], [`ret`], [`call`]: SCALE arguments and results, typed cross-contract calls;
//! - [`create`], [`upgrade`]: contracts created from stored code at a deterministic address, and
//!   a contract's own code replaced (with its `#[migrate]` method run);
//! - with the default `runtime` feature, on wasm32: a panic handler that reverts with the panic
//!   message and a bump allocator (each call runs in a fresh instance, so nothing needs freeing).
//!
//! A contract is an `impl` block under [`macro@contract`]: each `pub fn` is an entry point with
//! SCALE arguments and result, `#[init]` marks the constructor (the `deploy` export),
//! `#[migrate]` the migration an upgrade to this code runs, and only `#[payable]` methods accept
//! value. State lives in storage; events derive [`macro@Event`]:
//!
//! ```ignore
//! use weft_sdk::{Address, Event, StorageValue, contract, env};
//!
//! static COUNT: StorageValue<u64> = StorageValue::new(b"count");
//!
//! #[derive(Event)]
//! pub struct Incremented { #[topic] pub by: Address, pub count: u64 }
//!
//! pub struct Counter;
//!
//! #[contract]
//! impl Counter {
//!     #[init]
//!     pub fn new(start: u64) { COUNT.set(&start) }
//!
//!     pub fn increment() -> u64 {
//!         let count = COUNT.get_or(0) + 1;
//!         COUNT.set(&count);
//!         Incremented { by: env::caller(), count }.emit();
//!         count
//!     }
//! }
//! ```
//!
//! The macros also write the contract's ABI (methods, argument and return types, events) into the
//! `weft_abi` custom section, which tools read to encode JSON arguments and decode results.
#![no_std]

extern crate alloc;

pub mod env;
mod event;
#[cfg(all(target_arch = "wasm32", feature = "runtime"))]
mod runtime;
mod storage;
mod sys;
mod types;

use alloc::vec::Vec;

pub use env::{CallResult, InsufficientBalance};
pub use event::{Event, Topic};
pub use parity_scale_codec as codec;
pub use storage::{StorageMap, StorageValue};
pub use types::{Address, Hash};
/// `#[contract]` on an `impl` block: one export per `pub fn`, `#[init]` constructor, `#[payable]`
/// methods, ABI metadata. `#[derive(Event)]`: typed events with `#[topic]` fields.
/// `#[derive(AbiType)]`: a struct or enum described in the ABI.
#[cfg(feature = "macros")]
pub use weft_sdk_macros::{AbiType, Event, contract};

use parity_scale_codec::{Decode, DecodeAll, Encode};

/// The call's input decoded as `T` (a tuple for several arguments); reverts with
/// `"invalid arguments"` if it does not decode exactly.
pub fn args<T: Decode>() -> T {
    let input = env::input();
    match T::decode_all(&mut &input[..]) {
        Ok(value) => value,
        Err(_) => env::revert(b"invalid arguments"),
    }
}

/// Sets the call's return data to `SCALE(value)`.
pub fn ret<T: Encode>(value: &T) {
    env::return_data(&value.encode());
}

/// Reverts unless `condition` holds, with `message` as the revert data.
pub fn require(condition: bool, message: &str) {
    if !condition {
        env::revert(message.as_bytes());
    }
}

/// What the macros' expansions call; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use alloc::vec::Vec;

    /// One argument decoded from the front of `input`; reverts with `"invalid arguments"` if it
    /// does not decode.
    pub fn arg<T: parity_scale_codec::Decode>(input: &mut &[u8]) -> T {
        T::decode(input).unwrap_or_else(|_| crate::env::revert(b"invalid arguments"))
    }

    /// Reverts with `"invalid arguments"` if bytes are left after the last argument.
    pub fn args_end(rest: &[u8]) {
        if !rest.is_empty() {
            crate::env::revert(b"invalid arguments");
        }
    }

    /// Reverts when value is attached to a call of a method that is not `#[payable]`.
    pub fn reject_value() {
        if crate::env::value_received() != 0 {
            crate::env::revert(b"method is not payable");
        }
    }
}

/// Why a typed cross-contract call did not return a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// The callee reverted with this data.
    Reverted(Vec<u8>),
    /// The callee ran out of gas or trapped.
    Failed,
    /// The call did not start.
    Refused,
    /// The callee returned bytes that do not decode as the expected type.
    BadReturn,
}

/// Calls `entry` of `contract` with SCALE `args` and `value`, all remaining gas, and decodes its
/// return data as `R`.
pub fn call<A: Encode, R: Decode>(
    contract: &Address,
    entry: &str,
    args: &A,
    value: u128,
) -> Result<R, CallError> {
    decoded(env::call_raw(contract, entry, &args.encode(), value, None))
}

/// Creates a contract from the stored code `code_hash` with `salt`, constructor arguments `args`
/// (SCALE) and `value`, all remaining gas; returns its address. The address is
/// `keccak256("weft:created:v1" ‖ self ‖ code_hash ‖ salt)`: the same salt twice is
/// [`CallError::Refused`], and a failed constructor leaves nothing behind.
pub fn create<A: Encode>(code_hash: &Hash, salt: &Hash, args: &A, value: u128) -> Result<Address, CallError> {
    let (address, result) = env::create_raw(code_hash, salt, &args.encode(), value, None);
    decoded::<()>(result).map(|()| address)
}

/// Replaces this contract's code by the stored code `code_hash`, running its `#[migrate]` method
/// (if it has one) with `args` (SCALE) and all remaining gas. The code changes for the next call;
/// a migration that fails leaves the old code. Guard it: anyone who can reach this call can
/// replace the contract.
pub fn upgrade<A: Encode>(code_hash: &Hash, args: &A) -> Result<(), CallError> {
    upgrade_with_input(code_hash, &args.encode())
}

/// [`upgrade`] with the migration's input as raw (already SCALE-encoded) bytes, as a contract
/// that forwards its caller's migration arguments has them.
pub fn upgrade_with_input(code_hash: &Hash, input: &[u8]) -> Result<(), CallError> {
    decoded(env::upgrade_raw(code_hash, input, None))
}

/// A nested frame's result, its return data decoded as `R`.
fn decoded<R: Decode>(result: CallResult) -> Result<R, CallError> {
    match result {
        CallResult::Success(data) => R::decode_all(&mut &data[..]).map_err(|_| CallError::BadReturn),
        CallResult::Reverted(data) => Err(CallError::Reverted(data)),
        CallResult::Failed => Err(CallError::Failed),
        CallResult::Refused => Err(CallError::Refused),
    }
}
