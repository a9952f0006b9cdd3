//! `abi` and `abi_json`: a contract's ABI section and the values converted through its types.

use weft_abi::{Abi, AbiType};
use weft_primitives::{Event, Hash};

/// JSON that came out of `ty` goes back in, and comes out the same (JSON is the stable form: a few
/// SCALE values share one JSON form, e.g. `Some(())` and `None` of `Option<()>` are both `null`).
fn json_round_trip(ty: &AbiType, json: &serde_json::Value) {
    let mut bytes = Vec::new();
    ty.encode_json(json, &mut bytes)
        .unwrap_or_else(|e| panic!("{ty}: decoded JSON {json} does not encode: {e}"));
    let again = ty
        .decode_json_exact(&bytes)
        .unwrap_or_else(|e| panic!("{ty}: encoded JSON {json} does not decode: {e}"));
    assert_eq!(&again, json, "{ty}: JSON changed through SCALE");
}

/// Splits `data` at the length its first two bytes give (little-endian), clamped.
fn split(data: &[u8]) -> (&[u8], &[u8]) {
    let Some((head, rest)) = data.split_first_chunk::<2>() else {
        return (data, &[]);
    };
    rest.split_at(usize::from(u16::from_le_bytes(*head)).min(rest.len()))
}

/// A `weft_abi` section (the first part) and SCALE bytes (the rest): the section parses or is an
/// error; the bytes decode through every method's argument and return types and every event, or
/// are errors; what decodes survives a JSON round trip.
pub fn abi(data: &[u8]) {
    let (section, value) = split(data);
    let Ok(abi) = Abi::from_section(section) else {
        return;
    };
    for method in &abi.methods {
        let types = method.args.iter().map(|p| &p.ty).chain(method.returns.as_ref());
        for ty in types {
            if let Ok(json) = ty.decode_json_exact(value) {
                json_round_trip(ty, &json);
            }
        }
        let _ = method.decode_return(value);
    }
    for event in &abi.events {
        let topics = std::iter::once(event.topic())
            .chain(value.chunks_exact(32).take(3).map(|c| {
                let mut topic = [0; 32];
                topic.copy_from_slice(c);
                Hash(topic)
            }))
            .collect();
        let emitted = Event {
            address: weft_primitives::Address::ZERO,
            topics,
            data: value.to_vec(),
        };
        let _ = abi.decode_event(&emitted);
    }
}

/// A type (the first line) and a JSON value (the rest): what encodes decodes, and its JSON
/// survives a round trip.
pub fn abi_json(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Some((ty, json)) = text.split_once('\n') else {
        return;
    };
    let Ok(ty) = ty.parse::<AbiType>() else {
        return;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(json) else {
        return;
    };
    let mut bytes = Vec::new();
    if ty.encode_json(&json, &mut bytes).is_err() {
        return;
    }
    let decoded = ty
        .decode_json_exact(&bytes)
        .unwrap_or_else(|e| panic!("{ty}: encoded {json} does not decode: {e}"));
    json_round_trip(&ty, &decoded);
}
