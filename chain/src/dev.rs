//! The devnet's ten prefunded accounts, derived from a fixed, documented seed.
//!
//! Account `i` (0-based, named [`DEV_ACCOUNT_NAMES`]`[i]`) has the ed25519 secret key
//! `keccak256("weft devnet seed" ‖ i as u32 little-endian)` and the address
//! `Address::from_public_key` of its public key. The keys are public knowledge: devnet only.

use weft_primitives::{
    Action, Address, Balance, SignedTransaction, SigningKey, Transaction, keccak256_concat,
};

use crate::DEV_CHAIN_ID;

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

    /// A devnet transfer of `value` to `to` with `nonce`, signed by this account (gas limit
    /// [`DEV_TRANSFER_GAS_LIMIT`] at gas price 1).
    pub fn transfer(&self, to: Address, value: Balance, nonce: u64) -> SignedTransaction {
        Transaction {
            chain_id: DEV_CHAIN_ID,
            signer: Transaction::signer_of(&self.key),
            nonce,
            gas_limit: DEV_TRANSFER_GAS_LIMIT,
            gas_price: 1,
            value,
            action: Action::Transfer { to },
        }
        .sign(&self.key)
    }
}

/// The gas limit of [`DevAccount::transfer`]: above a transfer's intrinsic gas.
pub const DEV_TRANSFER_GAS_LIMIT: u64 = 100_000;

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

    #[test]
    fn a_dev_transfer_is_signed_by_its_account_and_covers_its_intrinsic_gas() {
        let accounts = dev_accounts();
        let tx = accounts[2].transfer(accounts[3].address, 9, 4);
        tx.verify(DEV_CHAIN_ID).unwrap();
        assert_eq!(tx.tx.sender(), accounts[2].address);
        assert_eq!((tx.tx.nonce, tx.tx.value), (4, 9));
        assert_eq!(
            tx.tx.action,
            Action::Transfer {
                to: accounts[3].address
            }
        );
        let vm = weft_vm::Vm::new(weft_gas::GasSchedule::default());
        let executor = crate::Executor::new(vm, DEV_CHAIN_ID, crate::DEV_BLOCK_GAS_LIMIT);
        assert!(executor.intrinsic_gas(&tx) <= DEV_TRANSFER_GAS_LIMIT);
    }

    /// The test vector of `docs/ENCODING.md` is what Weft signs: a client checks its signer
    /// against the document, the document is checked against the code.
    #[test]
    fn the_encoding_document_s_test_vector_is_what_weft_signs() {
        use parity_scale_codec::Encode;
        let accounts = dev_accounts();
        let (alice, bob) = (&accounts[0], &accounts[1]);
        let signed = alice.transfer(bob.address, 1, 0);
        let hex = |bytes: &[u8]| format!("0x{}", hex::encode(bytes));
        let computed = [
            ("secret key", alice.secret_hex()),
            ("public key", hex(&signed.tx.signer.0)),
            ("sender address", alice.address.to_string()),
            ("recipient address", bob.address.to_string()),
            ("SCALE(transaction)", hex(&signed.tx.encode())),
            ("signing hash", signed.tx.signing_hash().to_string()),
            ("signature", hex(&signed.signature.0)),
            ("SCALE(signed transaction)", hex(&signed.encode())),
            ("transaction hash", signed.hash().to_string()),
        ];
        let path = format!(
            "{}/../docs/ENCODING.md",
            std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for tests")
        );
        let document = std::fs::read_to_string(path).unwrap();
        let documented: Vec<(String, String)> = document
            .lines()
            .filter_map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                let [_, name, value, ..] = cells.as_slice() else {
                    return None;
                };
                let value = value.strip_prefix('`')?.strip_suffix('`')?;
                value
                    .starts_with("0x")
                    .then(|| (name.to_string(), value.to_string()))
            })
            .collect();
        for (name, value) in &computed {
            let found = documented.iter().find(|(n, _)| n == name);
            assert_eq!(found.map(|(_, v)| v), Some(value), "docs/ENCODING.md: `{name}`");
        }
    }
}
