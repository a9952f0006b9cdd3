//! `weft_getLogs` and `weft_subscribe`: log filters, and live heads, logs and pending transactions.

use jsonrpsee::PendingSubscriptionSink;
use jsonrpsee::core::{RpcResult, SubscriptionResult, async_trait};
use jsonrpsee::types::ErrorObjectOwned;
use tokio::sync::broadcast::error::RecvError;
use weft_primitives::{Address, Block, Event, Hash, Receipt};
use weft_rpc::{LogFilterView, LogView, OneOrMany, SubscriptionItem, WeftPubSubApiServer};

use super::api::block_view;
use super::{Api, fault, hex, invalid_params, parse, range_too_wide};

/// A parsed [`LogFilterView`] (without its block range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LogMatcher {
    addresses: Option<Vec<Address>>,
    topics: Vec<Option<Vec<Hash>>>,
}

fn many(value: &OneOrMany) -> &[String] {
    match value {
        OneOrMany::One(one) => std::slice::from_ref(one),
        OneOrMany::Many(many) => many,
    }
}

impl LogMatcher {
    /// Parses the filter's addresses (through `address`: hex, or a devnet's dev account names)
    /// and topics.
    pub(super) fn new(
        filter: &LogFilterView,
        address: impl Fn(&str) -> Result<Address, ErrorObjectOwned>,
    ) -> Result<Self, ErrorObjectOwned> {
        let addresses = filter
            .address
            .as_ref()
            .map(|value| many(value).iter().map(|a| address(a)).collect())
            .transpose()?;
        let topics = filter
            .topics
            .iter()
            .map(|position| {
                position
                    .as_ref()
                    .map(|value| many(value).iter().map(|t| parse("topic", t)).collect())
                    .transpose()
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { addresses, topics })
    }

    /// Whether `event` passes the filter.
    pub(super) fn matches(&self, event: &Event) -> bool {
        if let Some(addresses) = &self.addresses
            && !addresses.contains(&event.address)
        {
            return false;
        }
        self.topics.iter().enumerate().all(|(i, wanted)| match wanted {
            None => true,
            Some(alternatives) => event.topics.get(i).is_some_and(|t| alternatives.contains(t)),
        })
    }
}

/// The logs of `block` (with its `receipts`) that pass `matcher`, in order.
fn block_logs(block: &Block, receipts: &[Receipt], matcher: &LogMatcher) -> Vec<LogView> {
    let block_hash = block.hash().to_string();
    let mut logs = Vec::new();
    for ((tx, receipt), tx_index) in block.transactions.iter().zip(receipts).zip(0u32..) {
        for (event, log_index) in receipt.events.iter().zip(receipt.first_log_index..) {
            if matcher.matches(event) {
                logs.push(LogView {
                    address: event.address.to_string(),
                    topics: event.topics.iter().map(ToString::to_string).collect(),
                    data: hex(&event.data),
                    log_index,
                    block_height: block.header.height,
                    block_hash: block_hash.clone(),
                    tx_hash: tx.hash().to_string(),
                    tx_index,
                });
            }
        }
    }
    logs
}

impl Api {
    /// `weft_getLogs`.
    pub(super) fn logs_in_range(&self, filter: &LogFilterView) -> RpcResult<Vec<LogView>> {
        let matcher = LogMatcher::new(filter, |a| self.address("address", a))?;
        // One pinned reader for the whole range: no lock is held while the blocks are scanned.
        let reader = self.node.reader().map_err(fault)?;
        let head = reader.head().height;
        let from = filter.from_block.map_or(head, |tag| tag.height(head));
        let to = filter.to_block.map(|tag| tag.height(head));
        if let Some(to) = to
            && from > to
        {
            return Err(invalid_params(format!(
                "from_block {from} is after to_block {to}"
            )));
        }
        let to = to.unwrap_or(head).min(head);
        if to >= from && to - from >= self.limits.max_log_blocks {
            return Err(range_too_wide(format!(
                "blocks {from}..={to} are more than the {} one request may scan",
                self.limits.max_log_blocks
            )));
        }
        let mut logs = Vec::new();
        for height in from..=to {
            let Some(block) = reader.block(height).map_err(fault)? else {
                continue;
            };
            let receipts = block
                .transactions
                .iter()
                .map(|tx| reader.receipt(&tx.hash()))
                .collect::<Result<Option<Vec<_>>, _>>()
                .map_err(fault)?;
            if let Some(receipts) = receipts {
                logs.extend(block_logs(&block, &receipts, &matcher));
            }
        }
        Ok(logs)
    }
}

/// What a subscription follows.
enum Kind {
    NewHeads,
    Logs(LogMatcher),
    PendingTransactions,
}

#[async_trait]
impl WeftPubSubApiServer for Api {
    async fn subscribe_to(
        &self,
        pending: PendingSubscriptionSink,
        kind: String,
        filter: Option<LogFilterView>,
    ) -> SubscriptionResult {
        let kind = match kind.as_str() {
            "newHeads" => Kind::NewHeads,
            "logs" => match LogMatcher::new(&filter.unwrap_or_default(), |a| self.address("address", a)) {
                Ok(matcher) => Kind::Logs(matcher),
                Err(error) => {
                    pending.reject(error).await;
                    return Ok(());
                }
            },
            "pendingTransactions" => Kind::PendingTransactions,
            other => {
                let message =
                    format!("unknown subscription {other:?}: newHeads, logs or pendingTransactions");
                pending.reject(invalid_params(message)).await;
                return Ok(());
            }
        };
        // Subscribe before accepting, so nothing produced after the answer is missed.
        let mut blocks = self.node.subscribe_blocks();
        let mut hashes = self.node.subscribe_pending();
        let sink = pending.accept().await?;
        loop {
            let items = match &kind {
                Kind::PendingTransactions => match hashes.recv().await {
                    Ok(hash) => vec![SubscriptionItem::Pending(hash.to_string())],
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => break,
                },
                Kind::NewHeads | Kind::Logs(_) => match blocks.recv().await {
                    Ok(produced) => match &kind {
                        Kind::Logs(matcher) => block_logs(&produced.block, &produced.receipts, matcher)
                            .into_iter()
                            .map(SubscriptionItem::Log)
                            .collect(),
                        _ => vec![SubscriptionItem::Head(block_view(&produced.block))],
                    },
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => break,
                },
            };
            for item in items {
                let message = serde_json::value::to_raw_value(&item)?;
                if sink.send(message).await.is_err() {
                    // The client went away or unsubscribed.
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(address: u8, topics: &[u8]) -> Event {
        Event {
            address: Address([address; 32]),
            topics: topics.iter().map(|t| Hash([*t; 32])).collect(),
            data: Vec::new(),
        }
    }

    fn filter(json: serde_json::Value) -> LogMatcher {
        let filter: LogFilterView = serde_json::from_value(json).expect("a filter");
        LogMatcher::new(&filter, |a| parse("address", a)).expect("valid")
    }

    #[test]
    fn topics_match_by_position_with_wildcards_and_alternatives() {
        let a = Address([1; 32]).to_string();
        let t = |b: u8| Hash([b; 32]).to_string();
        let any = filter(serde_json::json!({}));
        assert!(any.matches(&event(1, &[])) && any.matches(&event(2, &[7, 8])));
        let by_address = filter(serde_json::json!({"address": a}));
        assert!(by_address.matches(&event(1, &[5])) && !by_address.matches(&event(2, &[5])));
        let second = filter(serde_json::json!({"topics": [null, [t(8), t(9)]]}));
        assert!(second.matches(&event(3, &[7, 8])));
        assert!(second.matches(&event(3, &[1, 9, 4])));
        assert!(!second.matches(&event(3, &[8, 7])));
        assert!(!second.matches(&event(3, &[8])), "too few topics");
        let exact = filter(serde_json::json!({"address": [a], "topics": [t(7), t(8)]}));
        assert!(exact.matches(&event(1, &[7, 8])) && !exact.matches(&event(1, &[7, 9])));
    }

    #[test]
    fn bad_addresses_and_topics_are_invalid_params() {
        for bad in [
            serde_json::json!({"address": "0x12"}),
            serde_json::json!({"topics": ["zz"]}),
        ] {
            let filter: LogFilterView = serde_json::from_value(bad).expect("a filter");
            let error = LogMatcher::new(&filter, |a| parse("address", a)).expect_err("invalid");
            assert_eq!(error.code(), jsonrpsee::types::error::INVALID_PARAMS_CODE);
        }
    }
}
