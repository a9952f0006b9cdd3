//! One call frame: the value moved, the module loaded, the entry point run in a fresh instance,
//! the frame's changes reverted unless it succeeds; and how a run ends, classified into an
//! [`Outcome`](crate::Outcome).

use std::sync::Arc;
use std::sync::LazyLock;
use weft_state::{MemStore, Overlay, SharedStore};

use wasmer::{FunctionEnv, Instance, InstantiationError, RuntimeError, Store, Value};
use wasmer_types::TrapCode;
use weft_gas::{GAS_GLOBAL, GasSchedule, STACK_GLOBAL};
use weft_host::{BlockContext, CallRequest, HostError, HostFault, HostState, World};
use weft_primitives::{ExecStatus, Gas, Trace, TrapDetail, TrapKind};

use crate::compiled::{CONSTRUCTOR, CompiledContract};
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

/// How a frame ended.
pub(crate) enum FrameEnd {
    /// It ran.
    Ran(Outcome),
    /// It did not start, for this reason.
    Refused(String),
}

/// Which entry points a frame may run.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    /// Any export but the constructor.
    Public,
    /// The constructor, at deploy.
    Constructor,
}

/// Runs one frame: moves the value, loads the contract, runs the entry point, and reverts the
/// frame's changes unless it succeeds. The world goes in and comes back out in every case.
pub(crate) fn run_frame(
    shared: &Arc<Shared>,
    mut world: World,
    block: BlockContext,
    request: CallRequest,
    allowed: Entry,
) -> (World, Result<FrameEnd, VmFault>) {
    let checkpoint = world.checkpoint();
    let prepared = start_frame(shared, &mut world, &request, allowed);
    let contract = match prepared {
        Ok(Ok(contract)) => contract,
        Ok(Err(reason)) => {
            world.revert_to(checkpoint);
            return (world, Ok(FrameEnd::Refused(reason)));
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
    let (mut world, outcome) = execute(shared, &contract, &entry, state, gas_limit);
    match outcome {
        Ok(outcome) => {
            if !outcome.is_success() {
                world.revert_to(checkpoint);
            }
            (world, Ok(FrameEnd::Ran(outcome)))
        }
        Err(fault) => (world, Err(fault)),
    }
}

/// The checks and the value transfer before a frame runs: `Ok(Err(reason))` if it cannot start.
fn start_frame(
    shared: &Shared,
    world: &mut World,
    request: &CallRequest,
    allowed: Entry,
) -> Result<Result<CompiledContract, String>, VmFault> {
    let frame = &request.frame;
    let Some(code_hash) = world.account(&frame.contract)?.code_hash else {
        return Ok(Err(format!("no contract at {}", frame.contract)));
    };
    let contract = match shared.load(&code_hash, world)? {
        Ok(contract) => contract,
        Err(error) => return Ok(Err(format!("the contract's code no longer deploys: {error}"))),
    };
    let is_constructor = request.entry == CONSTRUCTOR;
    if is_constructor != (allowed == Entry::Constructor) || !contract.has_entry(&request.entry) {
        let reason = if is_constructor {
            format!("`{CONSTRUCTOR}` is the constructor: it runs once, at deploy")
        } else {
            format!("no entry point `{}`", request.entry)
        };
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
) -> (World, Result<Outcome, VmFault>) {
    let mut store = Store::new(shared.engine.clone());
    let env = FunctionEnv::new(&mut store, Env::new(state, shared.clone()));
    let outcome = run_instance(shared, &mut store, &env, contract, entry, gas_limit);
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
) -> Result<Outcome, VmFault> {
    let gas_limit = gas_limit.min(i64::MAX as u64);
    let imports = imports(store, env, &contract.module);
    let instance = match Instance::new(store, &contract.module, &imports) {
        Ok(instance) => instance,
        // A trap while initialising memory or tables (e.g. a data segment out of bounds) is
        // deterministic: the contract's fault.
        Err(InstantiationError::Start(e)) => {
            let ending = trapped(trap_kind(e.clone().to_trap()), None, e.message());
            return Ok(finish(store, env, ending, 0));
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
    Ok(finish(store, env, ending, gas_used))
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

/// Collects the host state into an [`Outcome`]; events survive only a success.
fn finish(store: &mut Store, env: &FunctionEnv<Env>, ending: Ending, gas_used: Gas) -> Outcome {
    let state = &mut env.as_mut(store).state;
    let mut trace = Trace {
        trap: None,
        logs: std::mem::take(&mut state.logs),
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
    Outcome {
        status,
        return_data,
        gas_used,
        events,
        trace,
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
