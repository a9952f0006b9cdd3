//! `weft code` and `weft storage`: a contract's code and storage at the head.

use serde_json::json;
use weft_rpc::WeftReadApiClient;

use super::CliError;
use super::client::{Client, usage};
use super::keys;
use super::output::{Out, out};

/// What of a contract's state to read.
#[derive(clap::Subcommand, Debug)]
pub enum State {
    /// The code of the contract at an address, as `0x` hex (`null` if none).
    Code {
        /// The contract's address.
        address: String,
    },
    /// The value of a storage key of a contract, as `0x` hex (`null` if none).
    Storage {
        /// The contract's address.
        address: String,
        /// The key: `0x` hex, or text taken as its UTF-8 bytes (`count`).
        key: String,
    },
}

impl State {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let value = match self {
            Self::Code { address } => client.rpc.code(keys::address(&address)?.to_string()).await?,
            Self::Storage { address, key } => {
                let key = match key.strip_prefix("0x") {
                    Some(digits) => {
                        hex::decode(digits).map_err(|e| usage(format!("key is not hex: {e}")))?;
                        key
                    }
                    None => format!("0x{}", hex::encode(key.as_bytes())),
                };
                client
                    .rpc
                    .storage_at(keys::address(&address)?.to_string(), key)
                    .await?
            }
        };
        if out.json {
            Out::print_json(&json!({ "value": value }));
        } else {
            out!("{}", value.as_deref().unwrap_or("null"));
        }
        Ok(())
    }
}
