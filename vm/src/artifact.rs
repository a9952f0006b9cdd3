//! Compiled artifacts persisted in [`Column::Artifacts`], so that a restarted node does not
//! recompile.
//!
//! Key: `keccak256(code hash ‖ schedule hash ‖ engine id)`, so a new gas schedule, a new Wasmer or
//! another CPU never meets an artifact compiled for something else. Value: SCALE
//! [`ArtifactRecord`]: the artifact's keccak256, the entry points, and Wasmer's serialized module.
//! A record whose checksum does not match, that does not decode, or that Wasmer refuses, is
//! recompiled and overwritten, never trusted. The checksum guards against corruption on disk; the
//! database itself is the node's own and trusted, as Wasmer's loader requires.

use parity_scale_codec::{Decode, Encode};
use wasmer::{Engine, Module};
use weft_primitives::{Hash, decode_exact, keccak256, keccak256_concat};
use weft_state::{Column, Durability, KvStore, SharedStore, StoreError, WriteBatch};

/// What is stored per artifact.
#[derive(Debug, Encode, Decode)]
struct ArtifactRecord {
    checksum: Hash,
    entry_points: Vec<String>,
    module: Vec<u8>,
}

/// The Wasmer release, pinned with `=` in the workspace's `Cargo.toml`: bump both together.
const WASMER_VERSION: &str = "7.4.2";

/// Identifies the compiler and the machine code it emits: the Wasmer version, the compiler, the
/// target architecture and the host CPU features singlepass may use.
pub(crate) fn engine_id() -> String {
    let features: Vec<String> = wasmer::sys::CpuFeature::for_host()
        .iter()
        .map(|feature| feature.to_string())
        .collect();
    format!(
        "wasmer-{} singlepass {} [{}]",
        WASMER_VERSION,
        std::env::consts::ARCH,
        features.join(",")
    )
}

/// The store key of the artifact of `code_hash` under `schedule_hash` on `engine_id`.
pub(crate) fn artifact_key(code_hash: &Hash, schedule_hash: &Hash, engine_id: &str) -> Hash {
    keccak256_concat(&[
        code_hash.as_bytes(),
        schedule_hash.as_bytes(),
        engine_id.as_bytes(),
    ])
}

/// Persists a compiled module (buffered: an artifact lost in a crash is recompiled).
pub(crate) fn store(
    store: &SharedStore,
    key: &Hash,
    module: &[u8],
    entry_points: &[String],
) -> Result<(), StoreError> {
    let record = ArtifactRecord {
        checksum: keccak256(module),
        entry_points: entry_points.to_vec(),
        module: module.to_vec(),
    };
    let mut batch = WriteBatch::new();
    batch.put(Column::Artifacts, key.as_bytes().to_vec(), record.encode());
    store.write(&batch, Durability::Buffered)
}

/// What loading a persisted artifact found.
pub(crate) enum Loaded {
    /// No artifact under the key.
    Missing,
    /// An artifact that failed its check; it must be recompiled.
    Rejected,
    /// A usable module, its entry points and its artifact size.
    Module(Module, Vec<String>, usize),
}

/// Loads and checks the artifact under `key`.
pub(crate) fn load(store: &SharedStore, engine: &Engine, key: &Hash) -> Result<Loaded, StoreError> {
    let Some(bytes) = store.get(Column::Artifacts, key.as_bytes())? else {
        return Ok(Loaded::Missing);
    };
    let Ok(record) = decode_exact::<ArtifactRecord>("artifact", &bytes) else {
        return Ok(Loaded::Rejected);
    };
    if keccak256(&record.module) != record.checksum {
        return Ok(Loaded::Rejected);
    }
    let size = record.module.len();
    // SAFETY: the bytes are a module serialized by `Module::serialize` of this Wasmer version,
    // compiler and CPU (all part of the key), written by this node to its own database, and they
    // match the checksum stored beside them, so they are what was written.
    #[allow(unsafe_code)]
    let module = unsafe { Module::deserialize(engine, record.module) };
    Ok(match module {
        Ok(module) => Loaded::Module(module, record.entry_points, size),
        Err(_) => Loaded::Rejected,
    })
}
