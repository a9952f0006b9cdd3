//! One call frame: the value moved, the module loaded, the entry point run in a fresh instance,
//! the frame's changes reverted unless it succeeds; how a run ends, classified into an
//! [`Outcome`](crate::Outcome); and the frame's [`CallTrace`], built as it ends.

use std::sync::Arc;
use std::sync::LazyLock;
use weft_state::{MemStore, Overlay, SharedStore};

use wasmer::{FunctionEnv, Instance, InstantiationError, RuntimeError, Store, Value};
use wasmer_types::TrapCode;
use weft_gas::{GAS_GLOBAL, GasSchedule, STACK_GLOBAL};
use weft_host::{
    BlockContext, CallRequest, CallResult, CallStatus, HOST_FUNCTIONS, HostError, HostFault, HostState, World,
};
use weft_primitives::{
    CallTrace, ExecStatus, FrameKind, FrameStatus, Gas, HostCallCount, Trace, TraceStep, TrapDetail, TrapKind,
};

use crate::compiled::{CONSTRUCTOR, CompiledContract, MIGRATE};
use crate::error::VmFault;
use crate::host::{Env, imports};
use crate::outcome::Outcome;
use crate::shared::Shared;

/// An overlay over an empty store: what a caller's `&mut World` holds while its world is inside
/// the engine.
pub(crate) fn detached() -> World {
    static EMPTY: LazyLock<SharedStore> = LazyLock::new(|| Arc::new(MemStore::new()));
    Overlay::new(EMPTY.clone())
}

/// The trace of the frame `request` starts, of `kind`, as known before it runs: what it ends
/// with (status, gas, output, trap, host calls, steps) is filled in by [`finished`].
pub(crate) fn frame_trace(request: &CallRequest, kind: FrameKind) -> CallTrace {
    CallTrace {
        kind,
        caller: request.frame.caller,
        contract: request.frame.contract,
        entry: request.entry.clone(),
        value: request.frame.value,
        input_len: u32::try_from(request.input.len()).unwrap_or(u32::MAX),
        output_len: 0,
        gas_limit: request.gas_limit,
        gas_used: 0,
        status: FrameStatus::Refused,
        trap: None,
        host_calls: Vec::new(),
        steps: Vec::new(),
    }
}

/// `frame` as it ended with `outcome` and `status`, having done `steps` and called `host_calls`.
fn finished(
    frame: CallTrace,
    outcome: &Outcome,
    status: FrameStatus,
    host_calls: Vec<HostCallCount>,
    steps: Vec<TraceStep>,
) -> CallTrace {
    CallTrace {
        output_len: u32::try_from(outcome.return_data.len()).unwrap_or(u32::MAX),
        gas_used: outcome.gas_used,
        status,
        trap: outcome.trace.trap.clone(),
        host_calls,
        steps,
        ..frame
    }
}

/// How a frame ended: its outcome, its trace, and whether it ran at all.
pub(crate) struct FrameRun {
    /// How it ended (`trace.calls` unset: the frame's trace is [`FrameRun::frame`]).
    pub outcome: Outcome,
    /// Its trace.
    pub frame: CallTrace,
    /// It did not start (the reason is its trace's trap message); it used no gas.
    pub refused: bool,
}

impl FrameRun {
    /// The frame `frame` did not start, for `reason`.
    pub(crate) fn refused(frame: CallTrace, reason: String) -> Self {
        let outcome = Outcome::refused(reason);
        let frame = finished(frame, &outcome, FrameStatus::Refused, Vec::new(), Vec::new());
        Self {
            outcome,
            frame,
            refused: true,
        }
    }

    /// A frame that succeeded without running code (a creation without a constructor, an upgrade
    /// to code without `migrate`).
    pub(crate) fn empty_success(frame: CallTrace) -> Self {
        let outcome = Outcome::success();
        let frame = finished(frame, &outcome, FrameStatus::Success, Vec::new(), Vec::new());
        Self {
            outcome,
            frame,
            refused: false,
        }
    }

    /// The outcome of a transaction's outermost frame, with its call tree.
    pub(crate) fn into_outcome(self) -> Outcome {
        let mut outcome = self.outcome;
        outcome.trace.calls = Some(self.frame);
        outcome
    }

    /// What a nested frame reports to its caller.
    pub(crate) fn into_call_result(self) -> CallResult {
        let status = match (self.refused, &self.outcome.status) {
            (true, _) => CallStatus::Refused,
            (false, ExecStatus::Success) => CallStatus::Success,
            (false, ExecStatus::Revert) => CallStatus::Reverted,
            (false, ExecStatus::OutOfGas | ExecStatus::Trap { .. }) => CallStatus::Failed,
        };
        CallResult {
            status,
            data: self.outcome.return_data,
            gas_used: self.outcome.gas_used,
            events: self.outcome.events,
            logs: self.outcome.trace.logs,
            trace: self.frame,
        }
    }
}

/// Runs one frame of `kind`: moves the value, loads the contract, runs the entry point, and
/// reverts the frame's changes unless it succeeds. The world goes in and comes back out in every
/// case.
pub(crate) fn run_frame(
    shared: &Arc<Shared>,
    mut world: World,
    block: BlockContext,
    request: CallRequest,
    kind: FrameKind,
) -> (World, Result<FrameRun, VmFault>) {
    let checkpoint = world.checkpoint();
    let trace = frame_trace(&request, kind);
    let prepared = start_frame(shared, &mut world, &request, kind);
    let contract = match prepared {
        Ok(Ok(contract)) => contract,
        Ok(Err(reason)) => {
            world.revert_to(checkpoint);
            return (world, Ok(FrameRun::refused(trace, reason)));
        }
        Err(fault) => return (world, Err(fault)),
    };
    let CallRequest {
        frame,
        entry,
        input,
        gas_limit,
    } = request;
    let state = HostState::new(input, &shared.schedule, frame, block, world);
    let (mut world, run) = execute(shared, &contract, &entry, state, gas_limit, trace);
    match run {
        Ok(run) => {
            if !run.outcome.is_success() {
                world.revert_to(checkpoint);
            }
            (world, Ok(run))
        }
        Err(fault) => (world, Err(fault)),
    }
}

/// The checks and the value transfer before a frame runs: `Ok(Err(reason))` if it cannot start.
fn start_frame(
    shared: &Shared,
    world: &mut World,
    request: &CallRequest,
    kind: FrameKind,
) -> Result<Result<CompiledContract, String>, VmFault> {
    let frame = &request.frame;
    let Some(code_hash) = world.account(&frame.contract)?.code_hash else {
        return Ok(Err(format!("no contract at {}", frame.contract)));
    };
    let contract = match shared.load(&code_hash, world)? {
        Ok(contract) => contract,
        Err(error) => return Ok(Err(format!("the contract's code no longer deploys: {error}"))),
    };
    let entry = request.entry.as_str();
    // The reserved entry points run only in their own kind of frame.
    let reserved = match kind {
        FrameKind::Call => None,
        FrameKind::Deploy | FrameKind::Create => Some(CONSTRUCTOR),
        FrameKind::Migrate => Some(MIGRATE),
    };
    let refusal = match entry {
        CONSTRUCTOR if reserved != Some(CONSTRUCTOR) => Some(format!(
            "`{CONSTRUCTOR}` is the constructor: it runs once, at deploy"
        )),
        MIGRATE if reserved != Some(MIGRATE) => {
            Some(format!("`{MIGRATE}` runs only in an upgrade to its code"))
        }
        _ if !contract.has_entry(entry) => Some(format!("no entry point `{entry}`")),
        _ => None,
    };
    if let Some(reason) = refusal {
        return Ok(Err(reason));
    }
    if !world.transfer(&frame.caller, &frame.contract, frame.value)? {
        return Ok(Err(format!(
            "{} cannot pay the value {}",
            frame.caller, frame.value
        )));
    }
    Ok(Ok(contract))
}

/// Runs `entry` of `contract` in a fresh instance over `state`, at most `gas_limit` gas; gives the
/// world back in every case.
fn execute(
    shared: &Arc<Shared>,
    contract: &CompiledContract,
    entry: &str,
    state: HostState,
    gas_limit: Gas,
    trace: CallTrace,
) -> (World, Result<FrameRun, VmFault>) {
    let mut store = Store::new(shared.engine.clone());
    let env = FunctionEnv::new(&mut store, Env::new(state, shared.clone()));
    let outcome = run_instance(shared, &mut store, &env, contract, entry, gas_limit, trace);
    let state = &mut env.as_mut(&mut store).state;
    match state.take_world() {
        Ok(world) => (world, outcome),
        // Unreachable by construction (nested calls always give the world back); reported as
        // a fault rather than trusted.
        Err(_) => (detached(), Err(VmFault::WorldLent)),
    }
}

fn run_instance(
    shared: &Shared,
    store: &mut Store,
    env: &FunctionEnv<Env>,
    contract: &CompiledContract,
    entry: &str,
    gas_limit: Gas,
    trace: CallTrace,
) -> Result<FrameRun, VmFault> {
    let gas_limit = gas_limit.min(i64::MAX as u64);
    let imports = imports(store, env, &contract.module);
    let instance = match Instance::new(store, &contract.module, &imports) {
        Ok(instance) => instance,
        // A trap while initialising memory or tables (e.g. a data segment out of bounds) is
        // deterministic: the contract's fault.
        Err(InstantiationError::Start(e)) => {
            let ending = trapped(trap_kind(e.clone().to_trap()), None, e.message());
            return Ok(finish(store, env, ending, 0, trace));
        }
        Err(e) => return Err(VmFault::Instantiate(e.to_string())),
    };
    let global = |name: &'static str| {
        instance
            .exports
            .get_global(name)
            .cloned()
            .map_err(|_| VmFault::MissingGlobal(name))
    };
    let gas = global(GAS_GLOBAL)?;
    let stack = global(STACK_GLOBAL)?;
    gas.set(store, Value::I64(gas_limit as i64))
        .map_err(|_| VmFault::MissingGlobal(GAS_GLOBAL))?;
    let memory = instance.exports.get_memory("memory").ok().cloned();
    {
        let data = env.as_mut(store);
        data.memory = memory;
        data.gas = Some(gas.clone());
    }
    let function = instance
        .exports
        .get_function(entry)
        .map_err(|e| VmFault::Instantiate(e.to_string()))?;
    let result = function.call(store, &[]);
    let gas_left = match gas.get(store) {
        Value::I64(left) => left,
        _ => 0,
    };
    let gas_used = if gas_left < 0 {
        gas_limit
    } else {
        gas_limit - gas_left as u64
    };
    let ending = match result {
        // Instrumentation checks the counter at function entries and loop heads only: a call may
        // return with it negative, and is then out of gas.
        Ok(_) if gas_left < 0 => Ending::OutOfGas,
        Ok(_) => Ending::Success,
        Err(error) => {
            let stack_height = match stack.get(store) {
                Value::I32(height) => height as u32,
                _ => 0,
            };
            let nested = env.as_mut(store).nested_fault.take();
            classify(&shared.schedule, error, gas_left, stack_height, nested)?
        }
    };
    Ok(finish(store, env, ending, gas_used, trace))
}

/// How a failed call ended: a node fault, out of gas (the counter is negative), a revert, a host
/// refusal, the stack-height limit (the counter is over it), or a wasm trap.
fn classify(
    schedule: &GasSchedule,
    error: RuntimeError,
    gas_left: i64,
    stack_height: u32,
    nested_fault: Option<VmFault>,
) -> Result<Ending, VmFault> {
    let function = error
        .trace()
        .first()
        .and_then(|frame| frame.function_name())
        .map(str::to_string);
    let error = match error.downcast::<HostError>() {
        Ok(HostError::Fault(fault)) => {
            return Err(match fault {
                HostFault::Store(error) => VmFault::Store(error),
                HostFault::WorldLent => VmFault::WorldLent,
                HostFault::Nested => nested_fault.unwrap_or(VmFault::WorldLent),
            });
        }
        Ok(HostError::OutOfGas) => return Ok(Ending::OutOfGas),
        Ok(HostError::Revert(data)) => return Ok(Ending::Revert(data)),
        Ok(HostError::Abort(message)) => return Ok(trapped(TrapKind::Abort, function, message)),
        Ok(other) => return Ok(trapped(TrapKind::HostError, function, other.to_string())),
        Err(error) => error,
    };
    if gas_left < 0 {
        return Ok(Ending::OutOfGas);
    }
    if stack_height > schedule.limits.max_stack_height {
        let message = "call stack exceeded the stack-height limit".to_string();
        return Ok(trapped(TrapKind::StackOverflow, function, message));
    }
    let message = error.message();
    Ok(trapped(trap_kind(error.to_trap()), function, message))
}

/// How a call ended, before the host state is collected.
enum Ending {
    Success,
    Revert(Vec<u8>),
    OutOfGas,
    /// A trap: its kind goes into the status, its detail into the trace.
    Trapped(TrapKind, TrapDetail),
}

/// Collects the host state into an [`Outcome`] and the frame's trace; events survive only a
/// success (in the receipt; the trace keeps them).
fn finish(
    store: &mut Store,
    env: &FunctionEnv<Env>,
    ending: Ending,
    gas_used: Gas,
    frame: CallTrace,
) -> FrameRun {
    let env = env.as_mut(store);
    let host_calls = HOST_FUNCTIONS
        .iter()
        .zip(env.host_calls.iter())
        .filter(|(_, count)| **count > 0)
        .map(|(function, count)| HostCallCount {
            name: function.name.into(),
            count: *count,
        })
        .collect();
    let state = &mut env.state;
    let steps = std::mem::take(&mut state.steps);
    let mut trace = Trace {
        trap: None,
        logs: std::mem::take(&mut state.logs),
        calls: None,
    };
    let events = std::mem::take(&mut state.events);
    let (status, return_data, events) = match ending {
        Ending::Success => (
            ExecStatus::Success,
            std::mem::take(&mut state.return_data),
            events,
        ),
        Ending::Revert(data) => (ExecStatus::Revert, data, Vec::new()),
        Ending::OutOfGas => (ExecStatus::OutOfGas, Vec::new(), Vec::new()),
        Ending::Trapped(kind, detail) => {
            trace.trap = Some(detail);
            (ExecStatus::Trap { kind }, Vec::new(), Vec::new())
        }
    };
    let frame_status = FrameStatus::from(&status);
    let outcome = Outcome {
        status,
        return_data,
        gas_used,
        events,
        trace,
    };
    let frame = finished(frame, &outcome, frame_status, host_calls, steps);
    FrameRun {
        outcome,
        frame,
        refused: false,
    }
}

fn trapped(kind: TrapKind, function: Option<String>, message: String) -> Ending {
    Ending::Trapped(kind, TrapDetail { function, message })
}

fn trap_kind(code: Option<TrapCode>) -> TrapKind {
    match code {
        Some(TrapCode::StackOverflow) => TrapKind::StackOverflow,
        Some(TrapCode::HeapAccessOutOfBounds | TrapCode::HeapMisaligned) => TrapKind::MemoryOutOfBounds,
        Some(TrapCode::TableAccessOutOfBounds) => TrapKind::TableOutOfBounds,
        Some(TrapCode::IndirectCallToNull) => TrapKind::IndirectCallToNull,
        Some(TrapCode::BadSignature) => TrapKind::BadSignature,
        Some(TrapCode::IntegerOverflow) => TrapKind::IntegerOverflow,
        Some(TrapCode::IntegerDivisionByZero) => TrapKind::IntegerDivisionByZero,
        Some(TrapCode::BadConversionToInteger) => TrapKind::BadConversionToInteger,
        _ => TrapKind::Unreachable,
    }
}
