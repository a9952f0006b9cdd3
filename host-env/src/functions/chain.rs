//! Context (who, where, when), value transfers and events.

use weft_primitives::{Address, Event, Hash, MAX_EVENT_TOPICS, TraceStep};

use crate::context::HostContext;
use crate::error::HostError;
use crate::functions::{charge_call, cost, read_address, read_balance, unsigned, within};

/// Charges a host call returning `bytes` bytes and writes them at `ptr`.
fn put(ctx: &mut impl HostContext, ptr: i32, bytes: &[u8]) -> Result<(), HostError> {
    charge_call(ctx, bytes.len() as u64)?;
    ctx.write(unsigned(ptr), bytes)
}

/// `caller(ptr)`: writes the 32-byte address of the caller (an account or a contract) at `ptr`.
pub fn caller(ctx: &mut impl HostContext, ptr: i32) -> Result<(), HostError> {
    let address = ctx.state().frame.caller;
    put(ctx, ptr, address.as_bytes())
}

/// `self_address(ptr)`: writes the running contract's 32-byte address at `ptr`.
pub fn self_address(ctx: &mut impl HostContext, ptr: i32) -> Result<(), HostError> {
    let address = ctx.state().frame.contract;
    put(ctx, ptr, address.as_bytes())
}

/// `origin(ptr)`: writes the 32-byte address of the transaction's signer at `ptr`.
pub fn origin(ctx: &mut impl HostContext, ptr: i32) -> Result<(), HostError> {
    let address = ctx.state().frame.origin;
    put(ctx, ptr, address.as_bytes())
}

/// `block_height() -> i64`.
pub fn block_height(ctx: &mut impl HostContext) -> Result<i64, HostError> {
    charge_call(ctx, 0)?;
    Ok(ctx.state().block.height as i64)
}

/// `block_timestamp() -> i64`: seconds since the Unix epoch.
pub fn block_timestamp(ctx: &mut impl HostContext) -> Result<i64, HostError> {
    charge_call(ctx, 0)?;
    Ok(ctx.state().block.timestamp as i64)
}

/// `chain_id() -> i64`.
pub fn chain_id(ctx: &mut impl HostContext) -> Result<i64, HostError> {
    charge_call(ctx, 0)?;
    Ok(ctx.state().block.chain_id as i64)
}

/// `value_received(ptr)`: writes the value sent with this call (16 bytes, little-endian) at `ptr`.
pub fn value_received(ctx: &mut impl HostContext, ptr: i32) -> Result<(), HostError> {
    let value = ctx.state().frame.value;
    put(ctx, ptr, &value.to_le_bytes())
}

/// Charges a balance read and writes `address`'s balance at `out_ptr`.
fn write_balance(ctx: &mut impl HostContext, address: &Address, out_ptr: i32) -> Result<(), HostError> {
    let balance = ctx.state().world()?.account(address)?.balance;
    ctx.write(unsigned(out_ptr), &balance.to_le_bytes())
}

/// `balance(ptr)`: writes the running contract's balance (16 bytes, little-endian) at `ptr`.
pub fn balance(ctx: &mut impl HostContext, ptr: i32) -> Result<(), HostError> {
    let gas = ctx.state().costs.balance;
    ctx.charge(gas)?;
    let contract = ctx.state().frame.contract;
    write_balance(ctx, &contract, ptr)
}

/// `balance_of(address_ptr, out_ptr)`: writes the balance of the 32-byte address at `address_ptr`
/// (16 bytes, little-endian) at `out_ptr`.
pub fn balance_of(ctx: &mut impl HostContext, address_ptr: i32, out_ptr: i32) -> Result<(), HostError> {
    let gas = ctx.state().costs.balance;
    ctx.charge(gas)?;
    let address = read_address(ctx, address_ptr)?;
    write_balance(ctx, &address, out_ptr)
}

/// `transfer(address_ptr, amount_ptr) -> i32`: moves the amount (16 bytes, little-endian) from the
/// running contract to the address; 0 on success, 1 (and nothing moves) if the balance is short.
pub fn transfer(ctx: &mut impl HostContext, address_ptr: i32, amount_ptr: i32) -> Result<i32, HostError> {
    let gas = ctx.state().costs.transfer;
    ctx.charge(gas)?;
    let to = read_address(ctx, address_ptr)?;
    let amount = read_balance(ctx, amount_ptr)?;
    let state = ctx.state();
    let from = state.frame.contract;
    let moved = state.world()?.transfer(&from, &to, amount)?;
    Ok(if moved { 0 } else { 1 })
}

/// `emit_event(topics_ptr, topic_count, data_ptr, data_len)`: emits an event with `topic_count`
/// (at most 4) 32-byte topics stored back to back at `topics_ptr`, and a data blob. Events are kept
/// only if the call succeeds.
pub fn emit_event(
    ctx: &mut impl HostContext,
    topics_ptr: i32,
    topic_count: i32,
    data_ptr: i32,
    data_len: i32,
) -> Result<(), HostError> {
    let limit = u32::try_from(MAX_EVENT_TOPICS).unwrap_or(u32::MAX);
    let topic_count = within("event topic count", unsigned(topic_count), limit)?;
    let state = ctx.state();
    let data_len = within(
        "event data",
        unsigned(data_len),
        state.limits.max_event_data_bytes,
    )?;
    let bytes = u64::from(topic_count) * 32 + u64::from(data_len);
    state.check_events(1, bytes as usize)?;
    let gas = cost(state.costs.event, state.costs.event_byte, bytes);
    ctx.charge(gas)?;
    let topic_bytes = ctx.read(unsigned(topics_ptr), topic_count * 32)?;
    let data = ctx.read(unsigned(data_ptr), data_len)?;
    let topics = topic_bytes
        .chunks_exact(32)
        .map(|chunk| Hash::from_slice(chunk).unwrap_or(Hash::ZERO))
        .collect();
    let state = ctx.state();
    let event = Event {
        address: state.frame.contract,
        topics,
        data,
    };
    state.steps.push(TraceStep::Event(event.clone()));
    state.events.push(event);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::{CALLER, SELF, fake};

    #[test]
    fn context_values() {
        let mut f = fake(1 << 30);
        caller(&mut f, 0).unwrap();
        self_address(&mut f, 32).unwrap();
        origin(&mut f, 64).unwrap();
        value_received(&mut f, 96).unwrap();
        assert_eq!(&f.memory[..32], CALLER.as_bytes());
        assert_eq!(&f.memory[32..64], SELF.as_bytes());
        assert_eq!(&f.memory[64..96], CALLER.as_bytes());
        assert_eq!(&f.memory[96..112], &7u128.to_le_bytes());
        assert_eq!(block_height(&mut f).unwrap(), 12);
        assert_eq!(block_timestamp(&mut f).unwrap(), 1_700_000_000);
        assert_eq!(chain_id(&mut f).unwrap(), 77);
        assert!(matches!(
            caller(&mut f, 4090),
            Err(HostError::MemoryOutOfBounds { .. })
        ));
    }

    #[test]
    fn balances_and_transfers() {
        let mut f = fake(1 << 30);
        balance(&mut f, 0).unwrap();
        assert_eq!(&f.memory[..16], &1_000u128.to_le_bytes());
        let to = Address([9; 32]);
        f.memory[32..64].copy_from_slice(to.as_bytes());
        f.memory[64..80].copy_from_slice(&400u128.to_le_bytes());
        assert_eq!(transfer(&mut f, 32, 64).unwrap(), 0);
        balance_of(&mut f, 32, 100).unwrap();
        assert_eq!(&f.memory[100..116], &400u128.to_le_bytes());
        f.memory[64..80].copy_from_slice(&601u128.to_le_bytes());
        assert_eq!(transfer(&mut f, 32, 64).unwrap(), 1, "600 left, 601 asked");
        balance(&mut f, 0).unwrap();
        assert_eq!(&f.memory[..16], &600u128.to_le_bytes());
    }

    #[test]
    fn events_carry_up_to_four_topics() {
        let mut f = fake(1 << 30);
        f.memory[..64].fill(0xaa);
        f.memory[64..67].copy_from_slice(b"abc");
        emit_event(&mut f, 0, 2, 64, 3).unwrap();
        let event = &f.state.events[0];
        assert_eq!(event.address, SELF);
        assert_eq!(event.topics, vec![Hash([0xaa; 32]); 2]);
        assert_eq!(event.data, b"abc");
        assert!(matches!(
            emit_event(&mut f, 0, 5, 64, 3),
            Err(HostError::TooLarge {
                what: "event topic count",
                ..
            })
        ));
        let too_much = f.state.limits.max_event_data_bytes as i32 + 1;
        assert!(matches!(
            emit_event(&mut f, 0, 0, 0, too_much),
            Err(HostError::TooLarge { .. })
        ));
        assert!(matches!(
            emit_event(&mut f, 4090, 1, 0, 0),
            Err(HostError::MemoryOutOfBounds { .. })
        ));
        assert_eq!(f.state.events.len(), 1);
    }

    #[test]
    fn the_events_of_a_call_are_capped_in_count_and_bytes_before_any_charge() {
        let mut f = fake(1 << 40);
        f.state.limits.max_events = 3;
        for _ in 0..3 {
            emit_event(&mut f, 0, 0, 0, 0).unwrap();
        }
        let gas = f.gas;
        assert!(matches!(
            emit_event(&mut f, 0, 0, 0, 0),
            Err(HostError::TooLarge { what: "events", .. })
        ));
        assert_eq!(f.gas, gas, "a refused event costs nothing");

        let mut f = fake(1 << 40);
        f.state.limits.max_event_total_bytes = 100;
        emit_event(&mut f, 0, 2, 0, 36).unwrap(); // 2 × 32 + 36 = 100
        assert!(matches!(
            emit_event(&mut f, 0, 0, 0, 1),
            Err(HostError::TooLarge {
                what: "event bytes",
                len: 101,
                limit: 100
            })
        ));
        // A nested call's events count against its caller's limits.
        let nested = f.state.events.clone();
        assert!(f.state.append_events(nested).is_err());
        assert_eq!(f.state.events.len(), 1);
    }
}
