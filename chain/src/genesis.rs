//! The genesis block's configuration: chain id, time, gas limit, funded accounts and pre-deployed
//! contracts. [`Genesis::dev`] is the devnet's built-in default; [`Genesis::from_json`] reads a file.

use parity_scale_codec::{Decode, Encode};
use serde::{Deserialize, Serialize};
use weft_primitives::{Address, Balance, Gas, Hash, keccak256};

use crate::dev::dev_accounts;
use crate::error::ChainError;

/// The devnet's chain id.
pub const DEV_CHAIN_ID: u64 = 1337;
/// Each dev account's starting balance: 10⁹ whole tokens of 10¹⁸ units.
pub const DEV_BALANCE: Balance = 1_000_000_000 * 1_000_000_000_000_000_000;
/// The devnet's block gas limit.
pub const DEV_BLOCK_GAS_LIMIT: Gas = 1_000_000_000;

/// A contract present from genesis.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct GenesisContract {
    /// Its address.
    pub address: Address,
    /// Its code, as deployed.
    pub code: Vec<u8>,
    /// The input of its constructor, if it has one.
    pub init_args: Vec<u8>,
    /// Its balance.
    pub balance: Balance,
}

/// Everything that determines block 0. Stored in the data directory, so that a node refuses to
/// resume a chain with another genesis and a replay rebuilds the same one. Its SCALE encoding
/// ends with the validator set only when there is one, so that a devnet's genesis (and its hash,
/// and the data directories made before networks) stays what it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Genesis {
    /// The chain id every transaction must carry.
    pub chain_id: u64,
    /// Block 0's timestamp (Unix seconds).
    pub timestamp: u64,
    /// Every block's gas limit.
    pub block_gas_limit: Gas,
    /// Funded accounts.
    pub accounts: Vec<(Address, Balance)>,
    /// Pre-deployed contracts.
    pub contracts: Vec<GenesisContract>,
    /// The validator set of a network: ed25519 public keys, one vote each. Empty for a devnet,
    /// whose one node produces every block.
    pub validators: Vec<[u8; 32]>,
}

impl Encode for Genesis {
    fn encode_to<T: parity_scale_codec::Output + ?Sized>(&self, dest: &mut T) {
        self.chain_id.encode_to(dest);
        self.timestamp.encode_to(dest);
        self.block_gas_limit.encode_to(dest);
        self.accounts.encode_to(dest);
        self.contracts.encode_to(dest);
        if !self.validators.is_empty() {
            self.validators.encode_to(dest);
        }
    }
}

impl Decode for Genesis {
    fn decode<I: parity_scale_codec::Input>(input: &mut I) -> Result<Self, parity_scale_codec::Error> {
        let chain_id = u64::decode(input)?;
        let timestamp = u64::decode(input)?;
        let block_gas_limit = Gas::decode(input)?;
        let accounts = Vec::decode(input)?;
        let contracts = Vec::decode(input)?;
        let validators = match input.remaining_len()? {
            Some(0) => Vec::new(),
            _ => {
                let validators: Vec<[u8; 32]> = Vec::decode(input)?;
                if validators.is_empty() {
                    return Err("an empty validator set is encoded by leaving it out".into());
                }
                validators
            }
        };
        Ok(Self {
            chain_id,
            timestamp,
            block_gas_limit,
            accounts,
            contracts,
            validators,
        })
    }
}

impl Genesis {
    /// The devnet: chain id 1337, time 0, the ten dev accounts funded with [`DEV_BALANCE`].
    pub fn dev() -> Self {
        Self {
            chain_id: DEV_CHAIN_ID,
            timestamp: 0,
            block_gas_limit: DEV_BLOCK_GAS_LIMIT,
            accounts: dev_accounts().iter().map(|a| (a.address, DEV_BALANCE)).collect(),
            contracts: Vec::new(),
            validators: Vec::new(),
        }
    }

    /// `keccak256(SCALE(genesis))`.
    pub fn hash(&self) -> Hash {
        keccak256(&self.encode())
    }

    /// Reads a JSON genesis file:
    ///
    /// ```json
    /// { "chain_id": 7, "timestamp": 1700000000, "block_gas_limit": 100000000,
    ///   "accounts": [ { "address": "0x…64 hex…", "balance": "1000000" } ],
    ///   "contracts": [ { "address": "0x…", "code": "0x0061736d…", "init_args": "0x", "balance": "0" } ],
    ///   "validators": [ "0x…64 hex: an ed25519 public key…" ] }
    /// ```
    ///
    /// Balances are decimal strings (they exceed JSON's safe integers); bytes are `0x` hex. A
    /// validator listed twice is refused.
    pub fn from_json(json: &str) -> Result<Self, ChainError> {
        let file: GenesisFile = serde_json::from_str(json).map_err(|e| ChainError::Genesis(e.to_string()))?;
        let accounts = file
            .accounts
            .iter()
            .map(|a| Ok((parse_address(&a.address)?, parse_balance(&a.balance)?)))
            .collect::<Result<_, ChainError>>()?;
        let contracts = file
            .contracts
            .iter()
            .map(|c| {
                Ok(GenesisContract {
                    address: parse_address(&c.address)?,
                    code: parse_hex(&c.code)?,
                    init_args: parse_hex(c.init_args.as_deref().unwrap_or("0x"))?,
                    balance: parse_balance(c.balance.as_deref().unwrap_or("0"))?,
                })
            })
            .collect::<Result<_, ChainError>>()?;
        let mut validators: Vec<[u8; 32]> = Vec::with_capacity(file.validators.len());
        for text in &file.validators {
            let key = parse_hex(text)?
                .try_into()
                .map_err(|_| ChainError::Genesis(format!("validator {text:?} is not a 32-byte key")))?;
            if validators.contains(&key) {
                return Err(ChainError::Genesis(format!("validator {text:?} is listed twice")));
            }
            validators.push(key);
        }
        Ok(Self {
            chain_id: file.chain_id,
            timestamp: file.timestamp,
            block_gas_limit: file.block_gas_limit.unwrap_or(DEV_BLOCK_GAS_LIMIT),
            accounts,
            contracts,
            validators,
        })
    }

    /// The JSON file [`Genesis::from_json`] reads back to this genesis.
    pub fn to_json(&self) -> String {
        let hex = |bytes: &[u8]| format!("0x{}", hex::encode(bytes));
        let file = GenesisFile {
            chain_id: self.chain_id,
            timestamp: self.timestamp,
            block_gas_limit: Some(self.block_gas_limit),
            accounts: (self.accounts.iter())
                .map(|(address, balance)| AccountEntry {
                    address: address.to_string(),
                    balance: balance.to_string(),
                })
                .collect(),
            contracts: (self.contracts.iter())
                .map(|c| ContractEntry {
                    address: c.address.to_string(),
                    code: hex(&c.code),
                    init_args: Some(hex(&c.init_args)),
                    balance: Some(c.balance.to_string()),
                })
                .collect(),
            validators: self.validators.iter().map(|key| hex(key)).collect(),
        };
        serde_json::to_string_pretty(&file)
            .unwrap_or_else(|e| unreachable!("a genesis always serializes: {e}"))
    }
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct GenesisFile {
    chain_id: u64,
    timestamp: u64,
    block_gas_limit: Option<Gas>,
    #[serde(default)]
    accounts: Vec<AccountEntry>,
    #[serde(default)]
    contracts: Vec<ContractEntry>,
    #[serde(default)]
    validators: Vec<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct AccountEntry {
    address: String,
    balance: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct ContractEntry {
    address: String,
    code: String,
    init_args: Option<String>,
    balance: Option<String>,
}

fn parse_address(text: &str) -> Result<Address, ChainError> {
    text.parse()
        .map_err(|e| ChainError::Genesis(format!("address {text:?}: {e}")))
}

fn parse_balance(text: &str) -> Result<Balance, ChainError> {
    text.parse()
        .map_err(|e| ChainError::Genesis(format!("balance {text:?}: {e}")))
}

fn parse_hex(text: &str) -> Result<Vec<u8>, ChainError> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    hex::decode(digits).map_err(|e| ChainError::Genesis(format!("hex {text:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_genesis_parses_and_rejects_bad_fields() {
        let json = r#"{ "chain_id": 7, "timestamp": 5, "accounts": [
            { "address": "0x0101010101010101010101010101010101010101010101010101010101010101", "balance": "340282366920938463463374607431768211455" } ] }"#;
        let genesis = Genesis::from_json(json).unwrap();
        assert_eq!(genesis.chain_id, 7);
        assert_eq!(genesis.accounts, vec![(Address([1; 32]), u128::MAX)]);
        assert_eq!(genesis.block_gas_limit, DEV_BLOCK_GAS_LIMIT);
        for bad in [
            r#"{ "chain_id": 7 }"#,
            r#"{ "chain_id": 7, "timestamp": 0, "accounts": [ { "address": "0x01", "balance": "1" } ] }"#,
            r#"{ "chain_id": 7, "timestamp": 0, "accounts": [ { "address": "0x0101010101010101010101010101010101010101010101010101010101010101", "balance": "-1" } ] }"#,
            r#"{ "chain_id": 7, "timestamp": 0, "surprise": 1 }"#,
        ] {
            assert!(
                matches!(Genesis::from_json(bad), Err(ChainError::Genesis(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_genesis_with_validators_round_trips_through_json() {
        let genesis = Genesis {
            validators: vec![[7; 32], [9; 32]],
            contracts: vec![GenesisContract {
                address: Address([5; 32]),
                code: vec![0, 0x61, 0x73, 0x6d],
                init_args: vec![1, 2],
                balance: 3,
            }],
            ..Genesis::dev()
        };
        assert_eq!(Genesis::from_json(&genesis.to_json()).unwrap(), genesis);
        // SCALE: the set at the end, only when there is one.
        let decode = |bytes: &[u8]| weft_primitives::decode_exact::<Genesis>("genesis", bytes);
        assert_eq!(decode(&genesis.encode()).unwrap(), genesis);
        let dev = Genesis::dev();
        assert_eq!(decode(&dev.encode()).unwrap(), dev);
        let mut empty_set = dev.encode();
        empty_set.push(0);
        assert!(
            decode(&empty_set).is_err(),
            "an empty set spelled out is not canonical"
        );
        let key = format!("\"0x{}\"", "07".repeat(32));
        for bad in [
            format!(r#"{{ "chain_id": 7, "timestamp": 0, "validators": [ {key}, {key} ] }}"#),
            r#"{ "chain_id": 7, "timestamp": 0, "validators": [ "0x0707" ] }"#.to_string(),
        ] {
            assert!(
                matches!(Genesis::from_json(&bad), Err(ChainError::Genesis(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_dev_genesis_is_fixed() {
        assert_eq!(Genesis::dev().hash(), Genesis::dev().hash());
        assert_eq!(Genesis::dev().accounts.len(), 10);
    }
}
