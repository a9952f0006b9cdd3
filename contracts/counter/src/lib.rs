//! A counter: `deploy(start: u64)` sets it, `increment() -> u64` adds one (and emits an
//! `Incremented(u64)` event), `get() -> u64` reads it, and `boom()` panics, which reverts with the
//! panic message. Arguments and results are SCALE.
#![no_std]

use weft_sdk::codec::Encode;
use weft_sdk::{args, env, ret, StorageValue};

static COUNT: StorageValue<u64> = StorageValue::new(b"count");

/// Constructor: the starting count.
#[no_mangle]
pub extern "C" fn deploy() {
    let start: u64 = args();
    COUNT.set(&start);
}

/// Adds one and returns the new count.
#[no_mangle]
pub extern "C" fn increment() {
    let count = COUNT.get_or(0) + 1;
    COUNT.set(&count);
    env::emit_event(&[env::keccak256(b"Incremented(u64)")], &count.encode());
    ret(&count);
}

/// The count.
#[no_mangle]
pub extern "C" fn get() {
    ret(&COUNT.get_or(0));
}

/// Writes, then panics: the call reverts with the panic message and the write is undone.
#[no_mangle]
pub extern "C" fn boom() {
    let count = COUNT.get_or(0);
    COUNT.set(&(count + 100));
    panic!("boom");
}
