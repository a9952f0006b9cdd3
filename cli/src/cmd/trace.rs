//! `weft trace`: a transaction's call tree, one frame per line with its gas, the frames it started
//! indented below it, with logs and decoded events in order (forge's `-vvvv` is the model).

use std::collections::HashMap;

use weft_abi::Abi;
use weft_primitives::{
    Address, CallTrace, Event, FrameKind, FrameStatus, Hash, HostCallCount, TraceLabels, TraceStep,
    TrapDetail, TrapKind,
};
use weft_rpc::{
    CallTraceView, FrameKindView, FrameStatusView, TraceStepView, TrapKindView, WeftReadApiClient,
};

use super::CliError;
use super::client::{Client, from_hex, usage};
use super::output::{Out, out};

/// A transaction's call tree with gas per frame, logs and decoded events.
#[derive(clap::Args, Debug)]
pub struct Trace {
    /// The transaction hash.
    hash: String,
}

impl Trace {
    /// Runs it against the node behind `client`.
    pub(super) async fn run(self, client: &mut Client, out: &Out) -> Result<(), CliError> {
        let Self { hash } = self;
        let view = client.rpc.trace_transaction(hash.clone()).await?.ok_or_else(|| {
            CliError::Failed(format!(
                "no trace for {hash}: unknown, still pending, or pruned (nodes keep the traces of their latest blocks, `--trace-blocks`)"
            ))
        })?;
        if out.json {
            Out::print_json(&view);
            return Ok(());
        }
        out!(
            "transaction {hash}: {}, gas used {}",
            out.status(view.status.as_str()),
            view.gas_used
        );
        let Some(calls) = view.calls else {
            out!("(no code ran)");
            return Ok(());
        };
        let tree = call_trace(calls)?;
        let mut labels = Labels::default();
        for address in contracts(&tree) {
            if let Some(abi) = client.abi(address).await? {
                labels.abis.insert(address, abi.clone());
            }
        }
        out!("{}", tree.render(&labels, out.colour()).trim_end());
        Ok(())
    }
}

/// Names from the contracts' ABIs: `Token[0x1234abcd]`, decoded events.
#[derive(Default)]
struct Labels {
    abis: HashMap<Address, Abi>,
}

impl TraceLabels for Labels {
    fn address(&self, address: &Address) -> Option<String> {
        let name = self.abis.get(address)?.contract.clone()?;
        let short: String = address.to_string().chars().take(10).collect();
        Some(format!("{name}[{short}]"))
    }

    fn event(&self, event: &Event) -> Option<String> {
        let decoded = self.abis.get(&event.address)?.decode_event(event)?.ok()?;
        let fields: Vec<String> = decoded
            .fields
            .iter()
            .map(|(name, value)| format!("{name}: {value}"))
            .collect();
        Some(format!("{} {{ {} }}", decoded.name, fields.join(", ")))
    }
}

/// Every contract in the tree, each once.
fn contracts(tree: &CallTrace) -> Vec<Address> {
    let mut found = vec![tree.contract];
    for child in tree.children() {
        for address in contracts(child) {
            if !found.contains(&address) {
                found.push(address);
            }
        }
    }
    found
}

/// The typed frame of a served one, for rendering.
fn call_trace(view: CallTraceView) -> Result<CallTrace, CliError> {
    let address = |what: &str, text: &str| {
        text.parse::<Address>()
            .map_err(|e| usage(format!("trace {what}: {e}")))
    };
    let status = match (view.status, view.trap_kind) {
        (FrameStatusView::Success, _) => FrameStatus::Success,
        (FrameStatusView::Revert, _) => FrameStatus::Revert,
        (FrameStatusView::OutOfGas, _) => FrameStatus::OutOfGas,
        (FrameStatusView::Refused, _) => FrameStatus::Refused,
        (FrameStatusView::Trap, kind) => FrameStatus::Trap {
            kind: kind.map_or(TrapKind::Unreachable, trap_kind),
        },
    };
    let steps = view
        .steps
        .into_iter()
        .map(|step| {
            Ok(match step {
                TraceStepView::Log { line } => TraceStep::Log(line),
                TraceStepView::Event(event) => TraceStep::Event(Event {
                    address: address("event address", &event.address)?,
                    topics: event
                        .topics
                        .iter()
                        .map(|t| t.parse::<Hash>())
                        .collect::<Result<_, _>>()
                        .map_err(|e| usage(format!("trace event topic: {e}")))?,
                    data: from_hex("trace event data", &event.data)?,
                }),
                TraceStepView::Frame(frame) => TraceStep::Frame(call_trace(frame)?),
            })
        })
        .collect::<Result<_, CliError>>()?;
    Ok(CallTrace {
        kind: match view.kind {
            FrameKindView::Call => FrameKind::Call,
            FrameKindView::Deploy => FrameKind::Deploy,
            FrameKindView::Create => FrameKind::Create,
            FrameKindView::Migrate => FrameKind::Migrate,
        },
        caller: address("caller", &view.caller)?,
        contract: address("contract", &view.contract)?,
        entry: view.entry,
        value: view
            .value
            .parse()
            .map_err(|e| usage(format!("trace value: {e}")))?,
        input_len: view.input_len,
        output_len: view.output_len,
        gas_limit: view.gas_limit,
        gas_used: view.gas_used,
        status,
        trap: view.trap.map(|message| TrapDetail {
            function: view.trap_function,
            message,
        }),
        host_calls: view
            .host_calls
            .into_iter()
            .map(|call| HostCallCount {
                name: call.name.into(),
                count: call.count,
            })
            .collect(),
        steps,
    })
}

fn trap_kind(kind: TrapKindView) -> TrapKind {
    match kind {
        TrapKindView::Unreachable => TrapKind::Unreachable,
        TrapKindView::MemoryOutOfBounds => TrapKind::MemoryOutOfBounds,
        TrapKindView::TableOutOfBounds => TrapKind::TableOutOfBounds,
        TrapKindView::IndirectCallToNull => TrapKind::IndirectCallToNull,
        TrapKindView::BadSignature => TrapKind::BadSignature,
        TrapKindView::IntegerOverflow => TrapKind::IntegerOverflow,
        TrapKindView::IntegerDivisionByZero => TrapKind::IntegerDivisionByZero,
        TrapKindView::BadConversionToInteger => TrapKind::BadConversionToInteger,
        TrapKindView::StackOverflow => TrapKind::StackOverflow,
        TrapKindView::HostError => TrapKind::HostError,
        TrapKindView::Abort => TrapKind::Abort,
        TrapKindView::CallDepthExceeded => TrapKind::CallDepthExceeded,
    }
}
