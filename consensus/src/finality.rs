//! Checking a stored finalization: the certificate `weft_getBlockByNumber` serves beside a block,
//! decoded and verified against the genesis validator set, for the block it names.

use bytes::Bytes;
use commonware_codec::Decode as _;
use commonware_consensus::simplex::types::Finalization;
use commonware_cryptography::certificate::Verifier as _;
use commonware_parallel::Sequential;
use commonware_utils::ordered::Set;
use thiserror::Error;
use weft_primitives::Hash;

use crate::block::{Digest, hash_of};
use crate::{PublicKey, Scheme};

/// Why a finalization certificate does not finalize a block.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FinalityError {
    /// The bytes are no finalization certificate for this validator set.
    #[error("not a finalization certificate: {0}")]
    Malformed(String),
    /// It finalizes another block.
    #[error("it finalizes block {finalized}, not {expected}")]
    OtherBlock {
        /// The block it finalizes.
        finalized: Hash,
        /// The block it was checked for.
        expected: Hash,
    },
    /// Its signatures are not a quorum of the validators'.
    #[error("its signatures are not a quorum of the validator set")]
    BadSignatures,
}

/// Checks that `certificate` (as stored beside a block) is a quorum of `validators` finalizing
/// the block `block` of the chain whose signatures are bound to `namespace`.
pub fn verify_finalization(
    certificate: &[u8],
    validators: &[PublicKey],
    namespace: &[u8],
    block: Hash,
) -> Result<(), FinalityError> {
    let participants = Set::from_iter_dedup(validators.iter().cloned());
    let scheme = Scheme::verifier(namespace, participants);
    let finalization = Finalization::<Scheme, Digest>::decode_cfg(
        Bytes::copy_from_slice(certificate),
        &scheme.certificate_codec_config(),
    )
    .map_err(|e| FinalityError::Malformed(e.to_string()))?;
    let finalized = hash_of(&finalization.proposal.payload);
    if finalized != block {
        return Err(FinalityError::OtherBlock {
            finalized,
            expected: block,
        });
    }
    if !finalization.verify(&mut rand::rng(), &scheme, &Sequential) {
        return Err(FinalityError::BadSignatures);
    }
    Ok(())
}
