//! Weft's core values and their canonical encoding.
//!
//! This crate owns what every other part of Weft agrees on byte for byte:
//! [`Address`] and [`Hash`] (32 bytes each), [`Balance`] (`u128`) and [`Gas`] (`u64`),
//! [`Transaction`] / [`SignedTransaction`] with ed25519 signatures, [`Block`] / [`BlockHeader`],
//! [`Receipt`] and [`Event`], [`Account`]. Everything is SCALE-encoded (`parity-scale-codec`); hashes are keccak256.
//!
//! Decoding untrusted bytes goes through [`decode_exact`], which rejects trailing bytes and bounds
//! nesting depth, and never panics.

mod account;
mod block;
mod bytes;
mod codec;
mod error;
mod hash;
mod receipt;
mod trace;
mod tx;
mod verified;

pub use account::Account;
pub use block::{Block, BlockHeader};
pub use bytes::{Address, Hash, PublicKey, Signature};
pub use codec::{MAX_DECODE_DEPTH, decode_exact};
pub use error::{DecodeError, ParseHexError, TxError};
pub use hash::{keccak256, keccak256_concat, merkle_root};
pub use receipt::{Event, ExecStatus, MAX_EVENT_TOPICS, Receipt, TrapKind};
pub use trace::{
    CallTrace, FrameKind, FrameStatus, HostCallCount, NoLabels, Trace, TraceLabels, TraceStep, TrapDetail,
};
pub use tx::{Action, SIGNING_DOMAIN, SignedTransaction, SigningKey, Transaction};
pub use verified::VerifiedTx;

/// An amount of the native token, in its smallest unit.
pub type Balance = u128;

/// An amount of gas.
pub type Gas = u64;

/// Re-exported so that users of this crate encode with the same codec version.
pub use parity_scale_codec as scale;
