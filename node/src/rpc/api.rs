//! The `weft_` namespace: transactions, reads, dry runs and gas estimates.

use std::time::Instant;

use jsonrpsee::core::{RpcResult, async_trait};
use jsonrpsee::types::{ErrorObject, ErrorObjectOwned};
use weft_abi::Abi;
use weft_primitives::{
    Account, Action, Address, Balance, Block, Event, ExecStatus, Gas, Hash, Receipt, SignedTransaction,
    Trace, Transaction, TrapKind,
};
use weft_rpc::{
    ArgsView, BlockTag, BlockView, CallRequestView, CallResultView, EventView, LogFilterView, LogView,
    ReceiptView, SendTransactionView, StatusView, TraceView, TransactionView, TrapKindView, TxKindView,
    WeftApiServer, WeftReadApiServer, codes,
};
use weft_vm::Outcome;

use super::trace::trace_view;
use super::{Api, fault, hex, invalid_params, parse, parse_hex, range_too_wide, submit_error};
use weft_chain::{ChainReader, EstimateFailure, SimulateAt, Simulation, dev_accounts};

use crate::error::NodeError;

/// The gas limit `weft_sendTransaction` gives a deploy when none is asked for.
pub const DEFAULT_DEPLOY_GAS: Gas = 100_000_000;

fn transaction_view(signed: &SignedTransaction, height: u64, index: u32) -> TransactionView {
    let t = &signed.tx;
    let (to, method) = match &t.action {
        Action::Deploy { .. } | Action::Upload { .. } | Action::Instantiate { .. } => (None, None),
        Action::Call { to, method, .. } => (Some(to.to_string()), Some(method.clone())),
        Action::Transfer { to } => (Some(to.to_string()), None),
    };
    let code_hash = match &t.action {
        Action::Instantiate { code_hash, .. } => Some(code_hash.to_string()),
        _ => None,
    };
    TransactionView {
        hash: signed.hash().to_string(),
        from: t.sender().to_string(),
        nonce: t.nonce,
        gas_limit: t.gas_limit,
        gas_price: t.gas_price.to_string(),
        value: t.value.to_string(),
        kind: match &t.action {
            Action::Deploy { .. } => TxKindView::Deploy,
            Action::Call { .. } => TxKindView::Call,
            Action::Transfer { .. } => TxKindView::Transfer,
            Action::Upload { .. } => TxKindView::Upload,
            Action::Instantiate { .. } => TxKindView::Instantiate,
        },
        to,
        method,
        code_hash,
        block_height: height,
        index,
    }
}

/// A block as served; with `full`, its transactions in full.
fn full_block_view(block: &Block, full: Option<bool>) -> BlockView {
    let mut view = block_view(block);
    if full == Some(true) {
        let height = block.header.height;
        view.full_transactions = Some(
            block
                .transactions
                .iter()
                .zip(0u32..)
                .map(|(tx, index)| transaction_view(tx, height, index))
                .collect(),
        );
    }
    view
}

pub(super) fn block_view(block: &Block) -> BlockView {
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
        full_transactions: None,
        finalization: None,
    }
}

impl Api {
    /// `block` as served, with its finalization certificate if a network finalized it.
    fn served_block(&self, block: Option<Block>, full: Option<bool>) -> RpcResult<Option<BlockView>> {
        let Some(block) = block else {
            return Ok(None);
        };
        let mut view = full_block_view(&block, full);
        let certificate = (self.node)
            .with_chain(|chain| chain.finalization(block.header.height))
            .map_err(fault)?;
        view.finalization = certificate.map(|bytes| super::hex(&bytes));
        Ok(Some(view))
    }
}

/// The wire form of a status: its name, and for a trap its kind and its description from the trace.
pub(super) fn status_fields(
    status: &ExecStatus,
    trace: &Trace,
) -> (StatusView, Option<TrapKindView>, Option<String>) {
    match status {
        ExecStatus::Success => (StatusView::Success, None, None),
        ExecStatus::Revert => (StatusView::Revert, None, None),
        ExecStatus::OutOfGas => (StatusView::OutOfGas, None, None),
        ExecStatus::Trap { kind } => (
            StatusView::Trap,
            Some(trap_kind_view(*kind)),
            Some(trace.describe_trap(*kind)),
        ),
    }
}

pub(super) fn trap_kind_view(kind: TrapKind) -> TrapKindView {
    match kind {
        TrapKind::Unreachable => TrapKindView::Unreachable,
        TrapKind::MemoryOutOfBounds => TrapKindView::MemoryOutOfBounds,
        TrapKind::TableOutOfBounds => TrapKindView::TableOutOfBounds,
        TrapKind::IndirectCallToNull => TrapKindView::IndirectCallToNull,
        TrapKind::BadSignature => TrapKindView::BadSignature,
        TrapKind::IntegerOverflow => TrapKindView::IntegerOverflow,
        TrapKind::IntegerDivisionByZero => TrapKindView::IntegerDivisionByZero,
        TrapKind::BadConversionToInteger => TrapKindView::BadConversionToInteger,
        TrapKind::StackOverflow => TrapKindView::StackOverflow,
        TrapKind::HostError => TrapKindView::HostError,
        TrapKind::Abort => TrapKindView::Abort,
        TrapKind::CallDepthExceeded => TrapKindView::CallDepthExceeded,
    }
}

pub(super) fn event_views(events: &[Event], first: u32) -> Vec<EventView> {
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

/// A receipt with its trace, as served: the trace gives the trap's words and the logs.
fn receipt_view(receipt: Receipt, trace: Trace, block_height: u64, index: u32) -> ReceiptView {
    let (status, trap_kind, trap) = status_fields(&receipt.status, &trace);
    ReceiptView {
        tx_hash: receipt.tx_hash.to_string(),
        block_height,
        index,
        status,
        trap_kind,
        trap,
        gas_used: receipt.gas_used,
        return_data: hex(&receipt.return_data),
        events: event_views(&receipt.events, receipt.first_log_index),
        contract_address: receipt.contract_address.map(|a| a.to_string()),
        logs: trace.logs,
    }
}

fn abi_mismatch(message: String) -> ErrorObjectOwned {
    ErrorObject::owned(codes::ABI_MISMATCH, message, None::<()>)
}

/// The SCALE input of `method` (`None`: the constructor) from `args`: hex as it is, a JSON array
/// through `abi` (a string for an `Address` argument may be a name `resolve` knows).
fn encode_args(
    abi: Option<&Abi>,
    method: Option<&str>,
    args: Option<&ArgsView>,
    resolve: impl Fn(&str) -> Option<Address>,
) -> Result<Vec<u8>, ErrorObjectOwned> {
    let values = match args {
        None => return Ok(Vec::new()),
        Some(ArgsView::Hex(text)) => return parse_hex("args", text),
        Some(ArgsView::Json(values)) => values,
    };
    let Some(abi) = abi else {
        return Err(abi_mismatch(
            "the contract has no weft_abi section: give args as 0x SCALE hex".into(),
        ));
    };
    let method = match method {
        Some(name) => abi.method(name).map_err(|e| abi_mismatch(e.to_string()))?,
        None => match abi.constructor() {
            Some(constructor) => constructor,
            None if values.is_empty() => return Ok(Vec::new()),
            None => {
                return Err(abi_mismatch(
                    "the contract has no constructor to take args".into(),
                ));
            }
        },
    };
    // An `Address` argument may name a dev account, as every address a devnet takes may.
    let values: Vec<serde_json::Value> = method
        .args
        .iter()
        .zip(values)
        .map(|(param, value)| match (&param.ty, value.as_str()) {
            (weft_abi::AbiType::Address, Some(text)) => resolve(text)
                .map(|address| serde_json::Value::String(address.to_string()))
                .unwrap_or_else(|| value.clone()),
            _ => value.clone(),
        })
        .chain(values.iter().skip(method.args.len()).cloned())
        .collect();
    method
        .encode_args(&values)
        .map_err(|e| abi_mismatch(e.to_string()))
}

/// The failure of a call that does not succeed with any gas, as an error with its code.
fn execution_failed(outcome: &Outcome) -> ErrorObjectOwned {
    let (status, trap_kind, trap) = status_fields(&outcome.status, &outcome.trace);
    let code = match outcome.status {
        ExecStatus::Revert => codes::EXECUTION_REVERTED,
        ExecStatus::OutOfGas => codes::OUT_OF_GAS,
        ExecStatus::Success | ExecStatus::Trap { .. } => codes::EXECUTION_TRAPPED,
    };
    let mut message = format!("execution failed: {}", status.as_str());
    if let Some(trap) = &trap {
        message = format!("{message}: {trap}");
    }
    if outcome.status == ExecStatus::Revert {
        message = format!("{message}: {}", String::from_utf8_lossy(&outcome.return_data));
    }
    let data = CallResultView {
        status,
        trap_kind,
        trap,
        return_data: hex(&outcome.return_data),
        gas_used: outcome.gas_used,
        events: event_views(&outcome.events, 0),
        logs: outcome.trace.logs.clone(),
        decoded: None,
    };
    ErrorObject::owned(code, message, Some(data))
}

/// `-32602` for a call after a block the chain does not have.
fn no_block(height: Option<u64>) -> ErrorObjectOwned {
    invalid_params(match height {
        Some(height) => format!("no block {height}"),
        None => "no head block".into(),
    })
}

fn handler_panicked(panic: &tokio::task::JoinError) -> ErrorObjectOwned {
    fault(NodeError::HandlerPanicked(panic.to_string()))
}

/// A call request with its addresses parsed and its arguments encoded, and the reader (pinned
/// at the head) it runs against.
struct PreparedCall {
    simulation: Simulation,
    abi: Option<Abi>,
    reader: ChainReader,
}

#[async_trait]
impl WeftApiServer for Api {
    fn chain_id(&self) -> RpcResult<u64> {
        Ok(self.node.chain_id())
    }

    fn block_number(&self) -> RpcResult<u64> {
        Ok(self.node.head().height)
    }

    fn send_raw_transaction(&self, transaction: String) -> RpcResult<String> {
        let bytes = parse_hex("transaction", &transaction)?;
        let hash = self.node.submit_raw(&bytes).map_err(submit_error)?;
        Ok(hash.to_string())
    }

    async fn send_transaction(&self, request: SendTransactionView) -> RpcResult<String> {
        // No timeout: an answer must not say "failed" for a transaction submitted after it. The
        // gas cap bounds the estimate.
        let api = self.clone();
        match tokio::task::spawn_blocking(move || api.send_transaction_now(&request)).await {
            Ok(result) => result,
            Err(panic) => Err(handler_panicked(&panic)),
        }
    }
}

#[async_trait]
impl WeftReadApiServer for Api {
    fn block_by_number(&self, height: BlockTag, full: Option<bool>) -> RpcResult<Option<BlockView>> {
        let block = self
            .node
            .with_chain(|chain| chain.block(height.height(chain.head().height)))
            .map_err(fault)?;
        self.served_block(block, full)
    }

    fn block_by_hash(&self, hash: String, full: Option<bool>) -> RpcResult<Option<BlockView>> {
        let hash: Hash = parse("block hash", &hash)?;
        let block = self
            .node
            .with_chain(|chain| chain.block_by_hash(&hash))
            .map_err(fault)?;
        self.served_block(block, full)
    }

    fn transaction_by_hash(&self, hash: String) -> RpcResult<Option<TransactionView>> {
        let hash: Hash = parse("transaction hash", &hash)?;
        let found = self
            .node
            .with_chain(|chain| chain.transaction(&hash))
            .map_err(fault)?;
        Ok(found.map(|(signed, location)| transaction_view(&signed, location.height, location.index)))
    }

    fn transaction_receipt(&self, hash: String) -> RpcResult<Option<ReceiptView>> {
        let hash: Hash = parse("transaction hash", &hash)?;
        let found = self.node.with_chain(|chain| {
            let Some((_, location)) = chain.transaction(&hash)? else {
                return Ok(None);
            };
            let Some(receipt) = chain.receipt(&hash)? else {
                return Ok(None);
            };
            // A trace is written with its receipt; a store without one serves an empty trace.
            let trace = chain.trace(&hash)?.unwrap_or_default();
            Ok::<_, NodeError>(Some((receipt, trace, location)))
        });
        let found = found.map_err(fault)?;
        Ok(found
            .map(|(receipt, trace, location)| receipt_view(receipt, trace, location.height, location.index)))
    }

    fn balance(&self, address: String) -> RpcResult<String> {
        Ok(self.account(&address)?.balance.to_string())
    }

    fn nonce(&self, address: String) -> RpcResult<u64> {
        Ok(self.account(&address)?.nonce)
    }

    fn pending_nonce(&self, address: String) -> RpcResult<u64> {
        let address = self.address("address", &address)?;
        self.node.pending_nonce(&address).map_err(fault)
    }

    fn code(&self, address: String) -> RpcResult<Option<String>> {
        let address = self.address("address", &address)?;
        let code = self
            .node
            .with_chain(|chain| chain.code_of(&address))
            .map_err(fault)?;
        Ok(code.map(|code| hex(&code)))
    }

    fn storage_at(&self, address: String, key: String) -> RpcResult<Option<String>> {
        let address = self.address("address", &address)?;
        let key = parse_hex("key", &key)?;
        let value = self
            .node
            .with_chain(|chain| chain.state().storage(&address, &key))
            .map_err(fault)?;
        Ok(value.map(|value| hex(&value)))
    }

    async fn call(&self, request: CallRequestView) -> RpcResult<CallResultView> {
        let api = self.clone();
        self.blocking(move |_| api.call_now(&request)).await
    }

    async fn estimate_gas(&self, request: CallRequestView) -> RpcResult<u64> {
        let api = self.clone();
        self.blocking(move |deadline| api.estimate_now(&request, deadline))
            .await
    }

    fn logs(&self, filter: LogFilterView) -> RpcResult<Vec<LogView>> {
        self.logs_in_range(&filter)
    }

    fn trace_transaction(&self, hash: String) -> RpcResult<Option<TraceView>> {
        let hash: Hash = parse("transaction hash", &hash)?;
        let found = self.node.with_chain(|chain| {
            let (Some(receipt), Some(trace)) = (chain.receipt(&hash)?, chain.trace(&hash)?) else {
                return Ok::<_, NodeError>(None);
            };
            Ok(Some((receipt, trace)))
        });
        Ok(found.map_err(fault)?.map(|(receipt, trace)| {
            trace_view(Some(hash.to_string()), &receipt.status, receipt.gas_used, trace)
        }))
    }

    async fn trace_call(&self, request: CallRequestView) -> RpcResult<TraceView> {
        let api = self.clone();
        self.blocking(move |_| {
            let (_, outcome) = api.run_call(&request, "weft_traceCall")?;
            Ok(trace_view(None, &outcome.status, outcome.gas_used, outcome.trace))
        })
        .await
    }
}

impl Api {
    /// Runs a dry run's `work` on a blocking thread, given its deadline, with one of the server's
    /// dry-run permits ([`super::RpcLimits::max_concurrent_calls`]), all bounded by the call
    /// timeout. A dry run past the timeout still holds its permit until its work stops: an
    /// estimate at its next run, a call within the gas cap.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(Instant) -> RpcResult<T> + Send + 'static,
    ) -> RpcResult<T> {
        let timeout = self.limits.call_timeout;
        let deadline = Instant::now() + timeout;
        let permits = self.dry_runs.clone();
        let run = async move {
            let Ok(permit) = permits.acquire_owned().await else {
                return Err(fault(NodeError::Halted("the dry-run permits are closed".into())));
            };
            let done = tokio::task::spawn_blocking(move || {
                let _permit = permit;
                work(deadline)
            });
            done.await.unwrap_or_else(|panic| Err(handler_panicked(&panic)))
        };
        tokio::time::timeout(timeout, run)
            .await
            .unwrap_or_else(|_| Err(super::timed_out(timeout)))
    }

    /// The account at the head of the address in `text`.
    fn account(&self, text: &str) -> Result<Account, ErrorObjectOwned> {
        let address = self.address("address", text)?;
        self.node
            .with_chain(|chain| chain.state().account(&address))
            .map_err(fault)
    }

    /// Parses `request` into a simulation on a reader pinned at the head: `method` is the ABI's
    /// name or the export; a call into the past is bounded by the history depth.
    fn prepare(&self, request: &CallRequestView, method: &str) -> Result<PreparedCall, ErrorObjectOwned> {
        let from: Address = match &request.from {
            Some(from) => self.address("from", from)?,
            None => Address::ZERO,
        };
        let to = self.address("to", &request.to)?;
        let (reader, timestamp) = self.node.simulator().map_err(fault)?;
        let at = match request.block {
            None => SimulateAt::Next { timestamp },
            Some(tag) => {
                let height = tag.height(reader.head().height);
                let depth = reader.head().height.saturating_sub(height);
                if depth > self.limits.max_history_depth {
                    return Err(range_too_wide(format!(
                        "block {height} is {depth} blocks below the head, more than the {} a call may go back",
                        self.limits.max_history_depth
                    )));
                }
                SimulateAt::After(height)
            }
        };
        // Deployed code passed validation, so a parse error can only be a bad ABI section.
        let abi = reader
            .abi_of(&to)
            .map_err(fault)?
            .map_err(|e| abi_mismatch(e.to_string()))?;
        let input = encode_args(abi.as_ref(), Some(method), request.args.as_ref(), |t| {
            self.dev_name(t)
        })?;
        let export = match &abi {
            Some(abi) => abi
                .method(method)
                .map_or_else(|_| method.to_owned(), |m| m.export().to_owned()),
            None => method.to_owned(),
        };
        let value: Balance = parse("value", request.value.as_deref().unwrap_or("0"))?;
        Ok(PreparedCall {
            simulation: Simulation {
                from,
                to,
                method: export,
                input,
                value,
                at,
            },
            abi,
            reader,
        })
    }

    /// Runs the dry run `request` for `rpc_method` (which needs a method): the prepared call and
    /// its outcome.
    fn run_call(&self, request: &CallRequestView, rpc_method: &str) -> RpcResult<(PreparedCall, Outcome)> {
        let method = request
            .method
            .as_deref()
            .ok_or_else(|| invalid_params(format!("{rpc_method} needs a method")))?;
        let call = self.prepare(request, method)?;
        let cap = self.limits.call_gas_cap;
        let outcome = call
            .reader
            .simulate(&call.simulation, request.gas.unwrap_or(cap).min(cap))
            .map_err(fault)?
            .ok_or_else(|| no_block(request.block.map(|tag| tag.height(call.reader.head().height))))?;
        Ok((call, outcome))
    }

    fn call_now(&self, request: &CallRequestView) -> RpcResult<CallResultView> {
        let (call, outcome) = self.run_call(request, "weft_call")?;
        let method = request.method.as_deref().unwrap_or_default();
        let (status, trap_kind, trap) = status_fields(&outcome.status, &outcome.trace);
        let decoded = match (&call.abi, outcome.is_success()) {
            (Some(abi), true) => abi
                .method(method)
                .ok()
                .and_then(|method| method.decode_return(&outcome.return_data).ok()),
            _ => None,
        };
        Ok(CallResultView {
            status,
            trap_kind,
            trap,
            return_data: hex(&outcome.return_data),
            gas_used: outcome.gas_used,
            events: event_views(&outcome.events, 0),
            logs: outcome.trace.logs,
            decoded,
        })
    }

    /// `weft_estimateGas`: a call's estimate, or a transfer's intrinsic gas when no method is given.
    fn estimate_now(&self, request: &CallRequestView, deadline: Instant) -> RpcResult<Gas> {
        match &request.method {
            Some(method) => self.estimate(&self.prepare(request, method)?, deadline),
            None => {
                let to = self.address("to", &request.to)?;
                let (reader, _) = self.node.simulator().map_err(fault)?;
                Ok(reader.executor().intrinsic_gas_for(&Action::Transfer { to }))
            }
        }
    }

    /// The smallest gas limit with which a transaction making `call` succeeds, intrinsic cost
    /// included; the search stops at `deadline` (`-32020`).
    fn estimate(&self, call: &PreparedCall, deadline: Instant) -> RpcResult<Gas> {
        let estimate = call
            .reader
            .estimate_gas(&call.simulation, self.limits.call_gas_cap, Some(deadline))
            .map_err(fault)?
            .ok_or_else(|| {
                no_block(match call.simulation.at {
                    SimulateAt::After(height) => Some(height),
                    SimulateAt::Next { .. } => None,
                })
            })?;
        estimate.map_err(|failure| match failure {
            EstimateFailure::Fails(outcome) => execution_failed(&outcome),
            EstimateFailure::OutOfTime { .. } => super::timed_out(self.limits.call_timeout),
        })
    }

    fn send_transaction_now(&self, request: &SendTransactionView) -> RpcResult<String> {
        let account = dev_accounts()
            .into_iter()
            .find(|a| a.name == request.from || a.address.to_string() == request.from)
            .ok_or_else(|| {
                ErrorObject::owned(
                    codes::DEV_REFUSED,
                    format!(
                        "{:?} is not a dev account of this node: sign it yourself and use weft_sendRawTransaction",
                        request.from
                    ),
                    None::<()>,
                )
            })?;
        let value: Balance = parse("value", request.value.as_deref().unwrap_or("0"))?;
        let gas_price: Balance = parse("gas_price", request.gas_price.as_deref().unwrap_or("1"))?;
        let (action, gas) = match (&request.code, &request.to, &request.method) {
            (Some(code), None, None) => {
                let code = parse_hex("code", code)?;
                let abi = Abi::from_wasm(&code).map_err(|e| abi_mismatch(e.to_string()))?;
                let init_args = encode_args(abi.as_ref(), None, request.args.as_ref(), |t| self.dev_name(t))?;
                let salt = match &request.salt {
                    Some(salt) => parse("salt", salt)?,
                    None => Hash::ZERO,
                };
                let action = Action::Deploy {
                    code,
                    init_args,
                    salt,
                };
                (action, request.gas.unwrap_or(DEFAULT_DEPLOY_GAS))
            }
            (None, Some(to), Some(method)) => {
                let view = CallRequestView {
                    from: Some(account.address.to_string()),
                    to: to.clone(),
                    method: Some(method.clone()),
                    args: request.args.clone(),
                    value: Some(value.to_string()),
                    gas: None,
                    block: None,
                };
                let call = self.prepare(&view, method)?;
                let gas = match request.gas {
                    Some(gas) => gas,
                    None => self.estimate(&call, Instant::now() + self.limits.call_timeout)?,
                };
                (call.simulation.action(), gas)
            }
            (None, Some(to), None) if request.args.is_none() => {
                let action = Action::Transfer {
                    to: self.address("to", to)?,
                };
                let gas = match request.gas {
                    Some(gas) => gas,
                    None => {
                        let (reader, _) = self.node.simulator().map_err(fault)?;
                        reader.executor().intrinsic_gas_for(&action)
                    }
                };
                (action, gas)
            }
            _ => {
                return Err(invalid_params(
                    "give `code` (a deploy), `to` and `method` (a call), or `to` alone (a transfer)".into(),
                ));
            }
        };
        let chain_id = self.node.chain_id();
        let hash = self
            .node
            .sign_and_submit(&account.key, |nonce| Transaction {
                chain_id,
                signer: Transaction::signer_of(&account.key),
                nonce,
                gas_limit: gas,
                gas_price,
                value,
                action,
            })
            .map_err(super::submit_error)?;
        Ok(hash.to_string())
    }
}
