//! [`VerifiedTx`]: a signed transaction checked once — chain id and signature — and carried from
//! decoding to commit with what the check computed on the way (hash, sender, encoded size), as
//! reth's recovered transactions are. Nothing re-encodes or re-hashes it after.

use parity_scale_codec::Encode;

use crate::bytes::{Address, Hash};
use crate::error::TxError;
use crate::hash::keccak256;
use crate::tx::SignedTransaction;

/// The SCALE size of a signature: the last bytes of a signed transaction's encoding.
const SIGNATURE_BYTES: usize = 64;

/// A signed transaction whose chain id and signature were checked, with its hash, sender and
/// encoded size. Only [`VerifiedTx::verify`] makes one, so holding one means it verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedTx {
    signed: SignedTransaction,
    hash: Hash,
    sender: Address,
    size: usize,
}

impl VerifiedTx {
    /// Checks `signed` for chain `chain_id` (see [`SignedTransaction::verify`]), encoding it once:
    /// the hash and the signed message both come from that encoding. On failure, the
    /// transaction comes back with why.
    pub fn verify(
        signed: SignedTransaction,
        chain_id: u64,
    ) -> Result<Self, Box<(SignedTransaction, TxError)>> {
        let encoded = signed.encode();
        // SCALE(signed) = SCALE(tx) ‖ signature: the signed message is the prefix.
        let tx_bytes = &encoded[..encoded.len() - SIGNATURE_BYTES];
        if let Err(error) = signed.verify_encoded(tx_bytes, chain_id) {
            return Err(Box::new((signed, error)));
        }
        Ok(Self {
            hash: keccak256(&encoded),
            sender: signed.tx.sender(),
            size: encoded.len(),
            signed,
        })
    }

    /// The signed transaction.
    pub fn signed(&self) -> &SignedTransaction {
        &self.signed
    }

    /// The signed transaction, given up.
    pub fn into_signed(self) -> SignedTransaction {
        self.signed
    }

    /// [`SignedTransaction::hash`].
    pub fn hash(&self) -> Hash {
        self.hash
    }

    /// The sender's address.
    pub fn sender(&self) -> Address {
        self.sender
    }

    /// The encoded size in bytes.
    pub fn size(&self) -> usize {
        self.size
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Action, SigningKey, Transaction};

    fn signed(chain_id: u64) -> SignedTransaction {
        let key = SigningKey::from_bytes(&[9; 32]);
        Transaction {
            chain_id,
            signer: Transaction::signer_of(&key),
            nonce: 3,
            gas_limit: 50_000,
            gas_price: 2,
            value: 7,
            action: Action::Call {
                to: Address([4; 32]),
                method: "ping".into(),
                args: vec![1, 2, 3],
            },
        }
        .sign(&key)
    }

    #[test]
    fn carries_what_the_signed_transaction_computes() {
        let tx = signed(5);
        let verified = VerifiedTx::verify(tx.clone(), 5).unwrap();
        assert_eq!(verified.hash(), tx.hash());
        assert_eq!(verified.sender(), tx.tx.sender());
        assert_eq!(verified.size(), tx.encoded_size());
        assert_eq!(verified.into_signed(), tx);
    }

    #[test]
    fn refuses_what_verify_refuses() {
        let (back, error) = *VerifiedTx::verify(signed(5), 6).unwrap_err();
        assert_eq!(back, signed(5));
        assert_eq!(error, signed(5).verify(6).unwrap_err());
        let mut forged = signed(5);
        forged.tx.value += 1;
        assert_eq!(
            VerifiedTx::verify(forged.clone(), 5).unwrap_err().1,
            TxError::BadSignature
        );
        assert_eq!(forged.verify(5), Err(TxError::BadSignature));
        let mut bad_key = signed(5);
        bad_key.tx.signer.0 = [0xff; 32];
        assert_eq!(
            VerifiedTx::verify(bad_key.clone(), 5).unwrap_err().1,
            bad_key.verify(5).unwrap_err()
        );
    }
}
