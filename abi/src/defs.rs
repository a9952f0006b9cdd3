//! Structs and enums a contract describes with `#[derive(weft_sdk::AbiType)]`: their definitions
//! in the `weft_abi` section, resolved by name when a method's or event's type names them.
//!
//! A section line `{"type": "Point", "fields": [{"name": "x", "type": "u64"}, ..]}` defines a
//! struct (fields without names: a tuple struct), `{"type": "Phase", "variants": [{"name": "Open",
//! "index": 0, "fields": [..]}, ..]}` an enum. Definitions are resolved once each, on first use,
//! and shared ([`Arc`]): a type used many times is one value, however often hostile definitions
//! refer to each other. A recursive type, two different definitions of one name, and a definition
//! whose nesting (its own plus where it is used) passes [`MAX_TYPE_DEPTH`] are refused with a
//! typed error, for the methods and events that use them only.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::json;

use crate::types::parse_in;
use crate::{AbiError, AbiType, MAX_TYPE_DEPTH, Param};

/// A struct or enum of the contract's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDef {
    /// Its name in the source (no path).
    pub name: String,
    /// Its fields or variants.
    pub shape: Shape,
    /// The deepest nesting inside it: 0 for a type without fields, else one more than its
    /// deepest field's.
    depth: usize,
}

impl TypeDef {
    /// How deep types nest inside this one (see [`MAX_TYPE_DEPTH`]).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The definition as JSON, in the form of its section line (`docs/ABI.md`).
    pub fn describe(&self) -> serde_json::Value {
        match &self.shape {
            Shape::Struct(fields) => json!({"type": self.name, "fields": fields.describe()}),
            Shape::Enum(variants) => {
                let variants: Vec<_> = variants
                    .iter()
                    .map(|v| json!({"name": v.name, "index": v.index, "fields": v.fields.describe()}))
                    .collect();
                json!({"type": self.name, "variants": variants})
            }
        }
    }
}

/// What a [`TypeDef`] is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A struct: its fields in SCALE order.
    Struct(Fields),
    /// An enum: SCALE writes the variant's index as one byte, then its fields.
    Enum(Vec<Variant>),
}

/// The fields of a struct or enum variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fields {
    /// `{ a: A, b: B }`: JSON as an object.
    Named(Vec<Param>),
    /// `(A, B)`: JSON as an array; one field is its value itself, none is `null`.
    Unnamed(Vec<AbiType>),
}

impl Fields {
    /// The field types in SCALE order.
    pub fn types(&self) -> Vec<&AbiType> {
        match self {
            Self::Named(params) => params.iter().map(|p| &p.ty).collect(),
            Self::Unnamed(types) => types.iter().collect(),
        }
    }

    fn describe(&self) -> Vec<serde_json::Value> {
        match self {
            Self::Named(params) => params
                .iter()
                .map(|p| json!({"name": p.name, "type": p.ty.to_string()}))
                .collect(),
            Self::Unnamed(types) => types.iter().map(|ty| json!({"type": ty.to_string()})).collect(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Named(params) => params.is_empty(),
            Self::Unnamed(types) => types.is_empty(),
        }
    }
}

/// One variant of an enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Its name.
    pub name: String,
    /// The byte SCALE writes for it (`#[codec(index = N)]`, the discriminant, or its position).
    pub index: u8,
    /// Its fields.
    pub fields: Fields,
}

/// A type line of the section, as written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct RawTypeDef {
    #[serde(rename = "type")]
    pub name: String,
    #[serde(default)]
    fields: Vec<RawTypeField>,
    #[serde(default)]
    variants: Option<Vec<RawVariant>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct RawTypeField {
    #[serde(default)]
    name: Option<String>,
    #[serde(rename = "type")]
    ty: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct RawVariant {
    name: String,
    index: u8,
    #[serde(default)]
    fields: Vec<RawTypeField>,
}

/// The definitions of one section, resolved on demand.
pub(crate) struct Registry<'a> {
    /// By name; `Err` for a name defined twice, differently.
    raw: HashMap<&'a str, Result<&'a RawTypeDef, AbiError>>,
    resolved: RefCell<HashMap<String, Result<Arc<TypeDef>, AbiError>>>,
    /// The names being resolved, outermost first: a name met again is a recursive type.
    resolving: RefCell<Vec<String>>,
}

impl<'a> Registry<'a> {
    /// The registry of `defs`, in section order.
    pub fn new(defs: &'a [RawTypeDef]) -> Self {
        let mut raw: HashMap<&str, Result<&RawTypeDef, AbiError>> = HashMap::new();
        for def in defs {
            match raw.get(def.name.as_str()) {
                Some(Ok(first)) if *first != def => {
                    let twice = AbiError::TypeDefinedTwice(def.name.clone());
                    raw.insert(&def.name, Err(twice));
                }
                Some(_) => {}
                None => {
                    raw.insert(&def.name, Ok(def));
                }
            }
        }
        Self {
            raw,
            resolved: RefCell::default(),
            resolving: RefCell::default(),
        }
    }

    /// Whether the section defines `name`.
    pub fn defines(&self, name: &str) -> bool {
        self.raw.contains_key(name)
    }

    /// The definition of `name`, resolved (once) with the types it names.
    pub fn resolve(&self, name: &str) -> Result<Arc<TypeDef>, AbiError> {
        if let Some(done) = self.resolved.borrow().get(name) {
            return done.clone();
        }
        if self.resolving.borrow().iter().any(|n| n == name) {
            return Err(AbiError::RecursiveType(name.to_owned()));
        }
        // Each definition on the way adds a level, so a longer chain is too deep anyway; this
        // bounds the recursion of resolving before any depth is known.
        if self.resolving.borrow().len() > MAX_TYPE_DEPTH {
            return Err(AbiError::TypeTooDeep {
                limit: MAX_TYPE_DEPTH,
            });
        }
        let raw = match self.raw.get(name) {
            Some(Ok(raw)) => *raw,
            Some(Err(error)) => return Err(error.clone()),
            None => return Err(AbiError::UndefinedType(name.to_owned())),
        };
        self.resolving.borrow_mut().push(name.to_owned());
        let result = self.build(raw).map(Arc::new).map_err(|error| match error {
            // Where a recursion or a depth overflow starts is the outermost type's business.
            e @ (AbiError::RecursiveType(_) | AbiError::TypeTooDeep { .. }) => e,
            e @ AbiError::InType { .. } => e,
            e => AbiError::InType {
                ty: name.to_owned(),
                error: Box::new(e),
            },
        });
        self.resolving.borrow_mut().pop();
        self.resolved.borrow_mut().insert(name.to_owned(), result.clone());
        result
    }

    fn build(&self, raw: &RawTypeDef) -> Result<TypeDef, AbiError> {
        let shape = match &raw.variants {
            None => Shape::Struct(self.fields(&raw.fields)?),
            Some(_) if !raw.fields.is_empty() => {
                return Err(AbiError::Section(format!(
                    "`{}` has both fields and variants",
                    raw.name
                )));
            }
            Some(raw_variants) => {
                let mut variants: Vec<Variant> = Vec::with_capacity(raw_variants.len());
                for v in raw_variants {
                    if variants.iter().any(|w| w.name == v.name || w.index == v.index) {
                        return Err(AbiError::Section(format!(
                            "two variants named `{}` or with index {}",
                            v.name, v.index
                        )));
                    }
                    variants.push(Variant {
                        name: v.name.clone(),
                        index: v.index,
                        fields: self.fields(&v.fields)?,
                    });
                }
                Shape::Enum(variants)
            }
        };
        let fields: Vec<&AbiType> = match &shape {
            Shape::Struct(fields) => fields.types(),
            Shape::Enum(variants) => variants.iter().flat_map(|v| v.fields.types()).collect(),
        };
        let depth = fields.iter().map(|ty| ty.depth() + 1).max().unwrap_or(0);
        if depth > MAX_TYPE_DEPTH {
            return Err(AbiError::TypeTooDeep {
                limit: MAX_TYPE_DEPTH,
            });
        }
        Ok(TypeDef {
            name: raw.name.clone(),
            shape,
            depth,
        })
    }

    fn fields(&self, raw: &[RawTypeField]) -> Result<Fields, AbiError> {
        let named = raw.iter().filter(|f| f.name.is_some()).count();
        if named == 0 {
            return raw
                .iter()
                .map(|f| parse_in(&f.ty, self))
                .collect::<Result<_, _>>()
                .map(Fields::Unnamed);
        }
        if named != raw.len() {
            return Err(AbiError::Section("some fields are named, some not".into()));
        }
        let mut params: Vec<Param> = Vec::with_capacity(raw.len());
        for field in raw {
            let name = field.name.clone().unwrap_or_default();
            if params.iter().any(|p| p.name == name) {
                return Err(AbiError::Section(format!("two fields named `{name}`")));
            }
            let ty = parse_in(&field.ty, self).map_err(|e| e.in_field(&name))?;
            params.push(Param { name, ty });
        }
        Ok(Fields::Named(params))
    }
}

#[cfg(test)]
mod tests {
    use parity_scale_codec::Encode;
    use serde_json::{Value, json};

    use crate::{Abi, AbiError, MAX_TYPE_DEPTH};

    #[derive(Encode)]
    struct Point {
        x: u64,
        y: i32,
    }

    #[derive(Encode)]
    struct Meters(u64);

    #[derive(Encode)]
    struct Pair(u8, bool);

    #[derive(Encode)]
    struct Nothing;

    #[derive(Encode)]
    enum Shape {
        Dot,
        Circle {
            center: Point,
            radius: u32,
        },
        #[codec(index = 7)]
        Segment(Point, Point),
        Scaled(Meters),
    }

    /// A section with the types above, after the contract line that uses them.
    const SECTION: &str = concat!(
        r#"{"contract":"Shapes","methods":["#,
        r#"{"name":"draw","args":[{"name":"s","type":"Vec<Shape>"},{"name":"n","type":"Nothing"}],"returns":"Option<Point>"},"#,
        r#"{"name":"pair","args":[{"name":"p","type":"geo::Pair"},{"name":"m","type":"Meters"}]}]}"#,
        "\n",
        r#"{"type":"Point","fields":[{"name":"x","type":"u64"},{"name":"y","type":"i32"}]}"#,
        "\n",
        r#"{"type":"Meters","fields":[{"type":"u64"}]}"#,
        "\n",
        r#"{"type":"Pair","fields":[{"type":"u8"},{"type":"bool"}]}"#,
        "\n",
        r#"{"type":"Nothing","fields":[]}"#,
        "\n",
        r#"{"type":"Shape","variants":[{"name":"Dot","index":0},"#,
        r#"{"name":"Circle","index":1,"fields":[{"name":"center","type":"Point"},{"name":"radius","type":"u32"}]},"#,
        r#"{"name":"Segment","index":7,"fields":[{"type":"Point"},{"type":"Point"}]},"#,
        r#"{"name":"Scaled","index":3,"fields":[{"type":"Meters"}]}]}"#,
        "\n",
        // Linkers repeat lines; an identical repeat is the same type.
        r#"{"type":"Meters","fields":[{"type":"u64"}]}"#,
    );

    fn shapes() -> Abi {
        Abi::from_section(SECTION.as_bytes()).unwrap()
    }

    #[test]
    fn structs_and_enums_agree_with_the_codec_both_ways() {
        let abi = shapes();
        let draw = abi.method("draw").unwrap();
        assert_eq!(draw.undescribed, None);
        assert_eq!(draw.args[0].ty.to_string(), "Vec<Shape>");
        let p = |x, y| Point { x, y };
        let shapes = vec![
            Shape::Dot,
            Shape::Circle {
                center: p(1, -2),
                radius: 3,
            },
            Shape::Segment(p(0, 0), p(u64::MAX, i32::MIN)),
            Shape::Scaled(Meters(9)),
        ];
        let json = json!([
            "Dot",
            {"Circle": {"center": {"x": 1, "y": -2}, "radius": 3}},
            {"Segment": [{"x": 0, "y": 0}, {"x": u64::MAX, "y": i32::MIN}]},
            {"Scaled": 9},
        ]);
        let args = draw.encode_args(&[json.clone(), Value::Null]).unwrap();
        assert_eq!(args, (&shapes, Nothing).encode());
        let ty = &draw.args[0].ty;
        assert_eq!(ty.decode_json_exact(&shapes.encode()).unwrap(), json);
        assert_eq!(
            draw.decode_return(&Some(p(5, 6)).encode()).unwrap(),
            json!({"x": 5, "y": 6})
        );

        let pair = abi.method("pair").unwrap();
        let args = pair.encode_args(&[json!([4, true]), json!(12)]).unwrap();
        assert_eq!(args, (Pair(4, true), Meters(12)).encode());
        assert_eq!(
            abi.types.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["Point", "Meters", "Pair", "Nothing", "Shape"]
        );
        // Each definition describes itself as its section line.
        for (def, line) in abi.types.iter().zip(SECTION.lines().skip(1)) {
            let line: Value = serde_json::from_str(line).unwrap();
            let described = def.describe();
            // The section may leave out an empty `fields`.
            let normal = |mut v: Value| {
                for variant in v["variants"].as_array_mut().into_iter().flatten() {
                    variant["fields"] = variant.get("fields").cloned().unwrap_or(json!([]));
                }
                v
            };
            assert_eq!(normal(described), normal(line));
        }
    }

    #[test]
    fn wrong_json_and_bytes_say_what_the_type_wants() {
        let abi = shapes();
        let draw = abi.method("draw").unwrap();
        let error = |value: Value| {
            draw.encode_args(&[json!([value]), Value::Null])
                .unwrap_err()
                .to_string()
        };
        assert!(error(json!("Square")).contains(r#"a variant of Shape ("Dot", {"Circle": ..}"#));
        assert!(error(json!("Circle")).contains("`Shape::Circle` has fields"));
        assert!(
            error(json!({"Circle": {"center": {"x": 1}, "radius": 3}}))
                .contains("an object of {x, y} for Point")
        );
        assert!(
            error(json!({"Circle": {"center": {"x": 1, "y": 2, "z": 3}, "radius": 3}})).contains("{x, y}")
        );
        assert!(error(json!({"Scaled": "far"})).contains("expected u64"));
        let ty = &draw.args[0].ty;
        // Variant 2 does not exist; variant 1 is cut short.
        for bytes in [vec![4, 2], vec![4, 1, 0, 0]] {
            assert!(
                matches!(ty.decode_json_exact(&bytes), Err(AbiError::Scale { .. })),
                "{bytes:?}"
            );
        }
    }

    fn method_with(arg: &str, defs: &[String]) -> crate::Method {
        let mut section = format!(
            r#"{{"contract":"C","methods":[{{"name":"f","args":[{{"name":"a","type":"{arg}"}}]}},{{"name":"g","args":[]}}]}}"#
        );
        for def in defs {
            section.push('\n');
            section.push_str(def);
        }
        let abi = Abi::from_section(section.as_bytes()).unwrap();
        assert_eq!(abi.method("g").unwrap().undescribed, None);
        abi.method("f").unwrap().clone()
    }

    fn reason(arg: &str, defs: &[String]) -> String {
        method_with(arg, defs).undescribed.expect("undescribed")
    }

    #[test]
    fn types_that_cannot_be_described_leave_the_others_readable() {
        let s = |def: &str| def.to_owned();
        assert_eq!(
            reason("Point", &[]),
            AbiError::UndefinedType("Point".into()).to_string()
        );
        assert!(reason("Point", &[]).contains("derive `weft_sdk::AbiType`"));
        let tree = s(r#"{"type":"Tree","fields":[{"name":"kids","type":"Vec<Tree>"}]}"#);
        assert_eq!(
            reason("Tree", &[tree]),
            "`Tree` is recursive, which the ABI does not describe"
        );
        let a = s(r#"{"type":"A","fields":[{"name":"b","type":"B"}]}"#);
        let b = s(r#"{"type":"B","fields":[{"name":"a","type":"Option<A>"}]}"#);
        assert!(reason("A", &[a, b]).contains("recursive"));
        let twice = [
            s(r#"{"type":"P","fields":[{"type":"u8"}]}"#),
            s(r#"{"type":"P","fields":[{"type":"u16"}]}"#),
        ];
        assert_eq!(reason("P", &twice), "two different types are named `P`");
        let float = s(r#"{"type":"F","fields":[{"name":"x","type":"f64"}]}"#);
        assert_eq!(reason("F", &[float]), "in `F`: unsupported ABI type `f64`");
        let generic = s(r#"{"type":"G","fields":[{"type":"u8"}]}"#);
        assert_eq!(reason("G<u8>", &[generic]), "unsupported ABI type `G<u8>`");
        let mixed = s(r#"{"type":"M","fields":[{"name":"x","type":"u8"},{"type":"u8"}]}"#);
        assert!(reason("M", &[mixed]).contains("some fields are named"));
        let dup = s(r#"{"type":"E","variants":[{"name":"A","index":0},{"name":"B","index":0}]}"#);
        assert!(reason("E", &[dup]).contains("index 0"));
    }

    #[test]
    fn nesting_through_definitions_is_bounded_like_nesting_in_a_type() {
        // L0 { next: L1 }, .., L_n { leaf: u8 }: L0 nests n + 1 deep.
        let chain = |n: usize| -> Vec<String> {
            let mut defs: Vec<String> = (0..n)
                .map(|i| {
                    format!(
                        r#"{{"type":"L{i}","fields":[{{"name":"next","type":"L{}"}}]}}"#,
                        i + 1
                    )
                })
                .collect();
            defs.push(format!(
                r#"{{"type":"L{n}","fields":[{{"name":"leaf","type":"u8"}}]}}"#
            ));
            defs
        };
        let deepest = method_with("L0", &chain(MAX_TYPE_DEPTH - 1));
        assert_eq!(deepest.undescribed, None);
        assert_eq!(deepest.args[0].ty.depth(), MAX_TYPE_DEPTH);
        let too_deep = AbiError::TypeTooDeep {
            limit: MAX_TYPE_DEPTH,
        }
        .to_string();
        assert_eq!(reason("L0", &chain(MAX_TYPE_DEPTH)), too_deep);
        // The deepest definition fits alone but not inside a `Vec`.
        assert_eq!(reason("Vec<L0>", &chain(MAX_TYPE_DEPTH - 1)), too_deep);
        // A chain of 20,000 definitions is refused without resolving it all (no stack overflow).
        assert_eq!(reason("L0", &chain(20_000)), too_deep);
    }

    #[test]
    fn definitions_that_double_at_each_level_stay_one_value_each() {
        // D_i { a: D_{i+1}, b: D_{i+1} }: inlined, D0 would have 2^30 leaves of `()`.
        let mut defs: Vec<String> = (0..30)
            .map(|i| {
                let next = format!("D{}", i + 1);
                format!(r#"{{"type":"D{i}","fields":[{{"name":"a","type":"{next}"}},{{"name":"b","type":"{next}"}}]}}"#)
            })
            .collect();
        defs.push(r#"{"type":"D30","fields":[{"type":"()"}]}"#.into());
        let method = method_with("D0", &defs);
        assert_eq!(method.undescribed, None);
        // Decoding 2^30 empty tuples from no bytes is stopped by the value budget.
        assert!(matches!(
            method.args[0].ty.decode_json_exact(&[]),
            Err(AbiError::TooManyValues { .. })
        ));
    }

    #[test]
    fn events_with_described_fields_decode_and_undescribed_ones_stay_named() {
        let section = concat!(
            r#"{"event":"Moved","signature":"Moved(Address,Point)","fields":[{"name":"by","type":"Address","indexed":true},{"name":"to","type":"Point"}]}"#,
            "\n",
            r#"{"event":"Odd","signature":"Odd(Blob)","fields":[{"name":"b","type":"Blob"}]}"#,
            "\n",
            r#"{"type":"Point","fields":[{"name":"x","type":"u64"},{"name":"y","type":"i32"}]}"#,
        );
        let abi = Abi::from_section(section.as_bytes()).unwrap();
        let event = weft_primitives::Event {
            address: weft_primitives::Address([1; 32]),
            topics: vec![
                abi.event("Moved").unwrap().topic(),
                weft_primitives::Hash([2; 32]),
            ],
            data: Point { x: 3, y: 4 }.encode(),
        };
        let decoded = abi.decode_event(&event).unwrap().unwrap();
        assert_eq!(decoded.fields["to"], json!({"x": 3, "y": 4}));
        let odd = abi.event("Odd").unwrap();
        assert_eq!(
            odd.undescribed.as_deref(),
            Some("`Blob` is not described: derive `weft_sdk::AbiType` on it")
        );
        let event = weft_primitives::Event {
            topics: vec![odd.topic()],
            ..event
        };
        assert!(matches!(
            abi.decode_event(&event),
            Some(Err(AbiError::UndescribedEvent { .. }))
        ));
    }
}
