//! The host functions, by group, and the guest-memory helpers they share.
//!
//! Every function follows one order: check sizes against the limits (cheap, no work), charge gas,
//! then read guest memory and do the work. Guest `i32` pointers and lengths are unsigned.

mod call;
mod chain;
mod crypto;
mod io;
mod lifecycle;
mod storage;
#[cfg(test)]
pub(crate) mod testing;

pub use call::call;
pub use chain::{
    balance, balance_of, block_height, block_timestamp, caller, chain_id, emit_event, origin, self_address,
    transfer, value_received,
};
pub use crypto::{ed25519_verify, keccak256, secp256k1_recover, sha256};
pub use io::{abort, debug_log, gas_left, input, read_register, register_len, return_data, revert};
pub use lifecycle::{create, upgrade};
pub use storage::{storage_has, storage_read, storage_remove, storage_write};

use weft_primitives::{Address, Balance};

use crate::context::HostContext;
use crate::error::HostError;

/// The most bytes a register, return data, revert data, log line, hash input or call input may
/// hold (1 MiB).
pub const MAX_REGISTER_BYTES: u32 = 1 << 20;

/// Guest `i32` arguments are unsigned addresses and lengths.
pub(crate) fn unsigned(value: i32) -> u32 {
    value as u32
}

/// `base + per_byte × bytes`, saturating.
pub(crate) fn cost(base: u64, per_byte: u64, bytes: u64) -> u64 {
    base.saturating_add(per_byte.saturating_mul(bytes))
}

/// Refuses `len` over `limit`, naming `what`.
pub(crate) fn within(what: &'static str, len: u32, limit: u32) -> Result<u32, HostError> {
    HostError::check_limit(what, u64::from(len), u64::from(limit))?;
    Ok(len)
}

/// Charges the base host-call cost plus the per-byte cost of `bytes`.
pub(crate) fn charge_call(ctx: &mut impl HostContext, bytes: u64) -> Result<(), HostError> {
    let costs = &ctx.state().costs;
    let gas = cost(costs.host_call, costs.host_byte, bytes);
    ctx.charge(gas)
}

/// Charges the base host-call cost plus `len` bytes, then reads `len` bytes at `ptr`, refusing more
/// than [`MAX_REGISTER_BYTES`].
pub(crate) fn charged_read(
    ctx: &mut impl HostContext,
    what: &'static str,
    ptr: i32,
    len: i32,
) -> Result<Vec<u8>, HostError> {
    let len = within(what, unsigned(len), MAX_REGISTER_BYTES)?;
    charge_call(ctx, u64::from(len))?;
    ctx.read(unsigned(ptr), len)
}

/// Reads exactly `N` bytes at `ptr` (no charge: callers charge first).
pub(crate) fn read_array<const N: usize>(ctx: &mut impl HostContext, ptr: i32) -> Result<[u8; N], HostError> {
    let len = u32::try_from(N).unwrap_or(u32::MAX);
    let bytes = ctx.read(unsigned(ptr), len)?;
    let mut array = [0; N];
    array.copy_from_slice(&bytes);
    Ok(array)
}

/// Reads a 32-byte address at `ptr`.
pub(crate) fn read_address(ctx: &mut impl HostContext, ptr: i32) -> Result<Address, HostError> {
    read_array::<32>(ctx, ptr).map(Address)
}

/// Reads a balance (16 bytes, little-endian) at `ptr`.
pub(crate) fn read_balance(ctx: &mut impl HostContext, ptr: i32) -> Result<Balance, HostError> {
    read_array::<16>(ctx, ptr).map(Balance::from_le_bytes)
}
