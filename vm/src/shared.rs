//! [`Shared`]: what every frame and nested call of a VM shares — the engine, the schedule, the
//! module cache and the artifact store — and compiling and loading modules through them.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Mutex, MutexGuard, PoisonError};

use wasmer::{Engine, Module};
use weft_gas::{GasSchedule, prepare};
use weft_host::{HOST_FUNCTIONS, World};
use weft_primitives::{Hash, keccak256};
use weft_state::SharedStore;

use crate::artifact::{self, Loaded};
use crate::cache::ModuleCache;
use crate::compiled::CompiledContract;
use crate::error::{DeployError, VmFault};

/// What every frame and every nested call of a VM shares.
pub(crate) struct Shared {
    pub(crate) engine: Engine,
    pub(crate) schedule: GasSchedule,
    pub(crate) schedule_hash: Hash,
    pub(crate) engine_id: String,
    pub(crate) cache: Mutex<ModuleCache>,
    pub(crate) artifacts: Option<SharedStore>,
}

impl Shared {
    #[cfg(test)]
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    pub(crate) fn cache(&self) -> MutexGuard<'_, ModuleCache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn artifact_key(&self, code_hash: &Hash) -> Hash {
        artifact::artifact_key(code_hash, &self.schedule_hash, &self.engine_id)
    }

    pub(crate) fn compile(&self, wasm: &[u8]) -> Result<CompiledContract, DeployError> {
        let prepared = prepare(wasm, &self.schedule, HOST_FUNCTIONS)?;
        // The artifact is serialized only to be persisted: without a store, the cache counts the
        // instrumented wasm's bytes instead.
        let persist = self.artifacts.is_some();
        let compiled = catch_unwind(AssertUnwindSafe(|| {
            let module = Module::new(&self.engine, &prepared.code).map_err(|e| e.to_string())?;
            let artifact = if persist {
                Some(module.serialize().map_err(|e| e.to_string())?)
            } else {
                None
            };
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
            cache_bytes: artifact.as_ref().map_or(prepared.code.len(), |a| a.len()),
        };
        if let (Some(store), Some(artifact)) = (&self.artifacts, &artifact) {
            // The artifact is a cache: if it cannot be written, the next load recompiles, and a
            // failing store surfaces where it matters, in the block's own write.
            let key = self.artifact_key(&contract.code_hash);
            let _ = artifact::store(store, &key, artifact, &contract.entry_points);
        }
        let mut cache = self.cache();
        cache.stats.compiles += 1;
        cache.insert(contract.clone());
        Ok(contract)
    }

    /// The compiled module of `wasm`: the cache's, or compiled now.
    pub(crate) fn compiled(&self, wasm: &[u8]) -> Result<CompiledContract, DeployError> {
        let cached = self.cache().get(&keccak256(wasm));
        cached.map_or_else(|| self.compile(wasm), Ok)
    }

    /// The compiled module of `code_hash`: from memory, else from its persisted artifact, else
    /// compiled from the code in `world`. `Ok(Err(_))` if the stored code no longer deploys.
    pub(crate) fn load(
        &self,
        code_hash: &Hash,
        world: &World,
    ) -> Result<Result<CompiledContract, DeployError>, VmFault> {
        if let Some(contract) = self.cache().get(code_hash) {
            return Ok(Ok(contract));
        }
        if let Some(store) = &self.artifacts {
            match artifact::load(store, &self.engine, &self.artifact_key(code_hash))? {
                Loaded::Module(module, entry_points, cache_bytes) => {
                    let contract = CompiledContract {
                        module,
                        entry_points: entry_points.into(),
                        code_hash: *code_hash,
                        cache_bytes,
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
