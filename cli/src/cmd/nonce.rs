//! `weft nonce`: an account's next nonce.

use serde_json::json;
use weft_rpc::WeftReadApiClient;

use super::CliError;
use super::client::Client;
use super::keys;
use super::output::{Out, out};

/// An account's next nonce.
#[derive(clap::Args, Debug)]
pub struct Nonce {
    /// Address, dev account or stored key name.
    account: String,
}

impl Nonce {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let Self { account } = self;
        let address = keys::address(&account)?.to_string();
        let nonce = client.rpc.nonce(address.clone()).await?;
        if out.json {
            Out::print_json(&json!({"address": address, "nonce": nonce}));
        } else {
            out!("{nonce}");
        }
        Ok(())
    }
}
