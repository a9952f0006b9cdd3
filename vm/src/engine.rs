//! The engine: deploy (prepare + singlepass compile) and execute.

use std::panic::{AssertUnwindSafe, catch_unwind};

use wasmer::{Engine, FunctionEnv, Instance, InstantiationError, Module, RuntimeError, Store, Value};
use wasmer_types::TrapCode;
use weft_gas::{GAS_GLOBAL, GasSchedule, STACK_GLOBAL, prepare};
use weft_host::{HOST_FUNCTIONS, HostError, HostState};
use weft_primitives::{ExecStatus, Gas, TrapKind};

use crate::error::{DeployError, VmFault};
use crate::host::{Env, imports};

/// A validated, instrumented and compiled contract, ready to instantiate.
#[derive(Clone)]
pub struct CompiledContract {
    module: Module,
    entry_points: Vec<String>,
}

impl std::fmt::Debug for CompiledContract {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledContract")
            .field("entry_points", &self.entry_points)
            .finish_non_exhaustive()
    }
}

impl CompiledContract {
    /// Exported functions callable as entry points.
    pub fn entry_points(&self) -> &[String] {
        &self.entry_points
    }
}

/// What one call did. Every field is deterministic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Execution {
    /// How it ended.
    pub status: ExecStatus,
    /// `return_data` on success, the revert data on revert, empty otherwise.
    pub return_data: Vec<u8>,
    /// Gas charged, at most the limit (all of it when out of gas).
    pub gas_used: Gas,
    /// `debug_log` lines.
    pub logs: Vec<String>,
}

/// Wasmer singlepass with Weft's gas schedule.
pub struct Vm {
    engine: Engine,
    schedule: GasSchedule,
}

impl std::fmt::Debug for Vm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vm")
            .field("schedule_version", &self.schedule.version)
            .finish_non_exhaustive()
    }
}

impl Vm {
    /// A VM charging `schedule`. Floats are rejected at deploy, so no NaN canonicalization is needed.
    pub fn new(schedule: GasSchedule) -> Self {
        Self {
            engine: Engine::from(wasmer::sys::Singlepass::default()),
            schedule,
        }
    }

    /// The schedule this VM charges.
    pub fn schedule(&self) -> &GasSchedule {
        &self.schedule
    }

    /// Validates, instruments and compiles `wasm`. A panic inside the compiler is a deploy error.
    pub fn deploy(&self, wasm: &[u8]) -> Result<CompiledContract, DeployError> {
        let prepared = prepare(wasm, &self.schedule, HOST_FUNCTIONS)?;
        let compiled = catch_unwind(AssertUnwindSafe(|| Module::new(&self.engine, &prepared.code)));
        let module = match compiled {
            Ok(Ok(module)) => module,
            Ok(Err(e)) => return Err(DeployError::Compile(e.to_string())),
            Err(_) => return Err(DeployError::Compile("the compiler panicked".into())),
        };
        Ok(CompiledContract {
            module,
            entry_points: prepared.entry_points,
        })
    }

    /// Runs `entry` of `contract` in a fresh instance with `input`, at most `gas_limit` gas.
    pub fn execute(
        &self,
        contract: &CompiledContract,
        entry: &str,
        input: Vec<u8>,
        gas_limit: Gas,
    ) -> Result<Execution, VmFault> {
        let gas_limit = gas_limit.min(i64::MAX as u64);
        let mut store = Store::new(self.engine.clone());
        let env = FunctionEnv::new(
            &mut store,
            Env {
                state: HostState::new(input, self.schedule.dynamic.clone()),
                memory: None,
                gas: None,
            },
        );
        let imports = imports(&mut store, &env);
        if !contract.entry_points.iter().any(|e| e == entry) {
            let status = trap(TrapKind::HostError, None, format!("no entry point `{entry}`"));
            return Ok(finish(&mut store, &env, Ending::Failed(status), 0));
        }
        let instance = match Instance::new(&mut store, &contract.module, &imports) {
            Ok(instance) => instance,
            // A trap while initialising memory or tables (e.g. a data segment out of bounds) is
            // deterministic: the contract's fault.
            Err(InstantiationError::Start(e)) => {
                let status = trap(trap_kind(e.clone().to_trap()), None, e.message());
                return Ok(finish(&mut store, &env, Ending::Failed(status), 0));
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
        gas.set(&mut store, Value::I64(gas_limit as i64))
            .map_err(|_| VmFault::MissingGlobal(GAS_GLOBAL))?;
        let memory = instance.exports.get_memory("memory").ok().cloned();
        {
            let data = env.as_mut(&mut store);
            data.memory = memory;
            data.gas = Some(gas.clone());
        }
        let function = instance
            .exports
            .get_function(entry)
            .map_err(|e| VmFault::Instantiate(e.to_string()))?;
        let result = function.call(&mut store, &[]);
        let gas_left = match gas.get(&mut store) {
            Value::I64(left) => left,
            _ => 0,
        };
        let gas_used = if gas_left < 0 {
            gas_limit
        } else {
            gas_limit - gas_left as u64
        };
        let ending = match result {
            Ok(_) => Ending::Success,
            Err(error) => {
                let stack_height = match stack.get(&mut store) {
                    Value::I32(height) => height as u32,
                    _ => 0,
                };
                self.classify(error, gas_left, stack_height)
            }
        };
        Ok(finish(&mut store, &env, ending, gas_used))
    }

    /// How a failed call ended: out of gas (the counter is negative), a revert, a host refusal, the
    /// stack-height limit (the counter is over it), or a wasm trap.
    fn classify(&self, error: RuntimeError, gas_left: i64, stack_height: u32) -> Ending {
        let function = error
            .trace()
            .first()
            .and_then(|frame| frame.function_name())
            .map(str::to_string);
        let error = match error.downcast::<HostError>() {
            Ok(HostError::OutOfGas) => return Ending::Failed(ExecStatus::OutOfGas),
            Ok(HostError::Revert(data)) => return Ending::Revert(data),
            Ok(HostError::Abort(message)) => return Ending::Failed(trap(TrapKind::Abort, function, message)),
            Ok(other) => return Ending::Failed(trap(TrapKind::HostError, function, other.to_string())),
            Err(error) => error,
        };
        if gas_left < 0 {
            return Ending::Failed(ExecStatus::OutOfGas);
        }
        if stack_height > self.schedule.limits.max_stack_height {
            let message = "call stack exceeded the stack-height limit".to_string();
            return Ending::Failed(trap(TrapKind::StackOverflow, function, message));
        }
        let message = error.message();
        Ending::Failed(trap(trap_kind(error.to_trap()), function, message))
    }
}

/// How a call ended, before the host state is collected.
enum Ending {
    Success,
    Revert(Vec<u8>),
    Failed(ExecStatus),
}

/// Collects the host state into an [`Execution`].
fn finish(store: &mut Store, env: &FunctionEnv<Env>, ending: Ending, gas_used: Gas) -> Execution {
    let state = &mut env.as_mut(store).state;
    let logs = std::mem::take(&mut state.logs);
    let (status, return_data) = match ending {
        Ending::Success => (ExecStatus::Success, std::mem::take(&mut state.return_data)),
        Ending::Revert(data) => (ExecStatus::Revert, data),
        Ending::Failed(status) => (status, Vec::new()),
    };
    Execution {
        status,
        return_data,
        gas_used,
        logs,
    }
}

fn trap(kind: TrapKind, function: Option<String>, message: String) -> ExecStatus {
    ExecStatus::Trap {
        kind,
        function,
        message,
    }
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
