//! `weft deploy`: deploys a contract; prints its address.

use std::path::PathBuf;

use weft_abi::Abi;
use weft_primitives::Action;

use super::client::{Client, encode_args, parse_salt, read_wasm, usage};
use super::output::{Out, print_created};
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
        let code = read_wasm(&file)?;
        let abi = Abi::from_wasm(&code).map_err(|e| usage(format!("{}: {e}", file.display())))?;
        let init_args = encode_args(abi.as_ref(), None, &args, args_hex.as_deref())?;
        let salt = parse_salt(salt.as_deref())?;
        let action = Action::Deploy {
            code,
            init_args,
            salt,
        };
        let Some(receipt) = client.send_code(action, &tx, out).await? else {
            return Ok(());
        };
        let name = abi.and_then(|a| a.contract).unwrap_or_else(|| "contract".into());
        print_created(out, &receipt, &format!("deployed {name}"));
        Ok(())
    }
}
