//! Why a module may not be deployed.

use std::fmt;

use thiserror::Error;

/// A function of the module, by index and (from the name section, when present) by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionRef {
    /// Index in the function index space (imports first).
    pub index: u32,
    /// Name from the `name` custom section.
    pub name: Option<String>,
}

impl fmt::Display for FunctionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "function {} `{}`", self.index, name),
            None => write!(f, "function {}", self.index),
        }
    }
}

/// Where in the module a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Byte offset in the module.
    pub offset: u64,
    /// The function, for problems inside a function body.
    pub function: Option<FunctionRef>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.function {
            Some(function) => write!(f, "in {function} at byte offset {}", self.offset),
            None => write!(f, "at byte offset {}", self.offset),
        }
    }
}

/// A wasm feature (proposal) outside Weft's feature policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// f32/f64 types and instructions.
    Floats,
    /// 128-bit SIMD, relaxed SIMD included.
    Simd,
    /// Atomics and shared memory.
    Threads,
    /// `return_call` and friends.
    TailCalls,
    /// Exception handling.
    Exceptions,
    /// Reference types beyond the `call_indirect` encoding (ref.func, table.get, multiple tables, ...).
    ReferenceTypes,
    /// 64-bit memories.
    Memory64,
    /// More than one memory.
    MultiMemory,
    /// Garbage-collected types and typed function references.
    Gc,
    /// Extended constant expressions.
    ExtendedConst,
    /// Wide arithmetic (128-bit add/mul).
    WideArithmetic,
}

impl Feature {
    /// What a contract author should change.
    pub fn hint(self) -> &'static str {
        match self {
            Feature::Floats => {
                "floating point is not deterministic enough for consensus: use integers or fixed-point \
                 arithmetic (e.g. a u128 with a decimal scale)"
            }
            Feature::Simd => "build without `-C target-feature=+simd128`",
            Feature::Threads => {
                "build without `+atomics`/`+bulk-memory` shared memory; contracts are single-threaded"
            }
            Feature::TailCalls => "build without `-C target-feature=+tail-call`",
            Feature::Exceptions => "build with `panic = \"abort\"` and without `+exception-handling`",
            Feature::ReferenceTypes => {
                "only the reference-types encoding of `call_indirect` is accepted: do not use \
                 externref/funcref values or table instructions"
            }
            Feature::Memory64 => "build for wasm32-unknown-unknown, not wasm64",
            Feature::MultiMemory => "use a single linear memory",
            Feature::Gc => "build without GC / typed function references",
            Feature::ExtendedConst => "build without `+extended-const`",
            Feature::WideArithmetic => "build without `+wide-arithmetic`",
        }
    }
}

impl fmt::Display for Feature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Feature::Floats => "floating point",
            Feature::Simd => "SIMD",
            Feature::Threads => "threads (atomics, shared memory)",
            Feature::TailCalls => "tail calls",
            Feature::Exceptions => "exception handling",
            Feature::ReferenceTypes => "reference types",
            Feature::Memory64 => "memory64",
            Feature::MultiMemory => "multiple memories",
            Feature::Gc => "GC / function references",
            Feature::ExtendedConst => "extended constant expressions",
            Feature::WideArithmetic => "wide arithmetic",
        };
        f.write_str(name)
    }
}

/// Why [`crate::prepare`] refused a module. Every variant says where and, where it can, what to change.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PrepareError {
    /// The bytes do not begin as a wasm module does ([`crate::WASM_MAGIC`]).
    #[error(
        "not a wasm module: it does not begin with \\0asm (WAT text is not accepted: compile it with wat2wasm)"
    )]
    NotWasm,
    /// Not a valid wasm module (truncated, garbage, type errors).
    #[error("invalid wasm {location}: {message}")]
    Invalid {
        /// Where.
        location: Location,
        /// The validator's explanation.
        message: String,
    },
    /// A wasm feature outside the policy.
    #[error("{feature} is not allowed {location}: {message}; {}", feature.hint())]
    FeatureNotAllowed {
        /// The feature.
        feature: Feature,
        /// Where it was first used.
        location: Location,
        /// The validator's explanation.
        message: String,
    },
    /// A limit of the schedule was exceeded.
    #[error("{what} is {actual}, over the limit of {limit}{}", at.as_ref().map(|l| format!(" ({l})")).unwrap_or_default())]
    LimitExceeded {
        /// What was counted.
        what: &'static str,
        /// The module's figure.
        actual: u64,
        /// The limit.
        limit: u64,
        /// Where, when it is about one place.
        at: Option<Location>,
    },
    /// An import that the host does not provide (or not with that signature), or of a kind other
    /// than a function.
    #[error("import `{module}`.`{name}` is not allowed: {reason}")]
    Import {
        /// Module name of the import.
        module: String,
        /// Field name of the import.
        name: String,
        /// Why.
        reason: String,
    },
    /// A bad export (reserved name, missing memory).
    #[error("export `{name}`: {reason}")]
    Export {
        /// The export name.
        name: String,
        /// Why.
        reason: String,
    },
    /// The module has a start function.
    #[error("start functions are not allowed (they would run before gas is set): use a `deploy` export")]
    StartFunction,
    /// Re-encoding the instrumented module failed (a bug: validated input must re-encode).
    #[error("cannot encode the instrumented module: {0}")]
    Encode(String),
}
