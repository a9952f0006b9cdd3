//! `weft tx`: an included transaction.

use weft_rpc::WeftReadApiClient;

use super::CliError;
use super::client::Client;
use super::output::{Out, print_object};

/// An included transaction.
#[derive(clap::Args, Debug)]
pub struct Tx {
    /// The transaction hash.
    hash: String,
}

impl Tx {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let Self { hash } = self;
        let tx = client
            .rpc
            .transaction_by_hash(hash.clone())
            .await?
            .ok_or_else(|| {
                CliError::Failed(format!("no transaction {hash} in a block (unknown or pending)"))
            })?;
        print_object(out, &tx);
        Ok(())
    }
}
