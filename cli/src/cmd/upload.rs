//! `weft upload`: stores a contract's code on chain once, for `weft instantiate` and contracts'
//! `create`; prints its code hash.

use std::path::PathBuf;

use weft_primitives::Action;

use super::client::{Client, DEFAULT_DEPLOY_GAS, usage};
use super::keys;
use super::output::{Out, failure, print_receipt};
use super::{CliError, TxOpts};

/// Stores a contract's code for later deploys; prints its code hash.
#[derive(clap::Args, Debug)]
pub struct Upload {
    /// The wasm file.
    file: PathBuf,
    #[command(flatten)]
    tx: TxOpts,
}

impl Upload {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let Self { file, tx } = self;
        let code = std::fs::read(&file).map_err(|e| usage(format!("{}: {e}", file.display())))?;
        let key = keys::resolve(&tx.from)?;
        let gas = tx.gas.unwrap_or(DEFAULT_DEPLOY_GAS);
        let receipt = client.send(&key, Action::Upload { code }, gas, &tx, out).await?;
        let explained = client.explain(&receipt, None, None).await?;
        if let Some(why) = failure(&explained) {
            print_receipt(out, &explained);
            return Err(CliError::Failed(why));
        }
        if out.json {
            Out::print_json(&explained);
        } else {
            // The receipt's return data is the code hash.
            println!("{}", receipt.return_data);
            eprintln!(
                "stored {} in block {} (transaction {}, gas {})",
                file.display(),
                receipt.block_height,
                receipt.tx_hash,
                receipt.gas_used
            );
        }
        Ok(())
    }
}
