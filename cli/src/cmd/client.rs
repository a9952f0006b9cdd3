//! What the RPC commands share: a JSON-RPC client with a cache of contracts' ABIs, sending and
//! waiting for receipts, decoding events and return values, and arguments from the command line.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use jsonrpsee::http_client::{HttpClient, HttpClientBuilder};
use parity_scale_codec::Encode;
use serde_json::{Value, json};
use weft_abi::{Abi, AbiType, Method};
use weft_primitives::{Action, Address, Event, Gas, Hash, SigningKey, Transaction};
use weft_rpc::{
    ArgsView, CallRequestView, EventView, ReceiptView, StatusView, WeftApiClient, WeftReadApiClient,
};

use super::keys::{self, address_of};
use super::output::{Out, failure, out, print_receipt};
use super::{CliError, TxOpts};

/// The gas limit of a deploy when `--gas` is not given.
pub(super) const DEFAULT_DEPLOY_GAS: Gas = 100_000_000;

/// The wasm module in `file`: refused with what it is instead when it is not one (WAT text is
/// the common mistake).
pub(super) fn read_wasm(file: &std::path::Path) -> Result<Vec<u8>, CliError> {
    let code = std::fs::read(file).map_err(|e| usage(format!("{}: {e}", file.display())))?;
    if code.starts_with(b"\0asm") {
        return Ok(code);
    }
    let text = std::str::from_utf8(&code[..code.len().min(256)]).unwrap_or("");
    let what = if text.trim_start().starts_with('(') {
        "WAT text is not accepted: compile it with `wat2wasm` first"
    } else {
        "it does not start with the \\0asm magic"
    };
    Err(usage(format!("{} is not a wasm module: {what}", file.display())))
}

/// A deploy's `--salt` (default zero).
pub(super) fn parse_salt(salt: Option<&str>) -> Result<Hash, CliError> {
    salt.map_or(Ok(Hash::ZERO), |salt| {
        salt.parse().map_err(|e| usage(format!("--salt: {e}")))
    })
}

/// A usage error.
pub(super) fn usage(message: impl Into<String>) -> CliError {
    CliError::Usage(message.into())
}

/// `0x` + hex.
pub(super) fn hex(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// Bytes from (`0x`) hex, or a usage error naming `what`.
pub(super) fn from_hex(what: &str, text: &str) -> Result<Vec<u8>, CliError> {
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
pub(super) fn encode_args(
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

/// A contract method and its arguments, as `call`, `view` and `estimate` take them.
#[derive(clap::Args, Debug)]
pub(super) struct MethodCall {
    /// The contract.
    pub(super) address: String,
    /// The method.
    pub(super) method: String,
    /// Arguments as JSON values through the contract's ABI (plain words are strings; dev
    /// account names are their addresses where the ABI wants an Address).
    pub(super) args: Vec<String>,
    /// Arguments as SCALE hex instead.
    #[arg(long, conflicts_with = "args")]
    pub(super) args_hex: Option<String>,
}

impl MethodCall {
    /// The contract's address and the call's SCALE input (through its ABI, or the hex).
    pub(super) async fn resolve(&self, client: &mut Client) -> Result<(Address, Vec<u8>), CliError> {
        let to = keys::address(&self.address)?;
        let abi = client.abi(to).await?;
        let input = encode_args(abi, Some(&self.method), &self.args, self.args_hex.as_deref())?;
        Ok((to, input))
    }
}

/// An RPC client with a cache of contracts' ABIs.
pub(super) struct Client {
    pub(super) rpc: HttpClient,
    abis: HashMap<Address, Option<Abi>>,
}

impl Client {
    pub(super) fn connect(url: &str) -> Result<Self, CliError> {
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
    pub(super) async fn abi(&mut self, address: Address) -> Result<Option<&Abi>, CliError> {
        if !self.abis.contains_key(&address) {
            let abi = match self.rpc.code(address.to_string()).await? {
                Some(code) => Abi::from_wasm(&from_hex("code", &code)?).ok().flatten(),
                None => None,
            };
            self.abis.insert(address, abi);
        }
        Ok(self.abis.get(&address).and_then(Option::as_ref))
    }

    /// Signs `action` from `key` with the pending nonce (after the sender's transactions in the
    /// pool, so that sends in quick succession do not collide), submits it and waits for its
    /// receipt; with `--wait 0`, prints the hash and returns `None` at once.
    pub(super) async fn send(
        &self,
        key: &SigningKey,
        action: Action,
        gas: Gas,
        opts: &TxOpts,
        out: &Out,
    ) -> Result<Option<ReceiptView>, CliError> {
        let chain_id = self.rpc.chain_id().await?;
        let nonce = self.rpc.pending_nonce(address_of(key).to_string()).await?;
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
        if opts.wait == 0 {
            if out.json {
                Out::print_json(&json!({ "tx_hash": hash }));
            } else {
                out!("{hash}");
            }
            return Ok(None);
        }
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
        Ok(Some(receipt))
    }

    /// Sends a transaction that stores or deploys code (`action`) signed by `tx.from`, with
    /// `tx.gas` or [`DEFAULT_DEPLOY_GAS`], and waits for its receipt: a failure is printed and
    /// returned, a success printed as JSON with `--json` (text is the caller's to print); `None`
    /// with `--wait 0`.
    pub(super) async fn send_code(
        &mut self,
        action: Action,
        tx: &TxOpts,
        out: &Out,
    ) -> Result<Option<ReceiptView>, CliError> {
        let key = keys::resolve(&tx.from)?;
        let gas = tx.gas.unwrap_or(DEFAULT_DEPLOY_GAS);
        let Some(receipt) = self.send(&key, action, gas, tx, out).await? else {
            return Ok(None);
        };
        let explained = self.explain(&receipt, None, None).await?;
        if let Some(why) = failure(&explained) {
            print_receipt(out, &explained);
            return Err(CliError::Failed(why));
        }
        if out.json {
            Out::print_json(&explained);
        }
        Ok(Some(receipt))
    }

    /// Events decoded through their contracts' ABIs (raw when there is none).
    pub(super) async fn decode_events(&mut self, events: &[EventView]) -> Result<Vec<Value>, CliError> {
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
    pub(super) async fn explain(
        &mut self,
        receipt: &ReceiptView,
        to: Option<Address>,
        method: Option<&str>,
    ) -> Result<Value, CliError> {
        let returned = match (to, method, receipt.status) {
            (Some(to), Some(method), StatusView::Success) => match self.abi(to).await? {
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

/// A request for `weft_call` / `weft_estimateGas` (`method` absent: a transfer).
pub(super) fn call_request(
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
