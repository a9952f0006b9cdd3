//! The deploy-time pipeline: validation, then instrumentation; and what it takes and gives.

use crate::error::PrepareError;
use crate::instrument;
use crate::schedule::GasSchedule;
use crate::validate::{check, validate};

/// A wasm value type of the host ABI (integers only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbiType {
    /// `i32`
    I32,
    /// `i64`
    I64,
}

/// A host function a contract may import from module `env`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostFunction {
    /// Its name in module `env`.
    pub name: &'static str,
    /// Parameter types.
    pub params: &'static [AbiType],
    /// Result types.
    pub results: &'static [AbiType],
}

/// A module that passed every check, with gas and stack-height instrumentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedModule {
    /// The instrumented module.
    pub code: Vec<u8>,
    /// Exported functions that take no parameters and return nothing: the callable entry points.
    pub entry_points: Vec<String>,
}

/// The first 4 bytes of every wasm module.
pub const WASM_MAGIC: [u8; 4] = *b"\0asm";

/// Validates `wasm` against the feature policy, the limits of `schedule` and the host functions
/// `host` offers, and returns it instrumented for gas and stack height.
pub fn prepare(
    wasm: &[u8],
    schedule: &GasSchedule,
    host: &[HostFunction],
) -> Result<PreparedModule, PrepareError> {
    let limits = &schedule.limits;
    check(limits.max_code_size, wasm.len(), "code size in bytes", None)?;
    if !wasm.starts_with(&WASM_MAGIC) {
        return Err(PrepareError::NotWasm);
    }
    let (sections, entry_points) = validate(wasm, limits, host)?;
    let code = instrument::instrument(&sections, schedule)?;
    Ok(PreparedModule { code, entry_points })
}
