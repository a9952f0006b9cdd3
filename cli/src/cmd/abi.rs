//! `weft abi`: a wasm file's `weft_abi` section as JSON (no node needed): methods, events and
//! the structs and enums they use.

use std::path::Path;

use serde_json::{Value, json};
use weft_abi::Abi;

use super::CliError;
use super::client::{read_wasm, usage};
use super::output::Out;

/// Prints the ABI of `file` (methods with argument and return types, events) as JSON.
pub(super) fn run(file: &Path) -> Result<(), CliError> {
    let wasm = read_wasm(file)?;
    let abi = Abi::from_wasm(&wasm).map_err(|e| usage(format!("{}: {e}", file.display())))?;
    let Some(abi) = abi else {
        return Err(usage(format!("{} has no weft_abi section", file.display())));
    };
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
    Ok(())
}
