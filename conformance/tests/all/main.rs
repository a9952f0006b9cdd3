//! The conformance harness's tests, one binary.
#![allow(clippy::unwrap_used)]

mod harness;
