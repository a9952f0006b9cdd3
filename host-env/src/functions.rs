//! The host functions and their table.

use std::collections::BTreeMap;

use weft_gas::{AbiType, DynamicCosts, HostFunction};

use crate::error::HostError;

use AbiType::{I32, I64};

/// Every function a contract may import from module `env`, with its wasm signature.
pub const HOST_FUNCTIONS: &[HostFunction] = &[
    HostFunction {
        name: "input",
        params: &[I32],
        results: &[],
    },
    HostFunction {
        name: "register_len",
        params: &[I32],
        results: &[I64],
    },
    HostFunction {
        name: "read_register",
        params: &[I32, I32],
        results: &[],
    },
    HostFunction {
        name: "return_data",
        params: &[I32, I32],
        results: &[],
    },
    HostFunction {
        name: "revert",
        params: &[I32, I32],
        results: &[],
    },
    HostFunction {
        name: "abort",
        params: &[I32, I32],
        results: &[],
    },
    HostFunction {
        name: "debug_log",
        params: &[I32, I32],
        results: &[],
    },
    HostFunction {
        name: "gas_left",
        params: &[],
        results: &[I64],
    },
];

/// The most bytes a register, return data, revert data or log line may hold (1 MiB).
pub const MAX_REGISTER_BYTES: u32 = 1 << 20;

/// What one contract call has produced and consumes on the host side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostState {
    /// The call's input (SCALE-encoded arguments).
    pub input: Vec<u8>,
    /// Host-side registers, by id.
    pub registers: BTreeMap<u32, Vec<u8>>,
    /// Data set by `return_data` (the last call wins).
    pub return_data: Vec<u8>,
    /// Lines written by `debug_log`.
    pub logs: Vec<String>,
    /// Dynamic costs, from the gas schedule.
    pub costs: DynamicCosts,
}

impl HostState {
    /// State for a call with `input`, charging `costs`.
    pub fn new(input: Vec<u8>, costs: DynamicCosts) -> Self {
        Self {
            input,
            registers: BTreeMap::new(),
            return_data: Vec::new(),
            logs: Vec::new(),
            costs,
        }
    }
}

/// What a host function needs from the engine: this call's state, the gas counter, guest memory.
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
}

/// The base cost of a host call plus its per-byte cost for `bytes`.
fn call_cost(costs: &DynamicCosts, bytes: u64) -> u64 {
    costs
        .host_call
        .saturating_add(costs.host_byte.saturating_mul(bytes))
}

/// Guest `i32` arguments are unsigned addresses and lengths.
fn unsigned(value: i32) -> u32 {
    value as u32
}

/// Charges for `len` bytes and reads them, refusing more than [`MAX_REGISTER_BYTES`].
fn charged_read(
    ctx: &mut impl HostContext,
    what: &'static str,
    ptr: i32,
    len: i32,
) -> Result<Vec<u8>, HostError> {
    let (ptr, len) = (unsigned(ptr), unsigned(len));
    if len > MAX_REGISTER_BYTES {
        return Err(HostError::TooLarge {
            what,
            len: u64::from(len),
            limit: u64::from(MAX_REGISTER_BYTES),
        });
    }
    let cost = call_cost(&ctx.state().costs, u64::from(len));
    ctx.charge(cost)?;
    ctx.read(ptr, len)
}

/// `input(register)`: puts the call's input into `register`.
pub fn input(ctx: &mut impl HostContext, register: i32) -> Result<(), HostError> {
    let len = ctx.state().input.len() as u64;
    let cost = call_cost(&ctx.state().costs, len);
    ctx.charge(cost)?;
    let state = ctx.state();
    let input = state.input.clone();
    state.registers.insert(unsigned(register), input);
    Ok(())
}

/// `register_len(register) -> i64`: the length of `register`, or -1 if it is empty.
pub fn register_len(ctx: &mut impl HostContext, register: i32) -> Result<i64, HostError> {
    let cost = ctx.state().costs.host_call;
    ctx.charge(cost)?;
    Ok(ctx
        .state()
        .registers
        .get(&unsigned(register))
        .map_or(-1, |bytes| bytes.len() as i64))
}

/// `read_register(register, ptr)`: copies `register` into guest memory at `ptr`.
pub fn read_register(ctx: &mut impl HostContext, register: i32, ptr: i32) -> Result<(), HostError> {
    let register = unsigned(register);
    let len = ctx
        .state()
        .registers
        .get(&register)
        .map(Vec::len)
        .ok_or(HostError::EmptyRegister(register))?;
    let cost = call_cost(&ctx.state().costs, len as u64);
    ctx.charge(cost)?;
    let bytes = ctx.state().registers.get(&register).cloned().unwrap_or_default();
    ctx.write(unsigned(ptr), &bytes)
}

/// `return_data(ptr, len)`: sets the call's return data (the call goes on).
pub fn return_data(ctx: &mut impl HostContext, ptr: i32, len: i32) -> Result<(), HostError> {
    let data = charged_read(ctx, "return data", ptr, len)?;
    ctx.state().return_data = data;
    Ok(())
}

/// `revert(ptr, len)`: ends the call; its state changes are undone; the data goes to the caller.
pub fn revert(ctx: &mut impl HostContext, ptr: i32, len: i32) -> Result<(), HostError> {
    let data = charged_read(ctx, "revert data", ptr, len)?;
    Err(HostError::Revert(data))
}

/// `abort(ptr, len)`: ends the call with a trap carrying the UTF-8 message at `ptr` (invalid UTF-8
/// is replaced, deterministically).
pub fn abort(ctx: &mut impl HostContext, ptr: i32, len: i32) -> Result<(), HostError> {
    let message = charged_read(ctx, "abort message", ptr, len)?;
    Err(HostError::Abort(String::from_utf8_lossy(&message).into_owned()))
}

/// `debug_log(ptr, len)`: records a log line (shown by the devnet and the test harness); no effect
/// on state beyond its gas.
pub fn debug_log(ctx: &mut impl HostContext, ptr: i32, len: i32) -> Result<(), HostError> {
    let line = charged_read(ctx, "log line", ptr, len)?;
    ctx.state().logs.push(String::from_utf8_lossy(&line).into_owned());
    Ok(())
}

/// `gas_left() -> i64`: the gas left after paying for this call.
pub fn gas_left(ctx: &mut impl HostContext) -> Result<i64, HostError> {
    let cost = ctx.state().costs.host_call;
    ctx.charge(cost)?;
    Ok(ctx.gas_left())
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_gas::GasSchedule;

    /// A context over a plain byte vector: the reference the engine glue must behave like.
    struct Fake {
        state: HostState,
        gas: i64,
        memory: Vec<u8>,
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
    }

    fn fake(gas: i64) -> Fake {
        Fake {
            state: HostState::new(b"hello".to_vec(), GasSchedule::default().dynamic),
            gas,
            memory: vec![0; 64],
        }
    }

    #[test]
    fn registers_round_trip_and_charge_per_byte() {
        let mut f = fake(10_000);
        assert_eq!(register_len(&mut f, 1), Ok(-1));
        input(&mut f, 1).unwrap();
        assert_eq!(register_len(&mut f, 1), Ok(5));
        read_register(&mut f, 1, 10).unwrap();
        assert_eq!(&f.memory[10..15], b"hello");
        // register_len × 2 (200 each), input (200 + 5), read_register (200 + 5).
        assert_eq!(f.gas, 10_000 - 200 - 205 - 200 - 205);
        assert_eq!(read_register(&mut f, 2, 0), Err(HostError::EmptyRegister(2)));
    }

    #[test]
    fn bad_pointers_are_errors_not_panics() {
        let mut f = fake(1 << 40);
        assert_eq!(
            return_data(&mut f, 60, 5),
            Err(HostError::MemoryOutOfBounds { ptr: 60, len: 5 })
        );
        assert_eq!(
            return_data(&mut f, -1, 2),
            Err(HostError::MemoryOutOfBounds {
                ptr: u32::MAX,
                len: 2
            })
        );
        assert!(matches!(
            debug_log(&mut f, 0, -1),
            Err(HostError::TooLarge { .. })
        ));
        input(&mut f, 0).unwrap();
        assert_eq!(
            read_register(&mut f, 0, 62),
            Err(HostError::MemoryOutOfBounds { ptr: 62, len: 5 })
        );
    }

    #[test]
    fn gas_is_charged_before_work() {
        // Enough for nothing: the log line is not recorded and the counter goes negative.
        let mut f = fake(100);
        f.memory[..3].copy_from_slice(b"abc");
        assert_eq!(debug_log(&mut f, 0, 3), Err(HostError::OutOfGas));
        assert!(f.state.logs.is_empty());
        assert!(f.gas < 0);
    }

    #[test]
    fn revert_and_abort_end_the_call_with_their_data() {
        let mut f = fake(1 << 20);
        f.memory[..4].copy_from_slice(b"oops");
        assert_eq!(revert(&mut f, 0, 4), Err(HostError::Revert(b"oops".to_vec())));
        assert_eq!(abort(&mut f, 0, 4), Err(HostError::Abort("oops".into())));
        f.memory[0] = 0xff;
        assert_eq!(abort(&mut f, 0, 1), Err(HostError::Abort("\u{fffd}".into())));
    }
}
