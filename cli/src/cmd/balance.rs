//! `weft balance`: an account's balance.

use serde_json::json;
use weft_rpc::WeftReadApiClient;

use super::CliError;
use super::client::Client;
use super::keys;
use super::output::{Out, out};

/// An account's balance.
#[derive(clap::Args, Debug)]
pub struct Balance {
    /// Address, dev account or stored key name.
    account: String,
}

impl Balance {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let Self { account } = self;
        let address = keys::address(&account)?.to_string();
        let balance = client.rpc.balance(address.clone()).await?;
        if out.json {
            Out::print_json(&json!({"address": address, "balance": balance}));
        } else {
            out!("{balance}");
        }
        Ok(())
    }
}
