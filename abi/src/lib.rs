//! `weft-abi`: a contract's ABI as `weft-sdk`'s macros write it into the `weft_abi` custom section
//! (`docs/ABI.md`, "Contract ABI metadata"), and SCALE ⇄ JSON conversion driven by its types.
//!
//! Tools use it to call contracts with JSON arguments and to show results and events: the CLI,
//! the RPC's callers, and `weft-testkit`'s event assertions.

mod defs;
mod error;
mod json;
mod types;

use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;
use weft_primitives::{Event, Hash, keccak256};

pub use defs::{Fields, Shape, TypeDef, Variant};
pub use error::AbiError;
pub use json::MAX_VALUES;
pub use types::{AbiType, MAX_TYPE_DEPTH, MAX_TYPE_LEN};

/// The name of the custom section holding the ABI.
pub const SECTION: &str = "weft_abi";

/// The export of a contract's constructor.
pub const CONSTRUCTOR_EXPORT: &str = "deploy";

/// The export of a contract's migration, run by an upgrade to its code.
pub const MIGRATE_EXPORT: &str = "migrate";

/// One argument or event field: a name and a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Its name in the source.
    pub name: String,
    /// Its type.
    pub ty: AbiType,
}

/// An entry point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    /// Its name in the source.
    pub name: String,
    /// Its arguments, encoded as the SCALE tuple of all of them.
    pub args: Vec<Param>,
    /// What it returns, if anything.
    pub returns: Option<AbiType>,
    /// Whether it accepts value.
    pub payable: bool,
    /// Whether it is the constructor.
    pub init: bool,
    /// Whether it is the migration an upgrade to this code runs.
    pub migrate: bool,
    /// Why the ABI does not describe a type of its arguments or result (a struct or enum without
    /// a definition, a recursive one, a type over the length or depth limits), if it does not:
    /// then `args` is empty and `returns` `None`, and the method takes and gives SCALE bytes
    /// only. One such method never makes the whole ABI unreadable.
    pub undescribed: Option<String>,
}

impl Method {
    /// The wasm export that runs it: its name, `deploy` for the constructor, `migrate` for the
    /// migration.
    pub fn export(&self) -> &str {
        if self.init {
            CONSTRUCTOR_EXPORT
        } else if self.migrate {
            MIGRATE_EXPORT
        } else {
            &self.name
        }
    }

    /// [`AbiError::Undescribed`] for a method whose types the ABI does not describe.
    fn described(&self) -> Result<(), AbiError> {
        match &self.undescribed {
            Some(reason) => Err(AbiError::Undescribed {
                method: self.name.clone(),
                reason: reason.clone(),
            }),
            None => Ok(()),
        }
    }

    /// SCALE input for this method from one JSON value per argument.
    pub fn encode_args(&self, args: &[Value]) -> Result<Vec<u8>, AbiError> {
        self.described()?;
        if args.len() != self.args.len() {
            return Err(AbiError::ArgumentCount {
                method: self.name.clone(),
                expected: self.args.len(),
                got: args.len(),
            });
        }
        let mut out = Vec::new();
        for (param, value) in self.args.iter().zip(args) {
            param
                .ty
                .encode_json(value, &mut out)
                .map_err(|e| e.in_field(&param.name))?;
        }
        Ok(out)
    }

    /// This method's SCALE input as one JSON value per argument (what [`Method::encode_args`]
    /// takes).
    pub fn decode_args(&self, data: &[u8]) -> Result<Vec<Value>, AbiError> {
        self.described()?;
        let mut input = data;
        let values = self
            .args
            .iter()
            .map(|param| {
                param
                    .ty
                    .decode_json(&mut input)
                    .map_err(|e| e.in_field(&param.name))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if !input.is_empty() {
            return Err(AbiError::TrailingBytes(input.len()));
        }
        Ok(values)
    }

    /// This method's return data as JSON (`null` for a method that returns nothing).
    pub fn decode_return(&self, data: &[u8]) -> Result<Value, AbiError> {
        self.described()?;
        match &self.returns {
            Some(ty) => ty.decode_json_exact(data),
            None if data.is_empty() => Ok(Value::Null),
            None => Err(AbiError::TrailingBytes(data.len())),
        }
    }
}

/// An event a contract emits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventAbi {
    /// Its name.
    pub name: String,
    /// `Name(T1,T2,..)`.
    pub signature: String,
    /// Its fields in order, with whether each is indexed (a topic).
    pub fields: Vec<(Param, bool)>,
    /// Why the ABI does not describe a field's type, if it does not: then `fields` is empty and
    /// the event is known by name and topic only.
    pub undescribed: Option<String>,
}

impl EventAbi {
    /// Topic 0 of this event: `keccak256(signature)`.
    pub fn topic(&self) -> Hash {
        keccak256(self.signature.as_bytes())
    }

    /// The fields of `event` as a JSON object. Indexed fields of types whose topic is the value
    /// itself are decoded from their topic, others are shown as the topic hash.
    pub fn decode(&self, event: &Event) -> Result<serde_json::Map<String, Value>, AbiError> {
        if let Some(reason) = &self.undescribed {
            return Err(AbiError::UndescribedEvent {
                event: self.name.clone(),
                reason: reason.clone(),
            });
        }
        let mut topics = event.topics.iter().skip(1);
        let mut data = &event.data[..];
        let mut fields = serde_json::Map::new();
        for (param, indexed) in &self.fields {
            let value = if *indexed {
                let topic = topics.next().ok_or(AbiError::MissingTopic(param.name.clone()))?;
                param.ty.decode_topic(topic)
            } else {
                param
                    .ty
                    .decode_json(&mut data)
                    .map_err(|e| e.in_field(&param.name))?
            };
            fields.insert(param.name.clone(), value);
        }
        if !data.is_empty() {
            return Err(AbiError::TrailingBytes(data.len()));
        }
        Ok(fields)
    }
}

/// An event decoded by its contract's ABI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedEvent {
    /// The event's name.
    pub name: String,
    /// Its fields by name, as JSON.
    pub fields: serde_json::Map<String, Value>,
}

/// A contract's ABI: its name, methods and events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Abi {
    /// The contract's name (the type `#[contract]` was on), if the section has a contract line.
    pub contract: Option<String>,
    /// Its entry points.
    pub methods: Vec<Method>,
    /// The events it declares.
    pub events: Vec<EventAbi>,
    /// The structs and enums it describes, in section order (those whose definitions resolve).
    pub types: Vec<Arc<TypeDef>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Line {
    Contract {
        contract: String,
        methods: Vec<RawMethod>,
    },
    Event {
        event: String,
        signature: String,
        fields: Vec<RawField>,
    },
    Type(defs::RawTypeDef),
}

#[derive(Deserialize)]
struct RawMethod {
    name: String,
    args: Vec<RawField>,
    #[serde(default)]
    returns: Option<String>,
    #[serde(default)]
    payable: bool,
    #[serde(default)]
    init: bool,
    #[serde(default)]
    migrate: bool,
}

impl RawMethod {
    /// The method; a type the registry cannot describe leaves it SCALE bytes only.
    fn method(self, registry: &defs::Registry<'_>) -> Method {
        let args = self
            .args
            .iter()
            .map(|f| f.param(registry))
            .collect::<Result<Vec<_>, _>>();
        let returns = self
            .returns
            .as_deref()
            .map(|ty| types::parse_in(ty, registry))
            .transpose();
        let (args, returns, undescribed) = match (args, returns) {
            (Ok(args), Ok(returns)) => (args, returns, None),
            (Err(error), _) | (_, Err(error)) => (Vec::new(), None, Some(error.to_string())),
        };
        Method {
            args,
            returns,
            name: self.name,
            payable: self.payable,
            init: self.init,
            migrate: self.migrate,
            undescribed,
        }
    }
}

#[derive(Deserialize)]
struct RawField {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    indexed: bool,
}

impl RawField {
    fn param(&self, registry: &defs::Registry<'_>) -> Result<Param, AbiError> {
        Ok(Param {
            name: self.name.clone(),
            ty: types::parse_in(&self.ty, registry)?,
        })
    }
}

impl Abi {
    /// The ABI in `wasm`'s `weft_abi` section; `None` if it has none. A malformed module or section
    /// is an error.
    pub fn from_wasm(wasm: &[u8]) -> Result<Option<Self>, AbiError> {
        if !wasm.starts_with(b"\0asm") {
            return Err(AbiError::Wasm(
                "not a wasm module: it does not begin with \\0asm (WAT text is not accepted)".into(),
            ));
        }
        let mut section: Option<Vec<u8>> = None;
        for payload in wasmparser::Parser::new(0).parse_all(wasm) {
            // One line: some of the parser's messages pretty-print byte arrays over several.
            let one_line = |e: wasmparser::BinaryReaderError| {
                e.to_string().split_whitespace().collect::<Vec<_>>().join(" ")
            };
            let payload = payload.map_err(|e| AbiError::Wasm(one_line(e)))?;
            if let wasmparser::Payload::CustomSection(reader) = payload
                && reader.name() == SECTION
            {
                section
                    .get_or_insert_with(Vec::new)
                    .extend_from_slice(reader.data());
            }
        }
        section.map(|bytes| Self::from_section(&bytes)).transpose()
    }

    /// The ABI from the bytes of a `weft_abi` section: one JSON object per line. Lines come in
    /// any order (the linker concatenates each crate's); type lines define the structs and enums
    /// the others name.
    pub fn from_section(bytes: &[u8]) -> Result<Self, AbiError> {
        let text = std::str::from_utf8(bytes).map_err(|_| AbiError::Section("not UTF-8".into()))?;
        let mut lines = Vec::new();
        let mut defs = Vec::new();
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            match serde_json::from_str(line).map_err(|e| AbiError::Section(e.to_string()))? {
                Line::Type(def) => defs.push(def),
                other => lines.push(other),
            }
        }
        let registry = defs::Registry::new(&defs);
        let mut abi = Self::default();
        for line in lines {
            match line {
                Line::Contract { contract, methods } => {
                    if abi.contract.replace(contract).is_some() {
                        return Err(AbiError::Section("two contract lines".into()));
                    }
                    for raw in methods {
                        abi.methods.push(raw.method(&registry));
                    }
                }
                Line::Event {
                    event,
                    signature,
                    fields,
                } => {
                    if abi.events.iter().any(|e: &EventAbi| e.signature == signature) {
                        continue;
                    }
                    let described = fields
                        .iter()
                        .map(|f| Ok((f.param(&registry)?, f.indexed)))
                        .collect::<Result<_, AbiError>>();
                    let (fields, undescribed) = match described {
                        Ok(fields) => (fields, None),
                        Err(error) => (Vec::new(), Some(error.to_string())),
                    };
                    abi.events.push(EventAbi {
                        name: event,
                        signature,
                        fields,
                        undescribed,
                    });
                }
                // Set apart above: used through the registry.
                Line::Type(_) => {}
            }
        }
        for def in &defs {
            if let Ok(resolved) = registry.resolve(&def.name)
                && !abi.types.iter().any(|t| t.name == def.name)
            {
                abi.types.push(resolved);
            }
        }
        Ok(abi)
    }

    /// The method named `name` (the constructor also answers to `deploy`, the migration to
    /// `migrate`).
    pub fn method(&self, name: &str) -> Result<&Method, AbiError> {
        self.methods
            .iter()
            .find(|m| m.name == name || m.export() == name)
            .ok_or_else(|| AbiError::UnknownMethod(name.to_owned()))
    }

    /// The constructor, if the contract has one.
    pub fn constructor(&self) -> Option<&Method> {
        self.methods.iter().find(|m| m.init)
    }

    /// The migration, if the contract has one.
    pub fn migration(&self) -> Option<&Method> {
        self.methods.iter().find(|m| m.migrate)
    }

    /// The event whose topic 0 is `topic`.
    pub fn event_by_topic(&self, topic: &Hash) -> Option<&EventAbi> {
        self.events.iter().find(|e| e.topic() == *topic)
    }

    /// The event named `name`.
    pub fn event(&self, name: &str) -> Option<&EventAbi> {
        self.events.iter().find(|e| e.name == name)
    }

    /// `event` decoded by this ABI; `None` if no declared event has its topic 0.
    pub fn decode_event(&self, event: &Event) -> Option<Result<DecodedEvent, AbiError>> {
        let declared = self.event_by_topic(event.topics.first()?)?;
        Some(declared.decode(event).map(|fields| DecodedEvent {
            name: declared.name.clone(),
            fields,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_method_with_an_undescribed_type_does_not_hide_the_others() {
        let section = concat!(
            r#"{"contract":"Shapes","methods":["#,
            r#"{"name":"takes_point","args":[{"name":"p","type":"Point"}]},"#,
            r#"{"name":"area","args":[{"name":"side","type":"u64"}],"returns":"u64"},"#,
            r#"{"name":"origin","args":[],"returns":"Point"}]}"#,
        );
        let abi = Abi::from_section(section.as_bytes()).unwrap();
        assert_eq!(abi.methods.len(), 3);
        let area = abi.method("area").unwrap();
        assert_eq!(area.encode_args(&[json!(7)]).unwrap(), 7u64.to_le_bytes());
        assert_eq!(area.decode_args(&7u64.to_le_bytes()).unwrap(), [json!(7)]);
        assert_eq!(area.decode_args(&[0; 9]), Err(AbiError::TrailingBytes(1)));
        let point = abi.method("takes_point").unwrap();
        assert_eq!(
            point.undescribed.as_deref(),
            Some("`Point` is not described: derive `weft_sdk::AbiType` on it")
        );
        let error = point.encode_args(&[json!({"x": 1})]).unwrap_err().to_string();
        assert!(
            error.contains("`Point`") && error.contains("SCALE hex"),
            "{error}"
        );
        let origin = abi.method("origin").unwrap();
        assert_eq!(
            origin.undescribed.as_deref(),
            Some("`Point` is not described: derive `weft_sdk::AbiType` on it")
        );
        assert!(matches!(
            origin.decode_return(&[0; 8]),
            Err(AbiError::Undescribed { .. })
        ));
    }
}
