//! `weft block`: a block by height or hash (default: the head).

use weft_rpc::{BlockView, WeftApiClient, WeftReadApiClient};

use super::CliError;
use super::client::Client;
use super::output::{Out, print_object};

/// A block by height or hash (default: the head).
#[derive(clap::Args, Debug)]
pub struct Block {
    /// Height or 0x hash.
    id: Option<String>,
}

impl Block {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let Self { id } = self;
        let block: Option<BlockView> = match id.as_deref() {
            None | Some("latest") => {
                let head = client.rpc.block_number().await?;
                client.rpc.block_by_number(head, Some(true)).await?
            }
            Some(id) => match id.parse::<u64>() {
                Ok(height) => client.rpc.block_by_number(height, Some(true)).await?,
                Err(_) => client.rpc.block_by_hash(id.to_owned(), Some(true)).await?,
            },
        };
        let block = block.ok_or_else(|| CliError::Failed(format!("no block {}", id.unwrap_or_default())))?;
        print_object(out, &block);
        Ok(())
    }
}
