//! Blocks and block headers.

use parity_scale_codec::{Decode, Encode};

use crate::bytes::Hash;
use crate::hash::{keccak256, merkle_root};
use crate::tx::SignedTransaction;
use crate::{Gas, Receipt};

/// A block header. Its hash, [`BlockHeader::hash`], identifies the block.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct BlockHeader {
    /// Hash of the parent header; [`Hash::ZERO`] for genesis.
    pub parent_hash: Hash,
    /// Height; genesis is 0.
    pub height: u64,
    /// Unix time in seconds.
    pub timestamp: u64,
    /// State commitment after this block's transactions.
    pub state_root: Hash,
    /// [`merkle_root`] of the transaction hashes, in block order.
    pub tx_root: Hash,
    /// [`merkle_root`] of the receipt hashes, in block order.
    pub receipt_root: Hash,
    /// Gas used by all transactions of the block.
    pub gas_used: Gas,
    /// The most gas the block's transactions may use together.
    pub gas_limit: Gas,
}

impl BlockHeader {
    /// `keccak256(SCALE(header))`.
    pub fn hash(&self) -> Hash {
        keccak256(&self.encode())
    }
}

/// A block: a header and its transactions.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct Block {
    /// The header.
    pub header: BlockHeader,
    /// The transactions, in execution order.
    pub transactions: Vec<SignedTransaction>,
}

impl Block {
    /// The transaction root of `transactions`.
    pub fn tx_root(transactions: &[SignedTransaction]) -> Hash {
        merkle_root(
            &transactions
                .iter()
                .map(SignedTransaction::hash)
                .collect::<Vec<_>>(),
        )
    }

    /// The receipt root of `receipts`.
    pub fn receipt_root(receipts: &[Receipt]) -> Hash {
        merkle_root(&receipts.iter().map(Receipt::hash).collect::<Vec<_>>())
    }

    /// The block hash (its header's hash).
    pub fn hash(&self) -> Hash {
        self.header.hash()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Action, Address, SigningKey, Transaction, decode_exact};

    #[test]
    fn block_round_trip_and_roots() {
        let key = SigningKey::from_bytes(&[4; 32]);
        let txs: Vec<_> = (0..3)
            .map(|nonce| {
                Transaction {
                    chain_id: 1,
                    signer: Transaction::signer_of(&key),
                    nonce,
                    gas_limit: 21_000,
                    gas_price: 1,
                    value: 5,
                    action: Action::Transfer { to: Address([2; 32]) },
                }
                .sign(&key)
            })
            .collect();
        let header = BlockHeader {
            parent_hash: Hash([1; 32]),
            height: 5,
            timestamp: 1_700_000_000,
            state_root: Hash([3; 32]),
            tx_root: Block::tx_root(&txs),
            receipt_root: Hash::ZERO,
            gas_used: 63_000,
            gas_limit: 30_000_000,
        };
        let block = Block {
            header,
            transactions: txs,
        };
        let back: Block = decode_exact("block", &block.encode()).unwrap();
        assert_eq!(back, block);
        assert_eq!(back.hash(), block.hash());
        let mut other = block.clone();
        other.transactions.swap(0, 1);
        assert_ne!(Block::tx_root(&other.transactions), block.header.tx_root);
        other.header.height += 1;
        assert_ne!(other.hash(), block.hash());
    }
}
