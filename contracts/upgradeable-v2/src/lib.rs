//! An upgradeable contract, version 2: the value is now a `u128` under `balance`, scaled at the
//! migration from version 1's `u64` under `value` (which is removed). The owner and the upgrade
//! rule stay as version 1 had them.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;
use weft_sdk::{contract, env, require, Address, CallError, Event, Hash, StorageValue};

/// The owner, as version 1 stored it.
static OWNER: StorageValue<Address> = StorageValue::new(b"owner");
/// Version 1's value: read once by the migration, then removed.
static OLD_VALUE: StorageValue<u64> = StorageValue::new(b"value");
/// The value, as version 2 stores it.
static BALANCE: StorageValue<u128> = StorageValue::new(b"balance");

/// The code was replaced (as version 1 declares it).
#[derive(Event)]
pub struct Upgraded {
    /// The new code.
    #[topic]
    pub code_hash: Hash,
}

/// Version 1's value was moved into version 2's layout.
#[derive(Event)]
pub struct Migrated {
    /// Version 1's value.
    pub from: u64,
    /// The value now.
    pub to: u128,
}

/// Version 2.
pub struct UpgradeableV2;

#[contract]
impl UpgradeableV2 {
    /// Run by the upgrade from version 1: moves the `u64` value into the `u128` balance,
    /// multiplied by `scale` (which must not be 0: the upgrade then fails and version 1 stays).
    #[migrate]
    pub fn migrate(scale: u64) {
        require(scale > 0, "scale must be positive");
        let from = OLD_VALUE.get_or(0);
        let to = u128::from(from) * u128::from(scale);
        BALANCE.set(&to);
        OLD_VALUE.remove();
        Migrated { from, to }.emit();
    }

    /// The value.
    pub fn get() -> u128 {
        BALANCE.get_or(0)
    }

    /// Sets the value.
    pub fn set(value: u128) {
        BALANCE.set(&value);
    }

    /// 2.
    pub fn version() -> u32 {
        2
    }

    /// Who may upgrade.
    pub fn owner() -> Address {
        OWNER.get_or(Address([0; 32]))
    }

    /// As version 1: the owner replaces the code, the migration given `migrate_args`.
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
