//! How the client commands print: text for people (aligned fields, colour on a terminal unless
//! `NO_COLOR`), or JSON with `--json`.

use std::io::{IsTerminal, Write as _};

use serde::Serialize;
use serde_json::Value;

/// `println!` to stdout, except that a reader gone away (a closed pipe: `weft logs | head -1`)
/// ends the process quietly with status 141, as a Unix tool killed by SIGPIPE does, instead of
/// panicking (Rust ignores SIGPIPE, so `println!` would).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cmd::output::write_line(format_args!($($arg)*))
    };
}
pub(crate) use out;

/// Writes one line to stdout; see [`out!`].
pub(crate) fn write_line(line: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = writeln!(stdout, "{line}").and_then(|()| stdout.flush()) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(141);
        }
        eprintln!("error: cannot write to stdout: {error}");
        std::process::exit(1);
    }
}

/// Where output goes and how it looks.
pub(super) struct Out {
    pub(super) json: bool,
    color: bool,
}

impl Out {
    pub(super) fn new(json: bool) -> Self {
        let color = !json && std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
        Self { json, color }
    }

    /// Whether text output is coloured.
    pub(super) fn colour(&self) -> bool {
        self.color
    }

    pub(super) fn paint(&self, text: &str, ansi: &str) -> String {
        if self.color {
            format!("\x1b[{ansi}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    pub(super) fn status(&self, status: &str) -> String {
        self.paint(status, if status == "success" { "32" } else { "31" })
    }

    pub(super) fn print_json(value: &impl Serialize) {
        let text = serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("\"unprintable: {e}\""));
        out!("{text}");
    }

    /// Prints `fields` as aligned `key value` lines.
    pub(super) fn print_fields(&self, fields: &[(&str, String)]) {
        for (key, value) in fields {
            out!("{} {value}", self.paint(&format!("{key:<16}"), "1"));
        }
    }
}

/// Prints a created contract's address on stdout and `{what} in block ..` on stderr (nothing
/// with `--json`: the receipt was printed).
pub(super) fn print_created(out: &Out, receipt: &weft_rpc::ReceiptView, what: &str) {
    if out.json {
        return;
    }
    out!("{}", receipt.contract_address.clone().unwrap_or_default());
    eprintln!(
        "{what} in block {} (transaction {}, gas {})",
        receipt.block_height, receipt.tx_hash, receipt.gas_used
    );
}

/// Why a receipt's transaction failed, in words.
pub(super) fn failure(receipt: &Value) -> Option<String> {
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

/// Prints a receipt explained by [`super::client::Client::explain`].
pub(super) fn print_receipt(out: &Out, receipt: &Value) {
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

/// Prints a wire object: JSON, or one `key value` line per field.
pub(super) fn print_object(out: &Out, object: &impl Serialize) {
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
