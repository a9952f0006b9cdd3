//! A counter: the constructor sets it, `increment() -> u64` adds one and emits `Incremented`,
//! `get() -> u64` reads it, and `boom()` panics, which reverts with the panic message.
//! Copy this crate to start a contract of your own (README: "Writing a contract").
#![no_std]

use weft_sdk::{contract, Event, StorageValue};

/// The count, stored under the key `count`.
static COUNT: StorageValue<u64> = StorageValue::new(b"count");

/// Emitted by `increment` with the new count.
#[derive(Event)]
pub struct Incremented {
    /// The count after the increment.
    pub count: u64,
}

/// The contract: its entry points are the `pub fn`s below.
pub struct Counter;

#[contract]
impl Counter {
    /// Constructor: the starting count.
    #[init]
    pub fn new(start: u64) {
        COUNT.set(&start);
    }

    /// Adds one and returns the new count.
    pub fn increment() -> u64 {
        let count = COUNT.get_or(0) + 1;
        COUNT.set(&count);
        Incremented { count }.emit();
        count
    }

    /// The count.
    pub fn get() -> u64 {
        COUNT.get_or(0)
    }

    /// Writes, then panics: the call reverts with the panic message and the write is undone.
    pub fn boom() {
        COUNT.set(&(COUNT.get_or(0) + 100));
        panic!("boom at {}", COUNT.get_or(0));
    }
}
