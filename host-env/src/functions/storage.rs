//! Contract storage: read, write, remove, has — keys and values bounded by the schedule's
//! [`RuntimeLimits`](weft_gas::RuntimeLimits), charged per byte, through the call's overlay.

use weft_primitives::Address;

use crate::context::HostContext;
use crate::error::HostError;
use crate::functions::{cost, unsigned, within};

/// Which storage rate a key operation pays.
#[derive(Clone, Copy)]
enum Rate {
    /// `storage_read` + `storage_read_byte` per key byte.
    Read,
    /// `storage_write` + `storage_write_byte` per key byte.
    Write,
}

impl Rate {
    /// The base and per-byte costs of this rate.
    fn costs(self, ctx: &mut impl HostContext) -> (u64, u64) {
        let costs = &ctx.state().costs;
        match self {
            Self::Read => (costs.storage_read, costs.storage_read_byte),
            Self::Write => (costs.storage_write, costs.storage_write_byte),
        }
    }
}

/// Checks the key length, charges the base and per-key-byte cost of `rate`, and reads the key.
/// Returns the running contract and the key.
fn charged_key(
    ctx: &mut impl HostContext,
    key_ptr: i32,
    key_len: i32,
    rate: Rate,
) -> Result<(Address, Vec<u8>), HostError> {
    let limit = ctx.state().limits.max_storage_key_bytes;
    let len = within("storage key", unsigned(key_len), limit)?;
    let (base, per_byte) = rate.costs(ctx);
    ctx.charge(cost(base, per_byte, u64::from(len)))?;
    let key = ctx.read(unsigned(key_ptr), len)?;
    Ok((ctx.state().frame.contract, key))
}

/// `storage_read(key_ptr, key_len, register) -> i32`: puts the value of the key into `register`
/// and returns 1, or returns 0 (and leaves `register` alone) if the key is absent. The value's
/// bytes are charged once its length is known, before it reaches the register.
pub fn storage_read(
    ctx: &mut impl HostContext,
    key_ptr: i32,
    key_len: i32,
    register: i32,
) -> Result<i32, HostError> {
    let (contract, key) = charged_key(ctx, key_ptr, key_len, Rate::Read)?;
    let Some(value) = ctx.state().world()?.storage(&contract, &key)? else {
        return Ok(0);
    };
    let register = unsigned(register);
    ctx.state().check_register(register, value.len())?;
    let (_, per_byte) = Rate::Read.costs(ctx);
    ctx.charge(per_byte.saturating_mul(value.len() as u64))?;
    ctx.state().set_register(register, value)?;
    Ok(1)
}

/// `storage_write(key_ptr, key_len, value_ptr, value_len)`: sets the key.
pub fn storage_write(
    ctx: &mut impl HostContext,
    key_ptr: i32,
    key_len: i32,
    value_ptr: i32,
    value_len: i32,
) -> Result<(), HostError> {
    let (base, per_byte) = Rate::Write.costs(ctx);
    let state = ctx.state();
    let value_len = within(
        "storage value",
        unsigned(value_len),
        state.limits.max_storage_value_bytes,
    )?;
    let key_limit = state.limits.max_storage_key_bytes;
    let key_len = within("storage key", unsigned(key_len), key_limit)?;
    ctx.charge(cost(base, per_byte, u64::from(key_len) + u64::from(value_len)))?;
    let key = ctx.read(unsigned(key_ptr), key_len)?;
    let value = ctx.read(unsigned(value_ptr), value_len)?;
    let state = ctx.state();
    let contract = state.frame.contract;
    state.world()?.set_storage(&contract, &key, value);
    Ok(())
}

/// `storage_remove(key_ptr, key_len) -> i32`: removes the key; 1 if it was present, else 0.
pub fn storage_remove(ctx: &mut impl HostContext, key_ptr: i32, key_len: i32) -> Result<i32, HostError> {
    let (contract, key) = charged_key(ctx, key_ptr, key_len, Rate::Write)?;
    let world = ctx.state().world()?;
    if world.storage(&contract, &key)?.is_none() {
        return Ok(0);
    }
    world.remove_storage(&contract, &key);
    Ok(1)
}

/// `storage_has(key_ptr, key_len) -> i32`: 1 if the key is present, else 0.
pub fn storage_has(ctx: &mut impl HostContext, key_ptr: i32, key_len: i32) -> Result<i32, HostError> {
    let (contract, key) = charged_key(ctx, key_ptr, key_len, Rate::Read)?;
    Ok(i32::from(
        ctx.state().world()?.storage(&contract, &key)?.is_some(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::{SELF, fake};

    #[test]
    fn write_read_has_remove() {
        let mut f = fake(1 << 30);
        f.memory[..3].copy_from_slice(b"key");
        f.memory[8..13].copy_from_slice(b"value");
        assert_eq!(storage_has(&mut f, 0, 3).unwrap(), 0);
        assert_eq!(storage_read(&mut f, 0, 3, 1).unwrap(), 0);
        assert!(!f.state.registers.contains_key(&1));
        storage_write(&mut f, 0, 3, 8, 5).unwrap();
        assert_eq!(storage_has(&mut f, 0, 3).unwrap(), 1);
        assert_eq!(storage_read(&mut f, 0, 3, 1).unwrap(), 1);
        assert_eq!(f.state.registers[&1], b"value");
        let stored = f.state.world().unwrap().storage(&SELF, b"key").unwrap();
        assert_eq!(stored, Some(b"value".to_vec()));
        assert_eq!(storage_remove(&mut f, 0, 3).unwrap(), 1);
        assert_eq!(storage_remove(&mut f, 0, 3).unwrap(), 0);
        assert_eq!(storage_has(&mut f, 0, 3).unwrap(), 0);
    }

    #[test]
    fn costs_are_per_byte_of_key_and_value() {
        let mut f = fake(1 << 30);
        let costs = f.state.costs.clone();
        let before = f.gas;
        storage_write(&mut f, 0, 3, 8, 5).unwrap();
        assert_eq!(
            before - f.gas,
            (costs.storage_write + 8 * costs.storage_write_byte) as i64
        );
        let before = f.gas;
        assert_eq!(storage_read(&mut f, 0, 3, 1).unwrap(), 1);
        assert_eq!(
            before - f.gas,
            (costs.storage_read + 8 * costs.storage_read_byte) as i64
        );
    }

    #[test]
    fn oversized_keys_and_values_trap_before_any_charge() {
        let mut f = fake(1 << 30);
        let limits = f.state.limits.clone();
        let before = f.gas;
        let big_key = limits.max_storage_key_bytes as i32 + 1;
        assert!(matches!(
            storage_write(&mut f, 0, big_key, 0, 1),
            Err(HostError::TooLarge {
                what: "storage key",
                ..
            })
        ));
        let big_value = limits.max_storage_value_bytes as i32 + 1;
        assert!(matches!(
            storage_write(&mut f, 0, 1, 0, big_value),
            Err(HostError::TooLarge {
                what: "storage value",
                ..
            })
        ));
        assert!(matches!(
            storage_read(&mut f, 0, -1, 0),
            Err(HostError::TooLarge { .. })
        ));
        assert_eq!(f.gas, before);
        assert!(f.state.world().unwrap().is_empty_storage_of(&SELF));
    }

    #[test]
    fn out_of_gas_in_a_write_writes_nothing() {
        let mut f = fake(5_000);
        assert!(matches!(
            storage_write(&mut f, 0, 3, 8, 5),
            Err(HostError::OutOfGas)
        ));
        assert!(f.state.world().unwrap().is_empty_storage_of(&SELF));
    }

    #[test]
    fn out_of_bounds_key_is_a_trap() {
        let mut f = fake(1 << 30);
        assert!(matches!(
            storage_write(&mut f, 4094, 3, 0, 1),
            Err(HostError::MemoryOutOfBounds { ptr: 4094, len: 3 })
        ));
        assert!(matches!(
            storage_write(&mut f, i32::MAX, 3, 0, 1),
            Err(HostError::MemoryOutOfBounds { .. })
        ));
    }

    /// Storage emptiness for the tests above.
    trait EmptyStorage {
        fn is_empty_storage_of(&self, contract: &weft_primitives::Address) -> bool;
    }
    impl EmptyStorage for crate::context::World {
        fn is_empty_storage_of(&self, contract: &weft_primitives::Address) -> bool {
            self.iter_prefix(weft_state::Column::Storage, contract.as_bytes())
                .map(|pairs| pairs.is_empty())
                .unwrap_or(false)
        }
    }
}
