//! Deploy-time checks and rewriting of contract wasm: validation against Weft's feature policy and
//! limits, deterministic gas and stack-height instrumentation, and the versioned `GasSchedule`.
//!
//! Engine-agnostic (wasmparser + wasm-encoder), no Wasmer dependency. Contents arrive with the
//! gas-metering issue; this crate exports nothing yet.
