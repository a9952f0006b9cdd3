//! The node's JSON-RPC server: [`weft_rpc::WeftApiServer`] over a [`NodeHandle`].

use std::net::SocketAddr;

use jsonrpsee::core::RpcResult;
use jsonrpsee::server::{Server, ServerConfig, ServerHandle};
use jsonrpsee::types::{ErrorObject, ErrorObjectOwned};
use weft_rpc::{WeftApiServer, codes};

use crate::node::{NodeHandle, SubmitError};

/// The largest request body the server reads (4 MiB: a 2 MiB contract, hex-encoded, fits).
pub const MAX_REQUEST_BYTES: u32 = 4 << 20;

struct Api {
    node: NodeHandle,
}

fn invalid_params(message: String) -> ErrorObjectOwned {
    ErrorObject::owned(jsonrpsee::types::error::INVALID_PARAMS_CODE, message, None::<()>)
}

impl WeftApiServer for Api {
    fn chain_id(&self) -> RpcResult<u64> {
        Ok(self.node.chain_id())
    }

    fn block_number(&self) -> RpcResult<u64> {
        Ok(self.node.head().height)
    }

    fn send_raw_transaction(&self, transaction: String) -> RpcResult<String> {
        let digits = transaction.strip_prefix("0x").unwrap_or(&transaction);
        let bytes =
            hex::decode(digits).map_err(|e| invalid_params(format!("transaction is not hex: {e}")))?;
        match self.node.submit_raw(&bytes) {
            Ok(hash) => Ok(hash.to_string()),
            Err(SubmitError::Rejected(why)) => Err(ErrorObject::owned(
                codes::TX_REJECTED,
                format!("transaction rejected: {why}"),
                Some(format!("{why:?}")),
            )),
            Err(SubmitError::Fault(fault)) => {
                tracing::error!("node fault while submitting a transaction: {fault}");
                Err(ErrorObject::owned(
                    codes::NODE_FAULT,
                    fault.to_string(),
                    None::<()>,
                ))
            }
        }
    }
}

/// Starts the server on `addr` (HTTP and WebSocket on one port); returns its bound address and a
/// handle that stops it.
pub async fn serve(node: NodeHandle, addr: SocketAddr) -> std::io::Result<(SocketAddr, ServerHandle)> {
    let config = ServerConfig::builder()
        .max_request_body_size(MAX_REQUEST_BYTES)
        .build();
    let server = Server::builder().set_config(config).build(addr).await?;
    let bound = server.local_addr()?;
    let handle = server.start(Api { node }.into_rpc());
    Ok((bound, handle))
}
