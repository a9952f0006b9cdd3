//! Calls the `token` contract cross-contract with typed SCALE calls and handles its reverts:
//! `try_transfer` reports a revert as an error value (counting it), instead of failing itself.
#![no_std]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use weft_sdk::{call, contract, env, Address, CallError, Event, StorageValue};

static TOKEN: StorageValue<Address> = StorageValue::new(b"token");
static FAILURES: StorageValue<u32> = StorageValue::new(b"failures");

/// A token transfer this contract attempted was refused by the token.
#[derive(Event)]
pub struct TransferFailed {
    /// The intended receiver.
    #[topic]
    pub to: Address,
    /// The token's revert message.
    pub reason: Vec<u8>,
}

/// The caller contract.
pub struct Caller;

#[contract]
impl Caller {
    /// The token this contract talks to.
    #[init]
    pub fn new(token: Address) {
        TOKEN.set(&token);
    }

    /// The token's balance of `owner`, read cross-contract.
    pub fn token_balance(owner: Address) -> u128 {
        match call::<_, u128>(&token(), "balance_of", &(owner,), 0) {
            Ok(balance) => balance,
            Err(error) => env::abort(describe(&error).as_str()),
        }
    }

    /// Transfers `amount` of this contract's tokens to `to`. A revert of the token (say, an
    /// insufficient balance) is returned as `Err(message)`, counted and logged as an event; this
    /// call itself succeeds, while the token's own changes are undone.
    pub fn try_transfer(to: Address, amount: u128) -> Result<(), String> {
        match call::<_, bool>(&token(), "transfer", &(to, amount), 0) {
            Ok(_) => Ok(()),
            Err(error) => {
                FAILURES.set(&(FAILURES.get_or(0) + 1));
                let reason = describe(&error);
                TransferFailed {
                    to,
                    reason: reason.clone().into_bytes(),
                }
                .emit();
                Err(reason)
            }
        }
    }

    /// Transfers like `try_transfer`, but a token revert reverts this call too.
    pub fn transfer_or_revert(to: Address, amount: u128) {
        if let Err(error) = call::<_, bool>(&token(), "transfer", &(to, amount), 0) {
            env::revert(describe(&error).as_bytes());
        }
    }

    /// How many transfers the token refused.
    pub fn failures() -> u32 {
        FAILURES.get_or(0)
    }
}

fn token() -> Address {
    match TOKEN.get() {
        Some(token) => token,
        None => env::abort("no token set"),
    }
}

/// A call error as text: the revert message, or what went wrong.
fn describe(error: &CallError) -> String {
    match error {
        CallError::Reverted(data) => String::from_utf8_lossy(data).into_owned(),
        CallError::Failed => String::from("token call failed (out of gas or trap)"),
        CallError::Refused => String::from("token call refused"),
        CallError::BadReturn => String::from("token returned an unexpected value"),
    }
}
