//! A fungible token. The constructor mints the whole supply to the deployer; `transfer`,
//! `approve` and `transfer_from` move and delegate balances and emit `Transfer` / `Approval`.
//! Failures revert with a message: `insufficient balance`, `insufficient allowance`.
#![no_std]

extern crate alloc;

use alloc::string::String;
use weft_sdk::{contract, env, require, Address, Event, StorageMap, StorageValue};

static NAME: StorageValue<String> = StorageValue::new(b"name");
static SYMBOL: StorageValue<String> = StorageValue::new(b"symbol");
static DECIMALS: StorageValue<u8> = StorageValue::new(b"decimals");
static TOTAL_SUPPLY: StorageValue<u128> = StorageValue::new(b"supply");
static BALANCES: StorageMap<Address, u128> = StorageMap::new(b"b");
static ALLOWANCES: StorageMap<(Address, Address), u128> = StorageMap::new(b"a");

/// `amount` moved from `from` to `to` (from the zero address when minted).
#[derive(Event)]
pub struct Transfer {
    /// The sender.
    #[topic]
    pub from: Address,
    /// The receiver.
    #[topic]
    pub to: Address,
    /// How much.
    pub amount: u128,
}

/// `owner` let `spender` move up to `amount` of its tokens.
#[derive(Event)]
pub struct Approval {
    /// The owner.
    #[topic]
    pub owner: Address,
    /// The spender.
    #[topic]
    pub spender: Address,
    /// The new allowance.
    pub amount: u128,
}

/// The token contract.
pub struct Token;

#[contract]
impl Token {
    /// Mints `supply` to the deployer.
    #[init]
    pub fn new(name: String, symbol: String, decimals: u8, supply: u128) {
        NAME.set(&name);
        SYMBOL.set(&symbol);
        DECIMALS.set(&decimals);
        TOTAL_SUPPLY.set(&supply);
        let owner = env::caller();
        BALANCES.insert(&owner, &supply);
        Transfer {
            from: Address::default(),
            to: owner,
            amount: supply,
        }
        .emit();
    }

    /// The token's name.
    pub fn name() -> String {
        NAME.get_or(String::new())
    }

    /// The token's symbol.
    pub fn symbol() -> String {
        SYMBOL.get_or(String::new())
    }

    /// Decimal places for display.
    pub fn decimals() -> u8 {
        DECIMALS.get_or(0)
    }

    /// All tokens in existence.
    pub fn total_supply() -> u128 {
        TOTAL_SUPPLY.get_or(0)
    }

    /// The balance of `owner`.
    pub fn balance_of(owner: Address) -> u128 {
        BALANCES.get(&owner).unwrap_or(0)
    }

    /// How much `spender` may still move for `owner`.
    pub fn allowance(owner: Address, spender: Address) -> u128 {
        ALLOWANCES.get(&(owner, spender)).unwrap_or(0)
    }

    /// Moves `amount` from the caller to `to`.
    pub fn transfer(to: Address, amount: u128) -> bool {
        move_tokens(env::caller(), to, amount);
        true
    }

    /// Lets `spender` move up to `amount` of the caller's tokens (replacing any allowance).
    pub fn approve(spender: Address, amount: u128) -> bool {
        let owner = env::caller();
        ALLOWANCES.insert(&(owner, spender), &amount);
        Approval {
            owner,
            spender,
            amount,
        }
        .emit();
        true
    }

    /// Moves `amount` from `from` to `to` out of the caller's allowance (an allowance of
    /// `u128::MAX` is unlimited and is not decreased).
    pub fn transfer_from(from: Address, to: Address, amount: u128) -> bool {
        let key = (from, env::caller());
        let allowed = ALLOWANCES.get(&key).unwrap_or(0);
        require(allowed >= amount, "insufficient allowance");
        if allowed != u128::MAX {
            ALLOWANCES.insert(&key, &(allowed - amount));
        }
        move_tokens(from, to, amount);
        true
    }
}

/// Moves `amount` from `from` to `to`, reverting if `from` has less.
fn move_tokens(from: Address, to: Address, amount: u128) {
    let from_balance = BALANCES.get(&from).unwrap_or(0);
    require(from_balance >= amount, "insufficient balance");
    BALANCES.insert(&from, &(from_balance - amount));
    // Cannot overflow: the sum of all balances is the total supply.
    let to_balance = BALANCES.get(&to).unwrap_or(0);
    BALANCES.insert(&to, &(to_balance + amount));
    Transfer { from, to, amount }.emit();
}
