//! `weft call`: calls a contract method in a transaction; prints the status, result and events.

use weft_primitives::Action;
use weft_rpc::WeftReadApiClient;

use super::client::Client;
use super::client::{MethodCall, call_request};
use super::keys::{self, address_of};
use super::output::{Out, failure, print_receipt};
use super::{CliError, TxOpts};

/// Calls a contract method in a transaction; prints the status, result and events.
#[derive(clap::Args, Debug)]
pub struct Call {
    #[command(flatten)]
    target: MethodCall,
    #[command(flatten)]
    tx: TxOpts,
}

impl Call {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let Self { target, tx } = self;
        let (to, input) = target.resolve(client).await?;
        let method = target.method;
        let export = match client.abi(to).await? {
            Some(abi) => abi
                .method(&method)
                .map_or(method.clone(), |m| m.export().to_owned()),
            None => method.clone(),
        };
        let key = keys::resolve(&tx.from)?;
        let gas = match tx.gas {
            Some(gas) => gas,
            None => {
                let request = call_request(Some(address_of(&key)), to, Some(&export), &input, tx.value);
                client.rpc.estimate_gas(request).await?
            }
        };
        let action = Action::Call {
            to,
            method: export,
            args: input,
        };
        let Some(receipt) = client.send(&key, action, gas, &tx, out).await? else {
            return Ok(());
        };
        let explained = client.explain(&receipt, Some(to), Some(&method)).await?;
        print_receipt(out, &explained);
        match failure(&explained) {
            Some(why) => Err(CliError::Failed(why)),
            None => Ok(()),
        }
    }
}
