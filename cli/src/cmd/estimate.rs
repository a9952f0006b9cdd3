//! `weft estimate`: the gas limit a call needs, as `weft_estimateGas` finds it (cast's
//! `estimate`).

use serde_json::json;
use weft_rpc::WeftReadApiClient;

use super::CliError;
use super::client::{Client, MethodCall, call_request};
use super::keys;
use super::output::{Out, out};

/// The gas limit a transaction making this call needs (intrinsic gas included).
#[derive(clap::Args, Debug)]
pub struct Estimate {
    #[command(flatten)]
    target: MethodCall,
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
        let Self { target, from, value } = self;
        let (to, input) = target.resolve(client).await?;
        let from = from.as_deref().map(keys::address).transpose()?;
        let gas = client
            .rpc
            .estimate_gas(call_request(from, to, Some(&target.method), &input, value))
            .await?;
        if out.json {
            Out::print_json(&json!({ "gas": gas }));
        } else {
            out!("{gas}");
        }
        Ok(())
    }
}
