//! The devnet's ten prefunded accounts, derived from a fixed, documented seed.
//!
//! Account `i` (0-based, named [`DEV_ACCOUNT_NAMES`]`[i]`) has the ed25519 secret key
//! `keccak256("weft devnet seed" ‖ i as u32 little-endian)` and the address
//! `Address::from_public_key` of its public key. The keys are public knowledge: devnet only.

use weft_primitives::{Address, SigningKey, Transaction, keccak256_concat};

/// The fixed seed of the dev accounts.
pub const DEV_SEED: &[u8] = b"weft devnet seed";

/// Names of the dev accounts, in order.
pub const DEV_ACCOUNT_NAMES: [&str; 10] = [
    "alice", "bob", "carol", "dave", "eve", "frank", "grace", "heidi", "ivan", "judy",
];

/// One dev account.
#[derive(Clone)]
pub struct DevAccount {
    /// Its name.
    pub name: &'static str,
    /// Its signing key (public knowledge).
    pub key: SigningKey,
    /// Its address.
    pub address: Address,
}

impl std::fmt::Debug for DevAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevAccount")
            .field("name", &self.name)
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl DevAccount {
    /// The secret key as `0x` + hex, for the start-up banner.
    pub fn secret_hex(&self) -> String {
        format!("0x{}", hex::encode(self.key.to_bytes()))
    }
}

/// The ten dev accounts.
pub fn dev_accounts() -> Vec<DevAccount> {
    DEV_ACCOUNT_NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            let secret = keccak256_concat(&[DEV_SEED, &index.to_le_bytes()]);
            let key = SigningKey::from_bytes(&secret.0);
            let address = Address::from_public_key(&Transaction::signer_of(&key));
            DevAccount { name, key, address }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_accounts_are_fixed_and_distinct() {
        let accounts = dev_accounts();
        assert_eq!(accounts.len(), 10);
        let again = dev_accounts();
        for (a, b) in accounts.iter().zip(&again) {
            assert_eq!(a.address, b.address);
            assert_eq!(a.secret_hex(), b.secret_hex());
        }
        let mut addresses: Vec<_> = accounts.iter().map(|a| a.address).collect();
        addresses.sort();
        addresses.dedup();
        assert_eq!(addresses.len(), 10);
    }
}
