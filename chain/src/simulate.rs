//! Simulation: what a transaction would do and the gas it needs, without a transaction, and the
//! ABI a call is encoded with. The one implementation under `weft_call`, `weft_estimateGas`, the
//! CLI's estimates (through them) and the test kit's dry runs, so that they agree.

use std::time::Instant;

use weft_abi::{Abi, AbiError};
use weft_primitives::{Action, Address, Balance, Gas, SignedTransaction};
use weft_vm::{CallRequest, Frame, Outcome};

use crate::error::ChainError;
use crate::executor::Executor;
use crate::reader::ChainReader;

/// Where a simulated call runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimulateAt {
    /// On the head state, as the next block at `timestamp` (raised to the head's) would run it.
    Next {
        /// The next block's timestamp.
        timestamp: u64,
    },
    /// On the state after this block, with its height and timestamp.
    After(u64),
}

/// A contract call to simulate: what a [`weft_primitives::Action::Call`] from `from` would run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulation {
    /// The caller.
    pub from: Address,
    /// The contract.
    pub to: Address,
    /// The entry point.
    pub method: String,
    /// The SCALE arguments.
    pub input: Vec<u8>,
    /// Value sent with the call.
    pub value: Balance,
    /// Where it runs.
    pub at: SimulateAt,
}

impl Simulation {
    /// The action a transaction making this call carries.
    pub fn action(&self) -> Action {
        Action::Call {
            to: self.to,
            method: self.method.clone(),
            args: self.input.clone(),
        }
    }
}

/// A gas estimate: the smallest gas limit with which a transaction succeeds, or why there is none.
pub type Estimate = Result<Gas, EstimateFailure>;

/// Why a gas estimate gives no limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EstimateFailure {
    /// The call fails whatever its gas: its outcome at the cap.
    Fails(Box<Outcome>),
    /// The deadline passed before the search ended; it stopped after `runs` runs.
    OutOfTime {
        /// The runs done.
        runs: u32,
    },
}

impl Executor {
    /// The intrinsic gas of a transaction carrying `action` (base cost plus encoded bytes; the
    /// size depends on the action alone). [`Executor::intrinsic_gas`] of any such transaction.
    pub fn intrinsic_gas_for(&self, action: &Action) -> Gas {
        self.intrinsic_gas_of_size(SignedTransaction::encoded_size_with(action))
    }
}

impl ChainReader {
    /// The code of the contract at `address` at the head, if there is one.
    pub fn code_of(&self, address: &Address) -> Result<Option<Vec<u8>>, ChainError> {
        let state = self.state();
        Ok(match state.account(address)?.code_hash {
            Some(code_hash) => state.code(&code_hash)?,
            None => None,
        })
    }

    /// The ABI of the contract at `address` at the head: `Ok(None)` without code or without a
    /// `weft_abi` section, `Ok(Err(_))` if its section does not parse.
    pub fn abi_of(&self, address: &Address) -> Result<Result<Option<Abi>, AbiError>, ChainError> {
        Ok(match self.code_of(address)? {
            Some(code) => Abi::from_wasm(&code),
            None => Ok(None),
        })
    }

    /// Runs `simulation` with `gas` gas (execution only, no intrinsic cost) and discards every
    /// effect; `None` if it is to run after a block that does not exist.
    pub fn simulate(&self, simulation: &Simulation, gas: Gas) -> Result<Option<Outcome>, ChainError> {
        let request = CallRequest {
            frame: Frame::outermost(simulation.from, simulation.to, simulation.value),
            entry: simulation.method.clone(),
            input: simulation.input.clone(),
            gas_limit: gas,
        };
        match simulation.at {
            SimulateAt::Next { timestamp } => self.dry_run(request, timestamp).map(Some),
            SimulateAt::After(height) => self.dry_run_at(height, request),
        }
    }

    /// The smallest gas limit with which a transaction making `simulation` succeeds, intrinsic
    /// gas included, searching up to `cap` gas of execution; [`EstimateFailure::Fails`] if it
    /// fails even at the cap. Gas used is usually enough; a contract that reads `gas_left` or
    /// forwards all that is left may need more, so the search is a bisection between the two.
    /// With a `deadline`, the search stops at the first run boundary past it
    /// ([`EstimateFailure::OutOfTime`]): a run is bounded by `cap`, so the work ends within one
    /// run of the deadline. `None` if it is to run after a block that does not exist.
    pub fn estimate_gas(
        &self,
        simulation: &Simulation,
        cap: Gas,
        deadline: Option<Instant>,
    ) -> Result<Option<Estimate>, ChainError> {
        let Some(at_cap) = self.simulate(simulation, cap)? else {
            return Ok(None);
        };
        if !at_cap.is_success() {
            return Ok(Some(Err(EstimateFailure::Fails(Box::new(at_cap)))));
        }
        let mut runs = 1;
        let mut succeeds = |gas| -> Result<Result<bool, EstimateFailure>, ChainError> {
            if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                return Ok(Err(EstimateFailure::OutOfTime { runs }));
            }
            runs += 1;
            Ok(Ok(self
                .simulate(simulation, gas)?
                .is_some_and(|outcome| outcome.is_success())))
        };
        let (mut low, mut high) = (at_cap.gas_used, cap);
        match succeeds(low)? {
            Ok(true) => high = low,
            Ok(false) => {}
            Err(out_of_time) => return Ok(Some(Err(out_of_time))),
        }
        while low < high {
            let middle = low + (high - low) / 2;
            match succeeds(middle)? {
                Ok(true) => high = middle,
                Ok(false) => low = middle + 1,
                Err(out_of_time) => return Ok(Some(Err(out_of_time))),
            }
        }
        let intrinsic = self.executor.intrinsic_gas_for(&simulation.action());
        Ok(Some(Ok(intrinsic.saturating_add(low))))
    }
}
