//! `rpc_methods` (the names served) and `rpc.discover` ([`weft_rpc::openrpc_document`]).

use jsonrpsee::RpcModule;
use jsonrpsee::core::RegisterMethodError;

/// Adds `rpc_methods` and `rpc.discover` to `module` (after every other method).
pub(super) fn register(module: &mut RpcModule<()>) -> Result<(), RegisterMethodError> {
    let mut names: Vec<String> = module.method_names().map(str::to_owned).collect();
    names.extend(["rpc_methods".to_owned(), "rpc.discover".to_owned()]);
    names.sort();
    module.register_method("rpc_methods", move |_, _, _| names.clone())?;
    let document = weft_rpc::openrpc_document();
    module.register_method("rpc.discover", move |_, _, _| document.clone())?;
    Ok(())
}
