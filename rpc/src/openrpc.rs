//! The OpenRPC 1.3 document of the whole API (`rpc.discover`), with JSON schemas of every
//! parameter and result derived from the wire types.

use schemars::{JsonSchema, SchemaGenerator, generate::SchemaSettings};
use serde_json::{Value, json};

use crate::{
    BlockView, CallRequestView, CallResultView, DevAccountView, LogFilterView, LogView, ReceiptView,
    SendTransactionView, SubscriptionItem, TraceView, TransactionView,
};

/// Builds the document's methods and collects the schemas they refer to.
struct Document {
    schemas: SchemaGenerator,
    methods: Vec<Value>,
}

impl Document {
    fn schema<T: JsonSchema>(&mut self) -> Value {
        self.schemas.subschema_for::<T>().to_value()
    }

    fn method(&mut self, name: &str, summary: &str, params: Vec<(&str, Value)>, result: Value) {
        let params: Vec<Value> = params
            .into_iter()
            .map(|(name, schema)| {
                // An `Option` is nullable, so optional: `"type": [.., "null"]` for a scalar,
                // `"anyOf": [.., {"type": "null"}]` for a struct.
                let null_type = schema
                    .get("type")
                    .and_then(Value::as_array)
                    .is_some_and(|types| types.iter().any(|t| t == "null"));
                let null_alternative = schema
                    .get("anyOf")
                    .and_then(Value::as_array)
                    .is_some_and(|alternatives| alternatives.iter().any(|a| a["type"] == "null"));
                let required = !(null_type || null_alternative);
                json!({"name": name, "required": required, "schema": schema})
            })
            .collect();
        self.methods.push(json!({
            "name": name,
            "summary": summary,
            "params": params,
            "result": {"name": "result", "schema": result},
        }));
    }
}

/// The OpenRPC document `rpc.discover` serves.
pub fn openrpc_document() -> Value {
    let settings = SchemaSettings::draft07().with(|s| s.definitions_path = "/components/schemas".into());
    let mut d = Document {
        schemas: settings.into_generator(),
        methods: Vec::new(),
    };
    let (u64_, string, hash) = (d.schema::<u64>(), d.schema::<String>(), d.schema::<String>());
    let maybe_string = d.schema::<Option<String>>();
    let call = d.schema::<CallRequestView>();
    d.method(
        "weft_chainId",
        "The chain id transactions must carry.",
        vec![],
        u64_.clone(),
    );
    d.method(
        "weft_blockNumber",
        "The head block's height.",
        vec![],
        u64_.clone(),
    );
    d.method(
        "weft_sendRawTransaction",
        "Submits a SCALE-encoded SignedTransaction (0x hex); returns its hash.",
        vec![("transaction", string.clone())],
        hash.clone(),
    );
    let send = d.schema::<SendTransactionView>();
    d.method(
        "weft_sendTransaction",
        "Devnet: the node signs for a dev account (name or address) with its next free nonce and submits; returns the hash.",
        vec![("request", send)],
        hash.clone(),
    );
    let block = d.schema::<Option<BlockView>>();
    let full = d.schema::<Option<bool>>();
    d.method(
        "weft_getBlockByNumber",
        "The block at a height, or null; with full, its transactions too.",
        vec![("height", u64_.clone()), ("full", full.clone())],
        block.clone(),
    );
    d.method(
        "weft_getBlockByHash",
        "The block with a hash, or null; with full, its transactions too.",
        vec![("hash", hash.clone()), ("full", full)],
        block,
    );
    let tx = d.schema::<Option<TransactionView>>();
    d.method(
        "weft_getTransactionByHash",
        "An included transaction, or null while pending or unknown.",
        vec![("hash", hash.clone())],
        tx,
    );
    let receipt = d.schema::<Option<ReceiptView>>();
    d.method(
        "weft_getTransactionReceipt",
        "A transaction's receipt, or null while pending or unknown.",
        vec![("hash", hash.clone())],
        receipt,
    );
    d.method(
        "weft_getBalance",
        "An account's balance at the head, decimal.",
        vec![("address", string.clone())],
        string.clone(),
    );
    d.method(
        "weft_getNonce",
        "An account's next nonce at the head.",
        vec![("address", string.clone())],
        u64_.clone(),
    );
    d.method(
        "weft_getPendingNonce",
        "The nonce a new transaction from an account takes: after its transactions waiting in the pool.",
        vec![("address", string.clone())],
        u64_.clone(),
    );
    d.method(
        "weft_getCode",
        "A contract's code (0x hex), or null.",
        vec![("address", string.clone())],
        maybe_string.clone(),
    );
    d.method(
        "weft_getStorageAt",
        "A contract's storage value at a key (0x hex), or null.",
        vec![("address", string.clone()), ("key", string.clone())],
        maybe_string.clone(),
    );
    let call_result = d.schema::<CallResultView>();
    d.method(
        "weft_call",
        "Runs a call against the head state and discards its effects.",
        vec![("request", call.clone())],
        call_result,
    );
    d.method(
        "weft_estimateGas",
        "The smallest gas limit with which a transaction making this call succeeds, intrinsic cost included.",
        vec![("request", call.clone())],
        u64_.clone(),
    );
    let filter = d.schema::<LogFilterView>();
    let logs = d.schema::<Vec<LogView>>();
    d.method(
        "weft_getLogs",
        "The logs of a block range that match a filter (addresses; topics by position, null any, arrays alternatives).",
        vec![("filter", filter.clone())],
        logs,
    );
    let trace = d.schema::<Option<TraceView>>();
    d.method(
        "weft_traceTransaction",
        "The trace of an included transaction: its call tree with gas per frame, logs and events (null while pending or unknown, and once pruned: nodes keep their latest blocks' traces). Not consensus data.",
        vec![("hash", hash.clone())],
        trace,
    );
    let trace = d.schema::<TraceView>();
    d.method(
        "weft_traceCall",
        "Runs a call as weft_call does and returns its trace; nothing is kept.",
        vec![("request", call)],
        trace,
    );
    let kind = json!({"type": "string", "enum": ["newHeads", "logs", "pendingTransactions"]});
    let optional_filter = d.schema::<Option<LogFilterView>>();
    let item = d.schema::<SubscriptionItem>();
    d.method(
        "weft_subscribe",
        "WebSocket: subscribes to newHeads, logs (with a filter) or pendingTransactions; returns the subscription id. Notifications: weft_subscription.",
        vec![("kind", kind), ("filter", optional_filter)],
        json!({"type": "string", "description": "the subscription id", "x-notification": item}),
    );
    let boolean = d.schema::<bool>();
    d.method(
        "weft_unsubscribe",
        "Ends a subscription.",
        vec![("subscription", string.clone())],
        boolean,
    );
    let count = d.schema::<Option<u64>>();
    d.method(
        "dev_mine",
        "Produces count blocks now (default 1, at most 10,000), the first with the ready transactions; returns the last one's height.",
        vec![("count", count)],
        u64_.clone(),
    );
    let accounts = d.schema::<Vec<DevAccountView>>();
    d.method(
        "dev_accounts",
        "The prefunded dev accounts with their keys.",
        vec![],
        accounts,
    );
    d.method(
        "dev_snapshot",
        "Records the chain; returns a snapshot id.",
        vec![],
        u64_.clone(),
    );
    d.method(
        "dev_revert",
        "Returns the chain to a snapshot (used up with every later one; the pool is emptied); returns the head height.",
        vec![("id", u64_.clone())],
        u64_.clone(),
    );
    d.method(
        "dev_increaseTime",
        "Moves the clock forward for later blocks; returns the total shift in seconds.",
        vec![("seconds", u64_.clone())],
        u64_.clone(),
    );
    let unit = d.schema::<()>();
    d.method(
        "dev_setNextBlockTimestamp",
        "Gives the next block a timestamp (not before the head's).",
        vec![("timestamp", u64_)],
        unit.clone(),
    );
    d.method(
        "dev_setBalance",
        "Sets an account's balance (decimal).",
        vec![("address", string.clone()), ("balance", string.clone())],
        unit.clone(),
    );
    d.method(
        "dev_setStorageAt",
        "Sets a contract's storage value (hex) at a key (hex), or removes it with null.",
        vec![
            ("address", string.clone()),
            ("key", string.clone()),
            ("value", maybe_string),
        ],
        unit,
    );
    let names = d.schema::<Vec<String>>();
    d.method("rpc_methods", "The names of the methods served.", vec![], names);
    d.method(
        "rpc.discover",
        "This OpenRPC document.",
        vec![],
        json!({"type": "object"}),
    );
    json!({
        "openrpc": "1.3.2",
        "info": {
            "title": "Weft JSON-RPC",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Hashes, addresses and bytes are 0x hex; heights, nonces and gas JSON numbers; balances and values decimal strings. Error codes: weft_rpc::codes.",
        },
        "methods": d.methods,
        "components": {"schemas": d.schemas.take_definitions(true)},
    })
}
