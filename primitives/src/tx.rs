//! Transactions and their signatures.

use ed25519_dalek::{Signer, VerifyingKey};
use parity_scale_codec::{Decode, Encode};

use crate::bytes::{Address, Hash, PublicKey, Signature};
use crate::error::TxError;
use crate::hash::keccak256_concat;
use crate::{Balance, Gas};

pub use ed25519_dalek::SigningKey;

/// Domain tag prefixed to the SCALE bytes of a [`Transaction`] before hashing for a signature, so
/// that a Weft transaction signature can never be replayed as a signature over another message.
pub const SIGNING_DOMAIN: &[u8] = b"weft:tx:v1";

/// What a transaction does.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub enum Action {
    /// Deploy `code` (a wasm module), run its optional `deploy` export with `init_args`; the new
    /// address is [`Address::for_contract`]`(sender, nonce, salt)`.
    #[codec(index = 0)]
    Deploy {
        /// The wasm module.
        code: Vec<u8>,
        /// SCALE-encoded constructor arguments.
        init_args: Vec<u8>,
        /// Chosen by the deployer; part of the contract address.
        salt: Hash,
    },
    /// Call exported function `method` of the contract at `to` with SCALE-encoded `args`.
    #[codec(index = 1)]
    Call {
        /// The contract.
        to: Address,
        /// The exported function.
        method: String,
        /// SCALE-encoded arguments.
        args: Vec<u8>,
    },
    /// Move `value` to `to` and run no code.
    #[codec(index = 2)]
    Transfer {
        /// The recipient.
        to: Address,
    },
    /// Store `code` (a wasm module, validated and compiled) under its keccak256 hash, to be
    /// deployed by [`Action::Instantiate`] or a contract's `create` as often as wanted. The
    /// receipt's return data is the 32-byte code hash. Storing code already stored is charged and
    /// succeeds: the code is kept once.
    #[codec(index = 3)]
    Upload {
        /// The wasm module.
        code: Vec<u8>,
    },
    /// Deploy the stored code `code_hash` at [`Address::for_contract`]`(sender, nonce, salt)`, run
    /// its optional `deploy` export with `init_args`.
    #[codec(index = 4)]
    Instantiate {
        /// The keccak256 hash of code stored by [`Action::Upload`] or a deploy.
        code_hash: Hash,
        /// SCALE-encoded constructor arguments.
        init_args: Vec<u8>,
        /// Chosen by the deployer; part of the contract address.
        salt: Hash,
    },
}

impl Action {
    /// `deploy`, `call`, `transfer`, `upload` or `instantiate`: how logs and the RPC name the
    /// action.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Deploy { .. } => "deploy",
            Self::Call { .. } => "call",
            Self::Transfer { .. } => "transfer",
            Self::Upload { .. } => "upload",
            Self::Instantiate { .. } => "instantiate",
        }
    }

    /// The bytes handed to the contract as its input: call arguments or constructor arguments.
    pub fn input(&self) -> &[u8] {
        match self {
            Self::Call { args, .. } => args,
            Self::Deploy { init_args, .. } | Self::Instantiate { init_args, .. } => init_args,
            Self::Transfer { .. } | Self::Upload { .. } => &[],
        }
    }
}

/// An unsigned transaction.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct Transaction {
    /// The chain this transaction is valid on (replay protection across chains).
    pub chain_id: u64,
    /// The ed25519 public key that signs it; the sender is [`Address::from_public_key`] of it.
    pub signer: PublicKey,
    /// Must equal the sender's account nonce.
    pub nonce: u64,
    /// The most gas this transaction may use.
    pub gas_limit: Gas,
    /// Price paid per unit of gas.
    pub gas_price: Balance,
    /// Value moved to the callee / new contract / recipient.
    pub value: Balance,
    /// What it does.
    pub action: Action,
}

impl Transaction {
    /// The hash that is signed: `keccak256(SIGNING_DOMAIN ‖ SCALE(tx))`.
    pub fn signing_hash(&self) -> Hash {
        keccak256_concat(&[SIGNING_DOMAIN, &self.encode()])
    }

    /// The sender's address.
    pub fn sender(&self) -> Address {
        Address::from_public_key(&self.signer)
    }

    /// Signs with `key`. The signature only verifies if `key`'s public key is [`Self::signer`];
    /// use [`Transaction::signer_of`] to fill that field.
    pub fn sign(self, key: &SigningKey) -> SignedTransaction {
        let signature = Signature(key.sign(&self.signing_hash().0).to_bytes());
        SignedTransaction { tx: self, signature }
    }

    /// The public key of `key`, for the [`Self::signer`] field.
    pub fn signer_of(key: &SigningKey) -> PublicKey {
        PublicKey(key.verifying_key().to_bytes())
    }
}

/// A transaction with its ed25519 signature. This is what travels on the wire and in blocks.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct SignedTransaction {
    /// The transaction.
    pub tx: Transaction,
    /// ed25519 signature of [`Transaction::signing_hash`] by [`Transaction::signer`].
    pub signature: Signature,
}

impl SignedTransaction {
    /// The encoded size of any signed transaction carrying `action`: its other fields (chain id,
    /// signer, nonce, gas limit, gas price, value, signature) have fixed sizes.
    pub fn encoded_size_with(action: &Action) -> usize {
        const FIXED: usize = 8 + 32 + 8 + 8 + 16 + 16 + 64;
        FIXED + action.encoded_size()
    }

    /// The transaction hash: `keccak256(SCALE(signed transaction))`.
    pub fn hash(&self) -> Hash {
        keccak256_concat(&[&self.encode()])
    }

    /// Stateless checks: the chain id is `chain_id`, the signer is a valid public key, and the
    /// signature verifies under strict ed25519 rules (no malleable or small-order encodings).
    pub fn verify(&self, chain_id: u64) -> Result<(), TxError> {
        self.verify_encoded(&self.tx.encode(), chain_id)
    }

    /// [`Self::verify`] with the transaction's SCALE bytes (`SCALE(self.tx)`) already at hand.
    pub(crate) fn verify_encoded(&self, tx_bytes: &[u8], chain_id: u64) -> Result<(), TxError> {
        if self.tx.chain_id != chain_id {
            return Err(TxError::WrongChainId {
                expected: chain_id,
                got: self.tx.chain_id,
            });
        }
        let key = VerifyingKey::from_bytes(&self.tx.signer.0).map_err(|_| TxError::InvalidPublicKey)?;
        let signature = ed25519_dalek::Signature::from_bytes(&self.signature.0);
        let signing_hash = keccak256_concat(&[SIGNING_DOMAIN, tx_bytes]);
        key.verify_strict(&signing_hash.0, &signature)
            .map_err(|_| TxError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode_exact;
    use proptest::prelude::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    #[test]
    fn the_size_of_a_transaction_follows_from_its_action() {
        let actions = [
            Action::Transfer { to: Address::ZERO },
            Action::Call {
                to: Address::ZERO,
                method: "transfer".into(),
                args: vec![1; 300],
            },
            Action::Deploy {
                code: vec![0; 70_000],
                init_args: vec![2; 5],
                salt: Hash::ZERO,
            },
            Action::Upload { code: vec![0; 300] },
            Action::Instantiate {
                code_hash: Hash([1; 32]),
                init_args: vec![2; 70],
                salt: Hash::ZERO,
            },
        ];
        for action in actions {
            let mut tx = sample(&key(1), action.clone());
            tx.nonce = u64::MAX;
            tx.value = u128::MAX;
            let signed = tx.sign(&key(1));
            assert_eq!(
                SignedTransaction::encoded_size_with(&action),
                signed.encoded_size()
            );
        }
    }

    fn sample(key: &SigningKey, action: Action) -> Transaction {
        Transaction {
            chain_id: 7,
            signer: Transaction::signer_of(key),
            nonce: 3,
            gas_limit: 1_000_000,
            gas_price: 1,
            value: 42,
            action,
        }
    }

    fn actions() -> Vec<Action> {
        vec![
            Action::Deploy {
                code: vec![0, 97, 115, 109],
                init_args: vec![1, 2],
                salt: Hash([5; 32]),
            },
            Action::Call {
                to: Address([9; 32]),
                method: "transfer".into(),
                args: vec![7; 40],
            },
            Action::Transfer { to: Address([8; 32]) },
            Action::Upload {
                code: vec![0, 97, 115, 109, 1],
            },
            Action::Instantiate {
                code_hash: Hash([3; 32]),
                init_args: vec![4],
                salt: Hash([6; 32]),
            },
        ]
    }

    #[test]
    fn sign_verify_round_trip() {
        let k = key(1);
        for action in actions() {
            let signed = sample(&k, action).sign(&k);
            assert_eq!(signed.verify(7), Ok(()));
            let bytes = signed.encode();
            let back: SignedTransaction = decode_exact("signed transaction", &bytes).unwrap();
            assert_eq!(back, signed);
            assert_eq!(back.hash(), signed.hash());
        }
    }

    #[test]
    fn wrong_chain_bad_signature_bad_key() {
        let k = key(1);
        let signed = sample(&k, Action::Transfer { to: Address::ZERO }).sign(&k);
        assert_eq!(
            signed.verify(8),
            Err(TxError::WrongChainId { expected: 8, got: 7 })
        );

        let mut tampered = signed.clone();
        tampered.tx.value += 1;
        assert_eq!(tampered.verify(7), Err(TxError::BadSignature));

        let mut flipped = signed.clone();
        flipped.signature.0[10] ^= 1;
        assert_eq!(flipped.verify(7), Err(TxError::BadSignature));

        // Signed by another key than the one named as signer.
        let other = sample(&k, Action::Transfer { to: Address::ZERO }).sign(&key(2));
        assert_eq!(other.verify(7), Err(TxError::BadSignature));

        // A signer field that is not a curve point (y = 2 has no x on ed25519).
        let mut bad_key = signed.clone();
        bad_key.tx.signer = PublicKey({
            let mut b = [0u8; 32];
            b[0] = 2;
            b
        });
        assert_eq!(bad_key.verify(7), Err(TxError::InvalidPublicKey));

        // The identity point is a small-order key: strict verification refuses it.
        let mut weak = signed;
        weak.tx.signer = PublicKey({
            let mut b = [0u8; 32];
            b[0] = 1;
            b
        });
        weak.signature = Signature([0; 64]);
        assert!(weak.verify(7).is_err());
    }

    #[test]
    fn malformed_bytes_are_errors() {
        let k = key(1);
        let bytes = sample(&k, actions().remove(1)).sign(&k).encode();
        for cut in [0, 1, 8, 40, bytes.len() - 1] {
            let err = decode_exact::<SignedTransaction>("signed transaction", &bytes[..cut]).unwrap_err();
            assert_eq!(err.what, "signed transaction");
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(decode_exact::<SignedTransaction>("signed transaction", &extra).is_err());
        // An action discriminant that does not exist.
        let mut bad_action = bytes;
        let offset = 8 + 32 + 8 + 8 + 16 + 16;
        bad_action[offset] = 9;
        assert!(decode_exact::<SignedTransaction>("signed transaction", &bad_action).is_err());
    }

    #[test]
    fn huge_declared_length_is_an_error_not_an_allocation() {
        // Call action whose method string claims 2^30 bytes but carries none.
        let mut bytes = sample(&key(1), Action::Transfer { to: Address::ZERO }).encode();
        let offset = 8 + 32 + 8 + 8 + 16 + 16;
        bytes.truncate(offset);
        bytes.push(1); // Action::Call
        bytes.extend_from_slice(&[0u8; 32]); // to
        bytes.extend_from_slice(&parity_scale_codec::Compact(1u32 << 30).encode());
        assert!(decode_exact::<Transaction>("transaction", &bytes).is_err());
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            // Never a panic; and whatever does decode re-encodes to exactly the input (canonical form).
            if let Ok(tx) = decode_exact::<SignedTransaction>("signed transaction", &bytes) {
                prop_assert_eq!(tx.encode(), bytes);
            }
        }

        #[test]
        fn signatures_bind_every_field(nonce in any::<u64>(), gas in any::<u64>(), value in any::<u128>()) {
            let k = key(3);
            let mut tx = sample(&k, Action::Transfer { to: Address([1; 32]) });
            tx.nonce = nonce;
            tx.gas_limit = gas;
            tx.value = value;
            let signed = tx.clone().sign(&k);
            prop_assert_eq!(signed.verify(7), Ok(()));
            let mut changed = signed.clone();
            changed.tx.nonce = nonce.wrapping_add(1);
            prop_assert_eq!(changed.verify(7), Err(TxError::BadSignature));
        }
    }
}
