//! Deploy-time checks and rewriting of contract wasm. Engine-agnostic: wasmparser and
//! wasm-encoder only, no Wasmer.
//!
//! [`prepare`] takes the bytes a user deploys and either refuses them with a [`PrepareError`]
//! that names the problem, where it is and what to change, or returns a [`PreparedModule`] whose
//! code is metered and stack-limited, identically on every machine (same bytes in, same bytes out).
//!
//! # Feature policy
//!
//! Accepted: the MVP (integers only), mutable globals, sign-extension operators, bulk memory
//! (`memory.copy`/`fill`/`init`, `data.drop`, charged per byte), multi-value, and the
//! reference-types *encoding* of `call_indirect` that stable Rust emits. Rejected, with a
//! [`Feature`]: floats, SIMD, threads, tail calls, exceptions, other reference-type instructions,
//! memory64, multiple memories, GC, extended-const, wide arithmetic. Floats are rejected rather than
//! NaN-canonicalized: a contract that never sees a float can never observe a non-canonical NaN,
//! whatever the engine does, and integer or fixed-point arithmetic serves contracts well.
//! A module may import only functions of module `env` that the host lists (with the same
//! signature), must export its memory as `memory`, and may not have a start function. A memory
//! without a maximum (or with a larger one) gets [`Limits::max_memory_pages`] as its maximum.
//!
//! # Gas
//!
//! The code of each function is cut into straight-line segments. A segment ends after every
//! `loop`, `if`, `else`, `end`, `br`, `br_if`, `br_table`, `return` and `unreachable` (a `block` is
//! entered unconditionally and does not end one). Each segment is charged, at its start, the sum of
//! its operators' costs ([`OpCosts`]), by subtracting from the exported mutable `i64` global
//! [`GAS_GLOBAL`]. The counter is *checked* — `unreachable` if it is negative — only at the two
//! kinds of points every unbounded execution keeps passing: the first segment of each function
//! and the first segment of each loop body (checked even when they cost nothing), except a loop
//! body whose first segment calls a function of the module: that callee's entry check runs on
//! every iteration. Between check points execution is straight-line or forward branches within
//! one function, so it overruns by a bounded amount and stops at the next check point, the same
//! one on every machine; this keeps a compare-and-branch out of most segments.
//!
//! A function that cannot leave early (no `return`, no branch to its own label) runs every
//! segment at the top level of its body on every call that returns; those segments are charged
//! with the first one, at entry. That entry cost is in turn paid by the caller: a segment that
//! calls a function of the module is charged the callee's entry cost with its own, and the callee's
//! entry only checks the counter (a read, no store). A function entered otherwise — exported, or
//! placed in a table by an element segment — is entered through a generated *entry wrapper*
//! (exports and element segments name the wrapper) that charges the entry cost and calls it; the
//! wrapper's own operators are free. Each update of the counter is a load and a store the next
//! update waits for, so on call-heavy code fewer updates per call is what makes metering cheap
//! (on a recursive fib: 2.6× raw singlepass with a charge per segment, 2.05× with the top-level
//! merge, lower again with entries paid by callers; see `benches/RESULTS.md`).
//!
//! Because control can only enter or leave a segment at its ends, the gas a call that returns
//! uses is exactly the sum of the costs of the operators it executed, whichever way each function
//! was entered; a trap has paid for its whole segment, for the top-level code of the functions it
//! was in and for the entry of a function its segment was about to call. Loops pay per
//! iteration. `memory.grow` is charged per page requested, bulk memory operations per byte and
//! table copies per element, from the operand on the stack, just before the operation.
//!
//! The host sets [`GAS_GLOBAL`] before a call and reads it after; it charges host functions from
//! the same global (and checks it). A call that traps *or returns* with the global negative is
//! *out of gas*.
//!
//! # Stack height
//!
//! Each defined function gets a static stack cost: its locals (parameters included) plus the
//! greatest operand-stack height the validator sees in its body plus [`FRAME_OVERHEAD`]. A function
//! that calls functions of the module reads the exported mutable `i32` global [`STACK_GLOBAL`]
//! once, on entry (its *base*: the height its callers have used); before each such call it sets the
//! global to its base plus the callee's cost and traps if that exceeds
//! [`Limits::max_stack_height`]. Nothing is undone after a call — the next call starts again from
//! the base — so a call costs one store of the counter, not a load and store on each side. An
//! indirect call is charged the largest cost of any function a table may hold plus
//! that of its entry wrapper (its parameters, at least two operands, and the frame overhead). So
//! deep recursion traps at the same depth on every machine, and the VM bounds the native stack
//! from the same limit. A trap with the global over the limit is a *stack overflow*. The frames of
//! the called export and of its wrapper are not counted: the VM calls every export of a fresh
//! instance, where the global starts at zero.

mod error;
mod instrument;
mod module;
mod prepare;
mod schedule;
#[cfg(feature = "smith")]
mod smith;
mod validate;

pub use error::{Feature, FunctionRef, Location, PrepareError};
pub use module::{FRAME_OVERHEAD, GAS_GLOBAL, STACK_GLOBAL};
pub use prepare::{AbiType, HostFunction, PreparedModule, WASM_MAGIC, prepare};
pub use schedule::{DynamicCosts, GasSchedule, Limits, OpCosts, RuntimeLimits, SCHEDULE_VERSION};
#[cfg(feature = "smith")]
pub use smith::smith_config;
