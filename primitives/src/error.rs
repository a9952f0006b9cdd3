//! Error types of this crate.

use thiserror::Error;

/// SCALE bytes that do not decode to the expected value.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("cannot decode {what}: {reason}")]
pub struct DecodeError {
    /// What was being decoded (e.g. "signed transaction").
    pub what: &'static str,
    /// The codec's explanation.
    pub reason: String,
}

/// A hex string that is not a valid fixed-size byte string.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseHexError {
    /// Wrong number of hex digits.
    #[error("expected {expected} bytes ({} hex digits), got {got_digits} digits", 2 * expected)]
    Length {
        /// Bytes expected.
        expected: usize,
        /// Hex digits found (after an optional `0x`).
        got_digits: usize,
    },
    /// A character that is not a hex digit.
    #[error("invalid hex: {0}")]
    Digits(String),
}

/// Why a signed transaction fails its stateless checks.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TxError {
    /// The transaction names another chain.
    #[error("wrong chain id: this chain is {expected}, the transaction is for {got}")]
    WrongChainId {
        /// This chain's id.
        expected: u64,
        /// The transaction's chain id.
        got: u64,
    },
    /// The signer field is not a valid ed25519 public key.
    #[error("signer is not a valid ed25519 public key")]
    InvalidPublicKey,
    /// The signature does not verify (strict ed25519 verification) for the signer.
    #[error("signature does not verify for the signer")]
    BadSignature,
}
