//! `weft upload`: stores a contract's code on chain once, for `weft instantiate` and contracts'
//! `create`; prints its code hash.

use std::path::PathBuf;

use weft_primitives::Action;

use super::client::{Client, read_wasm};
use super::output::{Out, out};
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
        let code = read_wasm(&file)?;
        let Some(receipt) = client.send_code(Action::Upload { code }, &tx, out).await? else {
            return Ok(());
        };
        if !out.json {
            // The receipt's return data is the code hash.
            out!("{}", receipt.return_data);
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
