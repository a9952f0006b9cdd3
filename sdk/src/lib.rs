//! `weft-sdk`: the `no_std` contract-side library for Weft.
//!
//! - [`env`]: a safe wrapper for every host function of `docs/ABI.md` (input and output, storage,
//!   context, value, events, crypto, cross-contract calls);
//! - [`StorageValue`] / [`StorageMap`]: typed storage, SCALE-encoded under per-field prefixes;
//! - [`args`], [`ret`], [`call`]: SCALE arguments and results, typed cross-contract calls;
//! - with the default `runtime` feature, on wasm32: a panic handler that reverts with the panic
//!   message and a bump allocator (each call runs in a fresh instance, so nothing needs freeing).
//!
//! A contract exports one `extern "C" fn()` per entry point; `deploy` is the constructor:
//!
//! ```ignore
//! use weft_sdk::{StorageValue, args, ret};
//! static COUNT: StorageValue<u64> = StorageValue::new(b"count");
//! #[unsafe(no_mangle)]
//! pub extern "C" fn increment() {
//!     let by: u64 = args();
//!     let count = COUNT.get_or(0) + by;
//!     COUNT.set(&count);
//!     ret(&count);
//! }
//! ```
#![no_std]

extern crate alloc;

pub mod env;
#[cfg(all(target_arch = "wasm32", feature = "runtime"))]
mod runtime;
mod storage;
mod sys;
mod types;

use alloc::vec::Vec;

pub use env::{CallResult, InsufficientBalance};
pub use parity_scale_codec as codec;
pub use storage::{StorageMap, StorageValue};
pub use types::{Address, Hash};

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
    match env::call_raw(contract, entry, &args.encode(), value, None) {
        CallResult::Success(data) => R::decode_all(&mut &data[..]).map_err(|_| CallError::BadReturn),
        CallResult::Reverted(data) => Err(CallError::Reverted(data)),
        CallResult::Failed => Err(CallError::Failed),
        CallResult::Refused => Err(CallError::Refused),
    }
}
