//! The node's JSON-RPC server: [`weft_rpc::WeftApiServer`] over a [`NodeHandle`].

use std::net::SocketAddr;

use jsonrpsee::core::RpcResult;
use jsonrpsee::server::{Server, ServerConfig, ServerHandle};
use jsonrpsee::types::{ErrorObject, ErrorObjectOwned};
use weft_primitives::{
    Account, Action, Address, Balance, Block, Event, ExecStatus, Hash, PublicKey, Receipt, Signature,
    SignedTransaction, Transaction,
};
use weft_rpc::{
    BlockView, CallRequestView, CallResultView, DevAccountView, DevApiServer, EventView, ReceiptView,
    TransactionView, WeftApiServer, WeftReadApiServer, codes,
};
use weft_vm::Outcome;

use crate::dev::dev_accounts;
use crate::error::NodeError;

use crate::node::{NodeHandle, SubmitError};

/// The most gas a `weft_call` may use: it bounds the time a dry run can take.
pub const CALL_GAS_CAP: u64 = 1_000_000_000;

/// The largest request body the server reads (4 MiB: a 2 MiB contract, hex-encoded, fits).
pub const MAX_REQUEST_BYTES: u32 = 4 << 20;

#[derive(Clone)]
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
        let bytes = parse_hex("transaction", &transaction)?;
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

fn fault(error: NodeError) -> ErrorObjectOwned {
    tracing::error!("node fault while serving a read: {error}");
    ErrorObject::owned(codes::NODE_FAULT, error.to_string(), None::<()>)
}

fn parse<T: std::str::FromStr>(what: &str, text: &str) -> Result<T, ErrorObjectOwned>
where
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|e| invalid_params(format!("{what} {text:?}: {e}")))
}

fn hex(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

fn block_view(block: Block) -> BlockView {
    let header = &block.header;
    BlockView {
        hash: block.hash().to_string(),
        parent_hash: header.parent_hash.to_string(),
        height: header.height,
        timestamp: header.timestamp,
        state_root: header.state_root.to_string(),
        tx_root: header.tx_root.to_string(),
        receipt_root: header.receipt_root.to_string(),
        gas_used: header.gas_used,
        gas_limit: header.gas_limit,
        transactions: block
            .transactions
            .iter()
            .map(|tx| tx.hash().to_string())
            .collect(),
    }
}

/// The wire form of a status: its name and, for a trap, its description.
fn status_fields(status: &ExecStatus) -> (String, Option<String>) {
    let (name, trap) = match status {
        ExecStatus::Success => ("success", None),
        ExecStatus::Revert => ("revert", None),
        ExecStatus::OutOfGas => ("out_of_gas", None),
        ExecStatus::Trap {
            kind,
            function,
            message,
        } => (
            "trap",
            Some(format!(
                "{kind:?} in {}: {message}",
                function.as_deref().unwrap_or("?")
            )),
        ),
    };
    (name.to_string(), trap)
}

fn event_views(events: &[Event], first: u32) -> Vec<EventView> {
    events
        .iter()
        .zip(first..)
        .map(|(event, log_index)| EventView {
            address: event.address.to_string(),
            topics: event.topics.iter().map(ToString::to_string).collect(),
            data: hex(&event.data),
            log_index,
        })
        .collect()
}

fn receipt_view(receipt: Receipt, block_height: u64, index: u32) -> ReceiptView {
    let (status, trap) = status_fields(&receipt.status);
    ReceiptView {
        tx_hash: receipt.tx_hash.to_string(),
        block_height,
        index,
        status,
        trap,
        gas_used: receipt.gas_used,
        return_data: hex(&receipt.return_data),
        events: event_views(&receipt.events, receipt.first_log_index),
        contract_address: receipt.contract_address.map(|a| a.to_string()),
        logs: receipt.logs,
    }
}

fn parse_hex(what: &str, text: &str) -> Result<Vec<u8>, ErrorObjectOwned> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    hex::decode(digits).map_err(|e| invalid_params(format!("{what} is not hex: {e}")))
}

impl WeftReadApiServer for Api {
    fn block_by_number(&self, height: u64) -> RpcResult<Option<BlockView>> {
        let block = self.node.with_chain(|chain| chain.block(height)).map_err(fault)?;
        Ok(block.map(block_view))
    }

    fn block_by_hash(&self, hash: String) -> RpcResult<Option<BlockView>> {
        let hash: Hash = parse("block hash", &hash)?;
        let block = self
            .node
            .with_chain(|chain| chain.block_by_hash(&hash))
            .map_err(fault)?;
        Ok(block.map(block_view))
    }

    fn transaction_by_hash(&self, hash: String) -> RpcResult<Option<TransactionView>> {
        let hash: Hash = parse("transaction hash", &hash)?;
        let found = self
            .node
            .with_chain(|chain| chain.transaction(&hash))
            .map_err(fault)?;
        Ok(found.map(|(signed, location)| {
            let t = &signed.tx;
            let (to, method) = match &t.action {
                Action::Deploy { .. } => (None, None),
                Action::Call { to, method, .. } => (Some(to.to_string()), Some(method.clone())),
                Action::Transfer { to } => (Some(to.to_string()), None),
            };
            TransactionView {
                hash: hash.to_string(),
                from: t.sender().to_string(),
                nonce: t.nonce,
                gas_limit: t.gas_limit,
                gas_price: t.gas_price.to_string(),
                value: t.value.to_string(),
                kind: t.action.kind().into(),
                to,
                method,
                block_height: location.height,
                index: location.index,
            }
        }))
    }

    fn transaction_receipt(&self, hash: String) -> RpcResult<Option<ReceiptView>> {
        let hash: Hash = parse("transaction hash", &hash)?;
        let found = self.node.with_chain(|chain| {
            let Some((_, location)) = chain.transaction(&hash)? else {
                return Ok(None);
            };
            Ok::<_, NodeError>(chain.receipt(&hash)?.map(|receipt| (receipt, location)))
        });
        let found = found.map_err(fault)?;
        Ok(found.map(|(receipt, location)| receipt_view(receipt, location.height, location.index)))
    }

    fn balance(&self, address: String) -> RpcResult<String> {
        Ok(self.account(&address)?.balance.to_string())
    }

    fn nonce(&self, address: String) -> RpcResult<u64> {
        Ok(self.account(&address)?.nonce)
    }

    fn code(&self, address: String) -> RpcResult<Option<String>> {
        let address: Address = parse("address", &address)?;
        let code = self.node.with_chain(|chain| {
            let state = chain.state();
            match state.account(&address)?.code_hash {
                Some(code_hash) => state.code(&code_hash),
                None => Ok(None),
            }
        });
        Ok(code.map_err(|e| fault(e.into()))?.map(|code| hex(&code)))
    }

    fn storage_at(&self, address: String, key: String) -> RpcResult<Option<String>> {
        let address: Address = parse("address", &address)?;
        let key = parse_hex("key", &key)?;
        let value = self
            .node
            .with_chain(|chain| chain.state().storage(&address, &key))
            .map_err(|e| fault(e.into()))?;
        Ok(value.map(|value| hex(&value)))
    }

    fn call(&self, request: CallRequestView) -> RpcResult<CallResultView> {
        let gas = request.gas.unwrap_or(CALL_GAS_CAP).min(CALL_GAS_CAP);
        let outcome = self.dry_run(&request, gas)?;
        let (status, trap) = status_fields(&outcome.status);
        Ok(CallResultView {
            status,
            trap,
            return_data: hex(&outcome.return_data),
            gas_used: outcome.gas_used,
            events: event_views(&outcome.events, 0),
            logs: outcome.logs,
        })
    }

    fn estimate_gas(&self, request: CallRequestView) -> RpcResult<u64> {
        let at_cap = self.dry_run(&request, CALL_GAS_CAP)?;
        if !at_cap.is_success() {
            let (status, trap) = status_fields(&at_cap.status);
            let data = format!(
                "{status} {} {}",
                trap.unwrap_or_default(),
                hex(&at_cap.return_data)
            );
            return Err(ErrorObject::owned(
                codes::EXECUTION_FAILED,
                format!("the call fails with any gas: {status}"),
                Some(data),
            ));
        }
        // Gas used is usually enough; a contract that reads `gas_left` or forwards "all that is
        // left" may need more: search between what it used and the cap.
        let (mut low, mut high) = (at_cap.gas_used, CALL_GAS_CAP);
        if self.dry_run(&request, low)?.is_success() {
            high = low;
        }
        while low < high {
            let middle = low + (high - low) / 2;
            if self.dry_run(&request, middle)?.is_success() {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        let intrinsic = self.node.with_chain(|chain| {
            let probe = Transaction {
                chain_id: chain.genesis().chain_id,
                signer: PublicKey::ZERO,
                nonce: 0,
                gas_limit: 0,
                gas_price: 0,
                value: 0,
                action: Action::Call {
                    to: Address::ZERO,
                    method: request.method.clone(),
                    args: parse_hex("args", request.args.as_deref().unwrap_or("0x")).unwrap_or_default(),
                },
            };
            let signed = SignedTransaction {
                tx: probe,
                signature: Signature::ZERO,
            };
            chain.executor().intrinsic_gas(&signed)
        });
        Ok(intrinsic.saturating_add(low))
    }
}

impl DevApiServer for Api {
    fn mine(&self) -> RpcResult<u64> {
        Ok(self.node.mine().map_err(fault)?.block.header.height)
    }

    fn accounts(&self) -> RpcResult<Vec<DevAccountView>> {
        Ok(dev_accounts()
            .into_iter()
            .map(|account| DevAccountView {
                name: account.name.into(),
                address: account.address.to_string(),
                secret_key: account.secret_hex(),
            })
            .collect())
    }
}

impl Api {
    /// The account at the head of the address in `text`.
    fn account(&self, text: &str) -> Result<Account, ErrorObjectOwned> {
        let address: Address = parse("address", text)?;
        self.node
            .with_chain(|chain| chain.state().account(&address))
            .map_err(|e| fault(e.into()))
    }

    /// Parses a call request and runs it with `gas` against the head state.
    fn dry_run(&self, request: &CallRequestView, gas: u64) -> Result<Outcome, ErrorObjectOwned> {
        let from: Address = match &request.from {
            Some(from) => parse("from", from)?,
            None => Address::ZERO,
        };
        let to: Address = parse("to", &request.to)?;
        let input = parse_hex("args", request.args.as_deref().unwrap_or("0x"))?;
        let value: Balance = parse("value", request.value.as_deref().unwrap_or("0"))?;
        self.node
            .dry_run(from, to, request.method.clone(), input, value, gas)
            .map_err(fault)
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
    let api = Api { node };
    let mut methods = WeftApiServer::into_rpc(api.clone());
    let merged = methods
        .merge(WeftReadApiServer::into_rpc(api.clone()))
        .and_then(|()| methods.merge(DevApiServer::into_rpc(api)));
    merged.map_err(|e| std::io::Error::other(e.to_string()))?;
    let handle = server.start(methods);
    Ok((bound, handle))
}
