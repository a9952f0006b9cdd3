//! `chain_data`: transactions, blocks, receipts and traces from the wire or the disk.

use parity_scale_codec::{Decode, Encode};
use weft_primitives::{Block, Receipt, SignedTransaction, Trace, decode_exact};

/// What decodes from `data` encodes back to exactly `data`: one value has one encoding, so a
/// transaction's hash cannot be changed by re-encoding it.
fn canonical<T: Decode + Encode + std::fmt::Debug>(what: &'static str, data: &[u8]) -> Option<T> {
    let value = decode_exact::<T>(what, data).ok()?;
    assert_eq!(value.encode(), data, "{what} {value:?} has another encoding");
    Some(value)
}

/// The first byte picks the type; the rest is decoded as it. A decoded transaction's signature
/// is checked (strict ed25519), which must not panic either.
pub fn chain_data(data: &[u8]) {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    match kind % 4 {
        0 => {
            if let Some(tx) = canonical::<SignedTransaction>("transaction", rest) {
                let _ = tx.verify(tx.tx.chain_id);
                let _ = tx.hash();
            }
        }
        1 => {
            if let Some(block) = canonical::<Block>("block", rest) {
                let _ = (block.hash(), Block::tx_root(&block.transactions));
            }
        }
        2 => {
            canonical::<Receipt>("receipt", rest);
        }
        _ => {
            canonical::<Trace>("trace", rest);
        }
    }
}
