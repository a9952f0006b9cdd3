//! `weft rpc`: any JSON-RPC method, with JSON parameters; prints the result as JSON (cast's
//! `rpc`).

use jsonrpsee::core::client::ClientT;
use serde_json::Value;

use super::CliError;
use super::client::{Client, usage};
use super::output::Out;

/// Calls any JSON-RPC method; prints its result as JSON.
#[derive(clap::Args, Debug)]
pub struct Rpc {
    /// The method, e.g. `weft_getBlockByNumber`.
    method: String,
    /// Its parameters: a JSON array (by position) or object (by name); default none.
    params: Option<String>,
}

impl Rpc {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, _out: &Out) -> Result<(), CliError> {
        let Self { method, params } = self;
        let params: Value = match params {
            Some(text) => {
                serde_json::from_str(&text).map_err(|e| usage(format!("params are not JSON: {e}")))?
            }
            None => Value::Array(Vec::new()),
        };
        let result: Value = match params {
            Value::Array(items) => client.rpc.request(&method, items).await?,
            Value::Object(fields) => client.rpc.request(&method, fields).await?,
            other => return Err(usage(format!("params are a JSON array or object, not {other}"))),
        };
        Out::print_json(&result);
        Ok(())
    }
}
