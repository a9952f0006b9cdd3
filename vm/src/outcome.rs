//! [`Outcome`]: what one call did, every field deterministic.

use weft_primitives::{Event, ExecStatus, Gas, Trace, TrapDetail, TrapKind};

/// What one call did. Every field is deterministic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// How it ended: success, revert, out of gas, or a trap (with its kind, the wasm function's
    /// name when the name section has it, and a message).
    pub status: ExecStatus,
    /// `return_data` on success, the revert data on revert, empty otherwise.
    pub return_data: Vec<u8>,
    /// Gas charged, at most the limit (all of it when out of gas).
    pub gas_used: Gas,
    /// Events of this call and its successful nested calls; empty unless it succeeded.
    pub events: Vec<Event>,
    /// What it wrote for people: the trap's function and message, `debug_log` lines (nested
    /// calls' included). Not consensus data.
    pub trace: Trace,
}

impl Outcome {
    /// Whether the call succeeded (and its state changes stay).
    pub fn is_success(&self) -> bool {
        self.status == ExecStatus::Success
    }

    /// A call that could not start (no contract, no such entry point, short balance): a trap of
    /// kind [`TrapKind::HostError`], no gas used.
    pub(crate) fn refused(message: String) -> Self {
        Self {
            status: ExecStatus::Trap {
                kind: TrapKind::HostError,
            },
            return_data: Vec::new(),
            gas_used: 0,
            events: Vec::new(),
            trace: Trace {
                trap: Some(TrapDetail {
                    function: None,
                    message,
                }),
                logs: Vec::new(),
                calls: None,
            },
        }
    }

    /// A success that ran no code.
    pub(crate) fn success() -> Self {
        Self {
            status: ExecStatus::Success,
            return_data: Vec::new(),
            gas_used: 0,
            events: Vec::new(),
            trace: Trace::default(),
        }
    }

    /// Out of gas before any code ran: the whole limit is used.
    pub(crate) fn out_of_gas(gas_limit: Gas) -> Self {
        Self {
            status: ExecStatus::OutOfGas,
            gas_used: gas_limit,
            ..Self::success()
        }
    }
}
