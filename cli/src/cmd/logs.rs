//! `weft logs`: logs of a block range, decoded through each contract's ABI, and with `--follow`
//! the new ones as blocks come.

use serde_json::{Map, Value};
use weft_rpc::{EventView, LogFilterView, OneOrMany, WeftApiClient, WeftReadApiClient};

use super::CliError;
use super::client::Client;
use super::client::usage;
use super::keys;
use super::output::{Out, out};

/// Logs of a block range, decoded through each contract's ABI; with `--follow`, then new ones as
/// blocks come (one line each; one JSON object per line with `--json`).
#[derive(clap::Args, Debug)]
pub struct Logs {
    /// Only this contract's.
    #[arg(long)]
    address: Option<String>,
    /// Only this event (by name; needs --address for its ABI).
    #[arg(long, requires = "address")]
    event: Option<String>,
    /// Only logs whose topic 1 (the first indexed field) is this: 0x + 64 hex, or an address or
    /// dev name (an address is its own topic).
    #[arg(long)]
    topic1: Option<String>,
    /// Only logs whose topic 2 is this.
    #[arg(long)]
    topic2: Option<String>,
    /// Only logs whose topic 3 is this.
    #[arg(long)]
    topic3: Option<String>,
    /// First block (default 0).
    #[arg(long, default_value_t = 0)]
    from_block: u64,
    /// Last block (default: the head).
    #[arg(long, conflicts_with = "follow")]
    to_block: Option<u64>,
    /// Keep printing new logs until interrupted, polling the node every --poll-ms.
    #[arg(long)]
    follow: bool,
    /// How often --follow asks for new blocks, in milliseconds.
    #[arg(long, default_value_t = 500, requires = "follow")]
    poll_ms: u64,
}

/// A topic filter value: 32 bytes of hex as they are, else an address or dev name.
fn topic(flag: &str, text: &str) -> Result<OneOrMany, CliError> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    if digits.len() == 64 && digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(OneOrMany::One(format!("0x{digits}")));
    }
    let address = keys::address(text).map_err(|e| usage(format!("--{flag}: {e}")))?;
    Ok(OneOrMany::One(address.to_string()))
}

impl Logs {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let address = self.address.as_deref().map(keys::address).transpose()?;
        let mut topics = vec![None];
        if let (Some(name), Some(address)) = (&self.event, address) {
            let abi = client
                .abi(address)
                .await?
                .ok_or_else(|| usage("--event: the contract has no weft_abi section"))?;
            let declared = abi
                .event(name)
                .ok_or_else(|| usage(format!("--event: the contract declares no event {name}")))?;
            topics[0] = Some(OneOrMany::One(declared.topic().to_string()));
        }
        for (flag, value) in [
            ("topic1", &self.topic1),
            ("topic2", &self.topic2),
            ("topic3", &self.topic3),
        ] {
            topics.push(value.as_deref().map(|v| topic(flag, v)).transpose()?);
        }
        while topics.last() == Some(&None) {
            topics.pop();
        }
        let mut filter = LogFilterView {
            from_block: Some(self.from_block.into()),
            to_block: self.to_block.map(Into::into),
            address: address.map(|a| OneOrMany::One(a.to_string())),
            topics,
        };
        if !self.follow {
            let rows = rows(client, &filter).await?;
            if out.json {
                Out::print_json(&rows);
            } else {
                rows.iter().for_each(|row| print_row(row, false));
            }
            return Ok(());
        }
        // Each round asks for the blocks after the last one seen, up to the head of then.
        let mut from = self.from_block;
        loop {
            let head = client.rpc.block_number().await?;
            if from <= head {
                filter.from_block = Some(from.into());
                filter.to_block = Some(head.into());
                for row in rows(client, &filter).await? {
                    print_row(&row, out.json);
                }
                from = head + 1;
            }
            tokio::time::sleep(std::time::Duration::from_millis(self.poll_ms)).await;
        }
    }
}

/// The logs `filter` selects, each decoded through its contract's ABI, with its block and
/// transaction.
async fn rows(client: &mut Client, filter: &LogFilterView) -> Result<Vec<Value>, CliError> {
    let logs = client.rpc.logs(filter.clone()).await?;
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
    Ok(rows)
}

/// One log as a line: JSON, or `block H tx T ADDRESS Event {fields}`.
fn print_row(row: &Value, json: bool) {
    if json {
        out!("{row}");
        return;
    }
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
