//! `weft block`: a block by height or hash (default: the head).

use weft_rpc::{BlockTag, BlockView, WeftReadApiClient};

use super::CliError;
use super::client::Client;
use super::output::{Out, out};

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
            None | Some("latest") => client.rpc.block_by_number(BlockTag::LATEST, Some(true)).await?,
            Some(id) => match id.parse::<u64>() {
                Ok(height) => client.rpc.block_by_number(height.into(), Some(true)).await?,
                Err(_) => client.rpc.block_by_hash(id.to_owned(), Some(true)).await?,
            },
        };
        let block = block.ok_or_else(|| CliError::Failed(format!("no block {}", id.unwrap_or_default())))?;
        if out.json {
            Out::print_json(&block);
            return Ok(());
        }
        let mut fields = vec![
            ("height", block.height.to_string()),
            ("hash", block.hash.clone()),
            ("parent", block.parent_hash.clone()),
            ("timestamp", block.timestamp.to_string()),
            ("gas used", format!("{} of {}", block.gas_used, block.gas_limit)),
            ("state root", block.state_root.clone()),
            ("tx root", block.tx_root.clone()),
            ("receipt root", block.receipt_root.clone()),
        ];
        if let Some(certificate) = &block.finalization {
            let bytes = certificate.trim_start_matches("0x").len() / 2;
            fields.push(("finalized", format!("yes ({bytes}-byte certificate)")));
        }
        fields.push(("transactions", block.transactions.len().to_string()));
        out.print_fields(&fields);
        // One line per transaction: its hash, what it does, and to whom.
        for tx in block.full_transactions.iter().flatten() {
            let kind = serde_json::to_value(tx.kind).unwrap_or_default();
            let target = match (&tx.to, &tx.method) {
                (Some(to), Some(method)) => format!(" {to}::{method}"),
                (Some(to), None) => format!(" to {to}"),
                _ => String::new(),
            };
            out!(
                "  {} {}{target} (from {}, value {})",
                tx.hash,
                kind.as_str().unwrap_or("?"),
                tx.from,
                tx.value
            );
        }
        Ok(())
    }
}
