//! `weft receipt`: a transaction's receipt (events decoded through the contract's ABI).

use weft_rpc::WeftReadApiClient;

use super::CliError;
use super::client::Client;
use super::output::{Out, print_receipt};

/// A transaction's receipt (events decoded through the contract's ABI).
#[derive(clap::Args, Debug)]
pub struct Receipt {
    /// The transaction hash.
    hash: String,
}

impl Receipt {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let Self { hash } = self;
        let receipt = client
            .rpc
            .transaction_receipt(hash.clone())
            .await?
            .ok_or_else(|| CliError::Failed(format!("no receipt for {hash}: unknown or still pending")))?;
        let found = client.rpc.transaction_by_hash(hash.clone()).await?;
        let (to, method) = match &found {
            Some(tx) => (tx.to.as_deref().and_then(|t| t.parse().ok()), tx.method.clone()),
            None => (None, None),
        };
        let explained = client.explain(&receipt, to, method.as_deref()).await?;
        print_receipt(out, &explained);
        Ok(())
    }
}
