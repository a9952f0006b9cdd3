//! An escrow. The deployer is the depositor and names a beneficiary, an arbiter and a release
//! time. Value is deposited with `deposit` (or with the deploy itself). The arbiter can `release`
//! the funds to the beneficiary at any time, anyone can once the block time reaches the release
//! time, and the arbiter can `refund` them to the depositor before that. Either ends the escrow.
#![no_std]

use weft_sdk::codec::{Decode, Encode};
use weft_sdk::{contract, env, require, AbiType, Address, Event, StorageValue};

/// Who and when, fixed at deploy. `AbiType` describes it in the ABI: tools show it as JSON.
#[derive(Encode, Decode, AbiType, Clone, Copy)]
#[codec(crate = weft_sdk::codec)]
pub struct Terms {
    /// Deployed the escrow; receives a refund.
    pub depositor: Address,
    /// Receives the funds on release.
    pub beneficiary: Address,
    /// May release or refund at any time.
    pub arbiter: Address,
    /// Block timestamp (seconds) from which anyone may release.
    pub release_after: u64,
}

/// Where the escrow stands.
#[derive(Encode, Decode, AbiType)]
#[codec(crate = weft_sdk::codec)]
pub enum Phase {
    /// Holding `held`; `releasable` once anyone may release it.
    Open {
        /// The balance held.
        held: u128,
        /// Whether the release time has come.
        releasable: bool,
    },
    /// Paid out (released or refunded).
    Settled,
}

static TERMS: StorageValue<Terms> = StorageValue::new(b"terms");
static SETTLED: StorageValue<bool> = StorageValue::new(b"settled");

/// Value was deposited.
#[derive(Event)]
pub struct Deposited {
    /// Who sent it.
    #[topic]
    pub from: Address,
    /// How much.
    pub amount: u128,
}

/// The escrow paid out and ended.
#[derive(Event)]
pub struct Settled {
    /// The beneficiary on release, the depositor on refund.
    #[topic]
    pub to: Address,
    /// How much.
    pub amount: u128,
    /// `true` for a release, `false` for a refund.
    pub released: bool,
}

/// The escrow contract.
pub struct Escrow;

#[contract]
impl Escrow {
    /// Sets the terms; value sent with the deploy is the first deposit.
    #[init]
    #[payable]
    pub fn new(beneficiary: Address, arbiter: Address, release_after: u64) {
        let depositor = env::caller();
        TERMS.set(&Terms {
            depositor,
            beneficiary,
            arbiter,
            release_after,
        });
        note_deposit(depositor);
    }

    /// Adds the attached value to the escrow.
    #[payable]
    pub fn deposit() {
        require(!settled(), "escrow settled");
        require(env::value_received() > 0, "nothing deposited");
        note_deposit(env::caller());
    }

    /// Pays everything to the beneficiary: the arbiter at any time, anyone after the release time.
    pub fn release() -> u128 {
        let terms = open_terms();
        require(
            env::caller() == terms.arbiter || env::block_timestamp() >= terms.release_after,
            "not yet releasable",
        );
        settle(terms.beneficiary, true)
    }

    /// Returns everything to the depositor: the arbiter only.
    pub fn refund() -> u128 {
        let terms = open_terms();
        require(env::caller() == terms.arbiter, "only the arbiter refunds");
        settle(terms.depositor, false)
    }

    /// The terms set at deploy.
    pub fn terms() -> Terms {
        terms()
    }

    /// Open with its balance, or settled.
    pub fn phase() -> Phase {
        if settled() {
            return Phase::Settled;
        }
        Phase::Open {
            held: env::balance(),
            releasable: env::block_timestamp() >= terms().release_after,
        }
    }

    /// (depositor, beneficiary, arbiter, release time, balance held, settled).
    pub fn status() -> (Address, Address, Address, u64, u128, bool) {
        let terms = terms();
        (
            terms.depositor,
            terms.beneficiary,
            terms.arbiter,
            terms.release_after,
            env::balance(),
            settled(),
        )
    }
}

fn terms() -> Terms {
    match TERMS.get() {
        Some(terms) => terms,
        None => env::abort("escrow has no terms"),
    }
}

fn settled() -> bool {
    SETTLED.get_or(false)
}

/// The terms of an escrow that has not settled yet.
fn open_terms() -> Terms {
    require(!settled(), "escrow settled");
    terms()
}

fn note_deposit(from: Address) {
    let amount = env::value_received();
    if amount > 0 {
        Deposited { from, amount }.emit();
    }
}

/// Sends the whole balance to `to` and ends the escrow.
fn settle(to: Address, released: bool) -> u128 {
    let amount = env::balance();
    SETTLED.set(&true);
    if env::transfer(&to, amount).is_err() {
        env::abort("escrow balance changed during settlement");
    }
    Settled { to, amount, released }.emit();
    amount
}
