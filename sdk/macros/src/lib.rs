//! `weft-sdk-macros`: the procedural macros re-exported by `weft-sdk`.
//!
//! - [`macro@contract`] on an `impl` block: one wasm export per public method (SCALE arguments
//!   decoded, the result encoded), `#[init]` for the constructor (`deploy` export), `#[migrate]`
//!   for the migration an upgrade to this code runs (`migrate` export), `#[payable]` for methods
//!   that accept value, and the methods' ABI in the `weft_abi` custom section;
//! - [`macro@Event`] on a struct: an event whose `#[topic]` fields are indexed, emitted with
//!   `Event::emit`, described in the same `weft_abi` section;
//! - [`macro@AbiType`] on a struct or enum: its definition in the section, so that tools take and
//!   show arguments, results and event fields of that type as JSON.
//!
//! The `weft_abi` custom section holds one JSON document per line (the linker concatenates the
//! pieces of every crate): a `{"contract": ..}` line with the methods, one `{"event": ..}` line
//! per event and one `{"type": ..}` line per described struct or enum. `docs/ABI.md` ("Contract ABI metadata") specifies the format.

mod abi;
mod abi_type;
mod contract;
mod event;

use proc_macro::TokenStream;

/// Turns the public associated functions of an `impl` block into contract entry points.
///
/// Each `pub fn name(a: A, b: B) -> R` (no `self`: state lives in storage) becomes the wasm
/// export `name` that decodes its input as SCALE `(A, B)`, reverting with `"invalid arguments"`
/// when it does not decode exactly, calls the function, and returns SCALE `R`. Methods without
/// `#[payable]` revert with `"method is not payable"` when value is attached. `#[init]` marks
/// the constructor, exported as `deploy`; `#[migrate]` the migration, exported as `migrate` and
/// run only by an `upgrade` to this code. Exports exist only on wasm32.
#[proc_macro_attribute]
pub fn contract(attr: TokenStream, item: TokenStream) -> TokenStream {
    contract::expand(attr.into(), item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Implements `weft_sdk::Event` for a struct with named fields: topic 0 is
/// `keccak256("Name(T1,T2,..)")`, each `#[topic]` field adds a topic (at most three), and the
/// other fields are the event's data, SCALE-encoded in order.
#[proc_macro_derive(Event, attributes(topic))]
pub fn derive_event(item: TokenStream) -> TokenStream {
    event::expand(item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Describes a struct or enum in the contract's ABI: its fields, or its variants with their SCALE
/// indices, as `parity-scale-codec`'s `Encode`/`Decode` derives encode them. Derive it beside
/// those for every type of your own an entry point takes or returns, or an event carries; without
/// it, tools handle such a method as SCALE bytes only.
#[proc_macro_derive(AbiType, attributes(codec))]
pub fn derive_abi_type(item: TokenStream) -> TokenStream {
    abi_type::expand(item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
