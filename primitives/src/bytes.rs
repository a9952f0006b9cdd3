//! Fixed-size byte strings: addresses, hashes, public keys and signatures.

use std::fmt;
use std::str::FromStr;

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use crate::error::ParseHexError;
use crate::hash::keccak256_concat;

/// Declares a fixed-size byte-string newtype with hex display and parsing.
macro_rules! fixed_bytes {
    ($(#[$doc:meta])* $name:ident, $len:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode, MaxEncodedLen)]
        pub struct $name(pub [u8; $len]);

        impl $name {
            /// Its length in bytes.
            pub const LEN: usize = $len;
            /// All bytes zero.
            pub const ZERO: Self = Self([0u8; $len]);

            /// The raw bytes.
            pub fn as_bytes(&self) -> &[u8; $len] {
                &self.0
            }

            /// Copies from a slice of exactly [`Self::LEN`] bytes.
            pub fn from_slice(bytes: &[u8]) -> Option<Self> {
                <[u8; $len]>::try_from(bytes).ok().map(Self)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::ZERO
            }
        }

        impl From<[u8; $len]> for $name {
            fn from(bytes: [u8; $len]) -> Self {
                Self(bytes)
            }
        }

        impl AsRef<[u8]> for $name {
            fn as_ref(&self) -> &[u8] {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "0x{}", hex::encode(self.0))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self)
            }
        }

        impl FromStr for $name {
            type Err = ParseHexError;

            /// Parses `0x`-prefixed (or bare) hex of exactly [`Self::LEN`] bytes.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let digits = s.strip_prefix("0x").unwrap_or(s);
                let mut out = [0u8; $len];
                if digits.len() != 2 * $len {
                    return Err(ParseHexError::Length { expected: $len, got_digits: digits.len() });
                }
                hex::decode_to_slice(digits, &mut out).map_err(|e| ParseHexError::Digits(e.to_string()))?;
                Ok(Self(out))
            }
        }
    };
}

fixed_bytes!(
    /// A 32-byte account or contract address.
    ///
    /// Accounts: `keccak256("weft:account:v1" ‖ public key)`; see [`Address::from_public_key`].
    /// Contracts: `keccak256("weft:contract:v1" ‖ deployer ‖ nonce (u64 LE) ‖ salt)`; see
    /// [`Address::for_contract`].
    Address,
    32
);

fixed_bytes!(
    /// A 32-byte keccak256 hash.
    Hash,
    32
);

fixed_bytes!(
    /// An ed25519 public key (compressed Edwards point).
    PublicKey,
    32
);

fixed_bytes!(
    /// An ed25519 signature.
    Signature,
    64
);

/// Domain tag of account addresses.
const ACCOUNT_DOMAIN: &[u8] = b"weft:account:v1";
/// Domain tag of contract addresses.
const CONTRACT_DOMAIN: &[u8] = b"weft:contract:v1";
/// Domain tag of the addresses of contracts created by contracts.
const CREATED_DOMAIN: &[u8] = b"weft:created:v1";

impl Address {
    /// The address of the account controlled by `key`: `keccak256("weft:account:v1" ‖ key)`.
    ///
    /// Hashing (rather than using the key itself) keeps addresses uniform and lets a later key
    /// scheme share the address space under another domain tag.
    pub fn from_public_key(key: &PublicKey) -> Self {
        Self(keccak256_concat(&[ACCOUNT_DOMAIN, &key.0]).0)
    }

    /// The address of a contract deployed by `deployer` in its transaction with `nonce`, with `salt`:
    /// `keccak256("weft:contract:v1" ‖ deployer ‖ nonce as u64 little-endian ‖ salt)`.
    ///
    /// The nonce makes every deployment's address unique even when the same code and salt are
    /// deployed twice; the salt lets one transaction's deployer choose among addresses.
    pub fn for_contract(deployer: &Address, nonce: u64, salt: &Hash) -> Self {
        Self(keccak256_concat(&[CONTRACT_DOMAIN, &deployer.0, &nonce.to_le_bytes(), &salt.0]).0)
    }

    /// The address of a contract that contract `deployer` creates from the code `code_hash` with
    /// `salt` (the `create` host function):
    /// `keccak256("weft:created:v1" ‖ deployer ‖ code_hash ‖ salt)`.
    ///
    /// No nonce: the address follows from what the deployer chose, so it is known before the
    /// creation (as the EVM's `CREATE2`); creating at a taken address is refused.
    pub fn for_created(deployer: &Address, code_hash: &Hash, salt: &Hash) -> Self {
        Self(keccak256_concat(&[CREATED_DOMAIN, &deployer.0, &code_hash.0, &salt.0]).0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_errors() {
        let a = Address([0xab; 32]);
        let s = a.to_string();
        assert_eq!(s.len(), 66);
        assert_eq!(s.parse::<Address>().unwrap(), a);
        assert_eq!(s[2..].parse::<Address>().unwrap(), a);
        assert_eq!(
            "0x12".parse::<Address>(),
            Err(ParseHexError::Length {
                expected: 32,
                got_digits: 2
            })
        );
        let bad = format!("0x{}", "zz".repeat(32));
        assert!(matches!(bad.parse::<Hash>(), Err(ParseHexError::Digits(_))));
    }

    #[test]
    fn contract_addresses_depend_on_every_input() {
        let d = Address([1; 32]);
        let base = Address::for_contract(&d, 0, &Hash::ZERO);
        assert_ne!(base, Address::for_contract(&Address([2; 32]), 0, &Hash::ZERO));
        assert_ne!(base, Address::for_contract(&d, 1, &Hash::ZERO));
        assert_ne!(base, Address::for_contract(&d, 0, &Hash([9; 32])));
        assert_eq!(base, Address::for_contract(&d, 0, &Hash::ZERO));
        // Account and contract address spaces are domain-separated.
        assert_ne!(Address::from_public_key(&PublicKey(d.0)), base);
    }

    #[test]
    fn created_addresses_depend_on_every_input_and_are_pinned() {
        let (d, code, salt) = (Address([1; 32]), Hash([2; 32]), Hash([3; 32]));
        let base = Address::for_created(&d, &code, &salt);
        assert_ne!(base, Address::for_created(&Address([4; 32]), &code, &salt));
        assert_ne!(base, Address::for_created(&d, &Hash([4; 32]), &salt));
        assert_ne!(base, Address::for_created(&d, &code, &Hash([4; 32])));
        // The documented derivation, spelled out: a client computes the same address.
        let mut preimage = b"weft:created:v1".to_vec();
        preimage.extend_from_slice(&[1; 32]);
        preimage.extend_from_slice(&[2; 32]);
        preimage.extend_from_slice(&[3; 32]);
        assert_eq!(base.0, crate::keccak256(&preimage).0);
        assert_ne!(base, Address::for_contract(&d, 0, &salt));
    }
}
