//! `weft logs`: logs of a block range, decoded through each contract's ABI.

use serde_json::{Map, Value};
use weft_rpc::{EventView, LogFilterView, OneOrMany, WeftReadApiClient};

use super::CliError;
use super::client::Client;
use super::client::usage;
use super::keys;
use super::output::{Out, out};

/// Logs of a block range, decoded through each contract's ABI.
#[derive(clap::Args, Debug)]
pub struct Logs {
    /// Only this contract's.
    #[arg(long)]
    address: Option<String>,
    /// Only this event (by name; needs --address for its ABI).
    #[arg(long, requires = "address")]
    event: Option<String>,
    /// First block (default 0).
    #[arg(long, default_value_t = 0)]
    from_block: u64,
    /// Last block (default: the head).
    #[arg(long)]
    to_block: Option<u64>,
}

impl Logs {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let Self {
            address,
            event,
            from_block,
            to_block,
        } = self;
        let address = address.as_deref().map(keys::address).transpose()?;
        let mut topics = Vec::new();
        if let (Some(name), Some(address)) = (&event, address) {
            let abi = client
                .abi(address)
                .await?
                .ok_or_else(|| usage("--event: the contract has no weft_abi section"))?;
            let declared = abi
                .event(name)
                .ok_or_else(|| usage(format!("--event: the contract declares no event {name}")))?;
            topics.push(Some(OneOrMany::One(declared.topic().to_string())));
        }
        let filter = LogFilterView {
            from_block: Some(from_block),
            to_block,
            address: address.map(|a| OneOrMany::One(a.to_string())),
            topics,
        };
        let logs = client.rpc.logs(filter).await?;
        let views: Vec<EventView> = logs
            .iter()
            .map(|l| EventView {
                address: l.address.clone(),
                topics: l.topics.clone(),
                data: l.data.clone(),
                log_index: l.log_index,
            })
            .collect();
        let decoded = client.decode_events(&views).await?;
        let mut rows = Vec::with_capacity(logs.len());
        for (log, decoded) in logs.iter().zip(decoded) {
            let mut row: Map<String, Value> = decoded.as_object().cloned().unwrap_or_default();
            row.insert("block_height".into(), log.block_height.into());
            row.insert("tx_hash".into(), log.tx_hash.clone().into());
            rows.push(Value::Object(row));
        }
        if out.json {
            Out::print_json(&rows);
        } else {
            for row in &rows {
                let what = match row["event"].as_str() {
                    Some(name) => format!("{name} {}", row["fields"]),
                    None => format!("topics {} data {}", row["topics"], row["data"]),
                };
                out!(
                    "block {} tx {} {} {what}",
                    row["block_height"],
                    row["tx_hash"].as_str().unwrap_or("?"),
                    row["address"].as_str().unwrap_or("?"),
                );
            }
        }
        Ok(())
    }
}
