//! `weft deploy`: deploys a contract; prints its address.

use std::path::PathBuf;

use weft_abi::Abi;
use weft_primitives::{Action, Hash};

use super::client::Client;
use super::client::{DEFAULT_DEPLOY_GAS, encode_args, usage};
use super::keys;
use super::output::{Out, failure, print_receipt};
use super::{CliError, TxOpts};

/// Deploys a contract; prints its address.
#[derive(clap::Args, Debug)]
pub struct Deploy {
    /// The wasm file.
    file: PathBuf,
    /// Constructor arguments as JSON values through the contract's ABI (plain words are strings).
    args: Vec<String>,
    /// Constructor arguments as SCALE hex instead.
    #[arg(long, conflicts_with = "args")]
    args_hex: Option<String>,
    /// Salt (0x + 64 hex; default zero).
    #[arg(long)]
    salt: Option<String>,
    #[command(flatten)]
    tx: TxOpts,
}

impl Deploy {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let Self {
            file,
            args,
            args_hex,
            salt,
            tx,
        } = self;
        let code = std::fs::read(&file).map_err(|e| usage(format!("{}: {e}", file.display())))?;
        let abi = Abi::from_wasm(&code).map_err(|e| usage(format!("{}: {e}", file.display())))?;
        let init_args = encode_args(abi.as_ref(), None, &args, args_hex.as_deref())?;
        let salt = match salt {
            Some(salt) => salt.parse().map_err(|e| usage(format!("--salt: {e}")))?,
            None => Hash::ZERO,
        };
        let key = keys::resolve(&tx.from)?;
        let action = Action::Deploy {
            code,
            init_args,
            salt,
        };
        let gas = tx.gas.unwrap_or(DEFAULT_DEPLOY_GAS);
        let receipt = client.send(&key, action, gas, &tx, out).await?;
        let explained = client.explain(&receipt, None, None).await?;
        if let Some(why) = failure(&explained) {
            print_receipt(out, &explained);
            return Err(CliError::Failed(why));
        }
        let address = receipt.contract_address.clone().unwrap_or_default();
        if out.json {
            Out::print_json(&explained);
        } else {
            println!("{address}");
            let name = abi.and_then(|a| a.contract).unwrap_or_else(|| "contract".into());
            eprintln!(
                "deployed {name} in block {} (transaction {}, gas {})",
                receipt.block_height, receipt.tx_hash, receipt.gas_used
            );
        }
        Ok(())
    }
}
