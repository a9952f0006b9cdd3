//! `weft_traceTransaction` and `weft_traceCall`: a trace's call tree in its wire form.

use weft_primitives::{CallTrace, ExecStatus, FrameKind, FrameStatus, Gas, Trace, TraceStep};
use weft_rpc::{CallTraceView, FrameKindView, FrameStatusView, HostCallView, TraceStepView, TraceView};

use super::api::{event_views, status_fields, trap_kind_view};

/// The wire form of `trace`, of an execution that ended with `status` using `gas_used`.
pub(super) fn trace_view(
    tx_hash: Option<String>,
    status: &ExecStatus,
    gas_used: Gas,
    trace: Trace,
) -> TraceView {
    let mut log_index = 0;
    TraceView {
        tx_hash,
        status: status_fields(status, &trace).0,
        gas_used,
        logs: trace.logs,
        calls: trace.calls.map(|frame| call_trace_view(frame, &mut log_index)),
    }
}

/// The wire form of one frame; `log_index` numbers the tree's events in order.
fn call_trace_view(frame: CallTrace, log_index: &mut u32) -> CallTraceView {
    let (status, trap_kind) = match frame.status {
        FrameStatus::Success => (FrameStatusView::Success, None),
        FrameStatus::Revert => (FrameStatusView::Revert, None),
        FrameStatus::OutOfGas => (FrameStatusView::OutOfGas, None),
        FrameStatus::Trap { kind } => (FrameStatusView::Trap, Some(trap_kind_view(kind))),
        FrameStatus::Refused => (FrameStatusView::Refused, None),
    };
    let (trap, trap_function) = match frame.trap {
        Some(detail) => (Some(detail.message), detail.function),
        None => (None, None),
    };
    let steps = frame
        .steps
        .into_iter()
        .map(|step| match step {
            TraceStep::Log(line) => TraceStepView::Log { line },
            TraceStep::Event(event) => {
                let view = event_views(std::slice::from_ref(&event), *log_index).remove(0);
                *log_index += 1;
                TraceStepView::Event(view)
            }
            TraceStep::Frame(frame) => TraceStepView::Frame(call_trace_view(frame, log_index)),
        })
        .collect();
    CallTraceView {
        kind: match frame.kind {
            FrameKind::Call => FrameKindView::Call,
            FrameKind::Deploy => FrameKindView::Deploy,
            FrameKind::Create => FrameKindView::Create,
            FrameKind::Migrate => FrameKindView::Migrate,
        },
        caller: frame.caller.to_string(),
        contract: frame.contract.to_string(),
        entry: frame.entry,
        value: frame.value.to_string(),
        input_len: frame.input_len,
        output_len: frame.output_len,
        gas_limit: frame.gas_limit,
        gas_used: frame.gas_used,
        status,
        trap_kind,
        trap,
        trap_function,
        host_calls: frame
            .host_calls
            .into_iter()
            .map(|call| HostCallView {
                name: call.name.into_owned(),
                count: call.count,
            })
            .collect(),
        steps,
    }
}
