//! `#[derive(Event)]`: topics, data and the event's ABI.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::json;
use sha3::{Digest, Keccak256};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Error, Fields};

use crate::abi::{section_static, type_name};

/// Topic 0 is the signature's hash; the host allows four topics in all.
const MAX_INDEXED: usize = 3;

pub fn expand(item: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(item)?;
    if !input.generics.params.is_empty() {
        return Err(Error::new(input.generics.span(), "an event cannot be generic"));
    }
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) => &fields.named,
            _ => {
                return Err(Error::new(
                    input.ident.span(),
                    "an event is a struct with named fields",
                ));
            }
        },
        _ => {
            return Err(Error::new(
                input.ident.span(),
                "an event is a struct with named fields",
            ));
        }
    };

    let name = input.ident.to_string();
    let mut field_abi = Vec::new();
    let mut types = Vec::new();
    let mut topics = Vec::new();
    let mut data = Vec::new();
    for field in fields {
        let ident = field
            .ident
            .as_ref()
            .ok_or_else(|| Error::new(field.span(), "expected a named field"))?;
        let mut indexed = false;
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("topic")) {
            attr.meta.require_path_only()?;
            indexed = true;
        }
        let ty = type_name(&field.ty);
        let mut abi = json!({"name": ident.to_string(), "type": ty});
        if indexed {
            abi["indexed"] = true.into();
        }
        field_abi.push(abi);
        types.push(ty);
        if indexed {
            topics.push(quote!(::weft_sdk::Topic::to_topic(&self.#ident)));
        } else {
            data.push(quote!(::weft_sdk::codec::Encode::encode_to(&self.#ident, &mut data);));
        }
    }
    if topics.len() > MAX_INDEXED {
        return Err(Error::new(
            input.ident.span(),
            "an event has at most three #[topic] fields",
        ));
    }

    let signature = format!("{name}({})", types.join(","));
    let hash: [u8; 32] = Keccak256::digest(signature.as_bytes()).into();
    // Topic 0 is keccak256 of the signature: readers compute it, the section does not repeat it.
    let abi = json!({"event": name, "signature": signature, "fields": field_abi});
    let section = section_static(&format!("event_{name}"), &abi);
    let ident = &input.ident;
    Ok(quote! {
        impl ::weft_sdk::Event for #ident {
            const SIGNATURE: &'static str = #signature;
            const TOPIC: ::weft_sdk::Hash = ::weft_sdk::Hash([#(#hash),*]);

            fn emit(&self) {
                let topics = [Self::TOPIC, #(#topics),*];
                #[allow(unused_mut)]
                let mut data = ::weft_sdk::__private::Vec::new();
                #(#data)*
                ::weft_sdk::env::emit_event(&topics, &data);
            }
        }
        const _: () = {
            #section
        };
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_data_and_signature() {
        let out = expand(quote! {
            pub struct Transfer { #[topic] pub from: Address, #[topic] pub to: Address, pub amount: u128 }
        })
        .unwrap()
        .to_string();
        assert!(
            out.contains(r#"SIGNATURE : & 'static str = "Transfer(Address,Address,u128)""#),
            "{out}"
        );
        let hash: [u8; 32] = Keccak256::digest(b"Transfer(Address,Address,u128)").into();
        assert!(out.contains(&format!("Hash ([{}u8 ,", hash[0])), "{out}");
        assert_eq!(out.matches("to_topic").count(), 2, "{out}");
        assert!(
            out.contains(r#"{\"indexed\":true,\"name\":\"from\",\"type\":\"Address\"}"#),
            "{out}"
        );
        assert_eq!(out.matches("encode_to").count(), 1, "{out}");
        assert!(
            out.contains(r#"{\"name\":\"amount\",\"type\":\"u128\"}"#),
            "{out}"
        );
    }

    #[test]
    fn misuse_is_a_compile_error_that_says_why() {
        let cases = [
            (
                quote!(
                    struct E(u8);
                ),
                "named fields",
            ),
            (
                quote!(
                    enum E {
                        A,
                    }
                ),
                "named fields",
            ),
            (
                quote!(
                    struct E<T> {
                        t: T,
                    }
                ),
                "cannot be generic",
            ),
            (
                quote!(
                    struct E {
                        #[topic]
                        a: u8,
                        #[topic]
                        b: u8,
                        #[topic]
                        c: u8,
                        #[topic]
                        d: u8,
                    }
                ),
                "at most three",
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
