//! Synchronous cross-contract calls.

use weft_primitives::{Address, Balance, TraceStep};

use crate::context::{CallRequest, CallResult, CallStatus, Frame, HostContext};
use crate::error::HostError;
use crate::functions::{MAX_REGISTER_BYTES, cost, read_address, read_balance, unsigned, within};

/// The longest entry-point name a call may name (as the deploy limit on export names).
const MAX_ENTRY_NAME: u32 = 256;

/// `call(address_ptr, entry_ptr, entry_len, input_ptr, input_len, value_ptr, gas, register) -> i32`:
/// calls entry point `entry` of the contract at the 32-byte address with `input`, sending the
/// value (16 bytes, little-endian) and at most `gas` (a negative `gas`, or more than is left,
/// means all that is left). Returns a [`CallStatus`] code: 0 success (return data in `register`),
/// 1 reverted (revert data in `register`), 2 failed (trap or out of gas), 3 refused (call-depth
/// limit, a contract already on the call stack, no contract or entry point there, or not enough
/// balance for the value). The callee's state changes are undone unless it succeeds; the caller
/// goes on in every case and pays the gas the callee used.
#[allow(clippy::too_many_arguments)]
pub fn call(
    ctx: &mut impl HostContext,
    address_ptr: i32,
    entry_ptr: i32,
    entry_len: i32,
    input_ptr: i32,
    input_len: i32,
    value_ptr: i32,
    gas: i64,
    register: i32,
) -> Result<i32, HostError> {
    let entry_len = within("entry-point name", unsigned(entry_len), MAX_ENTRY_NAME)?;
    let input_len = within("call input", unsigned(input_len), MAX_REGISTER_BYTES)?;
    let costs = &ctx.state().costs;
    let bytes = u64::from(entry_len) + u64::from(input_len);
    let base_cost = cost(costs.call, costs.host_byte, bytes);
    ctx.charge(base_cost)?;
    let to = read_address(ctx, address_ptr)?;
    let entry = ctx.read(unsigned(entry_ptr), entry_len)?;
    let entry =
        String::from_utf8(entry).map_err(|_| HostError::InvalidArgument("entry-point name is not UTF-8"))?;
    let input = ctx.read(unsigned(input_ptr), input_len)?;
    let value = read_balance(ctx, value_ptr)?;
    let register = unsigned(register);

    let reentrant = ctx.state().frame.is_active(&to);
    let Some((frame, gas_limit)) = start_nested(ctx, register, to, value, gas, reentrant)? else {
        return Ok(CallStatus::Refused as i32);
    };
    let result = ctx.call(CallRequest {
        frame,
        entry,
        input,
        gas_limit,
    })?;
    absorb(ctx, register, result)
}

/// What every nested frame (a call, a creation, a migration) starts with: `register` emptied;
/// `None` (refused, nothing charged) past the call-depth limit or if `refused`; else the value's
/// transfer cost charged, and the callee's frame on `contract` with `value` and its gas limit —
/// all that is left if `gas` is negative or more than that.
pub(crate) fn start_nested(
    ctx: &mut impl HostContext,
    register: u32,
    contract: Address,
    value: Balance,
    gas: i64,
    refused: bool,
) -> Result<Option<(Frame, u64)>, HostError> {
    let state = ctx.state();
    state.registers.remove(&register);
    if refused || state.frame.depth() >= state.limits.max_call_depth {
        return Ok(None);
    }
    if value > 0 {
        let transfer_cost = ctx.state().costs.transfer;
        ctx.charge(transfer_cost)?;
    }
    let left = u64::try_from(ctx.gas_left()).unwrap_or(0);
    let gas_limit = u64::try_from(gas).map_or(left, |asked| asked.min(left));
    Ok(Some((ctx.state().frame.callee(contract, value), gas_limit)))
}

/// Takes a nested frame's result into its caller: its trace becomes a step, its gas is charged,
/// its logs (and, if it succeeded, its events) join the caller's, and its return or revert data
/// goes into `register`. Returns the status code the contract sees.
///
/// A failed frame's events leave the receipt but stay in the trace, within the caller's event
/// limit (`max_event_total_bytes`) for all the events its trace holds: past it, they are dropped
/// from the trace too (a note says how many), so that no trace outgrows what its receipt could
/// hold however many failed calls a contract makes.
pub(crate) fn absorb(
    ctx: &mut impl HostContext,
    register: u32,
    result: CallResult,
) -> Result<i32, HostError> {
    let CallResult {
        status,
        data,
        gas_used,
        events,
        logs,
        mut trace,
    } = result;
    let state = ctx.state();
    if status != CallStatus::Success {
        let held: usize = state.steps.iter().map(TraceStep::event_bytes).sum();
        let limit = state.limits.max_event_total_bytes as usize;
        if held + trace.event_bytes() > limit {
            trace.drop_events();
        }
    }
    state.steps.push(TraceStep::Frame(trace));
    ctx.charge(gas_used)?;
    let state = ctx.state();
    state.append_logs(logs)?;
    if status == CallStatus::Success {
        state.append_events(events)?;
    }
    if matches!(status, CallStatus::Success | CallStatus::Reverted) {
        state.set_register(register, data)?;
    }
    Ok(status as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::{CALLER, SELF, fake};
    use weft_primitives::{Address, Event, Hash};

    const CALLEE: Address = Address([0xee; 32]);

    /// Lays out a call to `to` of entry `ping` with input `in` and value 5 in memory.
    fn lay_out(f: &mut crate::functions::testing::Fake, to: Address) {
        f.memory[..32].copy_from_slice(to.as_bytes());
        f.memory[32..36].copy_from_slice(b"ping");
        f.memory[40..42].copy_from_slice(b"in");
        f.memory[48..64].copy_from_slice(&5u128.to_le_bytes());
    }

    #[test]
    fn a_call_builds_the_callee_frame_and_pays_its_gas() {
        let mut f = fake(1_000_000);
        lay_out(&mut f, CALLEE);
        f.call_result.events = vec![Event {
            address: CALLEE,
            topics: vec![Hash::ZERO],
            data: vec![],
        }];
        let status = call(&mut f, 0, 32, 4, 40, 2, 48, 50_000, 3).unwrap();
        assert_eq!(status, CallStatus::Success as i32);
        let request = &f.calls[0];
        assert_eq!(request.entry, "ping");
        assert_eq!(request.input, b"in");
        assert_eq!(request.gas_limit, 50_000);
        assert_eq!(request.frame.contract, CALLEE);
        assert_eq!(request.frame.caller, SELF);
        assert_eq!(request.frame.origin, CALLER);
        assert_eq!(request.frame.value, 5);
        assert_eq!(request.frame.callers, vec![SELF]);
        assert_eq!(f.state.registers[&3], b"pong");
        assert_eq!(f.state.events.len(), 1);
        assert_eq!(f.state.logs, vec!["callee says hi".to_string()]);
        let costs = &f.state.costs;
        let expected = costs.call + 6 * costs.host_byte + costs.transfer + 1_234;
        assert_eq!(1_000_000 - f.gas, expected as i64);
    }

    #[test]
    fn a_callee_s_logs_count_against_the_caller_s_cap() {
        let mut f = fake(1_000_000);
        lay_out(&mut f, CALLEE);
        f.state.limits.max_log_lines = 1;
        call(&mut f, 0, 32, 4, 40, 2, 48, 50_000, 3).unwrap();
        assert!(matches!(
            call(&mut f, 0, 32, 4, 40, 2, 48, 50_000, 3),
            Err(HostError::TooLarge {
                what: "debug-log lines",
                ..
            })
        ));
        assert_eq!(f.state.logs.len(), 1);
    }

    #[test]
    fn all_gas_left_when_asked_for_more_or_negative() {
        let mut f = fake(1_000_000);
        lay_out(&mut f, CALLEE);
        call(&mut f, 0, 32, 4, 40, 2, 48, -1, 3).unwrap();
        call(&mut f, 0, 32, 4, 40, 2, 48, i64::MAX, 3).unwrap();
        assert!(
            f.calls
                .iter()
                .all(|c| c.gas_limit < 1_000_000 && c.gas_limit > 900_000)
        );
    }

    #[test]
    fn failed_callee_events_are_dropped_and_register_cleared() {
        let mut f = fake(1_000_000);
        lay_out(&mut f, CALLEE);
        f.state.registers.insert(3, b"stale".to_vec());
        f.call_result.status = CallStatus::Failed;
        f.call_result.events = vec![Event {
            address: CALLEE,
            topics: vec![],
            data: vec![],
        }];
        assert_eq!(call(&mut f, 0, 32, 4, 40, 2, 48, 10_000, 3).unwrap(), 2);
        assert!(f.state.events.is_empty());
        assert!(!f.state.registers.contains_key(&3));
    }

    #[test]
    fn a_failed_frame_s_events_stay_in_the_trace_within_the_event_limit() {
        let mut f = fake(1_000_000);
        lay_out(&mut f, CALLEE);
        f.state.limits.max_event_total_bytes = 100;
        f.call_result.status = CallStatus::Reverted;
        let event = Event {
            address: CALLEE,
            topics: vec![Hash::ZERO],
            data: vec![0; 18],
        };
        f.call_result.trace.steps = vec![TraceStep::Event(event)];
        // Two reverted calls' events (50 bytes each) fit in 100; the third is dropped.
        for _ in 0..3 {
            call(&mut f, 0, 32, 4, 40, 2, 48, 10_000, 3).unwrap();
        }
        let kept: usize = f.state.steps.iter().map(TraceStep::event_bytes).sum();
        assert_eq!(kept, 100);
        let TraceStep::Frame(third) = &f.state.steps[2] else {
            panic!("a frame step")
        };
        assert!(matches!(&third.steps[..], [TraceStep::Log(note)] if note.contains("not kept")));
        assert!(
            f.state.events.is_empty(),
            "reverted frames' events never reach the receipt"
        );
    }

    #[test]
    fn reentrancy_and_depth_are_refused_without_running_anything() {
        let mut f = fake(1_000_000);
        lay_out(&mut f, SELF);
        assert_eq!(call(&mut f, 0, 32, 4, 40, 2, 48, 10_000, 3).unwrap(), 3);
        f.state.frame.callers = vec![CALLEE];
        lay_out(&mut f, CALLEE);
        assert_eq!(call(&mut f, 0, 32, 4, 40, 2, 48, 10_000, 3).unwrap(), 3);
        f.state.frame.callers = vec![Address([1; 32]); 7];
        assert_eq!(call(&mut f, 0, 32, 4, 40, 2, 48, 10_000, 3).unwrap(), 3);
        assert!(f.calls.is_empty());
    }

    #[test]
    fn bad_arguments_trap() {
        let mut f = fake(1_000_000);
        lay_out(&mut f, CALLEE);
        f.memory[32] = 0xff;
        assert!(matches!(
            call(&mut f, 0, 32, 4, 40, 2, 48, 1, 3),
            Err(HostError::InvalidArgument(_))
        ));
        assert!(matches!(
            call(&mut f, 0, 32, 300, 40, 2, 48, 1, 3),
            Err(HostError::TooLarge { .. })
        ));
        assert!(matches!(
            call(&mut f, 4090, 32, 4, 40, 2, 48, 1, 3),
            Err(HostError::MemoryOutOfBounds { .. })
        ));
        assert!(f.calls.is_empty());
    }
}
