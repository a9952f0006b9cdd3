//! What a host function runs against: the call's [`HostState`] and the engine's [`HostContext`].

use std::collections::BTreeMap;

use weft_gas::{DynamicCosts, GasSchedule, RuntimeLimits};
use weft_primitives::{Address, Balance, CallTrace, Event, Gas, Hash, TraceStep};
use weft_state::{Overlay, SharedStore};

use crate::error::{HostError, HostFault};

/// The world state a call reads and writes: an [`Overlay`] that owns its store handle, so that it
/// can live in an engine's host environment.
pub type World = Overlay<SharedStore>;

/// The block a call runs in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BlockContext {
    /// Block height.
    pub height: u64,
    /// Block timestamp, in seconds since the Unix epoch.
    pub timestamp: u64,
    /// The chain's id.
    pub chain_id: u64,
}

/// Who runs and on whose behalf: one frame of the cross-contract call stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The contract running.
    pub contract: Address,
    /// The account or contract that called it.
    pub caller: Address,
    /// The account that signed the transaction.
    pub origin: Address,
    /// The value the caller sent with the call (already credited to `contract`).
    pub value: Balance,
    /// The contracts of the frames below this one, outermost first.
    pub callers: Vec<Address>,
}

impl Frame {
    /// The outermost frame of a transaction from `origin` to `contract`.
    pub fn outermost(origin: Address, contract: Address, value: Balance) -> Self {
        Self {
            contract,
            caller: origin,
            origin,
            value,
            callers: Vec::new(),
        }
    }

    /// This frame's depth on the call stack: 1 for the outermost.
    pub fn depth(&self) -> u32 {
        u32::try_from(self.callers.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1)
    }

    /// Whether `contract` is running in this frame or one below it.
    pub fn is_active(&self, contract: &Address) -> bool {
        self.contract == *contract || self.callers.contains(contract)
    }

    /// The frame of a call from this one to `contract` with `value`.
    pub fn callee(&self, contract: Address, value: Balance) -> Self {
        let mut callers = self.callers.clone();
        callers.push(self.contract);
        Self {
            contract,
            caller: self.contract,
            origin: self.origin,
            value,
            callers,
        }
    }
}

/// What one contract call has produced and consumes on the host side.
#[derive(Debug)]
pub struct HostState {
    /// The call's input (SCALE-encoded arguments).
    pub input: Vec<u8>,
    /// Host-side registers, by id.
    pub registers: BTreeMap<u32, Vec<u8>>,
    /// Data set by `return_data` (the last call wins).
    pub return_data: Vec<u8>,
    /// Lines written by `debug_log`, including those of nested calls.
    pub logs: Vec<String>,
    /// Events emitted by this frame and by the nested calls that succeeded.
    pub events: Vec<Event>,
    /// What this frame did, in order, for its trace: its own log lines and events, and the
    /// frames it started.
    pub steps: Vec<TraceStep>,
    /// Dynamic costs, from the gas schedule.
    pub costs: DynamicCosts,
    /// Run-time limits, from the gas schedule.
    pub limits: RuntimeLimits,
    /// Who runs.
    pub frame: Frame,
    /// The block.
    pub block: BlockContext,
    /// The world state; `None` only while a nested call has it.
    world: Option<World>,
}

impl HostState {
    /// State for a call in `frame` with `input`, over `world`, charging `schedule`.
    pub fn new(
        input: Vec<u8>,
        schedule: &GasSchedule,
        frame: Frame,
        block: BlockContext,
        world: World,
    ) -> Self {
        Self {
            input,
            registers: BTreeMap::new(),
            return_data: Vec::new(),
            logs: Vec::new(),
            events: Vec::new(),
            steps: Vec::new(),
            costs: schedule.dynamic.clone(),
            limits: schedule.runtime.clone(),
            frame,
            block,
            world: Some(world),
        }
    }

    /// The world state.
    pub fn world(&mut self) -> Result<&mut World, HostError> {
        self.world.as_mut().ok_or(HostError::Fault(HostFault::WorldLent))
    }

    /// Takes the world state out (for a nested call, or at the end of this one).
    pub fn take_world(&mut self) -> Result<World, HostError> {
        self.world.take().ok_or(HostError::Fault(HostFault::WorldLent))
    }

    /// Puts the world state back after a nested call.
    pub fn restore_world(&mut self, world: World) {
        self.world = Some(world);
    }

    /// Refuses to put `len` bytes into `register` if that is more than a register holds
    /// ([`crate::MAX_REGISTER_BYTES`]) or the frame would then hold more registers or register
    /// bytes than its limits allow. Cheap: callers check before they charge and work.
    pub fn check_register(&self, register: u32, len: usize) -> Result<(), HostError> {
        cap("bytes in one register", len, crate::functions::MAX_REGISTER_BYTES)?;
        let replaced = self.registers.get(&register).map(Vec::len);
        let count = self.registers.len() + usize::from(replaced.is_none());
        cap("registers", count, self.limits.max_registers)?;
        let held: usize = self.registers.values().map(Vec::len).sum();
        cap(
            "bytes in registers",
            held - replaced.unwrap_or(0) + len,
            self.limits.max_register_total_bytes,
        )
    }

    /// Puts `bytes` into `register`, within the limits of [`HostState::check_register`].
    pub fn set_register(&mut self, register: u32, bytes: Vec<u8>) -> Result<(), HostError> {
        self.check_register(register, bytes.len())?;
        self.registers.insert(register, bytes);
        Ok(())
    }

    /// Refuses `lines` more debug-log lines of `bytes` bytes in all if the call would then hold
    /// more than its limits allow.
    pub fn check_logs(&self, lines: usize, bytes: usize) -> Result<(), HostError> {
        cap(
            "debug-log lines",
            self.logs.len() + lines,
            self.limits.max_log_lines,
        )?;
        let held: usize = self.logs.iter().map(String::len).sum();
        cap("debug-log bytes", held + bytes, self.limits.max_log_bytes)
    }

    /// Refuses `count` more events of `bytes` bytes of topics and data if the call would then hold
    /// more than its limits allow.
    pub fn check_events(&self, count: usize, bytes: usize) -> Result<(), HostError> {
        cap("events", self.events.len() + count, self.limits.max_events)?;
        let held: usize = self.events.iter().map(Event::counted_bytes).sum();
        cap("event bytes", held + bytes, self.limits.max_event_total_bytes)
    }

    /// Appends a nested call's `events`, within the limits of [`HostState::check_events`].
    pub fn append_events(&mut self, events: Vec<Event>) -> Result<(), HostError> {
        self.check_events(events.len(), events.iter().map(Event::counted_bytes).sum())?;
        self.events.extend(events);
        Ok(())
    }

    /// Appends `lines` (a nested call's, or one of this call's), within the limits of
    /// [`HostState::check_logs`].
    pub fn append_logs(&mut self, lines: Vec<String>) -> Result<(), HostError> {
        self.check_logs(lines.len(), lines.iter().map(String::len).sum())?;
        self.logs.extend(lines);
        Ok(())
    }
}

/// Refuses `len` over `limit`, naming `what`.
fn cap(what: &'static str, len: usize, limit: u32) -> Result<(), HostError> {
    HostError::check_limit(what, len as u64, u64::from(limit))
}

/// A contract's creation (`create`: the new contract's frame) or upgrade (`upgrade`: the frame
/// of the new code's `migrate`), as the host hands it to the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployRequest {
    /// The frame the constructor or `migrate` runs in.
    pub frame: Frame,
    /// The stored code to deploy.
    pub code_hash: Hash,
    /// The constructor's or `migrate`'s input.
    pub input: Vec<u8>,
    /// The most gas it may use.
    pub gas_limit: Gas,
}

/// A cross-contract call, as the host hands it to the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRequest {
    /// The callee's frame.
    pub frame: Frame,
    /// The entry point.
    pub entry: String,
    /// Its input.
    pub input: Vec<u8>,
    /// The most gas the callee may use.
    pub gas_limit: Gas,
}

/// How a cross-contract call ended, as the caller sees it (the `call` function's result).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStatus {
    /// The callee returned; its return data is in the register.
    Success = 0,
    /// The callee reverted; its revert data is in the register.
    Reverted = 1,
    /// The callee ran out of gas or trapped; the register is empty.
    Failed = 2,
    /// The call did not start: call-depth limit, reentrancy, no contract or entry point at the
    /// address, or not enough balance for the value. The register is empty; no gas was used.
    Refused = 3,
}

/// What the engine reports of a cross-contract call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallResult {
    /// How it ended.
    pub status: CallStatus,
    /// Return data or revert data.
    pub data: Vec<u8>,
    /// Gas the callee used.
    pub gas_used: Gas,
    /// Events of the callee (and its callees), if it succeeded.
    pub events: Vec<Event>,
    /// Its debug log lines.
    pub logs: Vec<String>,
    /// Its frame, for the caller's trace.
    pub trace: CallTrace,
}

/// What a host function needs from the engine: this call's state, the gas counter, guest memory,
/// and a way to run a nested call.
pub trait HostContext {
    /// This call's host state.
    fn state(&mut self) -> &mut HostState;
    /// Subtracts `gas` from the counter; [`HostError::OutOfGas`] if it goes below zero (the counter
    /// then stays negative, so the engine reports out of gas).
    fn charge(&mut self, gas: u64) -> Result<(), HostError>;
    /// The gas counter.
    fn gas_left(&mut self) -> i64;
    /// Copies `len` bytes at `ptr` out of guest memory (bounds and overflow checked).
    fn read(&mut self, ptr: u32, len: u32) -> Result<Vec<u8>, HostError>;
    /// Copies `bytes` into guest memory at `ptr` (bounds and overflow checked).
    fn write(&mut self, ptr: u32, bytes: &[u8]) -> Result<(), HostError>;
    /// Runs a cross-contract call to completion in a fresh instance. The caller's checks (depth,
    /// reentrancy, gas) are done; the engine moves the value, runs the callee and reverts its
    /// frame if it fails. `Err` only for node faults.
    fn call(&mut self, request: CallRequest) -> Result<CallResult, HostError>;
    /// Creates a contract at `request.frame.contract` from stored code: refused (no gas used) if
    /// the address holds a contract, the code is not stored or the caller cannot pay the value;
    /// else sets the account's code, moves the value and runs the constructor if the code has
    /// one, undoing all of it unless it succeeds. `Err` only for node faults.
    fn create(&mut self, request: DeployRequest) -> Result<CallResult, HostError>;
    /// Replaces the code of `request.frame.contract` by stored code: refused if the code is not
    /// stored; else sets it and runs the new code's `migrate` if it has one, undoing the upgrade
    /// unless that succeeds. `Err` only for node faults.
    fn upgrade(&mut self, request: DeployRequest) -> Result<CallResult, HostError>;
}
