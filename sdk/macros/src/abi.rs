//! The pieces of the `weft_abi` custom section: type names and the section's static.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{LitByteStr, Type};

/// The name of the custom section holding the ABI.
pub const SECTION: &str = "weft_abi";

/// A type as written, without whitespace: `Vec<u8>`, `(u64,bool)`, `[u8;4]`.
pub fn type_name(ty: &Type) -> String {
    quote!(#ty)
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A wasm32-only static in the `weft_abi` section holding `json` and a newline.
pub fn section_static(tag: &str, json: &serde_json::Value) -> TokenStream {
    let mut line = json.to_string();
    line.push('\n');
    let len = line.len();
    let bytes = LitByteStr::new(line.as_bytes(), Span::call_site());
    let name = format_ident!("__WEFT_ABI_{}", tag.to_uppercase());
    quote! {
        #[cfg(target_arch = "wasm32")]
        #[unsafe(link_section = #SECTION)]
        #[used]
        #[doc(hidden)]
        static #name: [u8; #len] = *#bytes;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_lose_their_whitespace_only() {
        let ty: Type = syn::parse_quote!(Vec<(Address, [u8; 4], Option<u128>)>);
        assert_eq!(type_name(&ty), "Vec<(Address,[u8;4],Option<u128>)>");
    }

    #[test]
    fn the_section_static_holds_the_json_line() {
        let tokens = section_static("x", &serde_json::json!({"a": 1})).to_string();
        assert!(tokens.contains("weft_abi"), "{tokens}");
        assert!(tokens.contains(r#"b"{\"a\":1}\n""#), "{tokens}");
        assert!(tokens.contains("[u8 ; 8usize]"), "{tokens}");
    }
}
