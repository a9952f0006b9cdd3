//! The values contracts exchange with the host, SCALE-encoded as the chain encodes them.

use parity_scale_codec::{Decode, Encode};

/// A 32-byte account or contract address.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode)]
#[repr(transparent)]
pub struct Address(pub [u8; 32]);

/// A 32-byte hash (keccak256 unless said otherwise), also an event topic.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode)]
#[repr(transparent)]
pub struct Hash(pub [u8; 32]);
