//! `#[contract]` and `#[derive(Event)]` on the host: the generated code type-checks against the
//! SDK, events carry their signature and compile-time topic. (Exports exist on wasm32 only; the
//! contracts' own tests drive them through the VM.)

use sha3::{Digest, Keccak256};
use weft_sdk::{Address, Event, Hash, StorageValue, contract};

static TOTAL: StorageValue<u128> = StorageValue::new(b"total");

/// An event with two indexed fields and two data fields.
#[derive(Event)]
pub struct Moved {
    /// Indexed.
    #[topic]
    pub from: Address,
    /// Indexed.
    #[topic]
    pub amount: u128,
    /// Data.
    pub memo: Vec<u8>,
    /// Data.
    pub flags: (bool, u8),
}

/// A contract with every kind of entry point.
pub struct Sample;

#[contract]
impl Sample {
    /// The constructor.
    #[init]
    pub fn new(total: u128) {
        TOTAL.set(&total);
    }

    /// Accepts value.
    #[payable]
    pub fn deposit() {}

    /// Arguments and a result.
    pub fn add(a: u128, b: u128) -> u128 {
        Self::checked(a.checked_add(b))
    }

    fn checked(value: Option<u128>) -> u128 {
        value.unwrap_or(u128::MAX)
    }
}

#[test]
fn a_derived_event_knows_its_signature_and_topic() {
    assert_eq!(Moved::SIGNATURE, "Moved(Address,u128,Vec<u8>,(bool,u8))");
    let expected: [u8; 32] = Keccak256::digest(Moved::SIGNATURE.as_bytes()).into();
    assert_eq!(Moved::TOPIC, Hash(expected));
}

#[test]
fn the_impl_block_stays_callable_as_plain_rust() {
    assert_eq!(Sample::add(2, 3), 5);
    assert_eq!(Sample::add(u128::MAX, 1), u128::MAX);
}
