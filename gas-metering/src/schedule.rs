//! [`GasSchedule`]: every cost and limit Weft charges and enforces, versioned and hashed.

use parity_scale_codec::Encode;
use serde::{Deserialize, Serialize};
use weft_primitives::{Hash, keccak256};

/// Costs of wasm operators by category, in gas per executed operator.
///
/// Floats are rejected by the feature policy, so there is no float category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode)]
#[non_exhaustive]
pub struct OpCosts {
    /// Constants, locals, `drop`, `select`, integer add/sub/logic/shift/compare/extend/wrap.
    pub simple: u64,
    /// `global.get` / `global.set`.
    pub global: u64,
    /// Integer multiplication.
    pub mul: u64,
    /// Integer division and remainder.
    pub div: u64,
    /// Memory loads.
    pub load: u64,
    /// Memory stores.
    pub store: u64,
    /// `block`, `loop`, `if`, `else`, `end`, `nop`: structure, compiled to few or no machine instructions.
    pub structure: u64,
    /// `br`, `br_if`, `br_table`, `return`, `unreachable`.
    pub branch: u64,
    /// A direct call.
    pub call: u64,
    /// An indirect call (table bounds and signature checks).
    pub call_indirect: u64,
    /// `memory.size`.
    pub memory_size: u64,
    /// `memory.grow`, before its per-page charge.
    pub memory_grow: u64,
    /// `memory.copy`, `memory.fill`, `memory.init`, `data.drop` and table operations, before their
    /// per-byte / per-element charge.
    pub bulk: u64,
}

/// Dynamic costs charged by instrumentation or by the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode)]
#[non_exhaustive]
pub struct DynamicCosts {
    /// Per 64 KiB page requested by `memory.grow` (charged even if the grow fails).
    pub memory_grow_page: u64,
    /// Per byte of `memory.copy` / `memory.fill` / `memory.init`.
    pub bulk_memory_byte: u64,
    /// Per element of `table.copy` / `table.init`.
    pub bulk_table_element: u64,
    /// Base cost of every host-function call.
    pub host_call: u64,
    /// Per byte passed to or returned from a host function.
    pub host_byte: u64,
    /// Base cost of a storage read.
    pub storage_read: u64,
    /// Per byte of key and value read from storage.
    pub storage_read_byte: u64,
    /// Base cost of a storage write or removal.
    pub storage_write: u64,
    /// Per byte of key and value written to storage.
    pub storage_write_byte: u64,
    /// Reading a balance (`balance`, `balance_of`).
    pub balance: u64,
    /// A value transfer (`transfer`, and the value of a cross-contract call).
    pub transfer: u64,
    /// Base cost of emitting an event.
    pub event: u64,
    /// Per byte of an event's topics and data.
    pub event_byte: u64,
    /// Base cost of `keccak256`.
    pub keccak256: u64,
    /// Per byte hashed by `keccak256`.
    pub keccak256_byte: u64,
    /// Base cost of `sha256`.
    pub sha256: u64,
    /// Per byte hashed by `sha256`.
    pub sha256_byte: u64,
    /// Base cost of `ed25519_verify`.
    pub ed25519_verify: u64,
    /// Per byte of the message verified by `ed25519_verify`.
    pub ed25519_verify_byte: u64,
    /// `secp256k1_recover`.
    pub secp256k1_recover: u64,
    /// Base cost of a cross-contract call (module load and instantiation), before the callee's gas.
    pub call: u64,
    /// Per byte of deployed or uploaded code (validation, instrumentation, compilation, storage).
    pub deploy_byte: u64,
    /// Base cost of creating a contract from stored code (`create`, an instantiate
    /// transaction): the account write and the module load, before the constructor's gas.
    pub create: u64,
    /// Base cost of `upgrade`: the account write and the module load, before `migrate`'s gas.
    pub upgrade: u64,
    /// Base cost of every transaction.
    pub tx_base: u64,
    /// Per byte of an encoded transaction.
    pub tx_byte: u64,
}

/// Limits on a contract module, checked at deploy. They bound memory, the time singlepass spends
/// compiling (every limit is linear in the module's size or smaller), and the native stack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode)]
#[non_exhaustive]
pub struct Limits {
    /// Bytes of the module as deployed.
    pub max_code_size: u32,
    /// Functions defined by the module.
    pub max_functions: u32,
    /// Entries in the type section.
    pub max_types: u32,
    /// Parameters of one function type.
    pub max_params: u32,
    /// Parameters summed over all types.
    pub max_total_params: u32,
    /// Results of one function type.
    pub max_results: u32,
    /// Locals of one function, parameters included.
    pub max_locals: u32,
    /// Bytes of one function body.
    pub max_function_body_size: u32,
    /// Nesting depth of blocks in one function.
    pub max_control_depth: u32,
    /// Targets of one `br_table`.
    pub max_br_table_targets: u32,
    /// Globals defined by the module.
    pub max_globals: u32,
    /// Initial and maximum elements of the table.
    pub max_table_elements: u32,
    /// Initial and maximum pages (64 KiB) of linear memory.
    pub max_memory_pages: u32,
    /// Data segments.
    pub max_data_segments: u32,
    /// Element segments.
    pub max_element_segments: u32,
    /// Imported functions.
    pub max_imports: u32,
    /// Exports.
    pub max_exports: u32,
    /// Bytes of an export name.
    pub max_export_name_len: u32,
    /// Deterministic stack budget, in value slots (see the crate doc's stack-height section).
    pub max_stack_height: u32,
}

/// Everything Weft charges and enforces. Its [`hash`](GasSchedule::hash) is part of the compiled
/// artifact cache key, so a schedule change recompiles every contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode)]
#[non_exhaustive]
pub struct GasSchedule {
    /// Bumped whenever the meaning of a field or the instrumentation changes.
    pub version: u32,
    /// Per-operator costs.
    pub ops: OpCosts,
    /// Dynamic and host-side costs.
    pub dynamic: DynamicCosts,
    /// Module limits.
    pub limits: Limits,
    /// Limits enforced by the host while a contract runs.
    pub runtime: RuntimeLimits,
}

/// Limits the host enforces at run time; exceeding one is a deterministic trap (or, for the call
/// depth, a refused call).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode)]
#[non_exhaustive]
pub struct RuntimeLimits {
    /// Bytes of a storage key.
    pub max_storage_key_bytes: u32,
    /// Bytes of a storage value.
    pub max_storage_value_bytes: u32,
    /// Bytes of an event's data.
    pub max_event_data_bytes: u32,
    /// Frames on the cross-contract call stack, the outermost call included.
    pub max_call_depth: u32,
    /// Registers one call frame may hold at once.
    pub max_registers: u32,
    /// Bytes all the registers of one call frame may hold together.
    pub max_register_total_bytes: u32,
    /// `debug_log` lines of one call, the lines of its nested calls included.
    pub max_log_lines: u32,
    /// Bytes of those lines together.
    pub max_log_bytes: u32,
    /// Events of one call, the events of its nested calls included.
    pub max_events: u32,
    /// Bytes of those events' topics and data together.
    pub max_event_total_bytes: u32,
}

/// Version of [`GasSchedule::default`] and of the instrumentation it drives (v7: the costs of
/// `create` and `upgrade`, the contract-lifecycle host functions).
pub const SCHEDULE_VERSION: u32 = 7;

impl Default for GasSchedule {
    /// The schedule Weft ships. One simple operator costs 4 gas, so that per-byte costs of bulk
    /// operations (about a quarter of an operator per byte) stay whole numbers.
    fn default() -> Self {
        Self {
            version: SCHEDULE_VERSION,
            ops: OpCosts {
                simple: 4,
                global: 4,
                mul: 6,
                div: 24,
                load: 6,
                store: 6,
                structure: 0,
                branch: 6,
                call: 40,
                call_indirect: 60,
                memory_size: 8,
                memory_grow: 400,
                bulk: 40,
            },
            dynamic: DynamicCosts {
                memory_grow_page: 16_384,
                bulk_memory_byte: 1,
                bulk_table_element: 8,
                host_call: 200,
                host_byte: 1,
                storage_read: 2_000,
                storage_read_byte: 4,
                storage_write: 10_000,
                storage_write_byte: 40,
                balance: 1_000,
                transfer: 5_000,
                event: 2_000,
                event_byte: 8,
                keccak256: 1_000,
                keccak256_byte: 10,
                sha256: 1_000,
                sha256_byte: 12,
                ed25519_verify: 200_000,
                ed25519_verify_byte: 10,
                secp256k1_recover: 400_000,
                call: 20_000,
                deploy_byte: 200,
                create: 30_000,
                upgrade: 30_000,
                tx_base: 50_000,
                tx_byte: 40,
            },
            limits: Limits {
                max_code_size: 2 * 1024 * 1024,
                max_functions: 10_000,
                max_types: 1_000,
                max_params: 64,
                max_total_params: 10_000,
                max_results: 8,
                max_locals: 4_096,
                max_function_body_size: 256 * 1024,
                max_control_depth: 1_024,
                max_br_table_targets: 4_096,
                max_globals: 256,
                max_table_elements: 10_000,
                max_memory_pages: 512,
                max_data_segments: 1_024,
                max_element_segments: 256,
                max_imports: 256,
                max_exports: 1_024,
                max_export_name_len: 256,
                max_stack_height: 32_768,
            },
            runtime: RuntimeLimits {
                max_storage_key_bytes: 1_024,
                max_storage_value_bytes: 64 * 1024,
                max_event_data_bytes: 16 * 1024,
                max_call_depth: 8,
                max_registers: 64,
                max_register_total_bytes: 8 << 20,
                max_log_lines: 128,
                max_log_bytes: 16 * 1024,
                max_events: 1_024,
                max_event_total_bytes: 1 << 20,
            },
        }
    }
}

impl GasSchedule {
    /// `keccak256` of the schedule's SCALE encoding: stable across builds and platforms.
    pub fn hash(&self) -> Hash {
        keccak256(&self.encode())
    }
}
