//! `weft send`: sends value.

use weft_primitives::Action;
use weft_rpc::WeftReadApiClient;

use super::client::Client;
use super::client::{call_request, usage};
use super::keys::{self, address_of};
use super::output::{Out, failure, print_receipt};
use super::{CliError, TxOpts};

/// Sends value.
#[derive(clap::Args, Debug)]
pub struct Send {
    /// The recipient (address, dev account or stored key name).
    to: String,
    /// The amount.
    amount: u128,
    #[command(flatten)]
    tx: TxOpts,
}

impl Send {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let Self { to, amount, mut tx } = self;
        if tx.value != 0 {
            return Err(usage(
                "`weft send TO AMOUNT` takes the amount as its argument; --value is for calls and deploys",
            ));
        }
        let to = keys::address(&to)?;
        let key = keys::resolve(&tx.from)?;
        tx.value = amount;
        let action = Action::Transfer { to };
        let gas = match tx.gas {
            Some(gas) => gas,
            None => {
                let request = call_request(Some(address_of(&key)), to, None, &[], amount);
                client.rpc.estimate_gas(request).await?
            }
        };
        let Some(receipt) = client.send(&key, action, gas, &tx, out).await? else {
            return Ok(());
        };
        let explained = client.explain(&receipt, None, None).await?;
        print_receipt(out, &explained);
        match failure(&explained) {
            Some(why) => Err(CliError::Failed(why)),
            None => Ok(()),
        }
    }
}
