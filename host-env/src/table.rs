//! The host ABI, declared once: [`for_each_host_function!`] lists every function a contract may
//! import from module `env`, with its parameters and result, and expands a caller's macro over
//! the list (as nearcore's `imports!` does). [`HOST_FUNCTIONS`] (checked at deploy by `weft-gas`)
//! and [`HOST_SIGNATURES`] (with parameter names) are expanded from it here, `weft-vm`'s bindings
//! there; tests check that `sdk/src/sys.rs` and `docs/ABI.md` say the same.

use weft_gas::{AbiType, HostFunction};

/// Expands `$callback! { $( name(param: type, ...) -> [result types]; )* }` over every host
/// function, in the order `docs/ABI.md` lists them. Types are `i32` and `i64`; each name is the
/// function of this crate that implements it, taking a [`crate::HostContext`] first.
#[macro_export]
macro_rules! for_each_host_function {
    ($callback:ident) => {
        $callback! {
            // Input and output.
            input(register: i32) -> [];
            register_len(register: i32) -> [i64];
            read_register(register: i32, ptr: i32) -> [];
            return_data(ptr: i32, len: i32) -> [];
            revert(ptr: i32, len: i32) -> [];
            abort(ptr: i32, len: i32) -> [];
            debug_log(ptr: i32, len: i32) -> [];
            // Storage.
            storage_read(key_ptr: i32, key_len: i32, register: i32) -> [i32];
            storage_write(key_ptr: i32, key_len: i32, value_ptr: i32, value_len: i32) -> [];
            storage_remove(key_ptr: i32, key_len: i32) -> [i32];
            storage_has(key_ptr: i32, key_len: i32) -> [i32];
            // Context.
            caller(ptr: i32) -> [];
            self_address(ptr: i32) -> [];
            origin(ptr: i32) -> [];
            block_height() -> [i64];
            block_timestamp() -> [i64];
            chain_id() -> [i64];
            value_received(ptr: i32) -> [];
            balance(ptr: i32) -> [];
            balance_of(address_ptr: i32, out_ptr: i32) -> [];
            gas_left() -> [i64];
            // Value and events.
            transfer(address_ptr: i32, amount_ptr: i32) -> [i32];
            emit_event(topics_ptr: i32, topic_count: i32, data_ptr: i32, data_len: i32) -> [];
            // Crypto.
            keccak256(ptr: i32, len: i32, out_ptr: i32) -> [];
            sha256(ptr: i32, len: i32, out_ptr: i32) -> [];
            ed25519_verify(signature_ptr: i32, public_key_ptr: i32, message_ptr: i32, message_len: i32) -> [i32];
            secp256k1_recover(hash_ptr: i32, signature_ptr: i32, recovery_id: i32, out_ptr: i32) -> [i32];
            // Cross-contract calls.
            call(
                address_ptr: i32,
                entry_ptr: i32,
                entry_len: i32,
                input_ptr: i32,
                input_len: i32,
                value_ptr: i32,
                gas: i64,
                register: i32
            ) -> [i32];
            // The contract lifecycle.
            create(
                code_hash_ptr: i32,
                salt_ptr: i32,
                input_ptr: i32,
                input_len: i32,
                value_ptr: i32,
                gas: i64,
                address_ptr: i32,
                register: i32
            ) -> [i32];
            upgrade(code_hash_ptr: i32, input_ptr: i32, input_len: i32, gas: i64, register: i32) -> [i32];
        }
    };
}

/// A host function's signature with its parameters' names, as `docs/ABI.md` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostSignature {
    /// Its name in module `env`.
    pub name: &'static str,
    /// Parameter names and types.
    pub params: &'static [(&'static str, AbiType)],
    /// Result types.
    pub results: &'static [AbiType],
}

macro_rules! abi_type {
    (i32) => {
        AbiType::I32
    };
    (i64) => {
        AbiType::I64
    };
}

macro_rules! tables {
    ($($name:ident($($param:ident: $ty:ident),*) -> [$($result:ident),*];)*) => {
        /// Every function a contract may import from module `env`, with its wasm signature.
        pub const HOST_FUNCTIONS: &[HostFunction] = &[$(HostFunction {
            name: stringify!($name),
            params: &[$(abi_type!($ty)),*],
            results: &[$(abi_type!($result)),*],
        }),*];

        /// [`HOST_FUNCTIONS`] with parameter names.
        pub const HOST_SIGNATURES: &[HostSignature] = &[$(HostSignature {
            name: stringify!($name),
            params: &[$((stringify!($param), abi_type!($ty))),*],
            results: &[$(abi_type!($result)),*],
        }),*];
    };
}

for_each_host_function!(tables);

#[cfg(test)]
mod tests {
    //! The other copies of the ABI people read or compile against agree with the declaration:
    //! the SDK's raw externs (`sdk/src/sys.rs`) and the reference (`docs/ABI.md`).

    use super::*;

    fn workspace_file(path: &str) -> String {
        let root = std::path::Path::new(
            &std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for tests"),
        )
        .join("..");
        std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn type_name(ty: AbiType) -> &'static str {
        match ty {
            AbiType::I32 => "i32",
            AbiType::I64 => "i64",
        }
    }

    /// A signature as the reference writes it: `(a: i32, b: i32) -> i64`.
    fn rendered(signature: &HostSignature) -> String {
        let params: Vec<String> = signature
            .params
            .iter()
            .map(|(name, ty)| format!("{name}: {}", type_name(*ty)))
            .collect();
        let results: Vec<&str> = signature.results.iter().map(|ty| type_name(*ty)).collect();
        match results.as_slice() {
            [] => format!("({})", params.join(", ")),
            results => format!("({}) -> {}", params.join(", "), results.join(", ")),
        }
    }

    /// The wasm type a raw extern's Rust type lowers to on wasm32.
    fn lowered(ty: &syn::Type) -> AbiType {
        match ty {
            syn::Type::Ptr(_) => AbiType::I32,
            syn::Type::Path(path) if path.path.is_ident("u32") || path.path.is_ident("i32") => AbiType::I32,
            syn::Type::Path(path) if path.path.is_ident("u64") || path.path.is_ident("i64") => AbiType::I64,
            other => panic!("no wasm type for {}", quote::quote!(#other)),
        }
    }

    #[test]
    fn the_sdk_externs_are_the_declared_functions() {
        let file = syn::parse_file(&workspace_file("sdk/src/sys.rs")).unwrap();
        let mut externs = Vec::new();
        for item in &file.items {
            let syn::Item::ForeignMod(block) = item else {
                continue;
            };
            for item in &block.items {
                let syn::ForeignItem::Fn(function) = item else {
                    continue;
                };
                let params: Vec<(String, AbiType)> = function
                    .sig
                    .inputs
                    .iter()
                    .map(|input| match input {
                        syn::FnArg::Typed(typed) => {
                            let syn::Pat::Ident(name) = &*typed.pat else {
                                panic!("a named parameter")
                            };
                            (name.ident.to_string(), lowered(&typed.ty))
                        }
                        syn::FnArg::Receiver(_) => panic!("no receiver in an extern"),
                    })
                    .collect();
                let results = match &function.sig.output {
                    syn::ReturnType::Default => Vec::new(),
                    syn::ReturnType::Type(_, ty) if matches!(**ty, syn::Type::Never(_)) => Vec::new(),
                    syn::ReturnType::Type(_, ty) => vec![lowered(ty)],
                };
                externs.push((function.sig.ident.to_string(), params, results));
            }
        }
        let declared: Vec<_> = HOST_SIGNATURES
            .iter()
            .map(|s| {
                let params = s.params.iter().map(|(n, t)| ((*n).to_owned(), *t)).collect();
                (s.name.to_owned(), params, s.results.to_vec())
            })
            .collect();
        assert_eq!(externs, declared);
    }

    #[test]
    fn the_reference_documents_every_declared_function_with_its_signature() {
        let documented: Vec<(String, String)> = workspace_file("docs/ABI.md")
            .lines()
            .filter_map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                let [_, name, signature, ..] = cells.as_slice() else {
                    return None;
                };
                let name = name.strip_prefix('`')?.strip_suffix('`')?;
                let signature = signature.strip_prefix("`(")?.strip_suffix('`')?;
                Some((name.to_owned(), format!("({signature}")))
            })
            .collect();
        let declared: Vec<(String, String)> = HOST_SIGNATURES
            .iter()
            .map(|s| (s.name.to_owned(), rendered(s)))
            .collect();
        assert_eq!(documented, declared);
    }

    #[test]
    fn both_tables_are_the_same_functions() {
        assert_eq!(HOST_FUNCTIONS.len(), HOST_SIGNATURES.len());
        for (function, signature) in HOST_FUNCTIONS.iter().zip(HOST_SIGNATURES) {
            assert_eq!(function.name, signature.name);
            let types: Vec<AbiType> = signature.params.iter().map(|(_, t)| *t).collect();
            assert_eq!(function.params, types.as_slice());
            assert_eq!(function.results, signature.results);
        }
    }
}
