//! [`ConsensusBlock`]: a Weft block as Commonware's consensus and marshal carry it. Its digest is
//! the block's own hash (keccak of the SCALE header), so a finalization certificate signs the
//! header, post-state root included; on the wire it is the block's SCALE bytes behind a length.

use bytes::{BufMut, Bytes};
use commonware_codec::{Buf, EncodeSize, Error as CodecError, RangeCfg, Read, Write};
use commonware_consensus::types::Height;
use commonware_consensus::{Block as ConsensusBlockTrait, Heightable};
use commonware_cryptography::{Digestible, sha256};
use parity_scale_codec::Encode;
use weft_primitives::{Block, Hash, decode_exact};

/// The digest consensus orders: a Weft block hash in Commonware's 32-byte digest type.
pub type Digest = sha256::Digest;

/// A block hash as a consensus digest.
pub fn digest_of(hash: Hash) -> Digest {
    sha256::Digest(hash.0)
}

/// A consensus digest as a block hash.
pub fn hash_of(digest: &Digest) -> Hash {
    Hash(digest.0)
}

/// A Weft block with its hash and its encoding, computed once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsensusBlock {
    block: Block,
    hash: Hash,
    encoded: Bytes,
}

impl ConsensusBlock {
    /// Wraps `block`, hashing and encoding it.
    pub fn new(block: Block) -> Self {
        let hash = block.header.hash();
        let encoded = Bytes::from(block.encode());
        Self { block, hash, encoded }
    }

    /// The Weft block.
    pub fn block(&self) -> &Block {
        &self.block
    }

    /// Its hash.
    pub fn hash(&self) -> Hash {
        self.hash
    }

    /// The size of its SCALE encoding, in bytes.
    pub fn size(&self) -> usize {
        self.encoded.len()
    }
}

impl Write for ConsensusBlock {
    fn write(&self, buf: &mut impl BufMut) {
        self.encoded.write(buf);
    }
}

impl EncodeSize for ConsensusBlock {
    fn encode_size(&self) -> usize {
        self.encoded.encode_size()
    }
}

impl Read for ConsensusBlock {
    /// The largest SCALE encoding accepted, in bytes.
    type Cfg = usize;

    fn read_cfg(buf: &mut impl Buf, max_bytes: &usize) -> Result<Self, CodecError> {
        let encoded = Bytes::read_cfg(buf, &RangeCfg::new(..=*max_bytes))?;
        let block: Block = decode_exact("block", &encoded)
            .map_err(|_| CodecError::Invalid("weft block", "not a SCALE block"))?;
        // One encoding per block: what decodes must encode back to the same bytes.
        let canonical = Self::new(block);
        if canonical.encoded != encoded {
            return Err(CodecError::Invalid("weft block", "not the canonical encoding"));
        }
        Ok(canonical)
    }
}

impl Digestible for ConsensusBlock {
    type Digest = Digest;

    fn digest(&self) -> Digest {
        digest_of(self.hash)
    }
}

impl Heightable for ConsensusBlock {
    fn height(&self) -> Height {
        Height::new(self.block.header.height)
    }
}

impl ConsensusBlockTrait for ConsensusBlock {
    fn parent(&self) -> Digest {
        digest_of(self.block.header.parent_hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::Encode as _;
    use weft_primitives::BlockHeader;

    fn block(height: u64) -> Block {
        Block {
            header: BlockHeader {
                parent_hash: Hash([1; 32]),
                height,
                timestamp: 7,
                state_root: Hash([2; 32]),
                tx_root: Hash([3; 32]),
                receipt_root: Hash([4; 32]),
                gas_used: 5,
                gas_limit: 6,
            },
            transactions: Vec::new(),
        }
    }

    #[test]
    fn a_block_round_trips_and_keeps_its_hash_as_digest() {
        let original = ConsensusBlock::new(block(3));
        let bytes = original.encode();
        assert_eq!(bytes.len(), original.encode_size());
        let decoded = ConsensusBlock::read_cfg(&mut bytes.clone(), &1024).unwrap();
        assert_eq!(decoded, original);
        assert_eq!(hash_of(&decoded.digest()), block(3).header.hash());
        assert_eq!(decoded.height(), Height::new(3));
        assert_eq!(hash_of(&decoded.parent()), Hash([1; 32]));
    }

    #[test]
    fn oversized_truncated_and_foreign_bytes_are_refused() {
        let bytes = ConsensusBlock::new(block(3)).encode();
        assert!(ConsensusBlock::read_cfg(&mut bytes.clone(), &(bytes.len() - 10)).is_err());
        assert!(ConsensusBlock::read_cfg(&mut bytes.slice(..bytes.len() - 1), &1024).is_err());
        // A length prefix in front of bytes that are no block.
        let junk = Bytes::from_static(&[9; 40]).encode();
        assert!(ConsensusBlock::read_cfg(&mut junk.clone(), &1024).is_err());
        // Trailing bytes after a block inside the prefix.
        let mut padded = block(3).encode();
        padded.push(0);
        let padded = Bytes::from(padded).encode();
        assert!(ConsensusBlock::read_cfg(&mut padded.clone(), &1024).is_err());
    }
}
