//! `weft-vm`'s integration tests, one binary (one link of Wasmer): the module cache, nested
//! calls, execution, every host function, hostile contracts, and the contract lifecycle.

mod cache;
mod calls;
mod common;
mod execute;
mod host_abi;
mod hostile;
mod lifecycle;
