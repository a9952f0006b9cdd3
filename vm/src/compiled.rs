//! [`CompiledContract`]: what the module cache holds and a frame instantiates.

use std::sync::Arc;

use wasmer::Module;
use weft_primitives::Hash;

/// The name of the optional constructor export, run once at deploy and never callable after.
pub const CONSTRUCTOR: &str = "deploy";

/// The name of the optional migration export, run only by an `upgrade` to this code.
pub const MIGRATE: &str = "migrate";

/// A validated, instrumented and compiled contract, ready to instantiate. Cheap to clone.
#[derive(Clone)]
pub struct CompiledContract {
    pub(crate) module: Module,
    pub(crate) entry_points: Arc<[String]>,
    pub(crate) code_hash: Hash,
    pub(crate) cache_bytes: usize,
}

impl std::fmt::Debug for CompiledContract {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledContract")
            .field("code_hash", &self.code_hash)
            .field("entry_points", &self.entry_points)
            .field("cache_bytes", &self.cache_bytes)
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

    /// The bytes it counts for in the module cache: its compiled artifact's when the VM
    /// persists artifacts (the artifact is made only then), else its instrumented wasm's.
    pub fn cache_bytes(&self) -> usize {
        self.cache_bytes
    }

    pub(crate) fn has_entry(&self, entry: &str) -> bool {
        self.entry_points.iter().any(|e| e == entry)
    }
}
