//! `weft instantiate`: deploys stored code (`weft upload`) by its hash; prints the address.

use std::path::PathBuf;

use weft_abi::Abi;
use weft_primitives::{Action, Hash, keccak256};

use super::client::{Client, encode_args, parse_salt, read_wasm, usage};
use super::output::{Out, print_created};
use super::{CliError, TxOpts};

/// Deploys stored code by its hash; prints the new contract's address.
#[derive(clap::Args, Debug)]
pub struct Instantiate {
    /// The code hash (`weft upload` prints it).
    code_hash: String,
    /// Constructor arguments as JSON values through the ABI of `--abi` (plain words are strings).
    args: Vec<String>,
    /// The wasm file the code was uploaded from, for its ABI (its hash must be the code hash).
    #[arg(long)]
    abi: Option<PathBuf>,
    /// Constructor arguments as SCALE hex instead.
    #[arg(long, conflicts_with = "args")]
    args_hex: Option<String>,
    /// Salt (0x + 64 hex; default zero).
    #[arg(long)]
    salt: Option<String>,
    #[command(flatten)]
    tx: TxOpts,
}

impl Instantiate {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let Self {
            code_hash,
            args,
            abi,
            args_hex,
            salt,
            tx,
        } = self;
        let code_hash: Hash = code_hash.parse().map_err(|e| usage(format!("code hash: {e}")))?;
        let abi = match abi {
            Some(file) => {
                let code = read_wasm(&file)?;
                if keccak256(&code) != code_hash {
                    return Err(usage(format!("{} is not the code {code_hash}", file.display())));
                }
                Abi::from_wasm(&code).map_err(|e| usage(format!("{}: {e}", file.display())))?
            }
            None if args.is_empty() => None,
            None => {
                return Err(usage(
                    "JSON arguments need the contract's ABI: pass --abi FILE, or --args-hex",
                ));
            }
        };
        let init_args = encode_args(abi.as_ref(), None, &args, args_hex.as_deref())?;
        let salt = parse_salt(salt.as_deref())?;
        let action = Action::Instantiate {
            code_hash,
            init_args,
            salt,
        };
        let Some(receipt) = client.send_code(action, &tx, out).await? else {
            return Ok(());
        };
        print_created(out, &receipt, &format!("instantiated {code_hash}"));
        Ok(())
    }
}
