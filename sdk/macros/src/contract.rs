//! `#[contract]`: exports, argument decoding, payable checks and the methods' ABI.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use serde_json::json;
use syn::spanned::Spanned;
use syn::{Error, FnArg, ImplItem, ImplItemFn, ItemImpl, Pat, ReturnType, Type, Visibility};

use crate::abi::{section_static, type_name};

/// The export of the constructor.
const CONSTRUCTOR: &str = "deploy";
/// The export of the migration an `upgrade` to this code runs.
const MIGRATE: &str = "migrate";

/// One public method, as exported.
struct Method {
    ident: syn::Ident,
    export: String,
    args: Vec<(syn::Ident, Type)>,
    returns: Option<Type>,
    payable: bool,
    init: bool,
    migrate: bool,
}

pub fn expand(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    if !attr.is_empty() {
        return Err(Error::new(attr.span(), "#[contract] takes no arguments"));
    }
    let mut block: ItemImpl = syn::parse2(item)?;
    if let Some((_, path, _)) = &block.trait_ {
        return Err(Error::new(
            path.span(),
            "#[contract] goes on an inherent impl block, not a trait impl",
        ));
    }
    if !block.generics.params.is_empty() {
        return Err(Error::new(
            block.generics.span(),
            "a contract's impl block cannot be generic",
        ));
    }
    let contract = contract_name(&block.self_ty)?;

    let mut methods = Vec::new();
    for item in &mut block.items {
        if let ImplItem::Fn(function) = item
            && let Some(method) = method(function)?
        {
            methods.push(method);
        }
    }
    check_exports(&methods, &block)?;

    let self_ty = &block.self_ty;
    let exports = methods.iter().map(|method| export(self_ty, method));
    let warnings = methods.iter().filter_map(new_without_init);
    let abi = json!({
        "contract": contract,
        "methods": methods.iter().map(method_abi).collect::<Vec<_>>(),
    });
    let section = section_static(&format!("contract_{contract}"), &abi);
    Ok(quote! {
        #block
        const _: () = {
            #(#exports)*
            #section
        };
        #(#warnings)*
    })
}

/// The contract's name: the last segment of the implementing type's path.
fn contract_name(ty: &Type) -> syn::Result<String> {
    match ty {
        Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string())
            .ok_or_else(|| Error::new(ty.span(), "expected a type name")),
        _ => Err(Error::new(
            ty.span(),
            "#[contract] goes on `impl TypeName { .. }`",
        )),
    }
}

/// The method a public function exports (removing its `#[init]` / `#[migrate]` / `#[payable]`
/// markers), or `None` for a private helper.
fn method(function: &mut ImplItemFn) -> syn::Result<Option<Method>> {
    let mut init = false;
    let mut migrate = false;
    let mut payable = false;
    let mut kept = Vec::with_capacity(function.attrs.len());
    for attr in function.attrs.drain(..) {
        if attr.path().is_ident("init") {
            attr.meta.require_path_only()?;
            init = true;
            // A constructor stores its state and returns nothing, so `new` is a fine name for it.
            kept.push(syn::parse_quote!(#[allow(clippy::new_ret_no_self)]));
        } else if attr.path().is_ident("migrate") {
            attr.meta.require_path_only()?;
            migrate = true;
        } else if attr.path().is_ident("payable") {
            attr.meta.require_path_only()?;
            payable = true;
        } else {
            kept.push(attr);
        }
    }
    function.attrs = kept;
    let signature = &function.sig;
    if !matches!(function.vis, Visibility::Public(_)) {
        if init || migrate || payable {
            return Err(Error::new(
                signature.ident.span(),
                "#[init], #[migrate] and #[payable] go on `pub fn` entry points",
            ));
        }
        return Ok(None);
    }
    if init && migrate {
        return Err(Error::new(
            signature.ident.span(),
            "a method is the constructor (#[init]) or the migration (#[migrate]), not both",
        ));
    }
    if let Some(unsupported) = signature
        .asyncness
        .map(|a| a.span())
        .or(signature.constness.map(|c| c.span()))
        .or(signature.unsafety.map(|u| u.span()))
        .or(signature.abi.as_ref().map(|a| a.span()))
        .or(signature.variadic.as_ref().map(|v| v.span()))
    {
        return Err(Error::new(unsupported, "an entry point is a plain `pub fn`"));
    }
    if !signature.generics.params.is_empty() {
        return Err(Error::new(
            signature.generics.span(),
            "an entry point cannot be generic",
        ));
    }
    let mut args = Vec::new();
    for input in &signature.inputs {
        match input {
            FnArg::Receiver(receiver) => {
                return Err(Error::new(
                    receiver.span(),
                    "entry points take no `self`: a contract's state lives in storage (StorageValue, StorageMap)",
                ));
            }
            FnArg::Typed(typed) => match &*typed.pat {
                Pat::Ident(ident) if ident.by_ref.is_none() && ident.subpat.is_none() => {
                    args.push((ident.ident.clone(), (*typed.ty).clone()));
                }
                other => {
                    return Err(Error::new(
                        other.span(),
                        "an entry point's arguments are plain names",
                    ));
                }
            },
        }
    }
    let returns = match &signature.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => Some((**ty).clone()),
    };
    let export = if init {
        CONSTRUCTOR.to_owned()
    } else if migrate {
        MIGRATE.to_owned()
    } else {
        signature.ident.to_string()
    };
    Ok(Some(Method {
        ident: signature.ident.clone(),
        export,
        args,
        returns,
        payable,
        init,
        migrate,
    }))
}

/// One constructor and one migration at most, no method shadowing their exports, no reserved
/// names.
fn check_exports(methods: &[Method], block: &ItemImpl) -> syn::Result<()> {
    let mut inits = methods.iter().filter(|m| m.init);
    if let (Some(_), Some(second)) = (inits.next(), inits.next()) {
        return Err(Error::new(
            second.ident.span(),
            "a contract has one #[init] constructor",
        ));
    }
    let mut migrations = methods.iter().filter(|m| m.migrate);
    if let (Some(_), Some(second)) = (migrations.next(), migrations.next()) {
        return Err(Error::new(
            second.ident.span(),
            "a contract has one #[migrate] migration",
        ));
    }
    for method in methods {
        if !method.init && method.export == CONSTRUCTOR {
            return Err(Error::new(
                method.ident.span(),
                "`deploy` is the constructor's export: mark it #[init] or rename it",
            ));
        }
        if !method.migrate && method.export == MIGRATE {
            return Err(Error::new(
                method.ident.span(),
                "`migrate` is the migration's export, run only by an upgrade: mark it #[migrate] or rename it",
            ));
        }
        if method.export.starts_with("__weft") || method.export == "memory" {
            return Err(Error::new(
                method.ident.span(),
                "this export name is reserved by Weft",
            ));
        }
    }
    if methods.is_empty() {
        return Err(Error::new(
            block.self_ty.span(),
            "a contract needs at least one `pub fn` entry point",
        ));
    }
    Ok(())
}

/// A compile-time warning, at the method's name, for a `pub fn new` without `#[init]`: it is a
/// public method anyone can call at any time, and a deploy with arguments is refused (there is no
/// constructor to take them), which is rarely what its author meant. Stable Rust has no warning
/// API for proc macros: the warning is the use of a deprecated item, spanned at the name.
fn new_without_init(method: &Method) -> Option<TokenStream> {
    if method.init || method.ident != "new" {
        return None;
    }
    let span = method.ident.span();
    Some(quote::quote_spanned! {span=>
        const _: () = {
            #[deprecated(
                note = "`pub fn new` without #[init] is a public method, not the constructor: mark it #[init], or rename it"
            )]
            struct NewWithoutInit;
            let _ = NewWithoutInit;
        };
    })
}

/// The wasm export of one method.
fn export(self_ty: &Type, method: &Method) -> TokenStream {
    let Method {
        ident,
        export,
        args,
        returns,
        payable,
        ..
    } = method;
    let function = format_ident!("__weft_export_{}", export);
    let names: Vec<_> = args.iter().map(|(name, _)| name).collect();
    let types: Vec<_> = args.iter().map(|(_, ty)| ty).collect();
    let value_check = (!payable).then(|| quote!(::weft_sdk::__private::reject_value();));
    // The arguments decode one after the other, as SCALE decodes their tuple; bytes left over
    // (any byte, for a method without arguments) revert. Each decode and the result's encode
    // carry the span of the author's type, so a type without `Decode` or `Encode` is an error
    // there, not at `#[contract]`.
    let decodes = names.iter().zip(&types).map(|(name, ty)| {
        quote_spanned! {ty.span()=>
            let #name: #ty = ::weft_sdk::__private::arg(&mut __weft_args);
        }
    });
    let decode = quote! {
        let __weft_input = ::weft_sdk::env::input();
        #[allow(unused_mut)]
        let mut __weft_args = &__weft_input[..];
        #(#decodes)*
        ::weft_sdk::__private::args_end(__weft_args);
    };
    let call = quote!(<#self_ty>::#ident(#(#names),*));
    let body = match returns {
        Some(ty) => quote_spanned!(ty.span()=> ::weft_sdk::ret(&#call);),
        None => quote!(#call;),
    };
    quote! {
        #[cfg(target_arch = "wasm32")]
        #[unsafe(export_name = #export)]
        extern "C" fn #function() {
            #value_check
            #decode
            #body
        }
    }
}

/// A method's entry in the ABI: `name`, `args`, and only where they apply `returns`,
/// `payable: true`, `init: true` (the constructor, exported as `deploy`) and `migrate: true` (the
/// migration, exported as `migrate`).
fn method_abi(method: &Method) -> serde_json::Value {
    let args: Vec<_> = method
        .args
        .iter()
        .map(|(name, ty)| json!({"name": name.to_string(), "type": type_name(ty)}))
        .collect();
    let mut abi = json!({"name": method.ident.to_string(), "args": args});
    if let Some(returns) = &method.returns {
        abi["returns"] = type_name(returns).into();
    }
    if method.payable {
        abi["payable"] = true.into();
    }
    if method.init {
        abi["init"] = true.into();
    }
    if method.migrate {
        abi["migrate"] = true.into();
    }
    abi
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_str(source: TokenStream) -> Result<String, String> {
        expand(TokenStream::new(), source)
            .map(|t| t.to_string())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn public_methods_become_exports_with_their_abi() {
        let out = expand_str(quote! {
            impl Token {
                #[init]
                pub fn new(supply: u128) {}
                pub fn transfer(to: Address, amount: u128) -> bool { true }
                #[payable]
                pub fn deposit() {}
                fn helper() {}
            }
        })
        .unwrap();
        for export in ["\"deploy\"", "\"transfer\"", "\"deposit\""] {
            assert!(
                out.contains(&format!("export_name = {export}")),
                "{export} in {out}"
            );
        }
        assert!(!out.contains("export_name = \"helper\""), "{out}");
        assert!(
            !out.contains("# [init]") && !out.contains("# [payable]"),
            "markers removed: {out}"
        );
        // deposit is payable: two of the three exports check for value.
        assert_eq!(out.matches("reject_value").count(), 2, "{out}");
        assert!(out.contains(r#"\"name\":\"transfer\""#), "{out}");
        assert!(
            out.contains(
                r#"\"args\":[{\"name\":\"to\",\"type\":\"Address\"},{\"name\":\"amount\",\"type\":\"u128\"}]"#
            ),
            "{out}"
        );
        assert!(out.contains(r#"\"returns\":\"bool\""#), "{out}");
        assert!(out.contains(r#"\"init\":true,\"name\":\"new\""#), "{out}");
        assert!(out.contains(r#"\"name\":\"deposit\",\"payable\":true"#), "{out}");
        assert_eq!(
            out.matches("payable").count(),
            1,
            "only payable methods say so: {out}"
        );
        assert!(out.contains(r#"\"contract\":\"Token\""#), "{out}");
    }

    #[test]
    fn a_public_new_without_init_warns_at_its_name() {
        let warned = expand_str(quote!(impl T { pub fn new(start: u64) {} })).unwrap();
        assert!(warned.contains("without #[init] is a public method"), "{warned}");
        let constructor = expand_str(quote!(impl T { #[init] pub fn new(start: u64) {} })).unwrap();
        assert!(!constructor.contains("deprecated"), "{constructor}");
        let other = expand_str(quote!(impl T { pub fn create() {} })).unwrap();
        assert!(!other.contains("deprecated"), "{other}");
    }

    #[test]
    fn the_migration_is_exported_as_migrate_and_marked_in_the_abi() {
        let out = expand_str(quote! {
            impl V2 {
                #[migrate]
                pub fn from_v1(scale: u64) {}
                pub fn get() -> u64 { 0 }
            }
        })
        .unwrap();
        assert!(out.contains("export_name = \"migrate\""), "{out}");
        assert!(!out.contains("export_name = \"from_v1\""), "{out}");
        assert!(!out.contains("# [migrate]"), "{out}");
        assert!(out.contains(r#"\"migrate\":true,\"name\":\"from_v1\""#), "{out}");
    }

    #[test]
    fn misuse_is_a_compile_error_that_says_why() {
        let cases = [
            (quote!(impl T { pub fn f(&self) {} }), "take no `self`"),
            (
                quote!(impl T { #[init] pub fn a() {} #[init] pub fn b() {} }),
                "one #[init]",
            ),
            (quote!(impl T { pub fn deploy() {} }), "constructor's export"),
            (quote!(impl T { pub fn migrate() {} }), "mark it #[migrate]"),
            (
                quote!(impl T { #[migrate] pub fn a() {} #[migrate] pub fn b() {} }),
                "one #[migrate]",
            ),
            (quote!(impl T { #[init] #[migrate] pub fn a() {} }), "not both"),
            (quote!(impl T { pub fn __weft_gas() {} }), "reserved"),
            (quote!(impl T { pub fn f<X>() {} }), "cannot be generic"),
            (quote!(impl T { pub async fn f() {} }), "plain `pub fn`"),
            (quote!(impl T { pub fn f((a, b): (u8, u8)) {} }), "plain names"),
            (quote!(impl T { #[init] fn f() {} }), "go on `pub fn`"),
            (quote!(impl T { #[payable(x)] pub fn f() {} }), "unexpected token"),
            (quote!(impl Tr for T { pub fn f() {} }), "inherent impl"),
            (quote!(impl T { fn f() {} }), "at least one"),
        ];
        for (source, expected) in cases {
            let error = expand_str(source.clone()).expect_err(&source.to_string());
            assert!(error.contains(expected), "{source}: {error}");
        }
    }
}
