//! An upgradeable contract, version 1: a `u64` value and an owner. Only the owner may call
//! `upgrade_to(code_hash, migrate_args)`, which replaces this contract's code by stored code and
//! runs the new code's `#[migrate]` method with `migrate_args` (SCALE); if the migration fails,
//! the call reverts and version 1 stays. `upgradeable-v2` is the next version.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;
use weft_sdk::{contract, env, require, Address, CallError, Event, Hash, StorageValue};

/// The owner: the deployer.
static OWNER: StorageValue<Address> = StorageValue::new(b"owner");
/// The value, as version 1 stores it: a `u64` under `value`.
static VALUE: StorageValue<u64> = StorageValue::new(b"value");

/// The code was replaced.
#[derive(Event)]
pub struct Upgraded {
    /// The new code.
    #[topic]
    pub code_hash: Hash,
}

/// Version 1.
pub struct Upgradeable;

#[contract]
impl Upgradeable {
    /// The deployer becomes the owner; `value` the starting value.
    #[init]
    pub fn new(value: u64) {
        OWNER.set(&env::caller());
        VALUE.set(&value);
    }

    /// The value.
    pub fn get() -> u64 {
        VALUE.get_or(0)
    }

    /// Sets the value.
    pub fn set(value: u64) {
        VALUE.set(&value);
    }

    /// 1.
    pub fn version() -> u32 {
        1
    }

    /// Who may upgrade.
    pub fn owner() -> Address {
        OWNER.get_or(Address([0; 32]))
    }

    /// The owner replaces the code by the stored code `code_hash`, its migration given
    /// `migrate_args` (SCALE bytes); reverts (keeping this code) if the migration fails.
    pub fn upgrade_to(code_hash: Hash, migrate_args: Vec<u8>) {
        require(env::caller() == Self::owner(), "only the owner can upgrade");
        match weft_sdk::upgrade_with_input(&code_hash, &migrate_args) {
            Ok(()) => {}
            Err(CallError::Reverted(reason)) => env::revert(&reason),
            Err(_) => env::revert(b"upgrade refused or migration failed"),
        }
        Upgraded { code_hash }.emit();
    }
}
