//! `weft-sdk`: the `no_std` contract-side library — safe wrappers over the host ABI, typed storage,
//! events, cross-contract calls and the `#[contract]` macro.
//!
//! Contents arrive with the SDK issue; this crate exports nothing yet.
#![no_std]
