//! Weft's execution engine: Wasmer's single-pass compiler, the module cache (in memory and
//! persisted artifacts) and `execute` → `Outcome`.
//!
//! Contents arrive with the VM and host-environment issue; this crate exports nothing yet.
