//! `#[derive(AbiType)]`: a struct's or enum's definition in the `weft_abi` section, so tools take
//! and show it as JSON (`docs/ABI.md`, "Structs and enums").
//!
//! The definition follows what `parity-scale-codec`'s derive encodes: fields in order, an enum's
//! variant as one byte (`#[codec(index = N)]`, else an integer discriminant, else its position),
//! `#[codec(skip)]` fields and variants left out. Attributes that change a field's encoding
//! (`compact`, `encoded_as`) are refused at the attribute: the ABI would describe other bytes.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Value, json};
use syn::spanned::Spanned;
use syn::{Attribute, Data, DeriveInput, Error, Expr, ExprLit, Fields, Lit, LitInt};

use crate::abi::{section_static, type_name};

/// Names the ABI's grammar gives its own types: a definition under one would never be used.
const RESERVED: &[&str] = &[
    "bool", "u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128", "String", "Address",
    "Hash", "Vec", "Option", "Result",
];

pub fn expand(item: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(item)?;
    if !input.generics.params.is_empty() {
        return Err(Error::new(
            input.generics.span(),
            "a type described in the ABI cannot be generic",
        ));
    }
    let name = input.ident.to_string();
    if RESERVED.contains(&name.as_str()) {
        return Err(Error::new(
            input.ident.span(),
            format!("`{name}` is a type the ABI already has: rename this one"),
        ));
    }
    let definition = match &input.data {
        Data::Struct(data) => json!({"type": name, "fields": fields(&data.fields)?}),
        Data::Enum(data) => {
            let mut variants = Vec::new();
            for (position, variant) in data.variants.iter().enumerate() {
                let codec = Codec::of(&variant.attrs)?;
                if codec.skip {
                    continue;
                }
                let index = match (codec.index, &variant.discriminant) {
                    (Some(index), _) => index,
                    (None, Some((_, expr))) => discriminant(expr)?,
                    (None, None) => LitInt::new(&position.to_string(), variant.ident.span()),
                };
                let index: u8 = index
                    .base10_parse()
                    .map_err(|_| Error::new(index.span(), "an enum's SCALE index is one byte: 0 to 255"))?;
                variants.push(json!({
                    "name": variant.ident.to_string(),
                    "index": index,
                    "fields": fields(&variant.fields)?,
                }));
            }
            if variants.is_empty() {
                return Err(Error::new(
                    input.ident.span(),
                    "an enum without variants has no value to pass",
                ));
            }
            json!({"type": name, "variants": variants})
        }
        Data::Union(data) => {
            return Err(Error::new(
                data.union_token.span(),
                "a union has no SCALE encoding: use a struct or an enum",
            ));
        }
    };
    let section = section_static(&format!("type_{name}"), &definition);
    Ok(quote! {
        const _: () = {
            #section
        };
    })
}

/// The fields' entries: `{"name", "type"}`, or `{"type"}` for a tuple struct's.
fn fields(fields: &Fields) -> syn::Result<Vec<Value>> {
    let mut out = Vec::new();
    for field in fields {
        if Codec::of(&field.attrs)?.skip {
            continue;
        }
        let mut entry = json!({"type": type_name(&field.ty)});
        if let Some(ident) = &field.ident {
            entry["name"] = ident.to_string().into();
        }
        out.push(entry);
    }
    Ok(out)
}

/// An integer literal discriminant.
fn discriminant(expr: &Expr) -> syn::Result<LitInt> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) => Ok(int.clone()),
        other => Err(Error::new(
            other.span(),
            "the ABI needs an integer literal here, or #[codec(index = N)] on the variant",
        )),
    }
}

/// What `#[codec(..)]` says of a field or variant.
struct Codec {
    skip: bool,
    index: Option<LitInt>,
}

impl Codec {
    fn of(attrs: &[Attribute]) -> syn::Result<Self> {
        let mut codec = Self {
            skip: false,
            index: None,
        };
        for attr in attrs.iter().filter(|a| a.path().is_ident("codec")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("skip") {
                    codec.skip = true;
                    Ok(())
                } else if meta.path.is_ident("index") {
                    codec.index = Some(meta.value()?.parse()?);
                    Ok(())
                } else {
                    Err(Error::new(
                        meta.path.span(),
                        "this #[codec] attribute changes the encoding in a way the ABI does not describe",
                    ))
                }
            })?;
        }
        Ok(codec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(source: TokenStream) -> String {
        expand(source).unwrap().to_string()
    }

    #[test]
    fn structs_tuple_structs_and_enums_are_defined_as_scale_encodes_them() {
        let point = section(quote!(
            pub struct Point {
                pub x: u64,
                #[codec(skip)]
                cache: u8,
                pub y: Vec<geo::Meters>,
            }
        ));
        assert!(
            point.contains(
                r#"{\"fields\":[{\"name\":\"x\",\"type\":\"u64\"},{\"name\":\"y\",\"type\":\"Vec<geo::Meters>\"}],\"type\":\"Point\"}"#
            ),
            "{point}"
        );
        assert!(point.contains("weft_abi"), "{point}");
        let meters = section(quote!(
            pub struct Meters(pub u64);
        ));
        assert!(
            meters.contains(r#"{\"fields\":[{\"type\":\"u64\"}],\"type\":\"Meters\"}"#),
            "{meters}"
        );
        let phase = section(quote!(
            pub enum Phase {
                Open {
                    held: u128,
                },
                #[codec(skip)]
                Hidden,
                Settled,
                #[codec(index = 9)]
                Moved(Address, u8),
                Late = 4,
            }
        ));
        for variant in [
            r#"{\"fields\":[{\"name\":\"held\",\"type\":\"u128\"}],\"index\":0,\"name\":\"Open\"}"#,
            r#"{\"fields\":[],\"index\":2,\"name\":\"Settled\"}"#,
            r#"{\"fields\":[{\"type\":\"Address\"},{\"type\":\"u8\"}],\"index\":9,\"name\":\"Moved\"}"#,
            r#"{\"fields\":[],\"index\":4,\"name\":\"Late\"}"#,
        ] {
            assert!(phase.contains(variant), "{variant} in {phase}");
        }
        assert!(!phase.contains("Hidden"), "{phase}");
    }

    #[test]
    fn what_the_abi_cannot_describe_is_a_compile_error_that_says_why() {
        let cases = [
            (
                quote!(
                    struct P<T>(T);
                ),
                "cannot be generic",
            ),
            (
                quote!(
                    struct Address([u8; 32]);
                ),
                "already has",
            ),
            (quote!(union U { a: u8 }), "union"),
            (
                quote!(
                    enum E {}
                ),
                "without variants",
            ),
            (
                quote!(
                    enum E {
                        A = 1 + 1,
                    }
                ),
                "integer literal",
            ),
            (
                quote!(
                    enum E {
                        #[codec(index = 300)]
                        A,
                    }
                ),
                "0 to 255",
            ),
            (
                quote!(
                    struct S {
                        #[codec(compact)]
                        a: u64,
                    }
                ),
                "changes the encoding",
            ),
            (
                quote!(
                    struct S {
                        #[codec(encoded_as = "X")]
                        a: u64,
                    }
                ),
                "changes the encoding",
            ),
        ];
        for (source, expected) in cases {
            let error = expand(source.clone())
                .map(|_| ())
                .expect_err(&source.to_string())
                .to_string();
            assert!(error.contains(expected), "{source}: {error}");
        }
    }
}
