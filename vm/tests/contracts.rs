//! The example contracts of `contracts/` (Rust on `weft-sdk`, built for wasm32) through the VM:
//! `token`, `escrow` and `caller` (`counter` is in `sdk_counter.rs`).

mod common;

use common::{ALICE, Chain};
use weft_primitives::scale::{Decode, Encode};
use weft_primitives::{Address, ExecStatus, Hash, keccak256};
use weft_vm::Outcome;

const TOKEN: &[u8] = include_bytes!("../../contracts/artifacts/token.wasm");
const ESCROW: &[u8] = include_bytes!("../../contracts/artifacts/escrow.wasm");
const CALLER: &[u8] = include_bytes!("../../contracts/artifacts/caller.wasm");

const BOB: Address = Address([0xb0; 32]);
const CAROL: Address = Address([0xca; 32]);
const GAS: u64 = 10_000_000;
const SUPPLY: u128 = 1_000_000;

fn decode<T: Decode>(outcome: &Outcome) -> T {
    assert!(outcome.is_success(), "{outcome:?}");
    T::decode(&mut &outcome.return_data[..]).unwrap()
}

fn revert_message(outcome: &Outcome) -> String {
    assert_eq!(outcome.status, ExecStatus::Revert, "{outcome:?}");
    String::from_utf8(outcome.return_data.clone()).unwrap()
}

fn topic(address: &Address) -> Hash {
    Hash(*address.as_bytes())
}

/// A chain with the token deployed by Alice (who holds the whole supply).
fn token_chain() -> (Chain, Address) {
    let mut chain = Chain::new();
    let args = ("Weft Token".to_string(), "WFT".to_string(), 6u8, SUPPLY).encode();
    let (token, deployed) = chain.deploy_wasm(TOKEN, &args, 0);
    assert!(deployed.is_success(), "{deployed:?}");
    let minted = &deployed.events[0];
    assert_eq!(
        minted.topics,
        [
            keccak256(b"Transfer(Address,Address,u128)"),
            Hash::ZERO,
            topic(&ALICE)
        ]
    );
    assert_eq!(minted.data, SUPPLY.encode());
    (chain, token)
}

fn balance_of(chain: &mut Chain, token: Address, owner: Address) -> u128 {
    decode(&chain.call(token, "balance_of", &owner.encode(), GAS))
}

#[test]
fn token_metadata_and_supply() {
    let (mut chain, token) = token_chain();
    assert_eq!(
        decode::<String>(&chain.call(token, "name", b"", GAS)),
        "Weft Token"
    );
    assert_eq!(decode::<String>(&chain.call(token, "symbol", b"", GAS)), "WFT");
    assert_eq!(decode::<u8>(&chain.call(token, "decimals", b"", GAS)), 6);
    assert_eq!(
        decode::<u128>(&chain.call(token, "total_supply", b"", GAS)),
        SUPPLY
    );
    assert_eq!(balance_of(&mut chain, token, ALICE), SUPPLY);
    assert_eq!(balance_of(&mut chain, token, BOB), 0);
}

#[test]
fn token_transfers_emit_and_refuse_overdrafts() {
    let (mut chain, token) = token_chain();
    let r = chain.call(token, "transfer", &(BOB, 250u128).encode(), GAS);
    assert!(decode::<bool>(&r));
    assert_eq!(r.events.len(), 1);
    assert_eq!(
        r.events[0].topics,
        [
            keccak256(b"Transfer(Address,Address,u128)"),
            topic(&ALICE),
            topic(&BOB)
        ]
    );
    assert_eq!(r.events[0].data, 250u128.encode());
    assert_eq!(balance_of(&mut chain, token, ALICE), SUPPLY - 250);
    assert_eq!(balance_of(&mut chain, token, BOB), 250);

    // Bob cannot send more than he has; nothing moves.
    let over = chain.call_from(BOB, token, "transfer", &(CAROL, 251u128).encode(), 0, GAS);
    assert_eq!(revert_message(&over), "insufficient balance");
    assert!(over.events.is_empty());
    assert_eq!(balance_of(&mut chain, token, BOB), 250);
    assert_eq!(balance_of(&mut chain, token, CAROL), 0);

    // A transfer to oneself keeps the balance.
    let own = chain.call_from(BOB, token, "transfer", &(BOB, 100u128).encode(), 0, GAS);
    assert!(decode::<bool>(&own));
    assert_eq!(balance_of(&mut chain, token, BOB), 250);

    // Arguments that do not decode, and value sent to a non-payable method, revert.
    let bad = chain.call(token, "transfer", &BOB.encode(), GAS);
    assert_eq!(revert_message(&bad), "invalid arguments");
    let paid = chain.call_with_value(token, "transfer", &(BOB, 1u128).encode(), 5, GAS);
    assert_eq!(revert_message(&paid), "method is not payable");
    assert_eq!(chain.balance(&token), 0);
}

#[test]
fn token_allowances_gate_transfer_from() {
    let (mut chain, token) = token_chain();
    let approve = chain.call(token, "approve", &(BOB, 300u128).encode(), GAS);
    assert!(decode::<bool>(&approve));
    assert_eq!(
        approve.events[0].topics,
        [
            keccak256(b"Approval(Address,Address,u128)"),
            topic(&ALICE),
            topic(&BOB)
        ]
    );
    let allowance =
        |chain: &mut Chain| -> u128 { decode(&chain.call(token, "allowance", &(ALICE, BOB).encode(), GAS)) };
    assert_eq!(allowance(&mut chain), 300);

    let spend = |chain: &mut Chain, amount: u128| {
        chain.call_from(
            BOB,
            token,
            "transfer_from",
            &(ALICE, CAROL, amount).encode(),
            0,
            GAS,
        )
    };
    assert!(decode::<bool>(&spend(&mut chain, 200)));
    assert_eq!(allowance(&mut chain), 100);
    assert_eq!(balance_of(&mut chain, token, CAROL), 200);
    assert_eq!(revert_message(&spend(&mut chain, 101)), "insufficient allowance");
    assert_eq!(allowance(&mut chain), 100);

    // Carol has no allowance at all.
    let carol = chain.call_from(
        CAROL,
        token,
        "transfer_from",
        &(ALICE, CAROL, 1u128).encode(),
        0,
        GAS,
    );
    assert_eq!(revert_message(&carol), "insufficient allowance");

    // An unlimited allowance is not decreased; the owner's balance still bounds it.
    chain.call(token, "approve", &(BOB, u128::MAX).encode(), GAS);
    assert!(decode::<bool>(&spend(&mut chain, 1_000)));
    assert_eq!(allowance(&mut chain), u128::MAX);
    let too_much = spend(&mut chain, SUPPLY);
    assert_eq!(revert_message(&too_much), "insufficient balance");
}

/// An escrow of 1,000 from Alice for Bob, arbitrated by Carol, releasable at `release_after`.
fn escrow_chain(release_after: u64) -> (Chain, Address) {
    let mut chain = Chain::new();
    chain.fund(CAROL, 10);
    let args = (BOB, CAROL, release_after).encode();
    let (escrow, deployed) = chain.deploy_wasm(ESCROW, &args, 1_000);
    assert!(deployed.is_success(), "{deployed:?}");
    assert_eq!(deployed.events.len(), 1, "Deposited");
    (chain, escrow)
}

type Status = (Address, Address, Address, u64, u128, bool);

#[test]
fn escrow_releases_by_arbiter_or_after_the_release_time() {
    let now = 1_750_000_000;
    let (mut chain, escrow) = escrow_chain(now + 100);
    assert!(
        chain
            .call_with_value(escrow, "deposit", b"", 500, GAS)
            .is_success()
    );
    let status: Status = decode(&chain.call(escrow, "status", b"", GAS));
    assert_eq!(status, (ALICE, BOB, CAROL, now + 100, 1_500, false));

    // Too early for anyone but the arbiter.
    let early = chain.call_from(BOB, escrow, "release", b"", 0, GAS);
    assert_eq!(revert_message(&early), "not yet releasable");
    chain.block.timestamp = now + 100;
    let released = chain.call_from(BOB, escrow, "release", b"", 0, GAS);
    assert_eq!(decode::<u128>(&released), 1_500);
    assert_eq!((chain.balance(&BOB), chain.balance(&escrow)), (1_500, 0));

    // Settled: nothing more happens.
    assert_eq!(
        revert_message(&chain.call_from(CAROL, escrow, "refund", b"", 0, GAS)),
        "escrow settled"
    );
    assert_eq!(
        revert_message(&chain.call_with_value(escrow, "deposit", b"", 1, GAS)),
        "escrow settled"
    );
    let status: Status = decode(&chain.call(escrow, "status", b"", GAS));
    assert!(status.5);

    // The arbiter may release early.
    let (mut chain, escrow) = escrow_chain(u64::MAX);
    let released = chain.call_from(CAROL, escrow, "release", b"", 0, GAS);
    assert_eq!(decode::<u128>(&released), 1_000);
    assert_eq!(chain.balance(&BOB), 1_000);
}

#[test]
fn escrow_refunds_only_by_the_arbiter() {
    let (mut chain, escrow) = escrow_chain(u64::MAX);
    let alice_before = chain.balance(&ALICE);
    let by_bob = chain.call_from(BOB, escrow, "refund", b"", 0, GAS);
    assert_eq!(revert_message(&by_bob), "only the arbiter refunds");
    let refunded = chain.call_from(CAROL, escrow, "refund", b"", 0, GAS);
    assert_eq!(decode::<u128>(&refunded), 1_000);
    assert_eq!(chain.balance(&ALICE), alice_before + 1_000);
    let settled = &refunded.events[0];
    assert_eq!(settled.topics[1], topic(&ALICE));
    assert_eq!(settled.data, (1_000u128, false).encode());
    // An empty deposit is refused.
    let (mut chain, escrow) = escrow_chain(u64::MAX);
    assert_eq!(
        revert_message(&chain.call(escrow, "deposit", b"", GAS)),
        "nothing deposited"
    );
}

#[test]
fn caller_reads_and_transfers_through_the_token_and_survives_its_reverts() {
    let (mut chain, token) = token_chain();
    let (caller, deployed) = chain.deploy_wasm(CALLER, &token.encode(), 0);
    assert!(deployed.is_success(), "{deployed:?}");
    chain.call(token, "transfer", &(caller, 100u128).encode(), GAS);

    let read: u128 = decode(&chain.call(caller, "token_balance", &caller.encode(), GAS));
    assert_eq!(read, 100);

    // A transfer the token accepts: the token's event comes through the caller's call.
    let ok = chain.call(caller, "try_transfer", &(BOB, 60u128).encode(), GAS);
    assert_eq!(decode::<Result<(), String>>(&ok), Ok(()));
    assert_eq!(ok.events.len(), 1);
    assert_eq!(ok.events[0].address, token);
    assert_eq!(balance_of(&mut chain, token, BOB), 60);

    // A transfer the token refuses: the caller succeeds, counts it and says why.
    let refused = chain.call(caller, "try_transfer", &(BOB, 41u128).encode(), GAS);
    assert_eq!(
        decode::<Result<(), String>>(&refused),
        Err("insufficient balance".to_string())
    );
    assert_eq!(refused.events.len(), 1);
    assert_eq!(refused.events[0].address, caller);
    assert_eq!(decode::<u32>(&chain.call(caller, "failures", b"", GAS)), 1);
    assert_eq!(balance_of(&mut chain, token, caller), 40);

    // Or propagates the revert.
    let propagated = chain.call(caller, "transfer_or_revert", &(BOB, 41u128).encode(), GAS);
    assert_eq!(revert_message(&propagated), "insufficient balance");
}
