//! The client commands' implementations.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use jsonrpsee::http_client::{HttpClient, HttpClientBuilder};
use parity_scale_codec::Encode;
use serde::Serialize;
use serde_json::{Map, Value, json};
use weft_abi::{Abi, AbiType, Method};
use weft_primitives::{Action, Address, Event, Gas, Hash, SigningKey, Transaction};
use weft_rpc::{
    ArgsView, BlockView, CallRequestView, EventView, LogFilterView, OneOrMany, ReceiptView, WeftApiClient,
    WeftReadApiClient,
};

use super::keys::{self, address_of};
use super::{CliError, ClientCommand, KeysCommand, RpcOpts, TxOpts, inspect};

/// The gas limit of a deploy when `--gas` is not given.
const DEFAULT_DEPLOY_GAS: Gas = 100_000_000;

/// Where output goes and how it looks.
struct Out {
    json: bool,
    color: bool,
}

impl Out {
    fn new(json: bool) -> Self {
        let color = !json && std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
        Self { json, color }
    }

    fn paint(&self, text: &str, ansi: &str) -> String {
        if self.color {
            format!("\x1b[{ansi}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn status(&self, status: &str) -> String {
        self.paint(status, if status == "success" { "32" } else { "31" })
    }

    fn print_json(value: &impl Serialize) {
        let text = serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("\"unprintable: {e}\""));
        println!("{text}");
    }

    /// Prints `fields` as aligned `key value` lines.
    fn print_fields(&self, fields: &[(&str, String)]) {
        for (key, value) in fields {
            println!("{} {value}", self.paint(&format!("{key:<16}"), "1"));
        }
    }
}

fn usage(message: impl Into<String>) -> CliError {
    CliError::Usage(message.into())
}

fn hex(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

fn from_hex(what: &str, text: &str) -> Result<Vec<u8>, CliError> {
    hex::decode(text.strip_prefix("0x").unwrap_or(text)).map_err(|e| usage(format!("{what}: not hex: {e}")))
}

/// A command-line word as the JSON value `ty` takes: addresses may be named, integers stay
/// decimal strings (no float rounding), strings are taken as written, the rest is JSON.
fn arg_value(word: &str, ty: &AbiType) -> Result<Value, CliError> {
    Ok(match ty {
        AbiType::Address => Value::String(keys::address(word)?.to_string()),
        AbiType::Int { .. } | AbiType::String => Value::String(word.to_owned()),
        _ => serde_json::from_str(word).unwrap_or_else(|_| Value::String(word.to_owned())),
    })
}

/// The SCALE input for `method` (`None`: the constructor) from words or `--args-hex`.
fn encode_args(
    abi: Option<&Abi>,
    method: Option<&str>,
    words: &[String],
    args_hex: Option<&str>,
) -> Result<Vec<u8>, CliError> {
    if let Some(text) = args_hex {
        return from_hex("--args-hex", text);
    }
    let Some(abi) = abi else {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        return Err(usage(
            "the contract has no weft_abi section: give its arguments with --args-hex (SCALE)",
        ));
    };
    let method: &Method = match method {
        Some(name) => abi.method(name).map_err(|e| usage(e.to_string()))?,
        None => match abi.constructor() {
            Some(constructor) => constructor,
            None if words.is_empty() => return Ok(Vec::new()),
            None => return Err(usage("the contract has no constructor to take arguments")),
        },
    };
    if words.len() != method.args.len() {
        let wanted: Vec<String> = method
            .args
            .iter()
            .map(|p| format!("{}: {}", p.name, p.ty))
            .collect();
        return Err(usage(format!(
            "`{}` takes {} argument(s) ({}), got {}",
            method.name,
            method.args.len(),
            wanted.join(", "),
            words.len()
        )));
    }
    let values = words
        .iter()
        .zip(&method.args)
        .map(|(word, param)| arg_value(word, &param.ty))
        .collect::<Result<Vec<_>, _>>()?;
    method.encode_args(&values).map_err(|e| usage(e.to_string()))
}

/// An RPC client with a cache of contracts' ABIs.
struct Client {
    rpc: HttpClient,
    abis: HashMap<Address, Option<Abi>>,
}

impl Client {
    fn connect(url: &str) -> Result<Self, CliError> {
        let rpc = HttpClientBuilder::default()
            .request_timeout(Duration::from_secs(120))
            .build(url)
            .map_err(|e| usage(format!("--rpc {url}: {e}")))?;
        Ok(Self {
            rpc,
            abis: HashMap::new(),
        })
    }

    /// The ABI of the contract at `address`, if it has one.
    async fn abi(&mut self, address: Address) -> Result<Option<&Abi>, CliError> {
        if !self.abis.contains_key(&address) {
            let abi = match self.rpc.code(address.to_string()).await? {
                Some(code) => Abi::from_wasm(&from_hex("code", &code)?).ok().flatten(),
                None => None,
            };
            self.abis.insert(address, abi);
        }
        Ok(self.abis.get(&address).and_then(Option::as_ref))
    }

    /// Signs `action` from `key`, submits it and waits for its receipt.
    async fn send(
        &self,
        key: &SigningKey,
        action: Action,
        gas: Gas,
        opts: &TxOpts,
        out: &Out,
    ) -> Result<ReceiptView, CliError> {
        let chain_id = self.rpc.chain_id().await?;
        let nonce = self.rpc.nonce(address_of(key).to_string()).await?;
        let signed = Transaction {
            chain_id,
            signer: Transaction::signer_of(key),
            nonce,
            gas_limit: gas,
            gas_price: opts.gas_price,
            value: opts.value,
            action,
        }
        .sign(key);
        let hash = self.rpc.send_raw_transaction(hex(&signed.encode())).await?;
        let spinner = if out.json || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let spinner =
                ProgressBar::new_spinner().with_message(format!("waiting for the receipt of {hash}"));
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
                spinner.set_style(style);
            }
            spinner.enable_steady_tick(Duration::from_millis(100));
            spinner
        };
        let deadline = Instant::now() + Duration::from_secs(opts.wait);
        let receipt = loop {
            if let Some(receipt) = self.rpc.transaction_receipt(hash.clone()).await? {
                break receipt;
            }
            if Instant::now() > deadline {
                spinner.finish_and_clear();
                return Err(CliError::Failed(format!(
                    "no receipt for {hash} after {} s: it may still be pending (see `weft receipt {hash}`)",
                    opts.wait
                )));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        spinner.finish_and_clear();
        Ok(receipt)
    }

    /// Events decoded through their contracts' ABIs (raw when there is none).
    async fn decode_events(&mut self, events: &[EventView]) -> Result<Vec<Value>, CliError> {
        let mut decoded = Vec::with_capacity(events.len());
        for view in events {
            let event = Event {
                address: view
                    .address
                    .parse()
                    .map_err(|e| usage(format!("event address: {e}")))?,
                topics: view
                    .topics
                    .iter()
                    .map(|t| t.parse::<Hash>())
                    .collect::<Result<_, _>>()
                    .map_err(|e| usage(format!("event topic: {e}")))?,
                data: from_hex("event data", &view.data)?,
            };
            let named = match self.abi(event.address).await? {
                Some(abi) => abi.decode_event(&event).and_then(Result::ok),
                None => None,
            };
            decoded.push(match named {
                Some(named) => json!({"event": named.name, "fields": named.fields, "address": view.address, "log_index": view.log_index}),
                None => json!({"event": null, "address": view.address, "topics": view.topics, "data": view.data, "log_index": view.log_index}),
            });
        }
        Ok(decoded)
    }

    /// A receipt with its return value and events decoded (`method` names the call it was).
    async fn explain(
        &mut self,
        receipt: &ReceiptView,
        to: Option<Address>,
        method: Option<&str>,
    ) -> Result<Value, CliError> {
        let returned = match (to, method, receipt.status.as_str()) {
            (Some(to), Some(method), "success") => match self.abi(to).await? {
                Some(abi) => abi.method(method).ok().and_then(|m| {
                    m.decode_return(&from_hex("return data", &receipt.return_data).ok()?)
                        .ok()
                }),
                None => None,
            },
            _ => None,
        };
        let events = self.decode_events(&receipt.events).await?;
        let mut value = serde_json::to_value(receipt).map_err(|e| usage(e.to_string()))?;
        if let Some(object) = value.as_object_mut() {
            object.insert("returned".into(), returned.unwrap_or(Value::Null));
            object.insert("events".into(), Value::Array(events));
        }
        Ok(value)
    }
}

/// Why a receipt's transaction failed, in words.
fn failure(receipt: &Value) -> Option<String> {
    let status = receipt["status"].as_str().unwrap_or("unknown");
    if status == "success" {
        return None;
    }
    let detail = match status {
        "revert" => {
            let data = receipt["return_data"].as_str().unwrap_or("0x");
            let bytes = hex::decode(data.trim_start_matches("0x")).unwrap_or_default();
            format!(": {}", String::from_utf8_lossy(&bytes))
        }
        "trap" => format!(": {}", receipt["trap"].as_str().unwrap_or("")),
        _ => String::new(),
    };
    Some(format!(
        "transaction {} {status}{detail}",
        receipt["tx_hash"].as_str().unwrap_or("?")
    ))
}

fn print_receipt(out: &Out, receipt: &Value) {
    if out.json {
        Out::print_json(receipt);
        return;
    }
    let status = receipt["status"].as_str().unwrap_or("?");
    let mut fields = vec![
        ("status", out.status(status)),
        (
            "transaction",
            receipt["tx_hash"].as_str().unwrap_or("?").to_owned(),
        ),
        ("block", receipt["block_height"].to_string()),
        ("gas used", receipt["gas_used"].to_string()),
    ];
    if let Some(address) = receipt["contract_address"].as_str() {
        fields.push(("contract", address.to_owned()));
    }
    if !receipt["returned"].is_null() {
        fields.push(("returned", receipt["returned"].to_string()));
    }
    if let Some(trap) = receipt["trap"].as_str() {
        fields.push(("trap", trap.to_owned()));
    }
    for event in receipt["events"].as_array().into_iter().flatten() {
        let line = match event["event"].as_str() {
            Some(name) => format!("{name} {}", event["fields"]),
            None => format!(
                "(no ABI) {} topics {} data {}",
                event["address"], event["topics"], event["data"]
            ),
        };
        fields.push(("event", line));
    }
    for log in receipt["logs"].as_array().into_iter().flatten() {
        fields.push(("log", log.as_str().unwrap_or("").to_owned()));
    }
    out.print_fields(&fields);
}

/// Runs `command`.
pub fn run(command: ClientCommand, opts: &RpcOpts) -> Result<(), CliError> {
    let out = Out::new(opts.json);
    match command {
        ClientCommand::Keys(keys) => run_keys(keys, &out),
        ClientCommand::Inspect { file } => {
            let wasm = std::fs::read(&file).map_err(|e| usage(format!("{}: {e}", file.display())))?;
            let report = inspect::inspect(&wasm)?;
            if out.json {
                Out::print_json(&report);
            } else {
                let mut fields = vec![("size", format!("{} bytes", report.size))];
                fields.extend(report.imports.iter().map(|i| ("import", i.clone())));
                fields.extend(report.exports.iter().map(|e| ("export", e.clone())));
                match &report.abi {
                    Some(abi) => {
                        fields.push((
                            "contract",
                            abi.contract.clone().unwrap_or_else(|| "(unnamed)".into()),
                        ));
                        fields.extend(abi.methods.iter().map(|m| ("method", m.clone())));
                        fields.extend(abi.events.iter().map(|e| ("event", e.clone())));
                    }
                    None => fields.push(("abi", "none (no weft_abi section)".into())),
                }
                match (&report.refusal, report.instrumented_size) {
                    (None, Some(size)) => {
                        fields.push(("accepted", out.status("success").replace("success", "yes")));
                        fields.push(("instrumented", format!("{size} bytes")));
                        fields.push(("entry points", report.entry_points.join(", ")));
                    }
                    (refusal, _) => {
                        let why = refusal.clone().unwrap_or_default();
                        fields.push(("accepted", format!("{} — {why}", out.paint("no", "31"))));
                    }
                }
                out.print_fields(&fields);
            }
            if report.accepted {
                Ok(())
            } else {
                Err(CliError::Failed("this chain would refuse the module".into()))
            }
        }
        rpc_command => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(run_rpc(rpc_command, opts, &out))
        }
    }
}

fn run_keys(command: KeysCommand, out: &Out) -> Result<(), CliError> {
    let (name, key) = match command {
        KeysCommand::New { name } => (name, keys::generate()?),
        KeysCommand::Import { name, secret } => (name, keys::import(&secret)?),
        KeysCommand::List => {
            let stored = keys::stored()?;
            let dev: Vec<(String, Address)> = weft_chain::dev_accounts()
                .into_iter()
                .map(|a| (a.name.to_owned(), a.address))
                .collect();
            if out.json {
                let list = |keys: &[(String, Address)]| -> Vec<Value> {
                    keys.iter()
                        .map(|(n, a)| json!({"name": n, "address": a.to_string()}))
                        .collect()
                };
                Out::print_json(
                    &json!({"stored": list(&stored), "dev": list(&dev), "dir": keys::keys_dir()}),
                );
            } else {
                println!("stored in {}:", keys::keys_dir().display());
                for (name, address) in &stored {
                    println!("  {name:<12} {address}");
                }
                println!("dev accounts (devnet only):");
                for (name, address) in &dev {
                    println!("  {name:<12} {address}");
                }
            }
            return Ok(());
        }
    };
    let path = keys::store(&name, &key)?;
    let address = address_of(&key);
    if out.json {
        Out::print_json(&json!({"name": name, "address": address.to_string(), "file": path}));
    } else {
        println!("{address}");
        eprintln!("stored key {name} in {}", path.display());
    }
    Ok(())
}

/// A request for `weft_call` / `weft_estimateGas` (`method` absent: a transfer).
fn call_request(
    from: Option<Address>,
    to: Address,
    method: Option<&str>,
    input: &[u8],
    value: u128,
) -> CallRequestView {
    CallRequestView {
        from: from.map(|a| a.to_string()),
        to: to.to_string(),
        method: method.map(str::to_owned),
        args: Some(ArgsView::Hex(hex(input))),
        value: Some(value.to_string()),
        gas: None,
        block: None,
    }
}

async fn run_rpc(command: ClientCommand, opts: &RpcOpts, out: &Out) -> Result<(), CliError> {
    let mut client = Client::connect(&opts.rpc)?;
    match command {
        ClientCommand::Deploy {
            file,
            args,
            args_hex,
            salt,
            tx,
        } => {
            let code = std::fs::read(&file).map_err(|e| usage(format!("{}: {e}", file.display())))?;
            let abi = Abi::from_wasm(&code).map_err(|e| usage(format!("{}: {e}", file.display())))?;
            let init_args = encode_args(abi.as_ref(), None, &args, args_hex.as_deref())?;
            let salt = match salt {
                Some(salt) => salt.parse().map_err(|e| usage(format!("--salt: {e}")))?,
                None => Hash::ZERO,
            };
            let key = keys::resolve(&tx.from)?;
            let action = Action::Deploy {
                code,
                init_args,
                salt,
            };
            let gas = tx.gas.unwrap_or(DEFAULT_DEPLOY_GAS);
            let receipt = client.send(&key, action, gas, &tx, out).await?;
            let explained = client.explain(&receipt, None, None).await?;
            if let Some(why) = failure(&explained) {
                print_receipt(out, &explained);
                return Err(CliError::Failed(why));
            }
            let address = receipt.contract_address.clone().unwrap_or_default();
            if out.json {
                Out::print_json(&explained);
            } else {
                println!("{address}");
                let name = abi.and_then(|a| a.contract).unwrap_or_else(|| "contract".into());
                eprintln!(
                    "deployed {name} in block {} (transaction {}, gas {})",
                    receipt.block_height, receipt.tx_hash, receipt.gas_used
                );
            }
            Ok(())
        }
        ClientCommand::Call {
            address,
            method,
            args,
            args_hex,
            tx,
        } => {
            let to = keys::address(&address)?;
            let input = encode_args(client.abi(to).await?, Some(&method), &args, args_hex.as_deref())?;
            let export = match client.abi(to).await? {
                Some(abi) => abi
                    .method(&method)
                    .map_or(method.clone(), |m| m.export().to_owned()),
                None => method.clone(),
            };
            let key = keys::resolve(&tx.from)?;
            let gas = match tx.gas {
                Some(gas) => gas,
                None => {
                    let request = call_request(Some(address_of(&key)), to, Some(&export), &input, tx.value);
                    client.rpc.estimate_gas(request).await?
                }
            };
            let action = Action::Call {
                to,
                method: export,
                args: input,
            };
            let receipt = client.send(&key, action, gas, &tx, out).await?;
            let explained = client.explain(&receipt, Some(to), Some(&method)).await?;
            print_receipt(out, &explained);
            match failure(&explained) {
                Some(why) => Err(CliError::Failed(why)),
                None => Ok(()),
            }
        }
        ClientCommand::View {
            address,
            method,
            args,
            args_hex,
            from,
        } => {
            let to = keys::address(&address)?;
            let input = encode_args(client.abi(to).await?, Some(&method), &args, args_hex.as_deref())?;
            let from = from.as_deref().map(keys::address).transpose()?;
            let result = client
                .rpc
                .call(call_request(from, to, Some(&method), &input, 0))
                .await?;
            if out.json {
                Out::print_json(&result);
            } else if result.status == "success" {
                match &result.decoded {
                    Some(Value::String(text)) => println!("{text}"),
                    Some(value) => println!("{value}"),
                    None => println!("{}", result.return_data),
                }
            } else {
                out.print_fields(&[
                    ("status", out.status(&result.status)),
                    ("return data", result.return_data.clone()),
                    ("trap", result.trap.clone().unwrap_or_default()),
                ]);
            }
            if result.status == "success" {
                Ok(())
            } else {
                let data = from_hex("return data", &result.return_data)?;
                Err(CliError::Failed(format!(
                    "{method}: {}{}",
                    result.status,
                    if result.status == "revert" {
                        format!(": {}", String::from_utf8_lossy(&data))
                    } else {
                        String::new()
                    }
                )))
            }
        }
        ClientCommand::Send { to, amount, mut tx } => {
            let to = keys::address(&to)?;
            let key = keys::resolve(&tx.from)?;
            tx.value = amount;
            let action = Action::Transfer { to };
            let gas = match tx.gas {
                Some(gas) => gas,
                None => {
                    let request = call_request(Some(address_of(&key)), to, None, &[], amount);
                    client.rpc.estimate_gas(request).await?
                }
            };
            let receipt = client.send(&key, action, gas, &tx, out).await?;
            let explained = client.explain(&receipt, None, None).await?;
            print_receipt(out, &explained);
            match failure(&explained) {
                Some(why) => Err(CliError::Failed(why)),
                None => Ok(()),
            }
        }
        ClientCommand::Balance { account } => {
            let address = keys::address(&account)?.to_string();
            let balance = client.rpc.balance(address.clone()).await?;
            if out.json {
                Out::print_json(&json!({"address": address, "balance": balance}));
            } else {
                println!("{balance}");
            }
            Ok(())
        }
        ClientCommand::Nonce { account } => {
            let address = keys::address(&account)?.to_string();
            let nonce = client.rpc.nonce(address.clone()).await?;
            if out.json {
                Out::print_json(&json!({"address": address, "nonce": nonce}));
            } else {
                println!("{nonce}");
            }
            Ok(())
        }
        ClientCommand::Receipt { hash } => {
            let receipt = client
                .rpc
                .transaction_receipt(hash.clone())
                .await?
                .ok_or_else(|| {
                    CliError::Failed(format!("no receipt for {hash}: unknown or still pending"))
                })?;
            let found = client.rpc.transaction_by_hash(hash.clone()).await?;
            let (to, method) = match &found {
                Some(tx) => (tx.to.as_deref().and_then(|t| t.parse().ok()), tx.method.clone()),
                None => (None, None),
            };
            let explained = client.explain(&receipt, to, method.as_deref()).await?;
            print_receipt(out, &explained);
            Ok(())
        }
        ClientCommand::Tx { hash } => {
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
        ClientCommand::Block { id } => {
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
            let block =
                block.ok_or_else(|| CliError::Failed(format!("no block {}", id.unwrap_or_default())))?;
            print_object(out, &block);
            Ok(())
        }
        ClientCommand::Logs {
            address,
            event,
            from_block,
            to_block,
        } => {
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
                    println!(
                        "block {} tx {} {} {what}",
                        row["block_height"],
                        row["tx_hash"].as_str().unwrap_or("?"),
                        row["address"].as_str().unwrap_or("?"),
                    );
                }
            }
            Ok(())
        }
        ClientCommand::Keys(_) | ClientCommand::Inspect { .. } => Err(usage("not an RPC command")),
    }
}

/// Prints a wire object: JSON, or one `key value` line per field.
fn print_object(out: &Out, object: &impl Serialize) {
    let value = serde_json::to_value(object).unwrap_or(Value::Null);
    if out.json {
        Out::print_json(&value);
        return;
    }
    let fields: Vec<(&str, String)> = value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, value)| {
            let text = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            (key.as_str(), text)
        })
        .collect();
    out.print_fields(&fields);
}
