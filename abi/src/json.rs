//! SCALE ⇄ JSON by ABI type.
//!
//! JSON forms: `bool`; integers up to 64 bits as numbers (strings accepted), 128-bit ones as
//! decimal strings (numbers accepted); `String` as a string; `Address`, `Hash`, `Vec<u8>` and
//! `[u8;N]` as `0x` hex; other `Vec` and arrays, and tuples, as arrays (`()` as `null`);
//! `Option` as `null` or the value; `Result` as `{"Ok": v}` or `{"Err": e}`. A described struct
//! is an object of its fields (a tuple struct an array, one field its value, none `null`); an
//! enum's variant without fields is its name as a string, one with fields `{"Name": fields}`
//! (serde's externally tagged form).
//!
//! Both directions are bounded: recursion follows the type, whose depth the parser limits
//! ([`crate::MAX_TYPE_DEPTH`]), and each conversion may make or read at most [`MAX_VALUES`] values plus
//! one per byte it has read or written, so that types of no size (`()`, `[T; 0]`) cannot turn a few
//! bytes into millions of JSON values.

use parity_scale_codec::{Compact, Decode, Encode};
use serde_json::{Value, json};
use weft_primitives::Hash;

use crate::{AbiError, AbiType, Fields, Shape, TypeDef};

const U8: AbiType = AbiType::Int {
    bits: 8,
    signed: false,
};

/// The values a conversion may make or read beyond one per byte of SCALE it has read or written.
pub const MAX_VALUES: usize = 1 << 16;

/// Counts the values of one conversion against [`MAX_VALUES`] plus the bytes done so far.
struct Budget {
    spent: usize,
    /// Where the conversion started: the input's length (decode) or the output's (encode).
    start: usize,
}

impl Budget {
    fn new(start: usize) -> Self {
        Self { spent: 0, start }
    }

    /// How many more values may be made after `bytes` bytes have been read or written.
    fn left(&self, bytes: usize) -> usize {
        (MAX_VALUES + bytes).saturating_sub(self.spent)
    }

    /// Whether `count` more values fit after `bytes` bytes have been read or written.
    fn check(&self, count: usize, bytes: usize) -> Result<(), AbiError> {
        if count > self.left(bytes) {
            return Err(AbiError::TooManyValues {
                limit: MAX_VALUES + bytes,
            });
        }
        Ok(())
    }

    /// Counts one more value after `bytes` bytes have been read or written.
    fn spend(&mut self, bytes: usize) -> Result<(), AbiError> {
        self.check(1, bytes)?;
        self.spent += 1;
        Ok(())
    }
}

fn json_error(expected: impl ToString, got: &Value) -> AbiError {
    let mut got = got.to_string();
    if got.len() > 64 {
        // Cut at a character boundary: the value may hold any UTF-8 (found by the `abi_json` fuzz
        // target: a cut inside a character panicked).
        got.truncate(got.floor_char_boundary(61));
        got.push_str("...");
    }
    AbiError::Json {
        at: String::new(),
        expected: expected.to_string(),
        got,
    }
}

fn hex_bytes(value: &Value, ty: &AbiType) -> Result<Vec<u8>, AbiError> {
    value
        .as_str()
        .and_then(|s| s.strip_prefix("0x"))
        .and_then(|s| hex::decode(s).ok())
        .ok_or_else(|| json_error(format!("0x hex for {ty}"), value))
}

fn to_hex(bytes: &[u8]) -> Value {
    Value::String(format!("0x{}", hex::encode(bytes)))
}

impl AbiType {
    /// Appends the SCALE encoding of `value` (JSON in this type's form) to `out`.
    pub fn encode_json(&self, value: &Value, out: &mut Vec<u8>) -> Result<(), AbiError> {
        self.encode_within(value, out, &mut Budget::new(out.len()))
    }

    fn encode_within(&self, value: &Value, out: &mut Vec<u8>, budget: &mut Budget) -> Result<(), AbiError> {
        budget.spend(out.len() - budget.start)?;
        match self {
            Self::Bool => value
                .as_bool()
                .ok_or_else(|| json_error(self, value))?
                .encode_to(out),
            Self::Int { bits, signed } => encode_int(*bits, *signed, value, out)?,
            Self::String => value
                .as_str()
                .ok_or_else(|| json_error(self, value))?
                .encode_to(out),
            Self::Address | Self::Hash => {
                let bytes = hex_bytes(value, self)?;
                if bytes.len() != 32 {
                    return Err(json_error(format!("32 bytes of hex for {self}"), value));
                }
                out.extend_from_slice(&bytes);
            }
            Self::Vec(item) if **item == U8 && value.is_string() => hex_bytes(value, self)?.encode_to(out),
            Self::Vec(item) => {
                let items = value.as_array().ok_or_else(|| json_error(self, value))?;
                let len = u32::try_from(items.len()).map_err(|_| json_error("a shorter array", value))?;
                Compact(len).encode_to(out);
                for item_value in items {
                    item.encode_within(item_value, out, budget)?;
                }
            }
            Self::Option(item) => match value {
                Value::Null => out.push(0),
                some => {
                    out.push(1);
                    item.encode_within(some, out, budget)?;
                }
            },
            Self::Result(ok, err) => {
                let object = value.as_object().filter(|o| o.len() == 1);
                match object.and_then(|o| o.iter().next()) {
                    Some((key, inner)) if key == "Ok" => {
                        out.push(0);
                        ok.encode_within(inner, out, budget)?;
                    }
                    Some((key, inner)) if key == "Err" => {
                        out.push(1);
                        err.encode_within(inner, out, budget)?;
                    }
                    _ => {
                        return Err(json_error(
                            format!("{{\"Ok\": ..}} or {{\"Err\": ..}} for {self}"),
                            value,
                        ));
                    }
                }
            }
            Self::Tuple(items) if items.is_empty() && value.is_null() => {}
            Self::Tuple(items) => {
                let values = value.as_array().filter(|v| v.len() == items.len());
                let values = values
                    .ok_or_else(|| json_error(format!("an array of {} for {self}", items.len()), value))?;
                for (item, item_value) in items.iter().zip(values) {
                    item.encode_within(item_value, out, budget)?;
                }
            }
            Self::Array(item, len) if **item == U8 && value.is_string() => {
                let bytes = hex_bytes(value, self)?;
                if bytes.len() != *len {
                    return Err(json_error(format!("{len} bytes of hex for {self}"), value));
                }
                out.extend_from_slice(&bytes);
            }
            Self::Array(item, len) => {
                let values = value.as_array().filter(|v| v.len() == *len);
                let values =
                    values.ok_or_else(|| json_error(format!("an array of {len} for {self}"), value))?;
                for item_value in values {
                    item.encode_within(item_value, out, budget)?;
                }
            }
            Self::Defined(def) => def.encode_within(value, out, budget)?,
        }
        Ok(())
    }

    /// Decodes one value of this type from the front of `input` as JSON.
    pub fn decode_json(&self, input: &mut &[u8]) -> Result<Value, AbiError> {
        self.decode_within(input, &mut Budget::new(input.len()))
    }

    fn decode_within(&self, input: &mut &[u8], budget: &mut Budget) -> Result<Value, AbiError> {
        let scale_error = || AbiError::Scale {
            at: String::new(),
            ty: self.to_string(),
        };
        budget.spend(budget.start - input.len())?;
        Ok(match self {
            Self::Bool => json!(bool::decode(input).map_err(|_| scale_error())?),
            Self::Int { bits, signed } => decode_int(*bits, *signed, input).ok_or_else(scale_error)?,
            Self::String => json!(String::decode(input).map_err(|_| scale_error())?),
            Self::Address | Self::Hash => to_hex(&take(input, 32).ok_or_else(scale_error)?),
            Self::Vec(item) => {
                let len = Compact::<u32>::decode(input).map_err(|_| scale_error())?.0 as usize;
                if **item == U8 {
                    to_hex(&take(input, len).ok_or_else(scale_error)?)
                } else {
                    item.decode_items(len, input, budget)?
                }
            }
            Self::Option(item) => match take(input, 1).ok_or_else(scale_error)?[0] {
                0 => Value::Null,
                1 => item.decode_within(input, budget)?,
                _ => return Err(scale_error()),
            },
            Self::Result(ok, err) => match take(input, 1).ok_or_else(scale_error)?[0] {
                0 => json!({"Ok": ok.decode_within(input, budget)?}),
                1 => json!({"Err": err.decode_within(input, budget)?}),
                _ => return Err(scale_error()),
            },
            Self::Tuple(fields) if fields.is_empty() => Value::Null,
            Self::Tuple(fields) => Value::Array(
                fields
                    .iter()
                    .map(|field| field.decode_within(input, budget))
                    .collect::<Result<_, _>>()?,
            ),
            Self::Array(item, len) if **item == U8 => to_hex(&take(input, *len).ok_or_else(scale_error)?),
            Self::Array(item, len) => item.decode_items(*len, input, budget)?,
            Self::Defined(def) => def.decode_within(input, budget)?,
        })
    }

    /// `len` values of this type as a JSON array; a length past what the budget could ever allow
    /// (all the input read) is refused before any item is decoded.
    fn decode_items(&self, len: usize, input: &mut &[u8], budget: &mut Budget) -> Result<Value, AbiError> {
        budget.check(len, budget.start)?;
        let values = (0..len).map(|_| self.decode_within(input, budget));
        Ok(Value::Array(values.collect::<Result<_, _>>()?))
    }

    /// Decodes `data`, which must hold exactly one value of this type.
    pub fn decode_json_exact(&self, data: &[u8]) -> Result<Value, AbiError> {
        let mut input = data;
        let value = self.decode_json(&mut input)?;
        if !input.is_empty() {
            return Err(AbiError::TrailingBytes(input.len()));
        }
        Ok(value)
    }

    /// An indexed field's value from its topic: addresses, hashes, integers and `bool` are their
    /// topic's bytes (zero-padded SCALE); any other type shows the topic hash itself.
    pub fn decode_topic(&self, topic: &Hash) -> Value {
        let bytes = topic.as_bytes();
        let padded = |width: usize| bytes[width..].iter().all(|b| *b == 0);
        match self {
            Self::Int { bits, signed } if padded(*bits as usize / 8) => {
                decode_int(*bits, *signed, &mut &bytes[..]).unwrap_or_else(|| to_hex(bytes))
            }
            Self::Bool if padded(1) && bytes[0] <= 1 => json!(bytes[0] == 1),
            _ => to_hex(bytes),
        }
    }
}

impl TypeDef {
    fn encode_within(&self, value: &Value, out: &mut Vec<u8>, budget: &mut Budget) -> Result<(), AbiError> {
        let variants = match &self.shape {
            Shape::Struct(fields) => return fields.encode_within(&self.name, value, out, budget),
            Shape::Enum(variants) => variants,
        };
        let tagged = value
            .as_object()
            .filter(|o| o.len() == 1)
            .and_then(|o| o.iter().next());
        let (name, inner) = match (value, tagged) {
            (Value::String(name), _) => (name, None),
            (_, Some((name, inner))) => (name, Some(inner)),
            _ => return Err(json_error(self.expected_variant(), value)),
        };
        let variant = variants
            .iter()
            .find(|v| v.name == *name)
            .ok_or_else(|| json_error(self.expected_variant(), value))?;
        out.push(variant.index);
        match inner {
            None if variant.fields.is_empty() => Ok(()),
            None => Err(json_error(
                format!("{{\"{name}\": ..}}: `{}::{name}` has fields", self.name),
                value,
            )),
            Some(inner) => {
                let at = format!("{}::{name}", self.name);
                variant.fields.encode_within(&at, inner, out, budget)
            }
        }
    }

    fn expected_variant(&self) -> String {
        let Shape::Enum(variants) = &self.shape else {
            return self.name.clone();
        };
        let names: Vec<String> = variants
            .iter()
            .map(|v| match v.fields.is_empty() {
                true => format!("\"{}\"", v.name),
                false => format!("{{\"{}\": ..}}", v.name),
            })
            .collect();
        format!("a variant of {} ({})", self.name, names.join(", "))
    }

    fn decode_within(&self, input: &mut &[u8], budget: &mut Budget) -> Result<Value, AbiError> {
        let variants = match &self.shape {
            Shape::Struct(fields) => return fields.decode_within(&self.name, input, budget),
            Shape::Enum(variants) => variants,
        };
        let scale_error = || AbiError::Scale {
            at: String::new(),
            ty: self.name.clone(),
        };
        let index = take(input, 1).ok_or_else(scale_error)?[0];
        let variant = variants
            .iter()
            .find(|v| v.index == index)
            .ok_or_else(scale_error)?;
        if variant.fields.is_empty() {
            return Ok(Value::String(variant.name.clone()));
        }
        let at = format!("{}::{}", self.name, variant.name);
        let fields = variant.fields.decode_within(&at, input, budget)?;
        Ok(json!({ variant.name.clone(): fields }))
    }
}

impl Fields {
    /// Encodes `value` as these fields of `owner` (a struct's or variant's name, for errors).
    fn encode_within(
        &self,
        owner: &str,
        value: &Value,
        out: &mut Vec<u8>,
        budget: &mut Budget,
    ) -> Result<(), AbiError> {
        match self {
            Self::Named(params) => {
                let object = value
                    .as_object()
                    .filter(|o| o.len() == params.len() && params.iter().all(|p| o.contains_key(&p.name)));
                let object = object.ok_or_else(|| {
                    let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
                    json_error(
                        format!("an object of {{{}}} for {owner}", names.join(", ")),
                        value,
                    )
                })?;
                for param in params {
                    param
                        .ty
                        .encode_within(&object[&param.name], out, budget)
                        .map_err(|e| e.in_field(&param.name))?;
                }
                Ok(())
            }
            Self::Unnamed(types) => match types.as_slice() {
                [] if value.is_null() => Ok(()),
                [] => Err(json_error(format!("null for {owner}"), value)),
                [one] => one.encode_within(value, out, budget),
                many => {
                    let values = value.as_array().filter(|v| v.len() == many.len());
                    let values = values.ok_or_else(|| {
                        json_error(format!("an array of {} for {owner}", many.len()), value)
                    })?;
                    for (ty, item) in many.iter().zip(values) {
                        ty.encode_within(item, out, budget)?;
                    }
                    Ok(())
                }
            },
        }
    }

    fn decode_within(&self, owner: &str, input: &mut &[u8], budget: &mut Budget) -> Result<Value, AbiError> {
        let at_owner = |e: AbiError| e.in_field(owner);
        match self {
            Self::Named(params) => {
                let mut object = serde_json::Map::new();
                for param in params {
                    let value = param
                        .ty
                        .decode_within(input, budget)
                        .map_err(|e| e.in_field(&param.name))?;
                    object.insert(param.name.clone(), value);
                }
                Ok(Value::Object(object))
            }
            Self::Unnamed(types) => match types.as_slice() {
                [] => Ok(Value::Null),
                [one] => one.decode_within(input, budget).map_err(at_owner),
                many => many
                    .iter()
                    .map(|ty| ty.decode_within(input, budget).map_err(at_owner))
                    .collect::<Result<_, _>>()
                    .map(Value::Array),
            },
        }
    }
}

fn take(input: &mut &[u8], len: usize) -> Option<Vec<u8>> {
    if input.len() < len {
        return None;
    }
    let (head, rest) = input.split_at(len);
    *input = rest;
    Some(head.to_vec())
}

fn encode_int(bits: u32, signed: bool, value: &Value, out: &mut Vec<u8>) -> Result<(), AbiError> {
    let ty = AbiType::Int { bits, signed };
    let wide: Option<i128> = match value {
        Value::Number(n) => n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from)),
        Value::String(s) => s.parse::<i128>().ok(),
        _ => None,
    };
    // u128 above i128::MAX only parses unsigned.
    let unsigned_big = match value {
        Value::String(s) if !signed && bits == 128 => s.parse::<u128>().ok(),
        _ => None,
    };
    let bytes = (bits / 8) as usize;
    if let Some(big) = unsigned_big {
        out.extend_from_slice(&big.to_le_bytes());
        return Ok(());
    }
    let fits = wide.filter(|v| {
        if signed && bits == 128 {
            true
        } else if signed {
            let max = (1i128 << (bits - 1)) - 1;
            (-max - 1..=max).contains(v)
        } else {
            *v >= 0 && (bits == 128 || *v < (1i128 << bits))
        }
    });
    let v = fits.ok_or_else(|| json_error(format!("{ty} (a number, or a decimal string)"), value))?;
    out.extend_from_slice(&v.to_le_bytes()[..bytes]);
    Ok(())
}

fn decode_int(bits: u32, signed: bool, input: &mut &[u8]) -> Option<Value> {
    let bytes = take(input, (bits / 8) as usize)?;
    let mut wide = [if signed && bytes.last().is_some_and(|b| b & 0x80 != 0) {
        0xff
    } else {
        0
    }; 16];
    wide[..bytes.len()].copy_from_slice(&bytes);
    Some(match (signed, bits) {
        (false, 128) => json!(u128::from_le_bytes(wide).to_string()),
        (true, 128) => json!(i128::from_le_bytes(wide).to_string()),
        (false, _) => json!(u64::try_from(u128::from_le_bytes(wide)).ok()?),
        (true, _) => json!(i64::try_from(i128::from_le_bytes(wide)).ok()?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_primitives::Address;

    fn round_trip(ty: &str, value: Value, scale: Vec<u8>) {
        let ty: AbiType = ty.parse().unwrap();
        let mut out = Vec::new();
        ty.encode_json(&value, &mut out).unwrap();
        assert_eq!(out, scale, "{ty} {value}");
        assert_eq!(ty.decode_json_exact(&scale).unwrap(), value, "{ty}");
    }

    #[test]
    fn json_and_scale_agree_with_the_codec() {
        let alice = Address([0xa1; 32]);
        round_trip("bool", json!(true), true.encode());
        round_trip("u8", json!(255), 255u8.encode());
        round_trip("i32", json!(-5), (-5i32).encode());
        round_trip("u64", json!(u64::MAX), u64::MAX.encode());
        round_trip("u128", json!(u128::MAX.to_string()), u128::MAX.encode());
        round_trip("i128", json!(i128::MIN.to_string()), i128::MIN.encode());
        round_trip("String", json!("héllo"), "héllo".encode());
        round_trip("Address", json!(alice.to_string()), alice.encode());
        round_trip("Vec<u8>", json!("0x0102"), vec![1u8, 2].encode());
        round_trip("Vec<u32>", json!([1, 2]), vec![1u32, 2].encode());
        round_trip("Option<u16>", json!(null), None::<u16>.encode());
        round_trip("Option<u16>", json!(7), Some(7u16).encode());
        round_trip(
            "Result<(),String>",
            json!({"Ok": null}),
            Ok::<(), String>(()).encode(),
        );
        round_trip(
            "Result<(),String>",
            json!({"Err": "no"}),
            Err::<(), String>("no".into()).encode(),
        );
        round_trip(
            "(Address,u128)",
            json!([alice.to_string(), "5"]),
            (alice, 5u128).encode(),
        );
        round_trip("[u8;2]", json!("0x0a0b"), [10u8, 11].encode());
        round_trip("[u16;2]", json!([1, 2]), [1u16, 2].encode());
        round_trip("()", json!(null), ().encode());
    }

    #[test]
    fn integers_accept_strings_and_numbers_within_range() {
        let u8t: AbiType = "u8".parse().unwrap();
        let mut out = Vec::new();
        u8t.encode_json(&json!("200"), &mut out).unwrap();
        assert_eq!(out, [200]);
        for bad in [json!(256), json!(-1), json!("x"), json!(1.5), json!(null)] {
            assert!(
                matches!(u8t.encode_json(&bad, &mut Vec::new()), Err(AbiError::Json { .. })),
                "{bad}"
            );
        }
        let u128t: AbiType = "u128".parse().unwrap();
        let mut out = Vec::new();
        u128t.encode_json(&json!(12), &mut out).unwrap();
        assert_eq!(out, 12u128.encode());
        assert!(u128t.encode_json(&json!("-1"), &mut Vec::new()).is_err());
    }

    #[test]
    fn malformed_bytes_are_errors_not_panics() {
        let cases: [(&str, &[u8]); 6] = [
            ("u32", &[1, 2]),
            ("Vec<u64>", &[0xfe, 0xff, 0xff, 0xff]),
            ("Vec<()>", &[0x03, 0x00, 0x00, 0x40]),
            ("Option<u8>", &[2, 0]),
            ("String", &[8, 0xff, 0xfe]),
            ("Address", &[0; 31]),
        ];
        for (ty, bytes) in cases {
            let ty: AbiType = ty.parse().unwrap();
            assert!(ty.decode_json_exact(bytes).is_err(), "{ty}");
        }
        assert_eq!(
            "u8".parse::<AbiType>().unwrap().decode_json_exact(&[1, 2]),
            Err(AbiError::TrailingBytes(1))
        );
    }

    #[test]
    fn topics_decode_by_type() {
        let mut topic = [0u8; 32];
        topic[..16].copy_from_slice(&250u128.to_le_bytes());
        assert_eq!(
            "u128".parse::<AbiType>().unwrap().decode_topic(&Hash(topic)),
            json!("250")
        );
        let alice = Address([0xa1; 32]);
        assert_eq!(
            "Address".parse::<AbiType>().unwrap().decode_topic(&Hash(alice.0)),
            json!(alice.to_string())
        );
        assert_eq!(
            "u8".parse::<AbiType>().unwrap().decode_topic(&Hash([1; 32])),
            to_hex(&[1; 32])
        );
    }

    #[test]
    fn a_long_value_in_an_error_is_cut_at_a_character() {
        let text = "é".repeat(40);
        let error = "u8"
            .parse::<AbiType>()
            .unwrap()
            .encode_json(&json!(text), &mut Vec::new());
        let Err(AbiError::Json { got, .. }) = error else {
            panic!("a string is no u8: {error:?}");
        };
        assert!(got.ends_with("...") && got.len() <= 64, "{got}");
    }

    #[test]
    fn values_of_no_size_cannot_multiply_the_input() {
        // 5 bytes: a compact length of 2^24 - 1 for items that take no bytes.
        let bomb = Compact(u32::try_from((1 << 24) - 1).unwrap()).encode();
        for ty in ["Vec<()>", "Vec<Vec<()>>", "Vec<[u8;0]>", "Vec<((),())>"] {
            let ty: AbiType = ty.parse().unwrap();
            assert!(
                matches!(ty.decode_json_exact(&bomb), Err(AbiError::TooManyValues { .. })),
                "{ty}"
            );
        }
        // Nesting: each of 60,000 inner vectors (one byte each) claims 60,000 empty tuples.
        let mut nested = Compact(60_000u32).encode();
        for _ in 0..60_000 {
            nested.extend(Compact(60_000u32).encode());
        }
        let ty: AbiType = "Vec<Vec<()>>".parse().unwrap();
        assert!(matches!(
            ty.decode_json_exact(&nested),
            Err(AbiError::TooManyValues { .. })
        ));
        let ty: AbiType = "[();100000]".parse().unwrap();
        assert!(matches!(
            ty.decode_json_exact(&[]),
            Err(AbiError::TooManyValues { .. })
        ));
        // Within the budget, values of no size still decode.
        let ty: AbiType = "Vec<()>".parse().unwrap();
        assert_eq!(
            ty.decode_json_exact(&vec![(); 3].encode()).unwrap(),
            json!([null, null, null])
        );
    }

    #[test]
    fn the_budget_grows_with_the_bytes() {
        let long = vec![true; 3 * MAX_VALUES];
        let ty: AbiType = "Vec<bool>".parse().unwrap();
        let value = ty.decode_json_exact(&long.encode()).unwrap();
        assert_eq!(value.as_array().map(Vec::len), Some(3 * MAX_VALUES));
        let mut out = Vec::new();
        ty.encode_json(&value, &mut out).unwrap();
        assert_eq!(out, long.encode());
        // Encoding counts values the same way: JSON of empty tuples past the budget is refused.
        let ty: AbiType = "Vec<()>".parse().unwrap();
        let nulls = Value::Array(vec![Value::Null; MAX_VALUES + 16]);
        assert!(matches!(
            ty.encode_json(&nulls, &mut Vec::new()),
            Err(AbiError::TooManyValues { .. })
        ));
    }
}
