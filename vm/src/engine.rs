//! [`Vm`]: compile, deploy and call — the engine's public face over [`Shared`] and the frames.

use std::sync::{Arc, Mutex};

use wasmer::Engine;
use weft_gas::GasSchedule;
use weft_host::{BlockContext, CallRequest, DeployRequest, Frame, World};
use weft_primitives::{FrameKind, Gas, Hash, keccak256};
use weft_state::SharedStore;

use crate::artifact;
use crate::cache::{CacheConfig, CacheStats, ModuleCache};
#[cfg(doc)]
use crate::compiled::CONSTRUCTOR;
use crate::compiled::CompiledContract;
use crate::error::{DeployError, VmFault};
use crate::frame::{detached, run_frame};
use crate::lifecycle::deploy_frame;
use crate::outcome::Outcome;
use crate::shared::Shared;

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

    /// Compiles `wasm` unless the cache holds it, so that a deploy of it finds it compiled: a
    /// node calls this as a deploy enters its pool, outside its lock. The error is the one the
    /// deploy would trap with.
    pub fn precompile(&self, wasm: &[u8]) -> Result<(), DeployError> {
        self.shared.compiled(wasm).map(drop)
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
        let (back, run) = run_frame(&self.shared, taken, block, request, FrameKind::Call);
        *world = back;
        Ok(run?.into_outcome())
    }

    /// Stores `code` under its hash for later deploys: charges the per-byte deploy cost, then
    /// validates, instruments and compiles it (the cache keeps the module). Succeeds with the
    /// 32-byte code hash as return data, also when the code was stored already; invalid code is
    /// a [`TrapKind::HostError`] trap. `Err` only for node faults.
    pub fn upload(&self, world: &mut World, code: &[u8], gas_limit: Gas) -> Result<Outcome, VmFault> {
        let deploy_cost = self.deploy_cost(code);
        if deploy_cost > gas_limit {
            return Ok(Outcome::out_of_gas(gas_limit));
        }
        if let Err(error) = self.shared.compiled(code) {
            return Ok(Outcome {
                gas_used: deploy_cost,
                ..Outcome::refused(format!("invalid contract code: {error}"))
            });
        }
        let code_hash = world.put_code(code);
        Ok(Outcome {
            return_data: code_hash.0.to_vec(),
            gas_used: deploy_cost,
            ..Outcome::success()
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
        let checkpoint = world.checkpoint();
        let uploaded = self.upload(world, code, gas_limit)?;
        if !uploaded.is_success() {
            return Ok(uploaded);
        }
        let request = DeployRequest {
            frame,
            code_hash: keccak256(code),
            input,
            gas_limit,
        };
        let outcome = self.create(world, block, request, uploaded.gas_used)?;
        if !outcome.is_success() {
            world.revert_to(checkpoint);
        }
        Ok(outcome)
    }

    /// Deploys the stored code `code_hash` at `frame.contract`, as [`Vm::instantiate`] does
    /// without storing code: charges the schedule's `create` cost, and is a
    /// [`TrapKind::HostError`] trap if no such code is stored or the address holds a contract.
    pub fn instantiate_stored(
        &self,
        world: &mut World,
        block: BlockContext,
        frame: Frame,
        code_hash: Hash,
        input: Vec<u8>,
        gas_limit: Gas,
    ) -> Result<Outcome, VmFault> {
        let create_cost = self.shared.schedule.dynamic.create;
        if create_cost > gas_limit {
            return Ok(Outcome::out_of_gas(gas_limit));
        }
        let request = DeployRequest {
            frame,
            code_hash,
            input,
            gas_limit,
        };
        self.create(world, block, request, create_cost)
    }

    /// The per-byte cost of storing `code`.
    fn deploy_cost(&self, code: &[u8]) -> Gas {
        let per_byte = self.shared.schedule.dynamic.deploy_byte;
        per_byte.saturating_mul(code.len() as u64)
    }

    /// The deploy frame of `request`, as a transaction's outcome, `paid` of its gas limit
    /// already charged (the code's bytes, or the create cost) and counted in its gas used.
    fn create(
        &self,
        world: &mut World,
        block: BlockContext,
        mut request: DeployRequest,
        paid: Gas,
    ) -> Result<Outcome, VmFault> {
        let gas_limit = request.gas_limit;
        request.gas_limit = gas_limit.saturating_sub(paid);
        let taken = std::mem::replace(world, detached());
        let (back, run) = deploy_frame(&self.shared, taken, block, request, FrameKind::Deploy);
        *world = back;
        let mut outcome = run?.into_outcome();
        outcome.gas_used = outcome.gas_used.saturating_add(paid).min(gas_limit);
        Ok(outcome)
    }
}
