//! Decoding untrusted SCALE bytes.

use parity_scale_codec::{Decode, DecodeLimit};

use crate::error::DecodeError;

/// The deepest nesting [`decode_exact`] accepts. Weft's types nest a handful of levels; the bound
/// stops crafted input from recursing deeply in the decoder.
pub const MAX_DECODE_DEPTH: u32 = 32;

/// Decodes a whole `T` from `bytes`: trailing bytes, truncation, bad discriminants and over-deep
/// nesting are errors, never panics. `what` names the value in the error.
pub fn decode_exact<T: Decode>(what: &'static str, bytes: &[u8]) -> Result<T, DecodeError> {
    let mut input = bytes;
    T::decode_all_with_depth_limit(MAX_DECODE_DEPTH, &mut input).map_err(|e| DecodeError {
        what,
        reason: e.to_string(),
    })
}
