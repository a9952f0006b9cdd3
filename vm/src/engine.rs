//! The engine: compile (prepare + singlepass, cached and persisted), and run call frames.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};

use wasmer::{Engine, FunctionEnv, Instance, InstantiationError, Module, RuntimeError, Store, Value};
use wasmer_types::TrapCode;
use weft_gas::{GAS_GLOBAL, GasSchedule, STACK_GLOBAL, prepare};
use weft_host::{BlockContext, CallRequest, Frame, HOST_FUNCTIONS, HostError, HostState, World};
use weft_primitives::{Event, ExecStatus, Gas, Hash, Trace, TrapDetail, TrapKind, keccak256};
use weft_state::{MemStore, Overlay, SharedStore};

use crate::artifact::{self, Loaded};
use crate::cache::{CacheConfig, CacheStats, ModuleCache};
use crate::error::{DeployError, VmFault};
use crate::host::{Env, imports};

/// The name of the optional constructor export, run once at deploy and never callable after.
pub const CONSTRUCTOR: &str = "deploy";

/// A validated, instrumented and compiled contract, ready to instantiate. Cheap to clone.
#[derive(Clone)]
pub struct CompiledContract {
    module: Module,
    entry_points: Arc<[String]>,
    code_hash: Hash,
    artifact_size: usize,
}

impl std::fmt::Debug for CompiledContract {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledContract")
            .field("code_hash", &self.code_hash)
            .field("entry_points", &self.entry_points)
            .field("artifact_size", &self.artifact_size)
            .finish_non_exhaustive()
    }
}

impl CompiledContract {
    /// Exported functions callable as entry points (the constructor included, if any).
    pub fn entry_points(&self) -> &[String] {
        &self.entry_points
    }

    /// `keccak256` of the code as deployed.
    pub fn code_hash(&self) -> Hash {
        self.code_hash
    }

    /// Bytes of the compiled artifact.
    pub fn artifact_size(&self) -> usize {
        self.artifact_size
    }

    fn has_entry(&self, entry: &str) -> bool {
        self.entry_points.iter().any(|e| e == entry)
    }
}

/// What one call did. Every field is deterministic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// How it ended: success, revert, out of gas, or a trap (with its kind, the wasm function's
    /// name when the name section has it, and a message).
    pub status: ExecStatus,
    /// `return_data` on success, the revert data on revert, empty otherwise.
    pub return_data: Vec<u8>,
    /// Gas charged, at most the limit (all of it when out of gas).
    pub gas_used: Gas,
    /// Events of this call and its successful nested calls; empty unless it succeeded.
    pub events: Vec<Event>,
    /// What it wrote for people: the trap's function and message, `debug_log` lines (nested
    /// calls' included). Not consensus data.
    pub trace: Trace,
}

impl Outcome {
    /// Whether the call succeeded (and its state changes stay).
    pub fn is_success(&self) -> bool {
        self.status == ExecStatus::Success
    }

    /// A call that could not start (no contract, no such entry point, short balance): a trap of
    /// kind [`TrapKind::HostError`], no gas used.
    fn refused(message: String) -> Self {
        Self {
            status: ExecStatus::Trap {
                kind: TrapKind::HostError,
            },
            return_data: Vec::new(),
            gas_used: 0,
            events: Vec::new(),
            trace: Trace {
                trap: Some(TrapDetail {
                    function: None,
                    message,
                }),
                logs: Vec::new(),
            },
        }
    }
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

/// What every frame and every nested call of a VM shares.
pub(crate) struct Shared {
    engine: Engine,
    schedule: GasSchedule,
    schedule_hash: Hash,
    engine_id: String,
    cache: Mutex<ModuleCache>,
    artifacts: Option<SharedStore>,
}

/// Wasmer singlepass with Weft's gas schedule, an in-memory module cache and, optionally,
/// compiled artifacts persisted in a store.
#[derive(Clone)]
pub struct Vm {
    pub(crate) shared: Arc<Shared>,
}

impl std::fmt::Debug for Vm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vm")
            .field("schedule_version", &self.shared.schedule.version)
            .field("engine_id", &self.shared.engine_id)
            .finish_non_exhaustive()
    }
}

/// An overlay over an empty store: what a caller's `&mut World` holds while its world is inside
/// the engine.
fn detached() -> World {
    static EMPTY: LazyLock<SharedStore> = LazyLock::new(|| Arc::new(MemStore::new()));
    Overlay::new(EMPTY.clone())
}

impl Vm {
    /// A VM charging `schedule`, with the default cache and no persisted artifacts. Floats are
    /// rejected at deploy, so no NaN canonicalization is needed.
    pub fn new(schedule: GasSchedule) -> Self {
        Self::with_cache(schedule, CacheConfig::default(), None)
    }

    /// A VM with a cache of `config` that persists compiled artifacts in `artifacts` (the node's
    /// store) and loads them on a miss.
    pub fn with_cache(schedule: GasSchedule, config: CacheConfig, artifacts: Option<SharedStore>) -> Self {
        Self {
            shared: Arc::new(Shared {
                engine: Engine::from(wasmer::sys::Singlepass::default()),
                schedule_hash: schedule.hash(),
                schedule,
                engine_id: artifact::engine_id(),
                cache: Mutex::new(ModuleCache::new(config)),
                artifacts,
            }),
        }
    }

    /// The schedule this VM charges.
    pub fn schedule(&self) -> &GasSchedule {
        &self.shared.schedule
    }

    /// The compiler and machine this VM's artifacts are for (part of the artifact key).
    pub fn engine_id(&self) -> &str {
        &self.shared.engine_id
    }

    /// Cache counters since this VM started.
    pub fn cache_stats(&self) -> CacheStats {
        self.shared.cache().stats
    }

    /// Modules and artifact bytes the in-memory cache holds.
    pub fn cache_usage(&self) -> (usize, usize) {
        self.shared.cache().usage()
    }

    /// Validates, instruments and compiles `wasm`, keeps the module in the cache and persists its
    /// artifact. A panic inside the compiler is a deploy error.
    pub fn compile(&self, wasm: &[u8]) -> Result<CompiledContract, DeployError> {
        self.shared.compile(wasm)
    }

    /// Runs `request` as the outermost frame of a transaction: moves the frame's value from the
    /// caller to the contract, runs the entry point in a fresh instance, and undoes every state
    /// change of the call (value included) unless it succeeds. A call that cannot start (no
    /// contract there, no such entry point, the constructor, short balance) is a
    /// [`TrapKind::HostError`] trap using no gas. `Err` only for node faults.
    pub fn call(
        &self,
        world: &mut World,
        block: BlockContext,
        request: CallRequest,
    ) -> Result<Outcome, VmFault> {
        let taken = std::mem::replace(world, detached());
        let (back, end) = run_frame(&self.shared, taken, block, request, Entry::Public);
        *world = back;
        Ok(match end? {
            FrameEnd::Ran(outcome) => outcome,
            FrameEnd::Refused(reason) => Outcome::refused(reason),
        })
    }

    /// Deploys `code` at `frame.contract`: charges the per-byte deploy cost, compiles, stores the
    /// code and the account's code hash, moves the value, and runs the [`CONSTRUCTOR`] export with
    /// `input` if there is one. Everything is undone unless it all succeeds; invalid code is a
    /// [`TrapKind::HostError`] trap. `Err` only for node faults.
    pub fn instantiate(
        &self,
        world: &mut World,
        block: BlockContext,
        frame: Frame,
        code: &[u8],
        input: Vec<u8>,
        gas_limit: Gas,
    ) -> Result<Outcome, VmFault> {
        let deploy_cost = self
            .shared
            .schedule
            .dynamic
            .deploy_byte
            .saturating_mul(code.len() as u64);
        if deploy_cost > gas_limit {
            return Ok(Outcome {
                status: ExecStatus::OutOfGas,
                gas_used: gas_limit,
                trace: Trace::default(),
                ..Outcome::refused(String::new())
            });
        }
        // Identical code compiles once: a deploy of code the cache holds takes the cached module.
        // (Gas does not depend on it: the deploy cost is per byte either way.)
        let cached = self.shared.cache().get(&keccak256(code));
        let compiled = match cached.map_or_else(|| self.shared.compile(code), Ok) {
            Ok(compiled) => compiled,
            Err(error) => {
                let message = format!("invalid contract code: {error}");
                return Ok(Outcome {
                    gas_used: deploy_cost,
                    ..Outcome::refused(message)
                });
            }
        };
        let address = frame.contract;
        let mut account = world.account(&address)?;
        if account.is_contract() {
            let message = format!("address {address} already holds a contract");
            return Ok(Outcome {
                gas_used: deploy_cost,
                ..Outcome::refused(message)
            });
        }
        let checkpoint = world.checkpoint();
        account.code_hash = Some(world.put_code(code));
        world.set_account(&address, &account);
        let mut outcome = if compiled.has_entry(CONSTRUCTOR) {
            let request = CallRequest {
                frame,
                entry: CONSTRUCTOR.into(),
                input,
                gas_limit: gas_limit - deploy_cost,
            };
            let taken = std::mem::replace(world, detached());
            let (back, end) = run_frame(&self.shared, taken, block, request, Entry::Constructor);
            *world = back;
            match end? {
                FrameEnd::Ran(outcome) => outcome,
                FrameEnd::Refused(reason) => Outcome::refused(reason),
            }
        } else if world.transfer(&frame.caller, &address, frame.value)? {
            Outcome {
                status: ExecStatus::Success,
                ..Outcome::refused(String::new())
            }
        } else {
            Outcome::refused(format!("{} cannot pay the value {}", frame.caller, frame.value))
        };
        if !outcome.is_success() {
            world.revert_to(checkpoint);
        }
        outcome.gas_used = outcome.gas_used.saturating_add(deploy_cost).min(gas_limit);
        Ok(outcome)
    }
}

impl Shared {
    #[cfg(test)]
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    fn cache(&self) -> MutexGuard<'_, ModuleCache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn artifact_key(&self, code_hash: &Hash) -> Hash {
        artifact::artifact_key(code_hash, &self.schedule_hash, &self.engine_id)
    }

    fn compile(&self, wasm: &[u8]) -> Result<CompiledContract, DeployError> {
        let prepared = prepare(wasm, &self.schedule, HOST_FUNCTIONS)?;
        let compiled = catch_unwind(AssertUnwindSafe(|| {
            let module = Module::new(&self.engine, &prepared.code).map_err(|e| e.to_string())?;
            let artifact = module.serialize().map_err(|e| e.to_string())?;
            Ok::<_, String>((module, artifact))
        }));
        let (module, artifact) = match compiled {
            Ok(Ok(compiled)) => compiled,
            Ok(Err(e)) => return Err(DeployError::Compile(e)),
            Err(_) => return Err(DeployError::Compile("the compiler panicked".into())),
        };
        let contract = CompiledContract {
            module,
            entry_points: prepared.entry_points.into(),
            code_hash: keccak256(wasm),
            artifact_size: artifact.len(),
        };
        if let Some(store) = &self.artifacts {
            // The artifact is a cache: if it cannot be written, the next load recompiles, and a
            // failing store surfaces where it matters, in the block's own write.
            let key = self.artifact_key(&contract.code_hash);
            let _ = artifact::store(store, &key, &artifact, &contract.entry_points);
        }
        let mut cache = self.cache();
        cache.stats.compiles += 1;
        cache.insert(contract.clone());
        Ok(contract)
    }

    /// The compiled module of `code_hash`: from memory, else from its persisted artifact, else
    /// compiled from the code in `world`. `Ok(Err(_))` if the stored code no longer deploys.
    fn load(
        &self,
        code_hash: &Hash,
        world: &World,
    ) -> Result<Result<CompiledContract, DeployError>, VmFault> {
        if let Some(contract) = self.cache().get(code_hash) {
            return Ok(Ok(contract));
        }
        if let Some(store) = &self.artifacts {
            match artifact::load(store, &self.engine, &self.artifact_key(code_hash))? {
                Loaded::Module(module, entry_points, artifact_size) => {
                    let contract = CompiledContract {
                        module,
                        entry_points: entry_points.into(),
                        code_hash: *code_hash,
                        artifact_size,
                    };
                    let mut cache = self.cache();
                    cache.stats.artifact_loads += 1;
                    cache.insert(contract.clone());
                    return Ok(Ok(contract));
                }
                Loaded::Rejected => self.cache().stats.artifacts_rejected += 1,
                Loaded::Missing => {}
            }
        }
        let code = world.code(code_hash)?.ok_or(VmFault::MissingCode(*code_hash))?;
        Ok(self.compile(&code))
    }
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
        Err(error) => (detached(), Err(VmFault::Store(error.to_string()))),
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
            classify(&shared.schedule, error, gas_left, stack_height)?
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
) -> Result<Ending, VmFault> {
    let function = error
        .trace()
        .first()
        .and_then(|frame| frame.function_name())
        .map(str::to_string);
    let error = match error.downcast::<HostError>() {
        Ok(HostError::Fault(fault)) => return Err(VmFault::Store(fault)),
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
