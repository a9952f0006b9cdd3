//! `weft estimate`: the gas limit a call needs, as `weft_estimateGas` finds it (cast's
//! `estimate`).

use serde_json::json;
use weft_rpc::WeftReadApiClient;

use super::CliError;
use super::client::{Client, call_request, encode_args};
use super::keys;
use super::output::{Out, out};

/// The gas limit a transaction making this call needs (intrinsic gas included).
#[derive(clap::Args, Debug)]
pub struct Estimate {
    /// The contract.
    address: String,
    /// The method.
    method: String,
    /// Arguments, as for `call`.
    args: Vec<String>,
    /// Arguments as SCALE hex instead.
    #[arg(long, conflicts_with = "args")]
    args_hex: Option<String>,
    /// The sender (default: the zero address).
    #[arg(long)]
    from: Option<String>,
    /// Value sent with the call.
    #[arg(long, default_value_t = 0)]
    value: u128,
}

impl Estimate {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let Self {
            address,
            method,
            args,
            args_hex,
            from,
            value,
        } = self;
        let to = keys::address(&address)?;
        let input = encode_args(client.abi(to).await?, Some(&method), &args, args_hex.as_deref())?;
        let from = from.as_deref().map(keys::address).transpose()?;
        let gas = client
            .rpc
            .estimate_gas(call_request(from, to, Some(&method), &input, value))
            .await?;
        if out.json {
            Out::print_json(&json!({ "gas": gas }));
        } else {
            out!("{gas}");
        }
        Ok(())
    }
}
