//! The ABI's type grammar: the Rust types `weft-sdk` contracts exchange, as the macros write them.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::AbiError;
use crate::defs::{Registry, TypeDef};

/// The longest type text that is parsed, in bytes (whitespace included).
pub const MAX_TYPE_LEN: usize = 4096;

/// How deep types may nest: `Vec<Vec<u8>>` is 2 deep, `u8` is 0. Parsing, printing and every
/// conversion recurse along a type, so this bounds their stack use whatever a contract declares.
pub const MAX_TYPE_DEPTH: usize = 32;

/// A type of an argument, result or event field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AbiType {
    /// `bool`.
    Bool,
    /// `u8` … `u128` (`bits`), or `i8` … `i128` when `signed`.
    Int {
        /// Width in bits: 8, 16, 32, 64 or 128.
        bits: u32,
        /// `iN` rather than `uN`.
        signed: bool,
    },
    /// `String`: UTF-8 with a compact length.
    String,
    /// `Address`: 32 bytes.
    Address,
    /// `Hash`: 32 bytes.
    Hash,
    /// `Vec<T>`: a compact length, then the items.
    Vec(Box<AbiType>),
    /// `Option<T>`.
    Option(Box<AbiType>),
    /// `Result<T, E>`.
    Result(Box<AbiType>, Box<AbiType>),
    /// `(A, B, ..)`; `()` is the empty tuple.
    Tuple(Vec<AbiType>),
    /// `[T; N]`.
    Array(Box<AbiType>, usize),
    /// A struct or enum the contract describes (`#[derive(weft_sdk::AbiType)]`), by its name.
    Defined(Arc<TypeDef>),
}

impl AbiType {
    /// How deep types nest inside this one: 0 for `u8`, 1 for `Vec<u8>` (see [`MAX_TYPE_DEPTH`]).
    pub fn depth(&self) -> usize {
        match self {
            Self::Vec(item) | Self::Option(item) | Self::Array(item, _) => 1 + item.depth(),
            Self::Result(ok, err) => 1 + ok.depth().max(err.depth()),
            Self::Tuple(items) => items.iter().map(|i| 1 + i.depth()).max().unwrap_or(0),
            Self::Defined(def) => def.depth(),
            Self::Bool | Self::Int { .. } | Self::String | Self::Address | Self::Hash => 0,
        }
    }
}

impl FromStr for AbiType {
    type Err = AbiError;

    fn from_str(text: &str) -> Result<Self, AbiError> {
        parse(text, None)
    }
}

/// `text` as a type whose names of structs and enums `registry` resolves.
pub(crate) fn parse_in(text: &str, registry: &Registry<'_>) -> Result<AbiType, AbiError> {
    parse(text, Some(registry))
}

fn parse(text: &str, registry: Option<&Registry<'_>>) -> Result<AbiType, AbiError> {
    if text.len() > MAX_TYPE_LEN {
        return Err(AbiError::TypeTooLong {
            len: text.len(),
            limit: MAX_TYPE_LEN,
        });
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut parser = Parser {
        text: &compact,
        at: 0,
        depth: 0,
        too_deep: false,
        registry,
        error: None,
    };
    let parsed = parser.ty();
    if let Some(error) = parser.error {
        return Err(error);
    }
    if parser.too_deep {
        return Err(AbiError::TypeTooDeep {
            limit: MAX_TYPE_DEPTH,
        });
    }
    match parsed {
        Some(ty) if parser.at == compact.len() => Ok(ty),
        _ => Err(AbiError::Type(text.to_owned())),
    }
}

/// A recursive-descent parser over the type text without whitespace.
struct Parser<'a, 'r> {
    text: &'a str,
    at: usize,
    /// How many type constructors enclose the position.
    depth: usize,
    /// Set when `depth` would pass [`MAX_TYPE_DEPTH`]: parsing stops there.
    too_deep: bool,
    /// Resolves the names of the contract's structs and enums; without it, they are refused.
    registry: Option<&'r Registry<'r>>,
    /// Why a named definition could not be used: parsing stops there.
    error: Option<AbiError>,
}

impl Parser<'_, '_> {
    fn eat(&mut self, token: &str) -> bool {
        let found = self.text[self.at..].starts_with(token);
        if found {
            self.at += token.len();
        }
        found
    }

    fn ident(&mut self) -> &str {
        let rest = &self.text[self.at..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        self.at += len;
        &rest[..len]
    }

    /// One type; the types inside it are parsed one level deeper.
    fn ty(&mut self) -> Option<AbiType> {
        if self.depth > MAX_TYPE_DEPTH {
            self.too_deep = true;
            return None;
        }
        self.depth += 1;
        let ty = self.ty_inner();
        self.depth -= 1;
        ty
    }

    fn ty_inner(&mut self) -> Option<AbiType> {
        if self.eat("(") {
            let mut items = Vec::new();
            while !self.eat(")") {
                items.push(self.ty()?);
                if !self.eat(",") && !self.text[self.at..].starts_with(')') {
                    return None;
                }
            }
            return Some(AbiType::Tuple(items));
        }
        if self.eat("[") {
            let item = self.ty()?;
            if !self.eat(";") {
                return None;
            }
            let digits = self.ident().to_owned();
            let len = digits.strip_suffix("usize").unwrap_or(&digits).parse().ok()?;
            return self.eat("]").then(|| AbiType::Array(Box::new(item), len));
        }
        let name = self.ident();
        // Paths such as `weft_sdk::Address` name the same types.
        let name = name.rsplit("::").next().unwrap_or(name).to_owned();
        let int = |bits, signed| Some(AbiType::Int { bits, signed });
        match name.as_str() {
            "bool" => Some(AbiType::Bool),
            "u8" => int(8, false),
            "u16" => int(16, false),
            "u32" => int(32, false),
            "u64" => int(64, false),
            "u128" => int(128, false),
            "i8" => int(8, true),
            "i16" => int(16, true),
            "i32" => int(32, true),
            "i64" => int(64, true),
            "i128" => int(128, true),
            "String" => Some(AbiType::String),
            "Address" => Some(AbiType::Address),
            "Hash" => Some(AbiType::Hash),
            "Vec" | "Option" => {
                let item = self.generic_args(1)?.pop()?;
                Some(if name == "Vec" {
                    AbiType::Vec(Box::new(item))
                } else {
                    AbiType::Option(Box::new(item))
                })
            }
            "Result" => {
                let mut args = self.generic_args(2)?;
                let err = args.pop()?;
                let ok = args.pop()?;
                Some(AbiType::Result(Box::new(ok), Box::new(err)))
            }
            _ => self.defined(&name),
        }
    }

    /// The struct or enum `name` of the registry, if it defines one that fits at this depth.
    fn defined(&mut self, name: &str) -> Option<AbiType> {
        let registry = self.registry?;
        // A generic type is never defined: `Point<u8>` is refused whole.
        let generic = self.text[self.at..].starts_with('<');
        if generic || !(registry.defines(name) || name.starts_with(|c: char| c.is_ascii_uppercase())) {
            return None;
        }
        match registry.resolve(name) {
            // `depth` already counts this type's own level.
            Ok(def) if self.depth - 1 + def.depth() > MAX_TYPE_DEPTH => {
                self.too_deep = true;
                None
            }
            Ok(def) => Some(AbiType::Defined(def)),
            Err(error) => {
                self.error = Some(error);
                None
            }
        }
    }

    fn generic_args(&mut self, count: usize) -> Option<Vec<AbiType>> {
        if !self.eat("<") {
            return None;
        }
        let mut args = Vec::with_capacity(count);
        for i in 0..count {
            args.push(self.ty()?);
            let separator = if i + 1 == count { ">" } else { "," };
            if !self.eat(separator) {
                return None;
            }
        }
        Some(args)
    }
}

impl fmt::Display for AbiType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bool => f.write_str("bool"),
            Self::Int { bits, signed } => write!(f, "{}{bits}", if *signed { 'i' } else { 'u' }),
            Self::String => f.write_str("String"),
            Self::Address => f.write_str("Address"),
            Self::Hash => f.write_str("Hash"),
            Self::Vec(item) => write!(f, "Vec<{item}>"),
            Self::Option(item) => write!(f, "Option<{item}>"),
            Self::Result(ok, err) => write!(f, "Result<{ok},{err}>"),
            Self::Tuple(items) => {
                f.write_str("(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str(if items.len() == 1 { ",)" } else { ")" })
            }
            Self::Array(item, len) => write!(f, "[{item};{len}]"),
            Self::Defined(def) => f.write_str(&def.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_parses_and_prints_back() {
        for text in [
            "bool",
            "u8",
            "i128",
            "String",
            "Address",
            "Vec<u8>",
            "Option<(Address,u128)>",
            "Result<(),String>",
            "(Address,Address,Address,u64,u128,bool)",
            "[u8;4]",
            "Vec<Vec<Option<Hash>>>",
            "(u8,)",
        ] {
            let ty: AbiType = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(ty.to_string(), text);
        }
        assert_eq!("weft_sdk::Address".parse::<AbiType>(), Ok(AbiType::Address));
        assert_eq!(
            "[u8; 4usize]".parse::<AbiType>(),
            Ok(AbiType::Array(
                Box::new(AbiType::Int {
                    bits: 8,
                    signed: false
                }),
                4
            ))
        );
    }

    #[test]
    fn unsupported_types_are_errors() {
        for text in [
            "f64",
            "usize",
            "Vec<u8",
            "Vec<u8>>",
            "HashMap<u8,u8>",
            "(u8",
            "[u8]",
            "",
            "Result<u8>",
            "&str",
        ] {
            assert_eq!(
                text.parse::<AbiType>(),
                Err(AbiError::Type(text.to_owned())),
                "{text}"
            );
        }
    }

    fn nested(depth: usize) -> String {
        format!("{}u8{}", "Vec<".repeat(depth), ">".repeat(depth))
    }

    #[test]
    fn nesting_is_bounded_by_a_typed_error() {
        let deepest: AbiType = nested(MAX_TYPE_DEPTH).parse().unwrap();
        assert_eq!(deepest.to_string(), nested(MAX_TYPE_DEPTH));
        assert_eq!(
            nested(MAX_TYPE_DEPTH + 1).parse::<AbiType>(),
            Err(AbiError::TypeTooDeep {
                limit: MAX_TYPE_DEPTH
            })
        );
        let tuples = format!(
            "{}u8{}",
            "(".repeat(MAX_TYPE_DEPTH + 1),
            ",)".repeat(MAX_TYPE_DEPTH + 1)
        );
        assert_eq!(
            tuples.parse::<AbiType>(),
            Err(AbiError::TypeTooDeep {
                limit: MAX_TYPE_DEPTH
            })
        );
    }

    #[test]
    fn the_type_that_overflowed_the_stack_is_refused_by_length() {
        // About 7,000 levels in 14 KB of text once aborted the node on the first call that read it.
        let text = format!("{}u8{}", "Option<".repeat(7000), ">".repeat(7000));
        assert_eq!(
            text.parse::<AbiType>(),
            Err(AbiError::TypeTooLong {
                len: text.len(),
                limit: MAX_TYPE_LEN
            })
        );
        // Under the length limit, the depth limit refuses it.
        let text = format!("{}u8{}", "(".repeat(1300), ",)".repeat(1300));
        assert!(text.len() <= MAX_TYPE_LEN);
        assert!(matches!(
            text.parse::<AbiType>(),
            Err(AbiError::TypeTooDeep { .. })
        ));
    }
}
