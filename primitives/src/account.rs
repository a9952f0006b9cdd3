//! Accounts: what the state holds for every address.

use parity_scale_codec::{Decode, Encode};

use crate::Balance;
use crate::bytes::Hash;

/// The state of one address. An address never touched is the [`Default`] account: nonce 0, no
/// balance, no code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Encode, Decode)]
pub struct Account {
    /// Transactions sent from this account.
    pub nonce: u64,
    /// Its balance.
    pub balance: Balance,
    /// `keccak256` of its contract code as deployed, if it is a contract.
    pub code_hash: Option<Hash>,
}

impl Account {
    /// Whether this account is a contract.
    pub fn is_contract(&self) -> bool {
        self.code_hash.is_some()
    }
}
