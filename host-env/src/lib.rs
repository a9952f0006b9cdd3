//! The host-function ABI of Weft contracts (module `env`): one table of functions, gas charged
//! before work, every guest pointer checked. Documented in `docs/ABI.md`.
//!
//! Contents arrive with the VM and host-environment issue; this crate exports nothing yet.
