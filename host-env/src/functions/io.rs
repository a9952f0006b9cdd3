//! Input and output: the call's input, registers, return and revert data, abort, logs, gas.

use weft_primitives::TraceStep;

use crate::context::HostContext;
use crate::error::HostError;
use crate::functions::{charge_call, charged_read, unsigned};

/// `input(register)`: puts the call's input into `register`.
pub fn input(ctx: &mut impl HostContext, register: i32) -> Result<(), HostError> {
    let register = unsigned(register);
    let len = ctx.state().input.len();
    ctx.state().check_register(register, len)?;
    charge_call(ctx, len as u64)?;
    let state = ctx.state();
    let input = state.input.clone();
    state.set_register(register, input)
}

/// `register_len(register) -> i64`: the length of `register`, or -1 if it is empty.
pub fn register_len(ctx: &mut impl HostContext, register: i32) -> Result<i64, HostError> {
    charge_call(ctx, 0)?;
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
    charge_call(ctx, len as u64)?;
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
    ctx.state().check_logs(1, unsigned(len) as usize)?;
    let line = charged_read(ctx, "log line", ptr, len)?;
    // Replacing invalid UTF-8 can lengthen the line: the limits are checked again on the text.
    let line = String::from_utf8_lossy(&line).into_owned();
    let state = ctx.state();
    state.append_logs(vec![line.clone()])?;
    state.steps.push(TraceStep::Log(line));
    Ok(())
}

/// `gas_left() -> i64`: the gas left after paying for this call.
pub fn gas_left(ctx: &mut impl HostContext) -> Result<i64, HostError> {
    charge_call(ctx, 0)?;
    Ok(ctx.gas_left())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::MAX_REGISTER_BYTES;
    use crate::functions::testing::fake;

    #[test]
    fn registers_round_trip_and_charge_per_byte() {
        let mut f = fake(10_000);
        assert_eq!(register_len(&mut f, 1).unwrap(), -1);
        input(&mut f, 1).unwrap();
        assert_eq!(register_len(&mut f, 1).unwrap(), 5);
        read_register(&mut f, 1, 10).unwrap();
        assert_eq!(&f.memory[10..15], b"hello");
        // register_len × 2 (200 each), input (200 + 5), read_register (200 + 5).
        assert_eq!(f.gas, 10_000 - 200 - 205 - 200 - 205);
        assert!(matches!(
            read_register(&mut f, 2, 0),
            Err(HostError::EmptyRegister(2))
        ));
    }

    #[test]
    fn bad_pointers_are_errors_not_panics() {
        let mut f = fake(1 << 40);
        let end = f.memory.len() as i32;
        assert!(matches!(
            return_data(&mut f, end - 4, 5),
            Err(HostError::MemoryOutOfBounds { len: 5, .. })
        ));
        assert!(matches!(
            return_data(&mut f, -1, 2),
            Err(HostError::MemoryOutOfBounds {
                ptr: u32::MAX,
                len: 2
            })
        ));
        assert!(matches!(
            debug_log(&mut f, 0, -1),
            Err(HostError::TooLarge { .. })
        ));
        input(&mut f, 0).unwrap();
        assert!(matches!(
            read_register(&mut f, 0, end - 2),
            Err(HostError::MemoryOutOfBounds { len: 5, .. })
        ));
    }

    #[test]
    fn gas_is_charged_before_work() {
        // Enough for nothing: the log line is not recorded and the counter goes negative.
        let mut f = fake(100);
        f.memory[..3].copy_from_slice(b"abc");
        assert!(matches!(debug_log(&mut f, 0, 3), Err(HostError::OutOfGas)));
        assert!(f.state.logs.is_empty());
        assert!(f.gas < 0);
    }

    #[test]
    fn revert_and_abort_end_the_call_with_their_data() {
        let mut f = fake(1 << 20);
        f.memory[..4].copy_from_slice(b"oops");
        assert!(matches!(revert(&mut f, 0, 4), Err(HostError::Revert(d)) if d == b"oops"));
        assert!(matches!(abort(&mut f, 0, 4), Err(HostError::Abort(m)) if m == "oops"));
        f.memory[0] = 0xff;
        assert!(matches!(abort(&mut f, 0, 1), Err(HostError::Abort(m)) if m == "\u{fffd}"));
    }

    #[test]
    fn registers_are_capped_in_count_and_bytes_before_any_charge() {
        let mut f = fake(1 << 40);
        let registers = f.state.limits.max_registers;
        for register in 0..registers {
            input(&mut f, register as i32).unwrap();
        }
        // Replacing a register is not a new one.
        input(&mut f, 0).unwrap();
        let gas = f.gas;
        assert!(matches!(
            input(&mut f, registers as i32),
            Err(HostError::TooLarge {
                what: "registers",
                ..
            })
        ));
        assert_eq!(f.gas, gas, "a refused register costs nothing");
        assert_eq!(f.state.registers.len(), registers as usize);

        let mut f = fake(1 << 40);
        f.state.limits.max_register_total_bytes = 8;
        input(&mut f, 1).unwrap();
        input(&mut f, 1).unwrap();
        assert!(matches!(
            input(&mut f, 2),
            Err(HostError::TooLarge {
                what: "bytes in registers",
                len: 10,
                limit: 8
            })
        ));

        // One register holds at most MAX_REGISTER_BYTES, whatever the frame's total allows.
        let mut f = fake(1 << 40);
        f.state.input = vec![7; MAX_REGISTER_BYTES as usize + 1];
        let gas = f.gas;
        assert!(matches!(
            input(&mut f, 0),
            Err(HostError::TooLarge {
                what: "bytes in one register",
                ..
            })
        ));
        assert_eq!(f.gas, gas, "refused before any charge");
        f.state.input.pop();
        input(&mut f, 0).unwrap();
    }

    #[test]
    fn debug_logs_are_capped_in_lines_and_bytes() {
        let mut f = fake(1 << 40);
        f.memory[..4].copy_from_slice(b"line");
        let lines = f.state.limits.max_log_lines;
        for _ in 0..lines {
            debug_log(&mut f, 0, 4).unwrap();
        }
        let gas = f.gas;
        assert!(matches!(
            debug_log(&mut f, 0, 4),
            Err(HostError::TooLarge {
                what: "debug-log lines",
                ..
            })
        ));
        assert_eq!(f.gas, gas);
        assert_eq!(f.state.logs.len(), lines as usize);

        let mut f = fake(1 << 40);
        f.state.limits.max_log_bytes = 6;
        debug_log(&mut f, 0, 4).unwrap();
        assert!(matches!(
            debug_log(&mut f, 0, 4),
            Err(HostError::TooLarge {
                what: "debug-log bytes",
                len: 8,
                limit: 6
            })
        ));
        // Invalid UTF-8 grows by replacement (1 byte -> 3): the text is checked too.
        let mut f = fake(1 << 40);
        f.state.limits.max_log_bytes = 2;
        f.memory[0] = 0xff;
        assert!(matches!(
            debug_log(&mut f, 0, 1),
            Err(HostError::TooLarge { len: 3, .. })
        ));
        assert!(f.state.logs.is_empty());
    }
}
