//! [`HOST_FUNCTIONS`]: the one table of what a contract may import from module `env`.

use weft_gas::{AbiType, HostFunction};

use AbiType::{I32, I64};

/// One table entry.
const fn f(name: &'static str, params: &'static [AbiType], results: &'static [AbiType]) -> HostFunction {
    HostFunction {
        name,
        params,
        results,
    }
}

/// Every function a contract may import from module `env`, with its wasm signature. `docs/ABI.md`
/// documents each one; `weft-vm` binds each one to its implementation in this crate.
pub const HOST_FUNCTIONS: &[HostFunction] = &[
    // Input and output.
    f("input", &[I32], &[]),
    f("register_len", &[I32], &[I64]),
    f("read_register", &[I32, I32], &[]),
    f("return_data", &[I32, I32], &[]),
    f("revert", &[I32, I32], &[]),
    f("abort", &[I32, I32], &[]),
    f("debug_log", &[I32, I32], &[]),
    // Storage.
    f("storage_read", &[I32, I32, I32], &[I32]),
    f("storage_write", &[I32, I32, I32, I32], &[]),
    f("storage_remove", &[I32, I32], &[I32]),
    f("storage_has", &[I32, I32], &[I32]),
    // Context.
    f("caller", &[I32], &[]),
    f("self_address", &[I32], &[]),
    f("origin", &[I32], &[]),
    f("block_height", &[], &[I64]),
    f("block_timestamp", &[], &[I64]),
    f("chain_id", &[], &[I64]),
    f("value_received", &[I32], &[]),
    f("balance", &[I32], &[]),
    f("balance_of", &[I32, I32], &[]),
    f("gas_left", &[], &[I64]),
    // Value and events.
    f("transfer", &[I32, I32], &[I32]),
    f("emit_event", &[I32, I32, I32, I32], &[]),
    // Crypto.
    f("keccak256", &[I32, I32, I32], &[]),
    f("sha256", &[I32, I32, I32], &[]),
    f("ed25519_verify", &[I32, I32, I32, I32], &[I32]),
    f("secp256k1_recover", &[I32, I32, I32, I32], &[I32]),
    // Cross-contract calls.
    f("call", &[I32, I32, I32, I32, I32, I32, I64, I32], &[I32]),
];
