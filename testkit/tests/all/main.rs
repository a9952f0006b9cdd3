//! `weft-testkit`'s integration tests, one binary: the example contracts (token, counter, escrow,
//! caller, factory, upgradeable) and the test chain itself, as a contract author writes them.

mod caller;
mod chain;
mod counter;
mod escrow;
mod lifecycle;
mod token;
