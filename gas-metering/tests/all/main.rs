//! `weft-gas`'s integration tests, one binary: gas charged as the schedule says, the feature
//! policy, properties against wasmi, a real Rust contract, and the schedule's snapshot.

mod common;
mod gas;
mod policy;
mod properties;
mod rust_contract;
mod schedule;
