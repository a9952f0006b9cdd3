//! The devnet's controls (anvil's and cast's habits): `weft mine`, `snapshot`, `revert`,
//! `increase-time`, `set-balance` over the node's `dev_` methods.

use serde_json::json;
use weft_rpc::DevApiClient;

use super::CliError;
use super::client::Client;
use super::keys;
use super::output::{Out, out};

/// A devnet control.
#[derive(clap::Subcommand, Debug)]
pub enum Dev {
    /// Produces blocks now (`dev_mine`); prints the head height.
    Mine {
        /// How many blocks.
        #[arg(default_value_t = 1)]
        count: u64,
    },
    /// Records the chain (`dev_snapshot`); prints the id `revert` takes.
    Snapshot,
    /// Returns to a snapshot (`dev_revert`): blocks, state and clock since are undone; prints the
    /// head height.
    Revert {
        /// The snapshot's id.
        id: u64,
    },
    /// Moves the clock forward for later blocks (`dev_increaseTime`); prints the total shift.
    IncreaseTime {
        /// Seconds.
        seconds: u64,
    },
    /// Sets an account's balance (`dev_setBalance`).
    SetBalance {
        /// Address, dev account or stored key name.
        account: String,
        /// The balance.
        balance: u128,
    },
}

impl Dev {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let rpc = &client.rpc;
        // The JSON answer, and the one value a person reads.
        let (answer, text) = match self {
            Self::Mine { count } => {
                let height = rpc.mine(Some(count)).await?;
                (json!({ "height": height }), height.to_string())
            }
            Self::Snapshot => {
                let id = rpc.snapshot().await?;
                (json!({ "id": id }), id.to_string())
            }
            Self::Revert { id } => {
                let height = rpc.revert(id).await?;
                (json!({ "height": height }), height.to_string())
            }
            Self::IncreaseTime { seconds } => {
                let shift = rpc.increase_time(seconds).await?;
                (json!({ "shift": shift }), shift.to_string())
            }
            Self::SetBalance { account, balance } => {
                let address = keys::address(&account)?.to_string();
                rpc.set_balance(address.clone(), balance.to_string()).await?;
                let answer = json!({"address": address, "balance": balance.to_string()});
                (answer, balance.to_string())
            }
        };
        if out.json {
            Out::print_json(&answer);
        } else {
            out!("{text}");
        }
        Ok(())
    }
}
