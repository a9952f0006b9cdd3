//! `rpc_params`: the parameters of JSON-RPC requests, as the server parses them.

use std::sync::LazyLock;

use weft_abi::Abi;
use weft_primitives::{Address, Hash};
use weft_rpc::{ArgsView, CallRequestView, LogFilterView, OneOrMany, SendTransactionView};

/// The token's ABI, for arguments given as JSON.
static TOKEN: LazyLock<Abi> = LazyLock::new(|| {
    let code = include_bytes!("../../contracts/artifacts/token.wasm");
    Abi::from_wasm(code)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("the token artifact has an ABI"))
});

/// `0x` hex as the server reads it.
fn hex_bytes(text: &str) -> Option<Vec<u8>> {
    hex::decode(text.strip_prefix("0x")?).ok()
}

/// Arguments through the token's ABI (JSON) or as hex.
fn args(method: &str, args: Option<&ArgsView>) {
    match args {
        Some(ArgsView::Hex(text)) => {
            hex_bytes(text);
        }
        Some(ArgsView::Json(values)) => {
            if let Ok(method) = TOKEN.method(method) {
                let _ = method.encode_args(values);
            }
        }
        None => {}
    }
}

fn many(value: &OneOrMany) -> Vec<&String> {
    match value {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many.iter().collect(),
    }
}

/// The first byte picks the request; the rest is its JSON parameter object (or, for the fourth
/// kind, a whole request body, as the node's server checks it). What deserializes is
/// taken apart as the server does: addresses, hashes and hex parsed, JSON arguments encoded.
pub fn rpc_params(data: &[u8]) {
    let Some((&kind, json)) = data.split_first() else {
        return;
    };
    match kind % 4 {
        0 => {
            let Ok(call) = serde_json::from_slice::<CallRequestView>(json) else {
                return;
            };
            let _ = call.to.parse::<Address>();
            let _ = call.from.as_deref().map(str::parse::<Address>);
            let _ = call.value.as_deref().map(str::parse::<u128>);
            args(call.method.as_deref().unwrap_or("transfer"), call.args.as_ref());
        }
        1 => {
            let Ok(send) = serde_json::from_slice::<SendTransactionView>(json) else {
                return;
            };
            let _ = send.from.parse::<Address>();
            let _ = send.to.as_deref().map(str::parse::<Address>);
            let _ = send.code.as_deref().map(hex_bytes);
            let _ = send.salt.as_deref().map(str::parse::<Hash>);
            let _ = send.gas_price.as_deref().map(str::parse::<u128>);
            args(send.method.as_deref().unwrap_or("new"), send.args.as_ref());
        }
        3 => weft_node::rpc::check_untrusted_body(json),
        _ => {
            let Ok(filter) = serde_json::from_slice::<LogFilterView>(json) else {
                return;
            };
            for address in filter.address.iter().flat_map(many) {
                let _ = address.parse::<Address>();
            }
            for topic in filter.topics.iter().flatten().flat_map(many) {
                let _ = topic.parse::<Hash>();
            }
        }
    }
}
