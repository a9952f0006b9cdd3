//! The in-memory module cache: compiled contracts by code hash, least recently used first out,
//! bounded by a count and by their bytes (compiled artifacts when persisted, else instrumented wasm).

use std::num::NonZeroUsize;

use lru::LruCache;
use weft_primitives::Hash;

use crate::compiled::CompiledContract;

/// Bounds of the in-memory module cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheConfig {
    /// The most compiled modules kept.
    pub max_modules: usize,
    /// The most bytes kept, counted as [`crate::CompiledContract::cache_bytes`] does.
    pub max_bytes: usize,
}

impl Default for CacheConfig {
    /// 1,024 modules or 256 MiB of compiled code, whichever is reached first.
    fn default() -> Self {
        Self {
            max_modules: 1_024,
            max_bytes: 256 << 20,
        }
    }
}

/// What the module cache has done since the VM started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Loads served from memory.
    pub hits: u64,
    /// Loads not in memory.
    pub misses: u64,
    /// Misses served by a persisted artifact.
    pub artifact_loads: u64,
    /// Persisted artifacts that failed their integrity check or did not load, and were recompiled.
    pub artifacts_rejected: u64,
    /// Singlepass compilations (deploys and misses with no usable artifact).
    pub compiles: u64,
    /// Modules evicted to stay within the bounds.
    pub evictions: u64,
}

/// The LRU itself (callers hold it behind a mutex).
pub(crate) struct ModuleCache {
    modules: LruCache<Hash, CompiledContract>,
    bytes: usize,
    config: CacheConfig,
    pub(crate) stats: CacheStats,
}

impl ModuleCache {
    pub(crate) fn new(config: CacheConfig) -> Self {
        let count = NonZeroUsize::new(config.max_modules).unwrap_or(NonZeroUsize::MIN);
        Self {
            modules: LruCache::new(count),
            bytes: 0,
            config,
            stats: CacheStats::default(),
        }
    }

    /// The module of `code_hash`, counting a hit or a miss.
    pub(crate) fn get(&mut self, code_hash: &Hash) -> Option<CompiledContract> {
        match self.modules.get(code_hash) {
            Some(contract) => {
                self.stats.hits += 1;
                Some(contract.clone())
            }
            None => {
                self.stats.misses += 1;
                None
            }
        }
    }

    /// Keeps `contract`, evicting the least recently used modules to stay within the bounds. A
    /// module larger than the whole byte bound is not kept.
    pub(crate) fn insert(&mut self, contract: CompiledContract) {
        let size = contract.cache_bytes();
        if size > self.config.max_bytes {
            return;
        }
        if let Some(old) = self.modules.pop(&contract.code_hash()) {
            self.bytes -= old.cache_bytes();
        }
        while self.bytes + size > self.config.max_bytes || self.modules.len() >= self.modules.cap().get() {
            let Some((_, evicted)) = self.modules.pop_lru() else {
                break;
            };
            self.bytes -= evicted.cache_bytes();
            self.stats.evictions += 1;
        }
        self.bytes += size;
        self.modules.put(contract.code_hash(), contract);
    }

    /// Modules and bytes held.
    pub(crate) fn usage(&self) -> (usize, usize) {
        (self.modules.len(), self.bytes)
    }
}
