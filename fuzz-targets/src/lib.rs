//! `weft-fuzz-targets`: the bodies of Weft's fuzz targets, one function per surface that takes
//! untrusted bytes or text. Each takes arbitrary bytes and must return without panicking,
//! aborting or running away; where an invariant exists it is asserted (a panic is a finding).
//!
//! `fuzz/` wraps each one in a libFuzzer target (`cargo +nightly fuzz run NAME`, see
//! `scripts/fuzz.sh`); `tests/smoke.rs` runs each on a fixed pseudo-random corpus inside the test
//! suite, on the stable toolchain.
//!
//! | target | what it feeds |
//! |---|---|
//! | [`prepare_and_run`] | raw bytes, or a module wasm-smith builds from them, to `Vm::compile` (validate, instrument, compile), then two runs of an export on fresh state that must agree |
//! | [`abi`] | a `weft_abi` section and SCALE bytes through the ABI's types: decode to JSON, encode back, the same bytes |
//! | [`abi_json`] | a type and a JSON value to SCALE, and back to the same JSON |
//! | [`chain_data`] | `decode_exact` of transactions, blocks, receipts and traces; what decodes re-encodes to the same bytes |
//! | [`rpc_params`] | JSON-RPC parameters: the request views of `weft-rpc`, their addresses, hashes and hex |
//! | [`host_calls`] | a contract that calls host functions with arguments taken from the input: any pointer, any length |

mod abi;
mod chain;
mod host;
mod rpc;
mod seeds;
mod wasm;

pub use abi::{abi, abi_json};
pub use chain::chain_data;
pub use host::host_calls;
pub use rpc::rpc_params;
pub use seeds::seeds;
pub use wasm::prepare_and_run;

/// A target: it takes any bytes.
pub type Target = fn(&[u8]);

/// Every target by name, for the smoke test and `scripts/fuzz.sh`.
pub const TARGETS: &[(&str, Target)] = &[
    ("prepare_and_run", prepare_and_run),
    ("abi", abi),
    ("abi_json", abi_json),
    ("chain_data", chain_data),
    ("rpc_params", rpc_params),
    ("host_calls", host_calls),
];
