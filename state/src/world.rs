//! The world state's layout over the columns: accounts, contract code and contract storage.
//!
//! - [`Column::Accounts`]: key = the 32-byte address, value = SCALE [`Account`]; an absent key is
//!   the default (empty) account, and an account equal to the default is deleted, not stored.
//! - [`Column::Code`]: key = `keccak256(code)`, value = the code as deployed (before
//!   instrumentation, so that a new gas schedule can re-instrument it).
//! - [`Column::Storage`]: key = contract address ‖ contract key, value = the contract's bytes.

use weft_primitives::{Account, Address, Balance, Hash, decode_exact, scale::Encode};

use crate::column::Column;
use crate::error::StoreError;
use crate::overlay::Overlay;
use crate::store::KvStore;

/// The [`Column::Storage`] key of `key` in `contract`'s storage.
pub fn storage_key(contract: &Address, key: &[u8]) -> Vec<u8> {
    let mut full = Vec::with_capacity(Address::LEN + key.len());
    full.extend_from_slice(contract.as_bytes());
    full.extend_from_slice(key);
    full
}

impl<S: KvStore> Overlay<S> {
    /// The account at `address` (the default account if it was never written).
    pub fn account(&self, address: &Address) -> Result<Account, StoreError> {
        match self.get(Column::Accounts, address.as_bytes())? {
            Some(bytes) => decode_exact("account", &bytes).map_err(|e| StoreError::Corrupt {
                what: "account",
                reason: e.to_string(),
            }),
            None => Ok(Account::default()),
        }
    }

    /// Sets the account at `address`; the default account is stored as no entry at all.
    pub fn set_account(&mut self, address: &Address, account: &Account) {
        if *account == Account::default() {
            self.delete(Column::Accounts, address.as_bytes());
        } else {
            self.put(Column::Accounts, address.as_bytes(), account.encode());
        }
    }

    /// The code whose hash is `code_hash`, if it was stored.
    pub fn code(&self, code_hash: &Hash) -> Result<Option<Vec<u8>>, StoreError> {
        self.get(Column::Code, code_hash.as_bytes())
    }

    /// Stores `code` under its hash, which it returns.
    pub fn put_code(&mut self, code: &[u8]) -> Hash {
        let hash = weft_primitives::keccak256(code);
        self.put(Column::Code, hash.as_bytes(), code.to_vec());
        hash
    }

    /// `key` of `contract`'s storage.
    pub fn storage(&self, contract: &Address, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.get(Column::Storage, &storage_key(contract, key))
    }

    /// Sets `key` of `contract`'s storage.
    pub fn set_storage(&mut self, contract: &Address, key: &[u8], value: Vec<u8>) {
        self.put(Column::Storage, &storage_key(contract, key), value);
    }

    /// Removes `key` of `contract`'s storage.
    pub fn remove_storage(&mut self, contract: &Address, key: &[u8]) {
        self.delete(Column::Storage, &storage_key(contract, key));
    }

    /// Moves `amount` from `from` to `to`. `Ok(false)`, and nothing changes, when `from` has less
    /// than `amount` (or `to`'s balance would overflow). A transfer to oneself changes nothing.
    pub fn transfer(&mut self, from: &Address, to: &Address, amount: Balance) -> Result<bool, StoreError> {
        let mut payer = self.account(from)?;
        let Some(left) = payer.balance.checked_sub(amount) else {
            return Ok(false);
        };
        if from == to || amount == 0 {
            return Ok(true);
        }
        let mut payee = self.account(to)?;
        let Some(total) = payee.balance.checked_add(amount) else {
            return Ok(false);
        };
        payer.balance = left;
        payee.balance = total;
        self.set_account(from, &payer);
        self.set_account(to, &payee);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemStore;

    #[test]
    fn accounts_default_until_written_and_default_is_not_stored() {
        let store = MemStore::new();
        let mut o = Overlay::new(&store);
        let a = Address([7; 32]);
        assert_eq!(o.account(&a).unwrap(), Account::default());
        let funded = Account {
            nonce: 1,
            balance: 5,
            code_hash: None,
        };
        o.set_account(&a, &funded);
        assert_eq!(o.account(&a).unwrap(), funded);
        o.set_account(&a, &Account::default());
        assert_eq!(o.get(Column::Accounts, a.as_bytes()).unwrap(), None);
    }

    #[test]
    fn corrupt_account_bytes_are_a_store_error() {
        let store = MemStore::new();
        let mut o = Overlay::new(&store);
        let a = Address([1; 32]);
        o.put(Column::Accounts, a.as_bytes(), vec![0xff]);
        assert!(matches!(
            o.account(&a),
            Err(StoreError::Corrupt { what: "account", .. })
        ));
    }

    #[test]
    fn transfers_move_value_or_change_nothing() {
        let store = MemStore::new();
        let mut o = Overlay::new(&store);
        let (a, b) = (Address([1; 32]), Address([2; 32]));
        let rich = Account {
            balance: 10,
            ..Account::default()
        };
        o.set_account(&a, &rich);
        assert!(o.transfer(&a, &b, 4).unwrap());
        assert_eq!(
            (o.account(&a).unwrap().balance, o.account(&b).unwrap().balance),
            (6, 4)
        );
        assert!(!o.transfer(&a, &b, 7).unwrap());
        assert_eq!(
            (o.account(&a).unwrap().balance, o.account(&b).unwrap().balance),
            (6, 4)
        );
        assert!(o.transfer(&a, &a, 6).unwrap());
        assert_eq!(o.account(&a).unwrap().balance, 6);
        o.set_account(
            &b,
            &Account {
                balance: u128::MAX,
                ..Account::default()
            },
        );
        assert!(
            !o.transfer(&a, &b, 1).unwrap(),
            "overflowing the payee is refused"
        );
        assert_eq!(o.account(&a).unwrap().balance, 6);
    }

    #[test]
    fn storage_is_namespaced_by_contract() {
        let store = MemStore::new();
        let mut o = Overlay::new(&store);
        let (a, b) = (Address([1; 32]), Address([2; 32]));
        o.set_storage(&a, b"k", b"va".to_vec());
        assert_eq!(o.storage(&a, b"k").unwrap(), Some(b"va".to_vec()));
        assert_eq!(o.storage(&b, b"k").unwrap(), None);
        o.remove_storage(&a, b"k");
        assert_eq!(o.storage(&a, b"k").unwrap(), None);
        let code_hash = o.put_code(b"\0asm");
        assert_eq!(code_hash, weft_primitives::keccak256(b"\0asm"));
        assert_eq!(o.code(&code_hash).unwrap(), Some(b"\0asm".to_vec()));
    }
}
