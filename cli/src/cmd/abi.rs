//! `weft abi`: a wasm file's `weft_abi` section as JSON (no node needed): methods, events and
//! the structs and enums they use.

use std::path::Path;

use serde_json::{Value, json};
use weft_abi::Abi;

use super::CliError;
use super::client::{encode_args, from_hex, read_wasm, usage};
use super::output::{Out, out};

/// A conversion through a method's ABI.
#[derive(clap::Subcommand, Debug)]
pub enum Convert {
    /// Prints the SCALE hex of a method's arguments, given as `weft call` takes them.
    Encode {
        /// The method (its name, or `deploy` for the constructor).
        method: String,
        /// Its arguments: JSON values (plain words are strings; dev names are addresses).
        args: Vec<String>,
    },
    /// Prints a method's return data (SCALE hex) as JSON; with `--args`, its arguments as a JSON
    /// array.
    Decode {
        /// The method.
        method: String,
        /// The bytes, 0x hex.
        hex: String,
        /// The bytes are the method's arguments (a transaction's input), not its result.
        #[arg(long)]
        args: bool,
    },
}

/// Prints the ABI of `file` (methods with argument and return types, events, types) as JSON, or
/// does `convert` through it.
pub(super) fn run(file: &Path, convert: Option<Convert>) -> Result<(), CliError> {
    let wasm = read_wasm(file)?;
    let abi = Abi::from_wasm(&wasm).map_err(|e| usage(format!("{}: {e}", file.display())))?;
    let Some(abi) = abi else {
        return Err(usage(format!("{} has no weft_abi section", file.display())));
    };
    match convert {
        None => print_abi(&abi),
        Some(Convert::Encode { method, args }) => {
            let input = encode_args(Some(&abi), Some(&method), &args, None)?;
            out!("0x{}", hex::encode(input));
        }
        Some(Convert::Decode { method, hex, args }) => {
            let data = from_hex("hex", &hex)?;
            let method = abi.method(&method).map_err(|e| usage(e.to_string()))?;
            let decoded = match args {
                true => method.decode_args(&data).map(Value::Array),
                false => method.decode_return(&data),
            };
            Out::print_json(&decoded.map_err(|e| usage(e.to_string()))?);
        }
    }
    Ok(())
}

fn print_abi(abi: &Abi) {
    let methods: Vec<Value> = abi
        .methods
        .iter()
        .map(|m| {
            let args: Vec<Value> = m
                .args
                .iter()
                .map(|a| json!({"name": a.name, "type": a.ty.to_string()}))
                .collect();
            json!({
                "name": m.name,
                "export": m.export(),
                "args": args,
                "returns": m.returns.as_ref().map(ToString::to_string),
                "payable": m.payable,
                "init": m.init,
                "migrate": m.migrate,
                "undescribed": m.undescribed,
            })
        })
        .collect();
    let events: Vec<Value> = abi
        .events
        .iter()
        .map(|e| {
            json!({
                "name": e.name,
                "signature": e.signature,
                "topic": e.topic().to_string(),
                "undescribed": e.undescribed,
            })
        })
        .collect();
    let types: Vec<Value> = abi.types.iter().map(|t| t.describe()).collect();
    Out::print_json(&json!({"contract": abi.contract, "methods": methods, "events": events, "types": types}));
}
