//! A factory: `create(salt, start)` creates a `counter` from its stored code (uploaded once, its
//! hash given to the constructor) at `keccak256("weft:created:v1" ‖ factory ‖ code hash ‖ salt)`
//! and records it. The same salt twice is refused; a child whose constructor fails leaves
//! nothing behind, and the factory reverts with why.
#![no_std]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use weft_sdk::{contract, env, CallError, Event, Hash, StorageMap, StorageValue, Address};

/// Domain tag of created contracts' addresses (see `Address::for_created`).
const CREATED_DOMAIN: &[u8] = b"weft:created:v1";

/// The code hash of the contracts this factory creates.
static CHILD_CODE: StorageValue<Hash> = StorageValue::new(b"child_code");
/// How many it created.
static COUNT: StorageValue<u32> = StorageValue::new(b"count");
/// The children, by creation order.
static CHILDREN: StorageMap<u32, Address> = StorageMap::new(b"child/");

/// A child was created.
#[derive(Event)]
pub struct Created {
    /// Its address.
    #[topic]
    pub child: Address,
    /// Who asked for it.
    #[topic]
    pub by: Address,
    /// Its index among the factory's children.
    pub index: u32,
}

/// The factory contract.
pub struct Factory;

#[contract]
impl Factory {
    /// Creates children from the stored code `child_code`.
    #[init]
    pub fn new(child_code: Hash) {
        CHILD_CODE.set(&child_code);
    }

    /// Creates a child with `salt`, its constructor given `start`; returns its address.
    pub fn create(salt: Hash, start: u64) -> Address {
        let code = CHILD_CODE.get_or(Hash([0; 32]));
        let child = match weft_sdk::create(&code, &salt, &(start,), 0) {
            Ok(child) => child,
            Err(error) => env::revert(describe(&error).as_bytes()),
        };
        let index = COUNT.get_or(0);
        CHILDREN.insert(&index, &child);
        COUNT.set(&(index + 1));
        Created {
            child,
            by: env::caller(),
            index,
        }
        .emit();
        child
    }

    /// The address `create(salt, ..)` gives, whether or not it was created yet.
    pub fn address_of(salt: Hash) -> Address {
        let code = CHILD_CODE.get_or(Hash([0; 32]));
        let preimage = [CREATED_DOMAIN, &env::self_address().0, &code.0, &salt.0].concat();
        Address(env::keccak256(&preimage).0)
    }

    /// The code hash of the children.
    pub fn child_code() -> Hash {
        CHILD_CODE.get_or(Hash([0; 32]))
    }

    /// The children created so far, in order.
    pub fn children() -> Vec<Address> {
        (0..COUNT.get_or(0)).filter_map(|index| CHILDREN.get(&index)).collect()
    }
}

/// Why a creation failed, in words.
fn describe(error: &CallError) -> String {
    match error {
        CallError::Reverted(data) => {
            let mut reason = String::from("the child's constructor reverted: ");
            reason.push_str(&String::from_utf8_lossy(data));
            reason
        }
        CallError::Failed => String::from("the child's constructor failed (out of gas or trap)"),
        CallError::Refused => {
            String::from("creation refused: this salt is taken, the code is not stored, or the depth limit")
        }
        CallError::BadReturn => String::from("the child's constructor returned data"),
    }
}
