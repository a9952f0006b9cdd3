//! A [`HostContext`] over a plain byte vector and a `MemStore`: the reference the engine glue must
//! behave like, for the unit tests of the host functions.

use std::sync::Arc;

use weft_gas::GasSchedule;
use weft_primitives::{Account, Address, CallTrace, FrameKind, FrameStatus};
use weft_state::{MemStore, Overlay};

use crate::context::{
    BlockContext, CallRequest, CallResult, CallStatus, DeployRequest, Frame, HostContext, HostState,
};
use crate::error::HostError;

/// The contract the fake runs as.
pub(crate) const SELF: Address = Address([0xc0; 32]);
/// The account that called it.
pub(crate) const CALLER: Address = Address([0xca; 32]);

pub(crate) struct Fake {
    pub state: HostState,
    pub gas: i64,
    pub memory: Vec<u8>,
    /// Nested calls received, and the result each one gets.
    pub calls: Vec<CallRequest>,
    /// Creations and upgrades received; each gets `call_result` too.
    pub deploys: Vec<DeployRequest>,
    pub call_result: CallResult,
}

impl HostContext for Fake {
    fn state(&mut self) -> &mut HostState {
        &mut self.state
    }
    fn charge(&mut self, gas: u64) -> Result<(), HostError> {
        self.gas = self.gas.saturating_sub(i64::try_from(gas).unwrap_or(i64::MAX));
        if self.gas < 0 {
            Err(HostError::OutOfGas)
        } else {
            Ok(())
        }
    }
    fn gas_left(&mut self) -> i64 {
        self.gas
    }
    fn read(&mut self, ptr: u32, len: u32) -> Result<Vec<u8>, HostError> {
        let end = ptr
            .checked_add(len)
            .ok_or(HostError::MemoryOutOfBounds { ptr, len })?;
        self.memory
            .get(ptr as usize..end as usize)
            .map(<[u8]>::to_vec)
            .ok_or(HostError::MemoryOutOfBounds { ptr, len })
    }
    fn write(&mut self, ptr: u32, bytes: &[u8]) -> Result<(), HostError> {
        let len = bytes.len() as u32;
        let end = ptr
            .checked_add(len)
            .ok_or(HostError::MemoryOutOfBounds { ptr, len })?;
        let slot = self
            .memory
            .get_mut(ptr as usize..end as usize)
            .ok_or(HostError::MemoryOutOfBounds { ptr, len })?;
        slot.copy_from_slice(bytes);
        Ok(())
    }
    fn call(&mut self, request: CallRequest) -> Result<CallResult, HostError> {
        self.calls.push(request);
        Ok(self.call_result.clone())
    }
    fn create(&mut self, request: DeployRequest) -> Result<CallResult, HostError> {
        self.deploys.push(request);
        Ok(self.call_result.clone())
    }
    fn upgrade(&mut self, request: DeployRequest) -> Result<CallResult, HostError> {
        self.deploys.push(request);
        Ok(self.call_result.clone())
    }
}

/// A fake with `gas`, 4 KiB of memory, input `hello`, running as [`SELF`] called by [`CALLER`]
/// with value 7, and [`SELF`] holding 1,000.
pub(crate) fn fake(gas: i64) -> Fake {
    let store: Arc<dyn weft_state::KvStore> = Arc::new(MemStore::new());
    let mut world = Overlay::new(store);
    world.set_account(
        &SELF,
        &Account {
            balance: 1_000,
            ..Account::default()
        },
    );
    let block = BlockContext {
        height: 12,
        timestamp: 1_700_000_000,
        chain_id: 77,
    };
    let frame = Frame::outermost(CALLER, SELF, 7);
    Fake {
        state: HostState::new(b"hello".to_vec(), &GasSchedule::default(), frame, block, world),
        gas,
        memory: vec![0; 4096],
        calls: Vec::new(),
        deploys: Vec::new(),
        call_result: CallResult {
            status: CallStatus::Success,
            data: b"pong".to_vec(),
            gas_used: 1_234,
            events: Vec::new(),
            logs: vec!["callee says hi".into()],
            trace: CallTrace {
                kind: FrameKind::Call,
                caller: SELF,
                contract: Address([0xee; 32]),
                entry: "ping".into(),
                value: 0,
                input_len: 2,
                output_len: 4,
                gas_limit: 50_000,
                gas_used: 1_234,
                status: FrameStatus::Success,
                trap: None,
                host_calls: Vec::new(),
                steps: Vec::new(),
            },
        },
    }
}
