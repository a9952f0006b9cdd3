//! Safe wrappers over every host function. Each is one host call; see `docs/ABI.md` for gas.
#![allow(unsafe_code)]

use alloc::vec::Vec;

use crate::sys;
use crate::types::{Address, Hash};

/// The register the wrappers use for variable-length results.
const SCRATCH: u32 = 0;

fn len(bytes: &[u8]) -> u32 {
    bytes.len() as u32
}

/// Copies register `register` out, or `None` if it is empty.
fn take_register(register: u32) -> Option<Vec<u8>> {
    // SAFETY: `register_len` takes no pointer; `read_register` writes exactly `size` bytes into a
    // buffer of that capacity, whose length is set only after the host has filled it.
    unsafe {
        let size = usize::try_from(sys::register_len(register)).ok()?;
        let mut bytes = Vec::with_capacity(size);
        sys::read_register(register, bytes.as_mut_ptr());
        bytes.set_len(size);
        Some(bytes)
    }
}

/// The call's input (its SCALE-encoded arguments).
pub fn input() -> Vec<u8> {
    // SAFETY: no pointer is passed.
    unsafe { sys::input(SCRATCH) };
    take_register(SCRATCH).unwrap_or_default()
}

/// Sets the call's return data.
pub fn return_data(data: &[u8]) {
    // SAFETY: the pointer and length describe `data`.
    unsafe { sys::return_data(data.as_ptr(), len(data)) }
}

/// Ends the call as reverted with `data`: this call's state changes are undone.
pub fn revert(data: &[u8]) -> ! {
    // SAFETY: the pointer and length describe `data`.
    unsafe { sys::revert(data.as_ptr(), len(data)) }
}

/// Ends the call with an `Abort` trap carrying `message`.
pub fn abort(message: &str) -> ! {
    // SAFETY: the pointer and length describe `message`.
    unsafe { sys::abort(message.as_ptr(), len(message.as_bytes())) }
}

/// Writes a debug log line (shown by the devnet and the test harness).
pub fn log(line: &str) {
    // SAFETY: the pointer and length describe `line`.
    unsafe { sys::debug_log(line.as_ptr(), len(line.as_bytes())) }
}

/// The value of `key` in this contract's storage.
pub fn storage_read(key: &[u8]) -> Option<Vec<u8>> {
    // SAFETY: the pointer and length describe `key`.
    let found = unsafe { sys::storage_read(key.as_ptr(), len(key), SCRATCH) };
    if found == 1 { take_register(SCRATCH) } else { None }
}

/// Sets `key` to `value` in this contract's storage.
pub fn storage_write(key: &[u8], value: &[u8]) {
    // SAFETY: the pointers and lengths describe `key` and `value`.
    unsafe { sys::storage_write(key.as_ptr(), len(key), value.as_ptr(), len(value)) }
}

/// Removes `key`; whether it was set.
pub fn storage_remove(key: &[u8]) -> bool {
    // SAFETY: the pointer and length describe `key`.
    unsafe { sys::storage_remove(key.as_ptr(), len(key)) == 1 }
}

/// Whether `key` is set.
pub fn storage_has(key: &[u8]) -> bool {
    // SAFETY: the pointer and length describe `key`.
    unsafe { sys::storage_has(key.as_ptr(), len(key)) == 1 }
}

/// Reads a 32-byte value the host writes at a pointer.
fn read32(write: unsafe extern "C" fn(*mut u8)) -> [u8; 32] {
    let mut out = [0u8; 32];
    // SAFETY: the host writes exactly 32 bytes at the pointer, which has room for them.
    unsafe { write(out.as_mut_ptr()) };
    out
}

/// Reads a 16-byte little-endian balance the host writes at a pointer.
fn read_balance(write: unsafe extern "C" fn(*mut u8)) -> u128 {
    let mut out = [0u8; 16];
    // SAFETY: the host writes exactly 16 bytes at the pointer, which has room for them.
    unsafe { write(out.as_mut_ptr()) };
    u128::from_le_bytes(out)
}

/// Who called: the signer of the transaction, or the calling contract.
pub fn caller() -> Address {
    Address(read32(sys::caller))
}

/// This contract's address.
pub fn self_address() -> Address {
    Address(read32(sys::self_address))
}

/// The signer of the transaction.
pub fn origin() -> Address {
    Address(read32(sys::origin))
}

/// The block's height.
pub fn block_height() -> u64 {
    // SAFETY: no pointer is passed.
    unsafe { sys::block_height() as u64 }
}

/// The block's timestamp (Unix seconds).
pub fn block_timestamp() -> u64 {
    // SAFETY: no pointer is passed.
    unsafe { sys::block_timestamp() as u64 }
}

/// The chain id.
pub fn chain_id() -> u64 {
    // SAFETY: no pointer is passed.
    unsafe { sys::chain_id() as u64 }
}

/// The value sent with this call (already credited to this contract).
pub fn value_received() -> u128 {
    read_balance(sys::value_received)
}

/// This contract's balance.
pub fn balance() -> u128 {
    read_balance(sys::balance)
}

/// The balance of `address`.
pub fn balance_of(address: &Address) -> u128 {
    let mut out = [0u8; 16];
    // SAFETY: the host reads 32 bytes of `address` and writes 16 bytes into `out`.
    unsafe { sys::balance_of(address.0.as_ptr(), out.as_mut_ptr()) };
    u128::from_le_bytes(out)
}

/// Gas left.
pub fn gas_left() -> u64 {
    // SAFETY: no pointer is passed.
    unsafe { sys::gas_left() as u64 }
}

/// This contract's balance is smaller than the amount to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsufficientBalance;

/// Sends `amount` from this contract to `to`.
pub fn transfer(to: &Address, amount: u128) -> Result<(), InsufficientBalance> {
    let amount = amount.to_le_bytes();
    // SAFETY: the host reads 32 bytes of `to` and 16 of `amount`.
    let status = unsafe { sys::transfer(to.0.as_ptr(), amount.as_ptr()) };
    if status == 0 {
        Ok(())
    } else {
        Err(InsufficientBalance)
    }
}

/// Emits an event with up to 4 topics and `data`. More than 4 topics trap.
pub fn emit_event(topics: &[Hash], data: &[u8]) {
    let flat: Vec<u8> = topics.iter().flat_map(|topic| topic.0).collect();
    let count = topics.len() as u32;
    // SAFETY: the host reads `count` 32-byte topics from `flat` and `data.len()` bytes of `data`.
    unsafe { sys::emit_event(flat.as_ptr(), count, data.as_ptr(), len(data)) }
}

/// keccak256 of `data`.
pub fn keccak256(data: &[u8]) -> Hash {
    let mut out = [0u8; 32];
    // SAFETY: the host reads `data` and writes 32 bytes into `out`.
    unsafe { sys::keccak256(data.as_ptr(), len(data), out.as_mut_ptr()) };
    Hash(out)
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> Hash {
    let mut out = [0u8; 32];
    // SAFETY: the host reads `data` and writes 32 bytes into `out`.
    unsafe { sys::sha256(data.as_ptr(), len(data), out.as_mut_ptr()) };
    Hash(out)
}

/// Whether `signature` is a valid strict ed25519 signature of `message` by `public_key`.
pub fn ed25519_verify(signature: &[u8; 64], public_key: &[u8; 32], message: &[u8]) -> bool {
    // SAFETY: the host reads 64, 32 and `message.len()` bytes from the three pointers.
    unsafe {
        sys::ed25519_verify(
            signature.as_ptr(),
            public_key.as_ptr(),
            message.as_ptr(),
            len(message),
        ) == 1
    }
}

/// The uncompressed secp256k1 public key (`x ‖ y`) that signed `prehash` with `signature`
/// (`r ‖ s`, low `s`) and `recovery_id`, if any.
pub fn secp256k1_recover(prehash: &[u8; 32], signature: &[u8; 64], recovery_id: u8) -> Option<[u8; 64]> {
    let mut out = [0u8; 64];
    // SAFETY: the host reads 32 and 64 bytes and writes at most 64 bytes into `out`.
    let ok = unsafe {
        sys::secp256k1_recover(
            prehash.as_ptr(),
            signature.as_ptr(),
            u32::from(recovery_id),
            out.as_mut_ptr(),
        )
    };
    (ok == 1).then_some(out)
}

/// How a cross-contract call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallResult {
    /// The callee returned this data.
    Success(Vec<u8>),
    /// The callee reverted with this data; its state changes were undone.
    Reverted(Vec<u8>),
    /// The callee ran out of gas or trapped; its state changes were undone.
    Failed,
    /// The call did not start: depth limit, reentrancy, no contract or entry point, short balance.
    Refused,
}

/// Calls `entry` of `contract` with raw `input` and `value`, giving it at most `gas` (`None`: all
/// that is left).
pub fn call_raw(contract: &Address, entry: &str, input: &[u8], value: u128, gas: Option<u64>) -> CallResult {
    let value = value.to_le_bytes();
    let gas = gas.map_or(-1, |gas| i64::try_from(gas).unwrap_or(i64::MAX));
    // SAFETY: every pointer and length describes a live buffer of the stated size.
    let status = unsafe {
        sys::call(
            contract.0.as_ptr(),
            entry.as_ptr(),
            len(entry.as_bytes()),
            input.as_ptr(),
            len(input),
            value.as_ptr(),
            gas,
            SCRATCH,
        )
    };
    call_result(status)
}

/// Creates a contract from the stored code `code_hash` at
/// `keccak256("weft:created:v1" ‖ self ‖ code_hash ‖ salt)` with constructor `input` and `value`,
/// giving it at most `gas` (`None`: all that is left). Returns the address (whatever the outcome)
/// and how the constructor ended: [`CallResult::Refused`] for the same salt twice, unknown code,
/// the depth limit or a short balance.
pub fn create_raw(
    code_hash: &Hash,
    salt: &Hash,
    input: &[u8],
    value: u128,
    gas: Option<u64>,
) -> (Address, CallResult) {
    let value = value.to_le_bytes();
    let gas = gas.map_or(-1, |gas| i64::try_from(gas).unwrap_or(i64::MAX));
    let mut address = [0u8; 32];
    // SAFETY: every pointer and length describes a live buffer of the stated size.
    let status = unsafe {
        sys::create(
            code_hash.0.as_ptr(),
            salt.0.as_ptr(),
            input.as_ptr(),
            len(input),
            value.as_ptr(),
            gas,
            address.as_mut_ptr(),
            SCRATCH,
        )
    };
    (Address(address), call_result(status))
}

/// Replaces this contract's code by the stored code `code_hash` (effective from the next call),
/// running the new code's `migrate` with `input` and at most `gas` if it has one: the upgrade
/// stands only if that succeeds ([`CallResult::Success`]).
pub fn upgrade_raw(code_hash: &Hash, input: &[u8], gas: Option<u64>) -> CallResult {
    let gas = gas.map_or(-1, |gas| i64::try_from(gas).unwrap_or(i64::MAX));
    // SAFETY: every pointer and length describes a live buffer of the stated size.
    let status = unsafe { sys::upgrade(code_hash.0.as_ptr(), input.as_ptr(), len(input), gas, SCRATCH) };
    call_result(status)
}

/// A nested frame's status code as a [`CallResult`], with its data from the scratch register.
fn call_result(status: i32) -> CallResult {
    match status {
        0 => CallResult::Success(take_register(SCRATCH).unwrap_or_default()),
        1 => CallResult::Reverted(take_register(SCRATCH).unwrap_or_default()),
        2 => CallResult::Failed,
        _ => CallResult::Refused,
    }
}
