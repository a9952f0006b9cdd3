//! `weft view`: runs a contract method without a transaction; prints its result.

use serde_json::Value;
use weft_rpc::{BlockTag, CallRequestView, StatusView, WeftReadApiClient};

use super::CliError;
use super::client::Client;
use super::client::{MethodCall, call_request, from_hex};
use super::keys;
use super::output::{Out, out};

/// Runs a contract method without a transaction; prints its result.
#[derive(clap::Args, Debug)]
pub struct View {
    #[command(flatten)]
    target: MethodCall,
    /// The caller it runs as.
    #[arg(long)]
    from: Option<String>,
    /// Run against the state after this block (with its height and timestamp), not the head.
    #[arg(long)]
    block: Option<BlockTag>,
}

impl View {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let Self { target, from, block } = self;
        let (to, input) = target.resolve(client).await?;
        let method = target.method;
        let from = from.as_deref().map(keys::address).transpose()?;
        let request = CallRequestView {
            block,
            ..call_request(from, to, Some(&method), &input, 0)
        };
        let result = client.rpc.call(request).await?;
        if out.json {
            Out::print_json(&result);
        } else if result.status == StatusView::Success {
            match &result.decoded {
                Some(Value::String(text)) => out!("{text}"),
                Some(value) => out!("{value}"),
                None => out!("{}", result.return_data),
            }
        } else {
            out.print_fields(&[
                ("status", out.status(result.status.as_str())),
                ("return data", result.return_data.clone()),
                ("trap", result.trap.clone().unwrap_or_default()),
            ]);
        }
        if result.status == StatusView::Success {
            Ok(())
        } else {
            let data = from_hex("return data", &result.return_data)?;
            Err(CliError::Failed(format!(
                "{method}: {}{}",
                result.status.as_str(),
                if result.status == StatusView::Revert {
                    format!(": {}", String::from_utf8_lossy(&data))
                } else {
                    String::new()
                }
            )))
        }
    }
}
